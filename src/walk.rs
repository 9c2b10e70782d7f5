//! The walk over files we are pointed at (`--scan`, `--from-code`): parallel,
//! honouring `.gitignore` (the `ignore` crate, as ripgrep does), one filesystem
//! unless asked, regular files only, each read through `file::read_capped`,
//! binaries skipped, and an entry cap so `/` or `/proc` ends. Callers get the
//! bytes of each text file; what they look for is theirs.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::{WalkBuilder, WalkState};

use crate::model::walk::Counts;

/// Files larger than this are skipped (generated data, dumps, bundles).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The walk stops after this many entries (files and directories), so a root
/// such as `/` or `/proc` cannot make a CI gate run for ever.
pub const MAX_ENTRIES: usize = 200_000;

/// How a walk goes, beyond its roots.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Cross into other filesystems (`--scan-all-filesystems`).
    pub cross_filesystems: bool,
    /// Stop walking at this instant (files not yet opened are not seen).
    pub deadline: Option<std::time::Instant>,
    /// Hand files holding a NUL byte to the visitor too, instead of skipping
    /// them as binary (the credential scan looks for bytes, not source).
    pub binaries: bool,
}

/// Walks every root in parallel and hands each text file's path and bytes to a
/// visitor; `visitor()` makes one per walking thread, so a visitor may hold
/// state that is not `Sync` (a parser). `.gitignore`, `.ignore` and git's
/// exclude files are honoured even outside a git repository; hidden files
/// (`.env`) are visited, `.git` is not. A file the `wanted` test refuses by its
/// path is counted but never opened.
pub fn walk<M, V>(
    roots: &[PathBuf],
    cross_filesystems: bool,
    wanted: &(dyn Fn(&Path) -> bool + Sync),
    visitor: M,
) -> Counts
where
    M: Fn() -> V + Sync,
    V: FnMut(&Path, &[u8]) + Send,
{
    let options = Options {
        cross_filesystems,
        ..Options::default()
    };
    walk_with(roots, options, wanted, visitor)
}

/// [`walk`] with [`Options`]: a deadline, binaries handed over.
pub fn walk_with<M, V>(
    roots: &[PathBuf],
    options: Options,
    wanted: &(dyn Fn(&Path) -> bool + Sync),
    visitor: M,
) -> Counts
where
    M: Fn() -> V + Sync,
    V: FnMut(&Path, &[u8]) + Send,
{
    let cross_filesystems = options.cross_filesystems;
    let timed_out = std::sync::atomic::AtomicBool::new(false);
    let Some((first, rest)) = roots.split_first() else {
        return Counts::default();
    };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .same_file_system(!cross_filesystems)
        .filter_entry(|entry| entry.file_name() != ".git");

    let entries = AtomicUsize::new(0);
    let files = AtomicUsize::new(0);
    let read = AtomicUsize::new(0);
    let bytes_read = AtomicUsize::new(0);
    let binary = AtomicUsize::new(0);
    let large = AtomicUsize::new(0);
    let unreadable = AtomicUsize::new(0);
    let special = AtomicUsize::new(0);
    builder.build_parallel().run(|| {
        let mut visit = visitor();
        let (entries, files, read, bytes_read, binary, large, unreadable, special) = (
            &entries,
            &files,
            &read,
            &bytes_read,
            &binary,
            &large,
            &unreadable,
            &special,
        );
        let timed_out = &timed_out;
        Box::new(move |entry| {
            if entries.fetch_add(1, Ordering::Relaxed) >= MAX_ENTRIES {
                return WalkState::Quit;
            }
            if options
                .deadline
                .is_some_and(|d| std::time::Instant::now() >= d)
            {
                timed_out.store(true, Ordering::Relaxed);
                return WalkState::Quit;
            }
            let Ok(entry) = entry else {
                unreadable.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            };
            let Some(kind) = entry.file_type() else {
                return WalkState::Continue;
            };
            if kind.is_dir() || kind.is_symlink() {
                return WalkState::Continue;
            }
            let size = entry.metadata().map_or(0, |m| m.len());
            if !kind.is_file() || size == 0 {
                special.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            files.fetch_add(1, Ordering::Relaxed);
            if !wanted(entry.path()) {
                return WalkState::Continue;
            }
            let bytes = match crate::file::read_capped(entry.path(), MAX_FILE_BYTES) {
                Ok(bytes) => bytes,
                Err(crate::file::Error::TooLarge { .. }) => {
                    large.fetch_add(1, Ordering::Relaxed);
                    return WalkState::Continue;
                }
                Err(_) => {
                    unreadable.fetch_add(1, Ordering::Relaxed);
                    return WalkState::Continue;
                }
            };
            if !options.binaries && memchr::memchr(0, &bytes).is_some() {
                binary.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            read.fetch_add(1, Ordering::Relaxed);
            bytes_read.fetch_add(bytes.len(), Ordering::Relaxed);
            visit(entry.path(), &bytes);
            WalkState::Continue
        })
    });
    Counts {
        files: files.into_inner(),
        read: read.into_inner(),
        bytes_read: u64::try_from(bytes_read.into_inner()).unwrap_or(u64::MAX),
        skipped_binary: binary.into_inner(),
        skipped_large: large.into_inner(),
        unreadable: unreadable.into_inner(),
        skipped_special: special.into_inner(),
        truncated: entries.into_inner() > MAX_ENTRIES,
        timed_out: timed_out.into_inner(),
    }
}
