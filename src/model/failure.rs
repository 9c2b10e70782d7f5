//! A failed connectivity probe (uri, dns, tcp, tls, hello), typed, with the
//! names it concerns: the data `diagnose` judges.

use crate::model::step::Layer;
use crate::model::{dns, hello, tcp, tls, uri};

/// A failed probe, typed, with the names it concerns. Layer order decides which one
/// explains a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Uri(uri::Error),
    Dns {
        query: String,
        resolver: String,
        error: dns::Error,
    },
    /// The named resolver failed where the fallback resolver worked.
    DnsResolverBroken {
        query: String,
        resolver: String,
        error: dns::Error,
        fallback: String,
        /// For a +srv URI: the equivalent standard connection string (redacted).
        workaround: Option<Workaround>,
    },
    Tcp {
        host: String,
        error: tcp::Error,
    },
    Tls {
        host: String,
        error: tls::Error,
        atlas: bool,
    },
    /// TLS asked for, but the port answers plain MongoDB.
    TlsPlainServer {
        host: String,
    },
    /// No TLS asked for, but the port wants TLS.
    TlsRequired {
        host: String,
        atlas: bool,
    },
    Hello {
        host: String,
        error: hello::Error,
        atlas: bool,
    },
    WireVersion {
        host: String,
        min: i32,
        max: i32,
        version: Option<String>,
    },
    ReplicaSetMismatch {
        host: String,
        expected: String,
        found: Option<String>,
    },
    NoPrimary {
        members: Vec<String>,
    },
    /// The handshake worked, then a later command on the same connection got no
    /// usable answer (a peer that answers `hello` and then goes silent).
    AfterHandshake {
        host: String,
        command: &'static str,
        error: hello::Error,
    },
    /// A probe task panicked or was cancelled: atlas-doctor's own failure.
    Internal {
        what: String,
    },
}

/// The standard connection string that needs no SRV lookup, as found through
/// the fallback resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workaround {
    /// Redacted: a password in it is `****`.
    pub uri: String,
    /// The URI had a password, which the user must put back in place of `****`.
    pub password_redacted: bool,
}

impl Failure {
    /// The layer this failure belongs to.
    pub fn layer(&self) -> Layer {
        match self {
            Failure::Uri(_) => Layer::Uri,
            Failure::Dns { .. } | Failure::DnsResolverBroken { .. } => Layer::Dns,
            Failure::Tcp { .. } => Layer::Tcp,
            Failure::Tls { .. } | Failure::TlsPlainServer { .. } | Failure::TlsRequired { .. } => {
                Layer::Tls
            }
            Failure::Hello { .. }
            | Failure::WireVersion { .. }
            | Failure::ReplicaSetMismatch { .. }
            | Failure::NoPrimary { .. }
            | Failure::AfterHandshake { .. } => Layer::Hello,
            // Sorts first among a run's failures: nothing the probes saw can be trusted over it.
            Failure::Internal { .. } => Layer::Uri,
        }
    }

    /// The host it concerns, if one.
    pub fn host(&self) -> Option<&str> {
        match self {
            Failure::Tcp { host, .. }
            | Failure::Tls { host, .. }
            | Failure::TlsPlainServer { host }
            | Failure::TlsRequired { host, .. }
            | Failure::Hello { host, .. }
            | Failure::WireVersion { host, .. }
            | Failure::ReplicaSetMismatch { host, .. }
            | Failure::AfterHandshake { host, .. } => Some(host),
            _ => None,
        }
    }
}
