//! What a walk over files (`--scan`, `--from-code`) saw, besides what its
//! visitors found: files met, read and skipped, and whether it was cut short.

/// What a walk saw, besides what its visitors found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Regular, non-empty files met (read or not).
    pub files: usize,
    /// Text files handed to the visitor, and their bytes.
    pub read: usize,
    pub bytes_read: u64,
    pub skipped_binary: usize,
    pub skipped_large: usize,
    pub unreadable: usize,
    /// FIFOs, sockets, devices and empty files (a pseudo filesystem's files
    /// report a size of 0): never opened.
    pub skipped_special: usize,
    /// The walk stopped at `MAX_ENTRIES`: files past it were not seen.
    pub truncated: bool,
    /// The walk stopped at its deadline: files past it were not seen.
    pub timed_out: bool,
}
