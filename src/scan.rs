//! `checklist --scan PATH`: finds MongoDB connection strings with an embedded
//! password in files, walking in parallel and honouring `.gitignore` (the
//! `ignore` crate, as ripgrep does). Hits are reported as `file:line` with the
//! secret already redacted: the password never leaves this module.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::{WalkBuilder, WalkState};
use regex::bytes::Regex;

/// Files larger than this are skipped (generated data, dumps, bundles).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One connection string with a password, found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// The connection string with its password replaced by `****`.
    pub redacted: String,
}

/// What a scan saw.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub roots: Vec<PathBuf>,
    pub files: usize,
    pub skipped_binary: usize,
    pub skipped_large: usize,
    pub unreadable: usize,
    /// Wall time of the walk.
    pub elapsed: std::time::Duration,
    /// Sorted by path, then line.
    pub hits: Vec<Hit>,
}

fn pattern() -> Regex {
    // Stops at whitespace, quotes and the usual delimiters of code and config.
    Regex::new(r#"mongodb(?:\+srv)?://[^\s"'`<>()\[\]{},;\\]+"#).expect("valid regex")
}

/// Scans every root; `.gitignore`, `.ignore` and git's exclude files are honoured
/// even outside a git repository; hidden files (`.env`) are scanned, `.git` is not.
pub fn scan(roots: &[PathBuf]) -> Scan {
    let mut out = Scan {
        roots: roots.to_vec(),
        ..Scan::default()
    };
    let started = std::time::Instant::now();
    let Some((first, rest)) = roots.split_first() else {
        return out;
    };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| entry.file_name() != ".git");

    let files = AtomicUsize::new(0);
    let binary = AtomicUsize::new(0);
    let large = AtomicUsize::new(0);
    let unreadable = AtomicUsize::new(0);
    let hits = Mutex::new(Vec::new());
    let regex = pattern();
    builder.build_parallel().run(|| {
        let regex = regex.clone();
        let (files, binary, large, unreadable, hits) =
            (&files, &binary, &large, &unreadable, &hits);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                unreadable.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            files.fetch_add(1, Ordering::Relaxed);
            if entry.metadata().is_ok_and(|m| m.len() > MAX_FILE_BYTES) {
                large.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            let Ok(bytes) = std::fs::read(entry.path()) else {
                unreadable.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            };
            if bytes.len() as u64 > MAX_FILE_BYTES {
                large.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            if memchr::memchr(0, &bytes).is_some() {
                binary.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            let found = scan_bytes(&regex, entry.path(), &bytes);
            if !found.is_empty() {
                hits.lock().expect("hits lock").extend(found);
            }
            WalkState::Continue
        })
    });
    out.files = files.into_inner();
    out.skipped_binary = binary.into_inner();
    out.skipped_large = large.into_inner();
    out.unreadable = unreadable.into_inner();
    out.hits = hits.into_inner().expect("hits lock");
    out.elapsed = started.elapsed();
    out.hits
        .sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    out
}

/// The hits in one file's contents.
fn scan_bytes(regex: &Regex, path: &Path, bytes: &[u8]) -> Vec<Hit> {
    // The common case, no scheme at all, costs one SIMD substring search.
    if memchr::memmem::find(bytes, b"mongodb").is_none() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    let mut line = 1;
    let mut counted_to = 0;
    for m in regex.find_iter(bytes) {
        let Ok(text) = std::str::from_utf8(m.as_bytes()) else {
            continue;
        };
        if !has_real_password(text) {
            continue;
        }
        line += memchr::memchr_iter(b'\n', &bytes[counted_to..m.start()]).count();
        counted_to = m.start();
        hits.push(Hit {
            path: path.to_path_buf(),
            line,
            redacted: crate::uri::redact_raw(text),
        });
    }
    hits
}

/// `scheme://user:password@host` with a password that is not a placeholder.
pub fn has_real_password(uri: &str) -> bool {
    let Some(rest) = uri.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let Some(at) = rest.rfind('@') else {
        return false;
    };
    let Some((_, password)) = rest[..at].split_once(':') else {
        return false;
    };
    !password.is_empty() && !is_placeholder(password)
}

/// Documentation and templates: `<password>`, `${DB_PASS}`, `$PW`, `{pw}`, `%s`, `****`, `xxx`.
fn is_placeholder(password: &str) -> bool {
    let p = password;
    p.starts_with(['<', '$', '{', '%'])
        || p.chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.')
        || p.eq_ignore_ascii_case("<password>")
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

    #[test]
    fn finds_hits_with_line_numbers_honours_gitignore_and_skips_binaries() {
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

        let scan = scan(&[root.to_path_buf()]);
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
        assert_eq!(
            found,
            [(".env".to_string(), 1), ("src/db.js".to_string(), 3)]
        );
        assert_eq!(scan.skipped_binary, 1);
        for hit in &scan.hits {
            assert!(!hit.redacted.contains(&pw), "{}", hit.redacted);
            assert!(hit.redacted.contains(":****@"), "{}", hit.redacted);
        }
    }
}
