//! The one run: the layers in order (uri, dns, tcp, tls, hello, auth, data, crud,
//! status), each under one deadline, as deep as the command asks, folded into
//! typed `Evidence`. Commands say how deep to go (`Plan`); the report, the
//! diagnosis and the checklists only read the evidence. Nothing here prints.
//!
//! One driver client serves every layer after the handshake (auth, data, crud,
//! status). A later layer that can run beside the others (the Atlas API) plugs
//! in after `data`, reading the same evidence.

use mongodb::Client;
use tokio::time::Instant;

use crate::config::{PasswordSource, Settings};
use crate::model::step::{Layer, Status, Step};
use crate::probe::{self, auth, data, status};
use crate::uri::{self, ConnectionString};

/// The layers an early driver start may wait through (dns, tcp, tls, hello,
/// then auth itself), each with one deadline: the bound of its own work. The
/// auth layer still waits for it only until its own deadline.
const EARLY_LAYERS: u32 = 5;

/// How deep a command goes. Each depth includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    /// uri, dns, tcp, tls, hello (`ping`).
    Hello,
    /// ... and authentication with `connectionStatus` (`auth-check`).
    Auth,
    /// ... and `listDatabases` / `listCollections` (`collections`, `checklist`).
    Data,
}

/// What a command asks of the run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub depth: Depth,
    /// MongoDB pings to time after the handshake (`ping --count`); 0 sends none
    /// and reports the handshake's own round trip.
    pub ping_count: u32,
    /// The database the command names (`--db`); the config's `database`, then
    /// the URI's path, then `default_database` stand in when it is `None`.
    pub database: Option<String>,
    /// The database when nothing names one (`test` for the checklist, as drivers
    /// default to); `None` lists databases only.
    pub default_database: Option<&'static str>,
    /// Collections that must exist in `database`.
    pub expected: Vec<String>,
    /// The CRUD round trip in a scratch collection (checklist, opt-in).
    pub crud: bool,
    /// The database-status commands (`hello`, `dbStats`, `buildInfo`, `serverStatus`).
    pub status: bool,
}

impl Plan {
    /// A plan that stops after `depth`, with no ping and nothing added.
    pub fn to(depth: Depth) -> Self {
        Plan {
            depth,
            ping_count: 0,
            database: None,
            default_database: None,
            expected: Vec::new(),
            crud: false,
            status: false,
        }
    }
}

/// Everything the run found, layer by layer; `None` for a layer not reached.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The connection string, or why the uri layer refused it.
    pub uri: Result<ConnectionString, crate::model::uri::Error>,
    /// The uri layer's steps (parse, password source, lints).
    pub uri_steps: Vec<Step>,
    /// The database the data, crud and status layers use, as the plan resolved it.
    pub database: Option<String>,
    pub connectivity: Option<probe::Connectivity>,
    pub auth: Option<auth::AuthOutcome>,
    pub data: Option<crate::model::data_outcome::DataOutcome>,
    pub crud: Option<crate::probe::crud::Outcome>,
    pub status: Option<crate::model::status::Evidence>,
    /// What the Atlas Administration API said (`--atlas-api`); `None` when off.
    pub atlas: Option<crate::model::atlas_facts::Facts>,
    /// A stop signal ended the CRUD check, after its cleanup.
    pub interrupted: Option<crate::model::signal::Signal>,
    /// How long each layer took, for what rests on it (a checklist item's time).
    pub took: Took,
}

/// Wall time per layer (zero for a layer that did not run): layers run their
/// hosts side by side, so this is what a user waits, not a sum of steps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Took {
    /// dns, tcp, tls and hello.
    pub connectivity: std::time::Duration,
    pub auth: std::time::Duration,
    /// The listings of `listDatabases` and `listCollections`.
    pub data: std::time::Duration,
    /// The database-status commands.
    pub status: std::time::Duration,
    pub crud: std::time::Duration,
    /// The Atlas Administration API (beside the data-plane layers).
    pub atlas: std::time::Duration,
}

impl Evidence {
    /// Whether the connectivity layers gave a usable deployment (a broken
    /// system resolver that the fallback worked around still counts).
    pub fn connected(&self) -> bool {
        self.connectivity.as_ref().is_some_and(|c| {
            c.failure.as_ref().is_none_or(|f| {
                matches!(f, crate::model::failure::Failure::DnsResolverBroken { .. })
            })
        })
    }

    /// Who the server says we are, once authenticated.
    pub fn auth_info(&self) -> Option<&crate::model::auth::AuthInfo> {
        self.auth.as_ref().and_then(|a| a.result.as_ref().ok())
    }
}

/// Runs the layers the plan asks for, each under its own deadline.
pub async fn run(settings: &Settings, plan: &Plan) -> Evidence {
    let mut evidence = Evidence {
        uri: settings.target.parsed.clone(),
        uri_steps: Vec::new(),
        database: None,
        connectivity: None,
        auth: None,
        data: None,
        crud: None,
        status: None,
        atlas: None,
        interrupted: None,
        took: Took::default(),
    };
    let cs = match &evidence.uri {
        Ok(cs) => cs.clone(),
        Err(error) => {
            evidence.uri_steps.push(Step::new(
                Layer::Uri,
                "parse",
                Status::Fail,
                error.to_string(),
            ));
            return evidence;
        }
    };
    if let Err(error) = local_checks(&cs) {
        evidence.uri_steps.push(Step::new(
            Layer::Uri,
            "parse",
            Status::Fail,
            error.to_string(),
        ));
        evidence.uri = Err(error);
        return evidence;
    }
    evidence.uri_steps = uri_steps(&cs, settings);
    evidence.database = database(plan.database.as_deref(), settings, Some(&cs))
        .or_else(|| plan.default_database.map(str::to_string));

    // ---- the Atlas API: beside the data-plane layers, under its own deadline.
    let atlas = start_atlas(settings, &cs);
    data_plane(&mut evidence, settings, plan, &cs).await;
    if let Some(atlas) = atlas {
        // After a stop signal the run only reports what it has.
        if evidence.interrupted.is_some() {
            atlas.abort();
        } else {
            let (facts, took) = finish_atlas(atlas).await;
            evidence.took.atlas = took;
            evidence.atlas = Some(facts);
        }
    }
    evidence
}

/// dns, tcp, tls, hello, then auth, data, crud and status as deep as the plan asks.
async fn data_plane(
    evidence: &mut Evidence,
    settings: &Settings,
    plan: &Plan,
    cs: &ConnectionString,
) {
    // ---- dns, tcp, tls, hello: each layer bounds its own concurrent work.
    let driver_early = plan.depth >= Depth::Auth;
    let (found, found_rx) = if driver_early && cs.scheme == uri::Scheme::Srv {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Some(tx), Some(rx))
    } else {
        (None, None)
    };
    let options = probe::Options {
        ping_count: plan.ping_count,
        found,
        ..probe_options(settings)
    };
    let login = login(settings);
    let reads = early_reads(plan, evidence.database.as_deref());
    // The driver's connection starts beside the layer probes (issue 10): for a
    // seed list at once, for a +srv URI as soon as the dns layer has found the
    // hosts. Its handshake and authentication overlap ours instead of following
    // them. A hostile reply cannot take the process down inside the driver:
    // its bson is bounded in nesting (vendor/bson). Bounded by the layers it
    // waits for (dns, tcp, tls, hello) and its own.
    let early = driver_early
        .then(|| {
            auth::start(auth::Start {
                cs,
                login: &login,
                roots: options.roots.clone(),
                reads: reads.clone(),
                layer_timeout: settings.timeout,
                deadline: Instant::now() + settings.timeout * EARLY_LAYERS,
                found: found_rx,
            })
        })
        .flatten();
    let started = Instant::now();
    let connectivity = probe::connectivity(cs, &options).await;
    evidence.took.connectivity = started.elapsed();
    evidence.connectivity = Some(connectivity);
    if plan.depth < Depth::Auth || !evidence.connected() {
        if let Some(early) = early {
            early.abort();
        }
        return;
    }
    let connectivity = evidence.connectivity.as_ref().expect("set above");

    // ---- auth: one deadline for options, the driver's selection and connectionStatus.
    let request = auth::Request {
        cs,
        connectivity,
        login: &login,
        deadline: Instant::now() + settings.timeout,
        reads: &reads,
    };
    let started = Instant::now();
    let (outcome, driver) = auth::authenticate(&request, early).await;
    evidence.took.auth = started.elapsed();
    let authenticated = outcome.result.is_ok();
    evidence.auth = Some(outcome);
    let Some(auth::Driver { client, prefetched }) = driver.filter(|_| authenticated) else {
        return;
    };
    if plan.depth < Depth::Data {
        return;
    }

    // ---- data: one deadline for every listing and estimate; the checklist's
    // database status beside it (independent reads: one wait, not two). The
    // CRUD round trip comes after both, so its scratch collection shows in
    // neither the listing nor dbStats.
    let deadline = Instant::now() + settings.timeout;
    let status_database = status_database(evidence.database.as_deref());
    let secret = cs.password.as_ref().or(settings.target.password.as_ref());
    let scrub = |text: &str| auth::scrub(text, secret);
    // Where to look for expected collections when no database is named and
    // listDatabases is refused: the databases the user's roles name.
    let role_databases: Vec<String> = evidence
        .auth
        .as_ref()
        .and_then(|a| a.result.as_ref().ok())
        .map(|info| info.roles.iter().map(|r| r.db.clone()).collect())
        .unwrap_or_default();
    let request = data::Request {
        database: evidence.database.as_deref(),
        expected: &plan.expected,
        role_databases: &role_databases,
        deadline,
        prefetched: &prefetched,
    };
    let started = Instant::now();
    let listing = async {
        let outcome = data::collections(&client, &request).await;
        (outcome, started.elapsed())
    };
    let status = async {
        if plan.status {
            let evidence =
                status::run(&client, status_database, &prefetched, deadline, &scrub).await;
            Some((evidence, started.elapsed()))
        } else {
            None
        }
    };
    let ((outcome, data_took), status) = tokio::join!(listing, status);
    evidence.data = Some(outcome);
    evidence.took.data = data_took;
    if let Some((_, took)) = &status {
        evidence.took.status = *took;
    }
    evidence.status = status.map(|(evidence, _)| evidence);

    // ---- crud (checklist): a stop signal ends it, after the cleanup.
    if plan.crud {
        after_data(evidence, &client, settings, cs).await;
    }
}

/// The database the status layer asks about: the run's, else the one drivers
/// default to.
fn status_database(database: Option<&str>) -> &str {
    database.unwrap_or(uri::DEFAULT_DATABASE)
}

/// The later layers' reads that depend on no answer, sent beside the auth layer's
/// `connectionStatus` (see `probe::prefetch`): what the plan's data and status
/// layers send first.
fn early_reads(plan: &Plan, database: Option<&str>) -> Vec<probe::prefetch::Read> {
    let mut reads = Vec::new();
    if plan.depth >= Depth::Data {
        reads.extend(data::reads(database));
        if plan.status {
            reads.extend(status::reads(status_database(database)));
        }
    }
    reads
}

/// The checklist's CRUD round trip, holding a stop-signal cleanup from before
/// the scratch collection exists until it is dropped.
async fn after_data(
    evidence: &mut Evidence,
    client: &Client,
    settings: &Settings,
    cs: &ConnectionString,
) {
    let database = evidence
        .database
        .clone()
        .unwrap_or_else(|| uri::DEFAULT_DATABASE.to_string());
    let secret = cs.password.as_ref().or(settings.target.password.as_ref());
    let scrub = |text: &str| auth::scrub(text, secret);
    let mut cleanup = match crate::stop::Cleanup::begin() {
        Ok(cleanup) => cleanup,
        Err(e) => {
            evidence.crud = Some(crate::probe::crud::Outcome::no_handler(&e));
            return;
        }
    };
    let started = Instant::now();
    let crud = crate::probe::crud::round_trip(
        client,
        &database,
        settings.timeout,
        cleanup.signalled(),
        &scrub,
    )
    .await;
    evidence.took.crud = started.elapsed();
    evidence.interrupted = crud.interrupted;
    evidence.crud = Some(crud);
}

/// Starts the `--atlas-api` cross-check for this connection string; `None` when off.
fn start_atlas(
    settings: &Settings,
    cs: &ConnectionString,
) -> Option<tokio::task::JoinHandle<(crate::model::atlas_facts::Facts, std::time::Duration)>> {
    let api = settings.atlas_api.clone()?;
    // Atlas keeps X.509, AWS IAM, LDAP and OIDC users in $external, all others in admin.
    let external = uri::mechanism::is_external(cs.option("authMechanism"));
    let request = crate::atlas::Request {
        settings: api,
        hosts: cs
            .hosts
            .iter()
            .map(|h| h.name.to_ascii_lowercase())
            .collect(),
        user: cs
            .username
            .clone()
            .or_else(|| settings.target.username.clone()),
        user_database: if external {
            uri::mechanism::EXTERNAL
        } else {
            "admin"
        }
        .to_string(),
        timeout: settings.timeout,
    };
    Some(tokio::spawn(async move {
        let started = Instant::now();
        let facts = crate::atlas::cross_check(request).await;
        (facts, started.elapsed())
    }))
}

/// Waits for the cross-check and the time it took; a task that died takes the
/// run with it (`internal`).
async fn finish_atlas(
    handle: tokio::task::JoinHandle<(crate::model::atlas_facts::Facts, std::time::Duration)>,
) -> (crate::model::atlas_facts::Facts, std::time::Duration) {
    handle.await.unwrap_or_else(|e| crate::panic::rethrow(e))
}

/// What the uri layer checks on this machine before any traffic: the files the
/// driver reads itself, without a cap (a FIFO or /dev/zero there would hang it
/// or grow it without bound), and unix socket hosts, which the layer probes
/// cannot reach.
fn local_checks(cs: &ConnectionString) -> Result<(), crate::model::uri::Error> {
    for (option, path) in cs.file_options() {
        crate::file::check(std::path::Path::new(path), crate::file::PEM_MAX_BYTES).map_err(
            |error| crate::model::uri::Error::OptionFile {
                option: option.to_string(),
                path: path.to_string(),
                reason: error.to_string(),
            },
        )?;
    }
    match cs.hosts.iter().find(|h| h.is_unix_socket()) {
        Some(socket) => Err(crate::model::uri::Error::UnixSocket {
            path: socket.name.clone(),
        }),
        None => Ok(()),
    }
}

/// The uri layer's steps for a connection string that parsed.
fn uri_steps(cs: &ConnectionString, settings: &Settings) -> Vec<Step> {
    let hosts = cs
        .hosts
        .iter()
        .map(uri::Host::address)
        .collect::<Vec<_>>()
        .join(", ");
    let mut steps = vec![Step::new(
        Layer::Uri,
        "parse",
        Status::Pass,
        format!(
            "{}: {hosts}; TLS {}",
            crate::words::count(cs.hosts.len(), "host"),
            if cs.tls_enabled() { "on" } else { "off" }
        ),
    )];
    for note in &settings.target.notes {
        let status = if note.warn {
            Status::Warn
        } else {
            Status::Pass
        };
        steps.push(Step::new(Layer::Uri, note.name, status, note.text.clone()));
    }
    if settings.target.password_source == PasswordSource::CommandLine {
        steps.push(Step::new(
            Layer::Uri,
            "password source",
            Status::Warn,
            "the password came with --uri: it lands in shell history and the process list; put the URI in MONGODB_URI or the password in a variable named by password-env",
        ));
    }
    for lint in cs.lints() {
        steps.push(Step::new(
            Layer::Uri,
            format!("lint {}", lint.name),
            Status::Warn,
            lint.message.clone(),
        ));
    }
    steps
}

/// The probe options from the settings (no ping; the plan may ask for some).
pub fn probe_options(settings: &Settings) -> probe::Options {
    probe::Options {
        timeout: settings.timeout,
        dns_server: settings.dns_server,
        dns_fallback: settings.dns_fallback,
        // --atlas-api says the target is Atlas.
        atlas: settings.atlas || settings.atlas_api.is_some(),
        ping_count: 0,
        login_user: settings.target.username.clone(),
        roots: probe::trust::Shared::default(),
        found: None,
    }
}

/// Credentials given apart from the URI (config `username` + `password-env`).
pub fn login(settings: &Settings) -> auth::Login {
    auth::Login {
        username: settings.target.username.clone(),
        password: settings.target.password.clone(),
    }
}

/// The database the data layer lists: the command's `--db`, else `database` in
/// the config, else the URI's path; `None` lists databases only.
pub fn database(
    flag: Option<&str>,
    settings: &Settings,
    cs: Option<&ConnectionString>,
) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| settings.database.clone())
        .or_else(|| cs.and_then(|cs| cs.database.clone()))
        .filter(|db| !db.is_empty())
}

/// Config `expected-collections` plus `--expect`, trimmed, without duplicates.
pub fn expected_collections(config: &[String], flag: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in config.iter().chain(flag) {
        let name = name.trim();
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}
