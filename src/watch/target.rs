//! One watched target: its settings, its kept connection, and one round of it:
//! the pipeline to the asked depth on fresh connections, the kept connection's
//! ping beside it, both folded into a typed `TargetRound`. Classes come from
//! `diagnose`, the one place that classifies failures.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::model::failure::Failure;

use crate::config::Settings;
use crate::diagnose;
use crate::model::class::Class;
use crate::model::step::{Layer, Status};
use crate::pipeline::{self, Depth, Evidence, Plan};
use crate::probe::{self, kept::Kept};
use crate::uri::ConnectionString;

use super::sample::{Certificate, Check, HostReach, Sample, TargetRound};

/// A target and what it keeps from round to round.
#[derive(Debug)]
pub struct Target {
    /// The profile's name, or `default` for the one target of a plain run.
    pub name: String,
    pub settings: Settings,
    /// The connection string the kept connection is opened for.
    cs: ConnectionString,
    kept: Option<Kept>,
    depth: Depth,
}

impl Target {
    /// A target whose connection string the uri layer accepts; else why not.
    pub fn new(
        name: String,
        settings: Settings,
        depth: Depth,
    ) -> Result<Target, crate::model::uri::Error> {
        let cs = settings.target.parsed.clone()?;
        Ok(Target {
            name,
            settings,
            cs,
            kept: None,
            depth,
        })
    }

    /// The same target without its kept connection: what a round that panicked leaves.
    #[must_use]
    pub fn spare(&self) -> Target {
        Target {
            name: self.name.clone(),
            settings: self.settings.clone(),
            cs: self.cs.clone(),
            kept: None,
            depth: self.depth,
        }
    }

    /// The target as the rows name it: the redacted connection string.
    pub fn shown(&self) -> String {
        self.cs.redacted()
    }

    /// One round: fresh connections through the pipeline, and the kept
    /// connection's ping beside them; then a kept connection is opened to the
    /// round's speaker if none is held (it is pinged from the next round on).
    pub async fn round(&mut self) -> TargetRound {
        let plan = Plan::to(self.depth);
        let timeout = self.settings.timeout;
        let kept_ping = async {
            match self.kept.as_mut() {
                Some(kept) => Some((kept.host.clone(), kept.ping(timeout).await)),
                None => None,
            }
        };
        let (evidence, kept) = tokio::join!(pipeline::run(&self.settings, &plan), kept_ping);
        let mut round = fold(&evidence);
        if let Some((host, result)) = kept {
            let outcome = result.as_ref().map(|d| *d).map_err(class_of);
            if let Err(class) = outcome {
                self.kept = None;
                if round.class == Class::Ok {
                    round.class = class;
                }
            }
            round.samples.push(Sample {
                host,
                check: Check::Kept,
                outcome,
            });
        }
        if self.kept.is_none()
            && let Some(speaker) = evidence.connectivity.as_ref().and_then(|c| c.speaker())
        {
            let options = pipeline::probe_options(&self.settings);
            self.kept = Kept::open(&self.cs, speaker, &options).await.ok();
        }
        round
    }
}

/// The round of a target whose task panicked or was cancelled: atlas-doctor's
/// own failure (`internal`), never `ok`.
pub fn lost(error: &tokio::task::JoinError) -> TargetRound {
    TargetRound::empty(class_of(&probe::lost_task(error)))
}

/// The class of a failed probe, as every command would report it.
fn class_of(failure: &Failure) -> Class {
    diagnose::failure(failure).class
}

/// The pipeline's evidence as samples and facts.
pub fn fold(evidence: &Evidence) -> TargetRound {
    let mut round = TargetRound::empty(Class::Ok);
    round.egress_ip = evidence
        .atlas
        .as_ref()
        .and_then(|f| f.access_list.as_ref())
        .map(|l| l.egress_ip.to_string());
    let cs = match &evidence.uri {
        Ok(cs) => cs,
        Err(error) => {
            round.class = diagnose::uri_error(error).class;
            return round;
        }
    };
    let Some(connectivity) = &evidence.connectivity else {
        return round;
    };
    if let Some(failure) = &connectivity.failure {
        round.class = class_of(failure);
    }
    round.degraded = !connectivity.host_failures.is_empty();
    dns_samples(cs, connectivity, &mut round);
    for address in &connectivity.hosts {
        host_samples(address, connectivity, &mut round);
    }
    if let Some(deployment) = connectivity.deployment()
        && deployment.topology == crate::model::deployment::Topology::ReplicaSet
    {
        round.primary_known = true;
        round.primary = deployment.primary;
    } else if matches!(connectivity.failure, Some(Failure::NoPrimary { .. })) {
        round.primary_known = true;
    }
    round.certificates = connectivity
        .healthy
        .iter()
        .filter_map(|h| {
            let leaf = h.tls.as_ref()?.chain.first()?;
            Some((
                h.address.clone(),
                Certificate {
                    subject: leaf.subject.clone(),
                    issuer: leaf.issuer.clone(),
                    not_before: leaf.not_before.clone(),
                    not_after: leaf.not_after.clone(),
                },
            ))
        })
        .collect();
    if let Some(auth) = &evidence.auth {
        let host = connectivity
            .speaker()
            .map_or_else(|| "deployment".to_string(), |h| h.address.clone());
        let took = auth.steps.iter().map(|s| s.duration).sum();
        let outcome = auth
            .result
            .as_ref()
            .map(|_| took)
            .map_err(|f| diagnose::auth_failure(f).class);
        if let Err(class) = outcome
            && round.class == Class::Ok
        {
            round.class = class;
        }
        round.samples.push(Sample {
            host,
            check: Check::Auth,
            outcome,
        });
    }
    round
}

/// The dns layer's samples: one per host it looked up, and one for the SRV and
/// TXT records under the cluster's name; and the answer, when it worked.
fn dns_samples(cs: &ConnectionString, connectivity: &probe::Connectivity, round: &mut TargetRound) {
    let cluster = cs
        .hosts
        .first()
        .map_or_else(String::new, |h| h.name.clone());
    let failed = connectivity
        .failure
        .as_ref()
        .filter(|f| f.layer() == Layer::Dns)
        .map(class_of);
    let mut by_host: BTreeMap<String, Result<Duration, Class>> = BTreeMap::new();
    for step in connectivity.steps.iter().filter(|s| s.layer == Layer::Dns) {
        let host = step.host.clone().unwrap_or_else(|| cluster.clone());
        let entry = by_host.entry(host).or_insert(Ok(Duration::ZERO));
        *entry = match (&*entry, step.status) {
            (Err(class), _) => Err(*class),
            (Ok(_), Status::Fail) => Err(failed.unwrap_or(Class::Dns)),
            (Ok(took), _) => Ok(*took + step.duration),
        };
    }
    round
        .samples
        .extend(by_host.into_iter().map(|(host, outcome)| Sample {
            host,
            check: Check::Dns,
            outcome,
        }));
    if failed.is_none() && !connectivity.addresses.is_empty() {
        let mut answer: Vec<(String, Vec<std::net::IpAddr>)> = connectivity
            .addresses
            .iter()
            .map(|(name, ips)| {
                let mut ips = ips.clone();
                ips.sort();
                (name.clone(), ips)
            })
            .collect();
        answer.sort();
        round.dns = Some(answer);
    }
}

/// One host's tcp, tls and hello samples, and how far it got.
fn host_samples(address: &str, connectivity: &probe::Connectivity, round: &mut TargetRound) {
    let on_host = |layer: Layer| {
        connectivity
            .steps
            .iter()
            .filter(move |s| s.layer == layer && s.host.as_deref() == Some(address))
    };
    let passed = |layer: Layer| {
        on_host(layer)
            .filter(|s| s.status == Status::Pass)
            .map(|s| s.duration)
            .max()
    };
    let failure = connectivity
        .host_failures
        .iter()
        .chain(&connectivity.failure)
        .find(|f| f.host() == Some(address));
    let healthy = connectivity.healthy.iter().find(|h| h.address == address);
    let mut push = |check: Check, outcome: Result<Duration, Class>| {
        round.samples.push(Sample {
            host: address.to_string(),
            check,
            outcome,
        });
    };
    let failed_layer = failure.map(Failure::layer);
    let mut reach = HostReach {
        host: address.to_string(),
        check: Check::Tcp,
        rtt: healthy.map(|h| h.hello.round_trip),
        class: failure.map_or(Class::Ok, class_of),
    };
    for (layer, check) in [
        (Layer::Tcp, Check::Tcp),
        (Layer::Tls, Check::Tls),
        (Layer::Hello, Check::Hello),
    ] {
        if failed_layer == Some(layer) {
            push(check, Err(reach.class));
            reach.check = check;
            break;
        }
        let took = if layer == Layer::Hello {
            healthy
                .map(|h| h.hello.round_trip)
                .or_else(|| passed(layer))
        } else {
            passed(layer)
        };
        // A layer that did not run (no TLS asked for), or that the host's
        // failure at an earlier layer kept it from, has no sample.
        if let Some(took) = took {
            push(check, Ok(took));
            reach.check = check;
        }
    }
    round.hosts.push(reach);
}
