//! What the connectivity layers (dns, tcp, tls, hello) take and give: the
//! options of a run, the hosts the dns layer resolved, the hosts that answered,
//! and everything the layers found.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::{hello, trust};
use crate::model::deployment::{Deployment, PrivateHost, RttStats, Topology};
use crate::model::failure::Failure;
use crate::model::step::Step;

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
    pub tls: Option<crate::model::tls::Evidence>,
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
    pub fn tls_evidence(&self) -> Vec<(String, crate::model::tls::Evidence)> {
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

/// A host of the seed list with the addresses it resolved to.
#[derive(Debug, Clone)]
pub struct ResolvedHost {
    pub name: String,
    pub port: u16,
    pub ips: Vec<IpAddr>,
}

/// What the dns layer found: the hosts, and the TXT record's options.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub hosts: Vec<ResolvedHost>,
    pub txt_options: Vec<(String, String)>,
}
