//! The report of a run and its renderers. Renderers only render: they take a
//! `Report` and return text; they never probe and never decide the verdict.

pub mod explain;
pub mod file;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod style;
pub mod text;

use crate::class::Class;
use crate::diagnose::Diagnosis;
use crate::probe::{RttStats, Status, Step};

/// The whole outcome of one command.
#[derive(Debug, Clone)]
pub struct Report {
    pub command: &'static str,
    /// Redacted connection string.
    pub target_uri: String,
    /// Where it came from (`flag:--uri`, `env:MONGODB_URI`, ...).
    pub target_source: String,
    pub class: Class,
    pub diagnosis: Option<Diagnosis>,
    /// Things that did not fail the run but deserve a look.
    pub warnings: Vec<String>,
    pub steps: Vec<Step>,
    pub checks: Vec<Check>,
    pub rtt: Option<RttStats>,
    /// One-line facts about the deployment (version, topology).
    pub facts: Vec<String>,
    /// Who the server says we are (auth-check, collections).
    pub auth: Option<AuthSummary>,
    /// What the user may see (collections).
    pub data: Option<DataSummary>,
    /// Stopped by Ctrl-C after cleaning up: exit `exit::INTERRUPTED` (130).
    pub interrupted: bool,
    /// checklist: the credential scan, when it ran (SARIF's results).
    pub scan: Option<crate::scan::Scan>,
}

/// The identity `connectionStatus` reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSummary {
    /// `None` when no credentials were given and the server let us in.
    pub user: Option<String>,
    pub db: Option<String>,
    pub mechanism: Option<String>,
    /// `(role, db)`.
    pub roles: Vec<(String, String)>,
    /// `(resource, actions)`.
    pub privileges: Vec<(String, Vec<String>)>,
}

/// The databases and collections the user may see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataSummary {
    pub databases: Vec<String>,
    /// The database whose collections were listed.
    pub database: Option<String>,
    pub collections: Vec<CollectionRow>,
}

/// One row of the collections table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRow {
    pub name: String,
    /// `collection`, `view`, `timeseries`.
    pub kind: String,
    /// Estimated document count, when the user may count.
    pub documents: Option<u64>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub section: Section,
    pub id: &'static str,
    pub status: Status,
    pub summary: String,
    pub fix: Option<String>,
    pub evidence: Vec<String>,
}

impl Check {
    pub fn new(
        section: Section,
        id: &'static str,
        status: Status,
        summary: impl Into<String>,
        fix: Option<&str>,
        evidence: Vec<String>,
    ) -> Self {
        Check {
            section,
            id,
            status,
            summary: summary.into(),
            fix: fix.map(str::to_string),
            evidence,
        }
    }
}

/// `text` without the host it concerns and without IP addresses, so the same
/// step on two hosts (or after a node's IP changed) reads the same. JUnit names
/// use it too, so a CI test history survives Atlas moving a node.
pub fn without_addresses(text: &str, host: Option<&str>) -> String {
    text.split_whitespace()
        .filter(|word| {
            let punctuation = word.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';'));
            let bracketed = punctuation.trim_matches(|c: char| matches!(c, '[' | ']'));
            ![punctuation, bracketed].into_iter().any(|bare| {
                Some(bare) == host
                    || bare.parse::<std::net::IpAddr>().is_ok()
                    || bare.parse::<std::net::SocketAddr>().is_ok()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `12 passed, 1 failed, 2 warnings, 1 skipped`: the checklist's one-line summary.
pub fn summary_line(checks: &[Check]) -> String {
    let count = |status| checks.iter().filter(|c| c.status == status).count();
    format!(
        "{} passed, {} failed, {}, {} skipped",
        count(Status::Pass),
        count(Status::Fail),
        crate::words::count(count(Status::Warn), "warning"),
        count(Status::Skip)
    )
}

/// The two checklists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Security,
    Testing,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Security => "security",
            Section::Testing => "testing",
        }
    }
}

/// `ok`, `warn` or `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

impl Report {
    /// A report with nothing in it yet.
    pub fn new(command: &'static str, target_uri: String, target_source: String) -> Self {
        Report {
            command,
            target_uri,
            target_source,
            class: Class::Ok,
            diagnosis: None,
            warnings: Vec::new(),
            steps: Vec::new(),
            checks: Vec::new(),
            rtt: None,
            facts: Vec::new(),
            auth: None,
            data: None,
            interrupted: false,
            scan: None,
        }
    }

    /// Fail with a diagnosis; its class decides the exit code.
    pub fn fail(&mut self, diagnosis: Diagnosis) {
        self.class = diagnosis.class;
        self.diagnosis = Some(diagnosis);
    }

    pub fn verdict(&self) -> Verdict {
        if self.class != Class::Ok {
            Verdict::Fail
        } else if !self.warnings.is_empty()
            || self.steps.iter().any(|s| s.status == Status::Warn)
            || self.checks.iter().any(|c| c.status == Status::Warn)
        {
            Verdict::Warn
        } else {
            Verdict::Ok
        }
    }

    /// Caps every string in the report at `text::MAX_BYTES`, before any
    /// renderer or report file sees it: a server's error message, set name or
    /// certificate subject may be megabytes, and no format should carry that.
    pub fn cap_strings(&mut self) {
        use text::cap_in_place as cap;
        cap(&mut self.target_uri);
        cap(&mut self.target_source);
        self.warnings.iter_mut().for_each(cap);
        self.facts.iter_mut().for_each(cap);
        for step in &mut self.steps {
            cap(&mut step.name);
            cap(&mut step.detail);
            if let Some(host) = &mut step.host {
                cap(host);
            }
        }
        if let Some(d) = &mut self.diagnosis {
            cap(&mut d.summary);
            d.causes.iter_mut().for_each(cap);
            d.fixes.iter_mut().for_each(cap);
            d.evidence.iter_mut().for_each(cap);
        }
        for check in &mut self.checks {
            cap(&mut check.summary);
            check.fix.iter_mut().for_each(cap);
            check.evidence.iter_mut().for_each(cap);
        }
        if let Some(auth) = &mut self.auth {
            auth.user.iter_mut().for_each(cap);
            auth.db.iter_mut().for_each(cap);
            auth.mechanism.iter_mut().for_each(cap);
            for (role, db) in &mut auth.roles {
                cap(role);
                cap(db);
            }
            for (resource, actions) in &mut auth.privileges {
                cap(resource);
                actions.iter_mut().for_each(cap);
            }
        }
        if let Some(data) = &mut self.data {
            data.databases.iter_mut().for_each(cap);
            data.database.iter_mut().for_each(cap);
            for c in &mut data.collections {
                cap(&mut c.name);
                cap(&mut c.kind);
            }
        }
    }

    pub fn exit_code(&self) -> u8 {
        if self.interrupted {
            return crate::exit::INTERRUPTED;
        }
        self.class.exit_code()
    }
}
