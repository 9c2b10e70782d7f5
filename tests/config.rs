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

/// A bad flag value is clap's to refuse: exit 2 naming the flag, stdout empty.
fn assert_usage_error(run: &Run, flag: &str) {
    assert_eq!(run.code, exit_code_of("usage"), "{}", run.dump());
    assert!(run.stdout.is_empty(), "{}", run.dump());
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error:") && first.contains(flag),
        "the first line should name {flag}\n{}",
        run.dump()
    );
}

/// Issue 11 item 6: `--dns-server foo` was reported as a broken config file (exit 3).
#[test]
fn r11_a_bad_dns_server_flag_is_a_usage_error() {
    for value in ["dns.google", "127.0.0.1:99999", "", "1.2.3", "foo"] {
        let run = doctor(&[], &[], &["--dns-server", value]);
        assert_usage_error(&run, "--dns-server");
        assert!(run.stderr.contains("IP address"), "{}", run.dump());
    }
    let run = doctor(&[], &[], &["--dns-fallback", "nope"]);
    assert_usage_error(&run, "--dns-fallback");
    // The same value in a config file is still the file's problem, named by its key.
    let run = doctor(
        &[("atlas-doctor.toml", b"dns-fallback = \"nope\"\n")],
        &[],
        &[],
    );
    assert_config_error(&run, &["dns-fallback", "\"nope\""]);
}

/// Issue 11 item 6: `--timeout 0` was exit 3, "A TOML syntax error"; this test pinned
/// the old exit 3 for flags and now pins exit 2.
#[test]
fn r11_out_of_range_timeout_flags_are_usage_errors() {
    for value in ["0", "-1", "-0.5", "NaN", "inf", "3601"] {
        let run = doctor(&[], &[], &["--timeout", value]);
        assert_usage_error(&run, "--timeout");
        assert!(run.stderr.contains("more than 0"), "{}", run.dump());
    }
    // Through its variable too: clap parses ATLAS_DOCTOR_TIMEOUT like the flag.
    let run = doctor(&[], &[("ATLAS_DOCTOR_TIMEOUT", "0")], &[]);
    assert_usage_error(&run, "--timeout");
    let run = doctor(&[("atlas-doctor.toml", b"timeout-secs = -3\n")], &[], &[]);
    assert_config_error(&run, &["timeout-secs", "more than 0"]);
}

/// Not a number at all is clap's to refuse: a usage error (exit 2) naming the flag.
#[test]
fn a_timeout_that_is_not_a_number_is_a_usage_error() {
    for value in ["ten", "1s", ""] {
        let run = doctor(&[], &[], &["--timeout", value]);
        assert_usage_error(&run, "--timeout");
    }
}

/// Issue 11 item 2: `MONGODB_URI=` (a missing CI secret) silently became localhost.
#[test]
fn r11_an_empty_mongodb_uri_is_config_invalid() {
    for value in ["", "  "] {
        let run = doctor(&[], &[("MONGODB_URI", value)], &[]);
        assert_config_error(&run, &["MONGODB_URI", "set but empty"]);
    }
    // Also when a config file would have named a target: no silent fall through.
    let uri = closed_uri();
    let file = format!("uri = \"{uri}\"\n");
    let run = doctor(
        &[("atlas-doctor.toml", file.as_bytes())],
        &[("MONGODB_URI", "")],
        &[],
    );
    assert_config_error(&run, &["MONGODB_URI", "set but empty"]);
    let run = doctor(&[], &[("ATLAS_DOCTOR_URI", "")], &[]);
    assert_config_error(&run, &["ATLAS_DOCTOR_URI", "set but empty"]);
    let run = doctor(&[], &[], &["--uri", ""]);
    assert_config_error(&run, &["--uri", "empty"]);
    // An empty password-env variable: no password was given.
    let run = doctor(
        &[(
            "atlas-doctor.toml",
            b"username = \"app\"\npassword-env = \"APP_DB_PASSWORD\"\n",
        )],
        &[("APP_DB_PASSWORD", "")],
        &["--uri", &uri],
    );
    assert_config_error(
        &run,
        &[
            "password-env",
            "APP_DB_PASSWORD",
            "set but empty",
            "no password",
        ],
    );
}

/// Issue 15 item 14: a MONGODB_URI that is not UTF-8 was ignored and localhost probed.
#[test]
fn r15_a_mongodb_uri_that_is_not_utf8_is_config_invalid() {
    use std::os::unix::ffi::OsStrExt as _;
    let mut bytes = format!("mongodb://app:{SECRET}@h/").into_bytes();
    bytes.push(0xff);
    let mut cmd = cli();
    cmd.env("MONGODB_URI", std::ffi::OsStr::from_bytes(&bytes));
    cmd.args(["ping", "--format", "json"]);
    let run = cmd.run();
    assert_config_error(&run, &["MONGODB_URI", "UTF-8"]);
}

/// Issue 11 item 1: `--profile staging` was ignored when MONGODB_URI was set.
#[test]
fn r11_an_explicit_profile_outranks_mongodb_uri() {
    let staging = closed_uri();
    let file = "uri-env = \"MONGODB_URI\"\n[profiles.staging]\nuri-env = \"STAGING_MONGODB_URI\"\n";
    let files: &[(&str, &[u8])] = &[("atlas-doctor.toml", file.as_bytes())];
    let env = [
        ("MONGODB_URI", "mongodb://prod.invalid:1/"),
        ("STAGING_MONGODB_URI", staging.as_str()),
    ];
    let json = doctor(files, &env, &["--profile", "staging", "--timeout", "1"]).into_json();
    assert_eq!(
        (
            json.str("/target/source"),
            json.str("/target/uri"),
            json.str("/class")
        ),
        (
            "config:atlas-doctor.toml (env:STAGING_MONGODB_URI)",
            staging.as_str(),
            "tcp_refused"
        ),
        "{}",
        json.dump()
    );
    let said = json.steps("uri").iter().any(|s| {
        s["detail"]
            .as_str()
            .is_some_and(|d| d.contains("--profile staging") && d.contains("outranks MONGODB_URI"))
    });
    assert!(
        said,
        "the report must say the profile outranks MONGODB_URI\n{}",
        json.dump()
    );
    // Without --profile, MONGODB_URI still comes first; --uri outranks the profile.
    let json = doctor(files, &env, &["--timeout", "1"]).into_json();
    assert_eq!(
        json.str("/target/source"),
        "env:MONGODB_URI",
        "{}",
        json.dump()
    );
    let json = doctor(files, &env, &["--profile", "staging", "--uri", &staging]).into_json();
    assert_eq!(json.str("/target/source"), "flag:--uri", "{}", json.dump());
}

/// Issue 11 item 4: Atlas's placeholder was sent as a password.
#[test]
fn r11_atlas_placeholders_are_refused_before_any_traffic() {
    for uri in [
        "mongodb+srv://app:<db_password>@cluster0.ab1cd.mongodb.net/?retryWrites=true".to_string(),
        "mongodb+srv://<db_username>:hunter22@cluster0.ab1cd.mongodb.net/".to_string(),
        "mongodb://app:%3Cpassword%3E@127.0.0.1:1/".to_string(),
    ] {
        let run = doctor(&[], &[("MONGODB_URI", &uri)], &[]);
        assert_config_error(&run, &["placeholder", "replace the placeholder"]);
        assert_eq!(
            run.into_json().json["diagnosis"]["reason"],
            "uri_placeholder"
        );
    }
    let run = doctor(
        &[("atlas-doctor.toml", b"username = \"<username>\"\n")],
        &[],
        &["--uri", "mongodb://127.0.0.1:1/"],
    );
    assert_config_error(&run, &["username", "<username>"]);
}

/// Issue 11 item 3: a user in the URI and another in the config: say which wins.
#[test]
fn r11_the_uris_user_wins_over_the_configs_and_the_report_says_so() {
    let uri = format!("mongodb://alice:{SECRET}@127.0.0.1:{}/", refusing_port());
    let run = doctor(
        &[(
            "atlas-doctor.toml",
            b"username = \"bob\"\npassword-env = \"BOB_PASSWORD\"\n",
        )],
        &[("MONGODB_URI", &uri)],
        &["--timeout", "1"],
    );
    run.assert_no_secret(SECRET);
    let json = run.into_json();
    let note = json
        .steps("uri")
        .into_iter()
        .find(|s| s["name"] == "credentials")
        .unwrap_or_else(|| panic!("no credentials step\n{}", json.dump()));
    let detail = note["detail"].as_str().unwrap_or_default();
    assert_eq!(note["status"], "warn", "{}", json.dump());
    assert!(
        detail.contains("\"alice\"")
            && detail.contains("\"bob\"")
            && detail.contains("connection string's user wins"),
        "{detail}"
    );
}

/// Issue 15 item 10: `--config /dev/zero` grew to 19 GB and a FIFO as config hung.
#[test]
fn r15_a_device_or_fifo_as_config_is_refused_at_once() {
    let run = doctor(&[], &[], &["--config", "/dev/zero"]);
    assert_config_error(
        &run,
        &["/dev/zero", "character device", "not a regular file"],
    );
    let mut cmd = cli();
    let fifo = cmd.work_dir().join("fifo.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    cmd.args(["ping", "--format", "json", "--config", "fifo.toml"]);
    assert_config_error(&cmd.run(), &["fifo.toml", "FIFO", "not a regular file"]);
}

/// Issue 15 item 10: `tlsCAFile=/dev/zero` grew to 23 GB (the driver reads it too).
#[test]
fn r15_a_device_as_tls_ca_file_is_config_invalid() {
    for option in ["tlsCAFile", "tlsCertificateKeyFile"] {
        let uri = format!(
            "mongodb://127.0.0.1:{}/?tls=true&{option}=/dev/zero",
            refusing_port()
        );
        let run = doctor(&[], &[], &["--uri", &uri]);
        assert_config_error(&run, &[option, "/dev/zero", "character device"]);
    }
}

/// Issue 15 item 14: `explain < /tmp` exited 70, "please report it".
#[test]
fn r15_explain_from_a_directory_on_stdin_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-doctor"))
        .arg("explain")
        .env_clear()
        .stdin(std::fs::File::open(dir.path()).expect("open dir"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code_of("usage")),
        "{stderr}"
    );
    assert!(
        stderr.contains("stdin") && stderr.contains("directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("please report"), "{stderr}");
}

/// Issue 15 item 14: a unix socket host was reported as a DNS failure.
#[test]
fn r15_a_unix_socket_host_is_named_as_one_not_a_dns_failure() {
    let mut cmd = cli();
    let socket = cmd.work_dir().join("mongodb-27017.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind socket");
    let encoded = socket.display().to_string().replace('/', "%2F");
    cmd.args(["ping", "--format", "json", "--timeout", "1", "--uri"])
        .arg(format!("mongodb://{encoded}/"));
    let json = cmd.run().into_json();
    assert_eq!(
        (json.str("/class"), json.str("/diagnosis/reason")),
        ("config_invalid", "uri_unix_socket"),
        "{}",
        json.dump()
    );
    let summary = json.str("/diagnosis/summary");
    assert!(
        summary.contains("unix socket") && summary.contains("exists here and is a socket"),
        "{summary}"
    );
    assert_eq!(
        json.str("/target/uri"),
        format!("mongodb://{encoded}/"),
        "the target is shown as written, percent-encoded"
    );
}

/// Issue 11 item 2, "any other empty variable we read": the ATLAS_DOCTOR_* variables.
#[test]
fn r11_empty_atlas_doctor_variables_are_named() {
    for var in [
        "ATLAS_DOCTOR_CONFIG",
        "ATLAS_DOCTOR_TIMEOUT",
        "ATLAS_DOCTOR_FORMAT",
        "ATLAS_DOCTOR_DNS_SERVER",
    ] {
        let run = doctor(&[], &[(var, "")], &["--uri", &closed_uri()]);
        assert_eq!(run.code, exit_code_of("usage"), "{var}\n{}", run.dump());
        assert!(
            run.stderr.contains(&format!("{var} is set but empty")),
            "{}",
            run.dump()
        );
    }
    let run = doctor(&[], &[("ATLAS_DOCTOR_PROFILE", "")], &[]);
    assert_config_error(&run, &["ATLAS_DOCTOR_PROFILE", "set but empty"]);
}

/// Issue 20 item 4: `--egress-ip garbage` and `--atlas-project notanid` exited 3 with a
/// TOML-syntax cause; without `--atlas-api` the Atlas flags were silently ignored. Both
/// are usage errors (exit 2) naming the flag, before anything is probed.
#[test]
fn r20_4_atlas_flags_are_usage_errors_naming_the_flag() {
    let uri = closed_uri();
    for (args, flag) in [
        (vec!["--atlas-api", "--egress-ip", "garbage"], "--egress-ip"),
        (
            vec!["--atlas-api", "--atlas-project", "notanid"],
            "--atlas-project",
        ),
        (
            vec!["--atlas-api", "--atlas-cluster", "a/b"],
            "--atlas-cluster",
        ),
        (vec!["--egress-ip", "203.0.113.7"], "--atlas-api"),
        (
            vec!["--atlas-project", "65f0c0ffee43f8b8fa4d7b14"],
            "--atlas-api",
        ),
        (vec!["--atlas-cluster", "Cluster0"], "--atlas-api"),
        (vec!["--atlas-profile", "default"], "--atlas-api"),
    ] {
        let run = doctor(
            &[],
            &[],
            &[&["--uri", uri.as_str()], args.as_slice()].concat(),
        );
        assert_eq!(run.code, 2, "{args:?}\n{}", run.dump());
        assert!(
            run.stdout.is_empty(),
            "{args:?}: nothing probed\n{}",
            run.dump()
        );
        assert!(run.stderr.contains(flag), "{args:?}\n{}", run.dump());
        assert!(!run.stderr.contains("TOML"), "{args:?}\n{}", run.dump());
    }
    // The same values through their variables.
    let run = doctor(
        &[],
        &[("ATLAS_DOCTOR_EGRESS_IP", "203.0.113.7")],
        &["--uri", uri.as_str()],
    );
    assert_eq!(run.code, 2, "{}", run.dump());
}
