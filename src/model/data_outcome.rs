//! The data layer's result: its steps and what it listed. (Apart from
//! `model::data`, whose failure a step holds: `model::step` imports that.)

use super::data::{Collection, Failure};
use super::step::Step;

/// The data layer's result.
#[derive(Debug, Clone, Default)]
pub struct DataOutcome {
    pub steps: Vec<Step>,
    /// Whether `listDatabases` answered (some servers refuse it without a cluster role).
    pub databases_listed: bool,
    pub databases: Vec<String>,
    /// The database listed, if one.
    pub database: Option<String>,
    /// `listDatabases` answered without naming `database` (it does not exist
    /// yet, or holds nothing): the `listCollections` step says so beside its count.
    pub database_unlisted: bool,
    pub collections: Vec<Collection>,
    /// No database chosen: the collections of each database the user may see
    /// (system databases aside), at most `MAX_DATABASES_LISTED` of them.
    pub every_database: Vec<(String, Vec<Collection>)>,
    /// Databases beyond `MAX_DATABASES_LISTED`, not listed.
    pub databases_not_listed: usize,
    /// Database names `listDatabases` gave beyond `MAX_DATABASES_KEPT`.
    pub databases_not_kept: usize,
    /// Collections listed but not kept (beyond `MAX_COLLECTIONS_KEPT` in a
    /// database, `MAX_COLLECTIONS_KEPT_IN_ALL` in all): counted only.
    pub collections_not_kept: usize,
    pub failure: Option<Failure>,
}
