//! Where `--atlas-api` gets its settings, as the Atlas CLI names them: the
//! `MONGODB_ATLAS_*` variables, or a profile of the Atlas CLI's own config.toml
//! (`--atlas-profile NAME`) when that file holds the secrets. Malformed values
//! (an http base URL to a remote host, a project id that is not 24 hex digits)
//! are configuration errors; missing credentials are a finding of the API layer.

use std::net::IpAddr;
use std::path::Path;

use crate::environment::Environment;
use crate::model::atlas::CredentialsError as Error;
use crate::model::atlas::{
    ApiSettings, Credentials, Egress, check_cluster_name, check_project_id, egress,
};
use crate::model::secret::SecretString;

/// The public Atlas API.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com/";

/// The Atlas CLI's variables `--atlas-api` reads, with what each is for (the
/// man page's ENVIRONMENT lists them from here).
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "MONGODB_ATLAS_CLIENT_ID",
        "With MONGODB_ATLAS_CLIENT_SECRET: the service account --atlas-api signs in with (OAuth).",
    ),
    (
        "MONGODB_ATLAS_CLIENT_SECRET",
        "The service account's secret; never printed.",
    ),
    (
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "With MONGODB_ATLAS_PRIVATE_API_KEY: the API key --atlas-api signs in with (HTTP Digest), when no service account is set.",
    ),
    (
        "MONGODB_ATLAS_PRIVATE_API_KEY",
        "The API key's private part; never printed.",
    ),
    (
        "MONGODB_ATLAS_PROJECT_ID",
        "The Atlas project (group) id, when --atlas-project is not given.",
    ),
    (
        "MONGODB_ATLAS_BASE_URL",
        "The Atlas Administration API's base URL (default https://cloud.mongodb.com/).",
    ),
];

/// The raw flags of the API layer.
#[derive(Debug, Clone, Default)]
pub struct Flags<'a> {
    pub project: Option<&'a str>,
    pub cluster: Option<&'a str>,
    pub profile: Option<&'a str>,
    pub egress_ip: Option<&'a str>,
}

/// Flag, else variable, else Atlas CLI profile. `Err` is a malformed value (config_invalid).
pub fn resolve(flags: &Flags<'_>, env: &dyn Environment) -> Result<ApiSettings, (String, String)> {
    // Set but empty (a missing CI secret) or not UTF-8: named, never a silent fall through.
    let read = |name: &str| -> Result<Option<String>, String> {
        match env.var_os(name).map(std::ffi::OsString::into_string) {
            None => Ok(None),
            Some(Err(_)) => Err(format!("{name} is set but is not valid UTF-8")),
            Some(Ok(v)) if v.trim().is_empty() => Err(format!("{name} is set but empty")),
            Some(Ok(v)) => Ok(Some(v)),
        }
    };
    let setting = |name: &str| read(name).map_err(|m| (name.to_string(), m));
    let profile = flags
        .profile
        .map(|name| read_profile(name, env.atlas_cli_config().as_deref()));
    let from_profile = |key: &str| {
        profile
            .as_ref()
            .and_then(|p| p.as_ref().ok())
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_str)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
    };

    let base_url = setting("MONGODB_ATLAS_BASE_URL")?
        .or_else(|| from_profile("ops_manager_url"))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    let base_url =
        check_base_url(&base_url).map_err(|m| ("MONGODB_ATLAS_BASE_URL".to_string(), m))?;
    let project_id = match flags.project {
        Some(id) => Some(id.to_string()),
        None => setting("MONGODB_ATLAS_PROJECT_ID")?.or_else(|| from_profile("project_id")),
    };
    if let Some(id) = &project_id {
        check_project_id(id).map_err(|m| ("--atlas-project".to_string(), m))?;
    }
    if let Some(name) = flags.cluster {
        check_cluster_name(name).map_err(|m| (format!("--atlas-cluster {name:?}"), m))?;
    }
    let egress = match flags.egress_ip {
        None => Egress::Auto,
        Some(text) => egress(text).map_err(|m| (format!("--egress-ip {text:?}"), m))?,
    };

    let (credentials, source) = match (flags.profile, profile) {
        (Some(name), Some(Ok(table))) => (
            profile_credentials(
                name,
                &table,
                &env.atlas_cli_config()
                    .map(|p| shown(&p))
                    .unwrap_or_default(),
            ),
            format!("Atlas CLI profile {name}"),
        ),
        (_, Some(Err(e))) => (Err(e), "Atlas CLI config".to_string()),
        _ => (env_credentials(&read), "environment".to_string()),
    };
    Ok(ApiSettings {
        base_url,
        project_id,
        cluster: flags.cluster.map(str::to_string),
        egress,
        credentials,
        source,
    })
}

/// https anywhere; plain http only to a loopback address (a local fake or tunnel).
pub fn check_base_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let (scheme, rest) = raw
        .split_once("://")
        .ok_or_else(|| "expected https://host/".to_string())?;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err("expected https://host/ without credentials".to_string());
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(
                "plain http is accepted only for a loopback address; use https".to_string(),
            );
        }
        _ => return Err("expected an https:// URL".to_string()),
    }
    let mut url = format!("{}://{rest}", scheme.to_ascii_lowercase());
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn env_credentials(
    read: &dyn Fn(&str) -> Result<Option<String>, String>,
) -> Result<Credentials, Error> {
    let var = |name: &str| read(name).map_err(|message| Error::Variable { message });
    let pair = |a: &str, b: &str| match (var(a)?, var(b)?) {
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (Some(_), None) => Err(Error::Half {
            set: a.to_string(),
            missing: b.to_string(),
        }),
        (None, Some(_)) => Err(Error::Half {
            set: b.to_string(),
            missing: a.to_string(),
        }),
        (None, None) => Ok(None),
    };
    if let Some((client_id, secret)) =
        pair("MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET")?
    {
        return Ok(Credentials::ServiceAccount {
            client_id,
            client_secret: SecretString::new(secret),
        });
    }
    if let Some((public_key, private)) = pair(
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PRIVATE_API_KEY",
    )? {
        return Ok(Credentials::ApiKey {
            public_key,
            private_key: SecretString::new(private),
        });
    }
    Err(Error::Missing)
}

/// The path as shown: `~/...` under the home directory, so reports carry no machine paths.
fn shown(path: &Path) -> String {
    match dirs::home_dir().and_then(|home| path.strip_prefix(home).ok().map(Path::to_path_buf)) {
        Some(rel) => format!("~/{}", rel.display()),
        None => path.display().to_string(),
    }
}

fn read_profile(name: &str, path: Option<&Path>) -> Result<toml::Table, Error> {
    let Some(path) = path else {
        return Err(Error::File {
            path: "(no config directory)".into(),
            message: "cannot locate the Atlas CLI config".into(),
        });
    };
    // The one capped reader: a FIFO or a device at this path must not hang the run.
    let text =
        crate::file::read_text(path, crate::file::CONFIG_MAX_BYTES).map_err(|e| Error::File {
            path: shown(path),
            message: e.to_string(),
        })?;
    // Only toml's first line: the rest quotes the file, which holds secrets.
    let mut file: toml::Table = toml::from_str(&text).map_err(|e| Error::File {
        path: shown(path),
        message: e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string(),
    })?;
    match file.remove(name) {
        Some(toml::Value::Table(table)) => Ok(table),
        _ => Err(Error::NoProfile {
            name: name.to_string(),
            path: shown(path),
            available: file
                .iter()
                .filter(|(_, v)| v.is_table())
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn profile_credentials(name: &str, table: &toml::Table, path: &str) -> Result<Credentials, Error> {
    let get = |key: &str| {
        table
            .get(key)
            .and_then(toml::Value::as_str)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
    };
    if let (Some(client_id), Some(secret)) = (get("client_id"), get("client_secret")) {
        return Ok(Credentials::ServiceAccount {
            client_id,
            client_secret: SecretString::new(secret),
        });
    }
    if let (Some(public_key), Some(private)) = (get("public_api_key"), get("private_api_key")) {
        return Ok(Credentials::ApiKey {
            public_key,
            private_key: SecretString::new(private),
        });
    }
    Err(Error::InKeyring {
        name: name.to_string(),
        path: path.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::atlas_cli_config_in;
    use std::collections::HashMap;
    use std::path::PathBuf;

    struct Env {
        vars: HashMap<&'static str, &'static str>,
        config: Option<PathBuf>,
    }

    impl Environment for Env {
        fn var_os(&self, name: &str) -> Option<std::ffi::OsString> {
            self.vars.get(name).map(std::ffi::OsString::from)
        }
        fn current_dir(&self) -> Option<PathBuf> {
            None
        }
        fn user_config_dir(&self) -> Option<PathBuf> {
            None
        }
        fn atlas_cli_config(&self) -> Option<PathBuf> {
            self.config.clone()
        }
    }

    fn env(vars: &[(&'static str, &'static str)]) -> Env {
        Env {
            vars: vars.iter().copied().collect(),
            config: None,
        }
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("https://cloud.mongodb.com").unwrap(),
            "https://cloud.mongodb.com/"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            check_base_url("http://[::1]:8080").unwrap(),
            "http://[::1]:8080/"
        );
        assert!(check_base_url("http://cloud.mongodb.com/").is_err());
        assert!(check_base_url("http://127.0.0.1.evil.test/").is_err());
        assert!(check_base_url("ftp://127.0.0.1/").is_err());
        assert!(check_base_url("https://u:p@cloud.mongodb.com/").is_err());
    }

    #[test]
    fn service_account_wins_over_api_keys() {
        let e = env(&[
            ("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s3cret"),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
            ("MONGODB_ATLAS_PROJECT_ID", "0123456789abcdef01234567"),
        ]);
        let s = resolve(&Flags::default(), &e).unwrap();
        assert!(matches!(
            s.credentials,
            Ok(Credentials::ServiceAccount { .. })
        ));
        assert_eq!(s.project_id.as_deref(), Some("0123456789abcdef01234567"));
        assert_eq!(s.egress, Egress::Auto);
        assert_eq!(s.base_url, DEFAULT_BASE_URL);
    }

    #[test]
    fn half_a_pair_and_nothing_are_named() {
        let s = resolve(
            &Flags::default(),
            &env(&[("MONGODB_ATLAS_PUBLIC_API_KEY", "pub")]),
        )
        .unwrap();
        assert_eq!(
            s.credentials.unwrap_err().to_string(),
            "MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not"
        );
        let s = resolve(&Flags::default(), &env(&[])).unwrap();
        assert_eq!(s.credentials.unwrap_err(), Error::Missing);
    }

    #[test]
    fn empty_variables_are_named_not_skipped() {
        let s = resolve(
            &Flags::default(),
            &env(&[
                ("MONGODB_ATLAS_CLIENT_ID", "id"),
                ("MONGODB_ATLAS_CLIENT_SECRET", " "),
                ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
                ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
            ]),
        )
        .unwrap();
        assert_eq!(
            s.credentials.unwrap_err().to_string(),
            "MONGODB_ATLAS_CLIENT_SECRET is set but empty"
        );
        let err =
            resolve(&Flags::default(), &env(&[("MONGODB_ATLAS_PROJECT_ID", "")])).unwrap_err();
        assert_eq!(err.0, "MONGODB_ATLAS_PROJECT_ID");
    }

    #[test]
    fn malformed_flags_are_config_errors() {
        let e = env(&[]);
        let bad_project = Flags {
            project: Some("5f../../x"),
            ..Flags::default()
        };
        assert!(resolve(&bad_project, &e).is_err());
        let bad_ip = Flags {
            egress_ip: Some("203.0.113"),
            ..Flags::default()
        };
        assert!(resolve(&bad_ip, &e).unwrap_err().0.contains("--egress-ip"));
        let bad_cluster = Flags {
            cluster: Some("a/b"),
            ..Flags::default()
        };
        assert!(resolve(&bad_cluster, &e).is_err());
        let ip = Flags {
            egress_ip: Some("2001:db8::7"),
            ..Flags::default()
        };
        assert_eq!(
            resolve(&ip, &e).unwrap().egress,
            Egress::Given("2001:db8::7".parse().unwrap())
        );
    }

    #[test]
    fn profiles_from_the_atlas_cli_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = atlas_cli_config_in(dir.path());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "[default]\n  public_api_key = \"pubkey\"\n  private_api_key = \"Pr1vate-Key\"\n  project_id = \"0123456789abcdef01234567\"\n\
             [keyring]\n  project_id = \"0123456789abcdef01234567\"\n  auth_type = \"api_keys\"\n",
        )
        .unwrap();
        let e = Env {
            vars: HashMap::new(),
            config: Some(path),
        };
        let s = resolve(
            &Flags {
                profile: Some("default"),
                ..Flags::default()
            },
            &e,
        )
        .unwrap();
        assert!(matches!(s.credentials, Ok(Credentials::ApiKey { .. })));
        assert_eq!(s.project_id.as_deref(), Some("0123456789abcdef01234567"));
        let s = resolve(
            &Flags {
                profile: Some("keyring"),
                ..Flags::default()
            },
            &e,
        )
        .unwrap();
        let err = s.credentials.unwrap_err();
        assert!(
            matches!(err, Error::InKeyring { .. }) && err.to_string().contains("OS keyring"),
            "{err}"
        );
        let s = resolve(
            &Flags {
                profile: Some("nope"),
                ..Flags::default()
            },
            &e,
        )
        .unwrap();
        assert!(
            s.credentials
                .unwrap_err()
                .to_string()
                .contains("profiles: default, keyring")
        );
    }
}
