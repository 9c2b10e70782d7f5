//! The hello layer's facts about the deployment: what answered, which topology,
//! which wire versions, how fast (JSON `deployment`).

use std::net::IpAddr;
use std::time::Duration;

use serde::Serialize;

/// Round-trip times of repeated pings, or of the one handshake.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttStats {
    /// What was timed: `ping` (`ping --count`) or `hello` (the handshake).
    pub command: &'static str,
    pub count: u32,
    pub min: Duration,
    pub avg: Duration,
    pub max: Duration,
}

impl RttStats {
    /// One sample.
    pub fn once(command: &'static str, rtt: Duration) -> RttStats {
        RttStats {
            command,
            count: 1,
            min: rtt,
            avg: rtt,
            max: rtt,
        }
    }
}

/// What kind of deployment answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topology {
    Standalone,
    ReplicaSet,
    Sharded,
}

/// The deployment as the hosts' handshakes describe it (JSON `deployment`).
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    /// `buildInfo.version` of the host that speaks for the deployment.
    pub server_version: Option<String>,
    pub min_wire_version: i32,
    pub max_wire_version: i32,
    pub topology: Topology,
    pub set_name: Option<String>,
    /// The primary the members name, else the host that says it is writable primary.
    pub primary: Option<String>,
    pub hosts_answered: usize,
    pub hosts_total: usize,
    pub rtt: Option<RttStats>,
}

/// An Atlas host of a private endpoint or peering connection string: by its name
/// (`-pl-0`, `-pri`), or by the private address it resolved to (RFC 1918, 100.64/10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateHost {
    pub name: String,
    /// The private address, when the address (not the name) gave it away.
    pub address: Option<IpAddr>,
}
