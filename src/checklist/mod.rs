//! `atlas-doctor checklist`: the security and testing items, each a pure
//! function of typed facts (the layers' evidence, the static checks: credential
//! scan, config file mode); an item whose layer failed or did not run is `skip`.
//! `commands::checklist` hands each item its facts; the items are judged, and
//! the class decided, by `diagnose` (`judge_checklist`).

pub mod atlas;
pub mod security;
pub mod testing;

use crate::model::report::Section;

/// The item ids of a section, in order (the contract tests rely on). With
/// `--atlas-api`, `atlas::checks` appends `atlas-access-list` and `atlas-user`
/// to security and `atlas-cluster-state` to testing.
pub fn ids(section: Section) -> &'static [&'static str] {
    match section {
        Section::Security => &[
            "credentials-source",
            "no-committed-credentials",
            "tls-enabled",
            "tls-verification",
            "least-privilege",
            "password-strength",
            "network-exposure",
        ],
        Section::Testing => &[
            "connection",
            "authentication",
            "collections",
            "crud",
            "database-status",
        ],
    }
}
