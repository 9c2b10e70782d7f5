//! The probe pipeline: walks a connection string's path layer by layer (dns,
//! tcp, tls, hello) on every host concurrently, records each step as evidence,
//! and keeps failures as typed data for `diagnose`. Probes never print.

pub mod auth;
pub mod data;
mod deployment;
pub mod dns;
pub mod hello;
mod host;
mod resolve;
pub mod step;
pub mod tcp;
pub mod tls;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::uri::{self, ConnectionString};
pub use step::{Layer, Status, Step};

use deployment::{check_deployment, pick_for_ping, time_pings};
use host::{HostResult, probe_host};
use resolve::resolve_all;

/// What the probes need besides the connection string.
#[derive(Debug, Clone)]
pub struct Options {
    pub timeout: Duration,
    pub dns_server: Option<SocketAddr>,
    pub dns_fallback: Option<SocketAddr>,
    /// Treat every host as an Atlas host.
    pub atlas: bool,
    /// How many MongoDB pings to time after the handshake.
    pub ping_count: u32,
    /// The user name given apart from the URI (config `username`), so the
    /// handshake can ask which mechanisms the server offers that user.
    pub login_user: Option<String>,
}

/// A failed probe, typed, with the names it concerns. Layer order decides which one
/// explains a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Uri(uri::Error),
    Dns {
        query: String,
        resolver: String,
        error: dns::Error,
    },
    /// The named resolver failed where the fallback resolver worked.
    DnsResolverBroken {
        query: String,
        resolver: String,
        error: dns::Error,
        fallback: String,
        workaround: Option<String>,
    },
    Tcp {
        host: String,
        error: tcp::Error,
    },
    Tls {
        host: String,
        error: tls::Error,
        atlas: bool,
    },
    /// TLS asked for, but the port answers plain MongoDB.
    TlsPlainServer {
        host: String,
    },
    /// No TLS asked for, but the port wants TLS.
    TlsRequired {
        host: String,
        atlas: bool,
    },
    Hello {
        host: String,
        error: hello::Error,
        atlas: bool,
    },
    WireVersion {
        host: String,
        min: i32,
        max: i32,
        version: Option<String>,
    },
    ReplicaSetMismatch {
        host: String,
        expected: String,
        found: Option<String>,
    },
    NoPrimary {
        members: Vec<String>,
    },
}

impl Failure {
    /// The layer this failure belongs to.
    pub fn layer(&self) -> Layer {
        match self {
            Failure::Uri(_) => Layer::Uri,
            Failure::Dns { .. } | Failure::DnsResolverBroken { .. } => Layer::Dns,
            Failure::Tcp { .. } => Layer::Tcp,
            Failure::Tls { .. } | Failure::TlsPlainServer { .. } | Failure::TlsRequired { .. } => {
                Layer::Tls
            }
            Failure::Hello { .. }
            | Failure::WireVersion { .. }
            | Failure::ReplicaSetMismatch { .. }
            | Failure::NoPrimary { .. } => Layer::Hello,
        }
    }

    /// The host it concerns, if one.
    pub fn host(&self) -> Option<&str> {
        match self {
            Failure::Tcp { host, .. }
            | Failure::Tls { host, .. }
            | Failure::TlsPlainServer { host }
            | Failure::TlsRequired { host, .. }
            | Failure::Hello { host, .. }
            | Failure::WireVersion { host, .. }
            | Failure::ReplicaSetMismatch { host, .. } => Some(host),
            _ => None,
        }
    }
}

/// Round-trip times of repeated pings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttStats {
    pub count: u32,
    pub min: Duration,
    pub avg: Duration,
    pub max: Duration,
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
    /// Atlas hosts reachable only from inside a VPC.
    pub private_hosts: Vec<PrivateHost>,
}

/// An Atlas host of a private endpoint or peering connection string: by its name
/// (`-pl-0`, `-pri`), or by the private address it resolved to (RFC 1918, 100.64/10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateHost {
    pub name: String,
    /// The private address, when the address (not the name) gave it away.
    pub address: Option<IpAddr>,
}

/// Runs dns, tcp, tls and hello against the connection string.
pub async fn connectivity(cs: &ConnectionString, options: &Options) -> Connectivity {
    let mut out = Connectivity::default();
    let (resolved, decisive) = resolve_all(cs, options, &mut out.steps).await;
    out.failure = decisive;
    let Some(resolved) = resolved else { return out };
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
    let tls_options = Arc::new(tls::TlsOptions {
        ca_file: cs.tls_ca_file().map(str::to_string),
        allow_invalid_certificates: cs.bool_option("tlsAllowInvalidCertificates") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true),
        allow_invalid_hostnames: cs.bool_option("tlsAllowInvalidHostnames") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true),
    });

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
    while let Some(joined) = set.join_next().await {
        if let Ok(result) = joined {
            results.push(result);
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

    if out
        .failure
        .as_ref()
        .is_none_or(|f| matches!(f, Failure::DnsResolverBroken { .. }))
        && let Some(stream) = pick_for_ping(&out.healthy, &mut streams)
    {
        time_pings(stream, options, &mut out).await;
    }
    out
}

/// Milliseconds as a float, for display.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
