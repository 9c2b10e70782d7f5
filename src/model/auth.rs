//! The auth layer's facts: who the server says we are, or why it refused.

use std::time::Duration;

/// Who the server says we are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthInfo {
    /// `None` when no credentials were given and the server let us in anyway.
    pub user: Option<String>,
    /// The database the user is defined in.
    pub db: Option<String>,
    pub roles: Vec<Role>,
    pub privileges: Vec<Privilege>,
    /// The mechanism asked for, or the one the driver negotiated.
    pub mechanism: Option<String>,
}

/// A role granted to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub role: String,
    pub db: String,
}

/// One privilege: a resource (`db.collection`, `db.*`, `cluster`, ...) and its actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privilege {
    pub resource: String,
    pub actions: Vec<String>,
}

/// Why authentication did not succeed. Messages never carry the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The server refused the credentials (code 18, Atlas 8000, or only the driver's text).
    #[error("the server rejected the credentials of {user:?} (auth db {auth_db:?}): {message}")]
    Rejected {
        user: String,
        auth_db: String,
        mechanism: String,
        code: Option<i32>,
        code_name: Option<String>,
        message: String,
        /// The database of the URI path, when no authSource was given and it is not admin.
        suspect_auth_source: Option<String>,
        /// Characters of the password that need percent-encoding in a URI, with their encoding.
        encoded_chars: Vec<(char, String)>,
    },
    /// The mechanism asked for is not one the server offers for this user.
    #[error("mechanism {asked} is not offered (server offers: {offered:?}): {message}")]
    MechanismUnsupported {
        asked: String,
        offered: Vec<String>,
        message: String,
    },
    /// This build of atlas-doctor cannot try the mechanism (MONGODB-AWS, GSSAPI).
    #[error("{mechanism} cannot be tried by this build: {reason}")]
    MechanismNotBuilt { mechanism: String, reason: String },
    /// No credentials, and the server requires them (code 13 on the first command).
    #[error("{message}")]
    AuthRequired { command: String, message: String },
    /// The credentials settings cannot be used (X.509 without a key file, unknown mechanism).
    #[error("{reason}")]
    Config { reason: String },
    /// A user name with no password for a mechanism that needs one; nothing was sent.
    #[error("no password was given for user {user:?}; nothing was sent to the server")]
    NoPassword { user: String },
    /// The driver refused the password before sending it (SCRAM-SHA-256 SASLprep).
    #[error("SCRAM-SHA-256 cannot use this password (SASLprep refused it); nothing was sent")]
    PasswordUnusable { user: String },
    /// The driver could not use the deployment at all (selection timeout, I/O).
    #[error("{message}")]
    Driver { message: String },
    /// The server answered the handshake but not this command before the layer's deadline.
    #[error("no answer to {command} within the auth layer's deadline ({})", crate::model::secs::Secs(*.after))]
    Silent { command: String, after: Duration },
}
