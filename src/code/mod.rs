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
mod go;
mod java;
mod javascript;
mod kotlin;
pub mod names;
mod php;
mod python;
mod ruby;
mod rust;
mod syntax;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use aho_corasick::AhoCorasick;

pub use compare::{Findings, Missing, NearKind, NearMiss, Place, compare};

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

    /// The grammar; TSX files get TypeScript's TSX variant.
    fn grammar(self, path: &Path) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript if path.extension().is_some_and(|e| e == "tsx") => {
                tree_sitter_typescript::LANGUAGE_TSX.into()
            }
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Java => tree_sitter_java::LANGUAGE.into(),
            Language::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
            Language::Ruby => tree_sitter_ruby::LANGUAGE.into(),
            Language::Php => tree_sitter_php::LANGUAGE_PHP.into(),
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
            let facts = extract_with(&mut parser, language, path, bytes, mentions);
            found
                .lock()
                .expect("facts lock")
                .push((path.to_path_buf(), language, facts));
        }
    });
    let mut code = Code {
        roots: roots.to_vec(),
        walk,
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

/// The facts of one file's source (the byte search already passed).
pub fn extract(language: Language, path: &Path, src: &[u8], mentions: Mentions) -> FileFacts {
    extract_with(
        &mut tree_sitter::Parser::new(),
        language,
        path,
        src,
        mentions,
    )
}

fn extract_with(
    parser: &mut tree_sitter::Parser,
    language: Language,
    path: &Path,
    src: &[u8],
    mentions: Mentions,
) -> FileFacts {
    if parser.set_language(&language.grammar(path)).is_err() {
        // Only an ABI mismatch between the grammar and the library fails here,
        // which `every_grammar_loads` rules out.
        return FileFacts::default();
    }
    let Some(tree) = parser.parse(src, None) else {
        return FileFacts::default();
    };
    let mut cx = syntax::Cx::new(src, mentions);
    let visit: fn(&mut syntax::Cx, tree_sitter::Node) = match language {
        Language::Python => python::visit,
        Language::JavaScript | Language::TypeScript => javascript::visit,
        Language::Java => java::visit,
        Language::Kotlin => kotlin::visit,
        Language::Go => go::visit,
        Language::CSharp => csharp::visit,
        Language::Rust => rust::visit,
        Language::Ruby => ruby::visit,
        Language::Php => php::visit,
    };
    syntax::preorder(tree.root_node(), |node| visit(&mut cx, node));
    cx.facts
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// One fixture file of the sample application, read as the walk reads it.
    pub struct Read {
        pub facts: FileFacts,
    }

    impl Read {
        /// References as (name, line, kind), by line.
        pub fn references(&self) -> Vec<(&str, usize, &str)> {
            let mut out: Vec<_> = self
                .facts
                .references
                .iter()
                .map(|(name, line, kind)| (name.as_str(), *line, kind.as_str()))
                .collect();
            out.sort_by_key(|r| (r.1, r.0));
            out
        }

        pub fn unresolved_lines(&self) -> Vec<usize> {
            let mut lines: Vec<_> = self.facts.unresolved.iter().map(|u| u.0).collect();
            lines.sort_unstable();
            lines
        }
    }

    pub fn fixture(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/from_code/app")
            .join(rel)
    }

    pub fn facts_of(rel: &str) -> Read {
        let path = fixture(rel);
        let src = std::fs::read(&path).unwrap();
        let language = Language::of(&path).unwrap();
        let mentions = Prefilter::default().mentions(&src);
        Read {
            facts: extract(language, &path, &src, mentions),
        }
    }

    /// Every grammar speaks an ABI the tree-sitter library accepts.
    #[test]
    fn every_grammar_loads() {
        for (language, file) in [
            (Language::Python, "a.py"),
            (Language::JavaScript, "a.js"),
            (Language::TypeScript, "a.ts"),
            (Language::TypeScript, "a.tsx"),
            (Language::Java, "A.java"),
            (Language::Kotlin, "A.kt"),
            (Language::Go, "a.go"),
            (Language::CSharp, "A.cs"),
            (Language::Rust, "a.rs"),
            (Language::Ruby, "a.rb"),
            (Language::Php, "a.php"),
        ] {
            assert_eq!(Language::of(Path::new(file)), Some(language));
            tree_sitter::Parser::new()
                .set_language(&language.grammar(Path::new(file)))
                .unwrap_or_else(|e| panic!("{language:?}: {e}"));
        }
    }

    /// The collections of the sample application's database, as the
    /// end-to-end test creates them (plus a system collection, never "unused").
    pub const SAMPLE_DATABASE: &[&str] = &[
        "Product",
        "audit_log",
        "boxes",
        "carts",
        "categories_v2",
        "clients",
        "coupons",
        "giftCard",
        "invoices",
        "ledger",
        "legacy_sessions",
        "line_item",
        "orders",
        "payments",
        "people",
        "reviews",
        "shippingLabel",
        "stock",
        "system.views",
        "users",
        "webhookSubscriptions",
        "wishlists",
    ];

    /// Issue 23: the sample application, in every language, against its database.
    #[test]
    fn r23_the_sample_application_gives_exactly_what_a_careful_reader_finds() {
        let root = fixture("");
        let code = read(std::slice::from_ref(&root), false);
        let rel = |p: &Path| p.strip_prefix(&root).unwrap().display().to_string();
        let references: Vec<String> = code
            .references
            .iter()
            .map(|r| format!("{}:{} {} {}", rel(&r.file), r.line, r.name, r.kind.as_str()))
            .collect();
        assert_eq!(
            references,
            [
                "csharp/Store.cs:8 Orders call",
                "go/store.go:8 cart call",
                "java/Payment.java:8 payments declared",
                "java/Payment.java:14 shippingLabel derived",
                "java/Payment.java:20 audit_log call",
                "js/models.js:9 invoices derived",
                "js/models.js:10 people derived",
                "js/models.js:11 stock declared",
                "js/models.js:12 categories_v2 declared",
                "js/models.js:13 boxes derived",
                "js/store.js:6 carts call",
                "js/store.js:7 wishlists call",
                "kotlin/Reviews.kt:6 coupons declared",
                "kotlin/Reviews.kt:10 giftCard derived",
                "kotlin/Reviews.kt:14 reviews call",
                "php/store.php:7 wishlists call",
                "php/store.php:8 orders call",
                "php/store.php:9 users attribute",
                "python/analytics.py:11 page_views attribute",
                "python/analytics.py:12 orders subscript",
                "python/analytics.py:13 users call",
                "python/analytics.py:14 audit_log subscript",
                "python/hooks.py:8 webhook_subscriptions attribute",
                "python/hooks.py:13 users attribute",
                "python/models.py:9 invoices declared",
                "python/models.py:12 Product derived",
                "python/models.py:17 clients declared",
                "python/models.py:20 line_item derived",
                "ruby/models.rb:4 invoices declared",
                "ruby/models.rb:7 people derived",
                "rust/store.rs:6 ledger call",
                "rust/store.rs:7 users call",
                "ts/repo.ts:8 orders call",
            ]
        );
        let unresolved: Vec<String> = code
            .unresolved
            .iter()
            .map(|u| format!("{}:{} {}", rel(&u.file), u.line, u.expression))
            .collect();
        assert_eq!(
            unresolved,
            [
                "csharp/Store.cs:11 $\"archive_{year}\"",
                "go/store.go:8 name",
                "java/Payment.java:21 \"ledger_\" + year",
                "js/store.js:9 `carts_${tenant}`",
                "kotlin/Reviews.kt:15 \"reviews_$shop\"",
                "php/store.php:12 \"gifts_$kind\"",
                "python/analytics.py:18 f\"events_{day}\"",
                "python/analytics.py:20 name",
                "ruby/models.rb:13 ->{ \"reports_#{Time.now.year}\" }",
                "rust/store.rs:9 &name",
                "ts/repo.ts:13 kind",
            ]
        );
        // Eleven source files mention MongoDB or a collection; no_mongo.py, the
        // README and the git-ignored node_modules are never parsed.
        assert_eq!(code.files_parsed, 13);

        let database: Vec<String> = SAMPLE_DATABASE.iter().map(ToString::to_string).collect();
        let findings = compare(&code, &database);
        let missing: Vec<String> = findings
            .missing_in_database
            .iter()
            .map(|m| {
                let places: Vec<String> = m
                    .places
                    .iter()
                    .map(|p| format!("{}:{}", rel(&p.file), p.line))
                    .collect();
                format!("{} ({})", m.name, places.join(", "))
            })
            .collect();
        assert_eq!(
            missing,
            [
                "Orders (csharp/Store.cs:8)",
                "cart (go/store.go:8)",
                "page_views (python/analytics.py:11)",
                "webhook_subscriptions (python/hooks.py:8)",
            ]
        );
        let near: Vec<(&str, &str, NearKind)> = findings
            .near_misses
            .iter()
            .map(|n| (n.code.as_str(), n.database.as_str(), n.kind))
            .collect();
        assert_eq!(
            near,
            [
                ("Orders", "orders", NearKind::Case),
                ("cart", "carts", NearKind::Plural),
                (
                    "webhook_subscriptions",
                    "webhookSubscriptions",
                    NearKind::Separator
                ),
            ]
        );
        assert_eq!(
            findings.unused_in_code,
            ["legacy_sessions", "webhookSubscriptions"]
        );
        let accessors: Vec<String> = findings
            .accessors_missing
            .iter()
            .map(|m| format!("{} {}:{}", m.name, rel(&m.places[0].file), m.places[0].line))
            .collect();
        assert_eq!(accessors, ["get_webhooks_collection python/hooks.py:6"]);
        assert!(findings.failed());
    }

    #[test]
    fn the_byte_search_sees_drivers_frameworks_and_collections_in_any_case() {
        let p = Prefilter::default();
        assert_eq!(
            p.mentions(b"def add(a, b): return a + b"),
            Mentions::default()
        );
        assert!(p.mentions(b"from pymongo import MongoClient").mongo);
        assert!(p.mentions(b"using MongoDB.Driver;").mongo);
        assert!(p.mentions(b"from motor.motor_asyncio import X").mongo);
        assert!(p.mentions(b"from beanie import Document").mongo);
        let m = p.mentions(b"get_webhooks_collection()");
        assert!(m.collection && !m.mongo);
    }
}
