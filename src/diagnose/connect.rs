//! The connectivity layers' failures (uri, dns, tcp, hello) and the dispatch of
//! a deciding `probe::Failure` to its layer's rules.

use crate::config;
use crate::model::failure::Failure;
use crate::model::finding::Finding;
use crate::model::report::Report;
use crate::model::step::{Layer, Note, Status, Step};
use crate::model::verdict::Diagnosis;
use crate::model::{dns, hello, tcp};

/// A connection string the uri layer refused.
pub fn uri_error(error: &crate::model::uri::Error) -> Diagnosis {
    let finding = match error {
        crate::model::uri::Error::UnescapedCharacter { .. }
        | crate::model::uri::Error::BadPercentEncoding { .. } => Finding::UriUnescapedCharacter,
        crate::model::uri::Error::SrvWithPort { .. } => Finding::UriSrvWithPort,
        crate::model::uri::Error::SrvMultipleHosts { .. } => Finding::UriSrvMultipleHosts,
        crate::model::uri::Error::UnknownScheme { .. }
        | crate::model::uri::Error::SchemeCase { .. } => Finding::UriUnknownScheme,
        crate::model::uri::Error::EmptyHost => Finding::UriEmptyHost,
        crate::model::uri::Error::InvalidOption { .. }
        | crate::model::uri::Error::OptionFile { .. } => Finding::UriInvalidOption,
        crate::model::uri::Error::UnixSocket { path } => return unix_socket(path),
        crate::model::uri::Error::InvalidPort { .. }
        | crate::model::uri::Error::InvalidHost { .. }
        | crate::model::uri::Error::Refused { .. } => Finding::UriMalformed,
    };
    let diagnosis = Diagnosis::from_finding(finding).with_evidence(error.to_string());
    match error {
        crate::model::uri::Error::UnescapedCharacter { part, ch, encoded } => diagnosis
            .with_summary(format!(
                "The {part} in the connection string contains an unescaped {ch:?}."
            ))
            .with_specific_fix(format!("Write {ch:?} as {encoded} in the {part}, or pass the password apart from the URI through `password-env`.")),
        crate::model::uri::Error::OptionFile { .. } => diagnosis.with_summary(format!(
            "The connection string names a file that cannot be used: {error}."
        )),
        _ => diagnosis,
    }
}

/// A configuration that could not be resolved.
pub fn config_error(error: &config::Error) -> Diagnosis {
    let finding = if matches!(error, config::Error::Placeholder { .. }) {
        Finding::UriPlaceholder
    } else if error.is_missing_value() {
        Finding::ConfigMissingValue
    } else {
        Finding::ConfigFileInvalid
    };
    Diagnosis::from_finding(finding)
        .with_summary(capitalize(&error.to_string()))
        .with_evidence(error.to_string())
}

/// A unix socket host: said to be one, with what the path is on this machine.
pub fn unix_socket(path: &str) -> Diagnosis {
    use std::os::unix::fs::FileTypeExt as _;
    let state = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => "it exists here and is a socket",
        Ok(_) => "it exists here but is not a socket",
        Err(_) => "it does not exist on this machine",
    };
    Diagnosis::from_finding(Finding::UriUnixSocket)
        .with_summary(format!(
            "The connection string names the unix socket {path} ({state}): atlas-doctor probes TCP hosts only."
        ))
        .with_evidence(format!("host {path}: a unix domain socket; {state}"))
}

fn capitalize(s: &str) -> String {
    // A message that starts with a key or flag (`uri-env ...`, `--timeout: ...`) keeps its case.
    if s.split_whitespace().next().is_some_and(|w| w.contains('-')) {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// The failure that decides a run, in plain words.
pub fn failure(failure: &Failure) -> Diagnosis {
    match failure {
        Failure::Uri(error) => uri_error(error),
        Failure::Dns {
            query,
            resolver,
            error,
        } => dns_failure(query, resolver, error),
        Failure::DnsResolverBroken {
            query,
            resolver,
            error,
            fallback,
            workaround,
        } => {
            let mut d = Diagnosis::from_finding(Finding::DnsResolverBroken)
                .with_summary(format!("The resolver {resolver} failed ({error}) where {fallback} answered: your DNS resolver is the problem, not the cluster."))
                .with_evidence(format!("{query} via {resolver}: {error}"))
                .with_evidence(format!("{query} via {fallback}: answered"));
            if let Some(standard) = workaround {
                let uri = &standard.uri;
                // Only a URI that had a password lost one to the redaction.
                let put_back = if standard.password_redacted {
                    " (put your password back in place of ****)"
                } else {
                    ""
                };
                d = d
                    .with_evidence(format!("equivalent standard connection string: {uri}"))
                    .with_specific_fix(format!("Use the standard connection string, which needs no SRV lookup: {uri}{put_back}"));
            }
            d
        }
        Failure::Tcp { host, error } => tcp_failure(host, error),
        Failure::Tls { host, error, atlas } => super::tls::tls_failure(host, error, *atlas),
        Failure::TlsPlainServer { host } => Diagnosis::from_finding(Finding::TlsPlainServer)
            .with_summary_about(
                host,
                format!("TLS was asked for, but {host} speaks MongoDB without TLS."),
            )
            .with_evidence(format!(
                "{host}: no TLS handshake, but a plain hello was answered"
            )),
        Failure::TlsRequired { host, atlas } => {
            let d = Diagnosis::from_finding(Finding::TlsRequired)
                .with_summary_about(host, format!(
                    "This server requires TLS: add tls=true ({host} dropped a plain connection)."
                ))
                .with_evidence(format!(
                    "{host}: plain hello reset or closed; the port answers TLS"
                ));
            if *atlas {
                d.with_first_cause("Atlas accepts TLS connections only.")
            } else {
                d
            }
        }
        Failure::Hello { host, error, atlas } => hello_failure(host, error, *atlas),
        Failure::WireVersion {
            host,
            min,
            max,
            version,
        } => {
            let shown = version
                .clone()
                .unwrap_or_else(|| format!("about {}", crate::model::wire::release_words(*max)));
            let finding = if *max < crate::model::wire::DRIVER_MIN {
                Finding::WireVersionTooOld
            } else {
                Finding::WireVersionTooNew
            };
            let summary = if finding == Finding::WireVersionTooOld {
                format!(
                    "{host} runs MongoDB {shown} (wire version {max}); drivers need at least wire version {} (MongoDB {}).",
                    crate::model::wire::DRIVER_MIN,
                    crate::model::wire::release_words(crate::model::wire::DRIVER_MIN)
                )
            } else {
                format!(
                    "{host} needs wire version {min} or newer, beyond what current drivers speak ({}).",
                    crate::model::wire::DRIVER_MAX
                )
            };
            Diagnosis::from_finding(finding)
                .with_summary_about(host, summary)
                .with_evidence(format!(
                    "{host}: minWireVersion {min}, maxWireVersion {max}"
                ))
        }
        Failure::ReplicaSetMismatch {
            host,
            expected,
            found,
        } => {
            let found_text = found.as_deref().map_or_else(
                || "no replica set (standalone)".to_string(),
                |f| format!("replica set {f:?}"),
            );
            let fix = match found {
                Some(found) => format!(
                    "Set replicaSet={found} in the connection string, or remove the option."
                ),
                None => {
                    "Remove replicaSet= from the connection string: the server is a standalone."
                        .to_string()
                }
            };
            Diagnosis::from_finding(Finding::ReplicaSetMismatch)
                .with_summary_about(host, format!("The connection string asks for replica set {expected:?}, but {host} reports {found_text}."))
                .with_specific_fix(fix)
                .with_evidence(format!("{host}: setName {}, expected {expected:?}", found.as_deref().map_or_else(|| "(none)".to_string(), |f| format!("{f:?}"))))
        }
        Failure::NoPrimary { members } => {
            let mut d = Diagnosis::from_finding(Finding::NoPrimary);
            for member in members {
                d = d.with_evidence(member.clone());
            }
            d
        }
        Failure::AfterHandshake {
            host,
            command,
            error,
        } => match error {
            hello::Error::NoReply { .. } => Diagnosis::from_finding(Finding::ServerSilent)
                .with_evidence(format!("{host}: hello answered, then {command}: {error}")),
            _ => hello_failure(host, error, false)
                .with_evidence(format!("after a working hello, on {command}")),
        },
        Failure::Internal { what } => internal(what),
    }
}

fn dns_failure(query: &str, resolver: &str, error: &dns::Error) -> Diagnosis {
    let finding = match error {
        dns::Error::NoSuchName => Finding::DnsNoSuchName,
        dns::Error::NoRecords { .. } => Finding::DnsNoRecords,
        dns::Error::ServerFailure { .. } | dns::Error::Other { .. } => Finding::DnsServerFailure,
        dns::Error::Timeout { .. } => Finding::DnsTimeout,
        dns::Error::Unreachable { .. } => Finding::DnsResolverUnreachable,
        dns::Error::MultipleTxt { .. } | dns::Error::ForbiddenTxtOption { .. } => {
            Finding::DnsTxtForbiddenOption
        }
        dns::Error::TargetOutsideDomain { .. } => Finding::DnsSrvTargetOutsideDomain,
    };
    let d =
        Diagnosis::from_finding(finding).with_evidence(format!("{query} via {resolver}: {error}"));
    match error {
        dns::Error::NoSuchName => {
            d.with_summary(format!("The name in {query} does not exist (NXDOMAIN)."))
        }
        dns::Error::NoRecords { record: "SRV" } => d.with_summary(format!(
            "{query}: the name exists but publishes no SRV record, so mongodb+srv:// cannot work."
        )),
        _ => d,
    }
}

fn tcp_failure(host: &str, error: &tcp::Error) -> Diagnosis {
    let finding = match error {
        tcp::Error::Refused => Finding::TcpRefused,
        tcp::Error::TimedOut { .. } => Finding::NetworkTimeout,
        tcp::Error::Unreachable { .. } | tcp::Error::Other { .. } => Finding::NetworkUnreachable,
    };
    let d = Diagnosis::from_finding(finding).with_failure_evidence(
        Layer::Tcp,
        Some(host),
        format!("{host}: {error}"),
    );
    match error {
        // A live run dialled every address itself: when all were refused, the
        // server is not listening on any, and the Node.js ::1 story (which needs
        // 127.0.0.1 to work) is not what happened.
        tcp::Error::Refused => without_localhost_advice(d).with_summary_about(
            host,
            format!("{host} answered, but nothing listens on that port (connection refused)."),
        ),
        tcp::Error::TimedOut { after } => d.with_summary_about(
            host,
            format!(
                "{host} did not answer within {}: the connection attempt was silently dropped.",
                crate::model::secs::Secs(*after)
            ),
        ),
        _ => d,
    }
}

/// A refusal's advice without the Node.js localhost-to-::1 cause and fix.
fn without_localhost_advice(d: Diagnosis) -> Diagnosis {
    use crate::model::finding::{TCP_REFUSED_LOCALHOST_CAUSE, TCP_REFUSED_LOCALHOST_FIX};
    d.without(TCP_REFUSED_LOCALHOST_CAUSE, TCP_REFUSED_LOCALHOST_FIX)
}

/// No target was configured, so the run tried the default: the verdict says so
/// first, and how to name one, before the layer's own advice.
pub fn default_target(d: Diagnosis, uri: &str) -> Diagnosis {
    let summary = format!(
        "No target was configured (no --uri, MONGODB_URI or config file), so atlas-doctor tried the default {uri}: {}",
        d.summary
    );
    d.with_summary(summary).with_first_fix(
        "Name the deployment to check: export MONGODB_URI='mongodb+srv://USER@CLUSTER.mongodb.net/' (or pass --uri, or set uri-env in atlas-doctor.toml).",
    )
}

fn hello_failure(host: &str, error: &hello::Error, atlas: bool) -> Diagnosis {
    let evidence = format!("{host}: {error}");
    match error {
        hello::Error::NotMongodb { evidence: seen } => Diagnosis::from_finding(Finding::NotMongodb)
            .with_summary_about(
                host,
                format!("This port is not MongoDB: {host} answered with {seen}."),
            )
            .with_failure_evidence(Layer::Hello, Some(host), evidence),
        hello::Error::SpokeTls => Diagnosis::from_finding(Finding::TlsRequired)
            .with_failure_evidence(Layer::Hello, Some(host), evidence),
        hello::Error::NoReply { .. } => Diagnosis::from_finding(Finding::NoReply)
            .with_failure_evidence(Layer::Hello, Some(host), evidence),
        hello::Error::Closed | hello::Error::Reset if atlas => Diagnosis::from_finding(
            Finding::IpAccessListClosed,
        )
        .with_failure_evidence(Layer::Hello, Some(host), evidence),
        hello::Error::Closed | hello::Error::Reset | hello::Error::Io { .. } => {
            Diagnosis::from_finding(Finding::ClosedWithoutReply).with_failure_evidence(
                Layer::Hello,
                Some(host),
                evidence,
            )
        }
        hello::Error::CommandFailed {
            code,
            code_name,
            message,
        } => Diagnosis::from_finding(Finding::NotMongodb)
            .with_summary_about(
                host,
                format!(
                    "{host} refused the MongoDB handshake: {message} (code {code} {code_name})."
                ),
            )
            .with_failure_evidence(Layer::Hello, Some(host), evidence),
    }
}

/// atlas-doctor's own failure inside a run (a probe panicked or was cancelled):
/// `internal`, never `ok`.
pub fn internal(what: &str) -> Diagnosis {
    Diagnosis::from_finding(Finding::ProbeFailed).with_evidence(what.to_string())
}

/// A task of the run that panicked or was cancelled (the scan beside the
/// probes): the run is `internal`, whatever else it found, because atlas-doctor
/// cannot vouch for it; the verdict it had reached stays as evidence.
pub fn lost(report: &mut Report, what: &str) {
    let mut d = internal(what);
    if let Some(before) = report.diagnosis.take() {
        d = d.with_evidence(format!("before that: {}", before.summary));
    }
    report.fail(d);
}

/// Judges the connectivity layers' steps of a deployment where some hosts
/// answered: one address of a host failing while another address of the same
/// host connected (IPv6 refused, IPv4 up) is not a failure at all (`skip`); a
/// host that failed (`degraded`) or never answered while another host did
/// (`answered`) is a warning, not the run's failure.
pub fn judge_steps(steps: Vec<Step>, answered: &[String], degraded: &[String]) -> Vec<Step> {
    let connected: Vec<String> = steps
        .iter()
        .filter(|s| s.layer == Layer::Tcp && s.status == Status::Pass)
        .filter_map(|s| s.host.clone())
        .collect();
    steps
        .into_iter()
        .map(|mut step| {
            let Some(host) = step.host.as_deref().filter(|_| step.status == Status::Fail) else {
                return step;
            };
            if step.layer == Layer::Tcp && connected.iter().any(|h| h == host) {
                step.status = Status::Skip;
                step.notes.push(Note::AnotherAddressConnected);
            } else if degraded.iter().any(|h| h == host)
                || (step.layer <= Layer::Hello
                    && !answered.is_empty()
                    && !answered.iter().any(|h| h == host))
            {
                step.status = Status::Warn;
            }
            step
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 2: a warning about one host of several prefixed the host
    /// unless the summary's words held it (`summary.contains(host)`); the
    /// summary now says whom it names, where the sentence is made. The table:
    /// every host failure, and the subject agrees with the words.
    #[test]
    fn r19_a_summary_names_its_host_by_type() {
        use crate::model::tls;
        let host = "db0.example.test:27017";
        let tls = |error: tls::Error, atlas: bool| Failure::Tls {
            host: host.into(),
            error,
            atlas,
        };
        let hello = |error: hello::Error| Failure::Hello {
            host: host.into(),
            error,
            atlas: false,
        };
        let failures = [
            Failure::Tcp {
                host: host.into(),
                error: tcp::Error::Refused,
            },
            Failure::Tcp {
                host: host.into(),
                error: tcp::Error::TimedOut {
                    after: std::time::Duration::from_secs(2),
                },
            },
            Failure::Tcp {
                host: host.into(),
                error: tcp::Error::Unreachable {
                    reason: "no route".into(),
                },
            },
            Failure::Tcp {
                host: host.into(),
                error: tcp::Error::Other { reason: "x".into() },
            },
            tls(
                tls::Error::UnknownIssuer {
                    issuer: "CN=ca".into(),
                },
                false,
            ),
            tls(
                tls::Error::Expired {
                    not_after: "2020-01-01".into(),
                },
                false,
            ),
            tls(
                tls::Error::NotYetValid {
                    not_before: "2099-01-01".into(),
                },
                false,
            ),
            tls(
                tls::Error::NameMismatch {
                    expected: "db0".into(),
                    names: vec![],
                },
                false,
            ),
            tls(
                tls::Error::BadCertificate {
                    reason: "too long".into(),
                },
                false,
            ),
            tls(
                tls::Error::Alert {
                    code: 80,
                    name: "internal_error".into(),
                },
                true,
            ),
            tls(
                tls::Error::Alert {
                    code: 40,
                    name: "handshake_failure".into(),
                },
                false,
            ),
            tls(tls::Error::ClosedAfterHello, true),
            tls(tls::Error::ClosedAfterHello, false),
            tls(tls::Error::NotTls, false),
            tls(
                tls::Error::Timeout {
                    after: std::time::Duration::from_secs(2),
                },
                false,
            ),
            tls(tls::Error::Protocol { reason: "x".into() }, false),
            tls(
                tls::Error::CaFile {
                    path: "/ca.pem".into(),
                    reason: "missing".into(),
                },
                false,
            ),
            tls(
                tls::Error::KeyFile {
                    path: "/k.pem".into(),
                    reason: "missing".into(),
                },
                false,
            ),
            tls(
                tls::Error::ClientCertificateRequired { alert: Some(116) },
                false,
            ),
            tls(
                tls::Error::ClientCertificateRejected { alert: Some(42) },
                false,
            ),
            Failure::TlsPlainServer { host: host.into() },
            Failure::TlsRequired {
                host: host.into(),
                atlas: true,
            },
            hello(hello::Error::NoReply {
                after: std::time::Duration::from_secs(2),
            }),
            hello(hello::Error::Closed),
            hello(hello::Error::SpokeTls),
            hello(hello::Error::NotMongodb {
                evidence: "HTTP".into(),
            }),
            hello(hello::Error::CommandFailed {
                code: 18,
                code_name: "AuthenticationFailed".into(),
                message: "no".into(),
            }),
            Failure::WireVersion {
                host: host.into(),
                min: 0,
                max: 6,
                version: None,
            },
            Failure::WireVersion {
                host: host.into(),
                min: 99,
                max: 99,
                version: None,
            },
            Failure::ReplicaSetMismatch {
                host: host.into(),
                expected: "rs0".into(),
                found: None,
            },
            Failure::AfterHandshake {
                host: host.into(),
                command: "ping",
                error: hello::Error::NoReply {
                    after: std::time::Duration::from_secs(2),
                },
            },
        ];
        let mut named = 0;
        for f in &failures {
            let d = failure(f);
            assert_eq!(
                d.subject.is_some(),
                d.summary.contains(host),
                "{f:?}: {}",
                d.summary
            );
            if let Some(subject) = &d.subject {
                assert_eq!(subject, host);
                named += 1;
            }
        }
        assert!(named >= 10, "{named}");
    }

    /// Issue 19 item 2: a missing SRV record was told apart by our own query
    /// text (`query.starts_with("SRV")`); it is read off the typed record.
    #[test]
    fn r19_a_missing_srv_record_is_read_off_the_typed_record() {
        let d = failure(&Failure::Dns {
            query: "_mongodb._tcp.c0.example.test".into(),
            resolver: "127.0.0.1:53".into(),
            error: dns::Error::NoRecords { record: "SRV" },
        });
        assert!(
            d.summary
                .ends_with("publishes no SRV record, so mongodb+srv:// cannot work."),
            "{}",
            d.summary
        );
        let d = failure(&Failure::Dns {
            query: "A/AAAA h.example.test".into(),
            resolver: "127.0.0.1:53".into(),
            error: dns::Error::NoRecords { record: "A/AAAA" },
        });
        assert!(!d.summary.contains("mongodb+srv"), "{}", d.summary);
    }

    /// Issue 19 item 4: a scanner panic became a SKIP item and the checklist could
    /// exit 0; a lost task makes the run `internal` whatever else it found.
    #[test]
    fn r19_a_lost_task_makes_the_run_internal_whatever_it_found() {
        let mut ok = Report::new("checklist", "mongodb://h/".into(), "flag:--uri".into());
        lost(&mut ok, "a panic in the scan layer (src/scan.rs:1): boom");
        assert_eq!(ok.class, Class::Internal);
        let mut failed = Report::new("checklist", "mongodb://h/".into(), "flag:--uri".into());
        failed.fail(failure(&Failure::Tcp {
            host: "h:1".into(),
            error: tcp::Error::Refused,
        }));
        lost(
            &mut failed,
            "a panic in the scan layer (src/scan.rs:1): boom",
        );
        assert_eq!(failed.class, Class::Internal);
        let d = failed.diagnosis.expect("diagnosis");
        assert!(d.evidence.iter().any(|e| e.contains("scan layer")));
        assert!(d.evidence.iter().any(|e| e.starts_with("before that: ")));
    }
    use crate::model::class::Class;
    use crate::model::tls;
    use std::time::Duration;

    #[test]
    fn every_layer_maps_to_its_class() {
        let cases = [
            (
                Failure::Tcp {
                    host: "h:1".into(),
                    error: tcp::Error::Refused,
                },
                "tcp_refused",
            ),
            (
                Failure::Tcp {
                    host: "h:1".into(),
                    error: tcp::Error::TimedOut {
                        after: Duration::from_secs(1),
                    },
                },
                "network_timeout",
            ),
            (
                Failure::Tls {
                    host: "h:1".into(),
                    error: tls::Error::Alert {
                        code: 80,
                        name: "internal_error".into(),
                    },
                    atlas: true,
                },
                "ip_access_list",
            ),
            (
                Failure::Tls {
                    host: "h:1".into(),
                    error: tls::Error::Alert {
                        code: 80,
                        name: "internal_error".into(),
                    },
                    atlas: false,
                },
                "tls_alert",
            ),
            (
                Failure::Tls {
                    host: "h:1".into(),
                    error: tls::Error::UnknownIssuer {
                        issuer: "CN=Zscaler".into(),
                    },
                    atlas: false,
                },
                "tls_unknown_issuer",
            ),
            (
                Failure::Hello {
                    host: "h:1".into(),
                    error: hello::Error::NotMongodb {
                        evidence: "HTTP".into(),
                    },
                    atlas: false,
                },
                "not_mongodb",
            ),
            (
                Failure::Dns {
                    query: "SRV x".into(),
                    resolver: "r".into(),
                    error: dns::Error::NoSuchName,
                },
                "dns_no_such_name",
            ),
            (
                Failure::WireVersion {
                    host: "h:1".into(),
                    min: 0,
                    max: 6,
                    version: None,
                },
                "wire_version_too_old",
            ),
        ];
        for (failure, reason) in cases {
            let d = super::failure(&failure);
            assert_eq!(d.finding.unwrap().id(), reason, "{failure:?}");
            assert!(!d.fixes.is_empty() && !d.evidence.is_empty());
        }
    }

    #[test]
    fn an_unescaped_character_names_its_encoding_not_the_password() {
        let err = crate::uri::ConnectionString::parse("mongodb://app:hunter@2@h/").unwrap_err();
        let d = uri_error(&err);
        assert_eq!(d.class, Class::ConfigInvalid);
        assert!(d.fixes[0].contains("%40"), "{:?}", d.fixes);
        assert!(!format!("{d:?}").contains("hunter"));
    }

    #[test]
    fn an_old_server_is_named_with_its_version() {
        let d = super::failure(&Failure::WireVersion {
            host: "h:1".into(),
            min: 0,
            max: 6,
            version: Some("3.6.23".into()),
        });
        assert!(
            d.summary.contains("3.6.23") && d.summary.contains("wire version 9"),
            "{}",
            d.summary
        );
    }
}
