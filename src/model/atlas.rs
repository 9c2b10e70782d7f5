//! The Atlas control plane's facts (`--atlas-api`): the cluster, the access
//! list, the database user, and every call that failed, as typed data.

use std::net::IpAddr;

use crate::model::secret::SecretString;

/// One access-list entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `ipAddress` or `cidrBlock` as the API gave it.
    pub value: String,
    pub comment: Option<String>,
    /// `/status`: `ACTIVE`, `PENDING` or `FAILED`; `None` when the call failed.
    pub status: Option<String>,
    /// A temporary entry's expiry (ISO 8601).
    pub delete_after: Option<String>,
}

impl Entry {
    /// Applied by Atlas (an entry whose status could not be read is taken as applied).
    pub fn active(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "ACTIVE")
    }
}

/// The egress address and what covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessList {
    pub egress_ip: IpAddr,
    /// True when the address came from the API (`--egress-ip auto`): the route to the
    /// API may differ from the route to port 27017 (proxies, split tunnels).
    pub egress_auto: bool,
    pub covered_by: Option<Entry>,
    /// Entries read.
    pub entries: usize,
    /// Why the list was not read to the end (`None`: it was): an address not
    /// found in a list cut short is not known to be absent.
    pub cut_short: Option<crate::model::paging::CutShort>,
}

/// The cluster the connection string belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: String,
    /// A Flex cluster (read through `/flexClusters`).
    pub flex: bool,
    /// `stateName`: IDLE, CREATING, UPDATING, DELETING, REPAIRING.
    pub state: Option<String>,
    pub paused: bool,
    pub mongodb_version: Option<String>,
    /// `/status` `changeStatus`: `APPLIED` or `PENDING` (new users cannot log in yet).
    pub change_status: Option<String>,
    /// Which of its connection strings the user's hosts name; `None` when none does.
    pub uri_kind: Option<UriKind>,
    pub strings: ConnectionStrings,
}

impl Cluster {
    /// The state, when it is one that refuses connections (CREATING, DELETING, REPAIRING);
    /// `UPDATING` still serves them (changes roll through the members).
    pub fn unavailable_state(&self) -> Option<&str> {
        self.state
            .as_deref()
            .filter(|s| !matches!(*s, "IDLE" | "UPDATING"))
    }

    /// Neither paused nor in a state that refuses connections.
    pub fn serving(&self) -> bool {
        !self.paused && self.unavailable_state().is_none()
    }

    /// Changes (new users among them) not yet applied: `changeStatus` PENDING.
    pub fn changes_pending(&self) -> bool {
        self.change_status.as_deref() == Some("PENDING")
    }
}

/// The database user named in the connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub database: String,
    pub exists: bool,
    /// Cluster names the user is limited to (`scopes` of type CLUSTER); empty: all.
    pub scopes: Vec<String>,
    /// `(roleName, databaseName)`.
    pub roles: Vec<(String, String)>,
    /// `deleteAfterDate` of a temporary user.
    pub expires: Option<String>,
    /// For a user that does not exist: the project's users whose names differ
    /// from it only in letter case (`App` for `app`: user names are case-sensitive).
    pub similar: Vec<String>,
}

impl User {
    /// Limited to clusters other than `cluster`.
    pub fn scoped_away_from(&self, cluster: &str) -> bool {
        !self.scopes.is_empty() && !self.scopes.iter().any(|s| s == cluster)
    }

    /// `did you mean App? (user names are case-sensitive)` when the project
    /// holds the name in other letter case; one sentence for every place that
    /// says the user is missing.
    pub fn did_you_mean(&self) -> Option<String> {
        (!self.similar.is_empty()).then(|| {
            format!(
                "did you mean {}? (user names are case-sensitive)",
                self.similar.join(" or ")
            )
        })
    }
}

/// One failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// What was asked (`access list`, `cluster Cluster0`, `credentials`).
    pub call: String,
    pub error: ErrorKind,
}

/// A failed call: the API's or the transport's error, or credentials that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Api(Error),
    Credentials(CredentialsError),
    /// No project id: nothing project-scoped can be read.
    NoProject,
}

/// Why a call failed. Texts come from the API or the transport, scrubbed of secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The API answered with an error status and (usually) its JSON error body.
    #[error("HTTP {status}{}: {detail}", code.as_deref().map(|c| format!(" {c}")).unwrap_or_default())]
    Api {
        status: u16,
        code: Option<String>,
        detail: String,
    },
    /// The service account's token request was refused.
    #[error("the OAuth token request was refused (HTTP {status}): {detail}")]
    Token { status: u16, detail: String },
    /// No answer within the layer's deadline.
    #[error("no answer within the deadline")]
    Timeout,
    /// No connection (name not found, refused, TLS failure).
    #[error("could not reach the Atlas API: {message}")]
    Transport { message: String },
    /// An answer that is not the JSON the reference describes.
    #[error("unexpected answer: {message}")]
    Decode { message: String },
}

impl Error {
    /// The API's `errorCode`, when it gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Token { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Why no credentials could be used. Messages name variables and files, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    #[error(
        "no Atlas API credentials: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (service account) or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY (API key), or pass --atlas-profile NAME"
    )]
    Missing,
    #[error("{message}")]
    Variable { message: String },
    #[error("{set} is set but {missing} is not")]
    Half { set: String, missing: String },
    #[error("Atlas CLI config {path}: {message}")]
    File { path: String, message: String },
    #[error("Atlas CLI profile {name:?} is not in {path} (profiles: {available})")]
    NoProfile {
        name: String,
        path: String,
        available: String,
    },
    #[error(
        "Atlas CLI profile {name:?} in {path} holds no secrets: this Atlas CLI keeps them in the OS keyring, which atlas-doctor does not read; export MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (or the API key pair) instead"
    )]
    InKeyring { name: String, path: String },
}

/// Which of a cluster's connection strings the user's hosts name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UriKind {
    /// `connectionStrings.standard`: public host list.
    Standard,
    /// `connectionStrings.standardSrv`: public SRV name.
    StandardSrv,
    /// `connectionStrings.private` / `privateSrv`: VPC peering.
    Peering,
    /// `connectionStrings.privateEndpoint[*]`: a private endpoint (AWS PrivateLink and kin).
    PrivateEndpoint,
}

impl UriKind {
    /// Only usable from inside the VPC (or a network connected to it).
    pub fn is_private(self) -> bool {
        matches!(self, UriKind::Peering | UriKind::PrivateEndpoint)
    }

    /// In words, for steps and diagnoses.
    pub fn describe(self) -> &'static str {
        match self {
            UriKind::Standard => "the cluster's standard (public) connection string",
            UriKind::StandardSrv => "the cluster's SRV (public) connection string",
            UriKind::Peering => "the cluster's VPC peering (private) connection string",
            UriKind::PrivateEndpoint => "the cluster's private endpoint connection string",
        }
    }
}

/// A cluster's connection strings, as the API lists them, each with its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionStrings {
    pub strings: Vec<(UriKind, String)>,
}

/// Where the egress address to match against the access list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Egress {
    /// `--egress-ip IP`.
    Given(IpAddr),
    /// `--egress-ip auto` (the default): the address the Atlas API sees.
    Auto,
}

/// The egress address to look up: an IPv4 or IPv6 address, or `auto`.
pub fn egress(text: &str) -> Result<Egress, String> {
    match text.trim() {
        "auto" => Ok(Egress::Auto),
        ip => ip
            .parse()
            .map(Egress::Given)
            .map_err(|_| "expected an IPv4 or IPv6 address, or auto".to_string()),
    }
}

/// An Atlas project id: 24 hexadecimal digits. The one rule for the flag (a usage
/// error) and for the environment and the Atlas CLI profile.
pub fn check_project_id(id: &str) -> Result<(), String> {
    if id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err("a project id is 24 hexadecimal digits (Atlas: Project Settings)".to_string())
    }
}

/// An Atlas cluster name: letters, digits and hyphens, starting with a letter or digit.
pub fn check_cluster_name(name: &str) -> Result<(), String> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err("a cluster name has letters, digits and hyphens only".to_string())
    }
}

/// How the API is authenticated.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// OAuth 2 client credentials (preferred by Atlas).
    ServiceAccount {
        client_id: String,
        client_secret: SecretString,
    },
    /// Programmatic API key: HTTP Digest.
    ApiKey {
        public_key: String,
        private_key: SecretString,
    },
}

impl Credentials {
    /// `service account` or `API key`, for steps.
    pub fn kind(&self) -> &'static str {
        match self {
            Credentials::ServiceAccount { .. } => "service account",
            Credentials::ApiKey { .. } => "API key",
        }
    }
}

/// Everything the API layer needs, resolved.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// `https://...` (or `http://` to a loopback address), with a trailing slash.
    pub base_url: String,
    pub project_id: Option<String>,
    pub cluster: Option<String>,
    pub egress: Egress,
    pub credentials: Result<Credentials, CredentialsError>,
    /// Where the credentials came from (`env`, `Atlas CLI profile NAME`).
    pub source: String,
}

/// What an atlas step found, typed (worded by `diagnose::steps`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// The egress address and the entry that covers it, if any.
    AccessList(AccessList),
    /// The cluster the connection string belongs to.
    Cluster(Cluster),
    /// No cluster of `project` names any of `hosts`.
    NoCluster { project: String, hosts: Vec<String> },
    /// The database user, in `project`.
    User { user: User, project: String },
}
