//! What the credential scan (`checklist --scan`) saw: files read and skipped,
//! and each connection string with a password, already redacted.

use std::path::PathBuf;

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
    pub files: usize,
    pub skipped_binary: usize,
    pub skipped_large: usize,
    pub unreadable: usize,
    /// FIFOs, sockets, devices and empty files (a pseudo filesystem's files
    /// report a size of 0): never opened.
    pub skipped_special: usize,
    /// The walk stopped at `MAX_ENTRIES`: files past it were not scanned.
    pub truncated: bool,
    /// Wall time of the walk.
    pub elapsed: std::time::Duration,
    /// Sorted by path, then line.
    pub hits: Vec<Hit>,
}
