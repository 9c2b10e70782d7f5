//! `--from-code`'s findings in plain words: the groups the renderers show
//! (failing ones as steps, the rest as facts), the checklist item's words and
//! the diagnosis when the code and the database disagree.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::code::{CodeReport, Missing, Place};
use crate::model::finding::Finding;
use crate::model::step::Status;
use crate::model::verdict::Diagnosis;

/// One kind of finding, with its entries (shortest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub title: &'static str,
    /// `Fail` for what fails the run (missing collections, typos, undefined
    /// accessors), `Warn` for names not checked (built at run time), `Pass`
    /// for information (collections the code never names).
    pub status: Status,
    pub entries: Vec<String>,
}

impl Group {
    /// `title: a, b, c`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.title, self.entries.join(", "))
    }
}

/// The places, as `file:line, file:line`.
fn places(places: &[Place]) -> String {
    places
        .iter()
        .map(|p| format!("{}:{}", p.file.display(), p.line))
        .collect::<Vec<_>>()
        .join(", ")
}

fn shortest_first(mut entries: Vec<String>) -> Vec<String> {
    entries.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    entries
}

/// What the code read: `13 of 15 source files mention MongoDB; 33 references to 23 collections`.
pub fn summary(cr: &CodeReport) -> String {
    let code = &cr.code;
    let names: BTreeSet<&str> = code.references.iter().map(|r| r.name.as_str()).collect();
    let never = code
        .files_read
        .saturating_sub(code.files_parsed + code.not_parsed_total);
    let mut why = Vec::new();
    if code.not_parsed_total > 0 {
        why.push(format!("{} too large or too deep", code.not_parsed_total));
    }
    if never > 0 {
        why.push(if why.is_empty() {
            "the others never mention MongoDB or a collection".to_string()
        } else {
            format!("{never} never mention MongoDB or a collection")
        });
    }
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" ({})", why.join(", "))
    };
    let mut line = format!(
        "{} of {} parsed{why}; {} to {}",
        code.files_parsed,
        crate::words::count(code.files_read, "source file"),
        crate::words::count(code.references.len(), "reference"),
        crate::words::count(names.len(), "collection"),
    );
    if let Some(database) = &cr.database {
        let _ = write!(line, " compared with {database}");
    }
    if code.truncated {
        let _ = write!(
            line,
            "; the walk stopped at its cap of {} entries",
            crate::walk::MAX_ENTRIES
        );
    }
    if code.facts_dropped > 0 {
        let _ = write!(
            line,
            "; {} past the caps not checked",
            crate::words::count_as(code.facts_dropped, "name", "names")
        );
    }
    line
}

/// The findings, grouped: failing groups first, each part shortest first.
pub fn groups(cr: &CodeReport) -> Vec<Group> {
    let mut failing = Vec::new();
    let mut info = Vec::new();
    if let Some(f) = &cr.findings {
        let typo_code: BTreeSet<&str> = f.near_misses.iter().map(|n| n.code.as_str()).collect();
        let typo_db: BTreeSet<&str> = f.near_misses.iter().map(|n| n.database.as_str()).collect();
        let missing: Vec<String> = f
            .missing_in_database
            .iter()
            .filter(|m| !typo_code.contains(m.name.as_str()))
            .map(|m: &Missing| format!("{} ({})", m.name, places(&m.places)))
            .collect();
        push(
            &mut failing,
            "missing in the database",
            Status::Fail,
            missing,
        );
        let typos = f
            .near_misses
            .iter()
            .map(|n| {
                format!(
                    "{} in the code, {} in the database ({})",
                    n.code,
                    n.database,
                    places(&n.places)
                )
            })
            .collect();
        push(&mut failing, "likely typos", Status::Fail, typos);
        let accessors = f
            .accessors_missing
            .iter()
            .map(|m| format!("{}() ({})", m.name, places(&m.places)))
            .collect();
        push(
            &mut failing,
            "accessors defined nowhere",
            Status::Fail,
            accessors,
        );
        let unused = f
            .unused_in_code
            .iter()
            .filter(|n| !typo_db.contains(n.as_str()))
            .cloned()
            .collect();
        push(
            &mut info,
            "never referenced in the code",
            Status::Pass,
            unused,
        );
    }
    let built = cr
        .code
        .unresolved
        .iter()
        .map(|u| format!("{}:{} {}", u.file.display(), u.line, u.expression))
        .collect();
    push(
        &mut info,
        "built at run time, not checked",
        Status::Warn,
        built,
    );
    let skipped: Vec<String> = cr
        .code
        .not_parsed
        .iter()
        .map(|n| format!("{} ({})", n.file.display(), n.reason.words()))
        .collect();
    let unlisted = cr.code.not_parsed_total.saturating_sub(skipped.len());
    push(&mut info, "not parsed, not checked", Status::Warn, skipped);
    if unlisted > 0
        && let Some(group) = info.last_mut()
    {
        group.entries.push(format!("and {unlisted} more"));
    }
    let by_length = |g: &Group| g.line().len();
    failing.sort_by_key(by_length);
    info.sort_by_key(by_length);
    failing.extend(info);
    failing
}

fn push(groups: &mut Vec<Group>, title: &'static str, status: Status, entries: Vec<String>) {
    if !entries.is_empty() {
        groups.push(Group {
            title,
            status,
            entries: shortest_first(entries),
        });
    }
}

/// The diagnosis when the code and the database disagree, or no database was listed.
pub fn failure(cr: &CodeReport) -> Option<Diagnosis> {
    let Some(f) = &cr.findings else {
        return Some(Diagnosis::from_finding(Finding::CodeNoDatabase));
    };
    let database = cr.database.as_deref().unwrap_or("?");
    if !f.missing_in_database.is_empty() {
        let mut summary = format!(
            "The code uses {} that {database:?} lacks",
            crate::words::count(f.missing_in_database.len(), "collection")
        );
        if !f.accessors_missing.is_empty() {
            let _ = write!(
                summary,
                ", and calls {} defined nowhere",
                crate::words::count(f.accessors_missing.len(), "accessor")
            );
        }
        summary.push('.');
        return Some(
            Diagnosis::from_finding(Finding::CodeCollectionsMissing).with_summary(summary),
        );
    }
    if !f.accessors_missing.is_empty() {
        let names: Vec<String> = f
            .accessors_missing
            .iter()
            .map(|m| format!("{}()", m.name))
            .collect();
        return Some(
            Diagnosis::from_finding(Finding::CodeAccessorsUndefined).with_summary(format!(
                "The code calls {} defined nowhere in its tree: {}.",
                crate::words::count(names.len(), "collection accessor"),
                names.join(", ")
            )),
        );
    }
    None
}
