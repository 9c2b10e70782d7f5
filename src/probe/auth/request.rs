//! What the auth layer is asked (the run's connection string, its
//! connectivity, credentials given apart from the URI, the deadline) and the
//! credentials it resolves from them.

use tokio::time::Instant;

use crate::model::auth::Failure;
use crate::model::secret::SecretString;
use crate::probe::connectivity::Connectivity;
use crate::probe::prefetch::Read;
use crate::uri::{ConnectionString, mechanism};

/// Credentials given apart from the URI (config `username` + `password-env`),
/// used only when the URI carries none.
#[derive(Debug, Clone, Default)]
pub struct Login {
    pub username: Option<String>,
    pub password: Option<SecretString>,
}

/// What `authenticate` needs.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The application's connection string, parsed once (the driver's reading
    /// beside ours: the driver's client is built from it).
    pub cs: &'a ConnectionString,
    pub connectivity: &'a Connectivity,
    pub login: &'a Login,
    /// The layer's deadline: option building, the driver's server selection and
    /// connection, authentication and `connectionStatus` all end by then.
    pub deadline: Instant,
    /// The later layers' reads, sent beside `connectionStatus` (see `prefetch`).
    pub reads: &'a [Read],
}

/// The credentials the run will use, resolved from the URI or the config.
pub(super) struct Creds {
    pub(super) user: Option<String>,
    pub(super) password: Option<SecretString>,
    pub(super) mechanism: Option<String>,
    pub(super) auth_db: String,
    pub(super) suspect_auth_source: Option<String>,
}

pub(super) fn resolve_creds(
    cs: &ConnectionString,
    txt: &[(String, String)],
    login: &Login,
) -> Creds {
    let (user, password) = if cs.username.is_some() {
        (cs.username.clone(), cs.password.clone())
    } else {
        (login.username.clone(), login.password.clone())
    };
    let mechanism = cs.option("authMechanism").map(str::to_ascii_uppercase);
    let auth_source = cs.option("authSource").map(str::to_string).or_else(|| {
        txt.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authSource"))
            .map(|(_, v)| v.clone())
    });
    let external = mechanism::is_external(mechanism.as_deref());
    let path_db = cs.database.clone().filter(|db| !db.is_empty());
    let auth_db = auth_source.clone().unwrap_or_else(|| {
        mechanism::default_auth_source(mechanism.as_deref(), path_db.as_deref())
    });
    let suspect_auth_source = (user.is_some() && auth_source.is_none() && !external)
        .then(|| path_db.filter(|db| db != "admin"))
        .flatten();
    Creds {
        user,
        password,
        mechanism,
        auth_db,
        suspect_auth_source,
    }
}

/// Why the credentials cannot even be tried, before any connection.
pub(super) fn refusal(creds: &Creds) -> Option<Failure> {
    if let Some(user) = &creds.user
        && creds.password.is_none()
        && mechanism::needs_password(creds.mechanism.as_deref())
    {
        return Some(Failure::NoPassword { user: user.clone() });
    }
    if let Some(mechanism @ ("MONGODB-AWS" | "GSSAPI")) = creds.mechanism.as_deref() {
        return Some(Failure::MechanismNotBuilt {
            mechanism: mechanism.to_string(),
            reason: format!(
                "{mechanism} cannot be tried by this build: the driver's {} feature is not compiled in",
                if mechanism == "GSSAPI" {
                    "gssapi-auth"
                } else {
                    "aws-auth"
                }
            ),
        });
    }
    None
}
