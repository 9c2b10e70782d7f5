//! The auth layer: authenticates with the MongoDB driver against the hosts the
//! connectivity layers found healthy (the driver never redoes SRV or DNS work we
//! already did, possibly through `--dns-server`), then asks `connectionStatus`
//! who the server thinks we are, all under the layer's one deadline.
//! `client` builds the driver's options, `classify` reads its errors (in one
//! place, every text redacted), `connection_status` reads its answer.

mod classify;
mod client;
mod connection_status;
mod request;

use std::net::SocketAddr;
use std::time::Duration;

use mongodb::Client;
use mongodb::bson::{Document, doc};
use mongodb::error::{Error as DriverError, ErrorKind};
use mongodb::options::{ReadPreference, SelectionCriteria, ServerAddress};
use tokio::time::Instant;

use super::connectivity::Resolved;
use super::prefetch::{Prefetched, Read};
use classify::classify;
pub use classify::{code_from_text, driver_text, scrub, server_error};
use client::client_options;
use connection_status::parse_connection_status;
use request::{Creds, refusal, resolve_creds};
pub use request::{Login, Request};

use crate::model::auth::{AuthInfo, Failure};
use crate::model::step::{Found, Layer, Status, Step};
use crate::uri::{self, ConnectionString};

/// The auth layer's result: its steps and who we are. (`authenticate` hands the
/// authenticated client back beside it, for the later layers to reuse.)
#[derive(Debug, Clone)]
pub struct AuthOutcome {
    pub steps: Vec<Step>,
    pub result: Result<AuthInfo, Failure>,
}

/// The auth layer's commands and what they answered: `connectionStatus`, and
/// without credentials an unauthenticated `listDatabases` sent beside it (one
/// round trip, not two), with the time both took.
struct Answers {
    status: Result<Document, Bounded>,
    unauthenticated: Option<Result<Document, Bounded>>,
    took: Duration,
    /// The later layers' reads, sent with them.
    prefetched: Prefetched,
}

/// Sends the auth layer's commands on `client`, and the later layers' `reads`
/// beside them, and waits for its own by `deadline`.
async fn ask(
    client: Client,
    auth_db: String,
    no_user: bool,
    reads: Vec<Read>,
    deadline: Instant,
) -> Answers {
    let start = Instant::now();
    // Sent at once with connectionStatus: each needs a connection of its own
    // now, and the pool opens them side by side (see client::options_for).
    let prefetched = Prefetched::send(&client, reads);
    let status_db = client.database(&auth_db);
    let admin = client.database("admin");
    let status = bounded(
        deadline,
        "connectionStatus",
        status_db
            .run_command(doc! { "connectionStatus": 1, "showPrivileges": true })
            .selection_criteria(any_member()),
    );
    let unauthenticated = async {
        if no_user {
            Some(
                // Through the driver's listDatabases, which reads the names one
                // entry at a time: only whether it was allowed matters here, and a
                // hostile 16 MiB answer decoded whole took 350 MB.
                bounded(
                    deadline,
                    "listDatabases",
                    admin.client().list_database_names(),
                )
                .await
                .map(|_| Document::new()),
            )
        } else {
            None
        }
    };
    let (mut status, mut unauthenticated) = tokio::join!(status, unauthenticated);
    // A read that failed first cleared the pool: its error, not "pool cleared",
    // is what connectionStatus met (see Prefetched::cause_of_cleared_pool).
    let cleared = |answer: &Result<Document, Bounded>| {
        matches!(answer, Err(Bounded::Driver(error))
            if matches!(*error.kind, ErrorKind::ConnectionPoolCleared { .. }))
    };
    if (cleared(&status) || unauthenticated.as_ref().is_some_and(cleared))
        && let Some(cause) = prefetched.cause_of_cleared_pool(deadline).await
    {
        for answer in [Some(&mut status), unauthenticated.as_mut()]
            .into_iter()
            .flatten()
        {
            if cleared(answer) {
                *answer = Err(Bounded::Driver(cause.clone()));
            }
        }
    }
    Answers {
        status,
        unauthenticated,
        took: start.elapsed(),
        prefetched,
    }
}

/// The driver's side of the auth layer, started as soon as the addresses are
/// known (a seed list at once, a `+srv` URI after the dns layer), beside the
/// layer probes: its connection,
/// its handshake (with speculative authentication) and `connectionStatus`
/// overlap our own tcp, tls and hello instead of following them. Its result is
/// used only if the layers pass; a failure to reach the deployment is not
/// taken from it (the layers explain that) but retried the usual way.
pub struct Early {
    task: tokio::task::JoinHandle<Option<(Client, Answers)>>,
    /// The client, once made: kept when its answer does not come in time.
    client: std::sync::Arc<std::sync::OnceLock<Client>>,
    /// The addresses it dials, once known.
    dialed: std::sync::Arc<std::sync::OnceLock<Vec<ServerAddress>>>,
}

/// What the early start came to by the auth layer's deadline.
enum Settled {
    /// Its client and answers.
    Answered(Client, Box<Answers>),
    /// Its client, still waiting for `connectionStatus`: the layer's deadline passed.
    Silent(Client, Duration),
    /// It could not reach the deployment (or never started): the usual path runs.
    Retry,
}

impl Early {
    /// Stops the early work: the layers failed, so its answer is not needed.
    pub fn abort(self) {
        self.task.abort();
    }

    /// Its client and answers; its client alone when the answer did not come
    /// by `deadline`; `Retry` when it could not reach the deployment at all
    /// (then the usual path runs, on the addresses the layers found).
    async fn settle(self, deadline: Instant) -> Settled {
        let started = Instant::now();
        let (client, answers) = match tokio::time::timeout_at(deadline, self.task).await {
            Ok(Ok(Some(done))) => done,
            Ok(Ok(None)) => return Settled::Retry,
            Ok(Err(joined)) => crate::panic::rethrow(joined),
            Err(_) => {
                return match self.client.get() {
                    Some(client) => Settled::Silent(client.clone(), started.elapsed()),
                    None => Settled::Retry,
                };
            }
        };
        let unreachable = |result: &Result<Document, Bounded>| {
            matches!(result, Err(Bounded::Driver(error)) if matches!(
                *error.kind,
                ErrorKind::ServerSelection { .. }
                    | ErrorKind::Io(_)
                    | ErrorKind::DnsResolve { .. }
                    | ErrorKind::ConnectionPoolCleared { .. }
            ))
        };
        if unreachable(&answers.status) {
            Settled::Retry
        } else {
            Settled::Answered(client, Box::new(answers))
        }
    }
}

/// What the driver's early start needs.
pub struct Start<'a> {
    pub cs: &'a ConnectionString,
    pub login: &'a Login,
    pub roots: super::trust::Shared,
    /// The later layers' reads, sent beside `connectionStatus`.
    pub reads: Vec<Read>,
    /// One layer's time: the bound of the driver's selection and connecting.
    pub layer_timeout: Duration,
    /// The bound of all its work (it may wait through the layers before it).
    pub deadline: Instant,
    /// For a `+srv` URI: what the dns layer found, when it has.
    pub found: Option<tokio::sync::mpsc::UnboundedReceiver<Resolved>>,
}

/// Starts the driver's side of the auth layer at once: for a seed list with its
/// hosts, for a `+srv` URI as soon as the dns layer has found the hosts and the
/// TXT options (beside the tcp, tls and hello probes, not after them).
pub fn start(start: Start<'_>) -> Option<Early> {
    let srv = start.cs.scheme == uri::Scheme::Srv;
    let mut found = start.found;
    if srv && found.is_none() {
        return None;
    }
    if !srv && refusal(&resolve_creds(start.cs, &[], start.login)).is_some() {
        return None;
    }
    let (cs, login, roots) = (start.cs.clone(), start.login.clone(), start.roots);
    let (reads, layer_timeout, deadline) = (start.reads, start.layer_timeout, start.deadline);
    let slot = std::sync::Arc::new(std::sync::OnceLock::new());
    let client_slot = std::sync::Arc::clone(&slot);
    let dialed = std::sync::Arc::new(std::sync::OnceLock::new());
    let dialed_slot = std::sync::Arc::clone(&dialed);
    let task = tokio::spawn(async move {
        let (hosts, txt) = if let Some(found) = found.as_mut() {
            let found = tokio::time::timeout_at(deadline, found.recv())
                .await
                .ok()
                .flatten()?;
            let mut hosts = Vec::new();
            for host in &found.hosts {
                if let Some(ip) = host.ips.first() {
                    let reached = SocketAddr::new(*ip, host.port);
                    // The usual path words any renaming; here it only decides.
                    let mut unshown = Vec::new();
                    hosts.push(
                        client::dial_address(&host.name, reached, deadline, &mut unshown, None)
                            .await,
                    );
                }
            }
            (hosts, found.txt_options)
        } else {
            let seed = cs.hosts.iter().map(|h| ServerAddress::Tcp {
                host: h.name.clone(),
                port: Some(h.port_or_default()),
            });
            (seed.collect(), Vec::new())
        };
        let creds = resolve_creds(&cs, &txt, &login);
        if refusal(&creds).is_some() {
            return None;
        }
        let _ = dialed_slot.set(hosts.clone());
        let roots = if cs.tls_enabled() {
            Some(roots.get(cs.tls_ca_file()).await.ok()?)
        } else {
            None
        };
        let target = client::Target {
            cs: &cs,
            hosts,
            txt: &txt,
            roots: roots.as_ref(),
            // Selection and connecting get one layer's time, counted from the
            // first command: a driver whose handshakes all fail then says why
            // before the auth layer's deadline, which comes a layer's time after
            // the layers it waits for, and its whole work `deadline`.
            deadline: Instant::now() + layer_timeout,
        };
        let options = client::options_for(&target, &creds).await.ok()?;
        let client = Client::with_options(options).ok()?;
        let _ = client_slot.set(client.clone());
        let no_user = creds.user.is_none() && creds.mechanism.as_deref() != Some("MONGODB-X509");
        let answers = ask(
            client.clone(),
            creds.auth_db.clone(),
            no_user,
            reads,
            deadline,
        )
        .await;
        Some((client, answers))
    });
    Some(Early {
        task,
        client: slot,
        dialed,
    })
}

/// The driver's client as the auth layer leaves it to the later layers, with
/// their reads already in flight.
pub struct Driver {
    pub client: Client,
    pub prefetched: Prefetched,
}

/// Authenticates and runs `connectionStatus {showPrivileges: true}`, all by
/// the request's deadline, taking the early start's answers when it has them.
/// Returns the client too, for the later layers.
pub async fn authenticate(
    req: &Request<'_>,
    early: Option<Early>,
) -> (AuthOutcome, Option<Driver>) {
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

    match refusal(&creds) {
        Some(failure @ Failure::NoPassword { .. }) => {
            steps.push(Step::failed(
                Layer::Auth,
                format!(
                    "authenticate {}@{}",
                    creds.user.as_deref().unwrap_or_default(),
                    creds.auth_db
                ),
                &failure,
            ));
            return fail(steps, failure);
        }
        Some(failure) => {
            steps.push(
                Step::new(
                    Layer::Auth,
                    format!(
                        "mechanism {}",
                        creds.mechanism.as_deref().unwrap_or_default()
                    ),
                    Status::Skip,
                    String::new(),
                )
                .met(&failure),
            );
            return fail(steps, failure);
        }
        None => {}
    }

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
    if let Some(mechanism) = &mechanism {
        steps.push(
            Step::found(
                Layer::Auth,
                "mechanism",
                Status::Pass,
                Found::Mechanism {
                    name: mechanism.clone(),
                    asked: creds.mechanism.is_some(),
                    auth_db: creds.auth_db.clone(),
                },
            )
            .minor(),
        );
    }

    let hosts = client::driver_addresses(req, &mut steps).await;
    // The early client dials the seed list's names (or what the dns layer found);
    // when the usual path would dial another address (the system resolver does
    // not know a name that came from --dns-server, so the driver must dial the
    // address our probe reached), the early work is no use.
    let renamed = |early: &Early| {
        early
            .dialed
            .get()
            .is_none_or(|dialed| hosts.iter().any(|address| !dialed.contains(address)))
    };
    let settled = match early {
        Some(early) if !renamed(&early) => {
            early
                .settle(crate::deadline::Deadline::at(req.deadline).with_grace())
                .await
        }
        Some(early) => {
            early.abort();
            Settled::Retry
        }
        None => Settled::Retry,
    };
    let (client, answers) = if let Settled::Answered(client, answers) = settled {
        (client, *answers)
    } else if let Settled::Silent(client, after) = settled {
        let answers = Answers {
            status: Err(Bounded::Silent {
                command: "connectionStatus",
                after,
            }),
            unauthenticated: None,
            took: after,
            prefetched: Prefetched::default(),
        };
        (client, answers)
    } else {
        let options = match client_options(req, hosts, &creds).await {
            Ok(options) => options,
            Err(failure) => {
                steps.push(Step::failed(Layer::Auth, "client options", &failure));
                return fail(steps, failure);
            }
        };
        let client = match Client::with_options(options) {
            Ok(client) => client,
            Err(error) => {
                let failure = Failure::Config {
                    reason: driver_text(&error, creds.password.as_ref()),
                };
                steps.push(Step::failed(Layer::Auth, "client", &failure));
                return fail(steps, failure);
            }
        };
        let no_user = creds.user.is_none() && creds.mechanism.as_deref() != Some("MONGODB-X509");
        let answers = ask(
            client.clone(),
            creds.auth_db.clone(),
            no_user,
            req.reads.to_vec(),
            crate::deadline::Deadline::at(req.deadline).with_grace(),
        )
        .await;
        (client, answers)
    };
    let Answers {
        status,
        unauthenticated,
        took,
        prefetched,
    } = answers;
    let driver = Driver { client, prefetched };
    let status = match status {
        Ok(status) => status,
        Err(error) => {
            let failure = error.into_failure(|error| {
                classify(error, &creds, mechanism.as_deref(), offered.as_deref())
            });
            if matches!(failure, Failure::Rejected { .. }) {
                steps.push(
                    Step::found(
                        Layer::Auth,
                        "SASL conversation (saslStart/saslContinue)",
                        Status::Fail,
                        Found::Conversation { completed: false },
                    )
                    .took(took)
                    .minor(),
                );
            }
            let name = match &creds.user {
                Some(user) => format!("authenticate {user}@{}", creds.auth_db),
                None => "connectionStatus".to_string(),
            };
            steps.push(Step::failed(Layer::Auth, name, &failure).took(took));
            return fail(steps, failure);
        }
    };
    if creds.user.is_some() {
        steps.push(
            Step::found(
                Layer::Auth,
                "SASL conversation (saslStart/saslContinue)",
                Status::Pass,
                Found::Conversation { completed: true },
            )
            .minor(),
        );
    }
    let mut info = parse_connection_status(&status);
    info.mechanism.clone_from(&mechanism);

    if info.user.is_none() {
        // No credentials: does the server let an unauthenticated client do anything?
        let probe = unauthenticated.unwrap_or_else(|| {
            Err(Bounded::Silent {
                command: "listDatabases",
                after: Duration::ZERO,
            })
        });
        match probe {
            Ok(_) => steps.push(
                Step::found(
                    Layer::Auth,
                    "connectionStatus",
                    Status::Warn,
                    Found::NoAuthRequired,
                )
                .took(took),
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
                    Step::failed(Layer::Auth, "unauthenticated listDatabases", &failure).took(took),
                );
                return (
                    AuthOutcome {
                        steps,
                        result: Err(failure),
                    },
                    Some(driver),
                );
            }
        }
    } else {
        steps.push(
            Step::found(
                Layer::Auth,
                format!(
                    "authenticate {}@{}",
                    info.user.as_deref().unwrap_or_default(),
                    info.db.as_deref().unwrap_or(&creds.auth_db)
                ),
                Status::Pass,
                Found::Auth(info.clone()),
            )
            .took(took),
        );
    }
    (
        AuthOutcome {
            steps,
            result: Ok(info),
        },
        Some(driver),
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
        Ok(result) => result.map_err(|e| Bounded::Driver(crate::probe::driver::cut(e))),
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
    let name = format!("saslSupportedMechs {}.{user}", creds.auth_db);
    steps.push(
        Step::found(
            Layer::Auth,
            name,
            Status::Pass,
            Found::Offered(offered.clone()),
        )
        .on(&host.address)
        .minor(),
    );
    Some(offered)
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
            password: Some(crate::model::secret::SecretString::new("pw")),
        };
        let cs = ConnectionString::parse("mongodb://h/").unwrap();
        assert_eq!(resolve_creds(&cs, &[], &login).user.as_deref(), Some("cfg"));
        let cs = ConnectionString::parse("mongodb://uri:p@h/").unwrap();
        assert_eq!(resolve_creds(&cs, &[], &login).user.as_deref(), Some("uri"));
    }
}
