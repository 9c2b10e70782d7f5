//! The one judge: turns what the probes found into one `Diagnosis` (class,
//! summary, causes, fixes and evidence, in the shared vocabulary of `finding`),
//! as rules over typed facts, one file per layer; `invariants` then checks the
//! verdict once, before any renderer sees it.

mod atlas;
mod auth;
mod connect;
mod data;
mod invariants;
mod tls;

pub use atlas::{private_route, private_string_outside, with_atlas};
pub use auth::auth_failure;
pub use connect::{config_error, failure, unix_socket, uri_error};
pub use data::data_failure;
pub use invariants::settle;

pub use crate::model::verdict::Diagnosis;

use crate::model::class::Class;
use crate::model::finding::Finding;
use crate::model::step::Layer;

/// The layer a class of failure belongs to (DESIGN.md's table).
pub fn layer_of(class: Class) -> Layer {
    match class {
        Class::Dns => Layer::Dns,
        Class::TcpRefused | Class::NetworkTimeout => Layer::Tcp,
        Class::IpAccessList | Class::Tls => Layer::Tls,
        Class::Server => Layer::Hello,
        Class::AuthFailed => Layer::Auth,
        Class::Authorization | Class::ChecksFailed => Layer::Data,
        Class::Ok | Class::Usage | Class::ConfigInvalid | Class::Internal | Class::Unknown => {
            Layer::Uri
        }
    }
}

/// atlas-doctor's own failure inside a run (a probe panicked or was cancelled):
/// `internal`, never `ok`.
pub fn internal(what: &str) -> Diagnosis {
    Diagnosis::from_finding(Finding::ProbeFailed).with_evidence(what.to_string())
}
