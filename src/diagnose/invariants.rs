//! The invariants of a verdict (DESIGN.md), enforced once on every report.

use super::connect::internal;
use crate::model::class::Class;
use crate::model::report::{Check, Report, Section};
use crate::model::step::{Status, Step};

/// The invariants of a verdict (DESIGN.md), enforced here, once, on every
/// report before any renderer sees it, so that no format can disagree. They
/// may add to the report, never rewrite what the layers and the judge said:
/// - a `fail` step or check means a failing class: one left on a passing run
///   is atlas-doctor's own inconsistency, reported as `internal`, never `ok`;
/// - a failing class has at least one `fail` step (and, for the checklist, a
///   failing item), so JUnit shows a failing case and human output a FAIL line:
///   when none failed, a `verdict` step (and item) saying the verdict is added.
pub fn settle(report: &mut Report) {
    // Steps that carry typed facts get their words first: every check below
    // and every renderer reads the same detail.
    super::steps::word_steps(&mut report.steps);
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
            report.class.layer(),
            "verdict",
            Status::Fail,
            summary.clone(),
        ));
    }
    if !report.checks.is_empty() && !report.checks.iter().any(|c| c.status == Status::Fail) {
        let fix = report
            .diagnosis
            .as_ref()
            .and_then(|d| d.fixes.first().cloned());
        report.checks.push(Check::new(
            Section::Testing,
            "verdict",
            Status::Fail,
            summary,
            fix.as_deref(),
            Vec::new(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::connect::{failure, judge_steps};
    use crate::model::failure::Failure;
    use crate::model::step::Layer;

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
        assert_eq!(report.verdict(), crate::model::report::Verdict::Fail);
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
        report.steps = judge_steps(std::mem::take(&mut report.steps), &[], &[]);
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.verdict(), crate::model::report::Verdict::Ok);
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
        report.warnings.push("a:1: refused".into());
        report.steps = judge_steps(
            std::mem::take(&mut report.steps),
            &["b:2".into()],
            &["a:1".into()],
        );
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps[0].status, Status::Warn);
        assert_eq!(report.verdict(), crate::model::report::Verdict::Warn);
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
        report.steps = judge_steps(
            std::mem::take(&mut report.steps),
            &["a.example.test:27017".into()],
            &[],
        );
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps[0].status, Status::Warn);
        assert_eq!(report.verdict(), crate::model::report::Verdict::Warn);
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
    fn a_failing_class_without_a_failing_item_gains_one_and_rewrites_none() {
        let mut report = report_with(Vec::new());
        report.command = "checklist";
        for id in ["connection", "authentication", "collections"] {
            report.checks.push(Check::new(
                Section::Testing,
                id,
                Status::Pass,
                "fine",
                None,
                Vec::new(),
            ));
        }
        let before = report.checks.clone();
        report.fail(failure(&Failure::NoPrimary {
            members: vec!["h:1 (secondary of replica set rs0)".into()],
        }));
        settle(&mut report);
        assert_eq!(report.checks[..3], before[..]);
        let failed: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.id)
            .collect();
        assert_eq!(failed, ["verdict"]);
        assert!(failing_junit_cases(&report) >= 1);
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
