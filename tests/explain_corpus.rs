//! The corpus of real error messages (`tests/fixtures/explain_corpus.toml`):
//! `explain` must give every entry its class (and its finding, when the entry
//! names one). Prints the accuracy per class and per driver family; fails on
//! any mismatch. Run `cargo test --test explain_corpus -- --nocapture` to see
//! the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use atlas_doctor::explain::explain;
use atlas_doctor::redact::redact_text;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    entry: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    source: String,
    driver: String,
    #[allow(dead_code)] // documentation for readers of the fixture
    client: Option<String>,
    class: String,
    reason: Option<String>,
    #[allow(dead_code)]
    note: Option<String>,
    /// `holdout` for the entries gathered after the rules were written.
    set: Option<String>,
    text: String,
}

const FAMILIES: [&str; 10] = [
    "node", "python", "java", "go", "rust", "csharp", "php", "ruby", "shell", "other",
];

const CLASSES: [&str; 9] = [
    "config_invalid",
    "dns",
    "tcp_refused",
    "network_timeout",
    "ip_access_list",
    "tls",
    "server",
    "auth_failed",
    "authorization",
];

fn corpus() -> Vec<Entry> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/explain_corpus.toml"
    );
    let text = std::fs::read_to_string(path).expect("read the corpus");
    toml::from_str::<Corpus>(&text)
        .expect("parse the corpus")
        .entry
}

#[derive(Default)]
struct Tally {
    total: usize,
    right: usize,
}

fn table(title: &str, tallies: &BTreeMap<String, Tally>) -> String {
    let mut out = format!(
        "\n{title:<16} {:>7} {:>7} {:>9}\n",
        "entries", "right", "accuracy"
    );
    for (key, t) in tallies {
        #[allow(clippy::cast_precision_loss)]
        let pct = 100.0 * t.right as f64 / t.total as f64;
        let _ = writeln!(out, "{key:<16} {:>7} {:>7} {pct:>8.1}%", t.total, t.right);
    }
    out
}

#[test]
fn every_corpus_entry_gets_its_class() {
    let entries = corpus();
    let mut by_class: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_driver: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_set: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut right_total = 0;

    for (i, entry) in entries.iter().enumerate() {
        let e = explain(&entry.text);
        let got_class = e.class().as_str();
        let got_reason = e.diagnosis.finding.map(atlas_doctor::finding::Finding::id);
        let class_ok = got_class == entry.class;
        let reason_ok = entry
            .reason
            .as_deref()
            .is_none_or(|r| got_reason == Some(r));
        let ok = class_ok && reason_ok;
        let set = entry.set.clone().unwrap_or_else(|| "main".to_string());
        for (map, key) in [
            (&mut by_class, &entry.class),
            (&mut by_driver, &entry.driver),
            (&mut by_set, &set),
        ] {
            let t = map.entry(key.clone()).or_default();
            t.total += 1;
            t.right += usize::from(ok);
        }
        if ok {
            right_total += 1;
        } else {
            failures.push(format!(
                "#{i} {} ({}): expected {}{} got {}{} by rule {:?}",
                entry.source,
                entry.driver,
                entry.class,
                entry
                    .reason
                    .as_deref()
                    .map(|r| format!("/{r}"))
                    .unwrap_or_default(),
                got_class,
                got_reason.map(|r| format!("/{r}")).unwrap_or_default(),
                e.rule,
            ));
        }
    }

    println!("{}", table("class", &by_class));
    println!("{}", table("driver family", &by_driver));
    println!("{}", table("set", &by_set));
    println!("overall: {right_total}/{} right", entries.len());
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_is_big_and_covers_every_class_and_eight_families() {
    let entries = corpus();
    assert!(entries.len() >= 150, "only {} entries", entries.len());
    for class in CLASSES {
        let n = entries.iter().filter(|e| e.class == class).count();
        assert!(n >= 5, "class {class} has only {n} entries");
    }
    let families = FAMILIES
        .iter()
        .filter(|f| **f != "other" && entries.iter().any(|e| e.driver == **f))
        .count();
    assert!(families >= 8, "only {families} driver families");
}

#[test]
fn corpus_entries_are_well_formed_and_hold_no_credentials() {
    for entry in corpus() {
        assert!(
            entry.source.starts_with("https://"),
            "source {:?}",
            entry.source
        );
        assert!(
            FAMILIES.contains(&entry.driver.as_str()),
            "driver {:?}",
            entry.driver
        );
        assert!(
            CLASSES.contains(&entry.class.as_str()),
            "class {:?}",
            entry.class
        );
        if let Some(reason) = &entry.reason {
            let finding = atlas_doctor::finding::Finding::from_id(reason)
                .unwrap_or_else(|| panic!("unknown reason {reason:?}"));
            assert_eq!(
                finding.class().as_str(),
                entry.class,
                "{reason} is not in {}",
                entry.class
            );
        }
        assert!(
            !entry.text.trim().is_empty(),
            "{} has no text",
            entry.source
        );
        assert_eq!(
            redact_text(&entry.text),
            entry.text,
            "{}: a credential must be replaced by **** in the fixture",
            entry.source
        );
    }
}
