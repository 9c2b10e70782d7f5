//! Showing a connection string without its secrets: the parsed URI rendered
//! with `****`, and a best-effort mask for strings that do not parse.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::options::{SECRET_OPTIONS, eq_ignore_case, is_one_of};
use super::{ConnectionString, Scheme, format_address};

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
                    if redact && is_one_of(k, SECRET_OPTIONS) {
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
            Some((k, _))
                if k.to_ascii_uppercase().contains("TOKEN")
                    || k.to_ascii_uppercase().contains("SECRET") =>
            {
                format!("{k}:****")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Best-effort redaction of a string that may not parse: whatever sits between
/// `scheme://user:` and the last `@` becomes `****`, and `password=` values too.
pub fn redact_raw(input: &str) -> String {
    let Some(scheme_end) = input.find("://").map(|i| i + 3) else {
        return crate::redact::redact_key_values(&redact_without_scheme(input));
    };
    let rest = &input[scheme_end..];
    let out = match rest.rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let shown_user = if user.contains(['/', '?', '#']) {
                "****"
            } else {
                user
            };
            let masked = if userinfo.contains(':') {
                format!("{shown_user}:****")
            } else {
                shown_user.to_string()
            };
            format!("{}{masked}@{}", &input[..scheme_end], &rest[at + 1..])
        }
        None => input.to_string(),
    };
    crate::redact::redact_key_values(&out)
}

/// No `://`: `mongodb:/user:pw@host`, `mongodb//user:pw@host`, `user:pw@host`.
/// Where the user name ends cannot be known, so everything before the last `@`
/// is masked but a leading scheme (`mongodb:`, `mongodb:/`, `mongodb//`).
fn redact_without_scheme(input: &str) -> String {
    let Some(at) = input.rfind('@') else {
        return input.to_string();
    };
    let lower = input.to_ascii_lowercase();
    let word = ["mongodb+srv", "mongodb"]
        .iter()
        .find(|w| lower.starts_with(*w))
        .map_or(0, |w| w.len());
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
    format!("{}****@{}", &input[..keep], &input[at + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(redact_raw("no uri here"), "no uri here");
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
