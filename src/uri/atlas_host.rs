//! What counts as an Atlas host: a name under one of Atlas's domains. The one
//! home of that fact: the probes (is this host Atlas?), the driver-message rules
//! and `explain` (is there an Atlas host in this text?) all use it.

use std::sync::LazyLock;

use regex::Regex;

/// Atlas's domains as a regular-expression fragment (`mongodb.net`,
/// `mongodb-dev.net`, `mongodbgov.net`), a literal so that `concat!` can build
/// the text patterns of `wording` and `explain` from it.
macro_rules! atlas_domain_pattern {
    () => {
        r"mongodb(?:-dev|gov)?\.net"
    };
}
pub(crate) use atlas_domain_pattern;

/// A host name under an Atlas domain (case-insensitive; a trailing dot allowed).
pub fn is_atlas_host(name: &str) -> bool {
    static HOST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(r"(?i)\.", atlas_domain_pattern!(), r"\.?\z")).expect("valid regex")
    });
    HOST.is_match(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 4: probe/host.rs knew three Atlas domains, wording/rules.rs and
    /// explain.rs one (`mongodb.net`).
    #[test]
    fn r19_what_counts_as_an_atlas_host() {
        for host in [
            "cluster0.ab1cd.mongodb.net",
            "ac-x-shard-00-00.ab1cd.mongodb.net.",
            "Cluster0.AB1CD.MONGODB.NET",
            "c0.ab1cd.mongodb-dev.net",
            "c0.ab1cd.mongodbgov.net",
        ] {
            assert!(is_atlas_host(host), "{host}");
        }
        for host in [
            "localhost",
            "mongodb.net",
            "db.example.com",
            "mongodb.net.example.com",
            "c0.notmongodb.net.evil",
            "c0.ab1cd.mongodb.network",
        ] {
            assert!(!is_atlas_host(host), "{host}");
        }
        let in_text = Regex::new(concat!(r"\.", atlas_domain_pattern!(), r"\b")).unwrap();
        assert!(in_text.is_match("querySrv ENOTFOUND _mongodb._tcp.c0.ab1cd.mongodbgov.net"));
    }
}
