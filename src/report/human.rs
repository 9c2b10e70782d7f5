//! `--format human`: status words with optional colour, the steps, then the
//! diagnosis (why, what to do, evidence) and one verdict line last.

use std::fmt::Write as _;

use super::style::{Palette, Tone};
use super::{Check, Report, Section, Verdict};
use crate::probe::{Status, ms};

/// How much to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Quiet,
    Normal,
    Verbose,
}

fn tone(status: Status) -> Tone {
    match status {
        Status::Pass => Tone::Pass,
        Status::Fail => Tone::Fail,
        Status::Warn => Tone::Warn,
        Status::Skip => Tone::Skip,
    }
}

/// Renders the report for a person.
pub fn render(report: &Report, palette: Palette, detail: Detail) -> String {
    let mut out = String::new();
    if detail != Detail::Quiet {
        let _ = writeln!(
            out,
            "{} {}  {}",
            palette.paint(Tone::Bold, &format!("atlas-doctor {}", report.command)),
            report.target_uri,
            palette.paint(Tone::Dim, &format!("(from {})", report.target_source))
        );
        out.push('\n');
        render_steps(&mut out, report, palette, detail);
        render_checks(&mut out, &report.checks, palette);
        if let Some(data) = &report.data {
            render_collections(&mut out, data, palette);
        }
        for fact in &report.facts {
            let _ = writeln!(out, "  {fact}");
        }
        for warning in &report.warnings {
            let _ = writeln!(out, "  {}  {warning}", palette.paint(Tone::Warn, "WARN"));
        }
        if let Some(diagnosis) = &report.diagnosis {
            out.push('\n');
            let _ = writeln!(
                out,
                "{} {}",
                palette.paint(Tone::Fail, "FAIL"),
                palette.paint(Tone::Bold, &diagnosis.summary)
            );
            section(
                &mut out,
                "Why (likely causes, most likely first):",
                &diagnosis.causes,
            );
            section(&mut out, "What to do:", &diagnosis.fixes);
            if detail == Detail::Verbose || !diagnosis.evidence.is_empty() {
                section(&mut out, "Evidence:", &diagnosis.evidence);
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", verdict_line(report, palette));
    out
}

fn render_steps(out: &mut String, report: &Report, palette: Palette, detail: Detail) {
    let shown: Vec<_> = report
        .steps
        .iter()
        .filter(|s| detail == Detail::Verbose || s.status != Status::Skip)
        .collect();
    if shown.is_empty() {
        return;
    }
    let name_width = shown
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for step in shown {
        let host = step
            .host
            .as_deref()
            .map(|h| format!(" [{h}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {:<5}  {:<name_width$}{}  {}  {}",
            palette.paint(tone(step.status), step.status.word()),
            step.layer.as_str(),
            step.name,
            host,
            step.detail,
            palette.paint(Tone::Dim, &format!("{:.1} ms", ms(step.duration))),
        );
    }
}

fn render_checks(out: &mut String, checks: &[Check], palette: Palette) {
    for section_kind in [Section::Security, Section::Testing] {
        let items: Vec<_> = checks
            .iter()
            .filter(|c| c.section == section_kind)
            .collect();
        if items.is_empty() {
            continue;
        }
        let title = match section_kind {
            Section::Security => "Security checklist",
            Section::Testing => "Testing checklist",
        };
        let _ = writeln!(out, "\n{}", palette.paint(Tone::Bold, title));
        for check in items {
            let _ = writeln!(
                out,
                "  {}  {:<24}  {}",
                palette.paint(tone(check.status), check.status.word()),
                check.id,
                check.summary
            );
            if matches!(check.status, Status::Fail | Status::Warn) {
                for line in &check.evidence {
                    let _ = writeln!(out, "          {}", palette.paint(Tone::Dim, line));
                }
                if let Some(fix) = &check.fix {
                    let _ = writeln!(out, "          fix: {fix}");
                }
            }
        }
    }
    if !checks.is_empty() {
        let _ = writeln!(out, "\n  {}", super::summary_line(checks));
    }
}

/// A compact table: name, type, estimated documents.
fn render_collections(out: &mut String, data: &super::DataSummary, palette: Palette) {
    let Some(database) = &data.database else {
        return;
    };
    let _ = writeln!(
        out,
        "\n{}",
        palette.paint(Tone::Bold, &format!("Collections in {database}"))
    );
    if data.collections.is_empty() {
        let _ = writeln!(out, "  (none visible)");
        out.push('\n');
        return;
    }
    let width = data
        .collections
        .iter()
        .map(|c| c.name.chars().count())
        .chain(std::iter::once(4))
        .max()
        .unwrap_or(4)
        .min(48);
    let _ = writeln!(
        out,
        "  {}",
        palette.paint(
            Tone::Dim,
            &format!("{:<width$}  {:<10}  {:>10}", "NAME", "TYPE", "DOCUMENTS")
        )
    );
    for c in &data.collections {
        let documents = c
            .documents
            .map_or_else(|| "-".to_string(), |n| format!("~{n}"));
        let _ = writeln!(
            out,
            "  {:<width$}  {:<10}  {:>10}",
            c.name, c.kind, documents
        );
    }
    out.push('\n');
}

fn section(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {title}");
    for line in lines {
        let _ = writeln!(out, "    - {line}");
    }
}

fn verdict_line(report: &Report, palette: Palette) -> String {
    let verdict = report.verdict();
    let word = match verdict {
        Verdict::Ok => palette.paint(Tone::Pass, "OK"),
        Verdict::Warn => palette.paint(Tone::Warn, "WARN"),
        Verdict::Fail => palette.paint(Tone::Fail, "FAIL"),
    };
    let rtt = report
        .rtt
        .map(|r| {
            format!(
                ", round trip min/avg/max {:.2}/{:.2}/{:.2} ms over {} {}{}",
                ms(r.min),
                ms(r.avg),
                ms(r.max),
                r.count,
                r.command,
                if r.count == 1 { "" } else { "s" }
            )
        })
        .unwrap_or_default();
    match &report.diagnosis {
        Some(d) => format!(
            "{word} {}: {} (exit {})",
            report.class,
            d.summary,
            report.exit_code()
        ),
        None => format!(
            "{word} {}: {}{rtt} (exit {})",
            report.command,
            if report.facts.is_empty() {
                "all layers passed".to_string()
            } else {
                report.facts.join("; ")
            },
            report.exit_code()
        ),
    }
}
