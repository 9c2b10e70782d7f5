//! The status layer (checklist's database-status): `hello`, `dbStats`,
//! `buildInfo` and `serverStatus` through the authenticated client, at once and
//! under one deadline. Records what the server answered; the checklist words it.

use mongodb::Client;
use mongodb::bson::{Bson, Document, doc};
use tokio::time::Instant;

use super::prefetch::{Prefetched, Read};
use crate::model::status::{DbStats, Evidence, Hello, ServerStatus};

/// The four commands, in the order `run` reads their answers: none depends on
/// another, so all are sent early (see `prefetch`).
pub fn reads(database: &str) -> Vec<Read> {
    vec![
        Read::new("admin", doc! {"hello": 1}),
        Read::new(database, doc! {"dbStats": 1}),
        Read::new("admin", doc! {"buildInfo": 1}),
        Read::new(
            "admin",
            doc! {"serverStatus": 1, "repl": 0, "metrics": 0, "locks": 0, "wiredTiger": 0},
        ),
    ]
}

/// Runs the four commands concurrently (or takes their early answers); each ends
/// at `deadline` at the latest.
pub async fn run(
    client: &Client,
    database: &str,
    prefetched: &Prefetched,
    deadline: Instant,
    scrub: &(dyn Fn(&str) -> String + Sync),
) -> Evidence {
    let [hello, stats, build, status] =
        <[Read; 4]>::try_from(reads(database)).expect("status::reads lists four commands");
    let (hello, stats, build, status) = tokio::join!(
        command(client, prefetched, hello, deadline),
        command(client, prefetched, stats, deadline),
        command(client, prefetched, build, deadline),
        command(client, prefetched, status, deadline),
    );

    Evidence {
        database: database.to_string(),
        hello: hello
            .map(|h| Hello {
                writable_primary: h.get_bool("isWritablePrimary").unwrap_or(false),
                set_name: h.get_str("setName").ok().map(str::to_string),
            })
            .map_err(|e| scrub(&e)),
        db_stats: stats
            .map(|s| DbStats {
                collections: number(&s, "collections").unwrap_or(0.0),
                objects: number(&s, "objects").unwrap_or(0.0),
                data_bytes: number(&s, "dataSize").unwrap_or(0.0),
            })
            .map_err(|e| scrub(&e)),
        version: build
            .ok()
            .and_then(|b| b.get_str("version").ok().map(str::to_string)),
        server_status: status
            .map(|s| ServerStatus {
                uptime_secs: number(&s, "uptime"),
                connections: s.get_document("connections").ok().map(|c| {
                    (
                        number(c, "current").unwrap_or(0.0),
                        number(c, "available").unwrap_or(0.0),
                    )
                }),
            })
            .map_err(|e| scrub(&e)),
    }
}

async fn command(
    client: &Client,
    prefetched: &Prefetched,
    read: Read,
    deadline: Instant,
) -> Result<Document, String> {
    let reply = prefetched.run(client, &read.database, read.command);
    match tokio::time::timeout_at(deadline, reply).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(e)) => Err(crate::probe::crud::driver_text(&e)),
        Err(_) => Err("no answer within the deadline".to_string()),
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
