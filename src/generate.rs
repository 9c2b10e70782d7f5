//! What atlas-doctor prints about itself for installers and packagers: shell
//! completion scripts and the man page, both generated from the clap
//! definitions in `cli`, so they cannot drift from `--help`.

use std::io::Write as _;

use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli;
use crate::config;

/// The completion script for `shell`, for the binary named `atlas-doctor`.
pub fn completions(shell: Shell) -> String {
    let mut command = cli::command();
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name.clone(), &mut script);
    // clap_complete writes only what it formats from UTF-8 help text.
    let script = String::from_utf8_lossy(&script).into_owned();
    if shell == Shell::Bash {
        respell_bash_states(&script, &name)
    } else {
        script
    }
}

/// clap_complete's bash script (4.6, clap-rs/clap#6421, open) names the state of
/// `atlas-doctor ping` `atlas__doctor__subcmd__ping` where it walks the words but
/// `atlas__subcmd__doctor__subcmd__ping` in the arms that complete, because it
/// escapes the binary's hyphen twice; so nothing after a subcommand ever completed
/// (`ping --format <Tab>`). Spell the arms the way the walk does.
fn respell_bash_states(script: &str, bin_name: &str) -> String {
    let walk = format!("{}__subcmd__", bin_name.replace('-', "__"));
    let arms = format!("{}__subcmd__", bin_name.replace('-', "__subcmd__"));
    script.replace(&arms, &walk)
}

/// The man page, section 1, as roff: every command with its options, the exit
/// status table of `--help`, and the environment variables.
pub fn man_page() -> std::io::Result<String> {
    let command = cli::command();
    let man = Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    render_commands(&command, &mut page)?;
    render_examples(&command, &mut page)?;
    render_exit_status(&command, &mut page)?;
    render_environment(&command, &mut page)?;
    render_files(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// COMMANDS: each subcommand's summary and its own options (the global ones
/// are in OPTIONS already), so one page documents `ping --count` too.
fn render_commands(command: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    Roff::new().control("SH", ["COMMANDS"]).to_writer(out)?;
    // clap's own `help` subcommand needs no page of its own.
    let subcommands = command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help");
    for sub in subcommands {
        let mut roff = Roff::new();
        roff.control(
            "SS",
            [format!("{} {}", command.get_name(), sub.get_name()).as_str()],
        );
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            roff.text([roman(about.to_string())]);
        }
        roff.to_writer(out)?;
        let own = sub.clone().mut_args(|arg| {
            if arg.is_global_set() || is_help(&arg) {
                arg.hide(true)
            } else {
                arg
            }
        });
        let mut options = Vec::new();
        Man::new(own).render_options_section(&mut options)?;
        // Its options belong under this command's heading, not a second OPTIONS section.
        let options = String::from_utf8_lossy(&options);
        out.write_all(options.replacen(".SH OPTIONS\n", "", 1).as_bytes())?;
    }
    Ok(())
}

fn is_help(arg: &clap::Arg) -> bool {
    matches!(
        arg.get_action(),
        clap::ArgAction::Help | clap::ArgAction::HelpShort | clap::ArgAction::HelpLong
    )
}

/// EXAMPLES: each command's examples, as its `--help` shows them (`Examples:`
/// in its epilogue), so they are written once, in `cli`.
fn render_examples(command: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let epilogue = sub
            .get_after_help()
            .map(ToString::to_string)
            .unwrap_or_default();
        let lines: Vec<&str> = epilogue
            .lines()
            .skip_while(|l| !l.starts_with("Example"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .map(str::trim)
            .collect();
        if lines.is_empty() {
            continue;
        }
        roff.control(
            "SS",
            [format!("{} {}", command.get_name(), sub.get_name()).as_str()],
        );
        roff.control("nf", []);
        for line in lines {
            roff.text([roman(line)]);
            roff.control("br", []);
        }
        roff.control("fi", []);
    }
    roff.to_writer(out)
}

/// EXIT STATUS: the exit-code lines of `--help`'s epilogue (`  14  tls  untrusted ...`),
/// so the table is written once, in `cli`.
fn render_exit_status(command: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let epilogue = command
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, class, meaning) in exit_code_lines(&epilogue) {
        roff.control("TP", []);
        roff.text([bold(code), roman(format!("  {class}"))]);
        roff.text([roman(meaning)]);
    }
    roff.to_writer(out)
}

/// `(code, class, meaning)` for each line of `text` shaped like `  14  tls  untrusted ...`.
fn exit_code_lines(text: &str) -> Vec<(&str, &str, &str)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let (code, rest) = line.split_once(char::is_whitespace)?;
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let rest = rest.trim_start();
            let (class, meaning) = rest.split_once(char::is_whitespace)?;
            Some((code, class, meaning.trim()))
        })
        .collect()
}

/// ENVIRONMENT: the target's variable, then every option's `ATLAS_DOCTOR_*` twin.
fn render_environment(command: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    roff.control("TP", []);
    roff.text([bold(config::MONGODB_URI)]);
    roff.text([roman(
        "The connection string, used when --uri is not given (an explicit --profile outranks it). Set but empty is an error, never a silent fall back to localhost.",
    )]);
    for arg in command.get_arguments() {
        let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        roff.control("TP", []);
        roff.text([bold(env.to_string_lossy().into_owned())]);
        roff.text([roman(format!("Same as --{long}."))]);
    }
    for (name, what) in config::atlas::VARIABLES {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff.control("TP", []);
    roff.text([bold("NO_COLOR")]);
    roff.text([roman(
        "Set and not empty: no colour in human output (so does TERM=dumb).",
    )]);
    roff.to_writer(out)
}

/// FILES: where the config file is looked for, first found wins.
fn render_files(out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut roff = Roff::new();
    roff.control("SH", ["FILES"]);
    roff.control("TP", []);
    roff.text([bold(format!("./{}", config::LOCAL_CONFIG))]);
    roff.text([roman(
        "The config file in the current directory, unless --config names another.",
    )]);
    roff.control("TP", []);
    roff.text([bold("$XDG_CONFIG_HOME/atlas-doctor/config.toml")]);
    roff.text([roman(
        "Else the user's config file (~/.config/atlas-doctor/config.toml on Linux, ~/Library/Application Support/atlas-doctor/config.toml on macOS, %APPDATA%\\atlas-doctor\\config.toml on Windows).",
    )]);
    roff.to_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_code_lines_reads_the_help_table() {
        let text = "Exit codes:\n   0  ok               everything works\n  14  tls              bad cert\n\nTarget: --uri, else $X.";
        assert_eq!(
            exit_code_lines(text),
            [("0", "ok", "everything works"), ("14", "tls", "bad cert")]
        );
    }

    #[test]
    fn the_man_page_lists_every_exit_code_of_the_contract() {
        let page = man_page().unwrap();
        for class in crate::model::class::Class::ALL {
            if class == crate::model::class::Class::Unknown {
                continue;
            }
            let entry = format!(".TP\n\\fB{}\\fR  {}\n", class.exit_code(), class.as_str());
            assert!(page.contains(&entry), "missing {entry:?} in the man page");
        }
    }

    #[test]
    fn every_shell_gets_a_script_naming_the_commands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let script = completions(shell);
            for command in ["ping", "auth-check", "collections", "checklist", "explain"] {
                assert!(script.contains(command), "{shell}: no {command}");
            }
        }
    }
}
