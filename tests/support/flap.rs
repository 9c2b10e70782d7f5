//! Peers that change under a watching client (issue 24): a listener that is up,
//! then refuses new connections and drops the open ones, in turns; and a
//! replica set whose primary moves (or goes away). The test flips them while
//! `atlas-doctor watch` runs, so its rounds both pass and fail.

use std::net::TcpListener as StdTcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mongodb::bson::{Document, doc};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::{LOCALHOST, default_hello, runtime, serve_commands};

/// A fake standalone mongod that can be switched off (connections refused, the
/// open ones dropped) and on again, on the same port.
pub struct Flapping {
    pub port: u16,
    up: watch::Sender<bool>,
    rt: Option<tokio::runtime::Runtime>,
}

impl Flapping {
    /// Starts up, answering `hello` as a standalone and `ping`.
    pub fn start() -> Flapping {
        let rt = runtime();
        let port = StdTcpListener::bind((LOCALHOST, 0))
            .expect("bind 127.0.0.1:0")
            .local_addr()
            .expect("addr")
            .port();
        let (up, mut state) = watch::channel(true);
        rt.spawn(async move {
            loop {
                if !*state.borrow_and_update() {
                    if state.changed().await.is_err() {
                        return;
                    }
                    continue;
                }
                let listener = bind(port).await;
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            if let Ok((stream, _)) = accepted {
                                tokio::spawn(serve_until_down(stream, state.clone()));
                            }
                        }
                        changed = state.changed() => {
                            if changed.is_err() {
                                return;
                            }
                            if !*state.borrow() {
                                // Dropping the listener closes the port: refused.
                                break;
                            }
                        }
                    }
                }
            }
        });
        Flapping {
            port,
            up,
            rt: Some(rt),
        }
    }

    /// `mongodb://127.0.0.1:<port>/`.
    pub fn uri(&self) -> String {
        format!("mongodb://{LOCALHOST}:{}/", self.port)
    }

    /// `127.0.0.1:<port>`, as rows and events name the host.
    pub fn host(&self) -> String {
        format!("{LOCALHOST}:{}", self.port)
    }

    /// Refuse new connections and drop the open ones.
    pub fn down(&self) {
        self.up.send_replace(false);
    }

    /// Listen and answer again.
    pub fn up(&self) {
        self.up.send_replace(true);
    }

    /// Flips on its own: up for `up`, down for `down`, forever (demos, benches).
    pub fn flap_every(&self, up: Duration, down: Duration) {
        let sender = self.up.clone();
        self.rt.as_ref().expect("runtime").spawn(async move {
            loop {
                tokio::time::sleep(up).await;
                sender.send_replace(false);
                tokio::time::sleep(down).await;
                sender.send_replace(true);
            }
        });
    }
}

impl Drop for Flapping {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// Binds the port again; it was ours a moment ago, so retry briefly while the
/// kernel lets go of it.
async fn bind(port: u16) -> TcpListener {
    for _ in 0..100 {
        if let Ok(listener) = TcpListener::bind((LOCALHOST, port)).await {
            return listener;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("127.0.0.1:{port} could not be bound again");
}

async fn serve_until_down(stream: TcpStream, mut state: watch::Receiver<bool>) {
    let hello = default_hello();
    tokio::select! {
        () = serve_commands(stream, |command| answer(&hello, command)) => {}
        // The stream is dropped with the serving future: the client sees a close.
        () = async { while state.changed().await.is_ok() && *state.borrow() {} } => {}
    }
}

fn answer(hello: &Document, command: &Document) -> Document {
    match command.keys().next().map(String::as_str) {
        Some("hello" | "isMaster" | "ismaster") => hello.clone(),
        Some("ping") => doc! {"ok": 1.0},
        _ => {
            doc! {"ok": 0.0, "code": 59, "codeName": "CommandNotFound", "errmsg": "no such command"}
        }
    }
}

/// A replica set `rs0` of fake members on their own ports, whose primary the
/// test moves (or removes: no member is primary).
pub struct MovingPrimary {
    pub ports: Vec<u16>,
    primary: Arc<Mutex<Option<usize>>>,
    _servers: Vec<super::Server>,
}

impl MovingPrimary {
    /// `members` members, the first primary.
    pub fn start(members: usize) -> MovingPrimary {
        let primary = Arc::new(Mutex::new(Some(0)));
        let ports: Vec<u16> = (0..members)
            .map(|_| {
                StdTcpListener::bind((LOCALHOST, 0))
                    .expect("bind")
                    .local_addr()
                    .expect("addr")
                    .port()
            })
            .collect();
        let hosts: Vec<String> = ports.iter().map(|p| format!("{LOCALHOST}:{p}")).collect();
        let servers = (0..members)
            .map(|me| {
                let primary = Arc::clone(&primary);
                let hosts = hosts.clone();
                super::tcp_server_on(ports[me], move |stream| {
                    let primary = Arc::clone(&primary);
                    let hosts = hosts.clone();
                    async move {
                        serve_commands(stream, |command| {
                            let current = *primary.lock().expect("primary");
                            member_answer(command, me, current, &hosts)
                        })
                        .await;
                    }
                })
            })
            .collect();
        MovingPrimary {
            ports,
            primary,
            _servers: servers,
        }
    }

    /// `mongodb://h1,h2,.../?replicaSet=rs0`.
    pub fn uri(&self) -> String {
        format!("mongodb://{}/?replicaSet=rs0", self.hosts().join(","))
    }

    pub fn hosts(&self) -> Vec<String> {
        self.ports
            .iter()
            .map(|p| format!("{LOCALHOST}:{p}"))
            .collect()
    }

    /// Makes member `index` primary, or none.
    pub fn set_primary(&self, index: Option<usize>) {
        *self.primary.lock().expect("primary") = index;
    }
}

fn member_answer(
    command: &Document,
    me: usize,
    primary: Option<usize>,
    hosts: &[String],
) -> Document {
    match command.keys().next().map(String::as_str) {
        Some("hello" | "isMaster" | "ismaster") => {
            let mut reply = default_hello();
            let is_primary = primary == Some(me);
            reply.insert("setName", "rs0");
            reply.insert("hosts", hosts.to_vec());
            reply.insert("me", hosts[me].clone());
            reply.insert("isWritablePrimary", is_primary);
            reply.insert("ismaster", is_primary);
            reply.insert("secondary", !is_primary);
            if let Some(primary) = primary {
                reply.insert("primary", hosts[primary].clone());
            }
            reply
        }
        Some("ping") => doc! {"ok": 1.0},
        _ => {
            doc! {"ok": 0.0, "code": 59, "codeName": "CommandNotFound", "errmsg": "no such command"}
        }
    }
}
