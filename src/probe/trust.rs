//! The one root store of a run: built once, off the async runtime, from the
//! tlsCAFile (alone, as drivers do) or else the system store and the Mozilla
//! bundle together. The TLS layer verifies against it, and the driver's login
//! is handed the very same certificates as one PEM file, so the two layers
//! never disagree about a certificate. It also says which source, on its own,
//! trusts a chain: that is how "works in mongosh, fails in my app" happens.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use tokio::sync::OnceCell;

use crate::model::tls::{Error, TrustGap};

/// Where a trust anchor came from, as `tls[].trusted_by` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The operating system's store (rustls-native-certs: honours `SSL_CERT_FILE`).
    System,
    /// Mozilla's bundle, as the Rust driver and Node.js ship it.
    Mozilla,
    /// The URI's `tlsCAFile`.
    CaFile,
}

impl Source {
    /// The name used in JSON and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Source::System => "system",
            Source::Mozilla => "mozilla",
            Source::CaFile => "tlsCAFile",
        }
    }
}

/// The trust roots of a run; see the module docs.
#[derive(Debug)]
pub struct Roots {
    /// What both the TLS layer and the driver trust, as DER certificates.
    certificates: Vec<CertificateDer<'static>>,
    /// The same, as a verifier for the TLS layer.
    verifier: Arc<WebPkiServerVerifier>,
    /// Each source on its own, to tell which of them trusts a chain.
    sources: Vec<(Source, Arc<WebPkiServerVerifier>)>,
    /// `certificates` written as one PEM file, the first time the driver needs it.
    pem_file: OnceCell<Arc<tempfile::TempPath>>,
}

/// The run's one root store, loaded by whichever asks first (the TLS probes
/// or the driver's early start, which run side by side) and shared with the
/// other, so the system store and the CA file are read once per run.
#[derive(Debug, Clone, Default)]
pub struct Shared(Arc<tokio::sync::OnceCell<Result<Arc<Roots>, Error>>>);

impl Shared {
    /// The roots for `ca_file` (tlsCAFile), loading them on the first call.
    pub async fn get(&self, ca_file: Option<&str>) -> Result<Arc<Roots>, Error> {
        self.0.get_or_init(|| Roots::load(ca_file)).await.clone()
    }
}

impl Roots {
    /// Builds the roots on a blocking thread (the system store and the CA
    /// file are file reads): the async runtime never waits on the disk.
    pub async fn load(ca_file: Option<&str>) -> Result<Arc<Roots>, Error> {
        let ca_file = ca_file.map(str::to_string);
        tokio::task::spawn_blocking(move || Roots::load_blocking(ca_file.as_deref()).map(Arc::new))
            .await
            .unwrap_or_else(|e| crate::panic::rethrow(e))
    }

    /// Only the Mozilla bundle, which is compiled in (no file is read): for
    /// handshakes that accept any certificate and only ask whether TLS is spoken.
    pub fn bundled() -> Arc<Roots> {
        static BUNDLED: std::sync::LazyLock<Arc<Roots>> = std::sync::LazyLock::new(|| {
            let mozilla = mozilla();
            Arc::new(
                Roots::new(mozilla.clone(), vec![(Source::Mozilla, mozilla)])
                    .expect("the Mozilla bundle holds usable roots"),
            )
        });
        BUNDLED.clone()
    }

    /// tlsCAFile alone when given (every driver then trusts only it), else the
    /// system store and the Mozilla bundle together.
    pub fn load_blocking(ca_file: Option<&str>) -> Result<Roots, Error> {
        let system = rustls_native_certs::load_native_certs().certs;
        let mozilla = mozilla();
        let Some(path) = ca_file else {
            let mut union = system.clone();
            for cert in &mozilla {
                if !union.contains(cert) {
                    union.push(cert.clone());
                }
            }
            return Ok(Roots::new(
                union,
                vec![(Source::System, system), (Source::Mozilla, mozilla)],
            )
            .expect("the Mozilla bundle holds usable roots"));
        };
        let ca = read_ca_file(path)?;
        Roots::new(
            ca.clone(),
            vec![
                (Source::CaFile, ca),
                (Source::System, system),
                (Source::Mozilla, mozilla),
            ],
        )
        .ok_or_else(|| Error::CaFile {
            path: path.to_string(),
            reason: "no certificate in it can serve as a root".to_string(),
        })
    }

    /// `None` when no certificate of `certificates` can serve as a root.
    fn new(
        certificates: Vec<CertificateDer<'static>>,
        sources: Vec<(Source, Vec<CertificateDer<'static>>)>,
    ) -> Option<Roots> {
        Some(Roots {
            verifier: verifier(&certificates)?,
            // A source with no usable root (an empty system store) trusts nothing.
            sources: sources
                .into_iter()
                .filter_map(|(source, certs)| Some((source, verifier(&certs)?)))
                .collect(),
            certificates,
            pem_file: OnceCell::new(),
        })
    }

    /// The verifier of the TLS layer.
    pub fn verifier(&self) -> Arc<WebPkiServerVerifier> {
        self.verifier.clone()
    }

    /// Which sources, each on its own, anchor `chain` (leaf first). Trust is
    /// about the issuer: the chain is checked at a moment when every one of its
    /// certificates is valid, and a wrong host name does not count against it.
    pub fn trusted_by(&self, chain: &[CertificateDer<'_>]) -> Vec<&'static str> {
        let Some((leaf, intermediates)) = chain.split_first() else {
            return Vec::new();
        };
        let Some(name) = leaf_name(leaf) else {
            return Vec::new();
        };
        let at = moment_all_valid(chain).unwrap_or_else(UnixTime::now);
        self.sources
            .iter()
            .filter(|(_, verifier)| {
                match verifier.verify_server_cert(leaf, intermediates, &name, &[], at) {
                    Ok(_) => true,
                    Err(rustls::Error::InvalidCertificate(e)) => matches!(
                        e,
                        rustls::CertificateError::NotValidForName
                            | rustls::CertificateError::NotValidForNameContext { .. }
                    ),
                    Err(_) => false,
                }
            })
            .map(|(source, _)| source.name())
            .collect()
    }

    /// The driver's TLS settings for `cs`, trusting exactly these roots: the
    /// driver takes a CA file path only (no rustls config), so the roots are
    /// written once, on a blocking thread, to a PEM file that lives as long as
    /// the roots. This is the one place the driver's TLS options are made.
    pub async fn driver_tls(
        &self,
        cs: &crate::uri::ConnectionString,
    ) -> Result<mongodb::options::TlsOptions, Error> {
        let pem_file = self
            .pem_file
            .get_or_try_init(|| {
                let pem = pem(&self.certificates);
                async move {
                    tokio::task::spawn_blocking(move || write_temp(&pem))
                        .await
                        .map_err(|e| Error::Protocol {
                            reason: format!("writing the trust roots failed: {e}"),
                        })?
                        .map(Arc::new)
                }
            })
            .await?;
        let mut tls = mongodb::options::TlsOptions::default();
        tls.ca_file_path = Some(PathBuf::from(pem_file.as_ref() as &std::path::Path));
        if cs.bool_option("tlsAllowInvalidCertificates") == Some(true)
            || cs.bool_option("tlsInsecure") == Some(true)
        {
            tls.allow_invalid_certificates = Some(true);
        }
        tls.cert_key_file_path = cs.certificate_key_file().map(PathBuf::from);
        Ok(tls)
    }
}

/// When the stores a driver might use disagree about a chain, what that means
/// for the application's driver; `None` when they agree or tlsCAFile decides
/// (every driver honours it).
pub fn partial_trust(trusted_by: &[&str]) -> Option<TrustGap> {
    let by = |source: Source| trusted_by.contains(&source.name());
    if by(Source::CaFile) {
        return None;
    }
    match (by(Source::System), by(Source::Mozilla)) {
        (true, false) => Some(TrustGap::SystemNotMozilla),
        (false, true) => Some(TrustGap::MozillaNotSystem),
        _ => None,
    }
}

/// The client certificate chain and key of `tlsCertificateKeyFile` (one PEM
/// file holding both, as drivers take it), read on a blocking thread, for the
/// TLS layer to present as the driver would.
pub async fn load_identity(path: Option<&str>) -> Result<Option<Arc<CertifiedKey>>, Error> {
    let Some(path) = path.map(str::to_string) else {
        return Ok(None);
    };
    tokio::task::spawn_blocking(move || identity_blocking(&path).map(|key| Some(Arc::new(key))))
        .await
        .map_err(|e| Error::Protocol {
            reason: format!("loading the client certificate failed: {e}"),
        })?
}

fn identity_blocking(path: &str) -> Result<CertifiedKey, Error> {
    let key_error = |reason: String| Error::KeyFile {
        path: path.to_string(),
        reason,
    };
    let pem = crate::file::read_capped(std::path::Path::new(path), crate::file::PEM_MAX_BYTES)
        .map_err(|e| key_error(e.to_string()))?;
    let chain = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| key_error(e.to_string()))?;
    if chain.is_empty() {
        return Err(key_error("no PEM certificate in the file".to_string()));
    }
    // An encrypted key (tlsCertificateKeyFilePassword) is not read here.
    let key = PrivateKeyDer::from_pem_slice(&pem)
        .map_err(|e| key_error(format!("no unencrypted private key in the file ({e})")))?;
    let signer = rustls::crypto::ring::sign::any_supported_type(&key)
        .map_err(|e| key_error(e.to_string()))?;
    Ok(CertifiedKey::new(chain, signer))
}

/// Mozilla's roots as full certificates (so they can be handed on as PEM).
fn mozilla() -> Vec<CertificateDer<'static>> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec()
}

/// A verifier over `certificates`, parsed as the driver parses its CA file
/// (unparsable ones skipped), so both hold the same anchors; `None` when not
/// one of them is usable.
fn verifier(certificates: &[CertificateDer<'static>]) -> Option<Arc<WebPkiServerVerifier>> {
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(certificates.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
        .build()
        .ok()
}

fn read_ca_file(path: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let ca_error = |reason: String| Error::CaFile {
        path: path.to_string(),
        reason,
    };
    let pem = crate::file::read_capped(std::path::Path::new(path), crate::file::PEM_MAX_BYTES)
        .map_err(|e| ca_error(e.to_string()))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ca_error(e.to_string()))?;
    if certificates.is_empty() {
        return Err(ca_error("no PEM certificate in the file".to_string()));
    }
    Ok(certificates)
}

/// The certificates as one PEM text.
fn pem(certificates: &[CertificateDer<'_>]) -> String {
    let mut out = String::new();
    for cert in certificates {
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        let encoded = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
        for line in encoded.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

/// A private temporary file (removed when the path is dropped).
fn write_temp(text: &str) -> Result<tempfile::TempPath, Error> {
    let io_error = |e: std::io::Error| Error::Protocol {
        reason: format!("cannot write the trust roots for the driver: {e}"),
    };
    let mut file = tempfile::Builder::new()
        .prefix("atlas-doctor-roots-")
        .suffix(".pem")
        .tempfile()
        .map_err(io_error)?;
    file.write_all(text.as_bytes()).map_err(io_error)?;
    file.flush().map_err(io_error)?;
    Ok(file.into_temp_path())
}

/// A name the leaf is issued for, so a name check cannot hide the answer.
fn leaf_name(leaf: &CertificateDer<'_>) -> Option<ServerName<'static>> {
    let info = super::cert::describe(leaf)?;
    info.names
        .iter()
        .find_map(|name| ServerName::try_from(name.trim_start_matches("*.").to_string()).ok())
        .or_else(|| ServerName::try_from("localhost").ok())
}

/// A moment at which every certificate of the chain is within its validity.
fn moment_all_valid(chain: &[CertificateDer<'_>]) -> Option<UnixTime> {
    let mut latest_start = i64::MIN;
    let mut earliest_end = i64::MAX;
    for cert in chain {
        let (_, parsed) = x509_parser::parse_x509_certificate(cert.as_ref()).ok()?;
        latest_start = latest_start.max(parsed.validity().not_before.timestamp());
        earliest_end = earliest_end.min(parsed.validity().not_after.timestamp());
    }
    let at = latest_start.checked_add(1)?.min(earliest_end);
    Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        u64::try_from(at).ok()?,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_and_leaf() -> (rcgen::Certificate, rcgen::Certificate) {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "trust test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["db.example.test".to_string()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        (ca, leaf)
    }

    #[test]
    fn a_ca_file_is_trusted_alone_and_named() {
        let (ca, leaf) = ca_and_leaf();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, pem(&[ca.der().clone()])).unwrap();
        let roots = Roots::load_blocking(Some(path.to_str().unwrap())).unwrap();
        assert_eq!(roots.certificates, [ca.der().clone()]);
        assert_eq!(roots.trusted_by(&[leaf.der().clone()]), ["tlsCAFile"]);
    }

    #[test]
    fn the_pem_written_for_the_driver_parses_back_to_the_same_certificates() {
        let (ca, leaf) = ca_and_leaf();
        let certs = vec![ca.der().clone(), leaf.der().clone()];
        let back = CertificateDer::pem_slice_iter(pem(&certs).as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(back, certs);
    }

    #[test]
    fn without_a_ca_file_both_stores_are_asked_and_neither_knows_a_private_ca() {
        let (_, leaf) = ca_and_leaf();
        let roots = Roots::bundled();
        assert!(roots.trusted_by(&[leaf.der().clone()]).is_empty());
        assert!(!roots.certificates.is_empty());
    }

    #[test]
    fn partial_trust_is_named_only_when_the_stores_disagree() {
        assert!(partial_trust(&["system", "mozilla"]).is_none());
        assert!(partial_trust(&["tlsCAFile"]).is_none());
        assert!(partial_trust(&[]).is_none());
        assert_eq!(partial_trust(&["system"]), Some(TrustGap::SystemNotMozilla));
        assert_eq!(
            partial_trust(&["mozilla"]),
            Some(TrustGap::MozillaNotSystem)
        );
    }

    #[test]
    fn a_missing_or_special_ca_file_is_named() {
        let err = Roots::load_blocking(Some("does/not/exist.pem")).unwrap_err();
        assert!(
            matches!(err, Error::CaFile { ref path, .. } if path == "does/not/exist.pem"),
            "{err:?}"
        );
        let err = Roots::load_blocking(Some("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}
