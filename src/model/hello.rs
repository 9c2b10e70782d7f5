//! The hello layer's typed failure: why a MongoDB command got no usable answer.

use std::time::Duration;

/// Why a MongoDB command got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no reply within {}", crate::model::secs::Secs(*.after))]
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

/// What a member is, from its hello reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Mongos,
    Primary {
        set: String,
    },
    Secondary {
        set: String,
    },
    Arbiter {
        set: String,
    },
    /// A member that is neither primary nor secondary (recovering, starting up).
    Member {
        set: String,
    },
    Standalone,
}

impl std::fmt::Display for Role {
    /// A noun phrase: "primary of replica set rs0", "standalone".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Role::Mongos => write!(f, "mongos"),
            Role::Primary { set } => write!(f, "primary of replica set {set}"),
            Role::Secondary { set } => write!(f, "secondary of replica set {set}"),
            Role::Arbiter { set } => write!(f, "arbiter of replica set {set}"),
            Role::Member { set } => {
                write!(
                    f,
                    "member of replica set {set} (neither primary nor secondary)"
                )
            }
            Role::Standalone => write!(f, "standalone"),
        }
    }
}

/// A hello that answered: what the step shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub version: Option<String>,
    pub min_wire_version: i32,
    pub max_wire_version: i32,
    pub role: Role,
}
