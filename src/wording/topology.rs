//! The drivers' server-selection dumps read as structure: PyMongo's `Topology
//! Description`, Node's `TopologyDescription`, Java's and C#'s `ClusterDescription`
//! (`Client view of cluster state is ...`) and Go's `current topology`, each
//! split into its servers, with each server's state (type) and last error.
//!
//! A dump whose reachable servers all answered as non-primary members says
//! that there was no primary (the others' errors say why they were down). Else
//! a dump that holds per-server errors reads as them: the reading of the
//! servers' errors (the commonest, the first of equals), at its own tier and
//! ahead of the other readings of that tier, so a summary wrapped around a
//! dump is never "the per-server error is not in the text".

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::reading::{Reading, Tier, compile};
use crate::model::finding::Finding;

/// One server of a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub address: String,
    /// The type the driver gave it (`Unknown`, `RSSecondary`, `REPLICA_SET_OTHER`).
    pub kind: String,
    /// Where its last error is in the text, when it has one.
    pub error: Option<Range<usize>>,
    /// The whole entry, address included (the address is context for its
    /// error: an Atlas host, a private address).
    pub entry: Range<usize>,
}

/// Where a server entry starts, per driver, with its address and type; the
/// entry runs to the next entry's start (or the dump's end). The error marker
/// is looked for inside the entry.
struct Format {
    entry: Regex,
    error: Regex,
}

static FORMATS: LazyLock<Vec<Format>> = LazyLock::new(|| {
    [
        // PyMongo: <ServerDescription ('h', 27017) server_type: Unknown, rtt: None, error=NetworkTimeout('h:27017: timed out')>
        (
            r"<ServerDescription \('(?P<address>[^']+)', (?P<port>\d+)\) server_type: (?P<kind>\w+)",
            r"\berror=",
        ),
        // Node: ServerDescription { address: 'h:27017', type: 'Unknown', ... error: MongoNetworkError: ...
        (
            r"ServerDescription \{\s*address: '(?P<address>[^']+)',\s*type: '(?P<kind>\w+)'",
            r"\berror: ",
        ),
        // Java: {address=h:27017, type=UNKNOWN, state=CONNECTING, exception={...}, caused by {...}}
        (
            r"\{address=(?P<address>[^,\s}]+), (?:[a-z]+=[^,]*, )?type=(?P<kind>\w+)",
            r"\bexception=\{",
        ),
        // Go: { Addr: h:27017, Type: Unknown, Last error: dial tcp ...: i/o timeout }
        (
            r"\{\s*Addr: (?P<address>[^,\s]+), Type: (?P<kind>\w+)",
            r"\bLast error: ",
        ),
        // C#: { ServerId: "...", EndPoint: "Unspecified/h:27017", ..., Type: "Unknown", HeartbeatException: "..."
        (
            r#"EndPoint: "(?:Unspecified/)?(?P<address>[^"]+)",(?:\s*\w+: (?:"[^"]*"|[^,]*),){0,8}?\s*Type: "(?P<kind>\w+)""#,
            r"\bHeartbeatException: ",
        ),
        // Rust: Servers: [ { Address: h:27017, Type: Unknown, Error: ... } ]
        (
            r"\{\s*Address: (?P<address>[^,\s]+), Type: (?P<kind>\w+)",
            r"\bError: ",
        ),
    ]
    .into_iter()
    .map(|(entry, error)| Format {
        entry: compile(entry),
        error: compile(error),
    })
    .collect()
});

/// The servers of the dump in `text`, in the order they appear (the first
/// format that finds any decides).
pub fn servers(text: &str) -> Vec<Server> {
    for format in FORMATS.iter() {
        let starts: Vec<regex::Captures<'_>> = format.entry.captures_iter(text).collect();
        if starts.is_empty() {
            continue;
        }
        let mut out = Vec::new();
        for (i, caps) in starts.iter().enumerate() {
            let whole = caps.get(0).map_or(0..0, |m| m.range());
            let end = starts
                .get(i + 1)
                .and_then(|c| c.get(0))
                .map_or(text.len(), |m| m.start());
            let entry = whole.start..end;
            let address = match (caps.name("address"), caps.name("port")) {
                (Some(a), Some(p)) => format!("{}:{}", a.as_str(), p.as_str()),
                (Some(a), None) => a.as_str().to_string(),
                _ => continue,
            };
            let kind = caps.name("kind").map_or("", |m| m.as_str()).to_string();
            let error = format
                .error
                .find(&text[whole.end..end])
                .map(|m| whole.end + m.end()..end)
                .filter(|r| !r.is_empty());
            out.push(Server {
                address,
                kind,
                error,
                entry,
            });
        }
        return out;
    }
    Vec::new()
}

/// Types that mean a member answered but cannot take a primary's work.
fn non_primary(kind: &str) -> bool {
    let k = kind.to_ascii_lowercase().replace('_', "");
    [
        "rssecondary",
        "replicasetsecondary",
        "secondary",
        "rsarbiter",
        "replicasetarbiter",
        "rsother",
        "replicasetother",
        "rsghost",
        "replicasetghost",
    ]
    .contains(&k.as_str())
}

fn primary_or_router(kind: &str) -> bool {
    let k = kind.to_ascii_lowercase().replace('_', "");
    [
        "rsprimary",
        "replicasetprimary",
        "primary",
        "mongos",
        "shardrouter",
        "standalone",
        "loadbalancer",
        "loadbalanced",
    ]
    .contains(&k.as_str())
}

/// The reading of the dump in `text`: its servers' errors, or their states.
/// `read_entry` reads one server's entry as a text of its own (the caller's rules,
/// tables and numbers, without summaries or guesses).
pub fn reading(text: &str, read_entry: impl Fn(&str) -> Option<Reading>) -> Option<Reading> {
    let servers = servers(text);
    if servers.is_empty() {
        return None;
    }
    // Each server's error, read as a text of its own; a summary (wrapper) or a
    // guess says nothing about that server.
    let mut read: Vec<(&Server, Reading)> = Vec::new();
    for server in &servers {
        let Some(error) = server.error.clone() else {
            continue;
        };
        let range = server.entry.clone();
        let part = &text[range.clone()];
        let named = || {
            exception_name(&text[error.clone()]).map(|mut r| {
                let shift = error.start - range.start;
                r.at = r.at.start + shift..r.at.end + shift;
                r
            })
        };
        if let Some(mut r) = read_entry(part).or_else(named) {
            r.at = range.start + r.at.start..range.start + r.at.end;
            r.also_at = r
                .also_at
                .map(|a| range.start + a.start..range.start + a.end);
            read.push((server, r));
        }
    }
    // Members that answered, none of them a primary: whatever the others'
    // errors, the operation needed a primary and there was none.
    let answered: Vec<&Server> = servers
        .iter()
        .filter(|s| !s.kind.eq_ignore_ascii_case("unknown"))
        .collect();
    if !answered.is_empty()
        && answered.iter().all(|s| non_primary(&s.kind))
        && !servers.iter().any(|s| primary_or_router(&s.kind))
    {
        let first = text.find(&answered[0].kind).unwrap_or(0);
        return Some(Reading {
            finding: Finding::NoPrimary,
            rule: "topology",
            tier: Tier::Specific,
            at: first..first + answered[0].kind.len(),
            also_at: None,
            also: read.iter().map(|(_, r)| r.finding).take(2).collect(),
            note: Some(
                "Members answered, but the server-selection dump shows none of them as primary: the operation needed the primary (a write, or the primary read preference).",
            ),
            fix: None,
            replaces_fixes: false,
            disputed: false,
            evidence: Some(format!(
                "topology: {}",
                servers
                    .iter()
                    .map(|s| format!("{} ({})", s.address, s.kind))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        });
    }
    if let Some(chosen) = commonest(&read) {
        let mut r = read[chosen].1.clone();
        // Servers whose errors are of another class: the commonest does not
        // decide alone (one member refused, another timed out: which one the
        // application needed is not in the dump). Their findings come next.
        let others: Vec<Finding> = read
            .iter()
            .map(|(_, o)| o.finding)
            .filter(|f| f.class() != r.finding.class())
            .fold(Vec::new(), |mut out, f| {
                if !out.contains(&f) {
                    out.push(f);
                }
                out
            });
        if !others.is_empty() {
            r.disputed = true;
            let mut also = others;
            for f in &r.also {
                if !also.contains(f) {
                    also.push(*f);
                }
            }
            r.also = also;
        }
        let per_server: Vec<String> = read
            .iter()
            .map(|(s, r)| format!("{} ({}): {}", s.address, s.kind, r.finding.id()))
            .collect();
        let silent = servers.len() - read.len();
        r.evidence = Some(format!(
            "topology: {} server{}; per-server errors: {}{}{}",
            servers.len(),
            if servers.len() == 1 { "" } else { "s" },
            per_server.join(", "),
            if silent > 0 {
                format!("; {silent} without an error")
            } else {
                String::new()
            },
            r.evidence
                .as_deref()
                .map(|e| format!("; {e}"))
                .unwrap_or_default(),
        ));
        return Some(r);
    }
    None
}

/// The index of the reading whose finding the most servers share (the first
/// of equals).
fn commonest(read: &[(&Server, Reading)]) -> Option<usize> {
    (0..read.len()).max_by_key(|&i| {
        let n = read
            .iter()
            .filter(|(_, r)| r.finding == read[i].1.finding)
            .count();
        // Earlier wins ties: `max_by_key` keeps the last of equals.
        (n, std::cmp::Reverse(i))
    })
}

/// PyMongo names a server's error by its exception class only when the
/// message itself is bare (`NetworkTimeout('h:27017: timed out')`).
fn exception_name(part: &str) -> Option<Reading> {
    static NAMES: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"^\s*(?:NetworkTimeout|ExecutionTimeout|WTimeoutError)\b|^\s*AutoReconnect\b")
    });
    let m = NAMES.find(part)?;
    let finding = if m.as_str().trim().eq_ignore_ascii_case("AutoReconnect") {
        Finding::ClosedWithoutReply
    } else {
        Finding::NetworkTimeout
    };
    Some(Reading {
        finding,
        rule: "topology",
        tier: Tier::Specific,
        at: m.range(),
        also_at: None,
        also: Vec::new(),
        note: None,
        fix: None,
        replaces_fixes: false,
        disputed: false,
        evidence: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that knows no words: what decides is the dump's own structure.
    fn none(_: &str) -> Option<Reading> {
        None
    }

    #[test]
    fn r22_2_each_drivers_dump_splits_into_servers_with_errors() {
        let py = "Topology Description: <TopologyDescription id: 1, topology_type: ReplicaSetNoPrimary, servers: [<ServerDescription ('ac-a-shard-00-00.b.mongodb.net', 27017) server_type: Unknown, rtt: None, error=NetworkTimeout('ac-a-shard-00-00.b.mongodb.net:27017: timed out')>, <ServerDescription ('ac-a-shard-00-01.b.mongodb.net', 27017) server_type: Unknown, rtt: None, error=NetworkTimeout('ac-a-shard-00-01.b.mongodb.net:27017: timed out')>]>";
        let s = servers(py);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].address, "ac-a-shard-00-00.b.mongodb.net:27017");
        assert_eq!(s[0].kind, "Unknown");
        assert!(py[s[0].error.clone().unwrap()].starts_with("NetworkTimeout("));
        let go = "server selection error: context deadline exceeded, current topology: { Type: ReplicaSetNoPrimary, Servers: [{ Addr: ac-x-shard-00-00.y.mongodb.net:27017, Type: Unknown, Last error: dial tcp 10.1.2.3:27017: i/o timeout }, ] }";
        let s = servers(go);
        assert_eq!(s.len(), 1);
        assert!(go[s[0].error.clone().unwrap()].starts_with("dial tcp 10.1.2.3"));
        let java = "Client view of cluster state is {type=REPLICA_SET, servers=[{address=a:27017, type=REPLICA_SET_SECONDARY, roundTripTime=1.0 ms, state=CONNECTED}, {address=b:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}]";
        let s = servers(java);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].kind, "REPLICA_SET_SECONDARY");
        assert!(s[0].error.is_none());
        assert!(s[1].error.is_some());
        let csharp = r#"Client view of cluster state is { ClusterId : "1", Type : "Unknown", State : "Disconnected", Servers : [{ ServerId: "{ ClusterId : 1, EndPoint : "Unspecified/h:27017" }", EndPoint: "Unspecified/h:27017", ReasonChanged: "Heartbeat", State: "Disconnected", ServerVersion: , TopologyVersion: , Type: "Unknown", HeartbeatException: "MongoDB.Driver.MongoConnectionException: An exception occurred while opening a connection to the server. ---> System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively refused it.", LastHeartbeatTimestamp: null }] }"#;
        let s = servers(csharp);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].address, "h:27017");
        assert!(s[0].error.is_some());
        let node = "TopologyDescription { type: 'Single', servers: Map(1) { 'localhost:27017' => ServerDescription { address: 'localhost:27017', type: 'Unknown', hosts: [], error: MongoNetworkError: connect ECONNREFUSED 127.0.0.1:27017 } } }";
        let s = servers(node);
        assert_eq!(s.len(), 1);
        assert!(s[0].error.is_some());
    }

    #[test]
    fn r22_2_the_servers_errors_decide_and_states_speak() {
        let py = "pymongo.errors.ServerSelectionTimeoutError: Timeout: 30s, Topology Description: <TopologyDescription id: 1, topology_type: ReplicaSetNoPrimary, servers: [<ServerDescription ('ac-a-shard-00-00.b.mongodb.net', 27017) server_type: Unknown, rtt: None, error=NetworkTimeout('ac-a-shard-00-00.b.mongodb.net:27017: timed out')>]>";
        let r = reading(py, none).unwrap();
        assert_eq!(
            r.finding.class(),
            crate::model::class::Class::NetworkTimeout
        );
        assert!(r.decidable());
        assert!(r.evidence.unwrap().starts_with("topology: 1 server;"));
        let states = "Timed out after 30000 ms while waiting for a server that matches WritableServerSelector. Client view of cluster state is {type=REPLICA_SET, servers=[{address=a:27017, type=REPLICA_SET_SECONDARY, state=CONNECTED}, {address=b:27017, type=REPLICA_SET_ARBITER, state=CONNECTED}]";
        assert_eq!(reading(states, none).unwrap().finding, Finding::NoPrimary);
        let elided = "TopologyDescription { type: 'ReplicaSetNoPrimary', servers: Map(3) { 'a:27017' => [ServerDescription] } }";
        assert!(reading(elided, none).is_none());
    }
}
