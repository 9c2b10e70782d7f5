//! The testing checklist items read off the data and status layers' evidence:
//! collections and database-status. (`connection` and `authentication` are read
//! off the earlier layers; the `crud` round trip lives in `crate::probe::crud`.)

use std::fmt::Write as _;

use crate::diagnose::code;
use crate::model::code::CodeReport;
use crate::model::data;
use crate::model::data_outcome::DataOutcome;
use crate::model::report::{Check, Section};
use crate::model::status;
use crate::model::step::Status;

/// `--from-code`: every collection the code names exists in the database, and
/// every accessor it calls is defined (issue 23's item `collections-from-code`).
pub fn from_code(cr: &CodeReport, data_ran: bool) -> Check {
    const ID: &str = "collections-from-code";
    let evidence: Vec<String> = std::iter::once(code::summary(cr))
        .chain(code::groups(cr).iter().map(code::Group::line))
        .collect();
    if cr.findings.is_none() && !data_ran {
        return check(
            ID,
            Status::Skip,
            "the data layer did not run",
            None,
            evidence,
        );
    }
    match code::failure(cr) {
        Some(diagnosis) => check(
            ID,
            Status::Fail,
            diagnosis.summary.clone(),
            diagnosis.fixes.first().map(String::as_str),
            evidence,
        ),
        None => check(
            ID,
            Status::Pass,
            format!(
                "every collection the code names exists in {}",
                cr.database.as_deref().unwrap_or("the database")
            ),
            None,
            evidence,
        ),
    }
}

/// A testing checklist item.
pub(crate) fn check(
    id: &'static str,
    status: Status,
    summary: impl Into<String>,
    fix: Option<&str>,
    evidence: Vec<String>,
) -> Check {
    Check::new(Section::Testing, id, status, summary, fix, evidence)
}

/// Every dependent item skipped for one reason.
pub fn skipped(id: &'static str, why: &str) -> Check {
    check(id, Status::Skip, why, None, Vec::new())
}

/// Every expected collection exists: the data layer's `listCollections`, read
/// as one checklist item (its steps are the collections command's evidence).
pub fn collections(outcome: &DataOutcome, database: &str, expected: &[String]) -> Check {
    const ID: &str = "collections";
    let names: Vec<&str> = outcome
        .collections
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut evidence = vec![format!(
        "{database}: {}{}",
        crate::words::count(names.len(), "collection"),
        if names.is_empty() {
            String::new()
        } else {
            format!(": {}", names.join(", "))
        }
    )];
    match &outcome.failure {
        None if expected.is_empty() => check(
            ID,
            Status::Pass,
            format!(
                "{} in {database}; none expected (set expected-collections or --expect)",
                crate::words::count(names.len(), "collection")
            ),
            None,
            evidence,
        ),
        None => check(
            ID,
            Status::Pass,
            format!(
                "{} in {database}",
                if expected.len() == 1 {
                    "the expected collection exists".to_string()
                } else {
                    format!("all {} expected collections exist", expected.len())
                }
            ),
            None,
            evidence,
        ),
        Some(data::Failure::Missing { names: missing, .. }) => {
            evidence.push(format!("missing: {}", missing.join(", ")));
            check(
                ID,
                Status::Fail,
                format!(
                    "{} of {} missing in {database}: {}",
                    missing.len(),
                    crate::words::count(expected.len(), "expected collection"),
                    missing.join(", ")
                ),
                Some(&format!(
                    "create them (db.createCollection(\"{}\")) in a migration, or fix the database name (--db) if the app uses another",
                    missing[0]
                )),
                evidence,
            )
        }
        // Not allowed, or the driver failed: the data layer's own words.
        Some(failure) => {
            let diagnosis = crate::diagnose::data_failure(failure);
            check(
                ID,
                Status::Fail,
                diagnosis.summary,
                diagnosis.fixes.first().map(String::as_str),
                diagnosis.evidence,
            )
        }
    }
}

/// `database-status`: `hello` and `dbStats` must respond; `serverStatus` (uptime,
/// connections) and `buildInfo` (version) are reported where the user may run them.
pub fn database_status(status: &status::Evidence) -> Check {
    const ID: &str = "database-status";
    let database = status.database.as_str();
    let mut evidence = Vec::new();
    let mut summary = Vec::new();
    match &status.hello {
        Ok(h) => {
            let role = if h.writable_primary {
                "writable primary"
            } else {
                "not primary"
            };
            let set = h
                .set_name
                .as_ref()
                .map(|s| format!(", replica set {s}"))
                .unwrap_or_default();
            evidence.push(format!("hello: {role}{set}"));
        }
        Err(e) => evidence.push(format!("hello: FAILED: {e}")),
    }
    if let Some(version) = &status.version {
        summary.push(format!("MongoDB {version}"));
        evidence.push(format!("buildInfo: version {version}"));
    }
    match &status.server_status {
        Ok(s) => {
            let mut line = String::from("serverStatus:");
            if let Some(uptime) = s.uptime_secs {
                let _ = write!(line, " uptime {uptime:.0}s");
                summary.push(format!("up {}", human_duration(uptime)));
            }
            if let Some((current, available)) = s.connections {
                let _ = write!(
                    line,
                    ", connections {current:.0} current / {available:.0} available"
                );
                summary.push(format!("{current:.0} connections"));
            }
            evidence.push(line);
        }
        // A refusal (the user lacks clusterMonitor) is the usual reason; any other
        // failure (a reply the driver refused, say) is said as a failure.
        Err(e) if matches!(crate::wording::server_code(e), Some(13 | 8000)) => {
            evidence.push(format!("serverStatus: not available to this user ({e})"));
        }
        Err(e) => evidence.push(format!("serverStatus: FAILED: {e}")),
    }
    match &status.db_stats {
        Ok(s) => {
            evidence.push(format!(
                "dbStats {database}: {:.0} collections, {:.0} objects, {:.0} bytes",
                s.collections, s.objects, s.data_bytes
            ));
        }
        Err(e) => evidence.push(format!("dbStats {database}: FAILED: {e}")),
    }
    match (&status.hello, &status.db_stats) {
        (Ok(_), Ok(_)) => check(
            ID,
            Status::Pass,
            if summary.is_empty() {
                format!("hello and dbStats on {database} respond")
            } else {
                format!(
                    "hello and dbStats on {database} respond; {}",
                    summary.join(", ")
                )
            },
            None,
            evidence,
        ),
        (Ok(_), Err(e)) => check(
            ID,
            Status::Warn,
            format!("hello responds but dbStats on {database} does not: {e}"),
            Some(&format!(
                "grant the user dbStats on {database} (the read role includes it)"
            )),
            evidence,
        ),
        (Err(e), _) => check(
            ID,
            Status::Fail,
            format!("hello does not respond: {e}"),
            Some("check the server's health and log; the handshake worked but commands fail"),
            evidence,
        ),
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped, whole seconds
fn human_duration(secs: f64) -> String {
    let secs = secs.clamp(0.0, 1e12) as u64;
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h {}m", secs / 3600, secs % 3600 / 60),
        _ => format!("{}d {}h", secs / 86_400, secs % 86_400 / 3600),
    }
}
