//! Pure matching of Atlas facts: an egress address against access-list entries
//! (IPv4 and IPv6 CIDR blocks), a connection string's hosts against a cluster's
//! connection strings, and the host names and addresses that only work inside a
//! VPC (private endpoints, peering). No I/O; unit-tested here.

use std::net::IpAddr;

use crate::uri::userinfo::{Reading, credentials_end};

use crate::model::atlas::{ConnectionStrings, UriKind};

/// An access-list entry's network: `ipAddress` (a /32 or /128) or `cidrBlock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Network {
    /// `203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`; `None` for anything else
    /// (an AWS security group entry, a malformed value).
    pub fn parse(text: &str) -> Option<Network> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Network { addr, prefix })
    }

    /// Whether `ip` falls inside. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
    /// counts as its IPv4 address, as Atlas sees it.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = crate::address::canonical(ip);
        match (crate::address::canonical(self.addr), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// How Atlas names the host of a private connection string: `cluster0-pl-0.ab1cd.mongodb.net`
/// (private endpoint), `cluster0-pri.ab1cd.mongodb.net` (VPC peering), and the members of
/// such strings (`cluster0-shard-00-00-pri.ab1cd.mongodb.net`, `pl-0-us-east-1.ab1cd.mongodb.net`).
pub fn is_private_host_name(host: &str) -> bool {
    let first = host
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    first.ends_with("-pri")
        || first.starts_with("pl-")
        || first.rsplit_once("-pl-").is_some_and(|(_, n)| {
            n.split('-')
                .next()
                .is_some_and(|d| d.parse::<u32>().is_ok())
        })
}

/// The host names (lower case, without ports) of a connection string as Atlas gives it:
/// `mongodb://h1:27017,h2:27017/?ssl=true` or `mongodb+srv://cluster0.ab1cd.mongodb.net`.
pub fn hosts_of(connection_string: &str) -> Vec<String> {
    let Some((_, rest)) = connection_string.split_once("://") else {
        return Vec::new();
    };
    let hosts = rest.split(['/', '?']).next().unwrap_or_default();
    let hosts = credentials_end(hosts, Reading::LastAt).map_or(hosts, |at| &hosts[at + 1..]);
    hosts
        .split(',')
        .filter(|h| !h.is_empty())
        .map(|h| {
            let name = if let Some(v6) = h.strip_prefix('[') {
                v6.split(']').next().unwrap_or_default()
            } else {
                h.rsplit_once(':')
                    .filter(|(_, port)| port.parse::<u16>().is_ok())
                    .map_or(h, |(name, _)| name)
            };
            name.trim_end_matches('.').to_ascii_lowercase()
        })
        .collect()
}

impl ConnectionStrings {
    /// The kind of the first string sharing a host with `uri_hosts` (lower case, no ports).
    pub fn kind_for(&self, uri_hosts: &[String]) -> Option<UriKind> {
        self.strings.iter().find_map(|(kind, s)| {
            hosts_of(s)
                .iter()
                .any(|h| uri_hosts.iter().any(|u| u.eq_ignore_ascii_case(h)))
                .then_some(*kind)
        })
    }

    /// The public string to suggest: SRV first, as the Atlas UI does.
    pub fn public(&self) -> Option<&str> {
        [UriKind::StandardSrv, UriKind::Standard]
            .iter()
            .find_map(|k| self.strings.iter().find(|(kind, _)| kind == k))
            .map(|(_, s)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("0.0.0.0/0", "203.0.113.7", true ; "everything")]
    #[test_case("203.0.113.0/24", "203.0.113.7", true ; "v4 block")]
    #[test_case("203.0.113.0/24", "203.0.114.7", false ; "v4 outside")]
    #[test_case("203.0.113.7", "203.0.113.7", true ; "single v4")]
    #[test_case("203.0.113.7/32", "203.0.113.8", false ; "v4 /32 neighbour")]
    #[test_case("2001:db8::/32", "2001:db8:1::5", true ; "v6 block")]
    #[test_case("2001:db8::/32", "2001:db9::5", false ; "v6 outside")]
    #[test_case("::/0", "2001:db8::1", true ; "all v6")]
    #[test_case("::/0", "203.0.113.7", false ; "all v6 is not v4")]
    #[test_case("203.0.113.0/24", "::ffff:203.0.113.9", true ; "v4 mapped")]
    fn cidr_matching(entry: &str, ip: &str, covered: bool) {
        let net = Network::parse(entry).unwrap();
        assert_eq!(net.contains(ip.parse().unwrap()), covered);
    }

    #[test]
    fn malformed_entries_are_not_networks() {
        for bad in ["sg-12345", "10.0.0.0/33", "::/129", "", "1.2.3.4/x"] {
            assert_eq!(Network::parse(bad), None, "{bad}");
        }
    }

    // Private addresses are address::is_private's (r19_private_and_local_addresses).
    #[test]
    fn private_names() {
        for name in [
            "cluster0-pl-0.ab1cd.mongodb.net",
            "cluster0-pri.ab1cd.mongodb.net",
            "cluster0-shard-00-00-pri.ab1cd.mongodb.net",
            "pl-0-us-east-1.ab1cd.mongodb.net",
        ] {
            assert!(is_private_host_name(name), "{name}");
        }
        for name in [
            "cluster0.ab1cd.mongodb.net",
            "apple-pie.example.test",
            "pri.example.test",
        ] {
            assert!(!is_private_host_name(name), "{name}");
        }
    }

    #[test]
    fn hosts_of_connection_strings() {
        assert_eq!(
            hosts_of(
                "mongodb://Shard-00-00.ab1cd.mongodb.net:27017,shard-00-01.ab1cd.mongodb.net:27017/?ssl=true"
            ),
            [
                "shard-00-00.ab1cd.mongodb.net",
                "shard-00-01.ab1cd.mongodb.net"
            ]
        );
        assert_eq!(
            hosts_of("mongodb+srv://cluster0.ab1cd.mongodb.net"),
            ["cluster0.ab1cd.mongodb.net"]
        );
        assert_eq!(hosts_of("mongodb://[::1]:27017/"), ["::1"]);
        assert!(hosts_of("not a uri").is_empty());
    }

    #[test]
    fn the_kind_of_the_users_string() {
        let strings = ConnectionStrings {
            strings: vec![
                (
                    UriKind::Standard,
                    "mongodb://c0-shard-00-00.x.net:27017".into(),
                ),
                (UriKind::StandardSrv, "mongodb+srv://c0.x.net".into()),
                (
                    UriKind::PrivateEndpoint,
                    "mongodb+srv://c0-pl-0.x.net".into(),
                ),
            ],
        };
        assert_eq!(
            strings.kind_for(&["c0.x.net".into()]),
            Some(UriKind::StandardSrv)
        );
        assert_eq!(
            strings.kind_for(&["c0-pl-0.x.net".into()]),
            Some(UriKind::PrivateEndpoint)
        );
        assert_eq!(strings.kind_for(&["other.x.net".into()]), None);
        assert_eq!(strings.public(), Some("mongodb+srv://c0.x.net"));
    }
}
