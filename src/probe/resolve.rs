//! The dns layer for one connection string: SRV and TXT for `mongodb+srv://`,
//! A/AAAA for every host, through the chosen resolver and, when it fails, once
//! more through the fallback resolver.

use std::net::IpAddr;
use std::time::Duration;

use super::connectivity::{Options, Resolved, ResolvedHost};
use super::dns::{self, Resolver as _};
use crate::model::failure::Failure;
use crate::model::step::{Found, Layer, Status, Step};
use crate::uri::{self, ConnectionString, Scheme};

/// DNS through the chosen resolver; on failure, once more through the fallback.
pub(super) async fn resolve_all(
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
        crate::model::dns::Error::Timeout { .. }
            | crate::model::dns::Error::ServerFailure { .. }
            | crate::model::dns::Error::Unreachable { .. }
            | crate::model::dns::Error::NoSuchName
            | crate::model::dns::Error::NoRecords { .. }
            | crate::model::dns::Error::Other { .. }
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
            step.name.via_fallback = Some(fallback_addr);
        }
        steps.extend(fallback_steps);
        let workaround = (cs.scheme == Scheme::Srv).then(|| {
            let hosts: Vec<(String, u16)> = resolved
                .hosts
                .iter()
                .map(|h| (h.name.clone(), h.port))
                .collect();
            crate::model::failure::Workaround {
                uri: cs.standard_equivalent(&hosts, &resolved.txt_options),
                password_redacted: cs.password.is_some(),
            }
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
            step.name.via_fallback = Some(fallback_addr);
        }
        steps.extend(fallback_steps);
        (None, Some(broken))
    }
}

/// The most hosts one run looks up and probes, all at once: more than any
/// replica set (50 members) or a sharded cluster's list of mongos needs, few
/// enough that the sockets, memory and time stay small.
pub const MAX_HOSTS: usize = 100;

pub(super) async fn resolve_with(
    resolver: &dns::Hickory,
    cs: &ConnectionString,
    steps: &mut Vec<Step>,
) -> Result<Resolved, Failure> {
    let fail = |query: String, error: crate::model::dns::Error| Failure::Dns {
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
        // SRV and TXT at once, as drivers ask them: the dns layer spends its
        // deadline once, not once per record type.
        let srv_name = format!("_mongodb._tcp.{srv_host}.");
        let txt_name = format!("{srv_host}.");
        let ((answer, took), txt_lookup) = tokio::join!(
            dns::timed(resolver.srv(&srv_name)),
            dns::timed(resolver.txt(&txt_name))
        );
        let targets = match answer {
            Ok(targets) => targets,
            Err(error) => {
                // `_mongodb._tcp.X` missing while X resolves: a server without SRV.
                let error = match error {
                    crate::model::dns::Error::NoSuchName
                        if resolver.ips(&fqdn(srv_host)).await.is_ok() =>
                    {
                        crate::model::dns::Error::NoRecords { record: "SRV" }
                    }
                    other => other,
                };
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, String::new())
                        .met(&error)
                        .took(took),
                );
                return Err(fail(query, error));
            }
        };
        if let Some(error) = targets
            .iter()
            .find_map(|t| dns::check_srv_target(srv_host, &t.host).err())
        {
            steps.push(
                Step::new(Layer::Dns, &query, Status::Fail, String::new())
                    .met(&error)
                    .took(took),
            );
            return Err(fail(query, error));
        }
        seeds = targets.into_iter().map(|t| (t.host, t.port)).collect();
        steps.push(
            Step::found(
                Layer::Dns,
                &query,
                Status::Pass,
                Found::SrvTargets(seeds.clone()),
            )
            .took(took),
        );

        let query = format!("TXT {srv_host}");
        let (answer, took) = txt_lookup;
        let records = match answer {
            Ok(records) => records,
            Err(
                crate::model::dns::Error::NoRecords { .. } | crate::model::dns::Error::NoSuchName,
            ) => Vec::new(),
            Err(error) => {
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, String::new())
                        .met(&error)
                        .took(took),
                );
                return Err(fail(query, error));
            }
        };
        match dns::parse_txt(&records) {
            Ok(options) => {
                steps.push(
                    Step::found(
                        Layer::Dns,
                        &query,
                        Status::Pass,
                        Found::Txt {
                            records,
                            options: options.clone(),
                        },
                    )
                    .took(took),
                );
                txt_options = options;
            }
            Err(error) => {
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, String::new())
                        .met(&error)
                        .took(took),
                );
                return Err(fail(query, error));
            }
        }
    }

    // A seed list (or SRV answer) of thousands of hosts is hostile or broken, not
    // a deployment: probing every one at once took 21 s and 403 MB for 10,000
    // (issue 15 item 12). The first MAX_HOSTS are probed, the rest named.
    if seeds.len() > MAX_HOSTS {
        steps.push(Step::found(
            Layer::Uri,
            "seed list",
            Status::Warn,
            Found::SeedListCut {
                hosts: seeds.len(),
                probed: MAX_HOSTS,
            },
        ));
        seeds.truncate(MAX_HOSTS);
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
                    steps.push(
                        Step::found(
                            Layer::Dns,
                            &query,
                            Status::Pass,
                            Found::Addresses(ips.clone()),
                        )
                        .on(uri::format_address(&name, port))
                        .took(took),
                    );
                }
                hosts.push(ResolvedHost { name, port, ips });
            }
            Err(error) => {
                steps.push(
                    Step::new(Layer::Dns, &query, Status::Fail, String::new())
                        .met(&error)
                        .on(uri::format_address(&name, port))
                        .took(took),
                );
                first_error.get_or_insert((query, error));
            }
        }
    }
    if hosts.is_empty() {
        let (query, error) = first_error.unwrap_or_else(|| {
            (
                "A/AAAA".into(),
                crate::model::dns::Error::NoRecords { record: "A/AAAA" },
            )
        });
        return Err(fail(query, error));
    }
    Ok(Resolved { hosts, txt_options })
}

/// The first `keep` items, then how many more: a 500-target SRV answer stays one readable line.
/// `localhost` stays as is (hosts file); other names are made absolute so no search domain is tried.
pub(super) fn fqdn(name: &str) -> String {
    if name.ends_with('.') || !name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

/// Runs futures concurrently on this task and keeps their order.
pub(super) async fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
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
