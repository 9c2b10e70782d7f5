//! The invariants of a verdict (DESIGN.md), enforced once on every report.

use super::{internal, layer_of};
use crate::model::class::Class;
use crate::model::report::Report;
use crate::model::step::{Layer, Status, Step};

/// The invariants of a verdict (DESIGN.md), enforced here, once, on every
/// report before any renderer sees it, so that no format can disagree:
/// - one address of a host failing while another address of the same host
///   connected (IPv6 refused, IPv4 up) is not a failure: that step is `skip`;
/// - a host that failed while another host of the deployment works is `warn`;
/// - a `fail` step or check means a failing class: one left on a passing run
///   is atlas-doctor's own inconsistency, reported as `internal`, never `ok`;
/// - a failing class has at least one `fail` step (and, for the checklist, a
///   failing item), so JUnit shows a failing case and human output a FAIL line.
pub fn settle(report: &mut Report) {
    let connected_hosts: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.layer == Layer::Tcp && s.status == Status::Pass)
        .filter_map(|s| s.host.clone())
        .collect();
    for step in &mut report.steps {
        let Some(host) = step.host.as_deref() else {
            continue;
        };
        if step.status != Status::Fail {
            continue;
        }
        if step.layer == Layer::Tcp && connected_hosts.iter().any(|h| h == host) {
            step.status = Status::Skip;
            step.detail = format!("{}; another address of this host connected", step.detail);
        } else if report.degraded_hosts.iter().any(|h| h == host)
            || (step.layer <= Layer::Hello
                && !report.answered_hosts.is_empty()
                && !report.answered_hosts.iter().any(|h| h == host))
        {
            // Another host of the deployment answered (a host whose name did
            // not resolve, or that refused, while the others work).
            step.status = Status::Warn;
        }
    }

    let failing_step = report.steps.iter().any(|s| s.status == Status::Fail);
    let failing_check = report.checks.iter().any(|c| c.status == Status::Fail);
    if report.class == Class::Ok && (failing_step || failing_check) {
        let what = report
            .steps
            .iter()
            .find(|s| s.status == Status::Fail)
            .map(|s| format!("step {} {} failed", s.layer.as_str(), s.name))
            .or_else(|| {
                report
                    .checks
                    .iter()
                    .find(|c| c.status == Status::Fail)
                    .map(|c| format!("checklist item {} failed", c.id))
            })
            .unwrap_or_default();
        report.fail(
            internal(&what)
                .with_summary("atlas-doctor found a failure it could not classify: it cannot vouch for this connection."),
        );
    }

    if report.class == Class::Ok {
        return;
    }
    let summary = report
        .diagnosis
        .as_ref()
        .map(|d| d.summary.clone())
        .unwrap_or_default();
    if !report.steps.iter().any(|s| s.status == Status::Fail) {
        report.steps.push(Step::new(
            layer_of(report.class),
            "verdict",
            Status::Fail,
            summary.clone(),
        ));
    }
    if !report.checks.is_empty() && !report.checks.iter().any(|c| c.status == Status::Fail) {
        let id = match layer_of(report.class) {
            Layer::Auth => "authentication",
            Layer::Data => "collections",
            _ => "connection",
        };
        if let Some(check) = report.checks.iter_mut().find(|c| c.id == id) {
            check.status = Status::Fail;
            check.summary = summary;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{auth_failure, failure};
    use crate::probe::{Failure, auth};
    use std::time::Duration;

    fn report_with(steps: Vec<Step>) -> Report {
        let mut report = Report::new("ping", "mongodb://h/".into(), "flag:--uri".into());
        report.steps = steps;
        report
    }

    fn failing_junit_cases(report: &Report) -> usize {
        let xml = crate::report::junit::render(report);
        xml.matches("<failure").count()
    }

    #[test]
    fn a_fail_step_on_a_passing_run_is_never_ok() {
        // Before: `FAIL hello ping` inside a run that exited 0.
        let mut report = report_with(vec![
            Step::new(Layer::Hello, "hello", Status::Pass, "ok").on("h:1"),
            Step::new(Layer::Hello, "ping", Status::Fail, "no reply").on("h:1"),
        ]);
        settle(&mut report);
        assert_ne!(report.class, Class::Ok);
        assert_eq!(report.verdict(), crate::report::Verdict::Fail);
        assert_eq!(report.class, Class::Internal);
        assert_eq!(report.exit_code(), crate::model::exit::INTERNAL);
    }

    #[test]
    fn another_address_of_the_same_host_working_is_not_a_failure() {
        let mut report = report_with(vec![
            Step::new(
                Layer::Tcp,
                "connect [::1]:27017",
                Status::Fail,
                "connection refused",
            )
            .on("localhost:27017"),
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:27017",
                Status::Pass,
                "connected",
            )
            .on("localhost:27017"),
            Step::new(Layer::Hello, "hello", Status::Pass, "ok").on("localhost:27017"),
        ]);
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.verdict(), crate::report::Verdict::Ok);
        assert_eq!(report.steps[0].status, Status::Skip);
        assert_eq!(failing_junit_cases(&report), 0);
    }

    #[test]
    fn a_host_failing_while_another_works_is_a_warning() {
        let mut report = report_with(vec![
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:1",
                Status::Fail,
                "connection refused",
            )
            .on("a:1"),
            Step::new(Layer::Tcp, "connect 127.0.0.1:2", Status::Pass, "connected").on("b:2"),
        ]);
        report.degraded_hosts.push("a:1".into());
        report.warnings.push("a:1: refused".into());
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps[0].status, Status::Warn);
        assert_eq!(report.verdict(), crate::report::Verdict::Warn);
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn a_host_whose_name_does_not_resolve_while_another_answers_is_a_warning() {
        let mut report = report_with(vec![
            Step::new(
                Layer::Dns,
                "A/AAAA b.example.test",
                Status::Fail,
                "no such name",
            )
            .on("b.example.test:27017"),
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:27017",
                Status::Pass,
                "connected",
            )
            .on("a.example.test:27017"),
            Step::new(Layer::Hello, "hello", Status::Pass, "ok").on("a.example.test:27017"),
        ]);
        report.answered_hosts.push("a.example.test:27017".into());
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps[0].status, Status::Warn);
        assert_eq!(report.verdict(), crate::report::Verdict::Warn);
    }

    #[test]
    fn a_failing_class_always_has_a_failing_junit_case_and_one_exit_code() {
        // Before: a secondary without a primary exited 15 with 0 JUnit failures.
        let mut report = report_with(vec![
            Step::new(Layer::Hello, "hello", Status::Pass, "secondary of rs0").on("h:1"),
        ]);
        report.fail(failure(&Failure::NoPrimary {
            members: vec!["h:1 (secondary of replica set rs0)".into()],
        }));
        settle(&mut report);
        assert!(failing_junit_cases(&report) >= 1);
        let json: serde_json::Value =
            serde_json::from_str(&crate::report::json::render(&report)).unwrap();
        assert_eq!(json["exit_code"], u64::from(report.exit_code()));
        assert_eq!(json["class"], "server");
        assert_eq!(json["verdict"], "fail");
        assert_eq!(report.exit_code(), crate::model::exit::SERVER);
    }

    #[test]
    fn a_failing_class_fails_the_checklist_item_of_its_layer() {
        let mut report = report_with(Vec::new());
        report.command = "checklist";
        for id in ["connection", "authentication", "collections"] {
            report.checks.push(crate::report::Check::new(
                crate::report::Section::Testing,
                id,
                Status::Pass,
                "fine",
                None,
                Vec::new(),
            ));
        }
        report.fail(auth_failure(&auth::Failure::Silent {
            command: "connectionStatus".into(),
            after: Duration::from_secs(1),
        }));
        settle(&mut report);
        assert_eq!(report.class, Class::Server);
        assert!(failing_junit_cases(&report) >= 1);
        let failed: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.id)
            .collect();
        assert_eq!(failed, ["connection"]);
    }

    #[test]
    fn an_ok_run_stays_ok() {
        let mut report = report_with(vec![
            Step::new(Layer::Tcp, "connect 127.0.0.1:1", Status::Pass, "connected").on("h:1"),
        ]);
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps.len(), 1);
    }
}
