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
use std::sync::Mutex;

pub use compare::compare;
pub use facts::{FileFacts, MAX_EXPRESSION_CHARS, Mentions, Prefilter};
pub use parse::extract;

use crate::model::code::{AccessorCall, Code, Language, Reference, Unresolved};

/// Reads the code under `roots`.
pub fn read(roots: &[PathBuf], cross_filesystems: bool) -> Code {
    let started = std::time::Instant::now();
    let found = Mutex::new(Vec::new());
    let prefilter = Prefilter::default();
    let wanted = |path: &Path| Language::of(path).is_some();
    let walk = crate::walk::walk(roots, cross_filesystems, &wanted, || {
        let (found, prefilter) = (&found, &prefilter);
        let mut parser = tree_sitter::Parser::new();
        move |path: &Path, bytes: &[u8]| {
            let Some(language) = Language::of(path) else {
                return;
            };
            let mentions = prefilter.mentions(bytes);
            if !mentions.mongo && !mentions.collection {
                return;
            }
            let facts = parse::extract_with(&mut parser, language, path, bytes, mentions);
            // `--from-code .` names files `python/app.py`, not `./python/app.py`.
            let shown = path.strip_prefix(".").unwrap_or(path).to_path_buf();
            found
                .lock()
                .expect("facts lock")
                .push((shown, language, facts));
        }
    });
    let mut code = Code {
        roots: roots.to_vec(),
        files_seen: walk.files,
        files_read: walk.read,
        bytes_read: walk.bytes_read,
        truncated: walk.truncated,
        ..Code::default()
    };
    for (file, language, facts) in found.into_inner().expect("facts lock") {
        code.files_parsed += 1;
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
