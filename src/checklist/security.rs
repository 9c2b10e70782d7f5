//! The security checklist items, each a pure function of evidence gathered
//! elsewhere (settings, the parsed URI, connectivity, the scan, the user's roles).

use std::net::IpAddr;
use std::path::Path;

use crate::config::PasswordSource;
use crate::model::failure::Failure;
use crate::model::report::{Check, Section};
use crate::model::scan::Scan;
use crate::model::step::Status;
use crate::model::tls;
use crate::uri::ConnectionString;

/// Certificates expiring sooner than this are a warning.
pub const EXPIRY_WARN_SECS: i64 = 30 * 86_400;
/// Passwords shorter than this are a warning.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Passwords that appear at the top of every breach list (compared case-insensitively).
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "qwerty123",
    "abc123",
    "111111",
    "letmein",
    "welcome",
    "welcome1",
    "admin",
    "admin123",
    "administrator",
    "root",
    "toor",
    "changeme",
    "secret",
    "mongodb",
    "mongo",
    "mongodb123",
    "test",
    "test123",
    "iloveyou",
    "monkey",
    "dragon",
    "sunshine",
    "master",
    "default",
    "guest",
    "atlas",
    "atlasadmin",
    "changeit",
    "qwertyuiop",
    "1q2w3e4r",
    "zaq12wsx",
    "trustno1",
    "football",
    "baseball",
];

/// A security checklist item.
pub(crate) fn check(
    id: &'static str,
    status: Status,
    summary: impl Into<String>,
    fix: Option<&str>,
    evidence: Vec<String>,
) -> Check {
    Check::new(Section::Security, id, status, summary, fix, evidence)
}

/// Unix permission bits of a file, `None` where unknown or not unix.
pub fn file_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// `credentials-source`: environment (pass), config file (warn; fail when readable by
/// group or others), command line (warn).
pub fn credentials_source(source: &PasswordSource, config_mode: Option<u32>) -> Check {
    const ID: &str = "credentials-source";
    match source {
        PasswordSource::None => check(
            ID,
            Status::Pass,
            "no password is configured (none needed, or X.509/AWS)",
            None,
            Vec::new(),
        ),
        PasswordSource::Env(var) => check(
            ID,
            Status::Pass,
            format!("the password comes from the environment ({var})"),
            None,
            Vec::new(),
        ),
        PasswordSource::CommandLine => check(
            ID,
            Status::Warn,
            "the password was given on the command line (--uri): it lands in shell history and the process list",
            Some(
                "put the connection string in MONGODB_URI (or password-env in the config) from a secret store",
            ),
            Vec::new(),
        ),
        PasswordSource::ConfigFile(path) => {
            let shown = path.display();
            match config_mode {
                Some(mode) if mode & 0o044 != 0 => check(
                    ID,
                    Status::Fail,
                    format!(
                        "the password is written in {shown}, which other users can read (mode {mode:04o})"
                    ),
                    Some(
                        "chmod 600 the file now, then move the password out of it: uri-env or password-env naming a variable filled from a secret store",
                    ),
                    vec![format!("{shown}: mode {mode:04o}")],
                ),
                mode => check(
                    ID,
                    Status::Warn,
                    format!("the password is written in the config file {shown}"),
                    Some(
                        "use uri-env or password-env to name a variable filled from a secret store, and keep the file out of version control",
                    ),
                    mode.map(|m| vec![format!("{shown}: mode {m:04o}")])
                        .unwrap_or_default(),
                ),
            }
        }
    }
}

/// The id of the credential-scan item (also the SARIF rule id).
pub const NO_COMMITTED_CREDENTIALS: &str = "no-committed-credentials";

/// `no-committed-credentials` from a finished scan, or skip when nothing was scanned.
pub fn no_committed_credentials(scan: Option<&Scan>, why_not: &str) -> Check {
    const ID: &str = NO_COMMITTED_CREDENTIALS;
    let Some(scan) = scan else {
        return check(
            ID,
            Status::Skip,
            format!("not scanned: {why_not}"),
            Some("pass --scan PATH (repeatable) to scan a source tree"),
            Vec::new(),
        );
    };
    let roots = scan
        .roots
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut evidence = vec![format!(
        "scanned {} under {roots} in {:.0} ms ({} read); skipped {} binary, {} larger than 1 MiB, {} special or empty, {} unreadable",
        crate::words::count(scan.counts.files, "file"),
        scan.elapsed.as_secs_f64() * 1000.0,
        scan.counts.read,
        scan.counts.skipped_binary,
        scan.counts.skipped_large,
        scan.counts.skipped_special,
        scan.counts.unreadable
    )];
    // Why the scan cannot vouch for the tree: files it could not read, a walk cut short.
    let skipped = scan.counts.unreadable + scan.counts.skipped_large + scan.counts.skipped_binary;
    let mut gaps = Vec::new();
    if skipped > 0 {
        gaps.push(format!(
            "{} not read ({} unreadable, {} larger than 1 MiB, {} binary)",
            crate::words::count(skipped, "file"),
            scan.counts.unreadable,
            scan.counts.skipped_large,
            scan.counts.skipped_binary
        ));
    }
    if scan.counts.truncated {
        gaps.push(format!(
            "the walk stopped after {} entries: files past that point were not scanned",
            crate::walk::MAX_ENTRIES
        ));
    }
    if scan.counts.timed_out {
        gaps.push(format!(
            "the walk stopped at the scan's deadline ({} s): files past that point were not scanned",
            crate::model::scan::DEADLINE.as_secs()
        ));
    }
    evidence.extend(gaps.iter().cloned());
    if scan.hits.is_empty() {
        let read = crate::words::count(scan.counts.read, "file");
        let (status, summary, fix) = if scan.counts.read == 0 {
            (
                Status::Warn,
                format!("no file was read under {roots}: nothing was checked"),
                Some("point --scan at the source tree (regular files you can read)"),
            )
        } else if gaps.is_empty() {
            (
                Status::Pass,
                format!("no connection string with a password in {read}"),
                None,
            )
        } else {
            (
                Status::Warn,
                format!(
                    "no connection string with a password in {read}, but {}",
                    gaps.join("; ")
                ),
                Some(
                    "scan a narrower path (the source tree, not / or a pseudo filesystem) that you can read",
                ),
            )
        };
        return check(ID, status, summary, fix, evidence);
    }
    evidence.extend(
        scan.hits
            .iter()
            .map(|h| format!("{}:{}: {}", h.path.display(), h.line, h.redacted)),
    );
    if scan.hits_omitted > 0 {
        evidence.push(format!(
            "and {} more not listed (at most {} a file, {} in all)",
            crate::words::count(scan.hits_omitted, "connection string"),
            crate::model::scan::MAX_HITS_PER_FILE,
            crate::model::scan::MAX_HITS
        ));
    }
    let files = {
        let mut paths: Vec<_> = scan.hits.iter().map(|h| &h.path).collect();
        paths.dedup();
        paths.len()
    };
    check(
        ID,
        Status::Fail,
        format!(
            "{} with an embedded password in {}",
            crate::words::count(scan.hits.len() + scan.hits_omitted, "connection string"),
            crate::words::count(files, "file")
        ),
        Some(
            "rotate the exposed passwords now, remove them from the files (and from git history), and read the URI from an environment variable",
        ),
        evidence,
    )
}

/// `tls-verification`: no verification switch turned off in the URI.
pub fn tls_verification(cs: &ConnectionString) -> Check {
    const ID: &str = "tls-verification";
    let off = cs.insecure_tls_options();
    if off.is_empty() {
        return check(
            ID,
            Status::Pass,
            "no TLS verification option is switched off",
            None,
            Vec::new(),
        );
    }
    check(
        ID,
        Status::Fail,
        format!(
            "TLS verification is switched off: {}",
            off.iter()
                .map(|o| format!("{o}=true"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(
            "remove these options; if the certificate is not trusted, give its CA with tlsCAFile instead",
        ),
        off.iter().map(|o| format!("option {o}=true")).collect(),
    )
}

/// Whether an address is loopback (TLS is not required to talk to this machine).
fn is_loopback_host(name: &str, addresses: &[IpAddr]) -> bool {
    if !addresses.is_empty() {
        return addresses.iter().all(IpAddr::is_loopback);
    }
    name.eq_ignore_ascii_case("localhost")
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `tls-enabled`: TLS on for every non-loopback host, chain valid, expiry > 30 days.
/// `hosts` are (name, resolved addresses); `evidence` the handshakes of healthy hosts;
/// `failure` the connectivity failure, if any (an expired or untrusted chain is one).
pub fn tls_enabled(
    tls_on: bool,
    hosts: &[(String, Vec<IpAddr>)],
    evidence: &[(String, tls::Evidence)],
    failure: Option<&Failure>,
) -> Check {
    const ID: &str = "tls-enabled";
    let remote: Vec<&str> = hosts
        .iter()
        .filter(|(name, ips)| !is_loopback_host(name, ips))
        .map(|(name, _)| name.as_str())
        .collect();
    if !tls_on {
        if remote.is_empty() {
            return check(
                ID,
                Status::Pass,
                "TLS is off, but every host is on this machine (loopback)",
                None,
                Vec::new(),
            );
        }
        return check(
            ID,
            Status::Fail,
            format!("TLS is off for {}", remote.join(", ")),
            Some(
                "add tls=true to the connection string (Atlas requires it; mongodb+srv turns it on)",
            ),
            Vec::new(),
        );
    }
    let mut lines = Vec::new();
    let mut status = Status::Pass;
    let mut problems = Vec::new();
    if let Some(Failure::Tls { host, error, .. }) = failure {
        let expired = matches!(error, tls::Error::Expired { .. });
        let chain_problem = matches!(
            error,
            tls::Error::Expired { .. }
                | tls::Error::NotYetValid { .. }
                | tls::Error::UnknownIssuer { .. }
                | tls::Error::NameMismatch { .. }
                | tls::Error::BadCertificate { .. }
        );
        if chain_problem {
            status = Status::Fail;
            problems.push(format!("{host}: {error}"));
            let fix = if expired {
                "renew the server certificate (an expired certificate fails every client)"
            } else {
                "present a certificate chain that verifies for this host name, or trust its CA with tlsCAFile"
            };
            return check(
                ID,
                status,
                format!("the certificate chain is not valid: {error}"),
                Some(fix),
                problems,
            );
        }
    }
    for (host, ev) in evidence {
        for ignored in &ev.ignored {
            status = Status::Fail;
            problems.push(format!(
                "{host}: {ignored} (ignored because verification is off)"
            ));
        }
        if let Some(leaf) = ev.chain.first() {
            let days = leaf.expires_in_secs.div_euclid(86_400);
            lines.push(format!(
                "{host}: {} {}, subject {}, issuer {}, expires {} ({days} days)",
                ev.protocol.as_deref().unwrap_or("TLS"),
                ev.cipher.as_deref().unwrap_or(""),
                leaf.subject,
                leaf.issuer,
                leaf.not_after
            ));
            if leaf.expires_in_secs <= 0 {
                status = Status::Fail;
                problems.push(format!("{host}: certificate expired on {}", leaf.not_after));
            } else if leaf.expires_in_secs < EXPIRY_WARN_SECS && status != Status::Fail {
                status = Status::Warn;
                problems.push(format!(
                    "{host}: certificate expires in {days} days ({})",
                    leaf.not_after
                ));
            }
        }
    }
    if evidence.is_empty() {
        return check(
            ID,
            Status::Skip,
            "TLS is on, but no handshake completed to inspect the certificate",
            None,
            Vec::new(),
        );
    }
    let mut all = problems.clone();
    all.extend(lines);
    match status {
        Status::Pass => check(
            ID,
            Status::Pass,
            format!(
                "TLS on for {}; chain valid; no certificate expires within 30 days",
                crate::words::count(evidence.len(), "host")
            ),
            None,
            all,
        ),
        Status::Warn => check(
            ID,
            Status::Warn,
            problems.join("; "),
            Some(
                "renew the server certificate before it expires (Atlas rotates its own; a self-managed server needs a renewal job)",
            ),
            all,
        ),
        _ => check(
            ID,
            Status::Fail,
            problems.join("; "),
            Some("fix or renew the server certificate; do not rely on switched-off verification"),
            all,
        ),
    }
}

/// The narrower role to suggest instead of a broad one, or `None` for a role that is fine.
pub fn narrower_role(role: &str, database: &str) -> Option<String> {
    let suggestion = match role {
        "root" | "atlasAdmin" => format!(
            "`readWrite` on `{database}` (`{role}` can do anything on every database, including managing users)"
        ),
        "readWriteAnyDatabase" => format!("`readWrite` on `{database}` only"),
        "dbAdminAnyDatabase" => format!("`dbAdmin` on `{database}` only, and only where the app manages indexes"),
        "userAdminAnyDatabase" => {
            "no user administration for an application user (keep `userAdmin` on a separate admin user)".to_string()
        }
        _ => return None,
    };
    Some(suggestion)
}

/// `least-privilege` from the authenticated user's roles: (role, db).
pub fn least_privilege(user: &str, roles: &[(String, String)], database: &str) -> Check {
    const ID: &str = "least-privilege";
    let evidence: Vec<String> = roles
        .iter()
        .map(|(role, db)| format!("{user} has {role}@{db}"))
        .collect();
    let broad: Vec<String> = roles
        .iter()
        .filter_map(|(role, _)| {
            narrower_role(role, database).map(|s| format!("instead of `{role}`, use {s}"))
        })
        .collect();
    if broad.is_empty() {
        let names = roles
            .iter()
            .map(|(r, d)| format!("{r}@{d}"))
            .collect::<Vec<_>>()
            .join(", ");
        return check(
            ID,
            Status::Pass,
            format!(
                "{user} has no cluster-wide administrative role ({})",
                if names.is_empty() { "no roles" } else { &names }
            ),
            None,
            evidence,
        );
    }
    let wide: Vec<&str> = roles
        .iter()
        .filter(|(r, _)| narrower_role(r, database).is_some())
        .map(|(r, _)| r.as_str())
        .collect();
    check(
        ID,
        Status::Warn,
        format!(
            "{user} has {} an application user should not have: {}",
            if wide.len() == 1 {
                "a broad role"
            } else {
                "broad roles"
            },
            wide.join(", ")
        ),
        Some(&broad.join("; ")),
        evidence,
    )
}

/// `password-strength`: length and a short common list. The password is never shown.
pub fn password_strength(password: Option<&str>) -> Check {
    const ID: &str = "password-strength";
    let Some(password) = password else {
        return check(ID, Status::Skip, "no password to judge", None, Vec::new());
    };
    let chars = password.chars().count();
    let common = COMMON_PASSWORDS
        .iter()
        .any(|c| c.eq_ignore_ascii_case(password));
    if common {
        return check(
            ID,
            Status::Warn,
            "the password is on the list of most common passwords",
            Some(
                "rotate it to a random password of 20 or more characters from a password manager or secret store",
            ),
            Vec::new(),
        );
    }
    if chars < MIN_PASSWORD_CHARS {
        return check(
            ID,
            Status::Warn,
            format!("the password is short ({chars} characters, fewer than {MIN_PASSWORD_CHARS})"),
            Some(
                "rotate it to a random password of 20 or more characters from a password manager or secret store",
            ),
            Vec::new(),
        );
    }
    check(
        ID,
        Status::Pass,
        format!("{chars} characters, not a common password"),
        None,
        Vec::new(),
    )
}

/// `network-exposure`: informational. Private or loopback addresses pass; a public
/// address is a skip, because whether the Atlas IP access list holds 0.0.0.0/0
/// cannot be read without the Atlas Admin API.
pub fn network_exposure(addresses: &[(String, Vec<IpAddr>)]) -> Check {
    const ID: &str = "network-exposure";
    if addresses.is_empty() {
        return check(
            ID,
            Status::Skip,
            "no address was resolved",
            None,
            Vec::new(),
        );
    }
    let mut evidence = Vec::new();
    let mut public = false;
    for (host, ips) in addresses {
        for ip in ips {
            let kind = if crate::address::canonical(*ip).is_loopback() {
                "loopback"
            } else if crate::address::is_private(*ip) || crate::address::is_local(*ip) {
                "private"
            } else {
                public = true;
                "public"
            };
            evidence.push(format!("{host} -> {ip} ({kind})"));
        }
    }
    if public {
        evidence.push(
            "an Atlas IP access list entry of 0.0.0.0/0 opens the cluster to the whole internet; it cannot be read without the Atlas Admin API".to_string(),
        );
        return check(
            ID,
            Status::Skip,
            "the deployment has public addresses; its IP access list cannot be checked without the Atlas Admin API",
            Some(
                "in Atlas, Network Access: remove 0.0.0.0/0 and list only your application's egress addresses (or use private endpoints / VPC peering)",
            ),
            evidence,
        );
    }
    check(
        ID,
        Status::Pass,
        "every resolved address is private or loopback: not reachable from the internet",
        None,
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(r, d)| ((*r).to_string(), (*d).to_string()))
            .collect()
    }

    #[test]
    fn credentials_source_by_origin_and_mode() {
        let file = PasswordSource::ConfigFile("atlas-doctor.toml".into());
        assert_eq!(credentials_source(&file, Some(0o644)).status, Status::Fail);
        assert_eq!(credentials_source(&file, Some(0o640)).status, Status::Fail);
        assert_eq!(credentials_source(&file, Some(0o600)).status, Status::Warn);
        assert_eq!(
            credentials_source(&PasswordSource::CommandLine, None).status,
            Status::Warn
        );
        assert_eq!(
            credentials_source(&PasswordSource::Env("MONGODB_URI".into()), None).status,
            Status::Pass
        );
    }

    #[test]
    fn least_privilege_names_the_narrower_role() {
        let c = least_privilege("admin", &roles(&[("root", "admin")]), "app");
        assert_eq!(c.status, Status::Warn);
        assert!(c.fix.unwrap().contains("`readWrite` on `app`"));
        for r in [
            "atlasAdmin",
            "dbAdminAnyDatabase",
            "readWriteAnyDatabase",
            "userAdminAnyDatabase",
        ] {
            assert_eq!(
                least_privilege("u", &roles(&[(r, "admin")]), "app").status,
                Status::Warn,
                "{r}"
            );
        }
        assert_eq!(
            least_privilege("app", &roles(&[("readWrite", "app")]), "app").status,
            Status::Pass
        );
    }

    #[test]
    fn password_strength_never_shows_the_password() {
        for (pw, status) in [
            ("Password1", Status::Warn),
            ("Zk3p9", Status::Warn),
            ("aVeryLongRandomPassphrase", Status::Pass),
        ] {
            let c = password_strength(Some(pw));
            assert_eq!(c.status, status, "{pw}");
            assert!(!format!("{c:?}").contains(pw));
        }
        assert_eq!(password_strength(None).status, Status::Skip);
    }

    #[test]
    fn tls_rules() {
        let lo = vec![("127.0.0.1".to_string(), vec!["127.0.0.1".parse().unwrap()])];
        let remote = vec![(
            "db.example.net".to_string(),
            vec!["8.8.8.8".parse().unwrap()],
        )];
        assert_eq!(tls_enabled(false, &lo, &[], None).status, Status::Pass);
        assert_eq!(tls_enabled(false, &remote, &[], None).status, Status::Fail);
        let cert = |secs| tls::Evidence {
            chain: vec![tls::CertInfo {
                subject: "CN=x".into(),
                issuer: "CN=ca".into(),
                names: vec![],
                not_before: "2020".into(),
                not_after: "2030".into(),
                not_after_unix: 1_893_456_000,
                expires_in_secs: secs,
            }],
            ..tls::Evidence::default()
        };
        let ev = |secs| vec![("h:1".to_string(), cert(secs))];
        assert_eq!(
            tls_enabled(true, &remote, &ev(90 * 86_400), None).status,
            Status::Pass
        );
        assert_eq!(
            tls_enabled(true, &remote, &ev(10 * 86_400), None).status,
            Status::Warn
        );
        assert_eq!(
            tls_enabled(true, &remote, &ev(-5), None).status,
            Status::Fail
        );
        let expired = Failure::Tls {
            host: "h:1".into(),
            error: tls::Error::Expired {
                not_after: "2021-01-01".into(),
            },
            atlas: false,
        };
        assert_eq!(
            tls_enabled(true, &remote, &[], Some(&expired)).status,
            Status::Fail
        );
    }

    #[test]
    fn network_exposure_public_is_a_skip_with_the_access_list_note() {
        let public = vec![("h".to_string(), vec!["8.8.8.8".parse().unwrap()])];
        let c = network_exposure(&public);
        assert_eq!(c.status, Status::Skip);
        assert!(c.evidence.iter().any(|e| e.contains("0.0.0.0/0")));
        let private = vec![("h".to_string(), vec!["10.1.2.3".parse().unwrap()])];
        assert_eq!(network_exposure(&private).status, Status::Pass);
    }
}
