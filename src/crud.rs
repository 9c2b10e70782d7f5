//! The `crud` testing item: insert, find, update and delete one document in a
//! scratch collection `atlas_doctor_probe_<random>`, then drop that collection on
//! every path: success, a failed step, the deadline, and Ctrl-C (SIGINT). It
//! never touches any other collection.

use std::future::Future;
use std::time::{Duration, Instant};

use mongodb::Client;
use mongodb::bson::{Document, doc};

use crate::probe::Status;
use crate::report::{Check, Section};

/// The prefix of every scratch collection.
pub const PREFIX: &str = "atlas_doctor_probe_";

/// A test hook: pause this many milliseconds after the insert, so an
/// integration test can interrupt the round trip while the collection exists.
pub const PAUSE_ENV: &str = "ATLAS_DOCTOR_TEST_CRUD_PAUSE_MS";

/// How the round trip ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub check: Check,
    /// Ctrl-C arrived: the caller exits with `exit::INTERRUPTED` after reporting.
    pub interrupted: bool,
}

/// A collection name no one else uses: time and process id, in hex.
pub fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // The low 64 bits of the time are the part that varies.
    #[allow(clippy::cast_possible_truncation)]
    let mixed = (nanos as u64) ^ (u64::from(std::process::id()) << 40);
    format!("{PREFIX}{mixed:016x}")
}

enum End {
    Done(Vec<String>),
    Failed(String),
    TimedOut,
    Interrupted,
}

/// Ctrl-C (SIGINT), listened for from `install` on. Installed eagerly: the
/// handler is in place before the scratch collection exists, and one listener
/// serves every later step, since once installed it replaces the default
/// (a Ctrl-C nobody awaits would be swallowed).
pub struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupt {
    pub fn install() -> std::io::Result<Self> {
        Ok(Interrupt {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?,
        })
    }

    /// Resolves on the next Ctrl-C.
    pub async fn next(&mut self) {
        #[cfg(unix)]
        {
            self.signal.recv().await;
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

impl Outcome {
    /// The crud item when the Ctrl-C handler its cleanup needs cannot be installed.
    pub fn no_handler(error: &std::io::Error) -> Self {
        Outcome {
            check: Check::new(
                Section::Testing,
                "crud",
                Status::Fail,
                format!("cannot install the Ctrl-C handler the cleanup needs: {error}"),
                None,
                Vec::new(),
            ),
            interrupted: false,
        }
    }
}

/// Runs the round trip in `database`; every step has `deadline`, and the
/// drop runs whatever happened. Driver text goes through `scrub` (the run's
/// redaction: connection strings and the password in any form).
pub async fn round_trip(
    client: &Client,
    database: &str,
    deadline: Duration,
    interrupted: impl Future<Output = ()>,
    scrub: &(dyn Fn(&str) -> String + Sync),
) -> Outcome {
    let name = scratch_name();
    let collection = client.database(database).collection::<Document>(&name);
    let pause = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis);

    let work = async {
        let mut evidence = Vec::new();
        let step = |what: &'static str, started: Instant| {
            format!(
                "{what}: ok ({:.1} ms)",
                started.elapsed().as_secs_f64() * 1000.0
            )
        };
        let t = Instant::now();
        let id = mongodb::bson::oid::ObjectId::new();
        timed(
            deadline,
            "insert",
            collection.insert_one(doc! {"_id": id, "probe": "atlas-doctor", "n": 1}),
        )
        .await?;
        evidence.push(step("insert", t));
        if let Some(pause) = pause {
            tokio::time::sleep(pause).await;
        }
        let t = Instant::now();
        let found = timed(deadline, "find", collection.find_one(doc! {"_id": id})).await?;
        if found.is_none() {
            return Err("find: the inserted document was not found".to_string());
        }
        evidence.push(step("find", t));
        let t = Instant::now();
        let updated = timed(
            deadline,
            "update",
            collection.update_one(doc! {"_id": id}, doc! {"$set": {"n": 2}}),
        )
        .await?;
        if updated.modified_count != 1 {
            return Err(format!(
                "update: modified {} documents, expected 1",
                updated.modified_count
            ));
        }
        evidence.push(step("update", t));
        let t = Instant::now();
        let deleted = timed(deadline, "delete", collection.delete_one(doc! {"_id": id})).await?;
        if deleted.deleted_count != 1 {
            return Err(format!(
                "delete: deleted {} documents, expected 1",
                deleted.deleted_count
            ));
        }
        evidence.push(step("delete", t));
        Ok(evidence)
    };
    // A whole-run bound too, in case a step's deadline is somehow not honoured.
    let end = tokio::select! {
        result = tokio::time::timeout(deadline * 5, work) => match result {
            Ok(Ok(evidence)) => End::Done(evidence),
            Ok(Err(message)) => End::Failed(message),
            Err(_) => End::TimedOut,
        },
        () = interrupted => End::Interrupted,
    };

    // Cleanup on every path. A second drop covers an insert still in flight when
    // the first drop ran (Ctrl-C or the deadline cut the step short).
    let drop_result = drop_scratch(client, database, &name, deadline).await;
    let mut evidence = vec![format!("scratch collection {database}.{name}")];
    let drop_line = match &drop_result {
        Ok(()) => format!("drop {name}: ok"),
        Err(e) => format!("drop {name}: FAILED: {}", scrub(e)),
    };
    let (status, summary, fix, interrupted) = match end {
        End::Done(lines) => {
            evidence.extend(lines);
            if drop_result.is_ok() {
                (
                    Status::Pass,
                    format!("insert, find, update, delete and drop worked in {database}"),
                    None,
                    false,
                )
            } else {
                (
                    Status::Fail,
                    "the round trip worked but the scratch collection could not be dropped".to_string(),
                    Some(format!("drop {database}.{name} by hand; grant dropCollection on {database}")),
                    false,
                )
            }
        }
        End::Failed(message) => (
            Status::Fail,
            scrub(&message),
            Some(format!(
                "grant the user readWrite on {database} (or check the server's log for the failed operation)"
            )),
            false,
        ),
        End::TimedOut => (
            Status::Fail,
            format!("the round trip did not finish within {}s", (deadline * 5).as_secs_f64()),
            Some("check the server's load and the network; raise --timeout if the server is just slow".to_string()),
            false,
        ),
        End::Interrupted => (
            Status::Skip,
            "interrupted by Ctrl-C; the scratch collection was dropped".to_string(),
            None,
            true,
        ),
    };
    evidence.push(drop_line);
    Outcome {
        check: Check {
            section: Section::Testing,
            id: "crud",
            status,
            summary,
            fix,
            evidence,
        },
        interrupted,
    }
}

async fn timed<T>(
    deadline: Duration,
    what: &str,
    op: impl std::future::IntoFuture<Output = mongodb::error::Result<T>>,
) -> Result<T, String> {
    match tokio::time::timeout(deadline, op.into_future()).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("{what} failed: {}", driver_text(&e))),
        Err(_) => Err(format!(
            "{what}: no answer within {}s",
            deadline.as_secs_f64()
        )),
    }
}

/// The driver error in one line: its kind (for a server error, `Error code N (Name): message`),
/// without the raw reply document the full `Display` appends.
pub fn driver_text(error: &mongodb::error::Error) -> String {
    let text = error.kind.to_string();
    text.lines().next().unwrap_or_default().to_string()
}

/// Drops exactly the scratch collection (by its full name), then makes sure it is gone.
async fn drop_scratch(
    client: &Client,
    database: &str,
    name: &str,
    deadline: Duration,
) -> Result<(), String> {
    debug_assert!(name.starts_with(PREFIX));
    let collection = client.database(database).collection::<Document>(name);
    for _ in 0..3 {
        match tokio::time::timeout(deadline, collection.drop()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(driver_text(&e)),
            Err(_) => return Err(format!("no answer within {}s", deadline.as_secs_f64())),
        }
        let listed = tokio::time::timeout(
            deadline,
            client
                .database(database)
                .list_collection_names()
                .filter(doc! {"name": name}),
        )
        .await;
        match listed {
            Ok(Ok(names)) if names.is_empty() => return Ok(()),
            Ok(Ok(_)) => {}
            // Dropped, but not allowed or able to list: trust the drop.
            Ok(Err(_)) | Err(_) => return Ok(()),
        }
    }
    Err("the collection still exists after three drops".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_names_carry_the_prefix_and_differ() {
        let a = scratch_name();
        std::thread::sleep(Duration::from_millis(1));
        let b = scratch_name();
        assert!(a.starts_with(PREFIX) && b.starts_with(PREFIX));
        assert_ne!(a, b);
    }
}
