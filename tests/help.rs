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

/// Issue 11 item 14 and issue 15 item 4: a connection string given as a bare argument
/// (the likeliest mistake) was printed whole in clap's usage error, password included.
#[test]
fn r15_a_connection_string_as_an_argument_is_redacted_and_hinted() {
    let secret = format!("Pw{}x", "7".repeat(9));
    let uri = format!("mongodb+srv://app:{secret}@cluster0.ab1cd.mongodb.net/?retryWrites=true");
    for args in [
        vec!["ping", uri.as_str()],
        vec![uri.as_str()],
        vec!["auth-check", "--format", "json", uri.as_str()],
    ] {
        let mut c = support::cli();
        c.args(&args);
        let run = c.run();
        assert_eq!(run.code, 2, "{}", run.dump());
        run.assert_no_secret(&secret);
        assert!(
            run.stderr
                .contains("mongodb+srv://app:****@cluster0.ab1cd.mongodb.net"),
            "the argument is named, redacted\n{}",
            run.dump()
        );
        assert!(
            run.stderr.contains("--uri") && run.stderr.contains("MONGODB_URI"),
            "the hint names --uri and MONGODB_URI\n{}",
            run.dump()
        );
    }
    // A string that does not parse is redacted too, and so is a bad value of another flag.
    for args in [
        vec!["ping".to_string(), format!("mongodb://app:{secret}")],
        vec!["ping".to_string(), format!("app:{secret}@h")],
        vec!["--format".to_string(), format!("mongodb://app:{secret}@h/")],
    ] {
        let mut c = support::cli();
        c.args(&args);
        let run = c.run();
        assert_eq!(run.code, 2, "{}", run.dump());
        run.assert_no_secret(&secret);
    }
    // --help still prints, exit 0.
    assert!(help(&["ping", "--help"]).contains("--count"));
}

/// Issue 24: `watch --help` shows an example and what the events are.
#[test]
fn r24_watch_help() {
    insta::assert_snapshot!(help(&["watch", "--help"]));
}
