//! Shared support for the integration tests: the test bed, the pinned CLI, and fault listeners.
//!
//! Every integration test file starts with `mod support;`. Nothing here talks to any address
//! but 127.0.0.1. The real servers (SecantusDB, dnsmasq) come from `scripts/testbed start`,
//! described by `.testbed/bed.json`; the small fault listeners below run in-process, each on
//! its own port, for as long as the value that owns them is alive.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

pub mod client_auth;
pub mod flap;
pub mod hostile;
pub mod proxy;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::future::Future;
use std::io::Write as _;
use std::net::{
    Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener as StdTcpListener, TcpStream as StdTcpStream,
};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use mongodb::bson::{Document, doc};
use serde::Deserialize;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream, UdpSocket};
use tokio::runtime::Runtime;

/// The only address the tests use.
pub const LOCALHOST: Ipv4Addr = Ipv4Addr::LOCALHOST;

// ------------------------------------------------------------------ the test bed

/// The running test bed, as `scripts/testbed start` describes it in `.testbed/bed.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Bed {
    /// SecantusDB without auth, one-member replica set named `set_name`.
    pub mongo_plain: u16,
    /// SecantusDB with `--auth` and the `users` below.
    pub mongo_auth: u16,
    /// SecantusDB with TLS; its leaf is signed by `ca_file`.
    pub mongo_tls: u16,
    /// dnsmasq, authoritative for `domain` (records: see `scripts/testbed`).
    pub dns: u16,
    /// dnsmasq with no data and no upstream: REFUSED for every query.
    pub dns_broken: u16,
    pub domain: String,
    pub set_name: String,
    pub ca_file: PathBuf,
    pub users: BTreeMap<String, User>,
    pub pids: Vec<u32>,
    /// The fake Atlas Administration API (`scripts/fake_atlas_api.py`).
    pub atlas_api: u16,
    pub atlas: AtlasBed,
}

/// The fake Atlas API's one project and its credentials.
#[derive(Debug, Clone, Deserialize)]
pub struct AtlasBed {
    pub project_id: String,
    pub api_key: ApiKey,
    /// Valid, but the API's own access list refuses the caller (403).
    pub refused_key: ApiKey,
    pub service_account: ServiceAccount,
}

/// An API key pair (HTTP Digest).
#[derive(Debug, Clone, Deserialize)]
pub struct ApiKey {
    pub public: String,
    pub private: String,
}

/// A service account (OAuth 2 client credentials).
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceAccount {
    pub client_id: String,
    pub client_secret: String,
}

/// A user of `mongo_auth`.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub password: String,
    pub auth_db: String,
    pub mechanisms: Vec<String>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Role {
    pub role: String,
    pub db: String,
}

impl Bed {
    /// Reads the bed file; panics (never skips) when the bed is not running.
    pub fn load() -> Bed {
        let path = std::env::var_os("ATLAS_DOCTOR_TESTBED").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join(".testbed/bed.json"),
            PathBuf::from,
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "test bed not running: run scripts/test (or scripts/testbed start) [{}: {e}]",
                path.display()
            )
        });
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a bed file: {e}", path.display()))
    }

    /// The pinned CLI with the fake Atlas API's base URL, project and API key in the
    /// environment (`MONGODB_ATLAS_*`), as a user of the Atlas CLI would have them.
    pub fn atlas_cli(&self) -> Cli {
        let mut cli = cli();
        cli.env(
            "MONGODB_ATLAS_BASE_URL",
            format!("http://{LOCALHOST}:{}/", self.atlas_api),
        )
        .env("MONGODB_ATLAS_PROJECT_ID", &self.atlas.project_id)
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", &self.atlas.api_key.public)
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", &self.atlas.api_key.private);
        cli
    }

    /// `127.0.0.1:<dns>`, for `--dns-server`.
    pub fn dns_server(&self) -> String {
        format!("{LOCALHOST}:{}", self.dns)
    }

    /// `127.0.0.1:<dns_broken>`, for `--dns-server` (the failing primary).
    pub fn broken_dns_server(&self) -> String {
        format!("{LOCALHOST}:{}", self.dns_broken)
    }

    /// The CA that signed `mongo_tls`'s leaf, as a string for `tlsCAFile=`.
    pub fn ca(&self) -> String {
        self.ca_file.display().to_string()
    }

    pub fn plain_uri(&self) -> String {
        format!("mongodb://{LOCALHOST}:{}/", self.mongo_plain)
    }

    /// `mongo_tls` by address (`IP:127.0.0.1` is in the leaf's SANs).
    pub fn tls_uri(&self) -> String {
        format!(
            "mongodb://{LOCALHOST}:{}/?tls=true&tlsCAFile={}",
            self.mongo_tls,
            self.ca()
        )
    }

    /// `mongo_tls` by the name `shard-00-00.cluster0.<domain>` (covered by the leaf's
    /// `*.cluster0` SAN), which only the bed's DNS server knows: use with `--dns-server`.
    /// (Not `localhost`: that name may also resolve to ::1, and the tests talk to 127.0.0.1 only.)
    pub fn tls_uri_by_name(&self) -> String {
        format!(
            "mongodb://shard-00-00.cluster0.{}:{}/?tls=true&tlsCAFile={}",
            self.domain,
            self.mongo_tls,
            self.ca()
        )
    }

    /// A `mongodb+srv://` URI for `<name>.<domain>` plus `query` (without the `?`).
    pub fn srv_uri(&self, name: &str, query: &str) -> String {
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("mongodb+srv://{name}.{}/{query}", self.domain)
    }

    pub fn user(&self, name: &str) -> &User {
        self.users
            .get(name)
            .unwrap_or_else(|| panic!("bed has no user {name}"))
    }

    /// `mongodb://name:password@127.0.0.1:<mongo_auth>/` with the password percent-encoded.
    pub fn auth_uri(&self, name: &str, query: &str) -> String {
        let user = self.user(name);
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!(
            "mongodb://{}:{}@{LOCALHOST}:{}/{query}",
            percent_encode(name),
            percent_encode(&user.password),
            self.mongo_auth
        )
    }
}

// ------------------------------------------------------------------ the CLI

/// The `atlas-doctor` binary with a pinned environment; the temp dirs live as long as this.
pub struct Cli {
    cmd: assert_cmd::Command,
    dir: tempfile::TempDir,
}

/// A fresh `atlas-doctor` command: only `PATH` inherited, `NO_COLOR=1`, `HOME` and
/// `XDG_CONFIG_HOME` in a fresh temp dir, and a fresh empty current dir (so no
/// `./atlas-doctor.toml` and no user config can be found).
pub fn cli() -> Cli {
    let (cmd, dir) = pinned_command();
    let mut cmd = assert_cmd::Command::from_std(cmd);
    cmd.write_stdin("");
    Cli { cmd, dir }
}

/// The `atlas-doctor` binary with the environment [`cli`] pins, as a plain
/// `std::process::Command` (for a test that spawns it and reads it as it runs),
/// and the temp dir holding its `HOME` and current dir (`work`).
pub fn pinned_command() -> (std::process::Command, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    let config = home.join(".config");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&config).expect("mkdir home/.config");
    std::fs::create_dir_all(&work).expect("mkdir work");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_atlas-doctor"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &config)
        .current_dir(&work);
    (cmd, dir)
}

impl Cli {
    /// The command's current directory (empty unless a test writes into it).
    pub fn work_dir(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// The command's `HOME`.
    pub fn home_dir(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Writes `contents` to `name` in the work dir and returns its absolute path.
    pub fn write_file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.work_dir().join(name);
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// Runs the command to completion.
    pub fn run(&mut self) -> Run {
        let output = self.cmd.output().expect("run atlas-doctor");
        Run {
            code: output
                .status
                .code()
                .unwrap_or_else(|| panic!("atlas-doctor killed by a signal: {:?}", output.status)),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Appends `--format json`, runs, and parses stdout as exactly one JSON object.
    pub fn run_json(&mut self) -> JsonRun {
        self.cmd.args(["--format", "json"]);
        self.run().into_json()
    }
}

impl Deref for Cli {
    type Target = assert_cmd::Command;
    fn deref(&self) -> &Self::Target {
        &self.cmd
    }
}

impl DerefMut for Cli {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.cmd
    }
}

/// Runs `atlas-doctor ARGS` (pinned environment).
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cli = cli();
    cli.args(args);
    cli.run()
}

/// Runs `atlas-doctor ARGS --format json` (pinned environment) and parses the one JSON object.
pub fn run_json<I, S>(args: I) -> JsonRun
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cli = cli();
    cli.args(args);
    cli.run_json()
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for failure messages.
    pub fn dump(&self) -> String {
        format!(
            "exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Asserts the secret is in neither stream, in any of the forms [`assert_no_secret`] checks.
    pub fn assert_no_secret(&self, secret: &str) {
        assert_no_secret(&self.stdout, secret);
        assert_no_secret(&self.stderr, secret);
    }

    pub fn into_json(self) -> JsonRun {
        let json: Value = serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "stdout is not exactly one JSON object ({e})\n{}",
                self.dump()
            )
        });
        assert!(
            json.is_object(),
            "stdout is JSON but not an object\n{}",
            self.dump()
        );
        // Every JSON report any test sees is held to the published schema.
        if let Err(errors) = schema_errors(&json) {
            panic!("{errors}\n{}", self.dump());
        }
        JsonRun { run: self, json }
    }
}

// ------------------------------------------------------------------ the published JSON schemas

/// `schema/<name>`, compiled once per test process.
pub fn schema(name: &str) -> &'static jsonschema::Validator {
    static REPORT: OnceLock<jsonschema::Validator> = OnceLock::new();
    static EXPLAIN: OnceLock<jsonschema::Validator> = OnceLock::new();
    let cell = match name {
        "report.schema.json" => &REPORT,
        "explain.schema.json" => &EXPLAIN,
        other => panic!("no schema {other}"),
    };
    cell.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schema")
            .join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let schema: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
        jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("{}: not a JSON Schema: {e}", path.display()))
    })
}

/// Validates one JSON output against the schema of its command (explain's own, else
/// the report's); `Err` lists every violation with its JSON pointer.
pub fn schema_errors(json: &Value) -> Result<(), String> {
    let name = if json["command"] == "explain" {
        "explain.schema.json"
    } else {
        "report.schema.json"
    };
    let errors: Vec<String> = schema(name)
        .iter_errors(json)
        .map(|e| format!("  at {:?}: {e}", e.instance_path().to_string()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the output does not match schema/{name}:\n{}",
            errors.join("\n")
        ))
    }
}

/// A finished `--format json` run: exit code, the parsed object, and both streams.
#[derive(Debug, Clone)]
pub struct JsonRun {
    /// The run itself: `code`, `stdout`, `stderr`, `dump()`, `assert_no_secret()`.
    pub run: Run,
    pub json: Value,
}

impl std::ops::Deref for JsonRun {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.run
    }
}

/// The exit code of each class (DESIGN.md, "Failure classes and exit codes").
pub fn exit_code_of(class: &str) -> i32 {
    match class {
        "ok" => 0,
        "checks_failed" => 1,
        "usage" => 2,
        "config_invalid" => 3,
        "dns" => 10,
        "tcp_refused" => 11,
        "network_timeout" => 12,
        "ip_access_list" => 13,
        "tls" => 14,
        "server" => 15,
        "auth_failed" => 16,
        "authorization" => 17,
        "internal" => 70,
        other => panic!("no such class in DESIGN.md: {other}"),
    }
}

impl JsonRun {
    /// `json[key]` as a string, or "" when absent or not a string.
    pub fn str(&self, pointer: &str) -> &str {
        self.json
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The keys every report has, with the values that do not depend on the case.
    pub fn assert_envelope(&self, command: &str) {
        let j = &self.json;
        assert_eq!(j["schema_version"], 1, "schema_version\n{}", self.dump());
        assert_eq!(
            j["tool_version"],
            env!("CARGO_PKG_VERSION"),
            "tool_version\n{}",
            self.dump()
        );
        assert_eq!(j["command"], command, "command\n{}", self.dump());
        assert!(
            j["target"]["uri"].is_string(),
            "target.uri\n{}",
            self.dump()
        );
        assert!(
            j["target"]["source"].is_string(),
            "target.source\n{}",
            self.dump()
        );
        assert_eq!(
            j["exit_code"],
            self.code,
            "JSON exit_code differs from the process's\n{}",
            self.dump()
        );
        assert!(j["steps"].is_array(), "steps\n{}", self.dump());
        assert!(j["checks"].is_array(), "checks\n{}", self.dump());
    }

    /// Exit 0, verdict ok, class ok, no diagnosis.
    pub fn assert_ok(&self) {
        assert_eq!(self.code, 0, "expected exit 0\n{}", self.dump());
        self.assert_envelope("ping");
        assert_eq!(self.json["verdict"], "ok", "verdict\n{}", self.dump());
        assert_eq!(self.json["class"], "ok", "class\n{}", self.dump());
        assert!(
            self.json["diagnosis"].is_null(),
            "diagnosis must be null when ok\n{}",
            self.dump()
        );
    }

    /// Exit code of `class`, verdict fail, `class`, `diagnosis.reason`, and a diagnosis with
    /// a summary and at least one fix.
    pub fn assert_failure(&self, class: &str, reason: &str) {
        assert_eq!(
            (self.code, self.str("/class"), self.str("/diagnosis/reason")),
            (exit_code_of(class), class, reason),
            "(exit code, class, reason)\n{}",
            self.dump()
        );
        self.assert_envelope("ping");
        assert_eq!(self.json["verdict"], "fail", "verdict\n{}", self.dump());
        assert!(
            !self.str("/diagnosis/summary").is_empty(),
            "diagnosis.summary\n{}",
            self.dump()
        );
        let fixes = self.json["diagnosis"]["fixes"].as_array();
        assert!(
            fixes
                .is_some_and(|f| !f.is_empty()
                    && f.iter().all(|x| x.as_str().is_some_and(|s| !s.is_empty()))),
            "diagnosis.fixes must be a non-empty list of strings\n{}",
            self.dump()
        );
        for key in ["causes", "evidence"] {
            assert!(
                self.json["diagnosis"][key].is_array(),
                "diagnosis.{key}\n{}",
                self.dump()
            );
        }
    }

    /// The steps of one layer.
    pub fn steps(&self, layer: &str) -> Vec<&Value> {
        self.json["steps"]
            .as_array()
            .map(|steps| steps.iter().filter(|s| s["layer"] == layer).collect())
            .unwrap_or_default()
    }

    /// Asserts the layer has at least one step and all its steps passed.
    pub fn assert_layer_passed(&self, layer: &str) {
        let steps = self.steps(layer);
        assert!(!steps.is_empty(), "no {layer} step\n{}", self.dump());
        for step in steps {
            assert_eq!(
                step["status"],
                "pass",
                "{layer} step did not pass: {step}\n{}",
                self.dump()
            );
        }
    }

    /// Every string in `diagnosis` (summary, causes, fixes, evidence), joined by newlines.
    pub fn diagnosis_text(&self) -> String {
        let mut out = Vec::new();
        collect_strings(&self.json["diagnosis"], &mut out);
        out.join("\n")
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

// ------------------------------------------------------------------ secrets

/// Percent-encodes every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Standard base64 (RFC 4648 alphabet, with `=` padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Asserts that `output` holds neither the secret, nor its percent-encoded form (upper or
/// lower-case hex), nor its standard base64 (padded or not).
pub fn assert_no_secret(output: &str, secret: &str) {
    assert!(!secret.is_empty(), "empty secret");
    let encoded = percent_encode(secret);
    let b64 = base64(secret.as_bytes());
    let forms = [
        ("as is", secret.to_owned()),
        ("percent-encoded", encoded.clone()),
        (
            "percent-encoded, lower-case hex",
            lower_hex_escapes(&encoded),
        ),
        ("base64", b64.clone()),
        (
            "base64 without padding",
            b64.trim_end_matches('=').to_owned(),
        ),
    ];
    for (what, form) in forms {
        assert!(
            !output.contains(&form),
            "the secret leaked ({what}: {form:?}) in:\n{output}"
        );
    }
}

fn lower_hex_escapes(encoded: &str) -> String {
    let mut out = String::new();
    let mut rest = encoded;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        out.push('%');
        out.push_str(&rest[i + 1..i + 3].to_ascii_lowercase());
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

// ------------------------------------------------------------------ fault listeners

/// An in-process server on 127.0.0.1, stopped (all its sockets closed) when dropped.
pub struct Server {
    pub addr: SocketAddr,
    /// The CA a client must trust (`tlsCAFile=`), for the TLS listeners.
    pub ca_file: Option<PathBuf>,
    rt: Option<Runtime>,
    dir: Option<tempfile::TempDir>,
    /// Connections held open on purpose (see [`blackhole`]).
    held: Vec<StdTcpStream>,
}

impl Server {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> String {
        format!("{LOCALHOST}:{}", self.port())
    }

    /// `mongodb://127.0.0.1:<port>/`.
    pub fn uri(&self) -> String {
        format!("mongodb://{}/", self.host())
    }

    /// `mongodb://127.0.0.1:<port>/?tls=true[&tlsCAFile=<ca>]`.
    pub fn tls_uri(&self) -> String {
        match &self.ca_file {
            Some(ca) => format!(
                "mongodb://{}/?tls=true&tlsCAFile={}",
                self.host(),
                ca.display()
            ),
            None => format!("mongodb://{}/?tls=true", self.host()),
        }
    }

    pub fn ca(&self) -> String {
        self.ca_file
            .as_ref()
            .expect("not a TLS listener")
            .display()
            .to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A TCP listener on 127.0.0.1:0 that runs `handler` on every accepted connection.
fn tcp_server<F, Fut>(handler: F) -> Server
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tcp_server_on(0, handler)
}

/// Like [`tcp_server`], on a given port (0: any free one).
fn tcp_server_on<F, Fut>(port: u16, handler: F) -> Server
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let rt = runtime();
    // Bound with std, registered under `enter`: constructors must also work inside async tests.
    let std_listener = StdTcpListener::bind((LOCALHOST, port)).expect("bind 127.0.0.1");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let addr = std_listener.local_addr().expect("local addr");
    let listener = {
        let _guard = rt.enter();
        TcpListener::from_std(std_listener).expect("register listener")
    };
    let handler = Arc::new(handler);
    rt.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(handler(stream));
        }
    });
    Server {
        addr,
        ca_file: None,
        rt: Some(rt),
        dir: None,
        held: Vec::new(),
    }
}

/// Reads until the peer closes or the connection fails.
async fn drain(stream: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
}

/// Reads one whole TLS record (the ClientHello): 5-byte header, then its length.
/// Reading it all matters: closing with unread bytes sends a RST, which can destroy
/// the alert we just wrote before the client reads it.
async fn read_tls_record(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut header = [0u8; 5];
    stream.read_exact(&mut header).await.ok()?;
    let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).await.ok()?;
    Some([header.to_vec(), body].concat())
}

/// Writes, then closes gracefully: FIN, and wait (briefly) for the peer to close.
async fn send_and_close(mut stream: TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.shutdown().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), drain(&mut stream)).await;
}

/// A port on 127.0.0.1 where nothing listens (bound, read, released).
pub fn refusing_port() -> u16 {
    let listener = StdTcpListener::bind((LOCALHOST, 0)).expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Accepts, reads, never answers, never closes.
pub fn silent() -> Server {
    tcp_server(|mut stream| async move { drain(&mut stream).await })
}

/// Reads the ClientHello, answers with a fatal TLS alert `desc`, closes.
/// `tls_alert(80)` (internal_error) is what Atlas sends to an address outside the IP access list.
pub fn tls_alert(desc: u8) -> Server {
    tcp_server(move |mut stream| async move {
        if read_tls_record(&mut stream).await.is_some() {
            send_and_close(stream, &[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, desc]).await;
        }
    })
}

/// Reads the ClientHello and closes the connection without a word (FIN, no alert).
pub fn close_after_client_hello() -> Server {
    tcp_server(|mut stream| async move {
        if read_tls_record(&mut stream).await.is_some() {
            send_and_close(stream, &[]).await;
        }
    })
}

/// An HTTP server: whatever comes in, it answers `400 Bad Request` and closes.
pub fn http() -> Server {
    tcp_server(|mut stream| async move {
        let mut buf = [0u8; 4096];
        if matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {
            let body =
                "<html><body><h1>400 Bad Request</h1>This is not a MongoDB server.</body></html>\n";
            let response = format!(
                "HTTP/1.1 400 Bad Request\r\nServer: test-http\r\nContent-Type: text/html\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            send_and_close(stream, response.as_bytes()).await;
        }
    })
}

/// An HTTP API that answers every request with `500` and the JSON error body of the
/// Atlas Administration API, its `detail` `detail_bytes` long (a flood).
pub fn http_error_flood(detail_bytes: usize) -> Server {
    let body = Arc::new(format!(
        r#"{{"error":500,"errorCode":"UNEXPECTED_ERROR","reason":"Internal Server Error","detail":"{}"}}"#,
        "E".repeat(detail_bytes)
    ));
    tcp_server(move |mut stream| {
        let body = Arc::clone(&body);
        async move {
            let mut buf = [0u8; 4096];
            if matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {
                let response = format!(
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                send_and_close(stream, response.as_bytes()).await;
            }
        }
    })
}

/// Accepts and closes at once.
pub fn close_after_accept() -> Server {
    tcp_server(|stream| async move { drop(stream) })
}

/// 256 pseudo-random bytes (fixed seed, so every run sends the same).
pub fn garbage_bytes() -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..256)
        .map(|_| {
            // xorshift64*
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes()[7]
        })
        .collect()
}

/// After accept writes 256 random bytes, then keeps reading.
pub fn garbage() -> Server {
    tcp_server(|mut stream| async move {
        let _ = stream.write_all(&garbage_bytes()).await;
        drain(&mut stream).await;
    })
}

/// A TCP connect to this port times out: a listener (backlog 0) that never accepts, with its
/// queue filled, so the kernel drops further SYNs, as a firewall that drops packets does.
pub fn blackhole() -> Server {
    let rt = runtime();
    let (listener, addr) = {
        let _guard = rt.enter();
        let socket = TcpSocket::new_v4().expect("socket");
        socket.bind(SocketAddr::from((LOCALHOST, 0))).expect("bind");
        let listener = socket.listen(0).expect("listen");
        let addr = listener.local_addr().expect("addr");
        (listener, addr)
    };
    let mut held = Vec::new();
    loop {
        match StdTcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(stream) => held.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => break,
            Err(e) => panic!("filling the blackhole's queue: {e}"),
        }
        assert!(held.len() < 64, "the accept queue never filled");
    }
    // Keep the listener alive (never accepting) for the server's lifetime.
    rt.spawn(async move {
        let _listener = listener;
        std::future::pending::<()>().await;
    });
    Server {
        addr,
        ca_file: None,
        rt: Some(rt),
        dir: None,
        held,
    }
}

/// A UDP socket that reads every datagram and never answers (a DNS server that times out).
pub fn silent_udp() -> Server {
    udp_server(0, |socket| async move {
        let mut buf = [0u8; 4096];
        while socket.recv_from(&mut buf).await.is_ok() {}
    })
}

/// A UDP server on 127.0.0.1:`port` (0: any free port) running `serve` on its socket.
pub fn udp_server<F, Fut>(port: u16, serve: F) -> Server
where
    F: FnOnce(UdpSocket) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let rt = runtime();
    let std_socket = std::net::UdpSocket::bind((LOCALHOST, port)).expect("bind udp");
    std_socket.set_nonblocking(true).expect("nonblocking");
    let addr = std_socket.local_addr().expect("addr");
    let socket = {
        let _guard = rt.enter();
        UdpSocket::from_std(std_socket).expect("register udp socket")
    };
    rt.spawn(serve(socket));
    Server {
        addr,
        ca_file: None,
        rt: Some(rt),
        dir: None,
        held: Vec::new(),
    }
}

/// A port on 127.0.0.1 closed for both UDP and TCP (a DNS server that is not there).
pub fn closed_udp_port() -> u16 {
    for _ in 0..100 {
        let udp = std::net::UdpSocket::bind((LOCALHOST, 0)).expect("bind udp");
        let port = udp.local_addr().expect("addr").port();
        if StdTcpListener::bind((LOCALHOST, port)).is_ok() {
            return port;
        }
    }
    panic!("no port free for both UDP and TCP");
}

// ------------------------------------------------------------------ TLS listeners

/// The certificate a [`tls_server`] presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// Signed by the CA in `ca_file`; SANs `localhost` and `127.0.0.1`.
    Good,
    /// Like `Good`, but valid only from 2020-01-01 to 2021-01-01.
    Expired,
    /// Like `Good`, but valid only from 2090-01-01 (a clock far behind, as seen by the client).
    NotYetValid,
    /// Signed by the CA in `ca_file`, but its only SAN is `other.invalid`.
    WrongName,
    /// Signed by a CA that is not the one in `ca_file`.
    UnknownCa,
}

/// Certificates made with rcgen for one listener.
pub struct TestPki {
    pub ca_pem: String,
    pub chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    pub key: rustls::pki_types::PrivateKeyDer<'static>,
}

fn make_ca(name: &str) -> (rcgen::CertificateParams, rcgen::KeyPair, rcgen::Certificate) {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let key = rcgen::KeyPair::generate().expect("ca key");
    let cert = params.self_signed(&key).expect("ca cert");
    (params, key, cert)
}

impl TestPki {
    pub fn new(kind: CertKind) -> TestPki {
        let (ca_params, ca_key, ca_cert) = make_ca("atlas-doctor test CA");
        let (other_params, other_key, other_cert) = make_ca("some other CA");
        let names: Vec<String> = match kind {
            CertKind::WrongName => vec!["other.invalid".into()],
            _ => vec!["localhost".into(), "127.0.0.1".into()],
        };
        let mut params = rcgen::CertificateParams::new(names).expect("leaf params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "atlas-doctor test server");
        params.is_ca = rcgen::IsCa::ExplicitNoCa;
        params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        if kind == CertKind::Expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        if kind == CertKind::NotYetValid {
            params.not_before = rcgen::date_time_ymd(2090, 1, 1);
            params.not_after = rcgen::date_time_ymd(2091, 1, 1);
        }
        let key = rcgen::KeyPair::generate().expect("leaf key");
        let (issuer, issuer_cert) = if kind == CertKind::UnknownCa {
            (rcgen::Issuer::new(other_params, other_key), other_cert)
        } else {
            (rcgen::Issuer::new(ca_params, ca_key), ca_cert.clone())
        };
        let leaf = params.signed_by(&key, &issuer).expect("sign leaf");
        TestPki {
            ca_pem: ca_cert.pem(),
            chain: vec![leaf.der().clone(), issuer_cert.der().clone()],
            key: rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        }
    }

    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .expect("server cert");
        Arc::new(config)
    }
}

/// Writes the CA into a fresh temp dir; returns (dir, path of ca.pem).
fn write_ca(pem: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ca.pem");
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(pem.as_bytes()))
        .expect("write ca.pem");
    (dir, path)
}

fn with_ca(server: Server, pki: &TestPki) -> Server {
    with_ca_pem(server, &pki.ca_pem)
}

fn with_ca_pem(mut server: Server, ca_pem: &str) -> Server {
    let (dir, path) = write_ca(ca_pem);
    server.ca_file = Some(path);
    server.dir = Some(dir);
    server
}

/// A TLS listener presenting a certificate of the given kind; `ca_file` holds the CA the
/// client should pass as `tlsCAFile=`. After a handshake it holds the connection, silent.
pub fn tls_server(kind: CertKind) -> Server {
    serve_tls_silently(&TestPki::new(kind))
}

/// Serves `pki`'s certificate chain; after a handshake it holds the connection,
/// silent. `ca_file` of the returned server holds the CA to trust.
pub fn serve_tls_silently(pki: &TestPki) -> Server {
    with_ca(accept_tls_silently(pki.server_config()), pki)
}

/// Accepts TLS with `config`; after a handshake it holds the connection, silent.
fn accept_tls_silently(config: Arc<rustls::ServerConfig>) -> Server {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tcp_server(move |stream| {
        let acceptor = acceptor.clone();
        async move {
            if let Ok(mut tls) = acceptor.accept(stream).await {
                let mut buf = [0u8; 4096];
                while matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {}
            }
        }
    })
}

/// A TLS-only server (good certificate, CA in `ca_file`) that resets the connection
/// (SO_LINGER 0, then close) when the first byte is not a TLS handshake record (0x16),
/// as a TLS-only mongod does to a plain client.
pub fn tls_only_resets_plain() -> Server {
    let pki = TestPki::new(CertKind::Good);
    let acceptor = tokio_rustls::TlsAcceptor::from(pki.server_config());
    let server = tcp_server(move |stream| {
        let acceptor = acceptor.clone();
        async move {
            let mut first = [0u8; 1];
            match stream.peek(&mut first).await {
                Ok(1) if first[0] == 0x16 => {
                    if let Ok(mut tls) = acceptor.accept(stream).await {
                        let mut buf = [0u8; 4096];
                        while matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {}
                    }
                }
                _ => {
                    let _ = stream.set_zero_linger();
                    drop(stream);
                }
            }
        }
    });
    with_ca(server, &pki)
}

// ------------------------------------------------------------------ fake mongod

const OP_REPLY: i32 = 1;
const OP_QUERY: i32 = 2004;
const OP_MSG: i32 = 2013;

/// The `hello` reply of a healthy standalone (wire version 21, MongoDB 7.0); the test's
/// document is laid over it.
pub fn default_hello() -> Document {
    doc! {
        "helloOk": true,
        "isWritablePrimary": true,
        "ismaster": true,
        "maxBsonObjectSize": 16_777_216,
        "maxMessageSizeBytes": 48_000_000,
        "maxWriteBatchSize": 100_000,
        "localTime": mongodb::bson::DateTime::now(),
        "logicalSessionTimeoutMinutes": 30,
        "connectionId": 1,
        "minWireVersion": 0,
        "maxWireVersion": 21,
        "readOnly": false,
        "ok": 1.0,
    }
}

/// A minimal MongoDB wire-protocol server (OP_MSG, and OP_QUERY for legacy `isMaster`):
/// `hello`/`isMaster`/`ismaster` get `default_hello()` overlaid with `hello`, `ping` gets
/// `{ok: 1}`, anything else `{ok: 0, code: 59, codeName: "CommandNotFound"}`.
pub fn fake_mongod(hello: Document) -> Server {
    fake_mongod_with(hello, [])
}

/// Like [`fake_mongod`], with the reply to each named command (for example `saslStart`)
/// given by the test; these win over the defaults.
pub fn fake_mongod_with<'a>(
    hello: Document,
    replies: impl IntoIterator<Item = (&'a str, Document)>,
) -> Server {
    fake_mongod_recording(hello, replies).0
}

/// Like [`fake_mongod_with`], also handing back every command the peer received
/// (the official driver's handshake included), in arrival order.
pub fn fake_mongod_recording<'a>(
    hello: Document,
    replies: impl IntoIterator<Item = (&'a str, Document)>,
) -> (Server, Arc<Mutex<Vec<Document>>>) {
    let mut hello_reply = default_hello();
    for (key, value) in hello {
        hello_reply.insert(key, value);
    }
    let mut table: HashMap<String, Document> = HashMap::new();
    for name in ["hello", "isMaster", "ismaster"] {
        table.insert(name.to_owned(), hello_reply.clone());
    }
    table.insert("ping".to_owned(), doc! {"ok": 1.0});
    for (name, reply) in replies {
        table.insert(name.to_owned(), reply);
    }
    let table = Arc::new(table);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&seen);
    let server = tcp_server(move |stream| {
        let table = Arc::clone(&table);
        let seen = Arc::clone(&seen);
        async move { serve_wire(stream, &table, &seen).await }
    });
    (server, recorded)
}

/// A reply that is never sent: the fake mongod holds the connection, silent. In a
/// [`fake_mongod_with`] table under a command's name, or under [`ANY_OTHER`].
pub fn silence() -> Document {
    doc! {"$silence": true}
}

/// The table key whose reply answers every command the table does not name.
pub const ANY_OTHER: &str = "*";

/// A peer that answers the handshake (`hello`/`isMaster`) and then goes silent:
/// every other command, `buildInfo` and `ping` included, gets no answer.
pub fn hello_then_silent() -> Server {
    fake_mongod_with(doc! {}, [(ANY_OTHER, silence())])
}

/// A peer that answers the handshake, `buildInfo` and `ping`, and then goes
/// silent: authentication and every later command get no answer.
pub fn silent_after_ping() -> Server {
    fake_mongod_with(
        doc! {},
        [
            ("buildInfo", doc! {"version": "7.0.0", "ok": 1.0}),
            (ANY_OTHER, silence()),
        ],
    )
}

/// A peer that answers everything but `ping`, which it never answers.
pub fn silent_ping() -> Server {
    fake_mongod_with(doc! {}, [("ping", silence())])
}

/// A member of replica set `rs0` that is a secondary, in a set with no primary.
pub fn secondary_without_primary() -> Server {
    fake_mongod(doc! {
        "setName": "rs0",
        "isWritablePrimary": false,
        "ismaster": false,
        "secondary": true,
    })
}

/// The reply a fake mongod gives to `command`.
fn reply_for(table: &HashMap<String, Document>, command: &Document) -> Document {
    let name = command
        .keys()
        .next()
        .map(String::as_str)
        .unwrap_or_default();
    let mut reply = table
        .get(name)
        .or_else(|| table.get(ANY_OTHER))
        .cloned()
        .unwrap_or_else(|| {
            doc! {
                "ok": 0.0,
                "errmsg": format!("no such command: '{name}'"),
                "code": 59,
                "codeName": "CommandNotFound",
            }
        });
    // Like mongod, list a user's mechanisms only when the handshake asks for them.
    if !command.contains_key("saslSupportedMechs") {
        reply.remove("saslSupportedMechs");
    }
    // A hostile server that quotes the client's SASL payload back in its error.
    if reply.remove("$echoPayload").is_some() {
        let payload = command
            .get_binary_generic("payload")
            .cloned()
            .unwrap_or_default();
        reply.insert(
            "errmsg",
            format!(
                "Authentication failed: bad payload {} (hex {})",
                base64(&payload),
                hex(&payload)
            ),
        );
    }
    reply
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// A saslStart reply that fails like mongod's and quotes the client's payload back, as
/// base64 and hex: for `authMechanism=PLAIN` that payload is `\0user\0password`.
pub fn sasl_echo_payload() -> Document {
    doc! {
        "ok": 0.0,
        "code": 18,
        "codeName": "AuthenticationFailed",
        "$echoPayload": true,
    }
}

async fn serve_wire(
    stream: TcpStream,
    table: &HashMap<String, Document>,
    seen: &Mutex<Vec<Document>>,
) {
    serve_commands(stream, |command| {
        seen.lock().expect("record").push(command.clone());
        reply_for(table, command)
    })
    .await;
}

/// Serves MongoDB's wire protocol on `stream`, answering each command with
/// `answer(command)` (a reply holding `$silence` is never sent: the connection
/// is held, silent), until the peer hangs up or sends what it does not speak.
async fn serve_commands(mut stream: TcpStream, answer: impl Fn(&Document) -> Document) {
    let mut next_id = 1i32;
    loop {
        let mut header = [0u8; 16];
        if stream.read_exact(&mut header).await.is_err() {
            return;
        }
        let field = |i: usize| i32::from_le_bytes(header[i..i + 4].try_into().expect("4 bytes"));
        let (len, request_id, op_code) = (field(0), field(4), field(12));
        let Some(body_len) = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_sub(16))
            .filter(|&l| l <= 48_000_000)
        else {
            return;
        };
        let mut body = vec![0u8; body_len];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        let reply = match op_code {
            OP_MSG => match parse_op_msg(&body) {
                Some((command, more_to_come)) => {
                    if more_to_come {
                        // Seen (and recorded) all the same; never answered.
                        let _ = answer(&command);
                        continue;
                    }
                    let reply = answer(&command);
                    if reply.contains_key("$silence") {
                        return hold_silently(stream).await;
                    }
                    op_msg(next_id, request_id, &reply)
                }
                None => return,
            },
            OP_QUERY => match parse_op_query(&body) {
                Some(command) => {
                    let reply = answer(&command);
                    if reply.contains_key("$silence") {
                        return hold_silently(stream).await;
                    }
                    op_reply(next_id, request_id, &reply)
                }
                None => return,
            },
            // OP_COMPRESSED and anything else: not supported, hang up as a confused server would.
            _ => return,
        };
        next_id += 1;
        if stream.write_all(&reply).await.is_err() {
            return;
        }
    }
}

/// Keeps the connection open, reading and discarding, never answering, until the
/// client hangs up.
async fn hold_silently(mut stream: TcpStream) {
    drain(&mut stream).await;
}

/// The command document (section kind 0) and the moreToCome flag.
fn parse_op_msg(body: &[u8]) -> Option<(Document, bool)> {
    let flags = u32::from_le_bytes(body.get(0..4)?.try_into().ok()?);
    let mut pos = 4;
    let mut command = None;
    let end = if flags & 1 == 1 {
        body.len().checked_sub(4)?
    } else {
        body.len()
    };
    while pos < end {
        let kind = body[pos];
        pos += 1;
        let size =
            usize::try_from(i32::from_le_bytes(body.get(pos..pos + 4)?.try_into().ok()?)).ok()?;
        if kind == 0 {
            command = Some(Document::from_reader(body.get(pos..pos + size)?).ok()?);
        }
        // Kind 1 (document sequence): its size field covers itself, the identifier and the documents.
        pos += size;
    }
    Some((command?, flags & 2 == 2))
}

/// The query document of an OP_QUERY on `<db>.$cmd`.
fn parse_op_query(body: &[u8]) -> Option<Document> {
    let name_end = body.get(4..)?.iter().position(|&b| b == 0)? + 4;
    let doc_start = name_end + 1 + 8;
    Document::from_reader(body.get(doc_start..)?).ok()
}

fn document_bytes(doc: &Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.to_writer(&mut bytes).expect("serialize reply");
    bytes
}

/// The 16-byte header of an OP_MSG of `payload_len` bytes after it.
fn header_for(request_id: i32, response_to: i32, payload_len: usize) -> Vec<u8> {
    let len = i32::try_from(16 + payload_len).expect("message length");
    [len, request_id, response_to, OP_MSG]
        .iter()
        .flat_map(|field| field.to_le_bytes())
        .collect()
}

fn message(request_id: i32, response_to: i32, op_code: i32, payload: &[u8]) -> Vec<u8> {
    let len = i32::try_from(16 + payload.len()).expect("message length");
    let mut out = Vec::with_capacity(16 + payload.len());
    for field in [len, request_id, response_to, op_code] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    out.extend_from_slice(payload);
    out
}

fn op_msg(request_id: i32, response_to: i32, reply: &Document) -> Vec<u8> {
    let mut payload = 0u32.to_le_bytes().to_vec();
    payload.push(0);
    payload.extend_from_slice(&document_bytes(reply));
    message(request_id, response_to, OP_MSG, &payload)
}

fn op_reply(request_id: i32, response_to: i32, reply: &Document) -> Vec<u8> {
    let mut payload = Vec::new();
    payload.extend_from_slice(&8i32.to_le_bytes()); // responseFlags: AwaitCapable
    payload.extend_from_slice(&0i64.to_le_bytes()); // cursorID
    payload.extend_from_slice(&0i32.to_le_bytes()); // startingFrom
    payload.extend_from_slice(&1i32.to_le_bytes()); // numberReturned
    payload.extend_from_slice(&document_bytes(reply));
    message(request_id, response_to, OP_REPLY, &payload)
}

/// The Atlas reply to a `saslStart` with a wrong password or unknown user.
pub fn atlas_bad_auth() -> Document {
    doc! {
        "ok": 0.0,
        "errmsg": "bad auth : authentication failed",
        "code": 8000,
        "codeName": "AtlasError",
    }
}

/// `127.0.0.1:<port>` as a socket address.
pub fn local(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(LOCALHOST, port))
}

/// The collections of the sample application's database, one a line in
/// tests/fixtures/from_code/database.txt.
pub fn sample_collections() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/from_code/database.txt"
    );
    std::fs::read_to_string(path)
        .expect("tests/fixtures/from_code/database.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(ToString::to_string)
        .collect()
}

/// Creates the sample application's collections in `database` on the bed's
/// plain server (idempotent).
pub fn create_sample_database(bed: &Bed, database: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let uri = format!("{}?directConnection=true", bed.plain_uri());
        let client = mongodb::Client::with_uri_str(&uri).await.expect("a client");
        let db = client.database(database);
        let have = db.list_collection_names().await.expect("list collections");
        for name in sample_collections() {
            if !have.contains(&name) {
                db.create_collection(&name)
                    .await
                    .expect("create a collection");
            }
        }
    });
}
