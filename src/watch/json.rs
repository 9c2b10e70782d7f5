//! `watch --format json`: JSON lines, one per target round, one per event,
//! and the summary last. The keys are DESIGN.md's ("Intermittent failures"),
//! public, added to and never renamed:
//!
//! - `{"type": "round", "round", "target", "started", "verdict", "class",
//!   "exit_code", "duration_ms", "hosts": [{"host", "layer", "rtt_ms", "class"}],
//!   "kept"}`: `kept` is the kept connection's ping (`{"host", "layer": "kept",
//!   "rtt_ms", "class"}`), null in a round that held none
//! - `{"type": "event", "at", "target", "kind", "host", "detail"}`, kinds
//!   `failing`, `recovered`, `primary_changed`, `no_primary`, `dns_changed`,
//!   `certificate_changed`, `egress_ip_changed`; `failing` and `recovered`
//!   add `layer` and `class`, a `primary_changed` after a time without one
//!   adds `without_primary_ms`.
//! - `{"type": "summary", "rounds", "ok_rounds", "failures": {class: count},
//!   "rtt_ms": {"p50", "p95", "max"}, "events", "class", "exit_code",
//!   "interrupted"}`; `rtt_ms` is the handshake's round trip on every host,
//!   null when no host answered.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::model::class::Class;

use super::events::Event;
use super::sample::{Round, TargetRound};
use super::stats::Stats;

#[derive(Serialize)]
struct RoundLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    round: u64,
    target: &'a str,
    started: String,
    verdict: &'static str,
    class: Class,
    exit_code: u8,
    duration_ms: f64,
    hosts: Vec<HostLine<'a>>,
    kept: Option<HostLine<'a>>,
}

#[derive(Serialize)]
struct HostLine<'a> {
    host: &'a str,
    layer: &'static str,
    rtt_ms: Option<f64>,
    class: Class,
}

#[derive(Serialize)]
struct EventLine<'a> {
    #[serde(rename = "type")]
    kind_of_line: &'static str,
    at: String,
    target: &'a str,
    kind: &'static str,
    host: Option<&'a str>,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<Class>,
    #[serde(skip_serializing_if = "Option::is_none")]
    without_primary_ms: Option<f64>,
}

#[derive(Serialize)]
struct Rtt {
    p50: f64,
    p95: f64,
    max: f64,
}

#[derive(Serialize)]
struct SummaryLine {
    #[serde(rename = "type")]
    kind: &'static str,
    rounds: u64,
    ok_rounds: u64,
    failures: BTreeMap<Class, u64>,
    rtt_ms: Option<Rtt>,
    events: u64,
    class: Class,
    exit_code: u8,
    interrupted: bool,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

fn rfc3339(at: SystemTime) -> String {
    let secs = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::report::rfc3339(i64::try_from(secs).unwrap_or(0))
}

/// The verdict word of a target round.
pub fn verdict(target: &TargetRound) -> &'static str {
    match (target.class, target.degraded) {
        (Class::Ok, false) => "ok",
        (Class::Ok, true) => "warn",
        _ => "fail",
    }
}

/// One line per target of the round.
pub fn round(round: &Round, names: &[String]) -> String {
    let mut out = String::new();
    for (target, name) in round.targets.iter().zip(names) {
        let line = RoundLine {
            kind: "round",
            round: round.number,
            target: name,
            started: rfc3339(round.started),
            verdict: verdict(target),
            class: target.class,
            exit_code: target.class.exit_code(),
            duration_ms: ms(round.duration),
            hosts: target
                .hosts
                .iter()
                .map(|h| HostLine {
                    host: &h.host,
                    layer: h.check.as_str(),
                    rtt_ms: h.rtt.map(ms),
                    class: h.class,
                })
                .collect(),
            kept: target.kept().map(|k| HostLine {
                host: &k.host,
                layer: k.check.as_str(),
                rtt_ms: k.outcome.ok().map(ms),
                class: k.outcome.err().unwrap_or(Class::Ok),
            }),
        };
        out.push_str(&serde_json::to_string(&line).expect("plain data serialises"));
        out.push('\n');
    }
    out
}

pub fn event(event: &Event, names: &[String]) -> String {
    let line = EventLine {
        kind_of_line: "event",
        at: rfc3339(event.at),
        target: names.get(event.target).map_or("", String::as_str),
        kind: event.kind.as_str(),
        host: event.host.as_deref(),
        detail: &event.detail,
        layer: event.check.map(super::sample::Check::as_str),
        class: event.class,
        without_primary_ms: event.without_primary.map(ms),
    };
    let mut out = serde_json::to_string(&line).expect("plain data serialises");
    out.push('\n');
    out
}

pub fn summary(stats: &Stats, interrupted: bool) -> String {
    let line = SummaryLine {
        kind: "summary",
        rounds: stats.rounds,
        ok_rounds: stats.ok_rounds,
        failures: stats.failures_by_class(),
        rtt_ms: stats.rtt.quantiles().map(|q| Rtt {
            p50: ms(q.p50),
            p95: ms(q.p95),
            max: ms(q.max),
        }),
        events: stats.events,
        class: stats.worst(),
        exit_code: stats.exit_code(),
        interrupted,
    };
    let mut out = serde_json::to_string(&line).expect("plain data serialises");
    out.push('\n');
    out
}
