//! What a reading of a text is (its finding, the rule or table that read it,
//! its tier) and the pattern helpers every reader of `wording` shares: the
//! bottom of `wording`, importing nothing of it but the rule table's patterns.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::rules;
use crate::model::finding::Finding;

/// How strongly a reading decides; the highest present wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Learned,
    Wrapper,
    Structure,
    Vague,
    Template,
    Specific,
}

/// One cause read from a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// What it means.
    pub finding: Finding,
    /// The rule, or the table (`server_code`, `os_error`, `tls_alert`,
    /// `driver_message`), that read it.
    pub rule: &'static str,
    pub tier: Tier,
    /// The bytes of the text that said it.
    pub at: Range<usize>,
    /// The fragment a rule's `requires` condition found, when there is one.
    pub also_at: Option<Range<usize>>,
    /// Other findings the same words are known to mean.
    pub also: Vec<Finding>,
    /// A sharper cause and fix than the finding's own.
    pub note: Option<&'static str>,
    pub fix: Option<&'static str>,
    /// Whether `fix` replaces the finding's own fixes (it says the same, sharper).
    pub replaces_fixes: bool,
    /// What the structure said (`server error code 18 (AuthenticationFailed)`).
    pub evidence: Option<String>,
    /// The servers of a server-selection dump disagree: their errors are of
    /// more than one class, so the commonest one does not decide alone.
    pub disputed: bool,
}

impl Reading {
    /// A wrapper decides alone only when nothing else speaks, and a learned
    /// guess only when nothing at all does: then the text cannot tell the cause.
    pub fn decidable(&self) -> bool {
        !matches!(self.tier, Tier::Wrapper | Tier::Learned) && !self.disputed
    }
}

/// A host of MongoDB Atlas (or an Atlas replica-set name) in the text.
pub static ATLAS: LazyLock<Regex> = LazyLock::new(|| compile(rules::ATLAS));

static HOST_PORT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:[a-z0-9][a-z0-9-]*\.)+[a-z][a-z0-9-]*:\d{2,5}\b|\b\d{1,3}(?:\.\d{1,3}){3}:\d{2,5}\b|\blocalhost:\d{2,5}\b|\[[0-9a-f:]+\]:\d{2,5}",
    )
});

/// File extensions that make `name.ext:123` a file and line, not a host and port.
const SOURCE_FILES: &[&str] = &[
    "c", "cc", "cpp", "cs", "dart", "ex", "exs", "go", "h", "java", "js", "json", "jsx", "kt",
    "mjs", "cjs", "php", "py", "rb", "rs", "scala", "ts", "tsx",
];

/// Whether the text names an Atlas host, or names no host at all (file names
/// with line numbers, `connect.js:379`, are not hosts).
pub fn names_atlas_or_no_host(text: &str) -> bool {
    ATLAS.is_match(text) || hosts(text).next().is_none()
}

/// The hosts the text names with a port (`host:27017`, `10.0.0.1:27017`,
/// `[::1]:27017`), file names with line numbers left out.
pub fn hosts(text: &str) -> impl Iterator<Item = &str> {
    HOST_PORT.find_iter(text).filter_map(|m| {
        let host = m.as_str().rsplit_once(':').map_or(m.as_str(), |(h, _)| h);
        let last = host.rsplit('.').next().unwrap_or_default();
        (!SOURCE_FILES.contains(&last.to_ascii_lowercase().as_str())).then_some(host)
    })
}

/// Whether every host the text names with a port is this machine (localhost,
/// 127.0.0.0/8, ::1), and it names at least one.
pub fn names_only_loopback(text: &str) -> bool {
    let mut any = false;
    for host in hosts(text) {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host == "::1"
            || host.starts_with("127.") && host.split('.').count() == 4;
        if !loopback {
            return false;
        }
        any = true;
    }
    any && !ATLAS.is_match(text)
}

/// Case-insensitive, with ASCII word boundaries: a Unicode `\b` makes the fast
/// engines give up on non-ASCII input (pasted logs in any language, binary
/// junk), which would cost seconds per kilobyte. The rules' words are ASCII.
pub fn compile(pattern: &str) -> Regex {
    let pattern = format!("(?i){}", pattern.replace(r"\b", r"(?-u:\b)"));
    Regex::new(&pattern).unwrap_or_else(|e| panic!("bad pattern {pattern:?}: {e}"))
}
