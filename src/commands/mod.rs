//! Each command's plan for the one pipeline, and the pipeline's evidence folded
//! into a `Report`: steps, typed facts and the failure that decides the run.
//! The glue between `pipeline`, `diagnose`, `checklist` and the report; nothing
//! here probes or prints.

mod checklist;

use crate::cli::Command;
use crate::config::Settings;
use crate::diagnose;
use crate::model::class::Class;
use crate::model::report::{Fact, Report};
use crate::model::step::{Layer, Status, Step};
use crate::pipeline::{self, Depth, Evidence, Plan};
use crate::probe;
use crate::uri;

/// Runs one probing command (everything but `explain`).
pub async fn run(command: &Command, settings: &Settings) -> anyhow::Result<Report> {
    let mut report = Report::new(
        command.name(),
        match &settings.target.parsed {
            Ok(cs) => cs.redacted(),
            Err(_) => uri::redact_refused(settings.target.uri.expose()),
        },
        settings.target.source.label(),
    );
    let plan = match command {
        Command::Ping(args) => Plan {
            ping_count: args.count.unwrap_or(0),
            ..Plan::to(Depth::Hello)
        },
        Command::AuthCheck => Plan::to(Depth::Auth),
        Command::Collections(args) => Plan {
            database: args.db.clone(),
            expected: pipeline::expected_collections(&settings.expected_collections, &args.expect),
            ..Plan::to(Depth::Data)
        },
        Command::Checklist(args) => checklist::plan(settings, args),
        Command::Explain(_) | Command::Completions(_) | Command::Man | Command::Watch(_) => {
            unreachable!("explain, completions and man run offline, watch on its own loop")
        }
    };

    // The pipeline runs as its own task, so a probe that panics is caught here
    // and reported as atlas-doctor's own failure, never lost.
    let task = {
        let (settings, plan) = (settings.clone(), plan.clone());
        tokio::spawn(async move { pipeline::run(&settings, &plan).await })
    };
    // The code is read on a blocking thread while the layers probe.
    let from_code = match command {
        Command::Collections(args) => args.from_code.clone(),
        Command::Checklist(args) => args.from_code.clone(),
        _ => Vec::new(),
    };
    let code_task = (!from_code.is_empty())
        .then(|| tokio::task::spawn_blocking(move || crate::code::read(&from_code, false)));
    let (evidence, statics) = match command {
        Command::Checklist(args) => {
            let (evidence, statics) = tokio::join!(task, checklist::static_checks(settings, args));
            (evidence, Some(statics))
        }
        _ => (task.await, None),
    };
    let evidence = match evidence {
        Ok(evidence) => evidence,
        Err(error) => {
            let diagnosis = diagnose::failure(&probe::lost_task(&error));
            report.steps.push(Step::new(
                Layer::Uri,
                "pipeline",
                Status::Fail,
                diagnosis.evidence.join("; "),
            ));
            report.fail(diagnosis);
            return Ok(report);
        }
    };

    fold(
        &mut report,
        &evidence,
        !matches!(command, Command::Checklist(_)),
    );
    // Nothing named a target: a connection failure is first of all that.
    if settings.target.source == crate::config::Source::Default
        && matches!(
            report.class,
            Class::Dns | Class::TcpRefused | Class::NetworkTimeout
        )
        && let Some(d) = report.diagnosis.take()
    {
        report.diagnosis = Some(diagnose::default_target(d, &report.target_uri));
    }
    // The scan's hits for SARIF, also when the connection string did not parse.
    if let Some(checklist::Static { scan: Ok(scan), .. }) = &statics {
        report.scan = Some(scan.clone());
    }
    let code = match code_task {
        Some(task) => match task.await {
            Ok(code) => Some(code_report(code, &evidence)),
            Err(error) => {
                report.fail(diagnose::failure(&probe::lost_task(&error)));
                None
            }
        },
        None => None,
    };
    if let (Some(cr), Command::Collections(_)) = (&code, command) {
        apply_code(&mut report, cr);
    }
    if let (Command::Checklist(args), Some(statics), Ok(cs)) = (command, &statics, &evidence.uri) {
        let mut checks = checklist::checks(
            settings,
            cs,
            &evidence,
            statics,
            &plan,
            report.diagnosis.as_ref(),
        );
        if let Some(cr) = &code {
            checks.push(crate::checklist::testing::from_code(
                cr,
                evidence.data.is_some(),
            ));
        }
        checklist::time(&mut checks, &evidence.took, statics);
        report.checks.extend(checks);
        diagnose::judge_checklist(&mut report, args.fail_on == crate::cli::FailOn::Warn);
    }
    if let Some(what) = statics.as_ref().and_then(|s| s.lost.as_deref()) {
        diagnose::lost(&mut report, what);
    }
    report.interrupted = evidence.interrupted;
    report.code = code;
    Ok(report)
}

/// The code's facts beside the database's collections, when the data layer listed them.
fn code_report(
    code: crate::model::code::Code,
    evidence: &Evidence,
) -> crate::model::code::CodeReport {
    let listed = evidence.data.as_ref().and_then(|data| {
        let database = data.database.clone()?;
        // A missing expected collection still lists the others; any other failure lists nothing.
        let usable = data
            .failure
            .as_ref()
            .is_none_or(|f| matches!(f, crate::model::data::Failure::Missing { .. }));
        usable.then(|| {
            let names: Vec<String> = data.collections.iter().map(|c| c.name.clone()).collect();
            (database, names)
        })
    });
    match listed {
        Some((database, names)) => crate::model::code::CodeReport {
            findings: Some(crate::code::compare(&code, &names)),
            database: Some(database),
            code,
        },
        None => crate::model::code::CodeReport {
            code,
            database: None,
            findings: None,
        },
    }
}

/// `collections --from-code`: a step saying what the code holds, a step per
/// group of findings (failing, skipped or informative), and the diagnosis. When the
/// layers failed before listing the database, only what the code holds is said.
fn apply_code(report: &mut Report, cr: &crate::model::code::CodeReport) {
    report.steps.push(
        Step::new(
            Layer::Data,
            "collections from code",
            Status::Pass,
            diagnose::code::summary(cr),
        )
        // The walk and the parse (JUnit's time, the step list's); the groups below
        // are read off the same work.
        .took(cr.code.elapsed),
    );
    for group in diagnose::code::groups(cr) {
        report.steps.push(Step::new(
            Layer::Data,
            group.title,
            group.status,
            group.entries.join(", "),
        ));
    }
    if report.class == crate::model::class::Class::Ok
        && let Some(diagnosis) = diagnose::code::failure(cr)
    {
        report.fail(diagnosis);
    }
}

/// Folds the evidence into the report, layer by layer. The checklist reads the
/// data layer as its `collections` item instead of a step of its own.
fn fold(report: &mut Report, evidence: &Evidence, with_data: bool) {
    report.steps.extend(evidence.uri_steps.iter().cloned());
    let cs = match &evidence.uri {
        Ok(cs) => cs,
        Err(error) => {
            report.fail(diagnose::uri_error(error));
            return;
        }
    };
    report.target_uri = cs.redacted();
    if let Some(connectivity) = &evidence.connectivity {
        apply_connectivity(report, connectivity.clone());
    }
    if let Some(auth) = &evidence.auth {
        apply_auth(report, auth);
    }
    if with_data && let Some(data) = &evidence.data {
        apply_data(report, data.clone());
    }
    if let Some(facts) = &evidence.atlas {
        let auth_db = evidence
            .auth
            .as_ref()
            .and_then(|a| a.result.as_ref().err())
            .and_then(|f| match f {
                crate::model::auth::Failure::Rejected { auth_db, .. } => Some(auth_db.as_str()),
                _ => None,
            });
        apply_atlas(report, facts.clone(), auth_db);
    }
}

/// Folds the Atlas API's facts into the report: its steps, the data-plane diagnosis
/// sharpened by them, and a warning when the data plane worked from an address the
/// access list does not cover (the route to 27017 is not the one checked).
pub fn apply_atlas(
    report: &mut Report,
    facts: crate::model::atlas_facts::Facts,
    auth_db: Option<&str>,
) {
    report.steps.extend(facts.steps.iter().cloned());
    if let Some(diagnosis) = report.diagnosis.take() {
        report.fail(diagnose::with_atlas(diagnosis, &facts, auth_db));
    } else if report.class == crate::model::class::Class::Ok
        && let Some(list) = facts
            .access_list
            .as_ref()
            .filter(|l| l.covered_by.is_none())
    {
        report.warnings.push(format!(
            "the connection worked although {} is not on the IP access list: traffic to the cluster leaves through another route (VPN, peering, private endpoint, proxy) than the one checked",
            list.egress_ip
        ));
    }
    report.atlas = Some(facts);
}

/// Folds the auth layer into the report; true when authenticated (or let in).
pub fn apply_auth(report: &mut Report, outcome: &probe::auth::AuthOutcome) -> bool {
    report.steps.extend(outcome.steps.iter().cloned());
    match &outcome.result {
        Ok(info) => {
            report.auth = Some(crate::model::report::AuthSummary {
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
                // The auth step's line says the mechanism and roles.
                Some(user) => report.facts.push(Fact::said_by_step(format!(
                    "authenticated as {user}@{} ({})",
                    info.db.as_deref().unwrap_or("?"),
                    diagnose::steps::auth(info)
                ))),
                None => report.facts.push(Fact::new(
                    "no credentials; the server does not require authentication",
                )),
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
pub fn apply_data(report: &mut Report, data: crate::model::data_outcome::DataOutcome) {
    report.steps.extend(data.steps);
    if let Some(database) = &data.database
        && data
            .failure
            .as_ref()
            .is_none_or(|f| matches!(f, crate::model::data::Failure::Missing { .. }))
    {
        let visible = if data.databases_listed {
            format!(
                "; {} visible",
                crate::words::count(data.databases.len(), "database")
            )
        } else {
            String::new()
        };
        let fact = format!(
            "{} in {database}{visible}",
            crate::words::count(data.collections.len(), "collection")
        );
        // The `listCollections` step says the count; alone, unless the
        // database is not listed (then its line is about that).
        report.facts.push(if data.database_unlisted {
            Fact::new(fact)
        } else {
            Fact::said_by_step(fact)
        });
    }
    let rows = |collections: Vec<crate::model::data::Collection>| {
        collections
            .into_iter()
            .map(|c| crate::model::report::CollectionRow {
                name: c.name,
                kind: c.kind,
                documents: c.documents,
            })
            .collect::<Vec<_>>()
    };
    report.data = Some(crate::model::report::DataSummary {
        databases: data.databases,
        database: data.database,
        collections: rows(data.collections),
        every_database: data
            .every_database
            .into_iter()
            .map(|(database, collections)| (database, rows(collections)))
            .collect(),
        databases_not_listed: data.databases_not_listed,
        databases_not_kept: data.databases_not_kept,
        collections_not_kept: data.collections_not_kept,
    });
    if let Some(failure) = &data.failure {
        report.fail(diagnose::data_failure(failure));
    }
}

/// Folds the connectivity layers into the report: steps, facts, warnings, failure.
pub fn apply_connectivity(report: &mut Report, connectivity: probe::Connectivity) {
    report.deployment = connectivity.deployment();
    report.tls = connectivity.tls_evidence();
    report.rtt = connectivity.rtt;
    if let Some(host) = connectivity.speaker() {
        let version = host
            .hello
            .version
            .as_deref()
            .unwrap_or("(version not reported)");
        report.facts.push(Fact::new(format!(
            "MongoDB {version} at {}, {} ({} of {} hosts answered)",
            host.address,
            host.hello.role(),
            connectivity.healthy.len(),
            connectivity.hosts.len()
        )));
    }
    // Only while another host works is a host's failure a warning; when none
    // works, the other hosts' failures are the failure itself (their steps show
    // them), not warnings repeating its sentence.
    let answered: Vec<String> = connectivity
        .healthy
        .iter()
        .map(|h| h.address.clone())
        .collect();
    let mut degraded = Vec::new();
    if !connectivity.healthy.is_empty() {
        for failure in &connectivity.host_failures {
            if let Some(host) = failure.host() {
                degraded.push(host.to_string());
            }
            let d = diagnose::failure(failure);
            let host = failure.host().unwrap_or("deployment");
            report.warnings.push(if d.subject.as_deref() == Some(host) {
                d.summary
            } else {
                format!("{host}: {}", d.summary)
            });
        }
    }
    if let Some(failure) = &connectivity.failure {
        report.fail(diagnose::private_route(
            diagnose::failure(failure),
            &connectivity.private_hosts,
        ));
    }
    report.steps.extend(diagnose::judge_steps(
        connectivity.steps,
        &answered,
        &degraded,
    ));
}

#[cfg(test)]
mod r19_tests {
    use clap::Parser as _;

    use crate::cli::{Cli, Command};
    use crate::config::{self, UriOrigin};
    use crate::environment::Environment;

    /// No variables, no config file, no directories: the flags alone.
    struct Bare;

    impl Environment for Bare {
        fn var_os(&self, _: &str) -> Option<std::ffi::OsString> {
            None
        }
        fn current_dir(&self) -> Option<std::path::PathBuf> {
            None
        }
        fn user_config_dir(&self) -> Option<std::path::PathBuf> {
            None
        }
        fn atlas_cli_config(&self) -> Option<std::path::PathBuf> {
            None
        }
    }

    /// Issue 19 item 4: the driver parsed the connection string four times per
    /// run (config, the report's target, the uri layer, the auth layer's
    /// client). It is parsed once, in config; the settings carry both readings.
    /// (A closed loopback port: the run stops at tcp, with the driver's early
    /// start already building its client.)
    #[tokio::test]
    async fn r19_the_uri_is_parsed_once_per_run() {
        let port = {
            let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
            listener.local_addr().unwrap().port()
        };
        let uri = format!("mongodb://app:pw@127.0.0.1:{port}/?directConnection=true");
        let cli = Cli::try_parse_from(["atlas-doctor", "--uri", &uri, "auth-check"]).unwrap();
        let before = crate::uri::driver_parses();
        let settings = config::resolve(&cli.global, UriOrigin::Flag, &Bare).unwrap();
        let report = super::run(&Command::AuthCheck, &settings).await.unwrap();
        assert_eq!(report.class.as_str(), "tcp_refused", "{report:?}");
        assert_eq!(crate::uri::driver_parses() - before, 1);
    }

    /// Issue 19 item 4: the database drivers and mongosh use when the string
    /// names none was written as "test" in four places; `uri::DEFAULT_DATABASE`
    /// is its one home, and the checklist's plan falls back to it.
    #[test]
    fn r19_the_default_database_is_test() {
        assert_eq!(crate::uri::DEFAULT_DATABASE, "test");
        let cli =
            Cli::try_parse_from(["atlas-doctor", "--uri", "mongodb://h/", "checklist"]).unwrap();
        let Command::Checklist(args) = &cli.command else {
            panic!("checklist")
        };
        let settings = config::resolve(&cli.global, UriOrigin::Flag, &Bare).unwrap();
        let plan = super::checklist::plan(&settings, args);
        assert_eq!(plan.default_database, Some("test"));
    }
}
