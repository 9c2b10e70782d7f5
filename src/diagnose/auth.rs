//! The auth layer's failures, and a driver failure after the handshake.

use crate::model::auth;
use crate::model::finding::Finding;
use crate::model::step::Layer;
use crate::model::verdict::Diagnosis;

/// An auth-layer failure, in plain words. The server cannot tell a wrong
/// password from an unknown user, so the causes always name both.
pub fn auth_failure(failure: &auth::Failure) -> Diagnosis {
    let evidence = failure.to_string();
    match failure {
        auth::Failure::Rejected {
            user,
            auth_db,
            mechanism,
            code,
            code_name,
            suspect_auth_source,
            encoded_chars,
            ..
        } => {
            let seen = match (code, code_name) {
                (Some(code), Some(name)) => format!("code {code} {name}"),
                (Some(code), None) => format!("code {code}"),
                _ => "no server code, only the driver's message".to_string(),
            };
            let mut d = if *code == Some(8000) {
                Diagnosis::from_finding(Finding::AuthFailedAtlas).with_summary(format!(
                    "Atlas rejected the credentials of {user:?} (bad auth, {seen}): a wrong password or a user name Atlas does not know."
                ))
            } else if let Some(db) = suspect_auth_source {
                Diagnosis::from_finding(Finding::AuthSourceSuspect)
                    .with_summary(format!(
                        "Authentication of {user:?} failed against database {db:?} ({seen}): the connection string has no authSource, so the driver used the path's database instead of admin."
                    ))
                    .with_specific_fix(format!(
                        "Add authSource=admin to the connection string (users created in Atlas, and most users, live in admin), or set authSource= to the database where {user:?} was created."
                    ))
                    .with_first_cause("A wrong password, or a user that does not exist there: the server cannot tell these apart.")
            } else {
                Diagnosis::from_finding(Finding::AuthFailed).with_summary(format!(
                    "The server rejected the credentials of {user:?} in auth database {auth_db:?} ({seen}): a wrong password or an unknown user."
                ))
            };
            if !encoded_chars.is_empty() {
                let list = encoded_chars
                    .iter()
                    .map(|(c, e)| format!("{c:?} as {e}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                d = d
                    .with_first_cause(format!(
                        "The password contains characters that must be percent-encoded in a connection string ({list}); a password set or pasted without that encoding differs from the one the server holds."
                    ))
                    .with_first_fix(format!(
                        "In the connection string, write {list} in the password; or pass the password apart from the URI with `password-env`."
                    ));
            }
            d.with_evidence(format!("mechanism {mechanism}, auth db {auth_db}"))
                .with_failure_evidence(Layer::Auth, None, evidence)
        }
        auth::Failure::MechanismUnsupported { asked, offered, .. } => {
            let d = Diagnosis::from_finding(Finding::AuthMechanismUnsupported).with_summary(
                format!("The server does not offer {asked} for this user."),
            );
            let d = if offered.is_empty() {
                d
            } else {
                d.with_specific_fix(format!(
                    "Use authMechanism={} (offered: {}), or remove authMechanism to negotiate.",
                    offered[0],
                    offered.join(", ")
                ))
                .with_evidence(format!("saslSupportedMechs: {}", offered.join(", ")))
            };
            d.with_failure_evidence(Layer::Auth, None, evidence)
        }
        auth::Failure::MechanismNotBuilt { mechanism, .. } => {
            Diagnosis::from_finding(Finding::AuthMechanismNotBuilt)
                .with_summary(format!(
                    "{mechanism} cannot be tried by this build of atlas-doctor (its driver support is not compiled in)."
                ))
                .with_failure_evidence(Layer::Auth, None, evidence)
        }
        auth::Failure::AuthRequired { command, .. } => {
            Diagnosis::from_finding(Finding::AuthRequired).with_evidence(format!("{command} without credentials: {evidence}"))
        }
        auth::Failure::Config { reason } => Diagnosis::from_finding(Finding::UriInvalidOption)
            .with_summary(format!("The credentials cannot be used: {reason}."))
            .with_failure_evidence(Layer::Auth, None, evidence),
        auth::Failure::NoPassword { user } => Diagnosis::from_finding(Finding::AuthNoPassword)
            .with_summary(format!(
                "No password was given for user {user:?}, so nothing was sent to the server."
            ))
            .with_failure_evidence(Layer::Auth, None, evidence),
        auth::Failure::PasswordUnusable { user } => Diagnosis::from_finding(Finding::AuthPasswordUnusable)
            .with_summary(format!(
                "The password of {user:?} cannot be used with SCRAM-SHA-256: SASLprep refuses some of its characters, so nothing was sent to the server."
            ))
            .with_failure_evidence(Layer::Auth, None, evidence),
        auth::Failure::Driver { message } => driver_failure(Layer::Auth, message, evidence),
        auth::Failure::Silent { .. } => {
            Diagnosis::from_finding(Finding::ServerSilent).with_failure_evidence(Layer::Auth, None, evidence)
        }
    }
}

/// A driver failure after the layers below passed. Where its words say the peer is
/// not MongoDB (a reply no server writes), that is the cause, not the driver.
pub(super) fn driver_failure(layer: Layer, message: &str, evidence: String) -> Diagnosis {
    match crate::wording::read(message) {
        Some(reading) if reading.finding == Finding::NotMongodb => {
            Diagnosis::from_finding(Finding::NotMongodb)
                .with_summary(
                    "The server answered the handshake like MongoDB, then sent a reply no MongoDB server writes."
                        .to_string(),
                )
                .with_failure_evidence(layer, None, evidence)
        }
        _ => Diagnosis::from_finding(Finding::DriverFailed).with_failure_evidence(layer, None, evidence),
    }
}
