//! The collections an application's source uses (`--from-code`), as the code
//! reader finds them and as they compare with the database's: the facts the
//! report renders.

use std::path::{Path, PathBuf};

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

/// What the walk over the code found.
#[derive(Debug, Clone, Default)]
pub struct Code {
    pub roots: Vec<PathBuf>,
    /// Regular files the walk met.
    pub files_seen: usize,
    /// Source files read (a known extension, not too large, not binary), and their bytes.
    pub files_read: usize,
    pub bytes_read: u64,
    /// The walk stopped at its entry cap: files past it were not seen.
    pub truncated: bool,
    /// Source files that passed the byte search and were parsed.
    pub files_parsed: usize,
    /// Source files that passed the byte search but were not parsed, and why
    /// (the first `MAX_NOT_PARSED_LISTED`; `not_parsed_total` counts them all).
    pub not_parsed: Vec<NotParsedFile>,
    pub not_parsed_total: usize,
    /// References, unresolved names and accessor calls past the caps (per file
    /// and in all), counted but not kept.
    pub facts_dropped: usize,
    /// Sorted by file, line, name.
    pub references: Vec<Reference>,
    pub unresolved: Vec<Unresolved>,
    pub accessor_calls: Vec<AccessorCall>,
    /// Names of the accessors defined somewhere in the tree.
    pub accessor_definitions: Vec<String>,
    pub elapsed: std::time::Duration,
}

/// The largest file `--from-code` parses, in tokens (a word or a punctuation
/// mark): the parser's tree costs about 270 bytes per token, so this bounds one
/// file's tree near 40 MiB. Hand-written source runs about one token per four
/// bytes, so a file of half a megabyte still parses; dense generated or hostile
/// files (a token every byte) do not.
pub const MAX_PARSE_TOKENS: usize = 150_000;

/// The deepest bracket nesting `--from-code` parses. Real code stays under a
/// few dozen levels; a file of half a million `[` costs the parser gigabytes.
pub const MAX_NESTING: usize = 256;

/// Why a source file that mentions MongoDB was not parsed. Both bound the
/// parser's memory, which grows with the file's nodes (about 200 bytes of tree
/// per byte of dense source, more when deeply nested): no hand-written source
/// comes near either bound, generated or hostile files do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotParsed {
    /// More tokens than `MAX_PARSE_TOKENS`.
    TooLarge,
    /// Brackets nested deeper than `MAX_NESTING`.
    TooDeep,
}

impl NotParsed {
    pub fn as_str(self) -> &'static str {
        match self {
            NotParsed::TooLarge => "too_large",
            NotParsed::TooDeep => "too_deep",
        }
    }

    /// In words, with the bound.
    pub fn words(self) -> String {
        match self {
            NotParsed::TooLarge => format!("more than {MAX_PARSE_TOKENS} tokens"),
            NotParsed::TooDeep => format!("brackets nested deeper than {MAX_NESTING}"),
        }
    }
}

/// A source file not parsed, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotParsedFile {
    pub file: PathBuf,
    pub reason: NotParsed,
}

/// How two different names are close: the first that holds, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NearKind {
    /// The same letters in another case: `Orders`, `orders`.
    Case,
    /// The same once `_`, `-` and case are ignored: `webhook_subscriptions`, `webhookSubscriptions`.
    Separator,
    /// Singular against plural: `cart`, `carts`; `category`, `categories`.
    Plural,
}

impl NearKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NearKind::Case => "case",
            NearKind::Separator => "separator",
            NearKind::Plural => "plural",
        }
    }
}

/// Where the code names something.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
}

/// A name the code uses, with every place it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub name: String,
    pub places: Vec<Place>,
}

/// A name the code uses that the database lacks, beside the database's
/// collection it likely means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    pub code: String,
    pub database: String,
    pub kind: NearKind,
    pub places: Vec<Place>,
}

/// What the comparison found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Names the code uses that the database lacks, near misses included.
    pub missing_in_database: Vec<Missing>,
    /// The database's collections the code never names (`system.*` aside).
    pub unused_in_code: Vec<String>,
    /// Pairs of a missing name and a collection of the database close to it.
    pub near_misses: Vec<NearMiss>,
    /// Accessors called but defined nowhere in the tree, with each call.
    pub accessors_missing: Vec<Missing>,
}

impl Findings {
    /// Whether the run fails: a collection missing or an accessor undefined.
    pub fn failed(&self) -> bool {
        !self.missing_in_database.is_empty() || !self.accessors_missing.is_empty()
    }
}

/// What `--from-code` adds to a report: the code's facts and, when the
/// database's collections were listed, the comparison with them.
#[derive(Debug, Clone, Default)]
pub struct CodeReport {
    pub code: Code,
    /// The database compared with; `None` when none was listed.
    pub database: Option<String>,
    pub findings: Option<Findings>,
}
