//! The uri layer's typed refusal: why a connection string cannot be used.

/// Why a connection string was refused. Messages never carry the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the connection string must start with mongodb:// or mongodb+srv:// (found {found:?})")]
    UnknownScheme { found: String },
    #[error(
        "the scheme must be written in lower case, mongodb:// or mongodb+srv:// (found {found:?})"
    )]
    SchemeCase { found: String },
    /// The driver refused for a reason our own reading does not name.
    #[error("the MongoDB driver refuses this connection string: {reason}")]
    Refused { reason: String },
    #[error("the connection string names no host")]
    EmptyHost,
    /// A file the driver would read (tlsCAFile, tlsCertificateKeyFile) that it
    /// must not: missing, too large, or a FIFO or device that never ends.
    #[error("{option}={path}: the file {reason}")]
    OptionFile {
        option: String,
        path: String,
        reason: String,
    },
    /// A unix domain socket host, which the layer probes (TCP) cannot reach.
    #[error("the host {path} is a unix domain socket: atlas-doctor probes TCP hosts only")]
    UnixSocket { path: String },
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
