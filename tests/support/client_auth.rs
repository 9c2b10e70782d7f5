//! A TLS listener that demands a client certificate, as mongod does with
//! `--tlsCAFile` and without `--tlsAllowConnectionsWithoutCertificates`.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Server, accept_tls_silently, make_ca, with_ca_pem};

/// The listener and a certificate-and-key PEM file (`tlsCertificateKeyFile=`)
/// that it accepts, signed by the CA in `server.ca_file`.
pub struct ClientAuthServer {
    pub server: Server,
    pub client_pem: PathBuf,
}

/// Serves a certificate signed by its CA to anyone, but completes a session only
/// with a client that presents a certificate of the same CA. `tls12` limits it
/// to TLS 1.2, where the refusal is an alert inside the handshake; with TLS 1.3
/// the client's handshake completes and the refusal (alert 116,
/// certificate_required) arrives with the first read.
pub fn tls_server_requiring_client_cert(tls12: bool) -> ClientAuthServer {
    let (ca_params, ca_key, ca_cert) = make_ca("atlas-doctor client-auth CA");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf = |names: Vec<String>, usage: rcgen::ExtendedKeyUsagePurpose| {
        let mut params = rcgen::CertificateParams::new(names).expect("leaf params");
        params.is_ca = rcgen::IsCa::ExplicitNoCa;
        params.extended_key_usages = vec![usage];
        let key = rcgen::KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &issuer).expect("sign leaf");
        (cert, key)
    };
    let (server_cert, server_key) = leaf(
        vec!["localhost".into(), "127.0.0.1".into()],
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    );
    let (client_cert, client_key) = leaf(
        vec!["client".into()],
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    );

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca_cert.der().clone()).expect("CA as root");
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .expect("client verifier");
    let versions: &[&rustls::SupportedProtocolVersion] = if tls12 {
        &[&rustls::version::TLS12]
    } else {
        &[&rustls::version::TLS13]
    };
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .expect("protocol versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![server_cert.der().clone(), ca_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
        )
        .expect("server cert");
    let server = accept_tls_silently(Arc::new(config));
    let server = with_ca_pem(server, &ca_cert.pem());
    let client_pem = server
        .ca_file
        .as_ref()
        .expect("the CA was written")
        .with_file_name("client.pem");
    std::fs::write(
        &client_pem,
        format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
    )
    .expect("write client.pem");
    ClientAuthServer { server, client_pem }
}
