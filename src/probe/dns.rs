//! The dns layer: SRV and TXT for `mongodb+srv://`, A/AAAA for every host, with
//! the driver's SRV rules, through the system resolver or `--dns-server`.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use hickory_resolver::config::{
    ConnectionConfig, LookupIpStrategy, NameServerConfig, ResolveHosts, ResolverConfig,
    ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::rr::RData;
use hickory_resolver::{TokioResolver, system_conf};

use crate::model::dns::Error;

/// TXT options drivers accept from the SRV cluster's TXT record.
pub const ALLOWED_TXT_OPTIONS: &[&str] = &["authSource", "replicaSet", "loadBalanced"];

/// One SRV answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrvTarget {
    pub host: String,
    pub port: u16,
}

/// What a resolver can be asked. A trait so unit tests can feed answers.
pub trait Resolver: Send + Sync {
    fn srv(&self, name: &str) -> impl Future<Output = Result<Vec<SrvTarget>, Error>> + Send;
    fn txt(&self, name: &str) -> impl Future<Output = Result<Vec<String>, Error>> + Send;
    fn ips(&self, name: &str) -> impl Future<Output = Result<Vec<IpAddr>, Error>> + Send;
    /// `system resolver (1.2.3.4:53)` or `127.0.0.1:5353`.
    fn describe(&self) -> String;
}

/// hickory-resolver, pointed at the system's or a named nameserver.
pub struct Hickory {
    resolver: TokioResolver,
    description: String,
    deadline: Duration,
    /// The dns layer's one deadline, counted from when the resolver is made
    /// (just before the layer's lookups): SRV and TXT, then A/AAAA, spend one
    /// budget between them, not one each.
    ends: tokio::time::Instant,
    /// The nameservers asked, to tell a dead one from a slow one.
    servers: Vec<SocketAddr>,
}

impl Hickory {
    /// The system resolver (`/etc/resolv.conf`, with the hosts file).
    pub fn system(deadline: Duration) -> Result<Self, Error> {
        let (config, opts) = system_conf::read_system_conf().map_err(|e| Error::Unreachable {
            reason: format!("no system resolver configured ({e})"),
        })?;
        let addrs: Vec<SocketAddr> = config
            .name_servers()
            .iter()
            .map(|ns| SocketAddr::new(ns.ip, ns.connections.first().map_or(53, |c| c.port)))
            .collect();
        let servers: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        let description = format!(
            "system resolver ({})",
            if servers.is_empty() {
                "none".into()
            } else {
                servers.join(", ")
            }
        );
        Self::build(config, opts, description, deadline, addrs)
    }

    /// A named nameserver at `addr` (any port), over UDP then TCP.
    pub fn at(addr: SocketAddr, deadline: Duration) -> Result<Self, Error> {
        let mut udp = ConnectionConfig::udp();
        udp.port = addr.port();
        let mut tcp = ConnectionConfig::tcp();
        tcp.port = addr.port();
        let mut server = NameServerConfig::udp_and_tcp(addr.ip());
        server.connections = vec![udp, tcp];
        let config = ResolverConfig::from_parts(None, vec![], vec![server]);
        Self::build(
            config,
            ResolverOpts::default(),
            addr.to_string(),
            deadline,
            vec![addr],
        )
    }

    fn build(
        config: ResolverConfig,
        mut opts: ResolverOpts,
        description: String,
        deadline: Duration,
        servers: Vec<SocketAddr>,
    ) -> Result<Self, Error> {
        opts.timeout = deadline;
        opts.attempts = 1;
        opts.use_hosts_file = ResolveHosts::Always;
        opts.cache_size = 0;
        // Every address of a host, as the driver tries them: a host whose IPv6
        // address is refused while its IPv4 one serves must show both.
        opts.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
        // A resolver that answers SERVFAIL should be reported, not hidden by a TCP retry.
        opts.try_tcp_on_error = false;
        let resolver = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(opts)
            .build()
            .map_err(|e| Error::Other {
                reason: e.to_string(),
            })?;
        Ok(Hickory {
            resolver,
            description,
            deadline,
            ends: tokio::time::Instant::now() + deadline,
            servers,
        })
    }

    async fn bounded<T>(
        &self,
        record: &'static str,
        lookup: impl Future<Output = Result<T, NetError>>,
    ) -> Result<T, Error> {
        match tokio::time::timeout_at(self.ends, lookup).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(e)) => Err(classify(&e, record, self.deadline)),
            Err(_) => Err(self.timeout_or_unreachable().await),
        }
    }

    /// hickory's UDP sockets are unconnected, so a closed resolver port looks
    /// like silence. A connected UDP socket hears the ICMP refusal; TCP too.
    async fn timeout_or_unreachable(&self) -> Error {
        let timeout = Error::Timeout {
            after: self.deadline,
        };
        if self.servers.is_empty() {
            return timeout;
        }
        for server in &self.servers {
            if !refuses(*server).await {
                return timeout;
            }
        }
        let listed: Vec<String> = self.servers.iter().map(ToString::to_string).collect();
        Error::Unreachable {
            reason: format!(
                "nothing listens on {} (UDP and TCP refused)",
                listed.join(", ")
            ),
        }
    }
}

/// Whether a nameserver address actively refuses both UDP and TCP.
async fn refuses(server: SocketAddr) -> bool {
    let check = Duration::from_millis(300);
    let bind: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let udp_refused = match tokio::net::UdpSocket::bind(bind).await {
        Ok(socket) if socket.connect(server).await.is_ok() => {
            // A minimal DNS header (id 0, no questions): enough to draw an ICMP error.
            let _ = socket.send(&[0u8; 12]).await;
            let mut buf = [0u8; 512];
            matches!(
                tokio::time::timeout(check, socket.recv(&mut buf)).await,
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused
            )
        }
        _ => false,
    };
    let tcp_refused = matches!(
        tokio::time::timeout(check, tokio::net::TcpStream::connect(server)).await,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused
    );
    udp_refused && tcp_refused
}

impl Resolver for Hickory {
    async fn srv(&self, name: &str) -> Result<Vec<SrvTarget>, Error> {
        let lookup = self.bounded("SRV", self.resolver.srv_lookup(name)).await?;
        let targets: Vec<SrvTarget> = lookup
            .answers()
            .iter()
            .filter_map(|r| match &r.data {
                RData::SRV(srv) => Some(SrvTarget {
                    host: trim_dot(&srv.target.to_utf8()),
                    port: srv.port,
                }),
                _ => None,
            })
            .collect();
        if targets.is_empty() {
            Err(Error::NoRecords { record: "SRV" })
        } else {
            Ok(targets)
        }
    }

    async fn txt(&self, name: &str) -> Result<Vec<String>, Error> {
        let lookup = self.bounded("TXT", self.resolver.txt_lookup(name)).await?;
        Ok(lookup
            .answers()
            .iter()
            .filter_map(|r| match &r.data {
                // A TXT record's strings are concatenated, as drivers do.
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|s| String::from_utf8_lossy(s).into_owned())
                        .collect(),
                ),
                _ => None,
            })
            .collect())
    }

    async fn ips(&self, name: &str) -> Result<Vec<IpAddr>, Error> {
        let lookup = self
            .bounded("A/AAAA", self.resolver.lookup_ip(name))
            .await?;
        let ips: Vec<IpAddr> = lookup.iter().collect();
        if ips.is_empty() {
            Err(Error::NoRecords { record: "A/AAAA" })
        } else {
            Ok(ips)
        }
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

fn trim_dot(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_string()
}

/// hickory's error, reduced to what a user can act on.
fn classify(error: &NetError, record: &'static str, deadline: Duration) -> Error {
    if error.is_nx_domain() {
        return Error::NoSuchName;
    }
    if error.is_no_records_found() {
        return Error::NoRecords { record };
    }
    match error {
        NetError::Dns(DnsError::ResponseCode(code)) => Error::ServerFailure {
            code: code.to_string(),
        },
        NetError::Timeout => Error::Timeout { after: deadline },
        NetError::Io(io) => Error::Unreachable {
            reason: io.to_string(),
        },
        // Every UDP answer cut short (TC bit), and TCP refused or silent.
        NetError::Truncated => Error::Unreachable {
            reason: "the answer was truncated over UDP and the resolver gave none over TCP"
                .to_string(),
        },
        NetError::NoConnections => Error::Unreachable {
            reason: "no connection to the resolver".to_string(),
        },
        e if e.is_connection_closed() => Error::Unreachable {
            reason: e.to_string(),
        },
        e => Error::Other {
            reason: e.to_string(),
        },
    }
}

/// Checks the driver's SRV rule: each target ends with the SRV name minus its
/// first label (or, for names of fewer than three labels, with the whole name).
pub fn check_srv_target(srv_host: &str, target: &str) -> Result<(), Error> {
    let srv_host = srv_host.trim_end_matches('.').to_ascii_lowercase();
    let target_lc = target.trim_end_matches('.').to_ascii_lowercase();
    let labels = srv_host.split('.').count();
    let parent = if labels >= 3 {
        srv_host
            .split_once('.')
            .map_or(srv_host.as_str(), |(_, p)| p)
    } else {
        srv_host.as_str()
    };
    let ok = target_lc.ends_with(&format!(".{parent}"))
        && target_lc.split('.').count() > parent.split('.').count();
    if ok {
        Ok(())
    } else {
        Err(Error::TargetOutsideDomain {
            target: target.to_string(),
            parent: parent.to_string(),
        })
    }
}

/// Parses the TXT records into options, with the driver's rules.
pub fn parse_txt(records: &[String]) -> Result<Vec<(String, String)>, Error> {
    match records {
        [] => Ok(Vec::new()),
        [one] => {
            let mut options = Vec::new();
            for pair in one.split('&').filter(|p| !p.is_empty()) {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                if !ALLOWED_TXT_OPTIONS
                    .iter()
                    .any(|allowed| allowed.eq_ignore_ascii_case(key))
                {
                    return Err(Error::ForbiddenTxtOption {
                        option: key.to_string(),
                    });
                }
                options.push((key.to_string(), value.to_string()));
            }
            Ok(options)
        }
        many => Err(Error::MultipleTxt { count: many.len() }),
    }
}

/// Runs a lookup and measures it.
pub async fn timed<T>(lookup: impl Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let out = lookup.await;
    (out, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("cluster0.ab1cd.mongodb.net", "cluster0-shard-00-00.ab1cd.mongodb.net", true ; "atlas")]
    #[test_case("cluster0.example.test", "shard-00-00.cluster0.example.test", true ; "sub of parent")]
    #[test_case("cluster0.example.test", "db.attacker.test", false ; "outside")]
    #[test_case("cluster0.example.test", "example.test", false ; "the parent itself")]
    #[test_case("cluster0.example.test", "evilexample.test", false ; "suffix without dot")]
    #[test_case("example.com", "db.example.com", true ; "two labels needs one more")]
    #[test_case("example.com", "example.com", false ; "two labels same name")]
    fn srv_targets(srv: &str, target: &str, ok: bool) {
        assert_eq!(check_srv_target(srv, target).is_ok(), ok);
    }

    #[test]
    fn txt_rules() {
        assert_eq!(parse_txt(&[]).unwrap(), vec![]);
        assert_eq!(
            parse_txt(&["authSource=admin&replicaSet=rs0".into()]).unwrap(),
            vec![
                ("authSource".into(), "admin".into()),
                ("replicaSet".into(), "rs0".into())
            ]
        );
        assert_eq!(
            parse_txt(&["ssl=false".into()]),
            Err(Error::ForbiddenTxtOption {
                option: "ssl".into()
            })
        );
        assert_eq!(
            parse_txt(&["a=1".into(), "b=2".into()]),
            Err(Error::MultipleTxt { count: 2 })
        );
    }
}
