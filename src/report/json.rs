//! `--format json`: exactly one object on stdout, built from dedicated
//! `Serialize` types so probe internals never leak into the contract.
//!
//! ```json
//! {"schema_version": 1, "tool_version": "0.1.0", "command": "ping",
//!  "target": {"uri": "mongodb+srv://app:****@cluster0.example.net/", "source": "env:MONGODB_URI"},
//!  "verdict": "fail", "class": "tls", "exit_code": 14,
//!  "diagnosis": {"summary": "...", "causes": [], "fixes": [], "evidence": [], "reason": "tls_unknown_issuer"},
//!  "warnings": [], "facts": [], "rtt_ms": null,
//!  "steps": [{"layer": "dns", "name": "...", "host": null, "status": "pass", "duration_ms": 12.4, "detail": "..."}],
//!  "checks": [{"section": "security", "id": "...", "status": "pass", "summary": "...", "fix": null, "evidence": []}]}
//! ```
//! Typed facts, always present (null or empty when the layer was not reached):
//! `"deployment": {"server_version", "wire_version": {"min", "max"}, "topology"
//! (standalone, replica_set, sharded), "set_name", "primary", "hosts_answered",
//! "hosts_total", "round_trip_ms": {"min", "avg", "max"} or null}`;
//! `"tls": [{"host", "protocol", "subject", "issuer", "sans", "not_after"
//! (RFC 3339), "days_left", "trusted_by"}]`; `"auth": {"user", "db", "mechanism",
//! "roles": [{"role", "db"}], "privileges": [{"resource", "actions"}]}` as
//! `connectionStatus` said; `"atlas"` (null unless `--atlas-api`). `collections` adds
//! `"databases": [...]`, `"database"` and `"collections": [{"name", "type", "documents"}]`.
//! `diagnosis` is null when the verdict is ok. Keys are only ever added.

use serde::Serialize;

use super::{Check, Report};
use crate::class::Class;
use crate::diagnose::Diagnosis;
use crate::probe::{Deployment, Layer, Status, Step, Topology, ms, tls};

/// The JSON schema version; bumped only when a key is renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool_version: &'static str,
    command: &'a str,
    target: JsonTarget<'a>,
    verdict: &'static str,
    class: Class,
    exit_code: u8,
    diagnosis: Option<&'a Diagnosis>,
    warnings: &'a [String],
    facts: &'a [String],
    rtt_ms: Option<JsonRtt>,
    steps: Vec<JsonStep<'a>>,
    checks: Vec<JsonCheck<'a>>,
    /// Typed facts of the hello layer; null when no host answered.
    deployment: Option<JsonDeployment<'a>>,
    /// One entry per host whose TLS handshake worked; empty without TLS.
    tls: Vec<JsonTls<'a>>,
    /// `{user, db, mechanism, roles: [{role, db}], privileges: [{resource, actions}]}`
    /// as `connectionStatus` reported; null when the auth layer was not reached or failed.
    auth: Option<JsonAuth<'a>>,
    /// The Atlas control plane's facts (`--atlas-api`); null when not asked.
    atlas: Option<serde_json::Value>,
    /// collections: the databases the user may see.
    #[serde(skip_serializing_if = "Option::is_none")]
    databases: Option<&'a [String]>,
    /// collections: the database listed; absent when none was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'a str>,
    /// collections: `[{name, type, documents}]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    collections: Option<Vec<JsonCollection<'a>>>,
}

#[derive(Serialize)]
struct JsonDeployment<'a> {
    server_version: Option<&'a str>,
    wire_version: JsonWire,
    topology: Topology,
    set_name: Option<&'a str>,
    primary: Option<&'a str>,
    hosts_answered: usize,
    hosts_total: usize,
    round_trip_ms: Option<JsonRoundTrip>,
}

#[derive(Serialize)]
struct JsonWire {
    min: i32,
    max: i32,
}

#[derive(Serialize)]
struct JsonRoundTrip {
    min: f64,
    avg: f64,
    max: f64,
}

#[derive(Serialize)]
struct JsonTls<'a> {
    host: &'a str,
    protocol: Option<&'a str>,
    subject: Option<&'a str>,
    issuer: Option<&'a str>,
    sans: &'a [String],
    not_after: Option<String>,
    days_left: Option<i64>,
    /// Which root sources, each on its own, trust the chain (`system`,
    /// `mozilla`, `tlsCAFile`); null when no chain was presented.
    trusted_by: Option<Vec<&'a str>>,
}

fn deployment(d: &Deployment) -> JsonDeployment<'_> {
    JsonDeployment {
        server_version: d.server_version.as_deref(),
        wire_version: JsonWire {
            min: d.min_wire_version,
            max: d.max_wire_version,
        },
        topology: d.topology,
        set_name: d.set_name.as_deref(),
        primary: d.primary.as_deref(),
        hosts_answered: d.hosts_answered,
        hosts_total: d.hosts_total,
        round_trip_ms: d.rtt.map(|r| JsonRoundTrip {
            min: round(ms(r.min)),
            avg: round(ms(r.avg)),
            max: round(ms(r.max)),
        }),
    }
}

fn tls<'a>(host: &'a str, evidence: &'a tls::Evidence) -> JsonTls<'a> {
    let leaf = evidence.chain.first();
    JsonTls {
        host,
        protocol: evidence.protocol.as_deref(),
        subject: leaf.map(|c| c.subject.as_str()),
        issuer: leaf.map(|c| c.issuer.as_str()),
        sans: leaf.map_or(&[], |c| c.names.as_slice()),
        not_after: leaf.map(|c| super::rfc3339(c.not_after_unix)),
        days_left: leaf.map(|c| c.expires_in_secs.div_euclid(86_400)),
        trusted_by: (!evidence.chain.is_empty()).then(|| evidence.trusted_by.clone()),
    }
}

#[derive(Serialize)]
struct JsonAuth<'a> {
    user: Option<&'a str>,
    db: Option<&'a str>,
    mechanism: Option<&'a str>,
    roles: Vec<JsonRole<'a>>,
    privileges: Vec<JsonPrivilege<'a>>,
}

#[derive(Serialize)]
struct JsonRole<'a> {
    role: &'a str,
    db: &'a str,
}

#[derive(Serialize)]
struct JsonPrivilege<'a> {
    resource: &'a str,
    actions: &'a [String],
}

#[derive(Serialize)]
struct JsonCollection<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    documents: Option<u64>,
}

fn auth(a: &super::AuthSummary) -> JsonAuth<'_> {
    JsonAuth {
        user: a.user.as_deref(),
        db: a.db.as_deref(),
        mechanism: a.mechanism.as_deref(),
        roles: a
            .roles
            .iter()
            .map(|(role, db)| JsonRole { role, db })
            .collect(),
        privileges: a
            .privileges
            .iter()
            .map(|(resource, actions)| JsonPrivilege { resource, actions })
            .collect(),
    }
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    uri: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct JsonRtt {
    count: u32,
    min: f64,
    avg: f64,
    max: f64,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    layer: Layer,
    name: &'a str,
    host: Option<&'a str>,
    status: Status,
    duration_ms: f64,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    section: &'static str,
    id: &'a str,
    status: Status,
    summary: &'a str,
    fix: Option<&'a str>,
    evidence: &'a [String],
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn step(s: &Step) -> JsonStep<'_> {
    JsonStep {
        layer: s.layer,
        name: &s.name,
        host: s.host.as_deref(),
        status: s.status,
        duration_ms: round(ms(s.duration)),
        detail: &s.detail,
    }
}

fn check(c: &Check) -> JsonCheck<'_> {
    JsonCheck {
        section: c.section.as_str(),
        id: c.id,
        status: c.status,
        summary: &c.summary,
        fix: c.fix.as_deref(),
        evidence: &c.evidence,
    }
}

/// Renders the report as one JSON object and a newline.
pub fn render(report: &Report) -> String {
    let json = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        command: report.command,
        target: JsonTarget {
            uri: &report.target_uri,
            source: &report.target_source,
        },
        verdict: report.verdict().as_str(),
        class: report.class,
        exit_code: report.exit_code(),
        diagnosis: report.diagnosis.as_ref(),
        warnings: &report.warnings,
        facts: &report.facts,
        rtt_ms: report.rtt.map(|r| JsonRtt {
            count: r.count,
            min: round(ms(r.min)),
            avg: round(ms(r.avg)),
            max: round(ms(r.max)),
        }),
        steps: report.steps.iter().map(step).collect(),
        checks: report.checks.iter().map(check).collect(),
        deployment: report.deployment.as_ref().map(deployment),
        tls: report.tls.iter().map(|(host, t)| tls(host, t)).collect(),
        auth: report.auth.as_ref().map(auth),
        atlas: None,
        databases: report.data.as_ref().map(|d| d.databases.as_slice()),
        database: report.data.as_ref().and_then(|d| d.database.as_deref()),
        collections: report.data.as_ref().map(|d| {
            d.collections
                .iter()
                .map(|c| JsonCollection {
                    name: &c.name,
                    kind: &c.kind,
                    documents: c.documents,
                })
                .collect()
        }),
    };
    let mut out =
        serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use std::time::Duration;

    #[test]
    fn keys_follow_the_contract() {
        let mut report = Report::new("ping", "mongodb://u:****@h/".into(), "flag:--uri".into());
        report.steps.push(
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:1",
                Status::Fail,
                "connection refused",
            )
            .on("h:1")
            .took(Duration::from_micros(1500)),
        );
        report.fail(
            Diagnosis::from_finding(Finding::TcpRefused).with_evidence("h:1: connection refused"),
        );
        let value: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["command"], "ping");
        assert_eq!(value["target"]["uri"], "mongodb://u:****@h/");
        assert_eq!(value["verdict"], "fail");
        assert_eq!(value["class"], "tcp_refused");
        assert_eq!(value["exit_code"], 11);
        assert_eq!(value["diagnosis"]["reason"], "tcp_refused");
        assert_eq!(value["steps"][0]["layer"], "tcp");
        assert_eq!(value["steps"][0]["status"], "fail");
        assert_eq!(value["steps"][0]["duration_ms"], 1.5);
        assert_eq!(value["checks"], serde_json::json!([]));
    }

    #[test]
    fn diagnosis_is_null_when_ok() {
        let report = Report::new("ping", "mongodb://h/".into(), "default".into());
        let value: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        assert_eq!(value["verdict"], "ok");
        assert!(value["diagnosis"].is_null());
    }
}
