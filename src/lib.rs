//! atlas-doctor: finds the broken layer of a MongoDB or Atlas connection, says
//! why in plain words and what to do. `run` takes parsed flags and returns the
//! rendered report and exit code; data flows cli -> config -> probe -> diagnose -> report.

pub mod checklist;
pub mod class;
pub mod cli;
pub mod config;
pub mod crud;
pub mod diagnose;
pub mod exit;
pub mod explain;
pub mod finding;
pub mod probe;
pub mod redact;
pub mod report;
pub mod scan;
pub mod uri;

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::{Cli, Command, Format};
use crate::config::{Settings, UriOrigin};
use crate::probe::{Layer, Status, Step};
use crate::report::Report;
use crate::report::human::Detail;
use crate::report::style::Palette;
use crate::uri::ConnectionString;

/// The lowest wire version the bundled driver speaks (MongoDB 4.4).
pub const DRIVER_MIN_WIRE_VERSION: i32 = 9;
/// The highest wire version the bundled driver speaks.
pub const DRIVER_MAX_WIRE_VERSION: i32 = 29;

/// What to print on stdout and how to exit.
#[derive(Debug)]
pub struct Outcome {
    pub stdout: String,
    pub exit_code: u8,
}

/// Runs one command. `Err` means atlas-doctor itself could not run (exit 70);
/// every failure of the target is a report.
pub fn run(cli: &Cli, uri_origin: UriOrigin) -> anyhow::Result<Outcome> {
    let settings = config::resolve(&cli.global, uri_origin, &config::ProcessEnv);
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
        return run_explain(args.text.as_deref(), format, palette);
    }

    let command_name = command_name(&cli.command);
    let report = match settings {
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
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            let show_spinner =
                format == Format::Human && !settings.quiet && std::io::stderr().is_terminal();
            let spinner = show_spinner.then(|| spinner(command_name));
            let report = runtime.block_on(run_command(&cli.command, &settings));
            if let Some(spinner) = spinner {
                spinner.finish_and_clear();
            }
            report?
        }
    };

    let stdout = match format {
        Format::Human => report::human::render(&report, palette, detail),
        Format::Json => report::json::render(&report),
        Format::Markdown => report::markdown::render(&report, &now_utc()),
        Format::Junit => report::junit::render(&report),
    };
    Ok(Outcome {
        stdout,
        exit_code: report.exit_code(),
    })
}

/// `explain`: offline, no target needed. TEXT, or stdin when absent or `-`.
fn run_explain(text: Option<&str>, format: Format, palette: Palette) -> anyhow::Result<Outcome> {
    use std::io::Read as _;
    let bytes = match text {
        None | Some("-") => {
            if std::io::stdin().is_terminal() {
                eprintln!("atlas-doctor explain: paste the error text, then press Ctrl-D");
            }
            let mut bytes = Vec::new();
            let limit = u64::try_from(explain::MAX_INPUT_BYTES).unwrap_or(u64::MAX);
            std::io::stdin()
                .take(limit)
                .read_to_end(&mut bytes)
                .context("reading the error text from stdin")?;
            bytes
        }
        Some(text) => text.as_bytes().to_vec(),
    };
    let explanation = explain::explain(&explain::decode_input(&bytes));
    let stdout = match format {
        Format::Json => report::explain::json(&explanation),
        Format::Markdown => report::explain::markdown(&explanation),
        // Junit is refused at parse time (`Cli::validate`).
        Format::Human | Format::Junit => report::explain::human(&explanation, &palette),
    };
    Ok(Outcome {
        stdout,
        exit_code: exit::OK,
    })
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Ping(_) => "ping",
        Command::AuthCheck => "auth-check",
        Command::Collections(_) => "collections",
        Command::Checklist(_) => "checklist",
        Command::Explain(_) => "explain",
    }
}

fn spinner(command: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.set_message(format!("atlas-doctor {command}: probing..."));
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

async fn run_command(command: &Command, settings: &Settings) -> anyhow::Result<Report> {
    let raw = settings.target.uri.expose();
    let mut report = Report::new(
        command_name(command),
        uri::redact_raw(raw),
        settings.target.source.label(),
    );
    let cs = match ConnectionString::parse(raw) {
        Ok(cs) => cs,
        Err(error) => {
            report.steps.push(Step::new(
                Layer::Uri,
                "parse",
                Status::Fail,
                error.to_string(),
            ));
            report.fail(diagnose::uri_error(&error));
            return Ok(report);
        }
    };
    report.target_uri = cs.redacted();
    let hosts = cs
        .hosts
        .iter()
        .map(uri::Host::address)
        .collect::<Vec<_>>()
        .join(", ");
    report.steps.push(Step::new(
        Layer::Uri,
        "parse",
        Status::Pass,
        format!(
            "{} host(s): {hosts}; TLS {}",
            cs.hosts.len(),
            if cs.tls_enabled() { "on" } else { "off" }
        ),
    ));
    for lint in cs.lints() {
        report.steps.push(Step::new(
            Layer::Uri,
            format!("lint {}", lint.name),
            Status::Warn,
            lint.message.clone(),
        ));
    }

    match command {
        Command::Ping(args) => {
            let options = probe::Options {
                timeout: settings.timeout,
                dns_server: settings.dns_server,
                dns_fallback: settings.dns_fallback,
                atlas: settings.atlas,
                ping_count: args.count,
            };
            let connectivity = probe::connectivity(&cs, &options).await;
            apply_connectivity(&mut report, connectivity);
            Ok(report)
        }
        Command::Checklist(args) => {
            checklist::run(&mut report, settings, &cs, args, apply_connectivity).await;
            Ok(report)
        }
        Command::AuthCheck => {
            let connectivity = probe::connectivity(&cs, &probe_options(settings)).await;
            let failed = connectivity.failure.is_some();
            apply_connectivity(&mut report, connectivity.clone());
            if !failed {
                let login = login(settings);
                let outcome =
                    probe::auth::authenticate(&auth_request(&cs, &connectivity, &login, settings))
                        .await;
                apply_auth(&mut report, &outcome);
            }
            Ok(report)
        }
        Command::Collections(args) => {
            let connectivity = probe::connectivity(&cs, &probe_options(settings)).await;
            let failed = connectivity.failure.is_some();
            apply_connectivity(&mut report, connectivity.clone());
            if failed {
                return Ok(report);
            }
            let login = login(settings);
            let outcome =
                probe::auth::authenticate(&auth_request(&cs, &connectivity, &login, settings))
                    .await;
            let authenticated = apply_auth(&mut report, &outcome);
            if let (true, Some(client)) = (authenticated, &outcome.client) {
                let database = collections_database(args.db.as_deref(), settings, &cs);
                let expected = expected_collections(&settings.expected_collections, &args.expect);
                let data = probe::data::collections(
                    client,
                    &probe::data::Request {
                        database: database.as_deref(),
                        expected: &expected,
                        timeout: settings.timeout,
                    },
                )
                .await;
                apply_data(&mut report, data);
            }
            Ok(report)
        }
        Command::Explain(_) => unreachable!("explain runs offline, before any probe"),
    }
}

/// The probe options of auth-check and collections (one ping).
fn probe_options(settings: &Settings) -> probe::Options {
    probe::Options {
        timeout: settings.timeout,
        dns_server: settings.dns_server,
        dns_fallback: settings.dns_fallback,
        atlas: settings.atlas,
        ping_count: 1,
    }
}

/// Credentials given apart from the URI (config `username` + `password-env`).
pub fn login(settings: &Settings) -> probe::auth::Login {
    probe::auth::Login {
        username: settings.target.username.clone(),
        password: settings.target.password.clone(),
    }
}

/// The auth layer's request for a run.
pub fn auth_request<'a>(
    cs: &'a ConnectionString,
    connectivity: &'a probe::Connectivity,
    login: &'a probe::auth::Login,
    settings: &Settings,
) -> probe::auth::Request<'a> {
    probe::auth::Request {
        cs,
        connectivity,
        login,
        timeout: settings.timeout,
        verbose: settings.verbose,
    }
}

/// The database `collections` lists: `--db`, else `database` in the config,
/// else the URI's path; `None` lists databases only.
pub fn collections_database(
    flag: Option<&str>,
    settings: &Settings,
    cs: &ConnectionString,
) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| settings.database.clone())
        .or_else(|| cs.database.clone())
        .filter(|db| !db.is_empty())
}

/// Config `expected-collections` plus `--expect`, trimmed, without duplicates.
pub fn expected_collections(config: &[String], flag: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in config.iter().chain(flag) {
        let name = name.trim();
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// Folds the auth layer into the report; true when authenticated (or let in).
pub fn apply_auth(report: &mut Report, outcome: &probe::auth::AuthOutcome) -> bool {
    report.steps.extend(outcome.steps.iter().cloned());
    match &outcome.result {
        Ok(info) => {
            report.auth = Some(report::AuthSummary {
                user: info.user.clone(),
                db: info.db.clone(),
                mechanism: info.mechanism.clone(),
                roles: info
                    .roles
                    .iter()
                    .map(|r| (r.role.clone(), r.db.clone()))
                    .collect(),
                privileges: info
                    .privileges
                    .iter()
                    .map(|p| (p.resource.clone(), p.actions.clone()))
                    .collect(),
            });
            match &info.user {
                Some(user) => report.facts.push(format!(
                    "authenticated as {user}@{} ({})",
                    info.db.as_deref().unwrap_or("?"),
                    probe::auth::describe(info)
                )),
                None => report
                    .facts
                    .push("no credentials; the server does not require authentication".into()),
            }
            true
        }
        Err(failure) => {
            report.fail(diagnose::auth_failure(failure));
            false
        }
    }
}

/// Folds the data layer into the report.
pub fn apply_data(report: &mut Report, data: probe::data::DataOutcome) {
    report.steps.extend(data.steps);
    if let Some(database) = &data.database
        && data
            .failure
            .as_ref()
            .is_none_or(|f| matches!(f, probe::data::Failure::Missing { .. }))
    {
        let visible = if data.databases_listed {
            format!("; {} database(s) visible", data.databases.len())
        } else {
            String::new()
        };
        report.facts.push(format!(
            "{} collection(s) in {database}{visible}",
            data.collections.len()
        ));
    }
    report.data = Some(report::DataSummary {
        databases: data.databases,
        database: data.database,
        collections: data
            .collections
            .into_iter()
            .map(|c| report::CollectionRow {
                name: c.name,
                kind: c.kind,
                documents: c.documents,
            })
            .collect(),
    });
    if let Some(failure) = &data.failure {
        report.fail(diagnose::data_failure(failure));
    }
}

/// Folds the connectivity layers into the report: steps, facts, warnings, failure.
fn apply_connectivity(report: &mut Report, connectivity: probe::Connectivity) {
    report.steps.extend(connectivity.steps);
    report.rtt = connectivity.rtt;
    if let Some(host) = connectivity
        .healthy
        .iter()
        .find(|h| h.hello.writable_primary)
        .or(connectivity.healthy.first())
    {
        let version = host
            .hello
            .version
            .as_deref()
            .unwrap_or("(version not reported)");
        report.facts.push(format!(
            "MongoDB {version} at {}, {} ({} of {} hosts answered)",
            host.address,
            host.hello.role(),
            connectivity.healthy.len(),
            connectivity.hosts.len()
        ));
    }
    for failure in &connectivity.host_failures {
        let d = diagnose::failure(failure);
        report.warnings.push(format!(
            "{}: {}",
            failure.host().unwrap_or("deployment"),
            d.summary
        ));
    }
    if let Some(failure) = &connectivity.failure {
        report.fail(diagnose::failure(failure));
    }
}

/// The current UTC time as RFC 3339, without a date crate.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = secs / 86_400;
    let (h, m, s) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = i64::try_from(days).unwrap_or(0) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}
