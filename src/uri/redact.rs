//! Showing a connection string without its secrets: the parsed URI rendered
//! with `****`, and a best-effort mask for strings that do not parse.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::options::{eq_ignore_case, is_secret_option};
use super::parts::{ConnectionString, Scheme, format_address};
use super::userinfo::{Reading, credentials_end};

/// What `utf8_percent_encode` escapes when we rebuild a URI.
const USERINFO_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'@')
    .add(b':')
    .add(b'/')
    .add(b'?')
    .add(b'#')
    .add(b'[')
    .add(b']')
    .add(b'%')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// What option names and values escape: only what would break the query
/// string. `;` separates options too, and an `@` would be taken for the end of
/// the credentials, so the rendering would not parse back.
const OPTION_VALUE_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'&')
    .add(b';')
    .add(b'@')
    .add(b'=')
    .add(b'#')
    .add(b'%')
    .add(b'"');

/// What the database name escapes when rendered (the parser takes it decoded).
const DATABASE_ENCODE: &AsciiSet = &OPTION_VALUE_ENCODE.add(b'/').add(b'?');

impl ConnectionString {
    /// The URI with the password and secret options replaced by `****`.
    pub fn redacted(&self) -> String {
        self.render(&self.hosts_string(), &self.options, true)
    }

    /// The equivalent standard string for resolved SRV hosts, with TLS on and the
    /// TXT options folded in (credentials redacted): the workaround for a resolver
    /// that cannot answer SRV queries.
    pub fn standard_equivalent(
        &self,
        hosts: &[(String, u16)],
        txt_options: &[(String, String)],
    ) -> String {
        let host_list = hosts
            .iter()
            .map(|(name, port)| format_address(name, *port))
            .collect::<Vec<_>>()
            .join(",");
        let mut options = self.options.clone();
        for (key, value) in txt_options {
            if self.option(key).is_none() {
                options.push((key.clone(), value.clone()));
            }
        }
        if self.option("tls").is_none() && self.option("ssl").is_none() {
            options.insert(0, ("tls".to_string(), "true".to_string()));
        }
        let standard = ConnectionString {
            scheme: Scheme::Standard,
            ..self.clone()
        };
        standard.render(&host_list, &options, true)
    }

    fn hosts_string(&self) -> String {
        self.hosts
            .iter()
            .map(|h| match h.port {
                // A socket path is written percent-encoded, as drivers expect it.
                _ if h.is_unix_socket() => h.name.replace('/', "%2F"),
                Some(port) => format_address(&h.name, port),
                None if h.name.contains(':') => format!("[{}]", h.name),
                None => h.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn render(&self, hosts: &str, options: &[(String, String)], redact: bool) -> String {
        let mut out = String::from(self.scheme.prefix());
        if let Some(user) = &self.username {
            out.push_str(&utf8_percent_encode(user, USERINFO_ENCODE).to_string());
            if self.password.is_some() {
                out.push_str(if redact { ":****" } else { ":" });
            }
            out.push('@');
        }
        out.push_str(hosts);
        out.push('/');
        if let Some(db) = &self.database {
            out.extend(utf8_percent_encode(db, DATABASE_ENCODE));
        }
        if !options.is_empty() {
            out.push('?');
            let rendered: Vec<String> = options
                .iter()
                .map(|(k, v)| {
                    let key = utf8_percent_encode(k, OPTION_VALUE_ENCODE);
                    if redact && is_secret_option(k) {
                        format!("{key}=****")
                    } else if redact && eq_ignore_case(k, "authMechanismProperties") {
                        let shown = redact_properties(v);
                        format!("{key}={}", utf8_percent_encode(&shown, OPTION_VALUE_ENCODE))
                    } else {
                        format!("{key}={}", utf8_percent_encode(v, OPTION_VALUE_ENCODE))
                    }
                })
                .collect();
            out.push_str(&rendered.join("&"));
        }
        out
    }
}

/// `AWS_SESSION_TOKEN:...` and similar values are secrets; keep the keys.
fn redact_properties(value: &str) -> String {
    value
        .split(',')
        .map(|pair| match pair.split_once(':') {
            Some((k, _)) if is_secret_option(k) => {
                format!("{k}:****")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A string that may or may not be a connection string, safe to show: the one
/// redaction path for every target, argument and scanned hit. What parses is
/// shown through `redacted`; what does not is masked by the same rules, best
/// effort, over-hiding rather than under-hiding: the credentials, every secret
/// option and `authMechanismProperties` secret, `password=` values, a
/// non-numeric "port" after a user name with no host (`mongodb://alice:PASSWORD`),
/// and a value with no scheme and no `@` (a password pasted in) as a whole.
pub fn redact_raw(input: &str) -> String {
    match ConnectionString::parse(input) {
        Ok(cs) => cs.redacted(),
        Err(_) => redact_refused(input),
    }
}

/// `redact_raw` of a string the parser already refused (no second parse).
pub fn redact_refused(input: &str) -> String {
    let Some(scheme_end) = real_scheme_end(input) else {
        return crate::redact::redact_key_values(&redact_without_scheme(input));
    };
    let rest = &input[scheme_end..];
    let (userinfo, after) = match credentials_end(rest, Reading::LastAt) {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let mut out = input[..scheme_end].to_string();
    if let Some(userinfo) = userinfo {
        let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
        out.push_str(if user.contains(['/', '?', '#']) {
            MASK
        } else {
            user
        });
        if userinfo.contains(':') {
            out.push(':');
            out.push_str(MASK);
        }
        out.push('@');
    }
    let host_end = after.find(['/', '?']).unwrap_or(after.len());
    let (hosts, tail) = after.split_at(host_end);
    if userinfo.is_none() {
        out.push_str(&mask_non_numeric_ports(hosts));
    } else {
        out.push_str(hosts);
    }
    match tail.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            out.push_str(&redact_query(query));
        }
        None => out.push_str(tail),
    }
    crate::redact::redact_key_values(&out)
}

const MASK: &str = crate::redact::MASK;

/// The end of a real scheme (`mongodb://`, or a typo such as `mongdb://`): a
/// short run of scheme characters before the first `://`. A `://` later in the
/// text (`mongodb:/user:pw@h/?x=http://`) is no scheme.
pub(super) fn real_scheme_end(input: &str) -> Option<usize> {
    let i = input.find("://")?;
    let scheme = &input[..i];
    ((1..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(i + 3)
}

/// `alice:PASSWORD` with no `@host` reads as a host with a port: a "port" that is
/// not a number is most likely a password, so it is masked.
pub(super) fn mask_non_numeric_ports(hosts: &str) -> String {
    hosts
        .split(',')
        .map(|host| match host.rsplit_once(':') {
            Some((name, port)) if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) => {
                let name = if name.starts_with('[') || !name.contains(':') {
                    name
                } else {
                    MASK
                };
                format!("{name}:{MASK}")
            }
            _ => host.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The query of an unparsed URI with every secret value masked, by the same
/// table the parsed rendering uses.
fn redact_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for (i, pair) in query.split(['&', ';']).enumerate() {
        if i > 0 {
            out.push('&');
        }
        let Some((key, value)) = pair.split_once('=') else {
            out.push_str(pair);
            continue;
        };
        let name = percent_decode_str(key).decode_utf8_lossy();
        if is_secret_option(&name) {
            let _ = write!(out, "{key}={MASK}");
        } else if eq_ignore_case(&name, "authMechanismProperties") {
            let decoded = percent_decode_str(value).decode_utf8_lossy();
            let _ = write!(out, "{key}={}", redact_properties(&decoded));
        } else {
            out.push_str(pair);
        }
    }
    out
}

/// No real scheme: `mongodb:/user:pw@host`, `mongodb//user:pw@host`,
/// `user:pw@host`, or a bare value. Where the user name ends cannot be known,
/// so everything before the last `@` is masked but a leading scheme word
/// (`mongodb:`, `mongodb:/`, `mongodb//`); with no `@` at all the value may be
/// a password pasted where the URI belongs, and nothing of it is shown but
/// that scheme word.
fn redact_without_scheme(input: &str) -> String {
    let lower = input.to_ascii_lowercase();
    let word = ["mongodb+srv", "mongodb"]
        .iter()
        .find(|w| lower.starts_with(*w))
        .map_or(0, |w| w.len());
    let Some(at) = credentials_end(input, Reading::LastAt) else {
        return format!("{}{MASK}", &input[..word]);
    };
    // The scheme word and what is left of its `://`, never past the `@`.
    let slashes = input.as_bytes()[word..]
        .iter()
        .take(3)
        .take_while(|b| matches!(b, b':' | b'/'))
        .count();
    let keep = if word == 0 {
        0
    } else {
        (word + slashes).min(at)
    };
    format!(
        "{}{MASK}@{}",
        &input[..keep],
        redact_query_tail(&input[at + 1..])
    )
}

/// What follows the hosts of an unparsed string: its query's secrets masked.
fn redact_query_tail(after: &str) -> String {
    match after.split_once('?') {
        Some((head, query)) => format!("{head}?{}", redact_query(query)),
        None => after.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::options::{OPTIONS, OptionKind};
    use super::*;
    use test_case::test_case;

    #[test]
    fn redaction_hides_password_and_secret_options() {
        let cs = ConnectionString::parse(
            "mongodb://app:S3cret%21@h1:1,h2/app?tlsCertificateKeyFilePassword=kp&authMechanismProperties=AWS_SESSION_TOKEN:tok",
        )
        .unwrap();
        let shown = cs.redacted();
        assert_eq!(
            shown,
            "mongodb://app:****@h1:1,h2/app?tlsCertificateKeyFilePassword=****&authMechanismProperties=AWS_SESSION_TOKEN:****"
        );
        assert_eq!(format!("{:?}", cs.password), "Some(****)");
        assert_eq!(cs.password.unwrap().expose(), "S3cret!");
    }

    #[test]
    fn redact_raw_handles_unparseable_strings() {
        assert_eq!(
            redact_raw("mongodb://us@r:p@ss@host/"),
            "mongodb://us@r:****@host/"
        );
        assert_eq!(
            redact_raw("mongodb://u:pa/ss?x@host/db"),
            "mongodb://u:****@host/db"
        );
        assert_eq!(
            redact_raw("mongodb://host/?password=abc&x=1"),
            "mongodb://host/?password=****&x=1"
        );
        // A bare value is what a password pasted into MONGODB_URI looks like.
        assert_eq!(redact_raw("no uri here"), "****");
        assert_eq!(redact_raw("Tr0ub4dor&3"), "****");
        assert_eq!(redact_raw("mongodb:Tr0ub4dor"), "mongodb****");
        // Without `://` the user name's end is unknown: all before the last @ goes.
        assert_eq!(redact_raw("mongodb:/app:Secret1@h/"), "mongodb:/****@h/");
        assert_eq!(
            redact_raw("mongodb//app:Secret1@h/db"),
            "mongodb//****@h/db"
        );
        assert_eq!(redact_raw("mongodb:app:Se/cret1@h/"), "mongodb:****@h/");
        assert_eq!(redact_raw("app:Secret1@h"), "****@h");
        assert_eq!(redact_raw("app:p@ss:w/rd@h"), "****@h");
    }

    /// Issue 15 item 6: shapes that do not parse were shown whole or in part.
    #[test]
    fn r15_unparseable_strings_go_through_the_same_redaction() {
        // No @host: the password reads as a port, in the target and in the error.
        assert_eq!(
            redact_raw("mongodb://alice:Secret1"),
            "mongodb://alice:****"
        );
        let err = ConnectionString::parse("mongodb://alice:Secret1").unwrap_err();
        assert!(!err.to_string().contains("Secret1"), "{err}");
        // A scheme typo with a later `://`: the first `://` is no scheme.
        assert_eq!(
            redact_raw("mongodb:/alice:Secret1@h/?appName=http://x"),
            "mongodb:/****@h/?appName=http://x"
        );
        let err = ConnectionString::parse("mongdb:/alice:Secret1?x=http://y").unwrap_err();
        assert!(!err.to_string().contains("Secret1"), "{err}");
        // A bare value: the error does not echo it either.
        let err = ConnectionString::parse("Secret1Secret1").unwrap_err();
        assert!(!err.to_string().contains("Secret1"), "{err}");
        // Secret options and AWS_SESSION_TOKEN in a string that fails to parse.
        let shown = redact_raw(
            "mongodb://u:pw@h:notaport/?authMechanismProperties=AWS_SESSION_TOKEN:tok123&proxyPassword=px1&sslPEMKeyPassword=kp1",
        );
        for secret in ["pw@", "tok123", "px1", "kp1"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("AWS_SESSION_TOKEN:****"), "{shown}");
    }

    /// Issue 15 item 5: every secret option of the table is masked when shown.
    /// The driver judges validity: it refuses `sslPEMKeyPassword` and a
    /// misspelt option, so those are shown only through `redact_raw`.
    #[test_case("proxyPassword", true)]
    #[test_case("tlsCertificateKeyFilePassword", true)]
    #[test_case("sslPEMKeyPassword", false ; "sslpemkeypassword, which the driver refuses")]
    #[test_case("PROXYPASSWORD", true ; "any case")]
    #[test_case("proxyPasword", false ; "misspelt")]
    fn r15_secret_options_are_masked(name: &str, driver_takes_it: bool) {
        let uri = format!("mongodb://h/?{name}=S3cretValue&appName=x");
        match ConnectionString::parse(&uri) {
            Ok(cs) if driver_takes_it => {
                assert_eq!(cs.redacted(), format!("mongodb://h/?{name}=****&appName=x"));
            }
            Err(err) if !driver_takes_it => {
                assert!(!err.to_string().contains("S3cretValue"), "{err}");
                assert_eq!(
                    redact_raw(&uri),
                    format!("mongodb://h/?{name}=****&appName=x")
                );
            }
            other => panic!("{uri}: {other:?}"),
        }
        assert!(!redact_raw(&format!("{uri}&bad")).contains("S3cretValue"));
    }

    #[test]
    fn every_secret_option_of_the_table_is_masked() {
        let secrets: Vec<&str> = OPTIONS
            .iter()
            .filter(|(_, kind)| *kind == OptionKind::Secret)
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(
            secrets,
            [
                "proxyPassword",
                "tlsCertificateKeyFilePassword",
                "sslPEMKeyPassword"
            ]
        );
        for name in secrets {
            assert!(is_secret_option(name));
        }
    }

    #[test]
    fn standard_equivalent_folds_txt_options_and_turns_tls_on() {
        let cs = ConnectionString::parse(
            "mongodb+srv://app:pw@cluster0.example.test/app?retryWrites=true",
        )
        .unwrap();
        let hosts = [
            ("a.cluster0.example.test".to_string(), 27017),
            ("b.cluster0.example.test".to_string(), 27018),
        ];
        let txt = [
            ("authSource".to_string(), "admin".to_string()),
            ("replicaSet".to_string(), "rs0".to_string()),
        ];
        assert_eq!(
            cs.standard_equivalent(&hosts, &txt),
            "mongodb://app:****@a.cluster0.example.test:27017,b.cluster0.example.test:27018/app?tls=true&retryWrites=true&authSource=admin&replicaSet=rs0"
        );
    }
}
