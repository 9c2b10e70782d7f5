//! The dns layer's typed failure.

use std::time::Duration;

/// Why a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no such name (NXDOMAIN)")]
    NoSuchName,
    #[error("no {record} records")]
    NoRecords { record: &'static str },
    #[error("the resolver answered {code}")]
    ServerFailure { code: String },
    #[error("no answer within {}", crate::model::secs::Secs(*.after))]
    Timeout { after: Duration },
    #[error("resolver unreachable: {reason}")]
    Unreachable { reason: String },
    #[error("more than one TXT record ({count}); drivers accept one")]
    MultipleTxt { count: usize },
    #[error("TXT option {option:?} is not allowed (only authSource, replicaSet, loadBalanced)")]
    ForbiddenTxtOption { option: String },
    #[error("SRV target {target} is not under the parent domain {parent}")]
    TargetOutsideDomain { target: String, parent: String },
    #[error("lookup failed: {reason}")]
    Other { reason: String },
}
