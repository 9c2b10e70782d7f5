//! The wording rules: which words, from which driver, mean which finding. One
//! readable table; the order is the precedence within a tier (see `Tier`).
//!
//! Rules are tried top to bottom and the first that matches decides, so the
//! table runs from the most specific evidence to the vaguest wrapper: a
//! server's own reply (bad auth, code 13, wire version) first, then TLS, DNS and
//! TCP errors, then connections closed or timed out, and last the drivers'
//! server-selection summaries, which only say that no server was usable. That is
//! how the inner error beats the outer wrapper: a Java `Client view of cluster
//! state ... caused by {java.net.ConnectException: Connection refused}` or a Node
//! `MongoServerSelectionError` whose reason holds a TLS alert is decided by the
//! inner words, because their rules come first.
//!
//! Every pattern is a case-insensitive regular expression (the `regex` crate,
//! linear time: no pattern can take catastrophic time). `requires` and `unless`
//! are patterns looked for anywhere in the text. Every rule carries one example
//! that must be decided by it; `explain`'s tests check each one.

use crate::model::finding::Finding;
use crate::uri::atlas_domain_pattern;

/// One line of the table.
#[derive(Debug)]
pub struct Rule {
    /// Stable name, shown in the evidence (`rule: ...`) and in test failures.
    pub name: &'static str,
    /// Case-insensitive pattern for the words that decide it.
    pub pattern: &'static str,
    /// Another pattern that must also occur somewhere (an Atlas host, TLS in use).
    pub requires: Option<&'static str>,
    /// A pattern whose presence anywhere vetoes the rule.
    pub unless: Option<&'static str>,
    /// The finding it names (class, summary, causes, fixes).
    pub finding: Finding,
    /// A sharper cause, shown first.
    pub note: Option<&'static str>,
    /// A sharper fix, shown first.
    pub fix: Option<&'static str>,
    /// Whether `fix` says what the finding's own fixes say, sharper: then it
    /// replaces them rather than repeating them in other words.
    pub replaces_fixes: bool,
    /// Other findings the same wording is known to mean: listed as alternatives.
    pub also: &'static [Finding],
    /// A summary that other errors are wrapped in (server selection): when a
    /// more specific rule decides, a wrapper adds no alternative; when it decides
    /// alone, the text cannot tell the cause (`decidable: false`).
    pub wrapper: bool,
    /// Words that fit several causes (a closed connection, a bare Atlas code):
    /// a driver's own message or an error number in the text outranks them.
    pub vague: bool,
    /// A message (as drivers print it) that this rule must decide.
    pub example: &'static str,
}

/// A host of MongoDB Atlas (or an Atlas replica-set name) in the text.
pub const ATLAS: &str = concat!(
    r"\.",
    atlas_domain_pattern!(),
    r"\b|\batlas-[a-z0-9]+-shard-|MongoDB Atlas"
);

/// A standard `mongodb://` string that lists Atlas hosts: TLS is off unless it says so.
const ATLAS_PLAIN_URI: &str = concat!(r#"mongodb://[^\s"'/?]*\."#, atlas_domain_pattern!());

/// Signs that TLS was in use on the connection.
const TLS_ON: &str = r"mongodb\+srv://|[?&](?:tls|ssl)=true|TLSSocket|SSL routines|_ssl\.c|SSL handshake|TLS handshake|SslStream|SSLHandshakeException|remote party has closed the transport stream|\btls: |\bssl (?:connect|recv|send): |, TLS\)\)";

/// TLS alert 80 (internal_error) in OpenSSL, BoringSSL, Go, rustls, Java and .NET wording.
const ALERT_80: &str = r"alert internal error|ALERT_INTERNAL_ERROR|alert number 80\b|fatal alert: ?InternalError|tls: internal error|received fatal alert: internal_error|InternalError alert";

/// The peer closed or reset the connection before a reply.
const CLOSED: &str = r"connection (?:<monitor> |\d+ )?to \S+ closed|socket disconnected before secure TLS connection|<monitor> to \S+ closed|\bconnection (?:is |was )?closed\b|socket was unexpectedly closed|server closed (?:the )?connection|closed the connection|unexpected end of file|prematurely reached end of stream|end of stream|incomplete read of message header|:\s*EOF\b|\bEOF\s*\}|\bECONNRESET\b|connection reset|forcibly closed|remote party has closed the transport stream|unexpected EOF or 0 bytes|tls handshake eof|(?:os error|errno) 104\b|WSAECONNRESET|remote host terminated the handshake|remote host closed connection|broken pipe|\bEPIPE\b|socket hang up|unable to write wire message to network|\b(?:ssl|tcp) (?:connect|recv|send): closed\b|\bEOFError: end of file reached";

/// The TLS handshake itself ran out of time.
const HANDSHAKE_TIMEOUT: &str = r"handshake operation timed out|handshake timed out|TLS handshake timeout|SSL handshake timeout";

/// The TCP connection attempt ran out of time.
const CONNECT_TIMEOUT: &str = r"\bETIMEDOUT\b|Socket '(?:secureConnect|connect)' timed out\b|\bconnection (?:<monitor> |\d+ )?to \S+ timed out\b|:\d{2,5}: timed out\b|tcp connect \([^)]*\): timeout|connect(?:ion)? timed out|connection timeout|connect timeout|i/o timeout|Errno 110\b|os error 110\b|os error 10060|WSAETIMEDOUT|did not properly respond after a period of time|Error\s*:\s*timed out|timed out connecting|took (?:over|more than) \S+ seconds to connect";

/// A private IPv4 address (RFC 1918, and 100.64.0.0/10 as AWS and Azure use
/// it); a macro so that patterns can `concat!` it.
macro_rules! private_v4 {
    () => {
        r"\b(?:10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])(?:\.\d{1,3}){2})"
    };
}

/// A driver's server-selection summary: no server became usable in time.
const SELECTION: &str = r"Server selection timed out|server selection (?:timeout|error)|ServerSelectionTimeoutError|MongoTimeoutException|MongoTimeoutError|Time(?:d)? ?out after \d+ ?ms while waiting|Timed out while waiting for a server|timeout occur+ed after \d+ ?ms selecting a server|No \S+ server is available|No server is available matching preference|No suitable servers found|No available servers|Topology selection timeout|No servers available|NoServerAvailable|No server chosen by|Could not locate any valid servers|failed to connect to (?:server )?\[[^\]]*\]|MongooseServerSelectionError|MongoServerSelectionError|context deadline exceeded|\bno reachable servers?\b|No replica set members (?:match selector|available for replica set name)|No primary available for writes";

/// The Java 3.x pool's own timeout (see `pool_exhausted!`): the selection
/// summaries stand down for it.
const POOL_EXHAUSTED: &str = pool_exhausted!();

/// Live commands that settle what the text alone cannot.
pub const PING_HINT: &str = "Run `atlas-doctor ping` with the same connection string: it tests DNS, TCP, TLS and the MongoDB handshake live and names the layer that breaks.";
/// As `PING_HINT`, when credentials are among the suspects.
pub const AUTH_CHECK_HINT: &str = "Run `atlas-doctor auth-check` with the same connection string: it tests the network layers and then the credentials live, and names the one that breaks.";

/// Standard advice for SRV lookups that a local resolver cannot answer.
const SRV_FIX: &str = "Use the standard connection string instead of mongodb+srv:// (Atlas UI: Connect > Drivers, pick an old driver version to see mongodb://host1,host2,host3/?tls=true&replicaSet=...), or try another resolver: `atlas-doctor ping --dns-server 1.1.1.1`.";

macro_rules! rule {
    ($name:literal, $pattern:expr, $finding:ident $(, $field:ident: $value:expr)* $(,)?) => {
        Rule {
            name: $name,
            pattern: $pattern,
            finding: Finding::$finding,
            $($field: rule!(@wrap $field $value),)*
            ..Rule::DEFAULT
        }
    };
    (@wrap also $value:expr) => { $value };
    (@wrap wrapper $value:expr) => { $value };
    (@wrap vague $value:expr) => { $value };
    (@wrap replaces_fixes $value:expr) => { $value };
    (@wrap example $value:expr) => { $value };
    (@wrap $field:ident $value:expr) => { Some($value) };
}

impl Rule {
    /// Field defaults for the table's `..Rule::DEFAULT`.
    const DEFAULT: Rule = Rule {
        name: "",
        pattern: "",
        requires: None,
        unless: None,
        finding: Finding::UriMalformed,
        note: None,
        fix: None,
        replaces_fixes: false,
        also: &[],
        wrapper: false,
        vague: false,
        example: "",
    };
}

/// The table. Order is precedence: the first rule that matches decides.
pub static RULES: &[Rule] = &[
    // ---- connection string and client configuration --------------------------------
    rule!("uri_unescaped",
        r"must be escaped according to RFC ?3986|(?:user ?name|password) contains (?:an )?unescaped characters?|unescaped (?:@|at-sign|colon|slash)|contains invalid user information|must be url ?encoded",
        UriUnescapedCharacter,
        example: "pymongo.errors.InvalidURI: Username and password must be escaped according to RFC 3986, use urllib.parse.quote_plus"),
    rule!("uri_srv_port",
        r"ports? (?:is |are )?not (?:accepted|allowed|supported) with\W{0,3}mongodb\+srv|mongodb\+srv\W{0,3} (?:URIs? )?(?:must not|cannot|can ?not|may not) (?:include|have|contain|specify) (?:a )?port|a port (?:number )?cannot be specified",
        UriSrvWithPort,
        example: "MongoParseError: Ports not accepted with `mongodb+srv` URIs"),
    rule!("uri_srv_hosts",
        r"multiple service names|(?:cannot|can ?not|must not) (?:specify|have|contain|use) multiple hosts|only one host (?:is )?(?:allowed|supported|permitted)",
        UriSrvMultipleHosts,
        example: "MongoParseError: mongodb+srv URI cannot have multiple service names"),
    rule!("srv_support_missing",
        r#""?dnspython"? module must be installed|dnspython must be installed|install (?:pymongo\[srv\]|dnspython)"#,
        SrvSupportMissing,
        example: "pymongo.errors.ConfigurationError: The \"dnspython\" module must be installed to use mongodb+srv:// URIs"),
    rule!("uri_scheme",
        r#"invalid scheme|expected (?:connection string|uri) to start with|must (?:begin|start) with (?:either )?['"]?mongodb|uri must be (?:a )?mongodb scheme|scheme must be ['"]?mongodb|(?:does not|doesn't) start with ['"]?mongodb"#,
        UriUnknownScheme,
        example: "MongoParseError: Invalid scheme, expected connection string to start with \"mongodb://\" or \"mongodb+srv://\""),
    rule!("uri_missing",
        r"parameter to .?openUri\(\).? must be a string, got .?undefined|\buri (?:parameter )?(?:is|was) (?:undefined|empty|missing|not (?:set|defined))|(?:MONGO(?:DB)?_UR[IL]|DATABASE_URL)\W{0,3} (?:is )?(?:undefined|not (?:set|defined))|connection ?string (?:can ?not|must not) be (?:null|empty)",
        ConfigMissingValue,
        note: "The connection string came from a variable that is not set (often a missing .env file or an unexported variable).",
        example: "MongooseError: The `uri` parameter to `openUri()` must be a string, got \"undefined\". Make sure the first parameter to `mongoose.connect()` or `mongoose.createConnection()` is a string."),
    rule!("uri_option",
        r"all instances of '\w+' and '\w+' must be consistent|Unknown server API version|Server API version \S+ is not supported|should not contain (?:the )?protocol|Invalid :\w+ option value|\bmaxConnecting must be|couldn't parse address from|CRL files are not supported|InvalidMechanism|is invalid, please use one of the following mechanisms|(?:unknown|unsupported|invalid) (?:uri|connection string) option|\bunknown option\b|\boption \S+ is not supported|\bUnsupported compressor|is not (?:a )?valid (?:value )?for read_?preference|Unknown ReadPreference|\bInvalid (?:localThresholdMS|\w+TimeoutMS|maxPoolSize|minPoolSize|w|readConcernLevel)\b ?[:=]|Invalid %+ escape sequence|Illegal trailing backslash|\bBad database name\b|invalid server address\b|auth ?source must be \$external|does not support (?:the )?\w+MS\b|Error parsing command line: unrecognized option|\b(?:SCRAM-SHA-(?:1|256)|MONGODB-(?:CR|X509|AWS|OIDC)|PLAIN|GSSAPI|DEFAULT)'?(?: authentication mechanism)? requires a (?:username|password)\b",
        UriInvalidOption,
        // The last: a mechanism named with no user, refused before connecting
        // (libmongoc, for PHP: "'SCRAM-SHA-1' authentication mechanism requires
        // a username"; PyMongo: "SCRAM-SHA-256 requires a username").
        example: "Mongo::Auth::InvalidMechanism: nil is invalid, please use one of the following mechanisms: :mongodb_cr, :mongodb_x509, :plain, :scram, :scram256"),
    rule!("mongoid_config_missing",
        r"No default client configuration is defined|No configuration could be found for a client named|Mongoid::Errors::NoClientConfig|Mongoid::Errors::NoClientsConfig",
        ConfigFileInvalid,
        // Mongoid's own messages (lib/config/locales/en.yml: no_client_config, no_default_client).
        note: "Mongoid found no client in its configuration (config/mongoid.yml, for this environment): nothing says where to connect.",
        example: "Mongoid::Errors::NoClientConfig: No configuration could be found for a client named 'default'."),
    // ---- the server's own reply: authentication and authorization ---------------------
    rule!("ruby_auth_unauthorized",
        r"mongo:{1,2}auth:{1,2}unauthorized|is not authorized to access \S+ \(used mechanism",
        AuthFailed,
        note: "The Ruby driver words a rejected login as Mongo::Auth::Unauthorized ('is not authorized to access'): the credentials were rejected; no privilege is missing.",
        example: "Mongo::Auth::Unauthorized: User app (mechanism: scram) is not authorized to access admin (used mechanism: SCRAM-SHA-1)"),
    rule!("atlas_not_allowed",
        r"user is not allowed to do action|is not allowed to do action \[|\bCMD_NOT_ALLOWED\b|not allowed in this atlas tier|\bin this atlas tier\b|(?:not (?:supported|available)|unsupported) (?:in|on|for) (?:this|the|your) (?:Atlas |cluster )?tier",
        Unauthorized,
        note: "Atlas (code 8000) refuses this action: the user's role does not grant it, or the cluster tier does not allow the command (CMD_NOT_ALLOWED: shared and serverless tiers refuse some commands, such as mapReduce or $eval, whatever the role).",
        example: "MongoServerError: user is not allowed to do action [insert] on [test.users]"),
    rule!("atlas_bad_auth", r"bad auth", AuthFailedAtlas,
        example: "MongoServerError: bad auth : Authentication failed."),
    rule!("dotnet_tls_closed_atlas",
        r"Authentication failed because the remote party (?:has closed|sent a TLS alert)|remote party has closed the transport stream",
        IpAccessListClosed,
        requires: ATLAS,
        note: ".NET words a TLS handshake that the server cut off as 'Authentication failed because the remote party has closed the transport stream': it is TLS, not the database login.",
        example: "System.IO.IOException: Authentication failed because the remote party has closed the transport stream. (cluster0-shard-00-01.ab1cd.mongodb.net:27017)"),
    rule!("dotnet_tls_closed",
        r"Authentication failed because the remote party (?:has closed|sent a TLS alert)|remote party has closed the transport stream",
        TlsClosedAfterHello,
        note: ".NET words a TLS handshake that the server cut off as 'Authentication failed because the remote party has closed the transport stream': it is TLS, not the database login.",
        also: &[Finding::ClosedWithoutReply, Finding::IpAccessListClosed],
        example: "System.IO.IOException: Authentication failed because the remote party has closed the transport stream."),
    rule!("client_options_refused",
        r"Conflicting (?:client|topology|URI) options|Load-balanced clusters with no seeds|Cannot have min size \d+ exceed max size|Can only make Socks5 connections|No AuthProvider for \S+ defined|Unknown ServerApi version|appname must be <=|UNIX-sockets are not supported|is not a valid server address|Socket based connections do not support ssl|SSL support not available",
        UriInvalidOption,
        // The drivers' checks of the client's own options before connecting
        // (Ruby's Mongo::Client, Node's MongoClient options, PyMongo's
        // client_options, C#'s server addresses, Java's socket settings, the
        // C++ driver built without TLS): thrown as argument errors, but about
        // the connection's configuration, not the application's data.
        note: "The driver refused the client's options before it connected: two options that conflict, a value out of range, or a feature this build or platform lacks.",
        example: "ArgumentError: Conflicting client options: direct_connection=true and connect=replica_set"),
    rule!("auth_settings_incomplete",
        r"\bmechanism\W{0,3}\S{0,20} (?:auth )?(?:mechanism )?requires? (?:a )?password|needs? an auth ?source|mechanism properties MUST NOT be specified|no callback or mechanism properties provided|CANONICALIZE_HOST_NAME is not supported",
        UriInvalidOption,
        // The drivers' own checks of the credential settings, before anything
        // is sent: C# (PLAIN needs a password), Node (PLAIN needs an auth
        // source), Rust (SCRAM takes no mechanism properties; OIDC needs a
        // callback), Go (GSSAPI host canonicalisation on Linux).
        note: "The driver refused the credential settings before it sent anything: the mechanism named needs a setting that is missing, or takes none that is given.",
        example: "System.NotSupportedException: PLAIN auth mechanism require password."),
    rule!("scram_exchange_broken",
        r"\bnonce (?:does not|doesn't) begin with|\binvalid (?:server )?nonce\b|\bnonce length\b|\bInvalid\w*Nonce\b|to start with client nonce|server nonce must be the client nonce|reply contained unexpected binary subtype|invalid iteration count|invalid (?:server )?signature|server signature (?:did not|does not|mismatch)|SASL conversation failed|\bSASL Failure\b|did not respond with \{done: true\}|InvalidServerAuthResponse|Payload malformed",
        AuthFailed,
        // The drivers' checks of the server's SCRAM and SASL answers
        // (pymongo/auth.py, node-mongodb-native src/cmap/auth/scram.ts, the
        // Ruby driver's Mongo::Auth errors, libmongoc's SASL): the login broke
        // off in the middle, whatever the password.
        note: "The login broke off: the driver refused one of the server's answers (its nonce, iteration count or signature) or the conversation ended early. A proxy or a server that is not MongoDB in between, or a mechanism the two sides disagree on, does that; a wrong password is refused by the server instead.",
        also: &[Finding::AuthMechanismUnsupported],
        example: "MongoRuntimeError: Server nonce does not begin with client nonce"),
    rule!("client_settings_refused",
        r"no OIDC callback provided|OIDC_HUMAN_CALLBACK must be specified|is not in authOIDCAllowedHosts|OIDC human flow only supports|Unknown key for authMechanismProperties|Auth(?:entication)? mechanism not implemented|app(?:lication)? ?name (?:must be at most|exceeds) 128 bytes|\bport must be an (?:instance of )?int",
        UriInvalidOption,
        // The drivers' own checks of authentication and client settings
        // (PyMongo's OIDC allowed hosts, Go's and Node's OIDC callbacks, the
        // Swift, Deno, Perl and C# option checks): refused before connecting.
        note: "The driver refused a client setting before connecting: an authentication property it does not know or cannot use here (an OIDC callback or allowed host, an unknown authMechanismProperties key, a mechanism this driver lacks) or an option out of range.",
        fix: "Fix the setting the message names in the connection string or the client's options (the driver's documentation lists the values it takes); nothing reached the server.",
        example: "pymongo.errors.ConfigurationError: Refusing to connect to db.example.com, which is not in authOIDCAllowedHosts: ['*.mongodb.net']"),
    rule!("node_invalid_setting",
        r"MongoInvalidArgumentError:?\s[^\n]{0,80}\b(?:read preference|pool|[Pp]assword|[Uu]sername|[Aa]uth|OIDC|mechanism|TLS|tls|option|URI|connection string|[Tt]imeout|compressor|write concern|read concern|appName|[Pp]roxy)\b",
        UriInvalidOption,
        // Node throws MongoInvalidArgumentError for API misuse too (those stay
        // application errors); the words of a client setting make it one.
        note: "The Node.js driver refused a client setting (a read preference, pool size, credential or mechanism option) before connecting.",
        fix: "Fix the option the message names in the connection string or MongoClient options; nothing reached the server.",
        example: "MongoInvalidArgumentError: Invalid read preference mode \"secondaryOnly\""),
    rule!("external_auth_failed",
        r"MONGODB-AWS (?:failure|authentication failed)|Couldn't initialize SSPI|No credentials are available in the security package|No authority could be contacted for authentication|\bThe logon failed\b|role_name from EC2 metadata|EC2 metadata|Host ends with a period: sts\.|does not support the GSSAPI SASL mechanism|(?:temporary )?MONGODB-AWS credentials|AWS credentials? from the environment|failed to get creds|credential provider was not enabled|Azure Identity Provider|OIDC callback|\bMongoOIDCError\b|No Kerberos credentials|Kerberos (?:context|database)|\bGSSAPI Error\b|GSSAPI failure|InvalidServerAuthHost|\bsts host\b|retrieve EC2 keys|retrieve Azure credentials|Azure IMDS response|GSSAPI is not supported on|No platform support for GSSAPI|invalid SSPI data|invalid host: \x22?sts\.",
        AuthFailed,
        // Logins through an identity outside MongoDB (AWS IAM, Azure and GCP
        // managed identities, OIDC, Kerberos), worded by the drivers'
        // external-auth code: the credentials could not be had or were refused.
        note: "The login goes through an identity outside MongoDB (AWS IAM, an Azure or GCP managed identity, OIDC or Kerberos), and that identity could not be obtained or was refused.",
        fix: "Check the identity on this machine (AWS: the role or the AWS_* variables; Azure/GCP: the managed identity; OIDC: the token callback; Kerberos: kinit and the keytab), then that the database has a user for it ($external).",
        example: "MongoMissingCredentialsError: Could not obtain temporary MONGODB-AWS credentials"),
    rule!("auth_mechanism_removed",
        r#"MONGODB-CR['"]? (?:is )?(?:no longer|not) supported|(?:AuthMechanism|authentication mechanism|No AuthProvider for)\W{0,3}MONGODB-CR\b"#,
        UriInvalidOption,
        // The drivers refuse MONGODB-CR before they connect (MongoDB 4.0
        // removed it): the setting is wrong, no password was tried.
        note: "The driver refuses the MONGODB-CR mechanism, which MongoDB 4.0 removed: authMechanism=MONGODB-CR is set in the connection string or the client's options, and no password was tried.",
        fix: "Remove authMechanism=MONGODB-CR (the driver then negotiates SCRAM); a user created on MongoDB 2.x needs SCRAM credentials (authSchemaUpgrade, or set its password again).",
        example: "MongoInvalidArgumentError: AuthMechanism 'MONGODB-CR' not supported"),
    rule!("auth_mechanism",
        r"Received authentication for mechanism \S+ which is (?:unknown|not enabled)|MechanismUnavailable|(?:auth(?:entication)? )?mechanism \S* ?(?:is )?not supported|unsupported (?:auth(?:entication)? )?mechanism|authentication scheme is not supported|\bMONGODB-CR is deprecated and not supported",
        AuthMechanismUnsupported,
        example: "(MechanismUnavailable) Received authentication for mechanism SCRAM-SHA-256 which is not enabled"),
    rule!("atlas_quota", r"over your space quota", AtlasQuotaExceeded,
        example: "MongoServerError: you are over your space quota, using 513 MB of 512 MB"),
    rule!("atlas_code_8000", r"AtlasError|\bcode\W{0,4}8000\b", AuthFailedAtlas,
        note: "Code 8000 (AtlasError) without its message is most often bad auth; Atlas also uses it for actions a user or a cluster tier may not do.",
        also: &[Finding::Unauthorized],
        vague: true,
        example: "{ \"ok\": 0, \"code\": 8000, \"codeName\": \"AtlasError\", \"name\": \"MongoError\" }"),
    rule!("driver_field_refused",
        r"BSON field '(?:saslStart|saslContinue|isMaster|ismaster|hello|authenticate|getnonce)\.\w+' is an unknown field",
        WireVersionTooNew,
        // The server refuses a field the driver sends while it greets or logs
        // in (IDL strict parsing, src/mongo/idl/): MongoDB 5.0 refuses the
        // `mechanism` field that the unmaintained mgo driver sends in
        // saslContinue. It reads like a failed login, but no password is
        // wrong: the driver is too old for the server.
        note: "The server refused a field the driver sends while it logs in: the driver is older than this server supports (the unmaintained mgo driver against MongoDB 5.0 or later), not a wrong password.",
        fix: "Upgrade to a driver that supports this server version (for Go, move from mgo or globalsign/mgo to the official go.mongodb.org/mongo-driver), or run a server version the driver supports.",
        example: "server returned error on SASL authentication step: BSON field 'saslContinue.mechanism' is an unknown field."),
    rule!("auth_failed",
        r"AuthenticationFailed|authentication fail(?:ed)?\b|\bauth fail(?:s|ed)\b|SASL authentication step|sasl conversation error|unable to authenticate using|MongoAuthenticationException|Exception authenticating|SCRAM failure|UserNotFound|Could not find user|Invalid credentials for database|storedKey mismatch|\bcode\W{0,4}18\b|Authentication error",
        AuthFailed,
        example: "Command failed with error 18 (AuthenticationFailed): 'Authentication failed.' on server localhost:27017."),
    rule!("auth_required",
        r"requires authentication|there are no users authenticated|\bnot authenticated\b|authentication required",
        AuthRequired,
        example: "MongoServerError: command find requires authentication"),
    rule!("login_refused_either_way",
        r"\binvalid (?:user ?name|user|login) (?:or|and|/) password\b|\bAuthorization failed for user \S+ on database \S+ with mechanism\b",
        AuthFailed,
        // A login refused, worded by a connector (JDBC and BI drivers, Amazon
        // DocumentDB's) with both words: "invalid username or password" and an
        // "authorization failed ... with mechanism SCRAM-SHA-1", which names the
        // authentication mechanism, so it is the login, not a privilege.
        also: &[Finding::Unauthorized],
        example: "Invalid username or password or user is not authorized on database 'app'. Authorization failed for user 'app' on database 'admin' with mechanism 'SCRAM-SHA-1'."),
    rule!("unauthorized",
        r"not authorized (?:on|for|to)\b|\bUnauthorized\b|\bcode\W{0,4}13\b|NotAuthorized|not have (?:the )?(?:required )?(?:privileges|permissions?) to",
        Unauthorized,
        example: "MongoServerError: not authorized on admin to execute command { listDatabases: 1 }"),
    // ---- reached something that is not a usable deployment ----------------------------
    rule!("driver_incompatible",
        r"\bMongoIncompatibleDriverException\b|is not compatible with one or more of the servers to which it is connected|\bMongoCompatibilityError\b",
        WireVersionTooOld,
        // Java (MongoIncompatibleDriverException) and Node (MongoCompatibilityError):
        // the driver and a server share no wire version.
        note: "The driver and the server share no wire protocol version: a server older than the driver supports (most often), or one newer.",
        also: &[Finding::WireVersionTooNew],
        example: "com.mongodb.MongoIncompatibleDriverException: This version of the driver is not compatible with one or more of the servers to which it is connected"),
    rule!("missing_dependency",
        r"\bMongoMissingDependencyError\b|Optional module [`'\x22]?\S+?[`'\x22]? not found",
        ConfigMissingValue,
        // Node (src/deps.ts): an optional package the connection string needs
        // (kerberos, snappy, zstd, @aws-sdk/credential-providers, mongodb-client-encryption).
        note: "The connection string asks for something (Kerberos, AWS authentication, a compressor, client-side encryption) whose optional package is not installed beside the driver.",
        fix: "Install the package the message names in the application (npm install <name>), or remove the option that needs it from the connection string.",
        replaces_fixes: true,
        example: "MongoMissingDependencyError: Optional module `kerberos` not found. Please install it to enable kerberos authentication"),
    rule!("server_lacks_feature",
        r"requires MongoDB (?:version |server )?\d+\.\d+ or (?:later|newer|above)|Sessions are not supported by the connected server|not supported by the server executing this operation|incompatible with server\. Upgrade server|server version that doesn't support sessions|Servers must all be at least version \d",
        WireVersionTooOld,
        // A driver refusing a feature the server's version lacks (PyMongo's
        // MONGODB-AWS on servers before 4.4, Mongoid's SessionsNotSupported).
        note: "The driver needs a feature this server's version does not have: the server is older than what is asked of it.",
        example: "pymongo.errors.ConfigurationError: MONGODB-AWS authentication requires MongoDB version 4.4 or later"),
    rule!("load_balancer_mismatch",
        r"load balanc\w* mode,? but the server does not support|not in Load Balanced mode|loadBalanced=true.{0,80}(?:not|isn't) (?:behind|a) load balancer",
        DriverFailed,
        // Go, Node, Dart: the connection string says loadBalanced=true and the
        // server answered as one that is not behind a load balancer.
        note: "The connection string asks for a load balancer (loadBalanced=true) and the server answered as one that is not behind one, or the reverse.",
        fix: "Use loadBalanced=true only with a deployment behind a load balancer (Atlas serverless or a private-endpoint load balancer); otherwise remove it.",
        replaces_fixes: true,
        example: "error occurred during connection handshake: driver attempted to initialize in load balancing mode, but the server does not support this mode"),
    rule!("wire_version_too_old",
        r"reports (?:maximum )?wire version \d+,?\s+but this version of .{0,80}?requires at least \d+",
        WireVersionTooOld,
        example: "MongoServerSelectionError: Server at localhost:27017 reports maximum wire version 6, but this version of the Node.js Driver requires at least 8 (MongoDB 4.2)"),
    rule!("command_missing_on_old_server",
        r"no such (?:cmd|command):? ?[`'\x22]?(?:insert|update|delete|find|getMore|listCollections|listIndexes|createIndexes|aggregate|saslStart|saslContinue|findAndModify)\b",
        WireVersionTooOld,
        // A command every current driver sends for reads, writes, listings or
        // logging in, unknown to the server: the server predates it (insert,
        // update, delete and createIndexes came in 2.6, listCollections and
        // listIndexes in 3.0, find and getMore in 3.2).
        note: "The server does not know a command this driver sends for ordinary reads, writes or logins: the server is older than the driver supports.",
        example: "mongodb errmsg:no such cmd: insert"),
    rule!("wire_version_too_new",
        r"requires wire version \d+,?\s+but this version of .{0,80}?only supports up to \d+|reports minimum wire version \d+,?\s+but this version of .{0,80}?requires at most \d+|Unsupported OP_QUERY command|client driver may require an upgrade",
        WireVersionTooNew,
        example: "MongoError: Unsupported OP_QUERY command: insert. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal"),
    rule!("replica_set_mismatch",
        r"Expecting replica set member from set|reported set name \S+ does not match|no reported set name,? but expected|replica ?set name \S+ (?:does not|doesn't) match|setName \S+ (?:does not|doesn't) match|(?:does not|doesn't) match (?:the )?(?:expected )?(?:replica ?set|setName)|replica ?set name mismatch|is not a member of (?:the )?replica set",
        ReplicaSetMismatch,
        example: "Expecting replica set member from set 'rs0', but found one from set 'rs1'. Removing localhost:27017 from client view of cluster."),
    rule!("retryable_writes_unsupported",
        r"does not support retryable writes|retryable writes (?:is|are) not supported|Retryable writes are not supported",
        UriInvalidOption,
        // The drivers turn retryable writes on by default (retryWrites=true);
        // a standalone server, Cosmos DB and DocumentDB refuse them. The
        // message itself names the client option that ends it, so the
        // configuration comes first; running a replica set is the other way.
        note: "The driver asks for retryable writes (on by default) and this deployment does not support them: a standalone server, Azure Cosmos DB or Amazon DocumentDB.",
        fix: "Add retryWrites=false to the connection string, or run the server as a replica set (even of one member) if it is your own.",
        replaces_fixes: true,
        also: &[Finding::DriverFailed],
        vague: true,
        example: "pymongo.errors.OperationFailure: This MongoDB deployment does not support retryable writes. Please add retryWrites=false to your connection string."),
    rule!("replica_set_required",
        r"Transaction numbers are only allowed on a replica set member or mongos|only (?:allowed|supported) on (?:a )?replica sets?|requires? (?:your MongoDB server to be run as )?a replica set|must be run as a replica set|(?:\$changeStream|change streams?) (?:stage )?(?:is )?only supported on replica sets|Transactions are not supported by this deployment",
        DriverFailed,
        // The server's own words (transactions: IllegalOperation, code 20; change
        // streams: 40573; retryable writes have their own rule above),
        // Prisma's ("Prisma needs to perform transactions, which requires your
        // MongoDB server to be run as a replica set"), the Rust driver's, which
        // Prisma's MongoDB connector uses (src/client/session/action.rs).
        note: "The server answered, but it is a standalone: transactions, change streams and retryable writes (and Prisma, which uses transactions) need a replica set or a sharded cluster.",
        fix: "Run the server as a replica set, even of one member: start mongod with --replSet rs0, run rs.initiate() once, and connect with replicaSet=rs0 (Atlas clusters are always replica sets). Or turn the feature off (retryWrites=false) where the application does not need it.",
        replaces_fixes: true,
        example: "MongoServerError: Transaction numbers are only allowed on a replica set member or mongos"),
    rule!("replica_set_option_missing",
        r"no mongos proxies found in seed list|seed list contains no mongos proxies",
        UriInvalidOption,
        also: &[Finding::ReplicaSetMismatch],
        // Node 2.x and 3.x (mongodb-core lib/topologies/mongos.js): a seed list of
        // several hosts with no replicaSet option is taken for mongos proxies; the
        // driver's own message goes on "replicaset connections requires the
        // parameter replicaSet to be supplied in the URI or options object".
        note: "The Node.js driver was given several hosts and no replicaSet option, so it took them for mongos proxies of a sharded cluster; they are replica-set members (or the option was passed under a name the driver does not read).",
        fix: "Pass the replica set's name: replicaSet=<name> in the connection string (or the driver's replicaSet option), as rs.conf() names it.",
        example: "MongoError: seed list contains no mongos proxies, replicaset connections requires the parameter replicaSet to be supplied in the URI or options object, mongodb://server:port/db?replicaSet=name"),
    rule!("topology_kind_mismatch",
        r"because it is a standalone and we have multiple seeds|Canonical address \S+ does not match server address|(?:is|was) not a member of the replica set|\bdirectConnection=true\b.{0,80}multiple hosts|Cannot specify replica set name with direct connection",
        ReplicaSetMismatch,
        // Node 3.x (lib/core/topologies/mongos.js, lib/operations/connect.js), Ruby
        // (lib/mongo/cluster/sdam_flow.rb), Java (AbstractMultiServerCluster.java).
        note: "The servers are not the kind of deployment the connection string describes (mongos proxies, a replica set, one standalone), or the names the replica set calls its members differ from those the client was given.",
        fix: "Make the connection string match the deployment: replicaSet=<its name> and its members' own host names (as rs.conf() lists them, reachable from this machine) for a replica set, the mongos addresses for a sharded cluster, one host (or directConnection=true) for a standalone.",
        example: "Server localhost:27018 in the client view of cluster state was removed because it is a standalone and we have multiple seeds"),
    rule!("write_concern_unsatisfied",
        r"waiting for replication timed out|\bWriteConcernFailed\b|\bUnsatisfiableWriteConcern\b|Not enough data-bearing nodes",
        NoPrimary,
        // The server's words (error_codes.yml: WriteConcernFailed 64,
        // UnsatisfiableWriteConcern 100; replication's "waiting for replication timed out").
        note: "The write waited for acknowledgement from replica-set members (its write concern, w:majority by default) that did not answer in time: members down, unreachable from each other, or lagging.",
        example: "MongoServerError: waiting for replication timed out"),
    rule!("no_primary",
        r"no primary (?:found|available|server)|\bno master connection\b|Could not find host matching read preference|\bin quiesce mode\b|interrupted at shutdown|shutdown in progress|NotPrimaryNoSecondaryOk|NotWritablePrimary|not master and slaveOk=false|NotMasterNoSlaveOk|\bnot_master\b|\bnot primary\b|\bnot master\b|primary stepped down|node is recovering|not (?:master|primary) or secondary|not in primary or recovering state",
        NoPrimary,
        example: "MongoError: no primary found in replicaset"),
    rule!("not_mongodb",
        r"invalid message size|invalid wire protocol opcode|message length \(?\d+\)? is (?:larger than|too large|invalid)|received an HTTP response|\bHTTP/1\.[01] \d{3}\b|unexpected response opcode|malformed message length|BSON nested deeper than the limit of \d+ levels|invalid reply to a database operation: invalid server response|a reply of more than \d+ elements, more than a command's reply holds",
        NotMongodb,
        // The last three: how atlas-doctor's bson (vendor/bson) refuses a reply nested
        // deeper than any server writes one, how the Rust driver says a handshake
        // reply was neither a hello nor a command error, and how atlas-doctor's driver
        // (vendor/mongodb) refuses a reply of more elements than a command's holds.
        note: "A message size of 1347703880 or 1213486160 is the bytes 'HTTP': an HTTP server answered on this port.",
        example: "MongoNetworkError: Invalid message size: 1347703880, max allowed: 67108864"),
    rule!("server_startup_log",
        r"exception in initAndListen|Failed to set up listener|listen\(\): bind\(\) failed|Failed to set up sockets during startup|Insufficient free space for journal files|Data directory \S+ not found|\bDBPathInUse\b|Unable to lock the lock file|Did not find local (?:replica set configuration|voted for) document at startup|\bdbexit: +rc: *[1-9]|aborting after fassert|Fatal assertion \d+|Failed to unlink socket file|permissions on \S+ are too open|dbpath \(\S+\) does not exist|UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion|requires a CPU with AVX|\bIllegal instruction\b.{0,40}(?:mongo|\$@)|(?:mongo\S*|\$@).{0,60}\bIllegal instruction\b",
        ServerNotRunning,
        // mongod's own log of a start-up that failed (its port taken, its
        // dbPath missing or locked, no space, a key file others can read, a
        // fatal assertion, replication never initiated) and mongod killed by
        // SIGILL on a CPU without AVX (MongoDB 5.0+): not a client's error,
        // but the reason clients then find nothing listening.
        note: "This is mongod's own log, not a client's error: the server stopped while starting, for the reason its log names; until it runs, clients find nothing listening (connection refused).",
        also: &[Finding::TcpRefused],
        example: "2024-01-02T03:04:05.000+0000 E STORAGE  [initandlisten] exception in initAndListen: DBPathInUse: Unable to lock the lock file: /data/db/mongod.lock (Resource temporarily unavailable), terminating"),
    rule!("libmongoc_socket_timeout", r"socket timeout calling (?:hello|ismaster)\b", NoReply,
        // libmongoc (mongoc-async.c) says "socket timeout" when connectTimeoutMS
        // passes after the TCP connect, during the TLS set-up or the first hello,
        // and "connection timeout" when the connect itself never completed.
        note: "libmongoc (PHP, C, C++ drivers) opened the TCP connection but had no TLS handshake or hello reply within connectTimeoutMS: a server too busy to answer, a TLS setting that differs from the server's, or a firewall or proxy in the path that accepts and then drops.",
        also: &[Finding::NetworkTimeout, Finding::TlsRequired, Finding::TlsHandshakeTimeout],
        wrapper: true,
        example: "No suitable servers found: `serverSelectionTimeoutMS` expired: [socket timeout calling hello on 'db.internal:27017']"),
    rule!("read_timeout",
        r"MongoSocketReadTimeoutException|Read timed out|timed out (?:while )?(?:reading|waiting for (?:a )?(?:reply|response))|timeout while receiving message|timed out during socket read|timed out waiting for server response|Took more than \S+ seconds to receive data|Failed to read an awaited hello response|Unable to get response from server",
        NoReply,
        example: "exception={com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message}, caused by {java.net.SocketTimeoutException: Read timed out}"),
    // ---- TLS -------------------------------------------------------------------------
    rule!("tls_alert_80_atlas", ALERT_80, IpAccessListAlert, requires: ATLAS,
        example: "SSL handshake failed: ac-6cvehze-shard-00-01.r6r1wbj.mongodb.net:27017: [SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error (_ssl.c:1032)"),
    rule!("tls_alert_80", ALERT_80, IpAccessListAlert,
        note: "TLS alert 80 (internal_error) from a MongoDB server is what Atlas sends to an address outside the IP access list; if this server is not Atlas, it is a TLS failure on the server's side.",
        also: &[Finding::TlsAlert],
        example: "MongoNetworkError: C0870E1AD47F0000:error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1586:SSL alert number 80"),
    rule!("tls_no_sni", r"no SNI name sent|SNI (?:is )?required|requires? SNI", TlsNoSni,
        example: "MongoServerSelectionError: no SNI name sent, make sure using a MongoDB 3.4+ driver/shell."),
    rule!("tls_expired",
        r"certificate has expired|peer certificate: Expired\b|CERT_HAS_EXPIRED|certificate expired|CertExpired|certificate is expired|Expired certificate|NotValidAfter",
        TlsExpired,
        example: "pymongo.errors.ServerSelectionTimeoutError: c0.x.mongodb.net:27017: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1129)"),
    rule!("tls_not_yet_valid",
        r"certificate is not yet valid|CERT_NOT_YET_VALID|NotValidYet|CertNotValidYet",
        TlsNotYetValid,
        example: "MongoServerSelectionError: certificate is not yet valid"),
    rule!("tls_name_mismatch",
        r"does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID|No subject alternative (?:DNS )?names? (?:matching|present)|(?:doesn't|does not) match any of the subject alternative names|certificate is valid for .{0,80}, not |hostname mismatch|IP address mismatch|NotValidForName|RemoteCertificateNameMismatch",
        TlsNameMismatch,
        example: "MongoServerSelectionError: Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list: "),
    rule!("tls_client_certificate",
        r"no SSL certificate provided by peer|peer did not return a certificate|alert certificate required|certificate required",
        TlsClientCertificateRequired,
        note: "The server requires a client certificate (tlsCertificateKeyFile) signed by a CA it trusts, and the client sent none.",
        example: "\"errmsg\":\"no SSL certificate provided by peer; connection rejected\""),
    rule!("tls_client_certificate_rejected",
        r"alert bad certificate|SSLV3_ALERT_BAD_CERTIFICATE|alert unknown ca|ALERT_UNKNOWN_CA",
        TlsClientCertificateRejected,
        note: "The server rejected this client's certificate: it must be signed by a CA the server trusts for clients.",
        example: "SSL routines:ssl3_read_bytes:sslv3 alert bad certificate"),
    rule!("tls_ca_not_loaded",
        r"no system CA certificates could be loaded|CA file does not contain any valid certificates|Can't open CA store|Cannot load Certificate Authorities|(?:could not|unable to|cannot|can't|failed to) load (?:the )?(?:CA|trusted CA|root) (?:file|certificates?|bundle)",
        TlsUnknownIssuer,
        // PyMongo (ssl_support.py, pyopenssl_context.py) and libmongoc (mongoc-openssl.c).
        note: "The client could not load the certificate authorities it verifies the server with (no system CA store, or a tlsCAFile that cannot be read), so no server certificate can be trusted.",
        fix: "Point tlsCAFile at a readable CA bundle (for Atlas, the system store or certifi's: `tlsCAFile=certifi.where()` in Python), or install the system CA certificates (ca-certificates).",
        example: "pymongo.errors.ConfigurationError: tlsAllowInvalidCertificates is False but no system CA certificates could be loaded"),
    rule!("tls_context_unavailable",
        r"Unable to create (?:default|standard) SSLContext|Default SSLContext not available|Error constructing implementation \(algorithm: Default",
        TlsHandshakeFailed,
        // The Java driver wraps SSLContext.getDefault()'s failure
        // (com.mongodb.internal.connection.SslHelper and the stream factories).
        note: "The Java runtime could not build its TLS context: a trust store or key store that is missing, unreadable or has a wrong password (javax.net.ssl.*), or a security provider set up without the default algorithms; no connection could start TLS.",
        fix: "Check the javax.net.ssl.trustStore, keyStore and their passwords the JVM is started with, and the providers in java.security; -Djavax.net.debug=ssl,keymanager names the file that fails.",
        example: "com.mongodb.MongoClientException: Unable to create default SSLContext"),
    rule!("tls_support_not_built",
        r"requires libmongoc built with --enable-ssl|(?:built|compiled) without (?:SSL|TLS)(?: support)?|(?:SSL|TLS) support (?:is )?not (?:compiled|built)|not (?:built|compiled) with (?:SSL|TLS)",
        TlsHandshakeFailed,
        // The driver itself was built without TLS (libmongoc's
        // --enable-ssl / ENABLE_SSL, a PHP or Perl extension compiled
        // without OpenSSL): no TLS connection, and no SCRAM, can start.
        note: "The driver was built without TLS support (libmongoc or a language extension compiled without OpenSSL), so it cannot open a TLS connection, and old libmongoc builds cannot run SCRAM either.",
        fix: "Install the driver built with TLS: the OpenSSL development headers (libssl-dev) present when the extension or libmongoc is compiled (ENABLE_SSL=OPENSSL), or a packaged build that has it.",
        example: "The \"SCRAM-SHA-1\" authentication mechanism requires libmongoc built with --enable-ssl"),
    rule!("tls_revoked",
        r"certificate (?:of \S+ )?has been revoked|\bCERT_REVOKED\b|certificate revoked|Revoked certificate",
        TlsHandshakeFailed,
        note: "The server's certificate is revoked (OCSP or a CRL said so): the client refuses it whatever the rest of the chain.",
        example: "Mongo::Error::ServerCertificateRevoked: TLS certificate of 'db.example.com' has been revoked according to 'http://ocsp.example.com'"),
    rule!("tls_peer_validation_server_log",
        r"peer certificate validation failed",
        TlsClientCertificateRejected,
        // mongod's log (src/mongo/util/net/ssl_manager_openssl.cpp) when a client's certificate fails.
        note: "mongod's own log: the certificate a client presented did not verify against the server's CA file (net.tls.CAFile), so the server closed the connection.",
        example: "E NETWORK  [conn12] SSL peer certificate validation failed: self signed certificate in certificate chain"),
    rule!("tls_unknown_issuer",
        r"self[- ]signed certificate|unable to (?:get|verify) (?:the )?(?:local issuer|first|issuer) certificate|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|signed by unknown authority|UnknownIssuer|PKIX path (?:building|validation) failed|unable to find valid certification path|certificate verify failed|CERTIFICATE_VERIFY_FAILED|remote certificate is invalid|PartialChain|UntrustedRoot|RemoteCertificateChainErrors",
        TlsUnknownIssuer,
        example: "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1000)"),
    rule!("tls_client_key",
        r"decrypt (?:the )?private key|(?:failed to find|cannot load) (?:the )?private key|encrypted private key|Failed importing PEM|(?:couldn't|could not|can't|cannot|unable to|failed to) (?:find|associate|extract|load|read) (?:a |the )?(?:valid )?(?:private|public) key|OCSP_CERTID|failed to obtain verified chain|tlsfeature extension|(?:could not|unable to|failed to|can't) (?:load|read|parse) (?:the )?(?:client )?(?:certificate key file|PEM file|private key|certificate)\b",
        TlsHandshakeFailed,
        // The drivers' loading of tlsCertificateKeyFile (Go, libmongoc,
        // PyMongo): nothing was sent yet.
        note: "The driver could not load the client certificate or its private key (tlsCertificateKeyFile, and tlsCertificateKeyFilePassword for an encrypted key).",
        fix: "Check the file named: one PEM file with the certificate and its private key, readable by the application, and the password of an encrypted key (tlsCertificateKeyFilePassword), or a key format the driver supports.",
        example: "no password provided to decrypt private key"),
    rule!("tls_ocsp_staple_missing", r"must contain a stapled response|stapled OCSP response", TlsHandshakeFailed,
        note: "The client requires an OCSP response stapled to the server's certificate (tlsDisableOCSPEndpointCheck, the Must-Staple extension) and the server sent none.",
        example: "mongoc: Server must contain a stapled response"),
    rule!("tls_server_not_accepting", r"not accepting SSL connections|configured to accept SSL connections", TlsPlainServer,
        example: "MongooseServerSelectionError: Mongoose is connecting with SSL enabled, but the server is not accepting SSL connections."),
    rule!("tls_to_plain_server",
        r"wrong version number|may not be configured with TLS support|first record does not look like a TLS handshake|packet length too long|unexpected packet format|ssl3_get_record:http request|InvalidContentType|CorruptMessage|record overflow",
        TlsPlainServer,
        example: "MongoServerSelectionError: 4C5A0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number"),
    rule!("tls_protocol",
        r"unsupported protocol|no protocols available|alert protocol version|PROTOCOL_VERSION|handshake failure|HANDSHAKE_FAILURE|no shared cipher|no cipher suites in common|PeerIncompatible|inappropriate fallback",
        TlsProtocol,
        example: "[SSL: UNSUPPORTED_PROTOCOL] unsupported protocol (_ssl.c:1123)"),
    rule!("tls_required_by_server",
        r"only allow (?:SSL|TLS) connections|configured to only allow (?:SSL|TLS)",
        TlsRequired,
        example: "AssertionException handling request, closing client connection: 17189 The server is configured to only allow SSL connections"),
    // ---- DNS -------------------------------------------------------------------------
    rule!("dns_unmarshal", r"cannot unmarshal DNS message", DnsResolverBroken,
        note: "Go cannot parse the SRV answer of this resolver (systemd-resolved on older Ubuntu is a known case).",
        fix: SRV_FIX, replaces_fixes: true,
        example: "error parsing uri: lookup cluster0.ab1cd.mongodb.net on 127.0.0.53:53: cannot unmarshal DNS message"),
    rule!("dns_resolver_config",
        r"cannot open /etc/resolv\.conf|no nameservers|Resolver configuration could not be read|is not a dns\.nameserver|DNS resolution: proto error: io error",
        DnsResolverUnreachable,
        example: "pymongo.errors.ConfigurationError: cannot open /etc/resolv.conf"),
    rule!("dns_srv_refused", r"query(?:Srv|Txt) ECONNREFUSED|ECONNREFUSED\s+_mongodb\._tcp", DnsResolverUnreachable,
        note: "Node.js looks SRV records up with its own resolver (c-ares), talking to the DNS servers of the system; many home routers, VPNs and Windows setups refuse those queries.",
        fix: SRV_FIX, replaces_fixes: true,
        example: "Error: querySrv ECONNREFUSED _mongodb._tcp.cluster0.ab1cd.mongodb.net"),
    rule!("dns_timeout",
        r"query(?:Srv|Txt|A|Aaaa) ETIMEOUT|\bETIMEOUT\b|DNS operation timed out|DNS resolution: (?:\w+ error: )?request timed out|resolution lifetime expired|LifetimeTimeout|:53: i/o timeout|DNS (?:query|lookup|request) timed out",
        DnsTimeout,
        fix: SRV_FIX, replaces_fixes: true,
        example: "Error: querySrv ETIMEOUT _mongodb._tcp.midnight.t37c9.mongodb.net"),
    rule!("dns_lookup_timeout", r"(?:looking up|look up|lookup of) (?:SRV|TXT) record", DnsTimeout,
        requires: r"TimeoutException|timed out|\btimeout\b",
        fix: SRV_FIX, replaces_fixes: true,
        example: "MongoConfigurationException: Failed looking up SRV record for '_mongodb._tcp.c.ab1cd.mongodb.net'.\nCaused by: io.smallrye.mutiny.TimeoutException"),
    rule!("dns_server_failure",
        r"query(?:Srv|Txt) (?:ESERVFAIL|EREFUSED|EBADRESP|EFORMERR|ENOTIMP)|\bE?SERVFAIL\b|\bEBADRESP\b|temporary error occurred on an authoritative name server|nonrecoverable name server error|non-recoverable failure in name resolution|\bWSANO_RECOVERY\b|server misbehaving|Record reader index out of sync|DnsResponseException|All nameservers failed to answer",
        DnsServerFailure,
        fix: SRV_FIX, replaces_fixes: true,
        example: "Error: querySrv ESERVFAIL _mongodb._tcp.cluster0-s1rkv.mongodb.net"),
    rule!("dns_txt_forbidden",
        r"TXT records? can only specify|\bInvalidTXTRecord\b|TXT record (?:is )?only permitted|only permitted to contain the keys|(?:multiple|more than one|only (?:1|one)) (?:TXT|text) records?|(?:TXT|text) records? (?:is |are )?(?:only permitted|may only|must only|not allowed)|(?:option|key)s? \S+ (?:in|from) (?:a |the )?TXT record|TXT record (?:string|option) |supported from DNS\b",
        DnsTxtForbiddenOption,
        example: "A TXT record is only permitted to contain the keys [authsource, replicaset], but the TXT record for 'c.ab1cd.mongodb.net' contains the keys [loadbalanced, authsource]"),
    rule!("dns_srv_outside_domain",
        r"(?:does not|doesn't) (?:share|match|end with) (?:the )?(?:uri'?s? )?parent domain|does not share hostname with parent|Invalid SRV host|resolved to a host \S+ that does not (?:share|have)|must have the same parent domain|Invalid host (?:\S+ )?returned (?:by SRV|for service)|SRV response did not contain any valid hosts",
        DnsSrvTargetOutsideDomain,
        example: "MongoAPIError: Server record does not share hostname with parent URI"),
    rule!("uri_scheme_looked_up",
        r"lookup mongodb(?:\+| )srv:?(?: on \S+)?: no such host|ENOTFOUND mongodb(?:\+| )srv\b",
        UriMalformed,
        note: "The name looked up is the scheme itself (mongodb+srv): the connection string was put together wrong, a second scheme inside it (mongodb://user:pass@mongodb+srv://...) or a variable that holds a whole string where only a host belongs.",
        fix: "Print the connection string the program really uses (with the password hidden): it must start with one scheme, mongodb:// or mongodb+srv://, followed by user:password@host.",
        example: "dial tcp: lookup mongodb srv: no such host"),
    rule!("dart_dns_over_https",
        r"dns\.google(?:\.com)?/resolve\?name=|address = dns\.google(?:\.com)?\b",
        DnsResolverUnreachable,
        // mongo_dart (lib/src/database/utils/dns_lookup.dart) looks mongodb+srv
        // records up with basic_utils' DnsUtils.lookupRecord, which asks Google's
        // DNS over HTTPS (https://dns.google.com/resolve).
        note: "mongo_dart looks mongodb+srv:// records up over HTTPS at Google's DNS (dns.google.com), not through the system resolver: that request failed, so the SRV lookup did.",
        fix: "Make https://dns.google.com reachable from this device (a firewall, proxy or captive network blocks it), or use the standard mongodb://host1,host2,host3/?tls=true&replicaSet=... string, which needs no SRV lookup.",
        replaces_fixes: true,
        example: "ClientException with SocketException: Connection timed out (OS Error: Connection timed out, errno = 110), address = dns.google.com, port = 39830, uri=https://dns.google.com/resolve?name=c.ab1cd.mongodb.net&type=16"),
    rule!("dns_placeholder_host",
        r#"(?:\bENOTFOUND|\blookup|UnknownHostException:?|resolve host(?: name)?|no such host:?)\s+['"]?(?:_mongodb\._tcp\.)?(?:undefined|null|none|nil|\$\{?[a-z_]\w*\}?|%[a-z_]\w*%|<[^>\s]+>)(?:['":\s,]|$)"#,
        ConfigMissingValue,
        // The host name looked up is not a name at all: JavaScript's `undefined`
        // or `null` from a variable that is not set, a shell or compose variable
        // never expanded ($VAR, ${VAR}, %VAR%), a template's <placeholder>.
        note: "The host name looked up is a placeholder, not a host: the connection string was built from a variable that is not set (undefined, null) or not expanded ($VAR, ${VAR}, %VAR%, <host>).",
        fix: "Print the connection string the program really uses (password hidden) and set or expand the variable it is built from (a missing .env file, an unexported variable, a template never filled).",
        also: &[Finding::DnsNoSuchName],
        example: "Error: getaddrinfo ENOTFOUND undefined undefined:27017"),
    rule!("dns_name_holds_credentials",
        r#"(?:\bENOTFOUND|\blookup|UnknownHostException:?|Failed to resolve|resolve host(?: name)?)\s+['"]?(?:_mongodb\._tcp\.)?[^\s'"@/]*@[^\s'"@/]+\.[^\s'"@/:]+"#,
        UriUnescapedCharacter,
        // A host name cannot hold '@': the name looked up is the end of a
        // password (or user name) with an unescaped '@', which a parser that
        // splits at the first '@' took for the start of the host.
        note: "The name looked up holds an '@', which no host name can: the password (or user name) has an '@' that is not percent-encoded, so the part after it was taken for the host.",
        fix: "Percent-encode the user name and password in the connection string ('@' is %40, ':' is %3A, '/' is %2F; urllib.parse.quote_plus or encodeURIComponent do it).",
        example: "MongoNetworkError: getaddrinfo ENOTFOUND ss@cluster0.ab1cd.mongodb.net"),
    rule!("dns_name_holds_port",
        r#"(?:\bENOTFOUND|Failed to resolve|UnknownHostException:?)\s+['"]?[a-z0-9][a-z0-9._-]*:\d{1,5}(?:['"]|\s|$)"#,
        UriMalformed,
        // Node (getaddrinfo's first name), libmongoc ("Failed to resolve '%s'")
        // and Java (UnknownHostException) print the host alone: a ":port" inside
        // it is a port written into the host setting, or one added twice.
        note: "The name looked up holds a port (host:port), so the host setting itself carries a port: a host and a port option both given, the port added twice, or host:port percent-encoded into the host.",
        fix: "Give the host alone where a host belongs (the port goes in its own setting, or once after the host in the connection string), then print the connection string the program really uses (password hidden).",
        example: "No suitable servers found (`serverSelectionTryOnce` set): [Failed to resolve 'localhost:27017']"),
    rule!("dns_no_such_name",
        r"query(?:Srv|Txt) ENOTFOUND|\bENOTFOUND\b|DNS query name does not exist|\bNXDOMAIN\b|no such host|UnknownHostException|Name or service not known|nodename nor servname provided|No such host is known|getaddrinfo failed|Errno -2\b|Errno 11001|could not resolve host|HostNotFound|DNS name does not exist|Name does not resolve|failed to lookup address information|No addresses found for (?:host ?name)?|unknown ?host\b",
        DnsNoSuchName,
        example: "Error: querySrv ENOTFOUND _mongodb._tcp.cluster0.del96.mongodb.net"),
    rule!("dns_no_records",
        r"No SRV records? (?:found|for|available)|at least one SRV record, received 0|No addresses found at host|NoSRVRecords|returned no SRV records|no record found for|NoRecordsFound|query(?:Srv|Txt) ENODATA|\bENODATA\b|DNS response does not contain an answer|\bNoAnswer\b",
        DnsNoRecords,
        example: "Invalid uri: mongodb+srv://u:****@underwrite.vbut1.mongodb.net, No SRV records found when querying url: underwrite.vbut1.mongodb.net"),
    rule!("dns_temporary_failure",
        r"Temporary failure in name resolution|\bEAI_AGAIN\b|Errno -3\b",
        DnsResolverUnreachable,
        // The resolver gave no answer yet: a resolver that is down, or (in
        // containers, the common case) a service name whose container is not
        // up or not on this network. Labelled texts of it were right one time
        // in three when it decided: it names the layer, not the cause.
        also: &[Finding::DnsNoSuchName, Finding::ServerNotRunning],
        vague: true,
        example: "pymongo.errors.ServerSelectionTimeoutError: db:27017: [Errno -3] Temporary failure in name resolution"),
    rule!("dns_lookup_failed",
        r"(?:looking up|look up|lookup of) (?:SRV|TXT) record|DNSException|\bDNS error\b|\bquery(?:Srv|Txt)\b|error occurred during DNS resolution|canonicali[sz]e (?:the )?host ?name",
        DnsServerFailure,
        also: &[Finding::DnsResolverUnreachable, Finding::DnsNoSuchName, Finding::DnsTimeout],
        fix: SRV_FIX, replaces_fixes: true,
        vague: true,
        example: "com.mongodb.MongoConfigurationException: Unable to look up SRV record for host _mongodb._tcp.c.ab1cd.mongodb.net"),
    rule!("getaddrinfo_failed",
        r"\bgetaddrinfo:? E[A-Z_]{3,}\b",
        DnsNoSuchName,
        // Node names the resolver call that failed (getaddrinfo) and the
        // system's error: ENOTFOUND and EAI_AGAIN have rules above; old Node
        // and some platforms give ENOENT, ENODATA, EAI_FAIL or ESERVFAIL for a
        // name that did not resolve. Any of them is the name's lookup.
        also: &[Finding::DnsResolverUnreachable, Finding::DnsNoRecords],
        // EAI_AGAIN is no answer yet, read (without deciding) above.
        unless: r"\bEAI_AGAIN\b",
        example: "MongoError: getaddrinfo ENOENT mongo:27017"),
    // ---- TCP -------------------------------------------------------------------------
    rule!("server_too_many_connections",
        r"connection refused because (?:there are )?too many open connections|too many open connections|maxIncomingConnections",
        DriverFailed,
        // The server's own words (src/mongo/transport/session_manager_common.cpp).
        note: "The server accepted the TCP connection and closed it because it is at its connection limit (net.maxIncomingConnections, or the Atlas tier's limit): clients that open too many connections or pools too large.",
        fix: "Lower the client's maxPoolSize and reuse one client per process; on Atlas, look at the cluster's connections chart and tier limit, or raise net.maxIncomingConnections on a self-managed server.",
        example: "Listener: connection refused because too many open connections: 819"),
    rule!("mongod_bound_to_localhost",
        r"This server is bound to localhost|Remote systems will be unable to connect to this server",
        TcpRefused,
        // mongod's startup warning (src/mongo/db/startup_warnings_mongod.cpp, log id 22140).
        note: "mongod's own startup warning: it listens on localhost only (the default bindIp), so connections from any other machine are refused.",
        fix: "Start mongod with --bind_ip (or net.bindIp in mongod.conf) set to the addresses it should listen on, e.g. 127.0.0.1,10.0.0.5, with authentication on and a firewall in front.",
        example: "** WARNING: This server is bound to localhost. Remote systems will be unable to connect to this server."),
    rule!("tcp_refused_ipv6_localhost", r"ECONNREFUSED ::1:\d+|ECONNREFUSED \[::1\]", TcpRefused,
        unless: r"ECONNREFUSED 127\.0\.0\.1",
        note: "Node.js 17 and later resolve localhost to the IPv6 address ::1 first, while mongod listens on 127.0.0.1 only by default.",
        fix: "Connect to mongodb://127.0.0.1:27017 instead of localhost, or start mongod with --ipv6 --bind_ip localhost,::1.",
        example: "MongoServerSelectionError: connect ECONNREFUSED ::1:27017"),
    rule!("tcp_refused",
        r"ECONNREFUSED|connection refused|actively refused|Errno 111\b|os error 111\b|os error 10061|WSAECONNREFUSED|ConnectionRefused|error 10061",
        TcpRefused,
        example: "Client view of cluster state is {type=UNKNOWN, servers=[{address=localhost:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}]"),
    rule!("network_unreachable",
        r"EHOSTUNREACH|ENETUNREACH|No route to host|Network is unreachable|Host (?:is )?unreachable|(?:os error|Errno) (?:113|101)\b|os error 100(?:51|65)\b|unreachable (?:network|host)",
        NetworkUnreachable,
        example: "MongoServerSelectionError: connect EHOSTUNREACH 10.0.0.7:27017"),
    // ---- connection closed or reset ---------------------------------------------------
    rule!("closed_atlas_tls_off", CLOSED, TlsRequired,
        requires: ATLAS_PLAIN_URI,
        unless: TLS_ON,
        note: "Atlas accepts TLS connections only: a standard mongodb:// string with Atlas hosts needs tls=true (mongodb+srv:// turns it on by itself).",
        example: "MongoError: connection 3 to cluster0-shard-00-01-uuid.mongodb.net:27017 closed\nDB: mongodb://cluster0-shard-00-00-uuid.mongodb.net:27017,cluster0-shard-00-01-uuid.mongodb.net:27017/app"),
    rule!("closed_atlas", CLOSED, IpAccessListClosed,
        requires: ATLAS,
        also: &[Finding::TlsRequired],
        example: "MongoNetworkError: connection 3 to cluster0-shard-00-00-a9jet.mongodb.net:27017 closed\n   at TLSSocket.<anonymous>"),
    rule!("node_monitor_closed", r"connection <monitor> to \S+ closed", IpAccessListClosed,
        unless: r"<monitor> to (?:\[?::1|127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|localhost\b)",
        note: "Node.js and Mongoose say 'connection <monitor> to <address> closed' when the server closes the driver's monitoring connection during its handshake: against a cloud address like this one it is the best-known sign that this machine's IP address is not on the Atlas IP access list.",
        also: &[Finding::TlsRequired, Finding::ClosedWithoutReply],
        example: "MongoServerSelectionError: connection <monitor> to 3.210.1.4:27017 closed"),
    rule!("closed_during_tls", CLOSED, TlsClosedAfterHello,
        requires: TLS_ON,
        also: &[Finding::ClosedWithoutReply, Finding::IpAccessListClosed],
        example: "pymongo.errors.ServerSelectionTimeoutError: SSL handshake failed: db.internal:27017: [Errno 104] Connection reset by peer"),
    rule!("closed", CLOSED, ClosedWithoutReply,
        also: &[Finding::TlsRequired, Finding::TlsClosedAfterHello],
        example: "No suitable servers found (`serverSelectionTryOnce` set): [Server closed connection. calling ismaster on 'x.x.x.x:27017']"),
    // ---- timeouts --------------------------------------------------------------------
    rule!("atlas_private_address_timeout",
        concat!(r"dial tcp ", private_v4!(), r":\d{2,5}: i/o timeout|ETIMEDOUT ", private_v4!(), r":\d{2,5}|timed out connecting to ", private_v4!()),
        AtlasPrivateStringOutside,
        requires: ATLAS,
        unless: r"ECONNREFUSED|connection refused",
        note: "An Atlas host name resolved to a private address and the connection timed out: the cluster is reached through a private endpoint or VPC peering, and this machine is not on that route.",
        fix: "Connect from inside the peered VPC or through the private endpoint (VPN or transit routes to it, security groups allowing port 27017), or use the cluster's public connection string and put this machine's address on the IP access list.",
        replaces_fixes: true,
        also: &[Finding::NetworkTimeout],
        example: "server selection error: context deadline exceeded, current topology: { Type: ReplicaSetNoPrimary, Servers: [{ Addr: ac-abc123-shard-00-00.x1y2z.mongodb.net:27017, Type: Unknown, Last error: dial tcp 10.12.3.4:27017: i/o timeout }, ] }"),
    rule!("atlas_private_host_timeout",
        r"\b[a-z0-9-]+-(?:pl-\d+|pri)\.[a-z0-9]+\.mongodb\.net\b",
        AtlasPrivateStringOutside,
        requires: CONNECT_TIMEOUT,
        note: "A private endpoint (-pl-N) or VPC peering (-pri) host name that timed out: it is reachable only through that route.",
        fix: "Connect from inside the peered VPC or through the private endpoint, or use the cluster's public connection string and put this machine's address on the IP access list.",
        replaces_fixes: true,
        also: &[Finding::NetworkTimeout],
        example: "MongoServerSelectionError: connect ETIMEDOUT cluster0-pl-0.ab1cd.mongodb.net:27017"),
    rule!("tls_handshake_timeout_atlas", HANDSHAKE_TIMEOUT, NetworkTimeout,
        requires: ATLAS,
        note: "Atlas hosts that never finish the TLS handshake: the connection is being dropped on the way, by a firewall or by the IP access list of a dedicated cluster.",
        also: &[Finding::IpAccessListSuspected],
        example: "SSL handshake failed: cluster0-shard-00-02-rsyek.gcp.mongodb.net:27017: _ssl.c:1091: The handshake operation timed out"),
    rule!("tls_handshake_timeout", HANDSHAKE_TIMEOUT, TlsHandshakeTimeout,
        example: "SSL handshake failed: db.internal:27017: _ssl.c:1091: The handshake operation timed out"),
    rule!("connect_timeout_atlas", CONNECT_TIMEOUT, NetworkTimeout,
        requires: ATLAS,
        note: "A dedicated Atlas cluster drops connections from addresses outside its IP access list without an answer, which looks exactly like this timeout.",
        also: &[Finding::IpAccessListSuspected],
        example: "Server selection timeout: No available servers. Topology: { Type: ReplicaSetNoPrimary, Servers: [ { Address: cluster0-shard-00-01.q8ppe.mongodb.net:27017, Type: Unknown, Error: timed out } ] }"),
    rule!("socket_timeout",
        r"Write timed out|MongoSocketWriteTimeoutException|MongoDB::NetworkTimeout|waiting for socket to become ready|Failed to (?:receive|write) (?:length header|rpc bytes)|establishing connection to the configured proxy server|InterruptedByTimeoutException|only sent: \d+/\d+ in \d+ ?ms|\bSocketTimeoutError\b|connect_timeout expired",
        NetworkTimeout,
        // Java's write and open timeouts, libmongoc's partial send, Ruby's
        // SocketTimeoutError: the network stopped carrying the bytes in time.
        example: "com.mongodb.MongoSocketWriteTimeoutException: Timeout while sending message\nCaused by: java.net.SocketTimeoutException: Write timed out"),
    rule!("connect_timeout", CONNECT_TIMEOUT, NetworkTimeout,
        example: "MongoServerSelectionError: connect ETIMEDOUT 10.0.0.7:27017"),
    rule!("libmongoc_connection_error", r"connection error calling (?:ismaster|hello)", NetworkTimeout,
        note: "libmongoc before 1.5 said 'connection error' for what was a connection timeout.",
        also: &[Finding::TcpRefused, Finding::ClosedWithoutReply],
        vague: true,
        example: "No suitable servers found (`serverselectiontryonce` set): [connection error calling ismaster on '10.0.0.7:27017']"),
    // ---- TLS failures named only vaguely ----------------------------------------------
    rule!("tls_failed",
        r"SSL handshake failed|TLS handshake failed|SSLHandshakeException|\bSSLError\b|\bSSL_ERROR|\bOCSP\b|invalid peer certificate|HandshakeException|SSL routines|\btls: ",
        TlsHandshakeFailed,
        also: &[Finding::IpAccessListAlert, Finding::TlsUnknownIssuer, Finding::TlsPlainServer],
        vague: true,
        example: "connection() error occured during connection handshake: error parsing stapled response: bad OCSP signature: crypto/rsa: verification error"),
    // ---- connection strings named only vaguely ----------------------------------------
    rule!("uri_needs_three_parts",
        r"does not have hostname, domain name and tld|must include hostname, domain name, and tld",
        UriMalformed,
        note: "A mongodb+srv:// host needs at least three parts (cluster0.ab1cd.mongodb.net); an unescaped @ or : in the password often cuts it short.",
        also: &[Finding::UriUnescapedCharacter],
        example: "MongoParseError: URI does not have hostname, domain name and tld"),
    rule!("uri_malformed",
        r"MongoParseError|\bInvalidURI\b|invalid connection string|URI malformed|error parsing uri|\bBad URI\b|is not a valid (?:MongoDB )?connection string|connection string is (?:not valid|invalid)",
        UriMalformed,
        vague: true,
        example: "MongoParseError: the string is not what was expected"),
    // ---- server-selection summaries: the vaguest wrappers ------------------------------
    rule!("shell_connect_failed", r"couldn't connect to server", TcpRefused,
        note: "The legacy mongo shell and old drivers say only that they could not connect; the words after it (caused by ...) say why. With none, a server that is not running is the commonest reason.",
        also: &[Finding::NetworkTimeout, Finding::DnsNoSuchName, Finding::IpAccessListSuspected],
        wrapper: true,
        example: "Error: couldn't connect to server 127.0.0.1:27017 at src/mongo/shell/mongo.js:145"),
    rule!("prisma_unreachable", r"Can't reach database server at", NetworkTimeout,
        // Prisma's P1001 (prisma-engines libs/user-facing-errors/src/common.rs),
        // raised whatever stopped the connection: it names no cause.
        note: "Prisma says P1001 whenever it could not connect, whatever the reason; the driver's own error, which says why, is not in the text.",
        also: &[Finding::TcpRefused, Finding::IpAccessListSuspected, Finding::DnsNoSuchName],
        wrapper: true,
        example: "Error: P1001: Can't reach database server at `db.example.com`:`27017`"),
    rule!("mongoose_buffering", r"buffering timed out after \d+\s*ms", NetworkTimeout,
        note: "Mongoose queues model calls until mongoose.connect() has opened a connection: this says that it never opened in time (or connect() was never called or awaited), not why.",
        also: &[Finding::IpAccessListSuspected, Finding::DnsResolverUnreachable, Finding::AuthFailedAtlas, Finding::TcpRefused],
        wrapper: true,
        example: "MongooseError: Operation `users.findOne()` buffering timed out after 10000ms"),
    rule!("mongoose_atlas_unreachable", r"Could not connect to any servers in your MongoDB Atlas cluster", IpAccessListSuspected,
        note: "Mongoose says this whenever no server of an Atlas cluster could be used; the access list is the most common reason, not the only one.",
        also: &[Finding::NetworkTimeout, Finding::AuthFailedAtlas, Finding::ReplicaSetMismatch],
        wrapper: true,
        example: "MongooseServerSelectionError: Could not connect to any servers in your MongoDB Atlas cluster. One common reason is that you're trying to access the database from an IP that isn't whitelisted."),
    rule!("replica_set_not_initiated",
        r"need all members up to initiate|couldn't initiate\b|No host described in new configuration\b.{0,80}\bmaps to this node",
        NoPrimary,
        // The server's replSetInitiate and replSetReconfig refusals
        // (src/mongo/db/repl/): the replica set is not set up, so it has no
        // primary; a member's host name that does not match the node itself
        // is the usual cause.
        note: "The server refused to initiate or reconfigure the replica set: a member is not up yet, or a member's host name in the configuration is not how this node knows itself, so the set has no primary.",
        fix: "Start every member first, then run rs.initiate() with member hosts each node can reach and recognise as itself (its host name or IP and port as clients will use them); rs.status() shows what each member says.",
        example: "couldn't initiate : need all members up to initiate, not ok : db1.example.com:27017"),
    rule!("mongoengine_no_connection",
        r"You have not defined a default connection|Connection with alias \W?[\w.-]*\W? has not been defined",
        ConfigMissingValue,
        // MongoEngine (mongoengine/connection.py) raises it when a Document is
        // used before connect()/register_connection() named that alias.
        note: "MongoEngine has no connection registered under this alias: connect() was not called before the documents were used, was called with another alias, or the setting that should hold the connection string was empty.",
        fix: "Call mongoengine.connect(host=<the connection string>) when the application starts, before any Document is used (with alias= for a named connection, matching the Document's meta db_alias).",
        example: "mongoengine.connection.ConnectionFailure: You have not defined a default connection"),
    rule!("more_than_one_primary", r"More than one primary (?:found|detected)", DriverFailed,
        // The C# driver's ClusterDescription check: two members each claim
        // to be primary (a split replica set, or two sets behind one list).
        note: "Two members each say they are primary: a replica set split by the network, two different sets listed in one connection string, or members whose configurations disagree.",
        fix: "Run rs.status() on each host of the connection string: they must belong to one replica set with one primary; fix the host list or the members' replica set configuration.",
        example: "MongoDB.Driver.MongoClientException: More than one primary found"),
    rule!("selection_timeout_atlas", SELECTION, NetworkTimeout,
        requires: ATLAS,
        unless: POOL_EXHAUSTED,
        note: "This is the driver's server-selection summary: no Atlas server became usable in time; the per-server error, which says why, is not in the text. A dedicated cluster drops addresses outside its IP access list without an answer.",
        also: &[Finding::IpAccessListSuspected, Finding::TlsUnknownIssuer, Finding::DnsResolverUnreachable],
        wrapper: true,
        example: "MongoServerSelectionError: Server selection timed out after 30000 ms\n  reason: TopologyDescription { type: 'ReplicaSetNoPrimary', servers: Map(3) { 'ac-luzptfw-shard-00-01.svn9sb8.mongodb.net:27017' => [ServerDescription] } }"),
    rule!("selection_timeout", SELECTION, NetworkTimeout,
        unless: POOL_EXHAUSTED,
        note: "This is the driver's server-selection summary: no server became usable in time; the per-server error, which says why, is not in the text.",
        also: &[Finding::TcpRefused, Finding::IpAccessListSuspected, Finding::TlsUnknownIssuer, Finding::ReplicaSetMismatch],
        wrapper: true,
        example: "MongoTimeoutError: Server selection timed out after 30000 ms"),
];
