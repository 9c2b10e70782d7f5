//! Exit-code constants: the contract CI jobs gate on (see README, `--help`).

/// Everything asked for works (warnings allowed); `explain` produced a diagnosis.
pub const OK: u8 = 0;
/// Reachable and authenticated, but checklist items or expected collections failed.
pub const CHECKS_FAILED: u8 = 1;
/// Command-line usage error (clap's own).
pub const USAGE: u8 = 2;
/// Connection string or config file malformed or missing a value; nothing was probed.
pub const CONFIG_INVALID: u8 = 3;
/// SRV, TXT or host lookup failed.
pub const DNS: u8 = 10;
/// The host answered but nothing listens on the port.
pub const TCP_REFUSED: u8 = 11;
/// No answer in time: firewall, blocked egress port, or an IP access list.
pub const NETWORK_TIMEOUT: u8 = 12;
/// Positive evidence that the client's address is not on the Atlas IP access list.
pub const IP_ACCESS_LIST: u8 = 13;
/// Untrusted, expired or misnamed certificate, protocol mismatch, TLS/plain mix-up.
pub const TLS: u8 = 14;
/// Reached something that is not a usable MongoDB deployment.
pub const SERVER: u8 = 15;
/// Credentials rejected, unsupported mechanism, wrong authSource.
pub const AUTH_FAILED: u8 = 16;
/// Authenticated but not allowed.
pub const AUTHORIZATION: u8 = 17;
/// Stopped by Ctrl-C (128 + SIGINT), after cleaning up.
pub const INTERRUPTED: u8 = 130;
/// Stopped by SIGTERM (128 + 15), after cleaning up.
pub const TERMINATED: u8 = 143;
/// Stopped by SIGHUP (128 + 1), after cleaning up.
pub const HANGUP: u8 = 129;
/// atlas-doctor itself failed.
pub const INTERNAL: u8 = 70;

/// Every exit code with its name and what it means in a few words, in order:
/// the one table `--help` prints (the README and DESIGN.md say the same).
pub const TABLE: &[(u8, &str, &str)] = &[
    (OK, "ok", "everything asked for works (warnings allowed)"),
    (
        CHECKS_FAILED,
        "checks_failed",
        "reachable and authenticated, but checks or expected collections failed",
    ),
    (USAGE, "usage", "command-line usage error"),
    (
        CONFIG_INVALID,
        "config_invalid",
        "connection string or config file malformed; nothing was probed",
    ),
    (DNS, "dns", "SRV, TXT or host lookup failed"),
    (
        TCP_REFUSED,
        "tcp_refused",
        "the host answered but nothing listens on the port",
    ),
    (
        NETWORK_TIMEOUT,
        "network_timeout",
        "no answer in time (firewall, blocked port, access list)",
    ),
    (
        IP_ACCESS_LIST,
        "ip_access_list",
        "evidence that this address is not on the Atlas IP access list",
    ),
    (
        TLS,
        "tls",
        "untrusted, expired or misnamed certificate; TLS/plain mix-up",
    ),
    (
        SERVER,
        "server",
        "not a usable MongoDB deployment (not MongoDB, wire version, set name)",
    ),
    (AUTH_FAILED, "auth_failed", "credentials rejected"),
    (
        AUTHORIZATION,
        "authorization",
        "authenticated but not allowed",
    ),
    (INTERNAL, "internal", "atlas-doctor itself failed"),
    (
        HANGUP,
        "interrupted",
        "SIGHUP, at any point (after the CRUD check's scratch collection was dropped)",
    ),
    (
        INTERRUPTED,
        "interrupted",
        "Ctrl-C (SIGINT), at any point (likewise)",
    ),
    (
        TERMINATED,
        "interrupted",
        "SIGTERM, at any point (likewise)",
    ),
];
