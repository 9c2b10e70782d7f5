//! Turns what the probes found into one `Diagnosis`: class, summary, causes,
//! fixes and evidence, using the shared vocabulary of `finding`.

use crate::model::class::Class;
use crate::model::finding::Finding;

use crate::atlas::{self, matching};
use crate::config;
use crate::model::report::Report;
use crate::model::step::{Layer, Status, Step};
pub use crate::model::verdict::Diagnosis;
use crate::probe::{Failure, auth, data, dns, hello, tcp, tls};
use crate::uri;

/// The layer a class of failure belongs to (DESIGN.md's table).
pub fn layer_of(class: Class) -> Layer {
    match class {
        Class::Dns => Layer::Dns,
        Class::TcpRefused | Class::NetworkTimeout => Layer::Tcp,
        Class::IpAccessList | Class::Tls => Layer::Tls,
        Class::Server => Layer::Hello,
        Class::AuthFailed => Layer::Auth,
        Class::Authorization | Class::ChecksFailed => Layer::Data,
        Class::Ok | Class::Usage | Class::ConfigInvalid | Class::Internal | Class::Unknown => {
            Layer::Uri
        }
    }
}

/// The invariants of a verdict (DESIGN.md), enforced here, once, on every
/// report before any renderer sees it, so that no format can disagree:
/// - one address of a host failing while another address of the same host
///   connected (IPv6 refused, IPv4 up) is not a failure: that step is `skip`;
/// - a host that failed while another host of the deployment works is `warn`;
/// - a `fail` step or check means a failing class: one left on a passing run
///   is atlas-doctor's own inconsistency, reported as `internal`, never `ok`;
/// - a failing class has at least one `fail` step (and, for the checklist, a
///   failing item), so JUnit shows a failing case and human output a FAIL line.
pub fn settle(report: &mut Report) {
    let connected_hosts: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.layer == Layer::Tcp && s.status == Status::Pass)
        .filter_map(|s| s.host.clone())
        .collect();
    for step in &mut report.steps {
        let Some(host) = step.host.as_deref() else {
            continue;
        };
        if step.status != Status::Fail {
            continue;
        }
        if step.layer == Layer::Tcp && connected_hosts.iter().any(|h| h == host) {
            step.status = Status::Skip;
            step.detail = format!("{}; another address of this host connected", step.detail);
        } else if report.degraded_hosts.iter().any(|h| h == host)
            || (step.layer <= Layer::Hello
                && !report.answered_hosts.is_empty()
                && !report.answered_hosts.iter().any(|h| h == host))
        {
            // Another host of the deployment answered (a host whose name did
            // not resolve, or that refused, while the others work).
            step.status = Status::Warn;
        }
    }

    let failing_step = report.steps.iter().any(|s| s.status == Status::Fail);
    let failing_check = report.checks.iter().any(|c| c.status == Status::Fail);
    if report.class == Class::Ok && (failing_step || failing_check) {
        let what = report
            .steps
            .iter()
            .find(|s| s.status == Status::Fail)
            .map(|s| format!("step {} {} failed", s.layer.as_str(), s.name))
            .or_else(|| {
                report
                    .checks
                    .iter()
                    .find(|c| c.status == Status::Fail)
                    .map(|c| format!("checklist item {} failed", c.id))
            })
            .unwrap_or_default();
        report.fail(
            internal(&what)
                .with_summary("atlas-doctor found a failure it could not classify: it cannot vouch for this connection."),
        );
    }

    if report.class == Class::Ok {
        return;
    }
    let summary = report
        .diagnosis
        .as_ref()
        .map(|d| d.summary.clone())
        .unwrap_or_default();
    if !report.steps.iter().any(|s| s.status == Status::Fail) {
        report.steps.push(Step::new(
            layer_of(report.class),
            "verdict",
            Status::Fail,
            summary.clone(),
        ));
    }
    if !report.checks.is_empty() && !report.checks.iter().any(|c| c.status == Status::Fail) {
        let id = match layer_of(report.class) {
            Layer::Auth => "authentication",
            Layer::Data => "collections",
            _ => "connection",
        };
        if let Some(check) = report.checks.iter_mut().find(|c| c.id == id) {
            check.status = Status::Fail;
            check.summary = summary;
        }
    }
}

/// A connection string the uri layer refused.
pub fn uri_error(error: &uri::Error) -> Diagnosis {
    let finding = match error {
        uri::Error::UnescapedCharacter { .. } | uri::Error::BadPercentEncoding { .. } => {
            Finding::UriUnescapedCharacter
        }
        uri::Error::SrvWithPort { .. } => Finding::UriSrvWithPort,
        uri::Error::SrvMultipleHosts { .. } => Finding::UriSrvMultipleHosts,
        uri::Error::UnknownScheme { .. } | uri::Error::SchemeCase { .. } => {
            Finding::UriUnknownScheme
        }
        uri::Error::EmptyHost => Finding::UriEmptyHost,
        uri::Error::InvalidOption { .. } | uri::Error::OptionFile { .. } => {
            Finding::UriInvalidOption
        }
        uri::Error::UnixSocket { path } => return unix_socket(path),
        uri::Error::InvalidPort { .. }
        | uri::Error::InvalidHost { .. }
        | uri::Error::Refused { .. } => Finding::UriMalformed,
    };
    let diagnosis = Diagnosis::from_finding(finding).with_evidence(error.to_string());
    match error {
        uri::Error::UnescapedCharacter { part, ch, encoded } => diagnosis
            .with_summary(format!(
                "The {part} in the connection string contains an unescaped {ch:?}."
            ))
            .with_specific_fix(format!("Write {ch:?} as {encoded} in the {part}, or pass the password apart from the URI through `password-env`.")),
        uri::Error::OptionFile { .. } => diagnosis.with_summary(format!(
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
                d = d
                    .with_evidence(format!("equivalent standard connection string: {standard}"))
                    .with_specific_fix(format!("Use the standard connection string, which needs no SRV lookup: {standard} (put your password back in place of ****)"));
            }
            d
        }
        Failure::Tcp { host, error } => tcp_failure(host, error),
        Failure::Tls { host, error, atlas } => tls_failure(host, error, *atlas),
        Failure::TlsPlainServer { host } => Diagnosis::from_finding(Finding::TlsPlainServer)
            .with_summary(format!(
                "TLS was asked for, but {host} speaks MongoDB without TLS."
            ))
            .with_evidence(format!(
                "{host}: no TLS handshake, but a plain hello was answered"
            )),
        Failure::TlsRequired { host, atlas } => {
            let d = Diagnosis::from_finding(Finding::TlsRequired)
                .with_summary(format!(
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
                .unwrap_or_else(|| format!("about {}", hello::release_for_wire_version(*max)));
            let finding = if *max < crate::DRIVER_MIN_WIRE_VERSION {
                Finding::WireVersionTooOld
            } else {
                Finding::WireVersionTooNew
            };
            let summary = if finding == Finding::WireVersionTooOld {
                format!(
                    "{host} runs MongoDB {shown} (wire version {max}); drivers need at least wire version {} (MongoDB {}).",
                    crate::DRIVER_MIN_WIRE_VERSION,
                    hello::release_for_wire_version(crate::DRIVER_MIN_WIRE_VERSION)
                )
            } else {
                format!(
                    "{host} needs wire version {min} or newer, beyond what current drivers speak ({}).",
                    crate::DRIVER_MAX_WIRE_VERSION
                )
            };
            Diagnosis::from_finding(finding)
                .with_summary(summary)
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
                .with_summary(format!("The connection string asks for replica set {expected:?}, but {host} reports {found_text}."))
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

/// An auth-layer failure, in plain words. The server cannot tell a wrong
/// password from an unknown user, so the causes always name both.
pub fn auth_failure(failure: &auth::Failure) -> Diagnosis {
    let evidence = failure.to_string();
    match failure {
        auth::Failure::Rejected {
            user,
            auth_db,
            mechanism,
            code,
            code_name,
            suspect_auth_source,
            encoded_chars,
            ..
        } => {
            let seen = match (code, code_name) {
                (Some(code), Some(name)) => format!("code {code} {name}"),
                (Some(code), None) => format!("code {code}"),
                _ => "no server code, only the driver's message".to_string(),
            };
            let mut d = if *code == Some(8000) {
                Diagnosis::from_finding(Finding::AuthFailedAtlas).with_summary(format!(
                    "Atlas rejected the credentials of {user:?} (bad auth, {seen}): a wrong password or a user name Atlas does not know."
                ))
            } else if let Some(db) = suspect_auth_source {
                Diagnosis::from_finding(Finding::AuthSourceSuspect)
                    .with_summary(format!(
                        "Authentication of {user:?} failed against database {db:?} ({seen}): the connection string has no authSource, so the driver used the path's database instead of admin."
                    ))
                    .with_specific_fix(format!(
                        "Add authSource=admin to the connection string (users created in Atlas, and most users, live in admin), or set authSource= to the database where {user:?} was created."
                    ))
                    .with_first_cause("A wrong password, or a user that does not exist there: the server cannot tell these apart.")
            } else {
                Diagnosis::from_finding(Finding::AuthFailed).with_summary(format!(
                    "The server rejected the credentials of {user:?} in auth database {auth_db:?} ({seen}): a wrong password or an unknown user."
                ))
            };
            if !encoded_chars.is_empty() {
                let list = encoded_chars
                    .iter()
                    .map(|(c, e)| format!("{c:?} as {e}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                d = d
                    .with_first_cause(format!(
                        "The password contains characters that must be percent-encoded in a connection string ({list}); a password set or pasted without that encoding differs from the one the server holds."
                    ))
                    .with_first_fix(format!(
                        "In the connection string, write {list} in the password; or pass the password apart from the URI with `password-env`."
                    ));
            }
            d.with_evidence(format!("mechanism {mechanism}, auth db {auth_db}"))
                .with_evidence(evidence)
        }
        auth::Failure::MechanismUnsupported { asked, offered, .. } => {
            let d = Diagnosis::from_finding(Finding::AuthMechanismUnsupported).with_summary(
                format!("The server does not offer {asked} for this user."),
            );
            let d = if offered.is_empty() {
                d
            } else {
                d.with_specific_fix(format!(
                    "Use authMechanism={} (offered: {}), or remove authMechanism to negotiate.",
                    offered[0],
                    offered.join(", ")
                ))
                .with_evidence(format!("saslSupportedMechs: {}", offered.join(", ")))
            };
            d.with_evidence(evidence)
        }
        auth::Failure::MechanismNotBuilt { mechanism, .. } => {
            Diagnosis::from_finding(Finding::AuthMechanismNotBuilt)
                .with_summary(format!(
                    "{mechanism} cannot be tried by this build of atlas-doctor (its driver support is not compiled in)."
                ))
                .with_evidence(evidence)
        }
        auth::Failure::AuthRequired { command, .. } => {
            Diagnosis::from_finding(Finding::AuthRequired).with_evidence(format!("{command} without credentials: {evidence}"))
        }
        auth::Failure::Config { reason } => Diagnosis::from_finding(Finding::UriInvalidOption)
            .with_summary(format!("The credentials cannot be used: {reason}."))
            .with_evidence(evidence),
        auth::Failure::NoPassword { user } => Diagnosis::from_finding(Finding::AuthNoPassword)
            .with_summary(format!(
                "No password was given for user {user:?}, so nothing was sent to the server."
            ))
            .with_evidence(evidence),
        auth::Failure::PasswordUnusable { user } => Diagnosis::from_finding(Finding::AuthPasswordUnusable)
            .with_summary(format!(
                "The password of {user:?} cannot be used with SCRAM-SHA-256: SASLprep refuses some of its characters, so nothing was sent to the server."
            ))
            .with_evidence(evidence),
        auth::Failure::Driver { message } => driver_failure(message, evidence),
        auth::Failure::Silent { .. } => {
            Diagnosis::from_finding(Finding::ServerSilent).with_evidence(evidence)
        }
    }
}

/// A data-layer failure, in plain words.
pub fn data_failure(failure: &data::Failure) -> Diagnosis {
    let evidence = failure.to_string();
    match failure {
        data::Failure::Unauthorized {
            action,
            namespace,
            database,
            ..
        } => {
            let role = if matches!(
                action.as_str(),
                "insert" | "update" | "remove" | "delete" | "createCollection" | "createIndex"
            ) {
                "readWrite"
            } else {
                "read"
            };
            // The server names `cluster` for cluster-wide actions (listDatabases):
            // no database role grants those.
            let fix = if namespace == "cluster" {
                format!(
                    "Grant the user a role with the {action} action on the cluster (for example readAnyDatabase), or name the database with --db NAME."
                )
            } else {
                format!(
                    "Grant the user the {role} role on database {database:?} (in Atlas: Database Access, edit the user, Specific Privileges), or use a user that has it."
                )
            };
            Diagnosis::from_finding(Finding::Unauthorized)
                .with_summary(format!(
                    "Authenticated, but the user may not run {action} on {namespace}."
                ))
                .with_specific_fix(fix)
                .with_evidence(evidence)
        }
        data::Failure::Missing {
            database,
            names,
            present,
        } => {
            let shown = if present.is_empty() {
                "none".to_string()
            } else {
                present.join(", ")
            };
            Diagnosis::from_finding(Finding::CollectionsMissing)
                .with_summary(format!(
                    "{} missing from database {database:?}: {}.",
                    crate::words::count_as(names.len(), "expected collection is", "expected collections are"),
                    names.join(", ")
                ))
                .with_evidence(format!("missing: {}", names.join(", ")))
                .with_evidence(format!("present in {database}: {shown}"))
        }
        data::Failure::NoDatabase => Diagnosis::from_finding(Finding::ConfigMissingValue)
            .with_summary(
                "Expected collections were given, but no database to look in: pass --db or set `database` in the config.",
            )
            .with_evidence(evidence),
        data::Failure::Driver { message, .. } => driver_failure(message, evidence),
        data::Failure::Silent { .. } => {
            Diagnosis::from_finding(Finding::ServerSilent).with_evidence(evidence)
        }
    }
}

/// A driver failure after the layers below passed. Where its words say the peer is
/// not MongoDB (a reply no server writes), that is the cause, not the driver.
fn driver_failure(message: &str, evidence: String) -> Diagnosis {
    match crate::wording::read(message) {
        Some(reading) if reading.finding == Finding::NotMongodb => {
            Diagnosis::from_finding(Finding::NotMongodb)
                .with_summary(
                    "The server answered the handshake like MongoDB, then sent a reply no MongoDB server writes."
                        .to_string(),
                )
                .with_evidence(evidence)
        }
        _ => Diagnosis::from_finding(Finding::DriverFailed).with_evidence(evidence),
    }
}

/// atlas-doctor's own failure inside a run (a probe panicked or was cancelled):
/// `internal`, never `ok`.
pub fn internal(what: &str) -> Diagnosis {
    Diagnosis::from_finding(Finding::ProbeFailed).with_evidence(what.to_string())
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
        dns::Error::NoSuchName => d.with_summary(format!("The name in {query} does not exist (NXDOMAIN).")),
        dns::Error::NoRecords { record } if query.starts_with("SRV") => d
            .with_summary(format!("{query}: the name exists but publishes no {record} record, so mongodb+srv:// cannot work.")),
        _ => d,
    }
}

fn tcp_failure(host: &str, error: &tcp::Error) -> Diagnosis {
    let finding = match error {
        tcp::Error::Refused => Finding::TcpRefused,
        tcp::Error::TimedOut { .. } => Finding::NetworkTimeout,
        tcp::Error::Unreachable { .. } | tcp::Error::Other { .. } => Finding::NetworkUnreachable,
    };
    let d = Diagnosis::from_finding(finding).with_evidence(format!("{host}: {error}"));
    match error {
        tcp::Error::Refused => d.with_summary(format!(
            "{host} answered, but nothing listens on that port (connection refused)."
        )),
        tcp::Error::TimedOut { after } => d.with_summary(format!(
            "{host} did not answer within {}s: the connection attempt was silently dropped.",
            after.as_secs_f64()
        )),
        _ => d,
    }
}

fn tls_failure(host: &str, error: &tls::Error, atlas: bool) -> Diagnosis {
    let evidence = format!("{host}: {error}");
    match error {
        tls::Error::Alert { code, .. } if crate::wording::alert_finding(*code, atlas) == Finding::IpAccessListAlert => Diagnosis::from_finding(Finding::IpAccessListAlert).with_evidence(evidence),
        tls::Error::ClosedAfterHello if atlas => Diagnosis::from_finding(Finding::IpAccessListClosed).with_evidence(evidence),
        tls::Error::UnknownIssuer { issuer } => Diagnosis::from_finding(Finding::TlsUnknownIssuer)
            .with_summary(format!("The certificate of {host} was issued by {issuer}, which this machine does not trust."))
            .with_evidence(evidence),
        tls::Error::Expired { not_after } => Diagnosis::from_finding(Finding::TlsExpired)
            .with_summary(format!("The certificate of {host} expired on {not_after}."))
            .with_evidence(evidence),
        tls::Error::NotYetValid { .. } => Diagnosis::from_finding(Finding::TlsNotYetValid).with_evidence(evidence),
        tls::Error::NameMismatch { expected, names } => Diagnosis::from_finding(Finding::TlsNameMismatch)
            .with_summary(format!("The certificate of {host} is for {}, not {expected}.", if names.is_empty() { "other names".to_string() } else { names.join(", ") }))
            .with_evidence(evidence),
        tls::Error::Alert { code, name } => Diagnosis::from_finding(Finding::TlsAlert)
            .with_summary(format!("{host} aborted the TLS handshake with alert {code} ({name})."))
            .with_evidence(evidence)
            .with_first_cause(if *code == 80 { "Alert 80 (internal_error) is how Atlas refuses addresses outside its IP access list; pass --atlas if this host fronts an Atlas cluster." } else { "The server rejects this client's TLS parameters." }),
        tls::Error::ClosedAfterHello => Diagnosis::from_finding(Finding::TlsClosedAfterHello).with_evidence(evidence),
        tls::Error::NotTls => Diagnosis::from_finding(Finding::TlsPlainServer)
            .with_summary(format!("{host} answered the TLS handshake with bytes that are not TLS."))
            .with_evidence(evidence),
        tls::Error::Timeout { .. } => Diagnosis::from_finding(Finding::TlsHandshakeTimeout).with_evidence(evidence),
        tls::Error::Protocol { .. } => Diagnosis::from_finding(Finding::TlsProtocol).with_evidence(evidence),
        // Not a protocol mismatch: the chain itself was refused (too long, bad extensions...).
        tls::Error::BadCertificate { reason } => Diagnosis::from_finding(Finding::TlsHandshakeFailed)
            .with_summary(format!("The certificate chain of {host} was rejected: {reason}."))
            .with_first_cause("The server presents a certificate chain this client refuses to verify, for example one longer than the verifier allows.")
            .with_first_fix("Serve the leaf and its usual intermediates only, signed by a CA listed in tlsCAFile or the system store.")
            .with_evidence(evidence),
        tls::Error::CaFile { .. } => Diagnosis::from_finding(Finding::UriInvalidOption)
            .with_summary(format!("The tlsCAFile of the connection string cannot be used: {error}."))
            .with_evidence(evidence),
        tls::Error::KeyFile { .. } => Diagnosis::from_finding(Finding::UriInvalidOption)
            .with_summary(format!("The tlsCertificateKeyFile of the connection string cannot be used: {error}."))
            .with_evidence(evidence),
        tls::Error::ClientCertificateRequired { .. } => Diagnosis::from_finding(Finding::TlsClientCertificateRequired)
            .with_summary(format!("{host} demands a client certificate, and the connection string names none."))
            .with_evidence(evidence),
        tls::Error::ClientCertificateRejected { .. } => Diagnosis::from_finding(Finding::TlsClientCertificateRejected)
            .with_summary(format!("{host} refused the client certificate of tlsCertificateKeyFile."))
            .with_evidence(evidence),
    }
}

fn hello_failure(host: &str, error: &hello::Error, atlas: bool) -> Diagnosis {
    let evidence = format!("{host}: {error}");
    match error {
        hello::Error::NotMongodb { evidence: seen } => Diagnosis::from_finding(Finding::NotMongodb)
            .with_summary(format!(
                "This port is not MongoDB: {host} answered with {seen}."
            ))
            .with_evidence(evidence),
        hello::Error::SpokeTls => {
            Diagnosis::from_finding(Finding::TlsRequired).with_evidence(evidence)
        }
        hello::Error::NoReply { .. } => {
            Diagnosis::from_finding(Finding::NoReply).with_evidence(evidence)
        }
        hello::Error::Closed | hello::Error::Reset if atlas => {
            Diagnosis::from_finding(Finding::IpAccessListClosed).with_evidence(evidence)
        }
        hello::Error::Closed | hello::Error::Reset | hello::Error::Io { .. } => {
            Diagnosis::from_finding(Finding::ClosedWithoutReply).with_evidence(evidence)
        }
        hello::Error::CommandFailed {
            code,
            code_name,
            message,
        } => Diagnosis::from_finding(Finding::NotMongodb)
            .with_summary(format!(
                "{host} refused the MongoDB handshake: {message} (code {code} {code_name})."
            ))
            .with_evidence(evidence),
    }
}

/// Sharpens a data-plane diagnosis with what the Atlas Administration API said
/// (`--atlas-api`): an inferred access-list or `bad auth` cause becomes a confirmed
/// one, or is ruled out. A diagnosis the facts do not bear on is returned unchanged,
/// and an API that could not answer changes nothing (its failure is a warning step).
/// `auth_db` is the database the failed login used, when the auth layer ran.
pub fn with_atlas(d: Diagnosis, facts: &atlas::Facts, auth_db: Option<&str>) -> Diagnosis {
    match d.finding {
        Some(
            Finding::IpAccessListAlert
            | Finding::IpAccessListClosed
            | Finding::IpAccessListSuspected
            | Finding::NetworkTimeout
            | Finding::TlsAlert,
        ) => access_list_with_atlas(d, facts),
        Some(Finding::AuthFailedAtlas | Finding::AuthFailed | Finding::AuthSourceSuspect) => {
            user_with_atlas(d, facts, auth_db)
        }
        Some(Finding::AtlasPrivateStringOutside) => {
            match facts.cluster.as_ref().and_then(|c| c.strings.public()) {
                Some(public) => d.with_specific_fix(public_fix(public)),
                None => d,
            }
        }
        _ => d,
    }
}

fn project_of(facts: &atlas::Facts) -> &str {
    facts.project_id.as_deref().unwrap_or("PROJECT")
}

/// Moves the data plane's evidence over to a new diagnosis, so nothing the probes saw
/// is lost (its summary, an inference the API has now settled, is not).
fn carried(mut new: Diagnosis, old: &Diagnosis) -> Diagnosis {
    new.evidence.extend(old.evidence.iter().cloned());
    new
}

fn access_list_with_atlas(d: Diagnosis, facts: &atlas::Facts) -> Diagnosis {
    let Some(list) = &facts.access_list else {
        return d;
    };
    let project = project_of(facts);
    let ip = list.egress_ip;
    let route = "The address was checked as the Atlas API sees this machine; traffic to port 27017 may leave through another address (a proxy, a VPN split tunnel): if so, pass that one with --egress-ip.";
    let Some(entry) = &list.covered_by else {
        let confirmed = Diagnosis::from_finding(Finding::IpAccessListConfirmed)
            .with_summary(format!(
                "Confirmed by the Atlas API: {ip} is not on the IP access list of project {project} ({} entries checked).",
                list.entries
            ))
            .with_specific_fix(format!(
                "Add {ip} to the access list: atlas accessLists create {ip} --projectId {project} (or Atlas UI: Security > Network Access > Add IP Address > {ip})."
            ))
            .with_evidence(format!("Atlas API: {ip} is covered by none of the {} access-list entries", list.entries));
        let confirmed = if list.egress_auto {
            confirmed.with_first_cause(route)
        } else {
            confirmed
        };
        return carried(confirmed, &d);
    };
    let status = entry.status.as_deref().unwrap_or("ACTIVE");
    let seen = format!(
        "Atlas API: {ip} is covered by access-list entry {} ({status})",
        entry.value
    );
    if !entry.active() {
        return carried(
            Diagnosis::from_finding(Finding::IpAccessListPending)
                .with_summary(format!(
                    "{ip} is covered by access-list entry {}, but the entry is {status}: Atlas has not applied it.",
                    entry.value
                ))
                .with_evidence(seen),
            &d,
        );
    }
    let cluster = facts.cluster.as_ref();
    if let Some(c) = cluster.filter(|c| c.paused) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasClusterPaused)
                .with_summary(format!(
                    "Cluster {} is paused: it refuses every connection until it is resumed (the IP access list is not the cause).",
                    c.name
                ))
                .with_specific_fix(format!(
                    "Resume it: atlas clusters start {} --projectId {project} (or Atlas UI: the cluster's ... menu > Resume).",
                    c.name
                ))
                .with_evidence(seen)
                .with_evidence(format!("Atlas API: cluster {} paused", c.name)),
            &d,
        );
    }
    if let Some((c, state)) = cluster.and_then(|c| c.unavailable_state().map(|s| (c, s))) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasClusterUnavailable)
                .with_summary(format!(
                    "Cluster {} is {state}, not serving connections (the IP access list is not the cause).",
                    c.name
                ))
                .with_evidence(seen)
                .with_evidence(format!("Atlas API: cluster {} state {state}", c.name)),
            &d,
        );
    }
    if let Some(c) = cluster.filter(|c| c.uri_kind.is_some_and(matching::UriKind::is_private)) {
        return private_string_outside(&d, c.strings.public()).with_evidence(seen);
    }
    let covered = if matches!(d.finding, Some(Finding::NetworkTimeout)) {
        // A timeout with the address covered: keep the timeout, drop the access-list guess.
        let mut d = d;
        d.causes.retain(|c| !c.contains("access list"));
        d.fixes.retain(|f| !f.contains("access list"));
        d.with_first_cause(format!(
            "Not the Atlas IP access list: {ip} is covered by entry {} ({status}).",
            entry.value
        ))
        .with_evidence(seen)
    } else {
        carried(
            Diagnosis::from_finding(Finding::AtlasIpCovered)
                .with_summary(format!(
                    "The Atlas host refused the TLS handshake, but {ip} is on the IP access list of project {project} (entry {}, {status}): the access list is not the cause.",
                    entry.value
                ))
                .with_evidence(seen),
            &d,
        )
    };
    if list.egress_auto {
        covered.with_first_cause(route)
    } else {
        covered
    }
}

/// A connection that timed out or was refused on an Atlas host that only a VPC can
/// reach (private endpoint or peering string, private address) is named as such,
/// without any API: the access list or firewall guess would send the user astray.
pub fn private_route(d: Diagnosis, private_hosts: &[crate::probe::PrivateHost]) -> Diagnosis {
    let network = matches!(
        d.finding,
        Some(
            Finding::NetworkTimeout
                | Finding::NetworkUnreachable
                | Finding::IpAccessListAlert
                | Finding::IpAccessListClosed
                | Finding::IpAccessListSuspected
                | Finding::TlsHandshakeTimeout
        )
    );
    let Some(first) = private_hosts.first().filter(|_| network) else {
        return d;
    };
    let why = match first.address {
        Some(ip) => format!(
            "{} resolves to {ip}, a private address reachable only from inside its network",
            first.name
        ),
        None => format!(
            "{} is a private endpoint or VPC peering host name",
            first.name
        ),
    };
    private_string_outside(&d, None)
        .with_summary(format!(
            "The connection string is a private endpoint or peering string ({why}): it works only from inside the connected VPC."
        ))
        .with_evidence(why)
}

/// A private endpoint or peering string used from outside; the public string as the fix when known.
pub fn private_string_outside(old: &Diagnosis, public: Option<&str>) -> Diagnosis {
    let d = Diagnosis::from_finding(Finding::AtlasPrivateStringOutside);
    let d = match public {
        Some(public) => d.with_specific_fix(public_fix(public)),
        None => d,
    };
    carried(d, old)
}

fn public_fix(public: &str) -> String {
    format!(
        "From outside the VPC, use the cluster's public connection string {public} (with your user and password), and put this machine's address on the IP access list."
    )
}

fn user_with_atlas(d: Diagnosis, facts: &atlas::Facts, auth_db: Option<&str>) -> Diagnosis {
    let Some(user) = &facts.user else {
        return d;
    };
    let project = project_of(facts);
    let name = &user.name;
    if !user.exists {
        return carried(
            Diagnosis::from_finding(Finding::AtlasUserMissing)
                .with_summary(format!("User {name} does not exist in project {project}."))
                .with_specific_fix(format!(
                    "Create it (Atlas UI: Security > Database Access > Add New Database User, or atlas dbusers create --username {name} --projectId {project}), or fix the user name in the connection string."
                ))
                .with_evidence(format!("Atlas API: no database user {name} in {} of project {project}", user.database)),
            &d,
        );
    }
    let seen = format!(
        "Atlas API: user {name} exists in {}; scopes: {}",
        user.database,
        if user.scopes.is_empty() {
            "all clusters".to_string()
        } else {
            user.scopes.join(", ")
        }
    );
    if let Some(db) = auth_db.filter(|db| *db != user.database) {
        // The user exists where Atlas keeps it; the login looked in another database.
        return carried(
            Diagnosis::from_finding(Finding::AuthSourceSuspect)
                .with_summary(format!(
                    "User {name} exists in {} of project {project}, but the connection string authenticates against database {db:?}.",
                    user.database
                ))
                .with_specific_fix(format!(
                    "Set authSource={} in the connection string (Atlas keeps every database user there).",
                    user.database
                ))
                .with_evidence(seen),
            &d,
        );
    }
    let cluster = facts.cluster.as_ref();
    if let Some(c) = cluster.filter(|c| user.scoped_away_from(&c.name)) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasUserWrongCluster)
                .with_summary(format!(
                    "User {name} is scoped to {}, not {}.",
                    user.scopes.join(", "),
                    c.name
                ))
                .with_specific_fix(format!(
                    "Atlas UI: Security > Database Access > Edit {name} > Restrict Access to Specific Clusters: add {}, or remove the restriction.",
                    c.name
                ))
                .with_evidence(seen),
            &d,
        );
    }
    if let Some(c) = cluster.filter(|c| c.changes_pending()) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasUserPending)
                .with_summary(format!(
                    "User {name} was created and cluster {} has not applied it yet (changeStatus PENDING).",
                    c.name
                ))
                .with_evidence(seen)
                .with_evidence(format!("Atlas API: cluster {} changeStatus PENDING", c.name)),
            &d,
        );
    }
    carried(
        Diagnosis::from_finding(Finding::AtlasWrongPassword)
            .with_summary(format!(
                "User {name} exists and is active: the password is wrong."
            ))
            .with_specific_fix(format!(
                "Reset the password: atlas dbusers update {name} --projectId {project} --password NEW (or Atlas UI: Security > Database Access > Edit {name} > Edit Password); percent-encode special characters in the URI."
            ))
            .with_evidence(seen),
        &d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Issue 11 item 7: a cluster-wide refusal advised "the read role on database \"cluster\"".
    #[test]
    fn r11_a_cluster_wide_refusal_names_no_database_role() {
        let d = data_failure(&data::Failure::Unauthorized {
            action: "listDatabases".into(),
            namespace: "cluster".into(),
            database: "cluster".into(),
            message: "not authorized on cluster".into(),
        });
        assert!(
            !d.fixes[0].contains("database \"cluster\""),
            "{:?}",
            d.fixes
        );
        assert!(d.fixes[0].contains("--db NAME"), "{:?}", d.fixes);
        let d = data_failure(&data::Failure::Unauthorized {
            action: "find".into(),
            namespace: "probe.users".into(),
            database: "probe".into(),
            message: "not authorized on probe".into(),
        });
        assert!(
            d.fixes[0].contains("read role on database \"probe\""),
            "{:?}",
            d.fixes
        );
    }

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
        let err = uri::ConnectionString::parse("mongodb://app:hunter@2@h/").unwrap_err();
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

    mod with_atlas {
        use super::super::*;
        use crate::atlas::{AccessList, Cluster, Entry, Facts, User};
        use test_case::test_case;

        fn facts(
            covered: Option<&str>,
            status: &str,
            cluster: Cluster,
            user: Option<User>,
        ) -> Facts {
            Facts {
                project_id: Some("0123456789abcdef01234567".into()),
                access_list: Some(AccessList {
                    egress_ip: "203.0.113.7".parse().unwrap(),
                    egress_auto: false,
                    covered_by: covered.map(|value| Entry {
                        value: value.into(),
                        comment: None,
                        status: Some(status.into()),
                        delete_after: None,
                    }),
                    entries: 3,
                }),
                cluster: Some(cluster),
                user,
                ..Facts::default()
            }
        }

        fn cluster(name: &str, paused: bool, state: &str, change: &str) -> Cluster {
            Cluster {
                name: name.into(),
                flex: false,
                state: Some(state.into()),
                paused,
                mongodb_version: Some("8.0.4".into()),
                change_status: Some(change.into()),
                uri_kind: None,
                strings: matching::ConnectionStrings::default(),
            }
        }

        fn user(exists: bool, scopes: &[&str]) -> User {
            User {
                name: "app".into(),
                database: "admin".into(),
                exists,
                scopes: scopes.iter().map(|s| (*s).to_string()).collect(),
                roles: Vec::new(),
                expires: None,
            }
        }

        fn alert() -> Diagnosis {
            Diagnosis::from_finding(Finding::IpAccessListAlert).with_evidence("h:1: alert 80")
        }

        #[test_case(None, "ACTIVE", false, "IDLE", "ip_access_list_confirmed" ; "missing")]
        #[test_case(Some("203.0.113.0/24"), "PENDING", false, "IDLE", "ip_access_list_pending" ; "pending entry")]
        #[test_case(Some("0.0.0.0/0"), "ACTIVE", true, "IDLE", "atlas_cluster_paused" ; "paused")]
        #[test_case(Some("0.0.0.0/0"), "ACTIVE", false, "CREATING", "atlas_cluster_unavailable" ; "creating")]
        #[test_case(Some("0.0.0.0/0"), "ACTIVE", false, "IDLE", "ip_access_list_ruled_out" ; "covered")]
        fn an_alert_80(
            covered: Option<&str>,
            status: &str,
            paused: bool,
            state: &str,
            reason: &str,
        ) {
            let f = facts(
                covered,
                status,
                cluster("Cluster0", paused, state, "APPLIED"),
                None,
            );
            let d = with_atlas(alert(), &f, None);
            assert_eq!(d.finding.map(Finding::id), Some(reason));
            assert!(
                d.evidence.iter().any(|e| e == "h:1: alert 80"),
                "{:?}",
                d.evidence
            );
        }

        #[test]
        fn a_confirmed_address_is_named_in_the_fix() {
            let f = facts(
                None,
                "ACTIVE",
                cluster("Cluster0", false, "IDLE", "APPLIED"),
                None,
            );
            let d = with_atlas(alert(), &f, None);
            assert!(
                d.fixes[0].contains(
                    "atlas accessLists create 203.0.113.7 --projectId 0123456789abcdef01234567"
                ),
                "{:?}",
                d.fixes
            );
        }

        #[test]
        fn a_timeout_with_the_address_covered_stays_a_timeout_without_the_access_list_advice() {
            let f = facts(
                Some("0.0.0.0/0"),
                "ACTIVE",
                cluster("Cluster0", false, "IDLE", "APPLIED"),
                None,
            );
            let d = with_atlas(Diagnosis::from_finding(Finding::NetworkTimeout), &f, None);
            assert_eq!(d.finding, Some(Finding::NetworkTimeout));
            assert!(
                d.causes[0].starts_with("Not the Atlas IP access list"),
                "{:?}",
                d.causes
            );
            assert!(
                !d.fixes.iter().any(|f| f.contains("access list")),
                "{:?}",
                d.fixes
            );
        }

        #[test_case(false, &[], "APPLIED", "atlas_user_missing" ; "missing")]
        #[test_case(true, &["Cluster1"], "APPLIED", "atlas_user_wrong_cluster" ; "scoped elsewhere")]
        #[test_case(true, &["Cluster0"], "PENDING", "atlas_user_pending" ; "pending")]
        #[test_case(true, &[], "APPLIED", "atlas_wrong_password" ; "wrong password")]
        fn bad_auth(exists: bool, scopes: &[&str], change: &str, reason: &str) {
            let f = facts(
                None,
                "ACTIVE",
                cluster("Cluster0", false, "IDLE", change),
                Some(user(exists, scopes)),
            );
            let d = with_atlas(Diagnosis::from_finding(Finding::AuthFailedAtlas), &f, None);
            assert_eq!(d.finding.map(Finding::id), Some(reason));
            assert_eq!(d.class, Class::AuthFailed);
        }

        #[test]
        fn an_existing_user_behind_a_wrong_auth_source_is_not_a_wrong_password() {
            let f = facts(
                None,
                "ACTIVE",
                cluster("Cluster0", false, "IDLE", "APPLIED"),
                Some(user(true, &[])),
            );
            let d = with_atlas(
                Diagnosis::from_finding(Finding::AuthFailedAtlas),
                &f,
                Some("app"),
            );
            assert_eq!(d.finding, Some(Finding::AuthSourceSuspect));
            assert!(
                d.summary.contains("exists in admin") && d.summary.contains("\"app\""),
                "{}",
                d.summary
            );
            assert!(d.fixes[0].contains("authSource=admin"), "{:?}", d.fixes);
            // The login used admin: the password is the cause.
            let d = with_atlas(
                Diagnosis::from_finding(Finding::AuthFailedAtlas),
                &f,
                Some("admin"),
            );
            assert_eq!(d.finding, Some(Finding::AtlasWrongPassword));
        }

        #[test]
        fn nothing_changes_without_the_facts_that_bear_on_it() {
            let d = with_atlas(alert(), &Facts::default(), None);
            assert_eq!(d, alert());
            let f = facts(
                None,
                "ACTIVE",
                cluster("Cluster0", false, "IDLE", "APPLIED"),
                Some(user(false, &[])),
            );
            let tls = Diagnosis::from_finding(Finding::TlsUnknownIssuer);
            assert_eq!(with_atlas(tls.clone(), &f, None), tls);
        }
    }

    // ---- the invariants of a verdict (`settle`)

    fn report_with(steps: Vec<Step>) -> Report {
        let mut report = Report::new("ping", "mongodb://h/".into(), "flag:--uri".into());
        report.steps = steps;
        report
    }

    fn failing_junit_cases(report: &Report) -> usize {
        let xml = crate::report::junit::render(report);
        xml.matches("<failure").count()
    }

    #[test]
    fn a_fail_step_on_a_passing_run_is_never_ok() {
        // Before: `FAIL hello ping` inside a run that exited 0.
        let mut report = report_with(vec![
            Step::new(Layer::Hello, "hello", Status::Pass, "ok").on("h:1"),
            Step::new(Layer::Hello, "ping", Status::Fail, "no reply").on("h:1"),
        ]);
        settle(&mut report);
        assert_ne!(report.class, Class::Ok);
        assert_eq!(report.verdict(), crate::report::Verdict::Fail);
        assert_eq!(report.class, Class::Internal);
        assert_eq!(report.exit_code(), crate::model::exit::INTERNAL);
    }

    #[test]
    fn another_address_of_the_same_host_working_is_not_a_failure() {
        let mut report = report_with(vec![
            Step::new(
                Layer::Tcp,
                "connect [::1]:27017",
                Status::Fail,
                "connection refused",
            )
            .on("localhost:27017"),
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:27017",
                Status::Pass,
                "connected",
            )
            .on("localhost:27017"),
            Step::new(Layer::Hello, "hello", Status::Pass, "ok").on("localhost:27017"),
        ]);
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.verdict(), crate::report::Verdict::Ok);
        assert_eq!(report.steps[0].status, Status::Skip);
        assert_eq!(failing_junit_cases(&report), 0);
    }

    #[test]
    fn a_host_failing_while_another_works_is_a_warning() {
        let mut report = report_with(vec![
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:1",
                Status::Fail,
                "connection refused",
            )
            .on("a:1"),
            Step::new(Layer::Tcp, "connect 127.0.0.1:2", Status::Pass, "connected").on("b:2"),
        ]);
        report.degraded_hosts.push("a:1".into());
        report.warnings.push("a:1: refused".into());
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps[0].status, Status::Warn);
        assert_eq!(report.verdict(), crate::report::Verdict::Warn);
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn a_host_whose_name_does_not_resolve_while_another_answers_is_a_warning() {
        let mut report = report_with(vec![
            Step::new(
                Layer::Dns,
                "A/AAAA b.example.test",
                Status::Fail,
                "no such name",
            )
            .on("b.example.test:27017"),
            Step::new(
                Layer::Tcp,
                "connect 127.0.0.1:27017",
                Status::Pass,
                "connected",
            )
            .on("a.example.test:27017"),
            Step::new(Layer::Hello, "hello", Status::Pass, "ok").on("a.example.test:27017"),
        ]);
        report.answered_hosts.push("a.example.test:27017".into());
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps[0].status, Status::Warn);
        assert_eq!(report.verdict(), crate::report::Verdict::Warn);
    }

    #[test]
    fn a_failing_class_always_has_a_failing_junit_case_and_one_exit_code() {
        // Before: a secondary without a primary exited 15 with 0 JUnit failures.
        let mut report = report_with(vec![
            Step::new(Layer::Hello, "hello", Status::Pass, "secondary of rs0").on("h:1"),
        ]);
        report.fail(failure(&Failure::NoPrimary {
            members: vec!["h:1 (secondary of replica set rs0)".into()],
        }));
        settle(&mut report);
        assert!(failing_junit_cases(&report) >= 1);
        let json: serde_json::Value =
            serde_json::from_str(&crate::report::json::render(&report)).unwrap();
        assert_eq!(json["exit_code"], u64::from(report.exit_code()));
        assert_eq!(json["class"], "server");
        assert_eq!(json["verdict"], "fail");
        assert_eq!(report.exit_code(), crate::model::exit::SERVER);
    }

    #[test]
    fn a_failing_class_fails_the_checklist_item_of_its_layer() {
        let mut report = report_with(Vec::new());
        report.command = "checklist";
        for id in ["connection", "authentication", "collections"] {
            report.checks.push(crate::report::Check::new(
                crate::report::Section::Testing,
                id,
                Status::Pass,
                "fine",
                None,
                Vec::new(),
            ));
        }
        report.fail(auth_failure(&auth::Failure::Silent {
            command: "connectionStatus".into(),
            after: Duration::from_secs(1),
        }));
        settle(&mut report);
        assert_eq!(report.class, Class::Server);
        assert!(failing_junit_cases(&report) >= 1);
        let failed: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.id)
            .collect();
        assert_eq!(failed, ["connection"]);
    }

    #[test]
    fn an_ok_run_stays_ok() {
        let mut report = report_with(vec![
            Step::new(Layer::Tcp, "connect 127.0.0.1:1", Status::Pass, "connected").on("h:1"),
        ]);
        settle(&mut report);
        assert_eq!(report.class, Class::Ok);
        assert_eq!(report.steps.len(), 1);
    }
}
