//! `--format human`: status words with optional colour, the steps, then the
//! diagnosis (why, what to do, evidence) and one verdict line last.
//!
//! Two rules shape it. It fits the terminal: a line longer than the width puts
//! its detail on the lines below, wrapped at word boundaries under the step (as
//! cargo does); piped output is not wrapped. And it says each thing once: hosts
//! that failed the same way are one line ("3 of 3 hosts: ..."), the diagnosis's
//! summary is not repeated by the verdict line, evidence that only restates a
//! step is left out. Every string that came from outside goes through
//! `text::terminal`, so a peer cannot drive the terminal.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr as _;

use super::style::{Palette, Tone};
use super::text::terminal;
use crate::model::report::{Check, Report, Section, Verdict};
use crate::model::step::{Status, Step, ms};
use crate::model::verdict::Diagnosis;

/// How much to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Quiet,
    Normal,
    Verbose,
}

/// The width to wrap at: `None` when stdout is not a terminal (a log, a pipe),
/// so a file keeps one line per step for grep.
pub type Width = Option<usize>;

/// The width for human output on this process's stdout: the terminal's,
/// 80 when it is a terminal of unknown size, `None` when it is not a terminal.
pub fn stdout_width() -> Width {
    use std::io::IsTerminal as _;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let columns = terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0));
    Some(columns.filter(|&w| w >= 20).unwrap_or(80))
}

fn tone(status: Status) -> Tone {
    match status {
        Status::Pass => Tone::Pass,
        Status::Fail => Tone::Fail,
        Status::Warn => Tone::Warn,
        Status::Skip => Tone::Skip,
    }
}

/// The fewest columns a step's detail gets beside its label on a terminal;
/// with fewer it goes on the next line, under the label.
const MIN_DETAIL: usize = 30;
/// Where a checklist item's evidence and fix start.
const CHECK_INDENT: usize = 10;

/// Renders the report for a person, wrapped at `width`.
pub fn render(report: &Report, palette: Palette, detail: Detail, width: Width) -> String {
    let mut out = String::new();
    if detail != Detail::Quiet {
        let title = format!("atlas-doctor {}", report.command);
        let uri = terminal(&report.target_uri);
        let source = format!("(from {})", terminal(&report.target_source));
        // The source goes on its own line when the three do not fit.
        let gap = if width.is_some_and(|w| title.width() + 1 + uri.width() + 2 + source.width() > w)
        {
            "\n  "
        } else {
            "  "
        };
        let _ = writeln!(
            out,
            "{} {uri}{gap}{}",
            palette.paint(Tone::Bold, &title),
            palette.paint(Tone::Dim, &source)
        );
        out.push('\n');
        render_steps(&mut out, report, palette, detail, width);
        render_checks(&mut out, &report.checks, palette, width);
        if let Some(data) = &report.data {
            render_collections(&mut out, data, palette, width);
        }
        let mut said = BTreeSet::new();
        for warning in &report.warnings {
            if said.insert(warning.as_str()) {
                let _ = writeln!(
                    out,
                    "  {}  {}",
                    palette.paint(Tone::Warn, "WARN"),
                    wrap(&terminal(warning), width, 8, 8)
                );
            }
        }
        if let Some(diagnosis) = &report.diagnosis {
            out.push('\n');
            let _ = writeln!(
                out,
                "{} {}",
                palette.paint(Tone::Fail, "FAIL"),
                palette.paint(
                    Tone::Bold,
                    &wrap(&terminal(&diagnosis.summary), width, 5, 5)
                )
            );
            section(
                &mut out,
                "Why (likely causes, most likely first):",
                &diagnosis.causes,
                width,
            );
            section(&mut out, "What to do:", &diagnosis.fixes, width);
            // Evidence that only restates a step's own line was already said above.
            let evidence: Vec<String> = diagnosis
                .evidence
                .iter()
                .enumerate()
                .filter(|(index, _)| !restates_a_step(diagnosis, *index, &report.steps))
                .map(|(_, line)| line.clone())
                .collect();
            section(&mut out, "Evidence:", &evidence, width);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", verdict_line(report, palette, detail, width));
    out
}

/// True when evidence line `index` gives the failure of a failed or warned
/// step that says exactly that failure: the judge marked the line
/// (`Diagnosis::failure_line`), the probe the step (`Step::says_its_failure`).
fn restates_a_step(diagnosis: &Diagnosis, index: usize, steps: &[Step]) -> bool {
    diagnosis
        .failure_line
        .as_ref()
        .filter(|line| line.index == index)
        .is_some_and(|line| {
            steps.iter().any(|s| {
                matches!(s.status, Status::Fail | Status::Warn)
                    && s.says_its_failure
                    && s.layer == line.layer
                    && s.host == line.host
            })
        })
}

/// One line of the steps list: a step, or several hosts' identical steps.
struct Row<'a> {
    step: &'a Step,
    /// Hosts that share this step's outcome (only when more than one).
    hosts: Vec<&'a str>,
}

/// Groups steps that differ only by host: same layer, status and name
/// (addresses aside), and the same typed facts (`Step::ended_like`; their
/// words are not compared). Kept at the first one's place.
fn group<'a>(steps: &[&'a Step]) -> Vec<Row<'a>> {
    let mut rows: Vec<Row> = Vec::new();
    'steps: for &step in steps {
        if let Some(host) = step.host.as_deref()
            && step.status != Status::Skip
        {
            for row in &mut rows {
                let other = row.step;
                if let Some(other_host) = other.host.as_deref()
                    && other_host != host
                    && other.ended_like(step)
                {
                    if row.hosts.is_empty() {
                        row.hosts.push(other_host);
                    }
                    row.hosts.push(host);
                    continue 'steps;
                }
            }
        }
        rows.push(Row {
            step,
            hosts: Vec::new(),
        });
    }
    rows
}

fn render_steps(out: &mut String, report: &Report, palette: Palette, detail: Detail, width: Width) {
    let shown: Vec<&Step> = report
        .steps
        .iter()
        .filter(|s| detail == Detail::Verbose || (s.status != Status::Skip && !s.minor))
        .collect();
    if shown.is_empty() {
        return;
    }
    let all_hosts: BTreeSet<&str> = report
        .steps
        .iter()
        .filter_map(|s| s.host.as_deref())
        .collect();
    let rows = group(&shown);
    let labels: Vec<String> = rows.iter().map(|row| label(row)).collect();
    let times: Vec<String> = rows
        .iter()
        .map(|row| format!("{:.1} ms", ms(row.step.duration)))
        .collect();
    // Fixed columns: status, layer, time (right-aligned), then the label padded
    // to one width and the detail. Every row's detail starts in the same column
    // or, when it does not fit there (a long label, a narrow terminal, several
    // lines), on the next line under the label: never anywhere else.
    let time_width = times.iter().map(String::len).max().unwrap_or(0);
    let lead = 2 + 4 + 2 + 5 + 2 + time_width + 2;
    let longest_fitting = width.map_or(usize::MAX, |w| w.saturating_sub(lead + 2 + MIN_DETAIL));
    let label_width = labels
        .iter()
        .map(|l| l.width())
        .filter(|&w| w <= longest_fitting)
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(lead);
    for ((row, label), took) in rows.iter().zip(&labels).zip(&times) {
        let step = row.step;
        let head = format!(
            "  {}  {:<5}  {}  ",
            palette.paint(tone(step.status), step.status.word()),
            step.layer.as_str(),
            palette.paint(Tone::Dim, &format!("{took:>time_width$}")),
        );
        let mut text = terminal(&step.detail).into_owned();
        if !row.hosts.is_empty() {
            let count = format!("{} of {} hosts", row.hosts.len(), all_hosts.len());
            text = if text.is_empty() {
                count
            } else {
                format!("{count}: {text}")
            };
        }
        let on_one_line = label.width() <= label_width
            && !text.contains('\n')
            && width.is_none_or(|w| lead + label_width + 2 + text.width() <= w);
        if text.is_empty() {
            let _ = writeln!(out, "{head}{label}");
        } else if on_one_line {
            let _ = writeln!(out, "{head}{}  {text}", pad(label, label_width));
        } else {
            let _ = writeln!(out, "{head}{label}");
            let _ = writeln!(out, "{indent}{}", wrap(&text, width, lead, lead));
        }
        // "3 of 3 hosts" needs no list: the parse or SRV step already named them all.
        if !row.hosts.is_empty() && row.hosts.len() < all_hosts.len() {
            let hosts = row
                .hosts
                .iter()
                .map(|h| terminal(h))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "{indent}{}",
                palette.paint(Tone::Dim, &wrap(&hosts, width, lead, lead))
            );
        }
    }
}

/// The step's name, and its host when the name does not already say it; a row
/// of several hosts names neither host nor address (they differ).
fn label(row: &Row) -> String {
    let step = row.step;
    if !row.hosts.is_empty() {
        return terminal(&step.name.without_addresses()).into_owned();
    }
    let name = terminal(&step.name.to_string()).into_owned();
    match step.host.as_deref() {
        Some(host) if !step.dialled_its_host() => format!("{name} [{}]", terminal(host)),
        _ => name,
    }
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

fn render_checks(out: &mut String, checks: &[Check], palette: Palette, width: Width) {
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
        let id_width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0).min(24);
        for check in items {
            let lead = 2 + 4 + 2 + id_width.max(check.id.len()) + 2;
            let _ = writeln!(
                out,
                "  {}  {:<id_width$}  {}",
                palette.paint(tone(check.status), check.status.word()),
                check.id,
                wrap(&terminal(&check.summary), width, lead, lead)
            );
            if matches!(check.status, Status::Fail | Status::Warn) {
                let indent = " ".repeat(CHECK_INDENT);
                for line in &check.evidence {
                    let _ = writeln!(
                        out,
                        "{indent}{}",
                        palette.paint(
                            Tone::Dim,
                            &wrap(&terminal(line), width, CHECK_INDENT, CHECK_INDENT)
                        )
                    );
                }
                if let Some(fix) = &check.fix {
                    let _ = writeln!(
                        out,
                        "{indent}fix: {}",
                        wrap(&terminal(fix), width, CHECK_INDENT + 5, CHECK_INDENT + 5)
                    );
                }
            }
        }
    }
}

/// The collections of the database asked for; with none asked for, those of
/// every database the user may see (bounded), then how many were not listed.
fn render_collections(out: &mut String, data: &super::DataSummary, palette: Palette, width: Width) {
    if let Some(database) = &data.database {
        table(out, database, &data.collections, palette);
        return;
    }
    for (database, rows) in &data.every_database {
        table(out, database, rows, palette);
    }
    let hint = match (data.every_database.is_empty(), data.databases_not_listed) {
        (_, 0) if !data.every_database.is_empty() => None,
        (true, _) if data.databases.is_empty() => None,
        (true, _) => Some(
            "No database chosen: pass --db NAME (or put it in the URI's path) to list its collections."
                .to_string(),
        ),
        (false, more) => Some(format!(
            "{} not listed: pass --db NAME to list one.",
            crate::words::count_as(more, "more database", "more databases")
        )),
    };
    if let Some(hint) = hint {
        let _ = writeln!(out, "\n  {}", wrap(&hint, width, 2, 2));
    }
}

/// A compact table: name, type, estimated documents.
fn table(out: &mut String, database: &str, rows: &[super::CollectionRow], palette: Palette) {
    let _ = writeln!(
        out,
        "\n{}",
        palette.paint(
            Tone::Bold,
            &format!("Collections in {}", terminal(database))
        )
    );
    if rows.is_empty() {
        let _ = writeln!(out, "  (none visible)");
        return;
    }
    let names: Vec<String> = rows
        .iter()
        .map(|c| terminal(&c.name).into_owned())
        .collect();
    let name_width = names
        .iter()
        .map(|n| n.width())
        .chain(std::iter::once(4))
        .max()
        .unwrap_or(4)
        .min(48);
    let _ = writeln!(
        out,
        "  {}",
        palette.paint(
            Tone::Dim,
            &format!(
                "{}  {:<10}  {:>10}",
                pad("NAME", name_width),
                "TYPE",
                "DOCUMENTS"
            )
        )
    );
    for (c, name) in rows.iter().zip(&names) {
        let documents = c
            .documents
            .map_or_else(|| "-".to_string(), |n| format!("~{n}"));
        let _ = writeln!(
            out,
            "  {}  {:<10}  {:>10}",
            pad(name, name_width),
            terminal(&c.kind),
            documents
        );
    }
}

fn section(out: &mut String, title: &str, lines: &[String], width: Width) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {title}");
    for line in lines {
        let _ = writeln!(out, "    - {}", wrap(&terminal(line), width, 6, 6));
    }
}

/// The last line. In quiet mode it is all there is, so it carries the summary
/// and the facts; otherwise those were said above and it only names the
/// outcome, the class and the exit code.
fn verdict_line(report: &Report, palette: Palette, detail: Detail, width: Width) -> String {
    let verdict = report.verdict();
    let (word, word_text) = match verdict {
        Verdict::Ok => (palette.paint(Tone::Pass, "OK"), "OK"),
        Verdict::Warn => (palette.paint(Tone::Warn, "WARN"), "WARN"),
        Verdict::Fail => (palette.paint(Tone::Fail, "FAIL"), "FAIL"),
    };
    let exit = if report.unwritten.is_empty() {
        format!("(exit {})", report.exit_code())
    } else {
        format!(
            "(exit {}: could not write --report-file {})",
            report.exit_code(),
            report
                .unwritten
                .iter()
                .map(|p| terminal(p).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let said: Option<String> = match (&report.diagnosis, detail) {
        (Some(d), Detail::Quiet) => Some(terminal(&d.summary).into_owned()),
        (Some(_), _) => None,
        (None, Detail::Quiet) => {
            let mut parts: Vec<String> = report
                .facts
                .iter()
                .map(|f| terminal(&f.text).into_owned())
                .collect();
            if !report.checks.is_empty() {
                parts.push(super::summary_line(&report.checks));
            }
            parts.extend(report.rtt.map(rtt_text));
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        (None, _) => {
            // The facts no step has already said.
            let mut parts: Vec<String> = report
                .facts
                .iter()
                .filter(|f| !f.said_by_step)
                .map(|f| terminal(&f.text).into_owned())
                .collect();
            if !report.checks.is_empty() {
                parts.push(super::summary_line(&report.checks));
            }
            // `ping --count` has a step of its own with the figures; the
            // handshake's round trip is said only here.
            parts.extend(report.rtt.filter(|r| r.command != "ping").map(rtt_text));
            (!parts.is_empty()).then(|| parts.join("; "))
        }
    };
    let subject = if report.diagnosis.is_some() {
        report.class.as_str().to_string()
    } else {
        report.command.to_string()
    };
    match said {
        Some(said) => {
            let lead = word_text.len() + 1 + subject.len() + 2;
            format!(
                "{word} {subject}: {}",
                wrap(&format!("{said} {exit}"), width, lead, 2)
            )
        }
        None => format!("{word} {subject} {exit}"),
    }
}

/// `round trip min/avg/max 0.31/0.40/0.52 ms over 3 pings`.
fn rtt_text(r: crate::model::deployment::RttStats) -> String {
    format!(
        "round trip min/avg/max {:.2}/{:.2}/{:.2} ms over {} {}{}",
        ms(r.min),
        ms(r.avg),
        ms(r.max),
        r.count,
        r.command,
        if r.count == 1 { "" } else { "s" }
    )
}

/// The unbreakable units of a paragraph: words, except that a code span (from
/// one backtick to the next, a command to copy: `atlas accessLists create IP
/// --projectId P`) is one unit, kept whole on one line (or run long), because a
/// command copied half is a command that acts on the wrong thing.
fn units(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut in_code = false;
    for (i, c) in paragraph.char_indices() {
        if c == '`' {
            in_code = !in_code;
        }
        match (c == ' ' && !in_code, start) {
            (true, Some(s)) => {
                out.push(&paragraph[s..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&paragraph[s..]);
    }
    out
}

/// `text` wrapped at word boundaries to `width`, the first line starting at
/// column `first`, later lines indented by `indent`. Newlines in `text` start
/// an indented line too, so nothing lands in the status column. A word longer
/// than the line is not broken (a URI stays copyable). A code span is one word.
/// No width: no wrapping.
pub fn wrap(text: &str, width: Width, first: usize, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(text.len());
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        let Some(width) = width else {
            out.push_str(paragraph);
            continue;
        };
        let mut column = if n == 0 { first } else { indent };
        let mut at_line_start = true;
        for word in units(paragraph) {
            let w = word.width();
            if !at_line_start && column + 1 + w > width {
                out.push('\n');
                out.push_str(&pad);
                column = indent;
                at_line_start = true;
            }
            if !at_line_start {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += w;
            at_line_start = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::step::Layer;

    /// Issue 20 item 3: a fix command was split at 80 columns (`atlas accessLists
    /// create IP` on one line, `--projectId ...` on the next), so copying the first
    /// line acted on the wrong project. A code span is one unbreakable unit.
    #[test]
    fn r20_3_a_command_in_backticks_is_never_split() {
        let fix = "Add 203.0.113.7 to the access list: `atlas accessLists create 203.0.113.7 --projectId 65f0c0ffee43f8b8fa4d7b14` (or Atlas UI: Security > Network Access).";
        for width in [40, 60, 80, 100] {
            let wrapped = wrap(fix, Some(width), 4, 6);
            let holding: Vec<&str> = wrapped
                .lines()
                .filter(|l| l.contains("atlas accessLists") || l.contains("--projectId"))
                .collect();
            assert_eq!(holding.len(), 1, "width {width}:\n{wrapped}");
            assert!(
                holding[0].contains(
                    "`atlas accessLists create 203.0.113.7 --projectId 65f0c0ffee43f8b8fa4d7b14`"
                ),
                "width {width}:\n{wrapped}"
            );
            assert_eq!(
                wrapped.split_whitespace().collect::<Vec<_>>(),
                fix.split_whitespace().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn wrap_breaks_between_words_under_the_indent() {
        let text = "one two three four five six seven";
        assert_eq!(
            wrap(text, Some(20), 0, 4),
            "one two three four\n    five six seven"
        );
        assert_eq!(
            wrap(text, Some(20), 4, 4),
            "one two three\n    four five six\n    seven"
        );
        assert_eq!(wrap(text, None, 4, 4), text);
        // A word longer than the line stays whole.
        let long = "a mongodb://host-with-a-very-long-name.example.net:27017/ b";
        let wrapped = wrap(long, Some(20), 0, 2);
        assert!(wrapped.contains("mongodb://host-with-a-very-long-name.example.net:27017/"));
        assert_eq!(wrap("a\nb", None, 0, 3), "a\n   b");
    }

    /// Issue 19 item 2: a row of several hosts and a JUnit name left out the
    /// addresses by parsing our own step names (`without_addresses`: every word
    /// that parsed as an IP address or the host went). A step's name is now
    /// typed parts (`model::step::Name`): the address it dialled and the
    /// fallback resolver are parts of their own, and a label is built from the
    /// parts, so a word of the action that looks like an address stays.
    #[test]
    fn r19_a_step_name_is_typed_parts_and_its_label_is_built_from_them() {
        let dialled = |address: &str| {
            Step::new(Layer::Tcp, "connect", Status::Pass, "connected")
                .at(address.parse().unwrap())
                .name
        };
        let v4 = dialled("10.0.0.7:27017");
        assert_eq!(v4.to_string(), "connect 10.0.0.7:27017");
        assert_eq!(v4.without_addresses(), "connect");
        let v6 = dialled("[::1]:27017");
        assert_eq!(v6.to_string(), "connect [::1]:27017");
        assert!(v6.same_but_addresses(&v4));
        // Nothing parses the action: a collection named like an address is kept.
        let expect = crate::model::step::Name::from("expect 10.0.0.1");
        assert_eq!(expect.without_addresses(), "expect 10.0.0.1");
        assert!(!expect.same_but_addresses(&crate::model::step::Name::from("expect")));
        let mut retried = crate::model::step::Name::from("A/AAAA db.example.test");
        retried.via_fallback = Some("127.0.0.1:5353".parse().unwrap());
        assert_eq!(
            retried.to_string(),
            "A/AAAA db.example.test (via fallback 127.0.0.1:5353)"
        );
        assert_eq!(
            retried.without_addresses(),
            "A/AAAA db.example.test (via fallback)"
        );
        // Two hosts that failed alike are one row, labelled without the addresses.
        let steps: Vec<Step> = ["10.0.0.1:27017", "10.0.0.2:27017"]
            .iter()
            .enumerate()
            .map(|(i, address)| {
                Step::failed(Layer::Tcp, "connect", &TcpError::Refused)
                    .on(format!("h{i}:27017"))
                    .at(address.parse().unwrap())
            })
            .collect();
        let refs: Vec<&Step> = steps.iter().collect();
        let rows = group(&refs);
        assert_eq!(rows.len(), 1);
        assert_eq!(label(&rows[0]), "connect");
        assert_eq!(
            label(&Row {
                step: &steps[0],
                hosts: Vec::new()
            }),
            "connect 10.0.0.1:27017 [h0:27017]"
        );
    }

    /// Issue 19 item 2: the label added the host unless the step's name
    /// contained it (`step.name.contains(host)`, a match on our own words). The
    /// tcp step now records the address it dialled, and the host is left out
    /// only when it is that very address.
    #[test]
    fn r19_a_step_label_names_its_host_unless_it_dialled_it() {
        let label_of = |name: &str, host: &str, dialled: Option<&str>| {
            // The tcp probe names its step `connect` and records the address.
            let name = if dialled.is_some() { "connect" } else { name };
            let mut step = Step::new(Layer::Tcp, name, Status::Pass, "connected").on(host);
            if let Some(address) = dialled {
                step = step.at(address.parse().unwrap());
            }
            label(&Row {
                step: &step,
                hosts: Vec::new(),
            })
        };
        assert_eq!(
            label_of(
                "connect 127.0.0.1:27017",
                "127.0.0.1:27017",
                Some("127.0.0.1:27017")
            ),
            "connect 127.0.0.1:27017"
        );
        assert_eq!(
            label_of("connect [::1]:27017", "[::1]:27017", Some("[::1]:27017")),
            "connect [::1]:27017"
        );
        assert_eq!(
            label_of(
                "connect 10.0.0.7:27017",
                "db.example.test:27017",
                Some("10.0.0.7:27017")
            ),
            "connect 10.0.0.7:27017 [db.example.test:27017]"
        );
        // A name that happens to hold the host's words is no reason to drop it.
        assert_eq!(
            label_of("A/AAAA db:1 db:1", "db:1", None),
            "A/AAAA db:1 db:1 [db:1]"
        );
    }

    #[test]
    fn identical_host_failures_are_one_row() {
        let steps: Vec<Step> = (1..=3)
            .map(|i| {
                Step::failed(Layer::Tcp, "connect", &TcpError::Refused)
                    .on(format!("h{i}:27017"))
                    .at(format!("10.0.0.{i}:27017").parse().unwrap())
            })
            .collect();
        let refs: Vec<&Step> = steps.iter().collect();
        let rows = group(&refs);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].hosts, ["h1:27017", "h2:27017", "h3:27017"]);
    }

    /// Issue 19 item 2: hosts that failed alike were found by comparing the
    /// steps' words (`other.detail == step.detail`). They are now found by the
    /// steps' typed facts (`Step::ended_like`): words alike over different
    /// facts are two rows, and steps without typed facts are never one.
    #[test]
    fn r19_steps_are_grouped_by_their_typed_facts_not_their_words() {
        let on = |step: Step, i: u8| {
            step.on(format!("h{i}:27017"))
                .at(format!("10.0.0.{i}:27017").parse().unwrap())
        };
        let rows = |steps: &[Step]| {
            let refs: Vec<&Step> = steps.iter().collect();
            group(&refs)
                .iter()
                .map(|row| row.hosts.len().max(1))
                .collect::<Vec<_>>()
        };
        let refused = on(Step::failed(Layer::Tcp, "connect", &TcpError::Refused), 1);
        // The same words, from another failure.
        let other = on(
            Step::failed(
                Layer::Tcp,
                "connect",
                &TcpError::Other {
                    reason: "connection refused".into(),
                },
            ),
            2,
        );
        assert_eq!(refused.detail, other.detail);
        assert_eq!(rows(&[refused.clone(), other]), [1, 1]);
        let again = on(Step::failed(Layer::Tcp, "connect", &TcpError::Refused), 2);
        assert_eq!(rows(&[refused.clone(), again.clone()]), [2]);
        // A note learnt about one of them sets it apart, whatever its words.
        let mut noted = again.clone();
        noted
            .notes
            .push(crate::model::step::Note::AnotherAddressConnected);
        assert_eq!(rows(&[refused, noted]), [1, 1]);
        // Words alike without typed facts are no reason.
        let words = |i| on(Step::new(Layer::Tcp, "connect", Status::Fail, "refused"), i);
        assert_eq!(rows(&[words(1), words(2)]), [1, 1]);
        // What a step found counts like a failure.
        let connected = |i| {
            on(
                Step::found(Layer::Tcp, "connect", Status::Pass, Found::Connected),
                i,
            )
        };
        assert_eq!(rows(&[connected(1), connected(2), connected(3)]), [3]);
        let resolved = |i, ip: &str| {
            Step::found(
                Layer::Dns,
                "A/AAAA db",
                Status::Pass,
                Found::Addresses(vec![ip.parse().unwrap()]),
            )
            .on(format!("h{i}:27017"))
        };
        assert_eq!(
            rows(&[resolved(1, "10.0.0.1"), resolved(2, "10.0.0.2")]),
            [1, 1]
        );
        assert_eq!(
            rows(&[resolved(1, "10.0.0.1"), resolved(2, "10.0.0.1")]),
            [2]
        );
    }

    use crate::model::finding::Finding;
    use crate::model::report::{AuthSummary, DataSummary, Fact};
    use crate::model::step::{Failed, Found};
    use crate::model::tcp::Error as TcpError;
    use crate::model::verdict::Diagnosis;
    use std::time::Duration;

    fn step(layer: Layer, name: &str, host: Option<&str>, status: Status, detail: &str) -> Step {
        let step = Step::new(layer, name, status, detail).took(Duration::from_micros(1200));
        match host {
            Some(h) => step.on(h),
            None => step,
        }
    }

    const HOSTS: [&str; 3] = [
        "ac-abc123-shard-00-00.ab1cd.mongodb.net:27017",
        "ac-abc123-shard-00-01.ab1cd.mongodb.net:27017",
        "ac-abc123-shard-00-02.ab1cd.mongodb.net:27017",
    ];

    /// An Atlas cluster whose three hosts all refuse the TLS handshake the same way.
    fn three_host_failure() -> Report {
        let mut report = Report::new(
            "ping",
            "mongodb+srv://app:****@cluster0.ab1cd.mongodb.net/".into(),
            "env:MONGODB_URI".into(),
        );
        report.steps.push(step(
            Layer::Uri,
            "parse",
            None,
            Status::Pass,
            "1 host: cluster0.ab1cd.mongodb.net:27017; TLS on",
        ));
        report.steps.push(step(
            Layer::Dns,
            "SRV _mongodb._tcp.cluster0.ab1cd.mongodb.net",
            None,
            Status::Pass,
            "3 targets",
        ));
        for (i, host) in HOSTS.iter().enumerate() {
            // As the probes make them, worded: typed facts and their words.
            let mut connected = step(Layer::Tcp, "connect", Some(host), Status::Pass, "connected")
                .at(format!("10.0.0.{i}:27017").parse().unwrap());
            connected.found = Some(Found::Connected);
            report.steps.push(connected);
            // As the tls probe makes it: its words are its failure's.
            let mut failed = step(
                Layer::Tls,
                "handshake",
                Some(host),
                Status::Fail,
                "the server answered the ClientHello with TLS alert 80 (internal_error) and closed the connection",
            );
            failed.says_its_failure = true;
            failed.failure = Some(Failed::Tls(crate::model::tls::Error::Alert {
                code: 80,
                name: "internal_error".into(),
            }));
            report.steps.push(failed);
        }
        report.fail(
            Diagnosis::from_finding(Finding::IpAccessListAlert)
                .with_failure_evidence(Layer::Tls, Some(HOSTS[0]), format!("{}: the server answered the ClientHello with TLS alert 80 (internal_error) and closed the connection", HOSTS[0])),
        );
        report
    }

    /// Issue 19 item 2: evidence that only restated a step was found by
    /// comparing the line with each step's words (`host: detail`). The judge now
    /// marks the line that gives a failure in its step's words, the probe marks
    /// the step that says only its failure, and human output leaves the line
    /// out only when both agree: words alike are no reason, and a step whose
    /// words say more (a note after them) keeps the line.
    #[test]
    fn r19_evidence_restating_a_step_is_marked_not_matched() {
        let host = "db.example.test:27017";
        let words = "connection refused";
        let line = format!("{host}: {words}");
        let evidence_shown = |says_its_failure: bool, marked: bool| {
            let mut report = Report::new(
                "ping",
                "mongodb://db.example.test/".into(),
                "flag:--uri".into(),
            );
            let mut failed = Step::new(Layer::Tcp, "connect", Status::Fail, words)
                .on(host)
                .at("10.0.0.7:27017".parse().unwrap());
            failed.says_its_failure = says_its_failure;
            report.steps.push(failed);
            let d = Diagnosis::from_finding(Finding::TcpRefused).with_evidence("another line");
            report.fail(if marked {
                d.with_failure_evidence(Layer::Tcp, Some(host), line.clone())
            } else {
                d.with_evidence(line.clone())
            });
            let text = render(&report, Palette::plain(), Detail::Normal, None);
            let evidence = text
                .split("Evidence:")
                .nth(1)
                .unwrap_or_default()
                .to_string();
            assert!(evidence.contains("another line"), "{text}");
            evidence.contains(&line)
        };
        assert!(!evidence_shown(true, true));
        assert!(evidence_shown(false, true));
        assert!(evidence_shown(true, false));
        assert!(evidence_shown(false, false));
    }

    /// Issue 20 item 12: the step list's columns shifted between rows (a detail
    /// beside a short label, the next one after a long label, the time wherever
    /// the detail ended). At 80 columns and piped, every row's status, layer,
    /// time and label start in one column each, and every detail starts in the
    /// detail column or, on the next line, under the label.
    #[test]
    fn r20_12_step_columns_do_not_shift_between_rows() {
        let mut report = three_host_failure();
        report.steps.push(
            step(
                Layer::Hello,
                "hello",
                Some(HOSTS[0]),
                Status::Pass,
                "MongoDB 8.0.4",
            )
            .took(Duration::from_millis(1234)),
        );
        report.steps.push(step(
            Layer::Auth,
            "saslSupportedMechs admin.app [ac-abc123-shard-00-00.ab1cd.mongodb.net:27017]",
            None,
            Status::Pass,
            "SCRAM-SHA-256",
        ));
        for width in [Some(80), None] {
            let text = render(&report, Palette::plain(), Detail::Verbose, width);
            let lines: Vec<&str> = text.lines().collect();
            let mut label_columns = BTreeSet::new();
            let mut time_ends = BTreeSet::new();
            let mut detail_columns = BTreeSet::new();
            for (i, line) in lines.iter().enumerate() {
                if !["  PASS  ", "  FAIL  "].iter().any(|p| line.starts_with(p)) {
                    continue;
                }
                let time_end = line.find(" ms").expect("a time") + 3;
                time_ends.insert(time_end);
                label_columns.insert(time_end + 2);
                // Labels hold no two spaces: the first run of them ends the label.
                let rest = &line[time_end + 2..];
                if let Some(at) = rest.find("  ") {
                    let gap = rest[at..].len() - rest[at..].trim_start().len();
                    detail_columns.insert(time_end + 2 + at + gap);
                } else {
                    let below = lines[i + 1];
                    let indent = below.len() - below.trim_start().len();
                    assert_eq!(indent, time_end + 2, "not under the label:\n{text}");
                }
            }
            assert_eq!(time_ends.len(), 1, "the time column shifts:\n{text}");
            assert_eq!(label_columns.len(), 1, "the label column shifts:\n{text}");
            assert_eq!(detail_columns.len(), 1, "the detail column shifts:\n{text}");
        }
    }

    fn passing_auth_check() -> Report {
        let mut report = Report::new(
            "auth-check",
            "mongodb://app:****@127.0.0.1:27017/".into(),
            "env:MONGODB_URI".into(),
        );
        report.steps.push(step(
            Layer::Uri,
            "parse",
            None,
            Status::Pass,
            "1 host: 127.0.0.1:27017; TLS off",
        ));
        report.steps.push(
            step(
                Layer::Tcp,
                "connect",
                Some("127.0.0.1:27017"),
                Status::Pass,
                "connected",
            )
            .at("127.0.0.1:27017".parse().unwrap()),
        );
        report.steps.push(step(
            Layer::Hello,
            "hello",
            Some("127.0.0.1:27017"),
            Status::Pass,
            "MongoDB 8.2.11, wire 0..27, primary of replica set secantus",
        ));
        report.steps.push(step(
            Layer::Auth,
            "authenticate app@admin",
            None,
            Status::Pass,
            "SCRAM-SHA-256; roles: readWrite@app; 0 privileges",
        ));
        report.facts.push(Fact::new("MongoDB 8.2.11 at 127.0.0.1:27017, primary of replica set secantus (1 of 1 hosts answered)"));
        report.facts.push(Fact::said_by_step(
            "authenticated as app@admin (SCRAM-SHA-256; roles: readWrite@app; 0 privileges)",
        ));
        report.auth = Some(AuthSummary {
            user: Some("app".into()),
            db: Some("admin".into()),
            mechanism: Some("SCRAM-SHA-256".into()),
            roles: vec![("readWrite".into(), "app".into())],
            privileges: Vec::new(),
        });
        report
    }

    /// The text with every run of whitespace as one space, so wrapped sentences match.
    fn squash(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn assert_fits(text: &str, width: usize) {
        for line in text.lines() {
            // Only a single word longer than the line (a URI) may overflow, on a line of its own.
            assert!(
                line.width() <= width || line.split_whitespace().count() == 1,
                "line wider than {width}: {line:?}\n{text}"
            );
        }
    }

    /// Issue 11 items 8 and 9: a three-host Atlas failure was about 45 broken lines
    /// at 80 columns, with the same sentence per host and the headline two to four times.
    #[test]
    fn r11_three_identical_host_failures_are_one_line_at_80_columns() {
        let report = three_host_failure();
        let text = render(&report, Palette::plain(), Detail::Normal, Some(80));
        assert_fits(&text, 80);
        let said = squash(&text);
        assert_eq!(said.matches("3 of 3 hosts").count(), 2, "{text}"); // tcp and tls
        assert_eq!(
            said.matches("TLS alert 80 (internal_error)").count(),
            1,
            "{text}"
        );
        let summary = Finding::IpAccessListAlert.advice().summary;
        assert_eq!(said.matches(summary).count(), 1, "{text}");
        assert!(text.lines().count() < 30, "{text}");
        insta::assert_snapshot!("three_host_failure_80", text);
        // Piped: no wrapping, one line per step.
        let piped = render(&report, Palette::plain(), Detail::Normal, None);
        assert!(piped.lines().any(|l| l.contains("3 of 3 hosts: the server answered the ClientHello with TLS alert 80 (internal_error) and closed the connection")), "{piped}");
    }

    /// Issue 19 item 2: the verdict line left out a fact whose words a step's
    /// line shared (a substring search over our own sentences), so an IPv6
    /// address in a dns step hid the deployment's one-line fact. Whether a
    /// step says a fact is now typed, set where the fact is made.
    #[test]
    fn r19_a_fact_is_left_out_by_its_type_not_by_shared_words() {
        let mut report = Report::new(
            "ping",
            "mongodb://[2001:db8::1234:5678]/".into(),
            "flag:--uri".into(),
        );
        report.steps.push(step(
            Layer::Dns,
            "A/AAAA 2001:db8::1234:5678",
            None,
            Status::Pass,
            "2001:db8::1234:5678",
        ));
        let deployment =
            "MongoDB 8.0.4 at [2001:db8::1234:5678]:27017, standalone (1 of 1 hosts answered)";
        report.facts.push(Fact::new(deployment));
        report.facts.push(Fact::said_by_step(
            "authenticated as app@admin (PLAIN words)",
        ));
        let text = render(&report, Palette::plain(), Detail::Normal, None);
        let verdict = text.lines().last().unwrap_or_default();
        assert!(verdict.contains(deployment), "{text}");
        assert!(!verdict.contains("authenticated as"), "{text}");
        let quiet = render(&report, Palette::plain(), Detail::Quiet, None);
        assert!(quiet.contains("authenticated as app@admin"), "{quiet}");
    }

    /// Issue 11 item 9: a passing run printed its summary twice.
    #[test]
    fn r11_a_passing_run_says_its_summary_once() {
        let report = passing_auth_check();
        let text = render(&report, Palette::plain(), Detail::Normal, Some(80));
        assert_fits(&text, 80);
        for sentence in [
            "MongoDB 8.2.11 at 127.0.0.1:27017",
            "SCRAM-SHA-256; roles: readWrite@app",
        ] {
            assert_eq!(
                squash(&text).matches(sentence).count(),
                1,
                "{sentence}\n{text}"
            );
        }
        insta::assert_snapshot!("auth_check_ok_80", text);
        let quiet = render(&report, Palette::plain(), Detail::Quiet, Some(80));
        assert!(
            quiet.starts_with("OK auth-check: MongoDB 8.2.11 at 127.0.0.1:27017"),
            "{quiet}"
        );
    }

    #[test]
    fn a_checklist_and_collections_fit_80_columns() {
        let mut report = passing_auth_check();
        report.command = "collections";
        report.steps.push(step(
            Layer::Data,
            "listDatabases",
            None,
            Status::Pass,
            "3 databases: app, local, otherdb",
        ));
        report.data = Some(DataSummary {
            databases: vec!["app".into(), "local".into(), "otherdb".into()],
            database: None,
            ..DataSummary::default()
        });
        let text = render(&report, Palette::plain(), Detail::Normal, Some(80));
        assert_fits(&text, 80);
        assert_eq!(text.matches("--db NAME").count(), 1, "{text}");
        insta::assert_snapshot!("collections_no_db_80", text);

        let mut checklist = passing_auth_check();
        checklist.command = "checklist";
        checklist.checks.push(Check::new(
            crate::model::report::Section::Security,
            "least-privilege",
            Status::Warn,
            "app has a broad role an application user should not have: root",
            Some("instead of `root`, use `readWrite` on `app` (`root` can do anything on every database, including managing users)"),
            vec!["app has root@admin".into()],
        ));
        checklist.checks.push(Check::new(
            crate::model::report::Section::Testing,
            "crud",
            Status::Skip,
            "not enabled",
            None,
            Vec::new(),
        ));
        let text = render(&checklist, Palette::plain(), Detail::Normal, Some(80));
        assert_fits(&text, 80);
        assert_eq!(
            squash(&text)
                .matches("0 passed, 0 failed, 1 warning, 1 skipped")
                .count(),
            1,
            "{text}"
        );
        insta::assert_snapshot!("checklist_warn_80", text);
    }

    /// Issue 15 item 13: a peer's text reached the terminal raw.
    #[test]
    fn r15_text_from_a_peer_cannot_drive_the_terminal() {
        let hostile = "bad \u{1b}]0;owned\u{7}\u{1b}[2J\rOK";
        let mut report = Report::new(
            "ping",
            format!("mongodb://h/{hostile}"),
            "env:MONGODB_URI".into(),
        );
        report.steps.push(step(
            Layer::Hello,
            hostile,
            Some(hostile),
            Status::Fail,
            hostile,
        ));
        report.warnings.push(hostile.into());
        report.facts.push(Fact::new(hostile));
        report.fail(
            Diagnosis::from_finding(Finding::NotMongodb)
                .with_summary(hostile)
                .with_evidence(hostile),
        );
        for detail in [Detail::Quiet, Detail::Normal, Detail::Verbose] {
            for width in [None, Some(80)] {
                let text = render(&report, Palette::plain(), detail, width);
                assert!(
                    !text.chars().any(|c| c.is_control() && c != '\n'),
                    "{text:?}"
                );
                assert!(text.contains("\\x1b[2J\\rOK"), "{text}");
            }
        }
    }
}
