//! The probe pipeline: walks a connection string's path layer by layer (dns,
//! tcp, tls, hello) on every host concurrently, records each step as evidence,
//! and keeps failures as typed data for `diagnose`. Probes never print.

pub mod auth;
mod cert;
mod connectivity;
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

use std::sync::Arc;

use tokio::task::JoinSet;

pub use connectivity::{Connectivity, HealthyHost, Options, Resolved, ResolvedHost};
use deployment::{check_deployment, pick_for_ping, time_pings};
use host::{HostResult, probe_host};
use resolve::resolve_all;

use crate::model::deployment::{PrivateHost, RttStats};
use crate::model::failure::Failure;
use crate::uri::{self, ConnectionString};

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
                .find(|ip| crate::address::is_private(*ip));
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
