//! The types that cross layers, at the floor: steps and their layers, each
//! layer's typed facts, the Atlas facts, the verdict and the report model.
//! Probes, atlas and the pipeline produce them; diagnose and the checklists
//! judge them; the renderers render them. Nothing here imports anything of
//! ours from outside `model` (tests/architecture.rs checks it).

pub mod atlas;
pub mod atlas_facts;
pub mod auth;
pub mod class;
pub mod code;
pub mod data;
pub mod data_outcome;
pub mod deployment;
pub mod dns;
pub mod exit;
pub mod failure;
pub mod finding;
pub mod hello;
pub mod paging;
pub mod report;
pub mod scan;
pub mod secret;
pub mod secs;
pub mod signal;
pub mod status;
pub mod step;
pub mod tcp;
pub mod tls;
pub mod uri;
pub mod verdict;
pub mod walk;
pub mod wire;
