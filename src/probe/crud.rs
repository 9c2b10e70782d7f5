//! The `crud` testing item: insert, find, update and delete one document in a
//! scratch collection `atlas_doctor_probe_<random>`, then drop that collection on
//! every path: success, a failed step, the deadline, and a stop signal (SIGINT,
//! SIGTERM, SIGHUP). A write in flight is left to settle before the drop, so it
//! cannot land after it; the drop has its own deadline, and when it could not be
//! done or confirmed the item says so. It never touches any other collection.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mongodb::Client;
use mongodb::bson::{Document, doc};

use crate::model::report::{Check, Section};
use crate::model::secs::Secs;
use crate::model::step::Status;

/// The prefix of every scratch collection.
pub const PREFIX: &str = "atlas_doctor_probe_";

/// A test hook: pause this many milliseconds after the insert, so an
/// integration test can interrupt the round trip while the collection exists.
/// Read only by debug builds (the tests'); a release build never looks.
pub const PAUSE_ENV: &str = "ATLAS_DOCTOR_TEST_CRUD_PAUSE_MS";

/// The least time the cleanup gets (settling a write in flight, then the drop),
/// whatever `--timeout`: a tiny per-layer deadline must not leave data behind.
pub const CLEANUP_MIN: Duration = Duration::from_secs(3);

/// How the round trip ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub check: Check,
    /// A stop signal arrived: the caller exits with its code after reporting.
    pub interrupted: Option<crate::model::signal::Signal>,
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
    Interrupted(crate::model::signal::Signal),
}

impl Outcome {
    /// The crud item when the signal handlers its cleanup needs cannot be installed.
    pub fn no_handler(error: &std::io::Error) -> Self {
        Outcome {
            check: Check::new(
                Section::Testing,
                "crud",
                Status::Fail,
                format!("cannot install the stop-signal handlers the cleanup needs: {error}"),
                None,
                Vec::new(),
            ),
            interrupted: None,
        }
    }
}

/// A driver operation cut off by its deadline but still in flight: kept, so the
/// cleanup can wait for it to settle before dropping.
type InFlight<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Why the steps stopped early.
enum Halt {
    Failed(String),
    Stopped,
}

/// Runs the round trip in `database`; every step has `deadline`, and the
/// drop runs whatever happened. Driver text goes through `scrub` (the run's
/// redaction: connection strings and the password in any form).
pub async fn round_trip(
    client: &Client,
    database: &str,
    deadline: Duration,
    interrupted: impl Future<Output = crate::model::signal::Signal>,
    scrub: &(dyn Fn(&str) -> String + Sync),
) -> Outcome {
    let name = scratch_name();
    let collection = client.database(database).collection::<Document>(&name);
    let pause = cfg!(debug_assertions)
        .then(|| std::env::var(PAUSE_ENV).ok())
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis);
    // Set by a signal: the steps stop before the next one, never in the middle
    // of one (a write cut off on our side may still land on the server's).
    let stop = AtomicBool::new(false);
    let in_flight: Mutex<Vec<InFlight<'_>>> = Mutex::new(Vec::new());

    let work = async {
        let mut evidence = Vec::new();
        let took = |what: &'static str, took: Duration| {
            format!("{what}: ok ({:.1} ms)", took.as_secs_f64() * 1000.0)
        };
        let step = |what: &'static str, started: Instant| took(what, started.elapsed());
        let halt_if_stopped = || {
            if stop.load(Ordering::Relaxed) {
                Err(Halt::Stopped)
            } else {
                Ok(())
            }
        };
        let t = Instant::now();
        let id = mongodb::bson::oid::ObjectId::new();
        timed(
            deadline,
            "insert",
            collection.insert_one(doc! {"_id": id, "probe": "atlas-doctor", "n": 1}),
            &in_flight,
        )
        .await?;
        evidence.push(step("insert", t));
        halt_if_stopped()?;
        if let Some(pause) = pause {
            let until = Instant::now() + pause;
            while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        halt_if_stopped()?;
        // find and update depend on the insert, not on each other (find looks
        // the document up, whichever n it holds): one round trip, not two.
        let t = Instant::now();
        let (found, updated) = tokio::join!(
            async {
                let found = timed(
                    deadline,
                    "find",
                    collection.find_one(doc! {"_id": id}),
                    &in_flight,
                )
                .await;
                (found, t.elapsed())
            },
            async {
                let updated = timed(
                    deadline,
                    "update",
                    collection.update_one(doc! {"_id": id}, doc! {"$set": {"n": 2}}),
                    &in_flight,
                )
                .await;
                (updated, t.elapsed())
            },
        );
        let ((found, find_took), (updated, update_took)) = (found, updated);
        if found?.is_none() {
            return Err(Halt::Failed(
                "find: the inserted document was not found".to_string(),
            ));
        }
        evidence.push(took("find", find_took));
        let updated = updated?;
        if updated.modified_count != 1 {
            return Err(Halt::Failed(format!(
                "update: modified {} documents, expected 1",
                updated.modified_count
            )));
        }
        evidence.push(took("update", update_took));
        halt_if_stopped()?;
        let t = Instant::now();
        let deleted = timed(
            deadline,
            "delete",
            collection.delete_one(doc! {"_id": id}),
            &in_flight,
        )
        .await?;
        if deleted.deleted_count != 1 {
            return Err(Halt::Failed(format!(
                "delete: deleted {} documents, expected 1",
                deleted.deleted_count
            )));
        }
        evidence.push(step("delete", t));
        Ok(evidence)
    };
    let mut work = std::pin::pin!(work);
    let cleanup_deadline = deadline.max(CLEANUP_MIN);
    // Each step is bounded by `deadline`; the whole by a few more, in case a
    // deadline is somehow not honoured.
    let end = tokio::select! {
        result = tokio::time::timeout(deadline * 5, &mut work) => match result {
            Ok(Ok(evidence)) => End::Done(evidence),
            Ok(Err(Halt::Failed(message))) => End::Failed(message),
            // Only a signal sets `stop`, and that branch is below.
            Ok(Err(Halt::Stopped)) => {
                End::Interrupted(crate::stop::received().unwrap_or(crate::model::signal::Signal::Int))
            }
            Err(_) => End::TimedOut,
        },
        signal = interrupted => {
            // Let the step in flight finish (it has its own deadline), then stop.
            stop.store(true, Ordering::Relaxed);
            let _ = tokio::time::timeout(deadline + cleanup_deadline, &mut work).await;
            End::Interrupted(signal)
        }
    };

    // Cleanup on every path: first let a write the deadline cut off settle (its
    // reply means the server is done with it), then drop, both within the
    // cleanup's own deadline.
    let cleanup_start = Instant::now();
    let pending = in_flight
        .lock()
        .map(|mut slots| std::mem::take(&mut *slots))
        .unwrap_or_default();
    let settle_by = tokio::time::Instant::now() + cleanup_deadline;
    let mut unsettled = false;
    for pending in pending {
        unsettled |= tokio::time::timeout_at(settle_by, pending).await.is_err();
    }
    let left = cleanup_deadline.saturating_sub(cleanup_start.elapsed());
    let drop_result = drop_scratch(client, database, &name, left.max(deadline)).await;
    let mut evidence = vec![format!("scratch collection {database}.{name}")];
    let drop_line = match (&drop_result, unsettled) {
        (Ok(Cleaned::Dropped), false) => format!("drop {name}: ok"),
        // The drop's own error is kept: a refusal (a read-only user) and a reply the
        // driver could not read (nested too deep, say) read differently.
        (Ok(Cleaned::NeverCreated(refused)), false) => format!(
            "drop {name}: not needed, the collection was never created (the drop failed: {})",
            scrub(refused)
        ),
        (Ok(_), true) => format!(
            "drop {name}: done, but a write was still unanswered after {} and may land later: check for {database}.{name}",
            Secs(cleanup_deadline)
        ),
        (Err(e), _) => format!(
            "drop {name}: FAILED: {}; drop {database}.{name} by hand",
            scrub(e)
        ),
    };
    let clean = drop_result.is_ok() && !unsettled;
    let (status, summary, fix, interrupted) = match end {
        End::Done(lines) => {
            evidence.extend(lines);
            if clean {
                (
                    Status::Pass,
                    format!("insert, find, update, delete and drop worked in {database}"),
                    None,
                    None,
                )
            } else {
                (
                    Status::Fail,
                    "the round trip worked but the scratch collection could not be dropped".to_string(),
                    Some(format!("drop {database}.{name} by hand; grant dropCollection on {database}")),
                    None,
                )
            }
        }
        End::Failed(message) => (
            Status::Fail,
            scrub(&message),
            Some(format!(
                "grant the user readWrite on {database} (or check the server's log for the failed operation)"
            )),
            None,
        ),
        End::TimedOut => (
            Status::Fail,
            format!("the round trip did not finish within {}", Secs(deadline * 5)),
            Some("check the server's load and the network; raise --timeout if the server is just slow".to_string()),
            None,
        ),
        End::Interrupted(signal) => (
            Status::Skip,
            if clean {
                format!("interrupted by {}; the scratch collection was dropped", signal.name())
            } else {
                format!("interrupted by {}; the scratch collection may be left: {database}.{name}", signal.name())
            },
            None,
            Some(signal),
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
            // The checklist times it with the layer (`commands::checklist::time`).
            duration: std::time::Duration::ZERO,
        },
        interrupted,
    }
}

/// One step within `deadline`. When the deadline cuts it off, the operation is
/// not abandoned but parked in `in_flight`, for the cleanup to let it settle.
async fn timed<'a, T: 'a>(
    deadline: Duration,
    what: &str,
    op: impl IntoFuture<Output = mongodb::error::Result<T>, IntoFuture: Send + 'a>,
    in_flight: &Mutex<Vec<InFlight<'a>>>,
) -> Result<T, Halt> {
    let mut op = Box::pin(op.into_future());
    match tokio::time::timeout(deadline, &mut op).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(Halt::Failed(format!(
            "{what} failed: {}",
            driver_text(&super::driver::cut(e))
        ))),
        Err(_) => {
            if let Ok(mut slots) = in_flight.lock() {
                slots.push(Box::pin(async move {
                    let _ = op.await;
                }));
            }
            Err(Halt::Failed(format!(
                "{what}: no answer within {}",
                Secs(deadline)
            )))
        }
    }
}

/// The driver error in one line: its kind (for a server error, `Error code N (Name): message`),
/// without the raw reply document the full `Display` appends.
pub fn driver_text(error: &mongodb::error::Error) -> String {
    let text = error.kind.to_string();
    text.lines().next().unwrap_or_default().to_string()
}

/// What the cleanup found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cleaned {
    /// The scratch collection was dropped.
    Dropped,
    /// The drop was refused or failed (the driver's words), but the collection
    /// does not exist: the first write never created it (a read-only user), so
    /// nothing is left.
    NeverCreated(String),
}

/// Drops exactly the scratch collection (by its full name), then makes sure it is
/// gone. A drop that fails is checked against the listing: a collection the
/// round trip never created is not left behind, and needs no drop by hand.
async fn drop_scratch(
    client: &Client,
    database: &str,
    name: &str,
    deadline: Duration,
) -> Result<Cleaned, String> {
    debug_assert!(name.starts_with(PREFIX));
    let collection = client.database(database).collection::<Document>(name);
    let exists = || async {
        tokio::time::timeout(
            deadline,
            client
                .database(database)
                .list_collection_names()
                .filter(doc! {"name": name}),
        )
        .await
        .ok()
        .and_then(Result::ok)
        .map(|names| !names.is_empty())
    };
    for _ in 0..3 {
        match tokio::time::timeout(deadline, collection.drop()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let e = super::driver::cut(e);
                return match exists().await {
                    Some(false) => Ok(Cleaned::NeverCreated(driver_text(&e))),
                    _ => Err(driver_text(&e)),
                };
            }
            Err(_) => return Err(format!("no answer within {}", Secs(deadline))),
        }
        match exists().await {
            Some(false) => return Ok(Cleaned::Dropped),
            Some(true) => {}
            // Dropped, but not allowed or able to list: trust the drop.
            None => return Ok(Cleaned::Dropped),
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
