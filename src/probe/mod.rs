//! The probe pipeline: walks a connection string's path layer by layer (dns,
//! tcp, tls, hello) on every host concurrently, records each step as evidence,
//! and keeps failures as typed data for `diagnose`. Probes never print.

pub mod auth;
mod cert;
pub mod crud;
pub mod data;
mod deployment;
pub mod dns;
pub mod driver;
pub mod hello;
mod host;
pub mod kept;
pub mod prefetch;
mod resolve;
pub mod status;
pub mod tcp;
pub mod tls;
pub mod trust;

pub use crate::model::failure::Failure;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

pub use crate::model::deployment::{Deployment, PrivateHost, RttStats, Topology};
pub use crate::model::step::{Layer, Status, Step, ms};
use crate::uri::{self, ConnectionString};

use deployment::{check_deployment, pick_for_ping, time_pings};
use host::{HostResult, probe_host};
use resolve::resolve_all;
pub use resolve::{Resolved, ResolvedHost};

/// What the probes need besides the connection string.
#[derive(Debug, Clone)]
pub struct Options {
    pub timeout: Duration,
    pub dns_server: Option<SocketAddr>,
    pub dns_fallback: Option<SocketAddr>,
    /// Treat every host as an Atlas host.
    pub atlas: bool,
    /// How many MongoDB pings to time after the handshake; 0 times none and
    /// reports the handshake's own round trip (no extra round trip).
    pub ping_count: u32,
    /// The user name given apart from the URI (config `username`), so the
    /// handshake can ask which mechanisms the server offers that user.
    pub login_user: Option<String>,
    /// The run's one root store, shared with the driver's early start.
    pub roots: trust::Shared,
    /// Told what the dns layer found, before the hosts are probed: the driver's
    /// early start for a `+srv` URI waits for it (issue 10).
    pub found: Option<tokio::sync::mpsc::UnboundedSender<Resolved>>,
}

/// A host that completed the handshake.
#[derive(Debug, Clone)]
pub struct HealthyHost {
    /// The host name (or IP) as the seed list or SRV record gave it.
    pub name: String,
    /// `name:port`, as reports show it.
    pub address: String,
    pub hello: hello::HelloInfo,
    pub tls: Option<tls::Evidence>,
    /// The address that connected, for auth/data layers.
    pub socket: SocketAddr,
}

/// Everything the connectivity layers found.
#[derive(Debug, Clone, Default)]
pub struct Connectivity {
    pub steps: Vec<Step>,
    /// The failure that decides the run; `None` when a usable deployment answered.
    pub failure: Option<Failure>,
    /// Failures of some hosts while others worked: warnings.
    pub host_failures: Vec<Failure>,
    pub healthy: Vec<HealthyHost>,
    pub rtt: Option<RttStats>,
    /// The hosts the run resolved to (after SRV), as `host:port`.
    pub hosts: Vec<String>,
    /// Options that came from the SRV cluster's TXT record.
    pub txt_options: Vec<(String, String)>,
    /// Addresses every host resolved to, for the network-exposure check.
    pub addresses: Vec<(String, Vec<IpAddr>)>,
    /// The run's one root store (when TLS is on): the driver's login trusts it too.
    pub roots: Option<Arc<trust::Roots>>,
    /// Atlas hosts reachable only from inside a VPC.
    pub private_hosts: Vec<PrivateHost>,
}

impl Connectivity {
    /// The host that speaks for the deployment: the writable primary, else the first that answered.
    pub fn speaker(&self) -> Option<&HealthyHost> {
        self.healthy
            .iter()
            .find(|h| h.hello.writable_primary)
            .or(self.healthy.first())
    }

    /// Each answering host's TLS evidence, by `host:port` (empty without TLS).
    pub fn tls_evidence(&self) -> Vec<(String, tls::Evidence)> {
        self.healthy
            .iter()
            .filter_map(|h| h.tls.as_ref().map(|t| (h.address.clone(), t.clone())))
            .collect()
    }

    /// The deployment's typed facts; `None` when no host completed the handshake.
    pub fn deployment(&self) -> Option<Deployment> {
        let host = self.speaker()?;
        let hello = &host.hello;
        let topology = if hello.mongos {
            Topology::Sharded
        } else if hello.set_name.is_some() {
            Topology::ReplicaSet
        } else {
            Topology::Standalone
        };
        let primary = self
            .healthy
            .iter()
            .find_map(|h| h.hello.primary.clone())
            .or_else(|| {
                self.healthy
                    .iter()
                    .find(|h| h.hello.writable_primary && h.hello.set_name.is_some())
                    .map(|h| h.address.clone())
            });
        Some(Deployment {
            server_version: hello.version.clone(),
            min_wire_version: hello.min_wire_version,
            max_wire_version: hello.max_wire_version,
            topology,
            set_name: hello.set_name.clone(),
            primary,
            hosts_answered: self.healthy.len(),
            hosts_total: self.hosts.len(),
            rtt: self.rtt,
        })
    }
}

/// Runs dns, tcp, tls and hello against the connection string.
pub async fn connectivity(cs: &ConnectionString, options: &Options) -> Connectivity {
    let mut out = Connectivity::default();
    let (resolved, decisive) = resolve_all(cs, options, &mut out.steps).await;
    out.failure = decisive;
    let Some(resolved) = resolved else { return out };
    if let Some(found) = &options.found {
        // Nobody listening (the early start gave up) is no failure of the probes.
        let _ = found.send(resolved.clone());
    }
    out.txt_options.clone_from(&resolved.txt_options);
    out.hosts = resolved
        .hosts
        .iter()
        .map(|h| uri::format_address(&h.name, h.port))
        .collect();
    out.addresses = resolved
        .hosts
        .iter()
        .map(|h| (h.name.clone(), h.ips.clone()))
        .collect();
    out.private_hosts = resolved
        .hosts
        .iter()
        .filter(|h| host::is_atlas_host(&h.name, options))
        .filter_map(|h| {
            let address = h
                .ips
                .iter()
                .copied()
                .find(|ip| crate::atlas::matching::is_private_address(*ip));
            (address.is_some() || crate::atlas::matching::is_private_host_name(&h.name)).then(
                || PrivateHost {
                    name: h.name.clone(),
                    address,
                },
            )
        })
        .collect();

    let tls_enabled = cs.tls_enabled();
    let tls_options = tls_options(cs, options).await;
    out.roots = tls_options.roots.as_ref().ok().cloned();

    // `saslSupportedMechs` rides on the handshake, so auth-check needs no second connection.
    let login = auth::Login {
        username: options.login_user.clone(),
        password: None,
    };
    let sasl_user: Option<Arc<str>> =
        auth::sasl_user(cs, &resolved.txt_options, &login).map(Arc::from);

    let mut set = JoinSet::new();
    for (index, host) in resolved.hosts.iter().cloned().enumerate() {
        let tls_options = tls_enabled.then(|| tls_options.clone());
        let options = options.clone();
        let sasl_user = sasl_user.clone();
        set.spawn(async move {
            (
                index,
                probe_host(host, tls_options, sasl_user, options).await,
            )
        });
    }
    let mut results: Vec<(usize, HostResult)> = Vec::new();
    let mut lost = None;
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(result) => results.push(result),
            Err(error) => lost = Some(lost_task(&error)),
        }
    }
    results.sort_by_key(|(index, _)| *index);

    let mut host_failures = Vec::new();
    let mut streams = Vec::new();
    for (_, result) in results {
        out.steps.extend(result.steps);
        match result.outcome {
            Ok((healthy, stream)) => {
                out.healthy.push(healthy);
                streams.push(stream);
            }
            Err(failure) => host_failures.push(failure),
        }
    }
    check_deployment(
        cs,
        &resolved.txt_options,
        &mut out,
        &mut host_failures,
        &mut streams,
    );

    if out.healthy.is_empty() {
        // The host that got furthest explains the run best.
        let deepest = host_failures.iter().map(Failure::layer).max();
        let decisive = host_failures
            .iter()
            .position(|f| Some(f.layer()) == deepest)
            .map(|i| host_failures.remove(i));
        out.failure = out.failure.take().or(decisive);
    }
    out.host_failures = host_failures;

    // A host probe that panicked proves nothing about the deployment either way.
    if let Some(failure) = lost {
        out.failure = Some(failure);
        return out;
    }

    if out
        .failure
        .as_ref()
        .is_none_or(|f| matches!(f, Failure::DnsResolverBroken { .. }))
        && let Some(index) = pick_for_ping(&out.healthy)
    {
        if options.ping_count == 0 {
            out.rtt = Some(RttStats::once("hello", out.healthy[index].hello.round_trip));
        } else if let Some(stream) = streams.get_mut(index) {
            let host = out.healthy[index].address.clone();
            time_pings(stream, host, options, &mut out).await;
        }
    }
    out
}

/// How the TLS layer trusts and identifies itself for this connection string:
/// one root store for the run, which the driver's login uses too.
async fn tls_options(cs: &ConnectionString, options: &Options) -> Arc<tls::TlsOptions> {
    let tls_enabled = cs.tls_enabled();
    let roots = if tls_enabled {
        options.roots.get(cs.tls_ca_file()).await
    } else {
        Ok(trust::Roots::bundled())
    };
    let identity = if tls_enabled {
        trust::load_identity(cs.certificate_key_file()).await
    } else {
        Ok(None)
    };
    Arc::new(tls::TlsOptions {
        roots,
        identity,
        allow_invalid_certificates: cs.bool_option("tlsAllowInvalidCertificates") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true),
        allow_invalid_hostnames: cs.bool_option("tlsAllowInvalidHostnames") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true),
    })
}

/// A probe task that did not finish: panicked or cancelled, never silently dropped.
pub fn lost_task(error: &tokio::task::JoinError) -> Failure {
    Failure::Internal {
        what: crate::panic::lost(error),
    }
}

#[cfg(test)]
mod lost_task_tests {
    use super::*;
    use crate::model::class::Class;

    #[tokio::test]
    async fn a_panicked_probe_is_internal_never_ok() {
        let joined = tokio::spawn(async { panic!("a probe bug") }).await;
        let error = joined.expect_err("the task panicked");
        let failure = lost_task(&error);
        assert!(matches!(&failure, Failure::Internal { what } if what.contains("panicked")));
        assert_eq!(crate::diagnose::failure(&failure).class, Class::Internal);
    }

    #[tokio::test]
    async fn a_cancelled_probe_is_internal_never_ok() {
        let task = tokio::spawn(std::future::pending::<()>());
        task.abort();
        let error = task.await.expect_err("the task was cancelled");
        let failure = lost_task(&error);
        assert!(matches!(&failure, Failure::Internal { what } if what.contains("cancelled")));
        assert_eq!(crate::diagnose::failure(&failure).class, Class::Internal);
    }
}
