//! Issue 12: `--atlas-api` against the test bed's fake Atlas Administration API
//! (`scripts/fake_atlas_api.py`). The data plane is real sockets on 127.0.0.1: the
//! bed's TLS SecantusDB, a TLS alert-80 listener (Atlas refusing an address), a
//! fake mongod answering `bad auth` (code 8000), a blackhole for timeouts.

mod support;

use mongodb::bson::doc;
use serde_json::Value;
use support::{Bed, Cli, JsonRun, LOCALHOST, atlas_bad_auth, fake_mongod_with, tls_alert};

/// `atlas-doctor ARGS --atlas-api --timeout 5 --format json` with the fake's credentials.
fn atlas_run(bed: &Bed, args: &[&str]) -> JsonRun {
    let mut cli = bed.atlas_cli();
    atlas_run_with(&mut cli, args)
}

fn atlas_run_with(cli: &mut Cli, args: &[&str]) -> JsonRun {
    cli.args(args).args(["--atlas-api", "--timeout", "5"]);
    cli.run_json()
}

/// Exit code, class and reason, the envelope, and at least one fix.
fn assert_outcome(run: &JsonRun, command: &str, class: &str, reason: &str) {
    assert_eq!(
        (
            run.code,
            run.str("/class"),
            run.json["diagnosis"]["reason"].as_str().unwrap_or("(none)")
        ),
        (support::exit_code_of(class), class, reason),
        "(exit code, class, reason)\n{}",
        run.dump()
    );
    run.assert_envelope(command);
    assert!(
        run.json["diagnosis"]["fixes"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "no fix\n{}",
        run.dump()
    );
}

fn summary(run: &JsonRun) -> &str {
    run.str("/diagnosis/summary")
}

fn alert_uri(port: u16) -> String {
    format!("mongodb://{LOCALHOST}:{port}/?tls=true")
}

/// `ping` of an Atlas-style alert-80 listener (Atlas refusing the handshake) with
/// `--atlas-cluster cluster` and, when given, `--egress-ip ip`.
fn alert_80(bed: &Bed, cluster: &str, egress_ip: Option<&str>) -> JsonRun {
    let server = tls_alert(80);
    let uri = alert_uri(server.port());
    let mut args = vec!["ping", "--uri", &uri, "--atlas-cluster", cluster];
    if let Some(ip) = egress_ip {
        args.extend(["--egress-ip", ip]);
    }
    atlas_run(bed, &args)
}

/// The atlas steps' statuses.
fn atlas_steps(run: &JsonRun) -> Vec<(String, String)> {
    run.steps("atlas")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

// ------------------------------------------------------------------ alert 80 and the access list

#[test]
fn r12_alert_80_with_the_ip_missing_is_confirmed_and_names_the_address() {
    let bed = Bed::load();
    let server = tls_alert(80);
    let uri = alert_uri(server.port());
    let args = [
        "ping",
        "--uri",
        &uri,
        "--atlas-cluster",
        "Cluster0",
        "--egress-ip",
        "192.0.2.55",
    ];
    let run = atlas_run(&bed, &args);
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list_confirmed");
    let project = &bed.atlas.project_id;
    assert!(
        summary(&run).contains("192.0.2.55")
            && summary(&run).contains(&format!("project {project}")),
        "{}",
        run.dump()
    );
    assert_eq!(
        run.str("/diagnosis/fixes/0"),
        format!(
            "Add 192.0.2.55 to the access list: `atlas accessLists create 192.0.2.55 --projectId {project}` (or Atlas UI: Security > Network Access > Add IP Address > 192.0.2.55)."
        )
    );
    let list = &run.json["atlas"]["access_list"];
    assert_eq!(list["egress_ip"], "192.0.2.55");
    assert_eq!(list["egress_source"], "flag");
    assert!(list["covered_by"].is_null(), "{}", run.dump());
    // Every page was read: 110 filler entries, then the four the tests use.
    assert_eq!(list["entries"], 114);
    assert_eq!(
        run.json["atlas"]["project_id"].as_str(),
        Some(project.as_str())
    );
    assert_eq!(run.json["atlas"]["errors"], Value::Array(Vec::new()));

    // The same class and exit code in every format, the address in each.
    for format in ["human", "markdown", "junit"] {
        let mut cli = bed.atlas_cli();
        cli.args(args)
            .args(["--atlas-api", "--timeout", "5", "--format", format]);
        let out = cli.run();
        assert_eq!(out.code, 13, "{format}\n{}", out.dump());
        assert!(
            out.stdout.contains("atlas accessLists create 192.0.2.55"),
            "{format}\n{}",
            out.dump()
        );
    }
}

#[test]
fn r12_alert_80_with_the_ip_covered_is_not_the_access_list() {
    let bed = Bed::load();
    // 203.0.113.0/24 sits on the second page of the list; 2001:db8:1::/48 covers the v6 address.
    for (ip, entry) in [
        ("203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:1::5", "2001:db8:1::/48"),
    ] {
        let run = alert_80(&bed, "Cluster0", Some(ip));
        assert_outcome(&run, "ping", "tls", "ip_access_list_ruled_out");
        assert!(
            summary(&run).contains(&format!("{ip} is on the IP access list"))
                && summary(&run).contains("the access list is not the cause"),
            "{}",
            run.dump()
        );
        let text = run.diagnosis_text();
        assert!(
            text.contains("private endpoint") && text.contains("paused"),
            "{}",
            run.dump()
        );
        let list = &run.json["atlas"]["access_list"];
        assert_eq!(list["covered_by"], entry, "{}", run.dump());
        assert_eq!(list["entry_status"], "ACTIVE");
    }
}

#[test]
fn r12_alert_80_from_a_paused_cluster_says_paused() {
    let bed = Bed::load();
    let run = alert_80(&bed, "Paused0", Some("203.0.113.7"));
    assert_outcome(&run, "ping", "server", "atlas_cluster_paused");
    assert!(
        summary(&run).starts_with("Cluster Paused0 is paused"),
        "{}",
        run.dump()
    );
    assert!(
        run.str("/diagnosis/fixes/0").contains(&format!(
            "atlas clusters start Paused0 --projectId {}",
            bed.atlas.project_id
        )),
        "{}",
        run.dump()
    );
    assert_eq!(run.json["atlas"]["cluster"]["paused"], true);
}

#[test]
fn r12_alert_80_with_a_pending_entry_says_not_applied() {
    let bed = Bed::load();
    let run = alert_80(&bed, "Cluster0", Some("198.51.100.9"));
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list_pending");
    assert_eq!(run.json["atlas"]["access_list"]["entry_status"], "PENDING");
}

#[test]
fn r12_egress_auto_asks_the_api_and_says_the_route_may_differ() {
    let bed = Bed::load();
    let run = alert_80(&bed, "Cluster0", None);
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list_confirmed");
    // The fake sees the caller as 127.0.0.1, which is on no entry.
    let list = &run.json["atlas"]["access_list"];
    assert_eq!(
        (list["egress_ip"].as_str(), list["egress_source"].as_str()),
        (Some("127.0.0.1"), Some("api"))
    );
    assert!(
        run.diagnosis_text().contains("route") || run.diagnosis_text().contains("another address"),
        "{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ bad auth

/// `auth-check` as `user` against a fake mongod that answers Atlas's `bad auth`.
fn bad_auth(bed: &Bed, user: &str, cluster: &str) -> JsonRun {
    let server = fake_mongod_with(doc! {}, [("saslStart", atlas_bad_auth())]);
    let uri = format!(
        "mongodb://{user}:Wr0ng-Passw0rd@{LOCALHOST}:{}/?authSource=admin",
        server.port()
    );
    let run = atlas_run(
        bed,
        &[
            "auth-check",
            "--uri",
            &uri,
            "--atlas-cluster",
            cluster,
            "--egress-ip",
            "203.0.113.7",
        ],
    );
    run.assert_no_secret("Wr0ng-Passw0rd");
    run
}

#[test]
fn r12_bad_auth_for_a_missing_user() {
    let bed = Bed::load();
    let run = bad_auth(&bed, "ghost", "Cluster0");
    assert_outcome(&run, "auth-check", "auth_failed", "atlas_user_missing");
    assert_eq!(
        summary(&run),
        format!(
            "User ghost does not exist in project {}.",
            bed.atlas.project_id
        )
    );
    assert_eq!(run.json["atlas"]["user"]["exists"], false);
}

#[test]
fn r12_bad_auth_for_a_user_scoped_to_another_cluster() {
    let bed = Bed::load();
    let run = bad_auth(&bed, "scoped", "Cluster0");
    assert_outcome(
        &run,
        "auth-check",
        "auth_failed",
        "atlas_user_wrong_cluster",
    );
    assert_eq!(
        summary(&run),
        "User scoped is scoped to Cluster1, not Cluster0."
    );
    assert_eq!(
        run.json["atlas"]["user"]["scopes"],
        serde_json::json!(["Cluster1"])
    );
}

#[test]
fn r12_bad_auth_while_the_cluster_applies_the_user() {
    let bed = Bed::load();
    let run = bad_auth(&bed, "app", "Pending0");
    assert_outcome(&run, "auth-check", "auth_failed", "atlas_user_pending");
    assert_eq!(
        summary(&run),
        "User app was created and cluster Pending0 has not applied it yet (changeStatus PENDING)."
    );
    assert_eq!(run.json["atlas"]["cluster"]["change_status"], "PENDING");
}

#[test]
fn r12_bad_auth_for_an_active_user_is_the_password() {
    let bed = Bed::load();
    let run = bad_auth(&bed, "app", "Cluster0");
    assert_outcome(&run, "auth-check", "auth_failed", "atlas_wrong_password");
    assert_eq!(
        summary(&run),
        "User app exists and is active: the password is wrong."
    );
    let user = &run.json["atlas"]["user"];
    assert_eq!(
        (user["exists"].as_bool(), user["database"].as_str()),
        (Some(true), Some("admin"))
    );
    // The data plane's own evidence stays.
    assert!(
        run.diagnosis_text()
            .contains("bad auth : authentication failed"),
        "{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ clusters

#[test]
fn r12_the_cluster_is_found_by_the_uris_hosts_and_a_working_route_is_noted() {
    let bed = Bed::load();
    let uri = bed.srv_uri("cluster0", &format!("tlsCAFile={}", bed.ca()));
    let dns = bed.dns_server();
    let run = atlas_run(&bed, &["ping", "--uri", &uri, "--dns-server", &dns]);
    assert_eq!(run.code, 0, "{}", run.dump());
    let cluster = &run.json["atlas"]["cluster"];
    assert_eq!(cluster["name"], "Cluster0", "{}", run.dump());
    assert_eq!(cluster["uri_kind"], "standard_srv");
    assert_eq!(cluster["state"], "IDLE");
    assert_eq!(cluster["mongodb_version"], "8.0.4");
    assert_eq!(cluster["change_status"], "APPLIED");
    // Connected although 127.0.0.1 (as the API saw us) is on no entry: another route.
    assert_eq!(run.json["verdict"], "warn", "{}", run.dump());
    assert!(
        run.json["warnings"].to_string().contains("another route"),
        "{}",
        run.dump()
    );
}

#[test]
fn r12_a_flex_cluster_is_read_through_its_own_endpoint() {
    let bed = Bed::load();
    let run = alert_80(&bed, "Flex0", Some("203.0.113.7"));
    let cluster = &run.json["atlas"]["cluster"];
    assert_eq!(
        (cluster["name"].as_str(), cluster["flex"].as_bool()),
        (Some("Flex0"), Some(true)),
        "{}",
        run.dump()
    );
    assert_eq!(
        run.json["atlas"]["errors"],
        Value::Array(Vec::new()),
        "{}",
        run.dump()
    );
}

#[test]
fn r12_an_unknown_cluster_is_an_api_error_not_a_verdict() {
    let bed = Bed::load();
    let run = alert_80(&bed, "Nope0", Some("192.0.2.55"));
    // The access list still confirms; the cluster lookup is an error entry.
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list_confirmed");
    let errors = run.json["atlas"]["errors"].as_array().expect("errors");
    assert_eq!(errors[0]["code"], "CLUSTER_NOT_FOUND", "{}", run.dump());
    assert_eq!(errors[0]["status"], 404);
}

// ------------------------------------------------------------------ private strings (item 5)

#[test]
fn r12_a_private_endpoint_string_from_outside_is_named_with_the_public_fix() {
    let bed = Bed::load();
    let hole = support::blackhole();
    let uri = format!(
        "mongodb://cluster0-pl-0.{}:{}/?tls=true",
        bed.domain,
        hole.port()
    );
    let dns = bed.dns_server();
    // Without the API: named from the host name alone.
    let mut cli = support::cli();
    cli.args([
        "ping",
        "--uri",
        &uri,
        "--dns-server",
        &dns,
        "--atlas",
        "--timeout",
        "2",
    ]);
    let run = cli.run_json();
    assert_outcome(
        &run,
        "ping",
        "network_timeout",
        "atlas_private_string_outside",
    );
    assert!(
        summary(&run).contains("private endpoint or peering"),
        "{}",
        run.dump()
    );
    // With the API, the fix names the cluster's public string.
    let run = atlas_run(
        &bed,
        &[
            "ping",
            "--uri",
            &uri,
            "--dns-server",
            &dns,
            "--atlas-cluster",
            "Cluster0",
            "--egress-ip",
            "203.0.113.7",
        ],
    );
    assert_outcome(
        &run,
        "ping",
        "network_timeout",
        "atlas_private_string_outside",
    );
    assert!(
        run.str("/diagnosis/fixes/0")
            .contains("mongodb+srv://cluster0.example.test"),
        "{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ API failures

#[test]
fn r12_bad_api_credentials_leave_the_verdict_and_add_a_warning() {
    let bed = Bed::load();
    let server = tls_alert(80);
    let uri = alert_uri(server.port());
    let wrong = "ak-wrong-private-key-123";
    let mut cli = bed.atlas_cli();
    cli.env("MONGODB_ATLAS_PRIVATE_API_KEY", wrong);
    let run = atlas_run_with(
        &mut cli,
        &["ping", "--uri", &uri, "--egress-ip", "192.0.2.55"],
    );
    // The data-plane verdict stands, unconfirmed.
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list");
    let errors = run.json["atlas"]["errors"].as_array().expect("errors");
    assert_eq!(errors[0]["status"], 401, "{}", run.dump());
    assert!(
        atlas_steps(&run).iter().any(|(_, s)| s == "warn"),
        "{}",
        run.dump()
    );
    run.assert_no_secret(wrong);
    run.assert_no_secret(&bed.atlas.api_key.private);

    // A healthy data plane stays exit 0, verdict warn.
    let mut cli = bed.atlas_cli();
    cli.env("MONGODB_ATLAS_PRIVATE_API_KEY", wrong);
    let tls = bed.tls_uri();
    let run = atlas_run_with(&mut cli, &["ping", "--uri", &tls]);
    assert_eq!(
        (run.code, run.str("/verdict")),
        (0, "warn"),
        "{}",
        run.dump()
    );
}

#[test]
fn r12_the_apis_own_access_list_refusing_us_is_a_warning() {
    let bed = Bed::load();
    let server = tls_alert(80);
    let uri = alert_uri(server.port());
    let mut cli = bed.atlas_cli();
    cli.env(
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        &bed.atlas.refused_key.public,
    )
    .env(
        "MONGODB_ATLAS_PRIVATE_API_KEY",
        &bed.atlas.refused_key.private,
    );
    let run = atlas_run_with(
        &mut cli,
        &["ping", "--uri", &uri, "--egress-ip", "192.0.2.55"],
    );
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list");
    let errors = run.json["atlas"]["errors"].as_array().expect("errors");
    assert_eq!(
        (errors[0]["status"].as_u64(), errors[0]["code"].as_str()),
        (Some(403), Some("IP_ADDRESS_NOT_ON_ACCESS_LIST")),
        "{}",
        run.dump()
    );
    // One refusal is enough: no cluster or user calls after it.
    assert_eq!(errors.len(), 1, "{}", run.dump());
    run.assert_no_secret(&bed.atlas.refused_key.private);
}

#[test]
fn r12_a_service_account_uses_the_oauth_token_flow() {
    let bed = Bed::load();
    let sa = &bed.atlas.service_account;
    let mut cli = bed.atlas_cli();
    cli.env_remove("MONGODB_ATLAS_PUBLIC_API_KEY")
        .env_remove("MONGODB_ATLAS_PRIVATE_API_KEY")
        .env("MONGODB_ATLAS_CLIENT_ID", &sa.client_id)
        .env("MONGODB_ATLAS_CLIENT_SECRET", &sa.client_secret);
    let server = fake_mongod_with(doc! {}, [("saslStart", atlas_bad_auth())]);
    let uri = format!(
        "mongodb://app:Wr0ng-Passw0rd@{LOCALHOST}:{}/",
        server.port()
    );
    let run = atlas_run_with(
        &mut cli,
        &[
            "auth-check",
            "--uri",
            &uri,
            "--atlas-cluster",
            "Cluster0",
            "--egress-ip",
            "203.0.113.7",
        ],
    );
    assert_outcome(&run, "auth-check", "auth_failed", "atlas_wrong_password");
    run.assert_no_secret(&sa.client_secret);
    assert!(
        !run.stdout.contains("Bearer") && !run.stderr.contains("Bearer"),
        "{}",
        run.dump()
    );

    // A wrong secret: the token request is refused, the verdict stands.
    let mut cli = bed.atlas_cli();
    let wrong = "mdb_sa_sk_wrong0123456789";
    cli.env_remove("MONGODB_ATLAS_PUBLIC_API_KEY")
        .env("MONGODB_ATLAS_CLIENT_ID", &sa.client_id)
        .env("MONGODB_ATLAS_CLIENT_SECRET", wrong);
    let run = atlas_run_with(&mut cli, &["auth-check", "--uri", &uri]);
    assert_outcome(&run, "auth-check", "auth_failed", "auth_failed_atlas");
    assert_eq!(
        run.json["atlas"]["errors"][0]["status"],
        401,
        "{}",
        run.dump()
    );
    run.assert_no_secret(wrong);
}

#[test]
fn r12_missing_credentials_and_keyring_profiles_are_named() {
    let bed = Bed::load();
    let tls = bed.tls_uri();
    let mut cli = support::cli();
    let run = atlas_run_with(&mut cli, &["ping", "--uri", &tls]);
    assert_eq!(
        (run.code, run.str("/verdict")),
        (0, "warn"),
        "{}",
        run.dump()
    );
    assert!(
        run.json["atlas"]["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("MONGODB_ATLAS_CLIENT_ID"),
        "{}",
        run.dump()
    );

    // An Atlas CLI profile whose secrets live in the OS keyring.
    let mut cli = support::cli();
    let dir = cli.home_dir().join(".config/atlascli");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[work]\n  project_id = \"{}\"\n  auth_type = \"service_account\"\n",
            bed.atlas.project_id
        ),
    )
    .unwrap();
    let run = atlas_run_with(
        &mut cli,
        &["ping", "--uri", &tls, "--atlas-profile", "work"],
    );
    assert!(
        run.json["atlas"]["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("OS keyring"),
        "{}",
        run.dump()
    );
}

#[test]
fn r12_an_atlas_cli_profile_with_its_secrets_in_the_file_works() {
    let bed = Bed::load();
    let mut cli = support::cli();
    let dir = cli.home_dir().join(".config/atlascli");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[default]\n  public_api_key = \"{}\"\n  private_api_key = \"{}\"\n  project_id = \"{}\"\n",
            bed.atlas.api_key.public, bed.atlas.api_key.private, bed.atlas.project_id
        ),
    )
    .unwrap();
    cli.env(
        "MONGODB_ATLAS_BASE_URL",
        format!("http://{LOCALHOST}:{}", bed.atlas_api),
    );
    let tls = bed.tls_uri();
    let run = atlas_run_with(
        &mut cli,
        &[
            "ping",
            "--uri",
            &tls,
            "--atlas-profile",
            "default",
            "--atlas-cluster",
            "Cluster1",
            "--egress-ip",
            "203.0.113.7",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(
        run.json["atlas"]["cluster"]["name"],
        "Cluster1",
        "{}",
        run.dump()
    );
    run.assert_no_secret(&bed.atlas.api_key.private);
}

#[test]
fn r12_plain_http_to_a_remote_api_is_refused() {
    let bed = Bed::load();
    let mut cli = bed.atlas_cli();
    cli.env("MONGODB_ATLAS_BASE_URL", "http://cloud.mongodb.com/");
    let tls = bed.tls_uri();
    let run = atlas_run_with(&mut cli, &["ping", "--uri", &tls]);
    assert_eq!(run.str("/class"), "config_invalid", "{}", run.dump());
    assert!(
        run.diagnosis_text().contains("MONGODB_ATLAS_BASE_URL"),
        "{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ checklist (item 6)

#[test]
fn r12_the_checklist_gains_the_atlas_items() {
    let bed = Bed::load();
    let uri = bed.srv_uri("cluster0", &format!("tlsCAFile={}", bed.ca()));
    let dns = bed.dns_server();
    let run = atlas_run(
        &bed,
        &[
            "checklist",
            "--uri",
            &uri,
            "--dns-server",
            &dns,
            "--egress-ip",
            "192.0.2.55",
            "--scan",
            ".",
        ],
    );
    let status = |id: &str| {
        run.json["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == id))
            .map(|c| {
                (
                    c["section"].as_str().unwrap_or_default().to_string(),
                    c["status"].as_str().unwrap_or_default().to_string(),
                )
            })
    };
    assert_eq!(
        status("atlas-access-list"),
        Some(("security".into(), "fail".into())),
        "{}",
        run.dump()
    );
    assert_eq!(
        status("atlas-user"),
        Some(("security".into(), "skip".into())),
        "{}",
        run.dump()
    );
    assert_eq!(
        status("atlas-cluster-state"),
        Some(("testing".into(), "pass".into())),
        "{}",
        run.dump()
    );
    assert_eq!(run.str("/class"), "checks_failed", "{}", run.dump());

    // Without --atlas-api there are no atlas items.
    let mut cli = support::cli();
    cli.args([
        "checklist",
        "--uri",
        &uri,
        "--dns-server",
        &dns,
        "--scan",
        ".",
    ]);
    let plain = cli.run_json();
    let ids: Vec<&str> = plain.json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        !ids.iter().any(|id| id.starts_with("atlas-")),
        "{ids:?}\n{}",
        plain.dump()
    );
    assert!(plain.json["atlas"].is_null(), "{}", plain.dump());
}

#[test]
fn r12_an_api_that_never_answers_ends_with_the_layer_deadline() {
    let bed = Bed::load();
    let silent = support::silent();
    let mut cli = bed.atlas_cli();
    cli.env(
        "MONGODB_ATLAS_BASE_URL",
        format!("http://{LOCALHOST}:{}/", silent.port()),
    );
    let tls = bed.tls_uri();
    cli.args(["ping", "--uri", &tls, "--atlas-api", "--timeout", "1"]);
    let run = cli.run_json();
    // The data plane's verdict stands; the API is a warning with its error.
    assert_eq!(
        (run.code, run.str("/verdict")),
        (0, "warn"),
        "{}",
        run.dump()
    );
    let errors = run.json["atlas"]["errors"].as_array().expect("errors");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no answer within the deadline")),
        "{}",
        run.dump()
    );
}

#[test]
fn r12_bad_auth_against_another_database_names_the_auth_source_not_the_password() {
    let bed = Bed::load();
    let server = fake_mongod_with(doc! {}, [("saslStart", atlas_bad_auth())]);
    // No authSource and a path database: the driver logs in against `app`.
    let uri = format!(
        "mongodb://app:Wr0ng-Passw0rd@{LOCALHOST}:{}/app",
        server.port()
    );
    let run = atlas_run(
        &bed,
        &[
            "auth-check",
            "--uri",
            &uri,
            "--atlas-cluster",
            "Cluster0",
            "--egress-ip",
            "203.0.113.7",
        ],
    );
    assert_outcome(&run, "auth-check", "auth_failed", "auth_source_suspect");
    assert!(
        summary(&run).starts_with("User app exists in admin of project"),
        "{}",
        run.dump()
    );
    assert!(
        run.str("/diagnosis/fixes/0").contains("authSource=admin"),
        "{}",
        run.dump()
    );
    run.assert_no_secret("Wr0ng-Passw0rd");
}

#[test]
fn r12_a_flex_cluster_is_found_by_the_uris_host_although_the_clusters_list_leaves_it_out() {
    let bed = Bed::load();
    // flex0 has no DNS records in the bed: the data plane fails at dns, the API still answers.
    let uri = bed.srv_uri("flex0", "");
    let dns = bed.dns_server();
    let run = atlas_run(
        &bed,
        &[
            "ping",
            "--uri",
            &uri,
            "--dns-server",
            &dns,
            "--egress-ip",
            "203.0.113.7",
        ],
    );
    assert_eq!(run.str("/class"), "dns", "{}", run.dump());
    let cluster = &run.json["atlas"]["cluster"];
    assert_eq!(
        (
            cluster["name"].as_str(),
            cluster["flex"].as_bool(),
            cluster["uri_kind"].as_str()
        ),
        (Some("Flex0"), Some(true), Some("standard_srv")),
        "{}",
        run.dump()
    );
}

// ------------------------------------------------------------------ issue 19: facts outrank inference

/// `atlas-doctor ARGS --atlas-api --timeout 2 --format json` (a silent peer takes a deadline).
fn quick_json(mut cli: Cli, args: &[&str]) -> JsonRun {
    cli.args(args).args(["--atlas-api", "--timeout", "2"]);
    cli.run_json()
}

/// `atlas-doctor ARGS --atlas-api --timeout 2 --format FORMAT`: exit code and stdout.
fn atlas_run_format(mut cli: Cli, args: &[&str], format: &str) -> support::Run {
    cli.args(args)
        .args(["--atlas-api", "--timeout", "2", "--format", format]);
    cli.run()
}

/// Issue 19 item 3: a paused cluster seen by the API decided nothing when the data
/// plane saw silence: the verdict said the server never answered the TLS handshake
/// and advised removing tls=true, which on Atlas makes things worse.
#[test]
fn r19_a_paused_cluster_is_server_whatever_the_data_plane_saw() {
    let bed = Bed::load();
    let silent = support::silent();
    let uri = alert_uri(silent.port());
    // 192.0.2.55 is on no entry: the paused cluster outranks the access list too.
    let args = [
        "ping",
        "--uri",
        &uri,
        "--atlas-cluster",
        "Paused0",
        "--egress-ip",
        "192.0.2.55",
    ];
    let run = quick_json(bed.atlas_cli(), &args);
    assert_outcome(&run, "ping", "server", "atlas_cluster_paused");
    assert!(
        summary(&run).starts_with("Cluster Paused0 is paused: resume it."),
        "{}",
        run.dump()
    );
    let said = run.json["diagnosis"].to_string().to_lowercase();
    assert!(!said.contains("remove tls"), "{}", run.dump());
    // What the data plane saw stays as evidence.
    assert!(
        run.json["diagnosis"]["evidence"]
            .as_array()
            .is_some_and(|e| e
                .iter()
                .any(|e| e.as_str().is_some_and(|e| e.contains("TLS")))),
        "{}",
        run.dump()
    );
    for format in ["human", "markdown", "junit"] {
        let out = atlas_run_format(bed.atlas_cli(), &args, format);
        assert_eq!(out.code, 15, "{format}\n{}", out.dump());
        assert!(
            out.stdout.contains("Paused0 is paused: resume it"),
            "{format}\n{}",
            out.dump()
        );
        assert!(
            !out.stdout.to_lowercase().contains("remove tls"),
            "{format}\n{}",
            out.dump()
        );
    }

    // A dropped connection (tcp timeout) is the paused cluster too, not the access list.
    let blackhole = support::blackhole();
    let uri = alert_uri(blackhole.port());
    let run = quick_json(
        bed.atlas_cli(),
        &[
            "ping",
            "--uri",
            &uri,
            "--atlas-cluster",
            "Paused0",
            "--egress-ip",
            "192.0.2.55",
        ],
    );
    assert_outcome(&run, "ping", "server", "atlas_cluster_paused");

    // The checklist's connection item says the same, not the data plane's guess.
    let uri = alert_uri(silent.port());
    let run = quick_json(
        bed.atlas_cli(),
        &[
            "checklist",
            "--uri",
            &uri,
            "--atlas-cluster",
            "Paused0",
            "--scan",
            ".",
        ],
    );
    assert_outcome(&run, "checklist", "server", "atlas_cluster_paused");
    let connection = run.json["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "connection"))
        .expect("connection item");
    assert_eq!(connection["status"], "fail", "{}", run.dump());
    assert!(
        connection["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Paused0 is paused: resume it"))
            && !connection.to_string().to_lowercase().contains("remove tls"),
        "{}",
        run.dump()
    );
}

/// Issue 19 item 3: when the API refused the credentials, the verdict read exactly
/// as without --atlas-api; it now says the cross-check could not confirm it, and why.
#[test]
fn r19_an_api_failure_is_said_in_the_verdict() {
    let bed = Bed::load();
    let server = tls_alert(80);
    let uri = alert_uri(server.port());
    let args = ["ping", "--uri", &uri, "--egress-ip", "192.0.2.55"];
    let said = "Not confirmed: the Atlas API refused the API key (HTTP 401).";
    let wrong_key = |mut cli: Cli| {
        cli.env("MONGODB_ATLAS_PRIVATE_API_KEY", "ak-wrong-private-key-123");
        cli
    };
    let run = atlas_run_with(&mut wrong_key(bed.atlas_cli()), &args);
    // The data-plane class stands.
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list");
    assert!(summary(&run).ends_with(said), "{}", run.dump());
    for format in ["human", "markdown", "junit"] {
        let out = atlas_run_format(wrong_key(bed.atlas_cli()), &args, format);
        assert_eq!(out.code, 13, "{format}\n{}", out.dump());
        assert!(out.stdout.contains(said), "{format}\n{}", out.dump());
    }

    // A service account whose secret is refused at the token request.
    let sa = &bed.atlas.service_account;
    let mut cli = bed.atlas_cli();
    cli.env_remove("MONGODB_ATLAS_PUBLIC_API_KEY")
        .env_remove("MONGODB_ATLAS_PRIVATE_API_KEY")
        .env("MONGODB_ATLAS_CLIENT_ID", &sa.client_id)
        .env("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk_wrong0123456789");
    let run = atlas_run_with(&mut cli, &args);
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list");
    assert!(
        summary(&run)
            .ends_with("Not confirmed: the Atlas API refused the service account (HTTP 401)."),
        "{}",
        run.dump()
    );

    // A confirmed verdict says nothing of the kind.
    let run = alert_80(&bed, "Cluster0", Some("192.0.2.55"));
    assert!(!summary(&run).contains("Not confirmed"), "{}", run.dump());
}

/// Issue 19 item 3: an Atlas API that cannot be reached (nothing listens at the
/// base URL) is said in the verdict of every format, never read as a
/// confirmation either way.
#[test]
fn r19_an_unreachable_api_is_said_in_the_verdict() {
    let bed = Bed::load();
    let server = tls_alert(80);
    let uri = alert_uri(server.port());
    let args = ["ping", "--uri", &uri, "--egress-ip", "192.0.2.55"];
    let closed = {
        let listener = std::net::TcpListener::bind((LOCALHOST, 0)).expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let unreachable = |mut cli: Cli| {
        cli.env(
            "MONGODB_ATLAS_BASE_URL",
            format!("http://{LOCALHOST}:{closed}/"),
        );
        cli
    };
    let said = "Not confirmed: the Atlas API could not be reached.";
    let run = atlas_run_with(&mut unreachable(bed.atlas_cli()), &args);
    assert_outcome(&run, "ping", "ip_access_list", "ip_access_list");
    assert!(summary(&run).ends_with(said), "{}", run.dump());
    assert!(!summary(&run).contains("Confirmed by"), "{}", run.dump());
    for format in ["human", "markdown", "junit"] {
        let out = atlas_run_format(unreachable(bed.atlas_cli()), &args, format);
        assert_eq!(out.code, 13, "{format}\n{}", out.dump());
        assert!(out.stdout.contains(said), "{format}\n{}", out.dump());
    }
}

/// Issue 20 item 12: the project holds `Orders` and the connection string says
/// `orders`: Atlas user names are case-sensitive, and nothing said "did you
/// mean Orders" (the diagnosis asked to create a user that is there).
#[test]
fn r20_12_a_user_in_other_letter_case_gets_a_did_you_mean() {
    let bed = Bed::load();
    let run = bad_auth(&bed, "orders", "Cluster0");
    assert_outcome(&run, "auth-check", "auth_failed", "atlas_user_missing");
    let said = summary(&run);
    assert!(
        said.contains("did you mean Orders?") && said.contains("case-sensitive"),
        "{said}"
    );
    let first_fix = run.str("/diagnosis/fixes/0");
    assert!(
        first_fix.contains("Orders") && !first_fix.contains("dbusers create"),
        "{first_fix}"
    );
    assert_eq!(run.json["atlas"]["user"]["exists"], false);
    assert_eq!(run.json["atlas"]["user"]["similar_names"][0], "Orders");

    // A name no user holds in any case gets no hint.
    let run = bad_auth(&bed, "ghost", "Cluster0");
    assert!(!summary(&run).contains("did you mean"), "{}", run.dump());
    assert_eq!(
        run.json["atlas"]["user"]["similar_names"],
        serde_json::json!([])
    );
}
