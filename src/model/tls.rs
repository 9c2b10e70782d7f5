//! The tls layer's facts: what a handshake showed (protocol, cipher, the
//! presented chain, who trusts it).

use std::time::Duration;

/// One certificate of the presented chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub names: Vec<String>,
    pub not_before: String,
    pub not_after: String,
    /// `not_after` as seconds since the Unix epoch, for typed output.
    pub not_after_unix: i64,
    /// Seconds from now until expiry (negative once expired).
    pub expires_in_secs: i64,
}

/// What a handshake showed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub protocol: Option<String>,
    pub cipher: Option<String>,
    pub sni: Option<String>,
    pub chain: Vec<CertInfo>,
    /// Verification problems ignored because the URI switched checks off.
    pub ignored: Vec<String>,
    /// Which root sources, each on its own, trust the presented chain
    /// (`system`, `mozilla`, `tlsCAFile`).
    pub trusted_by: Vec<&'static str>,
    /// The server asked for a client certificate (a CertificateRequest).
    pub client_certificate_requested: bool,
    /// We had one to send (tlsCertificateKeyFile).
    pub client_certificate_sent: bool,
}

/// Why a TLS handshake failed. Its words (`Display`) live with the tls probe,
/// which knows the alerts' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    UnknownIssuer {
        issuer: String,
    },
    Expired {
        not_after: String,
    },
    NotYetValid {
        not_before: String,
    },
    NameMismatch {
        expected: String,
        names: Vec<String>,
    },
    BadCertificate {
        reason: String,
    },
    Alert {
        code: u8,
        name: String,
    },
    ClosedAfterHello,
    NotTls,
    Timeout {
        after: Duration,
    },
    Protocol {
        reason: String,
    },
    CaFile {
        path: String,
        reason: String,
    },
    ClientCertificateRequired {
        alert: Option<u8>,
    },
    ClientCertificateRejected {
        alert: Option<u8>,
    },
    KeyFile {
        path: String,
        reason: String,
    },
}

/// Which of the trust stores drivers use vouch for a chain, when only one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustGap {
    /// This machine's system store, and not the Mozilla bundle.
    SystemNotMozilla,
    /// The Mozilla bundle, and not this machine's system store.
    MozillaNotSystem,
}
