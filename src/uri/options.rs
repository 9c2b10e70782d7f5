//! The tables of connection string options: which exist, which are
//! booleans or numbers, which are secrets, which switch TLS checks off.

/// Options whose value is a secret and is shown as `****`.
pub(super) const SECRET_OPTIONS: &[&str] = &[
    "password",
    "tlscertificatekeyfilepassword",
    "sslpempasskeyfilepassword",
];

/// Options that switch TLS verification off.
pub const INSECURE_TLS_OPTIONS: &[&str] = &[
    "tlsInsecure",
    "tlsAllowInvalidCertificates",
    "tlsAllowInvalidHostnames",
    "tlsDisableOCSPEndpointCheck",
    "tlsDisableCertificateRevocationCheck",
    "sslAllowInvalidCertificates",
    "sslAllowInvalidHostnames",
];

/// Options of the connection string specification that this build of the Rust
/// driver refuses: `socketTimeoutMS` (the Rust driver never supports it), the
/// encrypted-key password and the SOCKS5 proxy (crate features left off). They
/// do not make a string invalid; the driver judges the rest, and a lint says
/// that atlas-doctor's own login runs without them.
pub(super) const DRIVER_LACKS: &[&str] = &[
    "socketTimeoutMS",
    "tlsCertificateKeyFilePassword",
    "proxyHost",
    "proxyPort",
    "proxyUsername",
    "proxyPassword",
];

pub(super) const BOOL_OPTIONS: &[&str] = &[
    "tls",
    "ssl",
    "tlsInsecure",
    "tlsAllowInvalidCertificates",
    "tlsAllowInvalidHostnames",
    "tlsDisableOCSPEndpointCheck",
    "tlsDisableCertificateRevocationCheck",
    "directConnection",
    "loadBalanced",
    "retryReads",
    "retryWrites",
    "journal",
    "serverSelectionTryOnce",
];

pub(super) const NUMBER_OPTIONS: &[&str] = &[
    "connectTimeoutMS",
    "heartbeatFrequencyMS",
    "localThresholdMS",
    "maxConnecting",
    "maxIdleTimeMS",
    "maxPoolSize",
    "maxStalenessSeconds",
    "minPoolSize",
    "serverSelectionTimeoutMS",
    "socketTimeoutMS",
    "srvMaxHosts",
    "timeoutMS",
    "waitQueueTimeoutMS",
    "wTimeoutMS",
    "zlibCompressionLevel",
    "proxyPort",
];

pub(super) const AUTH_MECHANISMS: &[&str] = &[
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "MONGODB-X509",
    "MONGODB-AWS",
    "GSSAPI",
    "PLAIN",
    "MONGODB-OIDC",
];

pub(super) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub(super) fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|known| eq_ignore_case(known, name))
}
