//! What the credential scan (`checklist --scan`) saw: files read and skipped,
//! and each connection string with a password, already redacted.

use std::path::PathBuf;

use crate::model::walk::Counts;

/// The most hits kept for one file: a generated file dense with connection
/// strings names itself in a few, the rest are counted.
pub const MAX_HITS_PER_FILE: usize = 20;
/// The most hits kept in all; the rest are counted (the report says how many).
pub const MAX_HITS: usize = 1000;
/// The scan's own deadline, whatever `--timeout`: a tree too large to read in
/// this time is reported as cut short, not read for minutes.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// One connection string with a password, found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// The connection string with its password replaced by `****`.
    pub redacted: String,
}

/// What a scan saw.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub roots: Vec<PathBuf>,
    /// Files met, read and skipped, and whether the walk was cut short (at
    /// `walk::MAX_ENTRIES` or at [`DEADLINE`]); UTF-16 files count as read.
    pub counts: Counts,
    /// Hits found but not kept (past [`MAX_HITS_PER_FILE`] or [`MAX_HITS`]).
    pub hits_omitted: usize,
    /// Wall time of the walk.
    pub elapsed: std::time::Duration,
    /// Sorted by path, then line.
    pub hits: Vec<Hit>,
}
