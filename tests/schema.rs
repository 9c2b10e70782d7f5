//! The published JSON Schemas (`schema/report.schema.json`, `schema/explain.schema.json`)
//! hold for real outputs of every command and every class, and refuse broken ones.
//! (Every other test's JSON run is validated too, in `support::Run::into_json`.)

mod support;

use std::collections::BTreeSet;

use atlas_doctor::class::Class;
use serde_json::Value;
use support::{Bed, JsonRun};

fn report(args: &[&str]) -> JsonRun {
    // into_json validates against the schema of the command.
    support::run_json(args)
}

fn assert_class(run: &JsonRun, class: &str) {
    assert_eq!(run.str("/class"), class, "{}", run.dump());
}

#[test]
fn every_command_and_class_of_the_report_matches_the_schema() {
    let bed = Bed::load();
    let mut seen = BTreeSet::new();
    let mut check = |args: &[&str], class: &str| {
        let run = report(args);
        assert_class(&run, class);
        support::schema_errors(&run.json).unwrap_or_else(|e| panic!("{e}\n{}", run.dump()));
        seen.insert(class.to_string());
    };

    let plain = bed.plain_uri();
    check(&["--uri", &plain, "ping", "--count", "3"], "ok");
    check(&["--uri", &bed.auth_uri("reader", ""), "auth-check"], "ok");
    check(
        &[
            "--uri",
            &bed.auth_uri("reader", ""),
            "collections",
            "--db",
            "probe",
        ],
        "ok",
    );
    check(
        &[
            "--uri",
            &bed.auth_uri("admin", ""),
            "collections",
            "--db",
            "probe",
            "--expect",
            "no_such_collection",
        ],
        "checks_failed",
    );
    let app = format!(
        "{}/tests/fixtures/from_code/app",
        env!("CARGO_MANIFEST_DIR")
    );
    check(
        &[
            "--uri",
            &bed.auth_uri("admin", ""),
            "collections",
            "--db",
            "probe",
            "--from-code",
            &app,
        ],
        "checks_failed",
    );
    check(
        &["--uri", &plain, "checklist", "--from-code", &app],
        "checks_failed",
    );
    check(&["--uri", &plain, "checklist", "--crud"], "ok");
    check(&["--uri", "mongodb://h:1:2/", "ping"], "config_invalid");
    check(
        &[
            "--uri",
            &format!("mongodb+srv://nosuch.{}/", bed.domain),
            "--dns-server",
            &bed.dns_server(),
            "ping",
        ],
        "dns",
    );
    let refused = format!("mongodb://127.0.0.1:{}/", support::refusing_port());
    check(
        &["--uri", &refused, "--timeout", "2", "ping"],
        "tcp_refused",
    );
    let blackhole = support::blackhole();
    check(
        &["--uri", &blackhole.uri(), "--timeout", "1", "ping"],
        "network_timeout",
    );
    let alert = support::tls_alert(80);
    check(
        &[
            "--uri",
            &alert.tls_uri(),
            "--atlas",
            "--timeout",
            "2",
            "ping",
        ],
        "ip_access_list",
    );
    check(
        &[
            "--uri",
            &format!("mongodb://127.0.0.1:{}/?tls=true", bed.mongo_tls),
            "ping",
        ],
        "tls",
    );
    let http = support::http();
    check(&["--uri", &http.uri(), "--timeout", "2", "ping"], "server");
    let wrong = bed.auth_uri("reader", "").replacen(
        &support::percent_encode(&bed.user("reader").password),
        "wrong",
        1,
    );
    check(&["--uri", &wrong, "auth-check"], "auth_failed");
    check(
        &[
            "--uri",
            &bed.auth_uri("other", ""),
            "collections",
            "--db",
            "probe",
        ],
        "authorization",
    );

    // usage (2) prints clap's message, not a report; internal (70) cannot be provoked
    // from outside. Every other class of the contract was produced above.
    let expected: BTreeSet<String> = Class::ALL
        .iter()
        .filter(|c| ![Class::Usage, Class::Internal, Class::Unknown].contains(c))
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(seen, expected);
}

/// Every text of the explain corpus, through the same renderer as `explain --format json`.
#[test]
fn explain_outputs_of_every_corpus_text_match_the_schema() {
    #[derive(serde::Deserialize)]
    struct Corpus {
        entry: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        text: String,
    }
    let corpus: Corpus = toml::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/explain_corpus.toml"
        ))
        .expect("corpus"),
    )
    .expect("corpus is TOML");
    let mut classes = BTreeSet::new();
    for entry in corpus
        .entry
        .iter()
        .map(|e| e.text.as_str())
        .chain(["", "hello"])
    {
        let rendered = atlas_doctor::report::explain::json(&atlas_doctor::explain::explain(entry));
        let json: Value = serde_json::from_str(&rendered).expect("explain json");
        support::schema_errors(&json).unwrap_or_else(|e| panic!("{e}\n{entry}\n{rendered}"));
        classes.insert(json["class"].as_str().unwrap_or_default().to_string());
    }
    assert!(
        classes.contains("unknown") && classes.len() >= 10,
        "{classes:?}"
    );

    // And the binary's own stdout, both ways in.
    let run = support::run_json(["explain", "bad auth : authentication failed"]);
    assert_class(&run, "auth_failed");
}

fn schema_json(name: &str) -> Value {
    let path = format!("{}/schema/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("schema")).expect("schema JSON")
}

fn enum_of(schema: &Value, pointer: &str) -> BTreeSet<String> {
    schema
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no enum at {pointer}"))
        .iter()
        .map(|v| v.as_str().expect("enum of strings").to_string())
        .collect()
}

/// The schemas name exactly the classes of the contract, with their exit codes.
#[test]
fn the_schemas_name_every_class_with_its_exit_code() {
    let report = schema_json("report.schema.json");
    let all: BTreeSet<String> = Class::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let mut without_unknown = all.clone();
    without_unknown.remove("unknown");
    assert_eq!(enum_of(&report, "/properties/class/enum"), without_unknown);
    assert_eq!(
        enum_of(
            &schema_json("explain.schema.json"),
            "/properties/class/enum"
        ),
        all
    );
    // A report claiming each class with any other exit code is refused.
    let validator = support::schema("report.schema.json");
    let base = support::run_json(["--uri", "mongodb://h:1:2/", "ping"])
        .json
        .clone();
    for class in Class::ALL.into_iter().filter(|c| *c != Class::Unknown) {
        let mut doc = base.clone();
        doc["class"] = Value::from(class.as_str());
        doc["exit_code"] = Value::from(class.exit_code());
        if class == Class::Ok {
            doc["verdict"] = Value::from("ok");
            doc["diagnosis"] = Value::Null;
            doc["steps"] = Value::Array(vec![]);
        }
        assert!(validator.is_valid(&doc), "{class}: {doc:#}");
        doc["exit_code"] = Value::from(class.exit_code().wrapping_add(1));
        assert!(
            !validator.is_valid(&doc),
            "{class} with a wrong exit code passed"
        );
    }
}

/// How a test breaks a real report.
type Mutation = fn(&mut Value);

/// A schema that accepted anything would pass every test above: these must fail.
#[test]
fn the_report_schema_refuses_broken_reports() {
    let bed = Bed::load();
    let ok = report(&["--uri", &bed.plain_uri(), "ping"]).json.clone();
    let failed = report(&[
        "--uri",
        &format!("mongodb://127.0.0.1:{}/", support::refusing_port()),
        "ping",
    ])
    .json
    .clone();
    let validator = support::schema("report.schema.json");
    assert!(validator.is_valid(&ok) && validator.is_valid(&failed));

    let broken: [(&str, &Value, Mutation); 7] = [
        ("a renamed key", &ok, |d| {
            let code = d["exit_code"].take();
            d.as_object_mut().unwrap().remove("exit_code");
            d["exitCode"] = code;
        }),
        ("an unknown verdict", &ok, |d| {
            d["verdict"] = "passed".into();
        }),
        ("an unknown step status", &ok, |d| {
            d["steps"][0]["status"] = "ok".into();
        }),
        ("a diagnosis on an ok verdict", &ok, |d| {
            d["diagnosis"] = serde_json::json!({"reason": "x", "summary": "s", "causes": [], "fixes": [], "evidence": []});
        }),
        ("a failure without diagnosis", &failed, |d| {
            d["diagnosis"] = Value::Null;
        }),
        ("an exit code as a string", &ok, |d| {
            d["exit_code"] = "0".into();
        }),
        ("checks outside checklist", &ok, |d| {
            d["checks"] = serde_json::json!([{"section": "security", "id": "x", "status": "pass", "summary": "s", "fix": null, "evidence": []}]);
        }),
    ];
    for (what, base, mutate) in broken {
        let mut doc = base.clone();
        mutate(&mut doc);
        assert!(
            !validator.is_valid(&doc),
            "the schema accepted {what}: {doc:#}"
        );
    }
}

/// The explain schema refuses what the renderer must never print.
#[test]
fn the_explain_schema_refuses_broken_explanations() {
    let run = support::run_json(["explain", "bad auth : authentication failed"]);
    let validator = support::schema("explain.schema.json");
    let good = run.json.clone();
    assert!(validator.is_valid(&good));
    let broken: [(&str, Mutation); 4] = [
        ("another class's exit code", |d| d["exit_code"] = 0.into()),
        ("an undecidable text without candidates", |d| {
            d["decidable"] = false.into();
            d["candidates"] = Value::Array(vec![]);
        }),
        ("a class outside the contract", |d| {
            d["class"] = "bad_auth".into();
        }),
        ("a missing key", |d| {
            d.as_object_mut().unwrap().remove("decidable");
        }),
    ];
    for (what, mutate) in broken {
        let mut doc = good.clone();
        mutate(&mut doc);
        assert!(!validator.is_valid(&doc), "the schema accepted {what}");
    }
}
