//! The Atlas control plane (`--atlas-api`): one read-only look at the Atlas
//! Administration API (v2) for the project's IP access list, the cluster and the
//! database user, returned as typed `Facts` so `diagnose` can turn an inferred
//! cause (alert 80, `bad auth`) into a confirmed one. It only reads (GET, plus the
//! OAuth token request); a failed call is data in `Facts::errors`, never an `Err`.

pub mod client;
pub mod matching;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde_json::Value;

use matching::Network;

use crate::model::atlas::{
    AccessList, ApiSettings, CallError, Cluster, ConnectionStrings, Egress, Entry, Error,
    ErrorKind, Said, UriKind, User,
};
use crate::model::atlas_facts::Facts;
use crate::model::step::{Found, Layer, Status, Step};

/// The API version each resource is read with (the `Accept` header's date).
mod versions {
    pub const ACCESS_LIST: &str = "2023-01-01";
    pub const CLUSTERS: &str = "2024-08-05";
    pub const CLUSTER_STATUS: &str = "2023-01-01";
    pub const FLEX_CLUSTERS: &str = "2024-11-13";
    pub const DATABASE_USERS: &str = "2023-01-01";
}

/// What the run asks the API about.
#[derive(Debug, Clone)]
pub struct Request {
    pub settings: ApiSettings,
    /// The connection string's host names (lower case, no ports; the SRV name for +srv).
    pub hosts: Vec<String>,
    /// The database user of the connection string, if any.
    pub user: Option<String>,
    /// `$external` for X.509, AWS IAM, LDAP and OIDC users; `admin` otherwise (Atlas has no other).
    pub user_database: String,
    pub timeout: Duration,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error {
            ErrorKind::Api(e) => write!(f, "{}: {e}{}", self.call, hint(e)),
            ErrorKind::Credentials(e) => write!(f, "{}: {e}", self.call),
            ErrorKind::NoProject => write!(
                f,
                "{}: no project id: pass --atlas-project ID or set MONGODB_ATLAS_PROJECT_ID",
                self.call
            ),
        }
    }
}

/// What to do about the API's refusals, as the reference words their causes.
fn hint(error: &Error) -> &'static str {
    match (error.status(), error.code()) {
        (_, Some("IP_ADDRESS_NOT_ON_ACCESS_LIST")) => {
            " (the API key's or service account's own access list refuses this machine: add its address in Atlas, Organization Access Manager > Applications)"
        }
        (Some(401), _) => {
            " (check MONGODB_ATLAS_CLIENT_ID/_CLIENT_SECRET or the API key pair, and that it belongs to this project's organization)"
        }
        (Some(403), _) => " (the credentials lack Project Read Only on this project)",
        (_, Some("VERSION_GONE")) => " (this atlas-doctor reads a retired API version: upgrade it)",
        _ => "",
    }
}

/// Runs the API layer on a blocking thread, under one deadline for all its calls.
pub async fn cross_check(request: Request) -> Facts {
    let timeout = request.timeout;
    let started = Instant::now();
    let joined = tokio::task::spawn_blocking(move || run(&request, started + timeout)).await;
    joined.unwrap_or_else(|e| crate::panic::rethrow(e))
}

/// The API layer, blocking.
pub fn run(request: &Request, deadline: Instant) -> Facts {
    let settings = &request.settings;
    let mut facts = Facts {
        project_id: settings.project_id.clone(),
        ..Facts::default()
    };
    let credentials = match &settings.credentials {
        Ok(c) => c,
        Err(e) => {
            fail(&mut facts, "credentials", ErrorKind::Credentials(e.clone()));
            return facts;
        }
    };
    facts.credentials = Some(credentials.kind());
    let mut api = client::Client::new(&settings.base_url, credentials, deadline);
    let Some(project) = settings.project_id.clone() else {
        fail(&mut facts, "project", ErrorKind::NoProject);
        facts.requests = api.requests;
        return facts;
    };
    let group = format!("/api/atlas/v2/groups/{}", client::segment(&project));

    let started = Instant::now();
    match access_list(&mut api, &group, settings.egress) {
        Ok(list) => {
            facts
                .steps
                .push(access_list_step(&list).took(started.elapsed()));
            facts.access_list = Some(list);
        }
        Err((call, e)) => fail_after(&mut facts, call, ErrorKind::Api(e), started.elapsed()),
    }
    // Refused credentials or the API's own access list: every further call would say the same.
    if facts.refused().is_none() {
        let started = Instant::now();
        match cluster(
            &mut api,
            &group,
            settings.cluster.as_deref(),
            &request.hosts,
        ) {
            Ok(Some(c)) => {
                facts.steps.push(cluster_step(&c).took(started.elapsed()));
                facts.cluster = Some(c);
            }
            Ok(None) => facts.steps.push(
                Step::found(
                    Layer::Atlas,
                    "cluster",
                    Status::Warn,
                    Found::Atlas(Said::NoCluster {
                        project: project.clone(),
                        hosts: request.hosts.clone(),
                    }),
                )
                .took(started.elapsed()),
            ),
            Err((call, e)) => fail_after(&mut facts, call, ErrorKind::Api(e), started.elapsed()),
        }
        if let Some(name) = &request.user {
            let started = Instant::now();
            match user(&mut api, &group, name, &request.user_database) {
                Ok(u) => {
                    facts
                        .steps
                        .push(user_step(&u, &project).took(started.elapsed()));
                    facts.user = Some(u);
                }
                Err((call, e)) => {
                    fail_after(&mut facts, call, ErrorKind::Api(e), started.elapsed());
                }
            }
        }
    }
    facts.requests = api.requests;
    facts
}

fn fail(facts: &mut Facts, call: impl Into<String>, error: ErrorKind) {
    fail_after(facts, call, error, Duration::ZERO);
}

/// A failed call that took `took` (a timed-out step shows how long it waited).
fn fail_after(facts: &mut Facts, call: impl Into<String>, error: ErrorKind, took: Duration) {
    let error = CallError {
        call: call.into(),
        error,
    };
    facts.steps.push(
        Step::new(Layer::Atlas, "Atlas API", Status::Warn, String::new())
            .met(&error)
            .took(took),
    );
    facts.errors.push(error);
}

type CallResult<T> = Result<T, (String, Error)>;

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The caller's address as Atlas sees it, as the Atlas CLI and tools get it.
fn egress_auto(api: &mut client::Client) -> CallResult<IpAddr> {
    // This endpoint is not versioned: it answers plain JSON.
    let value = api
        .get("/api/private/ipinfo", "application/json")
        .map_err(|e| ("egress IP (auto)".to_string(), e))?;
    let ip: IpAddr = text(&value, "currentIpv4Address")
        .or_else(|| text(&value, "currentIpv6Address"))
        .and_then(|ip| ip.parse().ok())
        .ok_or_else(|| {
            (
                "egress IP (auto)".to_string(),
                Error::Decode {
                    message: "no currentIpv4Address in the answer".into(),
                },
            )
        })?;
    // No machine reaches Atlas from these: 0.0.0.0 would be "covered" by 0.0.0.0/0.
    if ip.is_unspecified() || ip.is_multicast() || ip == IpAddr::from([255, 255, 255, 255]) {
        return Err((
            "egress IP (auto)".to_string(),
            Error::Decode {
                message: format!("{ip} is not an address a machine reaches Atlas from"),
            },
        ));
    }
    Ok(ip)
}

fn access_list(api: &mut client::Client, group: &str, egress: Egress) -> CallResult<AccessList> {
    let (egress_ip, egress_auto) = match egress {
        Egress::Given(ip) => (ip, false),
        Egress::Auto => (egress_auto(api)?, true),
    };
    let accept = client::versioned(versions::ACCESS_LIST);
    // Only the narrowest entry that covers the address matters: the pages go by
    // and only an entry narrower than any before it is kept.
    let narrowest = |item: &Value| {
        let value = text(item, "cidrBlock").or_else(|| text(item, "ipAddress"))?;
        Network::parse(&value)
            .filter(|n| n.contains(egress_ip))
            .map(|n| n.prefix)
    };
    let mut best: Option<u8> = None;
    let (paged, kept) = api
        .for_each(&format!("{group}/accessList"), &accept, |item| {
            let better = narrowest(item).filter(|p| best.is_none_or(|b| *p > b));
            if better.is_some() {
                best = better;
            }
            better.is_some()
        })
        .map_err(|e| ("access list".to_string(), e))?;
    // The last one kept is the narrowest (read again: the kept copy is scrubbed).
    let covering = kept.last().and_then(|item| {
        let value = text(item, "cidrBlock").or_else(|| text(item, "ipAddress"))?;
        let prefix = narrowest(item)?;
        Some((
            prefix,
            Entry {
                comment: text(item, "comment"),
                delete_after: text(item, "deleteAfterDate"),
                value,
                status: None,
            },
        ))
    });
    let covered_by = covering.map(|(_, mut entry)| {
        entry.status = api
            .get(
                &format!(
                    "{group}/accessList/{}/status",
                    client::segment(&entry.value)
                ),
                &accept,
            )
            .ok()
            .and_then(|v| text(&v, "STATUS"));
        entry
    });
    Ok(AccessList {
        egress_ip,
        egress_auto,
        covered_by,
        entries: paged.items,
        cut_short: paged.cut_short,
    })
}

/// A cluster's connection strings, each with its kind.
fn strings_of(cluster: &Value) -> ConnectionStrings {
    let mut strings = Vec::new();
    if let Some(cs) = cluster.get("connectionStrings") {
        for (key, kind) in [
            ("standard", UriKind::Standard),
            ("standardSrv", UriKind::StandardSrv),
            ("private", UriKind::Peering),
            ("privateSrv", UriKind::Peering),
        ] {
            if let Some(s) = text(cs, key) {
                strings.push((kind, s));
            }
        }
        for endpoint in cs
            .get("privateEndpoint")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for key in [
                "connectionString",
                "srvConnectionString",
                "srvShardOptimizedConnectionString",
            ] {
                if let Some(s) = text(endpoint, key) {
                    strings.push((UriKind::PrivateEndpoint, s));
                }
            }
        }
    }
    ConnectionStrings { strings }
}

fn cluster_from(value: &Value, flex: bool, hosts: &[String]) -> Cluster {
    let strings = strings_of(value);
    Cluster {
        name: text(value, "name").unwrap_or_default(),
        flex,
        state: text(value, "stateName"),
        paused: value
            .get("paused")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        mongodb_version: text(value, "mongoDBVersion"),
        change_status: None,
        uri_kind: strings.kind_for(hosts),
        strings,
    }
}

fn cluster(
    api: &mut client::Client,
    group: &str,
    named: Option<&str>,
    hosts: &[String],
) -> CallResult<Option<Cluster>> {
    let clusters = client::versioned(versions::CLUSTERS);
    let flex = client::versioned(versions::FLEX_CLUSTERS);
    let mut found = if let Some(name) = named {
        let call = format!("cluster {name}");
        match api.get(
            &format!("{group}/clusters/{}", client::segment(name)),
            &clusters,
        ) {
            Ok(v) => Some(cluster_from(&v, false, hosts)),
            // Flex clusters live behind their own endpoint.
            Err(e) if e.code() == Some("CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API") => {
                let v = api
                    .get(
                        &format!("{group}/flexClusters/{}", client::segment(name)),
                        &flex,
                    )
                    .map_err(|e| (call.clone(), e))?;
                Some(cluster_from(&v, true, hosts))
            }
            Err(e) => return Err((call, e)),
        }
    } else {
        // The clusters list leaves Flex clusters out: look in both. Only the
        // cluster that names the hosts is kept as the pages go by.
        let mut first = |path: &str, accept: &str, flex: bool| {
            let mut matched = false;
            let kept = api.for_each(path, accept, |v| {
                let keep = !matched && strings_of(v).kind_for(hosts).is_some();
                matched |= keep;
                keep
            });
            kept.map(|(_, kept)| kept.first().map(|v| cluster_from(v, flex, hosts)))
        };
        match first(&format!("{group}/clusters"), &clusters, false)
            .map_err(|e| ("clusters".to_string(), e))?
        {
            Some(c) => Some(c),
            None => first(&format!("{group}/flexClusters"), &flex, true)
                .map_err(|e| ("flex clusters".to_string(), e))?,
        }
    };
    if let Some(c) = found.as_mut().filter(|c| !c.flex && !c.name.is_empty()) {
        // Pending user changes: a new user cannot log in until this says APPLIED.
        c.change_status = api
            .get(
                &format!("{group}/clusters/{}/status", client::segment(&c.name)),
                &client::versioned(versions::CLUSTER_STATUS),
            )
            .ok()
            .and_then(|v| text(&v, "changeStatus"));
    }
    Ok(found)
}

fn user(api: &mut client::Client, group: &str, name: &str, database: &str) -> CallResult<User> {
    let path = format!(
        "{group}/databaseUsers/{}/{}",
        client::segment(database),
        client::segment(name)
    );
    match api.get(&path, &client::versioned(versions::DATABASE_USERS)) {
        Ok(v) => Ok(User {
            name: name.to_string(),
            database: text(&v, "databaseName").unwrap_or_else(|| database.to_string()),
            exists: true,
            scopes: v
                .get("scopes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|s| text(s, "type").is_none_or(|t| t == "CLUSTER"))
                .filter_map(|s| text(s, "name"))
                .collect(),
            roles: v
                .get("roles")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    Some((
                        text(r, "roleName")?,
                        text(r, "databaseName").unwrap_or_default(),
                    ))
                })
                .collect(),
            expires: text(&v, "deleteAfterDate"),
            similar: Vec::new(),
        }),
        Err(e) if e.status() == Some(404) => Ok(User {
            name: name.to_string(),
            database: database.to_string(),
            exists: false,
            scopes: Vec::new(),
            roles: Vec::new(),
            expires: None,
            similar: same_but_case(api, group, name),
        }),
        Err(e) => Err((format!("database user {name}"), e)),
    }
}

/// The project's database users whose names are `name` in other letter case:
/// a login as `app` fails when Atlas holds `App`. One more listing, only after
/// a miss; a listing that fails gives no hint (the miss is said either way).
fn same_but_case(api: &mut client::Client, group: &str, name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let Ok((_, kept)) = api.for_each(
        &format!("{group}/databaseUsers"),
        &client::versioned(versions::DATABASE_USERS),
        |v| text(v, "username").is_some_and(|u| u != name && u.to_lowercase() == lower),
    ) else {
        return Vec::new();
    };
    let mut names: Vec<String> = kept.iter().filter_map(|v| text(v, "username")).collect();
    names.sort();
    names.dedup();
    names
}

fn access_list_step(list: &AccessList) -> Step {
    // A warning, not a failure, when nothing covers the address: only the data
    // plane decides whether the run failed (a VPN or private endpoint may carry
    // the traffic from another address).
    let covered = list.covered_by.as_ref().is_some_and(Entry::active);
    Step::found(
        Layer::Atlas,
        "IP access list",
        if covered { Status::Pass } else { Status::Warn },
        Found::Atlas(Said::AccessList(list.clone())),
    )
}

fn cluster_step(c: &Cluster) -> Step {
    Step::found(
        Layer::Atlas,
        format!("cluster {}", c.name),
        if c.serving() {
            Status::Pass
        } else {
            Status::Warn
        },
        Found::Atlas(Said::Cluster(c.clone())),
    )
}

fn user_step(u: &User, project: &str) -> Step {
    Step::found(
        Layer::Atlas,
        format!("database user {}", u.name),
        if u.exists { Status::Pass } else { Status::Warn },
        Found::Atlas(Said::User {
            user: u.clone(),
            project: project.to_string(),
        }),
    )
}
