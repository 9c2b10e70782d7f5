//! Config edge cases end to end: each bad file, variable, profile or flag value is one clear line naming the problem, exit 3 (or 2 for clap's own usage errors), nothing probed and nothing secret printed.

mod support;

use support::{Run, cli, exit_code_of, refusing_port};

/// A password that must never be printed, whatever the file does with it.
const SECRET: &str = "Sekr3t-Pa55w0rd";

/// The target of the runs that get past the configuration: a closed port (fast, offline).
fn closed_uri() -> String {
    format!("mongodb://127.0.0.1:{}/", refusing_port())
}

/// Runs `atlas-doctor ping --timeout 1 ARGS --format json` with `files` written in the work
/// dir and `env` set; returns the run.
fn doctor(files: &[(&str, &[u8])], env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = cli();
    for (name, contents) in files {
        std::fs::write(cmd.work_dir().join(name), contents).expect("write file");
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.args(["ping", "--format", "json"]).args(args);
    cmd.run()
}

/// Exit 3, class config_invalid, a one-line summary and evidence containing every `needle`,
/// a single `uri` step (nothing probed), and no secret anywhere.
fn assert_config_error(run: &Run, needles: &[&str]) {
    let json = run.clone().into_json();
    assert_eq!(
        (json.code, json.str("/class")),
        (exit_code_of("config_invalid"), "config_invalid"),
        "{}",
        run.dump()
    );
    let summary = json.str("/diagnosis/summary");
    assert!(
        !summary.is_empty() && !summary.contains('\n'),
        "the summary must be one line\n{}",
        run.dump()
    );
    for needle in needles {
        assert!(
            summary.contains(needle),
            "the summary should name {needle:?}: {summary}\n{}",
            run.dump()
        );
    }
    let steps = json.json["steps"].as_array().expect("steps");
    assert!(
        steps.iter().all(|s| s["layer"] == "uri"),
        "nothing may be probed\n{}",
        run.dump()
    );
    run.assert_no_secret(SECRET);
}

#[test]
fn an_empty_file_is_valid_and_means_the_defaults() {
    let uri = closed_uri();
    let run = doctor(
        &[("atlas-doctor.toml", b"")],
        &[],
        &["--uri", &uri, "--timeout", "1"],
    );
    let json = run.into_json();
    assert_eq!(json.str("/class"), "tcp_refused", "{}", json.dump());
    // A comment-only file too.
    let run = doctor(
        &[("c.toml", b"# nothing here\n\n")],
        &[],
        &["--config", "c.toml", "--uri", &uri, "--timeout", "1"],
    );
    assert_eq!(run.into_json().str("/class"), "tcp_refused");
}

#[test]
fn a_wrong_type_names_the_line_and_the_key() {
    let run = doctor(
        &[(
            "atlas-doctor.toml",
            b"database = \"app\"\ntimeout-secs = \"ten\"\n",
        )],
        &[],
        &[],
    );
    assert_config_error(
        &run,
        &[
            "atlas-doctor.toml",
            "line 2",
            "timeout-secs",
            "invalid type",
        ],
    );
}

/// A secret pasted into the wrong key is quoted by the type error: it must come out masked.
#[test]
fn a_wrong_type_holding_a_secret_does_not_echo_it() {
    let file = format!("timeout-secs = \"mongodb://app:{SECRET}@db.example.test/\"\n");
    let run = doctor(&[("atlas-doctor.toml", file.as_bytes())], &[], &[]);
    assert_config_error(&run, &["line 1", "timeout-secs"]);
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let file =
        format!("uri = \"mongodb://app:{SECRET}@h/\"\ndatabase = \"app\"\nuri-evn = \"X\"\n");
    let run = doctor(&[("atlas-doctor.toml", file.as_bytes())], &[], &[]);
    assert_config_error(&run, &["line 3", "unknown field", "uri-evn"]);
    // In a profile too.
    let run = doctor(
        &[("atlas-doctor.toml", b"[profiles.prod]\ntimeout = 3\n")],
        &[],
        &["--profile", "prod"],
    );
    assert_config_error(&run, &["line 2", "timeout"]);
}

#[test]
fn a_toml_syntax_error_names_the_line_without_quoting_it() {
    let file = format!("uri = \"mongodb://app:{SECRET}@h/\"\nthis is not toml\n");
    let run = doctor(&[("atlas-doctor.toml", file.as_bytes())], &[], &[]);
    assert_config_error(&run, &["line 2"]);
}

#[test]
fn a_directory_where_the_file_should_be() {
    let mut cmd = cli();
    std::fs::create_dir(cmd.work_dir().join("conf.d")).expect("mkdir");
    cmd.args(["ping", "--format", "json", "--config", "conf.d"]);
    let run = cmd.run();
    assert_config_error(&run, &["conf.d", "is a directory"]);
}

#[test]
fn a_missing_file_is_named() {
    let run = doctor(&[], &[], &["--config", "nope.toml"]);
    assert_config_error(&run, &["nope.toml", "No such file"]);
}

/// As root, mode 000 does not stop a read: unreadable here means a path through a file, and
/// bytes that are not UTF-8.
#[test]
fn an_unreadable_file() {
    let run = doctor(
        &[("plain", b"x")],
        &[],
        &["--config", "plain/atlas-doctor.toml"],
    );
    assert_config_error(&run, &["plain/atlas-doctor.toml", "Not a directory"]);
    let mut bytes = format!("uri = \"mongodb://app:{SECRET}@h/\"\n").into_bytes();
    bytes.extend_from_slice(b"database = \"\xff\xfe\"\n");
    let run = doctor(&[("atlas-doctor.toml", &bytes)], &[], &[]);
    assert_config_error(&run, &["atlas-doctor.toml", "UTF-8"]);
}

#[test]
fn missing_variables_are_named() {
    let run = doctor(
        &[("atlas-doctor.toml", b"uri-env = \"APP_MONGODB_URI\"\n")],
        &[],
        &[],
    );
    assert_config_error(&run, &["uri-env", "APP_MONGODB_URI", "not set"]);
    let uri = closed_uri();
    let run = doctor(
        &[(
            "atlas-doctor.toml",
            b"username = \"app\"\npassword-env = \"APP_DB_PASSWORD\"\n",
        )],
        &[],
        &["--uri", &uri],
    );
    assert_config_error(&run, &["password-env", "APP_DB_PASSWORD", "not set"]);
    // An empty variable is as good as a missing one for uri-env.
    let run = doctor(
        &[("atlas-doctor.toml", b"uri-env = \"APP_MONGODB_URI\"\n")],
        &[("APP_MONGODB_URI", "  ")],
        &[],
    );
    assert_config_error(&run, &["APP_MONGODB_URI"]);
}

/// The secret itself written where a variable name belongs: named as a mistake, not echoed.
#[test]
fn a_secret_written_where_a_variable_name_belongs_is_not_echoed() {
    let file = format!("username = \"app\"\npassword-env = \"{SECRET}!\"\n");
    let uri = closed_uri();
    let run = doctor(
        &[("atlas-doctor.toml", file.as_bytes())],
        &[],
        &["--uri", &uri],
    );
    assert_config_error(&run, &["password-env", "not a variable name"]);
    let file = format!("uri-env = \"mongodb://app:{SECRET}@h/\"\n");
    let run = doctor(&[("atlas-doctor.toml", file.as_bytes())], &[], &[]);
    assert_config_error(&run, &["uri-env", "not a variable name"]);
}

#[test]
fn an_unknown_profile_lists_the_profiles() {
    let run = doctor(
        &[(
            "atlas-doctor.toml",
            b"[profiles.staging]\ndatabase = \"s\"\n[profiles.prod]\n",
        )],
        &[],
        &["--profile", "qa"],
    );
    assert_config_error(&run, &["\"qa\"", "not found", "prod, staging"]);
}

#[test]
fn a_profile_without_a_config_file() {
    let run = doctor(&[], &[], &["--profile", "prod"]);
    assert_config_error(&run, &["--profile", "\"prod\"", "no config file"]);
}

#[test]
fn a_bad_dns_server_is_named() {
    for value in ["dns.google", "127.0.0.1:99999", "", "1.2.3"] {
        let run = doctor(&[], &[], &["--dns-server", value]);
        assert_config_error(&run, &["--dns-server", "IP address"]);
    }
    let run = doctor(
        &[("atlas-doctor.toml", b"dns-fallback = \"nope\"\n")],
        &[],
        &[],
    );
    assert_config_error(&run, &["dns-fallback", "\"nope\""]);
}

#[test]
fn out_of_range_timeouts_are_config_errors() {
    for value in ["0", "-1", "-0.5", "NaN", "inf", "3601"] {
        let run = doctor(&[], &[], &["--timeout", value]);
        assert_config_error(&run, &["--timeout", "more than 0"]);
    }
    let run = doctor(&[("atlas-doctor.toml", b"timeout-secs = -3\n")], &[], &[]);
    assert_config_error(&run, &["timeout-secs", "more than 0"]);
}

/// Not a number at all is clap's to refuse: a usage error (exit 2) naming the flag.
#[test]
fn a_timeout_that_is_not_a_number_is_a_usage_error() {
    for value in ["ten", "1s", ""] {
        let run = doctor(&[], &[], &["--timeout", value]);
        assert_eq!(run.code, exit_code_of("usage"), "{}", run.dump());
        assert!(run.stdout.is_empty(), "{}", run.dump());
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && first.contains("--timeout"),
            "{}",
            run.dump()
        );
    }
}
