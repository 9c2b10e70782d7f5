//! The tls layer: handshake with SNI and the URI's CA options; record protocol,
//! cipher and the presented chain; name what failed (issuer, expiry, name, alert).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::cert::describe;
use super::trust::Roots;
use crate::model::secs::Secs;
use crate::model::tls::{CertInfo, Error, Evidence};

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::UnknownIssuer { issuer } => write!(
                f,
                "certificate issued by {issuer:?}, which this machine does not trust",
            ),
            Error::Expired { not_after } => write!(f, "certificate expired on {not_after}"),
            Error::NotYetValid { not_before } => {
                write!(f, "certificate not valid before {not_before}")
            }
            Error::NameMismatch { expected, names } => {
                write!(f, "certificate is for {names:?}, not {expected}")
            }
            Error::BadCertificate { reason } => write!(f, "certificate rejected: {reason}"),
            Error::Alert { code, name } => write!(f, "server sent TLS alert {code} ({name})"),
            Error::ClosedAfterHello => {
                f.write_str("server closed the connection after the ClientHello")
            }
            Error::NotTls => f.write_str("server answered with non-TLS bytes"),
            Error::Timeout { after } => write!(f, "no TLS answer within {}", Secs(*after)),
            Error::Protocol { reason } => write!(f, "handshake failed: {reason}"),
            Error::CaFile { path, reason } => write!(f, "cannot use tlsCAFile {path}: {reason}"),
            Error::ClientCertificateRequired { alert } => write!(
                f,
                "the server demands a client certificate and none was sent{}",
                alert_suffix(*alert)
            ),
            Error::ClientCertificateRejected { alert } => write!(
                f,
                "the server refused the client certificate{}",
                alert_suffix(*alert)
            ),
            Error::KeyFile { path, reason } => {
                write!(f, "cannot use tlsCertificateKeyFile {path}: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}

fn alert_suffix(alert: Option<u8>) -> String {
    alert.map_or_else(String::new, |code| {
        format!(" (TLS alert {code}, {})", alert_name(code))
    })
}

/// Where trust comes from.
#[derive(Debug, Clone)]
pub struct TlsOptions {
    /// The run's one root store, or why it could not be built (a bad tlsCAFile).
    pub roots: Result<Arc<Roots>, Error>,
    /// The client certificate and key (tlsCertificateKeyFile), if any, or why
    /// it cannot be used.
    pub identity: Result<Option<Arc<CertifiedKey>>, Error>,
    pub allow_invalid_certificates: bool,
    pub allow_invalid_hostnames: bool,
}

/// A verifier that records the chain it was shown, then asks webpki.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    seen: Arc<Mutex<Vec<CertificateDer<'static>>>>,
    ignored: Arc<Mutex<Vec<String>>>,
    allow_invalid_certificates: bool,
    allow_invalid_hostnames: bool,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(end_entity.clone().into_owned());
            seen.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        }
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(e))
                if self.allow_invalid_certificates
                    || (self.allow_invalid_hostnames && is_name_error(&e)) =>
            {
                if let Ok(mut ignored) = self.ignored.lock() {
                    ignored.push(format!("{e:?}"));
                }
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Presents the client certificate when there is one, and records that the
/// server asked: a server that demands one ends the session otherwise.
#[derive(Debug)]
struct ClientIdentity {
    identity: Option<Arc<CertifiedKey>>,
    asked: Arc<AtomicBool>,
}

impl ResolvesClientCert for ClientIdentity {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.asked.store(true, Ordering::Relaxed);
        self.identity.clone()
    }

    fn has_certs(&self) -> bool {
        self.identity.is_some()
    }
}

fn is_name_error(e: &CertificateError) -> bool {
    matches!(
        e,
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
    )
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Handshakes over `stream` with SNI `host`; returns the stream and what it showed.
pub async fn handshake(
    stream: TcpStream,
    host: &str,
    options: &TlsOptions,
    deadline: Duration,
) -> Result<(TlsStream<TcpStream>, Evidence), (Error, Evidence)> {
    let no_evidence = |e| (e, Evidence::default());
    let roots = options.roots.clone().map_err(no_evidence)?;
    let identity = options.identity.clone().map_err(no_evidence)?;
    let client_certificate_sent = identity.is_some();
    let asked = Arc::new(AtomicBool::new(false));
    let inner = roots.verifier();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let ignored = Arc::new(Mutex::new(Vec::new()));
    let verifier = Recording {
        inner,
        seen: seen.clone(),
        ignored: ignored.clone(),
        allow_invalid_certificates: options.allow_invalid_certificates,
        allow_invalid_hostnames: options.allow_invalid_hostnames,
    };
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            no_evidence(Error::Protocol {
                reason: e.to_string(),
            })
        })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_client_cert_resolver(Arc::new(ClientIdentity {
            identity,
            asked: asked.clone(),
        }));
    let server_name = ServerName::try_from(host.to_string()).map_err(|e| {
        no_evidence(Error::Protocol {
            reason: format!("{host:?} is not a valid TLS server name: {e}"),
        })
    })?;
    let sni = match &server_name {
        ServerName::DnsName(name) => Some(name.as_ref().to_string()),
        _ => None,
    };
    let connector = TlsConnector::from(Arc::new(config));
    let result = tokio::time::timeout(deadline, connector.connect(server_name, stream)).await;
    let presented = seen.lock().map(|s| s.clone()).unwrap_or_default();
    let chain: Vec<CertInfo> = presented.iter().filter_map(|c| describe(c)).collect();
    let mut evidence = Evidence {
        sni,
        chain,
        trusted_by: roots.trusted_by(&presented),
        client_certificate_requested: asked.load(Ordering::Relaxed),
        client_certificate_sent,
        ignored: ignored.lock().map(|i| i.clone()).unwrap_or_default(),
        ..Evidence::default()
    };
    match result {
        Err(_) => Err((Error::Timeout { after: deadline }, evidence)),
        Ok(Err(e)) => Err((classify(&e, host, &evidence), evidence)),
        Ok(Ok(tls)) => {
            let (_, conn) = tls.get_ref();
            evidence.protocol = conn
                .protocol_version()
                .map(|v| format!("{v:?}").replace('_', "."));
            evidence.cipher = conn
                .negotiated_cipher_suite()
                .map(|c| format!("{:?}", c.suite()));
            Ok((tls, evidence))
        }
    }
}

fn classify(error: &std::io::Error, host: &str, evidence: &Evidence) -> Error {
    let tls_error = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    // After a CertificateRequest, an alert or a close is the server's verdict
    // on our client certificate (TLS 1.2 refuses inside the handshake).
    if evidence.client_certificate_requested {
        let alert = match tls_error {
            Some(rustls::Error::AlertReceived(alert)) => Some(u8::from(*alert)),
            _ => None,
        };
        let closed = matches!(
            error.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
        );
        if matches!(alert, Some(40 | 42 | 43 | 44 | 45 | 46 | 48 | 49 | 116)) || closed {
            return if evidence.client_certificate_sent {
                Error::ClientCertificateRejected { alert }
            } else {
                Error::ClientCertificateRequired { alert }
            };
        }
    }
    let leaf = evidence.chain.first();
    let issuer = || {
        evidence
            .chain
            .last()
            .map_or_else(|| "an unknown issuer".to_string(), |c| c.issuer.clone())
    };
    if let Some(tls_error) = tls_error {
        return match tls_error {
            rustls::Error::InvalidCertificate(cert) => match cert {
                CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                    Error::UnknownIssuer { issuer: issuer() }
                }
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    Error::Expired {
                        not_after: leaf
                            .map_or_else(|| "an earlier date".into(), |c| c.not_after.clone()),
                    }
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    Error::NotYetValid {
                        not_before: leaf
                            .map_or_else(|| "a later date".into(), |c| c.not_before.clone()),
                    }
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Error::NameMismatch {
                    expected: host.to_string(),
                    names: leaf.map(|c| c.names.clone()).unwrap_or_default(),
                },
                rustls::CertificateError::Other(other) => Error::BadCertificate {
                    reason: other.to_string(),
                },
                other => Error::BadCertificate {
                    reason: format!("{other:?}"),
                },
            },
            rustls::Error::AlertReceived(alert) => {
                let code = u8::from(*alert);
                Error::Alert {
                    code,
                    name: alert_name(code),
                }
            }
            rustls::Error::InvalidMessage(_)
            | rustls::Error::InappropriateMessage { .. }
            | rustls::Error::InappropriateHandshakeMessage { .. } => Error::NotTls,
            rustls::Error::PeerIncompatible(reason) => Error::Protocol {
                reason: format!("{reason:?}"),
            },
            other => Error::Protocol {
                reason: other.to_string(),
            },
        };
    }
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::BrokenPipe => Error::ClosedAfterHello,
        _ => Error::Protocol {
            reason: error.to_string(),
        },
    }
}

/// The IANA name of a TLS alert (the table lives in `wording`).
pub fn alert_name(code: u8) -> String {
    crate::wording::alert_name(code).to_string()
}

/// Whether the first bytes a peer sent look like a TLS record (handshake or alert).
pub fn looks_like_tls(bytes: &[u8]) -> bool {
    matches!(bytes, [0x15 | 0x16, 0x03, 0x00..=0x04, ..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_record_sniffing() {
        assert!(looks_like_tls(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]));
        assert!(looks_like_tls(&[0x16, 0x03, 0x01]));
        assert!(!looks_like_tls(b"HTTP/1.1 400"));
        assert!(!looks_like_tls(&[]));
    }
}
