//! A counting proxy on 127.0.0.1 in front of a real server: it forwards every byte both
//! ways after a fixed delay (order kept) and counts the round trips a run took, so a test
//! can pin a command's round trips (issue 10), not its time, on any machine.
//!
//! Counting: a chunk the client sends has a depth one more than the deepest server chunk
//! already delivered on its connection, or than the deepest delivered on any connection
//! when its connection was opened (a connection is opened because of what came before);
//! a server chunk has the depth of the client chunk it answers. The deepest delivered
//! server chunk is the number of data round trips the run waited for one after another.
//! A server chunk that arrives after the client closed its side was waited for by no one
//! (the driver's fire-and-forget `endSessions` as the process exits): not counted.
//! TCP connects are not counted; a TLS handshake is. Per connection, so two connections
//! that progress side by side do not inflate each other; a command that waits for an
//! answer on another, older connection is not seen as waiting (a lower bound there).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{LOCALHOST, Server, tcp_server};

/// The delay each way: round trips stand apart in time, and a test still takes little.
pub const DELAY: Duration = Duration::from_millis(40);

/// What a run did through the proxy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub connections: usize,
    /// Chunks the client sent, and the server.
    pub client_chunks: usize,
    pub server_chunks: usize,
    /// Request turns over all connections: a client chunk after a server chunk (or first).
    pub turns: usize,
    /// Data round trips one after another (see the module doc).
    pub sequential: usize,
}

#[derive(Default)]
struct State {
    counts: Counts,
    /// Client chunks held back as slow writes, since the start (never reset).
    held: usize,
    /// Held chunks the server has answered (its reply read by the proxy).
    held_answered: usize,
    /// Client chunks that arrived while a held chunk was still unanswered, on any
    /// connection: what the client sent before the slow write settled.
    sent_while_held: Vec<Vec<u8>>,
}

struct Shared {
    state: Mutex<State>,
    upstream: u16,
    delay: Duration,
    /// Client chunks containing these bytes are held this much longer (a slow write).
    hold: Option<(Vec<u8>, Duration)>,
}

/// The proxy; it stops when dropped.
pub struct Proxy {
    server: Server,
    shared: Arc<Shared>,
}

impl Proxy {
    /// `127.0.0.1:<port>` of the proxy.
    pub fn host(&self) -> String {
        self.server.host()
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// How many client chunks were held back as slow writes so far.
    pub fn held(&self) -> usize {
        self.shared.state.lock().expect("proxy state").held
    }

    /// How many held chunks the server has answered so far (delivered late, then
    /// processed: a slow write that has landed).
    pub fn held_answered(&self) -> usize {
        self.shared.state.lock().expect("proxy state").held_answered
    }

    /// How many client chunks containing `pattern` arrived while a held chunk was
    /// still unanswered (e.g. a `drop` sent before the slow insert landed).
    pub fn sent_while_held(&self, pattern: &[u8]) -> usize {
        let state = self.shared.state.lock().expect("proxy state");
        state
            .sent_while_held
            .iter()
            .filter(|chunk| contains(chunk, pattern))
            .count()
    }

    /// The counts since the last `take` (or the start), and a fresh start.
    pub fn take(&self) -> Counts {
        let mut state = self.shared.state.lock().expect("proxy state");
        std::mem::take(&mut state.counts)
    }
}

/// A counting proxy to `127.0.0.1:upstream` that delays each direction by [`DELAY`].
pub fn counting_proxy(upstream: u16) -> Proxy {
    proxy(upstream, DELAY, None)
}

/// A proxy that forwards at once, except a client chunk containing `pattern` (a command
/// name as it sits in the BSON, e.g. `b"\x02insert\x00"`): that one is held `hold`, a
/// write that reaches the server late, after the client gave up on it. Nothing else is
/// delayed, so the layers before the slow write spend little of a tiny `--timeout`.
pub fn slow_write_proxy(upstream: u16, pattern: &[u8], hold: Duration) -> Proxy {
    proxy(upstream, Duration::ZERO, Some((pattern.to_vec(), hold)))
}

fn contains(chunk: &[u8], pattern: &[u8]) -> bool {
    chunk.windows(pattern.len()).any(|w| w == pattern)
}

fn proxy(upstream: u16, delay: Duration, hold: Option<(Vec<u8>, Duration)>) -> Proxy {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        upstream,
        delay,
        hold,
    });
    let handler_shared = Arc::clone(&shared);
    let server = tcp_server(move |client| {
        let shared = Arc::clone(&handler_shared);
        async move { relay(client, shared).await }
    });
    Proxy { server, shared }
}

/// Per connection: the depth when it was opened, the deepest server chunk delivered on it,
/// the depth of the latest client chunk (what a server chunk answers), who spoke last.
#[derive(Default)]
struct Conn {
    opened_at: usize,
    delivered: usize,
    client_depth: usize,
    client_spoke_last: bool,
    /// The client closed its side: nothing delivered after that was waited for.
    client_closed: bool,
    /// A held chunk was delivered on this connection; the server's next chunk answers it.
    awaiting_held_reply: bool,
}

async fn relay(client: TcpStream, shared: Arc<Shared>) {
    let Ok(server) = TcpStream::connect((LOCALHOST, shared.upstream)).await else {
        return;
    };
    let opened_at = {
        let mut state = shared.state.lock().expect("proxy state");
        state.counts.connections += 1;
        state.counts.sequential
    };
    let conn = Arc::new(Mutex::new(Conn {
        opened_at,
        ..Conn::default()
    }));
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::join!(
        pump(
            client_read,
            server_write,
            true,
            Arc::clone(&conn),
            Arc::clone(&shared)
        ),
        pump(server_read, client_write, false, conn, shared),
    );
}

async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    from_client: bool,
    conn: Arc<Mutex<Conn>>,
    shared: Arc<Shared>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>, usize, bool)>();
    let delivering = Arc::clone(&shared);
    let delivered_on = Arc::clone(&conn);
    let writer = tokio::spawn(async move {
        while let Some((due, data, depth, held)) = rx.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&data).await.is_err() {
                break;
            }
            if held {
                delivered_on
                    .lock()
                    .expect("proxy connection")
                    .awaiting_held_reply = true;
            }
            if !from_client {
                let mut state = delivering.state.lock().expect("proxy state");
                let mut conn = delivered_on.lock().expect("proxy connection");
                if !conn.client_closed {
                    state.counts.sequential = state.counts.sequential.max(depth);
                    conn.delivered = conn.delivered.max(depth);
                }
            }
        }
        let _ = to.shutdown().await;
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => {
                if from_client {
                    conn.lock().expect("proxy connection").client_closed = true;
                }
                break;
            }
            Ok(n) => n,
        };
        let data = buf[..n].to_vec();
        let depth = {
            let mut state = shared.state.lock().expect("proxy state");
            let mut conn = conn.lock().expect("proxy connection");
            if from_client {
                state.counts.client_chunks += 1;
                if !conn.client_spoke_last {
                    state.counts.turns += 1;
                }
                conn.client_spoke_last = true;
                conn.client_depth = conn.opened_at.max(conn.delivered) + 1;
                conn.client_depth
            } else {
                state.counts.server_chunks += 1;
                conn.client_spoke_last = false;
                if conn.awaiting_held_reply {
                    conn.awaiting_held_reply = false;
                    state.held_answered += 1;
                }
                conn.client_depth
            }
        };
        let mut delay = shared.delay;
        let mut held = false;
        if from_client {
            let mut state = shared.state.lock().expect("proxy state");
            if state.held_answered < state.held {
                state.sent_while_held.push(data.clone());
            }
            if let Some((pattern, hold)) = &shared.hold
                && contains(&data, pattern)
            {
                delay += *hold;
                held = true;
                state.held += 1;
            }
        }
        if tx
            .send((Instant::now() + delay, data, depth, held))
            .is_err()
        {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
}
