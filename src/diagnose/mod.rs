//! The one judge: turns what the probes found into one `Diagnosis` (class,
//! summary, causes, fixes and evidence, in the shared vocabulary of `finding`),
//! as rules over typed facts, one file per layer; `invariants` then checks the
//! verdict once, before any renderer sees it.

mod atlas;
mod auth;
mod connect;
mod data;
mod invariants;
mod tls;

pub use atlas::{private_route, private_string_outside, with_atlas};
pub use auth::auth_failure;
pub use connect::{config_error, failure, unix_socket, uri_error};
pub use data::data_failure;
pub use invariants::settle;

use serde::Serialize;

use crate::class::Class;
use crate::finding::Finding;

/// What went wrong, in plain words, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    #[serde(skip)]
    pub class: Class,
    /// The finding behind it; `None` only for `explain`'s `unknown`.
    #[serde(rename = "reason", serialize_with = "serialize_finding")]
    pub finding: Option<Finding>,
    pub summary: String,
    pub causes: Vec<String>,
    pub fixes: Vec<String>,
    pub evidence: Vec<String>,
}

#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
fn serialize_finding<S: serde::Serializer>(
    finding: &Option<Finding>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match finding {
        Some(f) => s.serialize_str(f.id()),
        None => s.serialize_none(),
    }
}

impl Diagnosis {
    /// The standard words of a finding, with no evidence yet.
    pub fn from_finding(finding: Finding) -> Self {
        let advice = finding.advice();
        Diagnosis {
            class: finding.class(),
            finding: Some(finding),
            summary: advice.summary.to_string(),
            causes: advice.causes.iter().map(ToString::to_string).collect(),
            fixes: advice.fixes.iter().map(ToString::to_string).collect(),
            evidence: Vec::new(),
        }
    }

    /// Adds one line of evidence.
    #[must_use]
    pub fn with_evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }

    /// Replaces the standard summary with a sharper one naming what was seen.
    #[must_use]
    pub fn with_summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    /// Replaces the catalogue's first fix with its specific form for this run
    /// (the names and values seen), so the same advice is not listed twice.
    #[must_use]
    pub fn with_specific_fix(mut self, fix: impl Into<String>) -> Self {
        if self.fixes.is_empty() {
            self.fixes.push(fix.into());
        } else {
            self.fixes[0] = fix.into();
        }
        self
    }

    /// Puts a fix first (the most specific one for this run).
    #[must_use]
    pub fn with_first_fix(mut self, fix: impl Into<String>) -> Self {
        self.fixes.insert(0, fix.into());
        self
    }

    /// Puts a cause first.
    #[must_use]
    pub fn with_first_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.insert(0, cause.into());
        self
    }
}

use crate::probe::Layer;

/// The layer a class of failure belongs to (DESIGN.md's table).
pub fn layer_of(class: Class) -> Layer {
    match class {
        Class::Dns => Layer::Dns,
        Class::TcpRefused | Class::NetworkTimeout => Layer::Tcp,
        Class::IpAccessList | Class::Tls => Layer::Tls,
        Class::Server => Layer::Hello,
        Class::AuthFailed => Layer::Auth,
        Class::Authorization | Class::ChecksFailed => Layer::Data,
        Class::Ok | Class::Usage | Class::ConfigInvalid | Class::Internal | Class::Unknown => {
            Layer::Uri
        }
    }
}

/// atlas-doctor's own failure inside a run (a probe panicked or was cancelled):
/// `internal`, never `ok`.
pub fn internal(what: &str) -> Diagnosis {
    Diagnosis::from_finding(Finding::ProbeFailed).with_evidence(what.to_string())
}
