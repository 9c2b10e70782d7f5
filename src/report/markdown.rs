//! `--format markdown`: a redacted report to paste into a support ticket.

use std::fmt::Write as _;

use super::{Report, Section};
use crate::probe::ms;

/// Renders the report as Markdown. Cells are escaped so a `|` cannot break a table.
pub fn render(report: &Report, generated_at: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# atlas-doctor {} report\n", report.command);
    let _ = writeln!(
        out,
        "- **Target:** `{}` (from {})",
        report.target_uri.replace('`', "'"),
        report.target_source
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
        let _ = writeln!(out, "- {}", cell(fact));
    }
    if let Some(d) = &report.diagnosis {
        let _ = writeln!(out, "\n## Diagnosis\n\n**{}**\n", d.summary);
        list(&mut out, "Likely causes", &d.causes);
        list(&mut out, "What to do", &d.fixes);
        list(&mut out, "Evidence", &d.evidence);
    }
    list(&mut out, "Warnings", &report.warnings);
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
                cell(&s.name),
                cell(s.host.as_deref().unwrap_or("")),
                cell(&s.detail),
                ms(s.duration)
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
                cell(&c.summary),
                cell(c.fix.as_deref().unwrap_or(""))
            );
        }
        let with_evidence: Vec<_> = items.iter().filter(|c| !c.evidence.is_empty()).collect();
        if !with_evidence.is_empty() {
            let _ = writeln!(out, "\n<details><summary>Evidence</summary>\n");
            for c in with_evidence {
                let _ = writeln!(out, "- `{}`", c.id);
                for line in &c.evidence {
                    let _ = writeln!(out, "  - {}", line.replace('\n', " "));
                }
            }
            let _ = writeln!(out, "\n</details>");
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

fn list(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### {title}\n");
    for line in lines {
        let _ = writeln!(out, "- {}", line.replace('\n', " "));
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
