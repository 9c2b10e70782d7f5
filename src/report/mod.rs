//! The report of a run and its renderers. Renderers only render: they take a
//! `Report` and return text; they never probe and never decide the verdict.

pub mod explain;
pub mod file;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod style;
pub mod text;

use crate::class::Class;
use crate::diagnose::Diagnosis;
use crate::probe::{RttStats, Status, Step};

/// The whole outcome of one command.
#[derive(Debug, Clone)]
pub struct Report {
    pub command: &'static str,
    /// Redacted connection string.
    pub target_uri: String,
    /// Where it came from (`flag:--uri`, `env:MONGODB_URI`, ...).
    pub target_source: String,
    pub class: Class,
    pub diagnosis: Option<Diagnosis>,
    /// Things that did not fail the run but deserve a look.
    pub warnings: Vec<String>,
    /// Hosts (`host:port`) that failed while another host of the deployment
    /// worked: their failed steps are warnings (`diagnose::settle`).
    pub degraded_hosts: Vec<String>,
    /// Hosts (`host:port`) that completed the handshake: while one does, a
    /// connectivity step failing on another host is a warning.
    pub answered_hosts: Vec<String>,
    pub steps: Vec<Step>,
    pub checks: Vec<Check>,
    pub rtt: Option<RttStats>,
    /// One-line facts about the deployment (version, topology).
    pub facts: Vec<String>,
    /// The deployment as the handshakes describe it; `None` when no host answered.
    pub deployment: Option<crate::probe::Deployment>,
    /// `(host:port, evidence)` of every host whose TLS handshake worked.
    pub tls: Vec<(String, crate::probe::tls::Evidence)>,
    /// Who the server says we are (auth-check, collections, checklist).
    pub auth: Option<AuthSummary>,
    /// What the user may see (collections).
    pub data: Option<DataSummary>,
    /// Stopped by a signal after cleaning up: exit 128 + its number.
    pub interrupted: Option<crate::stop::Signal>,
    /// What the Atlas Administration API said (`--atlas-api`); `None` when off.
    pub atlas: Option<crate::atlas::Facts>,
    /// checklist: the credential scan, when it ran (SARIF's results).
    pub scan: Option<crate::scan::Scan>,
}

/// The identity `connectionStatus` reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSummary {
    /// `None` when no credentials were given and the server let us in.
    pub user: Option<String>,
    pub db: Option<String>,
    pub mechanism: Option<String>,
    /// `(role, db)`.
    pub roles: Vec<(String, String)>,
    /// `(resource, actions)`.
    pub privileges: Vec<(String, Vec<String>)>,
}

/// The databases and collections the user may see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataSummary {
    pub databases: Vec<String>,
    /// The database whose collections were listed.
    pub database: Option<String>,
    pub collections: Vec<CollectionRow>,
    /// No database chosen: each database the user may see, with its collections.
    pub every_database: Vec<(String, Vec<CollectionRow>)>,
    /// Databases beyond the listed ones.
    pub databases_not_listed: usize,
}

/// One row of the collections table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRow {
    pub name: String,
    /// `collection`, `view`, `timeseries`.
    pub kind: String,
    /// Estimated document count, when the user may count.
    pub documents: Option<u64>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub section: Section,
    pub id: &'static str,
    pub status: Status,
    pub summary: String,
    pub fix: Option<String>,
    pub evidence: Vec<String>,
}

impl Check {
    pub fn new(
        section: Section,
        id: &'static str,
        status: Status,
        summary: impl Into<String>,
        fix: Option<&str>,
        evidence: Vec<String>,
    ) -> Self {
        Check {
            section,
            id,
            status,
            summary: summary.into(),
            fix: fix.map(str::to_string),
            evidence,
        }
    }
}

/// `text` without the host it concerns and without IP addresses, so the same
/// step on two hosts (or after a node's IP changed) reads the same. JUnit names
/// use it too, so a CI test history survives Atlas moving a node.
pub fn without_addresses(text: &str, host: Option<&str>) -> String {
    text.split_whitespace()
        .filter(|word| {
            let punctuation = word.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';'));
            let bracketed = punctuation.trim_matches(|c: char| matches!(c, '[' | ']'));
            ![punctuation, bracketed].into_iter().any(|bare| {
                Some(bare) == host
                    || bare.parse::<std::net::IpAddr>().is_ok()
                    || bare.parse::<std::net::SocketAddr>().is_ok()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `12 passed, 1 failed, 2 warnings, 1 skipped`: the checklist's one-line summary.
pub fn summary_line(checks: &[Check]) -> String {
    let count = |status| checks.iter().filter(|c| c.status == status).count();
    format!(
        "{} passed, {} failed, {}, {} skipped",
        count(Status::Pass),
        count(Status::Fail),
        crate::words::count(count(Status::Warn), "warning"),
        count(Status::Skip)
    )
}

/// The two checklists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Security,
    Testing,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Security => "security",
            Section::Testing => "testing",
        }
    }
}

/// `ok`, `warn` or `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

impl Report {
    /// A report with nothing in it yet.
    pub fn new(command: &'static str, target_uri: String, target_source: String) -> Self {
        Report {
            command,
            target_uri,
            target_source,
            class: Class::Ok,
            diagnosis: None,
            warnings: Vec::new(),
            degraded_hosts: Vec::new(),
            answered_hosts: Vec::new(),
            steps: Vec::new(),
            checks: Vec::new(),
            rtt: None,
            facts: Vec::new(),
            deployment: None,
            tls: Vec::new(),
            auth: None,
            data: None,
            interrupted: None,
            atlas: None,
            scan: None,
        }
    }

    /// Fail with a diagnosis; its class decides the exit code. The first
    /// failure wins: layers fold in order, so it is the earliest layer's.
    pub fn fail(&mut self, diagnosis: Diagnosis) {
        if self.diagnosis.is_some() {
            return;
        }
        self.class = diagnosis.class;
        self.diagnosis = Some(diagnosis);
    }

    pub fn verdict(&self) -> Verdict {
        if self.class != Class::Ok {
            Verdict::Fail
        } else if !self.warnings.is_empty()
            || self.steps.iter().any(|s| s.status == Status::Warn)
            || self.checks.iter().any(|c| c.status == Status::Warn)
        {
            Verdict::Warn
        } else {
            Verdict::Ok
        }
    }

    /// Caps every string in the report at `text::MAX_BYTES`, before any
    /// renderer or report file sees it: a server's error message, set name or
    /// certificate subject may be megabytes, and no format should carry that.
    pub fn cap_strings(&mut self) {
        use text::cap_in_place as cap;
        cap(&mut self.target_uri);
        cap(&mut self.target_source);
        self.warnings.iter_mut().for_each(cap);
        self.facts.iter_mut().for_each(cap);
        for step in &mut self.steps {
            cap(&mut step.name);
            cap(&mut step.detail);
            if let Some(host) = &mut step.host {
                cap(host);
            }
        }
        if let Some(d) = &mut self.diagnosis {
            cap(&mut d.summary);
            d.causes.iter_mut().for_each(cap);
            d.fixes.iter_mut().for_each(cap);
            d.evidence.iter_mut().for_each(cap);
        }
        for check in &mut self.checks {
            cap(&mut check.summary);
            check.fix.iter_mut().for_each(cap);
            check.evidence.iter_mut().for_each(cap);
        }
        if let Some(auth) = &mut self.auth {
            auth.user.iter_mut().for_each(cap);
            auth.db.iter_mut().for_each(cap);
            auth.mechanism.iter_mut().for_each(cap);
            for (role, db) in &mut auth.roles {
                cap(role);
                cap(db);
            }
            for (resource, actions) in &mut auth.privileges {
                cap(resource);
                actions.iter_mut().for_each(cap);
            }
        }
        if let Some(d) = &mut self.deployment {
            d.server_version.iter_mut().for_each(cap);
            d.set_name.iter_mut().for_each(cap);
            d.primary.iter_mut().for_each(cap);
        }
        for (host, tls) in &mut self.tls {
            cap(host);
            tls.protocol.iter_mut().for_each(cap);
            tls.cipher.iter_mut().for_each(cap);
            tls.sni.iter_mut().for_each(cap);
            tls.ignored.iter_mut().for_each(cap);
            for cert in &mut tls.chain {
                cap(&mut cert.subject);
                cap(&mut cert.issuer);
                cert.names.iter_mut().for_each(cap);
            }
        }
        self.degraded_hosts.iter_mut().for_each(cap);
        self.answered_hosts.iter_mut().for_each(cap);
        if let Some(scan) = &mut self.scan {
            for hit in &mut scan.hits {
                cap(&mut hit.redacted);
            }
        }
        if let Some(atlas) = &mut self.atlas {
            cap_atlas(atlas);
        }
        if let Some(data) = &mut self.data {
            data.databases.iter_mut().for_each(cap);
            data.database.iter_mut().for_each(cap);
            for (database, rows) in &mut data.every_database {
                cap(database);
                for c in rows {
                    cap(&mut c.name);
                    cap(&mut c.kind);
                }
            }
            for c in &mut data.collections {
                cap(&mut c.name);
                cap(&mut c.kind);
            }
        }
    }

    pub fn exit_code(&self) -> u8 {
        if let Some(signal) = self.interrupted {
            return signal.exit_code();
        }
        self.class.exit_code()
    }
}

/// Seconds since the Unix epoch as RFC 3339 UTC (`2027-01-05T10:00:00Z`), without a date crate.
pub fn rfc3339(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let rem = unix_secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}

/// The strings of the Atlas Administration API's answers and errors, capped like
/// every other server-supplied string (its `detail` can be megabytes).
fn cap_atlas(atlas: &mut crate::atlas::Facts) {
    use crate::atlas::{Error as ApiError, ErrorKind};
    use text::cap_in_place as cap;
    for step in &mut atlas.steps {
        cap(&mut step.name);
        cap(&mut step.detail);
    }
    for error in &mut atlas.errors {
        cap(&mut error.call);
        if let ErrorKind::Api(api) = &mut error.error {
            match api {
                ApiError::Api { code, detail, .. } => {
                    code.iter_mut().for_each(cap);
                    cap(detail);
                }
                ApiError::Token { detail, .. } => cap(detail),
                ApiError::Transport { message } | ApiError::Decode { message } => cap(message),
                ApiError::Timeout => {}
            }
        }
    }
    if let Some(cluster) = &mut atlas.cluster {
        cap(&mut cluster.name);
        cluster.state.iter_mut().for_each(cap);
        cluster.mongodb_version.iter_mut().for_each(cap);
        cluster.change_status.iter_mut().for_each(cap);
    }
    if let Some(entry) = atlas
        .access_list
        .as_mut()
        .and_then(|l| l.covered_by.as_mut())
    {
        cap(&mut entry.value);
        entry.comment.iter_mut().for_each(cap);
        entry.status.iter_mut().for_each(cap);
        entry.delete_after.iter_mut().for_each(cap);
    }
    if let Some(user) = &mut atlas.user {
        cap(&mut user.name);
        cap(&mut user.database);
        user.scopes.iter_mut().for_each(cap);
        for (role, db) in &mut user.roles {
            cap(role);
            cap(db);
        }
        user.expires.iter_mut().for_each(cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_798_452_000), "2026-12-28T10:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }
}
