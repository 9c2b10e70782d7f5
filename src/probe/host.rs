//! One host's path: tcp to every address, tls when asked, then hello. A failure
//! is sharpened by a second look where one settles it (a plain hello after a
//! silent TLS handshake, a TLS handshake after a plain client was dropped).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::connectivity::{HealthyHost, Options, ResolvedHost};
use super::{hello, tcp, tls};
use crate::model::failure::Failure;
use crate::model::step::{Found, Layer, Note, Status, Step};
use crate::uri;

pub(super) type BoxStream = Box<dyn hello::Stream>;

pub(super) struct HostResult {
    pub(super) steps: Vec<Step>,
    pub(super) outcome: Result<(HealthyHost, BoxStream), Failure>,
}

pub(super) fn is_atlas_host(name: &str, options: &Options) -> bool {
    options.atlas || uri::is_atlas_host(name)
}

/// tcp, then tls when asked, then hello, on one host.
pub(super) async fn probe_host(
    host: ResolvedHost,
    tls_options: Option<Arc<tls::TlsOptions>>,
    sasl_user: Option<Arc<str>>,
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
        let name = "connect";
        let step = match &attempt.result {
            Some(Ok(())) => Step::found(Layer::Tcp, name, Status::Pass, Found::Connected),
            Some(Err(e)) => Step::failed(Layer::Tcp, name, e),
            None => Step::found(Layer::Tcp, name, Status::Skip, Found::NotNeeded),
        };
        steps.push(step.on(&address).at(attempt.addr).took(attempt.duration));
    }
    let Some((stream, socket, _)) = outcome.connected else {
        let error = tcp::worst(&outcome.attempts).unwrap_or(crate::model::tcp::Error::Other {
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
                        Step::found(
                            Layer::Tls,
                            "handshake",
                            status,
                            Found::Tls(evidence.clone()),
                        )
                        .on(&address)
                        .took(start.elapsed()),
                    );
                    if let Some(gap) = super::trust::partial_trust(&evidence.trusted_by) {
                        steps.push(
                            Step::found(
                                Layer::Tls,
                                "trust stores",
                                Status::Warn,
                                Found::PartialTrust(gap),
                            )
                            .on(&address),
                        );
                    }
                    (Box::new(tls_stream), Some(evidence))
                }
                Err((error, evidence)) => {
                    let mut step = Step::failed(Layer::Tls, "handshake", &error)
                        .on(&address)
                        .took(start.elapsed());
                    if let Some(leaf) = evidence.chain.first() {
                        step.notes.push(Note::Presented {
                            subject: leaf.subject.clone(),
                            issuer: leaf.issuer.clone(),
                        });
                    }
                    steps.push(step);
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
    match hello::hello(&mut stream, sasl_user.as_deref(), options.timeout).await {
        Ok(info) => {
            steps.push(
                Step::found(
                    Layer::Hello,
                    info.command,
                    Status::Pass,
                    Found::Hello(info.answer()),
                )
                .on(&address)
                .took(start.elapsed()),
            );
            let healthy = HealthyHost {
                name: host.name.clone(),
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
                Step::failed(Layer::Hello, "hello", &error)
                    .on(&address)
                    .took(start.elapsed()),
            );
            // TLS 1.3: the client's handshake completes, and a server that
            // demands a client certificate ends the session at the first read.
            if let Some(evidence) = tls_evidence
                .as_ref()
                .filter(|e| e.client_certificate_requested)
                && matches!(
                    error,
                    crate::model::hello::Error::Closed
                        | crate::model::hello::Error::Reset
                        | crate::model::hello::Error::Io { .. }
                )
            {
                // The alert itself reached the hello layer only as text.
                let error = if evidence.client_certificate_sent {
                    crate::model::tls::Error::ClientCertificateRejected { alert: None }
                } else {
                    crate::model::tls::Error::ClientCertificateRequired { alert: None }
                };
                return fail(
                    steps,
                    Failure::Tls {
                        host: address,
                        error,
                        atlas,
                    },
                );
            }
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
pub(super) async fn explain_tls_failure(
    error: crate::model::tls::Error,
    address: &str,
    socket: SocketAddr,
    atlas: bool,
    options: &Options,
    steps: &mut Vec<Step>,
) -> Failure {
    let host = address.to_string();
    match error {
        crate::model::tls::Error::Alert { code: 80, .. } if atlas => {
            Failure::Tls { host, error, atlas }
        }
        crate::model::tls::Error::Timeout { .. }
        | crate::model::tls::Error::ClosedAfterHello
        | crate::model::tls::Error::NotTls
            if !atlas =>
        {
            let start = Instant::now();
            if answers_plain_hello(socket, options.timeout).await {
                steps.push(
                    Step::found(
                        Layer::Tls,
                        "plain hello (check)",
                        Status::Fail,
                        Found::AnswersPlainHello,
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
pub(super) async fn explain_hello_failure(
    error: crate::model::hello::Error,
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
        crate::model::hello::Error::SpokeTls => Failure::TlsRequired { host, atlas },
        crate::model::hello::Error::Reset | crate::model::hello::Error::Closed => {
            if atlas || speaks_tls(socket, name, options.timeout).await {
                Failure::TlsRequired { host, atlas }
            } else {
                Failure::Hello { host, error, atlas }
            }
        }
        error => Failure::Hello { host, error, atlas },
    }
}

pub(super) async fn answers_plain_hello(socket: SocketAddr, deadline: Duration) -> bool {
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

pub(super) async fn speaks_tls(socket: SocketAddr, name: &str, deadline: Duration) -> bool {
    let Ok(Ok(stream)) = tokio::time::timeout(deadline, TcpStream::connect(socket)).await else {
        return false;
    };
    let any_cert = tls::TlsOptions {
        roots: Ok(super::trust::Roots::bundled()),
        identity: Ok(None),
        allow_invalid_certificates: true,
        allow_invalid_hostnames: true,
    };
    match tls::handshake(stream, name, &any_cert, deadline).await {
        Ok(_) => true,
        // A certificate or alert answer is still TLS speaking.
        Err((error, _)) => !matches!(
            error,
            crate::model::tls::Error::Timeout { .. }
                | crate::model::tls::Error::ClosedAfterHello
                | crate::model::tls::Error::NotTls
                | crate::model::tls::Error::Protocol { .. }
        ),
    }
}
