//! The data layer: with the client the auth layer authenticated, lists the
//! databases the user may see (`listDatabases`, authorized only) and the
//! collections of one database (`listCollections`, document estimates where
//! allowed), and checks the expected collections are there.

use mongodb::Client;
use mongodb::bson::{Document, RawDocument, doc};
use mongodb::error::Error as DriverError;
use mongodb::raw_batch_cursor::RawBatchCursor;
use regex::Regex;
use tokio::time::Instant;

use crate::model::data::{Collection, Failure, Instead, Listed};
use crate::model::data_outcome::DataOutcome;

use super::auth::{code_from_text, scrub, server_error};
use super::prefetch::{Prefetched, Read};
use crate::model::step::{Found, Layer, Status, Step};

/// At most this many collections get a document estimate (one command each).
const MAX_COUNTED: usize = 100;
/// With no database chosen, the collections of at most this many databases
/// are listed (one `listCollections` each, at once); the rest are counted.
pub const MAX_DATABASES_LISTED: usize = 10;
/// Databases the server keeps for itself: not listed when no database was chosen.
const SYSTEM_DATABASES: [&str; 3] = ["admin", "config", "local"];
/// The collections of one database kept for the report (every expected one
/// besides); the others are counted. A listing is read from the server's raw
/// batch, one entry at a time: a reply of 16 MiB holds 400,000 names, which
/// decoded whole took about 200 MB, ten databases at once ten times that.
pub const MAX_COLLECTIONS_KEPT: usize = 1000;
/// With no database chosen, the collections kept in all, shared evenly among the
/// databases listed (500 each of 10).
pub const MAX_COLLECTIONS_KEPT_IN_ALL: usize = 5000;
/// The database names `listDatabases` gave that are kept; the others are counted.
pub const MAX_DATABASES_KEPT: usize = 1000;

/// What to look at.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The database to list; `None` lists databases only.
    pub database: Option<&'a str>,
    /// Collections that must exist in `database` (with none chosen: in one of the
    /// databases the user can see).
    pub expected: &'a [String],
    /// The databases the user's roles name: where expected collections are looked
    /// for when no database is chosen and `listDatabases` is refused.
    pub role_databases: &'a [String],
    /// The layer's one deadline: every listing and estimate ends by then.
    pub deadline: Instant,
    /// The answers to `reads` sent early, beside the auth layer's commands.
    pub prefetched: &'a Prefetched,
}

/// `listCollections`, as the layer sends it for the database asked about.
fn list_collections_command() -> Document {
    doc! { "listCollections": 1 }
}

/// The layer's first commands, which depend on no answer: sent early (see `prefetch`).
pub fn reads(database: Option<&str>) -> Vec<Read> {
    let mut reads = vec![Read::database_names()];
    reads.extend(database.map(|db| Read::cursor(db, list_collections_command())));
    reads
}

/// `listDatabases`, then `listCollections` and the expected-collection checks.
pub async fn collections(client: &Client, req: &Request<'_>) -> DataOutcome {
    let mut out = DataOutcome {
        database: req.database.map(str::to_string),
        ..DataOutcome::default()
    };

    let start = Instant::now();
    // listDatabases, names only, as the user may see them (`authorizedDatabases`).
    let listed = bounded(req.deadline, req.prefetched.database_names(client)).await;
    match listed {
        Ok(mut names) => {
            out.databases_listed = true;
            out.databases_not_kept = names.len().saturating_sub(MAX_DATABASES_KEPT);
            names.truncate(MAX_DATABASES_KEPT);
            out.databases = names;
            out.steps.push(
                Step::found(
                    Layer::Data,
                    "listDatabases",
                    Status::Pass,
                    Found::Data(Listed::Databases {
                        names: out.databases.clone(),
                        not_kept: out.databases_not_kept,
                    }),
                )
                .took(start.elapsed()),
            );
        }
        Err(error) => {
            let failure = error.into_failure("listDatabases", "admin");
            if let (Failure::Unauthorized { .. }, Some(database)) = (&failure, req.database) {
                // Some servers refuse listDatabases to users without a cluster role even
                // with authorizedDatabases; the database asked for still decides.
                out.steps.push(
                    refused(failure, Instead::Database(database.to_string())).took(start.elapsed()),
                );
                list_collections(&mut out, client, req, database).await;
                return out;
            }
            if let (Failure::Unauthorized { .. }, None, false) =
                (&failure, req.database, req.expected.is_empty())
            {
                // Atlas's copy-paste string names no database: look for the
                // expected collections in the databases the user's roles name.
                out.databases = user_databases(req.role_databases.iter());
                out.steps.push(
                    refused(failure, Instead::RoleDatabases(out.databases.clone()))
                        .took(start.elapsed()),
                );
                list_every_database(&mut out, client, req).await;
                find_expected(&mut out, req.expected);
                return out;
            }
            if let (Failure::Unauthorized { .. }, None, true) =
                (&failure, req.database, req.expected.is_empty())
            {
                // Nothing was asked of a database: not being allowed to list them
                // all is a warning that says how to name one, not a failure.
                out.steps
                    .push(refused(failure, Instead::AskForOne).took(start.elapsed()));
                return out;
            }
            out.steps
                .push(Step::failed(Layer::Data, "listDatabases", &failure).took(start.elapsed()));
            out.failure = Some(failure);
            return out;
        }
    }

    let Some(database) = req.database else {
        // Atlas's copy-paste string names no database: show what is in each, and
        // look for the expected collections there.
        list_every_database(&mut out, client, req).await;
        find_expected(&mut out, req.expected);
        return out;
    };

    list_collections(&mut out, client, req, database).await;
    out
}

/// No database chosen: the collections of every database `listDatabases` named
/// (system databases aside, at most `MAX_DATABASES_LISTED`, at once under the
/// layer's deadline). A database the user may not list is a warning, not a failure.
async fn list_every_database(out: &mut DataOutcome, client: &Client, req: &Request<'_>) {
    let user_databases = user_databases(out.databases.iter());
    out.databases_not_listed = user_databases.len().saturating_sub(MAX_DATABASES_LISTED);
    let start = Instant::now();
    let mut listings = tokio::task::JoinSet::new();
    let listed = user_databases.len().min(MAX_DATABASES_LISTED);
    // Each database the same share of what is kept in all.
    let keep = MAX_COLLECTIONS_KEPT.min(MAX_COLLECTIONS_KEPT_IN_ALL / listed.max(1));
    for (index, name) in user_databases.into_iter().take(listed).enumerate() {
        let db = client.database(&name);
        let deadline = req.deadline;
        let expected = req.expected.to_vec();
        listings.spawn(async move {
            let listed = bounded(
                deadline,
                read_listing(
                    db.run_cursor_command(
                        doc! { "listCollections": 1, "nameOnly": true, "authorizedCollections": true },
                    )
                    .batch(),
                    keep,
                    &expected,
                ),
            )
            .await;
            (index, name, listed)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = listings.join_next().await {
        results.push(joined.unwrap_or_else(|e| crate::panic::rethrow(e)));
    }
    results.sort_by_key(|(index, _, _)| *index);
    for (_, name, listed) in results {
        match listed {
            Ok(listing) => {
                out.collections_not_kept += listing.not_kept;
                out.every_database.push((name, listing.collections));
            }
            Err(error) => {
                let failure = error.into_failure("listCollections", &name);
                // A database the user may not list is a warning; a server whose
                // answer could not be read (a reply over the size a server may
                // send, say) fails the layer.
                let status = if matches!(failure, Failure::Unauthorized { .. }) {
                    Status::Warn
                } else {
                    Status::Fail
                };
                let step = if status == Status::Fail {
                    Step::failed(Layer::Data, format!("listCollections {name}"), &failure)
                } else {
                    Step::new(
                        Layer::Data,
                        format!("listCollections {name}"),
                        status,
                        String::new(),
                    )
                    .met(&failure)
                };
                out.steps.push(step.took(start.elapsed()));
                if status == Status::Fail && out.failure.is_none() {
                    out.failure = Some(failure);
                }
            }
        }
    }
    let shown: usize = out.every_database.iter().map(|(_, c)| c.len()).sum();
    let unreadable = listed - out.every_database.len();
    // "0 collections in 0 databases" is no pass when there were databases to list
    // and none could be: the summary warns, beside each listing's own step.
    let status = if unreadable > 0 && out.every_database.is_empty() {
        Status::Warn
    } else {
        Status::Pass
    };
    out.steps.push(
        Step::found(
            Layer::Data,
            "listCollections",
            status,
            Found::Data(Listed::EveryDatabase {
                collections: shown,
                databases: out.every_database.len(),
                not_listed: out.databases_not_listed,
                unreadable,
                not_kept: out.collections_not_kept,
                kept_each: keep,
                kept_in_all: MAX_COLLECTIONS_KEPT_IN_ALL,
            }),
        )
        .took(start.elapsed()),
    );
}

/// `listDatabases` refused, and how the layer went on: a warning.
fn refused(failure: Failure, then: Instead) -> Step {
    Step::found(
        Layer::Data,
        "listDatabases",
        Status::Warn,
        Found::Data(Listed::DatabasesRefused { failure, then }),
    )
}

/// The databases of `names` that are not the server's own, each once, in order.
fn user_databases<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if !SYSTEM_DATABASES.contains(&name.as_str()) && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// No database chosen: each expected collection passes naming the databases it
/// was found in, or fails naming where it was looked for.
fn find_expected(out: &mut DataOutcome, expected: &[String]) {
    let looked_in: Vec<String> = out
        .every_database
        .iter()
        .map(|(db, _)| db.clone())
        .collect();
    let mut missing = Vec::new();
    for name in expected {
        let found: Vec<&str> = out
            .every_database
            .iter()
            .filter(|(_, collections)| collections.iter().any(|c| &c.name == name))
            .map(|(db, _)| db.as_str())
            .collect();
        if found.is_empty() {
            out.steps.push(Step::found(
                Layer::Data,
                format!("expect {name}"),
                Status::Fail,
                Found::Data(Listed::InNone {
                    name: name.clone(),
                    looked_in: looked_in.clone(),
                }),
            ));
            missing.push(name.clone());
        } else {
            out.steps.push(Step::found(
                Layer::Data,
                format!("expect {name}"),
                Status::Pass,
                Found::Data(Listed::PresentIn(
                    found.iter().map(ToString::to_string).collect(),
                )),
            ));
        }
    }
    if !missing.is_empty() {
        out.failure = Some(Failure::NotFound {
            names: missing,
            looked_in,
        });
    }
}

/// One collection of a `listCollections` reply (no estimate yet).
fn collection_from(spec: &RawDocument) -> Option<Collection> {
    Some(Collection {
        name: spec.get_str("name").ok()?.to_string(),
        kind: spec.get_str("type").unwrap_or("collection").to_string(),
        documents: None,
    })
}

/// What a listing kept: the first collections of the server's first batch,
/// sorted by name, every expected one among them; the others counted.
#[derive(Debug, Default)]
struct Listing {
    collections: Vec<Collection>,
    not_kept: usize,
}

/// The first batch of a `listCollections` cursor (what the layer always read: a
/// server sends every collection in it, up to a reply's size), read entry by
/// entry from the raw reply: at most `keep` collections are kept besides the
/// expected ones, the others counted. The cursor is dropped after (the driver
/// closes it on the server if it was not exhausted).
async fn read_listing(
    cursor: impl std::future::IntoFuture<Output = Result<RawBatchCursor, DriverError>>,
    keep: usize,
    expected: &[String],
) -> Result<Listing, DriverError> {
    let mut cursor = cursor.await?;
    let first = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut cursor), cx)
    })
    .await;
    let mut listing = Listing::default();
    let Some(batch) = first.transpose().map_err(super::driver::cut)? else {
        return Ok(listing);
    };
    let entries = batch.doc_slices().map_err(super::driver::cut)?;
    let mut kept = 0;
    // An entry that is not a document, or one the raw reader cannot read, ends
    // nothing: it is skipped, as a decoded reply's would be.
    for spec in entries.into_iter().filter_map(Result::ok) {
        let Some(spec) = spec.as_document() else {
            continue;
        };
        let expected_one = spec
            .get_str("name")
            .is_ok_and(|name| expected.iter().any(|e| e == name));
        if kept < keep || expected_one {
            if let Some(collection) = collection_from(spec) {
                kept += usize::from(!expected_one);
                listing.collections.push(collection);
            }
        } else {
            listing.not_kept += 1;
        }
    }
    listing.collections.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listing)
}

/// `listCollections` on `database`, estimates, and the expected-collection checks.
async fn list_collections(
    out: &mut DataOutcome,
    client: &Client,
    req: &Request<'_>,
    database: &str,
) {
    let start = Instant::now();
    let db = client.database(database);
    let listed = bounded(
        req.deadline,
        read_listing(
            req.prefetched
                .cursor(client, database, list_collections_command()),
            MAX_COLLECTIONS_KEPT,
            req.expected,
        ),
    )
    .await;
    let listing = match listed {
        Ok(listing) => listing,
        Err(error) => {
            let failure = error.into_failure("listCollections", database);
            out.steps.push(
                Step::failed(Layer::Data, format!("listCollections {database}"), &failure)
                    .took(start.elapsed()),
            );
            out.failure = Some(failure);
            return;
        }
    };
    let mut collections = listing.collections;
    out.collections_not_kept = listing.not_kept;
    // The estimates run at once under the layer's deadline: one slow or silent
    // count must not cost a deadline per collection.
    let mut counts = tokio::task::JoinSet::new();
    for (index, collection) in collections
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == "collection" && !c.name.starts_with("system."))
        .take(MAX_COUNTED)
    {
        let handle = db.collection::<Document>(&collection.name);
        let deadline = req.deadline;
        counts.spawn(async move {
            let count = bounded(deadline, handle.estimated_document_count()).await;
            (index, count.ok())
        });
    }
    while let Some(joined) = counts.join_next().await {
        let (index, documents) = joined.unwrap_or_else(|e| crate::panic::rethrow(e));
        collections[index].documents = documents;
    }
    out.database_unlisted =
        out.databases_listed && database != "admin" && !out.databases.iter().any(|d| d == database);
    out.steps.push(
        Step::found(
            Layer::Data,
            format!("listCollections {database}"),
            Status::Pass,
            Found::Data(Listed::Collections {
                count: collections.len(),
                unlisted: out.database_unlisted,
                not_kept: listing.not_kept,
                kept: MAX_COLLECTIONS_KEPT,
            }),
        )
        .took(start.elapsed()),
    );

    let mut missing = Vec::new();
    for name in req.expected {
        if collections.iter().any(|c| &c.name == name) {
            out.steps.push(Step::found(
                Layer::Data,
                format!("expect {database}.{name}"),
                Status::Pass,
                Found::Data(Listed::Present),
            ));
        } else {
            out.steps.push(Step::found(
                Layer::Data,
                format!("expect {database}.{name}"),
                Status::Fail,
                Found::Data(Listed::Missing {
                    name: name.clone(),
                    database: database.to_string(),
                }),
            ));
            missing.push(name.clone());
        }
    }
    if !missing.is_empty() {
        out.failure = Some(Failure::Missing {
            database: database.to_string(),
            names: missing,
            present: collections.iter().map(|c| c.name.clone()).collect(),
        });
    }
    out.collections = collections;
}

/// A driver command's error, or no answer before the layer's deadline.
enum Unanswered {
    Driver(DriverError),
    Silent,
}

impl Unanswered {
    fn into_failure(self, command: &str, database: &str) -> Failure {
        match self {
            Unanswered::Driver(error) => classify(&error, command, database),
            Unanswered::Silent => Failure::Silent {
                command: command.to_string(),
            },
        }
    }
}

/// A driver future, bounded by the layer's deadline.
async fn bounded<T>(
    deadline: Instant,
    fut: impl std::future::IntoFuture<Output = Result<T, DriverError>>,
) -> Result<T, Unanswered> {
    match tokio::time::timeout_at(deadline, fut.into_future()).await {
        Ok(result) => result.map_err(|e| Unanswered::Driver(super::driver::cut(e))),
        Err(_) => Err(Unanswered::Silent),
    }
}

/// A data-layer driver error: code 13 and kin are `Unauthorized`, naming the
/// action and namespace the server's message gives (else the command and database).
fn classify(error: &DriverError, command: &str, database: &str) -> Failure {
    let server = server_error(error);
    let message = scrub(
        &server.as_ref().map_or_else(
            || error.kind.to_string(),
            |(code, name, message)| format!("{message} (code {code} {name})"),
        ),
        None,
    );
    let code = server
        .as_ref()
        .map(|(code, _, _)| *code)
        .or_else(|| code_from_text(&message));
    if matches!(code, Some(13 | 8000)) || crate::wording::is_action_refusal(&message) {
        let (action, namespace) = action_and_namespace(&message);
        let namespace = namespace.unwrap_or_else(|| database.to_string());
        let database = namespace
            .split_once('.')
            .map_or(namespace.as_str(), |(db, _)| db)
            .to_string();
        return Failure::Unauthorized {
            action: action.unwrap_or_else(|| command.to_string()),
            namespace,
            database,
            message,
        };
    }
    Failure::Driver {
        command: command.to_string(),
        message,
    }
}

/// The action and namespace of a permission error, from the server's words:
/// Atlas `user is not allowed to do action [find] on [app.users]`, mongod
/// `not authorized on app to execute command { find: ... }`, SecantusDB
/// `not authorized on probe to execute command (action: insert)`.
pub fn action_and_namespace(message: &str) -> (Option<String>, Option<String>) {
    static ATLAS: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"not allowed to do action \[([^\]]+)\] on \[([^\]]+)\]").expect("valid regex")
    });
    static MONGOD: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"not authorized on (\S+) to execute command(?: \(action: (\w+)\)| \{ ?(\w+))?")
            .expect("valid regex")
    });
    if let Some(c) = ATLAS.captures(message) {
        return (Some(c[1].to_string()), Some(c[2].to_string()));
    }
    if let Some(c) = MONGOD.captures(message) {
        let action = c
            .get(2)
            .or_else(|| c.get(3))
            .map(|m| m.as_str().to_string());
        return (action, Some(c[1].to_string()));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_messages_name_action_and_namespace() {
        let cases = [
            (
                "user is not allowed to do action [find] on [app.users]",
                (Some("find"), Some("app.users")),
            ),
            (
                "not authorized on probe to execute command (action: insert)",
                (Some("insert"), Some("probe")),
            ),
            (
                "not authorized on app to execute command { listCollections: 1, $db: \"app\" }",
                (Some("listCollections"), Some("app")),
            ),
            ("something else", (None, None)),
        ];
        for (text, (action, ns)) in cases {
            let (a, n) = action_and_namespace(text);
            assert_eq!((a.as_deref(), n.as_deref()), (action, ns), "{text}");
        }
    }
}
