//! The tls layer's failures.

use crate::model::finding::Finding;
use crate::model::step::Layer;
use crate::model::tls;
use crate::model::verdict::Diagnosis;

pub(super) fn tls_failure(host: &str, error: &tls::Error, atlas: bool) -> Diagnosis {
    let evidence = format!("{host}: {error}");
    match error {
        tls::Error::Alert { code, .. } if crate::wording::alert_finding(*code, atlas) == Finding::IpAccessListAlert => Diagnosis::from_finding(Finding::IpAccessListAlert).with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::ClosedAfterHello if atlas => Diagnosis::from_finding(Finding::IpAccessListClosed).with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::UnknownIssuer { issuer } => Diagnosis::from_finding(Finding::TlsUnknownIssuer)
            .with_summary_about(host, format!("The certificate of {host} was issued by {issuer}, which this machine does not trust."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::Expired { not_after } => Diagnosis::from_finding(Finding::TlsExpired)
            .with_summary_about(host, format!("The certificate of {host} expired on {not_after}."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::NotYetValid { .. } => Diagnosis::from_finding(Finding::TlsNotYetValid).with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::NameMismatch { expected, names } => Diagnosis::from_finding(Finding::TlsNameMismatch)
            .with_summary_about(host, format!("The certificate of {host} is for {}, not {expected}.", if names.is_empty() { "other names".to_string() } else { names.join(", ") }))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::Alert { code, name } => Diagnosis::from_finding(Finding::TlsAlert)
            .with_summary_about(host, format!("{host} aborted the TLS handshake with alert {code} ({name})."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence)
            .with_first_cause(if *code == 80 { "Alert 80 (internal_error) is how Atlas refuses addresses outside its IP access list; pass --atlas if this host fronts an Atlas cluster." } else { "The server rejects this client's TLS parameters." }),
        tls::Error::ClosedAfterHello => Diagnosis::from_finding(Finding::TlsClosedAfterHello).with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::NotTls => Diagnosis::from_finding(Finding::TlsPlainServer)
            .with_summary_about(host, format!("{host} answered the TLS handshake with bytes that are not TLS."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::Timeout { .. } => Diagnosis::from_finding(Finding::TlsHandshakeTimeout).with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::Protocol { .. } => Diagnosis::from_finding(Finding::TlsProtocol).with_failure_evidence(Layer::Tls, Some(host), evidence),
        // Not a protocol mismatch: the chain itself was refused (too long, bad extensions...).
        tls::Error::BadCertificate { reason } => Diagnosis::from_finding(Finding::TlsHandshakeFailed)
            .with_summary_about(host, format!("The certificate chain of {host} was rejected: {reason}."))
            .with_first_cause("The server presents a certificate chain this client refuses to verify, for example one longer than the verifier allows.")
            .with_first_fix("Serve the leaf and its usual intermediates only, signed by a CA listed in tlsCAFile or the system store.")
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::CaFile { .. } => Diagnosis::from_finding(Finding::UriInvalidOption)
            .with_summary(format!("The tlsCAFile of the connection string cannot be used: {error}."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::KeyFile { .. } => Diagnosis::from_finding(Finding::UriInvalidOption)
            .with_summary(format!("The tlsCertificateKeyFile of the connection string cannot be used: {error}."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::ClientCertificateRequired { .. } => Diagnosis::from_finding(Finding::TlsClientCertificateRequired)
            .with_summary_about(host, format!("{host} demands a client certificate, and the connection string names none."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
        tls::Error::ClientCertificateRejected { .. } => Diagnosis::from_finding(Finding::TlsClientCertificateRejected)
            .with_summary_about(host, format!("{host} refused the client certificate of tlsCertificateKeyFile."))
            .with_failure_evidence(Layer::Tls, Some(host), evidence),
    }
}
