//! The Atlas control plane's facts (`--atlas-api`) applied to a data-plane
//! diagnosis, and private endpoint strings used from outside.

use crate::model::atlas::UriKind;
use crate::model::class::Class;
use crate::model::finding::Finding;
use crate::model::verdict::Diagnosis;

/// Sharpens a data-plane diagnosis with what the Atlas Administration API said
/// (`--atlas-api`). Facts outrank inference: a paused (or not serving) cluster
/// decides the class whatever the connectivity layers saw; an inferred
/// access-list or `bad auth` cause becomes a confirmed one, or is ruled out. A
/// diagnosis the facts do not bear on keeps its class, and says so when an API
/// failure is why it could not be confirmed. `auth_db` is the database the failed
/// login used, when the auth layer ran.
pub fn with_atlas(
    d: Diagnosis,
    facts: &crate::model::atlas_facts::Facts,
    auth_db: Option<&str>,
) -> Diagnosis {
    if let Some(fact) = cluster_not_serving(&d, facts) {
        return fact;
    }
    let before = d.clone();
    let sharpened = match d.finding {
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
    };
    match unconfirmed(facts) {
        Some(why) if sharpened == before => {
            let summary = format!("{} Not confirmed: {why}.", sharpened.summary);
            sharpened.with_summary(summary)
        }
        _ => sharpened,
    }
}

/// Whether a failure belongs to the layers a cluster that serves no connections
/// would fail (dns, tcp, tls, hello): then the cluster's state is the cause.
fn connectivity_class(class: Class) -> bool {
    matches!(
        class,
        Class::Dns
            | Class::TcpRefused
            | Class::NetworkTimeout
            | Class::IpAccessList
            | Class::Tls
            | Class::Server
    )
}

/// A paused cluster, or one being created, deleted or repaired, named by the API:
/// that is the cause of a connectivity failure, whatever the data plane saw
/// (silence, a refused or aborted handshake), and no data-plane fix applies
/// (removing `tls=true`, adding an access-list entry).
fn cluster_not_serving(
    d: &Diagnosis,
    facts: &crate::model::atlas_facts::Facts,
) -> Option<Diagnosis> {
    let c = facts
        .cluster
        .as_ref()
        .filter(|c| !c.serving() && connectivity_class(d.class))?;
    let project = project_of(facts);
    let name = &c.name;
    let fact = if c.paused {
        Diagnosis::from_finding(Finding::AtlasClusterPaused)
            .with_summary(format!(
                "Cluster {name} is paused: resume it. A paused cluster refuses every connection, whatever the network or TLS settings."
            ))
            .with_specific_fix(format!(
                "Resume it: `atlas clusters start {name} --projectId {project}` (or Atlas UI: the cluster's ... menu > Resume)."
            ))
            .with_evidence(format!("Atlas API: cluster {name} paused"))
    } else {
        let state = c.unavailable_state().unwrap_or_default();
        Diagnosis::from_finding(Finding::AtlasClusterUnavailable)
            .with_summary(format!(
                "Cluster {name} is {state}, not serving connections: wait until it is IDLE."
            ))
            .with_evidence(format!("Atlas API: cluster {name} state {state}"))
    };
    let fact = match facts
        .access_list
        .as_ref()
        .and_then(|l| l.covered_by.as_ref().map(|e| (l.egress_ip, e)))
    {
        Some((ip, entry)) => fact.with_evidence(format!(
            "Atlas API: {ip} is covered by access-list entry {} ({})",
            entry.value,
            entry.status.as_deref().unwrap_or("ACTIVE")
        )),
        None => fact,
    };
    Some(carried(fact, d))
}

/// Why the API could not confirm or rule out the data plane's inference, from
/// the first call that failed (a refusal of the credentials first).
fn unconfirmed(facts: &crate::model::atlas_facts::Facts) -> Option<String> {
    use crate::model::atlas::{Error, ErrorKind};
    let failed = facts.refused().or_else(|| facts.errors.first())?;
    let who = facts.credentials.unwrap_or("credentials");
    Some(match &failed.error {
        ErrorKind::Api(error) => match (error, error.status(), error.code()) {
            (_, Some(status), Some("IP_ADDRESS_NOT_ON_ACCESS_LIST")) => {
                format!("the Atlas API's own access list refused this machine (HTTP {status})")
            }
            (_, Some(status @ (401 | 403)), _) => {
                format!("the Atlas API refused the {who} (HTTP {status})")
            }
            (_, Some(status), _) => format!(
                "the Atlas API answered HTTP {status} when asked for the {}",
                failed.call
            ),
            (Error::Timeout, ..) => "the Atlas API did not answer within the deadline".to_string(),
            (Error::Transport { .. }, ..) => "the Atlas API could not be reached".to_string(),
            (Error::Api { .. } | Error::Token { .. } | Error::Decode { .. }, ..) => format!(
                "the Atlas API's answer about the {} could not be read",
                failed.call
            ),
        },
        ErrorKind::Credentials(_) => "no usable Atlas API credentials".to_string(),
        ErrorKind::NoProject => "no Atlas project id (--atlas-project ID)".to_string(),
    })
}

fn project_of(facts: &crate::model::atlas_facts::Facts) -> &str {
    facts.project_id.as_deref().unwrap_or("PROJECT")
}

/// Moves the data plane's evidence over to a new diagnosis, so nothing the probes saw
/// is lost (its summary, an inference the API has now settled, is not).
fn carried(mut new: Diagnosis, old: &Diagnosis) -> Diagnosis {
    new.carry_evidence(old);
    new
}

fn access_list_with_atlas(d: Diagnosis, facts: &crate::model::atlas_facts::Facts) -> Diagnosis {
    let Some(list) = &facts.access_list else {
        return d;
    };
    let project = project_of(facts);
    let ip = list.egress_ip;
    let route = "The address was checked as the Atlas API sees this machine; traffic to port 27017 may leave through another address (a proxy, a VPN split tunnel): if so, pass that one with --egress-ip.";
    if let (None, Some(cut)) = (&list.covered_by, list.cut_short) {
        // Absence in a list not read to the end is not a fact: the inference stands.
        let summary = format!(
            "{} Not confirmed: {ip} is not among the access-list entries read ({}), but {cut}.",
            d.summary,
            crate::words::count_as(list.entries, "entry", "entries")
        );
        return d.with_summary(summary).with_evidence(format!(
            "Atlas API: {ip} not among the first {} of the access list ({cut})",
            crate::words::count_as(list.entries, "entry", "entries")
        ));
    }
    let Some(entry) = &list.covered_by else {
        let confirmed = Diagnosis::from_finding(Finding::IpAccessListConfirmed)
            .with_summary(format!(
                "Confirmed by the Atlas API: {ip} is not on the IP access list of project {project} ({} checked).",
                crate::words::count_as(list.entries, "entry", "entries")
            ))
            .with_specific_fix(format!(
                "Add {ip} to the access list: `atlas accessLists create {ip} --projectId {project}` (or Atlas UI: Security > Network Access > Add IP Address > {ip})."
            ))
            .with_evidence(format!(
                "Atlas API: {ip} is covered by no access-list entry ({} checked)",
                crate::words::count_as(list.entries, "entry", "entries")
            ));
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
    if let Some(c) = cluster.filter(|c| c.uri_kind.is_some_and(UriKind::is_private)) {
        return private_string_outside(&d, c.strings.public()).with_evidence(seen);
    }
    let covered = if matches!(d.finding, Some(Finding::NetworkTimeout)) {
        // A timeout with the address covered: keep the timeout, drop the access-list guess.
        let mut d = d;
        d.causes
            .retain(|c| c != crate::model::finding::TIMEOUT_ACCESS_LIST_CAUSE);
        d.fixes
            .retain(|f| f != crate::model::finding::TIMEOUT_ACCESS_LIST_FIX);
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
pub fn private_route(
    d: Diagnosis,
    private_hosts: &[crate::model::deployment::PrivateHost],
) -> Diagnosis {
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

fn user_with_atlas(
    d: Diagnosis,
    facts: &crate::model::atlas_facts::Facts,
    auth_db: Option<&str>,
) -> Diagnosis {
    let Some(user) = &facts.user else {
        return d;
    };
    let project = project_of(facts);
    let name = &user.name;
    if !user.exists {
        let missing = Diagnosis::from_finding(Finding::AtlasUserMissing).with_evidence(format!(
            "Atlas API: no database user {name} in {} of project {project}",
            user.database
        ));
        // A name Atlas holds in other letter case: the fix is the name, not a new user.
        let missing = match user.did_you_mean() {
            Some(hint) => missing
                .with_summary(format!("User {name} does not exist in project {project}: {hint}"))
                .with_specific_fix(format!(
                    "Use the user name exactly as Atlas spells it ({}) in the connection string.",
                    user.similar.join(" or ")
                )),
            None => missing
                .with_summary(format!("User {name} does not exist in project {project}."))
                .with_specific_fix(format!(
                    "Create it (Atlas UI: Security > Database Access > Add New Database User, or `atlas dbusers create --username {name} --projectId {project}`), or fix the user name in the connection string."
                )),
        };
        return carried(missing, &d);
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
                "Reset the password where it is typed, never on a command line: Atlas UI, Security > Database Access > Edit {name} > Edit Password (Autogenerate Secure Password); then percent-encode special characters in the URI."
            ))
            .with_evidence(seen),
        &d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::atlas::{AccessList, Cluster, Entry, User};
    use crate::model::atlas_facts::Facts;
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
                cut_short: None,
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
            strings: crate::model::atlas::ConnectionStrings::default(),
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
            similar: Vec::new(),
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

    /// Issue 21 item 6: a list cut short (a self-referencing `next`, a huge
    /// `totalCount`) was "Confirmed by the Atlas API ... not on the IP access list".
    #[test]
    fn r21_an_address_missing_from_a_list_cut_short_is_not_confirmed() {
        let mut f = facts(
            None,
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", "APPLIED"),
            None,
        );
        if let Some(list) = f.access_list.as_mut() {
            list.entries = 5000;
            list.cut_short = Some(crate::model::paging::CutShort::Pages {
                pages: 50,
                total: Some(1_000_000_000_000_000),
            });
        }
        let d = with_atlas(alert(), &f, None);
        assert_eq!(d.finding, Some(Finding::IpAccessListAlert), "{d:?}");
        assert!(!d.summary.contains("Confirmed"), "{}", d.summary);
        assert!(
            d.summary
                .contains("Not confirmed: 203.0.113.7 is not among the access-list entries read (5000 entries), but the list was cut short after 50 pages"),
            "{}",
            d.summary
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

    /// Issue 20 item 3: the wrong-password fix was `atlas dbusers update ...
    /// --password NEW`, a password on a command line (shell history, `ps`). The fix
    /// is the interactive form; every command it does name is one code span.
    #[test]
    fn r20_3_no_fix_puts_a_password_on_a_command_line() {
        let f = facts(
            None,
            "ACTIVE",
            cluster("Cluster0", false, "IDLE", "APPLIED"),
            Some(user(true, &[])),
        );
        let d = with_atlas(Diagnosis::from_finding(Finding::AuthFailedAtlas), &f, None);
        assert_eq!(d.finding, Some(Finding::AtlasWrongPassword));
        let mut fixes = d.fixes.clone();
        fixes.extend(
            Finding::ALL
                .iter()
                .flat_map(|f| f.advice().fixes.iter().map(ToString::to_string)),
        );
        for fix in &fixes {
            assert!(!fix.contains("--password"), "{fix}");
            // A command to copy sits inside one code span.
            if let Some(at) = fix.find("atlas ") {
                assert!(fix[..at].ends_with('`'), "not a code span: {fix}");
            }
        }
        assert!(d.fixes[0].contains("Edit Password"), "{:?}", d.fixes);
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
