//! Connection strings: parse and lint without touching the network, keep the
//! password in a `SecretString`, and display the URI only redacted.
//!
//! `judge` asks the official driver whether the string is valid (it decides),
//! `parse` reads a string into a [`ConnectionString`] and explains refusals,
//! `lint` finds what is legal but worth a warning, `redact` renders a URI
//! (parsed or not) without its secrets; `options` holds the option tables
//! all three consult.

mod atlas_host;
mod judge;
mod lint;
pub mod mechanism;
mod options;
mod parse;
mod parts;
mod redact;
pub mod userinfo;

use crate::model::uri::Error;

pub(crate) use atlas_host::atlas_domain_pattern;
pub use atlas_host::is_atlas_host;
pub use lint::{Lint, atlas_placeholder};
pub use options::{INSECURE_TLS_OPTIONS, OPTIONS, OptionKind, is_secret_option, option_kind};
pub use parts::{ConnectionString, DEFAULT_PORT, Host, Scheme, format_address};
pub use redact::{redact_raw, redact_refused};

#[cfg(test)]
pub(crate) use judge::driver_parses;

/// The database drivers and shells use when the connection string names none
/// (mongosh's and the Node, Python and Java drivers' `test`): the checklist's
/// data, status and CRUD layers look there when nothing else names one.
pub const DEFAULT_DATABASE: &str = "test";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_defaults() {
        assert!(
            ConnectionString::parse("mongodb+srv://c.example.net/")
                .unwrap()
                .tls_enabled()
        );
        assert!(
            !ConnectionString::parse("mongodb+srv://c.example.net/?tls=false")
                .unwrap()
                .tls_enabled()
        );
        assert!(
            !ConnectionString::parse("mongodb://h/")
                .unwrap()
                .tls_enabled()
        );
        assert!(
            ConnectionString::parse("mongodb://h/?ssl=true")
                .unwrap()
                .tls_enabled()
        );
    }
}
