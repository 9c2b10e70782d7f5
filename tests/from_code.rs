//! `collections --from-code` and `checklist --from-code` end to end (issue 23):
//! the sample application (tests/fixtures/from_code/app, every language) read by
//! the built binary and compared with a real database on the bed's server.

mod support;

use serde_json::Value;
use support::Bed;

/// The sample application's database (its collections:
/// tests/fixtures/from_code/database.txt).
const DATABASE: &str = "r23_shop";

fn app() -> String {
    format!(
        "{}/tests/fixtures/from_code/app",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Creates the sample database's collections on the bed's plain server
/// (idempotent); its URI.
fn sample_database(bed: &Bed) -> String {
    support::create_sample_database(bed, DATABASE);
    format!("{}{DATABASE}", bed.plain_uri())
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn named(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let places: Vec<String> = m["places"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| format!("{}:{}", p["file"].as_str().unwrap(), p["line"]))
                .collect();
            format!("{} ({})", m["name"].as_str().unwrap(), places.join(", "))
        })
        .collect()
}

/// Issue 23: the whole sample application against the bed's real server.
#[test]
fn r23_collections_from_code_against_the_real_server() {
    let bed = Bed::load();
    let uri = sample_database(&bed);
    let app = app();
    let run = support::run_json(["--uri", &uri, "collections", "--from-code", &app]);
    assert_eq!(run.run.code, 1, "{}", run.dump());
    assert_eq!(run.str("/class"), "checks_failed");
    assert_eq!(run.str("/diagnosis/reason"), "code_collections_missing");
    let code = &run.json["code"];
    assert_eq!(code["database"], DATABASE);
    assert_eq!(code["files_parsed"], 13);
    // The step that says what the code holds carries the time the read took
    // (JUnit's time="0.000000" before).
    let read = run.json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "collections from code")
        .unwrap_or_else(|| panic!("{}", run.dump()));
    assert!(read["duration_ms"].as_f64().unwrap() > 0.0, "{read}");
    assert_eq!(code["references"].as_array().unwrap().len(), 33);
    assert_eq!(code["unresolved"].as_array().unwrap().len(), 11);
    let at = |p: &str| format!("{app}/{p}");
    assert_eq!(
        named(&code["missing_in_database"]),
        [
            format!("Orders ({})", at("csharp/Store.cs:8")),
            format!("cart ({})", at("go/store.go:8")),
            format!("page_views ({})", at("python/analytics.py:11")),
            format!("webhook_subscriptions ({})", at("python/hooks.py:8")),
        ]
    );
    assert_eq!(
        strings(&code["unused_in_code"]),
        ["legacy_sessions", "webhookSubscriptions"]
    );
    let near: Vec<String> = code["near_misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{} {} {}", n["code"], n["database"], n["kind"]))
        .collect();
    assert_eq!(
        near,
        [
            r#""Orders" "orders" "case""#,
            r#""cart" "carts" "plural""#,
            r#""webhook_subscriptions" "webhookSubscriptions" "separator""#,
        ]
    );
    assert_eq!(
        named(&code["accessors_missing"]),
        [format!(
            "get_webhooks_collection ({})",
            at("python/hooks.py:6")
        )]
    );

    // Human output: one line per group of findings, failures first, shortest first.
    let human = support::run(["--uri", &uri, "collections", "--from-code", &app]);
    assert_eq!(human.code, 1, "{}", human.dump());
    let titles: Vec<&str> = human
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("FAIL  data") || l.contains("never referenced"))
        .collect();
    assert_eq!(titles.len(), 4, "{}", human.dump());
    assert!(
        titles[0].contains("missing in the database"),
        "{}",
        human.dump()
    );
    assert!(human.stdout.contains("page_views ("), "{}", human.dump());
    assert!(!human.stdout.contains("ignored_dependency"));
}

/// Issue 23: the checklist item, failing on the sample application and passing
/// on a tree whose collections all exist.
#[test]
fn r23_checklist_item_collections_from_code() {
    let bed = Bed::load();
    let uri = sample_database(&bed);
    let run = support::run_json([
        "--uri",
        &uri,
        "checklist",
        "--scan",
        &app(),
        "--from-code",
        &app(),
    ]);
    let item = run.json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "collections-from-code")
        .unwrap_or_else(|| panic!("{}", run.dump()))
        .clone();
    assert_eq!(item["status"], "fail", "{}", run.dump());
    assert_eq!(item["section"], "testing");
    assert_eq!(run.run.code, 1);

    let clean = tempfile::tempdir().unwrap();
    std::fs::write(
        clean.path().join("app.py"),
        "from pymongo import MongoClient\ndb = MongoClient()['r23_shop']\ndb.orders.find_one({})\n",
    )
    .unwrap();
    let dir = clean.path().to_str().unwrap();
    let run = support::run_json([
        "--uri",
        &uri,
        "checklist",
        "--scan",
        dir,
        "--from-code",
        dir,
    ]);
    let item = run.json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "collections-from-code")
        .unwrap()
        .clone();
    assert_eq!(item["status"], "pass", "{}", run.dump());
    assert_eq!(run.json["code"]["references"][0]["name"], "orders");
}

/// Issue 23 item 5: a hostile tree is bounded. A file of 300 nested brackets and
/// one of 180,000 tokens are listed as not parsed (the parser's tree for such
/// files took 464 MiB and 215 MiB at the read cap); a file of 3,000 collection calls
/// keeps 1,000 names and counts the rest; a plain file beside them is read as
/// always. Peak memory is measured by scripts/bench-code, not here.
#[test]
fn r23_5_a_hostile_tree_is_bounded_and_says_what_it_skipped() {
    let bed = Bed::load();
    let uri = sample_database(&bed);
    let tree = tempfile::tempdir().unwrap();
    let head = "from pymongo import MongoClient\ndb = MongoClient()['r23_shop']\n";
    let write = |name: &str, body: String| std::fs::write(tree.path().join(name), body).unwrap();
    write(
        "deep.py",
        format!("{head}x = {}{}\n", "[".repeat(300), "]".repeat(300)),
    );
    write(
        "large.py",
        format!("{head}{}", "db.orders.find_one({})\n".repeat(20_000)),
    );
    write(
        "dense.py",
        format!("{head}{}", "db.orders.find_one({})\n".repeat(3_000)),
    );
    write("plain.py", format!("{head}db.users.find_one({{}})\n"));
    let dir = tree.path().to_str().unwrap();

    let run = support::run_json(["--uri", &uri, "collections", "--from-code", dir]);
    let code = &run.json["code"];
    let not_parsed: Vec<String> = code["not_parsed"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", run.dump()))
        .iter()
        .map(|n| {
            let file = n["file"].as_str().unwrap();
            let name = file.rsplit('/').next().unwrap();
            format!("{name} {}", n["reason"].as_str().unwrap())
        })
        .collect();
    assert_eq!(not_parsed, ["deep.py too_deep", "large.py too_large"]);
    assert_eq!(code["not_parsed_total"], 2);
    assert_eq!(code["files_parsed"], 2, "{}", run.dump());
    assert_eq!(code["facts_dropped"], 2_000, "{}", run.dump());
    let names: std::collections::BTreeSet<&str> = code["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["orders", "users"],
        "{}",
        run.dump()
    );

    let human = support::run(["--uri", &uri, "collections", "--from-code", dir]);
    let warned = human
        .stdout
        .lines()
        .find(|l| l.contains("not parsed, not checked"))
        .unwrap_or_else(|| panic!("{}", human.dump()));
    assert!(warned.trim_start().starts_with("WARN"), "{warned}");
    assert!(
        human.stdout.contains("brackets nested deeper than 256")
            && human.stdout.contains("more than 150000 tokens")
            && human
                .stdout
                .contains("2000 names past the caps not checked")
            && human
                .stdout
                .contains("2 of 4 source files parsed (2 too large or too deep)"),
        "{}",
        human.dump()
    );
}
