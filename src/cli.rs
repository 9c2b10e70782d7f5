//! Raw command-line flags (clap derive). Resolution into `Settings` lives in `config`.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `--help`'s closing text: the exit codes (from their one table) and where the target comes from.
fn exit_codes_help() -> String {
    let mut help = String::from("Exit codes:\n");
    for (code, name, meaning) in crate::model::exit::TABLE {
        let _ = writeln!(help, "{code:>4}  {name:<15}  {meaning}");
    }
    help.push_str(
        "\nTarget: --uri, else $MONGODB_URI, else the config file, else mongodb://localhost:27017.\n\
         Every global option can also be set with an ATLAS_DOCTOR_* variable (ATLAS_DOCTOR_TIMEOUT=10).",
    );
    help
}

/// `--help` headings of the global options: what they are for, so that a
/// command's own options stand apart.
const CONNECTION: &str = "Connection options";
const ATLAS_API: &str = "Atlas API options";
const OUTPUT: &str = "Output options";

/// The global options each command that runs offline still reads (the rest
/// are hidden from its `--help`: `explain` reads no target, `completions` and
/// `man` print about atlas-doctor itself).
const OFFLINE_OPTIONS: &[(&str, &[&str])] = &[
    ("explain", &["format", "report_file", "color"]),
    ("completions", &[]),
    ("man", &[]),
];

/// The command line as clap parses it, for `main`, the man page and the
/// completions: the derive's, built, with the global options an offline
/// command never reads hidden from its help.
pub fn command() -> clap::Command {
    use clap::CommandFactory as _;
    let mut command = Cli::command();
    // Built first: the global options are copied into each command only then.
    command.build();
    for (name, reads) in OFFLINE_OPTIONS {
        command = command.mut_subcommand(*name, |sub| {
            sub.mut_args(|arg| {
                if arg.is_global_set() && !reads.contains(&arg.get_id().as_str()) {
                    arg.hide(true)
                } else {
                    arg
                }
            })
        });
    }
    command
}

/// Find the broken layer of a MongoDB or Atlas connection, say why, and what to do.
#[derive(Debug, Parser)]
#[command(name = "atlas-doctor", version, about, after_help = exit_codes_help())]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the command name.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Connection string to diagnose (mongodb:// or mongodb+srv://). Prefer $MONGODB_URI: a password on the command line lands in shell history.
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_URI",
        hide_env_values = true,
        value_name = "URI"
    )]
    pub uri: Option<String>,

    /// Use the named [profiles.NAME] section of the config file (`watch` takes several).
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_PROFILE",
        hide_env_values = true,
        value_name = "NAME",
        action = clap::ArgAction::Append
    )]
    pub profile: Vec<String>,

    /// Config file to read instead of ./atlas-doctor.toml or the user config dir.
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_CONFIG",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub config: Option<PathBuf>,

    /// Report format: human for people, json for scripts, markdown for tickets, junit for CI.
    #[arg(help_heading = OUTPUT, long, global = true, env = "ATLAS_DOCTOR_FORMAT", hide_env_values = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also write the report to PATH, in the format its extension names: .json, .xml (JUnit), .md, .sarif (checklist's credential scan). Repeatable; stdout keeps --format.
    #[arg(
        help_heading = OUTPUT,
        long,
        global = true,
        env = "ATLAS_DOCTOR_REPORT_FILE",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub report_file: Vec<PathBuf>,

    /// When to colour human output (also NO_COLOR and TERM=dumb turn it off).
    #[arg(help_heading = OUTPUT, long, global = true, env = "ATLAS_DOCTOR_COLOR", hide_env_values = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Deadline per layer in seconds (fractions allowed); the whole run takes about one deadline per layer.
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_TIMEOUT",
        hide_env_values = true,
        value_name = "SECS",
        // So `--timeout -1` reaches the range check and its message, not "unexpected argument".
        allow_negative_numbers = true,
        value_parser = timeout_secs
    )]
    pub timeout: Option<f64>,

    /// DNS resolver to use instead of the system's, as IP or IP:PORT.
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_DNS_SERVER",
        hide_env_values = true,
        value_name = "IP[:PORT]",
        value_parser = parse_resolver
    )]
    pub dns_server: Option<SocketAddr>,

    /// A second resolver to retry failed lookups with, to tell a broken local resolver from a broken name. Never contacted unless given.
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_DNS_FALLBACK",
        hide_env_values = true,
        value_name = "IP[:PORT]",
        value_parser = parse_resolver
    )]
    pub dns_fallback: Option<SocketAddr>,

    /// Treat the hosts as Atlas hosts even when they are not under mongodb.net.
    #[arg(
        help_heading = CONNECTION,
        long,
        global = true,
        env = "ATLAS_DOCTOR_ATLAS",
        hide_env_values = true
    )]
    pub atlas: bool,

    /// Cross-check with the Atlas Administration API (read-only): IP access list, cluster state, database user. Credentials: MONGODB_ATLAS_CLIENT_ID/_CLIENT_SECRET, MONGODB_ATLAS_PUBLIC_API_KEY/_PRIVATE_API_KEY, or --atlas-profile.
    #[arg(
        help_heading = ATLAS_API,
        long,
        global = true,
        env = "ATLAS_DOCTOR_ATLAS_API",
        hide_env_values = true
    )]
    pub atlas_api: bool,

    /// Atlas project id for --atlas-api (else MONGODB_ATLAS_PROJECT_ID, else the profile's).
    #[arg(
        help_heading = ATLAS_API,
        long,
        global = true,
        env = "ATLAS_DOCTOR_ATLAS_PROJECT",
        hide_env_values = true,
        value_name = "ID",
        value_parser = parse_atlas_project,
    )]
    pub atlas_project: Option<String>,

    /// Cluster for --atlas-api to check (default: the one whose connection strings name the URI's hosts).
    #[arg(
        help_heading = ATLAS_API,
        long,
        global = true,
        env = "ATLAS_DOCTOR_ATLAS_CLUSTER",
        hide_env_values = true,
        value_name = "NAME",
        value_parser = parse_atlas_cluster,
    )]
    pub atlas_cluster: Option<String>,

    /// Atlas CLI profile whose credentials --atlas-api uses (from the Atlas CLI's config.toml).
    #[arg(
        help_heading = ATLAS_API,
        long,
        global = true,
        env = "ATLAS_DOCTOR_ATLAS_PROFILE",
        hide_env_values = true,
        value_name = "NAME"
    )]
    pub atlas_profile: Option<String>,

    /// Address for --atlas-api to look up in the IP access list: an IP, or auto (this machine as the Atlas API sees it; the default).
    #[arg(
        help_heading = ATLAS_API,
        long,
        global = true,
        env = "ATLAS_DOCTOR_EGRESS_IP",
        hide_env_values = true,
        value_name = "IP|auto",
        value_parser = parse_egress_ip,
    )]
    pub egress_ip: Option<String>,

    /// Print only the verdict line (human format) and no progress.
    #[arg(
        help_heading = OUTPUT,
        long,
        short,
        global = true,
        env = "ATLAS_DOCTOR_QUIET",
        hide_env_values = true,
        conflicts_with = "verbose"
    )]
    pub quiet: bool,

    /// Print every step with its detail, including passing ones.
    #[arg(
        help_heading = OUTPUT,
        long,
        short,
        global = true,
        env = "ATLAS_DOCTOR_VERBOSE",
        hide_env_values = true
    )]
    pub verbose: bool,
}

/// The commands; each runs the layers of the one before it, then its own.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check connectivity: connection string, DNS, TCP, TLS and the MongoDB handshake.
    #[command(after_help = PING_EXAMPLES)]
    Ping(PingArgs),
    /// Everything ping does, then authenticate and show who the server thinks you are.
    #[command(after_help = AUTH_CHECK_EXAMPLES)]
    AuthCheck,
    /// Everything auth-check does, then list databases and collections; missing expected ones fail.
    #[command(after_help = COLLECTIONS_EXAMPLES)]
    Collections(CollectionsArgs),
    /// Run the security and testing checklists; exit 1 when an item fails.
    #[command(after_help = CHECKLIST_EXAMPLES)]
    Checklist(ChecklistArgs),
    /// Classify an error message from any driver's log (offline). TEXT, or stdin when absent or "-".
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    #[command(after_help = MAN_EXAMPLES)]
    Man,
    /// Probe again and again: per-layer success share, round trips, and events as they happen (intermittent failures).
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),
}

// Each command's examples, in `--help` and in the man page's EXAMPLES (which
// reads them from here); tests/help.rs parses every line that starts with
// `atlas-doctor` with this very command line.
const PING_EXAMPLES: &str = "\
Examples:
  atlas-doctor ping                       # the target in $MONGODB_URI
  atlas-doctor ping --count 5             # and min/avg/max of 5 MongoDB pings
  atlas-doctor --uri mongodb://127.0.0.1:27017/ ping --format json
  atlas-doctor ping --dns-server 192.168.1.1 --dns-fallback 1.1.1.1
  atlas-doctor ping --atlas-api           # cross-check with the Atlas API";

const AUTH_CHECK_EXAMPLES: &str = "\
Examples:
  export MONGODB_URI='mongodb+srv://app:<password>@cluster0.ab1cd.mongodb.net/'
  atlas-doctor auth-check
  atlas-doctor auth-check --verbose       # the SASL steps too (no secrets)
  atlas-doctor auth-check --profile staging";

const COLLECTIONS_EXAMPLES: &str = "\
Examples:
  atlas-doctor collections --db app
  atlas-doctor collections --expect users,orders    # exit 1 when one is missing
  atlas-doctor collections --from-code src/         # the ones the code uses";

const CHECKLIST_EXAMPLES: &str = "\
Examples:
  atlas-doctor checklist                  # scans this git work tree too
  atlas-doctor checklist --scan src --scan scripts --crud
  atlas-doctor checklist --format junit --report-file atlas-doctor.sarif
  atlas-doctor checklist --fail-on warn   # warnings fail the run too";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  atlas-doctor explain \"MongoServerError: bad auth : authentication failed\"
  atlas-doctor explain < app.log
  kubectl logs deploy/api | atlas-doctor explain
  atlas-doctor explain --format markdown --report-file ticket.md < app.log";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  source <(atlas-doctor completions bash)          # in ~/.bashrc
  atlas-doctor completions zsh > \"${fpath[1]}/_atlas-doctor\"
  atlas-doctor completions fish > ~/.config/fish/completions/atlas-doctor.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  atlas-doctor man | man -l -
  atlas-doctor man > /usr/local/share/man/man1/atlas-doctor.1";

const WATCH_HELP: &str = "\
Example:
  atlas-doctor watch --interval 5s --for 1h --metrics-file atlas.prom

Each round runs the layers to --depth on fresh connections (one deadline per layer) and
pings over one kept connection, which sees drops of long-lived connections that fresh
ones do not. Events: failing, recovered, primary_changed, no_primary, dns_changed,
certificate_changed, egress_ip_changed (with --atlas-api). Ctrl-C ends the current round
and prints the summary. Exit 0 when every round passed, else the exit code of the class
that failed most often.";

/// Options of `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Time from one round's start to the next (10s, 500ms, 2m); a slow round delays the next, rounds never overlap.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    pub interval: std::time::Duration,

    /// Stop after N rounds.
    #[arg(long, value_name = "N", conflicts_with = "for_", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Stop after DURATION (30s, 15m, 2h); no round starts after it.
    #[arg(long = "for", value_name = "DURATION", value_parser = duration)]
    pub for_: Option<std::time::Duration>,

    /// How deep each round goes: ping (dns, tcp, tls, hello) or auth-check (and authentication).
    #[arg(long, value_enum, default_value_t = WatchDepth::Ping, value_name = "DEPTH")]
    pub depth: WatchDepth,

    /// Rewrite PATH each round with Prometheus metrics (node_exporter's textfile collector).
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,

    /// Watch every [profiles.NAME] of the config file at once, one group of rows each.
    #[arg(long)]
    pub all_profiles: bool,
}

/// How deep each `watch` round goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchDepth {
    /// uri, dns, tcp, tls, hello: what `ping` runs.
    Ping,
    /// ... and authentication, as `auth-check` runs.
    AuthCheck,
}

/// A duration flag: a number with a unit (ms, s, m, h); a bare number is seconds.
pub fn duration(raw: &str) -> Result<std::time::Duration, String> {
    let raw = raw.trim();
    let split = raw
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| "expected a duration such as 10s, 500ms, 2m or 1h".to_string())?;
    let secs = match unit.trim() {
        "ms" => number / 1000.0,
        "" | "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        other => return Err(format!("unknown unit {other:?}: use ms, s, m or h")),
    };
    if !(0.01..=7.0 * 86_400.0 * 52.0).contains(&secs) {
        return Err("expected a duration from 10ms to a year".to_string());
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// Options of `ping`.
#[derive(Debug, Args)]
pub struct PingArgs {
    /// Repeat the MongoDB ping command N times and report min/avg/max round-trip time
    /// (without it, the handshake's round trip is reported and no ping is sent).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: Option<u32>,
}

/// Options of `collections`.
#[derive(Debug, Args)]
pub struct CollectionsArgs {
    /// Database to list (default: `database` in the config, else the URI's path).
    #[arg(long, value_name = "NAME")]
    pub db: Option<String>,

    /// Collections that must exist, comma separated (adds to `expected-collections`).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub expect: Vec<String>,

    /// Check the collections the application's source under PATH uses against the database (repeatable).
    #[arg(long, value_name = "PATH", value_parser = existing_path)]
    pub from_code: Vec<PathBuf>,
}

/// Options of `checklist`.
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    /// Run the CRUD round-trip in a scratch collection that is always dropped.
    #[arg(long)]
    pub crud: bool,

    /// Scan files under PATH for connection strings with embedded passwords (repeatable). Without it, the current directory is scanned when it is inside a git work tree (else the item is skipped).
    #[arg(long, value_name = "PATH", value_parser = existing_path)]
    pub scan: Vec<PathBuf>,

    /// Let --scan descend into other filesystems mounted under PATH (it stays on PATH's own by default).
    #[arg(long, requires = "scan")]
    pub scan_all_filesystems: bool,

    /// Database to check (default: `database` in the config, else the URI's path).
    #[arg(long, value_name = "NAME")]
    pub db: Option<String>,

    /// Collections that must exist, comma separated (adds to `expected-collections`).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub expect: Vec<String>,

    /// Check the collections the application's source under PATH uses against the database (repeatable).
    #[arg(long, value_name = "PATH", value_parser = existing_path)]
    pub from_code: Vec<PathBuf>,

    /// Fail the run on warnings too, not only on failures.
    #[arg(long, value_enum, default_value_t = FailOn::Fail, value_name = "LEVEL")]
    pub fail_on: FailOn,
}

/// Options of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The error text; omit it or pass "-" to read stdin.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

impl Cli {
    /// Combinations clap cannot express: a usage error (exit 2) before anything runs.
    pub fn validate(&self) -> Result<(), clap::Error> {
        use clap::CommandFactory as _;
        if matches!(self.command, Command::Explain(_)) && self.global.format == Format::Junit {
            return Err(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "explain has no JUnit form: use --format human, json or markdown",
            ));
        }
        if self.global.profile.len() > 1 && !matches!(self.command, Command::Watch(_)) {
            return Err(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "only watch takes several --profile: other commands check one target",
            ));
        }
        if let Command::Watch(args) = &self.command {
            let refused = if matches!(self.global.format, Format::Markdown | Format::Junit) {
                Some("watch prints human lines or JSON lines: use --format human or json")
            } else if !self.global.report_file.is_empty() {
                Some("watch has no --report-file: use --metrics-file, or redirect its JSON lines")
            } else if args.all_profiles && !self.global.profile.is_empty() {
                Some("--all-profiles and --profile: give one or the other")
            } else {
                None
            };
            if let Some(message) = refused {
                return Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message));
            }
        }
        // Checked here, not by clap's `requires`: clap checks that per level of the
        // command line, so `--atlas-api ping --atlas-cluster X` (or the profile
        // before the command and `--atlas-api` after it) was refused.
        if !self.global.atlas_api {
            let g = &self.global;
            let given = [
                (g.atlas_project.is_some(), "--atlas-project"),
                (g.atlas_cluster.is_some(), "--atlas-cluster"),
                (g.atlas_profile.is_some(), "--atlas-profile"),
                (g.egress_ip.is_some(), "--egress-ip"),
            ];
            if let Some((_, flag)) = given.iter().find(|(set, _)| *set) {
                return Err(Cli::command().error(
                    clap::error::ErrorKind::MissingRequiredArgument,
                    format!(
                        "{flag} is for the Atlas Administration API cross-check: add --atlas-api"
                    ),
                ));
            }
        }
        for path in &self.global.report_file {
            crate::output::check(path, self.command.name()).map_err(|e| {
                Cli::command().error(clap::error::ErrorKind::InvalidValue, e.to_string())
            })?;
        }
        Ok(())
    }
}

/// clap's error message, safe to print, with a hint when a connection string was
/// given where no value belongs. clap quotes the offending argument, and the
/// likeliest mistake (`atlas-doctor ping 'mongodb+srv://app:PASSWORD@...'`) would
/// print the password: every argument that may hold a connection string is
/// shown only redacted, and the whole text goes through the free-text redaction.
///
/// `empty_vars` are the `ATLAS_DOCTOR_*` variables set but empty: clap reads
/// them as flags and then names only the flag ("a value is required for
/// '--config'"), so each gets a hint naming the variable.
pub fn usage_error_text<S: AsRef<str>>(
    error: &clap::Error,
    args: &[S],
    empty_vars: &[String],
) -> String {
    let mut text = error.render().to_string();
    let mut pasted_uri = false;
    for arg in args.iter().map(AsRef::as_ref) {
        if !may_hold_credentials(arg) {
            continue;
        }
        pasted_uri |= !arg.starts_with('-');
        let shown = crate::uri::redact_raw(arg);
        if shown != arg {
            text = text.replace(arg, &shown);
        }
    }
    let mut text = crate::redact::redact_text(&text);
    let misplaced = matches!(
        error.kind(),
        clap::error::ErrorKind::UnknownArgument | clap::error::ErrorKind::InvalidSubcommand
    );
    for var in empty_vars {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let _ = writeln!(
            text,
            "hint: {var} is set but empty; unset it or give it a value"
        );
    }
    if pasted_uri && misplaced {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(
            "hint: the connection string goes in MONGODB_URI (export MONGODB_URI='mongodb+srv://...') or after --uri, not as a bare argument\n",
        );
    }
    text
}

/// An argument that may be (or contain) a connection string or credentials:
/// a scheme, `user:password@host`, or the scheme word itself.
fn may_hold_credentials(arg: &str) -> bool {
    arg.contains("://") || arg.contains('@') || arg.to_ascii_lowercase().contains("mongodb")
}

/// `--scan PATH`: a path that exists. A typo (`--scan ./srcc`) would scan
/// nothing and pass the credentials item: it is a usage error instead.
fn existing_path(raw: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(raw);
    match std::fs::symlink_metadata(&path) {
        Ok(_) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err("no such file or directory".to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `--timeout`: a number of seconds in the range `config` allows, refused at parse
/// time so that a bad flag is a usage error naming the flag, not a broken config file.
fn timeout_secs(raw: &str) -> Result<f64, String> {
    let secs: f64 = raw
        .trim()
        .parse()
        .map_err(|_| "expected a number of seconds, e.g. 5 or 0.5".to_string())?;
    timeout_from_secs(secs)?;
    Ok(secs)
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Junit,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What makes `checklist` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only failed items.
    Fail,
    /// Failed items and warnings.
    Warn,
}

impl Command {
    /// The subcommand as typed (`auth-check`): reports and report files name it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Ping(_) => "ping",
            Command::AuthCheck => "auth-check",
            Command::Collections(_) => "collections",
            Command::Checklist(_) => "checklist",
            Command::Explain(_) => "explain",
            Command::Completions(_) => "completions",
            Command::Man => "man",
            Command::Watch(_) => "watch",
        }
    }
}

/// The per-layer deadline from seconds: more than 0, at most an hour. The one
/// range check for `--timeout` (clap calls it) and `timeout-secs`.
pub fn timeout_from_secs(secs: f64) -> Result<std::time::Duration, String> {
    if !secs.is_finite() || secs <= 0.0 || secs > 3600.0 {
        return Err(format!(
            "must be more than 0 and at most 3600 seconds, not {secs}"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`; port 53 by default.
pub fn parse_resolver(raw: &str) -> Result<SocketAddr, String> {
    let raw = raw.trim();
    if let Ok(addr) = raw.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if let Ok(ip) = raw
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
    {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err("expected an IP address with an optional port, e.g. 1.1.1.1 or 127.0.0.1:5353".to_string())
}

/// `--atlas-project`: checked when parsed, so a malformed id is a usage error.
pub fn parse_atlas_project(raw: &str) -> Result<String, String> {
    crate::model::atlas::check_project_id(raw.trim()).map(|()| raw.trim().to_string())
}

/// `--atlas-cluster`: checked when parsed, so a malformed name is a usage error.
pub fn parse_atlas_cluster(raw: &str) -> Result<String, String> {
    crate::model::atlas::check_cluster_name(raw).map(|()| raw.to_string())
}

/// `--egress-ip`: an IP or `auto`, checked when parsed (a usage error otherwise).
pub fn parse_egress_ip(raw: &str) -> Result<String, String> {
    crate::model::atlas::egress(raw).map(|_| raw.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_after_the_command_too() {
        let cli = Cli::try_parse_from([
            "atlas-doctor",
            "ping",
            "--format",
            "json",
            "--timeout",
            "1.5",
        ])
        .unwrap();
        assert_eq!(cli.global.format, Format::Json);
        assert_eq!(cli.global.timeout, Some(1.5));
    }

    /// Issue 20 item 4 made the Atlas flags require `--atlas-api` through clap, which
    /// checks per level of the command line: `--atlas-api ping --atlas-cluster X` and
    /// `--atlas-profile P ping --atlas-api` were usage errors (exit 2).
    #[test]
    fn r20_4_atlas_flags_need_atlas_api_wherever_it_is_given() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(["atlas-doctor"].iter().chain(args)).and_then(|cli| cli.validate())
        };
        for args in [
            &["--atlas-api", "ping", "--atlas-cluster", "Cluster0"][..],
            &["--atlas-profile", "default", "ping", "--atlas-api"],
            &["--egress-ip", "192.0.2.1", "checklist", "--atlas-api"],
            &[
                "ping",
                "--atlas-project",
                "65f0c0ffee43f8b8fa4d7b14",
                "--atlas-api",
            ],
        ] {
            assert!(parse(args).is_ok(), "{args:?}: {:?}", parse(args).err());
        }
        for (args, flag) in [
            (
                &["ping", "--atlas-cluster", "Cluster0"][..],
                "--atlas-cluster",
            ),
            (&["--atlas-profile", "default", "ping"], "--atlas-profile"),
            (&["ping", "--egress-ip", "192.0.2.1"], "--egress-ip"),
        ] {
            let err = parse(args).expect_err("needs --atlas-api");
            assert_eq!(err.exit_code(), 2, "{args:?}");
            let text = err.to_string();
            assert!(
                text.contains(flag) && text.contains("--atlas-api"),
                "{args:?}: {text}"
            );
        }
    }

    #[test]
    fn expect_splits_on_commas() {
        let cli = Cli::try_parse_from([
            "atlas-doctor",
            "collections",
            "--expect",
            "a,b",
            "--expect",
            "c",
        ])
        .unwrap();
        let Command::Collections(args) = cli.command else {
            panic!("not collections")
        };
        assert_eq!(args.expect, ["a", "b", "c"]);
    }

    #[test]
    fn explain_as_junit_is_a_usage_error() {
        let cli =
            Cli::try_parse_from(["atlas-doctor", "explain", "--format", "junit", "x"]).unwrap();
        assert_eq!(cli.validate().unwrap_err().exit_code(), 2);
        let cli =
            Cli::try_parse_from(["atlas-doctor", "explain", "--format", "json", "x"]).unwrap();
        assert!(cli.validate().is_ok());
    }

    #[test]
    fn count_zero_is_a_usage_error() {
        let err = Cli::try_parse_from(["atlas-doctor", "ping", "--count", "0"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }
}
