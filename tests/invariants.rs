//! The invariants of a verdict (DESIGN.md), end to end: the built binary against
//! loopback peers that broke them (issue 9 and issue 15, items 2 and 3). Each
//! test asserts the class, the exit code and that the run completes; none
//! asserts how long it took.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::hostile::{DUAL_STACK_HOST, dns_dual_stack};
use support::{JsonRun, exit_code_of, run, run_json};

/// Every FAIL step or check means a failing verdict and a non-ok class, and the
/// exit code is the class's.
fn assert_consistent(run: &JsonRun) {
    let class = run.str("/class");
    assert_eq!(run.code, exit_code_of(class), "{}", run.dump());
    assert_eq!(run.json["exit_code"], run.code, "{}", run.dump());
    let failed = |key: &str| {
        run.json[key]
            .as_array()
            .is_some_and(|a| a.iter().any(|s| s["status"] == "fail"))
    };
    if failed("steps") || failed("checks") {
        assert_ne!(class, "ok", "a FAIL with class ok\n{}", run.dump());
        assert_eq!(run.str("/verdict"), "fail", "{}", run.dump());
    }
    if class != "ok" {
        assert_eq!(run.str("/verdict"), "fail", "{}", run.dump());
    }
}

/// `--format junit`'s number of failing test cases.
fn junit_failures(xml: &str) -> usize {
    xml.matches("<failure").count()
}

#[test]
fn r9_a_silent_ping_after_hello_fails_the_run() {
    // Before: `FAIL hello ping` inside a run that exited 0.
    let peer = support::silent_ping();
    let run = run_json([
        "ping",
        "--count",
        "3",
        "--timeout",
        "1",
        "--uri",
        &peer.uri(),
    ]);
    assert_consistent(&run);
    run.assert_failure("server", "server_silent");
}

#[test]
fn r9_ping_count_50_against_a_silent_ping_completes_with_one_deadline() {
    let peer = support::silent_ping();
    let run = run_json([
        "ping",
        "--count",
        "50",
        "--timeout",
        "1",
        "--uri",
        &peer.uri(),
    ]);
    assert_consistent(&run);
    assert_eq!(run.str("/class"), "server", "{}", run.dump());
    // One failed ping ends the series: the deadline is shared, not one per ping.
    let pings: Vec<&Value> = run
        .steps("hello")
        .into_iter()
        .filter(|s| s["name"] == "ping")
        .collect();
    assert_eq!(pings.len(), 1, "{}", run.dump());
}

#[test]
fn r9_a_secondary_without_a_primary_has_a_failing_junit_case_and_one_exit_code() {
    // Before: exit 15 with a JUnit report of 0 failures.
    let peer = support::secondary_without_primary();
    let uri = peer.uri();
    let json = run_json(["ping", "--timeout", "2", "--uri", &uri]);
    assert_consistent(&json);
    json.assert_failure("server", "no_primary");
    let junit = run(["--format", "junit", "ping", "--timeout", "2", "--uri", &uri]);
    assert_eq!(junit.code, json.code, "{}", junit.dump());
    assert!(junit_failures(&junit.stdout) >= 1, "{}", junit.dump());
    for format in ["human", "markdown"] {
        let other = run(["--format", format, "ping", "--timeout", "2", "--uri", &uri]);
        assert_eq!(other.code, json.code, "--format {format}\n{}", other.dump());
    }
}

#[test]
fn r9_a_host_failing_while_another_works_is_a_warning() {
    let peer = support::fake_mongod(mongodb::bson::doc! {});
    let dead = support::refusing_port();
    let uri = format!("mongodb://127.0.0.1:{},127.0.0.1:{dead}/", peer.port());
    let run = run_json(["ping", "--timeout", "2", "--uri", &uri]);
    assert_consistent(&run);
    assert_eq!(run.str("/class"), "ok", "{}", run.dump());
    assert_eq!(run.str("/verdict"), "warn", "{}", run.dump());
    let tcp = run.steps("tcp");
    assert!(
        tcp.iter()
            .any(|s| s["status"] == "warn" && s["host"] == format!("127.0.0.1:{dead}")),
        "{}",
        run.dump()
    );
}

/// `ping` through a private dnsmasq that serves [`DUAL_STACK_HOST`] (A 127.0.0.1,
/// AAAA ::1) and nothing else, against a fake mongod on 127.0.0.1 only; `uri`
/// gets the mongod's port.
fn ping_through_dual_stack_dns(uri: impl Fn(u16) -> String) -> JsonRun {
    let dns = dns_dual_stack();
    let peer = support::fake_mongod(mongodb::bson::doc! {});
    run_json([
        "ping",
        "--timeout",
        "2",
        "--dns-server",
        &dns.addr.to_string(),
        "--uri",
        &uri(peer.port()),
    ])
}

#[test]
fn r9_an_ipv6_address_refused_while_ipv4_serves_is_not_a_failure() {
    // A name with an AAAA record ::1 and an A record 127.0.0.1; the server listens on
    // 127.0.0.1 only, so [::1] is refused (this machine has a ::1 loopback).
    let run = ping_through_dual_stack_dns(|port| format!("mongodb://{DUAL_STACK_HOST}:{port}/"));
    assert_consistent(&run);
    assert_eq!(run.str("/class"), "ok", "{}", run.dump());
    let tcp = run.steps("tcp");
    assert!(
        tcp.iter()
            .any(|s| s["name"].as_str().is_some_and(|n| n.contains("[::1]"))),
        "both addresses are tried\n{}",
        run.dump()
    );
    assert!(tcp.iter().all(|s| s["status"] != "fail"), "{}", run.dump());
}

/// The peers that answer the handshake and then go silent: after `hello`, and
/// after `hello`, `buildInfo` and `ping` (so the silence meets the driver).
fn silent_peers() -> [(&'static str, support::Server); 2] {
    [
        ("hello then silence", support::hello_then_silent()),
        ("silence after ping", support::silent_after_ping()),
    ]
}

#[test]
fn r15_auth_check_against_hello_then_silence_ends_with_a_failing_class() {
    // Before: held until the peer closed the socket (122 s).
    for (name, peer) in silent_peers() {
        let run = run_json(["auth-check", "--timeout", "1", "--uri", &peer.uri()]);
        assert_consistent(&run);
        assert_eq!(run.str("/class"), "server", "{name}\n{}", run.dump());
    }
}

#[test]
fn r15_auth_check_with_credentials_against_silence_after_ping_ends() {
    // The driver's SCRAM conversation meets the silence, not connectionStatus.
    let peer = support::silent_after_ping();
    let uri = format!(
        "mongodb://app:pw-{}@127.0.0.1:{}/",
        std::process::id(),
        peer.port()
    );
    let run = run_json(["auth-check", "--timeout", "1", "--uri", &uri]);
    assert_consistent(&run);
    assert_eq!(run.str("/class"), "server", "{}", run.dump());
    assert_eq!(
        run.json["diagnosis"]["reason"],
        "server_silent",
        "{}",
        run.dump()
    );
}

#[test]
fn r15_collections_against_hello_then_silence_ends_with_a_failing_class() {
    for (name, peer) in silent_peers() {
        let uri = format!("{}app", peer.uri());
        let run = run_json(["collections", "--timeout", "1", "--uri", &uri]);
        assert_consistent(&run);
        assert_eq!(run.str("/class"), "server", "{name}\n{}", run.dump());
    }
}

/// `atlas-doctor --format FORMAT checklist --timeout 1 --uri URI --scan DIR`.
fn checklist(format: &str, uri: &str, scan: &std::path::Path) -> support::Run {
    let mut cli = support::cli();
    cli.args([
        "--format",
        format,
        "checklist",
        "--timeout",
        "1",
        "--uri",
        uri,
        "--scan",
    ])
    .arg(scan);
    cli.run()
}

#[test]
fn r15_checklist_against_hello_then_silence_ends_with_a_failing_class() {
    for (name, peer) in silent_peers() {
        let scan = tempfile::tempdir().unwrap();
        let run = checklist("json", &peer.uri(), scan.path()).into_json();
        assert_consistent(&run);
        assert_ne!(run.code, 0, "{name}\n{}", run.dump());
        let junit = checklist("junit", &peer.uri(), scan.path());
        assert_eq!(junit.code, run.code, "{name}\n{}", junit.dump());
        assert!(
            junit_failures(&junit.stdout) >= 1,
            "{name}\n{}",
            junit.dump()
        );
    }
}

/// A peer where everything the checklist needs answers at once, except the status
/// commands (`hello` and `buildInfo` are answered; `dbStats` and `serverStatus`
/// are not), so the run sits in its final status check.
fn status_hangs() -> support::Server {
    use mongodb::bson::doc;
    support::fake_mongod_with(
        doc! {},
        [
            (
                "connectionStatus",
                doc! {"authInfo": {"authenticatedUsers": [], "authenticatedUserRoles": []}, "ok": 1.0},
            ),
            ("listDatabases", doc! {"databases": [], "ok": 1.0}),
            (
                "listCollections",
                doc! {"cursor": {"id": 0_i64, "ns": "test.$cmd.listCollections", "firstBatch": []}, "ok": 1.0},
            ),
            (
                "insert",
                doc! {"ok": 0.0, "errmsg": "not authorized on test to execute command (action: insert)", "code": 13, "codeName": "Unauthorized"},
            ),
            ("drop", doc! {"ok": 1.0}),
            ("dbStats", support::silence()),
            ("buildInfo", doc! {"version": "7.0.0", "ok": 1.0}),
            ("serverStatus", support::silence()),
        ],
    )
}

#[cfg(unix)]
#[test]
fn r15_ctrl_c_during_the_final_status_check_exits_130() {
    // Before: the signal was swallowed, the run went on and exited 0.
    let peer = status_hangs();
    let scan = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-doctor"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("HOME", scan.path())
        .current_dir(scan.path())
        .args(["--format", "json", "--timeout", "60", "checklist", "--crud"])
        .args(["--uri", &peer.uri(), "--scan"])
        .arg(scan.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Every layer before the status check answers at once; give them time to finish.
    std::thread::sleep(Duration::from_secs(3));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(130),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Issue 21 item 1: a signal outside the CRUD check's cleanup ends the run at once,
    // with no report that could pass for a finished run.
    assert!(stdout.is_empty(), "a report after the signal: {stdout}");
}

#[test]
fn r9_a_host_whose_name_does_not_resolve_while_another_answers_is_a_warning() {
    // A seed list with a name the resolver does not know beside one that works.
    let run = ping_through_dual_stack_dns(|port| {
        format!("mongodb://{DUAL_STACK_HOST}:{port},missing.example.test:{port}/")
    });
    assert_consistent(&run);
    assert_eq!(run.str("/class"), "ok", "{}", run.dump());
    assert_eq!(run.str("/verdict"), "warn", "{}", run.dump());
}
