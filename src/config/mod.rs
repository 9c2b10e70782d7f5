//! Flags + environment + TOML file -> `Settings`, resolved in one place:
//! "flag, else environment, else file, else default".

pub mod atlas;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::cli::{ColorChoice, Format, GlobalArgs, parse_resolver, timeout_from_secs};
use crate::environment::Environment;
use crate::model::secret::SecretString;

/// The default target when nothing else names one.
pub const DEFAULT_URI: &str = "mongodb://localhost:27017";
/// The default per-layer deadline.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The config file looked for in the current directory.
pub const LOCAL_CONFIG: &str = "atlas-doctor.toml";

/// Why the configuration could not be resolved. Each names the file, key or variable.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("config file {path}: {source}")]
    Read {
        path: String,
        source: crate::file::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: String, message: String },
    #[error("config file {path}: profile {name:?} not found (profiles: {available})")]
    UnknownProfile {
        path: String,
        name: String,
        available: String,
    },
    #[error(
        "--profile {name:?} given but no config file was found (looked for --config, ./{LOCAL_CONFIG}, the user config dir)"
    )]
    ProfileWithoutFile { name: String },
    #[error(
        "--all-profiles given but {where_} (looked for --config, ./{LOCAL_CONFIG}, the user config dir)"
    )]
    NoProfiles { where_: String },
    #[error("{key} names the variable {var}, which is not set")]
    MissingVariable { key: &'static str, var: String },
    /// Set but empty: a missing CI secret, a fork's pull request. Never a silent
    /// fall through to the next source.
    #[error("{what} is set but empty{consequence}")]
    EmptyVariable {
        what: String,
        consequence: &'static str,
    },
    #[error("{what} is set but is not valid UTF-8: re-export it as text")]
    NotUnicode { what: String },
    #[error(
        "{what} still holds Atlas's placeholder {placeholder}: replace the placeholder with {meaning}"
    )]
    Placeholder {
        what: String,
        placeholder: &'static str,
        meaning: &'static str,
    },
    #[error("{what}: {message}")]
    InvalidValue { what: String, message: String },
}

impl Error {
    /// A missing value rather than a malformed file.
    pub fn is_missing_value(&self) -> bool {
        matches!(
            self,
            Error::MissingVariable { .. }
                | Error::EmptyVariable { .. }
                | Error::Placeholder { .. }
                | Error::UnknownProfile { .. }
                | Error::ProfileWithoutFile { .. }
                | Error::NoProfiles { .. }
        )
    }
}

/// The keys a config file (or one of its profiles) may set.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FileSettings {
    /// A connection string written in the file (a security finding when it holds a password).
    pub uri: Option<String>,
    /// The variable that holds the connection string.
    pub uri_env: Option<String>,
    pub database: Option<String>,
    pub expected_collections: Option<Vec<String>>,
    pub timeout_secs: Option<f64>,
    pub crud_check: Option<bool>,
    pub username: Option<String>,
    /// The variable that holds the password for `username`.
    pub password_env: Option<String>,
    pub dns_server: Option<String>,
    pub dns_fallback: Option<String>,
    pub atlas: Option<bool>,
    /// Named sections that override the keys above (`[profiles.NAME]`); only at
    /// the top level. A plain field, not `#[serde(flatten)]`: flattening makes
    /// toml lose the position of every error.
    #[serde(default)]
    pub profiles: BTreeMap<String, FileSettings>,
}

/// The whole file: top-level settings plus named profiles that override them.
#[derive(Debug, Default)]
pub struct ConfigFile {
    pub base: FileSettings,
    pub profiles: BTreeMap<String, FileSettings>,
}

/// Where the target connection string came from (the report always says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env(String),
    ConfigFile(PathBuf),
    ConfigEnv { path: PathBuf, var: String },
    Default,
}

impl Source {
    /// `flag:--uri`, `env:MONGODB_URI`, `config:atlas-doctor.toml`, `default`.
    pub fn label(&self) -> String {
        match self {
            Source::Flag => "flag:--uri".to_string(),
            Source::Env(var) => format!("env:{var}"),
            Source::ConfigFile(path) => format!("config:{}", path.display()),
            Source::ConfigEnv { path, var } => format!("config:{} (env:{var})", path.display()),
            Source::Default => "default".to_string(),
        }
    }
}

/// Where a password came from, for the security checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    None,
    /// In a URI given with `--uri` (shell history, process list).
    CommandLine,
    /// In a URI or `password-env` variable from the environment.
    Env(String),
    /// Written in a config file.
    ConfigFile(PathBuf),
}

/// Something about how the target was chosen that the report says (the
/// command's glue turns it into a `uri` step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The step's name.
    pub name: &'static str,
    /// A warning (a conflict the user should resolve) rather than a fact.
    pub warn: bool,
    pub text: String,
}

/// The target: the raw connection string (a secret: it may hold a password) and its source.
#[derive(Debug, Clone)]
pub struct Target {
    pub uri: SecretString,
    /// `uri` parsed, once per run (ours and the driver's reading), or why the
    /// uri layer refuses it.
    pub parsed: Result<crate::uri::ConnectionString, crate::model::uri::Error>,
    pub source: Source,
    /// Which source outranked which, and whose user name wins.
    pub notes: Vec<Note>,
    /// `username` + `password-env` from the config, used when the URI has no credentials.
    pub username: Option<String>,
    pub password: Option<SecretString>,
    pub password_source: PasswordSource,
}

/// Everything a run needs, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub format: Format,
    pub color: bool,
    pub timeout: Duration,
    pub dns_server: Option<SocketAddr>,
    pub dns_fallback: Option<SocketAddr>,
    pub atlas: bool,
    pub quiet: bool,
    pub verbose: bool,
    pub target: Target,
    pub database: Option<String>,
    pub expected_collections: Vec<String>,
    pub crud_check: bool,
    /// The config file that was read, if any.
    pub config_path: Option<PathBuf>,
    /// `--atlas-api`: the Atlas Administration API cross-check; `None` when off.
    pub atlas_api: Option<crate::model::atlas::ApiSettings>,
}

/// How the `--uri` value arrived, which clap knows and the raw struct does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriOrigin {
    Flag,
    Env,
}

/// Resolves flags, environment and config file into `Settings`.
pub fn resolve(
    global: &GlobalArgs,
    uri_origin: UriOrigin,
    env: &dyn Environment,
) -> Result<Settings, Error> {
    resolve_profile(
        global,
        global.profile.first().map(String::as_str),
        uri_origin,
        env,
    )
}

/// The names of the config file's profiles (`watch --all-profiles`), in order;
/// an error when no config file is found or it has none.
pub fn profile_names(global: &GlobalArgs, env: &dyn Environment) -> Result<Vec<String>, Error> {
    let (path, file) = load_file(global.config.as_deref(), env)?;
    let Some(path) = path else {
        return Err(Error::NoProfiles {
            where_: "no config file was found".to_string(),
        });
    };
    if file.profiles.is_empty() {
        return Err(Error::NoProfiles {
            where_: format!(
                "config file {} has no [profiles.NAME] section",
                path.display()
            ),
        });
    }
    Ok(file.profiles.keys().cloned().collect())
}

/// Like [`resolve`], for the named profile instead of the first `--profile`
/// (`watch` resolves each of its targets this way).
pub fn resolve_profile(
    global: &GlobalArgs,
    profile: Option<&str>,
    uri_origin: UriOrigin,
    env: &dyn Environment,
) -> Result<Settings, Error> {
    let (config_path, file) = load_file(global.config.as_deref(), env)?;
    let file_settings = select_profile(&file, profile, config_path.as_deref())?;

    // Flag values were checked by clap (a usage error); the file's are checked here.
    let timeout = match (global.timeout, file_settings.timeout_secs) {
        (Some(secs), _) => timeout_from_secs(secs).map_err(|message| Error::InvalidValue {
            what: "--timeout".to_string(),
            message,
        })?,
        (None, Some(secs)) => timeout_from_secs(secs).map_err(|message| Error::InvalidValue {
            what: "timeout-secs".to_string(),
            message,
        })?,
        (None, None) => DEFAULT_TIMEOUT,
    };
    let dns_server = match global.dns_server {
        Some(addr) => Some(addr),
        None => file_resolver(file_settings.dns_server.as_deref(), "dns-server")?,
    };
    let dns_fallback = match global.dns_fallback {
        Some(addr) => Some(addr),
        None => file_resolver(file_settings.dns_fallback.as_deref(), "dns-fallback")?,
    };
    let target = resolve_target(
        global,
        profile,
        uri_origin,
        &file_settings,
        config_path.as_deref(),
        env,
    )?;

    let atlas_api = if global.atlas_api {
        let flags = atlas::Flags {
            project: global.atlas_project.as_deref(),
            cluster: global.atlas_cluster.as_deref(),
            profile: global.atlas_profile.as_deref(),
            egress_ip: global.egress_ip.as_deref(),
        };
        Some(
            atlas::resolve(&flags, env)
                .map_err(|(what, message)| Error::InvalidValue { what, message })?,
        )
    } else {
        None
    };

    Ok(Settings {
        format: global.format,
        color: decide_color(global.color, global.format, env),
        timeout,
        dns_server,
        dns_fallback,
        atlas: global.atlas || file_settings.atlas.unwrap_or(false),
        quiet: global.quiet,
        verbose: global.verbose,
        target,
        database: file_settings.database.clone(),
        expected_collections: file_settings
            .expected_collections
            .clone()
            .unwrap_or_default(),
        crud_check: file_settings.crud_check.unwrap_or(false),
        config_path,
        atlas_api,
    })
}

fn load_file(
    explicit: Option<&Path>,
    env: &dyn Environment,
) -> Result<(Option<PathBuf>, ConfigFile), Error> {
    let path = if let Some(path) = explicit {
        Some(path.to_path_buf())
    } else {
        let local = env
            .current_dir()
            .map(|d| d.join(LOCAL_CONFIG))
            .filter(|p| p.is_file());
        local.or_else(|| env.user_config_dir().filter(|p| p.is_file()))
    };
    let Some(path) = path else {
        return Ok((None, ConfigFile::default()));
    };
    let shown = display_path(&path, env);
    let text = crate::file::read_text(&path, crate::file::CONFIG_MAX_BYTES).map_err(|source| {
        Error::Read {
            path: shown.clone(),
            source,
        }
    })?;
    let file = parse_file(&text).map_err(|message| Error::Parse {
        path: shown.clone(),
        message,
    })?;
    Ok((Some(PathBuf::from(shown)), file))
}

/// Parses a config file's text; the message names the line and key.
pub fn parse_file(text: &str) -> Result<ConfigFile, String> {
    let mut base: FileSettings = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
    let profiles = std::mem::take(&mut base.profiles);
    if let Some(name) = profiles
        .iter()
        .find(|(_, p)| !p.profiles.is_empty())
        .map(|(n, _)| n)
    {
        return Err(format!(
            "profile {name:?}: profiles cannot contain profiles"
        ));
    }
    Ok(ConfigFile { base, profiles })
}

/// toml's error as one line: position, key, and the first sentence. The rest of
/// toml's message is a source excerpt that may hold a password, and a wrong-typed
/// value is quoted in the sentence itself, so that is redacted too.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let first = error
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim();
    let message = crate::redact::redact_text(first);
    let Some(span) = error.span() else {
        return message;
    };
    let line = line_of(text, span.start);
    // An unknown key is named by toml; a wrong type is not, but toml points at its line.
    match key_on_line(text, line).filter(|_| !message.starts_with("unknown field")) {
        Some(key) => format!("line {line}: key `{key}`: {message}"),
        None => format!("line {line}: {message}"),
    }
}

/// The key of a `key = value` line.
fn key_on_line(text: &str, line: usize) -> Option<&str> {
    let (key, _) = text.lines().nth(line.checked_sub(1)?)?.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then_some(key)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.matches('\n').count() + 1)
}

/// Paths under the current directory are shown relative, so reports carry no machine paths.
fn display_path(path: &Path, env: &dyn Environment) -> String {
    env.current_dir()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn select_profile(
    file: &ConfigFile,
    profile: Option<&str>,
    path: Option<&Path>,
) -> Result<FileSettings, Error> {
    let Some(name) = profile else {
        return Ok(file.base.clone());
    };
    if name.trim().is_empty() {
        return Err(Error::EmptyVariable {
            what: "--profile (or ATLAS_DOCTOR_PROFILE)".to_string(),
            consequence: ": name a [profiles.NAME] section, or leave it out",
        });
    }
    let Some(path) = path else {
        return Err(Error::ProfileWithoutFile {
            name: name.to_string(),
        });
    };
    let Some(overrides) = file.profiles.get(name) else {
        let available = if file.profiles.is_empty() {
            "none".to_string()
        } else {
            file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
        };
        return Err(Error::UnknownProfile {
            path: path.display().to_string(),
            name: name.to_string(),
            available,
        });
    };
    let base = &file.base;
    // A profile's uri/uri-env pair replaces the base's as a unit.
    let (uri, uri_env) = if overrides.uri.is_some() || overrides.uri_env.is_some() {
        (overrides.uri.clone(), overrides.uri_env.clone())
    } else {
        (base.uri.clone(), base.uri_env.clone())
    };
    Ok(FileSettings {
        uri,
        uri_env,
        database: overrides.database.clone().or_else(|| base.database.clone()),
        expected_collections: overrides
            .expected_collections
            .clone()
            .or_else(|| base.expected_collections.clone()),
        timeout_secs: overrides.timeout_secs.or(base.timeout_secs),
        crud_check: overrides.crud_check.or(base.crud_check),
        username: overrides.username.clone().or_else(|| base.username.clone()),
        password_env: overrides
            .password_env
            .clone()
            .or_else(|| base.password_env.clone()),
        dns_server: overrides
            .dns_server
            .clone()
            .or_else(|| base.dns_server.clone()),
        dns_fallback: overrides
            .dns_fallback
            .clone()
            .or_else(|| base.dns_fallback.clone()),
        atlas: overrides.atlas.or(base.atlas),
        profiles: BTreeMap::new(),
    })
}

/// A variable that holds a value we need: unset is `None`; set but empty (or
/// blank) and set to bytes that are not UTF-8 are errors naming it, never a
/// silent fall through to the next source. `what` names it in the message
/// (`MONGODB_URI`, `uri-env names STAGING_URI, which`).
fn read_var(
    env: &dyn Environment,
    var: &str,
    what: &str,
    consequence: &'static str,
) -> Result<Option<String>, Error> {
    let Some(raw) = env.var_os(var) else {
        return Ok(None);
    };
    let value = raw.into_string().map_err(|_| Error::NotUnicode {
        what: what.to_string(),
    })?;
    if value.trim().is_empty() {
        return Err(Error::EmptyVariable {
            what: what.to_string(),
            consequence,
        });
    }
    Ok(Some(value))
}

/// A variable read only for a yes/no decision (`NO_COLOR`, `TERM`): lenient.
fn flag_var(env: &dyn Environment, name: &str) -> Option<String> {
    env.var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// The target named by the config file (the selected profile, else the top
/// level): its `uri-env` variable, else its `uri`.
fn file_target(
    file: &FileSettings,
    path: Option<&Path>,
    env: &dyn Environment,
) -> Result<Option<(String, Source)>, Error> {
    let Some(path) = path else {
        return Ok(None);
    };
    if let Some(var) = &file.uri_env {
        let shown = shown_variable(var);
        let uri = read_var(
            env,
            var,
            &format!("uri-env names the variable {shown}, which"),
            ": it should hold the connection string",
        )?
        .ok_or(Error::MissingVariable {
            key: "uri-env",
            var: shown,
        })?;
        let source = Source::ConfigEnv {
            path: path.to_path_buf(),
            var: var.clone(),
        };
        return Ok(Some((uri, source)));
    }
    Ok(file
        .uri
        .as_ref()
        .map(|uri| (uri.clone(), Source::ConfigFile(path.to_path_buf()))))
}

/// The variable every driver's documentation tells users to set.
pub const MONGODB_URI: &str = "MONGODB_URI";

fn resolve_target(
    global: &GlobalArgs,
    profile: Option<&str>,
    uri_origin: UriOrigin,
    file: &FileSettings,
    path: Option<&Path>,
    env: &dyn Environment,
) -> Result<Target, Error> {
    let mut notes = Vec::new();
    let from_env = || {
        read_var(
            env,
            MONGODB_URI,
            MONGODB_URI,
            ": a missing secret? set it to the connection string, or unset it to use the config file",
        )
    };
    let (uri, source) = if let Some(uri) = global.uri.clone() {
        let source = match uri_origin {
            UriOrigin::Flag => Source::Flag,
            UriOrigin::Env => Source::Env("ATLAS_DOCTOR_URI".to_string()),
        };
        if uri.trim().is_empty() {
            let consequence = ": give the connection string, or leave it out to use MONGODB_URI or the config file";
            let what = match uri_origin {
                UriOrigin::Flag => "--uri",
                UriOrigin::Env => "ATLAS_DOCTOR_URI",
            };
            return Err(Error::EmptyVariable {
                what: what.to_string(),
                consequence,
            });
        }
        (uri, source)
    } else if let Some(profile) = profile
        && let Some((uri, source)) = file_target(file, path, env)?
    {
        // An explicit --profile is a choice made for this run; MONGODB_URI is
        // ambient (the README tells everyone to set it).
        let outranks = if env.var_os(MONGODB_URI).is_some() {
            format!("; it outranks {MONGODB_URI}, which is also set")
        } else {
            String::new()
        };
        notes.push(Note {
            name: "target",
            warn: false,
            text: format!("--profile {profile} selects {}{outranks}", source.label()),
        });
        (uri, source)
    } else if let Some(uri) = from_env()? {
        (uri, Source::Env(MONGODB_URI.to_string()))
    } else if let Some(found) = file_target(file, path, env)? {
        found
    } else {
        (DEFAULT_URI.to_string(), Source::Default)
    };
    check_placeholders(&uri, &format!("the connection string ({})", source.label()))?;

    // The one parse of the run: the uri layer, the driver's client and the
    // report's target all read this (issue 19).
    let parsed = crate::uri::ConnectionString::parse(&uri);
    let uri_user = parsed.as_ref().ok().and_then(|cs| cs.username.clone());
    let uri_has_password = parsed.as_ref().is_ok_and(|cs| cs.password.is_some());
    if let Some(user) = &file.username {
        check_placeholders(user, "the config's username")?;
    }
    // Credentials in the URI are used as a whole; the config's `username` and
    // `password-env` only fill in a URI without a user (`probe::auth`).
    let (password, from_env) = match (&file.password_env, &uri_user) {
        (Some(var), None) => {
            let shown = shown_variable(var);
            let value = read_var(
                env,
                var,
                &format!("password-env names the variable {shown}, which"),
                ": no password was given, so nothing was sent; set it to the database user's password",
            )?
            .ok_or_else(|| Error::MissingVariable {
                key: "password-env",
                var: shown.clone(),
            })?;
            check_placeholders(
                &value,
                &format!("the variable {shown} named by password-env"),
            )?;
            (Some(SecretString::new(value)), Some(var.clone()))
        }
        _ => (None, None),
    };
    if let (Some(uri_user), Some(file_user)) = (&uri_user, &file.username)
        && uri_user != file_user
    {
        notes.push(Note {
            name: "credentials",
            warn: true,
            text: format!(
                "the connection string names user {uri_user:?} and the config's username names {file_user:?}: the connection string's user wins (credentials in the URI are used as a whole; username and password-env only fill in a URI without a user)"
            ),
        });
    }
    let password_source = if uri_has_password {
        match &source {
            Source::Flag => PasswordSource::CommandLine,
            Source::Env(var) | Source::ConfigEnv { var, .. } => PasswordSource::Env(var.clone()),
            Source::ConfigFile(path) => PasswordSource::ConfigFile(path.clone()),
            Source::Default => PasswordSource::None,
        }
    } else if let Some(var) = from_env {
        PasswordSource::Env(var)
    } else {
        PasswordSource::None
    };
    Ok(Target {
        uri: SecretString::new(uri),
        parsed,
        source,
        notes,
        username: file.username.clone(),
        password,
        password_source,
    })
}

/// Atlas's copy-paste placeholders, refused before any network traffic: sent
/// as they are, they fail as an ordinary bad password.
fn check_placeholders(text: &str, what: &str) -> Result<(), Error> {
    match crate::uri::atlas_placeholder(text) {
        Some((placeholder, meaning)) => Err(Error::Placeholder {
            what: what.to_string(),
            placeholder,
            meaning,
        }),
        None => Ok(()),
    }
}

/// The variable name as written, if it looks like a conventional one
/// (`APP_DB_PASSWORD`): anything else (`mongodb://...`, `Tr0ub4dor&3`, a
/// password pasted in by mistake) is never echoed.
fn shown_variable(var: &str) -> String {
    let looks_like_name = !var.is_empty()
        && !var.starts_with(|c: char| c.is_ascii_digit())
        && var
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if looks_like_name {
        var.to_string()
    } else {
        "(not shown: not a variable name in UPPER_CASE; did you write the secret itself?)"
            .to_string()
    }
}

/// A resolver address written in the config file (the flags are parsed by clap).
fn file_resolver(raw: Option<&str>, key: &str) -> Result<Option<SocketAddr>, Error> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    parse_resolver(raw)
        .map(Some)
        .map_err(|message| Error::InvalidValue {
            what: format!("{key} {raw:?}"),
            message,
        })
}

fn decide_color(choice: ColorChoice, format: Format, env: &dyn Environment) -> bool {
    if format != Format::Human {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = flag_var(env, "NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = flag_var(env, "TERM").is_some_and(|t| t == "dumb");
            !no_color && !dumb && std::io::stdout().is_terminal()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;
    use std::collections::HashMap;

    struct FakeEnv {
        vars: HashMap<String, std::ffi::OsString>,
        dir: PathBuf,
    }

    impl Environment for FakeEnv {
        fn var_os(&self, name: &str) -> Option<std::ffi::OsString> {
            self.vars.get(name).cloned()
        }
        fn current_dir(&self) -> Option<PathBuf> {
            Some(self.dir.clone())
        }
        fn user_config_dir(&self) -> Option<PathBuf> {
            None
        }
    }

    fn env(vars: &[(&str, &str)], dir: &Path) -> FakeEnv {
        FakeEnv {
            vars: vars
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).into()))
                .collect(),
            dir: dir.to_path_buf(),
        }
    }

    fn resolve_args(args: &[&str], env: &FakeEnv) -> Result<Settings, Error> {
        let mut argv = vec!["atlas-doctor"];
        argv.extend_from_slice(args);
        argv.push("ping");
        let cli = Cli::try_parse_from(argv).unwrap();
        resolve(&cli.global, UriOrigin::Flag, env)
    }

    #[test]
    fn precedence_flag_env_file_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LOCAL_CONFIG),
            "uri = \"mongodb://file-host/\"\n",
        )
        .unwrap();
        let e = env(&[("MONGODB_URI", "mongodb://env-host/")], dir.path());
        let s = resolve_args(&["--uri", "mongodb://flag-host/"], &e).unwrap();
        assert_eq!(
            (s.target.uri.expose(), s.target.source.label()),
            ("mongodb://flag-host/", "flag:--uri".into())
        );
        let s = resolve_args(&[], &e).unwrap();
        assert_eq!(s.target.source.label(), "env:MONGODB_URI");
        let s = resolve_args(&[], &env(&[], dir.path())).unwrap();
        assert_eq!(s.target.source.label(), "config:atlas-doctor.toml");
        let empty = tempfile::tempdir().unwrap();
        let s = resolve_args(&[], &env(&[], empty.path())).unwrap();
        assert_eq!(
            (s.target.uri.expose(), s.target.source),
            (DEFAULT_URI, Source::Default)
        );
    }

    #[test]
    fn uri_env_and_profiles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "uri-env = \"APP_URI\"\ntimeout-secs = 7\n[profiles.staging]\nuri-env = \"STAGING_URI\"\ndatabase = \"stage\"\n",
        )
        .unwrap();
        let p = path.to_str().unwrap();
        let e = env(
            &[
                ("APP_URI", "mongodb://app/"),
                ("STAGING_URI", "mongodb://stage/"),
            ],
            dir.path(),
        );
        let s = resolve_args(&["--config", p], &e).unwrap();
        assert_eq!(s.target.uri.expose(), "mongodb://app/");
        assert_eq!(s.timeout, Duration::from_secs(7));
        let s = resolve_args(&["--config", p, "--profile", "staging"], &e).unwrap();
        assert_eq!(s.target.uri.expose(), "mongodb://stage/");
        assert_eq!(s.target.source.label(), "config:c.toml (env:STAGING_URI)");
        assert_eq!(s.database.as_deref(), Some("stage"));
        let err = resolve_args(&["--config", p, "--profile", "prod"], &e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config file c.toml: profile \"prod\" not found (profiles: staging)"
        );
        let err = resolve_args(&["--config", p], &env(&[], dir.path())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "uri-env names the variable APP_URI, which is not set"
        );
    }

    #[test]
    fn unknown_key_and_wrong_type_name_the_key_and_line() {
        let err = parse_file("database = \"app\"\nuri-evn = \"X\"\n").unwrap_err();
        assert!(err.starts_with("line 2: unknown field `uri-evn`"), "{err}");
        let err = parse_file("timeout-secs = \"ten\"\n").unwrap_err();
        assert!(
            err.starts_with("line 1: key `timeout-secs`: invalid type"),
            "{err}"
        );
        let err = parse_file("database = \"a\"\n\ncrud-check = \"yes\"\n").unwrap_err();
        assert!(
            err.starts_with("line 3: key `crud-check`: invalid type"),
            "{err}"
        );
        let err = parse_file(
            "database = \"mongodb://u:Secr3tPw@h/\"\ntimeout-secs = \"mongodb://u:Secr3tPw@h/\"\n",
        )
        .unwrap_err();
        assert!(!err.contains("Secr3tPw"), "{err}");
        let err = parse_file("database = \"a\"\n[profiles.x]\ndatabase = \"b\"\ncrud-check = 3\n")
            .unwrap_err();
        assert!(
            err.starts_with("line 4: key `crud-check`: invalid type"),
            "{err}"
        );
        let err = parse_file("[profiles.x]\nbogus = 1\n").unwrap_err();
        assert!(err.starts_with("line 2: unknown field `bogus`"), "{err}");
        let err = parse_file("[profiles.x.profiles.y]\ndatabase = \"b\"\n").unwrap_err();
        assert_eq!(err, "profile \"x\": profiles cannot contain profiles");
        assert!(parse_file("").is_ok());
    }

    #[test]
    fn the_shipped_example_config_parses() {
        let file = parse_file(include_str!("../../examples/atlas-doctor.toml")).unwrap();
        assert_eq!(file.base.uri_env.as_deref(), Some("MONGODB_URI"));
        assert!(file.profiles.contains_key("staging"));
    }

    #[test]
    fn a_parse_error_never_echoes_the_file() {
        let err = parse_file("uri = \"mongodb://u:Secr3tPw@h/\"\nbad line\n").unwrap_err();
        assert!(!err.contains("Secr3tPw"), "{err}");
    }

    #[test]
    fn directory_and_missing_file_are_read_errors() {
        let dir = tempfile::tempdir().unwrap();
        let e = env(&[], dir.path());
        let err = resolve_args(&["--config", dir.path().to_str().unwrap()], &e).unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
        let missing = dir.path().join("nope.toml");
        let err = resolve_args(&["--config", missing.to_str().unwrap()], &e).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err}");
    }

    #[test]
    fn password_sources() {
        let dir = tempfile::tempdir().unwrap();
        let e = env(&[("MONGODB_URI", "mongodb://u:p@h/")], dir.path());
        assert_eq!(
            resolve_args(&[], &e).unwrap().target.password_source,
            PasswordSource::Env("MONGODB_URI".into())
        );
        let s = resolve_args(&["--uri", "mongodb://u:p@h/"], &e).unwrap();
        assert_eq!(s.target.password_source, PasswordSource::CommandLine);
        std::fs::write(
            dir.path().join(LOCAL_CONFIG),
            "username = \"app\"\npassword-env = \"APP_PW\"\n",
        )
        .unwrap();
        let e = env(&[("APP_PW", "pw")], dir.path());
        let s = resolve_args(&[], &e).unwrap();
        assert_eq!(
            s.target.password_source,
            PasswordSource::Env("APP_PW".into())
        );
        assert_eq!(s.target.password.unwrap().expose(), "pw");
    }

    /// Issue 11 item 4: the placeholder in a password variable, and 15 item 14:
    /// a variable that is not UTF-8.
    #[test]
    fn r11_placeholders_and_non_utf8_in_variables() {
        use std::os::unix::ffi::OsStringExt as _;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LOCAL_CONFIG),
            "username = \"app\"\npassword-env = \"APP_PW\"\n",
        )
        .unwrap();
        let err = resolve_args(&[], &env(&[("APP_PW", "<db_password>")], dir.path())).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Placeholder {
                    placeholder: "<db_password>",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("APP_PW"), "{err}");

        let mut raw = env(&[], dir.path());
        raw.vars.insert(
            "MONGODB_URI".to_string(),
            std::ffi::OsString::from_vec(b"mongodb://h/\xff".to_vec()),
        );
        let cli = Cli::try_parse_from(["atlas-doctor", "ping"]).unwrap();
        let err = resolve(&cli.global, UriOrigin::Flag, &raw).unwrap_err();
        assert_eq!(
            err.to_string(),
            "MONGODB_URI is set but is not valid UTF-8: re-export it as text"
        );
    }

    #[test]
    fn resolver_addresses_and_timeouts() {
        assert_eq!(
            parse_resolver("1.1.1.1").unwrap(),
            "1.1.1.1:53".parse().unwrap()
        );
        assert_eq!(
            parse_resolver("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(
            parse_resolver("[::1]:53").unwrap(),
            "[::1]:53".parse().unwrap()
        );
        assert!(parse_resolver("dns.google").is_err());
        assert!(timeout_from_secs(0.0).is_err());
        assert!(timeout_from_secs(f64::NAN).is_err());
        assert_eq!(timeout_from_secs(0.5).unwrap(), Duration::from_millis(500));
    }
}
