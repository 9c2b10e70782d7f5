//! Renders `atlas-doctor explain` for people and for machines.
//!
//! `--format json` prints exactly one object:
//!
//! ```json
//! {"schema_version": 1, "tool_version": "0.1.0", "command": "explain",
//!  "class": "ip_access_list", "exit_code": 13,
//!  "diagnosis": {"reason": "ip_access_list", "summary": "...", "causes": ["..."],
//!                "fixes": ["..."], "evidence": ["rule: tls_alert_80_atlas"]},
//!  "matched": ["tlsv1 alert internal error"], "alternatives": [],
//!  "decidable": true, "candidates": [], "errors": []}
//! ```
//! `diagnosis.reason` is null and `class` is `unknown` when nothing matched.
//! `alternatives` holds the ids of other findings the text may also mean.
//! `decidable` is false when the text cannot tell the cause (a bare server
//! selection timeout): `class` is then the likeliest of `candidates`, listed in
//! order as `{"class", "reason", "why"}`. `errors` lists the distinct errors of a
//! pasted log as `{"class", "reason", "matched", "root"}`, `root` marking the one
//! that decided (the first in time). `exit_code` is the class's code, though
//! `explain` itself exits 0 when it produced a diagnosis. Keys are only ever
//! added.

use std::fmt::Write as _;

use serde::Serialize;

use super::human::{Width, wrap};
use super::style::{Palette, Tone};
use super::text::{self, terminal};
use crate::explain::Explanation;
use crate::model::class::Class;
use crate::model::verdict::Diagnosis;

/// The JSON schema version of `explain`'s output.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonExplain<'a> {
    schema_version: u32,
    tool_version: &'static str,
    command: &'static str,
    class: Class,
    exit_code: u8,
    diagnosis: &'a Diagnosis,
    matched: &'a [String],
    alternatives: Vec<&'static str>,
    decidable: bool,
    candidates: Vec<JsonCandidate>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonCandidate {
    class: Class,
    reason: &'static str,
    why: String,
}

#[derive(Serialize)]
struct JsonError<'a> {
    class: Class,
    reason: &'static str,
    matched: &'a str,
    root: bool,
}

/// One JSON object and a newline.
pub fn json(e: &Explanation) -> String {
    let value = JsonExplain {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        command: "explain",
        class: e.class(),
        exit_code: e.class().exit_code(),
        diagnosis: &e.diagnosis,
        matched: &e.matched,
        alternatives: e.alternatives.iter().map(|f| f.id()).collect(),
        decidable: e.decidable,
        candidates: e
            .candidates
            .iter()
            .map(|c| JsonCandidate {
                class: c.finding.class(),
                reason: c.finding.id(),
                why: c.why.clone(),
            })
            .collect(),
        errors: e
            .errors
            .iter()
            .map(|s| JsonError {
                class: s.finding.class(),
                reason: s.finding.id(),
                matched: &s.matched,
                root: s.root,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&value)
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
    out.push('\n');
    out
}

/// The explanation for a person: class and summary first, then the ranked
/// causes, the fixes, the fragments that decided it, and the evidence.
pub fn human(e: &Explanation, palette: &Palette, width: Width) -> String {
    let mut out = String::new();
    let (word, tone) = if e.class() == Class::Unknown {
        ("UNKNOWN", Tone::Warn)
    } else {
        ("FAIL", Tone::Fail)
    };
    let reason = e
        .diagnosis
        .finding
        .map(|f| {
            format!(
                "  {}",
                palette.paint(Tone::Dim, &format!("(reason: {})", f.id()))
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {}{reason}",
        palette.paint(tone, word),
        palette.paint(Tone::Bold, e.class().as_str())
    );
    let _ = writeln!(
        out,
        "  {}",
        wrap(&terminal(&e.diagnosis.summary), width, 2, 2)
    );

    if !e.decidable {
        numbered(
            &mut out,
            *palette,
            "The text cannot decide; possible causes, likeliest first",
            &candidate_lines(e),
            width,
        );
    }
    if !e.errors.is_empty() {
        bulleted(
            &mut out,
            *palette,
            "Errors in this log (the first in time decides)",
            &error_lines(e),
            width,
        );
    }
    numbered(
        &mut out,
        *palette,
        "Likely causes",
        &e.diagnosis.causes,
        width,
    );
    bulleted(&mut out, *palette, "What to do", &e.diagnosis.fixes, width);
    if !e.matched.is_empty() {
        let quoted: Vec<String> = e.matched.iter().map(|m| format!("\"{m}\"")).collect();
        bulleted(&mut out, *palette, "Matched", &quoted, width);
    }
    bulleted(&mut out, *palette, "Evidence", &e.diagnosis.evidence, width);
    out
}

/// `class (reason): why` per candidate of an undecidable text.
fn candidate_lines(e: &Explanation) -> Vec<String> {
    e.candidates
        .iter()
        .map(|c| format!("{} ({}): {}", c.finding.class(), c.finding.id(), c.why))
        .collect()
}

/// `class (reason): "fragment"` per distinct error of a log, the root marked.
fn error_lines(e: &Explanation) -> Vec<String> {
    e.errors
        .iter()
        .map(|s| {
            format!(
                "{} ({}): \"{}\"{}",
                s.finding.class(),
                s.finding.id(),
                s.matched,
                if s.root { "  <- verdict" } else { "" }
            )
        })
        .collect()
}

fn heading(out: &mut String, palette: Palette, title: &str) {
    let _ = writeln!(out, "\n{}", palette.paint(Tone::Bold, title));
}

fn numbered(out: &mut String, palette: Palette, title: &str, lines: &[String], width: Width) {
    if lines.is_empty() {
        return;
    }
    heading(out, palette, title);
    for (i, line) in lines.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", i + 1, wrap(&terminal(line), width, 5, 5));
    }
}

fn bulleted(out: &mut String, palette: Palette, title: &str, lines: &[String], width: Width) {
    if lines.is_empty() {
        return;
    }
    heading(out, palette, title);
    for line in lines {
        let _ = writeln!(out, "  - {}", wrap(&terminal(line), width, 4, 4));
    }
}

/// Markdown for a support ticket: the pasted error quoted (redacted, capped),
/// then the same content as `human`, every line escaped.
pub fn markdown(e: &Explanation, pasted: &str) -> String {
    let mut out = String::from("# atlas-doctor explain\n\n");
    let reason = e.diagnosis.finding.map_or("none", |f| f.id());
    let _ = writeln!(out, "- **Class:** `{}` (reason `{reason}`)", e.class());
    let _ = writeln!(out, "- **Tool version:** {}\n", env!("CARGO_PKG_VERSION"));
    let quoted = crate::redact::redact_text(pasted);
    if !quoted.trim().is_empty() {
        let _ = writeln!(out, "### The error (redacted)\n");
        out.push_str(&text::markdown_block(&quoted));
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "**{}**",
        text::markdown_with_code(&e.diagnosis.summary)
    );
    let candidates = candidate_lines(e);
    let errors = error_lines(e);
    // Our own sentences keep their code spans; what came from the text is escaped whole.
    let ours: fn(&str) -> String = text::markdown_with_code;
    let quoted: fn(&str) -> String = text::markdown;
    for (title, lines, escape) in [
        ("The text cannot decide: possible causes", &candidates, ours),
        (
            "Errors in this log (the first in time decides)",
            &errors,
            quoted,
        ),
        ("Likely causes", &e.diagnosis.causes, ours),
        ("What to do", &e.diagnosis.fixes, ours),
        ("Matched in the text", &e.matched, quoted),
        ("Evidence", &e.diagnosis.evidence, quoted),
    ] {
        super::markdown::list(&mut out, title, lines, escape);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::explain;

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let e = explain("MongoServerError: bad auth : Authentication failed.");
        let value: serde_json::Value = serde_json::from_str(&json(&e)).unwrap();
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "alternatives",
                "candidates",
                "class",
                "command",
                "decidable",
                "diagnosis",
                "errors",
                "exit_code",
                "matched",
                "schema_version",
                "tool_version"
            ]
        );
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["command"], "explain");
        assert_eq!(value["class"], "auth_failed");
        assert_eq!(value["diagnosis"]["reason"], "auth_failed_atlas");
        for key in ["summary", "causes", "fixes", "evidence"] {
            assert!(
                value["diagnosis"].get(key).is_some(),
                "diagnosis.{key} missing"
            );
        }
        assert_eq!(value["matched"][0], "bad auth");
        assert_eq!(value["exit_code"], 16);
        assert_eq!(value["decidable"], true);
        assert_eq!(value["candidates"], serde_json::json!([]));
    }

    #[test]
    fn json_says_what_the_text_cannot_decide_with_ordered_candidates() {
        let e = explain("MongoServerSelectionError: Server selection timed out after 30000 ms");
        let value: serde_json::Value = serde_json::from_str(&json(&e)).unwrap();
        assert_eq!(value["decidable"], false);
        assert_eq!(value["class"], "network_timeout");
        let candidates = value["candidates"].as_array().unwrap();
        assert!(candidates.len() >= 3, "{candidates:?}");
        assert_eq!(candidates[0]["class"], value["class"]);
        assert!(
            candidates
                .iter()
                .all(|c| !c["why"].as_str().unwrap().is_empty())
        );
        assert!(
            value["diagnosis"]["fixes"][0]
                .as_str()
                .unwrap()
                .contains("atlas-doctor ping")
        );
        let text = human(&e, &Palette::plain(), None);
        assert!(text.contains("The text cannot decide"), "{text}");
    }

    /// Issue 11 item 12: the explain ticket did not quote the pasted error, and
    /// `<monitor>` in a line was eaten as HTML.
    #[test]
    fn r11_the_ticket_quotes_the_redacted_error_as_text() {
        // Built here, so no committed line looks like a real Atlas credential
        // (our own --scan and the credential check would flag it).
        let password = ["hunter2", "hunter2"].concat();
        let pasted = format!(
            "MongoServerSelectionError: connection <monitor> to *.cluster0.mongodb.net closed\n  uri: mongodb+srv://app:{password}@cluster0.ab1cd.mongodb.net/ ```"
        );
        let pasted = pasted.as_str();
        let markdown = markdown(&explain(pasted), pasted);
        let (text, html) = crate::report::markdown::tests::rendered(&markdown);
        crate::report::markdown::tests::assert_only_our_html(&html, &markdown);
        assert!(
            text.contains(
                "MongoServerSelectionError: connection <monitor> to *.cluster0.mongodb.net closed"
            ),
            "{text}\n---\n{markdown}"
        );
        assert!(
            text.contains("mongodb+srv://app:****@cluster0.ab1cd.mongodb.net/ ```"),
            "{text}"
        );
        assert!(!markdown.contains("hunter2"), "{markdown}");
    }

    #[test]
    fn json_for_unknown_has_null_reason() {
        let value: serde_json::Value = serde_json::from_str(&json(&explain(""))).unwrap();
        assert_eq!(value["class"], "unknown");
        assert!(value["diagnosis"]["reason"].is_null());
        assert_eq!(value["matched"], serde_json::json!([]));
    }

    #[test]
    fn human_shows_word_class_causes_fixes_and_matched_without_colour() {
        let e = explain("MongoTimeoutError: Server selection timed out after 30000 ms");
        let text = human(&e, &Palette::plain(), None);
        assert!(
            text.starts_with("FAIL network_timeout  (reason: network_timeout)\n"),
            "{text}"
        );
        assert!(text.contains("\nLikely causes\n  1. "), "{text}");
        assert!(text.contains("\nWhat to do\n  - "), "{text}");
        assert!(
            text.contains("\nMatched\n  - \"MongoTimeoutError\""),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "plain palette must not colour");

        let unknown = human(&explain("hello"), &Palette::plain(), None);
        assert!(unknown.starts_with("UNKNOWN unknown\n"), "{unknown}");
    }
}
