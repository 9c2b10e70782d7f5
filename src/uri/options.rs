//! The table of connection string options (each with its kind: which exist, which are
//! booleans, numbers, secrets or files) and the list of those that switch TLS checks off.

/// What an option's value is: how it is validated, shown and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `true` or `false`.
    Bool,
    /// A non-negative whole number.
    Number,
    /// A secret: shown as `****` wherever the URI is shown.
    Secret,
    /// A path to a file the driver reads (CA, certificate and key).
    File,
    /// Anything else.
    Text,
}

/// The options of the connection string specification (and common driver
/// extras), each with its kind: the one table the secret-option list, the
/// validation and the unknown-option lint derive from.
pub const OPTIONS: &[(&str, OptionKind)] = &[
    ("appName", OptionKind::Text),
    ("authMechanism", OptionKind::Text),
    ("authMechanismProperties", OptionKind::Text),
    ("authSource", OptionKind::Text),
    ("compressors", OptionKind::Text),
    ("connectTimeoutMS", OptionKind::Number),
    ("directConnection", OptionKind::Bool),
    ("heartbeatFrequencyMS", OptionKind::Number),
    ("journal", OptionKind::Bool),
    ("loadBalanced", OptionKind::Bool),
    ("localThresholdMS", OptionKind::Number),
    ("maxConnecting", OptionKind::Number),
    ("maxIdleTimeMS", OptionKind::Number),
    ("maxPoolSize", OptionKind::Number),
    ("maxStalenessSeconds", OptionKind::Number),
    ("minPoolSize", OptionKind::Number),
    ("proxyHost", OptionKind::Text),
    ("proxyPassword", OptionKind::Secret),
    ("proxyPort", OptionKind::Number),
    ("proxyUsername", OptionKind::Text),
    ("readConcernLevel", OptionKind::Text),
    ("readPreference", OptionKind::Text),
    ("readPreferenceTags", OptionKind::Text),
    ("replicaSet", OptionKind::Text),
    ("retryReads", OptionKind::Bool),
    ("retryWrites", OptionKind::Bool),
    ("serverMonitoringMode", OptionKind::Text),
    ("serverSelectionTimeoutMS", OptionKind::Number),
    ("serverSelectionTryOnce", OptionKind::Bool),
    ("socketTimeoutMS", OptionKind::Number),
    ("srvMaxHosts", OptionKind::Number),
    ("srvServiceName", OptionKind::Text),
    ("ssl", OptionKind::Bool),
    ("timeoutMS", OptionKind::Number),
    ("tls", OptionKind::Bool),
    ("tlsAllowInvalidCertificates", OptionKind::Bool),
    ("tlsAllowInvalidHostnames", OptionKind::Bool),
    ("tlsCAFile", OptionKind::File),
    ("tlsCertificateKeyFile", OptionKind::File),
    ("tlsCertificateKeyFilePassword", OptionKind::Secret),
    ("tlsDisableCertificateRevocationCheck", OptionKind::Bool),
    ("tlsDisableOCSPEndpointCheck", OptionKind::Bool),
    ("tlsInsecure", OptionKind::Bool),
    ("w", OptionKind::Text),
    ("waitQueueTimeoutMS", OptionKind::Number),
    ("wTimeoutMS", OptionKind::Number),
    ("zlibCompressionLevel", OptionKind::Number),
    ("uuidRepresentation", OptionKind::Text),
    ("sslAllowInvalidCertificates", OptionKind::Text),
    ("sslAllowInvalidHostnames", OptionKind::Text),
    ("sslCAFile", OptionKind::File),
    ("sslPEMKeyFile", OptionKind::File),
    ("sslPEMKeyPassword", OptionKind::Secret),
    ("wtimeout", OptionKind::Text),
    ("maxIdleTimeMs", OptionKind::Text),
    ("connectTimeoutMs", OptionKind::Text),
];

/// The kind of a known option, by case-insensitive name.
pub fn option_kind(name: &str) -> Option<OptionKind> {
    OPTIONS
        .iter()
        .find(|(known, _)| eq_ignore_case(known, name))
        .map(|(_, kind)| *kind)
}

/// Whether an option's value is shown as `****`: the table's secrets, and any
/// option, known or not, whose name says it holds one (a misspelt
/// `proxyPasword` must not print what the user meant to hide).
pub fn is_secret_option(name: &str) -> bool {
    if let Some(kind) = option_kind(name) {
        return kind == OptionKind::Secret;
    }
    let lower = name.to_ascii_lowercase();
    ["passw", "pasw", "pwd", "secret", "token"]
        .iter()
        .any(|word| lower.contains(word))
}

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
