//! The data `wording` reads structure with: server error codes, OS socket and
//! resolver errors (numbers and messages in several languages), TLS alerts, and
//! the drivers' own error messages. The tables are data files under `data/`,
//! each entry with its source; this module only parses and indexes them.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use super::reading::{Reading, Tier, compile, names_atlas_or_no_host};
use crate::model::finding::Finding;

const SERVER_CODES: &str = include_str!("data/server_codes.tsv");
const OS_ERRORS: &str = include_str!("data/os_errors.tsv");
const TLS_ALERTS: &str = include_str!("data/tls_alerts.tsv");
const DRIVER_MESSAGES: &str = include_str!("data/driver_messages.tsv");

/// The data lines of a table: not blank, not a `#` comment, split on tabs.
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn finding(id: &str) -> Finding {
    Finding::from_id(id).unwrap_or_else(|| panic!("data table names unknown finding {id:?}"))
}

/// One server error code.
pub struct ServerCode {
    pub code: i32,
    pub name: &'static str,
    pub finding: Finding,
}

static CODES: LazyLock<Vec<ServerCode>> = LazyLock::new(|| {
    rows(SERVER_CODES)
        .map(|r| ServerCode {
            code: r[0].parse().expect("code number"),
            name: r[1],
            finding: finding(r[2]),
        })
        .collect()
});

/// One TLS alert.
pub struct Alert {
    pub code: u8,
    pub name: &'static str,
    pub openssl: &'static str,
    pub finding: Finding,
}

static ALERTS: LazyLock<Vec<Alert>> = LazyLock::new(|| {
    rows(TLS_ALERTS)
        .map(|r| Alert {
            code: r[0].parse().expect("alert number"),
            name: r[1],
            openssl: r[2],
            finding: finding(r[3]),
        })
        .collect()
});

/// What a TLS alert from a server means. Alert 80 (internal_error) is how Atlas
/// refuses an address outside its IP access list; from any other server it is
/// a TLS failure on the server's side. `atlas` is whether the server is Atlas
/// (known live from the host name or `--atlas`; in pasted text, an Atlas host
/// named or, when no host is named at all, the likelier case).
pub fn alert_finding(code: u8, atlas: bool) -> Finding {
    match alert(code).map(|a| a.finding) {
        Some(Finding::IpAccessListAlert) if !atlas => Finding::TlsAlert,
        Some(finding) => finding,
        None => Finding::TlsAlert,
    }
}

/// The IANA name of a TLS alert (`internal_error`), or `unknown alert`.
pub fn alert_name(code: u8) -> &'static str {
    alert(code).map_or("unknown alert", |a| a.name)
}

pub fn alert(code: u8) -> Option<&'static Alert> {
    ALERTS.iter().find(|a| a.code == code)
}

/// One OS error: platform, number, symbol, finding, and its message in one language.
pub struct OsError {
    pub platform: &'static str,
    pub number: i32,
    pub symbol: &'static str,
    pub finding: Finding,
    pub message: &'static str,
}

static OS: LazyLock<Vec<OsError>> = LazyLock::new(|| {
    rows(OS_ERRORS)
        .map(|r| OsError {
            platform: r[0],
            number: r[1].parse().expect("errno"),
            symbol: r[2],
            finding: finding(r[3]),
            message: r[5],
        })
        .collect()
});

/// One driver's error message template.
#[derive(Debug)]
pub struct Template {
    pub driver: &'static str,
    pub finding: Finding,
    pub message: &'static str,
    pub source: &'static str,
    /// The longest literal piece, lower case: what a text must contain.
    pub key: String,
    /// The whole message, its placeholders matching anything short: where the
    /// key is only a small part of the message (the C# driver's "The
    /// connection string '{}' is not valid." is found by "the connection
    /// string"), the rest must be there too.
    whole: Option<Regex>,
}

/// A key shorter than this share of a template's literal text is a phrase
/// other messages share ("the connection string"): the whole message must be
/// in the text for the template to read it.
const KEY_SHARE_ALONE: usize = 60;

/// The pattern of a whole template: its literal pieces in order, whitespace
/// as any whitespace, each placeholder as at most 300 characters of anything.
fn whole_pattern(message: &str) -> Regex {
    let pieces: Vec<String> = message
        .split("{}")
        .map(|p| {
            regex::escape(p.trim_matches(|c: char| " '\".:,;#".contains(c)))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect();
    RegexBuilder::new(&pieces.join(r"(?s:.{0,300}?)"))
        .case_insensitive(true)
        .build()
        .expect("a template compiles")
}

/// The shortest literal piece a template is matched by: shorter ones are words
/// any message may hold.
const MIN_KEY: usize = 16;

/// Every mined template, in table order.
pub static TEMPLATES: LazyLock<Vec<Template>> = LazyLock::new(|| {
    rows(DRIVER_MESSAGES)
        .filter_map(|r| {
            let key = r[2]
                .split("{}")
                .map(|p| p.trim_matches(|c: char| " '\".:,;#".contains(c)))
                .max_by_key(|p| p.len())?
                .to_ascii_lowercase();
            let literal: usize = r[2].split("{}").map(|p| p.trim().len()).sum();
            let whole = (key.len() * 100 < literal * KEY_SHARE_ALONE).then(|| whole_pattern(r[2]));
            (key.len() >= MIN_KEY).then(|| Template {
                driver: r[0],
                finding: finding(r[1]),
                message: r[2],
                source: r[3],
                key,
                whole,
            })
        })
        .collect()
});

/// The part of `text` at most `margin` bytes either side of `at`, on
/// character boundaries.
fn around(text: &str, at: std::ops::Range<usize>, margin: usize) -> &str {
    let mut start = at.start.saturating_sub(margin);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at.end + margin).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// A set of driver messages to read texts with: all of them, or (to measure
/// how `explain` does on messages it was not given) all but some.
pub struct Templates {
    chosen: Vec<&'static Template>,
    /// All keys in one case-insensitive alternation (the regex engine turns it
    /// into one Aho-Corasick scan), and which template each key belongs to.
    scan: Regex,
    index: HashMap<String, usize>,
}

impl Templates {
    /// The templates for which `keep` holds.
    pub fn only(keep: impl Fn(&Template) -> bool) -> Templates {
        let chosen: Vec<&'static Template> = TEMPLATES.iter().filter(|t| keep(t)).collect();
        let mut index = HashMap::new();
        let mut keys: Vec<&str> = Vec::new();
        for (i, t) in chosen.iter().enumerate() {
            if index.insert(t.key.clone(), i).is_none() {
                keys.push(&t.key);
            }
        }
        // Longest first, so that a key inside a longer key loses to it.
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        let pattern = if keys.is_empty() {
            // Matches nothing.
            r"[^\s\S]".to_string()
        } else {
            keys.iter()
                .map(|k| regex::escape(k))
                .collect::<Vec<_>>()
                .join("|")
        };
        let scan = RegexBuilder::new(&pattern)
            .case_insensitive(true)
            .unicode(false)
            .size_limit(1 << 24)
            .build()
            .expect("template keys compile");
        Templates {
            chosen,
            scan,
            index,
        }
    }

    /// Readings of the drivers' own messages found in `text`, in text order.
    pub fn readings(&self, text: &str) -> Vec<Reading> {
        self.scan
            .find_iter(text)
            .filter_map(|m| {
                let t = self.chosen[*self.index.get(&m.as_str().to_ascii_lowercase())?];
                if let Some(whole) = &t.whole
                    && !whole.is_match(around(text, m.range(), 1000))
                {
                    return None;
                }
                Some(Reading {
                    finding: t.finding,
                    rule: "driver_message",
                    tier: Tier::Template,
                    at: m.range(),
                    also_at: None,
                    also: Vec::new(),
                    note: None,
                    fix: None,
                    replaces_fixes: false,
                    disputed: false,
                    evidence: Some(format!(
                        "{} driver message \"{}\" ({})",
                        t.driver, t.message, t.source
                    )),
                })
            })
            .collect()
    }
}

/// All the mined templates, indexed once.
pub static ALL_TEMPLATES: LazyLock<Templates> = LazyLock::new(|| Templates::only(|_| true));

static SERVER_CODE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?:\bcode\W{0,4}|\berror code |\bfailed with error |\berror (?:code )?)(\d{1,5})\b")
});

/// A code name after `codeName`, in parentheses (`(AuthenticationFailed)`) or
/// in brackets, as mongosh prints it (`MongoServerError[NotYetInitialized]`).
static SERVER_CODE_NAME: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:codeName\W{0,4}|\(|\[|\bcode name\W{0,3})([A-Z][A-Za-z]{5,})\b"));

/// A reply's `code` number right beside its `codeName`, in either order.
static CODE_BESIDE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\bcode\W{0,4}(\d{1,5})\W{1,4}codeName\b|\bcodeName\W{0,4}[A-Za-z]+\W{1,4}code\W{0,4}(\d{1,5})\b",
    )
});

/// A code name that starts a line as an error's name ("NotPrimaryOrSecondary:
/// node is not in primary or recovering state"), as drivers and shells print it.
static SERVER_CODE_NAME_LEADING: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?m)^[ \t]*(?:[A-Za-z]+\.)*([A-Z][a-z]+[A-Z][A-Za-z]{3,}):"));

/// The server code written in the text, by number or by name.
pub fn written_server_code(text: &str) -> Option<i32> {
    server_code_hits(text).next().map(|(code, _)| code.code)
}

fn server_code_hits(
    text: &str,
) -> impl Iterator<Item = (&'static ServerCode, std::ops::Range<usize>)> {
    // A server's reply gives `code` beside `codeName`: when the text has such
    // a pair, another number is a wrapper's own (Parse Server's `"code":141`
    // around a server's `"code":11601,"codeName":"Interrupted"`), not the
    // server's. (The name alone cannot say: names change between releases.)
    let paired: Vec<i32> = CODE_BESIDE_NAME
        .captures_iter(text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2))?.as_str().parse().ok())
        .collect();
    let by_number = SERVER_CODE_NUMBER
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            let n: i32 = m.as_str().parse().ok()?;
            CODES.iter().find(|k| k.code == n).map(|k| (k, m.range()))
        })
        .filter(move |(k, _)| paired.is_empty() || paired.contains(&k.code));
    let by_name = SERVER_CODE_NAME.captures_iter(text).filter_map(|c| {
        let m = c.get(1)?;
        CODES
            .iter()
            .find(|k| k.name == m.as_str())
            .map(|k| (k, m.range()))
    });
    // Only CamelCase names (one word such as "Unauthorized:" may be anything's
    // heading), and exception class names such as SocketException are not
    // server code names.
    let by_leading = SERVER_CODE_NAME_LEADING
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            CODES
                .iter()
                .find(|k| {
                    k.name == m.as_str()
                        && k.name.chars().filter(char::is_ascii_uppercase).count() >= 2
                        && !k.name.ends_with("Exception")
                })
                .map(|k| (k, m.range()))
        });
    by_number.chain(by_name).chain(by_leading)
}

static OS_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\[WinError (\d{5})\]|\bWSA\w* ?\(?(\d{5})|SocketException \((\d{5})\)|\bos error (-?\d{1,5})\b|\[Errno (-?\d{1,5})\]|\berrno\W{0,4}?(-?\d{1,5})\b|\berror (1[01]\d{3})\b",
    )
});

/// OS messages in any language, longest first.
static OS_MESSAGE: LazyLock<(Regex, HashMap<String, Finding>)> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut messages: Vec<&str> = OS
        .iter()
        .filter(|e| e.message != "-" && e.message.chars().count() >= 10)
        .map(|e| {
            map.insert(e.message.to_lowercase(), e.finding);
            e.message
        })
        .collect();
    messages.sort_by_key(|m| std::cmp::Reverse(m.len()));
    messages.dedup();
    let pattern = messages
        .iter()
        .map(|m| regex::escape(m))
        .collect::<Vec<_>>()
        .join("|");
    let re = RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .build()
        .expect("OS messages compile");
    (re, map)
});

/// The OS error a number means: Windows' five-digit WSA numbers and libuv's
/// negative ones are unambiguous; otherwise Linux, then macOS numbers that do
/// not collide with a Linux network error.
fn os_error(number: i32) -> Option<&'static OsError> {
    let on = |platform: &str| {
        OS.iter()
            .find(move |e| e.platform == platform && e.number == number)
    };
    match number {
        n if n >= 10_000 => on("windows"),
        n if n <= -3000 => on("libuv"),
        _ => on("linux").or_else(|| on("macos")),
    }
}

/// Socket and resolver errors by name: POSIX, Winsock and getaddrinfo names;
/// .NET's `SocketError` member names; Erlang's inet atoms. Case matters.
static OS_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?P<posix>E[A-Z]{4,}|WSAE?[A-Z_]{4,}|EAI_[A-Z]+|ERROR_[A-Z_]+)(?-u:\b)|SocketError(?:Code)?\W{1,4}(?P<dotnet>[A-Z][A-Za-z]+)|(?:[\s(\[]:|\{:?(?:error|[a-z_]+_(?:failed|error)),\s*:?)(?P<erlang>[a-z]{4,})(?-u:\b)",
    )
    .expect("valid regex")
});

/// The OS error a symbol names, on the platforms that use that kind of name.
fn os_symbol(kind: &str, symbol: &str) -> Option<&'static OsError> {
    OS.iter().find(|e| {
        e.symbol == symbol
            && match kind {
                "dotnet" => e.platform == "dotnet",
                "erlang" => e.platform == "erlang",
                _ => !matches!(e.platform, "dotnet" | "erlang"),
            }
    })
}

static ALERT_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?:SSL |TLS )?alert (?:number )?(\d{1,3})\b"));

static ALERT_WORDS: LazyLock<(Regex, HashMap<String, u8>)> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    for a in ALERTS.iter() {
        if a.openssl != "-" {
            // "tlsv1 alert internal error" and its constant TLSV1_ALERT_INTERNAL_ERROR.
            let constant = a.openssl.replace(' ', "_");
            for w in [a.openssl.to_string(), constant] {
                map.insert(w.to_lowercase(), a.code);
                words.push(w);
            }
        }
        // Java's "fatal alert: unknown_ca"; Erlang/OTP's "{tls_alert,{unknown_ca,"
        // and "ALERT: Fatal - Unknown CA".
        for phrase in [
            format!("fatal alert: {}", a.name),
            format!("{{tls_alert,{{{}", a.name),
            format!("alert: fatal - {}", a.name.replace('_', " ")),
        ] {
            map.insert(phrase.clone(), a.code);
            words.push(phrase);
        }
    }
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let pattern = words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    let re = RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .unicode(false)
        .build()
        .expect("alert words compile");
    (re, map)
});

/// Readings of the numbers and system messages in `text`, in text order.
pub fn structure_readings(text: &str) -> Vec<Reading> {
    let mut out: Vec<Reading> = Vec::new();
    let mut push =
        |finding: Finding, rule: &'static str, at: std::ops::Range<usize>, evidence: String| {
            out.push(Reading {
                finding,
                rule,
                tier: Tier::Structure,
                at,
                also_at: None,
                also: Vec::new(),
                note: None,
                fix: None,
                replaces_fixes: false,
                disputed: false,
                evidence: Some(evidence),
            });
        };
    for (code, at) in server_code_hits(text) {
        push(
            code.finding,
            "server_code",
            at,
            format!("server error code {} ({})", code.code, code.name),
        );
    }
    for c in OS_NUMBER.captures_iter(text) {
        let Some(m) = c.iter().skip(1).flatten().next() else {
            continue;
        };
        if let Some(e) = m.as_str().parse().ok().and_then(os_error) {
            push(
                e.finding,
                "os_error",
                m.range(),
                format!("{} error {} ({})", e.platform, e.number, e.symbol),
            );
        }
    }
    for c in OS_SYMBOL.captures_iter(text) {
        let Some((kind, m)) = ["posix", "dotnet", "erlang"]
            .into_iter()
            .find_map(|k| Some((k, c.name(k)?)))
        else {
            continue;
        };
        if let Some(e) = os_symbol(kind, m.as_str()) {
            push(
                e.finding,
                "os_error",
                m.range(),
                format!("{} error {}", e.platform, e.symbol),
            );
        }
    }
    let (re, map) = &*OS_MESSAGE;
    for m in re.find_iter(text) {
        if let Some(&f) = map.get(&m.as_str().to_lowercase()) {
            push(
                f,
                "os_error",
                m.range(),
                format!("system message \"{}\"", m.as_str()),
            );
        }
    }
    let atlas = names_atlas_or_no_host(text);
    let alert_numbers = ALERT_NUMBER
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter_map(|m| Some((m.as_str().parse::<u8>().ok()?, m.range())));
    let (re, map) = &*ALERT_WORDS;
    let alert_words = re
        .find_iter(text)
        .filter_map(|m| Some((*map.get(&m.as_str().to_lowercase())?, m.range())));
    for (code, at) in alert_numbers.chain(alert_words) {
        if alert(code).is_some() {
            push(
                alert_finding(code, atlas),
                "tls_alert",
                at,
                format!("TLS alert {code} ({})", alert_name(code)),
            );
        }
    }
    out.sort_by_key(|r| r.at.start);
    out
}

/// The driver family a text was written by, from the names it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Node,
    Python,
    Java,
    Go,
    Rust,
    CSharp,
    Php,
    Ruby,
    Shell,
}

static FAMILIES: LazyLock<Vec<(Family, Regex)>> = LazyLock::new(|| {
    [
        (Family::Shell, r"MongoDB shell version|mongosh|src/mongo/shell"),
        (Family::Python, r#"pymongo|\bmotor\b|mongoengine|Traceback \(most recent call last\)|\.py", line|_ssl\.c"#),
        (Family::Java, r"com\.mongodb|\bjavax?\.|\.java:\d+|springframework"),
        (Family::CSharp, r"MongoDB\.Driver|System\.[A-Za-z.]*Exception|\.cs:line"),
        (Family::Php, r"MongoDB\\Driver|\.php\b|laravel"),
        (Family::Ruby, r"Mongo::|\.rb:\d+|Mongoid|Moped::"),
        (Family::Go, r"go\.mongodb\.org|mongo-go-driver|server selection error|connection\(\) error|\bgoroutine\b"),
        (Family::Rust, r"\bKind: |ErrorKind::|mongodb::error"),
        (Family::Node, r"node_modules|MongoServerSelectionError|MongoNetworkError|MongoParseError|MongooseServerSelectionError|MongoServerError|TLSSocket|\bquery(?:Srv|Txt)\b|getaddrinfo E|node:internal"),
    ]
    .into_iter()
    .map(|(f, p)| (f, compile(p)))
    .collect()
});

/// Which driver family wrote `text`, when its names say so.
pub fn driver_family(text: &str) -> Option<Family> {
    FAMILIES
        .iter()
        .find(|(_, re)| re.is_match(text))
        .map(|(f, _)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_name_known_findings() {
        assert!(CODES.len() >= 30);
        assert!(
            CODES
                .iter()
                .any(|c| c.code == 18 && c.name == "AuthenticationFailed")
        );
        assert_eq!(alert(80).unwrap().name, "internal_error");
        assert!(
            OS.iter()
                .any(|e| e.platform == "windows" && e.number == 10061)
        );
        assert!(TEMPLATES.len() >= 200, "{} templates", TEMPLATES.len());
        for t in TEMPLATES.iter() {
            assert!(t.source.contains('@'), "{} has no commit", t.message);
            assert!(
                [
                    "python",
                    "node",
                    "java",
                    "go",
                    "rust",
                    "csharp",
                    "ruby",
                    "c",
                    "php",
                    "swift",
                    "kotlin",
                    "scala",
                    "cpp",
                    "elixir",
                    "mongoose",
                    "mongoid",
                    "mongoengine",
                    "beanie",
                    "dart",
                    "spring",
                    "prisma",
                    "perl",
                    "deno",
                    "erlang",
                    "shell",
                    "server"
                ]
                .contains(&t.driver)
            );
        }
    }

    #[test]
    fn os_errors_read_by_number_and_in_other_languages() {
        let cases = [
            (
                "[WinError 10061] Es konnte keine Verbindung hergestellt werden",
                Finding::TcpRefused,
            ),
            ("由于目标计算机积极拒绝，无法连接。", Finding::TcpRefused),
            ("errno: -4039, code: 'ETIMEDOUT'", Finding::NetworkTimeout),
            ("[Errno 60] Operation timed out", Finding::NetworkTimeout),
            ("(os error 111)", Finding::TcpRefused),
            (
                "SocketException (11001): Der angegebene Host ist unbekannt.",
                Finding::DnsNoSuchName,
            ),
        ];
        for (text, finding) in cases {
            let r = structure_readings(text);
            assert!(r.iter().any(|r| r.finding == finding), "{text}: {r:?}");
        }
    }

    #[test]
    fn r22_3_socket_errors_are_read_by_name_on_every_platform() {
        let cases = [
            // By name: .NET's SocketError, Erlang's atoms, Winsock and POSIX names.
            (
                "System.Net.Sockets.SocketException: SocketErrorCode: TimedOut",
                Finding::NetworkTimeout,
            ),
            (
                "localhost:27017 tcp connect: connection refused - :econnrefused",
                Finding::TcpRefused,
            ),
            ("{error,etimedout}", Finding::NetworkTimeout),
            (
                "db.example.test tcp connect: non-existing domain - :nxdomain",
                Finding::DnsNoSuchName,
            ),
            ("WSAEHOSTUNREACH", Finding::NetworkUnreachable),
            (
                "connect EHOSTDOWN 10.0.0.7:27017",
                Finding::NetworkUnreachable,
            ),
        ];
        for (text, finding) in cases {
            let r = structure_readings(text);
            assert!(r.iter().any(|r| r.finding == finding), "{text}: {r:?}");
        }
        // An unknown name, a lower-case word after a colon: nothing.
        assert!(structure_readings("ERRORS: :fine").is_empty());
    }

    #[test]
    fn leading_code_names_and_erlang_alerts_are_read() {
        let finding = |text: &str| structure_readings(text).first().map(|r| r.finding);
        assert_eq!(
            finding("NotPrimaryOrSecondary: node is not in primary or recovering state"),
            Some(Finding::NoPrimary)
        );
        // A wrapper's own number beside the server's codeName is not read.
        assert_eq!(
            finding(
                r#"{"code":141,"message":{"errmsg":"Interrupted by the host","code":11601,"codeName":"Interrupted"}}"#
            ),
            None
        );
        assert_eq!(
            finding(r#"{"ok":0,"errmsg":"bad","code":18,"codeName":"AuthenticationFailed"}"#),
            Some(Finding::AuthFailed)
        );
        // mongosh puts the code name in brackets after the error's class.
        assert_eq!(
            finding("MongoServerError[NotYetInitialized]: no replset config has been received"),
            Some(Finding::NoPrimary)
        );
        // A bracketed word that is no code name reads nothing.
        assert_eq!(finding("[Application] failed"), None);
        // One capitalised word or an exception class is not a code name.
        assert_eq!(finding("Unauthorized: see the docs"), None);
        assert!(
            !structure_readings("SocketException: No such host is known")
                .iter()
                .any(|r| r.finding == Finding::ClosedWithoutReply)
        );
        assert_eq!(
            finding("{tls_alert,{unknown_ca,\"TLS client: In state certify\"}}"),
            alert(48).map(|a| a.finding)
        );
        assert_eq!(
            finding("generated CLIENT ALERT: Fatal - Unknown CA"),
            alert(48).map(|a| a.finding)
        );
    }

    #[test]
    fn driver_messages_and_families_are_recognised() {
        let r = ALL_TEMPLATES.readings("pymongo.errors.InvalidURI: Bad database name \"a b\"");
        assert_eq!(r[0].finding, Finding::UriMalformed);
        let r = super::super::best(
            ALL_TEMPLATES.readings("error parsing uri: unescaped @ sign in user info"),
        );
        assert_eq!(r.unwrap().finding, Finding::UriUnescapedCharacter);
        // The Rust driver's words, mined like the others.
        let r = super::super::best(ALL_TEMPLATES.readings(
            "Kind: An invalid argument was provided: a port cannot be specified with 'mongodb+srv', labels: {}",
        ));
        assert_eq!(r.unwrap().finding, Finding::UriSrvWithPort);
        assert_eq!(
            driver_family("pymongo.errors.ServerSelectionTimeoutError"),
            Some(Family::Python)
        );
        assert_eq!(
            driver_family("at Object.<anonymous> (C:\\app\\node_modules\\x.js:1:1)"),
            Some(Family::Node)
        );
        assert_eq!(
            driver_family("com.mongodb.MongoTimeoutException"),
            Some(Family::Java)
        );
        assert_eq!(driver_family("plain words"), None);
    }

    #[test]
    fn r22_1_mongosh_spring_odm_php_swift_dart_elixir_prisma_and_java_3_messages_are_mined() {
        let cases = [
            (
                "MongoshInvalidInputError: [COMMON-10001] If a full URI is provided, you cannot also specify --host or --port",
                Finding::UriInvalidOption,
            ),
            (
                "java.lang.IllegalStateException: Invalid mongo configuration, either uri or host/port/credentials/replicaSet must be specified",
                Finding::UriInvalidOption,
            ),
            (
                "java.lang.IllegalArgumentException: Database name must only contain letters, numbers, underscores and dashes!",
                Finding::UriMalformed,
            ),
            (
                "beanie.exceptions.CollectionWasNotInitialized",
                Finding::ConfigMissingValue,
            ),
            (
                "com.mongodb.MongoSocketReadException: Prematurely reached end of stream",
                Finding::ClosedWithoutReply,
            ),
            (
                "MongoDB\\Driver\\Exception\\InvalidArgumentException: Primary read preference mode conflicts with tags",
                Finding::UriInvalidOption,
            ),
            (
                "MongoshInvalidInputError: Invalid connection information: Password specified but no username provided",
                Finding::UriMalformed,
            ),
            (
                "MongoSwift.MongoError.InvalidArgumentError(message: \"Only a single host identifier may be specified in a mongodb+srv connection string\")",
                Finding::UriSrvMultipleHosts,
            ),
            (
                "InvalidArgumentError: The user information and host information in the connection string must not contain unescaped @ symbols",
                Finding::UriUnescapedCharacter,
            ),
            (
                "MongoDartError: DNS data is not correct (missing SRV detail)",
                Finding::DnsNoRecords,
            ),
            (
                "Unhandled exception: MongoDart Error: No master connection",
                Finding::NoPrimary,
            ),
            (
                "Error: P1010: User `app` was denied access on the database `shop`",
                Finding::Unauthorized,
            ),
            (
                "PrismaClientInitializationError: Error opening a TLS connection: bad certificate format",
                Finding::TlsHandshakeFailed,
            ),
        ];
        for (text, finding) in cases {
            let r = super::super::best(ALL_TEMPLATES.readings(text));
            assert_eq!(r.map(|r| r.finding), Some(finding), "{text}");
        }
    }
}
