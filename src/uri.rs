//! Connection strings: parse and lint without touching the network, keep the
//! password in a `SecretString`, and display the URI only redacted.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// A secret that cannot be printed by accident: Debug and Display show `****`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }

    /// The secret itself, for the one place that must send it (the driver).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

/// Why a connection string was refused. Messages never carry the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the connection string must start with mongodb:// or mongodb+srv:// (found {found:?})")]
    UnknownScheme { found: String },
    #[error("the connection string names no host")]
    EmptyHost,
    #[error("the {part} contains an unescaped {ch:?}: write it as {encoded}")]
    UnescapedCharacter {
        part: &'static str,
        ch: char,
        encoded: String,
    },
    #[error("the {part} has a % that does not start a %XX escape: write a literal % as %25")]
    BadPercentEncoding { part: &'static str },
    #[error("a mongodb+srv:// connection string may not carry a port ({host})")]
    SrvWithPort { host: String },
    #[error("a mongodb+srv:// connection string must name exactly one host (found {count})")]
    SrvMultipleHosts { count: usize },
    #[error("invalid port in host {host:?}: {reason}")]
    InvalidPort { host: String, reason: &'static str },
    #[error("invalid host {host:?}: {reason}")]
    InvalidHost { host: String, reason: &'static str },
    #[error("option {name}: {reason}")]
    InvalidOption { name: String, reason: String },
}

/// `mongodb://` or `mongodb+srv://`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Standard,
    Srv,
}

impl Scheme {
    pub fn prefix(self) -> &'static str {
        match self {
            Scheme::Standard => "mongodb://",
            Scheme::Srv => "mongodb+srv://",
        }
    }
}

/// One host of the seed list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// Name or address, without IPv6 brackets.
    pub name: String,
    pub port: Option<u16>,
}

impl Host {
    /// The port to connect to: the given one or 27017.
    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(DEFAULT_PORT)
    }

    /// `host:port` as drivers write it (IPv6 in brackets).
    pub fn address(&self) -> String {
        format_address(&self.name, self.port_or_default())
    }
}

/// `host:port`, with brackets around an IPv6 address.
pub fn format_address(name: &str, port: u16) -> String {
    if name.contains(':') {
        format!("[{name}]:{port}")
    } else {
        format!("{name}:{port}")
    }
}

/// MongoDB's default port.
pub const DEFAULT_PORT: u16 = 27017;

/// A parsed connection string. The password is only reachable via `expose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionString {
    pub scheme: Scheme,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    pub hosts: Vec<Host>,
    pub database: Option<String>,
    /// Options as given (decoded), in order; keys keep their case.
    pub options: Vec<(String, String)>,
}

/// Something legal but worth a warning, found without the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// Short name, e.g. the option.
    pub name: String,
    pub message: String,
}

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

const AUTH_MECHANISMS: &[&str] = &[
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "MONGODB-X509",
    "MONGODB-AWS",
    "GSSAPI",
    "PLAIN",
    "MONGODB-OIDC",
];

/// Characters that must be percent-encoded in user names and passwords.
const USERINFO_RESERVED: &[char] = &['@', ':', '/', '?', '#', '[', ']'];

/// What `utf8_percent_encode` escapes when we rebuild a URI.
const USERINFO_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'@')
    .add(b':')
    .add(b'/')
    .add(b'?')
    .add(b'#')
    .add(b'[')
    .add(b']')
    .add(b'%')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// What option names and values escape: only what would break the query
/// string. `;` separates options too, and an `@` would be taken for the end of
/// the credentials, so the rendering would not parse back.
const OPTION_VALUE_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'&')
    .add(b';')
    .add(b'@')
    .add(b'=')
    .add(b'#')
    .add(b'%')
    .add(b'"');

/// What the database name escapes when rendered (the parser takes it decoded).
const DATABASE_ENCODE: &AsciiSet = &OPTION_VALUE_ENCODE.add(b'/').add(b'?');

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|known| eq_ignore_case(known, name))
}

impl ConnectionString {
    /// Parses and validates a connection string. Errors never include the password.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let input = input.trim();
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(input, "mongodb+srv://") {
            (Scheme::Srv, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(input, "mongodb://") {
            (Scheme::Standard, rest)
        } else {
            return Err(Error::UnknownScheme {
                found: scheme_of(input),
            });
        };

        // The last '@' ends the credentials: passwords contain '/', '?' and '#'
        // far more often than options contain '@'.
        let (userinfo, after_userinfo) = match rest.rfind('@') {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let host_end = after_userinfo
            .find(['/', '?'])
            .unwrap_or(after_userinfo.len());
        let host_list = &after_userinfo[..host_end];
        let after_hosts = &after_userinfo[host_end..];
        let (path, query) = match after_hosts.find('?') {
            Some(q) => (&after_hosts[..q], &after_hosts[q + 1..]),
            None => (after_hosts, ""),
        };

        let (username, password) = match userinfo {
            Some(info) => parse_userinfo(info)?,
            None => (None, None),
        };
        let hosts = parse_hosts(host_list)?;
        let database = parse_database(path)?;
        let options = parse_options(query)?;

        let cs = ConnectionString {
            scheme,
            username,
            password,
            hosts,
            database,
            options,
        };
        cs.validate()?;
        Ok(cs)
    }

    fn validate(&self) -> Result<(), Error> {
        if self.scheme == Scheme::Srv {
            if self.hosts.len() > 1 {
                return Err(Error::SrvMultipleHosts {
                    count: self.hosts.len(),
                });
            }
            if let Some(host) = self.hosts.first().filter(|h| h.port.is_some()) {
                return Err(Error::SrvWithPort {
                    host: host.address(),
                });
            }
            if self.hosts[0].name.parse::<std::net::IpAddr>().is_ok() {
                return Err(Error::InvalidHost {
                    host: self.hosts[0].name.clone(),
                    reason: "mongodb+srv:// needs a DNS name, not an IP address",
                });
            }
        }
        for (name, value) in &self.options {
            if option_kind(name) == Some(OptionKind::Bool)
                && !matches!(value.to_ascii_lowercase().as_str(), "true" | "false")
            {
                return Err(invalid_option(
                    name,
                    format!("must be true or false, not {value:?}"),
                ));
            }
            if option_kind(name) == Some(OptionKind::Number) && value.parse::<u64>().is_err() {
                return Err(invalid_option(
                    name,
                    format!("must be a non-negative whole number, not {value:?}"),
                ));
            }
            if eq_ignore_case(name, "authMechanism") && !is_one_of(value, AUTH_MECHANISMS) {
                return Err(invalid_option(
                    name,
                    format!(
                        "unknown mechanism {value:?} (one of {})",
                        AUTH_MECHANISMS.join(", ")
                    ),
                ));
            }
        }
        if let (Some(tls), Some(ssl)) = (self.bool_option("tls"), self.bool_option("ssl"))
            && tls != ssl
        {
            return Err(invalid_option("tls", "tls and ssl disagree".to_string()));
        }
        if self.bool_option("tlsInsecure").is_some()
            && (self.bool_option("tlsAllowInvalidCertificates").is_some()
                || self.bool_option("tlsAllowInvalidHostnames").is_some())
        {
            return Err(invalid_option(
                "tlsInsecure",
                "cannot be combined with tlsAllowInvalidCertificates or tlsAllowInvalidHostnames"
                    .to_string(),
            ));
        }
        if self.bool_option("directConnection") == Some(true) {
            if self.scheme == Scheme::Srv {
                return Err(invalid_option(
                    "directConnection",
                    "cannot be true with mongodb+srv://".to_string(),
                ));
            }
            if self.hosts.len() > 1 {
                return Err(invalid_option(
                    "directConnection",
                    "cannot be true with several hosts".to_string(),
                ));
            }
        }
        if self.bool_option("loadBalanced") == Some(true) && self.hosts.len() > 1 {
            return Err(invalid_option(
                "loadBalanced",
                "cannot be true with several hosts".to_string(),
            ));
        }
        if self.username.is_none() && self.password.is_some() {
            return Err(invalid_option(
                "password",
                "a password was given without a user name".to_string(),
            ));
        }
        Ok(())
    }

    /// The last value of an option, by case-insensitive name.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(k, _)| eq_ignore_case(k, name))
            .map(|(_, v)| v.as_str())
    }

    /// A boolean option, if present and valid.
    pub fn bool_option(&self, name: &str) -> Option<bool> {
        self.option(name)
            .and_then(|v| match v.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            })
    }

    /// Whether the driver would use TLS: on for `+srv` unless turned off, else only when asked.
    pub fn tls_enabled(&self) -> bool {
        let asked = self.bool_option("tls").or_else(|| self.bool_option("ssl"));
        asked.unwrap_or(self.scheme == Scheme::Srv)
    }

    /// The CA file named by `tlsCAFile` (or the legacy `sslCAFile`).
    pub fn tls_ca_file(&self) -> Option<&str> {
        self.option("tlsCAFile")
            .or_else(|| self.option("sslCAFile"))
    }

    /// The replica set name asked for.
    pub fn replica_set(&self) -> Option<&str> {
        self.option("replicaSet")
    }

    /// TLS verification switches that are on.
    pub fn insecure_tls_options(&self) -> Vec<&'static str> {
        INSECURE_TLS_OPTIONS
            .iter()
            .copied()
            .filter(|name| self.bool_option(name) == Some(true))
            .collect()
    }

    /// Warnings that do not stop the run.
    pub fn lints(&self) -> Vec<Lint> {
        let mut lints = Vec::new();
        for name in self.insecure_tls_options() {
            lints.push(Lint {
                name: name.to_string(),
                message: format!(
                    "{name}=true switches off TLS certificate checks: anyone on the path can impersonate the server"
                ),
            });
        }
        for (name, _) in &self.options {
            if option_kind(name).is_none() {
                lints.push(Lint {
                    name: name.clone(),
                    message: format!("unknown option {name:?}: drivers ignore it with a warning (check its spelling)"),
                });
            }
        }
        if self.username.is_some()
            && self.option("authSource").is_none()
            && let Some(db) = self.database.as_deref().filter(|db| *db != "admin")
        {
            lints.push(Lint {
                    name: "authSource".to_string(),
                    message: format!(
                        "no authSource: the driver authenticates against database {db:?}; Atlas users live in admin (add authSource=admin if authentication fails)"
                    ),
                });
        }
        lints
    }

    /// The URI with the password and secret options replaced by `****`.
    pub fn redacted(&self) -> String {
        self.render(&self.hosts_string(), &self.options, true)
    }

    /// The equivalent standard string for resolved SRV hosts, with TLS on and the
    /// TXT options folded in (credentials redacted): the workaround for a resolver
    /// that cannot answer SRV queries.
    pub fn standard_equivalent(
        &self,
        hosts: &[(String, u16)],
        txt_options: &[(String, String)],
    ) -> String {
        let host_list = hosts
            .iter()
            .map(|(name, port)| format_address(name, *port))
            .collect::<Vec<_>>()
            .join(",");
        let mut options = self.options.clone();
        for (key, value) in txt_options {
            if self.option(key).is_none() {
                options.push((key.clone(), value.clone()));
            }
        }
        if self.option("tls").is_none() && self.option("ssl").is_none() {
            options.insert(0, ("tls".to_string(), "true".to_string()));
        }
        let standard = ConnectionString {
            scheme: Scheme::Standard,
            ..self.clone()
        };
        standard.render(&host_list, &options, true)
    }

    fn hosts_string(&self) -> String {
        self.hosts
            .iter()
            .map(|h| match h.port {
                Some(port) => format_address(&h.name, port),
                None if h.name.contains(':') => format!("[{}]", h.name),
                None => h.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn render(&self, hosts: &str, options: &[(String, String)], redact: bool) -> String {
        let mut out = String::from(self.scheme.prefix());
        if let Some(user) = &self.username {
            out.push_str(&utf8_percent_encode(user, USERINFO_ENCODE).to_string());
            if self.password.is_some() {
                out.push_str(if redact { ":****" } else { ":" });
            }
            out.push('@');
        }
        out.push_str(hosts);
        out.push('/');
        if let Some(db) = &self.database {
            out.extend(utf8_percent_encode(db, DATABASE_ENCODE));
        }
        if !options.is_empty() {
            out.push('?');
            let rendered: Vec<String> = options
                .iter()
                .map(|(k, v)| {
                    let key = utf8_percent_encode(k, OPTION_VALUE_ENCODE);
                    if redact && is_secret_option(k) {
                        format!("{key}=****")
                    } else if redact && eq_ignore_case(k, "authMechanismProperties") {
                        let shown = redact_properties(v);
                        format!("{key}={}", utf8_percent_encode(&shown, OPTION_VALUE_ENCODE))
                    } else {
                        format!("{key}={}", utf8_percent_encode(v, OPTION_VALUE_ENCODE))
                    }
                })
                .collect();
            out.push_str(&rendered.join("&"));
        }
        out
    }
}

/// The option's name is shown escaped: a raw line break in a pasted URI must
/// not split the one-line error.
fn invalid_option(name: &str, reason: String) -> Error {
    Error::InvalidOption {
        name: name.escape_debug().to_string(),
        reason,
    }
}

/// `AWS_SESSION_TOKEN:...` and similar values are secrets; keep the keys.
fn redact_properties(value: &str) -> String {
    value
        .split(',')
        .map(|pair| match pair.split_once(':') {
            Some((k, _)) if is_secret_option(k) => {
                format!("{k}:****")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The scheme part of something that is not a MongoDB URI, safe to show.
///
/// Only a real scheme (a short run of letters, digits, `+`, `-`, `.`) is shown
/// as such: the first `://` may come after credentials, as in
/// `mongodb:/user:pw@host/?x=http://`, and what stands before it is no scheme.
/// Nothing else of the value is echoed: it may be a password pasted where the
/// URI belongs.
fn scheme_of(input: &str) -> String {
    match real_scheme_end(input) {
        Some(end) => input[..end].to_string(),
        None => "a value without a scheme".to_string(),
    }
}

fn parse_userinfo(info: &str) -> Result<(Option<String>, Option<SecretString>), Error> {
    let (user_raw, password_raw) = match info.split_once(':') {
        Some((user, password)) => (user, Some(password)),
        None => (info, None),
    };
    check_userinfo_part(user_raw, "user name")?;
    let username = decode(user_raw, "user name")?;
    let password = match password_raw {
        Some(raw) => {
            check_userinfo_part(raw, "password")?;
            Some(SecretString::new(decode(raw, "password")?))
        }
        None => None,
    };
    if username.is_empty() {
        return Err(Error::InvalidOption {
            name: "user name".to_string(),
            reason: "is empty".to_string(),
        });
    }
    Ok((Some(username), password))
}

/// Raw reserved characters in credentials are the most common URI mistake.
fn check_userinfo_part(raw: &str, part: &'static str) -> Result<(), Error> {
    if let Some(ch) = raw.chars().find(|c| USERINFO_RESERVED.contains(c)) {
        return Err(Error::UnescapedCharacter {
            part,
            ch,
            encoded: percent_encode_char(ch),
        });
    }
    let bytes = raw.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%' {
            let valid = bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
            if !valid {
                return Err(Error::BadPercentEncoding { part });
            }
        }
    }
    Ok(())
}

/// `@` -> `%40`.
pub fn percent_encode_char(ch: char) -> String {
    let mut buf = [0u8; 4];
    ch.encode_utf8(&mut buf)
        .bytes()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "%{b:02X}");
            out
        })
}

fn decode(raw: &str, part: &'static str) -> Result<String, Error> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| Error::BadPercentEncoding { part })
}

fn parse_hosts(list: &str) -> Result<Vec<Host>, Error> {
    if list.is_empty() {
        return Err(Error::EmptyHost);
    }
    list.split(',').map(parse_host).collect()
}

fn parse_host(raw: &str) -> Result<Host, Error> {
    if raw.is_empty() {
        return Err(Error::EmptyHost);
    }
    let (name, port) = if let Some(rest) = raw.strip_prefix('[') {
        let close = rest.find(']').ok_or_else(|| Error::InvalidHost {
            host: raw.to_string(),
            reason: "unclosed [ of an IPv6 address",
        })?;
        let name = &rest[..close];
        let after = &rest[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => {
                return Err(Error::InvalidHost {
                    host: raw.to_string(),
                    reason: "unexpected text after ]",
                });
            }
        };
        (name.to_string(), port)
    } else {
        match raw.rsplit_once(':') {
            Some((name, _)) if name.contains(':') => {
                return Err(Error::InvalidHost {
                    host: raw.to_string(),
                    reason: "an IPv6 address must be written in brackets, e.g. [::1]:27017",
                });
            }
            Some((name, port)) => (name.to_string(), Some(port)),
            None => (raw.to_string(), None),
        }
    };
    if name.is_empty() {
        return Err(Error::EmptyHost);
    }
    let name = percent_decode_str(&name).decode_utf8_lossy().into_owned();
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '@' | '#' | '\\' | '"' | '\''))
    {
        return Err(Error::InvalidHost {
            host: name,
            reason: "host names may not contain spaces, quotes, @ or #",
        });
    }
    let port = match port {
        None => None,
        // A "port" that is not a number may be the password of `user:password`
        // written without `@host`: never echoed.
        Some(p) => Some(parse_port(p).map_err(|reason| Error::InvalidPort {
            host: mask_non_numeric_ports(raw),
            reason,
        })?),
    };
    Ok(Host { name, port })
}

fn parse_port(raw: &str) -> Result<u16, &'static str> {
    if raw.is_empty() {
        return Err("the port is empty");
    }
    match raw.parse::<u32>() {
        Ok(0) => Err("port 0 is not a port"),
        Ok(p) => u16::try_from(p).map_err(|_| "ports go up to 65535"),
        Err(_) => Err("the port is not a number"),
    }
}

fn parse_database(path: &str) -> Result<Option<String>, Error> {
    let name = path.strip_prefix('/').unwrap_or(path);
    if name.is_empty() {
        return Ok(None);
    }
    let name = percent_decode_str(name).decode_utf8_lossy().into_owned();
    if let Some(bad) = name.chars().find(|c| {
        matches!(
            c,
            '/' | '\\' | ' ' | '"' | '$' | '.' | '*' | '<' | '>' | ':' | '|' | '?'
        )
    }) {
        return Err(Error::InvalidOption {
            name: "database".to_string(),
            reason: format!("the database name in the path contains {bad:?}"),
        });
    }
    Ok(Some(name))
}

fn parse_options(query: &str) -> Result<Vec<(String, String)>, Error> {
    let mut options = Vec::new();
    for pair in query.split(['&', ';']).filter(|p| !p.is_empty()) {
        let Some((key, value)) = pair.split_once('=') else {
            let key: String = pair.chars().take(40).collect();
            return Err(invalid_option(
                &key,
                "has no value (write key=value)".to_string(),
            ));
        };
        let key = percent_decode_str(key).decode_utf8_lossy().into_owned();
        if key.is_empty() {
            return Err(invalid_option(
                "(empty)",
                "an option has no name".to_string(),
            ));
        }
        let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
        options.push((key, value));
    }
    Ok(options)
}

/// Atlas's copy-paste placeholders and what each stands for. Atlas's "Connect"
/// dialog shows `mongodb+srv://<db_username>:<db_password>@...` (older
/// versions `<username>:<password>`); left in, they fail as a bad password.
const ATLAS_PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "<db_password>",
        "the database user's password (percent-encoded)",
    ),
    (
        "<password>",
        "the database user's password (percent-encoded)",
    ),
    ("<db_username>", "the database user's name"),
    ("<username>", "the database user's name"),
    ("<dbname>", "the database name"),
];

/// The first Atlas placeholder in `text` (as written or percent-encoded, any
/// case), with what it stands for.
pub fn atlas_placeholder(text: &str) -> Option<(&'static str, &'static str)> {
    let decoded = percent_decode_str(text)
        .decode_utf8_lossy()
        .to_ascii_lowercase();
    ATLAS_PLACEHOLDERS
        .iter()
        .find(|(placeholder, _)| decoded.contains(placeholder))
        .copied()
}

/// A string that may or may not be a connection string, safe to show: the one
/// redaction path for every target, argument and scanned hit. What parses is
/// shown through `redacted`; what does not is masked by the same rules, best
/// effort, over-hiding rather than under-hiding: the credentials, every secret
/// option and `authMechanismProperties` secret, `password=` values, a
/// non-numeric "port" after a user name with no host (`mongodb://alice:PASSWORD`),
/// and a value with no scheme and no `@` (a password pasted in) as a whole.
pub fn redact_raw(input: &str) -> String {
    if let Ok(cs) = ConnectionString::parse(input) {
        return cs.redacted();
    }
    let Some(scheme_end) = real_scheme_end(input) else {
        return crate::redact::redact_key_values(&redact_without_scheme(input));
    };
    let rest = &input[scheme_end..];
    let (userinfo, after) = match rest.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let mut out = input[..scheme_end].to_string();
    if let Some(userinfo) = userinfo {
        let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
        out.push_str(if user.contains(['/', '?', '#']) {
            MASK
        } else {
            user
        });
        if userinfo.contains(':') {
            out.push(':');
            out.push_str(MASK);
        }
        out.push('@');
    }
    let host_end = after.find(['/', '?']).unwrap_or(after.len());
    let (hosts, tail) = after.split_at(host_end);
    if userinfo.is_none() {
        out.push_str(&mask_non_numeric_ports(hosts));
    } else {
        out.push_str(hosts);
    }
    match tail.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            out.push_str(&redact_query(query));
        }
        None => out.push_str(tail),
    }
    crate::redact::redact_key_values(&out)
}

const MASK: &str = crate::redact::MASK;

/// The end of a real scheme (`mongodb://`, or a typo such as `mongdb://`): a
/// short run of scheme characters before the first `://`. A `://` later in the
/// text (`mongodb:/user:pw@h/?x=http://`) is no scheme.
fn real_scheme_end(input: &str) -> Option<usize> {
    let i = input.find("://")?;
    let scheme = &input[..i];
    ((1..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(i + 3)
}

/// `alice:PASSWORD` with no `@host` reads as a host with a port: a "port" that is
/// not a number is most likely a password, so it is masked.
fn mask_non_numeric_ports(hosts: &str) -> String {
    hosts
        .split(',')
        .map(|host| match host.rsplit_once(':') {
            Some((name, port)) if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) => {
                let name = if name.starts_with('[') || !name.contains(':') {
                    name
                } else {
                    MASK
                };
                format!("{name}:{MASK}")
            }
            _ => host.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The query of an unparsed URI with every secret value masked, by the same
/// table the parsed rendering uses.
fn redact_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for (i, pair) in query.split(['&', ';']).enumerate() {
        if i > 0 {
            out.push('&');
        }
        let Some((key, value)) = pair.split_once('=') else {
            out.push_str(pair);
            continue;
        };
        let name = percent_decode_str(key).decode_utf8_lossy();
        if is_secret_option(&name) {
            let _ = write!(out, "{key}={MASK}");
        } else if eq_ignore_case(&name, "authMechanismProperties") {
            let decoded = percent_decode_str(value).decode_utf8_lossy();
            let _ = write!(out, "{key}={}", redact_properties(&decoded));
        } else {
            out.push_str(pair);
        }
    }
    out
}

/// No real scheme: `mongodb:/user:pw@host`, `mongodb//user:pw@host`,
/// `user:pw@host`, or a bare value. Where the user name ends cannot be known,
/// so everything before the last `@` is masked but a leading scheme word
/// (`mongodb:`, `mongodb:/`, `mongodb//`); with no `@` at all the value may be
/// a password pasted where the URI belongs, and nothing of it is shown but
/// that scheme word.
fn redact_without_scheme(input: &str) -> String {
    let lower = input.to_ascii_lowercase();
    let word = ["mongodb+srv", "mongodb"]
        .iter()
        .find(|w| lower.starts_with(*w))
        .map_or(0, |w| w.len());
    let Some(at) = input.rfind('@') else {
        return format!("{}{MASK}", &input[..word]);
    };
    // The scheme word and what is left of its `://`, never past the `@`.
    let slashes = input.as_bytes()[word..]
        .iter()
        .take(3)
        .take_while(|b| matches!(b, b':' | b'/'))
        .count();
    let keep = if word == 0 {
        0
    } else {
        (word + slashes).min(at)
    };
    format!(
        "{}{MASK}@{}",
        &input[..keep],
        redact_query_tail(&input[at + 1..])
    )
}

/// What follows the hosts of an unparsed string: its query's secrets masked.
fn redact_query_tail(after: &str) -> String {
    match after.split_once('?') {
        Some((head, query)) => format!("{head}?{}", redact_query(query)),
        None => after.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("mongodb://localhost" ; "bare host")]
    #[test_case("mongodb://app:secret@a:1,b:2/app?replicaSet=rs0&authSource=admin" ; "seed list")]
    #[test_case("mongodb+srv://app:p%40ss@cluster0.ab1cd.example.net/?retryWrites=true&w=majority" ; "atlas-style srv")]
    #[test_case("mongodb://[::1]:27017/?tls=true" ; "ipv6")]
    #[test_case("MONGODB://host/" ; "scheme is case insensitive")]
    fn parses(uri: &str) {
        ConnectionString::parse(uri).unwrap();
    }

    #[test_case("mongodb://us@r:pass@host/", "user name", '@', "%40" ; "at in user")]
    #[test_case("mongodb://user:p@ss@host/", "password", '@', "%40" ; "at in password")]
    #[test_case("mongodb://user:pa:ss@host/", "password", ':', "%3A" ; "colon in password")]
    #[test_case("mongodb://user:pa/ss@host/", "password", '/', "%2F" ; "slash in password")]
    #[test_case("mongodb://user:pa?ss@host/", "password", '?', "%3F" ; "question mark in password")]
    #[test_case("mongodb://user:pa#ss@host/", "password", '#', "%23" ; "hash in password")]
    fn unescaped_characters_are_named_with_their_encoding(
        uri: &str,
        part: &str,
        ch: char,
        encoded: &str,
    ) {
        let err = ConnectionString::parse(uri).unwrap_err();
        assert_eq!(
            err,
            Error::UnescapedCharacter {
                part: if part == "password" {
                    "password"
                } else {
                    "user name"
                },
                ch,
                encoded: encoded.to_string()
            }
        );
        let message = err.to_string();
        assert!(message.contains(encoded), "{message}");
        assert!(!message.contains("ss@host"), "{message}");
    }

    #[test]
    fn a_stray_percent_is_refused() {
        let err = ConnectionString::parse("mongodb://user:100%sure@host/").unwrap_err();
        assert_eq!(err, Error::BadPercentEncoding { part: "password" });
    }

    #[test_case("http://host/", "UnknownScheme" ; "http")]
    #[test_case("mongodb:/host", "UnknownScheme" ; "one slash")]
    #[test_case("mongodb://", "EmptyHost" ; "no host")]
    #[test_case("mongodb://user:pw@/db", "EmptyHost" ; "credentials without host")]
    #[test_case("mongodb+srv://cluster0.example.net:27017/", "SrvWithPort" ; "srv with port")]
    #[test_case("mongodb+srv://a.example.net,b.example.net/", "SrvMultipleHosts" ; "srv with two hosts")]
    #[test_case("mongodb://host:99999/", "InvalidPort" ; "port too large")]
    #[test_case("mongodb://host:abc/", "InvalidPort" ; "port not a number")]
    #[test_case("mongodb://::1:27017/", "InvalidHost" ; "unbracketed ipv6")]
    #[test_case("mongodb://host/?tls=yes", "InvalidOption" ; "bad bool")]
    #[test_case("mongodb://host/?connectTimeoutMS=soon", "InvalidOption" ; "bad number")]
    #[test_case("mongodb://host/?authMechanism=SCRAM-SHA-512", "InvalidOption" ; "bad mechanism")]
    #[test_case("mongodb://host/?tls=true&ssl=false", "InvalidOption" ; "tls and ssl disagree")]
    #[test_case("mongodb://host/?tlsInsecure=true&tlsAllowInvalidCertificates=true", "InvalidOption" ; "insecure conflict")]
    #[test_case("mongodb://a,b/?directConnection=true", "InvalidOption" ; "direct with two hosts")]
    #[test_case("mongodb://host/?replicaSet", "InvalidOption" ; "option without value")]
    #[test_case("mongodb+srv://127.0.0.1/", "InvalidHost" ; "srv with ip")]
    fn refused(uri: &str, kind: &str) {
        let err = ConnectionString::parse(uri).unwrap_err();
        assert!(format!("{err:?}").starts_with(kind), "{uri}: {err:?}");
    }

    #[test]
    fn tls_defaults() {
        assert!(
            ConnectionString::parse("mongodb+srv://c.example.net/")
                .unwrap()
                .tls_enabled()
        );
        assert!(
            !ConnectionString::parse("mongodb+srv://c.example.net/?tls=false")
                .unwrap()
                .tls_enabled()
        );
        assert!(
            !ConnectionString::parse("mongodb://h/")
                .unwrap()
                .tls_enabled()
        );
        assert!(
            ConnectionString::parse("mongodb://h/?ssl=true")
                .unwrap()
                .tls_enabled()
        );
    }

    #[test]
    fn redaction_hides_password_and_secret_options() {
        let cs = ConnectionString::parse(
            "mongodb://app:S3cret%21@h1:1,h2/app?tlsCertificateKeyFilePassword=kp&authMechanismProperties=AWS_SESSION_TOKEN:tok",
        )
        .unwrap();
        let shown = cs.redacted();
        assert_eq!(
            shown,
            "mongodb://app:****@h1:1,h2/app?tlsCertificateKeyFilePassword=****&authMechanismProperties=AWS_SESSION_TOKEN:****"
        );
        assert_eq!(format!("{:?}", cs.password), "Some(****)");
        assert_eq!(cs.password.unwrap().expose(), "S3cret!");
    }

    #[test]
    fn redact_raw_handles_unparseable_strings() {
        assert_eq!(
            redact_raw("mongodb://us@r:p@ss@host/"),
            "mongodb://us@r:****@host/"
        );
        assert_eq!(
            redact_raw("mongodb://u:pa/ss?x@host/db"),
            "mongodb://u:****@host/db"
        );
        assert_eq!(
            redact_raw("mongodb://host/?password=abc&x=1"),
            "mongodb://host/?password=****&x=1"
        );
        // A bare value is what a password pasted into MONGODB_URI looks like.
        assert_eq!(redact_raw("no uri here"), "****");
        assert_eq!(redact_raw("Tr0ub4dor&3"), "****");
        assert_eq!(redact_raw("mongodb:Tr0ub4dor"), "mongodb****");
        // Without `://` the user name's end is unknown: all before the last @ goes.
        assert_eq!(redact_raw("mongodb:/app:Secret1@h/"), "mongodb:/****@h/");
        assert_eq!(
            redact_raw("mongodb//app:Secret1@h/db"),
            "mongodb//****@h/db"
        );
        assert_eq!(redact_raw("mongodb:app:Se/cret1@h/"), "mongodb:****@h/");
        assert_eq!(redact_raw("app:Secret1@h"), "****@h");
        assert_eq!(redact_raw("app:p@ss:w/rd@h"), "****@h");
    }

    /// Issue 15 item 6: shapes that do not parse were shown whole or in part.
    #[test]
    fn r15_unparseable_strings_go_through_the_same_redaction() {
        // No @host: the password reads as a port, in the target and in the error.
        assert_eq!(redact_raw("mongodb://alice:Secret1"), "mongodb://alice:****");
        let err = ConnectionString::parse("mongodb://alice:Secret1").unwrap_err();
        assert!(!err.to_string().contains("Secret1"), "{err}");
        // A scheme typo with a later `://`: the first `://` is no scheme.
        assert_eq!(
            redact_raw("mongodb:/alice:Secret1@h/?appName=http://x"),
            "mongodb:/****@h/?appName=http://x"
        );
        let err = ConnectionString::parse("mongdb:/alice:Secret1?x=http://y").unwrap_err();
        assert!(!err.to_string().contains("Secret1"), "{err}");
        // A bare value: the error does not echo it either.
        let err = ConnectionString::parse("Secret1Secret1").unwrap_err();
        assert!(!err.to_string().contains("Secret1"), "{err}");
        // Secret options and AWS_SESSION_TOKEN in a string that fails to parse.
        let shown = redact_raw(
            "mongodb://u:pw@h:notaport/?authMechanismProperties=AWS_SESSION_TOKEN:tok123&proxyPassword=px1&sslPEMKeyPassword=kp1",
        );
        for secret in ["pw@", "tok123", "px1", "kp1"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("AWS_SESSION_TOKEN:****"), "{shown}");
    }

    /// Issue 15 item 5: every secret option of the table is masked when shown.
    #[test_case("proxyPassword")]
    #[test_case("tlsCertificateKeyFilePassword")]
    #[test_case("sslPEMKeyPassword")]
    #[test_case("PROXYPASSWORD" ; "any case")]
    #[test_case("proxyPasword" ; "misspelt")]
    fn r15_secret_options_are_masked(name: &str) {
        let uri = format!("mongodb://h/?{name}=S3cretValue&appName=x");
        let shown = ConnectionString::parse(&uri).unwrap().redacted();
        assert_eq!(shown, format!("mongodb://h/?{name}=****&appName=x"));
        assert!(!redact_raw(&format!("{uri}&bad")).contains("S3cretValue"));
    }

    #[test]
    fn every_secret_option_of_the_table_is_masked() {
        let secrets: Vec<&str> = OPTIONS
            .iter()
            .filter(|(_, kind)| *kind == OptionKind::Secret)
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(
            secrets,
            ["proxyPassword", "tlsCertificateKeyFilePassword", "sslPEMKeyPassword"]
        );
        for name in secrets {
            assert!(is_secret_option(name));
        }
    }

    #[test]
    fn lints_flag_insecure_tls_unknown_options_and_auth_source() {
        let cs = ConnectionString::parse(
            "mongodb://u:p@h/app?tlsAllowInvalidCertificates=true&retryWrite=true",
        )
        .unwrap();
        let names: Vec<String> = cs.lints().into_iter().map(|l| l.name).collect();
        assert_eq!(
            names,
            ["tlsAllowInvalidCertificates", "retryWrite", "authSource"]
        );
    }

    #[test]
    fn standard_equivalent_folds_txt_options_and_turns_tls_on() {
        let cs = ConnectionString::parse(
            "mongodb+srv://app:pw@cluster0.example.test/app?retryWrites=true",
        )
        .unwrap();
        let hosts = [
            ("a.cluster0.example.test".to_string(), 27017),
            ("b.cluster0.example.test".to_string(), 27018),
        ];
        let txt = [
            ("authSource".to_string(), "admin".to_string()),
            ("replicaSet".to_string(), "rs0".to_string()),
        ];
        assert_eq!(
            cs.standard_equivalent(&hosts, &txt),
            "mongodb://app:****@a.cluster0.example.test:27017,b.cluster0.example.test:27018/app?tls=true&retryWrites=true&authSource=admin&replicaSet=rs0"
        );
    }
}
