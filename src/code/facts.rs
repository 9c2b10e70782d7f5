//! The facts `--from-code` gathers, shared by every language's reader and
//! the comparison: languages, how a collection is named, references, names
//! built at run time, accessor calls, and the byte search run before any parse.

use aho_corasick::AhoCorasick;

use crate::model::code::Kind;

/// The longest expression kept for an unresolved name.
pub const MAX_EXPRESSION_CHARS: usize = 80;

/// What one file holds, before the path is attached.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    /// Name, line, kind.
    pub references: Vec<(String, usize, Kind)>,
    /// Line, expression.
    pub unresolved: Vec<(usize, String)>,
    /// Name, line.
    pub accessor_calls: Vec<(String, usize)>,
    pub accessor_definitions: Vec<String>,
}

impl FileFacts {
    /// Keeps at most `cap` facts (references first, then names built at run
    /// time, then accessor calls) and returns how many were dropped.
    pub fn keep_at_most(&mut self, cap: usize) -> usize {
        let before = self.references.len() + self.unresolved.len() + self.accessor_calls.len();
        let mut room = cap;
        self.references.truncate(room);
        room -= self.references.len();
        self.unresolved.truncate(room);
        room -= self.unresolved.len();
        self.accessor_calls.truncate(room);
        before - (self.references.len() + self.unresolved.len() + self.accessor_calls.len())
    }
}

/// What a file's bytes say before any parse: whether it mentions MongoDB (a
/// driver or framework name) and whether it mentions a collection at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mentions {
    /// `mongo` (pymongo, mongodb, mongoose, mongoengine, Mongoid, MongoDB.Driver,
    /// spring data.mongodb), `motor` or `beanie`, in any case.
    pub mongo: bool,
    /// `collection` in any case: the accessors' names hold it.
    pub collection: bool,
}

/// The byte search that decides whether a file is parsed at all.
pub struct Prefilter(AhoCorasick);

impl Default for Prefilter {
    fn default() -> Self {
        Prefilter(
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(["mongo", "motor", "beanie", "collection"])
                .expect("valid patterns"),
        )
    }
}

impl Prefilter {
    pub fn mentions(&self, bytes: &[u8]) -> Mentions {
        let mut mentions = Mentions::default();
        for m in self.0.find_iter(bytes) {
            if m.pattern().as_usize() == 3 {
                mentions.collection = true;
            } else {
                mentions.mongo = true;
            }
            if mentions.mongo && mentions.collection {
                break;
            }
        }
        mentions
    }
}
