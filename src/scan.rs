//! `checklist --scan PATH`: finds MongoDB connection strings with an embedded
//! password in files, walking in parallel and honouring `.gitignore` (the
//! `ignore` crate, as ripgrep does). Hits are reported as `file:line` with the
//! secret already redacted: the password never leaves this module.
//!
//! The walk (`walk`) stays on one filesystem unless asked, reads only regular
//! files (never a FIFO, device or socket; `/proc/kmsg` fails instead of
//! blocking), and stops after `MAX_ENTRIES` entries, so `--scan /proc` or
//! `--scan /` ends. Connection strings are found as written in
//! any case (`MONGODB://`), JSON-escaped (`mongodb:\/\/`), URL-encoded
//! (`mongodb%3A%2F%2F`) and base64-encoded (a Kubernetes secret).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use regex::bytes::Regex;

use crate::uri::userinfo::{Reading, credentials_end};

use crate::model::scan::{DEADLINE, Hit, MAX_HITS, MAX_HITS_PER_FILE, Scan};

/// Where a connection string starts: the scheme in any case, written plainly,
/// JSON-escaped (`mongodb:\/\/`) or URL-encoded (`mongodb%3A%2F%2F`).
fn scheme_pattern() -> Regex {
    Regex::new(r"(?i)mongodb(?:\+srv|%2bsrv)?(?::|%3a)(?:/|\\/|%2f){2}").expect("valid regex")
}

/// Where a connection string ends in code and config: whitespace, quotes and
/// the usual delimiters.
fn is_token_end(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b'<'
                | b'>'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b','
                | b';'
        )
}

/// What base64 of "mongodb" contains at each of the three alignments.
const BASE64_SIGNATURES: [&[u8]; 3] = [b"bW9uZ29kY", b"1vbmdvZG", b"tb25nb2Ri"];

/// Scans every root (see `walk::walk`: `.gitignore` honoured, hidden files
/// such as `.env` scanned, `.git` not, one filesystem unless `cross_filesystems`).
pub fn scan(roots: &[PathBuf], cross_filesystems: bool) -> Scan {
    scan_until(
        roots,
        cross_filesystems,
        std::time::Instant::now() + DEADLINE,
    )
}

/// [`scan`] that stops walking at `deadline`.
pub fn scan_until(
    roots: &[PathBuf],
    cross_filesystems: bool,
    deadline: std::time::Instant,
) -> Scan {
    let started = std::time::Instant::now();
    let hits = Mutex::new((Vec::new(), 0usize));
    let regex = scheme_pattern();
    let options = crate::walk::Options {
        cross_filesystems,
        deadline: Some(deadline),
        // A connection string is found in any bytes; a NUL does not hide it.
        binaries: true,
    };
    let counts = crate::walk::walk_with(roots, options, &|_| true, || {
        let (regex, hits) = (regex.clone(), &hits);
        move |path: &Path, bytes: &[u8]| {
            let decoded = utf16_text(bytes);
            let mut found = scan_bytes(&regex, path, decoded.as_deref().unwrap_or(bytes));
            if found.is_empty() {
                return;
            }
            let mut hits = hits.lock().expect("hits lock");
            let (kept, omitted) = &mut *hits;
            let room = MAX_HITS_PER_FILE.min(MAX_HITS.saturating_sub(kept.len()));
            if found.len() > room {
                *omitted += found.len() - room;
                found.truncate(room);
            }
            kept.extend(found);
        }
    });
    let (mut hits, hits_omitted) = hits.into_inner().expect("hits lock");
    hits.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    Scan {
        roots: roots.to_vec(),
        counts,
        hits_omitted,
        elapsed: started.elapsed(),
        hits,
    }
}

/// A UTF-16 file (with its byte order mark: Windows PowerShell 5 writes `.env`
/// files so) as UTF-8 bytes; `None` for any other file.
fn utf16_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        if little {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
            .into_bytes(),
    )
}

/// The hits in one file's contents: connection strings as written or escaped,
/// then those inside base64 runs.
fn scan_bytes(regex: &Regex, path: &Path, bytes: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let line_of = |offset: usize| 1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count();
    for (offset, shown) in find_in(regex, bytes) {
        hits.push(Hit {
            path: path.to_path_buf(),
            line: line_of(offset),
            redacted: shown,
        });
    }
    for (start, end) in base64_runs(bytes) {
        let Some(decoded) = crate::redact::decode_base64(&bytes[start..end]) else {
            continue;
        };
        // One level only: base64 inside base64 is not followed.
        for (_, shown) in find_in(regex, &decoded) {
            hits.push(Hit {
                path: path.to_path_buf(),
                line: line_of(start),
                redacted: format!("{shown} (base64-encoded in the file)"),
            });
        }
    }
    hits.sort_by_key(|h| h.line);
    hits
}

/// Every connection string with a real password in `bytes`: its offset and
/// its redacted form (saying how it was encoded, when it was).
fn find_in(regex: &Regex, bytes: &[u8]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(m) = regex.find_at(bytes, from) {
        let end = bytes[m.end()..]
            .iter()
            .position(|&b| is_token_end(b))
            .map_or(bytes.len(), |i| m.end() + i);
        from = end.max(m.end());
        let Ok(token) = std::str::from_utf8(&bytes[m.start()..end]) else {
            continue;
        };
        let scheme = &token[..m.end() - m.start()];
        let (uri, how) = if scheme.contains('%') {
            let decoded = percent_encoding::percent_decode_str(token)
                .decode_utf8_lossy()
                .into_owned();
            (decoded, " (URL-encoded in the file)")
        } else if scheme.contains('\\') {
            (token.replace("\\/", "/"), " (JSON-escaped in the file)")
        } else {
            (token.to_string(), "")
        };
        // A backslash left over ends the string (an escaped quote or newline).
        let uri = uri.split('\\').next().unwrap_or_default();
        if has_real_password(uri) {
            found.push((m.start(), format!("{}{how}", crate::uri::redact_raw(uri))));
        }
    }
    found
}

/// The runs of base64 characters (standard or URL-safe) that hold a
/// signature of "mongodb" at some alignment.
fn base64_runs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let is_b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for signature in BASE64_SIGNATURES {
        for at in memchr::memmem::find_iter(bytes, signature) {
            if runs.iter().any(|&(s, e)| (s..e).contains(&at)) {
                continue;
            }
            let start = bytes[..at]
                .iter()
                .rposition(|&b| !is_b64(b))
                .map_or(0, |i| i + 1);
            let end = bytes[at..]
                .iter()
                .position(|&b| !is_b64(b))
                .map_or(bytes.len(), |i| at + i);
            runs.push((start, end));
        }
    }
    runs
}

/// `scheme://user:password@host` with a password that is not a placeholder.
pub fn has_real_password(uri: &str) -> bool {
    let Some(rest) = uri.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let Some(at) = credentials_end(rest, Reading::LastAt) else {
        return false;
    };
    let Some((_, password)) = rest[..at].split_once(':') else {
        return false;
    };
    !password.is_empty() && !is_placeholder(password)
}

/// Documentation and templates: `<password>`, `${DB_PASS}`, `$PW`, `{pw}`, `%s`, `****`,
/// `xxx`, and the words docs write where a password goes (`user:password@`,
/// `username:pass@`, `your_password`, `[password]`).
fn is_placeholder(password: &str) -> bool {
    const WORDS: [&str; 10] = [
        "password",
        "pass",
        "passwd",
        "pwd",
        "pw",
        "secret",
        "user",
        "username",
        "yourpassword",
        "dbpassword",
    ];
    let p = password;
    let word: String = p
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '[' | ']' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    p.starts_with(['<', '$', '{', '%'])
        || p.chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.')
        || WORDS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret_uri(user: &str, pw: &str) -> String {
        // Built at run time: no real-looking credential is committed.
        format!("mongodb+srv://{user}:{pw}@cluster0.example.net/app")
    }

    #[test]
    fn placeholders_are_not_credentials() {
        assert!(has_real_password(&secret_uri("app", &"k".repeat(14))));
        for pw in [
            "<password>",
            "${DB_PASSWORD}",
            "$PW",
            "{pw}",
            "%s",
            "****",
            "xxxx",
        ] {
            assert!(!has_real_password(&secret_uri("app", pw)), "{pw}");
        }
        assert!(!has_real_password("mongodb://app@host/"));
        assert!(!has_real_password("mongodb://host:27017/"));
    }

    /// Issue 20 item 12: the docs line `mongodb://user:password@host/db` was flagged
    /// as a committed credential: the words docs put where a password goes are not secrets.
    #[test]
    fn r20_12_placeholder_words_are_not_committed_credentials() {
        for (user, pw) in [
            ("user", "password"),
            ("username", "pass"),
            ("app", "PASSWORD"),
            ("app", "[password]"),
            ("app", "your_password"),
            ("user", "user"),
        ] {
            assert!(!has_real_password(&secret_uri(user, pw)), "{user}:{pw}");
        }
        assert!(has_real_password(&secret_uri("user", "password1")));
        assert!(has_real_password(&secret_uri("user", "hunter2")));
    }

    /// Issue 15 item 14: the scan missed upper case, JSON-escaped, URL-encoded and
    /// base64 forms.
    #[test]
    fn r15_finds_encoded_and_upper_case_connection_strings() {
        use base64::Engine as _;
        let pw = format!("Zq{}", "8".repeat(12));
        let plain = secret_uri("app", &pw);
        let upper = plain.replace("mongodb+srv", "MONGODB+SRV");
        let json = plain.replace('/', "\\/");
        let url: String =
            percent_encoding::utf8_percent_encode(&plain, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let b64 =
            base64::engine::general_purpose::STANDARD.encode(format!("MONGODB_URI={plain}\n"));
        let b64_aligned = base64::engine::general_purpose::STANDARD.encode(&plain);
        let text = format!(
            "a = \"{upper}\"\n{{\"uri\": \"{json}\"}}\nurl={url}\nsecret: {b64}\nother: {b64_aligned}\nfine = mongodb://app@h/\n"
        );
        let hits = scan_bytes(&scheme_pattern(), Path::new("f"), text.as_bytes());
        let lines: Vec<usize> = hits.iter().map(|h| h.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5], "{hits:#?}");
        for hit in &hits {
            assert!(!hit.redacted.contains(&pw), "{}", hit.redacted);
            assert!(hit.redacted.contains(":****@"), "{}", hit.redacted);
        }
        assert!(hits[1].redacted.ends_with("(JSON-escaped in the file)"));
        assert!(hits[2].redacted.ends_with("(URL-encoded in the file)"));
        assert!(hits[3].redacted.ends_with("(base64-encoded in the file)"));
    }

    /// Issue 11 item 5: FIFOs and empty (pseudo filesystem) files are never opened.
    #[test]
    fn r11_special_files_are_skipped_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("fifo"))
            .status()
            .unwrap();
        assert!(made.success());
        std::fs::write(dir.path().join("empty"), "").unwrap();
        std::fs::write(
            dir.path().join("app.env"),
            secret_uri("app", &"k".repeat(14)),
        )
        .unwrap();
        let scan = scan(&[dir.path().to_path_buf()], false);
        assert_eq!(
            (
                scan.counts.files,
                scan.counts.skipped_special,
                scan.hits.len()
            ),
            (1, 2, 1)
        );
        assert!(!scan.counts.truncated);
    }

    #[test]
    fn finds_hits_with_line_numbers_honours_gitignore_and_reads_files_holding_a_nul() {
        let dir = tempfile::tempdir().unwrap();
        let pw = format!("Zq{}", "9".repeat(12));
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("src/db.js"),
            format!(
                "// db\nconst a = 1;\nconst uri = \"{}\";\n",
                secret_uri("app", &pw)
            ),
        )
        .unwrap();
        std::fs::write(
            root.join(".env"),
            format!("MONGODB_URI={}\n", secret_uri("u", &pw)),
        )
        .unwrap();
        std::fs::write(root.join(".gitignore"), "ignored.txt\n").unwrap();
        std::fs::write(root.join("ignored.txt"), secret_uri("u", &pw)).unwrap();
        let mut binary = secret_uri("u", &pw).into_bytes();
        binary.push(0);
        std::fs::write(root.join("blob.bin"), binary).unwrap();
        std::fs::write(root.join("README.md"), secret_uri("u", "<password>")).unwrap();

        let scan = scan(&[root.to_path_buf()], false);
        let found: Vec<_> = scan
            .hits
            .iter()
            .map(|h| {
                (
                    h.path.strip_prefix(root).unwrap().display().to_string(),
                    h.line,
                )
            })
            .collect();
        // A NUL does not hide a connection string (issue 21 item 7: such files were
        // skipped as binary and the check passed).
        assert_eq!(
            found,
            [
                (".env".to_string(), 1),
                ("blob.bin".to_string(), 1),
                ("src/db.js".to_string(), 3)
            ]
        );
        assert_eq!(scan.counts.skipped_binary, 0);
        for hit in &scan.hits {
            assert!(!hit.redacted.contains(&pw), "{}", hit.redacted);
            assert!(hit.redacted.contains(":****@"), "{}", hit.redacted);
        }
    }

    /// Issue 21 items 2 and 7: a UTF-16 `.env` (Windows PowerShell 5's default) was
    /// skipped as binary; a tree dense with connection strings kept every hit (20 MB of
    /// input gave a 509 MB SARIF file and 1.2 GB of memory).
    #[test]
    fn r21_utf16_files_are_read_and_hits_are_capped_per_file_and_in_all() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let line = format!("MONGODB_URI={}\r\n", secret_uri("app", &"k".repeat(14)));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(line.encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(root.join(".env"), utf16).unwrap();
        let found = scan(&[root.to_path_buf()], false);
        assert_eq!(found.hits.len(), 1, "{found:?}");
        assert_eq!(found.hits[0].line, 1);
        let dense = format!("{}\n", secret_uri("app", &"k".repeat(14))).repeat(500);
        for i in 0..60 {
            std::fs::write(root.join(format!("dense{i}.txt")), &dense).unwrap();
        }
        let scan = scan(&[root.to_path_buf()], false);
        assert_eq!(scan.hits.len(), MAX_HITS);
        assert_eq!(scan.hits_omitted, 1 + 60 * 500 - MAX_HITS);
        let per_file = scan
            .hits
            .iter()
            .filter(|h| h.path.ends_with("dense0.txt"))
            .count();
        assert!(per_file <= MAX_HITS_PER_FILE, "{per_file}");
    }

    /// Issue 21 item 2: the scan has a deadline of its own.
    #[test]
    fn r21_a_scan_past_its_deadline_stops_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "text").unwrap();
        let scan = scan_until(
            &[dir.path().to_path_buf()],
            false,
            std::time::Instant::now(),
        );
        assert!(scan.counts.timed_out);
        assert_eq!(scan.counts.read, 0);
    }
}
