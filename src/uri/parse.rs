//! Reading a connection string: split it into parts, decode them, and refuse
//! what cannot work with an error that names the culprit (never the password).

use percent_encoding::percent_decode_str;

use super::options::{AUTH_MECHANISMS, OptionKind, eq_ignore_case, is_one_of, option_kind};
use super::parts::{ConnectionString, DriverReading, Host, Scheme};
use super::redact::{mask_non_numeric_ports, real_scheme_end};
use super::userinfo::{MUST_ENCODE, Reading, credentials_end, percent_encode_char};
use super::{Error, judge};
use crate::model::secret::SecretString;

impl ConnectionString {
    /// Parses a connection string. The official driver decides whether it is
    /// valid; when the driver refuses, our own reading explains why (which
    /// part, which character and its `%XX`). Errors never include the password.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let input = input.trim();
        match judge::verdict(input) {
            Ok(driver) => Ok(Self::from_driver(input, driver)),
            Err(reason) => Err(explain(input).unwrap_or_else(|| Error::Refused {
                reason: scrub(input, &reason),
            })),
        }
    }

    /// The parts as the driver read them, and the options as written (the
    /// driver keeps only those it understood, we show and lint all of them).
    fn from_driver(input: &str, driver: mongodb::options::ConnectionString) -> Self {
        use mongodb::options::{HostInfo, ServerAddress};
        let reading = DriverReading::new(driver.clone());
        let address = |address: ServerAddress| match address {
            ServerAddress::Tcp { host, port } => Host { name: host, port },
            other => Host {
                name: other.to_string(),
                port: None,
            },
        };
        let (scheme, hosts) = match driver.host_info {
            HostInfo::DnsRecord(name) => (Scheme::Srv, vec![Host { name, port: None }]),
            HostInfo::HostIdentifiers(seeds) => {
                (Scheme::Standard, seeds.into_iter().map(address).collect())
            }
            // A future kind of host list: keep what the string says.
            _ => (Scheme::Standard, Vec::new()),
        };
        let (username, password) = driver
            .credential
            .map(|c| (c.username, c.password.map(SecretString::new)))
            .unwrap_or_default();
        let query = input
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('?'))
            .map_or("", |(_, query)| query);
        ConnectionString {
            scheme,
            username,
            password,
            hosts,
            database: driver.default_database,
            options: written_options(query),
            driver: reading,
        }
    }
}

/// Where our reading ends the credentials.
#[derive(Clone, Copy)]
enum Split {
    /// As the driver does: options start at the first `?`, credentials end
    /// at the last `@` before it.
    AsDriver,
    /// At the last `@` of the whole string: a raw `?` in a password moves the
    /// driver's split into the password, and this reading names the `?`.
    LastAt,
}

/// Why the driver refused `input`, in our words, when our reading finds it.
fn explain(input: &str) -> Option<Error> {
    let as_driver = read(input, Split::AsDriver).err()?;
    // A host or an option that is really a piece of credentials (a raw `?` in
    // the password) is better named as that character; an `=` in those
    // credentials means they were options after all, unless the driver saw a
    // host there.
    let credentials_misread = match &as_driver {
        Error::EmptyHost | Error::InvalidPort { .. } | Error::InvalidHost { .. } => true,
        Error::InvalidOption { .. } => !userinfo_at_last_at(input).is_some_and(|i| i.contains('=')),
        _ => false,
    };
    if credentials_misread
        && let Err(e @ (Error::UnescapedCharacter { .. } | Error::BadPercentEncoding { .. })) =
            read(input, Split::LastAt)
    {
        return Some(e);
    }
    Some(as_driver)
}

/// What sits between `://` and the last `@`, if anything.
fn userinfo_at_last_at(input: &str) -> Option<&str> {
    let (_, rest) = input.split_once("://")?;
    credentials_end(rest, Reading::LastAt).map(|at| &rest[..at])
}

/// The driver's reason, without any piece of the credentials it may echo
/// (an unsupported scheme, an address, an option pair are quoted whole).
fn scrub(input: &str, reason: &str) -> String {
    let mut shown = reason.to_string();
    if let Some((_, password)) = userinfo_at_last_at(input).and_then(|i| i.split_once(':')) {
        let decoded = percent_decode_str(password).decode_utf8_lossy();
        for secret in [password, decoded.as_ref()] {
            shown = crate::redact::redact_secret(&shown, secret);
        }
    }
    crate::redact::redact_key_values(&shown.escape_debug().to_string())
}

/// The options as written, split as the driver splits them (on `&`), decoded.
fn written_options(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (decode(key), decode(value))
        })
        .collect()
}

/// Our own strict reading: the explanation of a refusal.
fn read(input: &str, split: Split) -> Result<ConnectionString, Error> {
    let (scheme, rest) = if let Some(rest) = input.strip_prefix("mongodb+srv://") {
        (Scheme::Srv, rest)
    } else if let Some(rest) = input.strip_prefix("mongodb://") {
        (Scheme::Standard, rest)
    } else if strip_prefix_ignore_case(input, "mongodb+srv://").is_some()
        || strip_prefix_ignore_case(input, "mongodb://").is_some()
    {
        return Err(Error::SchemeCase {
            found: scheme_of(input),
        });
    } else {
        return Err(Error::UnknownScheme {
            found: scheme_of(input),
        });
    };

    let (before_query, query) = match split {
        Split::AsDriver => rest.split_once('?').unwrap_or((rest, "")),
        Split::LastAt => (rest, ""),
    };
    let reading = match split {
        Split::AsDriver => Reading::Driver,
        Split::LastAt => Reading::LastAt,
    };
    let (userinfo, after_userinfo) = match credentials_end(rest, reading) {
        Some(at) => (Some(&rest[..at]), &before_query[at + 1..]),
        None => (None, before_query),
    };
    let (host_list, path, query) = match split {
        Split::AsDriver => {
            let (hosts, path) = after_userinfo
                .split_once('/')
                .unwrap_or((after_userinfo, ""));
            (hosts, path, query)
        }
        Split::LastAt => {
            let host_end = after_userinfo
                .find(['/', '?'])
                .unwrap_or(after_userinfo.len());
            let after_hosts = &after_userinfo[host_end..];
            let (path, query) = after_hosts.split_once('?').unwrap_or((after_hosts, ""));
            (&after_userinfo[..host_end], path, query)
        }
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
        driver: DriverReading::default(),
    };
    cs.validate()?;
    Ok(cs)
}

impl ConnectionString {
    /// The driver's rules we can name precisely (the rest it names itself).
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
        }
        for (name, value) in &self.options {
            // The driver takes exactly `true` and `false`, in lower case.
            if option_kind(name) == Some(OptionKind::Bool)
                && !matches!(value.as_str(), "true" | "false")
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
    // A `%` reads as an escape: a bad one is refused below, as such.
    if let Some(ch) = raw.chars().find(|c| *c != '%' && MUST_ENCODE.contains(c)) {
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
            // The driver's list; `.` and the like are the server's business.
            '/' | '\\' | ' ' | '"' | '$'
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
    for pair in query.split('&').filter(|p| !p.is_empty()) {
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
mod r19_tests {
    use super::*;

    /// Issue 19 item 4: two lists of the characters a password must encode (the
    /// auth diagnosis also named `%`); each one, raw in a password, is refused.
    #[test]
    fn r19_every_character_a_password_must_encode_is_refused_raw() {
        for ch in MUST_ENCODE {
            let uri = format!("mongodb://app:pa{ch}zz@h/");
            assert!(
                matches!(
                    ConnectionString::parse(&uri),
                    Err(Error::UnescapedCharacter { .. } | Error::BadPercentEncoding { .. })
                ),
                "{uri}"
            );
            let encoded = format!("mongodb://app:pa{}zz@h/", percent_encode_char(*ch));
            assert!(ConnectionString::parse(&encoded).is_ok(), "{encoded}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("mongodb://localhost" ; "bare host")]
    #[test_case("mongodb://app:secret@a:1,b:2/app?replicaSet=rs0&authSource=admin" ; "seed list")]
    #[test_case("mongodb+srv://app:p%40ss@cluster0.ab1cd.example.net/?retryWrites=true&w=majority" ; "atlas-style srv")]
    #[test_case("mongodb://[::1]:27017/?tls=true" ; "ipv6")]
    #[test_case("mongodb://host/?appName=svc@team" ; "r9 an at sign in an option value")]
    #[test_case("mongodb+srv://127.0.0.1/" ; "r9 an address under srv fails at dns, not here")]
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
    fn r9_an_at_sign_in_an_option_value_stays_in_the_option() {
        let cs = ConnectionString::parse("mongodb://u:pw@host/?appName=svc@team").unwrap();
        assert_eq!(cs.hosts[0].name, "host");
        assert_eq!(cs.username.as_deref(), Some("u"));
        assert_eq!(cs.option("appName"), Some("svc@team"));
    }

    #[test_case("mongodb://user:pa?ss@host/", "password", '?' ; "question mark in password")]
    #[test_case("mongodb://us?er:pw@host/", "user name", '?' ; "question mark in user name")]
    #[test_case("mongodb://user:p=a?ss@host/", "password", '?' ; "equals and question mark")]
    fn a_raw_question_mark_in_credentials_is_named_not_the_host_the_driver_saw(
        uri: &str,
        part: &str,
        ch: char,
    ) {
        // The driver takes the first `?` for the start of the options and
        // refuses a host or an option made of the credentials' first half.
        let err = ConnectionString::parse(uri).unwrap_err();
        assert!(
            matches!(&err, Error::UnescapedCharacter { part: p, ch: c, .. } if *p == part && *c == ch),
            "{uri}: {err:?}"
        );
    }

    #[test]
    fn the_drivers_own_reason_never_quotes_the_password() {
        // A refusal only the driver names: its message quotes the address,
        // which here holds the password.
        let err = ConnectionString::parse("mongodb://app:hunter22@[::1/").unwrap_err();
        let shown = err.to_string();
        assert!(!shown.contains("hunter22"), "{shown}");
        assert_eq!(
            scrub(
                "mongodb://app:hunter22@h:x/",
                "invalid server address app:hunter22@h:x"
            ),
            "invalid server address app:****@h:x"
        );
        assert_eq!(
            scrub(
                "mongodb://app:pw@h:x/",
                "invalid server address app:pw@h: bad"
            ),
            "invalid server address app:****@h: bad"
        );
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
    #[test_case("MONGODB://host/", "SchemeCase" ; "r9 the driver wants the scheme in lower case")]
    #[test_case("mongodb://host/?tls=TRUE", "InvalidOption" ; "the driver wants lower-case booleans")]
    #[test_case("mongodb://host/?retryWrite=true", "Refused" ; "unknown option")]
    #[test_case("mongodb://host/?maxPoolSize=0", "Refused" ; "a rule only the driver names")]
    fn refused(uri: &str, kind: &str) {
        let err = ConnectionString::parse(uri).unwrap_err();
        assert!(format!("{err:?}").starts_with(kind), "{uri}: {err:?}");
    }
}
