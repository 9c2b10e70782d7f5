//! Scrubs secrets out of free text (pasted driver errors, logs, JSON lines): the
//! password of every `mongodb://` / `mongodb+srv://` connection string, and the
//! value of `password=` / `"password": "..."` style fragments. Used by `explain`
//! for everything it prints and by the probes to scrub the driver's own error text.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::uri::userinfo::{Reading, credentials_end};

/// What a hidden secret is replaced with.
pub const MASK: &str = "****";

/// The scheme of a connection string, anywhere in the text (also inside
/// `jdbc:mongodb+srv://...` or a quoted JSON value).
static SCHEME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)mongodb(?:\+srv)?://").expect("valid regex"));

/// `key=value`, `key: value`, `"key": "value"`, `'key': 'value'` where the key
/// names a password or secret: it ends in password/passwd/pwd/passphrase/secret/
/// token, an API or private key, the misspelt pasword that
/// `uri::options::is_secret_option` also hides (`tlsCertificateKeyFilePassword`,
/// `DB_PASSWORD`, `client_secret`), or is `pass` as a word of its own (`DB_PASS`,
/// `pass`, never `bypass` or `Compass`). Group 1 is everything before the value,
/// group 2 the value: quoted (with escapes) or up to a delimiter. The word
/// boundary is ASCII: a Unicode one makes the fast engines give up on
/// non-ASCII text.
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)((?-u:\b)(?:[a-z0-9_.\-]*(?:password|passwd|pasword|passphrase|pwd|secret|token|api[_\-]?key|private[_\-]?key)|(?:[a-z0-9_.\-]*[_.\-])?pass)["']?\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^\s"'&;,}\])]+)"#,
    )
    .expect("valid regex")
});

/// A command-line flag naming a password or secret followed by its value, as
/// people paste shell lines: `--password X`, `--pass 'X Y'`, `--client-secret=X`,
/// and mongosh's (and mysql's) `-p X`. A value starting with `-` is the next flag
/// (`--password` alone prompts), so it is left alone. Group 1 is everything
/// before the value, group 2 the value.
static FLAG_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"((?:^|[\s"'(\[,;])(?:(?i:--?[a-z0-9_\-]*(?:password|passwd|pasword|passphrase|pwd|pass|secret|token|api[_\-]?key|private[_\-]?key))(?:\s+|\s*=\s*)|-p\s+))("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^\s"'`\-][^\s"'`]*)"#,
    )
    .expect("valid regex")
});

/// The scheme of a percent-encoded connection string (a URL parameter, an
/// encoded log field): `mongodb%3A%2F%2F`, `mongodb%2Bsrv%3A%2F%2F`, once or
/// twice encoded (`%253A`). Group 1 is `25` when twice encoded.
static ENCODED_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)mongodb(?:(?:\+|%(?:25)?2b)srv)?%(25)?3a%(?:25)?2f%(?:25)?2f")
        .expect("valid regex")
});

/// Returns `text` with every password it can recognise replaced by `****`.
///
/// Connection strings keep their user name (`mongodb://app:****@host/`); the
/// rest of the text is untouched. Over-hiding is preferred to under-hiding: when
/// the end of the credentials is ambiguous, more is masked.
pub fn redact_text(text: &str) -> String {
    redact_key_values(&redact_flags(&redact_encoded_uris(&redact_uris(text))))
}

/// Masks the value of every password or secret flag in `text` (`--password X`,
/// `-p X`, `--client-secret 'X Y'`).
pub fn redact_flags(text: &str) -> String {
    FLAG_VALUE
        .replace_all(text, |caps: &regex::Captures<'_>| {
            format!("{}{}", &caps[1], masked_like(&caps[2]))
        })
        .into_owned()
}

/// `****`, inside the value's quotes when it had them.
fn masked_like(value: &str) -> String {
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{MASK}{q}"),
        _ => MASK.to_string(),
    }
}

/// Masks the value of every `password=`, `"password": "..."` and kin in `text`.
pub fn redact_key_values(text: &str) -> String {
    KEY_VALUE
        .replace_all(text, |caps: &regex::Captures<'_>| {
            format!("{}{}", &caps[1], masked_like(&caps[2]))
        })
        .into_owned()
}

/// A run of base64 (standard or URL-safe) or hex characters: where an encoded
/// secret hides (a server echoing a SASL PLAIN payload, `\0user\0password`).
static ENCODED_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/_\-]{4,}={0,2}").expect("valid regex"));

/// Masks every form of one known secret (the run's password) in `text`: as
/// is, percent-encoded, and any base64 or hex run that decodes to bytes
/// holding it, at any alignment.
///
/// A secret under 3 characters is masked only where it stands as a whole
/// word (and inside encoded runs): replacing every "ab" would garble the text,
/// and a server that echoes a password echoes it as a word.
pub fn redact_secret(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    let out = ENCODED_RUN.replace_all(text, |caps: &regex::Captures<'_>| {
        let run = &caps[0];
        if decodes_to(run, secret.as_bytes()) {
            MASK.to_string()
        } else {
            run.to_string()
        }
    });
    let encoded: String = secret
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._~".contains(c) {
                c.to_string()
            } else {
                crate::uri::userinfo::percent_encode_char(c)
            }
        })
        .collect();
    let mut out = out.into_owned();
    for form in [secret, encoded.as_str()] {
        out = if form.chars().count() >= 3 {
            out.replace(form, MASK)
        } else {
            replace_whole_words(&out, form)
        };
    }
    out
}

/// A pattern matching one known secret in any letter case and with spaces or
/// punctuation between its characters (`S3CRET`, `s 3 c r e t`, `s-3-c-r-e-t`):
/// the forms a server's error text may turn a secret into. For secrets of 4
/// characters or more (shorter ones would mask ordinary words).
pub fn loose_secret_pattern(secret: &str) -> Option<Regex> {
    if secret.chars().count() < 4 {
        return None;
    }
    let body = secret
        .chars()
        .map(|c| regex::escape(&c.to_string()))
        .collect::<Vec<_>>()
        .join(r"[\s\-_.,:;/|]{0,3}");
    Regex::new(&format!("(?i){body}")).ok()
}

/// Whether an encoded run (hex, `0x` hex, or base64 of either alphabet,
/// padded or not) decodes to bytes that contain `needle`.
fn decodes_to(run: &str, needle: &[u8]) -> bool {
    let contains = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let hex = run.strip_prefix("0x").unwrap_or(run);
    if hex.len().is_multiple_of(2) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        let bytes: Vec<u8> = hex
            .as_bytes()
            .chunks(2)
            .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
            .collect();
        if contains(&bytes) {
            return true;
        }
    }
    decode_base64(run.as_bytes()).is_some_and(|bytes| contains(&bytes))
}

/// A run of base64 decoded, standard or URL-safe alphabet, padded or not.
pub fn decode_base64(run: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::DecodePaddingMode;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let bare = run
        .strip_suffix(b"==")
        .or_else(|| run.strip_suffix(b"="))
        .unwrap_or(run);
    [&base64::alphabet::STANDARD, &base64::alphabet::URL_SAFE]
        .into_iter()
        .find_map(|alphabet| GeneralPurpose::new(alphabet, config).decode(bare).ok())
}

/// Replaces `word` where it is not part of a longer run of letters and digits.
fn replace_whole_words(text: &str, word: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(word) {
        if at < last {
            continue;
        }
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            out.push_str(&text[last..at]);
            out.push_str(MASK);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The byte ranges of the connection strings in `text`: from the scheme to the
/// first whitespace or quote. A password with an unencoded space or quote in it
/// is cut there; nothing in a pasted error says where it really ends.
///
/// The ranges never overlap: a scheme inside a range belongs to it (so text of
/// schemes with no whitespace between them is scanned once, not once per
/// scheme, and masked from the first credentials on).
pub fn find_uris(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(m) = SCHEME.find_at(text, from) {
        let rest = &text[m.end()..];
        let end = m.end() + rest.find(is_uri_end).unwrap_or(rest.len());
        ranges.push(m.start()..end);
        from = end;
    }
    ranges
}

/// Characters that end a connection string inside free text.
fn is_uri_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`')
}

/// Replaces the password part of the user information of every URI.
fn redact_uris(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in find_uris(text) {
        let uri = &text[range.clone()];
        let Some(scheme_end) = uri.find("://").map(|i| i + 3) else {
            continue;
        };
        let after = &uri[scheme_end..];
        let Some(at) = credentials_end(after, Reading::Text) else {
            continue;
        };
        let userinfo = &after[..at];
        let Some(colon) = userinfo.find(':') else {
            continue; // a user name alone is not a secret
        };
        if colon + 1 == userinfo.len() {
            continue; // empty password
        }
        let password_start = range.start + scheme_end + colon + 1;
        let password_end = range.start + scheme_end + at;
        out.push_str(&text[last..password_start]);
        out.push_str(MASK);
        last = password_end;
    }
    out.push_str(&text[last..]);
    out
}

/// Replaces the password of every percent-encoded connection string
/// (`mongodb%3A%2F%2Fapp%3AX%40host`): the same rule as `redact_uris`, with the
/// encoded `:`, `@`, `/` and `?`. The string ends at whitespace, a quote or a
/// literal `&` (the next parameter of the URL it sits in).
fn redact_encoded_uris(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(caps) = ENCODED_SCHEME.captures_at(text, from) {
        let scheme = caps.get(0).expect("whole match");
        let pct = if caps.get(1).is_some() { "%25" } else { "%" };
        let rest = &text[scheme.end()..];
        let len = rest
            .find(|c: char| is_uri_end(c) || matches!(c, '&' | '<' | '>' | ')'))
            .unwrap_or(rest.len());
        from = scheme.end() + len;
        // ASCII lower case keeps byte offsets.
        let token = rest[..len].to_ascii_lowercase();
        let (at_sign, colon, slash, question) = (
            format!("{pct}40"),
            format!("{pct}3a"),
            format!("{pct}2f"),
            format!("{pct}3f"),
        );
        let before_query = token
            .find(&question)
            .map_or(token.as_str(), |q| &token[..q]);
        let at = match before_query.rfind(&at_sign) {
            Some(at) if before_query[at..].contains(&slash) => Some(at),
            _ => token.rfind(&at_sign),
        };
        let Some(at) = at else { continue };
        let Some(c) = token[..at].find(&colon) else {
            continue; // a user name alone is not a secret
        };
        let password_start = scheme.end() + c + colon.len();
        let password_end = scheme.end() + at;
        if password_start == password_end {
            continue;
        }
        out.push_str(&text[last..password_start]);
        out.push_str(MASK);
        last = password_end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_uri_keeps_user_and_hosts() {
        assert_eq!(
            redact_text(&format!(
                "mongodb+srv://app:{}@cluster0.ab1cd.mongodb.net/db?retryWrites=true",
                "s3cret"
            )),
            "mongodb+srv://app:****@cluster0.ab1cd.mongodb.net/db?retryWrites=true"
        );
    }

    #[test]
    fn reserved_characters_unencoded_are_masked_whole() {
        assert_eq!(
            redact_text("mongodb://us:p@ss:w/rd@host:27017/"),
            "mongodb://us:****@host:27017/"
        );
        assert_eq!(
            redact_text("mongodb://u:pa?ss@host/db"),
            "mongodb://u:****@host/db"
        );
        assert_eq!(
            redact_text("mongodb://u:p@s?x@host/"),
            "mongodb://u:****@host/"
        );
        assert_eq!(
            redact_text("mongodb://u:pa/ss?x@host/db"),
            "mongodb://u:****@host/db"
        );
    }

    #[test]
    fn percent_encoded_password() {
        assert_eq!(
            redact_text(
                "uri=mongodb://admin:p%40ss%3Aw0rd%2F@10.0.0.1:27017,10.0.0.2:27017/?replicaSet=rs0"
            ),
            "uri=mongodb://admin:****@10.0.0.1:27017,10.0.0.2:27017/?replicaSet=rs0"
        );
    }

    #[test]
    fn at_sign_in_query_is_not_the_host_separator() {
        assert_eq!(
            redact_text("mongodb://u:pw@h1/?appName=me@corp"),
            "mongodb://u:****@h1/?appName=me@corp"
        );
    }

    #[test]
    fn uri_inside_json_log_line_and_quotes() {
        let line = format!(
            r#"{{"t":{{"$date":"2024-01-01"}},"msg":"connecting","uri":"mongodb+srv://svc:{}@c0.x.mongodb.net/?w=majority","n":1}}"#,
            "Hunter2!"
        );
        let out = redact_text(&line);
        assert!(!out.contains("Hunter2"), "{out}");
        assert!(
            out.contains(r#""uri":"mongodb+srv://svc:****@c0.x.mongodb.net/?w=majority","n":1}"#),
            "{out}"
        );

        let py = "MongoClient('mongodb://root:toor@db:27017/admin') failed";
        assert_eq!(
            redact_text(py),
            "MongoClient('mongodb://root:****@db:27017/admin') failed"
        );

        let escaped = r#"{\"uri\":\"mongodb://a:b@h/\"}"#;
        assert_eq!(redact_text(escaped), r#"{\"uri\":\"mongodb://a:****@h/\"}"#);
    }

    #[test]
    fn several_uris_and_mixed_case_scheme() {
        assert_eq!(
            redact_text("from MONGODB://a:one@h1/ to mongodb+SRV://b:two@c.mongodb.net"),
            "from MONGODB://a:****@h1/ to mongodb+SRV://b:****@c.mongodb.net"
        );
    }

    #[test]
    fn uri_without_password_is_unchanged() {
        for text in [
            "mongodb://localhost:27017/?directConnection=true",
            "mongodb://REDACTED@host1:27017/admin",
            "mongodb://user:@host/",
            "no uri here at all",
            "",
        ] {
            assert_eq!(redact_text(text), text);
        }
    }

    #[test]
    fn password_options_and_key_values() {
        assert_eq!(
            redact_text("mongodb://h/?tls=true&tlsCertificateKeyFilePassword=k3y&w=1"),
            "mongodb://h/?tls=true&tlsCertificateKeyFilePassword=****&w=1"
        );
        assert_eq!(
            redact_text(r#"{"user": "app", "password": "s3 cret"}"#),
            r#"{"user": "app", "password": "****"}"#
        );
        assert_eq!(redact_text("{'password': 'x\\'y'}"), "{'password': '****'}");
        assert_eq!(
            redact_text("DB_PASSWORD=abc123 next"),
            "DB_PASSWORD=**** next"
        );
        assert_eq!(
            redact_text("msg=“Password: mqtt123*”"),
            "msg=“Password: ****"
        );
        assert_eq!(
            redact_text(
                "MongoCredential{mechanism=null, userName='u', source='admin', password=<hidden>}"
            ),
            "MongoCredential{mechanism=null, userName='u', source='admin', password=****}"
        );
    }

    #[test]
    fn tokens_and_misspelt_password_keys_are_masked_in_free_text_too() {
        // The URI's secret-option rule hides `proxyPasword` and `...token`; free
        // text (driver errors, clap errors, explain) must hide them as well.
        assert_eq!(
            redact_text("proxyPasword=hunter22 x"),
            "proxyPasword=**** x"
        );
        assert_eq!(
            redact_text("AWS_SESSION_TOKEN: abcdef123"),
            "AWS_SESSION_TOKEN: ****"
        );
    }

    #[test]
    fn prose_about_passwords_is_left_alone() {
        let text = "Username and password must be escaped according to RFC 3986";
        assert_eq!(redact_text(text), text);
        assert_eq!(
            redact_text("passwordSecretRef: my-user-password"),
            "passwordSecretRef: my-user-password"
        );
    }

    /// Issue 15 item 8: a PLAIN payload echoed as base64 or hex printed the
    /// password; passwords under 3 characters were never masked.
    #[test]
    fn r15_a_secret_is_masked_in_base64_hex_and_short_forms() {
        use base64::Engine as _;
        use std::fmt::Write as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let pw = "Zq9-secret";
        for user in ["app", "ap", "a"] {
            let payload = format!("\0{user}\0{pw}");
            let hex = payload.bytes().fold(String::new(), |mut out, b| {
                let _ = write!(out, "{b:02x}");
                out
            });
            let text = format!(
                "bad payload {} (hex {hex}, 0x{}) and {}",
                b64(payload.as_bytes()),
                hex.to_uppercase(),
                b64(pw.as_bytes()).trim_end_matches('=')
            );
            let out = redact_secret(&text, pw);
            assert_eq!(out, "bad payload **** (hex ****, ****) and ****", "{user}");
        }
        assert_eq!(
            redact_secret("user ab failed; about tabs: ab", "ab"),
            "user **** failed; about tabs: ****"
        );
        assert_eq!(
            redact_secret(&format!("echo {}", b64(b"\0u\0x")), "x"),
            "echo ****"
        );
        assert_eq!(redact_secret("p%40ss and p@ss", "p@ss"), "**** and ****");
        assert_eq!(redact_secret("nothing here", ""), "nothing here");
    }

    /// Issue 20 item 1: the shapes people paste beside a driver error leaked into
    /// `explain --format markdown`: CLI flags, KEY=value for any key naming a
    /// password or secret (quoted values with spaces too), percent-encoded URIs.
    #[test]
    fn r20_1_flags_key_values_and_encoded_uris_are_redacted() {
        for (text, want) in [
            (
                r#"mongosh "mongodb+srv://c0.x.mongodb.net/app" --username app --password Hx2s"#,
                r#"mongosh "mongodb+srv://c0.x.mongodb.net/app" --username app --password ****"#,
            ),
            (
                "mongosh -u app -p Hx2s --quiet",
                "mongosh -u app -p **** --quiet",
            ),
            ("mongo --pass 'Hx 2s' db", "mongo --pass '****' db"),
            ("atlas --client-secret=Hx2s", "atlas --client-secret=****"),
            ("DB_PASS=Hx2s node app.js", "DB_PASS=**** node app.js"),
            ("export DB_PASS='Hx 2s'", "export DB_PASS='****'"),
            (r#"MONGO_SECRET="Hx 2s""#, r#"MONGO_SECRET="****""#),
            ("pass: Hx2s", "pass: ****"),
            ("ATLAS_API_KEY=Hx2s", "ATLAS_API_KEY=****"),
            (
                "url=mongodb%3A%2F%2Fapp%3AHx2s%40c0.x.mongodb.net%2Fapp&x=1",
                "url=mongodb%3A%2F%2Fapp%3A****%40c0.x.mongodb.net%2Fapp&x=1",
            ),
            (
                "u=MONGODB%2BSRV%3A%2F%2Fapp%3AH%40x%3As%40c0.x.mongodb.net%2F%3Fw%3D1",
                "u=MONGODB%2BSRV%3A%2F%2Fapp%3A****%40c0.x.mongodb.net%2F%3Fw%3D1",
            ),
            (
                "u=mongodb%253A%252F%252Fapp%253AHx2s%2540h%252Fdb",
                "u=mongodb%253A%252F%252Fapp%253A****%2540h%252Fdb",
            ),
        ] {
            assert_eq!(redact_text(text), want, "{text}");
        }
        // Left alone: a flag that prompts, prose, words that merely end in "pass".
        for text in [
            "mongosh --password --quiet",
            "mongosh -p",
            "bypass=true",
            "MongoDB Compass: connection failed",
            "mongodb%3A%2F%2Fapp%40host%2Fdb",
            "pass the URI with --uri",
        ] {
            assert_eq!(redact_text(text), text);
        }
    }

    #[test]
    fn find_uris_stops_at_whitespace_and_quotes() {
        let text = "a \"mongodb://h1,h2/db\" b mongodb+srv://c.example.com\nnext";
        let found: Vec<&str> = find_uris(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["mongodb://h1,h2/db", "mongodb+srv://c.example.com"]);
    }
}
