//! The data layer's failures.

use super::auth::driver_failure;
use crate::model::data;
use crate::model::finding::Finding;
use crate::model::step::Layer;
use crate::model::verdict::Diagnosis;

/// A data-layer failure, in plain words.
pub fn data_failure(failure: &data::Failure) -> Diagnosis {
    let evidence = failure.to_string();
    match failure {
        data::Failure::Unauthorized {
            action,
            namespace,
            database,
            ..
        } => {
            let role = if matches!(
                action.as_str(),
                "insert" | "update" | "remove" | "delete" | "createCollection" | "createIndex"
            ) {
                "readWrite"
            } else {
                "read"
            };
            // The server names `cluster` for cluster-wide actions (listDatabases):
            // no database role grants those.
            let fix = if namespace == "cluster" {
                format!(
                    "Grant the user a role with the {action} action on the cluster (for example readAnyDatabase), or name the database with --db NAME."
                )
            } else {
                format!(
                    "Grant the user the {role} role on database {database:?} (in Atlas: Database Access, edit the user, Specific Privileges), or use a user that has it."
                )
            };
            Diagnosis::from_finding(Finding::Unauthorized)
                .with_summary(format!(
                    "Authenticated, but the user may not run {action} on {namespace}."
                ))
                .with_specific_fix(fix)
                .with_failure_evidence(Layer::Data, None, evidence)
        }
        data::Failure::Missing {
            database,
            names,
            present,
        } => {
            let shown = if present.is_empty() {
                "none".to_string()
            } else {
                present.join(", ")
            };
            Diagnosis::from_finding(Finding::CollectionsMissing)
                .with_summary(format!(
                    "{} missing from database {database:?}: {}.",
                    crate::words::count_as(
                        names.len(),
                        "expected collection is",
                        "expected collections are"
                    ),
                    names.join(", ")
                ))
                .with_evidence(format!("missing: {}", names.join(", ")))
                .with_evidence(format!("present in {database}: {shown}"))
        }
        data::Failure::NotFound { names, looked_in } => {
            let looked = if looked_in.is_empty() {
                "the user could see no database to look in".to_string()
            } else {
                format!("looked in {}", looked_in.join(", "))
            };
            Diagnosis::from_finding(Finding::CollectionsMissing)
                .with_summary(format!(
                    "{} in no database the user can see ({looked}): {}.",
                    crate::words::count_as(names.len(), "expected collection is", "expected collections are"),
                    names.join(", ")
                ))
                .with_specific_fix(
                    "Name the application's database with --db NAME (or in the connection string's path, or `database` in the config), or create the collections there.",
                )
                .with_failure_evidence(Layer::Data, None, evidence)
        }
        data::Failure::Driver { message, .. } => driver_failure(Layer::Data, message, evidence),
        data::Failure::Silent { .. } => Diagnosis::from_finding(Finding::ServerSilent)
            .with_failure_evidence(Layer::Data, None, evidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11 item 7: a cluster-wide refusal advised "the read role on database \"cluster\"".
    #[test]
    fn r11_a_cluster_wide_refusal_names_no_database_role() {
        let d = data_failure(&data::Failure::Unauthorized {
            action: "listDatabases".into(),
            namespace: "cluster".into(),
            database: "cluster".into(),
            message: "not authorized on cluster".into(),
        });
        assert!(
            !d.fixes[0].contains("database \"cluster\""),
            "{:?}",
            d.fixes
        );
        assert!(d.fixes[0].contains("--db NAME"), "{:?}", d.fixes);
        let d = data_failure(&data::Failure::Unauthorized {
            action: "find".into(),
            namespace: "probe.users".into(),
            database: "probe".into(),
            message: "not authorized on probe".into(),
        });
        assert!(
            d.fixes[0].contains("read role on database \"probe\""),
            "{:?}",
            d.fixes
        );
    }
}
