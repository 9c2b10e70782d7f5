//! The Atlas control plane's facts (`--atlas-api`) applied to a data-plane
//! diagnosis, and private endpoint strings used from outside.

use crate::atlas::{self, matching};
use crate::model::finding::Finding;
use crate::model::verdict::Diagnosis;

/// Sharpens a data-plane diagnosis with what the Atlas Administration API said
/// (`--atlas-api`): an inferred access-list or `bad auth` cause becomes a confirmed
/// one, or is ruled out. A diagnosis the facts do not bear on is returned unchanged,
/// and an API that could not answer changes nothing (its failure is a warning step).
/// `auth_db` is the database the failed login used, when the auth layer ran.
pub fn with_atlas(d: Diagnosis, facts: &atlas::Facts, auth_db: Option<&str>) -> Diagnosis {
    match d.finding {
        Some(
            Finding::IpAccessListAlert
            | Finding::IpAccessListClosed
            | Finding::IpAccessListSuspected
            | Finding::NetworkTimeout
            | Finding::TlsAlert,
        ) => access_list_with_atlas(d, facts),
        Some(Finding::AuthFailedAtlas | Finding::AuthFailed | Finding::AuthSourceSuspect) => {
            user_with_atlas(d, facts, auth_db)
        }
        Some(Finding::AtlasPrivateStringOutside) => {
            match facts.cluster.as_ref().and_then(|c| c.strings.public()) {
                Some(public) => d.with_specific_fix(public_fix(public)),
                None => d,
            }
        }
        _ => d,
    }
}

fn project_of(facts: &atlas::Facts) -> &str {
    facts.project_id.as_deref().unwrap_or("PROJECT")
}

/// Moves the data plane's evidence over to a new diagnosis, so nothing the probes saw
/// is lost (its summary, an inference the API has now settled, is not).
fn carried(mut new: Diagnosis, old: &Diagnosis) -> Diagnosis {
    new.evidence.extend(old.evidence.iter().cloned());
    new
}

fn access_list_with_atlas(d: Diagnosis, facts: &atlas::Facts) -> Diagnosis {
    let Some(list) = &facts.access_list else {
        return d;
    };
    let project = project_of(facts);
    let ip = list.egress_ip;
    let route = "The address was checked as the Atlas API sees this machine; traffic to port 27017 may leave through another address (a proxy, a VPN split tunnel): if so, pass that one with --egress-ip.";
    let Some(entry) = &list.covered_by else {
        let confirmed = Diagnosis::from_finding(Finding::IpAccessListConfirmed)
            .with_summary(format!(
                "Confirmed by the Atlas API: {ip} is not on the IP access list of project {project} ({} entries checked).",
                list.entries
            ))
            .with_specific_fix(format!(
                "Add {ip} to the access list: atlas accessLists create {ip} --projectId {project} (or Atlas UI: Security > Network Access > Add IP Address > {ip})."
            ))
            .with_evidence(format!("Atlas API: {ip} is covered by none of the {} access-list entries", list.entries));
        let confirmed = if list.egress_auto {
            confirmed.with_first_cause(route)
        } else {
            confirmed
        };
        return carried(confirmed, &d);
    };
    let status = entry.status.as_deref().unwrap_or("ACTIVE");
    let seen = format!(
        "Atlas API: {ip} is covered by access-list entry {} ({status})",
        entry.value
    );
    if !entry.active() {
        return carried(
            Diagnosis::from_finding(Finding::IpAccessListPending)
                .with_summary(format!(
                    "{ip} is covered by access-list entry {}, but the entry is {status}: Atlas has not applied it.",
                    entry.value
                ))
                .with_evidence(seen),
            &d,
        );
    }
    let cluster = facts.cluster.as_ref();
    if let Some(c) = cluster.filter(|c| c.paused) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasClusterPaused)
                .with_summary(format!(
                    "Cluster {} is paused: it refuses every connection until it is resumed (the IP access list is not the cause).",
                    c.name
                ))
                .with_specific_fix(format!(
                    "Resume it: atlas clusters start {} --projectId {project} (or Atlas UI: the cluster's ... menu > Resume).",
                    c.name
                ))
                .with_evidence(seen)
                .with_evidence(format!("Atlas API: cluster {} paused", c.name)),
            &d,
        );
    }
    if let Some((c, state)) = cluster.and_then(|c| c.unavailable_state().map(|s| (c, s))) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasClusterUnavailable)
                .with_summary(format!(
                    "Cluster {} is {state}, not serving connections (the IP access list is not the cause).",
                    c.name
                ))
                .with_evidence(seen)
                .with_evidence(format!("Atlas API: cluster {} state {state}", c.name)),
            &d,
        );
    }
    if let Some(c) = cluster.filter(|c| c.uri_kind.is_some_and(matching::UriKind::is_private)) {
        return private_string_outside(&d, c.strings.public()).with_evidence(seen);
    }
    let covered = if matches!(d.finding, Some(Finding::NetworkTimeout)) {
        // A timeout with the address covered: keep the timeout, drop the access-list guess.
        let mut d = d;
        d.causes.retain(|c| !c.contains("access list"));
        d.fixes.retain(|f| !f.contains("access list"));
        d.with_first_cause(format!(
            "Not the Atlas IP access list: {ip} is covered by entry {} ({status}).",
            entry.value
        ))
        .with_evidence(seen)
    } else {
        carried(
            Diagnosis::from_finding(Finding::AtlasIpCovered)
                .with_summary(format!(
                    "The Atlas host refused the TLS handshake, but {ip} is on the IP access list of project {project} (entry {}, {status}): the access list is not the cause.",
                    entry.value
                ))
                .with_evidence(seen),
            &d,
        )
    };
    if list.egress_auto {
        covered.with_first_cause(route)
    } else {
        covered
    }
}

/// A connection that timed out or was refused on an Atlas host that only a VPC can
/// reach (private endpoint or peering string, private address) is named as such,
/// without any API: the access list or firewall guess would send the user astray.
pub fn private_route(d: Diagnosis, private_hosts: &[crate::probe::PrivateHost]) -> Diagnosis {
    let network = matches!(
        d.finding,
        Some(
            Finding::NetworkTimeout
                | Finding::NetworkUnreachable
                | Finding::IpAccessListAlert
                | Finding::IpAccessListClosed
                | Finding::IpAccessListSuspected
                | Finding::TlsHandshakeTimeout
        )
    );
    let Some(first) = private_hosts.first().filter(|_| network) else {
        return d;
    };
    let why = match first.address {
        Some(ip) => format!(
            "{} resolves to {ip}, a private address reachable only from inside its network",
            first.name
        ),
        None => format!(
            "{} is a private endpoint or VPC peering host name",
            first.name
        ),
    };
    private_string_outside(&d, None)
        .with_summary(format!(
            "The connection string is a private endpoint or peering string ({why}): it works only from inside the connected VPC."
        ))
        .with_evidence(why)
}

/// A private endpoint or peering string used from outside; the public string as the fix when known.
pub fn private_string_outside(old: &Diagnosis, public: Option<&str>) -> Diagnosis {
    let d = Diagnosis::from_finding(Finding::AtlasPrivateStringOutside);
    let d = match public {
        Some(public) => d.with_specific_fix(public_fix(public)),
        None => d,
    };
    carried(d, old)
}

fn public_fix(public: &str) -> String {
    format!(
        "From outside the VPC, use the cluster's public connection string {public} (with your user and password), and put this machine's address on the IP access list."
    )
}

fn user_with_atlas(d: Diagnosis, facts: &atlas::Facts, auth_db: Option<&str>) -> Diagnosis {
    let Some(user) = &facts.user else {
        return d;
    };
    let project = project_of(facts);
    let name = &user.name;
    if !user.exists {
        return carried(
            Diagnosis::from_finding(Finding::AtlasUserMissing)
                .with_summary(format!("User {name} does not exist in project {project}."))
                .with_specific_fix(format!(
                    "Create it (Atlas UI: Security > Database Access > Add New Database User, or atlas dbusers create --username {name} --projectId {project}), or fix the user name in the connection string."
                ))
                .with_evidence(format!("Atlas API: no database user {name} in {} of project {project}", user.database)),
            &d,
        );
    }
    let seen = format!(
        "Atlas API: user {name} exists in {}; scopes: {}",
        user.database,
        if user.scopes.is_empty() {
            "all clusters".to_string()
        } else {
            user.scopes.join(", ")
        }
    );
    if let Some(db) = auth_db.filter(|db| *db != user.database) {
        // The user exists where Atlas keeps it; the login looked in another database.
        return carried(
            Diagnosis::from_finding(Finding::AuthSourceSuspect)
                .with_summary(format!(
                    "User {name} exists in {} of project {project}, but the connection string authenticates against database {db:?}.",
                    user.database
                ))
                .with_specific_fix(format!(
                    "Set authSource={} in the connection string (Atlas keeps every database user there).",
                    user.database
                ))
                .with_evidence(seen),
            &d,
        );
    }
    let cluster = facts.cluster.as_ref();
    if let Some(c) = cluster.filter(|c| user.scoped_away_from(&c.name)) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasUserWrongCluster)
                .with_summary(format!(
                    "User {name} is scoped to {}, not {}.",
                    user.scopes.join(", "),
                    c.name
                ))
                .with_specific_fix(format!(
                    "Atlas UI: Security > Database Access > Edit {name} > Restrict Access to Specific Clusters: add {}, or remove the restriction.",
                    c.name
                ))
                .with_evidence(seen),
            &d,
        );
    }
    if let Some(c) = cluster.filter(|c| c.changes_pending()) {
        return carried(
            Diagnosis::from_finding(Finding::AtlasUserPending)
                .with_summary(format!(
                    "User {name} was created and cluster {} has not applied it yet (changeStatus PENDING).",
                    c.name
                ))
                .with_evidence(seen)
                .with_evidence(format!("Atlas API: cluster {} changeStatus PENDING", c.name)),
            &d,
        );
    }
    carried(
        Diagnosis::from_finding(Finding::AtlasWrongPassword)
            .with_summary(format!(
                "User {name} exists and is active: the password is wrong."
            ))
            .with_specific_fix(format!(
                "Reset the password: atlas dbusers update {name} --projectId {project} --password NEW (or Atlas UI: Security > Database Access > Edit {name} > Edit Password); percent-encode special characters in the URI."
            ))
            .with_evidence(seen),
        &d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{AccessList, Cluster, Entry, Facts, User};
    use crate::model::class::Class;
    use test_case::test_case;

    fn facts(covered: Option<&str>, status: &str, cluster: Cluster, user: Option<User>) -> Facts {
        Facts {
            project_id: Some("0123456789abcdef01234567".into()),
            access_list: Some(AccessList {
                egress_ip: "203.0.113.7".parse().unwrap(),
                egress_auto: false,
                covered_by: covered.map(|value| Entry {
                    value: value.into(),
                    comment: None,
                    status: Some(status.into()),
                    delete_after: None,
                }),
                entries: 3,
            }),
            cluster: Some(cluster),
            user,
            ..Facts::default()
        }
    }

    fn cluster(name: &str, paused: bool, state: &str, change: &str) -> Cluster {
        Cluster {
            name: name.into(),
            flex: false,
            state: Some(state.into()),
            paused,
            mongodb_version: Some("8.0.4".into()),
            change_status: Some(change.into()),
            uri_kind: None,
            strings: matching::ConnectionStrings::default(),
        }
    }

    fn user(exists: bool, scopes: &[&str]) -> User {
        User {
            name: "app".into(),
            database: "admin".into(),
            exists,
            scopes: scopes.iter().map(|s| (*s).to_string()).collect(),
            roles: Vec::new(),
            expires: None,
        }
    }

    fn alert() -> Diagnosis {
        Diagnosis::from_finding(Finding::IpAccessListAlert).with_evidence("h:1: alert 80")
    }

    #[test_case(None, "ACTIVE", false, "IDLE", "ip_access_list_confirmed" ; "missing")]
    #[test_case(Some("203.0.113.0/24"), "PENDING", false, "IDLE", "ip_access_list_pending" ; "pending entry")]
    #[test_case(Some("0.0.0.0/0"), "ACTIVE", true, "IDLE", "atlas_cluster_paused" ; "paused")]
    #[test_case(Some("0.0.0.0/0"), "ACTIVE", false, "CREATING", "atlas_cluster_unavailable" ; "creating")]
    #[test_case(Some("0.0.0.0/0"), "ACTIVE", false, "IDLE", "ip_access_list_ruled_out" ; "covered")]
    fn an_alert_80(covered: Option<&str>, status: &str, paused: bool, state: &str, reason: &str) {
        let f = facts(
            covered,
            status,
            cluster("Cluster0", paused, state, "APPLIED"),
            None,
        );
        let d = with_atlas(alert(), &f, None);
        assert_eq!(d.finding.map(Finding::id), Some(reason));
        assert!(
            d.evidence.iter().any(|e| e == "h:1: alert 80"),
            "{:?}",
            d.evidence
        );
    }

    #[test]
    fn a_confirmed_address_is_named_in_the_fix() {
        let f = facts(
            None,
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", "APPLIED"),
            None,
        );
        let d = with_atlas(alert(), &f, None);
        assert!(
            d.fixes[0].contains(
                "atlas accessLists create 203.0.113.7 --projectId 0123456789abcdef01234567"
            ),
            "{:?}",
            d.fixes
        );
    }

    #[test]
    fn a_timeout_with_the_address_covered_stays_a_timeout_without_the_access_list_advice() {
        let f = facts(
            Some("0.0.0.0/0"),
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", "APPLIED"),
            None,
        );
        let d = with_atlas(Diagnosis::from_finding(Finding::NetworkTimeout), &f, None);
        assert_eq!(d.finding, Some(Finding::NetworkTimeout));
        assert!(
            d.causes[0].starts_with("Not the Atlas IP access list"),
            "{:?}",
            d.causes
        );
        assert!(
            !d.fixes.iter().any(|f| f.contains("access list")),
            "{:?}",
            d.fixes
        );
    }

    #[test_case(false, &[], "APPLIED", "atlas_user_missing" ; "missing")]
    #[test_case(true, &["Cluster1"], "APPLIED", "atlas_user_wrong_cluster" ; "scoped elsewhere")]
    #[test_case(true, &["Cluster0"], "PENDING", "atlas_user_pending" ; "pending")]
    #[test_case(true, &[], "APPLIED", "atlas_wrong_password" ; "wrong password")]
    fn bad_auth(exists: bool, scopes: &[&str], change: &str, reason: &str) {
        let f = facts(
            None,
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", change),
            Some(user(exists, scopes)),
        );
        let d = with_atlas(Diagnosis::from_finding(Finding::AuthFailedAtlas), &f, None);
        assert_eq!(d.finding.map(Finding::id), Some(reason));
        assert_eq!(d.class, Class::AuthFailed);
    }

    #[test]
    fn an_existing_user_behind_a_wrong_auth_source_is_not_a_wrong_password() {
        let f = facts(
            None,
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", "APPLIED"),
            Some(user(true, &[])),
        );
        let d = with_atlas(
            Diagnosis::from_finding(Finding::AuthFailedAtlas),
            &f,
            Some("app"),
        );
        assert_eq!(d.finding, Some(Finding::AuthSourceSuspect));
        assert!(
            d.summary.contains("exists in admin") && d.summary.contains("\"app\""),
            "{}",
            d.summary
        );
        assert!(d.fixes[0].contains("authSource=admin"), "{:?}", d.fixes);
        // The login used admin: the password is the cause.
        let d = with_atlas(
            Diagnosis::from_finding(Finding::AuthFailedAtlas),
            &f,
            Some("admin"),
        );
        assert_eq!(d.finding, Some(Finding::AtlasWrongPassword));
    }

    #[test]
    fn nothing_changes_without_the_facts_that_bear_on_it() {
        let d = with_atlas(alert(), &Facts::default(), None);
        assert_eq!(d, alert());
        let f = facts(
            None,
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", "APPLIED"),
            Some(user(false, &[])),
        );
        let tls = Diagnosis::from_finding(Finding::TlsUnknownIssuer);
        assert_eq!(with_atlas(tls.clone(), &f, None), tls);
    }
}
