//! Who the server says we are: `connectionStatus {showPrivileges: true}` read
//! into typed user, roles and privileges.

use mongodb::bson::{Bson, Document};

use crate::model::auth::{AuthInfo, Privilege, Role};

pub(super) fn parse_connection_status(status: &Document) -> AuthInfo {
    let info = status.get_document("authInfo").ok();
    let first_user = info
        .and_then(|i| i.get_array("authenticatedUsers").ok())
        .and_then(|users| users.iter().find_map(Bson::as_document));
    let roles = info
        .and_then(|i| i.get_array("authenticatedUserRoles").ok())
        .map(|roles| {
            roles
                .iter()
                .filter_map(Bson::as_document)
                .map(|r| Role {
                    role: r.get_str("role").unwrap_or_default().to_string(),
                    db: r.get_str("db").unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let privileges = info
        .and_then(|i| i.get_array("authenticatedUserPrivileges").ok())
        .map(|privileges| {
            privileges
                .iter()
                .filter_map(Bson::as_document)
                .map(|p| Privilege {
                    resource: p
                        .get_document("resource")
                        .map(resource_name)
                        .unwrap_or_default(),
                    actions: p
                        .get_array("actions")
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    AuthInfo {
        user: first_user.and_then(|u| u.get_str("user").ok().map(str::to_string)),
        db: first_user.and_then(|u| u.get_str("db").ok().map(str::to_string)),
        roles,
        privileges,
        mechanism: None,
    }
}

/// `{db: "probe", collection: ""}` -> `probe.*`; `{cluster: true}` -> `cluster`.
fn resource_name(resource: &Document) -> String {
    if resource.get_bool("cluster").unwrap_or(false) {
        return "cluster".into();
    }
    if resource.get_bool("anyResource").unwrap_or(false) {
        return "anyResource".into();
    }
    let db = resource.get_str("db").unwrap_or_default();
    let coll = resource.get_str("collection").unwrap_or_default();
    let db = if db.is_empty() { "*" } else { db };
    let coll = if coll.is_empty() { "*" } else { coll };
    format!("{db}.{coll}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use mongodb::bson::doc;

    #[test]
    fn privileges_and_roles_are_read_from_connection_status() {
        let status = doc! {
            "authInfo": {
                "authenticatedUsers": [{"user": "reader", "db": "admin"}],
                "authenticatedUserRoles": [{"role": "read", "db": "probe"}],
                "authenticatedUserPrivileges": [
                    {"resource": {"db": "probe", "collection": ""}, "actions": ["find", "listCollections"]},
                    {"resource": {"cluster": true}, "actions": ["listDatabases"]},
                ],
            },
            "ok": 1.0,
        };
        let info = parse_connection_status(&status);
        assert_eq!(info.user.as_deref(), Some("reader"));
        assert_eq!(info.db.as_deref(), Some("admin"));
        assert_eq!(
            info.roles,
            vec![Role {
                role: "read".into(),
                db: "probe".into()
            }]
        );
        assert_eq!(info.privileges[0].resource, "probe.*");
        assert_eq!(info.privileges[1].resource, "cluster");
    }
}
