//! The testing checklist items that talk to the deployment through the
//! authenticated driver client: collections and database-status. (`connection`
//! and `authentication` are read off the layers; `crud` lives in `crate::crud`.)

use std::fmt::Write as _;
use std::time::Duration;

use mongodb::Client;
use mongodb::bson::{Bson, Document, doc};

use crate::probe::{Status, data};
use crate::report::{Check, Section};

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
pub async fn collections(
    client: &Client,
    database: &str,
    expected: &[String],
    deadline: Duration,
) -> Check {
    const ID: &str = "collections";
    let request = data::Request {
        database: Some(database),
        expected,
        timeout: deadline,
    };
    let outcome = data::collections(client, &request).await;
    let names: Vec<&str> = outcome
        .collections
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut evidence = vec![format!(
        "{database}: {} collection(s){}",
        names.len(),
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
                "{} collection(s) in {database}; none expected (set expected-collections or --expect)",
                names.len()
            ),
            None,
            evidence,
        ),
        None => check(
            ID,
            Status::Pass,
            format!(
                "all {} expected collection(s) exist in {database}",
                expected.len()
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
                    "{} of {} expected collection(s) missing in {database}: {}",
                    missing.len(),
                    expected.len(),
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

async fn command(
    client: &Client,
    database: &str,
    command: Document,
    deadline: Duration,
) -> Result<Document, String> {
    match tokio::time::timeout(deadline, client.database(database).run_command(command)).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(e)) => Err(crate::crud::driver_text(&e)),
        Err(_) => Err(format!("no answer within {}s", deadline.as_secs_f64())),
    }
}

fn number(doc: &Document, key: &str) -> Option<f64> {
    match doc.get(key)? {
        Bson::Int32(n) => Some(f64::from(*n)),
        #[allow(clippy::cast_precision_loss)] // counts and bytes far below 2^52
        Bson::Int64(n) => Some(*n as f64),
        Bson::Double(n) => Some(*n),
        _ => None,
    }
}

/// `database-status`: `hello` and `dbStats` must respond; `serverStatus` (uptime,
/// connections) and `buildInfo` (version) are reported where the user may run them.
pub async fn database_status(
    client: &Client,
    database: &str,
    deadline: Duration,
    scrub: &dyn Fn(&str) -> String,
) -> Check {
    const ID: &str = "database-status";
    let mut evidence = Vec::new();
    let hello = command(client, "admin", doc! {"hello": 1}, deadline).await;
    let stats = command(client, database, doc! {"dbStats": 1}, deadline).await;
    let build = command(client, "admin", doc! {"buildInfo": 1}, deadline).await;
    let status = command(
        client,
        "admin",
        doc! {"serverStatus": 1, "repl": 0, "metrics": 0, "locks": 0, "wiredTiger": 0},
        deadline,
    )
    .await;

    let mut summary = Vec::new();
    match &hello {
        Ok(h) => {
            let role = if h.get_bool("isWritablePrimary").unwrap_or(false) {
                "writable primary"
            } else {
                "not primary"
            };
            let set = h
                .get_str("setName")
                .map(|s| format!(", replica set {s}"))
                .unwrap_or_default();
            evidence.push(format!("hello: {role}{set}"));
        }
        Err(e) => evidence.push(format!("hello: FAILED: {}", scrub(e))),
    }
    if let Ok(b) = &build
        && let Ok(version) = b.get_str("version")
    {
        summary.push(format!("MongoDB {version}"));
        evidence.push(format!("buildInfo: version {version}"));
    }
    match &status {
        Ok(s) => {
            let mut line = String::from("serverStatus:");
            if let Some(uptime) = number(s, "uptime") {
                let _ = write!(line, " uptime {uptime:.0}s");
                summary.push(format!("up {}", human_duration(uptime)));
            }
            if let Ok(c) = s.get_document("connections") {
                let current = number(c, "current").unwrap_or(0.0);
                let available = number(c, "available").unwrap_or(0.0);
                let _ = write!(
                    line,
                    ", connections {current:.0} current / {available:.0} available"
                );
                summary.push(format!("{current:.0} connections"));
            }
            evidence.push(line);
        }
        Err(e) => evidence.push(format!(
            "serverStatus: not available to this user ({})",
            scrub(e)
        )),
    }
    match &stats {
        Ok(s) => {
            let collections = number(s, "collections").unwrap_or(0.0);
            let objects = number(s, "objects").unwrap_or(0.0);
            let data = number(s, "dataSize").unwrap_or(0.0);
            evidence.push(format!(
                "dbStats {database}: {collections:.0} collections, {objects:.0} objects, {data:.0} bytes"
            ));
        }
        Err(e) => evidence.push(format!("dbStats {database}: FAILED: {}", scrub(e))),
    }
    match (&hello, &stats) {
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
            format!(
                "hello responds but dbStats on {database} does not: {}",
                scrub(e)
            ),
            Some(&format!(
                "grant the user dbStats on {database} (the read role includes it)"
            )),
            evidence,
        ),
        (Err(e), _) => check(
            ID,
            Status::Fail,
            format!("hello does not respond: {}", scrub(e)),
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
