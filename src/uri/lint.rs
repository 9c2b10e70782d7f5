//! Lints: what a connection string may legally say but probably should not.

use super::ConnectionString;
use super::options::{KNOWN_OPTIONS, is_one_of};

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
        for (name, _) in &self.options {
            if !is_one_of(name, KNOWN_OPTIONS) {
                lints.push(Lint {
                    name: name.clone(),
                    message: format!("unknown option {name:?}: drivers ignore it with a warning (check its spelling)"),
                });
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lints_flag_insecure_tls_unknown_options_and_auth_source() {
        let cs = ConnectionString::parse(
            "mongodb://u:p@h/app?tlsAllowInvalidCertificates=true&retryWrite=true",
        )
        .unwrap();
        let names: Vec<String> = cs.lints().into_iter().map(|l| l.name).collect();
        assert_eq!(
            names,
            ["tlsAllowInvalidCertificates", "retryWrite", "authSource"]
        );
    }
}
