//! `atlas-doctor checklist` against the real test bed (SecantusDB on loopback) and
//! in-process TLS listeners: exit codes, JSON statuses per item, every format free
//! of passwords, the scratch collection always dropped (also after SIGINT), and
//! JUnit XML that parses.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;
use std::future::IntoFuture as _;
use support::{Bed, CertKind, Cli, JsonRun, cli};

/// The item statuses of a run, keyed `section/id`.
fn statuses(run: &JsonRun) -> BTreeMap<String, String> {
    run.json["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks:\n{}", run.dump()))
        .iter()
        .map(|c| {
            (
                format!(
                    "{}/{}",
                    c["section"].as_str().unwrap(),
                    c["id"].as_str().unwrap()
                ),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(run: &JsonRun, id: &str) -> String {
    let found: Vec<_> = run.json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .collect();
    assert_eq!(found.len(), 1, "item {id} once:\n{}", run.dump());
    found[0]["status"].as_str().unwrap().to_string()
}

fn check_of<'a>(run: &'a JsonRun, id: &str) -> &'a Value {
    run.json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}:\n{}", run.dump()))
}

/// A runtime and an admin client of the auth server, for checks the test makes itself.
fn admin_client(bed: &Bed) -> (tokio::runtime::Runtime, mongodb::Client) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let uri = bed.auth_uri(
        "admin",
        "directConnection=true&serverSelectionTimeoutMS=5000",
    );
    let client = rt
        .block_on(mongodb::Client::with_uri_str(&uri))
        .expect("admin client");
    (rt, client)
}

fn probe_collections(
    rt: &tokio::runtime::Runtime,
    client: &mongodb::Client,
    db: &str,
) -> Vec<String> {
    rt.block_on(client.database(db).list_collection_names().into_future())
        .expect("list collections")
        .into_iter()
        .filter(|n| n.starts_with("atlas_doctor_probe_"))
        .collect()
}

fn ensure_collection(bed: &Bed, db: &str, name: &str) {
    let (rt, client) = admin_client(bed);
    let names = rt
        .block_on(client.database(db).list_collection_names().into_future())
        .unwrap();
    if !names.iter().any(|n| n == name) {
        rt.block_on(client.database(db).create_collection(name).into_future())
            .unwrap();
    }
}

/// A clean directory to scan, so the item passes rather than skips.
fn clean_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.js"),
        "const uri = process.env.MONGODB_URI;\n",
    )
    .unwrap();
    dir
}

/// `checklist` as the bed user `user` (its URI in `MONGODB_URI`), scanning
/// `tree` so the run never scans the working directory, then `args`.
fn checklist_as(bed: &Bed, user: &str, tree: &std::path::Path, args: &[&str]) -> Cli {
    let mut c = cli();
    c.env("MONGODB_URI", bed.auth_uri(user, ""))
        .args(["checklist", "--scan", tree.to_str().unwrap()])
        .args(args);
    c
}

fn all_formats_clean(args: &[&str], env: &[(&str, &str)], secret: &str) {
    for format in ["human", "json", "markdown", "junit"] {
        let mut c = cli();
        c.args(args).args(["--format", format]);
        for (k, v) in env {
            c.env(k, v);
        }
        let run = c.run();
        run.assert_no_secret(secret);
    }
}

#[test]
fn healthy_run_passes_every_item_the_bed_can_earn() {
    let bed = Bed::load();
    ensure_collection(&bed, "otherdb", "users");
    let tree = clean_tree();
    let uri = bed.auth_uri("other", "");
    let scan = tree.path().to_str().unwrap();
    let args = [
        "checklist",
        "--db",
        "otherdb",
        "--expect",
        "users",
        "--scan",
        scan,
    ];
    let mut c = cli();
    c.env("MONGODB_URI", &uri).args(args);
    let run = c.run_json();
    run.assert_envelope("checklist");
    assert_eq!(run.code, 0, "{}", run.dump());
    let expected: BTreeMap<String, String> = [
        ("security/credentials-source", "pass"),
        ("security/no-committed-credentials", "pass"),
        // Loopback: TLS is not required, and the bed's auth server is plain.
        ("security/tls-enabled", "pass"),
        ("security/tls-verification", "pass"),
        ("security/least-privilege", "pass"),
        ("security/password-strength", "pass"),
        ("security/network-exposure", "pass"),
        ("testing/connection", "pass"),
        ("testing/authentication", "pass"),
        ("testing/collections", "pass"),
        ("testing/crud", "skip"),
        ("testing/database-status", "pass"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(statuses(&run), expected, "{}", run.dump());
    assert_eq!(run.json["class"], "ok");
    run.assert_no_secret(&bed.user("other").password);
    all_formats_clean(&args, &[("MONGODB_URI", &uri)], &bed.user("other").password);

    let mut c = cli();
    c.env("MONGODB_URI", &uri).args(args);
    let human = c.run();
    assert!(
        human.stdout.contains("Security checklist") && human.stdout.contains("Testing checklist"),
        "{}",
        human.dump()
    );
    assert!(
        human
            .stdout
            .contains("11 passed, 0 failed, 0 warnings, 1 skipped"),
        "{}",
        human.dump()
    );
}

#[cfg(unix)]
#[test]
fn a_password_in_a_world_readable_config_file_fails_and_in_a_private_one_warns() {
    use std::os::unix::fs::PermissionsExt as _;
    let bed = Bed::load();
    let secret = &bed.user("other").password;
    for (mode, status, code) in [(0o644, "fail", 1), (0o600, "warn", 0)] {
        let mut c = cli();
        let path = c.write_file(
            "atlas-doctor.toml",
            &format!(
                "uri = \"{}\"\ndatabase = \"otherdb\"\n",
                bed.auth_uri("other", "")
            ),
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let tree = clean_tree();
        c.args(["checklist", "--scan", tree.path().to_str().unwrap()]);
        let run = c.run_json();
        assert_eq!(
            status_of(&run, "credentials-source"),
            status,
            "{}",
            run.dump()
        );
        assert_eq!(run.code, code, "{}", run.dump());
        if code == 1 {
            assert_eq!(run.json["class"], "checks_failed");
        }
        run.assert_no_secret(secret);
    }
}

#[test]
fn a_committed_uri_in_a_scanned_tree_fails_with_file_and_line_redacted() {
    let bed = Bed::load();
    let tree = tempfile::tempdir().unwrap();
    // Built at test time: nothing real-looking is committed to this repository.
    let planted = format!("Pl{}x{}", std::process::id(), "q".repeat(10));
    let uri = format!("mongodb+srv://app:{planted}@cluster0.example.invalid/app");
    std::fs::create_dir_all(tree.path().join("src")).unwrap();
    std::fs::write(
        tree.path().join("src/db.py"),
        format!("import os\n\nURI = \"{uri}\"\n"),
    )
    .unwrap();
    let mut c = checklist_as(&bed, "other", tree.path(), &["--db", "otherdb"]);
    let run = c.run_json();
    assert_eq!(run.code, 1, "{}", run.dump());
    assert_eq!(run.json["class"], "checks_failed");
    let item = check_of(&run, "no-committed-credentials");
    assert_eq!(item["status"], "fail");
    let evidence = item["evidence"].to_string();
    assert!(
        evidence.contains("db.py:3: mongodb+srv://app:****@cluster0.example.invalid/app"),
        "{evidence}"
    );
    run.assert_no_secret(&planted);
    for format in ["human", "markdown", "junit"] {
        let mut c = checklist_as(
            &bed,
            "other",
            tree.path(),
            &["--db", "otherdb", "--format", format],
        );
        let out = c.run();
        assert_eq!(out.code, 1);
        out.assert_no_secret(&planted);
        out.assert_no_secret(&bed.user("other").password);
    }
}

#[test]
fn an_admin_user_is_a_least_privilege_warning_and_fail_on_warn_fails_it() {
    let bed = Bed::load();
    let tree = clean_tree();
    let mut c = checklist_as(&bed, "admin", tree.path(), &["--db", "otherdb"]);
    let run = c.run_json();
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.json["verdict"], "warn");
    let item = check_of(&run, "least-privilege");
    assert_eq!(item["status"], "warn", "{}", run.dump());
    assert!(
        item["fix"]
            .as_str()
            .unwrap()
            .contains("`readWrite` on `otherdb`"),
        "{item}"
    );
    run.assert_no_secret(&bed.user("admin").password);

    let mut c = checklist_as(
        &bed,
        "admin",
        tree.path(),
        &["--db", "otherdb", "--fail-on", "warn"],
    );
    let run = c.run_json();
    assert_eq!(run.code, 1, "{}", run.dump());
    assert_eq!(run.json["class"], "checks_failed");
}

#[test]
fn tls_allow_invalid_certificates_fails_tls_verification() {
    let bed = Bed::load();
    let uri = format!("{}&tlsAllowInvalidCertificates=true", bed.tls_uri());
    let tree = clean_tree();
    let run = support::run_json([
        "--uri",
        &uri,
        "checklist",
        "--scan",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(
        status_of(&run, "tls-verification"),
        "fail",
        "{}",
        run.dump()
    );
    assert_eq!(status_of(&run, "connection"), "pass", "{}", run.dump());
    assert_eq!(run.code, 1, "{}", run.dump());
    assert_eq!(run.json["class"], "checks_failed");
}

#[test]
fn an_expired_certificate_fails_tls_enabled_and_skips_what_depends_on_the_connection() {
    let server = support::tls_server(CertKind::Expired);
    let tree = clean_tree();
    let run = support::run_json([
        "--uri",
        &server.tls_uri(),
        "--timeout",
        "2",
        "checklist",
        "--scan",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 14, "{}", run.dump());
    assert_eq!(run.json["class"], "tls");
    let item = check_of(&run, "tls-enabled");
    assert_eq!(item["status"], "fail", "{}", run.dump());
    assert!(
        item["summary"].as_str().unwrap().contains("expired"),
        "{item}"
    );
    assert_eq!(status_of(&run, "connection"), "fail");
    for id in [
        "authentication",
        "collections",
        "crud",
        "database-status",
        "least-privilege",
    ] {
        assert_eq!(status_of(&run, id), "skip", "{id}: {}", run.dump());
    }
}

#[test]
fn a_refused_port_skips_dependent_items_and_keeps_the_layer_class() {
    let port = support::refusing_port();
    let tree = clean_tree();
    let run = support::run_json([
        "--uri",
        &format!("mongodb://127.0.0.1:{port}/"),
        "checklist",
        "--crud",
        "--scan",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 11, "{}", run.dump());
    assert_eq!(run.json["class"], "tcp_refused");
    assert_eq!(status_of(&run, "connection"), "fail");
    for id in [
        "authentication",
        "collections",
        "crud",
        "database-status",
        "least-privilege",
    ] {
        assert_eq!(status_of(&run, id), "skip", "{id}");
    }
    // Static items still ran.
    assert_eq!(status_of(&run, "tls-verification"), "pass");
    assert_eq!(status_of(&run, "no-committed-credentials"), "pass");
}

#[test]
fn a_missing_expected_collection_fails_with_exit_1() {
    let bed = Bed::load();
    let tree = clean_tree();
    let mut c = checklist_as(
        &bed,
        "other",
        tree.path(),
        &[
            "--db",
            "otherdb",
            "--expect",
            "webhook_subscriptions_never_created",
        ],
    );
    let run = c.run_json();
    assert_eq!(run.code, 1, "{}", run.dump());
    assert_eq!(run.json["class"], "checks_failed");
    let item = check_of(&run, "collections");
    assert_eq!(item["status"], "fail");
    assert!(
        item["summary"]
            .as_str()
            .unwrap()
            .contains("webhook_subscriptions_never_created")
    );
}

#[test]
fn crud_passes_and_leaves_no_scratch_collection() {
    let bed = Bed::load();
    let (rt, admin) = admin_client(&bed);
    let tree = clean_tree();
    let mut c = checklist_as(&bed, "other", tree.path(), &["--db", "otherdb", "--crud"]);
    let run = c.run_json();
    let item = check_of(&run, "crud");
    assert_eq!(item["status"], "pass", "{}", run.dump());
    assert!(
        item["evidence"]
            .to_string()
            .contains("drop atlas_doctor_probe_"),
        "{item}"
    );
    assert_eq!(run.code, 0, "{}", run.dump());
    assert!(probe_collections(&rt, &admin, "otherdb").is_empty());
}

#[test]
fn crud_without_write_permission_fails_and_still_leaves_nothing() {
    let bed = Bed::load();
    let (rt, admin) = admin_client(&bed);
    let tree = clean_tree();
    // `reader` may only read `probe`.
    let mut c = checklist_as(&bed, "reader", tree.path(), &["--db", "probe", "--crud"]);
    let run = c.run_json();
    assert_eq!(status_of(&run, "crud"), "fail", "{}", run.dump());
    assert_eq!(run.code, 1, "{}", run.dump());
    assert!(probe_collections(&rt, &admin, "probe").is_empty());
    run.assert_no_secret(&bed.user("reader").password);
}

/// Issue 20 item 5: a refused insert (read-only user) was followed by "drop ... by
/// hand" for a collection that was never created. A manual drop is asked for only
/// when the collection exists.
#[test]
fn r20_5_a_refused_insert_asks_for_no_manual_drop() {
    let bed = Bed::load();
    let (rt, admin) = admin_client(&bed);
    let tree = clean_tree();
    let mut c = checklist_as(&bed, "reader", tree.path(), &["--db", "probe", "--crud"]);
    let run = c.run_json();
    let item = check_of(&run, "crud");
    assert_eq!(item["status"], "fail", "{}", run.dump());
    let shown = format!("{}{}", run.stdout, run.stderr);
    assert!(!shown.contains("by hand"), "{item}");
    assert!(
        item["evidence"].to_string().contains("never created"),
        "{item}"
    );
    assert!(probe_collections(&rt, &admin, "probe").is_empty());
}

/// Starts `checklist --crud` on `db` through `uri` with `extra` environment, waits until
/// `ready` says the moment has come, sends `signal`, and returns the exit code, the JSON
/// and how long it took from the signal.
#[cfg(unix)]
fn crud_with_signal(
    uri: &str,
    db: &str,
    extra: &[(&str, &str)],
    args: &[&str],
    signal: &str,
    ready: &dyn Fn() -> bool,
) -> (Option<i32>, Value) {
    let work = tempfile::tempdir().unwrap();
    let tree = clean_tree();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-doctor"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("HOME", work.path())
        .env("MONGODB_URI", uri)
        .current_dir(work.path())
        .args(["--format", "json"])
        .args(args)
        .args(["checklist", "--crud", "--db", db, "--scan"])
        .arg(tree.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (key, value) in extra {
        cmd.env(key, value);
    }
    let child = cmd.spawn().unwrap();
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the moment to send {signal} never came"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!(
            "one JSON object expected after {signal}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), json)
}

fn crud_check(json: &Value) -> &Value {
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "crud")
        .unwrap()
}

/// SIGINT, SIGTERM (a CI runner cancelling the job) and SIGHUP (the terminal closed) while
/// the scratch collection exists: each is handled like Ctrl-C, the collection is dropped
/// and the run exits with 128 + the signal's number (130, 143, 129; issue 21 item 1) with
/// a report. (SIGTERM and SIGHUP killed it before, leaving the collection: issue 15 item 9.)
#[cfg(unix)]
#[test]
fn r15_crud_stopped_by_int_term_or_hup_drops_the_scratch_collection_and_exits_130() {
    let bed = Bed::load();
    let (rt, admin) = admin_client(&bed);
    for (signal, exit) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        // Our own database, so a parallel test's scratch collection cannot confuse us.
        let db = format!("sig{}_{}", signal.to_lowercase(), std::process::id());
        let (code, json) = crud_with_signal(
            &bed.auth_uri("admin", ""),
            &db,
            &[(atlas_doctor::probe::crud::PAUSE_ENV, "20000")],
            &[],
            signal,
            &|| !probe_collections(&rt, &admin, &db).is_empty(),
        );
        assert_eq!(code, Some(exit), "SIG{signal}: {json}");
        let crud = crud_check(&json);
        assert_eq!(crud["status"], "skip", "SIG{signal}: {crud}");
        assert!(
            crud["summary"].as_str().unwrap().contains(&format!(
                "interrupted by SIG{signal}; the scratch collection was dropped"
            )),
            "{crud}"
        );
        assert!(
            probe_collections(&rt, &admin, &db).is_empty(),
            "SIG{signal}: scratch collection left behind"
        );
        support::assert_no_secret(&json.to_string(), &bed.user("admin").password);
        let _ = rt.block_on(admin.database(&db).drop().into_future());
    }
}

/// The insert is held 2 s on its way to the server (a slow write). Ctrl-C arrives while it
/// is in flight: the cleanup waits for it to settle before dropping, so it cannot land
/// after the drop and recreate the collection (before: dropped at once, the insert landed
/// later and the collection stayed, while the report said the drop worked).
#[cfg(unix)]
#[test]
fn r15_an_insert_in_flight_at_ctrl_c_does_not_land_after_the_drop() {
    let bed = Bed::load();
    let (rt, admin) = admin_client(&bed);
    let proxy =
        support::proxy::slow_write_proxy(bed.mongo_auth, b"\x02insert\x00", Duration::from_secs(2));
    let uri = format!(
        "mongodb://admin:{}@{}/?authSource=admin",
        support::percent_encode(&bed.user("admin").password),
        proxy.host()
    );
    let db = format!("inflight_int_{}", std::process::id());
    let (code, json) = crud_with_signal(&uri, &db, &[], &[], "INT", &|| proxy.held() > 0);
    assert_eq!(code, Some(130), "{json}");
    // Wait for the held insert to be answered (the cleanup waited for it, or it is
    // still on its way), then read the wire: no drop before the insert settled.
    let started = Instant::now();
    while proxy.held_answered() < proxy.held() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the held insert was never answered"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        proxy.sent_while_held(b"\x02drop\x00"),
        0,
        "the drop was sent before the insert settled: {}",
        crud_check(&json)
    );
    assert!(
        probe_collections(&rt, &admin, &db).is_empty(),
        "the insert landed after the drop: {}",
        crud_check(&json)
    );
    let _ = rt.block_on(admin.database(&db).drop().into_future());
}

/// The same slow insert with `--timeout 1`: the step gives up at its deadline while the
/// insert is still on its way. The cleanup lets it settle (its own deadline, at least 3 s,
/// not the tiny layer one) and then drops: nothing is left, and the item fails honestly.
///
/// What it rests on, and what not: the proxy delays nothing but the insert, so the layers
/// before it spend a few round trips of their 1 s each, not most of it (they went through
/// 40 ms each way before, and the authentication alone took ~600 ms of its second: on a
/// loaded machine it ran out and the item was skipped). The insert is held 2.5 s: 1.5 s
/// after the step's deadline at the latest, 1.5 s before the cleanup's at the earliest.
/// Whether the drop waited is read from the wire (the proxy saw no `drop` before the
/// insert was answered), not from a sleep.
#[cfg(unix)]
#[test]
fn r15_an_insert_cut_off_by_the_deadline_does_not_land_after_the_drop() {
    let bed = Bed::load();
    let (rt, admin) = admin_client(&bed);
    let proxy = support::proxy::slow_write_proxy(
        bed.mongo_auth,
        b"\x02insert\x00",
        Duration::from_millis(2500),
    );
    let uri = format!(
        "mongodb://admin:{}@{}/?authSource=admin",
        support::percent_encode(&bed.user("admin").password),
        proxy.host()
    );
    let db = format!("inflight_deadline_{}", std::process::id());
    let mut cmd = cli();
    cmd.env("MONGODB_URI", &uri).args([
        "--timeout",
        "1",
        "checklist",
        "--crud",
        "--db",
        &db,
        "--scan",
        ".",
    ]);
    let run = cmd.run_json();
    let crud = crud_check(&run.json).clone();
    assert_eq!(crud["status"], "fail", "{}", run.dump());
    assert_eq!(
        crud["summary"],
        "insert: no answer within 1 s",
        "{}",
        run.dump()
    );
    let evidence = crud["evidence"].to_string();
    assert!(
        evidence.contains(": ok\"") && !evidence.contains("may land later"),
        "the drop did not wait for the insert: {crud}"
    );
    // The run has ended, so the insert was answered (the cleanup waited for it), or
    // it is still on its way (it did not): wait for it either way, then read the wire.
    let started = Instant::now();
    while proxy.held_answered() < proxy.held() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the held insert was never answered"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(proxy.held(), 1, "{crud}");
    assert_eq!(
        proxy.sent_while_held(b"\x02drop\x00"),
        0,
        "the drop was sent before the insert settled: {crud}"
    );
    assert!(
        probe_collections(&rt, &admin, &db).is_empty(),
        "the insert landed after the drop: {crud}"
    );
    let _ = rt.block_on(admin.database(&db).drop().into_future());
}

/// Counts of one `<testsuite>` element: its attributes and what its children hold.
#[derive(Debug, Default)]
struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    skipped: usize,
    cases: usize,
    failure_elements: usize,
    skipped_elements: usize,
}

fn parse_junit(xml: &str) -> Vec<Suite> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suites = Vec::new();
    let mut current: Option<Suite> = None;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .map(|a| a.expect("well-formed attribute"))
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| a.unescape_value().expect("escaped value").into_owned())
    };
    let mut depth = 0usize;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testsuite" => {
                let n = |k| {
                    attr(&e, k)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(usize::MAX)
                };
                current = Some(Suite {
                    name: attr(&e, "name").unwrap_or_default(),
                    tests: n("tests"),
                    failures: n("failures"),
                    skipped: n("skipped"),
                    ..Suite::default()
                });
                depth += 1;
            }
            Event::Start(e) | Event::Empty(e) => {
                let s = current.as_mut();
                match (e.name().as_ref(), s) {
                    (b"testcase", Some(s)) => s.cases += 1,
                    (b"failure", Some(s)) => {
                        assert!(attr(&e, "message").is_some(), "failure without message");
                        s.failure_elements += 1;
                    }
                    (b"skipped", Some(s)) => s.skipped_elements += 1,
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref() == b"testsuite" => {
                suites.push(current.take().unwrap());
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    suites
}

#[test]
fn junit_has_one_suite_per_section_with_matching_counts() {
    let bed = Bed::load();
    let tree = tempfile::tempdir().unwrap();
    let planted = format!("Jn{}{}", std::process::id(), "z".repeat(10));
    std::fs::write(
        tree.path().join("config.yml"),
        format!("db: mongodb://svc:{planted}@db.example.invalid:27017/app\n"),
    )
    .unwrap();
    let mut c = checklist_as(
        &bed,
        "other",
        tree.path(),
        &[
            "--db",
            "otherdb",
            "--expect",
            "missing_one",
            "--format",
            "junit",
        ],
    );
    let run = c.run();
    assert_eq!(run.code, 1, "{}", run.dump());
    run.assert_no_secret(&planted);
    run.assert_no_secret(&bed.user("other").password);
    let suites = parse_junit(&run.stdout);
    let names: Vec<&str> = suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["security checklist", "testing checklist"]);
    for s in &suites {
        assert_eq!(s.tests, s.cases, "{s:?}");
        assert_eq!(s.failures, s.failure_elements, "{s:?}");
        assert_eq!(s.skipped, s.skipped_elements, "{s:?}");
    }
    assert_eq!(suites[0].cases, 7);
    assert_eq!(suites[1].cases, 5);
    assert_eq!(suites[0].failures, 1, "no-committed-credentials");
    assert_eq!(suites[1].failures, 1, "collections");
    assert_eq!(suites[1].skipped, 1, "crud");
    assert!(run.stdout.contains("fix: "), "failures carry their fix");
}

#[test]
fn markdown_report_carries_time_version_layers_and_checks() {
    let bed = Bed::load();
    let tree = clean_tree();
    let mut c = checklist_as(
        &bed,
        "other",
        tree.path(),
        &["--db", "otherdb", "--format", "markdown"],
    );
    let run = c.run();
    assert_eq!(run.code, 0, "{}", run.dump());
    for needle in [
        "**Tool version:**",
        "**Time:**",
        "## Layers",
        "## Security checklist",
        "## Testing checklist",
        "mongodb://other:****@",
        "**Summary:** ",
        " passed, ",
    ] {
        assert!(run.stdout.contains(needle), "{needle}:\n{}", run.stdout);
    }
    run.assert_no_secret(&bed.user("other").password);
}

/// A user without rights on the database: the collections item fails with the
/// data layer's words, naming the role that would grant it.
#[test]
fn collections_without_read_rights_names_the_role() {
    let bed = Bed::load();
    let tree = clean_tree();
    // `other` may only use `otherdb`.
    let mut c = checklist_as(
        &bed,
        "other",
        tree.path(),
        &["--db", "probe", "--expect", "users"],
    );
    let run = c.run_json();
    let item = check_of(&run, "collections");
    assert_eq!(item["status"], "fail", "{}", run.dump());
    assert!(
        item["fix"].as_str().is_some_and(|f| f.contains("read")),
        "{item}"
    );
    assert_eq!(run.code, 1, "{}", run.dump());
    run.assert_no_secret(&bed.user("other").password);
}

/// Issue 11 item 5: `--scan ./srcc` (a typo) passed `no-committed-credentials` with 0 files.
#[test]
fn r11_scan_of_a_missing_path_is_a_usage_error() {
    let mut cmd = cli();
    cmd.args(["checklist", "--scan", "./srcc", "--format", "json"]);
    let run = cmd.run();
    assert_eq!(run.code, support::exit_code_of("usage"), "{}", run.dump());
    assert!(run.stdout.is_empty(), "{}", run.dump());
    assert!(
        run.stderr.contains("--scan") && run.stderr.contains("./srcc"),
        "{}",
        run.dump()
    );
}

/// Issue 11 item 5 and issue 15 item 10: `--scan /proc` hung on /proc/kmsg and read
/// /proc/self/pagemap whole. The walk skips special and empty files and ends.
#[test]
fn r11_scan_of_a_pseudo_filesystem_ends() {
    let uri = format!("mongodb://127.0.0.1:{}/", support::refusing_port());
    let mut cmd = cli();
    cmd.args([
        "checklist",
        "--scan",
        "/proc/self",
        "--scan",
        "/dev",
        "--uri",
        &uri,
        "--timeout",
        "1",
    ]);
    let run = cmd.run_json();
    let item = check_of(&run, "no-committed-credentials");
    assert!(
        item["status"] == "pass" || item["status"] == "warn",
        "{}",
        run.dump()
    );
    let evidence = item["evidence"][0].as_str().unwrap_or_default();
    assert!(evidence.contains("special or empty"), "{evidence}");
}

/// The JUnit test cases that fail, by name.
fn junit_failures(xml: &str) -> Vec<String> {
    let mut failed = Vec::new();
    let mut name = String::new();
    for line in xml.lines() {
        if let Some(rest) = line.trim().strip_prefix("<testcase name=\"") {
            name = rest.split('"').next().unwrap_or_default().to_string();
        } else if line.trim().starts_with("<failure") {
            failed.push(name.clone());
        }
    }
    failed
}

/// Issue 19 item 2: `--fail-on warn` marked the passing `collections` item as the
/// failure (JSON `collections: fail`, JUnit's failure on it) while the warned items
/// stayed green. Now exactly the warned items fail, and nothing else changes.
#[test]
fn r19_fail_on_warn_fails_exactly_the_warned_items() {
    let bed = Bed::load();
    let tree = clean_tree();
    let args = ["--db", "otherdb"];
    let before = statuses(&checklist_as(&bed, "admin", tree.path(), &args).run_json());
    let warned: Vec<&String> = before
        .iter()
        .filter(|(_, s)| *s == "warn")
        .map(|(id, _)| id)
        .collect();
    assert!(!warned.is_empty(), "{before:?}");
    assert!(!before.values().any(|s| s == "fail"), "{before:?}");

    let strict = ["--db", "otherdb", "--fail-on", "warn"];
    let run = checklist_as(&bed, "admin", tree.path(), &strict).run_json();
    assert_eq!(
        (run.code, run.str("/class")),
        (1, "checks_failed"),
        "{}",
        run.dump()
    );
    let after = statuses(&run);
    let expected: BTreeMap<String, String> = before
        .iter()
        .map(|(id, s)| {
            let s = if s == "warn" { "fail" } else { s.as_str() };
            (id.clone(), s.to_string())
        })
        .collect();
    assert_eq!(after, expected, "{}", run.dump());

    let mut c = checklist_as(&bed, "admin", tree.path(), &strict);
    c.args(["--format", "junit"]);
    let junit = c.run();
    assert_eq!(junit.code, 1, "{}", junit.dump());
    let mut warned_ids: Vec<String> = warned
        .iter()
        .map(|id| id.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    warned_ids.sort();
    let mut failed = junit_failures(&junit.stdout);
    failed.sort();
    assert_eq!(failed, warned_ids, "{}", junit.dump());
}

/// `(name, time)` of every `<testcase>` in a JUnit document.
fn junit_times(xml: &str) -> Vec<(String, f64)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                let attr = |name: &str| {
                    e.attributes()
                        .map(|a| a.expect("well-formed attribute"))
                        .find(|a| a.key.as_ref() == name.as_bytes())
                        .map_or_else(
                            || panic!("testcase without {name}"),
                            |a| a.unescape_value().expect("escaped").into_owned(),
                        )
                };
                let time: f64 = attr("time").parse().expect("time is a number");
                cases.push((attr("name"), time));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

/// Issue 20 item 12: JUnit wrote `time="0.000"` for every case. A checklist
/// item's time is that of the layer it rests on (zero only for items judged
/// from the settings); a step's time is the step's own duration, the one the
/// JSON report of the same run gives.
#[test]
fn r20_12_junit_times_are_the_steps_and_items_durations() {
    let bed = Bed::load();
    let tree = clean_tree();
    let mut c = checklist_as(&bed, "admin", tree.path(), &["--crud", "--format", "junit"]);
    let run = c.run();
    assert_eq!(run.code, 0, "{}", run.dump());
    let times: BTreeMap<String, f64> = junit_times(&run.stdout).into_iter().collect();
    for id in [
        "tls-enabled",
        "network-exposure",
        "connection",
        "least-privilege",
        "authentication",
        "collections",
        "crud",
        "database-status",
    ] {
        assert!(
            times.get(id).is_some_and(|&t| t > 0.0),
            "{id} has no time: {times:?}\n{}",
            run.stdout
        );
    }
    for id in [
        "credentials-source",
        "tls-verification",
        "password-strength",
    ] {
        assert_eq!(times.get(id), Some(&0.0), "{id}: {times:?}");
    }

    // Steps: the JUnit time of each is the JSON duration of the same run.
    let json_file = tree.path().join("report.json");
    let mut c = cli();
    c.env("MONGODB_URI", bed.auth_uri("admin", ""))
        .args(["auth-check", "--format", "junit", "--report-file"])
        .arg(&json_file);
    let run = c.run();
    assert_eq!(run.code, 0, "{}", run.dump());
    let cases = junit_times(&run.stdout);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(cases.len(), steps.len(), "{}", run.stdout);
    for ((name, time), step) in cases.iter().zip(steps) {
        let ms = step["duration_ms"].as_f64().expect("duration_ms");
        assert!(
            (time * 1000.0 - ms).abs() < 0.01,
            "{name}: JUnit {time} s, JSON {ms} ms"
        );
    }
    assert!(
        cases
            .iter()
            .any(|(name, t)| name.starts_with("tcp connect") && *t > 0.0),
        "{cases:?}"
    );
}
