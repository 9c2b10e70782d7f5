//! The catalogue of findings: every cause atlas-doctor can name, with its class,
//! its stable `reason` id (JSON `diagnosis.reason`), and the plain-words summary,
//! causes and fixes shared by the live probes (`diagnose`) and `explain`.

use crate::model::class::Class;

/// Standard advice for one finding. Live diagnosis adds evidence and may
/// sharpen the summary with names it saw (issuer, host, replica set).
#[derive(Debug, Clone, Copy)]
pub struct Advice {
    pub summary: &'static str,
    pub causes: &'static [&'static str],
    pub fixes: &'static [&'static str],
}

/// Which trust store each driver uses: how "works in mongosh, fails in my app"
/// happens. One sentence, said by the TLS diagnosis and the TLS layer's warning.
pub const DRIVER_TRUST_STORES: &str = "Drivers do not share one trust store: Node.js and mongosh use their bundled Mozilla list plus NODE_EXTRA_CA_CERTS, Python the OS store or certifi, Java its own truststore (cacerts or javax.net.ssl.trustStore), Go the OS store, the Rust driver the Mozilla list; a CA added to one is not seen by the others, while tlsCAFile works in every driver.";

/// The access-list cause and fix of a network timeout, named so that the Atlas
/// API's fact (the address is covered) can drop exactly these two.
pub const TIMEOUT_ACCESS_LIST_CAUSE: &str =
    "The Atlas IP access list of a dedicated cluster dropping this address.";
/// See `TIMEOUT_ACCESS_LIST_CAUSE`.
pub const TIMEOUT_ACCESS_LIST_FIX: &str =
    "Add this machine's public IP address to the Atlas IP access list (Network Access).";

/// The Node.js localhost-to-::1 cause and fix of a refused connection, named so
/// that a live run, which saw the addresses it dialled, can drop exactly these
/// (they are only evidence when localhost's ::1 was refused and 127.0.0.1 was not).
pub const TCP_REFUSED_LOCALHOST_CAUSE: &str =
    "Node.js resolved localhost to ::1 while the server listens on 127.0.0.1 only.";
/// See `TCP_REFUSED_LOCALHOST_CAUSE`.
pub const TCP_REFUSED_LOCALHOST_FIX: &str = "Connect to 127.0.0.1 instead of localhost.";

macro_rules! findings {
    ($( $variant:ident => $id:literal, $class:ident, $summary:literal,
        causes [$($cause:expr),* $(,)?], fixes [$($fix:expr),* $(,)?]; )*) => {
        /// A named cause. The `id` strings are public (JSON `diagnosis.reason`): add, never rename.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Finding { $($variant),* }

        impl Finding {
            /// Every finding, in catalogue order.
            pub const ALL: &'static [Finding] = &[$(Finding::$variant),*];

            /// The stable snake_case id.
            pub fn id(self) -> &'static str {
                match self { $(Finding::$variant => $id),* }
            }

            /// The failure class this finding belongs to.
            pub fn class(self) -> Class {
                match self { $(Finding::$variant => Class::$class),* }
            }

            /// Summary, causes and fixes in plain words.
            pub fn advice(self) -> Advice {
                match self {
                    $(Finding::$variant => Advice {
                        summary: $summary,
                        causes: &[$($cause),*],
                        fixes: &[$($fix),*],
                    }),*
                }
            }

            /// Look a finding up by its id.
            pub fn from_id(id: &str) -> Option<Finding> {
                Finding::ALL.iter().copied().find(|f| f.id() == id)
            }
        }
    };
}

findings! {
    // ---- uri / config (exit 3) ------------------------------------------------
    UriUnescapedCharacter => "uri_unescaped_character", ConfigInvalid,
        "The credentials in the connection string contain a character that must be percent-encoded.",
        causes ["A password or user name with @ : / ? # [ ] or % pasted into the URI as is."],
        fixes ["Percent-encode the character in the user name or password (for example @ becomes %40), or pass the password apart from the URI through `password-env`."];
    UriSrvWithPort => "uri_srv_with_port", ConfigInvalid,
        "A mongodb+srv:// connection string may not carry a port.",
        causes ["The port comes from the SRV record; drivers refuse a port with +srv."],
        fixes ["Remove the :port after the host name, or use a standard mongodb:// string with the ports."];
    UriSrvMultipleHosts => "uri_srv_multiple_hosts", ConfigInvalid,
        "A mongodb+srv:// connection string must name exactly one host.",
        causes ["Several hosts were listed after mongodb+srv://; the SRV record lists the members instead."],
        fixes ["Keep only the cluster host name (for example cluster0.ab1cd.mongodb.net), or switch to mongodb:// with all hosts."];
    UriUnknownScheme => "uri_unknown_scheme", ConfigInvalid,
        "The connection string does not start with mongodb:// or mongodb+srv://.",
        causes ["A typo in the scheme, a URL of another service, or quotes kept around the value."],
        fixes ["Start the string with mongodb:// (host list) or mongodb+srv:// (Atlas and other SRV clusters)."];
    UriEmptyHost => "uri_empty_host", ConfigInvalid,
        "The connection string names no host.",
        causes ["An empty host list, often from an unset variable substituted into a template."],
        fixes ["Put the host name after the // (and after user:password@ when present)."];
    UriInvalidOption => "uri_invalid_option", ConfigInvalid,
        "The connection string has an option the driver would reject.",
        causes ["An option with a wrong value or an option that conflicts with another."],
        fixes ["Correct or remove the option named in the evidence; see the MongoDB connection string options reference."];
    UriMalformed => "uri_malformed", ConfigInvalid,
        "The connection string cannot be parsed.",
        causes ["A stray character, an unbalanced bracket, or a port that is not a number."],
        fixes ["Rewrite the string as mongodb[+srv]://user:password@host[:port][,host...]/database?options."];
    ConfigFileInvalid => "config_file_invalid", ConfigInvalid,
        "The configuration file cannot be read or parsed.",
        causes ["A TOML syntax error, a key of the wrong type, an unknown key, or a file that cannot be read."],
        fixes ["Fix the file at the line and key named in the evidence; `examples/atlas-doctor.toml` shows every key."];
    ConfigMissingValue => "config_missing_value", ConfigInvalid,
        "A value the configuration asks for is missing.",
        causes ["A variable named by `uri-env` or `password-env` is not set, or `--profile` names a profile the file does not have.", "A variable is set but empty (a missing CI secret, a fork's pull request)."],
        fixes ["Export the variable named in the evidence, or pick a profile that exists."];
    UriPlaceholder => "uri_placeholder", ConfigInvalid,
        "The connection string still holds a placeholder from Atlas's Connect dialog.",
        causes ["The string was copied from Atlas with <db_password> (or <password>, <username>) left in; sent as is, it fails as a wrong password."],
        fixes ["Replace the placeholder, brackets included, with the database user's password (percent-encoded) or name."];
    UriUnixSocket => "uri_unix_socket", ConfigInvalid,
        "The connection string names a unix domain socket, which atlas-doctor cannot probe.",
        causes ["A host written as a percent-encoded path (mongodb://%2Ftmp%2Fmongodb-27017.sock) is a local unix socket, not a DNS name: there is no DNS, TCP or TLS layer to check."],
        fixes ["Check the socket with mongosh \"mongodb://%2Ftmp%2Fmongodb-27017.sock\", or point atlas-doctor at the server's TCP address (mongodb://127.0.0.1:27017)."];
    SrvSupportMissing => "srv_support_missing", ConfigInvalid,
        "This client cannot use mongodb+srv:// connection strings: its DNS support is missing.",
        causes ["The driver needs an extra package to resolve SRV records (pymongo needs dnspython, installed with pymongo[srv])."],
        fixes ["Install the driver's SRV support (for pymongo: python -m pip install \"pymongo[srv]\"), or use the standard mongodb:// connection string."];

    // ---- dns (exit 10) ---------------------------------------------------------
    DnsNoSuchName => "dns_no_such_name", Dns,
        "The DNS name does not exist (NXDOMAIN).",
        causes ["A typo in the cluster host name.", "The cluster was deleted or renamed.", "A private DNS zone (VPN, split horizon) this resolver cannot see."],
        fixes ["Copy the connection string again from the Atlas UI (Connect > Drivers).", "Check that the cluster still exists and is not paused."];
    DnsNoRecords => "dns_no_records", Dns,
        "The name exists but has no DNS records of the type asked for.",
        causes ["A mongodb+srv:// string for a host that publishes no SRV record (a single server, not an SRV cluster).", "A host name with no A/AAAA record."],
        fixes ["Use mongodb://host:port for a server without an SRV record.", "Check the host name against what the provider shows."];
    DnsServerFailure => "dns_server_failure", Dns,
        "The DNS resolver answered with a failure (SERVFAIL or REFUSED) instead of records.",
        causes ["The local resolver (router, VPN, corporate DNS) cannot or will not resolve SRV/TXT records.", "An upstream DNS outage."],
        fixes ["Try another resolver with --dns-server 1.1.1.1 or --dns-fallback 8.8.8.8.", "Use the standard mongodb:// connection string (no SRV lookup needed)."];
    DnsTimeout => "dns_timeout", Dns,
        "The DNS resolver did not answer in time.",
        causes ["A resolver that drops SRV/TXT queries, or DNS egress (UDP/TCP 53) blocked by a firewall or VPN."],
        fixes ["Try another resolver with --dns-server or --dns-fallback.", "Use the standard mongodb:// connection string, which needs only A records."];
    DnsResolverUnreachable => "dns_resolver_unreachable", Dns,
        "No DNS resolver could be reached.",
        causes ["No network, a resolver address that is wrong, or DNS traffic refused (querySrv ECONNREFUSED)."],
        fixes ["Check /etc/resolv.conf or the system's DNS settings; try --dns-server with a resolver you know works."];
    DnsTxtForbiddenOption => "dns_txt_forbidden_option", Dns,
        "The TXT record of the SRV cluster holds options drivers refuse.",
        causes ["The TXT record may only hold authSource, replicaSet and loadBalanced, in a single record."],
        fixes ["Fix the TXT record at the DNS provider, or use the standard mongodb:// string with the options in it."];
    DnsSrvTargetOutsideDomain => "dns_srv_target_outside_domain", Dns,
        "An SRV target is outside the cluster's parent domain, so drivers refuse it.",
        causes ["Drivers require every SRV target to end with the SRV name minus its first label; a misconfigured or hijacked record breaks this."],
        fixes ["Fix the SRV record so every target is under the cluster's domain, or use the standard mongodb:// string."];
    DnsResolverBroken => "dns_resolver_broken", Dns,
        "Your DNS resolver fails where another resolver works: the resolver is the problem, not the cluster.",
        causes ["Many home routers, VPNs and some corporate resolvers do not answer SRV or TXT queries (the querySrv ECONNREFUSED / ETIMEOUT errors)."],
        fixes ["Use the standard mongodb:// connection string shown in the evidence; it needs no SRV lookup.", "Or point the system at a working resolver (for example 1.1.1.1 or 8.8.8.8)."];

    // ---- tcp (exit 11, 12) -----------------------------------------------------
    TcpRefused => "tcp_refused", TcpRefused,
        "The host answered, but nothing listens on that port (connection refused).",
        causes ["The server is not running, or listens on another port or only on another interface (bindIp).", TCP_REFUSED_LOCALHOST_CAUSE],
        fixes ["Start the server, or check the port and the server's bindIp.", TCP_REFUSED_LOCALHOST_FIX, "For a server in a container, publish the port and bind to 0.0.0.0."];
    NetworkTimeout => "network_timeout", NetworkTimeout,
        "No answer in time: the connection attempt was silently dropped.",
        causes ["A firewall or corporate network blocking outbound port 27017.", TIMEOUT_ACCESS_LIST_CAUSE, "A host that is down or a wrong address."],
        fixes [TIMEOUT_ACCESS_LIST_FIX, "Try from another network (a phone hotspot) to rule out an egress firewall on port 27017."];
    NetworkUnreachable => "network_unreachable", NetworkTimeout,
        "The network path to the host does not exist (host or network unreachable).",
        causes ["No route to the address: an offline network, a VPN that is down, or an IPv6 address without IPv6 connectivity."],
        fixes ["Check the network connection and VPN; prefer IPv4 if IPv6 is not routed here."];

    // ---- ip access list (exit 13) ---------------------------------------------
    IpAccessListAlert => "ip_access_list", IpAccessList,
        "The Atlas host refused the TLS handshake with alert 80 (internal_error): this machine's IP address is not on the cluster's IP access list.",
        causes ["Atlas shared and flex tiers answer a client outside the IP access list with a TLS internal_error alert.", "Your public IP address changed (home network, VPN, CI runner)."],
        fixes ["In Atlas, open Network Access and add this machine's current public IP address (or the CI runner's range).", "Access list changes take a minute or two to apply."];
    IpAccessListClosed => "ip_access_list_closed", IpAccessList,
        "The Atlas host closed the connection during the TLS handshake: most likely this machine's IP address is not on the access list.",
        causes ["Atlas drops connections from addresses outside the IP access list."],
        fixes ["In Atlas, open Network Access and add this machine's current public IP address."];
    IpAccessListSuspected => "ip_access_list_suspected", IpAccessList,
        "No server of the Atlas cluster could be reached; the most common cause is that this machine's IP address is not on the cluster's IP access list.",
        causes ["Your current public IP address is not on the Atlas IP access list (it changes on home networks, VPNs and CI runners)."],
        fixes ["In Atlas, open Network Access and add this machine's current public IP address; changes take a minute or two to apply."];

    // ---- confirmed by the Atlas API (--atlas-api) -------------------------------
    IpAccessListConfirmed => "ip_access_list_confirmed", IpAccessList,
        "Confirmed by the Atlas API: this machine's IP address is not on the project's IP access list.",
        causes ["Your public IP address changed (home network, VPN, CI runner) or was never added.", "A temporary access-list entry expired."],
        fixes ["Add the address named in the evidence: `atlas accessLists create IP --projectId PROJECT` (or Atlas UI: Security > Network Access > Add IP Address).", "Access list changes take a minute or two to apply."];
    IpAccessListPending => "ip_access_list_pending", IpAccessList,
        "The access-list entry that covers this machine's address is not active yet.",
        causes ["Atlas applies access-list changes within a minute or two; until then the entry is PENDING (or FAILED when it could not be applied)."],
        fixes ["Wait a minute and run again; an entry that stays FAILED must be deleted and added again."];
    AtlasIpCovered => "ip_access_list_ruled_out", Tls,
        "The Atlas host refused the TLS handshake, but the Atlas API shows this machine's address is on the IP access list: the access list is not the cause.",
        causes ["The project accepts only private endpoint (or peering) connections, so the public hosts refuse everyone.", "A cluster that is paused, being created, or unhealthy.", "Traffic to port 27017 leaves through another address than the one checked (a proxy, a VPN split tunnel)."],
        fixes ["Check the cluster in the Atlas UI (state, pause, private endpoint settings).", "Run from the network the application uses, or pass --egress-ip with the address its traffic leaves from."];
    AtlasClusterPaused => "atlas_cluster_paused", Server,
        "The Atlas cluster is paused: it refuses every connection until it is resumed.",
        causes ["The cluster was paused by hand or by an automation (paused clusters keep their data but serve no connections)."],
        fixes ["Resume the cluster: `atlas clusters start NAME --projectId PROJECT` (or Atlas UI: the cluster's ... menu > Resume)."];
    AtlasClusterUnavailable => "atlas_cluster_unavailable", Server,
        "The Atlas cluster is not in a state that serves connections.",
        causes ["The cluster is being created, deleted or repaired."],
        fixes ["Wait until the Atlas UI shows the cluster as active, then run again."];
    AtlasPrivateStringOutside => "atlas_private_string_outside", NetworkTimeout,
        "The connection string is a private endpoint or VPC peering string: it works only from inside the connected network.",
        causes ["A -pl-N (private endpoint) or -pri (peering) host name, or hosts resolving to private addresses (RFC 1918, 100.64.0.0/10), used from outside the VPC."],
        fixes ["From outside the VPC, use the cluster's standard connection string (Atlas UI: Connect > Drivers), and put this machine's address on the IP access list.", "Or run from inside the VPC (or over its VPN)."];
    AtlasUserMissing => "atlas_user_missing", AuthFailed,
        "The database user in the connection string does not exist in the Atlas project.",
        causes ["A typo in the user name, a user deleted (or a temporary user expired), or a connection string of another project."],
        fixes ["Create the user in Atlas (Security > Database Access) or fix the user name in the connection string."];
    AtlasUserWrongCluster => "atlas_user_wrong_cluster", AuthFailed,
        "The database user exists, but is limited to other clusters than this one.",
        causes ["The user's access is restricted to specific clusters (scopes), and this cluster is not among them."],
        fixes ["Atlas UI: Security > Database Access > Edit the user > Restrict Access to Specific Clusters: add this cluster, or remove the restriction."];
    AtlasUserPending => "atlas_user_pending", AuthFailed,
        "The database user exists, but the cluster has not applied the change yet: new users cannot log in until it has.",
        causes ["The user was created or changed moments ago; the cluster's changeStatus is PENDING."],
        fixes ["Wait until the change is applied (usually a minute or two) and run again."];
    AtlasWrongPassword => "atlas_wrong_password", AuthFailed,
        "The database user exists and is active on this cluster: the password is wrong.",
        causes ["A wrong or old password, or one with special characters that were not percent-encoded."],
        fixes ["Reset the password where it is typed, never on a command line: Atlas UI, Security > Database Access > Edit > Edit Password (Autogenerate Secure Password); then percent-encode special characters in the URI."];

    // ---- tls (exit 14) ---------------------------------------------------------
    TlsUnknownIssuer => "tls_unknown_issuer", Tls,
        "The server's certificate chain is not trusted by this machine.",
        causes ["A corporate TLS-intercepting proxy or antivirus replaced the certificate with one signed by its own CA.", "A self-signed or private-CA certificate without tlsCAFile.", DRIVER_TRUST_STORES],
        fixes ["If the issuer is a proxy (Zscaler, Netskope, Fortinet, ...), ask IT to exempt the database hosts or install its CA and pass tlsCAFile=/path/to/ca.pem.", "For a private CA, add tlsCAFile=/path/to/ca.pem to the connection string."];
    TlsExpired => "tls_expired", Tls,
        "The server's certificate has expired.",
        causes ["The server's certificate was not renewed.", "This machine's clock is wrong."],
        fixes ["Renew the server certificate.", "Check the system clock (date) on this machine."];
    TlsNotYetValid => "tls_not_yet_valid", Tls,
        "The server's certificate is not valid yet.",
        causes ["This machine's clock is behind.", "A certificate issued with a future start date."],
        fixes ["Fix the system clock (enable NTP)."];
    TlsNameMismatch => "tls_name_mismatch", Tls,
        "The server's certificate does not carry the host name that was connected to.",
        causes ["Connecting by IP address or an alias instead of the name in the certificate.", "A proxy or load balancer presenting another service's certificate."],
        fixes ["Connect with a host name that the certificate lists (see evidence)."];
    TlsAlert => "tls_alert", Tls,
        "The server aborted the TLS handshake with an alert.",
        causes ["The server rejects this client's TLS version, ciphers or missing client certificate."],
        fixes ["Check the server's TLS settings (minimum version, client certificate requirement)."];
    TlsClientCertificateRequired => "tls_client_certificate_required", Tls,
        "The server demands a client certificate (mutual TLS), and none was presented.",
        causes ["The server requires X.509 client certificates (mongod --tlsCAFile without --tlsAllowConnectionsWithoutCertificates, or a TLS proxy doing mutual TLS), and the connection string has no tlsCertificateKeyFile."],
        fixes ["Add tlsCertificateKeyFile=/path/to/client.pem (the client certificate and its key in one PEM file) to the connection string; with authMechanism=MONGODB-X509 the certificate is also the login.", "Or ask the server's operators whether connections without a certificate are meant to be allowed."];
    TlsClientCertificateRejected => "tls_client_certificate_rejected", Tls,
        "The server refused the client certificate that was presented.",
        causes ["The client certificate is not signed by a CA the server trusts (its --tlsCAFile or --tlsClusterCAFile).", "The client certificate has expired or lacks the clientAuth extended key usage."],
        fixes ["Check tlsCertificateKeyFile: the certificate must be issued by the CA the server trusts for clients, be current, and allow client authentication."];
    TlsClosedAfterHello => "tls_closed_after_client_hello", Tls,
        "The server closed the connection right after the TLS ClientHello.",
        causes ["A plain (non-TLS) MongoDB server that drops the unexpected TLS bytes.", "A firewall or proxy that cuts TLS traffic."],
        fixes ["If the server does not use TLS, remove tls=true (or ssl=true) from the connection string."];
    TlsPlainServer => "tls_plain_server", Tls,
        "TLS was asked for, but the server does not speak TLS.",
        causes ["tls=true against a server that runs without TLS."],
        fixes ["Remove tls=true (or ssl=true) from the connection string, or enable TLS on the server."];
    TlsRequired => "tls_required", Tls,
        "This server requires TLS, but the connection string does not turn it on.",
        causes ["A plain connection to a TLS-only server: the server resets or closes the connection at the first bytes."],
        fixes ["Add tls=true to the connection string (Atlas always requires it; mongodb+srv:// turns it on)."];
    TlsProtocol => "tls_protocol", Tls,
        "The TLS handshake failed: client and server share no protocol version or cipher.",
        causes ["An old server offering only TLS 1.0/1.1, or a middlebox that mangles the handshake."],
        fixes ["Upgrade the server's TLS configuration to TLS 1.2 or later."];
    TlsHandshakeTimeout => "tls_handshake_timeout", Tls,
        "The server never answered the TLS handshake.",
        causes ["A plain server that waits for the client while the client waits for TLS.", "A proxy or firewall that holds the connection."],
        fixes ["If the server does not use TLS, remove tls=true; otherwise check what listens on that port."];
    TlsNoSni => "tls_no_sni", Tls,
        "The server needs the TLS server name (SNI), which this client did not send.",
        causes ["An old driver or an old TLS library that does not send SNI; Atlas shared and serverless clusters route connections by it."],
        fixes ["Upgrade the driver and the language runtime (its TLS library) to a current release."];
    TlsHandshakeFailed => "tls_handshake_failed", Tls,
        "The TLS handshake with the server failed.",
        causes ["An untrusted or invalid certificate, a protocol mismatch, or a server that refused this client during the handshake."],
        fixes ["Run `atlas-doctor ping` with the same connection string: its TLS step names the certificate, issuer and alert."];

    // ---- server (exit 15) ------------------------------------------------------
    NotMongodb => "not_mongodb", Server,
        "Something answered on this port, but it is not MongoDB.",
        causes ["Another service (an HTTP server, a proxy) on this port, or a wrong port number."],
        fixes ["Check the port: MongoDB listens on 27017 by default; Atlas hosts on 27017."];
    ServerNotRunning => "server_not_running", Server,
        "The MongoDB server is not running: it stopped, or could not start.",
        causes ["A start-up the server's own log names: its port taken, its data directory missing or not writable, its key file readable by others, no disk space.", "A CPU without AVX: MongoDB 5.0 and later stop with 'Illegal instruction' on it (common in VMs and older machines)."],
        fixes ["Fix what the server's log names, start mongod again and read its log to the line 'Waiting for connections'; on a CPU without AVX, give the VM the host's CPU type or run MongoDB 4.4."];
    NoReply => "no_reply", Server,
        "The connection opened, but the server never answered the MongoDB handshake.",
        causes ["A stuck or overloaded server, or a proxy that accepts connections without forwarding them."],
        fixes ["Check the server's logs and load; check any proxy or port forward in between."];
    ServerSilent => "server_silent", Server,
        "The server answered the handshake, then answered no command within the deadline.",
        causes ["A stuck or overloaded server that still answers the handshake from its connection thread.", "A proxy or load balancer that answers hello itself but cannot reach the server behind it."],
        fixes ["Check the server's logs, load and slow operations; check any proxy in between.", "Raise --timeout if the server is only slow."];
    ClosedWithoutReply => "closed_without_reply", Server,
        "The server closed the connection without answering the MongoDB handshake.",
        causes ["A server or proxy that rejects this client (connection limits, access rules), or a non-MongoDB service."],
        fixes ["Check the server's logs for rejected connections; check maxIncomingConnections and any proxy in between."];
    WireVersionTooOld => "wire_version_too_old", Server,
        "The server is too old for current drivers.",
        causes ["Current drivers need MongoDB 4.2 or later (wire version 8+; this tool's driver needs 9, MongoDB 4.4)."],
        fixes ["Upgrade the server, or use an older driver release that still supports it."];
    WireVersionTooNew => "wire_version_too_new", Server,
        "The server is newer than the driver supports.",
        causes ["An old driver against a new server."],
        fixes ["Upgrade the driver."];
    ReplicaSetMismatch => "replica_set_mismatch", Server,
        "The replica set name in the connection string differs from the server's.",
        causes ["A replicaSet= option copied from another cluster, or a server started with another --replSet."],
        fixes ["Set replicaSet= to the server's name (see evidence), or remove it."];
    NoPrimary => "no_primary", Server,
        "No member of the replica set is primary.",
        causes ["An election in progress, a majority of members down, or a paused cluster."],
        fixes ["Wait for the election to finish, check member health, or resume the paused cluster."];
    AtlasQuotaExceeded => "atlas_quota_exceeded", Server,
        "The Atlas cluster is over its storage quota, so it refuses writes.",
        causes ["A free or shared tier cluster has reached its storage limit (512 MB on M0)."],
        fixes ["Delete data or drop unused collections and indexes, or move the cluster to a larger tier."];

    // ---- auth (exit 16) --------------------------------------------------------
    AuthFailedAtlas => "auth_failed_atlas", AuthFailed,
        "Atlas rejected the credentials (bad auth, code 8000 AtlasError).",
        causes ["A wrong password.", "A user name that does not exist in this project's Database Access list.", "A password with special characters that were not percent-encoded."],
        fixes ["Check the database user in Atlas (Database Access): it is not the Atlas account login.", "Reset the user's password and percent-encode special characters."];
    AuthFailed => "auth_failed", AuthFailed,
        "The server rejected the credentials (code 18 AuthenticationFailed).",
        causes ["A wrong password.", "A user that does not exist in the authentication database.", "The wrong authSource: the user was created in another database."],
        fixes ["Check the user name and password; the server cannot tell a wrong password from an unknown user.", "Set authSource= to the database where the user was created (usually admin)."];
    AuthSourceSuspect => "auth_source_suspect", AuthFailed,
        "Authentication failed and the connection string has no authSource while its database is not admin.",
        causes ["Without authSource, drivers authenticate against the database in the path; Atlas users live in admin."],
        fixes ["Add authSource=admin to the connection string."];
    AuthNoPassword => "auth_no_password", AuthFailed,
        "A user name was given without a password, so nothing was sent to the server.",
        causes ["The connection string names a user with no :password (mongodb://alice@host/).", "The config's username has no password-env."],
        fixes ["Add :password after the user name in the connection string (percent-encoded), or set password-env in the config to the variable that holds it."];
    AuthMechanismUnsupported => "auth_mechanism_unsupported", AuthFailed,
        "The server does not support the authentication mechanism that was asked for.",
        causes ["authMechanism names a mechanism the server or this user does not offer (for example SCRAM-SHA-1 disabled)."],
        fixes ["Remove authMechanism to negotiate, or pick one the server offers (see evidence)."];

    // ---- authorization (exit 17) -----------------------------------------------
    Unauthorized => "unauthorized", Authorization,
        "Authenticated, but the user is not allowed to do this.",
        causes ["The user's roles do not grant the action on this database or collection."],
        fixes ["Grant a role that allows the action (for example read or readWrite on the database)."];
    AuthRequired => "auth_required", Authorization,
        "The server requires authentication, but no credentials were given.",
        causes ["The connection string has no user:password."],
        fixes ["Add user:password to the connection string (percent-encoded), or set username and password-env in the config."];

    // ---- auth/data, added with auth-check and collections ---------------------
    AuthMechanismNotBuilt => "auth_mechanism_not_built", Internal,
        "This build of atlas-doctor cannot try the authentication mechanism the connection string asks for.",
        causes ["authMechanism names a mechanism (MONGODB-AWS, GSSAPI) whose driver support is not compiled into this build."],
        fixes ["Check the credentials with mongosh or the application's own driver, or use a build with that mechanism enabled."];
    AuthPasswordUnusable => "auth_password_unusable", AuthFailed,
        "The password cannot be used with SCRAM-SHA-256: SASLprep refuses some of its characters, so nothing was sent to the server.",
        causes ["SCRAM-SHA-256 normalises passwords with SASLprep (RFC 4013), which refuses unassigned code points (many emoji), control characters and some others."],
        fixes ["Give the user a password without those characters.", "Or authenticate with authMechanism=SCRAM-SHA-1 where the server still allows it (it does not use SASLprep)."];
    DriverFailed => "driver_failed", Server,
        "The driver could not use the deployment, although the earlier layers reached it.",
        causes ["The driver's own connection differs from the probe's (TLS settings, host names it cannot resolve, server selection)."],
        fixes ["Read the driver's error in the evidence; run `atlas-doctor ping --verbose` to compare the layers."];
    ProbeFailed => "probe_failed", Internal,
        "atlas-doctor itself failed: a probe panicked or was cancelled, so this run cannot vouch for the connection.",
        causes ["A bug in atlas-doctor, triggered by something this deployment or network answered."],
        fixes ["Report it with the command you ran (password removed) and the output of --verbose."];
    CollectionsMissing => "collections_missing", ChecksFailed,
        "Expected collections are missing from the database.",
        causes ["The application's migrations or first writes have not run against this database.", "The connection string or `database` names another database than the application uses.", "The user may list only collections it has privileges on."],
        fixes ["Create the collections (or run the migrations), or point --db / `database` at the right database."];

    // ---- the code's collections (`--from-code`, issue 23) ----------------------
    CodeCollectionsMissing => "code_collections_missing", ChecksFailed,
        "Collections the application's code uses are missing from the database.",
        causes ["A typo in the code or in the database (case, `_` against camelCase, singular against plural).", "The migrations or first writes have not run against this database.", "The connection string or --db names another database than the application uses."],
        fixes ["Fix the spelling on one side, create the collections, or point --db at the application's database."];
    CodeAccessorsUndefined => "code_accessors_undefined", ChecksFailed,
        "The code calls collection accessors that are defined nowhere in its tree.",
        causes ["The accessor was renamed or removed while its callers stayed.", "It is defined in code outside the paths given to --from-code."],
        fixes ["Define the accessor or call the one that exists; or pass the directory that defines it too (--from-code is repeatable)."];
    CodeNoDatabase => "code_no_database", ChecksFailed,
        "The code's collections cannot be compared: no database was listed.",
        causes ["Neither --db nor the connection string's path names the application's database."],
        fixes ["Name the database with --db NAME, in the connection string's path, or as `database` in the config."];
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_snake_case_and_round_trip() {
        let mut seen = HashSet::new();
        for &finding in Finding::ALL {
            let id = finding.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{id}"
            );
            assert_eq!(Finding::from_id(id), Some(finding));
        }
    }

    #[test]
    fn every_finding_has_words_and_a_failing_class() {
        for &finding in Finding::ALL {
            let advice = finding.advice();
            assert!(!advice.summary.is_empty());
            assert!(!advice.causes.is_empty(), "{finding:?} has no cause");
            assert!(!advice.fixes.is_empty(), "{finding:?} has no fix");
            // checks_failed (exit 1, e.g. collections_missing) fails a run too; only ok,
            // usage (clap's) and explain's unknown are not findings' classes.
            assert!(
                finding.class().exit_code() == 1 || finding.class().exit_code() >= 3,
                "{finding:?} maps to a passing class"
            );
        }
    }
}
