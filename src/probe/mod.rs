//! The probe pipeline: walks a connection string's path layer by layer (dns,
//! tcp, tls, hello) on every host concurrently, records each step as evidence,
//! and keeps failures as typed data for `diagnose`. Probes never print.

pub mod auth;
pub mod data;
pub mod dns;
pub mod hello;
pub mod step;
pub mod tcp;
pub mod tls;

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::uri::{self, ConnectionString, Scheme};
pub use step::{Layer, Status, Step};

use dns::Resolver as _;

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

    let tls_enabled = cs.tls_enabled();
    let tls_options = Arc::new(tls::TlsOptions {
        ca_file: cs.tls_ca_file().map(str::to_string),
        allow_invalid_certificates: cs.bool_option("tlsAllowInvalidCertificates") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true),
        allow_invalid_hostnames: cs.bool_option("tlsAllowInvalidHostnames") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true),
    });

    let mut set = JoinSet::new();
    for (index, host) in resolved.hosts.iter().cloned().enumerate() {
        let tls_options = tls_enabled.then(|| tls_options.clone());
        let options = options.clone();
        set.spawn(async move { (index, probe_host(host, tls_options, options).await) });
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

/// A host of the seed list with the addresses it resolved to.
#[derive(Debug, Clone)]
struct ResolvedHost {
    name: String,
    port: u16,
    ips: Vec<IpAddr>,
}

struct Resolved {
    hosts: Vec<ResolvedHost>,
    txt_options: Vec<(String, String)>,
}

/// DNS through the chosen resolver; on failure, once more through the fallback.
async fn resolve_all(
    cs: &ConnectionString,
    options: &Options,
    steps: &mut Vec<Step>,
) -> (Option<Resolved>, Option<Failure>) {
    let primary = match options.dns_server {
        Some(addr) => dns::Hickory::at(addr, options.timeout),
        None => dns::Hickory::system(options.timeout),
    };
    let primary = match primary {
        Ok(resolver) => resolver,
        Err(error) => {
            let failure = Failure::Dns {
                query: "resolver".into(),
                resolver: "system resolver".into(),
                error,
            };
            return (None, Some(failure));
        }
    };
    let first = resolve_with(&primary, cs, steps).await;
    let (query, error) = match first {
        Ok(resolved) => return (Some(resolved), None),
        Err(Failure::Dns { query, error, .. }) => (query, error),
        Err(other) => return (None, Some(other)),
    };
    let broken = Failure::Dns {
        query: query.clone(),
        resolver: primary.describe(),
        error: error.clone(),
    };
    // Only a resolver problem can be worked around by another resolver.
    let retry = matches!(
        error,
        dns::Error::Timeout { .. }
            | dns::Error::ServerFailure { .. }
            | dns::Error::Unreachable { .. }
            | dns::Error::NoSuchName
            | dns::Error::NoRecords { .. }
            | dns::Error::Other { .. }
    );
    let Some(fallback_addr) = options.dns_fallback.filter(|_| retry) else {
        return (None, Some(broken));
    };
    let Ok(fallback) = dns::Hickory::at(fallback_addr, options.timeout) else {
        return (None, Some(broken));
    };
    let mut fallback_steps = Vec::new();
    if let Ok(resolved) = resolve_with(&fallback, cs, &mut fallback_steps).await {
        for step in &mut fallback_steps {
            step.name = format!("{} (via fallback {})", step.name, fallback.describe());
        }
        steps.extend(fallback_steps);
        let workaround = (cs.scheme == Scheme::Srv).then(|| {
            let hosts: Vec<(String, u16)> = resolved
                .hosts
                .iter()
                .map(|h| (h.name.clone(), h.port))
                .collect();
            cs.standard_equivalent(&hosts, &resolved.txt_options)
        });
        let failure = Failure::DnsResolverBroken {
            query,
            resolver: primary.describe(),
            error,
            fallback: fallback.describe(),
            workaround,
        };
        (Some(resolved), Some(failure))
    } else {
        for step in &mut fallback_steps {
            step.name = format!("{} (via fallback {})", step.name, fallback.describe());
        }
        steps.extend(fallback_steps);
        (None, Some(broken))
    }
}

async fn resolve_with(
    resolver: &dns::Hickory,
    cs: &ConnectionString,
    steps: &mut Vec<Step>,
) -> Result<Resolved, Failure> {
    let fail = |query: String, error: dns::Error| Failure::Dns {
        query,
        resolver: resolver.describe(),
        error,
    };
    let mut seeds: Vec<(String, u16)> = cs
        .hosts
        .iter()
        .map(|h| (h.name.clone(), h.port_or_default()))
        .collect();
    let mut txt_options = Vec::new();

    if cs.scheme == Scheme::Srv {
        let srv_host = &cs.hosts[0].name;
        let query = format!("SRV _mongodb._tcp.{srv_host}");
        let (answer, took) = dns::timed(resolver.srv(&format!("_mongodb._tcp.{srv_host}."))).await;
        let targets = match answer {
            Ok(targets) => targets,
            Err(error) => {
                // `_mongodb._tcp.X` missing while X resolves: a server without SRV.
                let error = match error {
                    dns::Error::NoSuchName if resolver.ips(&fqdn(srv_host)).await.is_ok() => {
                        dns::Error::NoRecords { record: "SRV" }
                    }
                    other => other,
                };
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, error.to_string()).took(took),
                );
                return Err(fail(query, error));
            }
        };
        let listed: Vec<String> = targets
            .iter()
            .map(|t| uri::format_address(&t.host, t.port))
            .collect();
        if let Some(error) = targets
            .iter()
            .find_map(|t| dns::check_srv_target(srv_host, &t.host).err())
        {
            steps.push(Step::new(Layer::Dns, &query, Status::Fail, error.to_string()).took(took));
            return Err(fail(query, error));
        }
        let noun = if targets.len() == 1 {
            "target"
        } else {
            "targets"
        };
        steps.push(
            Step::new(
                Layer::Dns,
                &query,
                Status::Pass,
                format!("{} {noun}: {}", targets.len(), abbreviated(&listed, 10)),
            )
            .took(took),
        );
        seeds = targets.into_iter().map(|t| (t.host, t.port)).collect();

        let query = format!("TXT {srv_host}");
        let (answer, took) = dns::timed(resolver.txt(&format!("{srv_host}."))).await;
        let records = match answer {
            Ok(records) => records,
            Err(dns::Error::NoRecords { .. } | dns::Error::NoSuchName) => Vec::new(),
            Err(error) => {
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, error.to_string()).took(took),
                );
                return Err(fail(query, error));
            }
        };
        match dns::parse_txt(&records) {
            Ok(options) => {
                let detail = if options.is_empty() {
                    "no TXT record (fine)".to_string()
                } else {
                    records.join(" | ")
                };
                steps.push(Step::new(Layer::Dns, &query, Status::Pass, detail).took(took));
                txt_options = options;
            }
            Err(error) => {
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, error.to_string()).took(took),
                );
                return Err(fail(query, error));
            }
        }
    }

    // A/AAAA for every host at once.
    let lookups = seeds.iter().map(|(name, _)| async move {
        if let Ok(ip) = name.parse::<IpAddr>() {
            return (Ok(vec![ip]), Duration::ZERO, false);
        }
        let (answer, took) = dns::timed(resolver.ips(&fqdn(name))).await;
        (answer, took, true)
    });
    let answers = join_all(lookups).await;
    let mut hosts = Vec::new();
    let mut first_error = None;
    for ((name, port), (answer, took, looked_up)) in seeds.into_iter().zip(answers) {
        let query = format!("A/AAAA {name}");
        match answer {
            Ok(ips) => {
                if looked_up {
                    let shown: Vec<String> = ips.iter().map(ToString::to_string).collect();
                    steps.push(
                        Step::new(Layer::Dns, &query, Status::Pass, shown.join(", "))
                            .on(uri::format_address(&name, port))
                            .took(took),
                    );
                }
                hosts.push(ResolvedHost { name, port, ips });
            }
            Err(error) => {
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, error.to_string())
                        .on(uri::format_address(&name, port))
                        .took(took),
                );
                first_error.get_or_insert((query, error));
            }
        }
    }
    if hosts.is_empty() {
        let (query, error) = first_error
            .unwrap_or_else(|| ("A/AAAA".into(), dns::Error::NoRecords { record: "A/AAAA" }));
        return Err(fail(query, error));
    }
    Ok(Resolved { hosts, txt_options })
}

/// The first `keep` items, then how many more: a 500-target SRV answer stays one readable line.
fn abbreviated(items: &[String], keep: usize) -> String {
    if items.len() <= keep {
        return items.join(", ");
    }
    format!(
        "{}, and {} more",
        items[..keep].join(", "),
        items.len() - keep
    )
}

/// `localhost` stays as is (hosts file); other names are made absolute so no search domain is tried.
fn fqdn(name: &str) -> String {
    if name.ends_with('.') || !name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

/// Runs futures concurrently on this task and keeps their order.
async fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let mut pending: Vec<(usize, std::pin::Pin<Box<F>>)> =
        futures.into_iter().enumerate().collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(i, fut)| match fut.as_mut().poll(cx) {
            std::task::Poll::Ready(out) => {
                outputs[*i] = Some(out);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|o| o.expect("every future completed"))
        .collect()
}

type BoxStream = Box<dyn hello::Stream>;

struct HostResult {
    steps: Vec<Step>,
    outcome: Result<(HealthyHost, BoxStream), Failure>,
}

fn is_atlas_host(name: &str, options: &Options) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    options.atlas
        || name.ends_with(".mongodb.net")
        || name.ends_with(".mongodb-dev.net")
        || name.ends_with(".mongodbgov.net")
}

/// tcp, then tls when asked, then hello, on one host.
async fn probe_host(
    host: ResolvedHost,
    tls_options: Option<Arc<tls::TlsOptions>>,
    options: Options,
) -> HostResult {
    let address = uri::format_address(&host.name, host.port);
    let atlas = is_atlas_host(&host.name, &options);
    let mut steps = Vec::new();
    let fail = |steps, failure| HostResult {
        steps,
        outcome: Err(failure),
    };

    let addrs: Vec<SocketAddr> = host
        .ips
        .iter()
        .map(|ip| SocketAddr::new(*ip, host.port))
        .collect();
    let outcome = tcp::connect_all(&addrs, options.timeout).await;
    for attempt in &outcome.attempts {
        let name = format!("connect {}", attempt.addr);
        let step = match &attempt.result {
            Some(Ok(())) => Step::new(Layer::Tcp, name, Status::Pass, "connected"),
            Some(Err(e)) => Step::new(Layer::Tcp, name, Status::Fail, e.to_string()),
            None => Step::new(
                Layer::Tcp,
                name,
                Status::Skip,
                "not needed: another address connected first",
            ),
        };
        steps.push(step.on(&address).took(attempt.duration));
    }
    let Some((stream, socket, _)) = outcome.connected else {
        let error = tcp::worst(&outcome.attempts).unwrap_or(tcp::Error::Other {
            reason: "no address to connect to".into(),
        });
        return fail(
            steps,
            Failure::Tcp {
                host: address,
                error,
            },
        );
    };

    let (mut stream, tls_evidence): (BoxStream, _) = match &tls_options {
        Some(tls_options) => {
            let start = Instant::now();
            match tls::handshake(stream, &host.name, tls_options, options.timeout).await {
                Ok((tls_stream, evidence)) => {
                    let status = if evidence.ignored.is_empty() {
                        Status::Pass
                    } else {
                        Status::Warn
                    };
                    steps.push(
                        Step::new(Layer::Tls, "handshake", status, describe_tls(&evidence))
                            .on(&address)
                            .took(start.elapsed()),
                    );
                    (Box::new(tls_stream), Some(evidence))
                }
                Err((error, evidence)) => {
                    let mut detail = error.to_string();
                    if let Some(leaf) = evidence.chain.first() {
                        let _ = write!(
                            detail,
                            "; presented {} issued by {}",
                            leaf.subject, leaf.issuer
                        );
                    }
                    steps.push(
                        Step::new(Layer::Tls, "handshake", Status::Fail, detail)
                            .on(&address)
                            .took(start.elapsed()),
                    );
                    let failure =
                        explain_tls_failure(error, &address, socket, atlas, &options, &mut steps)
                            .await;
                    return fail(steps, failure);
                }
            }
        }
        None => (Box::new(stream) as BoxStream, None),
    };

    let start = Instant::now();
    match hello::hello(&mut stream, None, options.timeout).await {
        Ok(info) => {
            steps.push(
                Step::new(
                    Layer::Hello,
                    info.command,
                    Status::Pass,
                    describe_hello(&info),
                )
                .on(&address)
                .took(start.elapsed()),
            );
            let healthy = HealthyHost {
                address,
                hello: info,
                tls: tls_evidence,
                socket,
            };
            HostResult {
                steps,
                outcome: Ok((healthy, stream)),
            }
        }
        Err(error) => {
            steps.push(
                Step::new(Layer::Hello, "hello", Status::Fail, error.to_string())
                    .on(&address)
                    .took(start.elapsed()),
            );
            let failure = explain_hello_failure(
                error,
                &host.name,
                &address,
                socket,
                tls_options.is_some(),
                atlas,
                &options,
            )
            .await;
            fail(steps, failure)
        }
    }
}

/// A TLS failure, sharpened: an Atlas alert 80 is the access list; silence or a
/// close may be a plain server, which a plain hello settles.
async fn explain_tls_failure(
    error: tls::Error,
    address: &str,
    socket: SocketAddr,
    atlas: bool,
    options: &Options,
    steps: &mut Vec<Step>,
) -> Failure {
    let host = address.to_string();
    match error {
        tls::Error::Alert { code: 80, .. } if atlas => Failure::Tls { host, error, atlas },
        tls::Error::Timeout { .. } | tls::Error::ClosedAfterHello | tls::Error::NotTls
            if !atlas =>
        {
            let start = Instant::now();
            if answers_plain_hello(socket, options.timeout).await {
                steps.push(
                    Step::new(
                        Layer::Tls,
                        "plain hello (check)",
                        Status::Fail,
                        "the port answers MongoDB without TLS",
                    )
                    .on(address)
                    .took(start.elapsed()),
                );
                Failure::TlsPlainServer { host }
            } else {
                Failure::Tls { host, error, atlas }
            }
        }
        error => Failure::Tls { host, error, atlas },
    }
}

/// A hello failure, sharpened: a plain client at a TLS-only port sees a reset,
/// a close or a TLS alert; a TLS handshake on a fresh connection settles it.
async fn explain_hello_failure(
    error: hello::Error,
    name: &str,
    address: &str,
    socket: SocketAddr,
    tls_used: bool,
    atlas: bool,
    options: &Options,
) -> Failure {
    let host = address.to_string();
    if tls_used {
        return Failure::Hello { host, error, atlas };
    }
    match error {
        hello::Error::SpokeTls => Failure::TlsRequired { host, atlas },
        hello::Error::Reset | hello::Error::Closed => {
            if atlas || speaks_tls(socket, name, options.timeout).await {
                Failure::TlsRequired { host, atlas }
            } else {
                Failure::Hello { host, error, atlas }
            }
        }
        error => Failure::Hello { host, error, atlas },
    }
}

async fn answers_plain_hello(socket: SocketAddr, deadline: Duration) -> bool {
    let Ok(Ok(mut stream)) = tokio::time::timeout(deadline, TcpStream::connect(socket)).await
    else {
        return false;
    };
    hello::command(
        &mut stream,
        mongodb::bson::doc! { "hello": 1, "$db": "admin" },
        1,
        deadline,
    )
    .await
    .is_ok()
}

async fn speaks_tls(socket: SocketAddr, name: &str, deadline: Duration) -> bool {
    let Ok(Ok(stream)) = tokio::time::timeout(deadline, TcpStream::connect(socket)).await else {
        return false;
    };
    let any_cert = tls::TlsOptions {
        ca_file: None,
        allow_invalid_certificates: true,
        allow_invalid_hostnames: true,
    };
    match tls::handshake(stream, name, &any_cert, deadline).await {
        Ok(_) => true,
        // A certificate or alert answer is still TLS speaking.
        Err((error, _)) => !matches!(
            error,
            tls::Error::Timeout { .. }
                | tls::Error::ClosedAfterHello
                | tls::Error::NotTls
                | tls::Error::Protocol { .. }
        ),
    }
}

/// Replica set name, wire version and primary checks across the healthy hosts.
fn check_deployment(
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
        let failure = if info.max_wire_version < crate::DRIVER_MIN_WIRE_VERSION
            || info.min_wire_version > crate::DRIVER_MAX_WIRE_VERSION
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
                step.detail = format!("{}; {}", step.detail, describe_deployment_failure(&failure));
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

fn describe_deployment_failure(failure: &Failure) -> String {
    match failure {
        Failure::WireVersion { max, .. } => format!(
            "wire version {max} is outside what drivers support ({}..{})",
            crate::DRIVER_MIN_WIRE_VERSION,
            crate::DRIVER_MAX_WIRE_VERSION
        ),
        Failure::ReplicaSetMismatch {
            expected, found, ..
        } => {
            format!(
                "replica set {:?}, not {expected:?}",
                found.as_deref().unwrap_or("(none: standalone)")
            )
        }
        _ => String::new(),
    }
}

fn pick_for_ping<'a>(
    healthy: &[HealthyHost],
    streams: &'a mut [BoxStream],
) -> Option<&'a mut BoxStream> {
    let index = healthy
        .iter()
        .position(|h| h.hello.writable_primary || h.hello.set_name.is_none())
        .or((!healthy.is_empty()).then_some(0))?;
    streams.get_mut(index)
}

async fn time_pings(stream: &mut BoxStream, options: &Options, out: &mut Connectivity) {
    let mut times = Vec::new();
    let start = Instant::now();
    for i in 0..options.ping_count {
        match hello::ping(stream, 100 + i32::try_from(i).unwrap_or(0), options.timeout).await {
            Ok(rtt) => times.push(rtt),
            Err(e) => {
                out.steps.push(
                    Step::new(Layer::Hello, "ping", Status::Fail, e.to_string())
                        .took(start.elapsed()),
                );
                return;
            }
        }
    }
    let (Some(min), Some(max)) = (times.iter().min().copied(), times.iter().max().copied()) else {
        return;
    };
    let count = u32::try_from(times.len()).unwrap_or(u32::MAX);
    let avg = times.iter().sum::<Duration>() / count;
    out.rtt = Some(RttStats {
        count,
        min,
        avg,
        max,
    });
    let detail = format!(
        "{count} x ping: min {:.2} ms, avg {:.2} ms, max {:.2} ms",
        ms(min),
        ms(avg),
        ms(max)
    );
    let host = out.healthy.first().map(|h| h.address.clone());
    let mut step = Step::new(Layer::Hello, "ping", Status::Pass, detail).took(start.elapsed());
    step.host = host;
    out.steps.push(step);
}

/// Milliseconds as a float, for display.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn describe_tls(evidence: &tls::Evidence) -> String {
    let mut parts = Vec::new();
    if let Some(protocol) = &evidence.protocol {
        parts.push(protocol.clone());
    }
    if let Some(leaf) = evidence.chain.first() {
        parts.push(format!("subject {}", leaf.subject));
        parts.push(format!("issuer {}", leaf.issuer));
        parts.push(format!(
            "expires {} ({} days)",
            leaf.not_after,
            leaf.expires_in_secs / 86_400
        ));
    }
    for ignored in &evidence.ignored {
        parts.push(format!("IGNORED because TLS checks are off: {ignored}"));
    }
    parts.join("; ")
}

fn describe_hello(info: &hello::HelloInfo) -> String {
    let version = info.version.as_deref().map_or_else(
        || "MongoDB (version not reported)".to_string(),
        |v| format!("MongoDB {v}"),
    );
    format!(
        "{version}, wire {}..{}, {}",
        info.min_wire_version,
        info.max_wire_version,
        info.role()
    )
}
