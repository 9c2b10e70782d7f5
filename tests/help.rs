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

/// The words of one example line as a shell would pass them: the comment, a
/// pipe or a redirection ends it; double quotes group.
fn example_words(line: &str) -> Vec<String> {
    let line = line.split(" # ").next().unwrap_or_default();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '|' | '<' | '>' if !quoted => break,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Issue 20 item 8: no command's help had an example; `explain`, `completions`
/// and `man` listed about twenty global options they never read; `checklist`
/// scanned the git work tree it ran in without `--help` saying so; the man page
/// had no EXAMPLES and left the MONGODB_ATLAS_* variables out of ENVIRONMENT.
#[test]
fn r20_8_help_teaches_by_example_and_shows_each_commands_own_options() {
    let commands = [
        "ping",
        "auth-check",
        "collections",
        "checklist",
        "explain",
        "completions",
        "man",
        "watch",
    ];
    for command in commands {
        let text = help(&[command, "--help"]);
        let block: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("Example"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .collect();
        // A command is copied whole: no example is wrapped at 80 columns.
        for line in &block {
            assert!(
                line.len() <= 80,
                "{command}: {line:?} is wider than 80 columns"
            );
        }
        let examples: Vec<&str> = block
            .iter()
            .map(|l| l.trim())
            .filter(|l| l.starts_with("atlas-doctor "))
            .collect();
        assert!(
            !examples.is_empty(),
            "{command} --help has no example:\n{text}"
        );
        // Every example is a command line atlas-doctor accepts as written.
        for line in examples {
            let words = example_words(line);
            assert!(
                words.iter().any(|w| w == command),
                "{line:?} is not about {command}"
            );
            if let Err(e) = atlas_doctor::cli::command().try_get_matches_from(&words) {
                panic!("{line:?} does not parse: {e}");
            }
        }
    }
    for command in ["explain", "completions", "man"] {
        let text = help(&[command, "--help"]);
        for unused in [
            "--uri",
            "--dns-server",
            "--atlas-api",
            "--timeout",
            "--egress-ip",
            "--profile",
        ] {
            assert!(
                !text.contains(unused),
                "{command} --help lists {unused}:\n{text}"
            );
        }
    }
    assert!(help(&["explain", "--help"]).contains("--format <FORMAT>"));
    let ping = help(&["ping", "--help"]);
    for heading in [
        "Connection options:",
        "Atlas API options:",
        "Output options:",
    ] {
        assert!(
            ping.contains(heading),
            "ping --help has no {heading}\n{ping}"
        );
    }
    let checklist = help(&["checklist", "--help"]);
    assert!(checklist.contains("git work tree"), "{checklist}");

    let page = help(&["man"]);
    assert!(page.contains(".SH EXAMPLES"), "no EXAMPLES in the man page");
    let environment = &page[page.find(".SH ENVIRONMENT").expect("ENVIRONMENT")..];
    for variable in [
        "MONGODB_ATLAS_CLIENT_ID",
        "MONGODB_ATLAS_CLIENT_SECRET",
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PRIVATE_API_KEY",
        "MONGODB_ATLAS_PROJECT_ID",
        "MONGODB_ATLAS_BASE_URL",
    ] {
        assert!(
            environment.contains(&format!("\\fB{variable}\\fR")),
            "{variable} is not in ENVIRONMENT"
        );
    }
}
