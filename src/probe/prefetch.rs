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
use mongodb::raw_batch_cursor::RawBatchCursor;
use tokio::task::JoinHandle;

use super::driver::cut;

/// One command a later layer will send, as it will send it.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub database: String,
    pub command: Document,
    /// How its answer is read.
    pub kind: Kind,
}

/// How a read's answer is read. A reply decoded whole into a `Document` costs
/// many times its size when it holds many small entries (a hostile server's
/// 16 MiB `listDatabases` of 500,000 names took 700 MB): the listings are read
/// another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A command whose reply is decoded whole (a few KB from a server).
    Command,
    /// A cursor command (`listCollections`): the server's raw first batch.
    Cursor,
    /// `listDatabases` with names only: the names, read one entry at a time by
    /// the driver's own `listDatabases`.
    DatabaseNames,
}

impl Read {
    pub fn new(database: &str, command: Document) -> Self {
        Read {
            database: database.to_string(),
            command,
            kind: Kind::Command,
        }
    }

    /// A cursor command, answered as a [`RawBatchCursor`].
    pub fn cursor(database: &str, command: Document) -> Self {
        Read {
            kind: Kind::Cursor,
            ..Read::new(database, command)
        }
    }

    /// `listDatabases` (`nameOnly`, `authorizedDatabases`), answered as names.
    pub fn database_names() -> Self {
        Read {
            kind: Kind::DatabaseNames,
            ..Read::new("admin", database_names_command())
        }
    }
}

/// The command [`Read::database_names`] stands for, as the driver sends it.
fn database_names_command() -> Document {
    mongodb::bson::doc! { "listDatabases": 1, "nameOnly": true, "authorizedDatabases": true }
}

type Reply = Result<Document, DriverError>;
type Batch = Result<RawBatchCursor, DriverError>;
type Names = Result<Vec<String>, DriverError>;

/// A read in flight: a command's decoded reply, a cursor's raw first batch, or
/// database names.
enum Early {
    Command(JoinHandle<Reply>),
    Cursor(JoinHandle<Batch>),
    Names(JoinHandle<Names>),
}

impl std::fmt::Debug for Early {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Early::Command(_) => "Early::Command",
            Early::Cursor(_) => "Early::Cursor",
            Early::Names(_) => "Early::Names",
        })
    }
}

impl Early {
    fn abort(&self) {
        match self {
            Early::Command(reply) => reply.abort(),
            Early::Cursor(reply) => reply.abort(),
            Early::Names(reply) => reply.abort(),
        }
    }
}

/// The database names the user may see, as the driver reads them: one entry
/// of the raw reply at a time, never the whole reply as a `Document`.
async fn database_names(client: &Client) -> Names {
    client
        .list_database_names()
        .authorized_databases(true)
        .await
        .map_err(cut)
}

/// The reads in flight, each claimed at most once.
#[derive(Debug, Default)]
pub struct Prefetched {
    in_flight: Mutex<Vec<(Read, Early)>>,
}

/// A spawned read's answer: a panic in the driver is a panic of the layer that
/// claims it (the pipeline reports it as atlas-doctor's own failure), not a
/// silent retry; `None` when it was cancelled (the runtime is shutting down).
async fn joined<T>(reply: JoinHandle<T>) -> Option<T> {
    match reply.await {
        Ok(reply) => Some(reply),
        Err(joined) if joined.is_panic() => std::panic::resume_unwind(joined.into_panic()),
        Err(_) => None,
    }
}

impl Prefetched {
    /// Sends every read at once on `client`.
    pub fn send(client: &Client, reads: Vec<Read>) -> Self {
        let in_flight = reads
            .into_iter()
            .map(|read| {
                let db = client.database(&read.database);
                let command = read.command.clone();
                let early = match read.kind {
                    Kind::Cursor => Early::Cursor(tokio::spawn(async move {
                        db.run_cursor_command(command).batch().await.map_err(cut)
                    })),
                    Kind::Command => Early::Command(tokio::spawn(async move {
                        db.run_command(command).await.map_err(cut)
                    })),
                    Kind::DatabaseNames => {
                        let client = client.clone();
                        Early::Names(tokio::spawn(async move { database_names(&client).await }))
                    }
                };
                (read, early)
            })
            .collect();
        Prefetched {
            in_flight: Mutex::new(in_flight),
        }
    }

    /// The early read of `command` on `database`, when one was sent.
    fn claim(&self, database: &str, command: &Document, kind: Kind) -> Option<Early> {
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        in_flight
            .iter()
            .position(|(read, _)| {
                read.database == database && &read.command == command && read.kind == kind
            })
            .map(|at| in_flight.swap_remove(at).1)
    }

    /// The database names the user may see ([`Read::database_names`]): the early
    /// answer when it was sent early, else sent now.
    pub async fn database_names(&self, client: &Client) -> Names {
        if let Some(Early::Names(reply)) =
            self.claim("admin", &database_names_command(), Kind::DatabaseNames)
            && let Some(reply) = joined(reply).await
        {
            return reply;
        }
        database_names(client).await
    }

    /// The answer to `command` on `database`: the early one when it was sent early,
    /// else sent now. The caller bounds the wait by its layer's deadline.
    pub async fn run(&self, client: &Client, database: &str, command: Document) -> Reply {
        if let Some(Early::Command(reply)) = self.claim(database, &command, Kind::Command)
            && let Some(reply) = joined(reply).await
        {
            return reply;
        }
        client
            .database(database)
            .run_command(command)
            .await
            .map_err(cut)
    }

    /// The cursor `command` on `database` opened, its first batch raw as the
    /// server sent it (at most a reply's size, never decoded whole): the early
    /// one when it was sent early, else sent now.
    pub async fn cursor(&self, client: &Client, database: &str, command: Document) -> Batch {
        if let Some(Early::Cursor(reply)) = self.claim(database, &command, Kind::Cursor)
            && let Some(reply) = joined(reply).await
        {
            return reply;
        }
        client
            .database(database)
            .run_cursor_command(command)
            .batch()
            .await
            .map_err(cut)
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
        for (_, early) in in_flight {
            let error = match early {
                Early::Command(reply) => match tokio::time::timeout_at(deadline, reply).await {
                    Ok(Ok(Err(error))) => error,
                    _ => continue,
                },
                Early::Cursor(reply) => match tokio::time::timeout_at(deadline, reply).await {
                    Ok(Ok(Err(error))) => error,
                    _ => continue,
                },
                Early::Names(reply) => match tokio::time::timeout_at(deadline, reply).await {
                    Ok(Ok(Err(error))) => error,
                    _ => continue,
                },
            };
            if !matches!(*error.kind, ErrorKind::ConnectionPoolCleared { .. }) {
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
        for (_, early) in in_flight.drain(..) {
            early.abort();
        }
    }
}
