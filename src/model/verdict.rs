//! The verdict's words: what went wrong, in plain words, and what to do about
//! it. `diagnose` makes a `Diagnosis`; the report carries it; renderers show it.

use serde::Serialize;

use crate::model::class::Class;
use crate::model::finding::Finding;

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
    /// The host the summary names, when it names one (set with the sentence,
    /// by `with_summary_about`): a warning about that host need not name it again.
    #[serde(skip)]
    pub subject: Option<String>,
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
            subject: None,
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
        self.subject = None;
        self
    }

    /// A sharper summary that names `host` (the subject of the sentence).
    #[must_use]
    pub fn with_summary_about(mut self, host: &str, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self.subject = Some(host.to_string());
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

    /// Drops one cause and one fix of the catalogue's advice, by identity (the
    /// named constants of `finding`), when the evidence rules them out.
    #[must_use]
    pub fn without(mut self, cause: &str, fix: &str) -> Self {
        self.causes.retain(|c| c != cause);
        self.fixes.retain(|f| f != fix);
        self
    }

    /// Puts a cause first.
    #[must_use]
    pub fn with_first_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.insert(0, cause.into());
        self
    }
}
