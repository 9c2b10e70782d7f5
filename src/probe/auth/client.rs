//! The driver's client for the auth layer and every layer after it: its
//! options, and the addresses it dials (the hosts the earlier layers reached).

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr as _;

use mongodb::options::{
    AuthMechanism, ClientOptions, Credential, HostInfo, ServerAddress, Tls, TlsOptions,
};
use tokio::time::Instant;

use super::classify::scrub;
use super::request::{Creds, Request};
use crate::model::auth::Failure;
use crate::model::step::{Found, Layer, Status, Step};
use crate::uri;

/// The driver's options: the application's own connection string as the
/// driver parses it (every option it knows: compressors, readPreference,
/// authMechanismProperties, TLS files, pool sizes, ...), with only the hosts
/// pinned to those the earlier layers reached (SRV and TXT already resolved,
/// possibly through `--dns-server`), and the layer's deadline on selection
/// and connecting. So the auth layer tests what the application's driver does.
pub(super) async fn client_options(
    req: &Request<'_>,
    hosts: Vec<ServerAddress>,
    creds: &Creds,
) -> Result<ClientOptions, Failure> {
    let target = Target {
        cs: req.cs,
        hosts,
        txt: &req.connectivity.txt_options,
        roots: req.connectivity.roots.as_ref(),
        deadline: req.deadline,
    };
    options_for(&target, creds).await
}

/// The addresses the driver dials: the hosts the earlier layers reached.
pub(super) async fn driver_addresses(
    req: &Request<'_>,
    steps: &mut Vec<Step>,
) -> Vec<ServerAddress> {
    let mut hosts = Vec::new();
    for host in &req.connectivity.healthy {
        let address = dial_address(
            &host.name,
            host.socket,
            req.deadline,
            steps,
            Some(&host.address),
        )
        .await;
        hosts.push(address);
    }
    hosts
}

/// The most connections the driver's pool holds per host (and opens at once): as
/// many as the most commands a run sends side by side (the checklist's: the auth
/// layer's two, the data layer's two, the status layer's four), so none waits for
/// another's connection. Fewer than the driver's default pool of 10; a run opens only
/// as many as it sends at once (one for `auth-check` with a user).
const POOL_SIZE: u32 = 8;

/// What the driver's options are made from: the application's string, the
/// hosts to pin, the SRV cluster's TXT options, the TLS layer's roots, the
/// deadline. The early start (before the layers answer) has the seed list
/// and no TXT; the usual path has the hosts the layers reached.
pub(super) struct Target<'a> {
    pub(super) cs: &'a uri::ConnectionString,
    pub(super) hosts: Vec<ServerAddress>,
    pub(super) txt: &'a [(String, String)],
    pub(super) roots: Option<&'a std::sync::Arc<crate::probe::trust::Roots>>,
    pub(super) deadline: Instant,
}

/// The driver's options for `target` (see `client_options`).
pub(super) async fn options_for(
    target: &Target<'_>,
    creds: &Creds,
) -> Result<ClientOptions, Failure> {
    let hosts = target.hosts.clone();
    if hosts.is_empty() {
        return Err(Failure::Driver {
            message: "no healthy host to authenticate against".into(),
        });
    }
    let refused = |reason: String| Failure::Config {
        reason: scrub(&reason, creds.password.as_ref()),
    };
    let mut own = target.cs.driver.options();
    let srv = matches!(own.host_info, HostInfo::DnsRecord(_));
    // Pinned hosts, so the driver does no SRV lookup of its own; what SRV
    // implies (TLS on, the TXT record's options) is applied below.
    let pinned = hosts.len();
    own.host_info = HostInfo::HostIdentifiers(hosts);
    if srv {
        own.srv_max_hosts = None;
        own.srv_service_name = None;
    }
    let mut options = ClientOptions::parse(own)
        .await
        .map_err(|e| refused(e.kind.to_string()))?;

    let txt = |name: &str| {
        target
            .txt
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if srv && options.tls.is_none() {
        options.tls = Some(Tls::Enabled(TlsOptions::default()));
    }
    // The application's TLS options, with the one root store the TLS layer
    // used: the two layers never disagree about a certificate.
    if let Some(Tls::Enabled(own_tls)) = &mut options.tls {
        let Some(roots) = target.roots else {
            return Err(Failure::Driver {
                message: "TLS is on but the trust roots were not built".into(),
            });
        };
        let shared = roots
            .driver_tls(target.cs)
            .await
            .map_err(|e| Failure::Driver {
                message: e.to_string(),
            })?;
        own_tls.ca_file_path = shared.ca_file_path;
        own_tls.cert_key_file_path = own_tls
            .cert_key_file_path
            .take()
            .or(shared.cert_key_file_path);
        own_tls.allow_invalid_certificates = own_tls
            .allow_invalid_certificates
            .or(shared.allow_invalid_certificates);
    }
    if options.repl_set_name.is_none() {
        options.repl_set_name = txt("replicaSet");
    }
    if options.load_balanced.is_none() {
        options.load_balanced = txt("loadBalanced").map(|v| v.eq_ignore_ascii_case("true"));
    }
    if options.load_balanced == Some(true) {
        options.direct_connection = None;
    } else if pinned == 1 && options.direct_connection.is_none() {
        // One host reached: talk to it alone, as the probe did, rather than
        // discover members under names the system resolver may not know.
        options.direct_connection = Some(true);
        options.repl_set_name = None;
    }
    options
        .app_name
        .get_or_insert_with(|| "atlas-doctor".into());
    // The application's own timeouts where shorter, else most of what is left of
    // the layer's one deadline, so selection and connecting cannot outlast it, and
    // a selection that fails (every server's handshake refused, say) ends with the
    // driver's own words for why a little before the deadline cuts it short.
    let left = crate::deadline::remaining(target.deadline).mul_f64(0.9);
    let bound = |own: Option<std::time::Duration>| Some(own.map_or(left, |own| own.min(left)));
    options.server_selection_timeout = bound(options.server_selection_timeout);
    options.connect_timeout = bound(options.connect_timeout);
    // The later layers' reads go out beside connectionStatus, each on its own
    // connection: open them side by side (the driver opens two at a time by
    // default), and hold no more of the server's connections than POOL_SIZE. A
    // smaller maxPoolSize of the application stands; minPoolSize would only fill
    // the pool in the background, after the run needs it.
    options.max_pool_size = Some(match options.max_pool_size {
        Some(own) if own > 0 => own.min(POOL_SIZE),
        _ => POOL_SIZE,
    });
    options.max_connecting = options.max_pool_size;
    options.min_pool_size = None;

    if creds.mechanism.as_deref() == Some("MONGODB-X509") {
        let has_key_file = matches!(
            &options.tls,
            Some(Tls::Enabled(tls)) if tls.cert_key_file_path.is_some()
        );
        if !has_key_file {
            return Err(Failure::Config {
                reason: "authMechanism=MONGODB-X509 needs tlsCertificateKeyFile=/path/to/client.pem (certificate and key) and tls=true".into(),
            });
        }
    }
    if creds.user.is_none() && creds.mechanism.is_none() {
        options.credential = None;
        return Ok(options);
    }
    if let Some(name) = creds.mechanism.as_deref()
        && AuthMechanism::from_str(name).is_err()
    {
        return Err(Failure::Config {
            reason: format!(
                "authMechanism={name} is not a mechanism this build can use (SCRAM-SHA-256, SCRAM-SHA-1, MONGODB-X509)"
            ),
        });
    }
    // The URI's credential as the driver read it (mechanism properties
    // included); the user and password of the config when the URI has none;
    // the auth database as the earlier layers resolved it (TXT authSource too).
    let credential = options.credential.get_or_insert_with(Credential::default);
    if credential.username.is_none() {
        credential.username.clone_from(&creds.user);
        credential.password = creds.password.as_ref().map(|p| p.expose().to_string());
    }
    credential.source = Some(creds.auth_db.clone());
    Ok(options)
}

/// The host as the driver should dial it: its name when the system resolver knows
/// it (TLS checks the name), else `reached`, the address our own dns layer found
/// for it (with a warning step, on `shown` when given).
pub(super) async fn dial_address(
    name: &str,
    reached: SocketAddr,
    deadline: Instant,
    steps: &mut Vec<Step>,
    shown: Option<&str>,
) -> ServerAddress {
    let port = reached.port();
    let name = name.to_string();
    if name.parse::<IpAddr>().is_ok() {
        return ServerAddress::Tcp {
            host: name,
            port: Some(port),
        };
    }
    let resolves =
        match tokio::time::timeout_at(deadline, tokio::net::lookup_host((name.as_str(), port)))
            .await
        {
            Ok(Ok(mut addrs)) => addrs.next().is_some(),
            _ => false,
        };
    if resolves {
        return ServerAddress::Tcp {
            host: name,
            port: Some(port),
        };
    }
    let ip = reached.ip().to_string();
    let step = Step::found(
        Layer::Auth,
        format!("driver address {name}"),
        Status::Warn,
        Found::DriverAddress {
            name: name.clone(),
            ip: reached.ip(),
        },
    );
    steps.push(match shown {
        Some(address) => step.on(address),
        None => step,
    });
    ServerAddress::Tcp {
        host: ip,
        port: Some(port),
    }
}
