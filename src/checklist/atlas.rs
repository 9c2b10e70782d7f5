//! The checklist items of `--atlas-api`: `atlas-access-list` and `atlas-user`
//! (security), `atlas-cluster-state` (testing), read off the Atlas API's facts.
//! An item the API could not answer is `skip`, naming the API's error.

use crate::model::atlas_facts::Facts;
use crate::model::report::{Check, Section};
use crate::model::step::Status;

/// The three items, in this order.
pub fn checks(facts: &Facts) -> [Check; 3] {
    let unanswered = || {
        facts.errors.first().map_or_else(
            || "the Atlas API did not answer".to_string(),
            ToString::to_string,
        )
    };
    let project = facts.project_id.as_deref().unwrap_or("PROJECT");
    let access_list = match &facts.access_list {
        None => Check::new(
            Section::Security,
            "atlas-access-list",
            Status::Skip,
            unanswered(),
            None,
            Vec::new(),
        ),
        Some(list) => match &list.covered_by {
            // Not found in a list cut short: absence is not known.
            None if list.cut_short.is_some() => Check::new(
                Section::Security,
                "atlas-access-list",
                Status::Warn,
                format!(
                    "{} was not found in the {} read, but {}: not confirmed",
                    list.egress_ip,
                    crate::words::count_as(list.entries, "entry", "entries"),
                    list.cut_short.map(|c| c.to_string()).unwrap_or_default()
                ),
                Some("look the address up in Atlas: Security > Network Access"),
                vec![format!(
                    "{} checked",
                    crate::words::count_as(list.entries, "entry", "entries")
                )],
            ),
            None => Check::new(
                Section::Security,
                "atlas-access-list",
                Status::Fail,
                format!("{} is not on the project's IP access list", list.egress_ip),
                Some(&format!(
                    "`atlas accessLists create {} --projectId {project}`",
                    list.egress_ip
                )),
                vec![format!(
                    "{} checked",
                    crate::words::count_as(list.entries, "entry", "entries")
                )],
            ),
            Some(entry) => {
                let status = entry.status.as_deref().unwrap_or("ACTIVE");
                // 0.0.0.0/0 lets the whole internet try passwords: worth a warning in a security list.
                let open = entry.value == "0.0.0.0/0" || entry.value == "::/0";
                let (verdict, fix) = if !entry.active() {
                    (
                        Status::Warn,
                        Some(
                            "wait until Atlas applies the entry (ACTIVE); re-add it if it stays FAILED",
                        ),
                    )
                } else if open {
                    (
                        Status::Warn,
                        Some("replace 0.0.0.0/0 with the addresses that need access"),
                    )
                } else {
                    (Status::Pass, None)
                };
                Check::new(
                    Section::Security,
                    "atlas-access-list",
                    verdict,
                    format!(
                        "{} is covered by entry {} ({status})",
                        list.egress_ip, entry.value
                    ),
                    fix,
                    entry
                        .delete_after
                        .iter()
                        .map(|d| format!("temporary entry, deleted after {d}"))
                        .collect(),
                )
            }
        },
    };
    let user = match &facts.user {
        None => Check::new(
            Section::Security,
            "atlas-user",
            Status::Skip,
            if facts.errors.is_empty() {
                "no user in the connection string".to_string()
            } else {
                unanswered()
            },
            None,
            Vec::new(),
        ),
        Some(u) if !u.exists => Check::new(
            Section::Security,
            "atlas-user",
            Status::Fail,
            match u.did_you_mean() {
                Some(hint) => format!(
                    "user {} does not exist in project {project}: {hint}",
                    u.name
                ),
                None => format!("user {} does not exist in project {project}", u.name),
            },
            Some(if u.similar.is_empty() {
                "create the user in Atlas (Security > Database Access) or fix the user name"
            } else {
                "use the user name exactly as Atlas spells it in the connection string"
            }),
            Vec::new(),
        ),
        Some(u) => {
            let cluster = facts.cluster.as_ref().map(|c| c.name.as_str());
            let out_of_scope = cluster.filter(|c| u.scoped_away_from(c));
            let (status, summary, fix) = match (out_of_scope, &u.expires) {
                (Some(c), _) => (
                    Status::Fail,
                    format!(
                        "user {} is scoped to {}, not {c}",
                        u.name,
                        u.scopes.join(", ")
                    ),
                    Some("add the cluster to the user's scopes (Database Access > Edit)"),
                ),
                (None, Some(when)) => (
                    Status::Warn,
                    format!(
                        "user {} is temporary: Atlas deletes it after {when}",
                        u.name
                    ),
                    Some("use a permanent user for applications"),
                ),
                (None, None) => (
                    Status::Pass,
                    format!("user {} exists in {}", u.name, u.database),
                    None,
                ),
            };
            Check::new(
                Section::Security,
                "atlas-user",
                status,
                summary,
                fix,
                Vec::new(),
            )
        }
    };
    let cluster = match &facts.cluster {
        None => Check::new(
            Section::Testing,
            "atlas-cluster-state",
            Status::Skip,
            if facts.errors.is_empty() {
                "no cluster of the project names the URI's hosts".to_string()
            } else {
                unanswered()
            },
            Some("name the cluster with --atlas-cluster"),
            Vec::new(),
        ),
        Some(c) => {
            let state = c.state.as_deref().unwrap_or("unknown");
            let (status, fix) = if c.paused {
                (
                    Status::Fail,
                    Some("resume the cluster (atlas clusters start NAME)"),
                )
            } else if c.unavailable_state().is_some() {
                (Status::Fail, Some("wait until the cluster is IDLE"))
            } else if c.changes_pending() {
                (
                    Status::Warn,
                    Some("changes are being applied: new users cannot log in until APPLIED"),
                )
            } else {
                (Status::Pass, None)
            };
            Check::new(
                Section::Testing,
                "atlas-cluster-state",
                status,
                format!(
                    "cluster {} {}{}, MongoDB {}, changes {}",
                    c.name,
                    state,
                    if c.paused { " (paused)" } else { "" },
                    c.mongodb_version.as_deref().unwrap_or("unknown"),
                    c.change_status.as_deref().unwrap_or("unknown")
                ),
                fix,
                Vec::new(),
            )
        }
    };
    [access_list, user, cluster]
}
