//! The hello layer's typed failure: why a MongoDB command got no usable answer.

use std::time::Duration;

/// Why a MongoDB command got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no reply within {}", crate::model::step::Secs(*.after))]
    NoReply { after: Duration },
    #[error("the peer closed the connection without replying")]
    Closed,
    #[error("the peer reset the connection")]
    Reset,
    #[error("the peer answered with TLS bytes: it expects TLS")]
    SpokeTls,
    /// `evidence` is a noun phrase ("an HTTP response (...)"): sentences say "answered with {evidence}".
    #[error("the peer is not MongoDB: it answered with {evidence}")]
    NotMongodb { evidence: String },
    #[error("command failed: {message} (code {code})")]
    CommandFailed {
        code: i32,
        code_name: String,
        message: String,
    },
    #[error("{reason}")]
    Io { reason: String },
}
