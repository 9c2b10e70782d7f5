//! One line of evidence: a layer's step on one host, passed or not, with its time.

use std::net::{IpAddr, SocketAddr};
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
    /// A tcp connection that was made.
    Connected,
    /// An address not dialled: another address of the host connected first.
    NotNeeded,
    /// `ping --count`: the round trips of the series.
    Pings(super::deployment::RttStats),
    /// The mechanisms the server offers the user (`saslSupportedMechs`).
    Offered(Vec<String>),
    /// The mechanism used: asked for by `authMechanism`, or negotiated.
    Mechanism {
        name: String,
        asked: bool,
        auth_db: String,
    },
    /// The SASL conversation: completed (the server's proof verified), or
    /// ended by the server with an error.
    Conversation { completed: bool },
    /// No credentials given, and the server does not require any.
    NoAuthRequired,
    /// The system resolver does not know `name`: the driver dials `ip`.
    DriverAddress { name: String, ip: IpAddr },
    /// The addresses a name resolved to.
    Addresses(Vec<IpAddr>),
    /// The SRV record's targets (host, port), in the order answered.
    SrvTargets(Vec<(String, u16)>),
    /// The TXT records of an SRV name and the options read from them.
    Txt {
        records: Vec<String>,
        options: Vec<(String, String)>,
    },
    /// What the data layer listed or looked for.
    Data(super::data::Listed),
    /// What the Atlas API said.
    Atlas(super::atlas::Said),
    /// A seed list (or SRV answer) longer than a run probes: only the first
    /// `probed` of `hosts` are.
    SeedListCut { hosts: usize, probed: usize },
    /// After a failed TLS handshake, the port answered a hello without TLS.
    AnswersPlainHello,
    /// The server's chain is trusted by one of the stores drivers use and not
    /// by the other.
    PartialTrust(super::tls::TrustGap),
}

macro_rules! failed {
    ($($variant:ident($type:ty)),* $(,)?) => {
        /// Why a step failed, typed: the failure of its layer. The words are the
        /// failure's own (`Display`); two steps that met equal failures say the same.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Failed {
            $($variant($type)),*
        }

        $(
            impl From<$type> for Failed {
                fn from(failure: $type) -> Self {
                    Failed::$variant(failure)
                }
            }
        )*
    };
}

failed!(
    Dns(super::dns::Error),
    Tcp(super::tcp::Error),
    Tls(super::tls::Error),
    Hello(super::hello::Error),
    Auth(super::auth::Failure),
    Data(super::data::Failure),
    Atlas(super::atlas::CallError),
);

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

/// A step's name, as typed parts: what it did, the address it dialled and the
/// resolver it was retried through. Renderers build a label from the parts
/// (with or without the addresses); nothing parses a name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name {
    /// What the step did, and to what when that is no address:
    /// `handshake`, `A/AAAA db.example.net`, `listCollections app`.
    pub action: String,
    /// The address the step dialled, said after the action (`connect 10.0.0.7:27017`).
    pub address: Option<SocketAddr>,
    /// The fallback resolver a lookup was retried through (`--dns-fallback`).
    pub via_fallback: Option<SocketAddr>,
}

impl Name {
    /// The name without any address: the same step on two hosts (or after a
    /// node's IP changed) reads the same. A JUnit name is this, so a CI test
    /// history survives Atlas moving a node.
    pub fn without_addresses(&self) -> String {
        let mut out = self.action.clone();
        if self.via_fallback.is_some() {
            // The resolver's address is left out like every address. (JUnit
            // names used to lose the closing parenthesis with it: "(via fallback".)
            out.push_str(" (via fallback)");
        }
        out
    }

    /// True when two names differ at most by their addresses.
    pub fn same_but_addresses(&self, other: &Name) -> bool {
        self.action == other.action && self.via_fallback.is_some() == other.via_fallback.is_some()
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.action)?;
        if let Some(address) = self.address {
            write!(f, " {address}")?;
        }
        if let Some(resolver) = self.via_fallback {
            write!(f, " (via fallback {resolver})")?;
        }
        Ok(())
    }
}

impl From<String> for Name {
    fn from(action: String) -> Self {
        Name {
            action,
            ..Name::default()
        }
    }
}

impl From<&str> for Name {
    fn from(action: &str) -> Self {
        Name::from(action.to_string())
    }
}

impl From<&String> for Name {
    fn from(action: &String) -> Self {
        Name::from(action.clone())
    }
}

/// One step of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub layer: Layer,
    pub name: Name,
    pub host: Option<String>,
    pub status: Status,
    pub duration: Duration,
    /// The step's words: set by the probe when it has no typed `found`,
    /// otherwise made from `found` and `notes` by the judge.
    pub detail: String,
    pub found: Option<Found>,
    /// The failure the step met, typed (its words are the failure's own).
    pub failure: Option<Failed>,
    /// What was learnt after the step ran; kept after they are said, so two
    /// steps can be compared by their facts.
    pub notes: Vec<Note>,
    /// How many of `notes` the detail already says (`diagnose::steps`).
    pub notes_said: usize,
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
        name: impl Into<Name>,
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
            failure: None,
            notes: Vec::new(),
            notes_said: 0,
            says_its_failure: false,
            minor: false,
        }
    }

    /// A failed step whose words are its failure's, and nothing more.
    pub fn failed<F>(layer: Layer, name: impl Into<Name>, failure: &F) -> Self
    where
        F: std::fmt::Display + Clone + Into<Failed>,
    {
        Step {
            says_its_failure: true,
            ..Step::new(layer, name, Status::Fail, String::new()).met(failure)
        }
    }

    /// The step met `failure`: its words are the failure's, and the failure is
    /// kept, typed. (Unlike `failed`, the step's status is the caller's, and a
    /// diagnosis line that gives the failure is not taken for a restatement.)
    #[must_use]
    pub fn met<F>(mut self, failure: &F) -> Self
    where
        F: std::fmt::Display + Clone + Into<Failed>,
    {
        self.detail = failure.to_string();
        self.failure = Some(failure.clone().into());
        self
    }

    /// True when two steps of one layer and kind (hosts and addresses aside)
    /// ended alike, by their typed facts: what they found, the failure they
    /// met and what was learnt after. A step without typed facts is alike to
    /// none: nothing compares words.
    pub fn ended_like(&self, other: &Step) -> bool {
        self.layer == other.layer
            && self.status == other.status
            && self.name.same_but_addresses(&other.name)
            && (self.found.is_some() || self.failure.is_some())
            && self.found == other.found
            && self.failure == other.failure
            && self.notes == other.notes
    }

    /// A step whose words the judge makes from what it found.
    pub fn found(layer: Layer, name: impl Into<Name>, status: Status, found: Found) -> Self {
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

    /// The address the step dialled: its name says it after the action.
    #[must_use]
    pub fn at(mut self, address: SocketAddr) -> Self {
        self.name.address = Some(address);
        self
    }

    /// True when the step's host is the very address it dialled (an IP literal
    /// in the connection string): its name already says the host.
    pub fn dialled_its_host(&self) -> bool {
        self.name.address.is_some_and(|address| {
            self.host
                .as_deref()
                .and_then(|host| host.parse::<SocketAddr>().ok())
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
