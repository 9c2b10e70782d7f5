//! Checks across the hosts that answered: wire version, replica set name, a
//! primary; then the timed pings of `ping --count`.

use std::time::{Duration, Instant};

use super::connectivity::{Connectivity, HealthyHost, Options};
use super::hello;
use super::host::BoxStream;
use crate::model::deployment::RttStats;
use crate::model::failure::Failure;
use crate::model::step::{Found, Layer, Note, Status, Step};
use crate::uri::ConnectionString;

/// Replica set name, wire version and primary checks across the healthy hosts.
pub(super) fn check_deployment(
    cs: &ConnectionString,
    txt: &[(String, String)],
    out: &mut Connectivity,
    host_failures: &mut Vec<Failure>,
    streams: &mut Vec<BoxStream>,
) {
    let expected_set = cs.replica_set().map(str::to_string).or_else(|| {
        txt.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("replicaSet"))
            .map(|(_, v)| v.clone())
    });
    let mut index = 0;
    while index < out.healthy.len() {
        let host = &out.healthy[index];
        let info = &host.hello;
        let failure = if info.max_wire_version < crate::model::wire::DRIVER_MIN
            || info.min_wire_version > crate::model::wire::DRIVER_MAX
        {
            Some(Failure::WireVersion {
                host: host.address.clone(),
                min: info.min_wire_version,
                max: info.max_wire_version,
                version: info.version.clone(),
            })
        } else {
            expected_set
                .as_ref()
                .filter(|e| info.set_name.as_ref() != Some(*e) && !info.mongos)
                .map(|expected| Failure::ReplicaSetMismatch {
                    host: host.address.clone(),
                    expected: expected.clone(),
                    found: info.set_name.clone(),
                })
        };
        if let Some(failure) = failure {
            if let Some(step) = out
                .steps
                .iter_mut()
                .rev()
                .find(|s| s.layer == Layer::Hello && s.host.as_deref() == Some(&host.address))
            {
                step.status = Status::Fail;
                step.notes.extend(note(&failure));
            }
            host_failures.push(failure);
            out.healthy.remove(index);
            streams.remove(index);
        } else {
            index += 1;
        }
    }
    let direct = cs.bool_option("directConnection") == Some(true);
    let reads_anywhere = cs
        .option("readPreference")
        .is_some_and(|p| !p.eq_ignore_ascii_case("primary"));
    let all_members = !out.healthy.is_empty()
        && out
            .healthy
            .iter()
            .all(|h| h.hello.set_name.is_some() && !h.hello.mongos);
    if all_members && !direct && !out.healthy.iter().any(|h| h.hello.writable_primary) {
        let members = out
            .healthy
            .iter()
            .map(|h| format!("{} ({})", h.address, h.hello.role()))
            .collect();
        let failure = Failure::NoPrimary { members };
        if reads_anywhere {
            host_failures.push(failure);
        } else {
            out.failure.get_or_insert(failure);
        }
    }
}

/// What a deployment failure adds to the host's hello step.
fn note(failure: &Failure) -> Option<Note> {
    match failure {
        Failure::WireVersion { max, .. } => Some(Note::WireVersion { max: *max }),
        Failure::ReplicaSetMismatch {
            expected, found, ..
        } => Some(Note::ReplicaSet {
            expected: expected.clone(),
            found: found.clone(),
        }),
        _ => None,
    }
}

/// The host whose round trip the run reports: the primary or a standalone, else the first.
pub(super) fn pick_for_ping(healthy: &[HealthyHost]) -> Option<usize> {
    healthy
        .iter()
        .position(|h| h.hello.writable_primary || h.hello.set_name.is_none())
        .or((!healthy.is_empty()).then_some(0))
}

/// `ping --count N`: the pings share one deadline (the hello layer's), so a
/// peer that stops answering costs one deadline, not one per ping.
/// `host` is the address of the host whose stream is pinged (the primary when
/// there is one), so a failure names the host that stopped answering.
pub(super) async fn time_pings(
    stream: &mut BoxStream,
    host: String,
    options: &Options,
    out: &mut Connectivity,
) {
    let mut times = Vec::new();
    let start = Instant::now();
    let deadline = crate::deadline::Deadline::after(options.timeout);
    for i in 0..options.ping_count {
        let left = deadline.remaining();
        let result = if left.is_zero() {
            Err(crate::model::hello::Error::NoReply {
                after: options.timeout,
            })
        } else {
            hello::ping(stream, 100 + i32::try_from(i).unwrap_or(0), left)
                .await
                // The series' deadline, not the sliver of it the last ping had.
                .map_err(|e| match e {
                    crate::model::hello::Error::NoReply { .. } => {
                        crate::model::hello::Error::NoReply {
                            after: options.timeout,
                        }
                    }
                    other => other,
                })
        };
        match result {
            Ok(rtt) => times.push(rtt),
            Err(e) => {
                out.steps.push(
                    Step::failed(Layer::Hello, "ping", &e)
                        .on(host.clone())
                        .took(start.elapsed()),
                );
                out.failure.get_or_insert(Failure::AfterHandshake {
                    host,
                    command: "ping",
                    error: e,
                });
                return;
            }
        }
    }
    let (Some(min), Some(max)) = (times.iter().min().copied(), times.iter().max().copied()) else {
        return;
    };
    let count = u32::try_from(times.len()).unwrap_or(u32::MAX);
    let avg = times.iter().sum::<Duration>() / count;
    let rtt = RttStats {
        command: "ping",
        count,
        min,
        avg,
        max,
    };
    out.rtt = Some(rtt);
    let mut step =
        Step::found(Layer::Hello, "ping", Status::Pass, Found::Pings(rtt)).took(start.elapsed());
    step.host = Some(host);
    out.steps.push(step);
}
