//! `--help` is the first documentation people read: snapshot it so a change is reviewed.

mod support;

fn help(args: &[&str]) -> String {
    let mut c = support::cli();
    c.args(args);
    let run = c.run();
    assert_eq!(run.code, 0, "{args:?}\n{}", run.dump());
    run.stdout.clone()
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(help(&["--help"]));
}

#[test]
fn checklist_help() {
    insta::assert_snapshot!(help(&["checklist", "--help"]));
}

#[test]
fn help_lists_every_exit_code_of_the_contract() {
    let text = help(&["--help"]);
    for class in atlas_doctor::class::Class::ALL {
        if class == atlas_doctor::class::Class::Unknown {
            continue;
        }
        let line = format!("{:>4}  {}", class.exit_code(), class.as_str());
        assert!(text.contains(&line), "missing {line:?} in --help");
    }
}
