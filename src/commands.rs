//! Each command's layers in order, folded into a `Report`: ping's connectivity,
//! then auth, then data, then the checklists. The glue between probes,
//! diagnosis and the report; nothing here prints.

use crate::checklist;
use crate::cli::Command;
use crate::config::{PasswordSource, Settings};
use crate::diagnose;
use crate::probe::{self, Layer, Status, Step};
use crate::report::{self, Report};
use crate::uri::{self, ConnectionString};

/// Runs one probing command (everything but `explain`).
pub async fn run(command: &Command, settings: &Settings) -> anyhow::Result<Report> {
    let raw = settings.target.uri.expose();
    let mut report = Report::new(
        crate::command_name(command),
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
            "{}: {hosts}; TLS {}",
            crate::words::count(cs.hosts.len(), "host"),
            if cs.tls_enabled() { "on" } else { "off" }
        ),
    ));
    for note in &settings.target.notes {
        let status = if note.warn {
            Status::Warn
        } else {
            Status::Pass
        };
        report
            .steps
            .push(Step::new(Layer::Uri, note.name, status, note.text.clone()));
    }
    if settings.target.password_source == PasswordSource::CommandLine {
        report.steps.push(Step::new(
            Layer::Uri,
            "password source",
            Status::Warn,
            "the password came with --uri: it lands in shell history and the process list; put the URI in MONGODB_URI or the password in a variable named by password-env",
        ));
    }
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
                ping_count: args.count,
                ..probe_options(settings)
            };
            let connectivity = probe::connectivity(&cs, &options).await;
            apply_connectivity(&mut report, connectivity);
            Ok(report)
        }
        Command::Checklist(args) => {
            checklist::run(&mut report, settings, &cs, args).await;
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

/// The probe options from the settings (one ping; `ping --count` overrides it).
pub fn probe_options(settings: &Settings) -> probe::Options {
    probe::Options {
        timeout: settings.timeout,
        dns_server: settings.dns_server,
        dns_fallback: settings.dns_fallback,
        atlas: settings.atlas,
        ping_count: 1,
        login_user: settings.target.username.clone(),
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
            format!(
                "; {} visible",
                crate::words::count(data.databases.len(), "database")
            )
        } else {
            String::new()
        };
        report.facts.push(format!(
            "{} in {database}{visible}",
            crate::words::count(data.collections.len(), "collection")
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
pub fn apply_connectivity(report: &mut Report, connectivity: probe::Connectivity) {
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
    // A host that fails while another works is a warning; when none works, the
    // other hosts' failures are the failure itself (their steps show them), not
    // warnings repeating its sentence.
    if !connectivity.healthy.is_empty() {
        for failure in &connectivity.host_failures {
            let summary = diagnose::failure(failure).summary;
            let host = failure.host().unwrap_or("deployment");
            report.warnings.push(if summary.contains(host) {
                summary
            } else {
                format!("{host}: {summary}")
            });
        }
    }
    if let Some(failure) = &connectivity.failure {
        report.fail(diagnose::failure(failure));
    }
}
