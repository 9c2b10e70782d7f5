//! `atlas-doctor explain` end to end: the built binary with the text as an
//! argument, on stdin, and as `-`; exit 0 whenever a diagnosis was produced
//! (class `unknown` included); the JSON keys of DESIGN.md; no password echoed.
//! Offline: nothing here opens a socket.

mod support;

use serde_json::Value;
use support::cli;

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}):\n{}",
            String::from_utf8_lossy(output)
        )
    })
}

const ALERT_80: &str = "MongoServerSelectionError: 40E8E36D537F0000:error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1590:SSL alert number 80";

#[test]
fn text_argument_human_output_exits_zero() {
    let out = cli()
        .args([
            "explain",
            "MongoServerError: bad auth : Authentication failed.",
        ])
        .write_stdin("")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("FAIL"), "{text}");
    assert!(text.contains("auth_failed"), "{text}");
    assert!(text.contains("bad auth"), "{text}");
    assert!(!text.contains('\u{1b}'), "NO_COLOR must mean no colour");
}

#[test]
fn json_has_the_contract_keys() {
    let out = cli()
        .args(["--format", "json", "explain", ALERT_80])
        .write_stdin("")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let value = json_of(&out);
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["command"], "explain");
    assert_eq!(value["class"], "ip_access_list");
    assert_eq!(value["diagnosis"]["reason"], "ip_access_list");
    for key in ["summary", "causes", "fixes", "evidence"] {
        assert!(
            value["diagnosis"].get(key).is_some(),
            "diagnosis.{key} missing"
        );
    }
    assert!(value["matched"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn format_flag_after_the_subcommand_works_too() {
    let out = cli()
        .args([
            "explain",
            "--format",
            "json",
            "connect ECONNREFUSED 127.0.0.1:27017",
        ])
        .write_stdin("")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["class"], "tcp_refused");
}

#[test]
fn text_on_stdin_without_argument() {
    let trace = "Traceback (most recent call last):\n  File \"app.py\", line 8, in <module>\npymongo.errors.ConfigurationError: The DNS query name does not exist: _mongodb._tcp.cluster0.ab1cd.mongodb.net.\n";
    let out = cli()
        .args(["--format", "json", "explain"])
        .write_stdin(trace)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let value = json_of(&out);
    assert_eq!(value["class"], "dns");
    assert_eq!(value["diagnosis"]["reason"], "dns_no_such_name");
}

#[test]
fn dash_reads_stdin() {
    let out = cli()
        .args(["--format", "json", "explain", "-"])
        .write_stdin(ALERT_80)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["class"], "ip_access_list");
}

#[test]
fn unmatched_and_empty_input_are_unknown_with_exit_zero() {
    for input in ["", "everything is fine, nothing to see here"] {
        let out = cli()
            .args(["--format", "json", "explain", "-"])
            .write_stdin(input)
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let value = json_of(&out);
        assert_eq!(value["class"], "unknown");
        assert!(value["diagnosis"]["reason"].is_null());
    }
}

#[test]
fn invalid_utf8_and_large_stdin_never_crash() {
    let mut bytes: Vec<u8> = (0..=255u8).cycle().take(5 * 1024 * 1024).collect();
    bytes.extend_from_slice(b"querySrv ECONNREFUSED _mongodb._tcp.c0.ab1cd.mongodb.net");
    cli()
        .args(["--format", "json", "explain"])
        .write_stdin(bytes)
        .assert()
        .code(0);
    let mut small =
        b"\xff\xfe\x00 querySrv ECONNREFUSED _mongodb._tcp.c0.ab1cd.mongodb.net \xc3\x28".to_vec();
    small.push(b'\n');
    let out = cli()
        .args(["--format", "json", "explain"])
        .write_stdin(small)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["class"], "dns");
}

#[test]
fn a_password_in_the_pasted_text_is_never_printed() {
    // Built at test time: no credential-shaped literal is committed.
    let secret = "Sup3r%40Secret";
    let text = format!(
        "MongoServerError: bad auth : Authentication failed. connecting to mongodb+srv://app:{secret}@cluster0.ab1cd.mongodb.net/shop?retryWrites=true password={secret}"
    );
    let text = text.as_str();
    for format in ["human", "json"] {
        let out = cli()
            .args(["--format", format, "explain", text])
            .write_stdin("")
            .assert()
            .code(0)
            .get_output()
            .clone();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("Sup3r"), "{format}: {all}");
    }
}

/// Issue 20 item 1: `explain --format markdown` quoted passwords the other formats
/// hid. Every format, argument or stdin, goes through the same redaction, and the
/// shapes people paste are covered: CLI flags, KEY=value and quoted values for any
/// key naming a password or secret, percent-encoded connection strings.
#[test]
fn r20_1_no_format_shows_a_pasted_password() {
    let secrets = [
        "Qz7flagpw",
        "Qz7shortp",
        "Qz7envpw",
        "Qz7 quoted",
        "Qz7encpw",
    ];
    let pasted = format!(
        "MongoServerError: bad auth : authentication failed\n\
         $ mongosh \"mongodb+srv://c0.ab1cd.mongodb.net/app\" --username app --password {}\n\
         $ mongosh -u app -p {}\n\
         DB_PASS={} node app.js\n\
         DB_PASS='{}'\n\
         GET /connect?uri=mongodb%3A%2F%2Fapp%3A{}%40c0.ab1cd.mongodb.net%2Fapp HTTP/1.1\n",
        secrets[0], secrets[1], secrets[2], secrets[3], secrets[4]
    );
    for format in ["human", "json", "markdown"] {
        for stdin in [false, true] {
            let mut cmd = cli();
            cmd.args(["--format", format, "explain"]);
            if stdin {
                cmd.write_stdin(pasted.clone());
            } else {
                cmd.arg(&pasted).write_stdin("");
            }
            let output = cmd.assert().code(0).get_output().clone();
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            for secret in secrets {
                assert!(
                    !shown.contains(secret) && !shown.contains("Qz7"),
                    "{format} (stdin {stdin}) shows {secret:?}:\n{shown}"
                );
            }
            if format == "markdown" {
                assert!(shown.contains("--password ****"), "{shown}");
                assert!(shown.contains("%3A****%40"), "{shown}");
            }
        }
    }
}

/// `explain --format json` of `text` on stdin.
fn explain_json(text: &str) -> Value {
    let out = cli()
        .args(["--format", "json", "explain"])
        .write_stdin(text)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    json_of(&out)
}

#[test]
fn r20_7_node_monitor_closed_on_a_cloud_address_points_to_the_access_list() {
    let v = explain_json(
        "MongoServerSelectionError: connection <monitor> to 3.210.1.4:27017 closed\n    at Timeout._onTimeout (/app/node_modules/mongodb/lib/sdam/topology.js:278:38)",
    );
    assert_eq!(v["class"], "ip_access_list", "{v:#}");
    assert_eq!(v["diagnosis"]["reason"], "ip_access_list_closed");
    // The same words from a local server are not the access list.
    let v =
        explain_json("MongoServerSelectionError: connection <monitor> to 127.0.0.1:27017 closed");
    assert_ne!(v["class"], "ip_access_list", "{v:#}");
}

#[test]
fn r20_7_an_atlas_host_dialling_a_private_address_names_the_private_route() {
    let v = explain_json(
        "server selection error: context deadline exceeded, current topology: { Type: ReplicaSetNoPrimary, Servers: [{ Addr: ac-q1w2e3r-shard-00-00.ab1cd.mongodb.net:27017, Type: Unknown, Last error: dial tcp 10.8.1.20:27017: i/o timeout }, { Addr: ac-q1w2e3r-shard-00-01.ab1cd.mongodb.net:27017, Type: Unknown, Last error: dial tcp 10.8.2.21:27017: i/o timeout }, ] }",
    );
    assert_eq!(
        v["diagnosis"]["reason"], "atlas_private_string_outside",
        "{v:#}"
    );
    let fixes = v["diagnosis"]["fixes"].to_string();
    assert!(fixes.contains("private endpoint"), "{fixes}");
    assert!(!fixes.contains("add this machine's public IP"), "{fixes}");
    // One fix says where to connect from, not two in other words.
    let from_inside = v["diagnosis"]["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.as_str().unwrap().contains("inside the"))
        .count();
    assert_eq!(from_inside, 1, "{fixes}");
}

#[test]
fn r20_7_pymongo_per_server_network_timeouts_decide() {
    let v = explain_json(
        "pymongo.errors.ServerSelectionTimeoutError: No replica set members found yet, Timeout: 30s, Topology Description: <TopologyDescription id: 6571f0, topology_type: ReplicaSetNoPrimary, servers: [<ServerDescription ('ac-zz9-shard-00-00.qq1ww.mongodb.net', 27017) server_type: Unknown, rtt: None, error=NetworkTimeout('ac-zz9-shard-00-00.qq1ww.mongodb.net:27017: timed out (configured timeouts: socketTimeoutMS: 20000.0ms, connectTimeoutMS: 20000.0ms)')>, <ServerDescription ('ac-zz9-shard-00-01.qq1ww.mongodb.net', 27017) server_type: Unknown, rtt: None, error=NetworkTimeout('ac-zz9-shard-00-01.qq1ww.mongodb.net:27017: timed out (configured timeouts: socketTimeoutMS: 20000.0ms, connectTimeoutMS: 20000.0ms)')>]>",
    );
    assert_eq!(v["class"], "network_timeout", "{v:#}");
    assert_eq!(v["decidable"], true, "{v:#}");
    let said = v.to_string();
    assert!(!said.contains("not in the text"), "{said}");
    for ruled_out in ["\"dns_", "\"tls_"] {
        assert!(
            !v["alternatives"].to_string().contains(ruled_out),
            "{}",
            v["alternatives"]
        );
    }
    assert!(
        v["diagnosis"]["evidence"]
            .to_string()
            .contains("topology: 2 servers"),
        "{}",
        v["diagnosis"]["evidence"]
    );
}

#[test]
fn r20_12_a_log_with_several_dns_errors_gives_each_fix_once() {
    let v = explain_json(
        "2024-05-01T10:00:00Z ERROR connect: querySrv ETIMEOUT _mongodb._tcp.c0.ab1cd.mongodb.net\n\
2024-05-01T10:00:31Z ERROR MongooseError: Operation `users.findOne()` buffering timed out after 10000ms\n\
2024-05-01T10:01:02Z ERROR Error: querySrv ECONNREFUSED _mongodb._tcp.c0.ab1cd.mongodb.net\n",
    );
    let fixes: Vec<String> = v["diagnosis"]["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_lowercase())
        .collect();
    let standard = fixes
        .iter()
        .filter(|f| f.contains("standard") && f.contains("connection string"))
        .count();
    assert_eq!(standard, 1, "{fixes:#?}");
}
