//! The driver's client for the auth layer and every layer after it: its
//! options, and the addresses it dials (the hosts the earlier layers reached).

use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr as _;

use mongodb::options::{AuthMechanism, ClientOptions, Credential, ServerAddress, Tls, TlsOptions};
use tokio::time::Instant;

use super::{Creds, Failure, HealthyHost, Layer, Request, Status, Step};

/// The driver's options, built from what the earlier layers found.
pub(super) async fn client_options(
    req: &Request<'_>,
    creds: &Creds,
    steps: &mut Vec<Step>,
) -> Result<ClientOptions, Failure> {
    let cs = req.cs;
    let mut hosts = Vec::new();
    for host in &req.connectivity.healthy {
        hosts.push(driver_address(host, req.deadline, steps).await);
    }
    if hosts.is_empty() {
        return Err(Failure::Driver {
            message: "no healthy host to authenticate against".into(),
        });
    }
    let txt = |name: &str| {
        req.connectivity
            .txt_options
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut options = ClientOptions::default();
    options.direct_connection = Some(hosts.len() == 1);
    options.hosts = hosts;
    options.app_name = Some("atlas-doctor".into());
    // What is left of the layer's one deadline, so selection cannot outlast it.
    let left = crate::pipeline::remaining(req.deadline);
    options.server_selection_timeout = Some(left);
    options.connect_timeout = Some(left);
    options.repl_set_name = cs
        .replica_set()
        .map(str::to_string)
        .or_else(|| txt("replicaSet"));
    if options.direct_connection == Some(true) {
        options.repl_set_name = None;
    }
    if cs.bool_option("loadBalanced") == Some(true)
        || txt("loadBalanced").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        options.load_balanced = Some(true);
        options.direct_connection = None;
    }

    let cert_key_file = cs
        .option("tlsCertificateKeyFile")
        .or_else(|| cs.option("sslPEMKeyFile"))
        .map(PathBuf::from);
    if cs.tls_enabled() {
        let mut tls = TlsOptions::default();
        tls.ca_file_path = cs.tls_ca_file().map(PathBuf::from);
        if cs.bool_option("tlsAllowInvalidCertificates") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true)
        {
            tls.allow_invalid_certificates = Some(true);
        }
        tls.cert_key_file_path.clone_from(&cert_key_file);
        options.tls = Some(Tls::Enabled(tls));
    } else {
        options.tls = Some(Tls::Disabled);
    }

    if creds.user.is_none() && creds.mechanism.as_deref() != Some("MONGODB-X509") {
        return Ok(options);
    }
    let mechanism = match creds.mechanism.as_deref() {
        None => None,
        Some(name) => Some(
            AuthMechanism::from_str(name).map_err(|_| Failure::Config {
                reason: format!(
                    "authMechanism={name} is not a mechanism this build can use (SCRAM-SHA-256, SCRAM-SHA-1, MONGODB-X509)"
                ),
            })?,
        ),
    };
    if mechanism == Some(AuthMechanism::MongoDbX509) {
        if cert_key_file.is_none() {
            return Err(Failure::Config {
                reason: "authMechanism=MONGODB-X509 needs tlsCertificateKeyFile=/path/to/client.pem (certificate and key) and tls=true".into(),
            });
        }
        if !cs.tls_enabled() {
            return Err(Failure::Config {
                reason: "authMechanism=MONGODB-X509 needs tls=true".into(),
            });
        }
    }
    let mut credential = Credential::default();
    credential.username.clone_from(&creds.user);
    credential.password = creds.password.as_ref().map(|p| p.expose().to_string());
    credential.source = Some(creds.auth_db.clone());
    credential.mechanism = mechanism;
    options.credential = Some(credential);
    Ok(options)
}

/// The host as the driver should dial it: its name when the system resolver knows
/// it (TLS checks the name), else the address our own probe connected to.
async fn driver_address(
    host: &HealthyHost,
    deadline: Instant,
    steps: &mut Vec<Step>,
) -> ServerAddress {
    let port = host.socket.port();
    let name = host.name.clone();
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
    let ip = host.socket.ip().to_string();
    steps.push(
        Step::new(
            Layer::Auth,
            format!("driver address {name}"),
            Status::Warn,
            format!(
                "the system resolver does not know {name}; the driver connects to {ip} instead (the address the probe reached; with TLS the certificate must also name that address)"
            ),
        )
        .on(&host.address),
    );
    ServerAddress::Tcp {
        host: ip,
        port: Some(port),
    }
}
