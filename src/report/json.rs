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
//! `connectionStatus` said. `collections` adds
//! `"databases": [...]`, `"database"` and `"collections": [{"name", "type", "documents"}]`;
//! with no database chosen, `"collections_by_database": [{"database", "collections": [...]}]`
//! (each database the user may see, system databases aside, at most 10) and
//! `"databases_not_listed"`; `"databases_not_kept"` and `"collections_not_kept"` count
//! the names listed beyond those kept (1000 databases; 1000 collections a database,
//! 5000 in all).
//! `"atlas"` is null unless `--atlas-api` ran; then `{"project_id", "cluster": {"name", "flex",
//! "state", "paused", "mongodb_version", "change_status", "uri_kind", "public_connection_string"},
//! "access_list": {"egress_ip", "egress_source", "covered_by", "entry_status", "entry_delete_after",
//! "entries"}, "user": {"name", "database", "exists", "scopes", "roles": [{"role", "db"}], "expires"},
//! "errors": [{"call", "status", "code", "message"}]}` (a part the API did not give is null).
//! `diagnosis` is null when the verdict is ok. Keys are only ever added.

use serde::Serialize;

use crate::model::class::Class;
use crate::model::deployment::{Deployment, Topology};
use crate::model::report::{Check, Report};
use crate::model::step::{Layer, Status, Step, ms};
use crate::model::tls;
use crate::model::verdict::Diagnosis;

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
    /// Every warning of the run: the report's own, then each warned step
    /// (`layer name: detail`) and checklist item (`section/id: summary`), so a
    /// `warn` verdict always says why.
    warnings: Vec<String>,
    facts: Vec<&'a str>,
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
    atlas: Option<JsonAtlas<'a>>,
    /// collections: the databases the user may see.
    #[serde(skip_serializing_if = "Option::is_none")]
    databases: Option<&'a [String]>,
    /// collections: the database listed; absent when none was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'a str>,
    /// collections: `[{name, type, documents}]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    collections: Option<Vec<JsonCollection<'a>>>,
    /// collections with no database chosen: `[{database, collections: [{name, type, documents}]}]`
    /// for each database the user may see (system databases aside, bounded).
    #[serde(skip_serializing_if = "Option::is_none")]
    collections_by_database: Option<Vec<JsonDatabase<'a>>>,
    /// collections with no database chosen: the databases beyond those listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    databases_not_listed: Option<usize>,
    /// collections: database names `listDatabases` gave beyond those kept (1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    databases_not_kept: Option<usize>,
    /// collections: collections listed beyond those kept (1000 a database, 5000
    /// in all), counted only.
    #[serde(skip_serializing_if = "Option::is_none")]
    collections_not_kept: Option<usize>,
    /// `--from-code`: the collections the source uses, compared with `database`
    /// (null, with empty comparisons, when no database was listed).
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<JsonCode<'a>>,
}

#[derive(Serialize)]
struct JsonCode<'a> {
    database: Option<&'a str>,
    /// Source files read (known extension, not binary, under the size cap).
    files_read: usize,
    /// Of those, the ones that mention MongoDB or a collection, parsed.
    files_parsed: usize,
    bytes_read: u64,
    /// The walk stopped at its entry cap.
    truncated: bool,
    /// Files that mention MongoDB but were not parsed (the first 20), and why.
    not_parsed: Vec<JsonNotParsed>,
    not_parsed_total: usize,
    /// Names past the caps, counted but not kept or compared.
    facts_dropped: usize,
    references: Vec<JsonReference<'a>>,
    unresolved: Vec<JsonUnresolved<'a>>,
    missing_in_database: Vec<JsonNamed<'a>>,
    unused_in_code: Vec<&'a str>,
    near_misses: Vec<JsonNearMiss<'a>>,
    accessors_missing: Vec<JsonNamed<'a>>,
}

#[derive(Serialize)]
struct JsonNotParsed {
    file: String,
    /// `too_large` or `too_deep`.
    reason: &'static str,
}

#[derive(Serialize)]
struct JsonReference<'a> {
    name: &'a str,
    file: String,
    line: usize,
    language: &'static str,
    kind: &'static str,
}

#[derive(Serialize)]
struct JsonUnresolved<'a> {
    file: String,
    line: usize,
    language: &'static str,
    expression: &'a str,
}

#[derive(Serialize)]
struct JsonPlace {
    file: String,
    line: usize,
}

#[derive(Serialize)]
struct JsonNamed<'a> {
    name: &'a str,
    places: Vec<JsonPlace>,
}

#[derive(Serialize)]
struct JsonNearMiss<'a> {
    code: &'a str,
    database: &'a str,
    /// `case`, `separator` or `plural`.
    kind: &'static str,
    places: Vec<JsonPlace>,
}

fn places(places: &[crate::model::code::Place]) -> Vec<JsonPlace> {
    places
        .iter()
        .map(|p| JsonPlace {
            file: p.file.display().to_string(),
            line: p.line,
        })
        .collect()
}

fn named(list: &[crate::model::code::Missing]) -> Vec<JsonNamed<'_>> {
    list.iter()
        .map(|m| JsonNamed {
            name: &m.name,
            places: places(&m.places),
        })
        .collect()
}

fn code(cr: &crate::model::code::CodeReport) -> JsonCode<'_> {
    let c = &cr.code;
    let f = cr.findings.as_ref();
    JsonCode {
        database: cr.database.as_deref(),
        files_read: c.files_read,
        files_parsed: c.files_parsed,
        bytes_read: c.bytes_read,
        truncated: c.truncated,
        not_parsed: c
            .not_parsed
            .iter()
            .map(|n| JsonNotParsed {
                file: n.file.display().to_string(),
                reason: n.reason.as_str(),
            })
            .collect(),
        not_parsed_total: c.not_parsed_total,
        facts_dropped: c.facts_dropped,
        references: c
            .references
            .iter()
            .map(|r| JsonReference {
                name: &r.name,
                file: r.file.display().to_string(),
                line: r.line,
                language: r.language.as_str(),
                kind: r.kind.as_str(),
            })
            .collect(),
        unresolved: c
            .unresolved
            .iter()
            .map(|u| JsonUnresolved {
                file: u.file.display().to_string(),
                line: u.line,
                language: u.language.as_str(),
                expression: &u.expression,
            })
            .collect(),
        missing_in_database: f.map(|f| named(&f.missing_in_database)).unwrap_or_default(),
        unused_in_code: f
            .map(|f| f.unused_in_code.iter().map(String::as_str).collect())
            .unwrap_or_default(),
        near_misses: f
            .map(|f| {
                f.near_misses
                    .iter()
                    .map(|n| JsonNearMiss {
                        code: &n.code,
                        database: &n.database,
                        kind: n.kind.as_str(),
                        places: places(&n.places),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        accessors_missing: f.map(|f| named(&f.accessors_missing)).unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct JsonDatabase<'a> {
    database: &'a str,
    collections: Vec<JsonCollection<'a>>,
}

fn collections(rows: &[super::CollectionRow]) -> Vec<JsonCollection<'_>> {
    rows.iter()
        .map(|c| JsonCollection {
            name: &c.name,
            kind: &c.kind,
            documents: c.documents,
        })
        .collect()
}

#[derive(Serialize)]
struct JsonAtlas<'a> {
    project_id: Option<&'a str>,
    cluster: Option<JsonAtlasCluster<'a>>,
    access_list: Option<JsonAccessList<'a>>,
    user: Option<JsonAtlasUser<'a>>,
    errors: Vec<JsonAtlasError<'a>>,
}

#[derive(Serialize)]
struct JsonAtlasCluster<'a> {
    name: &'a str,
    flex: bool,
    state: Option<&'a str>,
    paused: bool,
    mongodb_version: Option<&'a str>,
    change_status: Option<&'a str>,
    /// standard, standard_srv, peering, private_endpoint; null when no string names the URI's hosts.
    uri_kind: Option<crate::model::atlas::UriKind>,
    public_connection_string: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonAccessList<'a> {
    egress_ip: String,
    /// `flag` (--egress-ip IP) or `api` (auto: as the Atlas API saw this machine).
    egress_source: &'static str,
    covered_by: Option<&'a str>,
    entry_status: Option<&'a str>,
    entry_delete_after: Option<&'a str>,
    entries: usize,
    /// False when the list was cut short (page or size limit): then an address
    /// not found in it is not known to be absent.
    complete: bool,
    /// Why it was cut short; null when complete.
    cut_short: Option<String>,
}

#[derive(Serialize)]
struct JsonAtlasUser<'a> {
    name: &'a str,
    database: &'a str,
    exists: bool,
    scopes: &'a [String],
    roles: Vec<JsonRole<'a>>,
    expires: Option<&'a str>,
    /// For a missing user: the project's users of the same name in other letter case.
    similar_names: &'a [String],
}

#[derive(Serialize)]
struct JsonAtlasError<'a> {
    call: &'a str,
    status: Option<u16>,
    code: Option<&'a str>,
    message: String,
}

fn atlas(facts: &crate::model::atlas_facts::Facts) -> JsonAtlas<'_> {
    use crate::model::atlas::ErrorKind;
    JsonAtlas {
        project_id: facts.project_id.as_deref(),
        cluster: facts.cluster.as_ref().map(|c| JsonAtlasCluster {
            name: &c.name,
            flex: c.flex,
            state: c.state.as_deref(),
            paused: c.paused,
            mongodb_version: c.mongodb_version.as_deref(),
            change_status: c.change_status.as_deref(),
            uri_kind: c.uri_kind,
            public_connection_string: c.strings.public(),
        }),
        access_list: facts.access_list.as_ref().map(|a| JsonAccessList {
            egress_ip: a.egress_ip.to_string(),
            egress_source: if a.egress_auto { "api" } else { "flag" },
            covered_by: a.covered_by.as_ref().map(|e| e.value.as_str()),
            entry_status: a.covered_by.as_ref().and_then(|e| e.status.as_deref()),
            entry_delete_after: a
                .covered_by
                .as_ref()
                .and_then(|e| e.delete_after.as_deref()),
            entries: a.entries,
            complete: a.cut_short.is_none(),
            cut_short: a.cut_short.map(|c| c.to_string()),
        }),
        user: facts.user.as_ref().map(|u| JsonAtlasUser {
            name: &u.name,
            database: &u.database,
            exists: u.exists,
            scopes: &u.scopes,
            roles: u
                .roles
                .iter()
                .map(|(role, db)| JsonRole { role, db })
                .collect(),
            expires: u.expires.as_deref(),
            similar_names: &u.similar,
        }),
        errors: facts
            .errors
            .iter()
            .map(|e| {
                let (status, code) = match &e.error {
                    ErrorKind::Api(api) => (api.status(), api.code()),
                    _ => (None, None),
                };
                let message = match &e.error {
                    ErrorKind::Api(api) => api.to_string(),
                    _ => e.to_string(),
                };
                JsonAtlasError {
                    call: &e.call,
                    status,
                    code,
                    message,
                }
            })
            .collect(),
    }
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
    name: String,
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
        name: s.name.to_string(),
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

/// The report's warnings plus one line per warned step and checklist item.
fn warnings(report: &Report) -> Vec<String> {
    let steps = report
        .steps
        .iter()
        .filter(|s| s.status == Status::Warn)
        .map(|s| format!("{} {}: {}", s.layer.as_str(), s.name, s.detail));
    let checks = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Warn)
        .map(|c| format!("{}/{}: {}", c.section.as_str(), c.id, c.summary));
    report
        .warnings
        .iter()
        .cloned()
        .chain(steps)
        .chain(checks)
        .collect()
}

/// Renders the report as one JSON object and a newline.
pub fn render(report: &Report) -> String {
    let json =
        JsonReport {
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
            warnings: warnings(report),
            facts: report.facts.iter().map(|f| f.text.as_str()).collect(),
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
            atlas: report.atlas.as_ref().map(atlas),
            databases: report.data.as_ref().map(|d| d.databases.as_slice()),
            database: report.data.as_ref().and_then(|d| d.database.as_deref()),
            collections: report.data.as_ref().map(|d| collections(&d.collections)),
            collections_by_database: report.data.as_ref().filter(|d| d.database.is_none()).map(
                |d| {
                    d.every_database
                        .iter()
                        .map(|(database, rows)| JsonDatabase {
                            database,
                            collections: collections(rows),
                        })
                        .collect()
                },
            ),
            databases_not_listed: report
                .data
                .as_ref()
                .filter(|d| d.database.is_none())
                .map(|d| d.databases_not_listed),
            databases_not_kept: report.data.as_ref().map(|d| d.databases_not_kept),
            collections_not_kept: report.data.as_ref().map(|d| d.collections_not_kept),
            code: report.code.as_ref().map(code),
        };
    let mut out =
        serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::Finding;
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

    /// Issue 11 item 13: `verdict: "warn"` came with `warnings: []`, and `auth` was absent.
    #[test]
    fn r11_a_warn_verdict_lists_its_warnings_and_auth_is_null() {
        let mut report = Report::new("ping", "mongodb://u:****@h/".into(), "flag:--uri".into());
        report.steps.push(Step::new(
            Layer::Uri,
            "password source",
            Status::Warn,
            "the password came with --uri",
        ));
        report.checks.push(Check::new(
            crate::model::report::Section::Security,
            "least-privilege",
            Status::Warn,
            "app has a broad role",
            None,
            Vec::new(),
        ));
        let value: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        assert_eq!(value["verdict"], "warn");
        assert_eq!(
            value["warnings"],
            serde_json::json!([
                "uri password source: the password came with --uri",
                "security/least-privilege: app has a broad role"
            ])
        );
        assert!(
            value.get("auth").is_some_and(serde_json::Value::is_null),
            "{value}"
        );
    }

    #[test]
    fn diagnosis_is_null_when_ok() {
        let report = Report::new("ping", "mongodb://h/".into(), "default".into());
        let value: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        assert_eq!(value["verdict"], "ok");
        assert!(value["diagnosis"].is_null());
    }
}
