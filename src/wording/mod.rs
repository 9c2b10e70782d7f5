//! Driver and server error text -> typed cause: the one place atlas-doctor reads
//! error prose. The live probes ask it where a driver gives only words (auth,
//! data), `diagnose` asks it what a TLS alert means, and `explain` reads pasted
//! text through it, so a live run and `explain` name the same finding for the
//! same words.
//!
//! A text is read structure first, then words. Every reading has a `Tier`, and
//! the highest tier decides; within a tier the wording rules keep their table
//! order and the other readings the order they appear in:
//! - `Specific`: a wording rule that names one cause (`rules::RULES`), or the
//!   errors of the servers in a driver's server-selection dump (`topology`),
//!   which come first;
//! - `Template`: an error message an official driver raises, mined from its
//!   source (`data/driver_messages.tsv`);
//! - `Vague`: a wording rule whose words fit several causes (a closed
//!   connection, a bare Atlas code);
//! - `Structure`: an error number in the text (`code`/`codeName` of the server,
//!   `errno` and `[WinError N]` of the OS, TLS alert numbers), or an OS message
//!   in any language (`data/server_codes.tsv`, `os_errors.tsv`, `tls_alerts.tsv`);
//! - `Wrapper`: a driver's summary that only says no server was usable (server
//!   selection): when nothing else speaks, the text cannot decide;
//! - `Learned`: when nothing at all speaks, a guess learned from the training
//!   corpus (`learned`), for texts plainly about MongoDB; undecidable too.

/// The Java 3.x pool's own timeout when every connection stays checked out
/// (ConcurrentPool): thrown as a MongoTimeoutException, but no server was
/// being selected. One wording for two readers: `application_error` reads it,
/// and the selection-summary rules stand down for it.
macro_rules! pool_exhausted {
    () => {
        r"Timeout waiting for a pooled item after \d+"
    };
}

pub mod learned;
mod reading;
pub mod rules;
mod tables;
pub mod topology;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

pub use learned::Knowledge;
pub use reading::{ATLAS, Reading, Tier, names_only_loopback};
use reading::{compile, names_atlas_or_no_host};
use rules::RULES;
pub use tables::{
    Family, TEMPLATES, Template, Templates, alert_finding, alert_name, driver_family,
};

use crate::model::finding::Finding;

/// Every reading of `text`, unordered (rules in table order first).
pub fn readings(text: &str) -> Vec<Reading> {
    readings_in(text, &tables::ALL_TEMPLATES)
}

/// `readings` with the given set of driver messages. A server-selection dump's
/// own reading (its servers' errors) comes first: it outranks the words around it.
pub fn readings_in(text: &str, templates: &Templates) -> Vec<Reading> {
    let read_part = |part: &str| {
        let mut found = flat_readings(part, templates);
        found.retain(Reading::decidable);
        best(found)
    };
    let mut out: Vec<Reading> = topology::reading(text, read_part).into_iter().collect();
    out.extend(flat_readings(text, templates));
    out
}

/// The readings of the words, the driver messages and the numbers of a text.
fn flat_readings(text: &str, templates: &Templates) -> Vec<Reading> {
    let mut out = rule_readings(text);
    out.extend(templates.readings(text));
    out.extend(tables::structure_readings(text));
    out
}

/// The reading that decides: the highest tier, the first of that tier.
pub fn read(text: &str) -> Option<Reading> {
    best(readings(text))
}

/// The reading of the highest tier: the first rule in table order, the longest
/// driver message (the most specific of those found), the first number.
pub fn best(readings: Vec<Reading>) -> Option<Reading> {
    let top = readings.iter().map(|r| r.tier).max()?;
    let mut tier = readings.into_iter().filter(|r| r.tier == top);
    if top == Tier::Template {
        // `max_by_key` keeps the last of equals: reverse to keep the first.
        let all: Vec<Reading> = tier.collect();
        return all.into_iter().rev().max_by_key(|r| r.at.len());
    }
    tier.next()
}

/// The wording rules that hold for `text`, in table order.
fn rule_readings(text: &str) -> Vec<Reading> {
    let compiled = &*COMPILED;
    // One regex at a time rather than a `RegexSet`: an overlapping set search
    // over all rules outgrows the lazy DFA's cache on long, varied text and
    // falls back to the PikeVM, about 20 s for 4 MB of pasted logs; each rule on
    // its own keeps its literal prefilter and DFA (a fraction of a second).
    let mut out = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        let Some(m) = compiled.patterns[i].find(text) else {
            continue;
        };
        let requires = match &compiled.requires[i] {
            Some(re) => match re.find(text) {
                Some(found) => Some(found.range()),
                None => continue,
            },
            None => None,
        };
        if compiled.unless[i]
            .as_ref()
            .is_some_and(|re| re.is_match(text))
        {
            continue;
        }
        let tier = if rule.wrapper {
            Tier::Wrapper
        } else if rule.vague {
            Tier::Vague
        } else {
            Tier::Specific
        };
        let mut finding = rule.finding;
        if finding == Finding::IpAccessListAlert && rule.requires.is_none() {
            // Alert 80 means the access list only from an Atlas host: the same
            // question the live TLS layer asks (`alert_finding`).
            finding = alert_finding(80, names_atlas_or_no_host(text));
        }
        out.push(Reading {
            finding,
            rule: rule.name,
            tier,
            at: m.range(),
            also_at: requires,
            also: rule.also.to_vec(),
            note: rule.note,
            fix: rule.fix,
            replaces_fixes: rule.replaces_fixes,
            evidence: None,
            disputed: false,
        });
    }
    out
}

/// The server error code a driver's message implies, where the driver gives
/// only text: the code written in it (`code: 18`, `error 13 (Unauthorized)`,
/// `(AuthenticationFailed)`), else the server's own words for it.
pub fn server_code(text: &str) -> Option<i32> {
    if let Some(code) = tables::written_server_code(text) {
        return Some(code);
    }
    let t = text.to_ascii_lowercase();
    if t.contains("bad auth") {
        Some(8000)
    } else if t.contains("requires authentication")
        || t.contains("not authorized")
        || is_action_refusal(&t)
    {
        Some(13)
    } else if t.contains("unable to use scram")
        || t.contains("mechanism unavailable")
        || t.contains("unsupported mechanism")
        || t.contains("no scram-sha-1 credentials")
    {
        Some(334)
    } else if t.contains("authentication failed") {
        Some(18)
    } else {
        None
    }
}

/// Atlas's refusal of an action a user's role or the cluster tier does not
/// allow (code 8000, `user is not allowed to do action [insert] on [db.coll]`).
pub fn is_action_refusal(text: &str) -> bool {
    text.to_ascii_lowercase()
        .contains("not allowed to do action")
}

/// The Rust driver's refusal of a password SASLprep cannot normalise, typed
/// only as an authentication error with this text (mongodb 3.9 `scram.rs`).
pub fn is_saslprep_refusal(text: &str) -> bool {
    text.to_ascii_lowercase().contains("saslprep failure")
}

/// Errors of the application or of its data, not of the connection: a
/// duplicate key, a write conflict, an ODM's cast, validation, not-found or
/// version error (Mongoose, MongoEngine, Beanie, Spring Data), a failed
/// update or pipeline, a codec or serialization error (Java, C#, Go), a
/// document too large, a warning, a type or name error in the application's
/// code, a client used before it connected or after it closed (Node's
/// MongoNotConnectedError and closed topology, PyMongo's "after close", Go's
/// ErrClientDisconnected, Java's "state should be: open"), a query over the
/// server's memory, size or time limits, the server's codeNames for data and
/// query errors (error_codes.yml), Mongoid's data errors
/// (lib/mongoid/errors/), the PHP library's argument errors, MongoEngine's
/// "no connection registered under that alias" (mongoengine/connection.py:
/// the application never called connect(), or a document names an alias it
/// never registered; nothing was sent to a server), and a connection pool's
/// wait queue full (the C# driver's "The wait queue for acquiring a
/// connection to server ... is full", the Java 3.x driver's "Too many threads
/// are already waiting for a connection", and its "Timeout waiting for a
/// pooled item", which ConcurrentPool raises when every one of the pool's
/// connections stays checked out: more concurrent operations than the pool
/// and its queue allow, not a connectivity failure).
/// The names are the drivers', ODMs' and server's own.
static APPLICATION_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"\bE11000\b|duplicate key error|DuplicateKey(?:Error|Exception)?\b|\bcode\W{0,4}(?:11000|11001|121|112)\b|\bWriteConflict\b|Write conflict during plan execution|\bNotUniqueError\b|\bBulkWriteError\b|matching query does not exist|\b(?:MultipleObjectsReturned|FieldDoesNotExist|InvalidQueryError|LookUpError)\b|DocumentNotFound(?:Error)?\b|\b(?:RevisionIdWasChanged|DocumentWasNotSaved|DocumentAlreadyCreated|StateNotSaved)\b|\b(?:VersionError|ParallelSaveError|DivergentArrayError|ObjectParameterError|StrictPopulateError)\b|No matching document found for id|Cannot populate path|\b(?:ImmutableField|ConflictingUpdateOperators|IndexOptionsConflict|IndexKeySpecsConflict|NamespaceExists|TypeMismatch|QueryExceededMemoryLimitNoDiskUseAllowed)\b|would modify the immutable field|would create a conflict at|An equivalent index already exists|Unrecognized pipeline stage name|unknown (?:top level )?operator: \$|Cannot apply \$\w+ to a value of non-numeric type|Sort exceeded memory limit|Exceeded memory limit for \$group|\b(?:InvalidDocument|InvalidId|DocumentTooLarge)\b|is not a valid ObjectId|\b(?:CodecConfigurationException|BsonInvalidOperationException|OptimisticLockingFailureException|ConverterNotFoundException|BsonSerializationException)\b|Can't find a codec for|No converter found capable of converting|does not match any field or property of class|is not a valid 24 digit hex string|no documents in result|\bErrNoDocuments\b|no (?:en|de)coder found for|cannot decode \S+ into|\b(?:Future|User|Runtime)Warning\b|DocumentValidationFailure|\bCastError\b|Cast to \w+ failed for value|\bValidat(?:ion|or)Error\b|validation failed|Document failed validation|\bStrictModeError\b|OverwriteModelError|Cannot overwrite `?\w+`? model once compiled|MissingSchemaError|Schema hasn't been registered for model|DeprecationWarning|\[MONGOOSE\] Warning|\bstrictQuery\b|is deprecated|BSONObjectTooLarge|document is larger than the maximum size|\bMongoNotConnectedError\b|\b(?:Mongo)?Client must be connected (?:to perform this operation|before)|\bMongoTopologyClosedError\b|Topology (?:is closed|was destroyed)|\bMongoServerClosedError\b|\bConnection pool closed\b|^\s*context canceled\s*$|\bMongoExpiredSessionError\b|Cannot use a session that has ended|Cannot use MongoClient after close|\bclient is disconnected\b|state should be: open|\b(?:MongoInvalidArgumentError|MongoBulkWriteError|MongoCursorExhaustedError|MongoTransactionError|MongoGridFSStreamError|MongoGridFSChunkError|MongoBatchReExecutionError|MongoCursorInUseError)\b|\b(?:NamespaceNotFound|CursorNotFound|MaxTimeMSExpired|DollarPrefixedFieldName|EmptyFieldName|DottedFieldName|CannotCreateIndex|IndexNotFound|IndexAlreadyExists|InvalidNamespace|InvalidPipelineOperator|NoSuchTransaction|OperationNotSupportedInTransaction|CommandNotSupportedOnView|ConversionFailure)\b|\bns not found\b|cursor id \d+ not found|operation exceeded time limit|Mongoid::Errors::(?:DocumentNotFound|Validations|InvalidValue|UnknownAttribute|InvalidField|InvalidFind|ReadonlyAttribute|ReadonlyDocument|DeleteRestriction|InvalidPath|InvalidTime|InvalidQuery|NoParent|UnsavedDocument|InvalidIncludes|InverseNotFound|AmbiguousRelationship|InvalidRelation|CallbackError|ImmutableAttribute)\b|MongoDB\\Driver\\Exception\\BulkWriteException|MongoDB\\Exception\\(?:InvalidArgumentException|UnsupportedException|BadMethodCallException)|no longer accepts a callback|Accessing non-existent property \S+ of module exports|cannot transform type|\bInvalidBSON\b|\bJsonParseException\b|Sequence contains no (?:matching )?elements?|Sort operation used more than the maximum \d+ bytes of RAM|Overflow sort stage buffered data usage|result exceeds maximum document size|\bBSONTypeError\b|must be a 24 character hex string|must be a single String of 12 bytes|\b(?:TypeError|ReferenceError|SyntaxError|RangeError|NameError|AttributeError|KeyError|IndexError|ImportError|ModuleNotFoundError|NullPointerException|ClassCastException|NoMethodError|ArgumentError|InvalidCastException|NullReferenceException)\b|Cannot find module|Module not found:? (?:Error: )?Can.t resolve|Unsupported driver \[mongodb\]|The MongoDB PECL extension has not been installed|\berror CS\d{4}\b|cannot convert from '[^'\n]{1,80}' to '[^'\n]{1,80}'|is not a function|is not defined\b|Cannot read propert(?:y|ies) of (?:undefined|null)|undefined method|wait queue for acquiring a connection to server \S+ is full|\bMongoWaitQueueFullException\b|",
        pool_exhausted!(),
        r"|Too many threads are already waiting for a connection",
    ))
});

/// A reply of the server that refused a command (a driver's wrapper of a
/// command or write error, the reply's `errmsg`, a `Location` code): the
/// server was reached and answered, so when no rule reads its words as an
/// authentication, authorization, TLS or deployment failure, the command or
/// its data is what was wrong.
static SERVER_REFUSED_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r#"\bMongoServerError\b|\bOperationFailure\b|\bMongoCommandException\b|Command failed with error \d+|\bMongoWriteException\b|\bWriteError\b|MongoDB\\Driver\\Exception\\(?:Server|Command)Exception|\bcodeName\W{1,4}(?:Location\d+|BadValue|FailedToParse|InvalidOptions|PathNotViable|InvalidLength|Overflow)\b|\(Location\d+\)|["']?errmsg["']?\s*[:=]"#,
    )
});

/// Where `text` says it is an application's or data error, when nothing in
/// it reads as a connection failure: `explain` then says `unknown`, naming it.
///
/// A warning pasted beside a failure (a deprecation warning printed at start-up
/// before the connection failed) is not the error: when the application's
/// words are all warnings and the text speaks of connecting, this says nothing,
/// and the learned guess (undecidable) reads the text.
pub fn application_error(text: &str) -> Option<Range<usize>> {
    let only_warnings = APPLICATION_ERROR
        .find_iter(text)
        .all(|m| WARNING.is_match(m.as_str()));
    if only_warnings && CONNECTING.is_match(text) {
        return None;
    }
    APPLICATION_ERROR
        .find(text)
        .or_else(|| SERVER_REFUSED_COMMAND.find(text))
        .map(|m| m.range())
}

/// The application-error words that are warnings, not errors.
static WARNING: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"DeprecationWarning|\[MONGOOSE\] Warning|\bstrictQuery\b|is deprecated|\b(?:Future|User|Runtime)Warning\b|no longer accepts a callback",
    )
});

/// Words of a failure to connect, in any driver's prose.
static CONNECTING: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:failed|unable|could ?n[o']t|cannot|can't|error) (?:to )?connect|\bconnection (?:error|failed|refused|timed out|closed)|\bECONN[A-Z]+\b|\bETIMEDOUT\b|\bENOTFOUND\b|server selection|no (?:reachable|available) servers?",
    )
});

/// Whether `application_error` holds only because the server refused a
/// command (its `errmsg`, a driver's command-error wrapper), with no name of a
/// data, query or application error in the text: the refusal may then be the
/// deployment's (a server too old for the command, a replica set not set up).
pub fn refused_command_only(text: &str) -> bool {
    !APPLICATION_ERROR.is_match(text)
        && !COMMAND_CODE_NAME.is_match(text)
        && SERVER_REFUSED_COMMAND.is_match(text)
}

/// The server's code names for a command or its arguments refused (part of
/// `SERVER_REFUSED_COMMAND`): with one of them the refusal is the command's.
static COMMAND_CODE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\bcodeName\W{1,4}(?:Location\d+|BadValue|FailedToParse|InvalidOptions|PathNotViable|InvalidLength|Overflow)\b|\(Location\d+\)",
    )
});

/// The rule table compiled once.
struct Compiled {
    patterns: Vec<Regex>,
    requires: Vec<Option<Regex>>,
    unless: Vec<Option<Regex>>,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled {
    patterns: RULES.iter().map(|r| compile(r.pattern)).collect(),
    requires: RULES.iter().map(|r| r.requires.map(compile)).collect(),
    unless: RULES.iter().map(|r| r.unless.map(compile)).collect(),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_pattern_compiles_and_decides_its_own_example() {
        let mut names = std::collections::HashSet::new();
        for rule in RULES {
            assert!(!rule.name.is_empty());
            assert!(names.insert(rule.name), "duplicate rule name {}", rule.name);
            assert!(!rule.example.is_empty(), "{} has no example", rule.name);
            let reading =
                read(rule.example).unwrap_or_else(|| panic!("{} reads nothing", rule.name));
            assert_eq!(reading.rule, rule.name, "example of {}", rule.name);
        }
    }

    #[test]
    fn server_codes_come_from_the_text_or_the_servers_words() {
        let cases = [
            (
                "SCRAM failure: bad auth : authentication failed",
                Some(8000),
            ),
            (
                "Command failed with error 18 (AuthenticationFailed): 'Authentication failed.'",
                Some(18),
            ),
            ("SCRAM failure: authentication failed", Some(18)),
            (
                "not authorized on probe to execute command (action: insert)",
                Some(13),
            ),
            ("command insert requires authentication", Some(13)),
            (
                "user is not allowed to do action [insert] on [probe.c]",
                Some(13),
            ),
            (
                "(MechanismUnavailable) Received authentication for mechanism SCRAM-SHA-256 which is not enabled",
                Some(334),
            ),
            (
                "{ ok: 0, code: 13435, codeName: 'NotMasterNoSlaveOk' }",
                Some(13435),
            ),
            ("Authentication failed.", Some(18)),
            (
                "Unable to use SCRAM-SHA-1 based authentication for user without any SCRAM-SHA-1 credentials registered",
                Some(334),
            ),
            ("connection reset", None),
        ];
        for (text, code) in cases {
            assert_eq!(server_code(text), code, "{text}");
        }
        assert!(is_saslprep_refusal(
            "Authentication error: SASLprep failure: prohibited character"
        ));
        assert!(is_action_refusal("User is not allowed to do action [find]"));
    }

    /// Issue 21 item 2: how atlas-doctor's driver (vendor/mongodb) refuses a reply
    /// too long for a server to send, or of too many elements to decode whole.
    #[test]
    fn r21_2_replies_the_patched_driver_refuses_are_not_mongodb() {
        for text in [
            "The server returned an invalid reply to a database operation: message length 47000037 is larger than the 16793664 bytes a reply may take (the server's maxBsonObjectSize, at most 16 MiB, and 16 KiB)",
            "The server returned an invalid reply to a database operation: a reply of more than 100000 elements, more than a command's reply holds",
        ] {
            assert_eq!(
                read(text).map(|r| r.finding),
                Some(Finding::NotMongodb),
                "{text}"
            );
        }
    }

    #[test]
    fn alert_80_means_the_access_list_only_from_atlas() {
        assert_eq!(alert_finding(80, true), Finding::IpAccessListAlert);
        assert_eq!(alert_finding(80, false), Finding::TlsAlert);
        assert_eq!(alert_finding(45, false), Finding::TlsExpired);
        assert_eq!(alert_finding(200, true), Finding::TlsAlert);
        assert_eq!(alert_name(80), "internal_error");
        assert_eq!(alert_name(48), "unknown_ca");
        assert_eq!(alert_name(255), "unknown alert");
        let atlas = "SSL alert number 80 from ac-x-shard-00-01.ab1cd.mongodb.net:27017";
        let plain = "SSL alert number 80 from db.internal:27017";
        let bare = "tlsv1 alert internal error: SSL alert number 80";
        assert_eq!(read(atlas).unwrap().finding, Finding::IpAccessListAlert);
        assert_eq!(read(plain).unwrap().finding, Finding::TlsAlert);
        assert_eq!(read(bare).unwrap().finding, Finding::IpAccessListAlert);
    }

    #[test]
    fn a_message_outranks_a_bare_code_and_a_wrapper_decides_only_alone() {
        let sni = "Command failed with error 8000 (AtlasError): 'no SNI name sent, make sure using a MongoDB 3.4+ driver/shell.'";
        assert_eq!(read(sni).unwrap().finding, Finding::TlsNoSni);
        let bare = "MongoServerSelectionError: Server selection timed out after 30000 ms";
        assert!(!read(bare).unwrap().decidable());
        let inner = "MongoServerSelectionError: Server selection timed out after 30000 ms, reason: connect ECONNREFUSED 127.0.0.1:27017";
        let reading = read(inner).unwrap();
        assert!(reading.decidable());
        assert_eq!(reading.finding, Finding::TcpRefused);
    }
}
