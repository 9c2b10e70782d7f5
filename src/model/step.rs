//! One line of evidence: a layer's step on one host, passed or not, with its time.

use std::time::Duration;

use serde::Serialize;

/// The layers of DESIGN.md, in the order a driver walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Uri,
    Dns,
    Tcp,
    Tls,
    Hello,
    Auth,
    Data,
    /// The Atlas Administration API (`--atlas-api`), beside the data-plane layers.
    Atlas,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Uri => "uri",
            Layer::Dns => "dns",
            Layer::Tcp => "tcp",
            Layer::Tls => "tls",
            Layer::Hello => "hello",
            Layer::Auth => "auth",
            Layer::Data => "data",
            Layer::Atlas => "atlas",
        }
    }
}

/// A step's outcome; always also printed as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Skip,
}

impl Status {
    /// PASS, FAIL, WARN, SKIP.
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::Skip => "SKIP",
        }
    }
}

/// One step of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub layer: Layer,
    pub name: String,
    pub host: Option<String>,
    pub status: Status,
    pub duration: Duration,
    pub detail: String,
    /// A detail of the layer's work (the mechanisms offered, the SASL
    /// conversation): always recorded, and JSON always has it; human output
    /// shows it only with `--verbose`. The probe records, the renderer chooses.
    pub minor: bool,
}

impl Step {
    pub fn new(
        layer: Layer,
        name: impl Into<String>,
        status: Status,
        detail: impl Into<String>,
    ) -> Self {
        Step {
            layer,
            name: name.into(),
            host: None,
            status,
            duration: Duration::ZERO,
            detail: detail.into(),
            minor: false,
        }
    }

    #[must_use]
    pub fn on(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Marks the step as a detail that human output shows only with `--verbose`.
    #[must_use]
    pub fn minor(mut self) -> Self {
        self.minor = true;
        self
    }

    #[must_use]
    pub fn took(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }
}

/// Milliseconds as a float, for display.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A duration in the words of a report: seconds rounded to a tenth, `1.6 s`,
/// `5 s` (never the float's own digits, `1.5546790609999999s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secs(pub Duration);

impl std::fmt::Display for Secs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0.as_millis() + 50) / 100;
        if tenths.is_multiple_of(10) {
            write!(f, "{} s", tenths / 10)
        } else {
            write!(f, "{}.{} s", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 5: a deadline was said with the float's own digits ("the
    /// auth layer's deadline (1.5546790609999999s)"); it is said rounded.
    #[test]
    fn r19_a_duration_is_said_rounded_to_a_tenth() {
        let said = |ms: u64| Secs(Duration::from_millis(ms)).to_string();
        assert_eq!(said(1_554), "1.6 s");
        assert_eq!(said(5_000), "5 s");
        assert_eq!(said(1_949), "1.9 s");
        assert_eq!(said(1_950), "2 s");
        assert_eq!(said(250), "0.3 s");
        let error = crate::model::auth::Failure::Silent {
            command: "connectionStatus".into(),
            after: Duration::from_nanos(1_554_679_060),
        };
        assert_eq!(
            error.to_string(),
            "no answer to connectionStatus within the auth layer's deadline (1.6 s)"
        );
    }
}
