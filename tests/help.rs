//! `--help` is the first documentation people read: snapshot it so a change is reviewed.

use assert_cmd::Command;

fn help(args: &[&str]) -> String {
    let out = Command::cargo_bin("atlas-doctor")
        .unwrap()
        .env_clear()
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
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
