//! The report of a run and its renderers. Renderers only render: they take a
//! `Report` and return text; they never probe and never decide the verdict.

pub mod explain;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod style;
pub mod text;

use crate::model::report::{AuthSummary, Check, CollectionRow, DataSummary, Report};
use crate::model::step::Status;

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

impl Report {
    /// Caps every string in the report at `text::MAX_BYTES`, before any
    /// renderer or report file sees it: a server's error message, set name or
    /// certificate subject may be megabytes, and no format should carry that.
    pub fn cap_strings(&mut self) {
        use text::cap_in_place as cap;
        cap(&mut self.target_uri);
        cap(&mut self.target_source);
        self.warnings.iter_mut().for_each(cap);
        self.facts.iter_mut().for_each(|f| cap(&mut f.text));
        for step in &mut self.steps {
            cap(&mut step.name.action);
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
fn cap_atlas(atlas: &mut crate::model::atlas_facts::Facts) {
    use crate::model::atlas::{Error as ApiError, ErrorKind};
    use text::cap_in_place as cap;
    for step in &mut atlas.steps {
        cap(&mut step.name.action);
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
