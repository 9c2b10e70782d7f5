//! The report model: the whole outcome of one command (steps, typed facts,
//! checklist items, the diagnosis) that every renderer renders.

use crate::model::class::Class;
use crate::model::deployment::{Deployment, RttStats};
use crate::model::step::{Status, Step};
use crate::model::tls;
use crate::model::verdict::Diagnosis;

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
    pub facts: Vec<Fact>,
    /// The deployment as the handshakes describe it; `None` when no host answered.
    pub deployment: Option<Deployment>,
    /// `(host:port, evidence)` of every host whose TLS handshake worked.
    pub tls: Vec<(String, tls::Evidence)>,
    /// Who the server says we are (auth-check, collections, checklist).
    pub auth: Option<AuthSummary>,
    /// What the user may see (collections).
    pub data: Option<DataSummary>,
    /// Stopped by a signal after cleaning up: exit 128 + its number.
    pub interrupted: Option<crate::model::signal::Signal>,
    /// What the Atlas Administration API said (`--atlas-api`); `None` when off.
    pub atlas: Option<crate::model::atlas_facts::Facts>,
    /// checklist: the credential scan, when it ran (SARIF's results).
    pub scan: Option<crate::model::scan::Scan>,
    /// `--from-code`: the collections the application's source uses, compared.
    pub code: Option<crate::model::code::CodeReport>,
    /// `--report-file`s that could not be written (written before stdout, so
    /// stdout can say the exit code the process ends with).
    pub unwritten: Vec<String>,
}

/// A one-line fact about the deployment, and whether a step already says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub text: String,
    /// A step's own line says it already (who we are, after the auth step;
    /// the collection count, after `listCollections`): where the steps are
    /// shown, the verdict line leaves it out. Set by whoever adds the fact,
    /// never found by comparing sentences.
    pub said_by_step: bool,
}

impl Fact {
    /// A fact no step says.
    pub fn new(text: impl Into<String>) -> Self {
        Fact {
            text: text.into(),
            said_by_step: false,
        }
    }

    /// A fact a step's line already says.
    pub fn said_by_step(text: impl Into<String>) -> Self {
        Fact {
            text: text.into(),
            said_by_step: true,
        }
    }
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
    /// No database chosen: each database the user may see, with its collections.
    pub every_database: Vec<(String, Vec<CollectionRow>)>,
    /// Databases beyond the listed ones.
    pub databases_not_listed: usize,
    /// Database names `listDatabases` gave beyond those kept (counted only).
    pub databases_not_kept: usize,
    /// Collections listed beyond those kept (counted only).
    pub collections_not_kept: usize,
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
    /// How long the evidence the item rests on took to gather (its layers' wall
    /// time; zero for an item judged from the settings alone).
    pub duration: std::time::Duration,
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
            duration: std::time::Duration::ZERO,
        }
    }
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
            deployment: None,
            tls: Vec::new(),
            auth: None,
            data: None,
            interrupted: None,
            atlas: None,
            scan: None,
            code: None,
            unwritten: Vec::new(),
        }
    }

    /// Fail with a diagnosis; its class decides the exit code. The first
    /// failure wins: layers fold in order, so it is the earliest layer's.
    pub fn fail(&mut self, diagnosis: Diagnosis) {
        if self.diagnosis.is_some() {
            return;
        }
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

    /// The code the process exits with: a stop signal's, else the class's,
    /// except that a run that would exit 0 exits 70 (`internal`) when a report
    /// file could not be written (a CI job that asked for it must not pass).
    pub fn exit_code(&self) -> u8 {
        if let Some(signal) = self.interrupted {
            return signal.exit_code();
        }
        match self.class.exit_code() {
            crate::model::exit::OK if !self.unwritten.is_empty() => crate::model::exit::INTERNAL,
            code => code,
        }
    }
}
