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

/// What a step found, as typed facts. A probe that sets it writes no words:
/// the judge makes the step's `detail` from it (`diagnose::steps`), once, before
/// any renderer sees the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A TLS handshake that completed.
    Tls(super::tls::Evidence),
    /// A hello that answered.
    Hello(super::hello::Answer),
    /// An authentication that succeeded: who, with which roles.
    Auth(super::auth::AuthInfo),
}

/// What was learnt about a step after it ran (by a later check or the judge),
/// said after its own detail.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// A tcp failure while another address of the same host connected.
    AnotherAddressConnected,
    /// The host answered hello, but a driver cannot use the deployment through it.
    WireVersion { max: i32 },
    /// A failed TLS handshake still saw the server's certificate.
    Presented { subject: String, issuer: String },
    /// The host's replica set is not the one the connection string names.
    ReplicaSet {
        expected: String,
        found: Option<String>,
    },
}

/// One step of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub layer: Layer,
    pub name: String,
    pub host: Option<String>,
    pub status: Status,
    pub duration: Duration,
    /// The step's words: set by the probe when it has no typed `found`,
    /// otherwise made from `found` and `notes` by the judge.
    pub detail: String,
    pub found: Option<Found>,
    pub notes: Vec<Note>,
    /// The address the step dialled, when its name says it (`connect 10.0.0.7:27017`):
    /// a renderer need not add the host when it is that address.
    pub address: Option<std::net::SocketAddr>,
    /// The step failed, and its words are its failure's words and nothing more
    /// (set by the probe with `Step::failed`; cleared when a note is said after
    /// them): a diagnosis line that gives the same failure need not be repeated
    /// under it.
    pub says_its_failure: bool,
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
            found: None,
            notes: Vec::new(),
            address: None,
            says_its_failure: false,
            minor: false,
        }
    }

    /// A failed step whose words are its failure's, and nothing more.
    pub fn failed(layer: Layer, name: impl Into<String>, failure: &impl std::fmt::Display) -> Self {
        Step {
            says_its_failure: true,
            ..Step::new(layer, name, Status::Fail, failure.to_string())
        }
    }

    /// A step whose words the judge makes from what it found.
    pub fn found(layer: Layer, name: impl Into<String>, status: Status, found: Found) -> Self {
        Step {
            found: Some(found),
            ..Step::new(layer, name, status, String::new())
        }
    }

    #[must_use]
    pub fn on(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The address the step dialled (and its name says).
    #[must_use]
    pub fn at(mut self, address: std::net::SocketAddr) -> Self {
        self.address = Some(address);
        self
    }

    /// True when the step's host is the very address it dialled (an IP literal
    /// in the connection string): its name already says the host.
    pub fn dialled_its_host(&self) -> bool {
        self.address.is_some_and(|address| {
            self.host
                .as_deref()
                .and_then(|host| host.parse::<std::net::SocketAddr>().ok())
                == Some(address)
        })
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
