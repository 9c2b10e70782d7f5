//! The one judge: turns what the probes found into one `Diagnosis` (class,
//! summary, causes, fixes and evidence, in the shared vocabulary of `finding`),
//! as rules over typed facts, one file per layer; `invariants` then checks the
//! verdict once, before any renderer sees it.

mod atlas;
mod auth;
mod checklist;
pub mod code;
mod connect;
mod data;
mod invariants;
pub mod steps;
mod tls;

pub use atlas::{private_route, private_string_outside, with_atlas};
pub use auth::auth_failure;
pub use checklist::judge as judge_checklist;
pub use connect::{
    config_error, default_target, failure, internal, judge_steps, lost, unix_socket, uri_error,
};
pub use data::data_failure;
pub use invariants::settle;
