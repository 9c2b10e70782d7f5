//! The user information of a connection string (`user:password@`): where it
//! ends, which characters must be percent-encoded in it, and how.

use std::fmt::Write as _;

/// Characters that must be percent-encoded in user names and passwords: the
/// URI's delimiters, and `%` itself (a literal `%` starts an escape). The one
/// home of that list: the parser refuses them, the auth diagnosis names them.
pub const MUST_ENCODE: &[char] = &['@', ':', '/', '?', '#', '[', ']', '%'];

/// `@` -> `%40`.
pub fn percent_encode_char(ch: char) -> String {
    let mut buf = [0u8; 4];
    ch.encode_utf8(&mut buf)
        .bytes()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "%{b:02X}");
            out
        })
}

/// How a text is read when looking for the end of its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// As the driver reads a connection string: the last `@` before the query
    /// (`?`), so an `@` in an option value (`appName=me@corp`) is not it.
    Driver,
    /// A string the driver refused or a token in free text, where a password
    /// may hold a raw `?` or `/`: the last `@` of all. It reads too much as
    /// credentials rather than too little, the safe side for masking.
    LastAt,
    /// Free text (logs, pasted errors): the driver's `@` when a `/` follows it
    /// before the query (the hosts and path are there), else the last `@`.
    Text,
}

/// Where the credentials of a connection string end: the index of the `@`
/// that separates them from the hosts, in `after_scheme` (the text after
/// `://`); `None` when there are no credentials. The one home of that rule:
/// the parser, the redactors, the scanner and `explain` all ask here.
pub fn credentials_end(after_scheme: &str, reading: Reading) -> Option<usize> {
    let before_query = after_scheme
        .find('?')
        .map_or(after_scheme, |q| &after_scheme[..q]);
    match reading {
        Reading::Driver => before_query.rfind('@'),
        Reading::LastAt => after_scheme.rfind('@'),
        Reading::Text => match before_query.rfind('@') {
            Some(at) if before_query[at..].contains('/') => Some(at),
            _ => after_scheme.rfind('@'),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 4: where a URI's credentials end had about nine homes
    /// (`rfind('@')` in the parser, the redactors, the scanner, explain). The
    /// knowledge itself, pinned once: each reading on the strings that tell
    /// them apart.
    #[test]
    fn r19_where_the_credentials_end() {
        use Reading::{Driver, LastAt, Text};
        let cases: &[(&str, [Option<&str>; 3])] = &[
            // No credentials at all.
            ("h1,h2/db?w=1", [None, None, None]),
            // Plain credentials.
            ("u:p@h/db", [Some("u:p"), Some("u:p"), Some("u:p")]),
            // An `@` in the password (the last `@` before the hosts wins).
            (
                "u:p@ss@h/",
                [Some("u:p@ss"), Some("u:p@ss"), Some("u:p@ss")],
            ),
            // An `@` in an option value is not the credentials' end for the driver.
            (
                "u:p@h/?appName=me@corp",
                [Some("u:p"), Some("u:p@h/?appName=me"), Some("u:p")],
            ),
            // No path before the query: only the driver's reading is sure.
            (
                "u:p@h?appName=me@corp",
                [
                    Some("u:p"),
                    Some("u:p@h?appName=me"),
                    Some("u:p@h?appName=me"),
                ],
            ),
            // A raw `?` in a password: the driver reads no credentials.
            ("u:pa?ss@h/", [None, Some("u:pa?ss"), Some("u:pa?ss")]),
        ];
        for (text, expected) in cases {
            for (reading, want) in [Driver, LastAt, Text].into_iter().zip(expected) {
                let got = credentials_end(text, reading).map(|at| &text[..at]);
                assert_eq!(got, *want, "{text:?} read {reading:?}");
            }
        }
    }
}
