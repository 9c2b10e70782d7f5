//! `--from-code PATH`: the collections an application's source uses. Walks the
//! tree as `--scan` does (`walk`), skips cheaply the files that never mention
//! MongoDB or a collection (one byte search, before any parse), parses the rest
//! with tree-sitter grammars (one file per language here), and returns typed
//! facts: references, names built at run time, collection accessors called and
//! defined. `compare` sets them against the database's collections.
//!
//! Only syntax is read: a comment, a docstring, or a string that is not the
//! argument of a collection call is never a reference; a name the code builds at
//! run time (a variable, an f-string, a template literal) is unresolved, never
//! guessed.

pub mod budget;
mod compare;
mod csharp;
mod facts;
mod go;
mod java;
mod javascript;
mod kotlin;
pub mod names;
mod parse;
mod php;
mod python;
mod ruby;
mod rust;
mod syntax;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

pub use compare::compare;
pub use facts::{FileFacts, MAX_EXPRESSION_CHARS, Mentions, Prefilter};
pub use parse::extract;

use crate::model::code::{AccessorCall, Code, Language, NotParsedFile, Reference, Unresolved};

/// A large file, sent to the large-file lane with where to send its facts.
struct LaneJob {
    language: Language,
    path: PathBuf,
    src: Vec<u8>,
    mentions: Mentions,
    reply: mpsc::SyncSender<FileFacts>,
}

/// Reads the code under `roots`.
pub fn read(roots: &[PathBuf], cross_filesystems: bool) -> Code {
    let started = std::time::Instant::now();
    let found = Mutex::new(Vec::new());
    let refused = Mutex::new(Vec::new());
    let prefilter = Prefilter::default();
    let wanted = |path: &Path| Language::of(path).is_some();
    // Small files parse on the walking threads. A large file's tree (up to
    // tens of MiB) is parsed by one thread, the large-file lane, one file at a
    // time: the allocator keeps a freed tree's memory in the arena of the
    // thread that parsed it, so large trees parsed by every walking thread in
    // turn would each hold one tree's peak (117 MiB on the bench's dense files,
    // 66 MiB through one lane).
    let walk = std::thread::scope(|scope| {
        let (lane, jobs) = mpsc::sync_channel::<LaneJob>(0);
        scope.spawn(move || {
            let mut parser = tree_sitter::Parser::new();
            for job in jobs {
                let facts = parse::extract_with(
                    &mut parser,
                    job.language,
                    &job.path,
                    &job.src,
                    job.mentions,
                );
                drop(job.src);
                // The walker waits for it; if it is gone, nobody needs the facts.
                let _ = job.reply.send(facts);
            }
        });
        let walk = crate::walk::walk(roots, cross_filesystems, &wanted, || {
            let (found, refused, prefilter) = (&found, &refused, &prefilter);
            let lane = lane.clone();
            let mut parser = tree_sitter::Parser::new();
            move |path: &Path, bytes: &[u8]| {
                let Some(language) = Language::of(path) else {
                    return;
                };
                let mentions = prefilter.mentions(bytes);
                if !mentions.mongo && !mentions.collection {
                    return;
                }
                // `--from-code .` names files `python/app.py`, not `./python/app.py`.
                let shown = path.strip_prefix(".").unwrap_or(path).to_path_buf();
                let tokens = match budget::admit(bytes) {
                    Ok(tokens) => tokens,
                    Err(reason) => {
                        refused
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(NotParsedFile {
                                file: shown,
                                reason,
                            });
                        return;
                    }
                };
                let through_lane = (tokens > budget::LARGE_TOKENS)
                    .then(|| {
                        let (reply, facts) = mpsc::sync_channel(1);
                        let job = LaneJob {
                            language,
                            path: path.to_path_buf(),
                            src: bytes.to_vec(),
                            mentions,
                            reply,
                        };
                        lane.send(job).ok()?;
                        facts.recv().ok()
                    })
                    .flatten();
                // A lane that is gone (it cannot be, short of a panic there)
                // costs memory, never the file's facts.
                let mut facts = through_lane.unwrap_or_else(|| {
                    parse::extract_with(&mut parser, language, path, bytes, mentions)
                });
                let dropped = facts.keep_at_most(budget::MAX_FACTS_PER_FILE);
                found
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((shown, language, facts, dropped));
            }
        });
        drop(lane);
        walk
    });
    let mut code = Code {
        roots: roots.to_vec(),
        files_seen: walk.files,
        files_read: walk.read,
        bytes_read: walk.bytes_read,
        truncated: walk.truncated,
        ..Code::default()
    };
    let mut refused = refused
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    refused.sort();
    code.not_parsed_total = refused.len();
    refused.truncate(budget::MAX_NOT_PARSED_LISTED);
    code.not_parsed = refused;
    let mut found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // In file order, so the facts kept under the total cap do not depend on
    // which thread finished first.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for (file, language, mut facts, dropped) in found {
        code.files_parsed += 1;
        code.facts_dropped += dropped;
        let kept = code.references.len() + code.unresolved.len() + code.accessor_calls.len();
        code.facts_dropped += facts.keep_at_most(budget::MAX_FACTS.saturating_sub(kept));
        code.references.extend(
            facts
                .references
                .into_iter()
                .map(|(name, line, kind)| Reference {
                    name,
                    file: file.clone(),
                    line,
                    language,
                    kind,
                }),
        );
        code.unresolved.extend(
            facts
                .unresolved
                .into_iter()
                .map(|(line, expression)| Unresolved {
                    file: file.clone(),
                    line,
                    language,
                    expression,
                }),
        );
        code.accessor_calls
            .extend(
                facts
                    .accessor_calls
                    .into_iter()
                    .map(|(name, line)| AccessorCall {
                        name,
                        file: file.clone(),
                        line,
                    }),
            );
        code.accessor_definitions.extend(facts.accessor_definitions);
    }
    code.references.sort_by(|a, b| {
        (&a.file, a.line, &a.name, a.kind).cmp(&(&b.file, b.line, &b.name, b.kind))
    });
    code.references.dedup();
    code.unresolved.sort();
    code.unresolved.dedup();
    code.accessor_calls.sort();
    code.accessor_calls.dedup();
    code.accessor_definitions.sort();
    code.accessor_definitions.dedup();
    code.elapsed = started.elapsed();
    code
}
