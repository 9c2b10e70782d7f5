//! The failure classes of DESIGN.md and their exit codes: the public contract.

use serde::Serialize;

use crate::model::exit;
use crate::model::step::Layer;

/// One class per run. The names are public (JSON `class`); never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Ok,
    ChecksFailed,
    Usage,
    ConfigInvalid,
    Dns,
    TcpRefused,
    NetworkTimeout,
    IpAccessList,
    Tls,
    Server,
    AuthFailed,
    Authorization,
    Internal,
    /// Only from `explain`: nothing in the text matched a rule.
    Unknown,
}

impl Class {
    /// The layer a class of failure belongs to (DESIGN.md's table).
    pub fn layer(self) -> Layer {
        match self {
            Class::Dns => Layer::Dns,
            Class::TcpRefused | Class::NetworkTimeout => Layer::Tcp,
            Class::IpAccessList | Class::Tls => Layer::Tls,
            Class::Server => Layer::Hello,
            Class::AuthFailed => Layer::Auth,
            Class::Authorization | Class::ChecksFailed => Layer::Data,
            Class::Ok | Class::Usage | Class::ConfigInvalid | Class::Internal | Class::Unknown => {
                Layer::Uri
            }
        }
    }

    /// Every class, in exit-code order.
    pub const ALL: [Class; 14] = [
        Class::Ok,
        Class::ChecksFailed,
        Class::Usage,
        Class::ConfigInvalid,
        Class::Dns,
        Class::TcpRefused,
        Class::NetworkTimeout,
        Class::IpAccessList,
        Class::Tls,
        Class::Server,
        Class::AuthFailed,
        Class::Authorization,
        Class::Internal,
        Class::Unknown,
    ];

    /// The process exit code for a run that ends in this class.
    pub fn exit_code(self) -> u8 {
        match self {
            Class::Ok | Class::Unknown => exit::OK,
            Class::ChecksFailed => exit::CHECKS_FAILED,
            Class::Usage => exit::USAGE,
            Class::ConfigInvalid => exit::CONFIG_INVALID,
            Class::Dns => exit::DNS,
            Class::TcpRefused => exit::TCP_REFUSED,
            Class::NetworkTimeout => exit::NETWORK_TIMEOUT,
            Class::IpAccessList => exit::IP_ACCESS_LIST,
            Class::Tls => exit::TLS,
            Class::Server => exit::SERVER,
            Class::AuthFailed => exit::AUTH_FAILED,
            Class::Authorization => exit::AUTHORIZATION,
            Class::Internal => exit::INTERNAL,
        }
    }

    /// The snake_case name used in JSON and in human output.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Ok => "ok",
            Class::ChecksFailed => "checks_failed",
            Class::Usage => "usage",
            Class::ConfigInvalid => "config_invalid",
            Class::Dns => "dns",
            Class::TcpRefused => "tcp_refused",
            Class::NetworkTimeout => "network_timeout",
            Class::IpAccessList => "ip_access_list",
            Class::Tls => "tls",
            Class::Server => "server",
            Class::AuthFailed => "auth_failed",
            Class::Authorization => "authorization",
            Class::Internal => "internal",
            Class::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_design_table() {
        let table: Vec<(&str, u8)> = Class::ALL
            .iter()
            .map(|c| (c.as_str(), c.exit_code()))
            .collect();
        assert_eq!(
            table,
            vec![
                ("ok", 0),
                ("checks_failed", 1),
                ("usage", 2),
                ("config_invalid", 3),
                ("dns", 10),
                ("tcp_refused", 11),
                ("network_timeout", 12),
                ("ip_access_list", 13),
                ("tls", 14),
                ("server", 15),
                ("auth_failed", 16),
                ("authorization", 17),
                ("internal", 70),
                ("unknown", 0),
            ]
        );
    }

    #[test]
    fn serde_name_is_as_str() {
        for class in Class::ALL {
            assert_eq!(serde_json::to_value(class).unwrap(), class.as_str());
        }
    }

    /// Issue 19 item 4: `--help` wrote the exit codes by hand beside these
    /// constants; its table now comes from `exit::TABLE`, which names each class with
    /// its own code.
    #[test]
    fn r19_the_exit_code_table_is_the_class_table() {
        for class in Class::ALL {
            if class == Class::Unknown {
                continue;
            }
            assert!(
                exit::TABLE.contains(&(
                    class.exit_code(),
                    class.as_str(),
                    exit::TABLE
                        .iter()
                        .find(|(code, _, _)| *code == class.exit_code())
                        .map_or("", |row| row.2)
                )),
                "{class}"
            );
        }
        let codes: Vec<u8> = exit::TABLE.iter().map(|row| row.0).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes.len(), sorted.len(), "one row per code");
    }
}
