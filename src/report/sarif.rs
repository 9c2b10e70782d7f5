//! `--report-file NAME.sarif`: the credential scan's findings as SARIF 2.1.0,
//! so GitHub code scanning shows each committed connection string at its file
//! and line. Only the redacted string is written: the password never is.
//!
//! One run, one rule (`no-committed-credentials`), one result per hit with a
//! physical location (`uri` relative to the scan's working directory, `startLine`).
//! When the scan did not run, the run says so in `invocations` instead of
//! pretending to have found nothing.

use serde::Serialize;

use crate::checklist::security::NO_COMMITTED_CREDENTIALS;
use crate::model::report::Report;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation<'a>; 1],
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: [Rule; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: TextRef<'a>,
}

#[derive(Serialize)]
struct TextRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: u32,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

/// A path as a SARIF `uri`: relative paths with `/` separators (code scanning
/// resolves them against the repository root), absolute ones as `file://` URIs;
/// characters a URI may not hold percent-encoded.
pub fn artifact_uri(path: &std::path::Path) -> String {
    use percent_encoding::{AsciiSet, CONTROLS};
    // Everything but unreserved characters and the path's own '/'.
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b'\\')
        .add(b']')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    // The path's own bytes (a name that is not UTF-8 keeps them, percent-encoded,
    // so the URI still points at the file; issue 21).
    #[cfg(unix)]
    let bytes: std::borrow::Cow<'_, [u8]> =
        std::borrow::Cow::Borrowed(std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()));
    #[cfg(not(unix))]
    let bytes: std::borrow::Cow<'_, [u8]> =
        std::borrow::Cow::Owned(path.to_string_lossy().replace('\\', "/").into_bytes());
    let absolute = bytes.starts_with(b"/");
    let mut relative: &[u8] = &bytes;
    while let Some(rest) = relative.strip_prefix(b"./") {
        relative = rest;
    }
    let encoded = percent_encoding::percent_encode(relative, SEGMENT).to_string();
    if absolute {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// Renders the scan of `report` as one SARIF 2.1.0 log.
pub fn render(report: &Report) -> String {
    let check = report
        .checks
        .iter()
        .find(|c| c.id == NO_COMMITTED_CREDENTIALS);
    let not_run = match (&report.scan, check) {
        (Some(_), _) => None,
        (None, Some(check)) => Some(check.summary.clone()),
        (None, None) => Some("the credential scan did not run".to_string()),
    };
    // A walk that stopped early ran, but did not see everything: say so.
    let truncated = report
        .scan
        .as_ref()
        .filter(|s| s.counts.truncated)
        .map(|_| {
            format!(
                "the walk stopped after {} entries: files past that point were not scanned",
                crate::walk::MAX_ENTRIES
            )
        });
    let results = report
        .scan
        .iter()
        .flat_map(|scan| &scan.hits)
        .map(|hit| SarifResult {
            rule_id: NO_COMMITTED_CREDENTIALS,
            rule_index: 0,
            level: "error",
            message: Text {
                text: format!(
                    "A MongoDB connection string with an embedded password: {}",
                    super::text::cap(&hit.redacted)
                ),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: artifact_uri(&hit.path),
                    },
                    region: Region {
                        start_line: hit.line.max(1),
                    },
                },
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "atlas-doctor",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: [Rule {
                        id: NO_COMMITTED_CREDENTIALS,
                        name: "NoCommittedCredentials",
                        short_description: Text {
                            text: "MongoDB connection string with an embedded password".into(),
                        },
                        full_description: Text {
                            text: "A mongodb:// or mongodb+srv:// connection string with a password is written in a file; anyone who can read the file or its history can log in.".into(),
                        },
                        help: Text {
                            text: "Rotate the exposed password now, remove it from the file (and from git history), and read the connection string from an environment variable or a secret store.".into(),
                        },
                        default_configuration: Configuration { level: "error" },
                    }],
                },
            },
            invocations: [Invocation {
                execution_successful: not_run.is_none(),
                tool_execution_notifications: not_run
                    .iter()
                    .chain(&truncated)
                    .map(|text| Notification {
                        level: "warning",
                        message: TextRef { text },
                    })
                    .collect(),
            }],
            results,
        }],
    };
    let mut out =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(
            artifact_uri(Path::new("./src/app config.js")),
            "src/app%20config.js"
        );
        assert_eq!(
            artifact_uri(Path::new("/srv/app/.env")),
            "file:///srv/app/.env"
        );
        assert_eq!(artifact_uri(Path::new("a#b.txt")), "a%23b.txt");
    }
}
