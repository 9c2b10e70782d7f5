//! Hostile and broken peers: every run ends (about one deadline at most) with a sensible class, a class exit code, parseable JSON and no panic.
//!
//! The listeners live in `tests/support/hostile.rs` (and the classic ones in
//! `tests/support/mod.rs`); the benchmark can start the same faults. No timings are asserted:
//! a hang would show as a test that never finishes, which nextest's slow-test timeout reports.

mod support;

use support::hostile::{
    self, BIG_CLUSTER, Deep, close_after_request, dns_truncating, drip, huge_header, random_stream,
    tls_long_chain,
};
use support::{Bed, JsonRun, LOCALHOST, cli, close_after_accept, exit_code_of, garbage, http};

/// Every exit code of DESIGN.md's class table.
const CLASS_CODES: [i32; 13] = [0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17, 70];

/// `atlas-doctor COMMAND --uri URI --timeout 1 EXTRA... --format json`; asserts the exit code
/// is a class code (never 101, a panic, nor a signal: `Cli::run` panics on those) and that
/// the JSON carries the same code.
fn doctor(command: &str, uri: &str, extra: &[&str]) -> JsonRun {
    let mut cmd = cli();
    cmd.args([command, "--uri", uri, "--timeout", "1"])
        .args(extra);
    let run = cmd.run_json();
    assert!(
        CLASS_CODES.contains(&run.code) && run.code != 70,
        "exit code {} is not a class code of a diagnosis\n{}",
        run.code,
        run.dump()
    );
    assert_eq!(run.json["exit_code"], run.code, "{}", run.dump());
    assert!(
        !run.stderr.contains("panicked"),
        "a panic on stderr\n{}",
        run.dump()
    );
    run
}

/// (class, reason) of a run.
fn outcome(run: &JsonRun) -> (&str, &str) {
    (run.str("/class"), run.str("/diagnosis/reason"))
}

fn assert_outcome_in(run: &JsonRun, class: &str, reasons: &[&str]) {
    let (got_class, reason) = outcome(run);
    assert!(
        got_class == class && reasons.contains(&reason),
        "expected class {class} with a reason in {reasons:?}, got ({got_class}, {reason})\n{}",
        run.dump()
    );
    assert_eq!(run.code, exit_code_of(class), "{}", run.dump());
    assert!(
        !run.diagnosis_text().is_empty(),
        "a failure without a diagnosis\n{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ MongoDB-layer peers

#[test]
fn endless_random_bytes_is_not_mongodb() {
    let server = random_stream();
    for command in ["ping", "auth-check"] {
        let run = doctor(command, &server.uri(), &[]);
        assert_outcome_in(&run, "server", &["not_mongodb"]);
    }
}

#[test]
fn fixed_random_bytes_is_not_mongodb() {
    let server = garbage();
    let run = doctor("ping", &server.uri(), &[]);
    assert_outcome_in(&run, "server", &["not_mongodb"]);
}

/// A header announcing 2 GB (`i32::MAX`) and one just under 2 GB: rejected from the header
/// alone (the reader caps replies at 16 MiB and allocates only after that check), so the
/// verdict comes at once, not after trying to read or allocate 2 GB.
#[test]
fn a_two_gigabyte_header_is_not_mongodb_and_not_read() {
    for length in [i32::MAX, 2_000_000_000, 40_000_000] {
        let server = huge_header(length);
        let run = doctor("ping", &server.uri(), &[]);
        assert_outcome_in(&run, "server", &["not_mongodb"]);
        assert!(
            run.diagnosis_text().contains(&length.to_string())
                || run.diagnosis_text().contains("wire protocol"),
            "the evidence should show the announced length or the header\n{}",
            run.dump()
        );
    }
}

/// One byte a second: the hello deadline ends it (no reply in time) or the bytes seen so
/// far already show it is not MongoDB. The run must end; its duration is not asserted.
#[test]
fn a_peer_that_drips_a_byte_a_second_ends_at_the_deadline() {
    let server = drip();
    let run = doctor("ping", &server.uri(), &[]);
    assert_outcome_in(&run, "server", &["no_reply", "not_mongodb"]);
}

#[test]
fn accept_and_close_every_time_is_closed_without_reply() {
    let server = close_after_accept();
    for command in ["ping", "auth-check", "checklist"] {
        let run = doctor(command, &server.uri(), &[]);
        assert_outcome_in(&run, "server", &["closed_without_reply"]);
    }
    let server = close_after_request();
    let run = doctor("ping", &server.uri(), &[]);
    assert_outcome_in(&run, "server", &["closed_without_reply"]);
}

#[test]
fn an_http_server_is_not_mongodb() {
    let server = http();
    for command in ["ping", "collections"] {
        let run = doctor(command, &server.uri(), &[]);
        assert_outcome_in(&run, "server", &["not_mongodb"]);
        assert!(
            run.diagnosis_text().contains("HTTP"),
            "the evidence should say HTTP\n{}",
            run.dump()
        );
    }
}

/// A reply nested 4,000 levels deep (32 KB, far under every size cap) used to overflow
/// the stack (exit 134, no report): the probe's own connection measures the nesting
/// before decoding and names the peer.
#[test]
fn r15_a_reply_nested_4000_deep_is_not_mongodb_not_a_crash() {
    let server = hostile::deep_reply(4000, Deep::Everything);
    for command in ["ping", "auth-check"] {
        let run = doctor(command, &server.uri(), &[]);
        assert_outcome_in(&run, "server", &["not_mongodb"]);
        assert!(
            run.diagnosis_text().contains("nested"),
            "the evidence should say the reply is nested too deep\n{}",
            run.dump()
        );
    }
}

/// The same reply on the driver's connection, after an ordinary handshake: the driver
/// decodes every reply (command replies, error bodies, its own connections' handshakes)
/// with bson's recursive decoder, which aborted the process (exit 134, no report) at
/// about 2,000 levels in a debug build. The bson the driver is built with
/// (`vendor/bson`) refuses nesting deeper than 200 levels, and the run names the peer.
#[test]
fn r15_a_driver_reply_nested_4000_deep_is_not_mongodb_not_a_crash() {
    for (which, commands) in [
        (
            Deep::Commands,
            &["auth-check", "collections", "checklist"][..],
        ),
        (Deep::CommandErrors, &["auth-check", "collections"][..]),
        (Deep::LaterHandshakes, &["auth-check", "collections"][..]),
    ] {
        let server = hostile::deep_reply(4000, which);
        for command in commands {
            let run = doctor(command, &server.uri(), &[]);
            assert_outcome_in(&run, "server", &["not_mongodb"]);
            if which != Deep::LaterHandshakes {
                assert!(
                    run.diagnosis_text().contains("nested"),
                    "{which:?}: the evidence should say the reply is nested too deep\n{}",
                    run.dump()
                );
            }
        }
    }
}

/// `checklist --crud` against a server whose reply to one CRUD command (or the scratch
/// collection's drop) is nested 4,000 levels deep: the step fails and says so, the
/// drop is reported honestly, and the process does not abort.
#[test]
fn r15_a_crud_reply_nested_4000_deep_fails_the_step_not_the_process() {
    for command in ["insert", "drop"] {
        let server = hostile::deep_reply(4000, Deep::Only(command));
        let run = doctor("checklist", &server.uri(), &["--crud"]);
        assert_ne!(
            run.code,
            0,
            "{command}: a deep reply cannot pass\n{}",
            run.dump()
        );
        assert!(
            run.stdout.contains("nested deeper"),
            "{command}: the crud step should say the reply was nested too deep\n{}",
            run.dump()
        );
    }
}

/// 10,000 hosts in one seed list (from a config file: an argument that long is refused by
/// the kernel) took 21 s and 403 MB at `--timeout 2`: only the first 100 are looked up and
/// probed, with a warning naming the count, and the run ends like any other.
#[test]
fn r15_ten_thousand_hosts_in_a_seed_list_are_bounded() {
    let refused = support::refusing_port();
    let hosts: Vec<String> = (0..10_000)
        .map(|i| format!("127.0.{}.{}:{refused}", i / 250, i % 250 + 1))
        .collect();
    let mut cmd = cli();
    let config = cmd.write_file(
        "atlas-doctor.toml",
        &format!("uri = \"mongodb://{}/\"\n", hosts.join(",")),
    );
    cmd.args(["--config"])
        .arg(&config)
        .args(["--timeout", "2", "ping"]);
    let run = cmd.run_json();
    assert_eq!(run.code, exit_code_of("tcp_refused"), "{}", run.dump());
    let connects = run.steps("tcp").len();
    assert!(connects <= 100, "{connects} hosts probed\n{}", run.dump());
    assert!(
        run.json["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "seed list"
                && s["status"] == "warn"
                && s["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("10000 hosts")),
        "no warning about the seed list\n{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ TLS

/// A leaf, 48 intermediates and the root in tlsCAFile: whether rustls accepts the path or
/// gives up on its length, the run ends with `ok` or a `tls` class with evidence.
#[test]
fn a_fifty_certificate_chain_is_ok_or_a_tls_failure_with_evidence() {
    let server = tls_long_chain(48);
    let run = doctor("ping", &server.tls_uri(), &[]);
    let (class, _) = outcome(&run);
    match class {
        // The handshake verified; the silent peer then gives no hello reply.
        "server" => assert_outcome_in(&run, "server", &["no_reply"]),
        // rustls refuses the path as too deep: named as a rejected chain, not as a
        // protocol mismatch, with the verifier's reason as evidence.
        "tls" => {
            assert_outcome_in(&run, "tls", &["tls_handshake_failed"]);
            assert!(
                run.diagnosis_text().contains("MaximumPathDepthExceeded")
                    && run.str("/diagnosis/summary").contains("chain"),
                "{}",
                run.dump()
            );
            let tls_steps = run.steps("tls");
            assert!(
                tls_steps.iter().any(|s| s["status"] == "fail"
                    && s["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("long-chain leaf"))),
                "a failed tls step naming the presented certificate\n{}",
                run.dump()
            );
        }
        other => panic!(
            "expected tls (or a verified handshake), got {other}\n{}",
            run.dump()
        ),
    }
}

// ------------------------------------------------------------------ DNS

/// 500 SRV targets (an answer only TCP can carry: about 28 KB), all at the bed's plain
/// server. Whatever the outcome for so many hosts, it is a class, not a hang or a crash.
///
/// Known limit: through hickory 0.26 an SRV answer of more than about 21 KB over TCP (some
/// 370 targets from dnsmasq) is never delivered, so the lookup ends at the deadline as
/// `dns` "no answer"; up to 350 targets the lookup passes (checked by hand). Both outcomes
/// are accepted here; when the lookup passes, every target must be counted.
#[test]
fn five_hundred_srv_targets() {
    let bed = Bed::load();
    let dns = hostile::dns_many_srv(500, bed.mongo_plain);
    let uri = format!("mongodb+srv://{BIG_CLUSTER}/?tls=false");
    let run = doctor(
        "ping",
        &uri,
        &["--dns-server", &format!("{LOCALHOST}:{}", dns.port())],
    );
    let srv = run
        .steps("dns")
        .into_iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with("SRV")))
        .cloned()
        .unwrap_or_else(|| panic!("no SRV step\n{}", run.dump()));
    if srv["status"] == "pass" {
        assert!(
            srv["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("500 targets")),
            "every target counted: {srv}\n{}",
            run.dump()
        );
        assert!(
            ["ok", "network_timeout", "server", "tcp_refused"].contains(&run.str("/class")),
            "class {}\n{}",
            run.str("/class"),
            run.dump()
        );
    } else {
        assert_eq!(
            (run.code, run.str("/class")),
            (exit_code_of("dns"), "dns"),
            "{}",
            run.dump()
        );
    }
}

/// The same fault with 300 targets (an answer of about 17 KB over TCP): the lookup passes
/// and every target is probed, all at once, in about one deadline per layer.
#[test]
fn three_hundred_srv_targets_are_all_probed() {
    let bed = Bed::load();
    let dns = hostile::dns_many_srv(300, bed.mongo_plain);
    let uri = format!("mongodb+srv://{BIG_CLUSTER}/?tls=false");
    let run = doctor(
        "ping",
        &uri,
        &["--dns-server", &format!("{LOCALHOST}:{}", dns.port())],
    );
    assert!(
        run.steps("dns").iter().any(|s| s["status"] == "pass"
            && s["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("300 targets"))),
        "{}",
        run.dump()
    );
    assert!(
        ["ok", "network_timeout", "server"].contains(&run.str("/class")),
        "class {}\n{}",
        run.str("/class"),
        run.dump()
    );
}

/// Every UDP answer truncated (TC bit, no records) and TCP closed: `dns`, the resolver
/// unreachable (over TCP), with the truncation as evidence; not a SERVFAIL, not a hang.
#[test]
fn truncated_answers_and_no_tcp_is_dns() {
    let dns = dns_truncating();
    let uri = "mongodb+srv://cluster0.example.test/";
    let run = doctor("ping", uri, &["--dns-server", &dns.host()]);
    assert_outcome_in(&run, "dns", &["dns_resolver_unreachable"]);
    assert!(
        run.diagnosis_text().contains("truncated"),
        "the evidence should say the answers were truncated\n{}",
        run.dump()
    );
}

/// The bed's `evil` cluster: an SRV target outside the parent domain, also in every format.
#[test]
fn srv_target_outside_the_domain_is_dns() {
    let bed = Bed::load();
    let run = doctor(
        "auth-check",
        &bed.srv_uri("evil", ""),
        &["--dns-server", &bed.dns_server()],
    );
    assert_outcome_in(&run, "dns", &["dns_srv_target_outside_domain"]);
    for format in ["human", "markdown", "junit"] {
        let mut cmd = cli();
        cmd.args(["ping", "--uri", &bed.srv_uri("evil", "")])
            .args(["--dns-server", &bed.dns_server(), "--timeout", "1"])
            .args(["--format", format]);
        let out = cmd.run();
        assert_eq!(out.code, exit_code_of("dns"), "{}", out.dump());
        assert!(out.stdout.contains("db.attacker.test"), "{}", out.dump());
    }
}

// ------------------------------------------------------------------ issue 21: round 2

/// Starts `atlas-doctor ARGS --report-file report.json` (pinned environment plus `env`)
/// in a fresh directory, sends `signal` (INT, TERM, HUP) after `after`, and returns the
/// exit code (`None`: killed by the signal), how long the run took after the signal,
/// stdout, and whether the report file exists.
#[cfg(unix)]
fn signalled_run(
    args: &[&str],
    env: &[(&str, String)],
    after: std::time::Duration,
    signal: &str,
) -> (Option<i32>, std::time::Duration, String, bool) {
    let cmd = cli();
    let work = cmd.work_dir();
    let report = work.join("report.json");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-doctor"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("HOME", cmd.home_dir())
        .current_dir(&work)
        .args(args)
        .arg("--report-file")
        .arg(&report)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let child = command.spawn().expect("spawn");
    std::thread::sleep(after);
    let sent = std::time::Instant::now();
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    (
        output.status.code(),
        sent.elapsed(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        report.exists(),
    )
}

/// A phase of the run: its name, the arguments, the environment.
#[cfg(unix)]
type Phase<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, String)>);

/// Issue 21 item 1: once the checklist had passed its data phase, SIGINT, SIGTERM and
/// SIGHUP were swallowed: with the Atlas API dripping a byte a second the run went on to
/// `--timeout 20` and exited 0 with its reports written. Before the data phase they
/// killed the process (no exit code, no cleanup path). In every phase (authentication
/// against a peer gone silent, the data layer waiting on a silent listing, the Atlas API
/// dripping) the signal now ends the run within about a second, with 130, 143 or 129,
/// and no report claiming a finished run.
#[cfg(unix)]
#[test]
fn r21_a_stop_signal_ends_every_phase_at_once_with_its_code_and_no_report() {
    use std::time::Duration;
    let bed = Bed::load();
    let silent_auth = support::hello_then_silent();
    let silent_listing = support::fake_mongod_with(
        mongodb::bson::doc! {},
        [
            ("listDatabases", support::silence()),
            ("listCollections", support::silence()),
        ],
    );
    let api = hostile::http_drip();
    let api_env = vec![
        (
            "MONGODB_ATLAS_BASE_URL",
            format!("http://{LOCALHOST}:{}/", api.port()),
        ),
        (
            "MONGODB_ATLAS_PROJECT_ID",
            "5f0000000000000000000001".into(),
        ),
        ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub".into()),
        ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv-secret-1".into()),
    ];
    let plain = bed.plain_uri();
    let (auth_uri, listing_uri) = (silent_auth.uri(), silent_listing.uri());
    let phases: [Phase; 3] = [
        (
            "auth",
            vec!["checklist", "--uri", &auth_uri, "--timeout", "20"],
            vec![],
        ),
        (
            "data",
            vec!["checklist", "--uri", &listing_uri, "--timeout", "20"],
            vec![],
        ),
        (
            "atlas api",
            vec![
                "checklist",
                "--uri",
                &plain,
                "--timeout",
                "20",
                "--atlas-api",
            ],
            api_env,
        ),
    ];
    for (phase, args, env) in &phases {
        for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
            let (got, took, stdout, report) =
                signalled_run(args, env, Duration::from_millis(2500), signal);
            let context = format!("{phase}, SIG{signal}: exit {got:?} after {took:?}\n{stdout}");
            assert_eq!(got, Some(code), "{context}");
            assert!(took < Duration::from_secs(8), "{context}");
            assert!(!report, "a report file after the signal: {context}");
            assert!(stdout.is_empty(), "a report on stdout: {context}");
        }
    }
}
