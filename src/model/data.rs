//! The data layer's facts: the collections seen, or why the layer failed.

/// One collection (or view) of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub name: String,
    /// `collection`, `view` or `timeseries`.
    pub kind: String,
    /// `estimatedDocumentCount`, when allowed.
    pub documents: Option<u64>,
}

/// Why the data layer failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Authenticated, but not allowed (code 13 and kin).
    #[error("not allowed to {action} on {namespace}: {message}")]
    Unauthorized {
        action: String,
        namespace: String,
        /// The database whose `read` role would grant it.
        database: String,
        message: String,
    },
    /// Expected collections that are not in the database.
    #[error("missing in {database}: {}", .names.join(", "))]
    Missing {
        database: String,
        names: Vec<String>,
        present: Vec<String>,
    },
    /// No database chosen: expected collections found in none of the databases
    /// looked in (`looked_in` empty when the user could see none).
    #[error("{} in none of the databases looked in ({})", .names.join(", "), looked_in_words(.looked_in))]
    NotFound {
        names: Vec<String>,
        looked_in: Vec<String>,
    },
    /// Any other driver error.
    #[error("{command} failed: {message}")]
    Driver { command: String, message: String },
    /// The server answered the handshake but not this command before the layer's deadline.
    #[error("no answer to {command} within the data layer's deadline")]
    Silent { command: String },
}

/// The databases looked in, as words: "app, probe", or "none could be seen".
pub fn looked_in_words(looked_in: &[String]) -> String {
    if looked_in.is_empty() {
        "the user could see none".to_string()
    } else {
        looked_in.join(", ")
    }
}

/// What a data step found, typed (worded by `diagnose::steps`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// `listDatabases` answered: the names kept, and how many more were not.
    Databases { names: Vec<String>, not_kept: usize },
    /// `listDatabases` was refused (`failure`), and the layer went on without it.
    DatabasesRefused { failure: Failure, then: Instead },
    /// `listCollections` of the database asked for.
    Collections {
        count: usize,
        /// `listDatabases` answered without naming the database.
        unlisted: bool,
        /// Collections beyond the `kept` shown.
        not_kept: usize,
        kept: usize,
    },
    /// No database chosen: the collections of each database the user may see.
    EveryDatabase {
        collections: usize,
        databases: usize,
        /// Databases beyond those listed.
        not_listed: usize,
        /// Databases whose collections could not be listed (each has a step of its own).
        unreadable: usize,
        /// Collections listed but not kept: at most `kept_each` a database,
        /// `kept_in_all` in all.
        not_kept: usize,
        kept_each: usize,
        kept_in_all: usize,
    },
    /// An expected collection in the database asked for.
    Present,
    /// An expected collection missing from the database asked for.
    Missing { name: String, database: String },
    /// No database chosen: an expected collection, in these databases.
    PresentIn(Vec<String>),
    /// No database chosen: an expected collection in none of those looked in.
    InNone {
        name: String,
        looked_in: Vec<String>,
    },
}

/// How the data layer went on when `listDatabases` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instead {
    /// With the database asked for.
    Database(String),
    /// Looking in the databases the user's roles name.
    RoleDatabases(Vec<String>),
    /// Nothing asked of a database: how to name one.
    AskForOne,
}
