//! The atlas-doctor binary: parse flags, run, print the report, exit with its code.

use std::io::Write as _;
use std::process::ExitCode;

use atlas_doctor::cli::Cli;
use atlas_doctor::config::UriOrigin;
use atlas_doctor::exit;
use clap::FromArgMatches as _;
use clap::parser::ValueSource;

fn main() -> ExitCode {
    // A panic anywhere is atlas-doctor's own failure: exit 70 naming the layer.
    atlas_doctor::panic::install();
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let matches = match atlas_doctor::cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(err) => return usage_error(&err, &args),
    };
    let uri_origin = if matches.value_source("uri") == Some(ValueSource::EnvVariable) {
        UriOrigin::Env
    } else {
        UriOrigin::Flag
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err, &args),
    };
    if let Err(err) = cli.validate() {
        return usage_error(&err, &args);
    }
    match atlas_doctor::run(&cli, uri_origin) {
        Ok(outcome) => {
            // One rule for every output that cannot be written (stdout or a
            // report file): the error on stderr, and the verdict's code when
            // that is non-zero, else 70: a CI job that asked for the output must
            // not pass without it, and a failing run keeps the code that says why.
            let mut code = outcome.exit_code;
            let mut failed = |what: &dyn std::fmt::Display| {
                eprintln!("atlas-doctor: error: {what}");
                if code == exit::OK {
                    code = exit::INTERNAL;
                }
            };
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`atlas-doctor ... | head`) is not an error worth a message.
            if let Err(e) = stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                failed(&format_args!("writing the report: {e}"));
            }
            // The report files were written before stdout (so stdout could say
            // the final code); their errors are said here, after the report.
            for error in &outcome.unwritten {
                failed(error);
            }
            ExitCode::from(code)
        }
        Err(err) if err.is::<atlas_doctor::InputError>() => {
            eprintln!("atlas-doctor: error: {err}");
            ExitCode::from(exit::USAGE)
        }
        Err(err) => {
            eprintln!("atlas-doctor: error: {err:#}");
            eprintln!(
                "hint: this is atlas-doctor failing, not your connection; please report it with the command you ran (password removed)."
            );
            ExitCode::from(exit::INTERNAL)
        }
    }
}

/// Prints clap's message (redacted, with a hint) and exits 2; `--help` and
/// `--version` land here too and print as clap renders them, exit 0.
fn usage_error(err: &clap::Error, args: &[String]) -> ExitCode {
    if !err.use_stderr() {
        let _ = err.print();
        return ExitCode::from(exit::OK);
    }
    // Every global option can come from an ATLAS_DOCTOR_* variable; an empty
    // one is a likelier cause of the error than the command line.
    let empty_vars: Vec<String> = std::env::vars_os()
        .filter(|(name, value)| {
            value.is_empty() && name.to_string_lossy().starts_with("ATLAS_DOCTOR_")
        })
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .collect();
    eprint!(
        "{}",
        atlas_doctor::cli::usage_error_text(err, args, &empty_vars)
    );
    ExitCode::from(exit::USAGE)
}
