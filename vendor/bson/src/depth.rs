//! atlas-doctor's patch to bson 2.15.0: a bound on how deeply decoding may nest.
//!
//! Decoding recurses once per nested document or array, so a reply nested a few
//! thousand levels deep (a few KB) overflowed the stack and aborted the process. The
//! bound turns that into an error. It backports the fix upstream merged as RUST-2472
//! (mongodb/bson-rust pull request 694), with the same limit of 200 levels (that of
//! libbson and the server), which no reply of a real server reaches.

use std::cell::Cell;

/// The deepest nesting of documents and arrays that decoding accepts.
pub const MAX_NESTING_DEPTH: usize = 200;

thread_local! {
    // Decoding never awaits, so the levels open on this thread are the ones of the
    // decode in progress.
    static OPEN_LEVELS: Cell<usize> = const { Cell::new(0) };
}

/// One open level of nesting, closed when dropped.
pub(crate) struct DepthGuard(());

impl DepthGuard {
    /// Opens one more level, or says why not when that would exceed the bound.
    pub(crate) fn enter() -> Result<Self, String> {
        OPEN_LEVELS.with(|open| {
            let depth = open.get() + 1;
            if depth > MAX_NESTING_DEPTH {
                Err(format!(
                    "BSON nested deeper than the limit of {MAX_NESTING_DEPTH} levels"
                ))
            } else {
                open.set(depth);
                Ok(DepthGuard(()))
            }
        })
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        OPEN_LEVELS.with(|open| open.set(open.get().saturating_sub(1)));
    }
}
