//! The types that cross layers, at the floor: steps and their layers, each
//! layer's typed facts, the Atlas facts, the verdict and the report model.
//! Probes, atlas and the pipeline produce them; diagnose and the checklists
//! judge them; the renderers render them. Nothing here imports anything of
//! ours from outside `model` (tests/architecture.rs checks it).

pub mod class;
pub mod code;
pub mod deployment;
pub mod exit;
pub mod finding;
pub mod paging;
pub mod report;
pub mod signal;
pub mod step;
pub mod tls;
pub mod verdict;
pub mod wire;
