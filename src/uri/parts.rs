//! The parsed connection string and its parts (scheme, hosts, options), with
//! the readings every layer shares (TLS on or off, the files it names).

use super::options::{INSECURE_TLS_OPTIONS, OptionKind, eq_ignore_case, option_kind};
use crate::model::secret::SecretString;

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

    /// A unix domain socket (`%2Ftmp%2Fmongodb-27017.sock`, decoded to a path),
    /// which the driver accepts and the layer probes (DNS, TCP, TLS) cannot reach.
    pub fn is_unix_socket(&self) -> bool {
        self.name.starts_with('/')
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

/// The driver's own reading of the string, kept so the string is parsed
/// once per run: the auth layer builds the driver's client from it. Its Debug
/// shows nothing (it holds the credentials), and it compares equal to any
/// other: it is read from the same string as the parts beside it.
#[derive(Clone, Default)]
pub struct DriverReading(mongodb::options::ConnectionString);

impl DriverReading {
    pub fn new(driver: mongodb::options::ConnectionString) -> Self {
        DriverReading(driver)
    }

    /// The driver's connection string, for its `ClientOptions`.
    pub fn options(&self) -> mongodb::options::ConnectionString {
        self.0.clone()
    }
}

impl std::fmt::Debug for DriverReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DriverReading(..)")
    }
}

impl PartialEq for DriverReading {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for DriverReading {}

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
    /// The driver's reading (empty when our own reading explains a refusal).
    pub driver: DriverReading,
}

impl ConnectionString {
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

    /// The client certificate and key named by `tlsCertificateKeyFile` (or the
    /// legacy `sslPEMKeyFile`).
    pub fn certificate_key_file(&self) -> Option<&str> {
        self.option("tlsCertificateKeyFile")
            .or_else(|| self.option("sslPEMKeyFile"))
    }

    /// The options that name a file the driver reads (`tlsCAFile`,
    /// `tlsCertificateKeyFile` and their legacy `ssl` names), with the path.
    pub fn file_options(&self) -> Vec<(&str, &str)> {
        self.options
            .iter()
            .filter(|(name, _)| option_kind(name) == Some(OptionKind::File))
            .map(|(name, path)| (name.as_str(), path.as_str()))
            .collect()
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
}
