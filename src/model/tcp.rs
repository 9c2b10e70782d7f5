//! The tcp layer's typed failure.

use std::time::Duration;

/// Why a connection attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("connection refused")]
    Refused,
    #[error("unreachable: {reason}")]
    Unreachable { reason: String },
    #[error("no answer within {}", crate::model::secs::Secs(*.after))]
    TimedOut { after: Duration },
    #[error("{reason}")]
    Other { reason: String },
}
