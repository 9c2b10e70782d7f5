//! What one round found, typed: one sample per host and check, and the facts
//! the events compare from round to round (primary, DNS answer, certificates,
//! egress IP). Built from the pipeline's evidence in `target`; read by the
//! stats, the events and the renderers.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use crate::model::class::Class;

/// A row's check: a layer of the fresh connections, or the kept connection's ping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    Dns,
    Tcp,
    Tls,
    Hello,
    Auth,
    /// `ping` over the one connection held open across rounds.
    Kept,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Dns => "dns",
            Check::Tcp => "tcp",
            Check::Tls => "tls",
            Check::Hello => "hello",
            Check::Auth => "auth",
            Check::Kept => "kept",
        }
    }
}

/// One host's check in one round: its time when it passed, its class when not.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub host: String,
    pub check: Check,
    pub outcome: Result<Duration, Class>,
}

/// How far one host got in a round (JSON `hosts`).
#[derive(Debug, Clone, PartialEq)]
pub struct HostReach {
    pub host: String,
    /// The last check tried on the host: the one that failed, else the deepest.
    pub check: Check,
    /// The handshake's round trip, when the host answered it.
    pub rtt: Option<Duration>,
    pub class: Class,
}

/// The leaf certificate a host presented, as far as a change of it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

/// One target's round.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRound {
    /// The class that decides the target's round (`ok` when it passed).
    pub class: Class,
    /// Some host failed while the deployment worked.
    pub degraded: bool,
    pub samples: Vec<Sample>,
    pub hosts: Vec<HostReach>,
    /// The hello layer ran on a replica set member: the round says who is primary.
    pub primary_known: bool,
    /// The primary the members name; `None` with `primary_known` is "no primary".
    pub primary: Option<String>,
    /// Each host and the addresses it resolved to, sorted; `None` when the dns layer failed.
    pub dns: Option<Vec<(String, Vec<IpAddr>)>>,
    pub certificates: Vec<(String, Certificate)>,
    /// This machine's address as the Atlas API saw it (`--atlas-api`).
    pub egress_ip: Option<String>,
}

impl TargetRound {
    /// The kept connection's ping this round, if one was held.
    pub fn kept(&self) -> Option<&Sample> {
        self.samples.iter().find(|s| s.check == Check::Kept)
    }

    /// A round with nothing found and this class.
    pub fn empty(class: Class) -> TargetRound {
        TargetRound {
            class,
            degraded: false,
            samples: Vec::new(),
            hosts: Vec::new(),
            primary_known: false,
            primary: None,
            dns: None,
            certificates: Vec::new(),
            egress_ip: None,
        }
    }
}

/// One round over every target.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// 1 for the first round.
    pub number: u64,
    pub started: SystemTime,
    pub duration: Duration,
    /// One per target, in the targets' order.
    pub targets: Vec<TargetRound>,
}
