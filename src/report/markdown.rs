//! `--format markdown`: a redacted report to paste into a support ticket.
//! Every piece of text goes through `text::markdown` (or a code span), so what
//! GitHub, GitLab or an MkDocs site renders (CommonMark or Python-Markdown) is
//! exactly the text: a `*.cluster0.mongodb.net` keeps its `*`, a `<monitor>` is
//! not eaten as HTML, a `|` cannot break a table. Our own sentences (summary,
//! causes, fixes) keep their code spans as code: a command to copy reads as one.
//! The evidence inside `<details>` is HTML, which both readers pass through
//! (Python-Markdown reads no Markdown inside an HTML block).

use std::fmt::Write as _;

use super::text::{html, markdown as md, markdown_code as code, markdown_with_code};
use crate::model::report::{Report, Section};
use crate::model::step::ms;

/// Renders the report as Markdown.
pub fn render(report: &Report, generated_at: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# atlas-doctor {} report\n", report.command);
    let _ = writeln!(
        out,
        "- **Target:** {} (from {})",
        code(&report.target_uri),
        md(&report.target_source)
    );
    let _ = writeln!(out, "- **Tool version:** {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "- **Time:** {generated_at}");
    let _ = writeln!(
        out,
        "- **Verdict:** {} (class `{}`, exit {})",
        report.verdict().as_str().to_uppercase(),
        report.class,
        report.exit_code()
    );
    for fact in &report.facts {
        let _ = writeln!(out, "- {}", md(&fact.text));
    }
    if let Some(d) = &report.diagnosis {
        let _ = writeln!(
            out,
            "\n## Diagnosis\n\n**{}**\n",
            markdown_with_code(&d.summary)
        );
        list(&mut out, "Likely causes", &d.causes, markdown_with_code);
        list(&mut out, "What to do", &d.fixes, markdown_with_code);
        list(&mut out, "Evidence", &d.evidence, md);
    }
    list(&mut out, "Warnings", &report.warnings, md);
    if !report.steps.is_empty() {
        let _ = writeln!(
            out,
            "\n## Layers\n\n| status | layer | step | host | detail | ms |\n| --- | --- | --- | --- | --- | ---: |"
        );
        for s in &report.steps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.1} |",
                s.status.word(),
                s.layer.as_str(),
                md(&s.name.to_string()),
                md(s.host.as_deref().unwrap_or("")),
                md(&s.detail),
                ms(s.duration)
            );
        }
    }
    if let Some(data) = &report.data {
        if let Some(database) = &data.database {
            collections_table(&mut out, database, &data.collections);
        }
        for (database, rows) in &data.every_database {
            collections_table(&mut out, database, rows);
        }
        if data.databases_not_listed > 0 {
            let _ = writeln!(
                out,
                "\n{} not listed.",
                crate::words::count_as(
                    data.databases_not_listed,
                    "more database",
                    "more databases"
                )
            );
        }
    }
    for section in [Section::Security, Section::Testing] {
        let items: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.section == section)
            .collect();
        if items.is_empty() {
            continue;
        }
        let title = match section {
            Section::Security => "Security checklist",
            Section::Testing => "Testing checklist",
        };
        let _ = writeln!(
            out,
            "\n## {title}\n\n| status | item | summary | fix |\n| --- | --- | --- | --- |"
        );
        for c in &items {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                c.status.word(),
                c.id,
                md(&c.summary),
                markdown_with_code(c.fix.as_deref().unwrap_or(""))
            );
        }
        let with_evidence: Vec<_> = items.iter().filter(|c| !c.evidence.is_empty()).collect();
        if !with_evidence.is_empty() {
            // One HTML block: no blank line inside, or CommonMark would end it there.
            let _ = writeln!(out, "\n<details><summary>Evidence</summary>\n<ul>");
            for c in with_evidence {
                let _ = writeln!(out, "<li><code>{}</code><ul>", html(c.id));
                for line in &c.evidence {
                    let _ = writeln!(out, "<li>{}</li>", html(line));
                }
                let _ = writeln!(out, "</ul></li>");
            }
            let _ = writeln!(out, "</ul>\n</details>");
        }
    }
    if !report.checks.is_empty() {
        let _ = writeln!(
            out,
            "\n**Summary:** {}",
            super::summary_line(&report.checks)
        );
    }
    out
}

/// `## Collections in DB` and its table.
fn collections_table(out: &mut String, database: &str, rows: &[super::CollectionRow]) {
    let _ = writeln!(out, "\n## Collections in {}\n", md(database));
    if rows.is_empty() {
        let _ = writeln!(out, "(none visible)");
        return;
    }
    let _ = writeln!(out, "| name | type | documents |\n| --- | --- | ---: |");
    for c in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md(&c.name),
            md(&c.kind),
            c.documents
                .map_or_else(|| "-".to_string(), |n| format!("~{n}"))
        );
    }
}

/// A titled bullet list, each line written by `escape` (`text::markdown`, or
/// `text::markdown_with_code` for our own sentences).
pub(super) fn list(out: &mut String, title: &str, lines: &[String], escape: fn(&str) -> String) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### {title}\n");
    for line in lines {
        let _ = writeln!(out, "- {}", escape(line));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::finding::Finding;
    use crate::model::report::{Check, CollectionRow, DataSummary};
    use crate::model::step::{Layer, Status, Step};
    use crate::model::verdict::Diagnosis;
    use pulldown_cmark::{Event, Options, Parser};

    /// Strings that Markdown would eat or reshape if written as they are.
    const HOSTILE: &[&str] = &[
        "*.cluster0.mongodb.net",
        "<monitor>",
        "a|b",
        "_x_ and __y__",
        "# not a heading",
        "1. not a list",
        "- not a list",
        "`tick` and ``two``",
        "[link](http://example.net)",
        "&amp; stays as typed",
        "back\\slash",
        "~~struck~~",
        "ESC \u{1b}[2J and BEL \u{7}",
    ];

    /// What a CommonMark reader (GitHub's dialect: tables, strikethrough) shows:
    /// the text of every text and code event, and any raw HTML it would pass through.
    pub(crate) fn rendered(markdown: &str) -> (String, Vec<String>) {
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_STRIKETHROUGH);
        let mut text = String::new();
        let mut html = Vec::new();
        for event in Parser::new_ext(markdown, options) {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::Html(h) | Event::InlineHtml(h) => {
                    text.push_str(&html_text(&h));
                    html.push(h.to_string());
                }
                Event::End(_) => text.push('\n'),
                _ => {}
            }
        }
        (text, html)
    }

    /// The text an HTML fragment shows: tags dropped, character references decoded.
    pub(crate) fn html_text(html: &str) -> String {
        let mut text = String::new();
        let mut rest = html;
        while let Some(i) = rest.find(['<', '&']) {
            text.push_str(&rest[..i]);
            rest = &rest[i..];
            let end = if rest.starts_with('<') { '>' } else { ';' };
            let Some(j) = rest.find(end) else { break };
            let entity = &rest[1..j];
            if end == ';' {
                let c = match entity {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    _ => entity
                        .strip_prefix('#')
                        .and_then(|n| n.parse().ok())
                        .and_then(char::from_u32),
                };
                text.extend(c);
            }
            rest = &rest[j + 1..];
        }
        text.push_str(rest);
        text
    }

    /// Our own evidence block (`<details>`, its lists and code) is the only HTML
    /// a report may carry: every tag in `html` is one of those.
    pub(crate) fn assert_only_our_html(html: &[String], markdown: &str) {
        const OURS: &[&str] = &["details", "summary", "ul", "li", "code"];
        for h in html {
            for tag in h.split('<').skip(1) {
                let name = tag
                    .trim_start_matches('/')
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or_default();
                assert!(
                    OURS.contains(&name) && tag.contains('>'),
                    "raw HTML <{tag} in {h:?} of\n{markdown}"
                );
            }
        }
    }

    /// How a hostile string should read once rendered: its controls made visible.
    pub(crate) fn as_shown(s: &str) -> String {
        crate::report::text::terminal(s).into_owned()
    }

    /// Issue 11 item 12: a `*.cluster0.mongodb.net` in bold lost its `*`, and `<monitor>` was eaten as HTML.
    #[test]
    fn r11_every_field_renders_to_exactly_its_text() {
        let mut report = Report::new(
            "checklist",
            "mongodb+srv://app:****@*.cluster0.mongodb.net/<monitor>".into(),
            "flag:--uri".into(),
        );
        for (i, s) in HOSTILE.iter().enumerate() {
            report.facts.push(crate::model::report::Fact::new(*s));
            report.warnings.push(format!("warning {i}: {s}"));
            report
                .steps
                .push(Step::new(Layer::Tls, *s, Status::Fail, *s).on(format!("{s}:27017")));
            report.checks.push(Check::new(
                crate::model::report::Section::Security,
                "least-privilege",
                Status::Warn,
                *s,
                Some(s),
                vec![(*s).to_string()],
            ));
        }
        report.data = Some(DataSummary {
            databases: vec!["app".into()],
            database: Some("app".into()),
            collections: HOSTILE
                .iter()
                .map(|s| CollectionRow {
                    name: (*s).to_string(),
                    kind: "collection".into(),
                    documents: None,
                })
                .collect(),
            ..DataSummary::default()
        });
        let mut diagnosis = Diagnosis::from_finding(Finding::TlsNameMismatch).with_summary(
            "The certificate of h:27017 is for *.cluster0.mongodb.net, not <monitor>.",
        );
        for s in HOSTILE {
            diagnosis = diagnosis.with_evidence(*s);
        }
        report.fail(diagnosis);

        let markdown = render(&report, "2026-01-01T00:00:00Z");
        let (text, html) = rendered(&markdown);
        assert_only_our_html(&html, &markdown);
        assert!(
            text.contains(
                "The certificate of h:27017 is for *.cluster0.mongodb.net, not <monitor>."
            ),
            "{text}\n---\n{markdown}"
        );
        assert!(text.contains("mongodb+srv://app:****@*.cluster0.mongodb.net/<monitor>"));
        for s in HOSTILE {
            let shown = as_shown(s);
            // Facts, warnings, evidence lines, table cells: each renders verbatim.
            assert!(
                text.matches(shown.as_str()).count() >= 6,
                "{s:?} does not render as itself\n{text}\n---\n{markdown}"
            );
        }
        assert!(!markdown.contains('\u{1b}') && !markdown.contains('\u{7}'));
    }
}
