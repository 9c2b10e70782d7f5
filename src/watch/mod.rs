//! `watch`: the layers again and again, to see intermittent failures. Each
//! round runs the pipeline on fresh connections for every target at once and
//! pings over one kept connection; rounds never overlap, and a slow round
//! delays the next instead of piling up. The stats, events and metrics fold
//! the rounds in bounded memory; the renderers print them as they come.

pub mod events;
pub mod histogram;
pub mod human;
pub mod json;
pub mod metrics;
pub mod sample;
pub mod stats;
pub mod target;

use std::io::Write as _;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use events::{Event, Tracker};
use sample::{Round, TargetRound};
use stats::Stats;
use target::Target;

use crate::cli::{Cli, Format, WatchArgs, WatchDepth};
use crate::config::{self, UriOrigin};
use crate::model::class::Class;
use crate::pipeline::Depth;
use crate::report::style::Palette;

/// A target that could not be set up: the message for stderr, and the exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SetupError {
    pub message: String,
    pub exit_code: u8,
}

fn config_invalid(message: String) -> SetupError {
    SetupError {
        message,
        exit_code: Class::ConfigInvalid.exit_code(),
    }
}

/// The targets the flags name: each `--profile`, every profile with
/// `--all-profiles`, else the one target every command resolves.
pub fn targets(
    cli: &Cli,
    args: &WatchArgs,
    uri_origin: UriOrigin,
) -> Result<Vec<Target>, SetupError> {
    let env = crate::environment::ProcessEnv;
    let names: Vec<Option<String>> = if args.all_profiles {
        config::profile_names(&cli.global, &env)
            .map_err(|e| config_invalid(e.to_string()))?
            .into_iter()
            .map(Some)
            .collect()
    } else if cli.global.profile.is_empty() {
        vec![None]
    } else {
        cli.global.profile.iter().cloned().map(Some).collect()
    };
    let depth = match args.depth {
        WatchDepth::Ping => Depth::Hello,
        WatchDepth::AuthCheck => Depth::Auth,
    };
    names
        .into_iter()
        .map(|name| {
            let settings = config::resolve_profile(&cli.global, name.as_deref(), uri_origin, &env)
                .map_err(|e| config_invalid(e.to_string()))?;
            let shown = name.unwrap_or_else(|| "default".to_string());
            Target::new(shown.clone(), settings, depth).map_err(|e| {
                config_invalid(format!("{shown}: the connection string is not usable: {e}"))
            })
        })
        .collect()
}

/// Where the lines go: JSON lines, one line per round when piped, or the live table.
enum Output {
    Json,
    Lines {
        palette: Palette,
        quiet: bool,
    },
    Live {
        palette: Palette,
        width: usize,
        drawn: usize,
    },
}

/// Everything the renderers need besides the round.
struct Sink {
    output: Output,
    names: Vec<String>,
    shown: Vec<String>,
    interval: Duration,
    /// stdout was closed (`| head`): stop quietly.
    closed: bool,
}

impl Sink {
    fn emit(&mut self, text: &str) {
        if self.closed || text.is_empty() {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("atlas-doctor: error: writing to stdout: {e}");
            }
            self.closed = true;
        }
    }

    fn round(&mut self, round: &Round, events: &[Event], stats: &Stats) {
        let targets = human::Targets {
            names: &self.names,
            shown: &self.shown,
        };
        let text = match &mut self.output {
            Output::Json => {
                let mut text = json::round(round, &self.names);
                for event in events {
                    text.push_str(&json::event(event, &self.names));
                }
                text
            }
            Output::Lines { palette, quiet } => {
                let mut text = String::new();
                if !*quiet {
                    for event in events {
                        text.push_str(&human::event_line(
                            event,
                            &targets,
                            *palette,
                            human::PIPED_WIDTH,
                        ));
                    }
                    text.push_str(&human::round_lines(round, &targets, *palette));
                }
                text
            }
            Output::Live {
                palette,
                width,
                drawn,
            } => {
                let mut text = clear(*drawn);
                for event in events {
                    text.push_str(&human::event_line(event, &targets, *palette, *width));
                }
                let now = SystemTime::now();
                let table = human::table(stats, &targets, now, self.interval, *palette, *width);
                *drawn = table.len();
                for line in table {
                    text.push_str(&line);
                    text.push('\n');
                }
                text
            }
        };
        self.emit(&text);
    }

    fn finish(&mut self, stats: &Stats, interrupted: bool) {
        let text = match &self.output {
            Output::Json => json::summary(stats, interrupted),
            Output::Lines { palette, .. } => {
                human::summary(stats, interrupted, *palette, human::PIPED_WIDTH)
            }
            Output::Live { palette, width, .. } => {
                human::summary(stats, interrupted, *palette, *width)
            }
        };
        self.emit(&text);
    }
}

/// Moves the cursor up over the last table and clears it, for the redraw.
fn clear(lines: usize) -> String {
    if lines == 0 {
        String::new()
    } else {
        format!("\x1b[{lines}F\x1b[J")
    }
}

/// Runs the rounds until `--count`, `--for` or a stop signal; returns the exit code.
pub async fn run(mut targets: Vec<Target>, args: &WatchArgs, format: Format, quiet: bool) -> u8 {
    let color = targets.first().is_some_and(|t| t.settings.color);
    let palette = if color {
        Palette::pretty()
    } else {
        Palette::plain()
    };
    let output = match (format, crate::report::human::stdout_width()) {
        (Format::Json, _) => Output::Json,
        (_, Some(width)) if !quiet => Output::Live {
            palette,
            width,
            drawn: 0,
        },
        _ => Output::Lines { palette, quiet },
    };
    let mut sink = Sink {
        output,
        names: targets.iter().map(|t| t.name.clone()).collect(),
        shown: targets.iter().map(Target::shown).collect(),
        interval: args.interval,
        closed: false,
    };
    let mut stats = Stats::new(targets.len());
    let mut tracker = Tracker::new(targets.len());
    // A stop signal ends the round in progress and prints the summary: the
    // watch holds a `Cleanup` for its whole life, so the signal is handed to it
    // instead of ending the process with no report.
    let _ = crate::stop::install();
    let mut interrupt = match crate::stop::Cleanup::begin() {
        Ok(cleanup) => Some(cleanup),
        Err(e) => {
            eprintln!(
                "atlas-doctor: warning: cannot listen for Ctrl-C ({e}); the summary needs --count or --for"
            );
            None
        }
    };
    let stop = async |interrupt: &mut Option<crate::stop::Cleanup>| match interrupt {
        Some(cleanup) => {
            cleanup.signalled().await;
        }
        None => std::future::pending().await,
    };

    let start = Instant::now();
    let end = args.for_.map(|d| start + d);
    let mut metrics_failed = false;
    let mut interrupted = false;
    let mut number = 0u64;
    loop {
        if args.count.is_some_and(|n| number >= n)
            || end.is_some_and(|end| Instant::now() >= end)
            || sink.closed
        {
            break;
        }
        number += 1;
        let round_start = Instant::now();
        let started = SystemTime::now();
        let work = run_round(&mut targets);
        let rounds = tokio::select! {
            rounds = work => rounds,
            () = stop(&mut interrupt) => {
                interrupted = true;
                break;
            }
        };
        let round = Round {
            number,
            started,
            duration: round_start.elapsed(),
            targets: rounds,
        };
        stats.add(&round);
        let events = tracker.observe(&round);
        stats.events += events.len() as u64;
        sink.round(&round, &events, &stats);
        if let Some(path) = &args.metrics_file
            && let Err(e) = metrics::write(path, &metrics::render(&stats, &sink.names))
            && !metrics_failed
        {
            eprintln!(
                "atlas-doctor: error: writing the metrics file {}: {e}",
                path.display()
            );
            metrics_failed = true;
        }
        if args.count.is_some_and(|n| number >= n) {
            break;
        }
        let mut next = round_start + args.interval;
        if let Some(end) = end {
            next = next.min(end);
        }
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            () = stop(&mut interrupt) => {
                interrupted = true;
                break;
            }
        }
    }
    sink.finish(&stats, interrupted);
    // Dropping the cleanup after a signal would end the process a second
    // later with "no report written"; the summary is written, and the process
    // ends as soon as this returns.
    std::mem::forget(interrupt);
    match stats.exit_code() {
        // A job that asked for the metrics file must not pass without it.
        0 if metrics_failed => crate::model::exit::INTERNAL,
        code => code,
    }
}

/// Every target's round at once, each on its own task so a panic in one is
/// its `internal` round, not the end of the watch.
async fn run_round(targets: &mut Vec<Target>) -> Vec<TargetRound> {
    let spares: Vec<Target> = targets.iter().map(Target::spare).collect();
    let handles: Vec<_> = targets
        .drain(..)
        .map(|mut target| {
            tokio::spawn(async move {
                let round = target.round().await;
                (target, round)
            })
        })
        .collect();
    // Aborted with the round when a stop signal cuts it short.
    let guards: Vec<_> = handles
        .iter()
        .map(tokio::task::JoinHandle::abort_handle)
        .collect();
    let _abort = AbortOnDrop(guards);
    let mut rounds = Vec::new();
    for (handle, spare) in handles.into_iter().zip(spares) {
        match handle.await {
            Ok((target, round)) => {
                targets.push(target);
                rounds.push(round);
            }
            // The target starts over without its kept connection.
            Err(error) => {
                targets.push(spare);
                rounds.push(target::lost(&error));
            }
        }
    }
    rounds
}

/// Aborts the round's tasks when the round is dropped unfinished.
struct AbortOnDrop(Vec<tokio::task::AbortHandle>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for handle in &self.0 {
            handle.abort();
        }
    }
}
