//! One DER certificate read into typed facts (subject, issuer, names,
//! validity): what the tls layer records and what the trust store checks.

use std::fmt::Write as _;

use rustls::pki_types::CertificateDer;

use crate::model::tls::CertInfo;

/// Subject, issuer, names and validity of one DER certificate.
pub fn describe(der: &CertificateDer<'_>) -> Option<CertInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                x509_parser::extensions::GeneralName::DNSName(dns) => {
                    names.push((*dns).to_string());
                }
                x509_parser::extensions::GeneralName::IPAddress(ip) => names.push(format_ip(ip)),
                _ => {}
            }
        }
    }
    let validity = cert.validity();
    let now = x509_parser::time::ASN1Time::now();
    let expires_in_secs = validity.not_after.timestamp() - now.timestamp();
    Some(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        names,
        not_before: validity.not_before.to_string(),
        not_after: validity.not_after.to_string(),
        not_after_unix: validity.not_after.timestamp(),
        expires_in_secs,
    })
}

fn format_ip(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => bytes.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_a_generated_certificate() {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec![
            "db.example.test".to_string(),
            "127.0.0.1".to_string(),
        ])
        .unwrap();
        let cert = params.self_signed(&key).unwrap();
        let info = describe(cert.der()).unwrap();
        assert_eq!(info.names, ["db.example.test", "127.0.0.1"]);
        assert!(info.expires_in_secs > 0);
    }
}
