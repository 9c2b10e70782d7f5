//! `atlas-doctor completions SHELL` and `atlas-doctor man`: the shells and `man` that
//! users install them into accept what the binary prints.

mod support;

use std::path::Path;
use std::process::Command;

fn generated(args: &[&str]) -> (support::Cli, String) {
    let mut cli = support::cli();
    cli.args(args);
    let run = cli.run();
    assert_eq!(run.code, 0, "{args:?}\n{}", run.dump());
    assert!(!run.stdout.trim().is_empty(), "{args:?} printed nothing");
    let stdout = run.stdout.clone();
    (cli, stdout)
}

/// Sources the bash script and asks its completion function for `WORDS...` plus an
/// empty word (the cursor after a space), as bash does when the user presses Tab.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let words = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        r#"source '{script}'
function=$(complete -p atlas-doctor | sed -E 's/.* -F ([^ ]+) .*/\1/')
COMP_WORDS=({words} '')
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
"$function" atlas-doctor '' "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script = script.display()
    );
    bash(&["--norc", "--noprofile", "-c", &program])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Runs bash with ARGS, asserts it succeeded, and returns its stdout.
fn bash(args: &[&str]) -> String {
    let output = Command::new("bash").args(args).output().expect("run bash");
    assert!(
        output.status.success(),
        "bash {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn bash_accepts_the_script_and_it_completes_commands_and_values() {
    let (cli, script) = generated(&["completions", "bash"]);
    let path = cli.write_file("atlas-doctor.bash", &script);

    // bash -n: the script parses.
    bash(&["-n", &path.display().to_string()]);

    let commands = bash_complete(&path, &["atlas-doctor"]);
    for command in [
        "ping",
        "auth-check",
        "collections",
        "checklist",
        "explain",
        "completions",
        "man",
    ] {
        assert!(
            commands.iter().any(|c| c == command),
            "Tab after `atlas-doctor ` does not offer {command}: {commands:?}"
        );
    }

    // What clap_complete's own script missed (clap-rs/clap#6421): options after a subcommand.
    let ping = bash_complete(&path, &["atlas-doctor", "ping"]);
    assert!(ping.iter().any(|o| o == "--count"), "{ping:?}");

    let formats = bash_complete(&path, &["atlas-doctor", "ping", "--format"]);
    assert_eq!(formats, ["human", "json", "markdown", "junit"]);

    let shells = bash_complete(&path, &["atlas-doctor", "completions"]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.iter().any(|s| s == shell), "{shell}: {shells:?}");
    }
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let (_, script) = generated(&["completions", shell]);
        assert!(script.contains("auth-check"), "{shell}:\n{script}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = support::run(["completions", "tcsh"]);
    assert_eq!(run.code, 2, "{}", run.dump());
    assert!(run.stderr.contains("tcsh"), "{}", run.dump());
}

#[test]
fn man_renders_the_page_with_commands_exit_status_and_environment() {
    let (cli, page) = generated(&["man"]);
    let path = cli.write_file("atlas-doctor.1", &page);
    let output = Command::new("man")
        .arg("-l")
        .arg(&path)
        // No pager; man-db prints plain text when stdout is not a terminal.
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("run man (scripts/test installs man-db and groff)");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "man -l failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for needle in [
        "SYNOPSIS",
        "atlas-doctor ping",
        "--count",
        "--fail-on",
        "EXIT STATUS",
        "ip_access_list",
        "ENVIRONMENT",
        "ATLAS_DOCTOR_TIMEOUT",
        "MONGODB_URI",
        "FILES",
    ] {
        assert!(
            text.contains(needle),
            "no {needle:?} in the rendered page:\n{text}"
        );
    }
    // groff warns about roff it cannot read; a clean page has none.
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
