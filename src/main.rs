//! The atlas-doctor binary: parse flags, run, print the report, exit with its code.

use std::io::Write as _;
use std::process::ExitCode;

use atlas_doctor::cli::Cli;
use atlas_doctor::config::UriOrigin;
use atlas_doctor::exit;
use clap::parser::ValueSource;
use clap::{CommandFactory as _, FromArgMatches as _};

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => {
            // --help and --version land here too, with exit code 0.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(exit::USAGE));
        }
    };
    let uri_origin = if matches.value_source("uri") == Some(ValueSource::EnvVariable) {
        UriOrigin::Env
    } else {
        UriOrigin::Flag
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(exit::USAGE);
        }
    };
    if let Err(err) = cli.validate() {
        let _ = err.print();
        return ExitCode::from(exit::USAGE);
    }
    match atlas_doctor::run(&cli, uri_origin) {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`atlas-doctor ... | head`) is not an error worth a message.
            if let Err(e) = stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("atlas-doctor: error: writing the report: {e}");
                return ExitCode::from(exit::INTERNAL);
            }
            // After stdout, so a file that cannot be written never costs the report.
            let mut code = outcome.exit_code;
            for (path, contents) in &outcome.files {
                if let Err(e) = atlas_doctor::report::file::write(path, contents) {
                    eprintln!("atlas-doctor: error: {e}");
                    // A CI job that asked for the file must not pass without it;
                    // a failing run keeps the code that says why it failed.
                    if code == exit::OK {
                        code = exit::INTERNAL;
                    }
                }
            }
            ExitCode::from(code)
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
