//! Lints: what a connection string may legally say but probably should not.

use percent_encoding::percent_decode_str;

use super::options::{DRIVER_LACKS, is_one_of};
use super::parts::{ConnectionString, Scheme};

/// Something legal but worth a warning, found without the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// Short name, e.g. the option.
    pub name: String,
    pub message: String,
}

impl ConnectionString {
    /// Warnings that do not stop the run.
    pub fn lints(&self) -> Vec<Lint> {
        let mut lints = Vec::new();
        for name in self.insecure_tls_options() {
            lints.push(Lint {
                name: name.to_string(),
                message: format!(
                    "{name}=true switches off TLS certificate checks: anyone on the path can impersonate the server"
                ),
            });
        }
        // Unknown options need no lint: the driver refuses them, naming the
        // option it probably meant.
        for (name, _) in self
            .options
            .iter()
            .filter(|(name, _)| is_one_of(name, DRIVER_LACKS))
        {
            lints.push(Lint {
                name: name.clone(),
                message: format!(
                    "{name} is not used by atlas-doctor's own login (the Rust driver it runs has no support for it); your application's driver may honour it"
                ),
            });
        }
        if self.scheme == Scheme::Srv
            && let Some(host) = self
                .hosts
                .first()
                .filter(|h| h.name.parse::<std::net::IpAddr>().is_ok())
        {
            lints.push(Lint {
                name: "mongodb+srv".to_string(),
                message: format!(
                    "mongodb+srv:// needs a DNS name with SRV records, not the address {}: use mongodb:// for an address",
                    host.name
                ),
            });
        }
        if self.username.is_some()
            && self.option("authSource").is_none()
            && let Some(db) = self.database.as_deref().filter(|db| *db != "admin")
        {
            lints.push(Lint {
                    name: "authSource".to_string(),
                    message: format!(
                        "no authSource: the driver authenticates against database {db:?}; Atlas users live in admin (add authSource=admin if authentication fails)"
                    ),
                });
        }
        lints
    }
}

/// Atlas's copy-paste placeholders and what each stands for. Atlas's "Connect"
/// dialog shows `mongodb+srv://<db_username>:<db_password>@...` (older
/// versions `<username>:<password>`); left in, they fail as a bad password.
const ATLAS_PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "<db_password>",
        "the database user's password (percent-encoded)",
    ),
    (
        "<password>",
        "the database user's password (percent-encoded)",
    ),
    ("<db_username>", "the database user's name"),
    ("<username>", "the database user's name"),
    ("<dbname>", "the database name"),
];

/// The first Atlas placeholder in `text` (as written or percent-encoded, any
/// case), with what it stands for.
pub fn atlas_placeholder(text: &str) -> Option<(&'static str, &'static str)> {
    let decoded = percent_decode_str(text)
        .decode_utf8_lossy()
        .to_ascii_lowercase();
    ATLAS_PLACEHOLDERS
        .iter()
        .find(|(placeholder, _)| decoded.contains(placeholder))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lints_flag_insecure_tls_socket_timeout_and_auth_source() {
        let cs = ConnectionString::parse(
            "mongodb://u:p@h/app?tlsAllowInvalidCertificates=true&socketTimeoutMS=100",
        )
        .unwrap();
        let names: Vec<String> = cs.lints().into_iter().map(|l| l.name).collect();
        assert_eq!(
            names,
            [
                "tlsAllowInvalidCertificates",
                "socketTimeoutMS",
                "authSource"
            ]
        );
    }

    #[test]
    fn an_address_under_srv_is_a_lint_not_a_refusal() {
        // The driver takes it (the lookup fails later); it used to be refused here.
        let cs = ConnectionString::parse("mongodb+srv://127.0.0.1/").unwrap();
        let names: Vec<String> = cs.lints().into_iter().map(|l| l.name).collect();
        assert_eq!(names, ["mongodb+srv"]);
    }
}
