//! `--format junit`: JUnit XML for CI test reporters: one testsuite per
//! checklist section (or one for the layers), one testcase per item.

use std::fmt::Write as _;

use crate::model::report::{Check, Report, Section};
use crate::model::step::Status;

/// Escapes text for XML attributes and content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A raw CR from a peer would start a line of its own in the reader's
            // view (issue 21): shown, not kept.
            '\r' => out.push_str("\\r"),
            // XML 1.0 forbids most control characters even escaped; ESC and the
            // C1 controls would reach a terminal that shows the report.
            c if c.is_control() && !matches!(c, '\t' | '\n') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

struct Case {
    name: String,
    classname: String,
    status: Status,
    message: String,
    body: String,
    /// The step's or the item's duration: microseconds, so that a loopback
    /// step of 0.2 ms is not written as 0.000.
    seconds: f64,
}

/// Renders the report as a `<testsuites>` document.
pub fn render(report: &Report) -> String {
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();
    if report.checks.is_empty() {
        let cases = report
            .steps
            .iter()
            .map(|s| Case {
                // No resolved address in the name: a CI test history must survive
                // Atlas moving a node to another IP. The host is the seed list's name.
                name: format!(
                    "{} {}{}",
                    s.layer.as_str(),
                    s.name.without_addresses(),
                    s.host
                        .as_deref()
                        .map(|h| format!(" [{h}]"))
                        .unwrap_or_default()
                ),
                classname: format!("atlas-doctor.{}", report.command),
                status: s.status,
                message: s.detail.clone(),
                body: report
                    .diagnosis
                    .as_ref()
                    .filter(|_| s.status == Status::Fail)
                    .map(|d| {
                        std::iter::once(&d.summary)
                            .chain(&d.fixes)
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default(),
                seconds: s.duration.as_secs_f64(),
            })
            .collect();
        suites.push((
            format!("atlas-doctor {}", report.command),
            unique_names(cases),
        ));
    } else {
        for section in [Section::Security, Section::Testing] {
            let cases: Vec<Case> = report
                .checks
                .iter()
                .filter(|c| c.section == section)
                .map(check_case)
                .collect();
            suites.push((format!("{} checklist", section.as_str()), cases));
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let failures = suites
        .iter()
        .flat_map(|(_, c)| c)
        .filter(|c| c.status == Status::Fail)
        .count();
    let _ = writeln!(
        out,
        "<testsuites name=\"atlas-doctor\" tests=\"{total}\" failures=\"{failures}\">"
    );
    for (name, cases) in &suites {
        let count = |s| cases.iter().filter(|c| c.status == s).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            escape(name),
            cases.len(),
            count(Status::Fail),
            count(Status::Skip)
        );
        for case in cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.6}\"",
                escape(&case.name),
                escape(&case.classname),
                case.seconds
            );
            match case.status {
                Status::Pass => out.push_str("/>\n"),
                Status::Fail => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        escape(&case.message),
                        escape(&case.body)
                    );
                }
                Status::Skip => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        escape(&case.message)
                    );
                }
                Status::Warn => {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>WARN: {}</system-out>\n    </testcase>",
                        escape(&case.message)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Numbers the second and later cases of one name (`tcp connect [localhost:27017] (2)`):
/// with the addresses left out of names, the `::1` and `127.0.0.1` attempts on one host
/// would otherwise be two cases of one name, which CI reporters merge or drop.
fn unique_names(mut cases: Vec<Case>) -> Vec<Case> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for case in &mut cases {
        let count = seen.entry(case.name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            case.name = format!("{} ({count})", case.name);
        }
    }
    cases
}

fn check_case(c: &Check) -> Case {
    let mut body = c.evidence.join("\n");
    if let Some(fix) = &c.fix {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str("fix: ");
        body.push_str(fix);
    }
    Case {
        name: c.id.to_string(),
        classname: format!("atlas-doctor.{}", c.section.as_str()),
        status: c.status,
        message: c.summary.clone(),
        body,
        seconds: c.duration.as_secs_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11 item 13: test names held resolved IPs, so a CI history broke when Atlas moved a node.
    #[test]
    fn r11_test_names_survive_a_node_moving_to_another_address() {
        let names = |ip: &str| {
            let mut report = Report::new(
                "ping",
                "mongodb+srv://c.example.net/".into(),
                "default".into(),
            );
            for (layer, name, dialled) in [
                (
                    crate::model::step::Layer::Dns,
                    "A/AAAA shard-00-00.c.example.net",
                    None,
                ),
                (
                    crate::model::step::Layer::Tcp,
                    "connect",
                    Some(format!("{ip}:27017").parse().unwrap()),
                ),
                (crate::model::step::Layer::Tls, "handshake", None),
            ] {
                let mut step = crate::model::step::Step::new(layer, name, Status::Pass, ip)
                    .on("shard-00-00.c.example.net:27017");
                step.name.address = dialled;
                report.steps.push(step);
            }
            let xml = render(&report);
            xml.lines()
                .filter_map(|l| l.split("name=\"").nth(1))
                .filter_map(|l| l.split('"').next())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let before = names("10.0.0.7");
        assert_eq!(before, names("10.9.8.6"));
        assert!(before.iter().all(|n| !n.contains("10.0.0.7")), "{before:?}");
        assert!(
            before.contains(&"tcp connect [shard-00-00.c.example.net:27017]".to_string()),
            "{before:?}"
        );
    }

    /// `localhost` tried on `::1` and on 127.0.0.1: with the addresses out of the
    /// names, the two attempts were two test cases of one name.
    #[test]
    fn two_addresses_of_one_host_are_two_distinct_cases() {
        let mut report = Report::new("ping", "mongodb://localhost:1/".into(), "default".into());
        for ip in ["[::1]", "127.0.0.1"] {
            report.steps.push(
                crate::model::step::Step::new(
                    crate::model::step::Layer::Tcp,
                    "connect",
                    Status::Fail,
                    "connection refused",
                )
                .on("localhost:1")
                .at(format!("{ip}:1").parse().unwrap()),
            );
        }
        let xml = render(&report);
        let names: Vec<&str> = xml
            .lines()
            .filter(|l| l.contains("<testcase"))
            .filter_map(|l| l.split("name=\"").nth(1))
            .filter_map(|l| l.split('"').next())
            .collect();
        assert_eq!(
            names,
            ["tcp connect [localhost:1]", "tcp connect [localhost:1] (2)"]
        );
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;?");
    }
}
