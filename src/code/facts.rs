//! The facts `--from-code` gathers, shared by every language's reader and
//! the comparison: languages, how a collection is named, references, names
//! built at run time, accessor calls, and the byte search run before any parse.

use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;

/// The languages read, each by its file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    Python,
    JavaScript,
    TypeScript,
    Java,
    Kotlin,
    Go,
    CSharp,
    Rust,
    Ruby,
    Php,
}

impl Language {
    /// The language of a file, by its extension.
    pub fn of(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?;
        Some(match ext {
            "py" | "pyi" => Language::Python,
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" | "tsx" => Language::TypeScript,
            "java" => Language::Java,
            "kt" | "kts" => Language::Kotlin,
            "go" => Language::Go,
            "cs" => Language::CSharp,
            "rs" => Language::Rust,
            "rb" => Language::Ruby,
            "php" => Language::Php,
            _ => return None,
        })
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Java => "java",
            Language::Kotlin => "kotlin",
            Language::Go => "go",
            Language::CSharp => "csharp",
            Language::Rust => "rust",
            Language::Ruby => "ruby",
            Language::Php => "php",
        }
    }
}

/// How the code names a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The argument of a collection call: `db.collection("x")`,
    /// `getCollection("x")`, `GetCollection<T>("x")`, `selectCollection('x')`.
    Call,
    /// A database handle's attribute or property: `db.x`, `$db->x`.
    Attribute,
    /// A database handle subscripted: `db["x"]`, `client["app"]["x"]`.
    Subscript,
    /// A model's collection written out: Beanie `Settings.name`, MongoEngine
    /// `meta["collection"]`, Spring `@Document(collection=...)`, Mongoid
    /// `store_in collection:`, Mongoose's `collection` option or `model`'s third argument.
    Declared,
    /// A model's collection its framework derives from the model's name:
    /// Mongoose's pluralisation, MongoEngine's snake case, Spring's lower-cased
    /// class name, Mongoid's pluralisation, Beanie's class name.
    Derived,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::Attribute => "attribute",
            Kind::Subscript => "subscript",
            Kind::Declared => "declared",
            Kind::Derived => "derived",
        }
    }
}

/// A collection the code names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    pub name: String,
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    pub language: Language,
    pub kind: Kind,
}

/// A collection name built at run time: where, and the expression as written
/// (cut to `MAX_EXPRESSION_CHARS`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    pub file: PathBuf,
    pub line: usize,
    pub language: Language,
    pub expression: String,
}

/// A call of a collection accessor (see `names::is_accessor`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AccessorCall {
    pub name: String,
    pub file: PathBuf,
    pub line: usize,
}

/// The longest expression kept for an unresolved name.
pub const MAX_EXPRESSION_CHARS: usize = 80;

/// What the walk over the code found.
#[derive(Debug, Clone, Default)]
pub struct Code {
    pub roots: Vec<PathBuf>,
    /// The walk's counts (files met, read, skipped).
    pub walk: crate::walk::Counts,
    /// Source files that passed the byte search and were parsed.
    pub files_parsed: usize,
    /// Sorted by file, line, name.
    pub references: Vec<Reference>,
    pub unresolved: Vec<Unresolved>,
    pub accessor_calls: Vec<AccessorCall>,
    /// Names of the accessors defined somewhere in the tree.
    pub accessor_definitions: Vec<String>,
    pub elapsed: std::time::Duration,
}

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
