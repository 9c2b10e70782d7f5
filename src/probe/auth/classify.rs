//! The auth layer's reading of driver errors: the server's own code wherever the
//! driver put it, the one redaction of driver text, and the classification of
//! an authentication failure into `Failure`.

use std::fmt::Write as _;

use mongodb::error::{Error as DriverError, ErrorKind};

use super::request::Creds;
use crate::model::auth::Failure;
use crate::model::secret::SecretString;
use crate::uri;

/// The server's own error (code, name, message), wherever the driver put it: the
/// error itself, or down its `source()` chain (where SecantusDB's code 18 sits).
pub fn server_error(error: &DriverError) -> Option<(i32, String, String)> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(driver) = e.downcast_ref::<DriverError>()
            && let ErrorKind::Command(command) = driver.kind.as_ref()
        {
            // Down the source chain too, the server's message is cut before
            // it is copied (see probe::driver).
            return Some((
                command.code,
                crate::probe::driver::cut_str(&command.code_name),
                crate::probe::driver::cut_str(&command.message),
            ));
        }
        current = e.source();
    }
    None
}

/// The server code a driver message implies, where the driver gives only text.
/// How drivers word it is `wording`'s knowledge (one place, tested there).
pub fn code_from_text(text: &str) -> Option<i32> {
    crate::wording::server_code(text)
}

/// The driver error as one redacted line: its kind, and the server's own message.
pub fn driver_text(error: &DriverError, password: Option<&SecretString>) -> String {
    let mut text = error.kind.to_string();
    if let Some((code, name, message)) = server_error(error)
        && !text.contains(&message)
    {
        let _ = write!(text, " (server: {message}, code {code} {name})");
    }
    scrub(&text, password)
}

/// Redacts URIs and `password=` fragments, and the password itself should the
/// driver ever echo it.
pub fn scrub(text: &str, password: Option<&SecretString>) -> String {
    let out = crate::redact::redact_text(text);
    match password {
        Some(password) => crate::redact::redact_secret(&out, password.expose()),
        None => out,
    }
}

/// The password's characters that a URI must percent-encode, each with its encoding.
fn encoded_chars(password: Option<&SecretString>) -> Vec<(char, String)> {
    let mut out: Vec<(char, String)> = Vec::new();
    for c in password
        .map(SecretString::expose)
        .unwrap_or_default()
        .chars()
    {
        if uri::userinfo::MUST_ENCODE.contains(&c) && !out.iter().any(|(seen, _)| *seen == c) {
            out.push((c, uri::userinfo::percent_encode_char(c)));
        }
    }
    out
}

/// Classifies a driver error from authentication or `connectionStatus`.
pub(super) fn classify(
    error: &DriverError,
    creds: &Creds,
    mechanism: Option<&str>,
    offered: Option<&[String]>,
) -> Failure {
    let message = driver_text(error, creds.password.as_ref());
    let server = server_error(error);
    let code = server
        .as_ref()
        .map(|(code, _, _)| *code)
        .or_else(|| code_from_text(&message));
    let is_auth = matches!(error.kind.as_ref(), ErrorKind::Authentication { .. });
    let mechanism_name = mechanism.unwrap_or("default").to_string();
    let not_offered = match (mechanism, offered) {
        (Some(m), Some(list)) if !list.is_empty() => !list.iter().any(|o| o == m),
        _ => false,
    };
    // The driver's SASLprep refusal is typed only as an authentication error
    // with text; it happens before anything is sent.
    if is_auth && crate::wording::is_saslprep_refusal(&message) {
        return Failure::PasswordUnusable {
            user: creds.user.clone().unwrap_or_default(),
        };
    }
    match code {
        Some(334) => Failure::MechanismUnsupported {
            asked: mechanism_name,
            offered: offered.map(<[String]>::to_vec).unwrap_or_default(),
            message,
        },
        Some(18 | 8000) | None if is_auth || code.is_some() => {
            if not_offered && creds.mechanism.is_some() {
                return Failure::MechanismUnsupported {
                    asked: mechanism_name,
                    offered: offered.map(<[String]>::to_vec).unwrap_or_default(),
                    message,
                };
            }
            Failure::Rejected {
                user: creds.user.clone().unwrap_or_default(),
                auth_db: creds.auth_db.clone(),
                mechanism: mechanism_name,
                code,
                code_name: server.map(|(_, name, _)| name).or_else(|| {
                    code.map(|c| {
                        if c == 8000 {
                            "AtlasError"
                        } else {
                            "AuthenticationFailed"
                        }
                        .to_string()
                    })
                }),
                message,
                suspect_auth_source: creds.suspect_auth_source.clone(),
                encoded_chars: encoded_chars(creds.password.as_ref()),
            }
        }
        Some(13) if creds.user.is_none() => Failure::AuthRequired {
            command: "connectionStatus".into(),
            message,
        },
        _ if is_auth => Failure::Rejected {
            user: creds.user.clone().unwrap_or_default(),
            auth_db: creds.auth_db.clone(),
            mechanism: mechanism_name,
            code,
            code_name: None,
            message,
            suspect_auth_source: creds.suspect_auth_source.clone(),
            encoded_chars: encoded_chars(creds.password.as_ref()),
        },
        _ => Failure::Driver { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_chars_name_characters_not_the_password() {
        let chars = encoded_chars(Some(&SecretString::new("a@b:c@d")));
        assert_eq!(
            chars,
            vec![('@', "%40".to_string()), (':', "%3A".to_string())]
        );
    }

    #[test]
    fn scrub_hides_the_password_in_any_form() {
        let pw = SecretString::new("p@ss:word");
        let text = scrub("failed for p@ss:word and p%40ss%3Aword", Some(&pw));
        assert!(
            !text.contains("p@ss:word") && !text.contains("p%40ss%3Aword"),
            "{text}"
        );
    }
}
