//! The kept connection of `watch`: opened as the layer probes open theirs (tcp,
//! tls, hello) and then held across rounds and pinged once a round, so a drop
//! of a long-lived connection (a NAT's idle timeout, a failover closing
//! connections) shows, which fresh connections never see.

use std::time::Duration;

use super::connectivity::{HealthyHost, Options, ResolvedHost};
use super::hello;
use super::host::{BoxStream, probe_host};
use crate::model::failure::Failure;
use crate::uri::ConnectionString;

/// One open connection to a host that completed the handshake.
pub struct Kept {
    /// `host:port`, as the rows and events name it.
    pub host: String,
    stream: BoxStream,
    next_request: i32,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl Kept {
    /// Opens a connection to `host` (an address that just answered), through
    /// the same tcp, tls and hello probes, under their deadlines.
    pub async fn open(
        cs: &ConnectionString,
        host: &HealthyHost,
        options: &Options,
    ) -> Result<Kept, Failure> {
        let resolved = ResolvedHost {
            name: host.name.clone(),
            port: host.socket.port(),
            ips: vec![host.socket.ip()],
        };
        let tls_options = if cs.tls_enabled() {
            Some(super::tls_options(cs, options).await)
        } else {
            None
        };
        let result = probe_host(resolved, tls_options, None, options.clone()).await;
        let (healthy, stream) = result.outcome?;
        Ok(Kept {
            host: healthy.address,
            stream,
            next_request: 1000,
        })
    }

    /// One `ping` over the kept connection, bounded by `deadline`. A failure
    /// means the connection is no longer usable: the caller drops it.
    pub async fn ping(&mut self, deadline: Duration) -> Result<Duration, Failure> {
        self.next_request = self.next_request.wrapping_add(1).max(1000);
        hello::ping(&mut self.stream, self.next_request, deadline)
            .await
            .map_err(|error| Failure::AfterHandshake {
                host: self.host.clone(),
                command: "ping",
                error,
            })
    }
}
