//! The checklist's judgement: which items fail, and the class of a run whose
//! layers all worked. Items are made from the evidence by `checklist`; here they
//! are judged against the verdict the layers reached and `--fail-on`.

use crate::model::class::Class;
use crate::model::report::{Check, Report};
use crate::model::step::{Layer, Status};
use crate::model::verdict::Diagnosis;

/// The item that stands for a layer's failure, when the checklist has one.
fn item_of(layer: Layer) -> &'static str {
    match layer {
        Layer::Auth => "authentication",
        Layer::Data => "collections",
        _ => "connection",
    }
}

/// Judges the checklist's items in place and decides the class of a run whose
/// layers all worked:
/// - with `--fail-on warn` (`warnings_fail`), a warned item is a failed item (and
///   no other item changes);
/// - a run that failed at a layer fails the item of that layer, with the
///   verdict's words, when the item's own evidence looked fine (a resolver
///   that broke while the fallback answered, a fact from the Atlas API);
/// - a run whose layers all worked is `checks_failed` when an item failed.
pub fn judge(report: &mut Report, warnings_fail: bool) {
    if warnings_fail {
        for check in &mut report.checks {
            if check.status == Status::Warn {
                check.status = Status::Fail;
            }
        }
    }
    let failed = |c: &Check| c.status == Status::Fail;
    if report.class != Class::Ok {
        if let Some(d) = &report.diagnosis
            && !report.checks.iter().any(failed)
        {
            let id = item_of(report.class.layer());
            if let Some(check) = report.checks.iter_mut().find(|c| c.id == id) {
                check.status = Status::Fail;
                check.summary.clone_from(&d.summary);
            }
        }
        return;
    }
    let failed: Vec<&Check> = report.checks.iter().filter(|c| failed(c)).collect();
    if failed.is_empty() {
        return;
    }
    let names = failed
        .iter()
        .map(|c| format!("{}/{}", c.section.as_str(), c.id))
        .collect::<Vec<_>>();
    let diagnosis = Diagnosis {
        class: Class::ChecksFailed,
        finding: None,
        summary: format!(
            "{} {}: {}",
            crate::words::count(failed.len(), "checklist item"),
            if warnings_fail {
                "failed or warned (--fail-on warn)"
            } else {
                "failed"
            },
            names.join(", ")
        ),
        causes: failed
            .iter()
            .map(|c| format!("{}: {}", c.id, c.summary))
            .collect(),
        fixes: failed
            .iter()
            .filter_map(|c| c.fix.as_ref().map(|f| format!("{}: {f}", c.id)))
            .collect(),
        evidence: Vec::new(),
        subject: None,
        failure_line: None,
    };
    report.fail(diagnosis);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::Section;

    fn checklist(statuses: &[(&'static str, Status)]) -> Report {
        let mut report = Report::new("checklist", "mongodb://h/".into(), "flag:--uri".into());
        for (id, status) in statuses {
            report.checks.push(Check::new(
                Section::Testing,
                id,
                *status,
                "seen",
                None,
                Vec::new(),
            ));
        }
        report
    }

    fn failing(report: &Report) -> Vec<&'static str> {
        report
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn fail_on_warn_fails_the_warned_items_and_nothing_else() {
        let items = [
            ("connection", Status::Pass),
            ("least-privilege", Status::Warn),
            ("collections", Status::Pass),
            ("crud", Status::Skip),
        ];
        let mut report = checklist(&items);
        judge(&mut report, true);
        assert_eq!(report.class, Class::ChecksFailed);
        assert_eq!(failing(&report), ["least-privilege"]);
        assert_eq!(report.checks[3].status, Status::Skip);

        let mut report = checklist(&items);
        judge(&mut report, false);
        assert_eq!(report.class, Class::Ok);
        assert!(failing(&report).is_empty());
    }

    #[test]
    fn a_failing_class_fails_the_checklist_item_of_its_layer() {
        let mut report = checklist(&[
            ("connection", Status::Pass),
            ("authentication", Status::Pass),
            ("collections", Status::Pass),
        ]);
        report.fail(Diagnosis::from_finding(
            crate::model::finding::Finding::ServerSilent,
        ));
        judge(&mut report, false);
        assert_eq!(report.class, Class::Server);
        assert_eq!(failing(&report), ["connection"]);
    }
}
