//! The readers on the sample application (tests/fixtures/from_code/app): one
//! test per language's idioms, then the whole tree against its database.

use std::path::{Path, PathBuf};

use super::{FileFacts, Mentions, Prefilter, compare, extract, parse, read};
use crate::model::code::{Language, NearKind};

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
            .set_language(&parse::grammar(language, Path::new(file)))
            .unwrap_or_else(|e| panic!("{language:?}: {e}"));
    }
}

/// The collections of the sample application's database
/// (tests/fixtures/from_code/database.txt, as the end-to-end tests create
/// them), plus a system collection, never "unused".
pub fn sample_database() -> Vec<String> {
    include_str!("../../tests/fixtures/from_code/database.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(ToString::to_string)
        .chain(["system.views".to_string()])
        .collect()
}

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

    let database = sample_database();
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

// python

#[test]
fn r23_python_pymongo_motor_beanie_and_mongoengine() {
    let analytics = facts_of("python/analytics.py");
    assert_eq!(
        analytics.references(),
        [
            ("page_views", 11, "attribute"),
            ("orders", 12, "subscript"),
            ("users", 13, "call"),
            ("audit_log", 14, "subscript"),
        ]
    );
    assert_eq!(analytics.unresolved_lines(), [18, 20]);
    assert!(analytics.facts.accessor_calls.is_empty());

    let hooks = facts_of("python/hooks.py");
    assert_eq!(
        hooks.references(),
        [
            ("webhook_subscriptions", 8, "attribute"),
            ("users", 13, "attribute")
        ]
    );
    assert_eq!(
        hooks.facts.accessor_calls,
        [
            ("get_webhooks_collection".to_string(), 6),
            ("get_users_collection".to_string(), 9)
        ]
    );
    assert_eq!(hooks.facts.accessor_definitions, ["get_users_collection"]);

    let models = facts_of("python/models.py");
    assert_eq!(
        models.references(),
        [
            ("invoices", 9, "declared"),
            ("Product", 12, "derived"),
            ("clients", 17, "declared"),
            ("line_item", 20, "derived"),
        ]
    );
    assert!(facts_of("python/no_mongo.py").facts == FileFacts::default());
}

// javascript

#[test]
fn r23_javascript_node_driver_and_mongoose() {
    let store = facts_of("js/store.js");
    assert_eq!(
        store.references(),
        [("carts", 6, "call"), ("wishlists", 7, "call")]
    );
    assert_eq!(store.unresolved_lines(), [9]);

    let models = facts_of("js/models.js");
    assert_eq!(
        models.references(),
        [
            ("invoices", 9, "derived"),
            ("people", 10, "derived"),
            ("stock", 11, "declared"),
            ("categories_v2", 12, "declared"),
            ("boxes", 13, "derived"),
        ]
    );
    assert!(models.unresolved_lines().is_empty());
}

#[test]
fn r23_typescript_node_driver_with_type_arguments_and_accessors() {
    let repo = facts_of("ts/repo.ts");
    assert_eq!(repo.references(), [("orders", 8, "call")]);
    assert_eq!(repo.unresolved_lines(), [13]);
    assert_eq!(
        repo.facts.accessor_calls,
        [("getOrdersCollection".to_string(), 12)]
    );
    assert_eq!(repo.facts.accessor_definitions, ["getOrdersCollection"]);
}

// java

#[test]
fn r23_java_driver_and_spring_data() {
    let read = facts_of("java/Payment.java");
    assert_eq!(
        read.references(),
        [
            ("payments", 8, "declared"),
            ("shippingLabel", 14, "derived"),
            ("audit_log", 20, "call"),
        ]
    );
    assert_eq!(read.unresolved_lines(), [21]);
}

// kotlin

#[test]
fn r23_kotlin_driver_and_spring_data() {
    let read = facts_of("kotlin/Reviews.kt");
    assert_eq!(
        read.references(),
        [
            ("coupons", 6, "declared"),
            ("giftCard", 10, "derived"),
            ("reviews", 14, "call"),
        ]
    );
    assert_eq!(read.unresolved_lines(), [15]);
}

// go

#[test]
fn r23_go_driver() {
    let read = facts_of("go/store.go");
    assert_eq!(read.references(), [("cart", 8, "call")]);
    assert_eq!(read.unresolved_lines(), [8]);
}

// csharp

#[test]
fn r23_csharp_driver() {
    let read = facts_of("csharp/Store.cs");
    assert_eq!(read.references(), [("Orders", 8, "call")]);
    assert_eq!(read.unresolved_lines(), [11]);
}

// rust

#[test]
fn r23_rust_driver() {
    let read = facts_of("rust/store.rs");
    assert_eq!(
        read.references(),
        [("ledger", 6, "call"), ("users", 7, "call")]
    );
    assert_eq!(read.unresolved_lines(), [9]);
}

// ruby

#[test]
fn r23_ruby_mongoid() {
    let read = facts_of("ruby/models.rb");
    assert_eq!(
        read.references(),
        [("invoices", 4, "declared"), ("people", 7, "derived")]
    );
    assert_eq!(read.unresolved_lines(), [13]);
}

// php

#[test]
fn r23_php_library() {
    let read = facts_of("php/store.php");
    assert_eq!(
        read.references(),
        [
            ("wishlists", 7, "call"),
            ("orders", 8, "call"),
            ("users", 9, "attribute"),
        ]
    );
    assert_eq!(read.unresolved_lines(), [12]);
}
