//! End-to-end tests of `atlas-doctor auth-check` and `atlas-doctor collections`: the built
//! binary against the test bed's SecantusDB with `--auth` (users admin, reader, other,
//! special) and a fake mongod that rejects `saslStart` the way Atlas does.
//!
//! Each case asserts the exit code, the JSON `class` and `diagnosis.reason`, and that no
//! password of the run reaches stdout or stderr.

mod support;

use mongodb::bson::doc;
use support::{
    Bed, JsonRun, LOCALHOST, atlas_bad_auth, fake_mongod_with, percent_encode, run_json,
};

/// `atlas-doctor COMMAND --uri URI --timeout 3 EXTRA... --format json`.
fn doctor(command: &str, uri: &str, extra: &[&str]) -> JsonRun {
    let mut args = vec![command, "--uri", uri, "--timeout", "3"];
    args.extend_from_slice(extra);
    run_json(args)
}

/// Exit code, class and reason together, and the envelope of `command`.
fn assert_outcome(run: &JsonRun, command: &str, class: &str, reason: Option<&str>) {
    let got_reason = run.json["diagnosis"]["reason"].as_str();
    assert_eq!(
        (run.code, run.str("/class"), got_reason),
        (support::exit_code_of(class), class, reason),
        "(exit code, class, reason)\n{}",
        run.dump()
    );
    run.assert_envelope(command);
    if reason.is_some() {
        let fixes = run.json["diagnosis"]["fixes"].as_array();
        assert!(
            fixes.is_some_and(|f| !f.is_empty()),
            "no fix\n{}",
            run.dump()
        );
    }
}

fn assert_no_passwords(run: &JsonRun, bed: &Bed, extra: &[&str]) {
    for user in bed.users.values() {
        run.assert_no_secret(&user.password);
    }
    for secret in extra {
        run.assert_no_secret(secret);
    }
}

// ------------------------------------------------------------------ auth-check: success

#[test]
fn scram_sha_256_authenticates_admin() {
    let bed = Bed::load();
    let run = doctor(
        "auth-check",
        &bed.auth_uri("admin", "authMechanism=SCRAM-SHA-256"),
        &[],
    );
    assert_outcome(&run, "auth-check", "ok", None);
    assert_eq!(run.str("/auth/user"), "admin", "{}", run.dump());
    assert_eq!(run.str("/auth/db"), "admin");
    assert_eq!(run.str("/auth/mechanism"), "SCRAM-SHA-256");
    let roles = run.json["auth"]["roles"].as_array().expect("roles");
    assert!(
        roles
            .iter()
            .any(|r| r["role"] == "root" && r["db"] == "admin"),
        "{}",
        run.dump()
    );
    assert!(run.json["auth"]["privileges"].is_array());
    run.assert_layer_passed("auth");
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn scram_sha_1_authenticates_reader() {
    let bed = Bed::load();
    let run = doctor(
        "auth-check",
        &bed.auth_uri("reader", "authMechanism=SCRAM-SHA-1"),
        &[],
    );
    assert_outcome(&run, "auth-check", "ok", None);
    assert_eq!(run.str("/auth/user"), "reader");
    assert_eq!(run.str("/auth/mechanism"), "SCRAM-SHA-1");
    assert_eq!(run.json["auth"]["roles"][0]["role"], "read");
    assert_eq!(run.json["auth"]["roles"][0]["db"], "probe");
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn negotiated_mechanism_is_named_and_verbose_shows_the_conversation() {
    let bed = Bed::load();
    let run = doctor("auth-check", &bed.auth_uri("reader", ""), &["--verbose"]);
    assert_outcome(&run, "auth-check", "ok", None);
    assert_eq!(
        run.str("/auth/mechanism"),
        "SCRAM-SHA-256",
        "{}",
        run.dump()
    );
    let names: Vec<&str> = run
        .steps("auth")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("saslSupportedMechs"))
            && names.iter().any(|n| n.starts_with("SASL conversation")),
        "{names:?}"
    );
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn escaped_special_password_works() {
    let bed = Bed::load();
    assert!(bed.user("special").password.contains('@'));
    let run = doctor("auth-check", &bed.auth_uri("special", ""), &[]);
    assert_outcome(&run, "auth-check", "ok", None);
    assert_eq!(run.str("/auth/user"), "special");
    assert_no_passwords(&run, &bed, &[]);
}

// ------------------------------------------------------------------ auth-check: failures

#[test]
fn wrong_password_is_auth_failed_naming_both_causes() {
    let bed = Bed::load();
    let wrong = "Wr0ng-Passw0rd-123";
    let uri = format!("mongodb://reader:{wrong}@{LOCALHOST}:{}/", bed.mongo_auth);
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(&run, "auth-check", "auth_failed", Some("auth_failed"));
    let text = run.diagnosis_text().to_lowercase();
    assert!(
        text.contains("wrong password") && text.contains("does not exist"),
        "{text}"
    );
    assert!(text.contains("code 18"), "{text}");
    assert_no_passwords(&run, &bed, &[wrong]);
}

#[test]
fn unknown_user_is_auth_failed() {
    let bed = Bed::load();
    let pw = "N0body-Passw0rd";
    let uri = format!("mongodb://nobody:{pw}@{LOCALHOST}:{}/", bed.mongo_auth);
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(&run, "auth-check", "auth_failed", Some("auth_failed"));
    assert_no_passwords(&run, &bed, &[pw]);
}

#[test]
fn a_failing_password_with_special_characters_shows_their_encoding() {
    let bed = Bed::load();
    let wrong = "wr0ng@pass:word";
    let uri = format!(
        "mongodb://special:{}@{LOCALHOST}:{}/",
        percent_encode(wrong),
        bed.mongo_auth
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(&run, "auth-check", "auth_failed", Some("auth_failed"));
    let text = run.diagnosis_text();
    assert!(text.contains("%40") && text.contains("%3A"), "{text}");
    assert_no_passwords(&run, &bed, &[wrong]);
}

#[test]
fn unescaped_at_in_password_is_config_invalid_without_network() {
    let bed = Bed::load();
    let password = &bed.user("special").password;
    let uri = format!(
        "mongodb://special:{password}@{LOCALHOST}:{}/",
        bed.mongo_auth
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(
        &run,
        "auth-check",
        "config_invalid",
        Some("uri_unescaped_character"),
    );
    for layer in ["dns", "tcp", "tls", "hello", "auth"] {
        assert!(
            run.steps(layer).is_empty(),
            "{layer} probed\n{}",
            run.dump()
        );
    }
    assert!(run.diagnosis_text().contains("%40"), "{}", run.dump());
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn missing_auth_source_with_a_path_database_suggests_admin() {
    let bed = Bed::load();
    let user = bed.user("reader");
    let uri = format!(
        "mongodb://reader:{}@{LOCALHOST}:{}/probe",
        percent_encode(&user.password),
        bed.mongo_auth
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(
        &run,
        "auth-check",
        "auth_failed",
        Some("auth_source_suspect"),
    );
    assert!(
        run.str("/diagnosis/fixes/0").contains("authSource=admin"),
        "{}",
        run.dump()
    );
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn no_credentials_against_an_auth_server_is_auth_required() {
    let bed = Bed::load();
    let uri = format!("mongodb://{LOCALHOST}:{}/", bed.mongo_auth);
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(&run, "auth-check", "authorization", Some("auth_required"));
    assert!(
        run.diagnosis_text()
            .contains("Add user:password to the connection string"),
        "{}",
        run.dump()
    );
}

/// Issue 11 item 3: a user with no password was "the server rejected the credentials",
/// though nothing was sent. The fake mongod would answer saslStart with Atlas's bad auth:
/// the run must not get that far.
#[test]
fn r11_a_user_without_a_password_is_named_and_nothing_is_sent() {
    let server = fake_mongod_with(doc! {}, [("saslStart", atlas_bad_auth())]);
    let uri = format!(
        "mongodb://alice@{LOCALHOST}:{}/?authSource=admin",
        server.port()
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(&run, "auth-check", "auth_failed", Some("auth_no_password"));
    let summary = run.str("/diagnosis/summary");
    assert!(
        summary.contains("No password was given") && summary.contains("alice"),
        "{}",
        run.dump()
    );
    // The config's username with no password-env: the same finding.
    let mut cmd = support::cli();
    cmd.write_file("atlas-doctor.toml", "username = \"bob\"\n");
    let uri = format!("mongodb://{LOCALHOST}:{}/", server.port());
    cmd.args(["auth-check", "--uri", &uri, "--timeout", "3"]);
    let run = cmd.run_json();
    assert_outcome(&run, "auth-check", "auth_failed", Some("auth_no_password"));
    assert!(
        run.str("/diagnosis/summary").contains("bob"),
        "{}",
        run.dump()
    );
}

#[test]
fn atlas_bad_auth_is_named_as_atlas() {
    let server = fake_mongod_with(doc! {}, [("saslStart", atlas_bad_auth())]);
    let pw = "At1as-Passw0rd";
    let uri = format!("mongodb://app:{pw}@{LOCALHOST}:{}/", server.port());
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(&run, "auth-check", "auth_failed", Some("auth_failed_atlas"));
    assert!(run.diagnosis_text().contains("8000"), "{}", run.dump());
    run.assert_no_secret(pw);
}

// ------------------------------------------------------------------ collections

#[test]
fn collections_all_expected_present() {
    let bed = Bed::load();
    let run = doctor(
        "collections",
        &bed.auth_uri("reader", "authSource=admin"),
        &["--db", "probe", "--expect", "users,webhook_subscriptions"],
    );
    assert_outcome(&run, "collections", "ok", None);
    let names: Vec<&str> = run.json["collections"]
        .as_array()
        .expect("collections array")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(
        names.contains(&"users") && names.contains(&"webhook_subscriptions"),
        "{names:?}"
    );
    assert_eq!(run.json["collections"][0]["type"], "collection");
    assert!(run.json["collections"][0].get("documents").is_some());
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn collections_one_missing_is_checks_failed_and_named() {
    let bed = Bed::load();
    let run = doctor(
        "collections",
        &bed.auth_uri("reader", "authSource=admin"),
        &["--db", "probe", "--expect", "users,no_such_collection"],
    );
    assert_outcome(
        &run,
        "collections",
        "checks_failed",
        Some("collections_missing"),
    );
    assert!(
        run.str("/diagnosis/summary").contains("no_such_collection"),
        "{}",
        run.dump()
    );
    let failed: Vec<&str> = run
        .steps("data")
        .iter()
        .filter(|s| s["status"] == "fail")
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(
        failed,
        ["expect probe.no_such_collection"],
        "{}",
        run.dump()
    );
    assert_no_passwords(&run, &bed, &[]);
}

#[test]
fn collections_without_rights_is_authorization() {
    let bed = Bed::load();
    let run = doctor(
        "collections",
        &bed.auth_uri("other", "authSource=admin"),
        &["--db", "probe"],
    );
    assert_outcome(&run, "collections", "authorization", Some("unauthorized"));
    let summary = run.str("/diagnosis/summary");
    assert!(
        summary.contains("listCollections") && summary.contains("probe"),
        "{summary}"
    );
    assert!(
        run.str("/diagnosis/fixes/0").contains("read role"),
        "{}",
        run.dump()
    );
    assert_no_passwords(&run, &bed, &[]);
}

// ------------------------------------------------------------------ auth-check: client-side refusal

#[test]
fn a_password_saslprep_refuses_is_named_not_blamed_on_the_server() {
    let bed = Bed::load();
    // U+1F600 is unassigned in the Unicode version SASLprep uses: the driver
    // refuses it before any byte reaches the server.
    let password = "pa\u{1F600}ss-word";
    let uri = format!(
        "mongodb://nobody:pa%F0%9F%98%80ss-word@127.0.0.1:{}/?authSource=admin&authMechanism=SCRAM-SHA-256",
        bed.mongo_auth
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(
        &run,
        "auth-check",
        "auth_failed",
        Some("auth_password_unusable"),
    );
    assert!(
        run.str("/diagnosis/summary").contains("nothing was sent"),
        "{}",
        run.dump()
    );
    assert_no_passwords(&run, &bed, &[password]);
}

// ------------------------------------------------------------------ auth-check: mechanism not offered

/// The handshake's `saslSupportedMechs` names what the server offers; asking for
/// another mechanism is named as such, with the one to use.
#[test]
fn a_mechanism_the_server_does_not_offer_is_named_with_the_alternative() {
    let server = fake_mongod_with(
        doc! { "saslSupportedMechs": ["SCRAM-SHA-1"] },
        [(
            "saslStart",
            doc! {
                "ok": 0.0,
                "errmsg": "Received authentication for mechanism SCRAM-SHA-256 which is not enabled",
                "code": 334,
                "codeName": "MechanismUnavailable",
            },
        )],
    );
    let uri = format!(
        "mongodb://app:Not-A-Real-Pw-42@{}/?authSource=admin&authMechanism=SCRAM-SHA-256",
        server.host()
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_outcome(
        &run,
        "auth-check",
        "auth_failed",
        Some("auth_mechanism_unsupported"),
    );
    assert!(
        run.str("/diagnosis/fixes/0").contains("SCRAM-SHA-1"),
        "{}",
        run.dump()
    );
    run.assert_no_secret("Not-A-Real-Pw-42");
}

/// Issue 9 item 5: one root store. With `SSL_CERT_FILE` naming the bed's
/// private CA, the system store trusts the TLS server: the TLS layer and the
/// driver's login must agree. Before, ping said OK (the TLS layer asked the
/// system store) and auth-check said `server` (the driver trusted only the
/// Mozilla bundle and its server selection timed out).
#[test]
fn r9_ping_and_auth_check_trust_the_same_roots() {
    let bed = Bed::load();
    let uri = format!("mongodb://{LOCALHOST}:{}/?tls=true", bed.mongo_tls);
    for command in ["ping", "auth-check"] {
        let mut cli = support::cli();
        cli.env("SSL_CERT_FILE", &bed.ca_file)
            .args([command, "--uri", &uri, "--timeout", "3"]);
        let run = cli.run_json();
        assert_outcome(&run, command, "ok", None);
        assert_eq!(
            run.json["tls"][0]["trusted_by"],
            serde_json::json!(["system"]),
            "{}",
            run.dump()
        );
        // Works here, but not in a driver that ships the Mozilla list: said.
        let tls = run.steps("tls");
        let status = |name: &str| {
            tls.iter()
                .find(|s| s["name"] == name)
                .map(|s| s["status"].clone())
        };
        assert_eq!(status("handshake"), Some("pass".into()), "{}", run.dump());
        assert_eq!(
            status("trust stores"),
            Some("warn".into()),
            "{}",
            run.dump()
        );
        assert!(
            tls.iter().any(|s| s["detail"]
                .as_str()
                .is_some_and(|d| d.contains("NODE_EXTRA_CA_CERTS"))),
            "{}",
            run.dump()
        );
    }
    // With tlsCAFile, only it vouches for the private CA.
    let run = doctor("ping", &bed.tls_uri(), &[]);
    assert_outcome(&run, "ping", "ok", None);
    assert_eq!(
        run.json["tls"][0]["trusted_by"],
        serde_json::json!(["tlsCAFile"]),
        "{}",
        run.dump()
    );
    // And without it, both refuse the certificate at the TLS layer.
    for command in ["ping", "auth-check"] {
        let run = doctor(command, &uri, &[]);
        assert_outcome(&run, command, "tls", Some("tls_unknown_issuer"));
    }
}

// ------------------------------------------------------------------ typed facts (issue 9)

/// What the bed's authenticated server itself says, through the official driver.
fn server_says(bed: &Bed, command: mongodb::bson::Document) -> mongodb::bson::Document {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let uri = bed.auth_uri(
        "reader",
        "directConnection=true&serverSelectionTimeoutMS=5000",
    );
    rt.block_on(async {
        let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
        client
            .database("admin")
            .run_command(command)
            .await
            .expect("command")
    })
}

#[test]
fn r9_json_deployment_and_auth_match_what_the_server_reports() {
    let bed = Bed::load();
    let run = doctor("auth-check", &bed.auth_uri("reader", ""), &[]);
    assert_outcome(&run, "auth-check", "ok", None);

    let build = server_says(&bed, doc! {"buildInfo": 1});
    let hello = server_says(&bed, doc! {"hello": 1});
    let status = server_says(&bed, doc! {"connectionStatus": 1});
    let deployment = &run.json["deployment"];
    assert_eq!(
        deployment["server_version"],
        build.get_str("version").unwrap(),
        "{}",
        run.dump()
    );
    let wire = |key: &str| i64::from(hello.get_i32(key).unwrap());
    assert_eq!(deployment["wire_version"]["min"], wire("minWireVersion"));
    assert_eq!(deployment["wire_version"]["max"], wire("maxWireVersion"));
    if let Ok(set) = hello.get_str("setName") {
        assert_eq!(deployment["topology"], "replica_set");
        assert_eq!(deployment["set_name"], set);
        assert_eq!(
            deployment["primary"],
            hello.get_str("primary").unwrap(),
            "{}",
            run.dump()
        );
    } else {
        assert_eq!(deployment["topology"], "standalone");
        assert!(deployment["set_name"].is_null());
    }
    assert_eq!(deployment["hosts_answered"], 1);
    assert_eq!(deployment["hosts_total"], 1);
    assert!(
        deployment["round_trip_ms"]["avg"].is_number(),
        "{}",
        run.dump()
    );

    let info = status.get_document("authInfo").unwrap();
    let user = info.get_array("authenticatedUsers").unwrap()[0]
        .as_document()
        .unwrap();
    assert_eq!(run.str("/auth/user"), user.get_str("user").unwrap());
    assert_eq!(run.str("/auth/db"), user.get_str("db").unwrap());
    let mut reported: Vec<(String, String)> = info
        .get_array("authenticatedUserRoles")
        .unwrap()
        .iter()
        .filter_map(|r| r.as_document())
        .map(|r| {
            (
                r.get_str("role").unwrap().to_string(),
                r.get_str("db").unwrap().to_string(),
            )
        })
        .collect();
    let mut ours: Vec<(String, String)> = run.json["auth"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap().to_string(),
                r["db"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    reported.sort();
    ours.sort();
    assert_eq!(ours, reported, "{}", run.dump());
    assert!(run.json["atlas"].is_null());
    assert_eq!(run.json["tls"], serde_json::json!([]), "no TLS asked for");
}

#[test]
fn r9_json_typed_facts_are_present_and_null_when_not_reached() {
    let dead = support::refusing_port();
    let run = run_json([
        "ping",
        "--timeout",
        "1",
        "--uri",
        &format!("mongodb://{LOCALHOST}:{dead}/"),
    ]);
    for key in ["deployment", "auth", "atlas"] {
        assert!(
            run.json.get(key).is_some_and(serde_json::Value::is_null),
            "{key} must be present and null\n{}",
            run.dump()
        );
    }
    assert_eq!(run.json["tls"], serde_json::json!([]));
}

#[test]
fn r9_json_tls_facts_describe_the_certificate() {
    let bed = Bed::load();
    let run = run_json(["ping", "--timeout", "3", "--uri", &bed.tls_uri()]);
    assert_eq!(run.code, 0, "{}", run.dump());
    let tls = &run.json["tls"][0];
    assert_eq!(tls["host"], format!("{LOCALHOST}:{}", bed.mongo_tls));
    assert!(
        tls["protocol"]
            .as_str()
            .is_some_and(|p| p.starts_with("TLSv1.")),
        "{}",
        run.dump()
    );
    let sans: Vec<&str> = tls["sans"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(sans.contains(&LOCALHOST.to_string().as_str()), "{sans:?}");
    let not_after = tls["not_after"].as_str().unwrap();
    assert!(
        not_after.len() == 20 && not_after.ends_with('Z') && not_after.as_bytes()[10] == b'T',
        "RFC 3339: {not_after}"
    );
    assert!(
        tls["days_left"].as_i64().is_some_and(|d| d > 0),
        "{}",
        run.dump()
    );
    assert!(tls["subject"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(tls["issuer"].as_str().is_some_and(|s| !s.is_empty()));
}

// ------------------------------------------------------------------ the application's own options (issue 9 item 4)

#[test]
fn r9_auth_check_hands_the_driver_the_applications_own_options() {
    // Before: the driver's options were built by hand and appName (like
    // compressors, readPreference, authMechanismProperties) was dropped.
    let (peer, seen) = support::fake_mongod_recording(
        doc! {},
        [
            (
                "connectionStatus",
                doc! {"authInfo": {"authenticatedUsers": [], "authenticatedUserRoles": []}, "ok": 1.0},
            ),
            ("listDatabases", doc! {"databases": [], "ok": 1.0}),
        ],
    );
    let uri = format!(
        "mongodb://{LOCALHOST}:{}/?appName=billing-svc&readPreference=secondaryPreferred&maxPoolSize=7",
        peer.port()
    );
    let run = doctor("auth-check", &uri, &[]);
    assert_eq!(run.code, 0, "{}", run.dump());
    let seen = seen.lock().unwrap();
    let app_names: Vec<&str> = seen
        .iter()
        .filter(|c| c.contains_key("hello") || c.contains_key("isMaster"))
        .filter_map(|c| c.get_document("client").ok())
        .filter_map(|c| c.get_document("application").ok())
        .filter_map(|a| a.get_str("name").ok())
        .collect();
    assert!(
        app_names.contains(&"billing-svc"),
        "the driver's handshake names the application: {app_names:?}"
    );
}

#[test]
fn r9_verbose_changes_what_is_shown_not_what_is_recorded() {
    // Before: the probe recorded the SASL steps only with --verbose.
    let bed = Bed::load();
    let uri = bed.auth_uri("reader", "");
    let json = doctor("auth-check", &uri, &[]);
    assert_outcome(&json, "auth-check", "ok", None);
    let recorded: Vec<&str> = json
        .steps("auth")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        recorded.iter().any(|n| n.starts_with("SASL conversation")),
        "{recorded:?}"
    );
    let human = support::run(["auth-check", "--uri", &uri, "--timeout", "3"]);
    assert_eq!(human.code, 0, "{}", human.dump());
    assert!(
        !human.stdout.contains("SASL conversation"),
        "{}",
        human.dump()
    );
    let verbose = support::run(["auth-check", "--verbose", "--uri", &uri, "--timeout", "3"]);
    assert!(
        verbose.stdout.contains("SASL conversation"),
        "{}",
        verbose.dump()
    );
    assert_no_passwords(&json, &bed, &[]);
}

/// Two databases of this test's own on the authenticated server (names unique to this
/// process, sorting first so the listing's cap never leaves them out), each holding
/// collections of its own; dropped again when the test ends, failed or not.
struct OwnDatabases {
    names: [String; 2],
    uri: String,
}

impl OwnDatabases {
    fn create(bed: &Bed, collections: &[(usize, &str)]) -> OwnDatabases {
        let pid = std::process::id();
        let own = OwnDatabases {
            names: [format!("a_r20_2_{pid}_one"), format!("a_r20_2_{pid}_two")],
            uri: bed.auth_uri(
                "admin",
                "authSource=admin&directConnection=true&serverSelectionTimeoutMS=5000",
            ),
        };
        own.each(|client, names| async move {
            for (db, name) in collections {
                client
                    .database(&names[*db])
                    .create_collection(*name)
                    .await
                    .expect("create a collection");
            }
        });
        own
    }

    fn each<F, Fut>(&self, f: F)
    where
        F: FnOnce(mongodb::Client, [String; 2]) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let client = mongodb::Client::with_uri_str(&self.uri)
                .await
                .expect("admin client");
            f(client, self.names.clone()).await;
        });
    }
}

impl Drop for OwnDatabases {
    fn drop(&mut self) {
        self.each(|client, names| async move {
            for name in names {
                let _ = client.database(&name).drop().await;
            }
        });
    }
}

/// The detail of the data step `expect NAME`.
fn expect_detail(run: &JsonRun, name: &str) -> String {
    run.steps("data")
        .iter()
        .find(|s| s["name"] == format!("expect {name}"))
        .and_then(|s| s["detail"].as_str())
        .unwrap_or_else(|| panic!("no step expect {name}\n{}", run.dump()))
        .to_string()
}

/// Issue 20 item 2: `collections --expect a,b` on an Atlas-style URI (no database in
/// the path) probed everything, then exited 3 `config_invalid`. Now it looks in the
/// databases the user can see: a pass names where each was found; a miss fails
/// (exit 1) naming where it looked; never exit 3 after probing.
///
/// It owns what it asserts: other tests add collections and databases to the same server.
#[test]
fn r20_2_expect_without_a_database_looks_in_every_visible_database() {
    let bed = Bed::load();
    // Collections only this test creates (other tests add collections and databases
    // to the same server, so the seeded ones may be found in more places than one).
    let pid = std::process::id();
    let only_one = format!("r20_2_{pid}_only_one");
    let only_two = format!("r20_2_{pid}_only_two");
    let in_both = format!("r20_2_{pid}_in_both");
    let missing = format!("r20_2_{pid}_nowhere");
    let own = OwnDatabases::create(
        &bed,
        &[(0, &only_one), (1, &only_two), (0, &in_both), (1, &in_both)],
    );
    let [one, two] = own.names.clone();

    // admin may list databases: each collection passes naming every database it is in.
    let expect = format!("{only_one},{only_two},{in_both}");
    let run = doctor(
        "collections",
        &bed.auth_uri("admin", "authSource=admin"),
        &["--expect", &expect],
    );
    assert_outcome(&run, "collections", "ok", None);
    assert_eq!(expect_detail(&run, &only_one), format!("present in {one}"));
    assert_eq!(expect_detail(&run, &only_two), format!("present in {two}"));
    assert_eq!(
        expect_detail(&run, &in_both),
        format!("present in {one}, {two}")
    );

    // A miss fails (exit 1) and lists every database it looked in.
    let expect = format!("{only_one},{missing}");
    let run = doctor(
        "collections",
        &bed.auth_uri("admin", "authSource=admin"),
        &["--expect", &expect],
    );
    assert_outcome(
        &run,
        "collections",
        "checks_failed",
        Some("collections_missing"),
    );
    let summary = run.str("/diagnosis/summary");
    let looked_in: Vec<&str> = summary
        .split_once("(looked in ")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map_or_else(
            || panic!("no list of where it looked: {summary}"),
            |(list, _)| list.split(", ").collect(),
        );
    assert!(summary.contains(&missing), "{summary}");
    for db in [one.as_str(), two.as_str(), "otherdb", "probe"] {
        assert!(looked_in.contains(&db), "{db} not looked in: {summary}");
    }
    assert_eq!(expect_detail(&run, &only_one), format!("present in {one}"));

    // reader may not list databases: its roles name probe, and it looks there.
    let run = doctor(
        "collections",
        &bed.auth_uri("reader", "authSource=admin"),
        &["--expect", "users,webhook_subscriptions"],
    );
    assert_outcome(&run, "collections", "ok", None);
    let run = doctor(
        "collections",
        &bed.auth_uri("reader", "authSource=admin"),
        &["--expect", "users,payments"],
    );
    assert_outcome(
        &run,
        "collections",
        "checks_failed",
        Some("collections_missing"),
    );
    assert!(
        run.str("/diagnosis/summary").contains("probe"),
        "{}",
        run.dump()
    );
    assert_no_passwords(&run, &bed, &[]);
}
