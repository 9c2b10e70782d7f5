//! The verdict's words: what went wrong, in plain words, and what to do about
//! it. `diagnose` makes a `Diagnosis`; the report carries it; renderers show it.

use serde::Serialize;

use crate::model::class::Class;
use crate::model::finding::Finding;
use crate::model::step::Layer;

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
    /// The evidence line that gives the failure in its step's own words (set
    /// with the line, by `with_failure_evidence`): human output leaves it out
    /// under a failed step that says it (`Step::says_its_failure`).
    #[serde(skip)]
    pub failure_line: Option<FailureLine>,
}

/// Which evidence line is a failure's own words, and the step it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureLine {
    /// Its index in `evidence`.
    pub index: usize,
    pub layer: Layer,
    /// The host the step ran on, `None` for the auth and data layers.
    pub host: Option<String>,
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
            failure_line: None,
        }
    }

    /// Adds the line that gives the failure of the `layer` step on `host` in
    /// the step's own words.
    #[must_use]
    pub fn with_failure_evidence(
        mut self,
        layer: Layer,
        host: Option<&str>,
        line: impl Into<String>,
    ) -> Self {
        self.failure_line = Some(FailureLine {
            index: self.evidence.len(),
            layer,
            host: host.map(str::to_string),
        });
        self.evidence.push(line.into());
        self
    }

    /// Appends `other`'s evidence after this one's, keeping which line is a
    /// failure's own words.
    pub fn carry_evidence(&mut self, other: &Diagnosis) {
        if self.failure_line.is_none()
            && let Some(line) = &other.failure_line
        {
            self.failure_line = Some(FailureLine {
                index: self.evidence.len() + line.index,
                ..line.clone()
            });
        }
        self.evidence.extend(other.evidence.iter().cloned());
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
