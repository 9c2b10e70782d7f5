//! atlas-doctor: finds the broken layer of a MongoDB or Atlas connection, says
//! why in plain words and what to do. `run` takes parsed flags and returns the
//! rendered report and exit code; data flows cli -> config -> probe -> diagnose -> report.

pub mod address;
pub mod atlas;
pub mod checklist;
pub mod cli;
pub mod code;
pub mod commands;
pub mod config;
pub mod deadline;
pub mod diagnose;
pub mod environment;
pub mod explain;
pub mod file;
pub mod generate;
pub mod model;
pub mod output;
pub mod panic;
pub mod pipeline;
pub mod probe;
pub mod redact;
pub mod report;
pub mod scan;
pub mod stop;
pub mod uri;
pub mod walk;
pub mod watch;
pub mod wording;
pub mod words;

// The model's vocabularies at their old public paths (main.rs and tests use them).
pub use model::{class, exit, finding};

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::{Cli, Command, Format};
use crate::config::UriOrigin;
use crate::model::report::Report;
use crate::model::step::{Layer, Status, Step};
use crate::report::human::Detail;
use crate::report::style::Palette;

/// Input that cannot be used at all (stdin is a directory): a usage error
/// (exit 2) that `main` prints, not a failure of atlas-doctor itself.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// What to print on stdout and how to exit.
#[derive(Debug)]
pub struct Outcome {
    pub stdout: String,
    pub exit_code: u8,
    /// Why each `--report-file` that could not be written was not (already
    /// written, before stdout, and counted in `exit_code`): for stderr.
    pub unwritten: Vec<String>,
}

impl Outcome {
    fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            exit_code: exit::OK,
            unwritten: Vec::new(),
        }
    }
}

/// Writes the `--report-file`s: each path and the error of each one that failed.
fn write_files(files: &[(PathBuf, String)]) -> Vec<(String, String)> {
    files
        .iter()
        .filter_map(|(path, contents)| {
            output::write(path, contents)
                .err()
                .map(|e| (path.display().to_string(), e.to_string()))
        })
        .collect()
}

/// Runs one command. `Err` means atlas-doctor itself could not run (exit 70);
/// every failure of the target is a report.
pub fn run(cli: &Cli, uri_origin: UriOrigin) -> anyhow::Result<Outcome> {
    // About atlas-doctor itself, not a target: no settings, so a broken config cannot block them.
    match &cli.command {
        Command::Completions(args) => return Ok(Outcome::ok(generate::completions(args.shell))),
        Command::Man => return Ok(Outcome::ok(generate::man_page()?)),
        _ => {}
    }
    if let Command::Watch(args) = &cli.command {
        return run_watch(cli, args, uri_origin);
    }
    let settings = config::resolve(&cli.global, uri_origin, &crate::environment::ProcessEnv);
    let format = cli.global.format;
    let color = settings.as_ref().is_ok_and(|s| s.color);
    colored::control::set_override(color);
    let palette = if color {
        Palette::pretty()
    } else {
        Palette::plain()
    };
    let detail = if cli.global.quiet {
        Detail::Quiet
    } else if cli.global.verbose {
        Detail::Verbose
    } else {
        Detail::Normal
    };

    if let Command::Explain(args) = &cli.command {
        return run_explain(
            args.text.as_deref(),
            format,
            palette,
            &cli.global.report_file,
        );
    }

    let command_name = cli.command.name();
    let mut report = match settings {
        Err(error) => {
            let mut report = Report::new(
                command_name,
                "(not resolved)".to_string(),
                "(not resolved)".to_string(),
            );
            report.steps.push(Step::new(
                Layer::Uri,
                "configuration",
                Status::Fail,
                error.to_string(),
            ));
            report.fail(diagnose::config_error(&error));
            report
        }
        Ok(settings) => {
            let runtime = runtime()?;
            // From here to the last write a stop signal ends the run (see `stop`).
            // Without a listener the default action still ends it; only the CRUD
            // check needs one, and says so when there is none.
            {
                let _runtime = runtime.enter();
                let _ = stop::install();
            }
            let show_spinner =
                format == Format::Human && !settings.quiet && std::io::stderr().is_terminal();
            let spinner = show_spinner.then(|| spinner(command_name));
            let report = runtime.block_on(commands::run(&cli.command, &settings));
            if let Some(spinner) = spinner {
                spinner.finish_and_clear();
            }
            // Never shut the runtime down: the process ends right after the
            // report. Shutting down drops the driver's tasks from one worker while
            // another may still be polling one (the endSessions the client sends
            // as it is dropped, a read cancelled on its way out), and the driver
            // then panics on its pool's closed channel (connection_requester.rs:
            // "SendError" unwrap, seen once in CI). Left running, they end with
            // the process.
            std::mem::forget(runtime);
            report?
        }
    };

    // The verdict's invariants, once, before any renderer sees the report.
    diagnose::settle(&mut report);
    report.cap_strings();
    let generated_at = now_utc();
    let mut files = Vec::new();
    for path in &cli.global.report_file {
        let contents = match output::Kind::of(path)? {
            output::Kind::Json => report::json::render(&report),
            output::Kind::Junit => report::junit::render(&report),
            output::Kind::Markdown => report::markdown::render(&report, &generated_at),
            output::Kind::Sarif => report::sarif::render(&report),
        };
        files.push((path.clone(), contents));
    }
    // Files first, so that stdout says the code the process exits with.
    let failed = write_files(&files);
    report.unwritten = failed.iter().map(|(path, _)| path.clone()).collect();
    let stdout = match format {
        Format::Human => {
            report::human::render(&report, palette, detail, report::human::stdout_width())
        }
        Format::Json => report::json::render(&report),
        Format::Markdown => report::markdown::render(&report, &generated_at),
        Format::Junit => report::junit::render(&report),
    };
    Ok(Outcome {
        stdout,
        exit_code: report.exit_code(),
        unwritten: failed.into_iter().map(|(_, error)| error).collect(),
    })
}

/// The async runtime of a probing command. Worker threads: the driver's
/// connections authenticate side by side (one SCRAM key derivation each, a
/// few ms of CPU), so they spread over the cores. Their stacks are the main
/// thread's size: decoding a reply nests up to `bson::MAX_NESTING_DEPTH` levels (vendor/bson), about
/// 1.3 MB in a debug build.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_stack_size(8 << 20)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// `watch`: streams its own lines to stdout as the rounds come, so the outcome
/// holds only the exit code. A target that cannot be set up is a message on
/// stderr and `config_invalid`.
fn run_watch(cli: &Cli, args: &cli::WatchArgs, uri_origin: UriOrigin) -> anyhow::Result<Outcome> {
    let targets = match watch::targets(cli, args, uri_origin) {
        Ok(targets) => targets,
        Err(error) => {
            eprintln!("atlas-doctor: error: {error}");
            return Ok(Outcome {
                stdout: String::new(),
                exit_code: error.exit_code,
                unwritten: Vec::new(),
            });
        }
    };
    colored::control::set_override(targets.first().is_some_and(|t| t.settings.color));
    let runtime = runtime()?;
    let exit_code = runtime.block_on(watch::run(
        targets,
        args,
        cli.global.format,
        cli.global.quiet,
    ));
    // As for the other commands: never shut the runtime down (see `run`).
    std::mem::forget(runtime);
    Ok(Outcome {
        stdout: String::new(),
        exit_code,
        unwritten: Vec::new(),
    })
}

/// `explain`: offline, no target needed. TEXT, or stdin when absent or `-`.
fn run_explain(
    text: Option<&str>,
    format: Format,
    palette: Palette,
    report_files: &[PathBuf],
) -> anyhow::Result<Outcome> {
    let bytes = match text {
        None | Some("-") => {
            if std::io::stdin().is_terminal() {
                eprintln!("atlas-doctor explain: paste the error text, then press Ctrl-D");
            }
            let limit = u64::try_from(explain::MAX_INPUT_BYTES).unwrap_or(u64::MAX);
            file::read_stdin(limit).map_err(|e| {
                InputError(format!(
                    "explain: cannot read the error text from stdin: it {e}; paste the text, pipe it, or pass it as an argument"
                ))
            })?
        }
        Some(text) => text.as_bytes().to_vec(),
    };
    // A pasted log may be megabytes: decode it in place rather than copy it.
    let text = explain::decode_input_owned(bytes);
    let explanation = explain::explain(&text);
    let stdout = match format {
        Format::Json => report::explain::json(&explanation),
        Format::Markdown => report::explain::markdown(&explanation, &text),
        // Junit is refused at parse time (`Cli::validate`).
        Format::Human | Format::Junit => {
            report::explain::human(&explanation, &palette, report::human::stdout_width())
        }
    };
    let mut files = Vec::new();
    for path in report_files {
        let contents = match output::Kind::of(path)? {
            output::Kind::Json => report::explain::json(&explanation),
            output::Kind::Markdown => report::explain::markdown(&explanation, &text),
            // Refused at parse time (`Cli::validate`), like --format junit.
            kind => anyhow::bail!("explain cannot write a {kind:?} report file"),
        };
        files.push((path.clone(), contents));
    }
    let unwritten: Vec<String> = write_files(&files)
        .into_iter()
        .map(|(_, error)| error)
        .collect();
    Ok(Outcome {
        stdout,
        // explain exits 0 when it explained; a report file it could not write is its own failure.
        exit_code: if unwritten.is_empty() {
            exit::OK
        } else {
            exit::INTERNAL
        },
        unwritten,
    })
}

fn spinner(command: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.set_message(format!("atlas-doctor {command}: probing..."));
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// The current UTC time as RFC 3339.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    report::rfc3339(i64::try_from(secs).unwrap_or(0))
}
