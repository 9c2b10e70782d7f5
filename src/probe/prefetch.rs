//! Reads sent early (issue 10): the later layers' independent commands (the data
//! layer's listings, the status layer's four) go out the moment the driver's client
//! exists, beside the auth layer's `connectionStatus`. Their connections are then
//! established side by side and their answers are waiting when the layers ask,
//! instead of each layer paying its own round trips after the one before.
//!
//! A layer takes the answer to the very command it would send (same database, same
//! document) or, when none was sent early, sends it then: what a layer records does
//! not depend on whether its command went early. Reads nobody claimed (the auth layer
//! failed, a listing stopped early) are cancelled when the `Prefetched` is dropped.
//! Only reads go early: nothing here changes the deployment.

use std::sync::Mutex;

use mongodb::Client;
use mongodb::bson::Document;
use mongodb::error::{Error as DriverError, ErrorKind};
use tokio::task::JoinHandle;

/// One command a later layer will send, as it will send it.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub database: String,
    pub command: Document,
}

impl Read {
    pub fn new(database: &str, command: Document) -> Self {
        Read {
            database: database.to_string(),
            command,
        }
    }
}

type Reply = Result<Document, DriverError>;

/// The reads in flight, each claimed at most once.
#[derive(Debug, Default)]
pub struct Prefetched {
    in_flight: Mutex<Vec<(Read, JoinHandle<Reply>)>>,
}

impl Prefetched {
    /// Sends every read at once on `client`.
    pub fn send(client: &Client, reads: Vec<Read>) -> Self {
        let in_flight = reads
            .into_iter()
            .map(|read| {
                let db = client.database(&read.database);
                let command = read.command.clone();
                let reply = tokio::spawn(async move { db.run_command(command).await });
                (read, reply)
            })
            .collect();
        Prefetched {
            in_flight: Mutex::new(in_flight),
        }
    }

    /// The answer to `command` on `database`: the early one when it was sent early,
    /// else sent now. The caller bounds the wait by its layer's deadline.
    pub async fn run(&self, client: &Client, database: &str, command: Document) -> Reply {
        let early = {
            let mut in_flight = self
                .in_flight
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            in_flight
                .iter()
                .position(|(read, _)| read.database == database && read.command == command)
                .map(|at| in_flight.swap_remove(at).1)
        };
        if let Some(reply) = early {
            match reply.await {
                Ok(reply) => return reply,
                // A panic in the driver is a panic of this layer (the pipeline
                // reports it as atlas-doctor's own failure), not a silent retry.
                Err(joined) if joined.is_panic() => std::panic::resume_unwind(joined.into_panic()),
                // Cancelled (the runtime is shutting down): send it the usual way.
                Err(_) => {}
            }
        }
        client.database(database).run_command(command).await
    }
}

impl Prefetched {
    /// What cleared the driver's pool, when one of the reads saw it: reads
    /// authenticate on connections of their own beside `connectionStatus`'s, and
    /// whichever fails first (a wrong password, a password SASLprep refuses) clears
    /// the pool, so the others get only "pool cleared" with the cause as text. The
    /// reads are spent: this is for a failed auth layer, after which no layer
    /// claims them. Waits for them until `deadline` at most.
    pub async fn cause_of_cleared_pool(
        &self,
        deadline: tokio::time::Instant,
    ) -> Option<DriverError> {
        let in_flight = std::mem::take(
            &mut *self
                .in_flight
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for (_, reply) in in_flight {
            if let Ok(Ok(Err(error))) = tokio::time::timeout_at(deadline, reply).await
                && !matches!(*error.kind, ErrorKind::ConnectionPoolCleared { .. })
            {
                return Some(error);
            }
        }
        None
    }
}

impl Drop for Prefetched {
    fn drop(&mut self) {
        let in_flight = self
            .in_flight
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (_, reply) in in_flight.drain(..) {
            reply.abort();
        }
    }
}
