//! `atlas-doctor explain`: classifies an error message pasted from any driver
//! (Node.js and mongoose, pymongo and motor, Java and Spring, Go, Rust, C#, PHP,
//! Ruby, mongosh, Compass, the legacy shell) into the same classes and findings
//! as the live probes, offline.
//!
//! The text is redacted first and every rule runs on the redacted text, so no
//! fragment shown back (`matched`, evidence) can hold a password. The rules live
//! in one table, `rules::RULES`; the first rule that matches decides and the
//! findings of the other matching rules become alternatives.

pub mod rules;

use std::sync::LazyLock;

use regex::Regex;

use crate::class::Class;
use crate::diagnose::Diagnosis;
use crate::finding::Finding;
use crate::redact::redact_text;
use rules::{RULES, Rule};

/// The most input `explain` reads; the rest is ignored. Whole stack traces and
/// log excerpts fit many times over.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// The longest fragment shown in `matched`.
const MAX_FRAGMENT_CHARS: usize = 200;

/// At most this many alternatives are listed.
const MAX_ALTERNATIVES: usize = 4;

/// What `explain` concluded from a pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Summary, ranked causes and fixes in the shared vocabulary of `finding`.
    pub diagnosis: Diagnosis,
    /// The fragments of the (redacted) input that decided it.
    pub matched: Vec<String>,
    /// Other findings the text may also mean, most likely first.
    pub alternatives: Vec<Finding>,
    /// The name of the deciding rule, `None` when nothing matched.
    pub rule: Option<&'static str>,
}

impl Explanation {
    /// The DESIGN.md class, or `Class::Unknown` when nothing matched.
    pub fn class(&self) -> Class {
        self.diagnosis.class
    }
}

/// Turns raw input bytes (argument or stdin) into text for `explain`: at most
/// `MAX_INPUT_BYTES` are kept and invalid UTF-8 is replaced, never rejected.
pub fn decode_input(bytes: &[u8]) -> String {
    let end = bytes.len().min(MAX_INPUT_BYTES);
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// `decode_input` for a buffer the caller gives up: valid UTF-8 (the usual
/// case) becomes the text without a copy, so a pasted log is held once.
pub fn decode_input_owned(mut bytes: Vec<u8>) -> String {
    bytes.truncate(MAX_INPUT_BYTES);
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(invalid) => String::from_utf8_lossy(invalid.as_bytes()).into_owned(),
    }
}

/// Classifies `text`. Never panics, whatever the input; reads at most
/// `MAX_INPUT_BYTES` of it.
pub fn explain(text: &str) -> Explanation {
    let text = redact_text(truncate(text, MAX_INPUT_BYTES));
    if let Some(own) = own_report(&text) {
        return own;
    }
    let compiled = &*COMPILED;
    // One regex at a time rather than a `RegexSet`: an overlapping set search
    // over all rules outgrows the lazy DFA's cache on long, varied text and
    // falls back to the PikeVM, about 20 s for 4 MB of pasted logs; each rule on
    // its own keeps its literal prefilter and DFA (a fraction of a second).
    let candidates: Vec<usize> = (0..RULES.len())
        .filter(|&i| compiled.patterns[i].is_match(&text))
        .collect();
    let passing: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| compiled.conditions_hold(i, &text))
        .collect();
    let Some((&first, others)) = passing.split_first() else {
        return unknown(&text);
    };

    let rule = &RULES[first];
    let decided_at = compiled.patterns[first].find(&text).map(|m| m.range());
    // Other matching rules are alternatives only when they saw other words:
    // not a wrapper around the deciding error, and not the same fragment read
    // twice ("querySrv ECONNREFUSED" is DNS, not also a refused connection).
    let others = others.iter().filter(|&&i| {
        let other = &RULES[i];
        let overlaps = match (&decided_at, compiled.patterns[i].find(&text)) {
            (Some(a), Some(b)) => a.start < b.end() && b.start() < a.end,
            _ => false,
        };
        !other.wrapper && !overlaps
    });
    let mut alternatives: Vec<Finding> = Vec::new();
    let more = rule
        .also
        .iter()
        .copied()
        .chain(others.map(|&i| RULES[i].finding));
    for finding in more {
        if finding != rule.finding
            && !alternatives.contains(&finding)
            && alternatives.len() < MAX_ALTERNATIVES
        {
            alternatives.push(finding);
        }
    }

    let mut matched = Vec::new();
    if let Some(range) = decided_at {
        matched.push(fragment(&text[range]));
    }
    if let Some(m) = compiled.requires[first]
        .as_ref()
        .and_then(|re| re.find(&text))
    {
        let shown = fragment(m.as_str());
        if !matched.contains(&shown) {
            matched.push(shown);
        }
    }

    let diagnosis = diagnose(rule, &text, &alternatives);
    Explanation {
        diagnosis,
        matched,
        alternatives,
        rule: Some(rule.name),
    }
}

static REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""reason"\s*:\s*"([a-z_]+)"|\(reason: ([a-z_]+)\)"#).expect("valid regex")
});

/// A report that atlas-doctor itself printed (`ping`, `auth-check`, ... in any
/// format, or `explain`): its finding is taken as it stands, so explaining the
/// output of a live run gives the class that run found. Recognised by the
/// `reason` id (JSON, explain's human output) or a finding's standard summary
/// (the human and Markdown reports).
fn own_report(text: &str) -> Option<Explanation> {
    let by_id = REASON.captures(text).and_then(|caps| {
        let id = caps.get(1).or_else(|| caps.get(2))?;
        Some((Finding::from_id(id.as_str())?, id.as_str().to_string()))
    });
    let (finding, shown) = by_id.or_else(|| {
        Finding::ALL.iter().find_map(|&f| {
            let summary = f.advice().summary;
            text.contains(summary).then(|| (f, summary.to_string()))
        })
    })?;
    let diagnosis = Diagnosis::from_finding(finding).with_evidence("rule: atlas_doctor_report");
    Some(Explanation {
        diagnosis,
        matched: vec![fragment(&shown)],
        alternatives: Vec::new(),
        rule: Some("atlas_doctor_report"),
    })
}

/// Builds the diagnosis of the deciding rule: the finding's words, sharpened by
/// the rule and by what the text names, plus the alternatives as causes.
fn diagnose(rule: &Rule, text: &str, alternatives: &[Finding]) -> Diagnosis {
    let mut d = Diagnosis::from_finding(rule.finding);
    if let Some(summary) = wire_version_summary(rule.finding, text) {
        d = d.with_summary(summary.clone()).with_evidence(summary);
    }
    if rule.finding == Finding::AuthFailed
        && let Some(db) = database_without_auth_source(text)
    {
        d = d.with_first_cause(format!(
            "The connection string names the database '{db}' but no authSource, so the driver authenticates against '{db}'; users created in Atlas or with the shell usually live in 'admin' (add authSource=admin)."
        ));
    }
    if let Some(note) = rule.note {
        d = d.with_first_cause(note);
    }
    for alt in alternatives {
        d.causes.push(format!(
            "Also possible ({}): {}",
            alt.id(),
            alt.advice().summary
        ));
    }
    if let Some(fix) = rule.fix {
        d = d.with_first_fix(fix);
    }
    if !alternatives.is_empty() {
        let credentials = std::iter::once(rule.finding)
            .chain(alternatives.iter().copied())
            .any(|f| matches!(f.class(), Class::AuthFailed | Class::Authorization));
        d.fixes.push(
            if credentials {
                rules::AUTH_CHECK_HINT
            } else {
                rules::PING_HINT
            }
            .to_string(),
        );
    }
    d = d.with_evidence(format!("rule: {}", rule.name));
    let hosts = atlas_hosts(text);
    if !hosts.is_empty() {
        d = d.with_evidence(format!("Atlas hosts in the text: {}", hosts.join(", ")));
    }
    if let Some(code) = server_code(text) {
        d = d.with_evidence(code);
    }
    d
}

/// The diagnosis when no rule matched: class `unknown`, a generic checklist.
fn unknown(text: &str) -> Explanation {
    let mut diagnosis = Diagnosis {
        class: Class::Unknown,
        finding: None,
        summary: "No known MongoDB connection error was found in this text.".to_string(),
        causes: vec![
            "The text may be cut short: the words that name the cause are often in the innermost error ('caused by', 'reason', the Topology Description).".to_string(),
            "The error may come from the application, not from the database driver.".to_string(),
        ],
        fixes: vec![
            rules::PING_HINT.to_string(),
            "Run `atlas-doctor auth-check` to test the credentials, and `atlas-doctor checklist` for the whole checklist.".to_string(),
            "Paste the complete error, including its 'caused by' / 'reason' part and the Topology Description, and run `atlas-doctor explain` again.".to_string(),
            "For Atlas, check Network Access (this machine's IP address on the access list) and Database Access (the database user and its password).".to_string(),
        ],
        evidence: Vec::new(),
    };
    if text.trim().is_empty() {
        diagnosis.evidence.push("the input was empty".to_string());
    }
    Explanation {
        diagnosis,
        matched: Vec::new(),
        alternatives: Vec::new(),
        rule: None,
    }
}

/// The rule table compiled once: per-rule regexes for the candidates, the
/// fragments and the conditions.
struct Compiled {
    patterns: Vec<Regex>,
    requires: Vec<Option<Regex>>,
    unless: Vec<Option<Regex>>,
}

impl Compiled {
    fn conditions_hold(&self, i: usize, text: &str) -> bool {
        self.requires[i].as_ref().is_none_or(|re| re.is_match(text))
            && self.unless[i].as_ref().is_none_or(|re| !re.is_match(text))
    }
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    // ASCII word boundaries: a Unicode `\b` makes the fast engines give up on
    // non-ASCII input (pasted logs in any language, binary junk), which would
    // cost seconds per kilobyte. The rules' words are all ASCII anyway.
    let ci = |p: &str| format!("(?i){}", p.replace(r"\b", r"(?-u:\b)"));
    let compile =
        |p: &str| Regex::new(&ci(p)).unwrap_or_else(|e| panic!("bad rule pattern {p:?}: {e}"));
    Compiled {
        patterns: RULES.iter().map(|r| compile(r.pattern)).collect(),
        requires: RULES.iter().map(|r| r.requires.map(compile)).collect(),
        unless: RULES.iter().map(|r| r.unless.map(compile)).collect(),
    }
});

/// `text` cut to at most `max` bytes, on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A matched fragment as shown: whitespace runs collapsed, length bounded.
fn fragment(raw: &str) -> String {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_FRAGMENT_CHARS {
        return collapsed;
    }
    let mut short: String = collapsed.chars().take(MAX_FRAGMENT_CHARS).collect();
    short.push('…');
    short
}

static ATLAS_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.mongodb\.net(?-u:\b)")
        .expect("valid regex")
});

/// Distinct Atlas host names in the text (at most three), for the evidence.
fn atlas_hosts(text: &str) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for m in ATLAS_HOST.find_iter(text) {
        let host = m.as_str().to_ascii_lowercase();
        let host = host
            .strip_prefix("_mongodb._tcp.")
            .unwrap_or(&host)
            .to_string();
        if !hosts.contains(&host) {
            hosts.push(host);
            if hosts.len() == 3 {
                break;
            }
        }
    }
    hosts
}

static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)code\W{0,4}(\d{1,5})(?-u:\b)[^\n]{0,40}?codeName\W{0,4}(\w+))|(?:error (?:code )?(\d{1,5}) \((\w+)\))")
        .expect("valid regex")
});

/// The server's error code and name, when the text carries them.
fn server_code(text: &str) -> Option<String> {
    let caps = CODE.captures(text)?;
    let code = caps.get(1).or_else(|| caps.get(3))?.as_str();
    let name = caps.get(2).or_else(|| caps.get(4))?.as_str();
    Some(format!("server error code {code} ({name})"))
}

static WIRE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:reports (?:maximum |minimum )?wire version (\d+)|requires wire version (\d+))[^\n]{0,120}?(?:requires at (?:least|most)|only supports up to) (\d+)").expect("valid regex")
});

/// For wire version findings: the server's and the driver's wire versions, with
/// the MongoDB releases they stand for.
fn wire_version_summary(finding: Finding, text: &str) -> Option<String> {
    if !matches!(
        finding,
        Finding::WireVersionTooOld | Finding::WireVersionTooNew
    ) {
        return None;
    }
    let caps = WIRE.captures(text)?;
    let server: u32 = caps.get(1).or_else(|| caps.get(2))?.as_str().parse().ok()?;
    let driver: u32 = caps.get(3)?.as_str().parse().ok()?;
    Some(if finding == Finding::WireVersionTooOld {
        format!(
            "The server reports wire version {server}{}, but this driver requires at least {driver}{}.",
            release(server),
            release(driver)
        )
    } else {
        format!(
            "The server requires wire version {server}{}, but this driver supports only up to {driver}{}.",
            release(server),
            release(driver)
        )
    })
}

/// " (MongoDB x.y)" for a known wire version, else nothing.
fn release(wire: u32) -> String {
    const RELEASES: [&str; 26] = [
        "2.4", "2.6", "2.6", "3.0", "3.2", "3.4", "3.6", "4.0", "4.2", "4.4", "4.7", "4.8", "4.9",
        "5.0", "5.1", "5.2", "5.3", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3", "8.0",
    ];
    usize::try_from(wire)
        .ok()
        .and_then(|i| RELEASES.get(i))
        .map(|v| format!(" (MongoDB {v})"))
        .unwrap_or_default()
}

/// The database named in the path of a connection string in the text, when the
/// string has no authSource and the database is not `admin`.
fn database_without_auth_source(text: &str) -> Option<String> {
    for range in crate::redact::find_uris(text) {
        let uri = &text[range];
        let rest = &uri[uri.find("://")? + 3..];
        let after_hosts = &rest[rest.rfind('@').map_or(0, |i| i + 1)..];
        let Some(slash) = after_hosts.find('/') else {
            continue;
        };
        let path = &after_hosts[slash + 1..];
        let (db, query) = path.split_once('?').unwrap_or((path, ""));
        if db.is_empty()
            || db.eq_ignore_ascii_case("admin")
            || query.to_ascii_lowercase().contains("authsource=")
        {
            continue;
        }
        return Some(db.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_pattern_compiles_and_has_a_name_and_example() {
        let mut names = std::collections::HashSet::new();
        for rule in RULES {
            assert!(!rule.name.is_empty());
            assert!(names.insert(rule.name), "duplicate rule name {}", rule.name);
            assert!(
                !rule.example.is_empty(),
                "rule {} has no example",
                rule.name
            );
        }
        assert_eq!(COMPILED.patterns.len(), RULES.len());
    }

    /// A test per rule: each rule's example is decided by that very rule.
    #[test]
    fn every_rule_decides_its_own_example() {
        let mut failures = Vec::new();
        for rule in RULES {
            let e = explain(rule.example);
            if e.rule != Some(rule.name) || e.diagnosis.finding != Some(rule.finding) {
                failures.push(format!(
                    "{}: decided by {:?} as {:?}",
                    rule.name, e.rule, e.diagnosis.finding
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "rules not deciding their example:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn every_finding_class_is_reachable() {
        for class in [
            Class::ConfigInvalid,
            Class::Dns,
            Class::TcpRefused,
            Class::NetworkTimeout,
            Class::IpAccessList,
            Class::Tls,
            Class::Server,
            Class::AuthFailed,
            Class::Authorization,
        ] {
            assert!(
                RULES.iter().any(|r| r.finding.class() == class),
                "{class} has no rule"
            );
        }
    }

    #[test]
    fn empty_input_is_unknown_with_a_checklist() {
        for text in ["", "   \n\t "] {
            let e = explain(text);
            assert_eq!(e.class(), Class::Unknown);
            assert_eq!(e.diagnosis.finding, None);
            assert!(e.matched.is_empty());
            assert!(
                e.diagnosis
                    .fixes
                    .iter()
                    .any(|f| f.contains("atlas-doctor ping"))
            );
        }
    }

    #[test]
    fn unrelated_text_is_unknown() {
        let e = explain("TypeError: Cannot read properties of undefined (reading 'map')");
        assert_eq!(e.class(), Class::Unknown);
        assert_eq!(e.rule, None);
    }

    #[test]
    fn binary_bytes_never_panic() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let text = decode_input(&bytes);
        let e = explain(&text);
        assert!(matches!(e.class(), Class::Unknown) || e.rule.is_some());
        let mut noisy = bytes.clone();
        noisy.extend_from_slice(
            b"\xff\xfe querySrv ECONNREFUSED _mongodb._tcp.c0.ab1cd.mongodb.net \xc3\x28",
        );
        assert_eq!(explain(&decode_input(&noisy)).class(), Class::Dns);
    }

    #[test]
    fn owned_decoding_agrees_with_borrowed_decoding() {
        let cases: [&[u8]; 4] = [
            b"plain ascii",
            "caf\u{e9} \u{1F600}".as_bytes(),
            b"bad \xff\xfe bytes",
            b"",
        ];
        for bytes in cases {
            assert_eq!(decode_input_owned(bytes.to_vec()), decode_input(bytes));
        }
        // Cut inside a multi-byte character at the limit: replaced, never a panic.
        let mut big = vec![b'a'; MAX_INPUT_BYTES - 1];
        big.extend_from_slice("\u{e9}".as_bytes());
        assert_eq!(decode_input_owned(big.clone()), decode_input(&big));
    }

    #[test]
    fn five_megabytes_are_cut_to_the_limit() {
        let mut big = "INFO all is well ".repeat(300_000); // about 5 MB
        big.push_str("MongoServerError: bad auth : Authentication failed.");
        assert!(big.len() > 5_000_000);
        assert_eq!(decode_input(big.as_bytes()).len(), MAX_INPUT_BYTES);
        let e = explain(&big);
        // The error sits past the 4 MiB limit, so it is not seen.
        assert_eq!(e.class(), Class::Unknown);
        let within = format!(
            "{}MongoServerError: bad auth : Authentication failed.",
            "x ".repeat(2_000_000)
        );
        assert_eq!(explain(&within).class(), Class::AuthFailed);
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        let text = "é".repeat(10);
        assert_eq!(truncate(&text, 5), "éé");
        assert_eq!(truncate(&text, 100), text);
    }

    #[test]
    fn password_in_a_pasted_uri_never_reaches_the_output() {
        // Built at test time: no credential-shaped literal is committed.
        let text = format!(
            "MongoServerError: bad auth : Authentication failed. uri=mongodb+srv://app:{}@cluster0.ab1cd.mongodb.net/shop",
            "Sup3rS3cret"
        );
        let e = explain(&text);
        assert_eq!(e.diagnosis.finding, Some(Finding::AuthFailedAtlas));
        let all = format!("{e:?}");
        assert!(!all.contains("Sup3rS3cret"), "{all}");
        let e = explain(
            "MongoServerError: bad auth : Authentication failed mongodb://app:Sup3rS3cret@h/",
        );
        for line in e.matched.iter().chain(&e.diagnosis.evidence) {
            assert!(!line.contains("Sup3rS3cret"));
        }
    }

    #[test]
    fn inner_error_beats_the_wrapper() {
        let node = "MongoServerSelectionError: Server selection timed out after 30000 ms\n reason: TopologyDescription { servers: Map(1) { 'ac-x-shard-00-00.ab1cd.mongodb.net:27017' => ServerDescription { error: MongoNetworkError: 40E8:error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:ssl/record/rec_layer_s3.c:1590:SSL alert number 80 } } }";
        assert_eq!(
            explain(node).diagnosis.finding,
            Some(Finding::IpAccessListAlert)
        );
        let java = "Timed out after 30000 ms while waiting to connect. Client view of cluster state is {type=UNKNOWN, servers=[{address=localhost:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}]";
        assert_eq!(explain(java).class(), Class::TcpRefused);
        let pymongo = "pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection refused, Timeout: 30s, Topology Description: <TopologyDescription id: 1, topology_type: Unknown, servers: [<ServerDescription ('localhost', 27017) server_type: Unknown, rtt: None, error=AutoReconnect('localhost:27017: [Errno 111] Connection refused')>]>";
        assert_eq!(explain(pymongo).class(), Class::TcpRefused);
        let go = "server selection error: context deadline exceeded, current topology: { Type: Unknown, Servers: [{ Addr: c0.ab1cd.mongodb.net:27017, Type: Unknown, Last error: connection() error occurred during connection handshake: auth error: sasl conversation error: unable to authenticate using mechanism \"SCRAM-SHA-1\": (AtlasError) bad auth : authentication failed }, ] }";
        assert_eq!(
            explain(go).diagnosis.finding,
            Some(Finding::AuthFailedAtlas)
        );
    }

    #[test]
    fn ambiguous_texts_list_alternatives_and_the_live_command() {
        let e = explain("MongoTimeoutError: Server selection timed out after 30000 ms");
        assert_eq!(e.class(), Class::NetworkTimeout);
        assert!(!e.alternatives.is_empty());
        assert!(
            e.diagnosis
                .causes
                .iter()
                .any(|c| c.starts_with("Also possible"))
        );
        assert!(
            e.diagnosis
                .fixes
                .iter()
                .any(|f| f.contains("atlas-doctor ping"))
        );

        let e = explain(
            "MongooseServerSelectionError: Could not connect to any servers in your MongoDB Atlas cluster. One common reason is that you're trying to access the database from an IP that isn't whitelisted.",
        );
        assert_eq!(e.class(), Class::IpAccessList);
        assert!(e.alternatives.contains(&Finding::AuthFailedAtlas));
        assert!(
            e.diagnosis
                .fixes
                .iter()
                .any(|f| f.contains("atlas-doctor auth-check"))
        );
    }

    #[test]
    fn wrappers_and_the_same_words_read_twice_add_no_alternatives() {
        let e = explain("Error: querySrv ECONNREFUSED _mongodb._tcp.cluster0.ab1cd.mongodb.net");
        assert!(
            !e.alternatives.contains(&Finding::TcpRefused),
            "{:?}",
            e.alternatives
        );
        let e = explain(
            "MongoServerSelectionError: Server at localhost:27017 reports maximum wire version 6, but this version of the Node.js Driver requires at least 8 (MongoDB 4.2)",
        );
        assert!(e.alternatives.is_empty(), "{:?}", e.alternatives);
        assert!(
            !e.diagnosis
                .fixes
                .iter()
                .any(|f| f.contains("atlas-doctor ping"))
        );
        // Different words for different servers are real alternatives.
        let e = explain(
            "Last error: dial tcp 10.0.0.1:27017: connect: connection refused; Last error: dial tcp 10.0.0.2:27017: i/o timeout",
        );
        assert_eq!(e.diagnosis.finding, Some(Finding::TcpRefused));
        assert!(
            e.alternatives.contains(&Finding::NetworkTimeout),
            "{:?}",
            e.alternatives
        );
    }

    /// `explain` on the output of a live run gives the class that run found.
    #[test]
    fn atlas_doctor_reports_explain_to_their_own_finding() {
        let mut summaries = std::collections::HashSet::new();
        for &finding in Finding::ALL {
            let advice = finding.advice();
            assert!(
                summaries.insert(advice.summary),
                "{finding:?} shares its summary"
            );
            let class = finding.class();
            let human = format!(
                "atlas-doctor ping mongodb+srv://app:****@c0.ab1cd.mongodb.net/  (from env:MONGODB_URI)\n\nFAIL {}\n\nFAIL {class}: {} (exit {})\n",
                advice.summary,
                advice.summary,
                class.exit_code()
            );
            let e = explain(&human);
            assert_eq!(
                e.diagnosis.finding,
                Some(finding),
                "human report of {finding:?}"
            );
            assert_eq!(e.class(), class);
            let json = serde_json::json!({
                "schema_version": 1, "command": "ping", "class": class,
                "diagnosis": Diagnosis::from_finding(finding).with_summary("sharpened by the probe"),
            })
            .to_string();
            assert_eq!(
                explain(&json).diagnosis.finding,
                Some(finding),
                "json report of {finding:?}"
            );
            let again = crate::report::explain::json(&explain(&json));
            assert_eq!(
                explain(&again).diagnosis.finding,
                Some(finding),
                "explain of explain"
            );
        }
    }

    #[test]
    fn driver_wordings_beyond_the_rule_examples() {
        let cases = [
            (
                "Kind: An error occurred during DNS resolution: no record found for Query { name: Name(\"_mongodb._tcp.c0.ab1cd.mongodb.net.\"), query_type: SRV, query_class: IN } response_code: NXDomain",
                Finding::DnsNoSuchName,
            ),
            (
                "Kind: An error occurred during DNS resolution: no record found for Query { name: Name(\"_mongodb._tcp.c0.ab1cd.mongodb.net.\"), query_type: SRV, query_class: IN }",
                Finding::DnsNoRecords,
            ),
            (
                "Mongo::Error::NoSRVRecords: The DNS query returned no SRV records at 'c0.ab1cd.mongodb.net'",
                Finding::DnsNoRecords,
            ),
            (
                "pymongo.errors.ConfigurationError: All nameservers failed to answer the query _mongodb._tcp.c0.ab1cd.mongodb.net. IN SRV: Server 1.1.1.1 UDP port 53 answered SERVFAIL",
                Finding::DnsServerFailure,
            ),
            (
                "pymongo.errors.ConfigurationError: The resolution lifetime expired after 21.3 seconds: Server 127.0.0.53 UDP port 53 answered The DNS operation timed out.",
                Finding::DnsTimeout,
            ),
            (
                "Kind: I/O error: invalid peer certificate: Expired, labels: {}",
                Finding::TlsExpired,
            ),
            (
                "Kind: I/O error: invalid peer certificate: NotValidForName, labels: {}",
                Finding::TlsNameMismatch,
            ),
            (
                "javax.net.ssl.SSLException: Received fatal alert: internal_error (c0-shard-00-00.ab1cd.mongodb.net:27017)",
                Finding::IpAccessListAlert,
            ),
            (
                "MongoServerError: you are over your space quota, using 513 MB of 512 MB { ok: 0, code: 8000, codeName: 'AtlasError' }",
                Finding::AtlasQuotaExceeded,
            ),
            (
                "server selection error: server selection timeout, current topology: { Type: ReplicaSetNoPrimary, Servers: [{ Addr: c0-shard-00-00.ab1cd.mongodb.net:27017, Type: Unknown, Last error: remote error: tls: internal error }, ] }",
                Finding::IpAccessListAlert,
            ),
            (
                "System.TimeoutException: A timeout occurred after 30000ms selecting a server ... HeartbeatException: \"MongoDB.Driver.MongoConnectionException: An exception occurred while opening a connection to the server. ---> System.Net.Sockets.SocketException (10060): A connection attempt failed because the connected party did not properly respond after a period of time",
                Finding::NetworkTimeout,
            ),
        ];
        for (text, finding) in cases {
            assert_eq!(explain(text).diagnosis.finding, Some(finding), "{text}");
        }
    }

    #[test]
    fn ipv6_localhost_gets_the_node_note_only_when_ipv4_was_fine() {
        let e = explain("MongoServerSelectionError: connect ECONNREFUSED ::1:27017");
        assert_eq!(e.rule, Some("tcp_refused_ipv6_localhost"));
        assert!(e.diagnosis.causes[0].contains("::1"));
        assert!(e.diagnosis.fixes[0].contains("127.0.0.1"));
        let both = explain(
            "Unable to connect: connect ECONNREFUSED 127.0.0.1:27017, connect ECONNREFUSED ::1:27017",
        );
        assert_eq!(both.rule, Some("tcp_refused"));
    }

    #[test]
    fn wire_versions_are_named() {
        let e = explain(
            "Server at localhost:27017 reports wire version 5, but this version of the Node.js Driver requires at least 7 (MongoDB 4.0)",
        );
        assert_eq!(e.diagnosis.finding, Some(Finding::WireVersionTooOld));
        assert_eq!(
            e.diagnosis.summary,
            "The server reports wire version 5 (MongoDB 3.4), but this driver requires at least 7 (MongoDB 4.0)."
        );
        let e = explain(
            "Server at db:27017 requires wire version 21, but this version of the Go driver only supports up to 17",
        );
        assert_eq!(e.diagnosis.finding, Some(Finding::WireVersionTooNew));
        assert!(
            e.diagnosis.summary.contains("21 (MongoDB 7.0)"),
            "{}",
            e.diagnosis.summary
        );
    }

    #[test]
    fn atlas_hosts_and_server_codes_are_evidence() {
        let e = explain(
            "MongoServerError: bad auth : Authentication failed. { ok: 0, code: 8000, codeName: 'AtlasError' } host cluster0-shard-00-01.ab1cd.mongodb.net:27017",
        );
        let evidence = e.diagnosis.evidence.join("\n");
        assert!(evidence.contains("rule: atlas_bad_auth"), "{evidence}");
        assert!(
            evidence.contains("cluster0-shard-00-01.ab1cd.mongodb.net"),
            "{evidence}"
        );
        assert!(
            evidence.contains("server error code 8000 (AtlasError)"),
            "{evidence}"
        );
    }

    #[test]
    fn auth_failure_with_a_database_and_no_auth_source_suspects_auth_source() {
        let e = explain(
            "MongoServerError: Authentication failed. while connecting to mongodb://app:****@10.0.0.5:27017/shop",
        );
        assert_eq!(e.diagnosis.finding, Some(Finding::AuthFailed));
        assert!(
            e.diagnosis.causes[0].contains("'shop'"),
            "{:?}",
            e.diagnosis.causes
        );
        let e = explain(
            "MongoServerError: Authentication failed. mongodb://app:****@10.0.0.5:27017/shop?authSource=admin",
        );
        assert!(!e.diagnosis.causes[0].contains("'shop'"));
    }

    #[test]
    fn fragments_are_short_and_collapsed() {
        assert_eq!(fragment("a \n\t b"), "a b");
        let long = "x".repeat(500);
        assert_eq!(fragment(&long).chars().count(), MAX_FRAGMENT_CHARS + 1);
    }
}
