//! The auth layer: authenticates with the MongoDB driver against the hosts the
//! connectivity layers found healthy (the driver never redoes SRV or DNS work we
//! already did, possibly through `--dns-server`), then asks `connectionStatus`
//! who the server thinks we are. The driver's errors are classified here, in one
//! place (`classify`), and every text kept from them is redacted.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::str::FromStr as _;
use std::time::Duration;

use mongodb::Client;
use mongodb::bson::{Bson, Document, doc};
use mongodb::error::{Error as DriverError, ErrorKind};
use mongodb::options::{
    AuthMechanism, ClientOptions, Credential, ReadPreference, SelectionCriteria, ServerAddress, Tls,
};
use tokio::time::Instant;

use super::{Connectivity, HealthyHost, Layer, Status, Step};
use crate::uri::{self, ConnectionString, SecretString};

/// Characters a password must percent-encode inside a connection string.
const NEEDS_ENCODING: &[char] = &['@', ':', '/', '?', '#', '[', ']', '%'];

/// Credentials given apart from the URI (config `username` + `password-env`),
/// used only when the URI carries none.
#[derive(Debug, Clone, Default)]
pub struct Login {
    pub username: Option<String>,
    pub password: Option<SecretString>,
}

/// What `authenticate` needs.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub cs: &'a ConnectionString,
    pub connectivity: &'a Connectivity,
    pub login: &'a Login,
    /// The layer's deadline: option building, the driver's server selection and
    /// connection, authentication and `connectionStatus` all end by then.
    pub deadline: Instant,
    /// Add the steps of the SCRAM conversation that can be observed.
    pub verbose: bool,
}

/// Who the server says we are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthInfo {
    /// `None` when no credentials were given and the server let us in anyway.
    pub user: Option<String>,
    /// The database the user is defined in.
    pub db: Option<String>,
    pub roles: Vec<Role>,
    pub privileges: Vec<Privilege>,
    /// The mechanism asked for, or the one the driver negotiated.
    pub mechanism: Option<String>,
}

/// A role granted to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub role: String,
    pub db: String,
}

/// One privilege: a resource (`db.collection`, `db.*`, `cluster`, ...) and its actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privilege {
    pub resource: String,
    pub actions: Vec<String>,
}

/// Why authentication did not succeed. Messages never carry the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The server refused the credentials (code 18, Atlas 8000, or only the driver's text).
    #[error("the server rejected the credentials of {user:?} (auth db {auth_db:?}): {message}")]
    Rejected {
        user: String,
        auth_db: String,
        mechanism: String,
        code: Option<i32>,
        code_name: Option<String>,
        message: String,
        /// The database of the URI path, when no authSource was given and it is not admin.
        suspect_auth_source: Option<String>,
        /// Characters of the password that need percent-encoding in a URI, with their encoding.
        encoded_chars: Vec<(char, String)>,
    },
    /// The mechanism asked for is not one the server offers for this user.
    #[error("mechanism {asked} is not offered (server offers: {offered:?}): {message}")]
    MechanismUnsupported {
        asked: String,
        offered: Vec<String>,
        message: String,
    },
    /// This build of atlas-doctor cannot try the mechanism (MONGODB-AWS, GSSAPI).
    #[error("{mechanism} cannot be tried by this build: {reason}")]
    MechanismNotBuilt { mechanism: String, reason: String },
    /// No credentials, and the server requires them (code 13 on the first command).
    #[error("{message}")]
    AuthRequired { command: String, message: String },
    /// The credentials settings cannot be used (X.509 without a key file, unknown mechanism).
    #[error("{reason}")]
    Config { reason: String },
    /// A user name with no password for a mechanism that needs one; nothing was sent.
    #[error("no password was given for user {user:?}; nothing was sent to the server")]
    NoPassword { user: String },
    /// The driver refused the password before sending it (SCRAM-SHA-256 SASLprep).
    #[error("SCRAM-SHA-256 cannot use this password (SASLprep refused it); nothing was sent")]
    PasswordUnusable { user: String },
    /// The driver could not use the deployment at all (selection timeout, I/O).
    #[error("{message}")]
    Driver { message: String },
    /// The server answered the handshake but not this command before the layer's deadline.
    #[error("no answer to {command} within the auth layer's deadline ({}s)", .after.as_secs_f64())]
    Silent { command: String, after: Duration },
}

/// The auth layer's result: its steps and who we are. (`authenticate` hands the
/// authenticated client back beside it, for the later layers to reuse.)
#[derive(Debug, Clone)]
pub struct AuthOutcome {
    pub steps: Vec<Step>,
    pub result: Result<AuthInfo, Failure>,
}

/// The credentials the run will use, resolved from the URI or the config.
struct Creds {
    user: Option<String>,
    password: Option<SecretString>,
    mechanism: Option<String>,
    auth_db: String,
    suspect_auth_source: Option<String>,
}

fn resolve_creds(cs: &ConnectionString, txt: &[(String, String)], login: &Login) -> Creds {
    let (user, password) = if cs.username.is_some() {
        (cs.username.clone(), cs.password.clone())
    } else {
        (login.username.clone(), login.password.clone())
    };
    let mechanism = cs.option("authMechanism").map(str::to_ascii_uppercase);
    let auth_source = cs.option("authSource").map(str::to_string).or_else(|| {
        txt.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authSource"))
            .map(|(_, v)| v.clone())
    });
    // The mechanisms that bring their own proof authenticate against $external.
    let external = !needs_password(mechanism.as_deref());
    let path_db = cs.database.clone().filter(|db| !db.is_empty());
    let auth_db = auth_source.clone().unwrap_or_else(|| {
        if external {
            "$external".to_string()
        } else {
            path_db.clone().unwrap_or_else(|| "admin".to_string())
        }
    });
    let suspect_auth_source = (user.is_some() && auth_source.is_none() && !external)
        .then(|| path_db.filter(|db| db != "admin"))
        .flatten();
    Creds {
        user,
        password,
        mechanism,
        auth_db,
        suspect_auth_source,
    }
}

/// Whether a mechanism (negotiated when `None`) authenticates with a password:
/// SCRAM and PLAIN do; X.509, AWS, Kerberos and OIDC bring their own proof.
fn needs_password(mechanism: Option<&str>) -> bool {
    !matches!(
        mechanism,
        Some("MONGODB-X509" | "MONGODB-AWS" | "GSSAPI" | "MONGODB-OIDC")
    )
}

/// Authenticates and runs `connectionStatus {showPrivileges: true}`, all by
/// the request's deadline. Returns the client too, for the later layers.
pub async fn authenticate(req: &Request<'_>) -> (AuthOutcome, Option<Client>) {
    let mut steps = Vec::new();
    let creds = resolve_creds(req.cs, &req.connectivity.txt_options, req.login);
    let fail = |steps, failure| {
        (
            AuthOutcome {
                steps,
                result: Err(failure),
            },
            None,
        )
    };

    if let Some(user) = &creds.user
        && creds.password.is_none()
        && needs_password(creds.mechanism.as_deref())
    {
        let failure = Failure::NoPassword { user: user.clone() };
        steps.push(Step::new(
            Layer::Auth,
            format!("authenticate {user}@{}", creds.auth_db),
            Status::Fail,
            failure.to_string(),
        ));
        return fail(steps, failure);
    }

    if let Some(mechanism @ ("MONGODB-AWS" | "GSSAPI")) = creds.mechanism.as_deref() {
        let failure = Failure::MechanismNotBuilt {
            mechanism: mechanism.to_string(),
            reason: format!(
                "{mechanism} cannot be tried by this build: the driver's {} feature is not compiled in",
                if mechanism == "GSSAPI" {
                    "gssapi-auth"
                } else {
                    "aws-auth"
                }
            ),
        };
        steps.push(Step::new(
            Layer::Auth,
            format!("mechanism {mechanism}"),
            Status::Skip,
            failure.to_string(),
        ));
        return fail(steps, failure);
    }

    let options = match client_options(req, &creds, &mut steps).await {
        Ok(options) => options,
        Err(failure) => {
            steps.push(Step::new(
                Layer::Auth,
                "client options",
                Status::Fail,
                failure.to_string(),
            ));
            return fail(steps, failure);
        }
    };

    // What the server offers this user, over our own connection: the driver
    // negotiates silently, and a mechanism it does not offer needs naming.
    let offered = if creds.user.is_some() && creds.mechanism.as_deref() != Some("MONGODB-X509") {
        offered_mechanisms(req, &creds, &mut steps)
    } else {
        None
    };
    let mechanism = creds.mechanism.clone().or_else(|| {
        creds.user.as_ref().map(|_| {
            let sha256 = offered
                .as_ref()
                .is_some_and(|m| m.iter().any(|m| m == "SCRAM-SHA-256"));
            if sha256 {
                "SCRAM-SHA-256"
            } else {
                "SCRAM-SHA-1"
            }
            .to_string()
        })
    });
    if req.verbose
        && let Some(mechanism) = &mechanism
    {
        let how = if creds.mechanism.is_some() {
            "asked for by authMechanism"
        } else {
            "negotiated from saslSupportedMechs"
        };
        steps.push(Step::new(
            Layer::Auth,
            "mechanism",
            Status::Pass,
            format!("{mechanism} ({how}), auth db {}", creds.auth_db),
        ));
    }

    let start = Instant::now();
    let client = match Client::with_options(options) {
        Ok(client) => client,
        Err(error) => {
            let failure = Failure::Config {
                reason: driver_text(&error, creds.password.as_ref()),
            };
            steps.push(Step::new(
                Layer::Auth,
                "client",
                Status::Fail,
                failure.to_string(),
            ));
            return fail(steps, failure);
        }
    };
    let status = bounded(
        req.deadline + crate::pipeline::GRACE,
        "connectionStatus",
        client
            .database(&creds.auth_db)
            .run_command(doc! { "connectionStatus": 1, "showPrivileges": true })
            .selection_criteria(any_member()),
    )
    .await;
    let took = start.elapsed();
    let status = match status {
        Ok(status) => status,
        Err(error) => {
            let failure = error.into_failure(|error| {
                classify(error, &creds, mechanism.as_deref(), offered.as_deref())
            });
            if req.verbose && matches!(failure, Failure::Rejected { .. }) {
                steps.push(
                    Step::new(
                        Layer::Auth,
                        "SASL conversation (saslStart/saslContinue)",
                        Status::Fail,
                        "the server ended the conversation with an error (its reply, not ours, is below)",
                    )
                    .took(took),
                );
            }
            let name = match &creds.user {
                Some(user) => format!("authenticate {user}@{}", creds.auth_db),
                None => "connectionStatus".to_string(),
            };
            steps.push(Step::new(Layer::Auth, name, Status::Fail, failure.to_string()).took(took));
            return fail(steps, failure);
        }
    };
    if req.verbose && creds.user.is_some() {
        steps.push(Step::new(
            Layer::Auth,
            "SASL conversation (saslStart/saslContinue)",
            Status::Pass,
            "completed; the server's proof was verified by the driver",
        ));
    }
    let mut info = parse_connection_status(&status);
    info.mechanism.clone_from(&mechanism);

    if info.user.is_none() {
        // No credentials: does the server let an unauthenticated client do anything?
        let start = Instant::now();
        let probe = bounded(
            req.deadline + crate::pipeline::GRACE,
            "listDatabases",
            client
                .database("admin")
                .run_command(doc! { "listDatabases": 1, "nameOnly": true })
                .selection_criteria(any_member()),
        )
        .await;
        match probe {
            Ok(_) => steps.push(
                Step::new(
                    Layer::Auth,
                    "connectionStatus",
                    Status::Warn,
                    "no credentials given, and the server does not require authentication",
                )
                .took(took + start.elapsed()),
            ),
            Err(error) => {
                let failure = error.into_failure(|error| match server_error(error) {
                    Some((13, _, message)) => Failure::AuthRequired {
                        command: "listDatabases".into(),
                        message: scrub(&message, None),
                    },
                    _ => classify(error, &creds, None, None),
                });
                steps.push(
                    Step::new(
                        Layer::Auth,
                        "unauthenticated listDatabases",
                        Status::Fail,
                        failure.to_string(),
                    )
                    .took(start.elapsed()),
                );
                return (
                    AuthOutcome {
                        steps,
                        result: Err(failure),
                    },
                    Some(client),
                );
            }
        }
    } else {
        steps.push(
            Step::new(
                Layer::Auth,
                format!(
                    "authenticate {}@{}",
                    info.user.as_deref().unwrap_or_default(),
                    info.db.as_deref().unwrap_or(&creds.auth_db)
                ),
                Status::Pass,
                describe(&info),
            )
            .took(took),
        );
    }
    (
        AuthOutcome {
            steps,
            result: Ok(info),
        },
        Some(client),
    )
}

/// A driver command that ran out of the layer's time, or the driver's own error.
enum Bounded {
    Driver(DriverError),
    Silent {
        command: &'static str,
        after: Duration,
    },
}

impl Bounded {
    fn into_failure(self, classify: impl FnOnce(&DriverError) -> Failure) -> Failure {
        match self {
            Bounded::Driver(error) => classify(&error),
            Bounded::Silent { command, after } => Failure::Silent {
                command: command.to_string(),
                after,
            },
        }
    }
}

/// A driver command bounded by the layer's deadline: the driver bounds server
/// selection and connecting, but not a command a server never answers.
async fn bounded<T>(
    deadline: Instant,
    command: &'static str,
    fut: impl std::future::IntoFuture<Output = Result<T, DriverError>>,
) -> Result<T, Bounded> {
    let started = Instant::now();
    match tokio::time::timeout_at(deadline, fut.into_future()).await {
        Ok(result) => result.map_err(Bounded::Driver),
        Err(_) => Err(Bounded::Silent {
            command,
            after: started.elapsed(),
        }),
    }
}

/// Reads from any member: the auth layer asks who we are, not for data.
fn any_member() -> SelectionCriteria {
    SelectionCriteria::ReadPreference(ReadPreference::PrimaryPreferred { options: None })
}

/// One line: mechanism, roles.
pub fn describe(info: &AuthInfo) -> String {
    let roles = if info.roles.is_empty() {
        "no roles".to_string()
    } else {
        info.roles
            .iter()
            .map(|r| format!("{}@{}", r.role, r.db))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    if let Some(m) = &info.mechanism {
        let _ = write!(out, "{m}; ");
    }
    let _ = write!(
        out,
        "roles: {roles}; {}",
        crate::words::count(info.privileges.len(), "privilege")
    );
    out
}

/// The driver's options, built from what the earlier layers found.
async fn client_options(
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

    options.tls = Some(match (&req.connectivity.roots, cs.tls_enabled()) {
        (Some(roots), true) => {
            Tls::Enabled(roots.driver_tls(cs).await.map_err(|e| Failure::Driver {
                message: e.to_string(),
            })?)
        }
        (None, true) => {
            return Err(Failure::Driver {
                message: "TLS is on but the trust roots were not built".into(),
            });
        }
        (_, false) => Tls::Disabled,
    });

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
        if cs.certificate_key_file().is_none() {
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

/// `db.user` for the handshake's `saslSupportedMechs`, when a user is given and
/// the mechanism is (or may be) SCRAM: the auth database as `authenticate` uses it.
pub fn sasl_user(cs: &ConnectionString, txt: &[(String, String)], login: &Login) -> Option<String> {
    let creds = resolve_creds(cs, txt, login);
    let scram = creds
        .mechanism
        .as_deref()
        .is_none_or(|m| m.starts_with("SCRAM-"));
    let user = creds.user.filter(|_| scram)?;
    Some(format!("{}.{user}", creds.auth_db))
}

/// The mechanisms the server offers this user, as its handshake answered
/// `saslSupportedMechs` (the connectivity layer asked).
fn offered_mechanisms(
    req: &Request<'_>,
    creds: &Creds,
    steps: &mut Vec<Step>,
) -> Option<Vec<String>> {
    let host = req.connectivity.healthy.first()?;
    let user = creds.user.as_deref()?;
    let offered = host.hello.sasl_mechanisms.clone();
    if req.verbose {
        let detail = if offered.is_empty() {
            "the server lists none for this user (an unknown user, or a server that does not say)"
                .to_string()
        } else {
            offered.join(", ")
        };
        let name = format!("saslSupportedMechs {}.{user}", creds.auth_db);
        steps.push(Step::new(Layer::Auth, name, Status::Pass, detail).on(&host.address));
    }
    Some(offered)
}

fn parse_connection_status(status: &Document) -> AuthInfo {
    let info = status.get_document("authInfo").ok();
    let first_user = info
        .and_then(|i| i.get_array("authenticatedUsers").ok())
        .and_then(|users| users.iter().find_map(Bson::as_document));
    let roles = info
        .and_then(|i| i.get_array("authenticatedUserRoles").ok())
        .map(|roles| {
            roles
                .iter()
                .filter_map(Bson::as_document)
                .map(|r| Role {
                    role: r.get_str("role").unwrap_or_default().to_string(),
                    db: r.get_str("db").unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let privileges = info
        .and_then(|i| i.get_array("authenticatedUserPrivileges").ok())
        .map(|privileges| {
            privileges
                .iter()
                .filter_map(Bson::as_document)
                .map(|p| Privilege {
                    resource: p
                        .get_document("resource")
                        .map(resource_name)
                        .unwrap_or_default(),
                    actions: p
                        .get_array("actions")
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    AuthInfo {
        user: first_user.and_then(|u| u.get_str("user").ok().map(str::to_string)),
        db: first_user.and_then(|u| u.get_str("db").ok().map(str::to_string)),
        roles,
        privileges,
        mechanism: None,
    }
}

/// `{db: "probe", collection: ""}` -> `probe.*`; `{cluster: true}` -> `cluster`.
fn resource_name(resource: &Document) -> String {
    if resource.get_bool("cluster").unwrap_or(false) {
        return "cluster".into();
    }
    if resource.get_bool("anyResource").unwrap_or(false) {
        return "anyResource".into();
    }
    let db = resource.get_str("db").unwrap_or_default();
    let coll = resource.get_str("collection").unwrap_or_default();
    let db = if db.is_empty() { "*" } else { db };
    let coll = if coll.is_empty() { "*" } else { coll };
    format!("{db}.{coll}")
}

/// The server's own error (code, name, message), wherever the driver put it: the
/// error itself, or down its `source()` chain (where SecantusDB's code 18 sits).
pub fn server_error(error: &DriverError) -> Option<(i32, String, String)> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(driver) = e.downcast_ref::<DriverError>()
            && let ErrorKind::Command(command) = driver.kind.as_ref()
        {
            return Some((
                command.code,
                command.code_name.clone(),
                command.message.clone(),
            ));
        }
        current = e.source();
    }
    None
}

/// The server code a driver message implies, where the driver gives only text.
/// How drivers word it is `wording`'s knowledge (one place, tested there).
pub fn code_from_text(text: &str) -> Option<i32> {
    crate::wording::server_code(text)
}

/// The driver error as one redacted line: its kind, and the server's own message.
pub fn driver_text(error: &DriverError, password: Option<&SecretString>) -> String {
    let mut text = error.kind.to_string();
    if let Some((code, name, message)) = server_error(error)
        && !text.contains(&message)
    {
        let _ = write!(text, " (server: {message}, code {code} {name})");
    }
    scrub(&text, password)
}

/// Redacts URIs and `password=` fragments, and the password itself should the
/// driver ever echo it.
pub fn scrub(text: &str, password: Option<&SecretString>) -> String {
    let out = crate::redact::redact_text(text);
    match password {
        Some(password) => crate::redact::redact_secret(&out, password.expose()),
        None => out,
    }
}

/// The password's characters that a URI must percent-encode, each with its encoding.
fn encoded_chars(password: Option<&SecretString>) -> Vec<(char, String)> {
    let mut out: Vec<(char, String)> = Vec::new();
    for c in password
        .map(SecretString::expose)
        .unwrap_or_default()
        .chars()
    {
        if NEEDS_ENCODING.contains(&c) && !out.iter().any(|(seen, _)| *seen == c) {
            out.push((c, uri::percent_encode_char(c)));
        }
    }
    out
}

/// Classifies a driver error from authentication or `connectionStatus`.
fn classify(
    error: &DriverError,
    creds: &Creds,
    mechanism: Option<&str>,
    offered: Option<&[String]>,
) -> Failure {
    let message = driver_text(error, creds.password.as_ref());
    let server = server_error(error);
    let code = server
        .as_ref()
        .map(|(code, _, _)| *code)
        .or_else(|| code_from_text(&message));
    let is_auth = matches!(error.kind.as_ref(), ErrorKind::Authentication { .. });
    let mechanism_name = mechanism.unwrap_or("default").to_string();
    let not_offered = match (mechanism, offered) {
        (Some(m), Some(list)) if !list.is_empty() => !list.iter().any(|o| o == m),
        _ => false,
    };
    // The driver's SASLprep refusal is typed only as an authentication error
    // with text; it happens before anything is sent.
    if is_auth && crate::wording::is_saslprep_refusal(&message) {
        return Failure::PasswordUnusable {
            user: creds.user.clone().unwrap_or_default(),
        };
    }
    match code {
        Some(334) => Failure::MechanismUnsupported {
            asked: mechanism_name,
            offered: offered.map(<[String]>::to_vec).unwrap_or_default(),
            message,
        },
        Some(18 | 8000) | None if is_auth || code.is_some() => {
            if not_offered && creds.mechanism.is_some() {
                return Failure::MechanismUnsupported {
                    asked: mechanism_name,
                    offered: offered.map(<[String]>::to_vec).unwrap_or_default(),
                    message,
                };
            }
            Failure::Rejected {
                user: creds.user.clone().unwrap_or_default(),
                auth_db: creds.auth_db.clone(),
                mechanism: mechanism_name,
                code,
                code_name: server.map(|(_, name, _)| name).or_else(|| {
                    code.map(|c| {
                        if c == 8000 {
                            "AtlasError"
                        } else {
                            "AuthenticationFailed"
                        }
                        .to_string()
                    })
                }),
                message,
                suspect_auth_source: creds.suspect_auth_source.clone(),
                encoded_chars: encoded_chars(creds.password.as_ref()),
            }
        }
        Some(13) if creds.user.is_none() => Failure::AuthRequired {
            command: "connectionStatus".into(),
            message,
        },
        _ if is_auth => Failure::Rejected {
            user: creds.user.clone().unwrap_or_default(),
            auth_db: creds.auth_db.clone(),
            mechanism: mechanism_name,
            code,
            code_name: None,
            message,
            suspect_auth_source: creds.suspect_auth_source.clone(),
            encoded_chars: encoded_chars(creds.password.as_ref()),
        },
        _ => Failure::Driver { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creds_suggest_admin_when_the_path_names_another_db() {
        let cs = ConnectionString::parse("mongodb://u:p@h/app").unwrap();
        let creds = resolve_creds(&cs, &[], &Login::default());
        assert_eq!(creds.auth_db, "app");
        assert_eq!(creds.suspect_auth_source.as_deref(), Some("app"));
        let cs = ConnectionString::parse("mongodb://u:p@h/app?authSource=admin").unwrap();
        let creds = resolve_creds(&cs, &[], &Login::default());
        assert_eq!(creds.auth_db, "admin");
        assert_eq!(creds.suspect_auth_source, None);
        let cs = ConnectionString::parse("mongodb+srv://u:p@c.example.net/app").unwrap();
        let txt = [("authSource".to_string(), "admin".to_string())];
        assert_eq!(resolve_creds(&cs, &txt, &Login::default()).auth_db, "admin");
    }

    #[test]
    fn config_login_is_used_only_without_uri_credentials() {
        let login = Login {
            username: Some("cfg".into()),
            password: Some(SecretString::new("pw")),
        };
        let cs = ConnectionString::parse("mongodb://h/").unwrap();
        assert_eq!(resolve_creds(&cs, &[], &login).user.as_deref(), Some("cfg"));
        let cs = ConnectionString::parse("mongodb://uri:p@h/").unwrap();
        assert_eq!(resolve_creds(&cs, &[], &login).user.as_deref(), Some("uri"));
    }

    #[test]
    fn encoded_chars_name_characters_not_the_password() {
        let chars = encoded_chars(Some(&SecretString::new("a@b:c@d")));
        assert_eq!(
            chars,
            vec![('@', "%40".to_string()), (':', "%3A".to_string())]
        );
    }

    #[test]
    fn scrub_hides_the_password_in_any_form() {
        let pw = SecretString::new("p@ss:word");
        let text = scrub("failed for p@ss:word and p%40ss%3Aword", Some(&pw));
        assert!(
            !text.contains("p@ss:word") && !text.contains("p%40ss%3Aword"),
            "{text}"
        );
    }

    #[test]
    fn privileges_and_roles_are_read_from_connection_status() {
        let status = doc! {
            "authInfo": {
                "authenticatedUsers": [{"user": "reader", "db": "admin"}],
                "authenticatedUserRoles": [{"role": "read", "db": "probe"}],
                "authenticatedUserPrivileges": [
                    {"resource": {"db": "probe", "collection": ""}, "actions": ["find", "listCollections"]},
                    {"resource": {"cluster": true}, "actions": ["listDatabases"]},
                ],
            },
            "ok": 1.0,
        };
        let info = parse_connection_status(&status);
        assert_eq!(info.user.as_deref(), Some("reader"));
        assert_eq!(info.db.as_deref(), Some("admin"));
        assert_eq!(
            info.roles,
            vec![Role {
                role: "read".into(),
                db: "probe".into()
            }]
        );
        assert_eq!(info.privileges[0].resource, "probe.*");
        assert_eq!(info.privileges[1].resource, "cluster");
    }
}
