//! The hello layer's typed failure: why a MongoDB command got no usable answer.

use std::time::Duration;

/// Why a MongoDB command got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no reply within {}s", .after.as_secs_f64())]
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

/// The MongoDB release that introduced a wire version, for messages.
pub fn release_for_wire_version(wire: i32) -> &'static str {
    match wire {
        ..=0 => "before 2.6",
        1 | 2 => "2.6",
        3 => "3.0",
        4 => "3.2",
        5 => "3.4",
        6 => "3.6",
        7 => "4.0",
        8 => "4.2",
        9 => "4.4",
        10..=12 => "5.0",
        13 => "5.0",
        14..=16 => "5.x",
        17 => "6.0",
        18..=20 => "6.x/7.0",
        21 => "7.0",
        22..=24 => "7.x",
        25 => "8.0",
        _ => "8.x or later",
    }
}
