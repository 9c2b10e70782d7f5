//! `atlas-doctor checklist`: the security and testing checklists from probe
//! evidence. The static items (credentials, scan, TLS options, password) need no
//! network; the rest follow the layers, and an item whose layer failed is `skip`.
//! Classing: a failed connectivity or auth layer decides the run's class; otherwise
//! any failed item (or warning, with `--fail-on warn`) is `checks_failed`, exit 1.

pub mod security;
pub mod testing;

use std::path::{Path, PathBuf};

use crate::class::Class;
use crate::cli::{ChecklistArgs, FailOn};
use crate::commands;
use crate::config::{PasswordSource, Settings};
use crate::diagnose::Diagnosis;
use crate::probe::{self, Status, auth};
use crate::report::{Check, Report, Section};
use crate::uri::ConnectionString;

/// The database the checklist works in: `collections`' choice (`--db`, else the
/// config's, else the URI's), else `test`, the database drivers default to.
pub fn database(settings: &Settings, cs: &ConnectionString, args: &ChecklistArgs) -> String {
    commands::collections_database(args.db.as_deref(), settings, cs)
        .unwrap_or_else(|| "test".to_string())
}

/// Whether `dir` is inside a git work tree (a `.git` directory or file above it).
fn in_git_work_tree(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// The scan roots: `--scan` paths, else the current directory when it is a git work tree.
fn scan_roots(args: &ChecklistArgs) -> Result<Vec<PathBuf>, &'static str> {
    if !args.scan.is_empty() {
        return Ok(args.scan.clone());
    }
    match std::env::current_dir() {
        Ok(cwd) if in_git_work_tree(&cwd) => Ok(vec![PathBuf::from(".")]),
        _ => Err("no --scan PATH given and the current directory is not a git work tree"),
    }
}

/// Runs both checklists into `report`. Returns `true` when Ctrl-C stopped the CRUD
/// round trip (the caller exits 130 after printing).
pub async fn run(
    report: &mut Report,
    settings: &Settings,
    cs: &ConnectionString,
    args: &ChecklistArgs,
) -> bool {
    let timeout = settings.timeout;
    let database = database(settings, cs, args);
    let expected = commands::expected_collections(&settings.expected_collections, &args.expect);
    let secret = cs.password.as_ref().or(settings.target.password.as_ref());
    let password = secret.map(|p| p.expose().to_string());
    let scrub = |text: &str| probe::auth::scrub(text, secret);

    // ---- static security items (no network)
    let config_mode = match &settings.target.password_source {
        PasswordSource::ConfigFile(path) => security::file_mode(path),
        _ => None,
    };
    let mut security_checks = vec![security::credentials_source(
        &settings.target.password_source,
        config_mode,
    )];
    let scan = match scan_roots(args) {
        Ok(roots) => {
            let scanned = tokio::task::spawn_blocking(move || crate::scan::scan(&roots)).await;
            scanned.map_err(|_| "the scan stopped unexpectedly")
        }
        Err(why) => Err(why),
    };
    if let Ok(scan) = &scan {
        report.scan = Some(scan.clone());
    }
    security_checks.push(match &scan {
        Ok(scan) => security::no_committed_credentials(Some(scan), ""),
        Err(why) => security::no_committed_credentials(None, why),
    });

    // ---- connectivity
    let options = crate::commands::probe_options(settings);
    let connectivity = probe::connectivity(cs, &options).await;
    let tls_evidence: Vec<(String, probe::tls::Evidence)> = connectivity
        .healthy
        .iter()
        .filter_map(|h| h.tls.clone().map(|t| (h.address.clone(), t)))
        .collect();
    let hosts: Vec<(String, Vec<std::net::IpAddr>)> = if connectivity.addresses.is_empty() {
        cs.hosts
            .iter()
            .map(|h| (h.name.clone(), Vec::new()))
            .collect()
    } else {
        connectivity.addresses.clone()
    };
    security_checks.push(security::tls_enabled(
        cs.tls_enabled(),
        &hosts,
        &tls_evidence,
        connectivity.failure.as_ref(),
    ));
    security_checks.push(security::tls_verification(cs));
    let connected = connectivity.failure.is_none()
        || matches!(
            connectivity.failure,
            Some(probe::Failure::DnsResolverBroken { .. })
        );
    let connection_check = if connected {
        let host = connectivity
            .healthy
            .iter()
            .find(|h| h.hello.writable_primary)
            .or(connectivity.healthy.first());
        testing::check(
            "connection",
            Status::Pass,
            format!(
                "{} of {} answered hello{}",
                connectivity.healthy.len(),
                crate::words::count(connectivity.hosts.len(), "host"),
                connectivity
                    .rtt
                    .map(|r| format!("; ping {:.1} ms", probe::ms(r.avg)))
                    .unwrap_or_default()
            ),
            None,
            host.map(|h| {
                vec![format!(
                    "{}: MongoDB {}, {}",
                    h.address,
                    h.hello
                        .version
                        .as_deref()
                        .unwrap_or("(version not reported)"),
                    h.hello.role()
                )]
            })
            .unwrap_or_default(),
        )
    } else {
        let d = connectivity.failure.as_ref().map(crate::diagnose::failure);
        testing::check(
            "connection",
            Status::Fail,
            d.as_ref()
                .map_or_else(|| "no host answered".to_string(), |d| d.summary.clone()),
            d.as_ref().and_then(|d| d.fixes.first().map(String::as_str)),
            Vec::new(),
        )
    };
    let addresses = connectivity.addresses.clone();
    let client_connectivity = connectivity.clone();
    commands::apply_connectivity(report, connectivity);

    // ---- auth
    let login = commands::login(settings);
    let mut testing_checks = vec![connection_check];
    let mut interrupted = false;
    let outcome = if connected {
        let outcome = auth::authenticate(&commands::auth_request(
            cs,
            &client_connectivity,
            &login,
            settings,
        ))
        .await;
        report.steps.extend(outcome.steps.iter().cloned());
        Some(outcome)
    } else {
        None
    };
    let info = outcome.as_ref().and_then(|o| o.result.as_ref().ok());
    let skip_why = if connected {
        "authentication failed"
    } else {
        "the connection failed"
    };
    security_checks.push(match info {
        Some(info) if info.user.is_some() => security::least_privilege(
            info.user.as_deref().unwrap_or_default(),
            &info
                .roles
                .iter()
                .map(|r| (r.role.clone(), r.db.clone()))
                .collect::<Vec<_>>(),
            &database,
        ),
        Some(_) => security::check(
            "least-privilege",
            Status::Skip,
            "no user: the server let us in without credentials",
            Some("enable access control on the server and connect as a user with only the roles the app needs"),
            Vec::new(),
        ),
        None => security::check("least-privilege", Status::Skip, skip_why, None, Vec::new()),
    });
    security_checks.push(security::password_strength(password.as_deref()));
    security_checks.push(security::network_exposure(&addresses));

    match &outcome {
        None => {
            for id in ["authentication", "collections", "crud", "database-status"] {
                testing_checks.push(testing::skipped(id, skip_why));
            }
        }
        Some(outcome) => match (&outcome.result, &outcome.client) {
            (Ok(info), Some(client)) => {
                testing_checks.push(testing::check(
                    "authentication",
                    Status::Pass,
                    auth::describe(info),
                    None,
                    Vec::new(),
                ));
                testing_checks
                    .push(testing::collections(client, &database, &expected, timeout).await);
                if settings.crud_check || args.crud {
                    match crate::crud::interrupt() {
                        Ok(signal) => {
                            let crud =
                                crate::crud::round_trip(client, &database, timeout, signal, &scrub)
                                    .await;
                            interrupted = crud.interrupted;
                            testing_checks.push(crud.check);
                        }
                        Err(e) => testing_checks.push(testing::check(
                            "crud",
                            Status::Fail,
                            format!("cannot install the Ctrl-C handler the cleanup needs: {e}"),
                            None,
                            Vec::new(),
                        )),
                    }
                } else {
                    testing_checks.push(testing::check(
                        "crud",
                        Status::Skip,
                        "not enabled",
                        Some("enable with --crud or crud-check = true (uses a scratch collection that is always dropped)"),
                        Vec::new(),
                    ));
                }
                if interrupted {
                    testing_checks
                        .push(testing::skipped("database-status", "interrupted by Ctrl-C"));
                } else {
                    testing_checks
                        .push(testing::database_status(client, &database, timeout, &scrub).await);
                }
            }
            (result, _) => {
                let why = match result {
                    Err(e) => scrub(&e.to_string()),
                    Ok(_) => "no client".to_string(),
                };
                testing_checks.push(testing::check(
                    "authentication",
                    Status::Fail,
                    why,
                    Some("see the diagnosis below"),
                    Vec::new(),
                ));
                for id in ["collections", "crud", "database-status"] {
                    testing_checks.push(testing::skipped(id, "authentication failed"));
                }
            }
        },
    }
    if let Some(outcome) = &outcome
        && let Err(failure) = &outcome.result
        && report.diagnosis.is_none()
    {
        report.fail(crate::diagnose::auth_failure(failure));
    }
    report.checks.extend(security_checks);
    report.checks.extend(testing_checks);
    if let Some(info) = info {
        report.facts.push(auth::describe(info));
    }
    decide(report, args.fail_on);
    if interrupted {
        report.interrupted = true;
    }
    interrupted
}

/// The class of a run whose layers all worked: `checks_failed` when an item failed
/// (or warned, with `--fail-on warn`).
pub fn decide(report: &mut Report, fail_on: FailOn) {
    if report.class != Class::Ok {
        return;
    }
    let failing = |c: &&Check| {
        c.status == Status::Fail || (fail_on == FailOn::Warn && c.status == Status::Warn)
    };
    let failed: Vec<&Check> = report.checks.iter().filter(failing).collect();
    if failed.is_empty() {
        return;
    }
    let names = failed
        .iter()
        .map(|c| format!("{}/{}", c.section.as_str(), c.id))
        .collect::<Vec<_>>();
    let diagnosis = Diagnosis {
        class: Class::ChecksFailed,
        finding: None,
        summary: format!(
            "{} {}: {}",
            crate::words::count(failed.len(), "checklist item"),
            if fail_on == FailOn::Warn {
                "failed or warned (--fail-on warn)"
            } else {
                "failed"
            },
            names.join(", ")
        ),
        causes: failed
            .iter()
            .map(|c| format!("{}: {}", c.id, c.summary))
            .collect(),
        fixes: failed
            .iter()
            .filter_map(|c| c.fix.as_ref().map(|f| format!("{}: {f}", c.id)))
            .collect(),
        evidence: Vec::new(),
    };
    report.fail(diagnosis);
}

/// The item ids of a section, in order (the contract tests rely on).
pub fn ids(section: Section) -> &'static [&'static str] {
    match section {
        Section::Security => &[
            "credentials-source",
            "no-committed-credentials",
            "tls-enabled",
            "tls-verification",
            "least-privilege",
            "password-strength",
            "network-exposure",
        ],
        Section::Testing => &[
            "connection",
            "authentication",
            "collections",
            "crud",
            "database-status",
        ],
    }
}
