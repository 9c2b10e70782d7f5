//! The tcp layer: connect to every address of a host at once, each within the
//! deadline; refused, unreachable or timed out, and the connect time.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::model::tcp::Error;

impl Error {
    fn from_io(e: &io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::ConnectionRefused => Error::Refused,
            io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::AddrNotAvailable => Error::Unreachable {
                reason: e.to_string(),
            },
            io::ErrorKind::TimedOut => Error::TimedOut {
                after: Duration::ZERO,
            },
            _ => Error::Other {
                reason: e.to_string(),
            },
        }
    }
}

/// One address's outcome.
#[derive(Debug)]
pub struct Attempt {
    pub addr: SocketAddr,
    pub duration: Duration,
    /// `None` when another address connected first and this one was not waited for.
    pub result: Option<Result<(), Error>>,
}

/// The connected stream of the first address that answered, and every attempt.
pub struct Outcome {
    pub connected: Option<(TcpStream, SocketAddr, Duration)>,
    pub attempts: Vec<Attempt>,
}

/// Connects to every address concurrently and keeps the first that succeeds.
pub async fn connect_all(addrs: &[SocketAddr], deadline: Duration) -> Outcome {
    let mut set = JoinSet::new();
    for &addr in addrs {
        set.spawn(async move {
            let start = Instant::now();
            let result = match tokio::time::timeout(deadline, TcpStream::connect(addr)).await {
                Ok(Ok(stream)) => {
                    let _ = stream.set_nodelay(true);
                    Ok(stream)
                }
                Ok(Err(e)) => Err(Error::from_io(&e)),
                Err(_) => Err(Error::TimedOut { after: deadline }),
            };
            (addr, start.elapsed(), result)
        });
    }
    let mut connected = None;
    let mut attempts = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (addr, duration, result) = joined.unwrap_or_else(|e| crate::panic::rethrow(e));
        match result {
            Ok(stream) => {
                attempts.push(Attempt {
                    addr,
                    duration,
                    result: Some(Ok(())),
                });
                connected = Some((stream, addr, duration));
                break;
            }
            Err(e) => attempts.push(Attempt {
                addr,
                duration,
                result: Some(Err(e)),
            }),
        }
    }
    // Another address connected: the rest are not worth a deadline.
    set.abort_all();
    for addr in addrs {
        if !attempts.iter().any(|a| a.addr == *addr) {
            attempts.push(Attempt {
                addr: *addr,
                duration: Duration::ZERO,
                result: None,
            });
        }
    }
    Outcome {
        connected,
        attempts,
    }
}

/// The most telling error among failed attempts: refused beats unreachable beats timeout.
pub fn worst(attempts: &[Attempt]) -> Option<Error> {
    let errors = attempts
        .iter()
        .filter_map(|a| a.result.as_ref().and_then(|r| r.as_ref().err()));
    errors
        .min_by_key(|e| match e {
            Error::Refused => 0,
            Error::Unreachable { .. } => 1,
            Error::TimedOut { .. } => 2,
            Error::Other { .. } => 3,
        })
        .cloned()
}
