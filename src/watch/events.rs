//! Events: what changed from one round to the next. A row started or stopped
//! failing, the primary moved (and how long there was none), a host's DNS
//! answer, certificate or this machine's egress IP changed. The tracker keeps
//! only the last state of each, so its memory stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use crate::model::class::Class;

use super::sample::{Certificate, Check, Round, TargetRound};
use super::stats::MAX_ROWS;

/// The kinds of event (JSON `kind`; public, never renamed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Failing,
    Recovered,
    PrimaryChanged,
    NoPrimary,
    DnsChanged,
    CertificateChanged,
    EgressIpChanged,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Failing => "failing",
            Kind::Recovered => "recovered",
            Kind::PrimaryChanged => "primary_changed",
            Kind::NoPrimary => "no_primary",
            Kind::DnsChanged => "dns_changed",
            Kind::CertificateChanged => "certificate_changed",
            Kind::EgressIpChanged => "egress_ip_changed",
        }
    }
}

/// One change, as it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: SystemTime,
    pub kind: Kind,
    /// Index of the target it concerns.
    pub target: usize,
    /// The host it concerns, when one does.
    pub host: Option<String>,
    /// What changed, from what to what (short; names and classes only).
    pub detail: String,
    /// For `failing` and `recovered`: the check; for `no_primary` ending in
    /// `primary_changed`: how long there was none.
    pub check: Option<Check>,
    pub class: Option<Class>,
    pub without_primary: Option<Duration>,
}

impl Event {
    fn new(
        at: SystemTime,
        kind: Kind,
        target: usize,
        host: Option<String>,
        detail: String,
    ) -> Self {
        Event {
            at,
            kind,
            target,
            host,
            detail,
            check: None,
            class: None,
            without_primary: None,
        }
    }
}

/// A failing row: since when, and for how many rounds.
#[derive(Debug, Clone, Copy)]
struct Failing {
    since: SystemTime,
    rounds: u64,
    class: Class,
}

#[derive(Debug, Default)]
struct TargetState {
    /// Rows that are failing now; absent rows passed last time they ran.
    failing: BTreeMap<(String, Check), Failing>,
    primary: Option<String>,
    /// When the primary went away, if it has.
    no_primary_since: Option<SystemTime>,
    dns: Option<Vec<(String, Vec<IpAddr>)>>,
    certificates: BTreeMap<String, Certificate>,
    egress_ip: Option<String>,
}

/// The last state of everything the events compare.
#[derive(Debug)]
pub struct Tracker {
    targets: Vec<TargetState>,
}

impl Tracker {
    pub fn new(targets: usize) -> Tracker {
        Tracker {
            targets: (0..targets).map(|_| TargetState::default()).collect(),
        }
    }

    /// The events a round brings, in order: rows, then primary, DNS,
    /// certificates and egress IP, target by target.
    pub fn observe(&mut self, round: &Round) -> Vec<Event> {
        let at = round.started + round.duration;
        let mut events = Vec::new();
        for (index, (state, target)) in self.targets.iter_mut().zip(&round.targets).enumerate() {
            rows(state, target, index, at, &mut events);
            primary(state, target, index, at, &mut events);
            dns(state, target, index, at, &mut events);
            certificates(state, target, index, at, &mut events);
            if let Some(ip) = &target.egress_ip {
                if let Some(old) = state.egress_ip.as_ref().filter(|old| *old != ip) {
                    events.push(Event::new(
                        at,
                        Kind::EgressIpChanged,
                        index,
                        None,
                        format!("{old} -> {ip}"),
                    ));
                }
                state.egress_ip = Some(ip.clone());
            }
        }
        events
    }
}

fn rows(
    state: &mut TargetState,
    target: &TargetRound,
    index: usize,
    at: SystemTime,
    out: &mut Vec<Event>,
) {
    for sample in &target.samples {
        let key = (sample.host.clone(), sample.check);
        match (sample.outcome, state.failing.get_mut(&key)) {
            (Err(class), Some(failing)) => {
                failing.rounds += 1;
                failing.class = class;
            }
            (Err(class), None) => {
                if state.failing.len() < MAX_ROWS {
                    state.failing.insert(
                        key,
                        Failing {
                            since: at,
                            rounds: 1,
                            class,
                        },
                    );
                }
                let mut event = Event::new(
                    at,
                    Kind::Failing,
                    index,
                    Some(sample.host.clone()),
                    format!("{}: {class}", sample.check.as_str()),
                );
                event.check = Some(sample.check);
                event.class = Some(class);
                out.push(event);
            }
            (Ok(_), Some(failing)) => {
                let failing = *failing;
                state.failing.remove(&key);
                let lasted = at.duration_since(failing.since).unwrap_or_default();
                let mut event = Event::new(
                    at,
                    Kind::Recovered,
                    index,
                    Some(sample.host.clone()),
                    format!(
                        "{}: after {} failed {}, {:.1}s",
                        sample.check.as_str(),
                        failing.rounds,
                        if failing.rounds == 1 {
                            "round"
                        } else {
                            "rounds"
                        },
                        lasted.as_secs_f64()
                    ),
                );
                event.check = Some(sample.check);
                event.class = Some(failing.class);
                out.push(event);
            }
            (Ok(_), None) => {}
        }
    }
}

fn primary(
    state: &mut TargetState,
    target: &TargetRound,
    index: usize,
    at: SystemTime,
    out: &mut Vec<Event>,
) {
    // A round that never reached a member says nothing about the primary.
    if !target.primary_known {
        return;
    }
    match (&state.primary, &target.primary, state.no_primary_since) {
        (_, None, None) => {
            let detail = match &state.primary {
                Some(old) => format!("{old} is no longer primary and no member is"),
                None => "no member is primary".to_string(),
            };
            out.push(Event::new(
                at,
                Kind::NoPrimary,
                index,
                state.primary.clone(),
                detail,
            ));
            state.no_primary_since = Some(at);
        }
        (_, None, Some(_)) => {}
        (old, Some(new), since) if old.as_ref() != Some(new) || since.is_some() => {
            let mut detail = match old {
                Some(old) if old != new => format!("{old} -> {new}"),
                Some(_) => format!("{new} again"),
                None => new.clone(),
            };
            let without = since.map(|since| at.duration_since(since).unwrap_or_default());
            if let Some(without) = without {
                let _ = write!(
                    detail,
                    " after {:.1}s without a primary",
                    without.as_secs_f64()
                );
            }
            // The first round's primary is the starting state, not a change.
            if old.is_some() || since.is_some() {
                let mut event =
                    Event::new(at, Kind::PrimaryChanged, index, Some(new.clone()), detail);
                event.without_primary = without;
                out.push(event);
            }
            state.no_primary_since = None;
        }
        _ => {}
    }
    if target.primary.is_some() {
        state.primary.clone_from(&target.primary);
    }
}

fn dns(
    state: &mut TargetState,
    target: &TargetRound,
    index: usize,
    at: SystemTime,
    out: &mut Vec<Event>,
) {
    let Some(answer) = &target.dns else { return };
    if let Some(old) = state.dns.as_ref().filter(|old| *old != answer) {
        let shown = |a: &[(String, Vec<IpAddr>)]| {
            a.iter()
                .map(|(name, ips)| {
                    let ips: Vec<String> = ips.iter().map(ToString::to_string).collect();
                    format!("{name}={}", ips.join("+"))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let detail = clip(&format!("{} -> {}", shown(old), shown(answer)));
        out.push(Event::new(at, Kind::DnsChanged, index, None, detail));
    }
    state.dns = Some(answer.clone());
}

fn certificates(
    state: &mut TargetState,
    target: &TargetRound,
    index: usize,
    at: SystemTime,
    out: &mut Vec<Event>,
) {
    for (host, certificate) in &target.certificates {
        match state.certificates.get(host) {
            Some(old) if old != certificate => {
                let detail = if old.subject == certificate.subject {
                    format!(
                        "{}: not after {} -> {}",
                        certificate.subject, old.not_after, certificate.not_after
                    )
                } else {
                    format!(
                        "{} -> {} (issuer {})",
                        old.subject, certificate.subject, certificate.issuer
                    )
                };
                out.push(Event::new(
                    at,
                    Kind::CertificateChanged,
                    index,
                    Some(host.clone()),
                    clip(&detail),
                ));
            }
            Some(_) => continue,
            None if state.certificates.len() >= MAX_ROWS => continue,
            None => {}
        }
        state.certificates.insert(host.clone(), certificate.clone());
    }
}

/// A detail made of what peers sent (names, certificate subjects) stays short.
fn clip(text: &str) -> String {
    const MAX_CHARS: usize = 300;
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::sample::Sample;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn round(number: u64, target: TargetRound) -> Round {
        Round {
            number,
            started: at(number * 10),
            duration: Duration::ZERO,
            targets: vec![target],
        }
    }

    fn kinds(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(|e| e.kind.as_str()).collect()
    }

    fn with_primary(primary: Option<&str>) -> TargetRound {
        let mut t = TargetRound::empty(Class::Ok);
        t.primary_known = true;
        t.primary = primary.map(str::to_string);
        t
    }

    #[test]
    fn a_row_fails_once_and_recovers_once() {
        let mut tracker = Tracker::new(1);
        let sample = |outcome| {
            let mut t = TargetRound::empty(Class::Ok);
            t.samples.push(Sample {
                host: "h:1".into(),
                check: Check::Tcp,
                outcome,
            });
            t
        };
        let ok = Ok(Duration::from_millis(1));
        let refused = Err(Class::TcpRefused);
        let seen: Vec<Vec<&str>> = [ok, refused, refused, ok, ok]
            .into_iter()
            .enumerate()
            .map(|(n, o)| kinds(&tracker.observe(&round(n as u64 + 1, sample(o)))))
            .collect();
        assert_eq!(
            seen,
            [vec![], vec!["failing"], vec![], vec!["recovered"], vec![]]
        );
        let mut tracker = Tracker::new(1);
        tracker.observe(&round(1, sample(refused)));
        let events = tracker.observe(&round(3, sample(ok)));
        assert_eq!(events[0].detail, "tcp: after 1 failed round, 20.0s");
    }

    #[test]
    fn the_primary_moves_goes_and_comes_back_elsewhere() {
        let mut tracker = Tracker::new(1);
        assert!(
            tracker
                .observe(&round(1, with_primary(Some("a:1"))))
                .is_empty(),
            "the start is no change"
        );
        let moved = tracker.observe(&round(2, with_primary(Some("b:1"))));
        assert_eq!(kinds(&moved), ["primary_changed"]);
        assert_eq!(moved[0].detail, "a:1 -> b:1");
        let gone = tracker.observe(&round(3, with_primary(None)));
        assert_eq!(kinds(&gone), ["no_primary"]);
        assert_eq!(gone[0].host.as_deref(), Some("b:1"));
        assert!(
            tracker.observe(&round(4, with_primary(None))).is_empty(),
            "said once"
        );
        // A round that never reached a member says nothing either way.
        assert!(
            tracker
                .observe(&round(5, TargetRound::empty(Class::TcpRefused)))
                .is_empty()
        );
        let back = tracker.observe(&round(6, with_primary(Some("a:1"))));
        assert_eq!(kinds(&back), ["primary_changed"]);
        assert_eq!(back[0].detail, "b:1 -> a:1 after 30.0s without a primary");
        assert_eq!(back[0].without_primary, Some(Duration::from_secs(30)));
    }

    #[test]
    fn dns_certificate_and_egress_changes_are_events() {
        let mut tracker = Tracker::new(1);
        let target = |ip: &str, not_after: &str, egress: &str| {
            let mut t = TargetRound::empty(Class::Ok);
            t.dns = Some(vec![("h".into(), vec![ip.parse().unwrap()])]);
            t.certificates = vec![(
                "h:1".into(),
                Certificate {
                    subject: "CN=h".into(),
                    issuer: "CN=ca".into(),
                    not_before: "2026-01-01".into(),
                    not_after: not_after.into(),
                },
            )];
            t.egress_ip = Some(egress.into());
            t
        };
        assert!(
            tracker
                .observe(&round(1, target("10.0.0.1", "2027-01-01", "203.0.113.7")))
                .is_empty()
        );
        assert!(
            tracker
                .observe(&round(2, target("10.0.0.1", "2027-01-01", "203.0.113.7")))
                .is_empty()
        );
        let events = tracker.observe(&round(3, target("10.0.0.2", "2027-06-01", "203.0.113.8")));
        assert_eq!(
            kinds(&events),
            ["dns_changed", "certificate_changed", "egress_ip_changed"]
        );
        assert_eq!(events[0].detail, "h=10.0.0.1 -> h=10.0.0.2");
        assert_eq!(events[1].detail, "CN=h: not after 2027-01-01 -> 2027-06-01");
        assert_eq!(events[1].host.as_deref(), Some("h:1"));
        assert_eq!(events[2].detail, "203.0.113.7 -> 203.0.113.8");
        // A failed lookup is not a changed answer.
        let mut failed = target("10.0.0.2", "2027-06-01", "203.0.113.8");
        failed.dns = None;
        assert!(tracker.observe(&round(4, failed)).is_empty());
    }
}
