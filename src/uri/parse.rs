//! Reading a connection string: split it into parts, decode them, and refuse
//! what cannot work with an error that names the culprit (never the password).

use std::fmt::Write as _;

use percent_encoding::percent_decode_str;

use super::options::{AUTH_MECHANISMS, OptionKind, eq_ignore_case, is_one_of, option_kind};
use super::redact::{mask_non_numeric_ports, real_scheme_end};
use super::{ConnectionString, Error, Host, Scheme, SecretString};

/// Characters that must be percent-encoded in user names and passwords.
const USERINFO_RESERVED: &[char] = &['@', ':', '/', '?', '#', '[', ']'];

impl ConnectionString {
    /// Parses and validates a connection string. Errors never include the password.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let input = input.trim();
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(input, "mongodb+srv://") {
            (Scheme::Srv, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(input, "mongodb://") {
            (Scheme::Standard, rest)
        } else {
            return Err(Error::UnknownScheme {
                found: scheme_of(input),
            });
        };

        // The last '@' ends the credentials: passwords contain '/', '?' and '#'
        // far more often than options contain '@'.
        let (userinfo, after_userinfo) = match rest.rfind('@') {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let host_end = after_userinfo
            .find(['/', '?'])
            .unwrap_or(after_userinfo.len());
        let host_list = &after_userinfo[..host_end];
        let after_hosts = &after_userinfo[host_end..];
        let (path, query) = match after_hosts.find('?') {
            Some(q) => (&after_hosts[..q], &after_hosts[q + 1..]),
            None => (after_hosts, ""),
        };

        let (username, password) = match userinfo {
            Some(info) => parse_userinfo(info)?,
            None => (None, None),
        };
        let hosts = parse_hosts(host_list)?;
        let database = parse_database(path)?;
        let options = parse_options(query)?;

        let cs = ConnectionString {
            scheme,
            username,
            password,
            hosts,
            database,
            options,
        };
        cs.validate()?;
        Ok(cs)
    }

    fn validate(&self) -> Result<(), Error> {
        if self.scheme == Scheme::Srv {
            if self.hosts.len() > 1 {
                return Err(Error::SrvMultipleHosts {
                    count: self.hosts.len(),
                });
            }
            if let Some(host) = self.hosts.first().filter(|h| h.port.is_some()) {
                return Err(Error::SrvWithPort {
                    host: host.address(),
                });
            }
            if self.hosts[0].name.parse::<std::net::IpAddr>().is_ok() {
                return Err(Error::InvalidHost {
                    host: self.hosts[0].name.clone(),
                    reason: "mongodb+srv:// needs a DNS name, not an IP address",
                });
            }
        }
        for (name, value) in &self.options {
            if option_kind(name) == Some(OptionKind::Bool)
                && !matches!(value.to_ascii_lowercase().as_str(), "true" | "false")
            {
                return Err(invalid_option(
                    name,
                    format!("must be true or false, not {value:?}"),
                ));
            }
            if option_kind(name) == Some(OptionKind::Number) && value.parse::<u64>().is_err() {
                return Err(invalid_option(
                    name,
                    format!("must be a non-negative whole number, not {value:?}"),
                ));
            }
            if eq_ignore_case(name, "authMechanism") && !is_one_of(value, AUTH_MECHANISMS) {
                return Err(invalid_option(
                    name,
                    format!(
                        "unknown mechanism {value:?} (one of {})",
                        AUTH_MECHANISMS.join(", ")
                    ),
                ));
            }
        }
        if let (Some(tls), Some(ssl)) = (self.bool_option("tls"), self.bool_option("ssl"))
            && tls != ssl
        {
            return Err(invalid_option("tls", "tls and ssl disagree".to_string()));
        }
        if self.bool_option("tlsInsecure").is_some()
            && (self.bool_option("tlsAllowInvalidCertificates").is_some()
                || self.bool_option("tlsAllowInvalidHostnames").is_some())
        {
            return Err(invalid_option(
                "tlsInsecure",
                "cannot be combined with tlsAllowInvalidCertificates or tlsAllowInvalidHostnames"
                    .to_string(),
            ));
        }
        if self.bool_option("directConnection") == Some(true) {
            if self.scheme == Scheme::Srv {
                return Err(invalid_option(
                    "directConnection",
                    "cannot be true with mongodb+srv://".to_string(),
                ));
            }
            if self.hosts.len() > 1 {
                return Err(invalid_option(
                    "directConnection",
                    "cannot be true with several hosts".to_string(),
                ));
            }
        }
        if self.bool_option("loadBalanced") == Some(true) && self.hosts.len() > 1 {
            return Err(invalid_option(
                "loadBalanced",
                "cannot be true with several hosts".to_string(),
            ));
        }
        if self.username.is_none() && self.password.is_some() {
            return Err(invalid_option(
                "password",
                "a password was given without a user name".to_string(),
            ));
        }
        Ok(())
    }
}

/// The option's name is shown escaped: a raw line break in a pasted URI must
/// not split the one-line error.
fn invalid_option(name: &str, reason: String) -> Error {
    Error::InvalidOption {
        name: name.escape_debug().to_string(),
        reason,
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The scheme part of something that is not a MongoDB URI, safe to show.
///
/// Only a real scheme (a short run of letters, digits, `+`, `-`, `.`) is shown
/// as such: the first `://` may come after credentials, as in
/// `mongodb:/user:pw@host/?x=http://`, and what stands before it is no scheme.
/// Nothing else of the value is echoed: it may be a password pasted where the
/// URI belongs.
fn scheme_of(input: &str) -> String {
    match real_scheme_end(input) {
        Some(end) => input[..end].to_string(),
        None => "a value without a scheme".to_string(),
    }
}

fn parse_userinfo(info: &str) -> Result<(Option<String>, Option<SecretString>), Error> {
    let (user_raw, password_raw) = match info.split_once(':') {
        Some((user, password)) => (user, Some(password)),
        None => (info, None),
    };
    check_userinfo_part(user_raw, "user name")?;
    let username = decode(user_raw, "user name")?;
    let password = match password_raw {
        Some(raw) => {
            check_userinfo_part(raw, "password")?;
            Some(SecretString::new(decode(raw, "password")?))
        }
        None => None,
    };
    if username.is_empty() {
        return Err(Error::InvalidOption {
            name: "user name".to_string(),
            reason: "is empty".to_string(),
        });
    }
    Ok((Some(username), password))
}

/// Raw reserved characters in credentials are the most common URI mistake.
fn check_userinfo_part(raw: &str, part: &'static str) -> Result<(), Error> {
    if let Some(ch) = raw.chars().find(|c| USERINFO_RESERVED.contains(c)) {
        return Err(Error::UnescapedCharacter {
            part,
            ch,
            encoded: percent_encode_char(ch),
        });
    }
    let bytes = raw.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%' {
            let valid = bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
            if !valid {
                return Err(Error::BadPercentEncoding { part });
            }
        }
    }
    Ok(())
}

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

fn decode(raw: &str, part: &'static str) -> Result<String, Error> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| Error::BadPercentEncoding { part })
}

fn parse_hosts(list: &str) -> Result<Vec<Host>, Error> {
    if list.is_empty() {
        return Err(Error::EmptyHost);
    }
    list.split(',').map(parse_host).collect()
}

fn parse_host(raw: &str) -> Result<Host, Error> {
    if raw.is_empty() {
        return Err(Error::EmptyHost);
    }
    let (name, port) = if let Some(rest) = raw.strip_prefix('[') {
        let close = rest.find(']').ok_or_else(|| Error::InvalidHost {
            host: raw.to_string(),
            reason: "unclosed [ of an IPv6 address",
        })?;
        let name = &rest[..close];
        let after = &rest[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => {
                return Err(Error::InvalidHost {
                    host: raw.to_string(),
                    reason: "unexpected text after ]",
                });
            }
        };
        (name.to_string(), port)
    } else {
        match raw.rsplit_once(':') {
            Some((name, _)) if name.contains(':') => {
                return Err(Error::InvalidHost {
                    host: raw.to_string(),
                    reason: "an IPv6 address must be written in brackets, e.g. [::1]:27017",
                });
            }
            Some((name, port)) => (name.to_string(), Some(port)),
            None => (raw.to_string(), None),
        }
    };
    if name.is_empty() {
        return Err(Error::EmptyHost);
    }
    let name = percent_decode_str(&name).decode_utf8_lossy().into_owned();
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '@' | '#' | '\\' | '"' | '\''))
    {
        return Err(Error::InvalidHost {
            host: name,
            reason: "host names may not contain spaces, quotes, @ or #",
        });
    }
    let port = match port {
        None => None,
        // A "port" that is not a number may be the password of `user:password`
        // written without `@host`: never echoed.
        Some(p) => Some(parse_port(p).map_err(|reason| Error::InvalidPort {
            host: mask_non_numeric_ports(raw),
            reason,
        })?),
    };
    Ok(Host { name, port })
}

fn parse_port(raw: &str) -> Result<u16, &'static str> {
    if raw.is_empty() {
        return Err("the port is empty");
    }
    match raw.parse::<u32>() {
        Ok(0) => Err("port 0 is not a port"),
        Ok(p) => u16::try_from(p).map_err(|_| "ports go up to 65535"),
        Err(_) => Err("the port is not a number"),
    }
}

fn parse_database(path: &str) -> Result<Option<String>, Error> {
    let name = path.strip_prefix('/').unwrap_or(path);
    if name.is_empty() {
        return Ok(None);
    }
    let name = percent_decode_str(name).decode_utf8_lossy().into_owned();
    if let Some(bad) = name.chars().find(|c| {
        matches!(
            c,
            '/' | '\\' | ' ' | '"' | '$' | '.' | '*' | '<' | '>' | ':' | '|' | '?'
        )
    }) {
        return Err(Error::InvalidOption {
            name: "database".to_string(),
            reason: format!("the database name in the path contains {bad:?}"),
        });
    }
    Ok(Some(name))
}

fn parse_options(query: &str) -> Result<Vec<(String, String)>, Error> {
    let mut options = Vec::new();
    for pair in query.split(['&', ';']).filter(|p| !p.is_empty()) {
        let Some((key, value)) = pair.split_once('=') else {
            let key: String = pair.chars().take(40).collect();
            return Err(invalid_option(
                &key,
                "has no value (write key=value)".to_string(),
            ));
        };
        let key = percent_decode_str(key).decode_utf8_lossy().into_owned();
        if key.is_empty() {
            return Err(invalid_option(
                "(empty)",
                "an option has no name".to_string(),
            ));
        }
        let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
        options.push((key, value));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("mongodb://localhost" ; "bare host")]
    #[test_case("mongodb://app:secret@a:1,b:2/app?replicaSet=rs0&authSource=admin" ; "seed list")]
    #[test_case("mongodb+srv://app:p%40ss@cluster0.ab1cd.example.net/?retryWrites=true&w=majority" ; "atlas-style srv")]
    #[test_case("mongodb://[::1]:27017/?tls=true" ; "ipv6")]
    #[test_case("MONGODB://host/" ; "scheme is case insensitive")]
    fn parses(uri: &str) {
        ConnectionString::parse(uri).unwrap();
    }

    #[test_case("mongodb://us@r:pass@host/", "user name", '@', "%40" ; "at in user")]
    #[test_case("mongodb://user:p@ss@host/", "password", '@', "%40" ; "at in password")]
    #[test_case("mongodb://user:pa:ss@host/", "password", ':', "%3A" ; "colon in password")]
    #[test_case("mongodb://user:pa/ss@host/", "password", '/', "%2F" ; "slash in password")]
    #[test_case("mongodb://user:pa?ss@host/", "password", '?', "%3F" ; "question mark in password")]
    #[test_case("mongodb://user:pa#ss@host/", "password", '#', "%23" ; "hash in password")]
    fn unescaped_characters_are_named_with_their_encoding(
        uri: &str,
        part: &str,
        ch: char,
        encoded: &str,
    ) {
        let err = ConnectionString::parse(uri).unwrap_err();
        assert_eq!(
            err,
            Error::UnescapedCharacter {
                part: if part == "password" {
                    "password"
                } else {
                    "user name"
                },
                ch,
                encoded: encoded.to_string()
            }
        );
        let message = err.to_string();
        assert!(message.contains(encoded), "{message}");
        assert!(!message.contains("ss@host"), "{message}");
    }

    #[test]
    fn a_stray_percent_is_refused() {
        let err = ConnectionString::parse("mongodb://user:100%sure@host/").unwrap_err();
        assert_eq!(err, Error::BadPercentEncoding { part: "password" });
    }

    #[test_case("http://host/", "UnknownScheme" ; "http")]
    #[test_case("mongodb:/host", "UnknownScheme" ; "one slash")]
    #[test_case("mongodb://", "EmptyHost" ; "no host")]
    #[test_case("mongodb://user:pw@/db", "EmptyHost" ; "credentials without host")]
    #[test_case("mongodb+srv://cluster0.example.net:27017/", "SrvWithPort" ; "srv with port")]
    #[test_case("mongodb+srv://a.example.net,b.example.net/", "SrvMultipleHosts" ; "srv with two hosts")]
    #[test_case("mongodb://host:99999/", "InvalidPort" ; "port too large")]
    #[test_case("mongodb://host:abc/", "InvalidPort" ; "port not a number")]
    #[test_case("mongodb://::1:27017/", "InvalidHost" ; "unbracketed ipv6")]
    #[test_case("mongodb://host/?tls=yes", "InvalidOption" ; "bad bool")]
    #[test_case("mongodb://host/?connectTimeoutMS=soon", "InvalidOption" ; "bad number")]
    #[test_case("mongodb://host/?authMechanism=SCRAM-SHA-512", "InvalidOption" ; "bad mechanism")]
    #[test_case("mongodb://host/?tls=true&ssl=false", "InvalidOption" ; "tls and ssl disagree")]
    #[test_case("mongodb://host/?tlsInsecure=true&tlsAllowInvalidCertificates=true", "InvalidOption" ; "insecure conflict")]
    #[test_case("mongodb://a,b/?directConnection=true", "InvalidOption" ; "direct with two hosts")]
    #[test_case("mongodb://host/?replicaSet", "InvalidOption" ; "option without value")]
    #[test_case("mongodb+srv://127.0.0.1/", "InvalidHost" ; "srv with ip")]
    fn refused(uri: &str, kind: &str) {
        let err = ConnectionString::parse(uri).unwrap_err();
        assert!(format!("{err:?}").starts_with(kind), "{uri}: {err:?}");
    }
}
