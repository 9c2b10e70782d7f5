//! End-to-end tests of `atlas-doctor ping`: the built binary against real servers on 127.0.0.1
//! (the test bed from `scripts/testbed`, and the fault listeners in `support`).
//!
//! One test per failure class and per `diagnosis.reason`; each asserts the exit code, the
//! JSON `class` and `diagnosis.reason`, and that the diagnosis carries a fix. Cases that wait
//! on a deadline pass `--timeout 1`; the others pass `--timeout 2` so that a wrong wait stays
//! short. Nothing here asserts how long a run takes.

mod support;

use mongodb::bson::doc;
use support::{Bed, CertKind, JsonRun, cli, run, run_json};

/// A password that must never be printed, in any form.
const SECRET: &str = "S3cr3t-Pa55w0rd";

/// `atlas-doctor ping ARGS --format json`.
fn ping(args: &[&str]) -> JsonRun {
    run_json(std::iter::once("ping").chain(args.iter().copied()))
}

/// Asserts that nothing was probed: no step of a network layer.
fn assert_nothing_probed(run: &JsonRun) {
    for layer in ["dns", "tcp", "tls", "hello"] {
        assert!(
            run.steps(layer).is_empty(),
            "config_invalid must not probe ({layer} step)\n{}",
            run.dump()
        );
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ------------------------------------------------------------------ ok

#[test]
fn ok_plain_server() {
    let bed = Bed::load();
    let run = ping(&["--uri", &bed.plain_uri()]);
    run.assert_ok();
    run.assert_layer_passed("tcp");
    run.assert_layer_passed("hello");
    assert!(
        run.steps("tls").iter().all(|s| s["status"] != "fail"),
        "{}",
        run.dump()
    );
}

#[test]
fn ok_global_options_before_the_subcommand() {
    let bed = Bed::load();
    let run = run_json(["--uri", &bed.plain_uri(), "--timeout", "2", "ping"]);
    run.assert_ok();
    run.assert_layer_passed("hello");
}

#[test]
fn ok_count_3_prints_min_avg_max() {
    let bed = Bed::load();
    let run = run(["ping", "--count", "3", "--uri", &bed.plain_uri()]);
    assert_eq!(run.code, 0, "{}", run.dump());
    let out = run.stdout.to_lowercase();
    for word in ["min", "avg", "max"] {
        assert!(
            out.contains(word),
            "human output of --count 3 lacks {word:?}\n{}",
            run.dump()
        );
    }
    assert!(
        !run.stdout.contains('\u{1b}'),
        "colour escape with NO_COLOR=1\n{}",
        run.dump()
    );
}

/// By name, resolved through the bed's DNS, verified against the leaf's `*.cluster0` SAN.
#[test]
fn ok_tls_by_name() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.tls_uri_by_name(),
        "--dns-server",
        &bed.dns_server(),
    ]);
    run.assert_ok();
    run.assert_layer_passed("dns");
    run.assert_layer_passed("tcp");
    run.assert_layer_passed("tls");
    run.assert_layer_passed("hello");
}

#[test]
fn ok_tls_by_ip_address() {
    let bed = Bed::load();
    let run = ping(&["--uri", &bed.tls_uri()]);
    run.assert_ok();
    run.assert_layer_passed("tcp");
    run.assert_layer_passed("tls");
    run.assert_layer_passed("hello");
}

#[test]
fn ok_srv_end_to_end_through_dns() {
    let bed = Bed::load();
    let uri = bed.srv_uri("cluster0", &format!("tlsCAFile={}", bed.ca()));
    let run = ping(&["--uri", &uri, "--dns-server", &bed.dns_server()]);
    run.assert_ok();
    run.assert_layer_passed("dns");
    let dns_names: Vec<String> = run
        .steps("dns")
        .iter()
        .map(|s| s["name"].as_str().unwrap_or("").to_owned())
        .collect();
    for kind in ["SRV", "TXT"] {
        assert!(
            dns_names.iter().any(|n| n.contains(kind)),
            "no passing {kind} step among {dns_names:?}\n{}",
            run.dump()
        );
    }
    run.assert_layer_passed("tcp");
    run.assert_layer_passed("tls");
    run.assert_layer_passed("hello");
}

#[test]
fn ok_srv_without_tls_or_txt() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("plain0", "tls=false"),
        "--dns-server",
        &bed.dns_server(),
    ]);
    run.assert_ok();
    run.assert_layer_passed("hello");
}

#[test]
fn ok_uri_from_mongodb_uri_variable() {
    let bed = Bed::load();
    let mut cli = cli();
    cli.env("MONGODB_URI", bed.plain_uri()).args(["ping"]);
    let run = cli.run_json();
    run.assert_ok();
    assert_eq!(
        run.json["target"]["source"],
        "env:MONGODB_URI",
        "{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ config_invalid (3)

#[test]
fn uri_unescaped_character() {
    let run = ping(&["--uri", "mongodb://us@r:p@ss@127.0.0.1/"]);
    run.assert_failure("config_invalid", "uri_unescaped_character");
    run.assert_no_secret("p@ss");
    assert_nothing_probed(&run);
}

#[test]
fn uri_srv_with_port() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        "mongodb+srv://cluster0.example.test:27017/",
        "--dns-server",
        &bed.dns_server(),
    ]);
    run.assert_failure("config_invalid", "uri_srv_with_port");
    assert_nothing_probed(&run);
}

#[test]
fn uri_srv_multiple_hosts() {
    let bed = Bed::load();
    let uri = "mongodb+srv://cluster0.example.test,plain0.example.test/";
    let run = ping(&["--uri", uri, "--dns-server", &bed.dns_server()]);
    run.assert_failure("config_invalid", "uri_srv_multiple_hosts");
    assert_nothing_probed(&run);
}

#[test]
fn uri_unknown_scheme() {
    let uri = format!("postgres://app:{SECRET}@127.0.0.1:5432/app");
    let run = ping(&["--uri", &uri]);
    run.assert_failure("config_invalid", "uri_unknown_scheme");
    run.assert_no_secret(SECRET);
    assert_nothing_probed(&run);
}

#[test]
fn uri_empty_host() {
    let uri = format!("mongodb://app:{SECRET}@/admin");
    let run = ping(&["--uri", &uri]);
    run.assert_failure("config_invalid", "uri_empty_host");
    run.assert_no_secret(SECRET);
    assert_nothing_probed(&run);
}

#[test]
fn uri_invalid_option() {
    let uri = format!(
        "mongodb://127.0.0.1:{}/?tls=maybe",
        support::refusing_port()
    );
    let run = ping(&["--uri", &uri]);
    run.assert_failure("config_invalid", "uri_invalid_option");
    assert!(
        run.diagnosis_text().contains("tls"),
        "the evidence should name the option\n{}",
        run.dump()
    );
    assert_nothing_probed(&run);
}

#[test]
fn uri_malformed() {
    let uri = format!("mongodb://app:{SECRET}@127.0.0.1:notaport/");
    let run = ping(&["--uri", &uri]);
    run.assert_failure("config_invalid", "uri_malformed");
    run.assert_no_secret(SECRET);
    assert_nothing_probed(&run);
}

/// Issue 9 item 4: the driver judges. It refuses an upper-case scheme, so
/// do we (this passed before), and the reason says what to write.
#[test]
fn r9_an_upper_case_scheme_is_config_invalid() {
    let bed = Bed::load();
    let uri = bed.plain_uri().replacen("mongodb://", "MONGODB://", 1);
    let run = ping(&["--uri", &uri]);
    run.assert_failure("config_invalid", "uri_unknown_scheme");
    assert!(
        run.diagnosis_text().contains("lower case"),
        "{}",
        run.dump()
    );
    assert_nothing_probed(&run);
}

/// Issue 9 item 4: an `@` in an option value is not the end of credentials;
/// the driver takes the string, so the run goes on (this was exit 3).
#[test]
fn r9_an_at_sign_in_app_name_is_not_refused() {
    let bed = Bed::load();
    let uri = format!("{}?appName=svc@team", bed.plain_uri());
    let run = ping(&["--uri", &uri]);
    run.assert_ok();
    run.assert_layer_passed("hello");
}

/// A rule only the driver knows (an empty pool): refused with its reason.
#[test]
fn r9_a_rule_only_the_driver_knows_is_config_invalid() {
    let uri = format!(
        "mongodb://app:{SECRET}@127.0.0.1:{}/?maxPoolSize=0",
        support::refusing_port()
    );
    let run = ping(&["--uri", &uri]);
    run.assert_failure("config_invalid", "uri_malformed");
    assert!(
        run.diagnosis_text().contains("maxPoolSize"),
        "{}",
        run.dump()
    );
    run.assert_no_secret(SECRET);
    assert_nothing_probed(&run);
}

#[test]
fn config_file_invalid_unknown_key_is_named() {
    let mut cli = cli();
    let path = cli.write_file("atlas-doctor.toml", "timout-secs = 3\n");
    let uri = format!("mongodb://127.0.0.1:{}/", support::refusing_port());
    cli.args(["ping", "--uri", &uri, "--config"]).arg(&path);
    let run = cli.run_json();
    run.assert_failure("config_invalid", "config_file_invalid");
    assert!(
        run.stderr.contains("timout-secs") || run.stdout.contains("timout-secs"),
        "the unknown key must be named\n{}",
        run.dump()
    );
    assert_nothing_probed(&run);
}

#[test]
fn config_missing_value_uri_env_names_the_variable() {
    let mut cli = cli();
    let path = cli.write_file("atlas-doctor.toml", "uri-env = \"UNSET_VAR\"\n");
    cli.args(["ping", "--config"]).arg(&path);
    let run = cli.run_json();
    run.assert_failure("config_invalid", "config_missing_value");
    assert!(
        run.stderr.contains("UNSET_VAR") || run.stdout.contains("UNSET_VAR"),
        "the unset variable must be named\n{}",
        run.dump()
    );
    assert_nothing_probed(&run);
}

#[test]
fn config_missing_value_unknown_profile() {
    let mut cli = cli();
    let path = cli.write_file(
        "atlas-doctor.toml",
        "[profiles.staging]\nuri-env = \"STAGING_MONGODB_URI\"\n",
    );
    cli.env("STAGING_MONGODB_URI", "mongodb://127.0.0.1:1/")
        .args(["ping", "--profile", "nope", "--config"])
        .arg(&path);
    let run = cli.run_json();
    run.assert_failure("config_invalid", "config_missing_value");
    assert!(
        run.stderr.contains("nope") || run.stdout.contains("nope"),
        "the missing profile must be named\n{}",
        run.dump()
    );
    assert_nothing_probed(&run);
}

// ------------------------------------------------------------------ dns (10)

#[test]
fn dns_no_such_name() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("missing", ""),
        "--dns-server",
        &bed.dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_no_such_name");
}

/// `nosrv.example.test` has an A record but no SRV record (the `_mongodb._tcp` name is
/// NXDOMAIN, as in real DNS): "no records of that type", not "no such name".
#[test]
fn dns_no_records_host_without_srv() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("nosrv", ""),
        "--dns-server",
        &bed.dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_no_records");
}

/// The SRV target `shard-00-00.noaddr.example.test` exists but has no A/AAAA record.
#[test]
fn dns_no_records_srv_target_without_address() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("noaddr", ""),
        "--dns-server",
        &bed.dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_no_records");
    assert!(
        run.diagnosis_text()
            .contains("shard-00-00.noaddr.example.test"),
        "{}",
        run.dump()
    );
}

#[test]
fn dns_server_failure_refused() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("cluster0", ""),
        "--dns-server",
        &bed.broken_dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_server_failure");
}

#[test]
fn dns_timeout() {
    let bed = Bed::load();
    let resolver = support::silent_udp();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("cluster0", ""),
        "--dns-server",
        &resolver.host(),
        "--timeout",
        "1",
    ]);
    run.assert_failure("dns", "dns_timeout");
}

#[test]
fn dns_resolver_unreachable() {
    let bed = Bed::load();
    let resolver = format!("127.0.0.1:{}", support::closed_udp_port());
    let run = ping(&[
        "--uri",
        &bed.srv_uri("cluster0", ""),
        "--dns-server",
        &resolver,
        "--timeout",
        "1",
    ]);
    run.assert_failure("dns", "dns_resolver_unreachable");
}

#[test]
fn dns_txt_forbidden_option() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("badtxt", ""),
        "--dns-server",
        &bed.dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_txt_forbidden_option");
    assert!(
        run.diagnosis_text().contains("ssl"),
        "the forbidden option should be named\n{}",
        run.dump()
    );
}

#[test]
fn dns_srv_target_outside_domain() {
    let bed = Bed::load();
    let run = ping(&[
        "--uri",
        &bed.srv_uri("evil", ""),
        "--dns-server",
        &bed.dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_srv_target_outside_domain");
    assert!(
        run.diagnosis_text().contains("db.attacker.test"),
        "the bad target should be named\n{}",
        run.dump()
    );
}

#[test]
fn dns_resolver_broken_prints_the_standard_string() {
    let bed = Bed::load();
    let uri = bed.srv_uri("cluster0", &format!("tlsCAFile={}", bed.ca()));
    let run = ping(&[
        "--uri",
        &uri,
        "--dns-server",
        &bed.broken_dns_server(),
        "--dns-fallback",
        &bed.dns_server(),
        "--timeout",
        "2",
    ]);
    run.assert_failure("dns", "dns_resolver_broken");
    let workaround = format!(
        "mongodb://shard-00-00.cluster0.example.test:{}",
        bed.mongo_tls
    );
    assert!(
        run.diagnosis_text().contains(&workaround),
        "evidence or fixes should hold the workaround {workaround:?}\n{}",
        run.dump()
    );
}

/// Issue 20 item 10: the DNS-fallback fix said "put your password back in place
/// of ****" for a connection string that had no password.
#[test]
fn r20_10_the_dns_fallback_fix_asks_for_a_password_only_when_there_was_one() {
    let bed = Bed::load();
    let uri = bed.srv_uri("cluster0", &format!("tlsCAFile={}", bed.ca()));
    let with_password = uri.replacen("mongodb+srv://", &format!("mongodb+srv://app:{SECRET}@"), 1);
    assert_ne!(uri, with_password);
    for (uri, has_password) in [(&uri, false), (&with_password, true)] {
        let run = ping(&[
            "--uri",
            uri,
            "--dns-server",
            &bed.broken_dns_server(),
            "--dns-fallback",
            &bed.dns_server(),
            "--timeout",
            "2",
        ]);
        run.assert_failure("dns", "dns_resolver_broken");
        run.assert_no_secret(SECRET);
        let fix = run.str("/diagnosis/fixes/0");
        assert!(
            fix.contains("Use the standard connection string"),
            "{}",
            run.dump()
        );
        assert_eq!(
            fix.contains("put your password back in place of ****"),
            has_password,
            "{fix}"
        );
        assert_eq!(fix.contains("app:****@"), has_password, "{fix}");
    }
}

// ------------------------------------------------------------------ tcp (11, 12)

#[test]
fn tcp_refused_and_password_redacted() {
    let uri = format!(
        "mongodb://app:{SECRET}@127.0.0.1:{}/",
        support::refusing_port()
    );
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    run.assert_failure("tcp_refused", "tcp_refused");
    run.assert_no_secret(SECRET);
    assert!(
        run.str("/target/uri").contains("app:****@"),
        "target.uri is not redacted as user:****@\n{}",
        run.dump()
    );
}

#[test]
fn network_timeout() {
    let server = support::blackhole();
    let run = ping(&["--uri", &server.uri(), "--timeout", "1"]);
    run.assert_failure("network_timeout", "network_timeout");
}

// ------------------------------------------------------------------ ip_access_list (13)

#[test]
fn ip_access_list_alert_80_with_atlas() {
    let server = support::tls_alert(80);
    let run = ping(&["--uri", &server.tls_uri(), "--atlas", "--timeout", "2"]);
    run.assert_failure("ip_access_list", "ip_access_list");
}

// ------------------------------------------------------------------ tls (14)

#[test]
fn tls_unknown_issuer() {
    let server = support::tls_server(CertKind::UnknownCa);
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_unknown_issuer");
}

/// The bed's TLS server without `tlsCAFile`: its private CA is in no system store.
#[test]
fn tls_unknown_issuer_private_ca_without_ca_file() {
    let bed = Bed::load();
    let uri = format!("mongodb://127.0.0.1:{}/?tls=true", bed.mongo_tls);
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    run.assert_failure("tls", "tls_unknown_issuer");
}

#[test]
fn tls_expired() {
    let server = support::tls_server(CertKind::Expired);
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_expired");
}

#[test]
fn tls_not_yet_valid() {
    let server = support::tls_server(CertKind::NotYetValid);
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_not_yet_valid");
    assert!(run.diagnosis_text().contains("clock"), "{}", run.dump());
}

#[test]
fn tls_name_mismatch() {
    let server = support::tls_server(CertKind::WrongName);
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_name_mismatch");
}

#[test]
fn tls_alert_handshake_failure() {
    let server = support::tls_alert(40);
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_alert");
}

/// Alert 80 from a host that is not under mongodb.net, without `--atlas`: no evidence of Atlas.
#[test]
fn tls_alert_80_without_atlas() {
    let server = support::tls_alert(80);
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_alert");
}

/// Issue 15 item 14: a TLS server that demands a client certificate is `tls`
/// (14), not `server`, and the diagnosis names tlsCertificateKeyFile. TLS 1.3
/// refuses after the client's handshake is done (alert 116 at the first
/// read, which used to fail the hello layer), TLS 1.2 inside the handshake.
#[test]
fn r15_a_server_demanding_a_client_certificate_is_tls() {
    for tls12 in [false, true] {
        let mtls = support::client_auth::tls_server_requiring_client_cert(tls12);
        let run = ping(&["--uri", &mtls.server.tls_uri(), "--timeout", "2"]);
        run.assert_failure("tls", "tls_client_certificate_required");
        assert!(
            run.diagnosis_text().contains("tlsCertificateKeyFile"),
            "TLS 1.2 only: {tls12}\n{}",
            run.dump()
        );
        // With the certificate it asks for, the TLS layer passes (the listener
        // then stays silent: it is no MongoDB server).
        let uri = format!(
            "{}&tlsCertificateKeyFile={}",
            mtls.server.tls_uri(),
            mtls.client_pem.display()
        );
        let run = ping(&["--uri", &uri, "--timeout", "1"]);
        run.assert_layer_passed("tls");
        assert_ne!(run.str("/class"), "tls", "{}", run.dump());
    }
}

#[test]
fn tls_closed_after_client_hello() {
    let server = support::close_after_client_hello();
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_closed_after_client_hello");
}

/// An Atlas host (here by --atlas) that drops the connection during the handshake:
/// the access list, without the alert as proof.
#[test]
fn ip_access_list_closed_during_handshake() {
    let server = support::close_after_client_hello();
    let run = ping(&["--uri", &server.tls_uri(), "--atlas", "--timeout", "2"]);
    run.assert_failure("ip_access_list", "ip_access_list_closed");
}

/// `tls=true` against the bed's plain SecantusDB, which never answers a ClientHello.
#[test]
fn tls_plain_server() {
    let bed = Bed::load();
    let uri = format!("mongodb://127.0.0.1:{}/?tls=true", bed.mongo_plain);
    let run = ping(&["--uri", &uri, "--timeout", "1"]);
    run.assert_failure("tls", "tls_plain_server");
}

#[test]
fn tls_required_reset_by_tls_only_listener() {
    let server = support::tls_only_resets_plain();
    let run = ping(&["--uri", &server.uri(), "--timeout", "2"]);
    run.assert_failure("tls", "tls_required");
}

/// A plain client against the bed's TLS-only SecantusDB (it resets the connection).
#[test]
fn tls_required_real_tls_server() {
    let bed = Bed::load();
    let uri = format!("mongodb://127.0.0.1:{}/", bed.mongo_tls);
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    run.assert_failure("tls", "tls_required");
}

#[test]
fn tls_handshake_timeout() {
    let server = support::silent();
    let run = ping(&["--uri", &server.tls_uri(), "--timeout", "1"]);
    run.assert_failure("tls", "tls_handshake_timeout");
}

// ------------------------------------------------------------------ server (15)

#[test]
fn not_mongodb_http_server() {
    let server = support::http();
    let run = ping(&["--uri", &server.uri(), "--timeout", "2"]);
    run.assert_failure("server", "not_mongodb");
}

#[test]
fn not_mongodb_garbage() {
    let server = support::garbage();
    let run = ping(&["--uri", &server.uri(), "--timeout", "2"]);
    run.assert_failure("server", "not_mongodb");
}

#[test]
fn no_reply() {
    let server = support::silent();
    let run = ping(&["--uri", &server.uri(), "--timeout", "1"]);
    run.assert_failure("server", "no_reply");
}

#[test]
fn closed_without_reply() {
    let server = support::close_after_accept();
    let run = ping(&["--uri", &server.uri(), "--timeout", "2"]);
    run.assert_failure("server", "closed_without_reply");
}

#[test]
fn wire_version_too_old() {
    let server = support::fake_mongod(doc! {"maxWireVersion": 6, "minWireVersion": 0});
    let run = ping(&["--uri", &server.uri(), "--timeout", "2"]);
    run.assert_failure("server", "wire_version_too_old");
}

#[test]
fn wire_version_too_new() {
    let server = support::fake_mongod(doc! {"maxWireVersion": 45, "minWireVersion": 40});
    let run = ping(&["--uri", &server.uri(), "--timeout", "2"]);
    run.assert_failure("server", "wire_version_too_new");
}

/// Every member answers, none is primary: the driver would time out on server selection.
#[test]
fn no_primary() {
    let secondary = doc! {
        "isWritablePrimary": false, "secondary": true, "setName": "rs0",
        "maxWireVersion": 21, "minWireVersion": 0,
    };
    let a = support::fake_mongod(secondary.clone());
    let b = support::fake_mongod(secondary);
    let uri = format!("mongodb://{},{}/?replicaSet=rs0", a.host(), b.host());
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    run.assert_failure("server", "no_primary");
    let evidence = run.diagnosis_text();
    assert!(
        evidence.contains(&a.host()) && evidence.contains(&b.host()),
        "{}",
        run.dump()
    );
}

/// With a read preference that allows secondaries, no primary is a warning, not a failure.
#[test]
fn no_primary_with_secondary_reads_is_a_warning() {
    let secondary = doc! {
        "isWritablePrimary": false, "secondary": true, "setName": "rs0",
        "maxWireVersion": 21, "minWireVersion": 0,
    };
    let a = support::fake_mongod(secondary);
    let uri = format!(
        "mongodb://{}/?replicaSet=rs0&readPreference=secondaryPreferred",
        a.host()
    );
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.json["verdict"], "warn", "{}", run.dump());
    assert!(
        run.json["warnings"].to_string().contains("primary"),
        "{}",
        run.dump()
    );
}

#[test]
fn replica_set_mismatch() {
    let bed = Bed::load();
    let uri = format!("mongodb://127.0.0.1:{}/?replicaSet=wrong", bed.mongo_plain);
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    run.assert_failure("server", "replica_set_mismatch");
    assert!(
        run.diagnosis_text().contains(&bed.set_name),
        "the server's set name {:?} should be in the evidence\n{}",
        bed.set_name,
        run.dump()
    );
}

// ------------------------------------------------------------------ human format

#[test]
fn human_failure_prints_status_word_and_fix() {
    let uri = format!(
        "mongodb://app:{SECRET}@127.0.0.1:{}/",
        support::refusing_port()
    );
    let json = ping(&["--uri", &uri, "--timeout", "2"]);
    json.assert_failure("tcp_refused", "tcp_refused");
    let fix = json.json["diagnosis"]["fixes"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let human = run(["ping", "--uri", &uri, "--timeout", "2"]);
    assert_eq!(human.code, 11, "{}", human.dump());
    assert!(
        human.stdout.contains("FAIL"),
        "no FAIL status word\n{}",
        human.dump()
    );
    assert!(
        collapse_whitespace(&human.stdout).contains(&collapse_whitespace(&fix)),
        "the fix {fix:?} is not in the human report\n{}",
        human.dump()
    );
    assert!(
        !human.stdout.contains('\u{1b}'),
        "colour escape with NO_COLOR=1\n{}",
        human.dump()
    );
    human.assert_no_secret(SECRET);
}

// ------------------------------------------------------------------ password source

/// A password typed into `--uri` is a warning (shell history, `ps`); from the
/// environment it is not.
#[test]
fn a_password_on_the_command_line_is_a_warning() {
    let bed = Bed::load();
    let uri = format!("mongodb://app:{SECRET}@127.0.0.1:{}/", bed.mongo_plain);
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.json["verdict"], "warn", "{}", run.dump());
    let warned = run.steps("uri").iter().any(|s| {
        s["status"] == "warn"
            && s["detail"]
                .as_str()
                .is_some_and(|d| d.contains("shell history"))
    });
    assert!(warned, "{}", run.dump());
    run.assert_no_secret(SECRET);

    let mut c = cli();
    c.env("MONGODB_URI", &uri).args(["ping", "--timeout", "2"]);
    let run = c.run_json();
    assert_eq!(run.code, 0, "{}", run.dump());
    assert!(!run.stdout.contains("shell history"), "{}", run.dump());
    run.assert_no_secret(SECRET);
}

/// Issue 20 item 6: advice that ignored the evidence. A refused 127.0.0.1 was told
/// "Node.js resolved localhost to ::1 ... connect to 127.0.0.1 instead of localhost";
/// with no target configured, the verdict said only "Start the server", not that
/// nothing was configured, that it tried the default, and how to name one.
#[test]
fn r20_6_advice_follows_the_evidence() {
    let port = support::refusing_port().to_string();
    let uri = format!("mongodb://127.0.0.1:{port}/");
    let run = ping(&["--uri", &uri, "--timeout", "2"]);
    assert_eq!(run.str("/class"), "tcp_refused", "{}", run.dump());
    let diagnosis = run.json["diagnosis"].to_string();
    assert!(
        !diagnosis.contains("::1") && !diagnosis.contains("instead of localhost"),
        "{}",
        run.dump()
    );

    // No --uri, no MONGODB_URI, no config file: the default, said as such.
    let run = ping(&["--timeout", "1"]);
    assert_eq!(run.str("/target/source"), "default", "{}", run.dump());
    assert_ne!(
        run.str("/class"),
        "ok",
        "something listens on localhost:27017"
    );
    let summary = run.str("/diagnosis/summary");
    assert!(
        summary.starts_with("No target was configured")
            && summary.contains("mongodb://localhost:27017"),
        "{summary}"
    );
    let first_fix = run.str("/diagnosis/fixes/0");
    assert!(
        first_fix.contains("MONGODB_URI") && first_fix.contains("--uri"),
        "{first_fix}"
    );
}
