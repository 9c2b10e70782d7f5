//! Secrecy, proven: generated passwords never reach stdout or stderr, whatever the command, format, failing layer or source of the password.
//!
//! A property test draws passwords (printable ASCII heavy in reserved URI characters, Unicode,
//! strings that look percent-encoded) and, for each, a handful of (command, format, target,
//! source, --verbose) combinations; a deterministic test runs the full matrix on two nasty
//! passwords, including users created with those passwords so that success and authorization
//! failures are covered too. Every run must exit with a class code and must not contain the
//! password, its percent-encoded form (either hex case) or its base64.
//!
//! The property test runs 24 cases with a fixed seed; `PROPTEST_CASES` and
//! `PROPTEST_RNG_SEED` override both.

mod support;

use std::fmt::Write as _;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed, TestCaseError, TestRunner};
use support::{Bed, LOCALHOST, Run, Server, cli, exit_code_of, percent_encode};

// ------------------------------------------------------------------ the matrix

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Ping,
    AuthCheck,
    Collections,
    Checklist,
}

const COMMANDS: [Command; 4] = [
    Command::Ping,
    Command::AuthCheck,
    Command::Collections,
    Command::Checklist,
];

impl Command {
    fn args(self) -> &'static [&'static str] {
        match self {
            Command::Ping => &["ping"],
            Command::AuthCheck => &["auth-check"],
            Command::Collections => &["collections", "--db", "otherdb"],
            Command::Checklist => &["checklist", "--db", "otherdb"],
        }
    }
}

const FORMATS: [&str; 4] = ["human", "json", "markdown", "junit"];

/// Where the run fails (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `mongodb+srv://` with a port: refused before any lookup.
    UriSrvPort,
    /// A port number out of range.
    UriBadPort,
    /// `mongodb:/` (one slash): no `://`, so the report cannot tell where the
    /// user name ends.
    UriOneSlash,
    /// NXDOMAIN from the bed's dnsmasq.
    DnsMissing,
    /// Nothing listens.
    TcpRefused,
    /// The bed's TLS server without its CA: untrusted chain.
    TlsUntrusted,
    /// An HTTP server: not MongoDB.
    NotMongo,
    /// The bed's `--auth` server: ping passes, authentication fails (wrong password).
    MongoAuth,
    /// `mongodb://user:PASSWORD` with no `@host`: the password reads as a port.
    UriNoHost,
    /// A scheme typo with a later `://` in the query: the first `://` is no scheme.
    UriSchemeTypo,
    /// The password also in every secret option (`proxyPassword`,
    /// `tlsCertificateKeyFilePassword`); nothing listens.
    SecretOptions,
    /// The password also as `AWS_SESSION_TOKEN` with MONGODB-AWS, which the driver
    /// refuses together with a password: a parse failure holding two secrets.
    AwsTokenRefused,
}

const TARGETS: [Target; 12] = [
    Target::UriSrvPort,
    Target::UriBadPort,
    Target::UriOneSlash,
    Target::DnsMissing,
    Target::TcpRefused,
    Target::TlsUntrusted,
    Target::NotMongo,
    Target::MongoAuth,
    Target::UriNoHost,
    Target::UriSchemeTypo,
    Target::SecretOptions,
    Target::AwsTokenRefused,
];

/// How the password reaches atlas-doctor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `--uri mongodb://user:<encoded>@...`
    Flag,
    /// `MONGODB_URI=mongodb://user:<encoded>@...`
    Env,
    /// `uri = "mongodb://user:<encoded>@..."` in the file named by `--config`.
    ConfigUri,
    /// `./atlas-doctor.toml` with `uri` (no credentials), `username` and `password-env`.
    ConfigPasswordEnv,
}

const SOURCES: [Source; 4] = [
    Source::Flag,
    Source::Env,
    Source::ConfigUri,
    Source::ConfigPasswordEnv,
];

#[derive(Debug, Clone, Copy)]
struct Combo {
    command: Command,
    format: &'static str,
    target: Target,
    source: Source,
    verbose: bool,
}

/// Listeners shared by every case (they live for the whole test binary).
struct Fixtures {
    bed: Bed,
    http: Server,
    refused: u16,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| Fixtures {
        bed: Bed::load(),
        http: support::http(),
        refused: support::refusing_port(),
    })
}

impl Target {
    /// (scheme://, host part, path and query, extra arguments); `secret` is the
    /// percent-encoded password, for the targets that repeat it in options.
    fn parts(self, f: &Fixtures, secret: &str) -> (&'static str, String, String, Vec<String>) {
        let bed = &f.bed;
        let dns = vec!["--dns-server".to_string(), bed.dns_server()];
        match self {
            Target::UriSrvPort => (
                "mongodb+srv://",
                format!("cluster0.{}:27017", bed.domain),
                "/".into(),
                vec![],
            ),
            Target::UriBadPort => (
                "mongodb://",
                format!("{LOCALHOST}:99999"),
                "/".into(),
                vec![],
            ),
            Target::UriOneSlash => ("mongodb:/", format!("{LOCALHOST}:1"), "/".into(), vec![]),
            Target::DnsMissing => (
                "mongodb+srv://",
                format!("missing.{}", bed.domain),
                "/".into(),
                dns,
            ),
            Target::TcpRefused => (
                "mongodb://",
                format!("{LOCALHOST}:{}", f.refused),
                "/".into(),
                vec![],
            ),
            Target::TlsUntrusted => (
                "mongodb://",
                format!("{LOCALHOST}:{}", bed.mongo_tls),
                "/?tls=true".into(),
                vec![],
            ),
            Target::NotMongo => ("mongodb://", f.http.host(), "/".into(), vec![]),
            Target::MongoAuth => (
                "mongodb://",
                format!("{LOCALHOST}:{}", bed.mongo_auth),
                "/?authSource=admin".into(),
                vec![],
            ),
            // The host part is dropped with the `@` (see `run_combo`).
            Target::UriNoHost => ("mongodb://", String::new(), String::new(), vec![]),
            Target::UriSchemeTypo => (
                "mongdb:/",
                format!("{LOCALHOST}:{}", f.refused),
                "/?appName=http://x".into(),
                vec![],
            ),
            Target::SecretOptions => (
                "mongodb://",
                format!("{LOCALHOST}:{}", f.refused),
                format!(
                    "/?proxyHost=localhost&proxyUsername=u&proxyPassword={secret}&tlsCertificateKeyFilePassword={secret}"
                ),
                vec![],
            ),
            Target::AwsTokenRefused => (
                "mongodb://",
                format!("{LOCALHOST}:{}", f.refused),
                format!(
                    "/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:{secret}"
                ),
                vec![],
            ),
        }
    }

    /// The exit code a run of `command` must end with (a wrong password everywhere).
    fn expected_code(self, command: Command) -> i32 {
        exit_code_of(match self {
            Target::UriSrvPort
            | Target::UriBadPort
            | Target::UriOneSlash
            | Target::UriNoHost
            | Target::UriSchemeTypo
            | Target::AwsTokenRefused => "config_invalid",
            Target::DnsMissing => "dns",
            Target::TcpRefused | Target::SecretOptions => "tcp_refused",
            Target::TlsUntrusted => "tls",
            Target::NotMongo => "server",
            Target::MongoAuth if command == Command::Ping => "ok",
            Target::MongoAuth => "auth_failed",
        })
    }
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `--timeout` of every run of the matrix.
const RUN_TIMEOUT_SECS: &str = "20";

/// Runs one combination for `user`/`password`; returns the run after the no-leak and
/// exit-code assertions. `expected` overrides the target's expected exit code.
fn run_combo(f: &Fixtures, combo: Combo, user: &str, password: &str, expected: Option<i32>) -> Run {
    let (scheme, host, rest, extra) = combo.target.parts(f, &percent_encode(password));
    let with_credentials = if combo.target == Target::UriNoHost {
        format!(
            "{scheme}{}:{}",
            percent_encode(user),
            percent_encode(password)
        )
    } else {
        format!(
            "{scheme}{}:{}@{host}{rest}",
            percent_encode(user),
            percent_encode(password)
        )
    };
    let without_credentials = format!("{scheme}{host}{rest}");
    let mut cmd = cli();
    // A deadline far beyond any answer: the expected exit code must not depend on how
    // fast a loaded machine's auth server answers (with 1 s, a slow SCRAM turned
    // `ok`/`auth_failed` into a timeout). No target waits for it: each fails, or
    // passes, on an answer (refused, NXDOMAIN, an alert, a reply).
    cmd.args(combo.command.args())
        .args(["--format", combo.format, "--timeout", RUN_TIMEOUT_SECS])
        .args(&extra);
    if combo.verbose {
        cmd.arg("--verbose");
    }
    match combo.source {
        Source::Flag => {
            cmd.args(["--uri", &with_credentials]);
        }
        Source::Env => {
            cmd.env("MONGODB_URI", &with_credentials);
        }
        Source::ConfigUri => {
            let path = cmd.write_file(
                "doctor.toml",
                &format!("uri = {}\n", toml_str(&with_credentials)),
            );
            cmd.arg("--config").arg(path);
        }
        Source::ConfigPasswordEnv => {
            cmd.write_file(
                "atlas-doctor.toml",
                &format!(
                    "uri = {}\nusername = {}\npassword-env = \"APP_DB_PASSWORD\"\n",
                    toml_str(&without_credentials),
                    toml_str(user)
                ),
            );
            cmd.env("APP_DB_PASSWORD", password);
        }
    }
    let run = cmd.run();
    let context = || format!("{combo:?}, password {password:?}\n{}", run.dump());
    assert!(
        std::panic::catch_unwind(|| run.assert_no_secret(password)).is_ok(),
        "the password leaked: {}",
        context()
    );
    let expected = expected.unwrap_or_else(|| combo.target.expected_code(combo.command));
    assert_eq!(run.code, expected, "exit code: {}", context());
    if combo.format == "json" {
        let json = run.clone().into_json();
        assert_eq!(json.json["exit_code"], run.code, "{}", context());
    }
    run
}

// ------------------------------------------------------------------ passwords

/// Printable ASCII with every reserved URI character over-represented.
fn ascii_password() -> impl Strategy<Value = String> {
    let reserved: Vec<char> = "@:/?#[]%&=+ !$'()*,;\"\\<>^`{|}~".chars().collect();
    let printable: Vec<char> = (0x20u8..0x7F).map(char::from).collect();
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(reserved),
            prop::sample::select(printable)
        ],
        8..24,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Accented letters, CJK, emoji and some ASCII.
fn unicode_password() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "éüßñøÅçЖжΩλ中文密码パスワード한국😀🔑🦀€£ aZ9@:%/"
        .chars()
        .collect();
    prop::collection::vec(prop::sample::select(chars), 6..16)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Strings that look percent-encoded (`%41`, `%2F`, `%zz`, a lone `%`), with letters between.
fn percent_looking_password() -> impl Strategy<Value = String> {
    let pieces = vec![
        "%41",
        "%2F",
        "%2f",
        "%40",
        "%3A",
        "%25",
        "%zz",
        "%",
        "%%",
        "%E2%82%AC",
        "A",
        "b",
        "7",
        "-",
        "@",
        "+",
    ];
    prop::collection::vec(prop::sample::select(pieces), 4..12).prop_map(|pieces| pieces.concat())
}

fn password() -> impl Strategy<Value = String> {
    prop_oneof![
        ascii_password(),
        unicode_password(),
        percent_looking_password()
    ]
    // Short all-letter strings could occur in any report by chance; these cannot.
    .prop_filter("distinctive", |p| {
        p.chars().count() >= 6 && p.chars().any(|c| !c.is_ascii_alphanumeric())
    })
}

fn combo() -> impl Strategy<Value = Combo> {
    (
        prop::sample::select(COMMANDS.to_vec()),
        prop::sample::select(FORMATS.to_vec()),
        prop::sample::select(TARGETS.to_vec()),
        prop::sample::select(SOURCES.to_vec()),
        any::<bool>(),
    )
        .prop_map(|(command, format, target, source, verbose)| Combo {
            command,
            format,
            target,
            source,
            verbose,
        })
}

fn config() -> ProptestConfig {
    // Default reads PROPTEST_CASES and PROPTEST_RNG_SEED; without them: 24 cases, fixed seed.
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 24;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5EC2_E7A7);
    }
    config.failure_persistence = None;
    // Each shrink step runs processes: a few dozen are enough to show a short password.
    config.max_shrink_iters = 64;
    config
}

#[test]
fn generated_passwords_never_leak() {
    let f = fixtures();
    let mut runner = TestRunner::new(config());
    let runs = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(
        &(password(), prop::collection::vec(combo(), 5)),
        |(password, combos)| {
            for combo in combos {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_combo(f, combo, "app", &password, None);
                }));
                runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Err(panic) = outcome {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                        .unwrap_or_default();
                    return Err(TestCaseError::fail(message));
                }
            }
            Ok(())
        },
    );
    eprintln!(
        "secrecy: {} runs of atlas-doctor over the generated passwords",
        runs.into_inner()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ------------------------------------------------------------------ the full matrix

/// Two passwords with everything at once.
const NASTY: [&str; 2] = [
    "p@ss:w/rd?#[]%41&x=1+ é中😀",
    "%2F%40%3a%%zz\\\"' ;,{}|^`~<>$!*()",
];

/// Every target x source x format for each nasty password, the command rotating so that
/// each (target, command) pair is met; plus `--verbose` on every other run.
#[test]
fn nasty_passwords_full_matrix() {
    let f = fixtures();
    let mut count = 0usize;
    for password in NASTY {
        for (t, &target) in TARGETS.iter().enumerate() {
            for (s, &source) in SOURCES.iter().enumerate() {
                for (i, &format) in FORMATS.iter().enumerate() {
                    let n = t + s + i;
                    let combo = Combo {
                        command: COMMANDS[n % COMMANDS.len()],
                        format,
                        target,
                        source,
                        verbose: n % 2 == 0,
                    };
                    run_combo(f, combo, "app", password, None);
                    count += 1;
                }
            }
        }
    }
    eprintln!("secrecy: {count} runs of the full matrix");
}

/// The nasty passwords as SASLprep allows them (it refuses code points unassigned in Unicode
/// 3.2, such as emoji, so the driver cannot send those over SCRAM-SHA-256).
const NASTY_SASLPREP: [&str; 2] = ["p@ss:w/rd?#[]%41&x=1+ é中€", NASTY[1]];

/// Users created on the bed's auth server with the nasty passwords: authentication that
/// succeeds (`auth-check`, driver's SCRAM with the real password) and authorization that
/// fails (`collections --db otherdb` with read on `probe` only), in every source and format.
#[test]
fn nasty_passwords_of_real_users_succeed_and_fail_authorization_without_leaking() {
    let f = fixtures();
    let users = create_users(&f.bed, &NASTY_SASLPREP);
    let mut count = 0usize;
    for (user, password) in users.iter().zip(NASTY_SASLPREP) {
        for (s, &source) in SOURCES.iter().enumerate() {
            for (i, &format) in FORMATS.iter().enumerate() {
                for (command, code) in [
                    (Command::AuthCheck, exit_code_of("ok")),
                    (Command::Collections, exit_code_of("authorization")),
                ] {
                    let combo = Combo {
                        command,
                        format,
                        target: Target::MongoAuth,
                        source,
                        verbose: (s + i) % 2 == 0,
                    };
                    run_combo(f, combo, user, password, Some(code));
                    count += 1;
                }
            }
        }
    }
    eprintln!("secrecy: {count} runs with real users");
}

/// Creates (or re-creates) one user per password on `mongo_auth`, with read on `probe`.
fn create_users(bed: &Bed, passwords: &[&str]) -> Vec<String> {
    use mongodb::bson::doc;
    let admin = bed.user("admin");
    let uri = format!(
        "mongodb://admin:{}@{LOCALHOST}:{}/?authSource=admin&directConnection=true",
        percent_encode(&admin.password),
        bed.mongo_auth
    );
    let names: Vec<String> = (0..passwords.len())
        .map(|i| format!("secrecy_nasty_{i}"))
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
        let db = client.database("admin");
        for (name, password) in names.iter().zip(passwords) {
            let _ = db.run_command(doc! {"dropUser": name}).await;
            db.run_command(doc! {
                "createUser": name,
                "pwd": *password,
                "roles": [{"role": "read", "db": "probe"}],
                "mechanisms": ["SCRAM-SHA-256", "SCRAM-SHA-1"],
            })
            .await
            .expect("createUser");
        }
    });
    names
}

// ------------------------------------------------------------------ explain

/// Driver errors that quote the password: in a connection string (percent-encoded, as a
/// driver prints it) and as a `...Password=` option.
fn explain_texts(password: &str) -> [String; 3] {
    let encoded = percent_encode(password);
    [
        format!(
            "MongoServerError: bad auth : authentication failed, full error: connecting to mongodb+srv://app:{encoded}@cluster0.ab1cd.mongodb.net/?retryWrites=true"
        ),
        format!(
            "pymongo.errors.ServerSelectionTimeoutError: mongodb://app:{encoded}@127.0.0.1:27017/admin: [Errno 111] Connection refused"
        ),
        format!(
            "Authentication failed. uri=mongodb://app:{encoded}@db.internal:27017 tlsCertificateKeyFilePassword={encoded}"
        ),
    ]
}

/// `explain` never echoes the password: the library's renderers (JSON and human) in-process,
/// and the built binary with the text as an argument or on stdin, in every format.
#[test]
fn explain_does_not_echo_passwords() {
    let mut runner = TestRunner::new(config());
    let result = runner.run(
        &(
            password(),
            prop::sample::select(FORMATS.to_vec()),
            any::<bool>(),
        ),
        |(password, format, stdin)| {
            for text in explain_texts(&password) {
                let explanation = atlas_doctor::explain::explain(&text);
                let palette = atlas_doctor::report::style::Palette::plain();
                for rendered in [
                    atlas_doctor::report::explain::json(&explanation),
                    atlas_doctor::report::explain::human(&explanation, &palette, None),
                    // The ticket quotes the pasted text itself: redacted there too.
                    atlas_doctor::report::explain::markdown(&explanation, &text),
                ] {
                    let leaked = std::panic::catch_unwind(|| {
                        support::assert_no_secret(&rendered, &password);
                    })
                    .is_err();
                    prop_assert!(
                        !leaked,
                        "explain leaked {password:?}\ntext: {text}\n{rendered}"
                    );
                }
                let mut cmd = cli();
                cmd.args(["explain", "--format", format]);
                if stdin {
                    cmd.write_stdin(text.clone());
                } else {
                    cmd.arg(&text);
                }
                let run = cmd.run();
                let leaked = std::panic::catch_unwind(|| run.assert_no_secret(&password)).is_err();
                prop_assert!(
                    !leaked,
                    "explain leaked {password:?}\ntext: {text}\n{}",
                    run.dump()
                );
            }
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ------------------------------------------------------------------ Atlas API secrets (issue 12)

/// How `--atlas-api` is given its credentials in a secrecy run.
#[derive(Debug, Clone, Copy)]
enum AtlasCreds {
    /// The fake's API key pair (Digest), in the environment.
    ApiKey,
    /// The fake's service account (OAuth token, Bearer), in the environment.
    ServiceAccount,
    /// The API key pair written in an Atlas CLI profile (`--atlas-profile`).
    Profile,
    /// A valid key the API's own access list refuses (403).
    Refused,
}

/// One `--atlas-api` run whose credentials are `creds`, with `secret` replacing the
/// private key or client secret when given (a wrong one: 401). Asserts that no
/// secret of any kind reaches stdout or stderr, and that no bearer token does.
fn atlas_secrecy_run(
    bed: &Bed,
    creds: AtlasCreds,
    secret: Option<&str>,
    args: &[&str],
    format: &str,
) {
    let mut cmd = bed.atlas_cli();
    let a = &bed.atlas;
    let mut secrets = vec![
        a.api_key.private.clone(),
        a.refused_key.private.clone(),
        a.service_account.client_secret.clone(),
    ];
    match creds {
        AtlasCreds::ApiKey => {
            if let Some(s) = secret {
                cmd.env("MONGODB_ATLAS_PRIVATE_API_KEY", s);
            }
        }
        AtlasCreds::ServiceAccount => {
            cmd.env_remove("MONGODB_ATLAS_PUBLIC_API_KEY")
                .env_remove("MONGODB_ATLAS_PRIVATE_API_KEY")
                .env("MONGODB_ATLAS_CLIENT_ID", &a.service_account.client_id)
                .env(
                    "MONGODB_ATLAS_CLIENT_SECRET",
                    secret.unwrap_or(&a.service_account.client_secret),
                );
        }
        AtlasCreds::Profile => {
            cmd.env_remove("MONGODB_ATLAS_PUBLIC_API_KEY")
                .env_remove("MONGODB_ATLAS_PRIVATE_API_KEY");
            let dir = cmd.home_dir().join(".config/atlascli");
            std::fs::create_dir_all(&dir).expect("mkdir atlascli");
            std::fs::write(
                dir.join("config.toml"),
                format!(
                    "[default]\npublic_api_key = \"{}\"\nprivate_api_key = {}\n",
                    a.api_key.public,
                    toml_str(secret.unwrap_or(&a.api_key.private))
                ),
            )
            .expect("write atlascli config");
            cmd.args(["--atlas-profile", "default"]);
        }
        AtlasCreds::Refused => {
            cmd.env("MONGODB_ATLAS_PUBLIC_API_KEY", &a.refused_key.public)
                .env(
                    "MONGODB_ATLAS_PRIVATE_API_KEY",
                    secret.unwrap_or(&a.refused_key.private),
                );
        }
    }
    secrets.extend(secret.map(str::to_string));
    cmd.args(args).args([
        "--atlas-api",
        "--timeout",
        "3",
        "--verbose",
        "--format",
        format,
    ]);
    let run = cmd.run();
    let context = || format!("{creds:?} {format} {args:?}\n{}", run.dump());
    assert!(
        [0, 1, 13, 14, 15, 16].contains(&run.code),
        "unexpected exit code: {}",
        context()
    );
    for secret in &secrets {
        let leaked = std::panic::catch_unwind(|| run.assert_no_secret(secret)).is_err();
        assert!(!leaked, "leaked an Atlas secret: {}", context());
    }
    assert!(
        !run.stdout.contains("Bearer") && !run.stderr.contains("Bearer"),
        "a bearer token header reached the output: {}",
        context()
    );
}

/// Every credential kind x format x (alert 80, bad auth, healthy) target, with the right
/// secrets and with a wrong one.
#[test]
fn atlas_api_secrets_never_leak() {
    let bed = Bed::load();
    let alert = support::tls_alert(80);
    let bad_auth = support::fake_mongod_with(
        mongodb::bson::doc! {},
        [("saslStart", support::atlas_bad_auth())],
    );
    let alert_uri = format!("mongodb://{LOCALHOST}:{}/?tls=true", alert.port());
    let auth_uri = format!("mongodb://app:x-Pw-1@{LOCALHOST}:{}/", bad_auth.port());
    let healthy = bed.tls_uri();
    let targets: [&[&str]; 3] = [
        &[
            "ping",
            "--uri",
            &alert_uri,
            "--egress-ip",
            "192.0.2.55",
            "--atlas-cluster",
            "Cluster0",
        ],
        &[
            "auth-check",
            "--uri",
            &auth_uri,
            "--atlas-cluster",
            "Cluster0",
        ],
        &["checklist", "--uri", &healthy, "--scan", "."],
    ];
    let creds = [
        AtlasCreds::ApiKey,
        AtlasCreds::ServiceAccount,
        AtlasCreds::Profile,
        AtlasCreds::Refused,
    ];
    let mut count = 0;
    for (c, &cred) in creds.iter().enumerate() {
        for (f, &format) in FORMATS.iter().enumerate() {
            let args = targets[(c + f) % targets.len()];
            atlas_secrecy_run(&bed, cred, None, args, format);
            atlas_secrecy_run(&bed, cred, Some("Wr0ng-At1as-s3cret%2F@:"), args, format);
            count += 2;
        }
    }
    eprintln!("secrecy: {count} --atlas-api runs");
}

/// Generated wrong secrets (the password strategy) as the private key, client secret or
/// profile secret: refused by the fake, never echoed.
#[test]
fn generated_atlas_secrets_never_leak() {
    let bed = Bed::load();
    let alert = support::tls_alert(80);
    let alert_uri = format!("mongodb://{LOCALHOST}:{}/?tls=true", alert.port());
    let mut config = config();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 8;
    }
    let mut runner = TestRunner::new(config);
    let result = runner.run(
        &(
            password(),
            prop::sample::select(vec![
                AtlasCreds::ApiKey,
                AtlasCreds::ServiceAccount,
                AtlasCreds::Profile,
            ]),
            prop::sample::select(FORMATS.to_vec()),
        ),
        |(secret, creds, format)| {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                atlas_secrecy_run(
                    &bed,
                    creds,
                    Some(&secret),
                    &["ping", "--uri", &alert_uri, "--egress-ip", "192.0.2.55"],
                    format,
                );
            }));
            prop_assert!(outcome.is_ok(), "secret {secret:?} with {creds:?} {format}");
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Every output of `cmd` in the four formats (json, human, markdown, junit).
fn all_formats(mut make: impl FnMut() -> support::Cli) -> Vec<Run> {
    ["json", "human", "markdown", "junit"]
        .into_iter()
        .map(|format| {
            let mut cmd = make();
            cmd.args(["--format", format]);
            cmd.run()
        })
        .collect()
}

/// Issue 15 item 8: with authMechanism=PLAIN, a server that echoes the payload as base64
/// or hex got the password printed; passwords under 3 characters were never masked.
#[test]
fn r15_a_plain_payload_echoed_as_base64_or_hex_is_never_printed() {
    let server = support::fake_mongod_with(
        mongodb::bson::doc! {},
        [("saslStart", support::sasl_echo_payload())],
    );
    for (user, password) in [("app", "Zq9-Secret!x"), ("app", "ab"), ("a", "x")] {
        let payload = format!("\0{user}\0{password}");
        let hex = support::hex(payload.as_bytes());
        let b64 = support::base64(payload.as_bytes());
        let uri = format!(
            "mongodb://{user}:{}@{LOCALHOST}:{}/?authMechanism=PLAIN&authSource=$external",
            percent_encode(password),
            server.port()
        );
        for run in all_formats(|| {
            let mut cmd = cli();
            cmd.env("MONGODB_URI", &uri)
                .args(["auth-check", "--timeout", "3", "--verbose"]);
            cmd
        }) {
            assert_eq!(run.code, exit_code_of("auth_failed"), "{}", run.dump());
            for form in [hex.as_str(), b64.as_str(), b64.trim_end_matches('=')] {
                assert!(
                    !run.stdout.contains(form) && !run.stderr.contains(form),
                    "payload leaked as {form}\n{}",
                    run.dump()
                );
            }
            // A password under 3 characters cannot be searched for in the output (an
            // "x" is everywhere); its encoded payload above is what the server echoed.
            if password.len() >= 3 {
                run.assert_no_secret(password);
            }
        }
    }
}

/// Issue 15 items 5, 6 and 7: strings that do not parse, secret options and a password
/// pasted where a variable name belongs, through every source and format.
#[test]
fn r15_unparseable_targets_secret_options_and_misplaced_passwords_never_leak() {
    let secret = "Zq9SecretPw77";
    let port = support::refusing_port();
    let targets = [
        format!("mongodb://alice:{secret}"),
        format!("mongodb:/alice:{secret}@{LOCALHOST}:{port}/?x=http://y"),
        format!("mongdb://alice:{secret}@{LOCALHOST}:{port}/?x=http://y"),
        secret.to_string(),
        format!(
            "mongodb://u:{secret}@{LOCALHOST}:x/?authMechanismProperties=AWS_SESSION_TOKEN:{secret}"
        ),
        format!("mongodb://{LOCALHOST}:{port}/?proxyHost=p&proxyPassword={secret}"),
        format!("mongodb://{LOCALHOST}:{port}/?tls=true&sslPEMKeyPassword={secret}"),
        format!(
            "mongodb://u:pw@{LOCALHOST}:{port}/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:{secret}"
        ),
    ];
    for target in &targets {
        for source in ["env", "flag", "config"] {
            for run in all_formats(|| {
                let mut cmd = cli();
                match source {
                    "env" => {
                        cmd.env("MONGODB_URI", target);
                    }
                    "flag" => {
                        cmd.args(["--uri", target]);
                    }
                    _ => {
                        cmd.write_file(
                            "atlas-doctor.toml",
                            &format!("uri = {}\n", toml_str(target)),
                        );
                    }
                }
                cmd.args(["ping", "--timeout", "1"]);
                cmd
            }) {
                run.assert_no_secret(secret);
            }
        }
    }
    // A password pasted into password-env: named as a mistake, never echoed.
    for run in all_formats(|| {
        let mut cmd = cli();
        cmd.write_file(
            "atlas-doctor.toml",
            &format!("username = \"app\"\npassword-env = \"{secret}\"\n"),
        );
        cmd.args([
            "auth-check",
            "--uri",
            &format!("mongodb://{LOCALHOST}:{port}/"),
            "--timeout",
            "1",
        ]);
        cmd
    }) {
        assert_eq!(run.code, exit_code_of("config_invalid"), "{}", run.dump());
        run.assert_no_secret(secret);
    }
}
