//! Stop signals for the whole run: SIGINT (Ctrl-C), SIGTERM (`kill`, a CI runner
//! cancelling the job) and SIGHUP (the terminal closed), listened for from the
//! start of a probing command to its last write. A signal ends the process at
//! once with 128 + its number, writing no report, in whatever phase it comes
//! (probes, the Atlas API on its blocking thread, the scan, rendering): nothing
//! but the CRUD check leaves anything behind. While the CRUD check's scratch
//! collection exists (a [`Cleanup`] is held), the signal is handed to it instead:
//! it drops the collection, the run reports what it saw as interrupted and exits
//! with the signal's code, within a bounded grace.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::watch;

use crate::model::signal::Signal;

/// How long the run gets, after a cleanup ended, to report before the process
/// ends anyway (the report after an interrupted CRUD check comes in milliseconds).
const GRACE_AFTER_CLEANUP: Duration = Duration::from_secs(1);

/// The first signal received (0: none).
static RECEIVED: AtomicU8 = AtomicU8::new(0);
/// Cleanups in progress: while any is, a signal is theirs to handle.
static CLEANUPS: AtomicUsize = AtomicUsize::new(0);
/// The signal, for the cleanups to await; `None` until [`install`] ran.
static WATCH: std::sync::OnceLock<watch::Sender<Option<Signal>>> = std::sync::OnceLock::new();

/// The first stop signal received, if any.
pub fn received() -> Option<Signal> {
    Signal::from_code(RECEIVED.load(Ordering::SeqCst))
}

/// Starts listening, on the current tokio runtime. From here on the default
/// action of the three signals is replaced, so the listener must stay alive to
/// the end of the process (the runtime is never shut down).
pub fn install() -> std::io::Result<()> {
    let (tx, _) = watch::channel(None);
    let mut listener = Listener::new()?;
    if WATCH.set(tx).is_err() {
        return Ok(());
    }
    tokio::spawn(async move {
        loop {
            let signal = listener.next().await;
            let _ = RECEIVED.compare_exchange(0, signal.code(), Ordering::SeqCst, Ordering::SeqCst);
            if CLEANUPS.load(Ordering::SeqCst) == 0 {
                end(signal);
            }
            if let Some(tx) = WATCH.get() {
                tx.send_replace(Some(signal));
            }
        }
    });
    Ok(())
}

/// Ends the process for `signal`: a line on stderr, no report.
fn end(signal: Signal) -> ! {
    eprintln!(
        "atlas-doctor: interrupted by {}; no report written",
        signal.name()
    );
    std::process::exit(i32::from(signal.exit_code()))
}

/// Held while something must be undone before the process may end (the CRUD
/// check's scratch collection). Dropping the last one after a signal gives the
/// run [`GRACE_AFTER_CLEANUP`] to report, then ends the process.
#[must_use]
pub struct Cleanup {
    signals: Option<watch::Receiver<Option<Signal>>>,
}

impl Cleanup {
    /// Starts a cleanup; `Err` when no listener is installed (a signal would
    /// then kill the process without it).
    pub fn begin() -> std::io::Result<Cleanup> {
        let tx = WATCH
            .get()
            .ok_or_else(|| std::io::Error::other("the stop-signal listener is not installed"))?;
        CLEANUPS.fetch_add(1, Ordering::SeqCst);
        Ok(Cleanup {
            signals: Some(tx.subscribe()),
        })
    }

    /// Resolves on the stop signal (at once when one came already).
    pub async fn signalled(&mut self) -> Signal {
        if let Some(signal) = received() {
            return signal;
        }
        let Some(rx) = self.signals.as_mut() else {
            return std::future::pending().await;
        };
        let signal = match rx.wait_for(Option::is_some).await {
            Ok(signal) => *signal,
            Err(_) => None,
        };
        match signal {
            Some(signal) => signal,
            None => std::future::pending().await,
        }
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if CLEANUPS.fetch_sub(1, Ordering::SeqCst) == 1
            && let Some(signal) = received()
        {
            std::thread::spawn(move || {
                std::thread::sleep(GRACE_AFTER_CLEANUP);
                end(signal);
            });
        }
    }
}

/// The three signals' streams (Ctrl-C only off Unix).
struct Listener {
    #[cfg(unix)]
    signals: [(tokio::signal::unix::Signal, Signal); 3],
}

impl Listener {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Listener {
                signals: [
                    (signal(SignalKind::interrupt())?, Signal::Int),
                    (signal(SignalKind::terminate())?, Signal::Term),
                    (signal(SignalKind::hangup())?, Signal::Hup),
                ],
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Listener {})
        }
    }

    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            let [(int, a), (term, b), (hup, c)] = &mut self.signals;
            tokio::select! {
                _ = int.recv() => *a,
                _ = term.recv() => *b,
                _ = hup.recv() => *c,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Int
        }
    }
}
