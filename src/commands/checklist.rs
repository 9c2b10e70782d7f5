//! The checklist command's glue: its plan for the pipeline, the static checks
//! (the credential scan, off the async runtime), and each checklist item handed
//! its facts from the pipeline's evidence.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::checklist;
use crate::cli::ChecklistArgs;
use crate::config::{PasswordSource, Settings};
use crate::model::report::Check;
use crate::model::step::{self, Status};
use crate::model::verdict::Diagnosis;
use crate::pipeline::{self, Depth, Evidence, Plan};
use crate::probe::{self, auth};
use crate::uri::ConnectionString;

/// What the checklist asks of the pipeline: every layer in the database
/// `collections` would use (`--db`, the config's, the URI's), else `test`, the
/// database drivers default to; CRUD when enabled; the database status.
pub fn plan(settings: &Settings, args: &ChecklistArgs) -> Plan {
    Plan {
        database: args.db.clone(),
        default_database: Some(crate::uri::DEFAULT_DATABASE),
        expected: pipeline::expected_collections(&settings.expected_collections, &args.expect),
        crud: settings.crud_check || args.crud,
        status: true,
        ..Plan::to(Depth::Data)
    }
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

/// The checks that need no network: the credential scan and the config file's mode.
#[derive(Debug)]
pub struct Static {
    pub scan: Result<crate::model::scan::Scan, &'static str>,
    pub config_mode: Option<u32>,
    /// The scan's task panicked: what `panic::lost` says of it (the run is `internal`).
    pub lost: Option<String>,
    /// How long the scan took.
    pub scan_took: Duration,
}

/// Runs the static checks (file system only; blocking, so off the async runtime's threads).
pub async fn static_checks(settings: &Settings, args: &ChecklistArgs) -> Static {
    let config_mode = match &settings.target.password_source {
        PasswordSource::ConfigFile(path) => checklist::security::file_mode(path),
        _ => None,
    };
    let mut lost = None;
    let started = std::time::Instant::now();
    let scan = match scan_roots(args) {
        Ok(roots) => {
            let cross = args.scan_all_filesystems;
            let scanned =
                tokio::task::spawn_blocking(move || crate::scan::scan(&roots, cross)).await;
            scanned.map_err(|error| {
                lost = Some(crate::panic::lost(&error));
                "the scan stopped unexpectedly"
            })
        }
        Err(why) => Err(why),
    };
    Static {
        scan,
        config_mode,
        lost,
        scan_took: started.elapsed(),
    }
}

/// Both checklists, as functions of the pipeline's evidence (for a connection
/// string that parsed), the static checks, and the verdict the judge reached on
/// the layers (`verdict`: a failed connection item says the judge's words, which
/// may rest on facts the connectivity layers never saw, such as a paused cluster).
pub fn checks(
    settings: &Settings,
    cs: &ConnectionString,
    evidence: &Evidence,
    statics: &Static,
    plan: &Plan,
    verdict: Option<&Diagnosis>,
) -> Vec<Check> {
    let database = evidence
        .database
        .as_deref()
        .unwrap_or(crate::uri::DEFAULT_DATABASE);
    let secret = cs.password.as_ref().or(settings.target.password.as_ref());

    // ---- static security items (no network)
    let mut security_checks = vec![checklist::security::credentials_source(
        &settings.target.password_source,
        statics.config_mode,
    )];
    security_checks.push(match &statics.scan {
        Ok(scan) => checklist::security::no_committed_credentials(Some(scan), ""),
        Err(why) => checklist::security::no_committed_credentials(None, why),
    });

    // ---- connectivity
    let empty = probe::Connectivity::default();
    let connectivity = evidence.connectivity.as_ref().unwrap_or(&empty);
    let tls_evidence = connectivity.tls_evidence();
    let hosts: Vec<(String, Vec<std::net::IpAddr>)> = if connectivity.addresses.is_empty() {
        cs.hosts
            .iter()
            .map(|h| (h.name.clone(), Vec::new()))
            .collect()
    } else {
        connectivity.addresses.clone()
    };
    let failure = connectivity.failure.as_ref();
    security_checks.push(checklist::security::tls_enabled(
        cs.tls_enabled(),
        &hosts,
        &tls_evidence,
        failure,
    ));
    security_checks.push(checklist::security::tls_verification(cs));
    let connected = evidence.connected();
    let connection_check = if connected {
        let host = connectivity
            .healthy
            .iter()
            .find(|h| h.hello.writable_primary)
            .or(connectivity.healthy.first());
        checklist::testing::check(
            "connection",
            Status::Pass,
            format!(
                "{} of {} answered hello{}",
                connectivity.healthy.len(),
                crate::words::count(connectivity.hosts.len(), "host"),
                connectivity
                    .rtt
                    .map(|r| format!("; {} {:.1} ms", r.command, step::ms(r.avg)))
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
        let d = verdict
            .cloned()
            .or_else(|| failure.map(crate::diagnose::failure));
        checklist::testing::check(
            "connection",
            Status::Fail,
            d.as_ref()
                .map_or_else(|| "no host answered".to_string(), |d| d.summary.clone()),
            d.as_ref().and_then(|d| d.fixes.first().map(String::as_str)),
            Vec::new(),
        )
    };

    // ---- auth
    let mut testing_checks = vec![connection_check];
    let info = evidence.auth_info();
    let skip_why = if connected {
        "authentication failed"
    } else {
        "the connection failed"
    };
    security_checks.push(match info {
        Some(info) if info.user.is_some() => checklist::security::least_privilege(
            info.user.as_deref().unwrap_or_default(),
            &info
                .roles
                .iter()
                .map(|r| (r.role.clone(), r.db.clone()))
                .collect::<Vec<_>>(),
            database,
        ),
        Some(_) => checklist::security::check(
            "least-privilege",
            Status::Skip,
            "no user: the server let us in without credentials",
            Some("enable access control on the server and connect as a user with only the roles the app needs"),
            Vec::new(),
        ),
        None => checklist::security::check("least-privilege", Status::Skip, skip_why, None, Vec::new()),
    });
    security_checks.push(checklist::security::password_strength(
        secret.map(crate::model::secret::SecretString::expose),
    ));
    security_checks.push(checklist::security::network_exposure(
        &connectivity.addresses,
    ));

    match &evidence.auth {
        None => {
            for id in ["authentication", "collections", "crud", "database-status"] {
                testing_checks.push(checklist::testing::skipped(id, skip_why));
            }
        }
        Some(outcome) => match &outcome.result {
            Ok(info) => {
                testing_checks.push(checklist::testing::check(
                    "authentication",
                    Status::Pass,
                    crate::diagnose::steps::auth(info),
                    None,
                    Vec::new(),
                ));
                testing_checks.push(match &evidence.data {
                    Some(data) => checklist::testing::collections(data, database, &plan.expected),
                    None => {
                        checklist::testing::skipped("collections", "the data layer did not run")
                    }
                });
                testing_checks.push(match &evidence.crud {
                    Some(crud) => crud.check.clone(),
                    None => checklist::testing::check(
                        "crud",
                        Status::Skip,
                        "not enabled",
                        Some("enable with --crud or crud-check = true (uses a scratch collection that is always dropped)"),
                        Vec::new(),
                    ),
                });
                testing_checks.push(match &evidence.status {
                    Some(status) => checklist::testing::database_status(status),
                    None => checklist::testing::skipped(
                        "database-status",
                        "the status layer did not run",
                    ),
                });
            }
            Err(e) => {
                testing_checks.push(checklist::testing::check(
                    "authentication",
                    Status::Fail,
                    auth::scrub(&e.to_string(), secret),
                    Some("see the diagnosis below"),
                    Vec::new(),
                ));
                for id in ["collections", "crud", "database-status"] {
                    testing_checks.push(checklist::testing::skipped(id, "authentication failed"));
                }
            }
        },
    }
    if let Some(facts) = &evidence.atlas {
        let [access_list, user, cluster] = checklist::atlas::checks(facts);
        security_checks.extend([access_list, user]);
        testing_checks.push(cluster);
    }
    security_checks.extend(testing_checks);
    security_checks
}

/// Gives each item the time of the evidence it rests on (JUnit's `time`): its
/// layers' wall time, the scan's, or zero for an item judged from the settings
/// (credentials-source, tls-verification, password-strength).
pub fn time(checks: &mut [Check], took: &pipeline::Took, statics: &Static) {
    for check in checks {
        check.duration = match check.id {
            "no-committed-credentials" => statics.scan_took,
            "tls-enabled" | "network-exposure" | "connection" => took.connectivity,
            "least-privilege" | "authentication" => took.auth,
            "collections" | "collections-from-code" => took.data,
            "database-status" => took.status,
            "crud" => took.crud,
            id if id.starts_with("atlas-") => took.atlas,
            _ => Duration::ZERO,
        };
    }
}
