//! The one panic policy. A panic is atlas-doctor's own failure, never the
//! target's: on the main thread (command glue, judging, rendering) the hook
//! names the layer and ends the process with `internal` (70) instead of Rust's
//! 101; in a task (a probe, the Atlas API, the scan), the hook records where it
//! happened and the task's join error becomes the run's `internal` verdict,
//! naming the same layer (`probe::lost_task`, `diagnose::lost`). Nothing catches
//! a panic and carries on as if it had not happened.

use std::sync::{Mutex, PoisonError};

use crate::model::exit;

/// Where a panic happened and what it said (the message already scrubbed of secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The layer whose code panicked (`data`, `atlas`, `scan`, `driver`...).
    pub layer: &'static str,
    /// `file:line`.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a panic in the {} layer ({}): {}",
            self.layer, self.location, self.message
        )
    }
}

/// The last panic a task reported, for the join error that follows it.
static LAST: Mutex<Option<Record>> = Mutex::new(None);

/// The layer a source file belongs to, from its path as the compiler gives it
/// (`src/probe/data.rs`; a dependency's is absolute or under `vendor/`).
pub fn layer_of(file: &str) -> &'static str {
    let file = file.replace('\\', "/");
    let Some(path) = file.strip_prefix("src/") else {
        return if ["mongodb", "bson"].iter().any(|d| file.contains(d)) {
            "driver"
        } else {
            "dependency"
        };
    };
    let path = path.trim_end_matches(".rs");
    let mut parts = path.split('/');
    match (parts.next(), parts.next()) {
        (Some("probe"), Some("dns" | "resolve")) => "dns",
        (Some("probe"), Some("tcp")) => "tcp",
        (Some("probe"), Some("tls" | "trust")) => "tls",
        (Some("probe"), Some("hello" | "host" | "deployment")) => "hello",
        (Some("probe"), Some("auth" | "prefetch")) => "auth",
        (Some("probe"), Some("data")) => "data",
        (Some("probe"), Some("crud")) | (Some("crud"), _) => "crud",
        (Some("probe"), Some("status")) => "status",
        (Some("probe"), _) => "connectivity",
        (Some("atlas"), _) => "atlas",
        (Some("scan"), _) => "scan",
        (Some("uri"), _) => "uri",
        (Some("cli" | "config"), _) => "config",
        (Some("diagnose" | "checklist"), _) => "diagnose",
        (Some("report"), _) => "report",
        (Some("explain" | "wording"), _) => "explain",
        _ => "pipeline",
    }
}

fn record(info: &std::panic::PanicHookInfo<'_>) -> Record {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string());
    let (layer, location) = info.location().map_or(("pipeline", String::new()), |l| {
        (layer_of(l.file()), format!("{}:{}", l.file(), l.line()))
    });
    Record {
        layer,
        location,
        message: crate::redact::redact_text(&message),
    }
}

/// Installs the hook (`main`, once, before anything runs).
pub fn install() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let record = record(info);
        if std::thread::current().name() == Some("main") {
            eprintln!("atlas-doctor: error: internal: {record}");
            eprintln!(
                "hint: this is atlas-doctor failing, not your connection; please report it with the command you ran (password removed)."
            );
            std::process::exit(i32::from(exit::INTERNAL));
        }
        *LAST.lock().unwrap_or_else(PoisonError::into_inner) = Some(record);
        default(info);
    }));
}

/// The last panic a task reported, if any.
pub fn last() -> Option<Record> {
    LAST.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// What a task that did not finish was: its panic (with the layer the hook
/// recorded, when there is one) or a cancellation. Every join error of the run
/// goes through here, so none is dropped.
pub fn lost(error: &tokio::task::JoinError) -> String {
    if error.is_panic() {
        last().map_or_else(|| "a task panicked".to_string(), |r| r.to_string())
    } else {
        "a task was cancelled".to_string()
    }
}

/// Re-raises a task's panic in the task that waited for it, so the panic
/// reaches the run's one catch point (the pipeline's join) instead of being
/// dropped; a cancellation, which nothing of ours asks for here, is one too.
pub fn rethrow(error: tokio::task::JoinError) -> ! {
    if error.is_panic() {
        std::panic::resume_unwind(error.into_panic())
    }
    panic!("a task was cancelled")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_file_names_its_layer() {
        let table = [
            ("src/probe/dns.rs", "dns"),
            ("src/probe/resolve.rs", "dns"),
            ("src/probe/tcp.rs", "tcp"),
            ("src/probe/trust.rs", "tls"),
            ("src/probe/hello.rs", "hello"),
            ("src/probe/auth/client.rs", "auth"),
            ("src/probe/data.rs", "data"),
            ("src/crud.rs", "crud"),
            ("src/probe/crud.rs", "crud"),
            ("src/probe/status.rs", "status"),
            ("src/probe/mod.rs", "connectivity"),
            ("src/atlas/client.rs", "atlas"),
            ("src/scan.rs", "scan"),
            ("src/report/human.rs", "report"),
            ("src/diagnose/atlas.rs", "diagnose"),
            ("src/commands.rs", "pipeline"),
            (
                "/root/.cargo/registry/src/index.crates.io-1/mongodb-3.3.0/src/cmap/worker.rs",
                "driver",
            ),
            ("vendor/bson/src/de/raw.rs", "driver"),
            ("/rustc/abc/library/core/src/option.rs", "dependency"),
        ];
        for (file, layer) in table {
            assert_eq!(layer_of(file), layer, "{file}");
        }
    }

    /// Issue 19 item 4: a panicked listing, count or connect was dropped silently
    /// (its result skipped); re-raised, it reaches the one catch point.
    #[tokio::test]
    async fn r19_a_panicked_subtask_is_never_dropped() {
        let outer = tokio::spawn(async {
            let mut set = tokio::task::JoinSet::new();
            set.spawn(async { 1 });
            set.spawn(async { panic!("a count bug") });
            let mut sum = 0;
            while let Some(joined) = set.join_next().await {
                sum += joined.unwrap_or_else(|e| rethrow(e));
            }
            sum
        });
        let error = outer.await.expect_err("the panic reaches the outer join");
        assert!(error.is_panic());
    }

    #[tokio::test]
    async fn a_join_error_says_panic_or_cancellation() {
        let task = tokio::spawn(std::future::pending::<()>());
        task.abort();
        let error = task.await.expect_err("cancelled");
        assert_eq!(lost(&error), "a task was cancelled");
        let error = tokio::spawn(async { panic!("boom") })
            .await
            .expect_err("panicked");
        assert!(lost(&error).contains("panic"), "{}", lost(&error));
    }
}
