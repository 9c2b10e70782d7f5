//! Authentication mechanisms and where their users live: the one home of
//! `$external`. The auth layer, the Atlas API lookup and the checklist ask here.

/// The database of users whose proof lives outside MongoDB (X.509, AWS IAM,
/// Kerberos, LDAP, OIDC).
pub const EXTERNAL: &str = "$external";

/// Whether a mechanism's users live in `$external` (X.509, AWS, GSSAPI, OIDC,
/// and PLAIN, which is LDAP): Atlas keeps them there, and so does the driver
/// by default. `mechanism` as written in `authMechanism`, any case.
pub fn is_external(mechanism: Option<&str>) -> bool {
    mechanism.is_some_and(|m| {
        [
            "MONGODB-X509",
            "MONGODB-AWS",
            "GSSAPI",
            "MONGODB-OIDC",
            "PLAIN",
        ]
        .iter()
        .any(|e| m.eq_ignore_ascii_case(e))
    })
}

/// Whether a mechanism (negotiated when `None`) authenticates with a password:
/// SCRAM and PLAIN do; X.509, AWS, Kerberos and OIDC bring their own proof.
pub fn needs_password(mechanism: Option<&str>) -> bool {
    mechanism.is_none_or(|m| {
        !["MONGODB-X509", "MONGODB-AWS", "GSSAPI", "MONGODB-OIDC"]
            .iter()
            .any(|e| m.eq_ignore_ascii_case(e))
    })
}

/// The database the driver authenticates against when the connection string
/// has no `authSource` (the driver's `AuthMechanism::default_source`): the
/// path's database for SCRAM (else `admin`) and PLAIN (else `$external`);
/// `$external` for the others.
pub fn default_auth_source(mechanism: Option<&str>, path_db: Option<&str>) -> String {
    let proof_elsewhere = !needs_password(mechanism);
    match path_db {
        Some(db) if !proof_elsewhere => db.to_string(),
        _ if is_external(mechanism) => EXTERNAL.to_string(),
        _ => "admin".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 4: auth/mod.rs and pipeline.rs disagreed on PLAIN (the auth
    /// layer took admin, the Atlas lookup $external); the driver takes $external.
    #[test]
    fn r19_each_mechanism_names_where_its_users_live() {
        let table = [
            (None, None, "admin", false, true),
            (None, Some("app"), "app", false, true),
            (Some("SCRAM-SHA-256"), Some("app"), "app", false, true),
            (Some("scram-sha-1"), None, "admin", false, true),
            (Some("PLAIN"), None, "$external", true, true),
            (Some("PLAIN"), Some("app"), "app", true, true),
            (Some("MONGODB-X509"), Some("app"), "$external", true, false),
            (Some("mongodb-aws"), None, "$external", true, false),
            (Some("GSSAPI"), None, "$external", true, false),
            (Some("MONGODB-OIDC"), None, "$external", true, false),
        ];
        for (mechanism, path_db, source, external, password) in table {
            assert_eq!(
                (
                    default_auth_source(mechanism, path_db).as_str(),
                    is_external(mechanism),
                    needs_password(mechanism)
                ),
                (source, external, password),
                "{mechanism:?} {path_db:?}"
            );
        }
    }
}
