//! `atlas-doctor watch` end to end (issue 24): the built binary watching peers
//! that change under it (tests/support/flap.rs), read line by line as it runs,
//! then stopped with a signal like a user's Ctrl-C.

mod support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::flap::{Flapping, MovingPrimary};

/// A running `atlas-doctor watch --format json`, its lines as they come.
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<Value>,
    dir: tempfile::TempDir,
}

impl Watching {
    fn start(args: &[&str]) -> Watching {
        Self::start_with(args, &[])
    }

    /// With files (name, contents) written into its current directory first.
    fn start_with(args: &[&str], files: &[(&str, &str)]) -> Watching {
        let (mut cmd, dir) = support::pinned_command();
        for (name, contents) in files {
            std::fs::write(dir.path().join("work").join(name), contents).expect("write file");
        }
        cmd.arg("watch")
            .args(args)
            .args(["--format", "json"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn atlas-doctor watch");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Watching {
            child,
            lines,
            seen: Vec::new(),
            dir,
        }
    }

    fn work_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("work")
    }

    /// The next line that matches, within `within`; panics with every line seen.
    fn wait_for(
        &mut self,
        what: &str,
        within: Duration,
        matches: impl Fn(&Value) -> bool,
    ) -> Value {
        let end = Instant::now() + within;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let value: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                    self.seen.push(value.clone());
                    if matches(&value) {
                        return value;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
                    panic!(
                        "no {what} within {within:?}; lines so far:\n{}",
                        self.dump()
                    )
                }
            }
        }
    }

    fn dump(&self) -> String {
        self.seen
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Sends `signal`, then reads to the end: the exit code, how long it took
    /// to exit after the signal, and the last line (the summary).
    fn stop(self, signal: i32) -> (i32, Duration, Value, Vec<Value>) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        let sent = Instant::now();
        send_signal(pid, signal);
        self.finish(sent)
    }

    /// Like [`Watching::finish`], also reading `file` (in its current directory)
    /// before the temp dir goes.
    fn finish_reading(self, file: &str) -> (i32, Value, String) {
        let path = self.work_dir().join(file);
        let dir = tempfile::tempdir().expect("temp dir");
        let kept = dir.path().join(file);
        let (code, _, summary, _) = self.finish_then(Instant::now(), || {
            std::fs::copy(&path, &kept).expect("the file was written");
        });
        let text = std::fs::read_to_string(kept).expect("read the copy");
        (code, summary, text)
    }

    fn finish(self, since: Instant) -> (i32, Duration, Value, Vec<Value>) {
        self.finish_then(since, || {})
    }

    fn finish_then(
        mut self,
        since: Instant,
        after_exit: impl FnOnce(),
    ) -> (i32, Duration, Value, Vec<Value>) {
        let status = self.child.wait().expect("wait");
        after_exit();
        let took = since.elapsed();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen
                .push(serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}")));
        }
        let code = status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal: {status:?}\n{}", self.dump()));
        let last = self.seen.last().cloned().expect("no line at all");
        (code, took, last, self.seen)
    }
}

/// kill(1): the standard library can only send SIGKILL, and the crate forbids
/// the unsafe call to libc.
fn send_signal(pid: i32, signal: i32) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid}");
}

const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;
const WAIT: Duration = Duration::from_secs(15);

fn is_round(v: &Value) -> bool {
    v["type"] == "round"
}

fn is_event(v: &Value, kind: &str) -> bool {
    v["type"] == "event" && v["kind"] == kind
}

/// Parses a metrics file with the Prometheus project's own Python parser (in
/// the test bed's venv: `scripts/testbed install`): family name -> samples.
fn parse_metrics(path: &std::path::Path) -> Value {
    let bed_dir = std::env::var_os("ATLAS_DOCTOR_TESTBED").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".testbed"),
        |f| {
            std::path::PathBuf::from(f)
                .parent()
                .expect("bed dir")
                .to_path_buf()
        },
    );
    let python = bed_dir.join("venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/testbed install",
        python.display()
    );
    let script = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    out[family.name] = {"type": family.type,
                        "samples": [[s.name, s.labels, s.value] for s in family.samples]}
print(json.dumps(out))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "the Prometheus parser refused the file: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(path).unwrap_or_default()
    );
    serde_json::from_slice(&output.stdout).expect("parser output")
}

fn sample(metrics: &Value, family: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    metrics[family]["samples"]
        .as_array()?
        .iter()
        .find(|s| s[0] == name && labels.iter().all(|(k, v)| s[1][*k] == *v))
        .and_then(|s| s[2].as_f64())
}

/// Items 1, 3, 4, 7: against the flapping listener, rounds pass, fail and pass
/// again; the events name each change; Ctrl-C ends the watch within about a
/// second with the summary counting the failures by class; the metrics file
/// parses; the exit code is the class that failed most often.
#[test]
fn r24_a_flapping_listener_fails_and_recovers_and_ctrl_c_prints_the_summary() {
    let flap = Flapping::start();
    let host = flap.host();
    let mut watch = Watching::start(&[
        "--uri",
        &flap.uri(),
        "--interval",
        "150ms",
        "--timeout",
        "1",
        "--metrics-file",
        "atlas.prom",
    ]);
    for _ in 0..2 {
        let round = watch.wait_for("a passing round", WAIT, is_round);
        assert_eq!(round["verdict"], "ok", "{round}");
        assert_eq!(round["hosts"][0]["host"], host.as_str());
        assert!(round["hosts"][0]["rtt_ms"].as_f64().is_some(), "{round}");
    }
    // The kept connection is open from the first round on: its ping passes.
    let third = watch.wait_for("a kept row", WAIT, |v| is_round(v) && v["round"] == 3);
    assert_eq!(third["kept"]["host"], host.as_str(), "{third}");
    assert_eq!(third["kept"]["class"], "ok", "{third}");

    flap.down();
    let failing = watch.wait_for("failing tcp", WAIT, |v| {
        is_event(v, "failing") && v["layer"] == "tcp"
    });
    assert_eq!(failing["host"], host.as_str());
    assert_eq!(failing["class"], "tcp_refused");
    // The kept connection was dropped under it: a failure of its own row.
    watch.wait_for("failing kept", WAIT, |v| {
        is_event(v, "failing") && v["layer"] == "kept"
    });
    let failed = watch.wait_for("a failed round", WAIT, |v| {
        is_round(v) && v["verdict"] == "fail"
    });
    assert_eq!(failed["class"], "tcp_refused");
    assert_eq!(failed["exit_code"], 11);
    assert_eq!(failed["hosts"][0]["layer"], "tcp");

    flap.up();
    let recovered = watch.wait_for("recovered tcp", WAIT, |v| {
        is_event(v, "recovered") && v["layer"] == "tcp"
    });
    assert_eq!(recovered["host"], host.as_str());
    watch.wait_for("a passing round again", WAIT, |v| {
        is_round(v) && v["verdict"] == "ok"
    });
    // Read while the watch runs: its files go with its temp dir. Each write
    // is a rename, so a round in progress never shows half a file.
    let metrics = parse_metrics(&watch.work_dir().join("atlas.prom"));

    let (code, took, summary, seen) = watch.stop(SIGINT);
    assert!(
        took < Duration::from_millis(1500),
        "Ctrl-C took {took:?} to end the watch"
    );
    assert_eq!(summary["type"], "summary", "the last line is the summary");
    assert_eq!(summary["interrupted"], true);
    let rounds = seen.iter().filter(|v| is_round(v)).count() as u64;
    assert_eq!(summary["rounds"], rounds);
    let failed_rounds = seen
        .iter()
        .filter(|v| is_round(v) && v["verdict"] == "fail")
        .count() as u64;
    assert_eq!(
        summary["ok_rounds"].as_u64().unwrap(),
        rounds - failed_rounds
    );
    let by_class: u64 = summary["failures"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_class, failed_rounds, "{summary}");
    assert!(summary["failures"]["tcp_refused"].as_u64().unwrap() >= 1);
    assert!(summary["rtt_ms"]["p50"].as_f64().is_some());
    let events = seen.iter().filter(|v| v["type"] == "event").count() as u64;
    assert_eq!(summary["events"], events);
    assert_eq!(i64::from(code), summary["exit_code"].as_i64().unwrap());
    assert_eq!(
        code,
        support::exit_code_of(summary["class"].as_str().unwrap())
    );
    assert_ne!(code, 0);

    assert_eq!(metrics["atlas_doctor_up"]["type"], "gauge");
    let up = |layer| {
        sample(
            &metrics,
            "atlas_doctor_up",
            "atlas_doctor_up",
            &[("host", &host), ("layer", layer)],
        )
    };
    assert_eq!(up("tcp"), Some(1.0), "the last round passed");
    assert_eq!(
        metrics["atlas_doctor_round_trip_seconds"]["type"],
        "histogram"
    );
    let count = sample(
        &metrics,
        "atlas_doctor_round_trip_seconds",
        "atlas_doctor_round_trip_seconds_count",
        &[("host", &host), ("layer", "hello")],
    );
    assert!(count.unwrap() >= 2.0);
    let refused = sample(
        &metrics,
        "atlas_doctor_failures",
        "atlas_doctor_failures_total",
        &[("class", "tcp_refused")],
    );
    assert!(refused.unwrap() >= 1.0, "{metrics}");
}

/// Items 2 and 7: the primary goes away (no_primary) and comes back on another
/// member (primary_changed, with how long there was none); SIGTERM ends it.
#[test]
fn r24_the_primary_moves_and_the_events_say_so() {
    let set = MovingPrimary::start(2);
    let hosts = set.hosts();
    let mut watch =
        Watching::start(&["--uri", &set.uri(), "--interval", "150ms", "--timeout", "1"]);
    watch.wait_for("a passing round", WAIT, |v| {
        is_round(v) && v["verdict"] == "ok"
    });

    set.set_primary(None);
    let gone = watch.wait_for("no_primary", WAIT, |v| is_event(v, "no_primary"));
    assert_eq!(
        gone["host"],
        hosts[0].as_str(),
        "names the primary that went"
    );
    let failed = watch.wait_for("a failed round", WAIT, |v| {
        is_round(v) && v["verdict"] == "fail"
    });
    assert_eq!(failed["class"], "server");

    set.set_primary(Some(1));
    let moved = watch.wait_for("primary_changed", WAIT, |v| is_event(v, "primary_changed"));
    assert_eq!(moved["host"], hosts[1].as_str());
    assert!(
        moved["detail"].as_str().unwrap().contains(&hosts[0]),
        "names the old primary: {moved}"
    );
    assert!(
        moved["without_primary_ms"].as_f64().unwrap() > 0.0,
        "{moved}"
    );
    watch.wait_for("a passing round again", WAIT, |v| {
        is_round(v) && v["verdict"] == "ok"
    });

    let (code, took, summary, _) = watch.stop(SIGTERM);
    assert!(took < Duration::from_millis(1500), "SIGTERM took {took:?}");
    assert_eq!(summary["type"], "summary");
    assert!(
        summary["failures"]["server"].as_u64().unwrap() >= 1,
        "{summary}"
    );
    assert!(summary["events"].as_u64().unwrap() >= 2);
    assert_eq!(code, 15);
}

/// Item 3: every round passing is exit 0; --count bounds the rounds; the kept
/// connection has its own row in the metrics.
#[test]
fn r24_every_round_passing_exits_0_after_count_rounds() {
    let flap = Flapping::start();
    let watch = Watching::start(&["--uri", &flap.uri(), "--interval", "50ms", "--count", "3"]);
    let (code, _, summary, seen) = watch.finish(Instant::now());
    assert_eq!(seen.iter().filter(|v| is_round(v)).count(), 3);
    assert_eq!(summary["rounds"], 3);
    assert_eq!(summary["ok_rounds"], 3);
    assert_eq!(summary["failures"], serde_json::json!({}));
    assert_eq!(summary["interrupted"], false);
    assert_eq!(code, 0);
}

/// Item 2 (piped): one line per round and per event, each within 80 columns,
/// the status as a word; the summary last; the class's exit code.
#[test]
fn r24_piped_output_is_one_line_per_round_and_event() {
    let port = support::refusing_port();
    let uri = format!("mongodb://127.0.0.1:{port}/");
    let run = support::run(["watch", "--uri", &uri, "--interval", "20ms", "--count", "3"]);
    assert_eq!(run.code, 11, "{}", run.dump());
    let lines: Vec<&str> = run.stdout.lines().collect();
    let rounds: Vec<&&str> = lines.iter().filter(|l| l.contains(" round ")).collect();
    assert_eq!(rounds.len(), 3, "{}", run.stdout);
    assert!(
        rounds.iter().all(|l| l.contains("FAIL tcp_refused")),
        "{}",
        run.stdout
    );
    let events: Vec<&&str> = lines.iter().filter(|l| l.contains(" event ")).collect();
    assert_eq!(
        events.len(),
        1,
        "one failing event, not one per round:\n{}",
        run.stdout
    );
    assert!(events[0].contains("failing") && events[0].contains("tcp: tcp_refused"));
    assert!(
        lines.iter().all(|l| l.chars().count() <= 80),
        "{}",
        run.stdout
    );
    let n = lines.len();
    assert!(
        lines[n - 3].starts_with("FAIL 0 of 3 rounds passed"),
        "{}",
        run.stdout
    );
    assert!(
        lines[n - 3].contains("failed: tcp_refused 3; 1 events"),
        "{}",
        run.stdout
    );
    assert!(
        lines[n - 1].starts_with("FAIL tcp_refused (exit 11"),
        "{}",
        run.stdout
    );
}

/// Item 5: several profiles at once, one group of rows each, one interval.
#[test]
fn r24_a_fleet_of_profiles_is_watched_at_once() {
    let flap = Flapping::start();
    let port = support::refusing_port();
    let config = format!(
        "[profiles.app]\nuri = \"{}\"\n[profiles.broken]\nuri = \"mongodb://127.0.0.1:{port}/\"\n",
        flap.uri()
    );
    for selection in [
        &["--all-profiles"][..],
        &["--profile", "app", "--profile", "broken"][..],
    ] {
        let mut args = vec!["--count", "2", "--interval", "50ms"];
        args.extend_from_slice(selection);
        let watch = Watching::start_with(&args, &[("atlas-doctor.toml", &config)]);
        let (code, _, summary, seen) = watch.finish(Instant::now());
        let rounds: Vec<&Value> = seen.iter().filter(|v| is_round(v)).collect();
        assert_eq!(rounds.len(), 4, "two targets, two rounds: {seen:?}");
        for round in &rounds {
            match round["target"].as_str() {
                Some("app") => assert_eq!(round["verdict"], "ok"),
                Some("broken") => assert_eq!(round["class"], "tcp_refused"),
                other => panic!("unknown target {other:?}"),
            }
        }
        assert_eq!(summary["rounds"], 2);
        assert_eq!(
            summary["ok_rounds"], 0,
            "a round passes when every target does"
        );
        assert_eq!(code, 11);
    }
}

/// Usage: what watch cannot do is refused before anything runs.
#[test]
fn r24_watch_usage_errors() {
    let uri = "mongodb://127.0.0.1:9/";
    for (args, code) in [
        (&["watch", "--uri", uri, "--format", "junit"][..], 2),
        (
            &["watch", "--uri", uri, "--count", "2", "--for", "1m"][..],
            2,
        ),
        (&["watch", "--uri", uri, "--interval", "soon"][..], 2),
        (&["watch", "--uri", uri, "--count", "0"][..], 2),
        (
            &["ping", "--uri", uri, "--profile", "a", "--profile", "b"][..],
            2,
        ),
        (&["watch", "--all-profiles"][..], 3),
    ] {
        let run = support::run(args);
        assert_eq!(run.code, code, "{args:?}: {}", run.dump());
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.dump());
    }
}

/// Item 1: `--depth auth-check` authenticates every round (the real server of
/// the test bed); a rejected password fails each round as `auth_failed`, and
/// the auth layer has its own row in the metrics.
#[test]
fn r24_depth_auth_check_logs_in_every_round() {
    let bed = support::Bed::load();
    let good = bed.auth_uri("reader", "");
    let bad = good.replacen(
        &support::percent_encode(&bed.user("reader").password),
        "not-the-password",
        1,
    );
    let watch = Watching::start(&[
        "--uri",
        &good,
        "--depth",
        "auth-check",
        "--count",
        "2",
        "--interval",
        "50ms",
        "--metrics-file",
        "m.prom",
    ]);
    let (code, summary, text) = watch.finish_reading("m.prom");
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["ok_rounds"], 2);
    assert!(
        text.contains("atlas_doctor_up{target=\"default\",host=\"127.0.0.1:")
            && text.contains("layer=\"auth\"} 1"),
        "{text}"
    );
    let (code, _, summary, seen) = Watching::start(&[
        "--uri",
        &bad,
        "--depth",
        "auth-check",
        "--count",
        "2",
        "--interval",
        "50ms",
    ])
    .finish(Instant::now());
    assert_eq!(code, 16, "{seen:?}");
    assert_eq!(summary["failures"]["auth_failed"], 2);
    let failing = seen
        .iter()
        .find(|v| is_event(v, "failing"))
        .expect("a failing event");
    assert_eq!(failing["layer"], "auth");
    for line in &seen {
        assert!(!line.to_string().contains("not-the-password"), "{line}");
    }
}
