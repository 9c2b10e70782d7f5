//! What users read, end to end: report files next to stdout (`--report-file`),
//! SARIF for the credential scan, text from hostile peers on the terminal and in
//! Markdown, caps on server-supplied strings, and saying each thing once.

mod support;

use mongodb::bson::doc;
use pulldown_cmark::{Event, Options, Parser};
use serde_json::Value;
use support::{Bed, cli, fake_mongod, fake_mongod_with, refusing_port};

/// A peer's error text built to drive a terminal: set the window title, clear
/// the screen, and overwrite the start of the line with "OK".
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\rOK everything is fine <monitor> *.cluster0";

/// What a CommonMark reader shows: text and code, and the raw HTML it would pass through.
fn rendered(markdown: &str) -> (String, Vec<String>) {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    let mut text = String::new();
    let mut html = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.trim().to_string()),
            _ => {}
        }
    }
    (text, html)
}

/// `atlas-doctor ping --timeout 2 --format FORMAT --uri URI`.
fn ping_as(format: &str, uri: &str) -> support::Run {
    let mut cmd = cli();
    cmd.args(["ping", "--timeout", "2", "--format", format, "--uri", uri]);
    cmd.run()
}

/// `checklist --scan src` (against a refusing port) after writing `contents` to
/// `file` (a path under `src/`) in the work dir; the run, and the command whose
/// temp dirs (the work dir with any report file) live as long as it does.
fn checklist_scanning(file: &str, contents: &str, more: &[&str]) -> (support::Run, support::Cli) {
    let mut cmd = cli();
    let path = cmd.work_dir().join(file);
    std::fs::create_dir_all(path.parent().expect("a file under src/")).unwrap();
    std::fs::write(&path, contents).unwrap();
    cmd.args([
        "checklist",
        "--timeout",
        "1",
        "--uri",
        "mongodb://127.0.0.1:1/",
        "--scan",
        "src",
    ]);
    cmd.args(more);
    (cmd.run(), cmd)
}

fn no_terminal_controls(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && c != '\n')
}

/// Issue 15 item 13: a hostile peer's error text reached the terminal raw.
#[test]
fn r15_a_hostile_peers_error_text_is_escaped_in_human_and_markdown() {
    let server =
        fake_mongod(doc! {"ok": 0.0, "errmsg": HOSTILE, "code": 2, "codeName": "BadValue"});
    for format in ["human", "markdown"] {
        let run = ping_as(format, &server.uri());
        assert_eq!(run.code, 15, "{}", run.dump());
        assert!(
            no_terminal_controls(&run.stdout),
            "{format}: {:?}",
            run.stdout
        );
        // What the reader sees shows the escapes as text.
        let seen = if format == "markdown" {
            rendered(&run.stdout).0
        } else {
            run.stdout.clone()
        };
        assert!(
            seen.contains("\\x1b]0;pwned\\x07\\x1b[2J\\rOK"),
            "{format}: the escapes should be visible\n{}",
            run.stdout
        );
        if format == "markdown" {
            let (text, html) = rendered(&run.stdout);
            assert!(html.is_empty(), "raw HTML {html:?}\n{}", run.stdout);
            assert!(text.contains("<monitor> *.cluster0"), "{text}");
        }
    }
    // JSON keeps the text exactly (escaped by JSON itself).
    let mut cmd = cli();
    cmd.args(["ping", "--timeout", "2", "--uri", &server.uri()]);
    let run = cmd.run_json();
    assert!(run.diagnosis_text().contains(HOSTILE), "{}", run.dump());
}

/// Issue 15 items 11 and 13: set names and versions come from the peer too.
#[test]
fn r15_a_hostile_set_name_and_version_are_escaped_on_success() {
    let evil = "rs\u{1b}[2J\rOK";
    let server = fake_mongod_with(
        doc! {"setName": evil, "hosts": ["127.0.0.1:1"]},
        [(
            "buildInfo",
            doc! {"ok": 1.0, "version": "8.0.0\u{1b}]0;t\u{7}"},
        )],
    );
    let mut cmd = cli();
    cmd.args(["ping", "--timeout", "2", "--uri", &server.uri()]);
    let run = cmd.run();
    assert!(no_terminal_controls(&run.stdout), "{:?}", run.stdout);
    assert!(run.stdout.contains("rs\\x1b[2J\\rOK"), "{}", run.dump());
}

/// Issue 15 item 11: a flood of an error message went to stdout verbatim.
#[test]
fn r15_a_huge_server_message_is_capped_in_every_format() {
    let flood = "E".repeat(900 * 1024);
    let server =
        fake_mongod(doc! {"ok": 0.0, "errmsg": flood.as_str(), "code": 2, "codeName": "BadValue"});
    for format in ["human", "json", "markdown", "junit"] {
        let run = ping_as(format, &server.uri());
        assert_eq!(run.code, 15, "{format}\n{}", &run.stderr);
        assert!(
            run.stdout.len() < 64 * 1024,
            "{format}: {} bytes on stdout",
            run.stdout.len()
        );
        assert!(run.stdout.contains("more bytes cut"), "{format}");
    }
}

/// Issue 15 item 11, the Atlas Administration API too: its error `detail` (900 KB here)
/// reached every format whole, in the `atlas` object and the API layer's steps.
#[test]
fn r15_a_huge_atlas_api_error_is_capped_in_every_format() {
    let api = support::http_error_flood(900 * 1024);
    let uri = format!("mongodb://127.0.0.1:{}/", refusing_port());
    for format in ["human", "json", "markdown", "junit"] {
        let mut cmd = cli();
        cmd.env(
            "MONGODB_ATLAS_BASE_URL",
            format!("http://127.0.0.1:{}/", api.port()),
        )
        .env("MONGODB_ATLAS_PROJECT_ID", "5f0e0e0e0e0e0e0e0e0e0e0e")
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", "public-key")
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private-key-123")
        .args([
            "ping",
            "--timeout",
            "2",
            "--atlas-api",
            "--egress-ip",
            "192.0.2.1",
        ])
        .args(["--format", format, "--uri", &uri]);
        let run = cmd.run();
        assert_eq!(run.code, 11, "{format}\n{}", run.dump());
        assert!(
            run.stdout.len() < 64 * 1024,
            "{format}: {} bytes on stdout",
            run.stdout.len()
        );
        if format != "human" {
            assert!(
                run.stdout.contains("more bytes cut"),
                "{format}\n{}",
                run.stdout
            );
        }
    }
}

/// Issue 11 item 9: with every host refusing, hosts 2..n repeated the headline as WARN
/// lines, and the headline came two to four times.
#[test]
fn r11_identical_host_failures_are_said_once() {
    let ports = [refusing_port(), refusing_port(), refusing_port()];
    let uri = format!(
        "mongodb://127.0.0.1:{},127.0.0.1:{},127.0.0.1:{}/",
        ports[0], ports[1], ports[2]
    );
    let mut cmd = cli();
    cmd.args(["ping", "--timeout", "2", "--uri", &uri]);
    let run = cmd.run();
    assert_eq!(run.code, 11, "{}", run.dump());
    let out = &run.stdout;
    assert_eq!(
        out.matches("3 of 3 hosts: connection refused").count(),
        1,
        "{out}"
    );
    assert!(!out.contains("WARN"), "{out}");
    assert_eq!(
        out.matches("nothing listens on that port").count(),
        1,
        "{out}"
    );
    // Piped: no wrapping, so each line is whole.
    assert!(
        out.lines().all(|l| !l.starts_with("               ")),
        "{out}"
    );

    let json = {
        let mut cmd = cli();
        cmd.args(["ping", "--timeout", "2", "--uri", &uri]);
        cmd.run_json()
    };
    assert_eq!(
        json.json["warnings"],
        serde_json::json!([]),
        "{}",
        json.dump()
    );
}

/// Issue 11 item 9: a passing run printed its summary twice.
#[test]
fn r11_a_passing_ping_says_its_summary_once() {
    let bed = Bed::load();
    let mut cmd = cli();
    cmd.args(["ping", "--uri", &bed.plain_uri()]);
    let run = cmd.run();
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(
        run.stdout.matches("(1 of 1 hosts answered)").count(),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("round trip").count() + run.stdout.matches(" x ping").count(),
        1,
        "{}",
        run.stdout
    );
}

/// Issue 11 item 11: a CI job could not have a human log and a JUnit file from one run.
#[test]
fn r11_report_files_are_written_while_stdout_keeps_its_format() {
    let bed = Bed::load();
    let mut cmd = cli();
    let dir = cmd.work_dir();
    cmd.args([
        "checklist",
        "--uri",
        &bed.plain_uri(),
        "--report-file",
        "out/junit.xml",
        "--report-file",
        "out/report.json",
        "--report-file",
        "out/ticket.md",
    ]);
    std::fs::create_dir(dir.join("out")).unwrap();
    let run = cmd.run();
    assert!(
        run.stdout.starts_with("atlas-doctor checklist "),
        "{}",
        run.dump()
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(json["command"], "checklist");
    assert_eq!(json["exit_code"], run.code);
    let xml = std::fs::read_to_string(dir.join("out/junit.xml")).unwrap();
    assert!(
        xml.starts_with("<?xml") && xml.contains("<testsuites"),
        "{xml}"
    );
    let md = std::fs::read_to_string(dir.join("out/ticket.md")).unwrap();
    assert!(md.starts_with("# atlas-doctor checklist report"), "{md}");
}

/// Issue 11 item 11: a bad path is a clear usage error before anything runs.
#[test]
fn r11_a_report_file_that_cannot_be_written_is_a_usage_error() {
    for (path, says) in [
        ("no/such/dir/r.json", "does not exist"),
        ("report.txt", "unknown extension"),
        ("scan.sarif", "SARIF"),
    ] {
        let mut cmd = cli();
        cmd.args([
            "ping",
            "--uri",
            "mongodb://127.0.0.1:1/",
            "--report-file",
            path,
        ]);
        let run = cmd.run();
        assert_eq!(run.code, 2, "{path}\n{}", run.dump());
        assert!(run.stdout.is_empty(), "{}", run.dump());
        assert!(
            run.stderr.contains("--report-file") && run.stderr.contains(says),
            "{}",
            run.dump()
        );
    }
    let mut cmd = cli();
    cmd.args(["explain", "bad auth", "--report-file", "e.xml"]);
    assert_eq!(cmd.run().code, 2);
}

/// Issue 14 item 6: the credential scan as SARIF 2.1.0, file and line, redacted,
/// validated against a schema written from the SARIF 2.1.0 specification.
#[test]
fn r14_the_credential_scan_is_sarif_with_file_and_line() {
    let password = format!("pw{}", "Zq7".repeat(4));
    let (run, cmd) = checklist_scanning(
        "src/config/db.js",
        &format!(
            "// db\n\nconst uri = \"mongodb+srv://app:{password}@cluster0.ab1cd.mongodb.net/app\";\n"
        ),
        &["--report-file", "scan.sarif"],
    );
    let sarif_text =
        std::fs::read_to_string(cmd.work_dir().join("scan.sarif")).expect("scan.sarif written");
    support::assert_no_secret(&sarif_text, &password);
    run.assert_no_secret(&password);
    let sarif: Value = serde_json::from_str(&sarif_text).unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/sarif-2.1.0-subset.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{sarif_text}");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "no-committed-credentials");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/config/db.js");
    assert_eq!(location["region"]["startLine"], 3);
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("mongodb+srv://app:****@cluster0.ab1cd.mongodb.net/app")
    );
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );

    // A run that scanned nothing says so instead of reporting a clean tree.
    let mut cmd = cli();
    let dir = cmd.work_dir();
    cmd.args([
        "checklist",
        "--timeout",
        "1",
        "--uri",
        "mongodb://127.0.0.1:1/",
        "--report-file",
        "none.sarif",
    ]);
    cmd.run();
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("none.sarif")).unwrap()).unwrap();
    assert!(validator.is_valid(&sarif), "{sarif}");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

/// Issue 15 item 13: scanned file names are untrusted text too.
#[test]
fn r15_a_hostile_file_name_from_the_scan_is_escaped() {
    let (run, _) = checklist_scanning(
        "src/evil\u{1b}[2J\rOK.env",
        &format!(
            "MONGODB_URI=mongodb://app:{}@db.example.net/\n",
            "Xy9".repeat(5)
        ),
        &[],
    );
    assert!(no_terminal_controls(&run.stdout), "{:?}", run.stdout);
    assert!(
        run.stdout.contains("evil\\x1b[2J\\rOK.env"),
        "{}",
        run.dump()
    );
}

/// Issue 11 items 12 and 13: explain's JSON names its tool version and exit code;
/// its Markdown quotes the pasted error, redacted, as text.
#[test]
fn r11_explain_json_has_tool_version_and_exit_code_and_markdown_quotes_the_error() {
    let mut cmd = cli();
    cmd.args([
        "explain",
        "MongoServerError: bad auth : authentication failed <monitor>",
    ]);
    let run = cmd.run_json();
    assert_eq!(run.json["tool_version"], env!("CARGO_PKG_VERSION"));
    // The class's code (explain itself exits 0 when it produced a diagnosis).
    assert_eq!(
        run.json["exit_code"],
        support::exit_code_of(run.str("/class")),
        "{}",
        run.dump()
    );

    let password = "s3cret-Pass-42";
    let pasted =
        format!("MongoServerError: bad auth <monitor> uri=mongodb://app:{password}@h.example.net/");
    let mut cmd = cli();
    cmd.args(["explain", "--format", "markdown", &pasted]);
    let run = cmd.run();
    run.assert_no_secret(password);
    let (text, html) = rendered(&run.stdout);
    assert!(html.is_empty(), "{html:?}\n{}", run.stdout);
    assert!(
        text.contains("MongoServerError: bad auth <monitor> uri=mongodb://app:****@h.example.net/"),
        "{text}"
    );
}

/// Issue 11 item 10: `collections` with no database in the URI (Atlas's copy-paste
/// string has none) listed database names only.
#[test]
fn r11_collections_without_a_database_lists_every_database() {
    let bed = Bed::load();
    let mut cmd = cli();
    cmd.args([
        "collections",
        "--uri",
        &bed.auth_uri("admin", "authSource=admin"),
    ]);
    let run = cmd.run_json();
    assert_eq!(run.code, 0, "{}", run.dump());
    let listed: Vec<(String, Vec<String>)> = run.json["collections_by_database"]
        .as_array()
        .expect("collections_by_database")
        .iter()
        .map(|d| {
            (
                d["database"].as_str().unwrap().to_string(),
                d["collections"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["name"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let probe = listed
        .iter()
        .find(|(db, _)| db == "probe")
        .expect("probe listed");
    assert!(probe.1.contains(&"users".to_string()), "{listed:?}");
    assert!(
        !listed.iter().any(|(db, _)| db == "local" || db == "admin"),
        "{listed:?}"
    );
    assert_eq!(run.json["databases_not_listed"], 0);

    // A user who may not list databases is told how to name one, once, and the run passes.
    let mut cmd = cli();
    cmd.args([
        "collections",
        "--uri",
        &bed.auth_uri("reader", "authSource=admin"),
    ]);
    let run = cmd.run();
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(run.stdout.matches("--db NAME").count(), 1, "{}", run.stdout);
}

/// Issue 11 item 10: the listing is bounded, with a count of the rest.
#[test]
fn r11_collections_of_many_databases_are_bounded() {
    let databases: Vec<mongodb::bson::Document> = (0..13)
        .map(|i| doc! {"name": format!("db{i:02}")})
        .collect();
    let server = fake_mongod_with(
        doc! {},
        [
            (
                "connectionStatus",
                doc! {"authInfo": {"authenticatedUsers": [], "authenticatedUserRoles": []}, "ok": 1.0},
            ),
            ("listDatabases", doc! {"databases": databases, "ok": 1.0}),
            (
                "listCollections",
                doc! {"cursor": {"id": 0_i64, "ns": "x.$cmd.listCollections", "firstBatch": [{"name": "things", "type": "collection"}]}, "ok": 1.0},
            ),
        ],
    );
    let mut cmd = cli();
    cmd.args(["collections", "--timeout", "2", "--uri", &server.uri()]);
    let run = cmd.run_json();
    assert_eq!(run.code, 0, "{}", run.dump());
    assert_eq!(
        run.json["collections_by_database"].as_array().map(Vec::len),
        Some(10),
        "{}",
        run.dump()
    );
    assert_eq!(run.json["databases_not_listed"], 3);
    let mut cmd = cli();
    cmd.args(["collections", "--timeout", "2", "--uri", &server.uri()]);
    let human = cmd.run();
    assert!(
        human
            .stdout
            .contains("3 more databases not listed: pass --db NAME"),
        "{}",
        human.stdout
    );
}

/// What a ticket shows in one reader: its visible text (whitespace collapsed)
/// and the code spans it renders as code.
#[derive(Debug, PartialEq)]
struct Shown {
    text: String,
    code: Vec<String>,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text an HTML fragment shows: tags dropped, character references decoded.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        text.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = if rest.starts_with('<') { '>' } else { ';' };
        let Some(j) = rest.find(end) else { break };
        let inner = &rest[1..j];
        if end == ';' {
            let c = match inner {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                _ => inner
                    .strip_prefix('#')
                    .and_then(|n| n.parse().ok())
                    .and_then(char::from_u32),
            };
            text.extend(c);
        } else if !inner.starts_with('/') && !inner.starts_with("code") {
            // A tag that opens a block or an item separates words.
            text.push(' ');
        }
        rest = &rest[j + 1..];
    }
    text.push_str(rest);
    text
}

/// A ticket as a CommonMark reader (GitHub's dialect: tables) shows it; our
/// evidence block passes through as HTML, which the browser then shows.
fn shown_by_commonmark(markdown: &str) -> Shown {
    let mut text = String::new();
    let mut code = Vec::new();
    let mut in_html_code = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Code(t) => {
                text.push_str(&t);
                code.push(t.to_string());
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                for piece in h.split_inclusive('>') {
                    if piece.ends_with("<code>") {
                        in_html_code = true;
                        text.push_str(&html_text(piece));
                        code.push(String::new());
                    } else if in_html_code {
                        let shown = html_text(piece);
                        text.push_str(&shown);
                        code.last_mut()
                            .expect("open code")
                            .push_str(shown.trim_end());
                        in_html_code = !piece.ends_with("</code>");
                    } else {
                        text.push_str(&html_text(piece));
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Start(_) => {
                text.push(' ');
            }
            _ => {}
        }
    }
    Shown {
        text: collapse(&text),
        code,
    }
}

/// A ticket as Python-Markdown shows it, configured as MkDocs does (tables and
/// fenced code), run in the test bed's venv (`scripts/testbed install`).
fn shown_by_python_markdown(markdown: &str) -> Shown {
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".testbed/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/testbed install",
        python.display()
    );
    let script = "import sys, markdown\n\
                  sys.stdout.write(markdown.markdown(sys.stdin.read(), extensions=['tables', 'fenced_code']))";
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), markdown.as_bytes())
        .expect("write the ticket");
    let output = child.wait_with_output().expect("python-markdown");
    assert!(output.status.success(), "python-markdown failed");
    let html = String::from_utf8(output.stdout).expect("utf-8");
    let code = html
        .split("<code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next())
        .map(|s| html_text(s).trim().to_string())
        .collect();
    Shown {
        text: collapse(&html_text(&html)),
        code,
    }
}

/// Issue 20 item 11: `explain --format markdown` escaped the backticks of its
/// fixes (a command to copy rendered as literal backticks, not code), and the
/// evidence inside `<details>` rendered `127\.0.0.1 -\>` in Python-Markdown
/// (which reads no Markdown inside an HTML block). Each ticket is rendered by a
/// CommonMark parser and by Python-Markdown: both show the same text, no escape
/// backslash, and the commands as code.
#[test]
fn r20_11_tickets_render_alike_in_commonmark_and_python_markdown() {
    let mut cmd = cli();
    cmd.args([
        "explain",
        "--format",
        "markdown",
        "MongoServerSelectionError: connection <monitor> to 3.210.1.4:27017 closed",
    ]);
    let explain = cmd.run();
    assert_eq!(explain.code, 0, "{}", explain.dump());

    let bed = Bed::load();
    let mut cmd = cli();
    cmd.env("MONGODB_URI", bed.auth_uri("admin", "authSource=admin"))
        .args(["checklist", "--format", "markdown"]);
    let checklist = cmd.run();
    assert_eq!(checklist.code, 0, "{}", checklist.dump());

    for (ticket, must_show, must_be_code) in [
        (
            &explain.stdout,
            "connection <monitor> to 3.210.1.4:27017 closed",
            "atlas-doctor ping",
        ),
        (
            &checklist.stdout,
            "127.0.0.1 -> 127.0.0.1 (loopback)",
            "readWrite",
        ),
    ] {
        let commonmark = shown_by_commonmark(ticket);
        let python = shown_by_python_markdown(ticket);
        for (reader, shown) in [("CommonMark", &commonmark), ("Python-Markdown", &python)] {
            assert!(
                !shown.text.contains('\\') && !shown.text.contains('`'),
                "{reader} shows an escape or a literal backtick:\n{}\n---\n{ticket}",
                shown.text
            );
            assert!(
                shown.text.contains(must_show),
                "{reader} does not show {must_show:?}:\n{}\n---\n{ticket}",
                shown.text
            );
            assert!(
                shown.code.iter().any(|c| c == must_be_code),
                "{reader}: {must_be_code:?} is not a code span: {:?}\n---\n{ticket}",
                shown.code
            );
        }
        assert_eq!(commonmark, python, "the readers differ on\n{ticket}");
    }
}

/// Issue 20 item 10: when a report file could not be written, stdout said
/// "(exit 0)" and the process exited 70. Report files are written first, and
/// stdout says the code the process exits with (70 for a run that would pass,
/// the verdict's otherwise). A path under /proc passes the pre-run checks (its
/// directory exists) but nothing can be created there, not even by root.
#[cfg(target_os = "linux")]
#[test]
fn r20_10_stdout_says_the_final_exit_code_when_a_report_file_fails() {
    let bed = Bed::load();
    let unwritable = "/proc/atlas-doctor-r20-10.json";
    let mut cmd = cli();
    cmd.args([
        "ping",
        "--uri",
        &bed.plain_uri(),
        "--report-file",
        unwritable,
    ]);
    let run = cmd.run();
    assert_eq!(run.code, 70, "{}", run.dump());
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(
        last.contains("(exit 70: could not write --report-file /proc/atlas-doctor-r20-10.json)"),
        "{}",
        run.dump()
    );
    assert!(!run.stdout.contains("(exit 0)"), "{}", run.dump());
    assert!(run.stderr.contains(unwritable), "{}", run.dump());

    let mut cmd = cli();
    cmd.args([
        "ping",
        "--format",
        "json",
        "--uri",
        &bed.plain_uri(),
        "--report-file",
        unwritable,
    ]);
    let run = cmd.run();
    assert_eq!(run.code, 70, "{}", run.dump());
    let json: Value = serde_json::from_str(&run.stdout).expect("one JSON object");
    assert_eq!(json["exit_code"], 70, "{}", run.dump());

    // A failing run keeps its own code, and says it once.
    let uri = format!("mongodb://127.0.0.1:{}/", refusing_port());
    let mut cmd = cli();
    cmd.args([
        "ping",
        "--timeout",
        "2",
        "--uri",
        &uri,
        "--report-file",
        unwritable,
    ]);
    let run = cmd.run();
    assert_eq!(run.code, 11, "{}", run.dump());
    assert_eq!(run.stdout.matches("(exit ").count(), 1, "{}", run.dump());
    assert!(
        run.stdout.contains("(exit 11: could not write"),
        "{}",
        run.dump()
    );
}
