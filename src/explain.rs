//! `atlas-doctor explain`: classifies an error message pasted from any driver
//! (Node.js and mongoose, pymongo and motor, Java and Spring, Go, Rust, C#, PHP,
//! Ruby, mongosh, Compass, the legacy shell) into the same classes and findings
//! as the live probes, offline.
//!
//! The text is redacted first and read through `wording`, the one place that
//! knows how drivers and servers word errors; the live probes read driver text
//! through the same module, so both name the same finding for the same words.
//! What the words cannot decide (a bare server-selection timeout) is said so,
//! with the candidates in order. A pasted log with several errors is read error
//! by error; the first in time is the verdict. No fragment shown back
//! (`matched`, evidence) can hold a password: everything runs on redacted text.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::class::Class;
use crate::model::finding::Finding;
use crate::model::verdict::Diagnosis;
use crate::redact::redact_text;
use crate::uri::userinfo::{self, credentials_end};
use crate::wording::{self, Family, Knowledge, Reading, Tier, learned, rules};

/// The most input `explain` reads; the rest is ignored. Whole stack traces and
/// log excerpts fit many times over.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// The longest fragment shown in `matched`.
const MAX_FRAGMENT_CHARS: usize = 200;

/// At most this many alternatives are listed.
const MAX_ALTERNATIVES: usize = 4;

/// A pasted log is read error by error up to this many records; a longer one
/// is read as one text (each record costs a pass of the rules).
const MAX_RECORDS: usize = 200;

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
    /// False when the text cannot tell the cause (a bare server-selection
    /// timeout): the class is then the likeliest of `candidates`.
    pub decidable: bool,
    /// When undecidable: the possible findings, likeliest first, each with why.
    pub candidates: Vec<Candidate>,
    /// A pasted log's distinct errors, in the order they appear; the verdict is
    /// the first in time. Empty for a single error.
    pub errors: Vec<Seen>,
}

/// One possible cause of an undecidable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub finding: Finding,
    pub why: String,
}

/// One distinct error of a pasted log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub finding: Finding,
    pub matched: String,
    /// Whether this one decided the verdict.
    pub root: bool,
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
    explain_with(text, Knowledge::full())
}

/// `explain` with other data: a model trained on part of the corpus, or the
/// driver messages without a fold (cross-validation scores what was left out).
pub fn explain_with(text: &str, knowledge: Knowledge<'_>) -> Explanation {
    let text = redact_text(truncate(text, MAX_INPUT_BYTES));
    if let Some(own) = own_report(&text) {
        return own;
    }
    if let Some(log) = explain_log(&text, knowledge) {
        return log;
    }
    explain_one(&text, &text, knowledge)
}

/// Reads `part` (all of `text`, or one record of a log) and explains it; the
/// whole `text` still lends its context (hosts, the driver, the URI).
fn explain_one(text: &str, part: &str, knowledge: Knowledge<'_>) -> Explanation {
    let readings = wording::readings_in(part, knowledge.templates);
    let best = wording::best(readings.clone());
    if best.is_none()
        && let Some(at) = wording::application_error(part)
    {
        if wording::refused_command_only(part) {
            return refused_command_unread(&part[at]);
        }
        return not_a_connection_error(&part[at]);
    }
    let Some(reading) = best.or_else(|| learned::reading(knowledge.model(), part)) else {
        return unknown(text);
    };
    let reading = refused_first_on_loopback(reading, part);
    let alternatives = alternatives(&reading, &readings);
    let mut matched = vec![fragment(&part[reading.at.clone()])];
    if let Some(shown) = reading.also_at.clone().map(|r| fragment(&part[r]))
        && !matched.contains(&shown)
    {
        matched.push(shown);
    }
    let doubt = doubt(&reading, part);
    let decidable = reading.decidable() && doubt.is_none();
    let candidates = if decidable {
        Vec::new()
    } else {
        candidates(&reading, doubt.unwrap_or_default())
    };
    let diagnosis = diagnose(&reading, text, &alternatives, decidable);
    Explanation {
        diagnosis,
        matched,
        alternatives,
        rule: Some(reading.rule),
        decidable,
        candidates,
        errors: Vec::new(),
    }
}

/// Other findings the text may also mean: those the deciding words are known to
/// mean, then other rules that saw other words. A wrapper around the deciding
/// error is no alternative, nor the same fragment read twice ("querySrv
/// ECONNREFUSED" is DNS, not also a refused connection), nor weaker evidence
/// (a number, a template) than what decided.
fn alternatives(reading: &Reading, readings: &[Reading]) -> Vec<Finding> {
    let others = readings.iter().filter(|r| {
        matches!(r.tier, Tier::Specific | Tier::Vague)
            && r.rule != reading.rule
            && !(r.at.start < reading.at.end && reading.at.start < r.at.end)
    });
    let mut out: Vec<Finding> = Vec::new();
    for finding in reading
        .also
        .iter()
        .copied()
        .chain(others.map(|r| r.finding))
    {
        if finding != reading.finding && !out.contains(&finding) && out.len() < MAX_ALTERNATIVES {
            out.push(finding);
        }
    }
    out
}

/// A driver's summary that says what state the deployment was in, not why:
/// Node's "no primary found in replicaset" (2.x and 3.x, also when no member
/// could be reached at all), "no primary available", "no primary server".
static NO_PRIMARY_SUMMARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bno primary (?:found|available|server)").expect("valid regex")
});

/// A server's refusal of an action, beyond the bare word "Unauthorized".
static ACTION_REFUSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)not authorized (?:on|for|to)\b|\bcode\W{0,4}13\b|NotAuthorized|\(Unauthorized\)|privileges|permissions? to|is not allowed to")
        .expect("valid regex")
});

/// Words that decide a reading's class only with more in the text than they
/// give: when one of them decides alone, the text is undecidable, with these
/// findings as further candidates after the reading's own.
///
/// - A connection closed without a reply (`closed`: "Prematurely reached end
///   of stream", "connection closed", a reset) says that the server or
///   something in front of it hung up, not why: a plain connection to a
///   server that requires TLS, an IP access list, a proxy, a crash.
/// - "No primary found" as a driver's summary (not a server's reply such as
///   NotWritablePrimary): old Node drivers say it also when no member of the
///   set could be reached at all (an IP access list, a firewall, nothing
///   listening), and without the members' states the text cannot tell.
/// - The same closed connection against an Atlas host or a public address:
///   the access list comes first, but it stays a guess (a closed connection
///   with TLS in use still decides: the TLS layer is where it broke).
/// - The bare word "Unauthorized" with nothing of an action refused.
fn doubt(reading: &Reading, part: &str) -> Option<&'static [Finding]> {
    if !reading.decidable() {
        return None;
    }
    if reading.tier == Tier::Vague {
        // Words that fit several causes (the tier says so): deciding alone,
        // they cannot tell which.
        return Some(&[]);
    }
    let words = part.get(reading.at.clone()).unwrap_or_default();
    match reading.rule {
        "closed" => Some(&[Finding::TlsRequired, Finding::IpAccessListClosed]),
        // The same closed connection, where the host (an Atlas host, a
        // public address) makes the access list likelier first.
        "closed_atlas" | "node_monitor_closed" => Some(&[Finding::ClosedWithoutReply]),
        // The bare word, with nothing of the server's refusal of an action
        // (not authorized on, code 13, privileges): a refused login is also
        // worded "Unauthorized" (HTTP 401, some ODMs and connectors).
        "unauthorized"
            if words.eq_ignore_ascii_case("unauthorized") && !ACTION_REFUSED.is_match(part) =>
        {
            Some(&[Finding::AuthFailed])
        }
        "no_primary" if NO_PRIMARY_SUMMARY.is_match(words) => Some(&[
            Finding::IpAccessListClosed,
            Finding::NetworkTimeout,
            Finding::TcpRefused,
        ]),
        _ => None,
    }
}

/// A server-selection summary with no reason whose only hosts are this
/// machine's (localhost, 127.0.0.1, ::1): a local server that is not running
/// refuses at once, and that is the commonest story ("failed to connect to
/// [localhost:27017]"); a timeout is likelier for a remote host. The summary
/// stays undecidable; only the order of its candidates changes.
fn refused_first_on_loopback(mut reading: Reading, part: &str) -> Reading {
    if reading.tier == Tier::Wrapper
        && reading.finding == Finding::NetworkTimeout
        && reading.also.contains(&Finding::TcpRefused)
        && wording::names_only_loopback(part)
    {
        reading.also.retain(|f| *f != Finding::TcpRefused);
        reading.also.insert(0, Finding::NetworkTimeout);
        reading.finding = Finding::TcpRefused;
    }
    reading
}

/// The possible causes of an undecidable text, likeliest first, each with why:
/// the reading's own finding, those its words are known to mean, then `more`.
fn candidates(reading: &Reading, more: &[Finding]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for finding in std::iter::once(reading.finding)
        .chain(reading.also.iter().copied())
        .chain(more.iter().copied())
    {
        if out.iter().any(|c| c.finding == finding) {
            continue;
        }
        let advice = finding.advice();
        let why = advice
            .causes
            .first()
            .map_or_else(|| advice.summary.to_string(), |c| (*c).to_string());
        out.push(Candidate { finding, why });
    }
    out
}

static RECORD_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^(?:\s*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\s*\{\x22t\x22:\{\x22\$date\x22|[A-Za-z_$][\w.$]*(?:Error|Exception)\b[^\n]{0,200}?:)")
        .expect("valid regex")
});

/// The records of a pasted log: byte ranges that each start with a timestamp,
/// a JSON log line or an `XxxError:`/`XxxException:` at the start of a line.
fn records(text: &str) -> Vec<Range<usize>> {
    let starts: Vec<usize> = RECORD_START.find_iter(text).map(|m| m.start()).collect();
    let mut out = Vec::new();
    let mut from = 0;
    for &s in starts.iter().filter(|&&s| s > 0) {
        out.push(from..s);
        from = s;
    }
    out.push(from..text.len());
    out
}

/// A pasted log with errors of more than one finding: each distinct one is
/// reported and the first in time is the verdict (a record that only says no
/// server was usable yields to one that says why). `None` for a single error.
fn explain_log(text: &str, knowledge: Knowledge<'_>) -> Option<Explanation> {
    let records = records(text);
    if records.len() < 2 || records.len() > MAX_RECORDS {
        return None;
    }
    let read: Vec<(Range<usize>, Reading)> = records
        .into_iter()
        .filter_map(|r| {
            wording::best(wording::readings_in(&text[r.clone()], knowledge.templates))
                .map(|reading| (r, reading))
        })
        .collect();
    let distinct = read
        .iter()
        .map(|(_, r)| r.finding.id())
        .collect::<std::collections::HashSet<_>>()
        .len();
    if distinct < 2 {
        return None;
    }
    let root = read.iter().position(|(_, r)| r.decidable()).unwrap_or(0);
    let (range, _) = &read[root];
    let mut e = explain_one(text, &text[range.clone()], knowledge);
    let mut errors: Vec<Seen> = Vec::new();
    for (i, (range, reading)) in read.iter().enumerate() {
        if let Some(seen) = errors.iter_mut().find(|s| s.finding == reading.finding) {
            seen.root |= i == root;
            continue;
        }
        let part = &text[range.clone()];
        errors.push(Seen {
            finding: reading.finding,
            matched: fragment(&part[reading.at.clone()]),
            root: i == root,
        });
    }
    for seen in errors.iter().filter(|s| !s.root) {
        e.diagnosis.evidence.push(format!(
            "also in this log: {} (\"{}\")",
            seen.finding.id(),
            seen.matched
        ));
    }
    e.errors = errors;
    Some(e)
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
        decidable: true,
        candidates: Vec::new(),
        errors: Vec::new(),
    })
}

/// Whether the text names localhost or the IPv6 loopback address.
fn mentions_localhost(text: &str) -> bool {
    static LOCALHOST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\blocalhost\b|::1\b|\[::1\]").expect("valid regex"));
    LOCALHOST.is_match(text)
}

/// The fix that comes first for a finding in the ecosystem the text shows: the
/// same failure has a different usual cure in Python, Node.js on Windows, Java.
fn ecosystem_fix(finding: Finding, family: Option<Family>, text: &str) -> Option<&'static str> {
    let windows = WINDOWS.is_match(text);
    match (finding, family?) {
        (Finding::TlsUnknownIssuer, Family::Python) => Some(
            "Python does not find the CA roots: `python -m pip install certifi` and pass `tlsCAFile=certifi.where()` to MongoClient; with a python.org install on macOS, run \"Install Certificates.command\" in its Applications folder. Against Atlas this, not a proxy, is the usual cause.",
        ),
        (Finding::TlsUnknownIssuer, Family::Java) => Some(
            "Java trusts only its own truststore: import the CA into it (`keytool -importcert -cacerts -file ca.pem`) or point the JVM at one (`-Djavax.net.ssl.trustStore=...`); an old JDK may also lack the roots Atlas uses.",
        ),
        (Finding::TlsUnknownIssuer, Family::Node) => Some(
            "Node.js trusts its own bundled CA list, not the system's: give it the CA with NODE_EXTRA_CA_CERTS=/path/ca.pem (or `tlsCAFile` in the connection string).",
        ),
        (
            Finding::DnsResolverUnreachable | Finding::DnsTimeout | Finding::DnsServerFailure,
            Family::Node,
        ) if windows => Some(
            "Node.js on Windows resolves SRV records itself (c-ares) and often cannot reach the system's DNS server: call `require('node:dns').setServers(['1.1.1.1', '8.8.8.8'])` before connecting, or use the standard mongodb:// connection string from the Atlas UI.",
        ),
        _ => None,
    }
}

static WINDOWS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z]:\\(?:users|program files|projects|code|dev|[a-z0-9_ -]+\\)|\bwin32\b|\bWinError\b|\bwindows\b|\.exe\b").expect("valid regex")
});

/// What a text that cannot decide lacks, said for the driver that wrote it:
/// the per-server error each driver prints next to its summary.
fn deciding_line(family: Option<Family>, rule: &str, tier: Tier) -> &'static str {
    if rule == "libmongoc_socket_timeout" {
        // The text is already the innermost error: what is missing is which
        // step after the TCP connect went unanswered.
        return "What would decide it: the server's log at that time (a connection accepted from this address, then nothing, says the path or TLS; no connection at all says a firewall), or `atlas-doctor ping`, which times the TCP, TLS and hello steps apart.";
    }
    if tier == Tier::Vague {
        // Words that fit several causes: the error under them says which.
        return "What would decide it: the error this message wraps or that was logged with it (a 'caused by', an inner exception, the driver's own error), or `atlas-doctor ping`, which tests each layer live.";
    }
    if matches!(rule, "closed" | "closed_atlas" | "node_monitor_closed") {
        // The connection was closed with no word: the server's side says why.
        return "What would decide it: the server's log at that time (a TLS handshake error from this address says it requires TLS: add tls=true; nothing at all says a firewall, proxy or IP access list), or `atlas-doctor ping`, which tries TCP, TLS and the hello apart.";
    }
    if rule == "unauthorized" {
        return "What would decide it: the server's own reply (code 13 'not authorized on <db> to execute command' is a missing privilege; code 18 'Authentication failed' is the login), or `atlas-doctor auth-check`, which tests the login and then the privileges.";
    }
    if rule == "no_primary" {
        // The summary names the state, not the members' errors.
        return "What would decide it: each member's state and error (the driver's server description, or rs.status() on a member): members that answered as SECONDARY say there is no primary; members that were never reached say the network (IP access list, firewall, nothing listening).";
    }
    if rule == "prisma_unreachable" {
        // Prisma's P1001 hides the driver's error; its engine logs it.
        return "What would decide it: the MongoDB driver's own error, which Prisma logs with DEBUG=\"prisma*\" (or `new PrismaClient({ log: ['query', 'info', 'warn', 'error'] })`): a refused connection, a timeout, a DNS or a TLS error.";
    }
    match family {
        Some(Family::Node) => {
            "What would decide it: the error's `reason` with each server's `error` (log `err.reason.servers`, or `console.dir(err, { depth: null })`), or the MongoNetworkError logged before this one."
        }
        Some(Family::Python) => {
            "What would decide it: the whole exception, whose Topology Description holds each server's `error=...` (NetworkTimeout, AutoReconnect('... refused'), an SSL error)."
        }
        Some(Family::Java) => {
            "What would decide it: the 'Client view of cluster state is ...' part, where each server has `exception={...}, caused by {...}`."
        }
        Some(Family::Go) => {
            "What would decide it: the 'current topology' part of the error, where each server has its 'Last error'."
        }
        Some(Family::CSharp) => {
            "What would decide it: the 'Client view of cluster state is ...' part, where each server has its HeartbeatException."
        }
        Some(Family::Php | Family::Ruby | Family::Rust | Family::Shell) | None => {
            "What would decide it: the innermost error printed with this summary (its 'caused by', 'reason' or per-server error, such as connection refused, timed out, or a TLS or DNS error)."
        }
    }
}

/// Builds the diagnosis of the deciding reading: the finding's words, sharpened
/// by the reading and by what the text names, plus the alternatives as causes.
fn diagnose(reading: &Reading, text: &str, alternatives: &[Finding], decidable: bool) -> Diagnosis {
    let mut d = Diagnosis::from_finding(reading.finding);
    if let Some(summary) = wire_version_summary(reading.finding, text) {
        d = d.with_summary(summary.clone()).with_evidence(summary);
    }
    if reading.finding == Finding::AuthFailed
        && let Some(db) = database_without_auth_source(text)
    {
        d = d.with_first_cause(format!(
            "The connection string names the database '{db}' but no authSource, so the driver authenticates against '{db}'; users created in Atlas or with the shell usually live in 'admin' (add authSource=admin)."
        ));
    }
    // The Node.js localhost-to-::1 story needs localhost (or ::1) in the text of
    // a Node.js (or unknown) driver: a refused 127.0.0.1, a remote address or a
    // Python trace is not it. A rule's own note tells it more precisely.
    let node_or_unknown = matches!(
        wording::driver_family(text),
        None | Some(Family::Node | Family::Shell)
    );
    if reading.finding == Finding::TcpRefused
        && (reading.note.is_some() || !mentions_localhost(text) || !node_or_unknown)
    {
        d = d.without(
            crate::model::finding::TCP_REFUSED_LOCALHOST_CAUSE,
            crate::model::finding::TCP_REFUSED_LOCALHOST_FIX,
        );
    }
    if let Some(note) = reading.note {
        d = d.with_first_cause(note);
    }
    // An undecidable text lists its alternatives once, as ordered `candidates`
    // with why; repeating them as causes said each of them twice.
    if decidable {
        for alt in alternatives {
            d.causes.push(format!(
                "Also possible ({}): {}",
                alt.id(),
                alt.advice().summary
            ));
        }
    }
    if let Some(fix) = reading.fix {
        if reading.replaces_fixes {
            d.fixes.clear();
        }
        d = d.with_first_fix(fix);
    }
    let family = wording::driver_family(text);
    if let Some(fix) = ecosystem_fix(reading.finding, family, text) {
        d = d.with_first_fix(fix);
    }
    if !alternatives.is_empty() || !decidable {
        let credentials = std::iter::once(reading.finding)
            .chain(alternatives.iter().copied())
            .any(|f| matches!(f.class(), Class::AuthFailed | Class::Authorization));
        let hint = if credentials {
            rules::AUTH_CHECK_HINT
        } else {
            rules::PING_HINT
        };
        if decidable {
            d.fixes.push(hint.to_string());
        } else {
            // The text cannot tell: the live check is the next step, not a guess.
            d = d.with_first_fix(hint);
        }
    }
    // The rule's own note, when it has one, already says why the text cannot decide.
    if !decidable && reading.tier == Tier::Wrapper && reading.note.is_none() {
        d = d.with_first_cause(
            "The text cannot tell the cause: it is the driver's summary that no server became usable in time, without the per-server error that says why.",
        );
    }
    if !decidable {
        // The first candidate is the likeliest; the line that would settle it
        // is named, in the words of the driver that wrote the text.
        d.fixes.insert(
            1.min(d.fixes.len()),
            if reading.disputed {
                "What would decide it: which member the operation needed (the primary, for a write or the primary read preference): rs.status() or the Atlas UI names it, and that member's error is the cause; each error shown may need its own fix."
            } else {
                deciding_line(family, reading.rule, reading.tier)
            }
            .to_string(),
        );
    }
    d = d.with_evidence(format!("rule: {}", reading.rule));
    if let Some(evidence) = &reading.evidence {
        d = d.with_evidence(evidence.clone());
    }
    if let Some(family) = family {
        d = d.with_evidence(format!("driver family: {family:?}").to_lowercase());
    }
    let hosts = atlas_hosts(text);
    if !hosts.is_empty() {
        d = d.with_evidence(format!("Atlas hosts in the text: {}", hosts.join(", ")));
    }
    if let Some(code) = server_code(text)
        && !d.evidence.contains(&code)
    {
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
        subject: None,
        failure_line: None,
    };
    if text.trim().is_empty() {
        diagnosis.evidence.push("the input was empty".to_string());
    }
    Explanation {
        diagnosis,
        matched: Vec::new(),
        alternatives: Vec::new(),
        rule: None,
        decidable: true,
        candidates: Vec::new(),
        errors: Vec::new(),
    }
}

/// The diagnosis of a text that is an application's or data error (a
/// duplicate key, a cast or validation error, a warning, a type error in the
/// code): class `unknown`, saying so, rather than a guess at a connection cause.
fn not_a_connection_error(matched: &str) -> Explanation {
    let rule = "application_error";
    let diagnosis = Diagnosis {
        class: Class::Unknown,
        finding: None,
        summary: "This is an application or data error, not a connection problem.".to_string(),
        causes: vec![
            "The words in the text come from the application's code, its data or its ODM (a duplicate key, a failed cast or validation, a deprecation warning, a type error), not from connecting to MongoDB.".to_string(),
        ],
        fixes: vec![
            "Fix it where the application or its data is wrong; atlas-doctor checks connections, not application code.".to_string(),
            "If connecting fails too, paste that error (with its 'caused by' or 'reason' part) and run `atlas-doctor explain` again.".to_string(),
        ],
        evidence: vec![format!("rule: {rule}")],
        failure_line: None,
        subject: None,
    };
    Explanation {
        diagnosis,
        matched: vec![fragment(matched)],
        alternatives: Vec::new(),
        rule: Some(rule),
        decidable: true,
        candidates: Vec::new(),
        errors: Vec::new(),
    }
}

/// A server's refusal of a command whose words no rule or data-error name
/// reads: the server answered, so the connection works, but the refusal may be
/// about the command and its data (most often) or about the deployment (a
/// server too old for the command, a replica set not configured). `unknown`
/// with no rule: it claims neither. (Not `decidable: false`: an undecidable
/// answer's class is the likeliest of its candidates, and `unknown` is no
/// finding's class, so it could list none.)
fn refused_command_unread(matched: &str) -> Explanation {
    let diagnosis = Diagnosis {
        class: Class::Unknown,
        finding: None,
        summary: "The server refused a command in words this tool does not know: the connection works, and most often the command or its data is what is wrong.".to_string(),
        causes: vec![
            "The server answered, so connecting worked. If its words are about the command or its data (a query, a write, a validation), it is the application's error; if they are about the deployment (a command the server version does not have, a replica set not initiated or misconfigured), it is a server problem.".to_string(),
        ],
        fixes: vec![
            "What would decide it: the server's error code and codeName with the command that was sent (a data or query error, or one about the deployment such as CommandNotFound or InvalidReplicaSetConfig).".to_string(),
            "If connecting fails too, paste that error (with its 'caused by' or 'reason' part) and run `atlas-doctor explain` again.".to_string(),
        ],
        evidence: Vec::new(),
        failure_line: None,
        subject: None,
    };
    Explanation {
        diagnosis,
        matched: vec![fragment(matched)],
        alternatives: Vec::new(),
        rule: None,
        decidable: true,
        candidates: Vec::new(),
        errors: Vec::new(),
    }
}

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
    Regex::new(concat!(
        r"(?i)(?-u:\b)[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.",
        crate::uri::atlas_domain_pattern!(),
        r"(?-u:\b)"
    ))
    .expect("valid regex")
});

/// Distinct Atlas host names in the text (at most three), for the evidence.
fn atlas_hosts(text: &str) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for m in ATLAS_HOST.find_iter(text) {
        let mut host = m.as_str().to_ascii_lowercase();
        // In a percent-encoded URI (`app%3Apw%40cluster0...`) the match starts inside the escape:
        // the two hex digits after `%` belong to it, not to the host.
        if text[..m.start()].ends_with('%') && host.len() > 2 {
            host.drain(..2);
        }
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
    i32::try_from(wire)
        .ok()
        .and_then(crate::model::wire::release)
        .map(|v| format!(" (MongoDB {v})"))
        .unwrap_or_default()
}

/// The database named in the path of a connection string in the text, when the
/// string has no authSource and the database is not `admin`.
fn database_without_auth_source(text: &str) -> Option<String> {
    for range in crate::redact::find_uris(text) {
        let uri = &text[range];
        let rest = &uri[uri.find("://")? + 3..];
        let after_hosts =
            &rest[credentials_end(rest, userinfo::Reading::LastAt).map_or(0, |i| i + 1)..];
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
    use crate::wording::rules::RULES;

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
        let e = explain("the weather in Lisbon is mild in December");
        assert_eq!(e.class(), Class::Unknown);
        assert_eq!(e.rule, None);
    }

    #[test]
    fn r22_5_an_undecidable_text_names_the_line_that_would_decide_it() {
        let py = explain(
            "pymongo.errors.ServerSelectionTimeoutError: No servers found yet, Timeout: 30.0s",
        );
        assert!(!py.decidable);
        assert_eq!(py.candidates[0].finding, py.diagnosis.finding.unwrap());
        assert!(
            py.diagnosis.fixes.iter().any(
                |f| f.starts_with("What would decide it") && f.contains("Topology Description")
            ),
            "{:?}",
            py.diagnosis.fixes
        );
        let node = explain("MongoServerSelectionError: Server selection timed out after 30000 ms");
        assert!(
            node.diagnosis
                .fixes
                .iter()
                .any(|f| f.contains("err.reason.servers")),
            "{:?}",
            node.diagnosis.fixes
        );
        // A text that decides needs no such line.
        let refused = explain("MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017");
        assert!(
            !refused
                .diagnosis
                .fixes
                .iter()
                .any(|f| f.starts_with("What would decide it"))
        );
    }

    #[test]
    fn r22_4_application_and_data_errors_are_unknown_and_say_so() {
        for text in [
            "TypeError: Cannot read properties of undefined (reading 'map')",
            "MongoServerError: E11000 duplicate key error collection: shop.users index: email_1 dup key: { email: \"a@b.c\" }",
            "CastError: Cast to ObjectId failed for value \"abc\" (type string) at path \"_id\" for model \"User\"",
            "ValidationError: User validation failed: email: Path `email` is required.",
            "(node:1234) [MONGOOSE] DeprecationWarning: Mongoose: the `strictQuery` option will be switched back to `false` by default in Mongoose 7.",
            "TypeError: mongoose.connect is not a function",
            "AttributeError: 'Collection' object has no attribute 'insert'",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::Unknown, "{text}: {:?}", e.rule);
            assert_eq!(e.rule, Some("application_error"), "{text}");
            assert!(
                e.diagnosis.summary.contains("application or data error"),
                "{text}"
            );
        }
        // A connection failure inside the same text still decides.
        let e = explain(
            "TypeError: x is undefined\nMongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017",
        );
        assert_eq!(e.class(), Class::TcpRefused);
    }

    #[test]
    fn r22_4_driver_odm_and_server_error_names_are_application_errors() {
        for text in [
            "pymongo.errors.DuplicateKeyError: E11000 duplicate key error collection: app.users index: name_1",
            "org.springframework.dao.DuplicateKeyException: Write operation error on server localhost:27017",
            "mongoengine.errors.NotUniqueError: Tried to save duplicate unique keys",
            "app.models.User.DoesNotExist: User matching query does not exist.",
            "beanie.exceptions.RevisionIdWasChanged",
            "beanie.exceptions.DocumentNotFound",
            "DocumentNotFoundError: No document found for query \"{ _id: 1 }\" on model \"User\"",
            "VersionError: No matching document found for id \"64b\" version 0 modifiedPaths \"tags\"",
            "MongoServerError: WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.",
            "Command failed with error 66 (ImmutableField): 'Performing an update on the path '_id' would modify the immutable field '_id''",
            "MongoServerError: Unrecognized pipeline stage name: '$lookupp'",
            "MongoServerError: unknown operator: $regexx",
            "bson.errors.InvalidId: 'abc' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string",
            "bson.errors.InvalidDocument: cannot encode object: Decimal('1.0'), of type: <class 'decimal.Decimal'>",
            "org.bson.codecs.configuration.CodecConfigurationException: Can't find a codec for class com.example.User.",
            "System.FormatException: Element 'extra' does not match any field or property of class App.User.",
            "mongo: no documents in result",
            "error decoding key name: cannot decode string into an integer type",
            "UserWarning: MongoClient opened before fork. May not be entirely fork-safe, proceed with caution.",
            // A client used after close, the server's data and time-limit
            // codeNames, Mongoid's data errors.
            "MongoTopologyClosedError: Topology is closed",
            "pymongo.errors.InvalidOperation: Cannot use MongoClient after close",
            "MongoServerError: ns not found",
            "MongoServerError: operation exceeded time limit",
            "Mongoid::Errors::Validations: message: Validation of User failed.",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::Unknown, "{text}: {:?}", e.rule);
            assert_eq!(e.rule, Some("application_error"), "{text}");
        }
        // Connection failures that carry such words elsewhere still decide.
        for text in [
            "pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection refused\nUserWarning: MongoClient opened before fork.",
            "com.mongodb.MongoSocketOpenException: Exception opening socket\nCaused by: java.net.ConnectException: Connection refused\n\tat org.springframework.dao.DuplicateKeyException",
        ] {
            assert_eq!(explain(text).class(), Class::TcpRefused, "{text}");
        }
    }

    /// Issue 22: families of wording read by structure or by the words of a
    /// driver's or the server's own source, each with a text it was not
    /// written from.
    #[test]
    fn r22_families_of_wording_read_as_their_class() {
        let cases = [
            // Node's MongoNotConnectedError: the client used before connect() or after close().
            (
                "MongoNotConnectedError: Client must be connected before running operations",
                Class::Unknown,
            ),
            (
                "MongoError: MongoClient must be connected before calling MongoClient.prototype.db",
                Class::Unknown,
            ),
            // The server's memory and size limits of a query.
            (
                "MongoServerError: Executor error during find command :: caused by :: Sort operation used more than the maximum 33554432 bytes of RAM. Add an index, or specify a smaller limit.",
                Class::Unknown,
            ),
            (
                "MongoError: exception: aggregation result exceeds maximum document size (16MB)",
                Class::Unknown,
            ),
            // Atlas refuses a command on its tier.
            (
                "MongoServerError: CMD_NOT_ALLOWED: $where",
                Class::Authorization,
            ),
            // mongod's own start-up warning: listening on localhost only.
            (
                "{\"t\":{\"$date\":\"2024-01-02T03:04:05.000+00:00\"},\"s\":\"W\",\"c\":\"CONTROL\",\"id\":22140,\"ctx\":\"initandlisten\",\"msg\":\"This server is bound to localhost. Remote systems will be unable to connect to this server.\"}",
                Class::TcpRefused,
            ),
            // The scheme looked up as a host name: a connection string built wrong.
            ("getaddrinfo ENOTFOUND mongodb+srv", Class::ConfigInvalid),
            // mongo_dart's SRV lookup over HTTPS at Google's DNS.
            (
                "SocketException: Failed host lookup: 'dns.google.com' (OS Error: No address associated with hostname, errno = 7), address = dns.google.com, port = 443, uri=https://dns.google.com/resolve?name=c.ab1cd.mongodb.net&type=16",
                Class::Dns,
            ),
            // Erlang's gen_tcp timeout in a tagged tuple; Node's own socket timeout.
            (
                "[error] failed to connect: {connect_failed,timeout}",
                Class::NetworkTimeout,
            ),
            (
                "MongoNetworkError: connection 2 to 10.1.2.3:27017 timed out",
                Class::NetworkTimeout,
            ),
            // Wordings the drivers share across their sources: SRV and TXT
            // records, reads that got no reply, sockets that took too long.
            (
                "MongoAPIError: Only 1 TXT record is allowed when using the SRV protocol.",
                Class::Dns,
            ),
            ("MongoAPIError: No addresses found at host", Class::Dns),
            (
                "MongoNetworkTimeoutError: Timed out during socket read (30000ms)",
                Class::Server,
            ),
            (
                "Mongo::Error::SocketTimeoutError: The socket took over 10.0 seconds to connect (for 10.0.0.3:27017)",
                Class::NetworkTimeout,
            ),
            (
                "MongoParseError: Unsupported compressor: lz5",
                Class::ConfigInvalid,
            ),
            // The server answered: a command or its data was refused, unless
            // the words are the deployment's (no replica set, no primary).
            (
                "pymongo.errors.OperationFailure: $in needs an array, full error: {'ok': 0.0, 'errmsg': '$in needs an array', 'code': 2, 'codeName': 'BadValue'}",
                Class::Unknown,
            ),
            (
                "MongoServerError: Transaction numbers are only allowed on a replica set member or mongos",
                Class::Server,
            ),
            (
                "MongoServerError: Could not find host matching read preference { mode: \"primary\" } for set rs0",
                Class::Server,
            ),
            (
                "MongoServerError: {getParameter: 1, featureCompatibilityVersion: \"\"} not allowed in this atlas tier",
                Class::Authorization,
            ),
            // Error classes whose name says the class: Node's and Java's.
            (
                "MongoNetworkTimeoutError: Socket 'secureConnect' timed out after 30012ms (connectTimeoutMS: 30000)",
                Class::NetworkTimeout,
            ),
            (
                "MongoMissingDependencyError: Optional module `snappy` not found. Please install it to enable snappy compression",
                Class::ConfigInvalid,
            ),
            (
                "com.mongodb.MongoIncompatibleDriverException: This version of the driver is not compatible with one or more of the servers to which it is connected: ClusterDescription{type=STANDALONE}",
                Class::Server,
            ),
            ("MongoServerClosedError: Server is closed", Class::Unknown),
            // Server replies about the deployment, not the command.
            (
                "MongoServerError: $where is not allowed in this atlas tier",
                Class::Authorization,
            ),
            (
                "MongoServerError: The server is in quiesce mode and will shut down",
                Class::Server,
            ),
            // Elixir's mongodb_driver (lib/mongo/error.ex): "<host> ssl connect: <reason> - <atom>".
            (
                "** (Mongo.Error) db.example.com:27017 ssl connect: closed - :closed",
                Class::Tls,
            ),
            // Ruby: an EOF on a TLS socket ("(for ..., TLS)") is TLS closed.
            (
                "Mongo::Error::SocketError: EOFError: end of file reached (for 10.0.0.1:27017 (db.internal:27017, TLS))",
                Class::Tls,
            ),
        ];
        for (text, class) in cases {
            let e = explain(text);
            assert_eq!(e.class(), class, "{text}: {:?}", e.rule);
            assert!(e.decidable, "{text}");
        }
        // A refusal in words no rule knows and with no code name of a
        // command's error: most often the command's, but the server's words
        // may be about the deployment, so it claims neither (no rule).
        let e = explain("MongoServerError: Cannot create field 'city' in element {address: \"x\"}");
        assert_eq!(e.class(), Class::Unknown);
        assert_eq!(e.rule, None);
        // A write on a connection the other side closed is a closed connection,
        // which alone cannot say why it was closed.
        let e = explain(
            "connection(db:27017[-3]) unable to write wire message to network: write tcp 10.0.0.2:51234->10.0.0.3:27017: write: broken pipe",
        );
        assert_eq!(e.class(), Class::Server, "{:?}", e.rule);
        assert!(!e.decidable);
        // Only the scheme itself looked up as a host is a connection string
        // put together wrong; an SRV name that did not resolve is DNS.
        let e = explain(
            "Unable to resolve mongodb+srv host name: _mongodb._tcp.cluster0.ab1cd.mongodb.net",
        );
        assert_ne!(e.class(), Class::ConfigInvalid, "{:?}", e.rule);
        // mongod's start-up failures are its own log, not a client's error:
        // the server is not running, so clients find nothing listening.
        for text in [
            "2024-01-02T03:04:05.000+0000 E STORAGE  [initandlisten] exception in initAndListen: DBPathInUse: Unable to lock the lock file: /data/db/mongod.lock (Resource temporarily unavailable). Another mongod instance is already running on the /data/db directory, terminating",
            "2016-05-07T09:32:14.719+0100 E NETWORK  [initandlisten] listen(): bind() failed Address already in use for socket: 0.0.0.0:27018",
        ] {
            let e = explain(text);
            assert_eq!(
                e.diagnosis.finding,
                Some(Finding::ServerNotRunning),
                "{text}: {:?}",
                e.rule
            );
            assert_eq!(e.rule, Some("server_startup_log"), "{text}");
        }
        // libmongoc's socket timeout: connected, then no TLS or hello reply;
        // the text cannot tell a busy server from a path that drops.
        let e = explain(
            "No suitable servers found (`serverSelectionTryOnce` set): [socket timeout calling hello on 'db.example.com:27017']",
        );
        assert!(!e.decidable);
        assert_eq!(e.diagnosis.finding, Some(Finding::NoReply));
        assert!(
            e.candidates
                .iter()
                .any(|c| c.finding == Finding::NetworkTimeout)
        );
        // PyMongo's selection summary for a replica set names no cause: with
        // no per-server error it cannot decide.
        let e = explain(
            "pymongo.errors.ServerSelectionTimeoutError: No replica set members match selector \"Primary()\"",
        );
        assert!(!e.decidable, "{:?}", e.rule);
        // Prisma's P1001 names no cause; the line that would decide is Prisma's own log.
        let e = explain("Error: P1001: Can't reach database server at `db.example.com`:`27017`");
        assert!(!e.decidable);
        assert!(
            e.diagnosis.fixes.iter().any(|f| f.contains("DEBUG=")),
            "{:?}",
            e.diagnosis.fixes
        );
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
        // Undecidable: the alternatives are the ordered candidates, said once there,
        // not a second time among the causes.
        assert!(!e.decidable);
        assert!(e.candidates.len() > 1, "{:?}", e.candidates);
        assert!(
            !e.diagnosis
                .causes
                .iter()
                .any(|c| c.starts_with("Also possible")),
            "{:?}",
            e.diagnosis.causes
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
    fn a_percent_encoded_uri_gives_its_host_without_the_escape() {
        let hosts = atlas_hosts(
            "uri=mongodb%3A%2F%2Fapp%3A****%40cluster0.ab1cd.mongodb.net%2F and mongodb+srv%3A%2F%2FCluster1.xy9z.mongodb.net",
        );
        assert_eq!(
            hosts,
            ["cluster0.ab1cd.mongodb.net", "cluster1.xy9z.mongodb.net"]
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
    fn a_log_reports_each_distinct_error_and_the_first_in_time_decides() {
        let log = "2024-05-01T10:00:00Z ERROR connect: querySrv ETIMEOUT _mongodb._tcp.c0.ab1cd.mongodb.net\n\
2024-05-01T10:00:31Z ERROR MongooseError: Operation `users.findOne()` buffering timed out after 10000ms\n\
2024-05-01T10:01:02Z ERROR MongoServerError: bad auth : Authentication failed.\n\
2024-05-01T10:01:33Z ERROR MongoServerError: bad auth : Authentication failed.\n";
        let e = explain(log);
        assert_eq!(e.class(), Class::Dns);
        let seen: Vec<_> = e.errors.iter().map(|s| (s.finding, s.root)).collect();
        assert_eq!(
            seen,
            [
                (Finding::DnsTimeout, true),
                (Finding::NetworkTimeout, false),
                (Finding::AuthFailedAtlas, false)
            ]
        );
        assert!(
            e.diagnosis
                .evidence
                .iter()
                .any(|l| l.contains("also in this log: auth_failed_atlas"))
        );
        // A summary first in time yields to the error that says why.
        let log = "2024-05-01T10:00:00Z MongoServerSelectionError: Server selection timed out after 30000 ms\n\
2024-05-01T10:00:00Z MongoNetworkError: connect ECONNREFUSED 10.0.0.5:27017\n";
        let e = explain(log);
        assert_eq!(e.class(), Class::TcpRefused);
        assert!(e.decidable);
        // One error, however many lines: no log reading.
        assert!(
            explain("MongoServerError: bad auth : Authentication failed.")
                .errors
                .is_empty()
        );
    }

    #[test]
    fn mongoose_buffering_is_undecidable_and_points_at_connect() {
        let e =
            explain("MongooseError: Operation `users.findOne()` buffering timed out after 10000ms");
        assert!(!e.decidable);
        assert!(e.candidates.len() >= 3);
        assert!(
            e.diagnosis
                .causes
                .iter()
                .any(|c| c.contains("mongoose.connect()"))
        );
        assert!(e.diagnosis.fixes[0].contains("atlas-doctor"));
    }

    #[test]
    fn the_first_fix_fits_the_ecosystem_the_text_shows() {
        let py = "pymongo.errors.ServerSelectionTimeoutError: ac-x-shard-00-01.ab1cd.mongodb.net:27017: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)";
        assert!(
            explain(py).diagnosis.fixes[0].contains("certifi"),
            "{:?}",
            explain(py).diagnosis.fixes
        );
        let java = "Caused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target";
        assert!(explain(java).diagnosis.fixes[0].contains("truststore"));
        let node_windows = "Error: querySrv ECONNREFUSED _mongodb._tcp.c0.ab1cd.mongodb.net\n    at QueryReqWrap.onresolve [as oncomplete] (node:internal/dns/promises:251:17) C:\\Users\\me\\app\\node_modules\\mongodb\\lib\\connection_string.js";
        assert!(explain(node_windows).diagnosis.fixes[0].contains("setServers"));
        let node_linux = "Error: querySrv ECONNREFUSED _mongodb._tcp.c0.ab1cd.mongodb.net\n    at QueryReqWrap.onresolve (node:internal/dns/promises:251:17)";
        assert!(!explain(node_linux).diagnosis.fixes[0].contains("setServers"));
    }

    #[test]
    fn fragments_are_short_and_collapsed() {
        assert_eq!(fragment("a \n\t b"), "a b");
        let long = "x".repeat(500);
        assert_eq!(fragment(&long).chars().count(), MAX_FRAGMENT_CHARS + 1);
    }
    /// Kinds of overconfidence the fourth holdout showed, each made
    /// undecidable (the class stays the likeliest) or read by its source.
    #[test]
    fn words_that_fit_several_causes_do_not_decide_alone() {
        // A closed connection alone: TLS required by the server, an access
        // list, a proxy; the server's side says which.
        for text in [
            "com.mongodb.MongoSocketReadException: Prematurely reached end of stream",
            "MongoError: no primary found in replicaset",
            "MongoParseError: the string is not what was expected",
        ] {
            let e = explain(text);
            assert!(!e.decidable, "{text}: {:?}", e.rule);
            assert!(!e.candidates.is_empty(), "{text}");
            assert!(
                e.diagnosis
                    .fixes
                    .iter()
                    .any(|f| f.starts_with("What would decide it")),
                "{text}: {:?}",
                e.diagnosis.fixes
            );
        }
        let e = explain("Prematurely reached end of stream");
        assert_eq!(e.candidates[0].finding, Finding::ClosedWithoutReply);
        assert!(
            e.candidates
                .iter()
                .any(|c| c.finding == Finding::TlsRequired)
        );
        // A server's reply that it is not primary still decides.
        let e = explain("MongoServerError: not primary");
        assert!(e.decidable);
        assert_eq!(e.class(), Class::Server);
    }

    #[test]
    fn a_refused_command_with_no_known_words_is_not_decided_as_an_application_error() {
        let e = explain("{ \"ok\" : 0, \"errmsg\" : \"something the server did not like\" }");
        assert_eq!(e.class(), Class::Unknown);
        // `unknown` claiming nothing (no rule), and no undecidable answer
        // without candidates (the JSON schema requires one when undecidable).
        assert_eq!(e.rule, None);
        assert!(e.decidable && e.candidates.is_empty());
        assert!(!e.diagnosis.summary.contains("application or data error"));
        // A named data error is still decided.
        let e = explain("MongoServerError: E11000 duplicate key error collection: app.users");
        assert_eq!(e.class(), Class::Unknown);
        assert!(e.decidable);
    }

    #[test]
    fn a_bundler_that_cannot_resolve_a_module_is_the_build() {
        // webpack's and Next.js's wording: the build, not a connection.
        for text in [
            "Module not found: Error: Can't resolve 'kerberos' in '/app/node_modules/mongodb/lib'",
            "./lib/db.js\nModule not found: Can\u{2019}t resolve 'mongodb-client-encryption'",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::Unknown, "{text}");
            assert_eq!(e.rule, Some("application_error"), "{text}");
        }
    }

    #[test]
    fn the_fourth_template_set_s_kinds_in_other_words() {
        for (text, class) in [
            (
                "MongoInvalidArgumentError: Connection pool maxConnecting must be greater than 0",
                Class::ConfigInvalid,
            ),
            (
                "ConfigurationError: no OIDC callback provided for machine flow",
                Class::ConfigInvalid,
            ),
            (
                "Win32Exception: No credentials are available in the security package",
                Class::AuthFailed,
            ),
            (
                "auth error: unable to read role_name from EC2 metadata service",
                Class::AuthFailed,
            ),
            (
                "ERROR: stream-openssl: Couldn't load the private key from '/certs/client.pem'",
                Class::Tls,
            ),
            (
                "Failed to receive length header from server.",
                Class::NetworkTimeout,
            ),
            (
                "MongoDB::NetworkTimeout: Timed out while waiting for socket to become ready for writing",
                Class::NetworkTimeout,
            ),
            ("{error, not_master}", Class::Server),
            (
                "com.mongodb.MongoClientException: Servers must all be at least version 4.2 for this option",
                Class::Server,
            ),
        ] {
            let e = explain(text);
            assert_eq!(e.class(), class, "{text}: {:?}", e.rule);
        }
        // API misuse stays the application's error.
        let e = explain(
            "MongoInvalidArgumentError: Method \"collection.find()\" accepts at most two arguments",
        );
        assert_eq!(e.class(), Class::Unknown, "{:?}", e.rule);
    }

    #[test]
    fn the_eighth_holdout_half_s_kinds_in_other_words() {
        for (text, class, decidable) in [
            (
                "PHP Warning: MongoDB\\Driver\\Manager: TLS support is not compiled in this build of the extension",
                Class::Tls,
                true,
            ),
            (
                "{ ok: 0, errmsg: \"couldn't initiate : need all members up to initiate, not ok : mongo2:27017\" }",
                Class::Server,
                true,
            ),
            (
                "Program.cs(12,31): error CS1503: Argument 2: cannot convert from 'int' to 'MongoDB.Driver.FilterDefinition<User>'",
                Class::Unknown,
                true,
            ),
            (
                "InvalidArgumentException: Unsupported driver [mongodb].",
                Class::Unknown,
                true,
            ),
        ] {
            let e = explain(text);
            assert_eq!(e.class(), class, "{text}: {:?}", e.rule);
            assert_eq!(e.decidable, decidable, "{text}: {:?}", e.rule);
        }
    }

    #[test]
    fn mongoengine_without_a_registered_connection_is_its_configuration() {
        // Six labels of this kind: four say the client was never configured
        // (MongoEngine's own raise site, and threads fixed by calling
        // connect()), two said it is the application's code.
        for text in [
            "mongoengine.connection.ConnectionFailure: You have not defined a default connection",
            "MongoEngineConnectionError: Connection with alias \"users\" has not been defined",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::ConfigInvalid, "{text}");
            assert_eq!(e.rule, Some("mongoengine_no_connection"), "{text}");
            assert!(e.decidable, "{text}");
        }
    }

    #[test]
    fn coverage_by_source_tls_codes_pool_queues_and_replica_set_config() {
        // Node exposes OpenSSL's verify error names as err.code.
        let e = explain("MongoError DEPTH_ZERO_SELF_SIGNED_CERT");
        assert_eq!(e.class(), Class::Tls);
        // A pool's wait queue full is load, not connectivity (C#, Java 3.x).
        for text in [
            "The wait queue for acquiring a connection to server 127.0.0.1:27017 is full.",
            "com.mongodb.MongoWaitQueueFullException: Too many threads are already waiting for a connection. Max number of threads (maxWaitQueueSize) of 500 has been exceeded.",
            // Java 3.x ConcurrentPool: every connection stays checked out; thrown
            // as a MongoTimeoutException, yet no server selection timed out.
            "com.mongodb.MongoTimeoutException: Timeout waiting for a pooled item after 120000 MILLISECONDS",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::Unknown, "{text}: {:?}", e.rule);
            assert_eq!(e.rule, Some("application_error"), "{text}");
        }
        // The server's code 93: its replica-set configuration is not usable.
        let e = explain(
            "{ \"ok\" : 0, \"errmsg\" : \"config is invalid\", \"code\" : 93, \"codeName\" : \"InvalidReplicaSetConfig\" }",
        );
        assert_eq!(e.class(), Class::Server, "{:?}", e.rule);
        // mongosh names the code in brackets.
        let e = explain(
            "MongoServerError[InvalidReplicaSetConfig]: Our replica set config is invalid or we are not a member of it",
        );
        assert_eq!(e.class(), Class::Server, "{:?}", e.rule);
        // A selection timeout from Java is still a selection timeout.
        let e = explain(
            "com.mongodb.MongoTimeoutException: Timed out after 30000 ms while waiting to connect",
        );
        assert_eq!(e.rule, Some("selection_timeout"));
    }

    #[test]
    fn a_server_that_outgrew_or_predates_the_driver_is_not_a_failed_login() {
        // MongoDB 5.0 refuses the mechanism field mgo sends in saslContinue.
        let e = explain(
            "server returned error on SASL authentication step: BSON field 'saslContinue.mechanism' is an unknown field.",
        );
        assert_eq!(
            e.diagnosis.finding,
            Some(Finding::WireVersionTooNew),
            "{:?}",
            e.rule
        );
        // A server from before insert, find or listCollections were commands.
        for text in [
            "mongodb errmsg:no such cmd: insert",
            "no such command: 'listCollections'",
        ] {
            let e = explain(text);
            assert_eq!(
                e.diagnosis.finding,
                Some(Finding::WireVersionTooOld),
                "{text}: {:?}",
                e.rule
            );
        }
        // A command no current driver needs is not read as an old server.
        let e = explain("no such command: 'replSetGetStatus'");
        assert_ne!(e.diagnosis.finding, Some(Finding::WireVersionTooOld));
        // A wrong password is still a failed login.
        let e =
            explain("server returned error on SASL authentication step: Authentication failed.");
        assert_eq!(e.class(), Class::AuthFailed);
    }

    #[test]
    fn any_getaddrinfo_error_is_the_name_lookup_and_host_unreachable_the_route() {
        for text in [
            "MongoError: getaddrinfo ENOENT",
            "Error: getaddrinfo ENODATA db.example.com",
            "getaddrinfo: EAI_FAIL",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::Dns, "{text}: {:?}", e.rule);
        }
        // The more precise rules keep their reading.
        assert_eq!(
            explain("getaddrinfo ENOTFOUND db").rule,
            Some("dns_no_such_name")
        );
        // No answer yet names the layer, not the cause: dns first, undecided.
        let e = explain("getaddrinfo EAI_AGAIN db");
        assert_eq!(e.rule, Some("dns_temporary_failure"));
        assert_eq!(e.class(), Class::Dns);
        assert!(!e.decidable);
        let e = explain("Unable to connect to MongoDB: Host unreachable");
        assert_eq!(
            e.diagnosis.finding,
            Some(Finding::NetworkUnreachable),
            "{:?}",
            e.rule
        );
    }

    #[test]
    fn driver_wordings_by_kind_unmined_until_now() {
        // Each kind as the drivers' sources word it (not the fixture's texts).
        for (text, class) in [
            (
                "pymongo.errors.OperationFailure: Server returned an invalid nonce.",
                Class::AuthFailed,
            ),
            (
                "Mongo::Error::InvalidSignature: Invalid signature",
                Class::AuthFailed,
            ),
            (
                "MongoAWSError: Could not obtain temporary MONGODB-AWS credentials",
                Class::AuthFailed,
            ),
            (
                "GSSAPI Error: No Kerberos credentials available",
                Class::AuthFailed,
            ),
            (
                "MongoAPIError: PLAIN Authentication Mechanism needs an auth source",
                Class::ConfigInvalid,
            ),
            (
                "MongoDB.Driver.MongoClientException: Unknown server API version: 3",
                Class::ConfigInvalid,
            ),
            (
                "reported set name 'rs1' does not match 'rs0'",
                Class::Server,
            ),
            (
                "ConfigurationError: SCRAM-SHA-256 requires MongoDB version 4.0 or later",
                Class::Server,
            ),
            (
                "the specified CA file does not contain any valid certificates",
                Class::Tls,
            ),
            (
                "ssl: failed to load private key: no password provided to decrypt private key",
                Class::Tls,
            ),
            (
                "Mongo::Error::InvalidTXTRecord: TXT records can only specify the options [replicaset, authsource]",
                Class::Dns,
            ),
            (
                "java.net.SocketTimeoutException: Write timed out",
                Class::NetworkTimeout,
            ),
            // The second set's kinds, in other words than its messages.
            (
                "ArgumentError: Conflicting topology options: direct_connection=true and connect=sharded",
                Class::ConfigInvalid,
            ),
            (
                "MongoInvalidArgumentError: No AuthProvider for MONGODB-X509 defined.",
                Class::ConfigInvalid,
            ),
            (
                "auth error: unable to retrieve Azure credentials: Identity not found",
                Class::AuthFailed,
            ),
            (
                "MongoDB\\Exception\\UnsupportedException: Collation is not supported by the server executing this operation",
                Class::Server,
            ),
            (
                "ssl: Cannot load private key '/etc/ssl/client.pem'",
                Class::Tls,
            ),
            // The template sets' remaining kinds, in other words again.
            (
                "java.lang.IllegalArgumentException: authentication mechanism MONGODB-CR is not supported",
                Class::ConfigInvalid,
            ),
            (
                "Caused by: java.security.NoSuchAlgorithmException: Default SSLContext not available",
                Class::Tls,
            ),
            (
                "error configuring client, can't load CA file: open /certs/ca.pem: permission denied",
                Class::Tls,
            ),
            (
                "MongoClientException: More than one primary detected among db1:27017, db2:27017",
                Class::Server,
            ),
        ] {
            let e = explain(text);
            assert_eq!(e.class(), class, "{text}: {:?}", e.rule);
            assert!(e.decidable, "{text}: {:?}", e.rule);
        }
        // A wrong password is still refused by the server, not a broken exchange.
        assert_eq!(
            explain("pymongo.errors.OperationFailure: Authentication failed., full error: {'ok': 0.0, 'code': 18}").rule,
            Some("auth_failed")
        );
    }

    #[test]
    fn a_looked_up_name_that_is_no_host_is_the_connection_string() {
        // A name looked up that holds what no host name can: the end of a
        // password with an unescaped '@', a port, an unset variable in an SRV name.
        for (text, rule) in [
            (
                "Error: getaddrinfo ENOTFOUND w0rd@db.example.com",
                "dns_name_holds_credentials",
            ),
            (
                "dial tcp: lookup 9x@cluster0.ab1cd.mongodb.net: no such host",
                "dns_name_holds_credentials",
            ),
            (
                "java.net.UnknownHostException: db.example.com:27017",
                "dns_name_holds_port",
            ),
            (
                "Error: querySrv ENOTFOUND _mongodb._tcp.undefined",
                "dns_placeholder_host",
            ),
        ] {
            let e = explain(text);
            assert_eq!(e.rule, Some(rule), "{text}");
            assert_eq!(e.class(), Class::ConfigInvalid, "{text}");
            assert!(e.decidable, "{text}");
        }
        // Old Node names the host, then host:port: that is a name, not a port in it.
        let e = explain("Error: getaddrinfo ENOTFOUND mongo mongo:27017");
        assert_eq!(e.class(), Class::Dns, "{:?}", e.rule);
        // An e-mail address elsewhere in the text is not a host looked up.
        let e = explain("user ops@example.com: getaddrinfo ENOTFOUND db.example.com");
        assert_eq!(e.rule, Some("dns_no_such_name"));
    }

    #[test]
    fn servers_whose_errors_disagree_do_not_decide() {
        let e = explain(
            "com.mongodb.MongoTimeoutException: Timed out after 30000 ms while waiting for a server that matches WritableServerSelector. Client view of cluster state is {type=REPLICA_SET, servers=[{address=db1.example.com:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}, {address=db2.example.com:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.SocketTimeoutException: connect timed out}}]",
        );
        assert!(!e.decidable);
        let candidates: Vec<Finding> = e.candidates.iter().map(|c| c.finding).collect();
        assert_eq!(
            candidates[..2],
            [Finding::TcpRefused, Finding::NetworkTimeout]
        );
        // Servers that agree still decide.
        let e = explain(
            "Client view of cluster state is {type=REPLICA_SET, servers=[{address=db1.example.com:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}, {address=db2.example.com:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}]",
        );
        assert!(e.decidable);
        assert_eq!(e.class(), Class::TcpRefused);
    }

    #[test]
    fn a_warning_pasted_beside_a_failure_to_connect_is_not_the_verdict() {
        let e = explain(
            "(node:1) DeprecationWarning: current URL string parser is deprecated\nError: unable to connect to database",
        );
        assert_ne!(e.rule, Some("application_error"), "{:?}", e.rule);
        // A warning alone is still one.
        let e = explain("(node:1) DeprecationWarning: current URL string parser is deprecated");
        assert_eq!(e.rule, Some("application_error"));
    }

    #[test]
    fn a_closed_connection_to_atlas_and_a_bare_unauthorized_are_guesses() {
        let e = explain(
            "MongoNetworkError: connection 3 to cluster0-shard-00-00.ab1cd.mongodb.net:27017 closed",
        );
        assert!(!e.decidable);
        assert_eq!(e.class(), Class::IpAccessList);
        let e = explain("Error: Unauthorized");
        assert!(!e.decidable);
        assert_eq!(e.class(), Class::Authorization);
        assert!(
            e.candidates
                .iter()
                .any(|c| c.finding == Finding::AuthFailed)
        );
        // The server's refusal of an action still decides.
        let e = explain(
            "MongoServerError: not authorized on admin to execute command { listDatabases: 1 }",
        );
        assert!(e.decidable);
        assert_eq!(e.class(), Class::Authorization);
    }

    #[test]
    fn a_placeholder_looked_up_as_a_host_is_a_variable_not_set() {
        for text in [
            "Error: getaddrinfo ENOTFOUND undefined undefined:27017",
            "MongoNetworkError: getaddrinfo ENOTFOUND $mongo_host",
            "dial tcp: lookup ${MONGO_HOST}: no such host",
        ] {
            let e = explain(text);
            assert_eq!(e.class(), Class::ConfigInvalid, "{text}: {:?}", e.rule);
        }
        let e = explain("getaddrinfo ENOTFOUND cluster0.ab1cd.mongodb.net");
        assert_eq!(e.class(), Class::Dns);
    }

    #[test]
    fn a_bare_summary_about_this_machine_puts_a_refusal_first() {
        let e = explain("Error: failed to connect to [localhost:27017]");
        assert!(!e.decidable);
        assert_eq!(e.class(), Class::TcpRefused);
        assert_eq!(e.candidates[1].finding, Finding::NetworkTimeout);
        let e = explain("Error: failed to connect to [db.example.com:27017]");
        assert_eq!(e.class(), Class::NetworkTimeout);
    }

    #[test]
    fn a_template_found_by_a_shared_phrase_needs_the_rest_of_its_message() {
        // The C# driver's "The connection string '{}' is not valid." is not in
        // a text that only says "check the connection string".
        let e = explain(
            "Could not connect. Please check the connection string and confirm the server is running.",
        );
        assert_ne!(e.rule, Some("driver_message"));
        let e = explain("The connection string 'mongodb:/x' is not valid.");
        assert_eq!(e.class(), Class::ConfigInvalid);
    }
}

/// The live layers and `explain` read the same words the same way: for every
/// failure a live run can report, the text it saw (the library's or driver's
/// own message, and atlas-doctor's own line for it) explains to the finding
/// the live run gives.
#[cfg(test)]
mod live_agreement {
    use std::time::Duration;

    use super::explain;
    use crate::diagnose;
    use crate::model::failure::Failure;
    use crate::model::{auth, data, dns, hello, tcp, tls};
    use crate::wording;

    const ATLAS_HOST: &str = "cluster0-shard-00-00.ab1cd.mongodb.net:27017";
    const PLAIN_HOST: &str = "db.internal:27017";

    fn tls_failure(error: tls::Error, atlas: bool) -> Failure {
        Failure::Tls {
            host: if atlas { ATLAS_HOST } else { PLAIN_HOST }.into(),
            error,
            atlas,
        }
    }

    #[test]
    fn every_live_failure_text_explains_to_the_live_finding() {
        let alert80 = || tls::Error::Alert {
            code: 80,
            name: "internal_error".into(),
        };
        let cases: Vec<(Failure, Vec<String>)> = vec![
            (
                Failure::Tcp { host: PLAIN_HOST.into(), error: tcp::Error::Refused },
                vec!["Connection refused (os error 111)".into(), "[WinError 10061] Es konnte keine Verbindung hergestellt werden, da der Zielcomputer die Verbindung verweigerte".into()],
            ),
            (
                Failure::Tcp { host: PLAIN_HOST.into(), error: tcp::Error::TimedOut { after: Duration::from_secs(5) } },
                vec!["Connection timed out (os error 110)".into()],
            ),
            (
                Failure::Tcp { host: PLAIN_HOST.into(), error: tcp::Error::Unreachable { reason: "No route to host (os error 113)".into() } },
                vec!["No route to host (os error 113)".into()],
            ),
            (
                tls_failure(alert80(), true),
                vec![
                    format!("received fatal alert: InternalError ({ATLAS_HOST})"),
                    format!("{ATLAS_HOST}: {}", alert80()),
                ],
            ),
            (
                tls_failure(alert80(), false),
                vec![
                    format!("received fatal alert: InternalError ({PLAIN_HOST})"),
                    format!("{PLAIN_HOST}: {}", alert80()),
                ],
            ),
            (
                tls_failure(tls::Error::UnknownIssuer { issuer: "CN=Corp Proxy".into() }, false),
                vec![format!("invalid peer certificate: UnknownIssuer ({PLAIN_HOST})")],
            ),
            (
                tls_failure(tls::Error::Expired { not_after: "2024-01-01".into() }, false),
                vec![format!("invalid peer certificate: Expired ({PLAIN_HOST})")],
            ),
            (
                tls_failure(tls::Error::NameMismatch { expected: "db.internal".into(), names: vec!["other".into()] }, false),
                vec![format!("invalid peer certificate: NotValidForName ({PLAIN_HOST})")],
            ),
            (
                tls_failure(tls::Error::ClosedAfterHello, true),
                vec![format!("tls handshake eof ({ATLAS_HOST})")],
            ),
            (
                tls_failure(tls::Error::NotTls, false),
                vec![format!("received corrupt message of type InvalidContentType ({PLAIN_HOST})")],
            ),
            (
                Failure::Hello { host: PLAIN_HOST.into(), error: hello::Error::NotMongodb { evidence: "HTTP".into() }, atlas: false },
                vec!["Invalid wire protocol opcode".into()],
            ),
            (
                Failure::Dns { query: "SRV _mongodb._tcp.c0.example.test".into(), resolver: "127.0.0.1:53".into(), error: dns::Error::NoSuchName },
                vec!["Kind: An error occurred during DNS resolution: no record found for Query { name: Name(\"_mongodb._tcp.c0.example.test.\"), query_type: SRV, query_class: IN } response_code: NXDomain".into()],
            ),
            (
                Failure::Dns { query: "SRV _mongodb._tcp.c0.example.test".into(), resolver: "127.0.0.1:53".into(), error: dns::Error::NoRecords { record: "SRV" } },
                vec!["Kind: An error occurred during DNS resolution: no record found for Query { name: Name(\"_mongodb._tcp.c0.example.test.\"), query_type: SRV, query_class: IN }".into()],
            ),
            (
                Failure::Dns { query: "SRV _mongodb._tcp.c0.example.test".into(), resolver: "127.0.0.1:53".into(), error: dns::Error::Timeout { after: Duration::from_secs(5) } },
                vec!["Kind: An error occurred during DNS resolution: request timed out".into()],
            ),
            (
                Failure::WireVersion { host: PLAIN_HOST.into(), min: 0, max: 6, version: None },
                vec!["Server at db.internal:27017 reports wire version 6, but this version of the Rust driver requires at least 7 (MongoDB 4.0).".into()],
            ),
            (
                Failure::NoPrimary { members: vec![PLAIN_HOST.into()] },
                vec!["Server selection timeout: No primary available for writes".into()],
            ),
        ];
        for (failure, texts) in cases {
            let live = diagnose::failure(&failure).finding;
            for text in texts {
                assert_eq!(
                    explain(&text).diagnosis.finding,
                    live,
                    "{failure:?}: {text}"
                );
            }
        }
    }

    /// Where the live auth and data layers read the driver's words, the code
    /// they take from `wording` decides the live finding; `explain` of the same
    /// words must give it.
    #[test]
    fn driver_words_of_auth_and_data_explain_to_the_live_finding() {
        let rejected = |text: &str| auth::Failure::Rejected {
            user: "app".into(),
            auth_db: "admin".into(),
            mechanism: "SCRAM-SHA-256".into(),
            code: wording::server_code(text),
            code_name: None,
            message: text.into(),
            suspect_auth_source: None,
            encoded_chars: Vec::new(),
        };
        for text in [
            "SCRAM failure: bad auth : authentication failed",
            "SCRAM failure: authentication failed",
            "Command failed with error 18 (AuthenticationFailed): 'Authentication failed.'",
        ] {
            let live = diagnose::auth_failure(&rejected(text)).finding;
            assert_eq!(explain(text).diagnosis.finding, live, "{text}");
        }
        let text = "Command failed with error 334 (MechanismUnavailable): 'Received authentication for mechanism SCRAM-SHA-256 which is not enabled'";
        assert_eq!(wording::server_code(text), Some(334));
        let live = diagnose::auth_failure(&auth::Failure::MechanismUnsupported {
            asked: "SCRAM-SHA-256".into(),
            offered: vec!["SCRAM-SHA-1".into()],
            message: text.into(),
        })
        .finding;
        assert_eq!(explain(text).diagnosis.finding, live);
        let text = "command insert requires authentication";
        let live = diagnose::auth_failure(&auth::Failure::AuthRequired {
            command: "insert".into(),
            message: text.into(),
        })
        .finding;
        assert_eq!(explain(text).diagnosis.finding, live);
        for text in [
            "Command failed with error 13 (Unauthorized): 'not authorized on probe to execute command (action: insert)'",
            "user is not allowed to do action [insert] on [probe.c]",
        ] {
            assert!(
                matches!(wording::server_code(text), Some(13)) || wording::is_action_refusal(text)
            );
            let live = diagnose::data_failure(&data::Failure::Unauthorized {
                action: "insert".into(),
                namespace: "probe.c".into(),
                database: "probe".into(),
                message: text.into(),
            })
            .finding;
            assert_eq!(explain(text).diagnosis.finding, live, "{text}");
        }
        assert_eq!(
            explain("Authentication error: SASLprep failure: prohibited character").class(),
            diagnose::auth_failure(&auth::Failure::PasswordUnusable { user: "app".into() }).class
        );
    }

    /// Issue 20 item 6: a refused 127.0.0.1 (or a Python trace) got the Node.js
    /// "localhost resolved to ::1" cause and fix, which need localhost in a Node.js text.
    #[test]
    fn r20_6_the_localhost_ipv6_advice_needs_localhost_in_the_text() {
        use crate::model::finding::{TCP_REFUSED_LOCALHOST_CAUSE, TCP_REFUSED_LOCALHOST_FIX};
        for text in [
            "MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017",
            "pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection refused",
        ] {
            let d = explain(text).diagnosis;
            assert!(
                !d.causes.iter().any(|c| c == TCP_REFUSED_LOCALHOST_CAUSE),
                "{text}: {d:?}"
            );
            assert!(
                !d.fixes.iter().any(|f| f == TCP_REFUSED_LOCALHOST_FIX),
                "{text}: {d:?}"
            );
        }
        let d =
            explain("MongoServerSelectionError: connect ECONNREFUSED localhost:27017").diagnosis;
        assert!(
            d.causes.iter().any(|c| c == TCP_REFUSED_LOCALHOST_CAUSE),
            "{d:?}"
        );
        // The ::1 rule says it once, in its own words.
        let d = explain("MongoServerSelectionError: connect ECONNREFUSED ::1:27017").diagnosis;
        assert_eq!(
            d.causes.iter().filter(|c| c.contains("::1")).count(),
            1,
            "{d:?}"
        );
    }
}
