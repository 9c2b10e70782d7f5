//! The hello layer: the MongoDB handshake spoken directly over the probe's own
//! connection (OP_MSG `hello`, falling back to `isMaster`), with every read
//! bounded in size and time, so a peer that is not MongoDB is named, not hung on.

use std::time::{Duration, Instant};

use mongodb::bson::{self, Bson, Document, doc};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::model::hello::{Answer, Error, Role};

/// OP_MSG, the opcode of every modern command.
const OP_MSG: i32 = 2013;
/// OP_REPLY, the legacy reply opcode.
const OP_REPLY: i32 = 1;
/// The largest message a server may send (48 MB): anything larger is not MongoDB.
pub const MAX_MESSAGE_BYTES: usize = 48_000_000;
/// Replies to hello, ping and buildInfo are a few KB; a peer announcing more
/// than this is refused from its header, before anything is allocated.
const MAX_REPLY_BYTES: usize = 1024 * 1024;
/// The deepest reply a probe decodes: the bound of the driver's (patched) BSON
/// decoder, that of libbson and the server, so the probes and the driver refuse
/// at the same depth. Replies to hello, buildInfo and ping are a few levels
/// deep; the decoder recurses per level, so a reply nested thousands deep would
/// take the process down with a stack overflow.
pub const MAX_NESTING: usize = mongodb::bson::MAX_NESTING_DEPTH;
/// The body buffer grows as bytes arrive, so a peer that announces a large
/// reply but sends little costs little memory.
const READ_CHUNK: usize = 16 * 1024;

/// A byte stream the probe can speak MongoDB over (plain TCP or TLS).
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// What the handshake showed about one host.
#[derive(Debug, Clone, PartialEq)]
pub struct HelloInfo {
    pub version: Option<String>,
    pub min_wire_version: i32,
    pub max_wire_version: i32,
    pub set_name: Option<String>,
    /// The primary this member names (`hello.primary`), if it knows one.
    pub primary: Option<String>,
    pub writable_primary: bool,
    pub secondary: bool,
    pub arbiter: bool,
    pub mongos: bool,
    pub hosts: Vec<String>,
    pub sasl_mechanisms: Vec<String>,
    pub round_trip: Duration,
    /// Which command answered: `hello` or `isMaster`.
    pub command: &'static str,
}

impl HelloInfo {
    /// standalone, mongos, replica set primary/secondary/arbiter.
    pub fn role(&self) -> Role {
        match (&self.set_name, self.mongos) {
            (_, true) => Role::Mongos,
            (Some(set), false) => {
                let set = set.clone();
                if self.writable_primary {
                    Role::Primary { set }
                } else if self.secondary {
                    Role::Secondary { set }
                } else if self.arbiter {
                    Role::Arbiter { set }
                } else {
                    Role::Member { set }
                }
            }
            (None, false) => Role::Standalone,
        }
    }

    /// What the hello step shows: version, wire range, role.
    pub fn answer(&self) -> Answer {
        Answer {
            version: self.version.clone(),
            min_wire_version: self.min_wire_version,
            max_wire_version: self.max_wire_version,
            role: self.role(),
        }
    }
}

/// Sends one command and reads its reply, all within `deadline`.
pub async fn command<S: Stream + ?Sized>(
    stream: &mut S,
    command: Document,
    request_id: i32,
    deadline: Duration,
) -> Result<Document, Error> {
    match tokio::time::timeout(deadline, exchange(stream, command, request_id)).await {
        Ok(result) => result,
        Err(_) => Err(Error::NoReply { after: deadline }),
    }
}

async fn exchange<S: Stream + ?Sized>(
    stream: &mut S,
    command: Document,
    request_id: i32,
) -> Result<Document, Error> {
    send(stream, &[(command, request_id)]).await?;
    receive(stream, request_id).await
}

/// Writes the commands in one write: a server answers pipelined commands in
/// order, so several cost one round trip, not one each.
async fn send<S: Stream + ?Sized>(
    stream: &mut S,
    commands: &[(Document, i32)],
) -> Result<(), Error> {
    let mut message = Vec::new();
    for (command, request_id) in commands {
        message.extend_from_slice(&encode_op_msg(command, *request_id)?);
    }
    stream.write_all(&message).await.map_err(|e| io_error(&e))?;
    stream.flush().await.map_err(|e| io_error(&e))
}

/// Reads the reply to `request_id`, bounded in size and nesting before decoding.
async fn receive<S: Stream + ?Sized>(stream: &mut S, request_id: i32) -> Result<Document, Error> {
    let mut header = [0u8; 16];
    read_exact_or_classify(stream, &mut header).await?;
    let length = i32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    let response_to = i32::from_le_bytes([header[8], header[9], header[10], header[11]]);
    let op_code = i32::from_le_bytes([header[12], header[13], header[14], header[15]]);
    check_header(&header, length, op_code)?;
    let body_len = usize::try_from(length).unwrap_or(0) - 16;
    if body_len > MAX_REPLY_BYTES {
        return Err(Error::NotMongodb {
            evidence: format!(
                "a reply announcing {length} bytes, more than a handshake reply could be"
            ),
        });
    }
    let body = read_body(stream, body_len).await?;
    if response_to != request_id {
        return Err(Error::NotMongodb {
            evidence: format!("a reply to request {response_to}, not {request_id}"),
        });
    }
    let reply = decode_reply(op_code, &body)?;
    check_ok(reply)
}

/// Rejects headers no MongoDB server would send, naming what the bytes look like.
fn check_header(header: &[u8; 16], length: i32, op_code: i32) -> Result<(), Error> {
    if super::tls::looks_like_tls(header) {
        return Err(Error::SpokeTls);
    }
    if header.starts_with(b"HTTP/") {
        let status = String::from_utf8_lossy(&header[..12.min(header.len())]).into_owned();
        return Err(Error::NotMongodb {
            evidence: format!("an HTTP response ({status}...)"),
        });
    }
    let plausible_length =
        usize::try_from(length).is_ok_and(|len| (21..=MAX_MESSAGE_BYTES).contains(&len));
    let mongodb_op = op_code == OP_MSG || op_code == OP_REPLY;
    if mongodb_op && usize::try_from(length).is_ok_and(|len| len > MAX_MESSAGE_BYTES) {
        // The wire protocol's own header, but a length no server sends.
        return Err(Error::NotMongodb {
            evidence: format!(
                "a message larger than MongoDB allows ({length} bytes; at most {MAX_MESSAGE_BYTES})"
            ),
        });
    }
    if !plausible_length || !mongodb_op {
        return Err(Error::NotMongodb {
            evidence: format!(
                "bytes that are not MongoDB's wire protocol: {}",
                printable(header)
            ),
        });
    }
    Ok(())
}

/// Reads exactly `len` bytes, growing the buffer a chunk at a time.
async fn read_body<S: Stream + ?Sized>(stream: &mut S, len: usize) -> Result<Vec<u8>, Error> {
    let mut body = Vec::with_capacity(len.min(READ_CHUNK));
    // On the heap: a 16 KiB array would live inside every future that awaits this.
    let mut chunk = vec![0u8; READ_CHUNK];
    while body.len() < len {
        let want = (len - body.len()).min(READ_CHUNK);
        match stream.read(&mut chunk[..want]).await {
            Ok(0) => {
                return Err(Error::NotMongodb {
                    evidence: format!("a reply cut short after {} of {len} body bytes", body.len()),
                });
            }
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(io_error(&e)),
        }
    }
    Ok(body)
}

async fn read_exact_or_classify<S: Stream + ?Sized>(
    stream: &mut S,
    buf: &mut [u8],
) -> Result<(), Error> {
    let mut filled = 0;
    while filled < buf.len() {
        match stream.read(&mut buf[filled..]).await {
            Ok(0) if filled == 0 => return Err(Error::Closed),
            Ok(0) => {
                if super::tls::looks_like_tls(&buf[..filled]) {
                    return Err(Error::SpokeTls);
                }
                return Err(Error::NotMongodb {
                    evidence: format!(
                        "a short answer of {filled} bytes: {}",
                        printable(&buf[..filled])
                    ),
                });
            }
            Ok(n) => filled += n,
            Err(e) => return Err(io_error(&e)),
        }
    }
    Ok(())
}

fn io_error(e: &std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::BrokenPipe => Error::Reset,
        std::io::ErrorKind::UnexpectedEof => Error::Closed,
        _ => Error::Io {
            reason: e.to_string(),
        },
    }
}

/// The first bytes as text when printable, else hex: evidence for "not MongoDB".
pub fn printable(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(16)];
    if shown.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("{:?}", String::from_utf8_lossy(shown))
    } else {
        shown
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn encode_op_msg(command: &Document, request_id: i32) -> Result<Vec<u8>, Error> {
    let body = bson::to_vec(command).map_err(|e| Error::Io {
        reason: e.to_string(),
    })?;
    let length = 16 + 4 + 1 + body.len();
    let mut message = Vec::with_capacity(length);
    message.extend_from_slice(&i32::try_from(length).unwrap_or(i32::MAX).to_le_bytes());
    message.extend_from_slice(&request_id.to_le_bytes());
    message.extend_from_slice(&0i32.to_le_bytes());
    message.extend_from_slice(&OP_MSG.to_le_bytes());
    message.extend_from_slice(&0u32.to_le_bytes());
    message.push(0);
    message.extend_from_slice(&body);
    Ok(message)
}

fn decode_reply(op_code: i32, body: &[u8]) -> Result<Document, Error> {
    let not_mongo = |what: &str| Error::NotMongodb {
        evidence: what.to_string(),
    };
    let doc_bytes = if op_code == OP_MSG {
        // flagBits, then a kind-0 section holding the reply document.
        match body.get(4) {
            Some(0) => &body[5..],
            _ => return Err(not_mongo("an OP_MSG reply without a body section")),
        }
    } else {
        // OP_REPLY: flags, cursorId, startingFrom, numberReturned, then documents.
        body.get(20..)
            .ok_or_else(|| not_mongo("a truncated OP_REPLY"))?
    };
    decode_document(doc_bytes)
}

/// Decodes one reply document, refusing it unless it is well-formed BSON nested
/// at most `MAX_NESTING` deep: the decoder recurses once per level, so a reply
/// nested thousands deep would overflow the stack. The depth is measured first,
/// without recursion.
pub fn decode_document(bytes: &[u8]) -> Result<Document, Error> {
    let not_mongo = |what: String| Error::NotMongodb { evidence: what };
    match nesting_depth(bytes) {
        Some(depth) if depth > MAX_NESTING => Err(not_mongo(format!(
            "a reply nested more than {MAX_NESTING} levels deep, which no MongoDB reply is"
        ))),
        Some(_) => Document::from_reader(bytes)
            .map_err(|_| not_mongo("a reply that is not BSON".to_string())),
        None => Err(not_mongo("a reply that is not BSON".to_string())),
    }
}

/// The deepest nesting of documents and arrays in the BSON document at the start
/// of `bytes` (1 for a flat document), walked with an explicit stack so that no
/// input can exhaust ours; `None` when the bytes are not well-formed BSON. The
/// walk stops counting at `MAX_NESTING + 1`.
pub fn nesting_depth(bytes: &[u8]) -> Option<usize> {
    let read_len = |at: usize| -> Option<usize> {
        let raw = i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
        usize::try_from(raw).ok()
    };
    let cstring_end = |at: usize| -> Option<usize> {
        Some(at + bytes.get(at..)?.iter().position(|&b| b == 0)? + 1)
    };
    let doc_len = read_len(0)?;
    if doc_len < 5 || doc_len > bytes.len() {
        return None;
    }
    // The end offset of each open document; the position is inside the innermost.
    let mut ends = vec![doc_len];
    let mut deepest = 1;
    let mut pos = 4;
    while let Some(&end) = ends.last() {
        let kind = *bytes.get(pos)?;
        if kind == 0 {
            if pos + 1 != end {
                return None;
            }
            ends.pop();
            pos = end;
            continue;
        }
        pos = cstring_end(pos + 1)?;
        let value_len = match kind {
            0x01 | 0x09 | 0x11 | 0x12 => 8,
            0x02 | 0x0D | 0x0E => 4 + read_len(pos)?,
            0x03 | 0x04 => {
                let len = read_len(pos)?;
                if len < 5 || pos + len > end {
                    return None;
                }
                ends.push(pos + len);
                deepest = deepest.max(ends.len());
                if deepest > MAX_NESTING {
                    return Some(deepest);
                }
                pos += 4;
                continue;
            }
            0x05 => 5 + read_len(pos)?,
            0x06 | 0x0A | 0x7F | 0xFF => 0,
            0x07 => 12,
            0x08 => 1,
            0x0B => {
                let pattern_end = cstring_end(pos)?;
                cstring_end(pattern_end)? - pos
            }
            0x0C => 4 + read_len(pos)? + 12,
            0x0F => {
                // Code with scope: total length, the code string, then a document.
                let total = read_len(pos)?;
                let code_len = read_len(pos + 4)?;
                let scope = pos + 8 + code_len;
                let scope_len = read_len(scope)?;
                if scope + scope_len != pos + total || pos + total > end {
                    return None;
                }
                ends.push(pos + total);
                deepest = deepest.max(ends.len());
                if deepest > MAX_NESTING {
                    return Some(deepest);
                }
                pos = scope + 4;
                continue;
            }
            0x10 => 4,
            0x13 => 16,
            _ => return None,
        };
        pos = pos.checked_add(value_len)?;
        if pos > end {
            return None;
        }
    }
    Some(deepest)
}

fn check_ok(reply: Document) -> Result<Document, Error> {
    let ok = match reply.get("ok") {
        Some(Bson::Double(v)) => (*v - 1.0).abs() < f64::EPSILON,
        Some(Bson::Int32(v)) => *v == 1,
        Some(Bson::Int64(v)) => *v == 1,
        Some(Bson::Boolean(v)) => *v,
        _ => false,
    };
    if ok {
        return Ok(reply);
    }
    Err(Error::CommandFailed {
        code: number(&reply, "code").unwrap_or(0),
        code_name: reply.get_str("codeName").unwrap_or_default().to_string(),
        message: reply.get_str("errmsg").unwrap_or("no errmsg").to_string(),
    })
}

fn number(doc: &Document, key: &str) -> Option<i32> {
    match doc.get(key)? {
        Bson::Int32(v) => Some(*v),
        Bson::Int64(v) => i32::try_from(*v).ok(),
        #[allow(clippy::cast_possible_truncation)]
        Bson::Double(v) => Some(*v as i32),
        _ => None,
    }
}

fn flag(doc: &Document, key: &str) -> bool {
    doc.get_bool(key).unwrap_or(false)
}

/// The handshake in one round trip: `hello` and `buildInfo` (for the version,
/// best effort) written together, falling back to `isMaster` on servers that
/// predate `hello`.
pub async fn hello<S: Stream + ?Sized>(
    stream: &mut S,
    sasl_user: Option<&str>,
    deadline: Duration,
) -> Result<HelloInfo, Error> {
    let start = Instant::now();
    let mut request =
        doc! { "hello": 1, "helloOk": true, "$db": "admin", "client": client_metadata() };
    if let Some(user) = sasl_user {
        request.insert("saslSupportedMechs", user);
    }
    let build_info = doc! { "buildInfo": 1, "$db": "admin" };
    let handshake = async {
        send(stream, &[(request, 1), (build_info, 2)]).await?;
        let first = receive(stream, 1).await;
        let round_trip = start.elapsed();
        // The buildInfo reply follows in order whatever hello answered; a peer
        // that goes silent after hello costs the version, not the handshake.
        let remaining = deadline.saturating_sub(start.elapsed());
        let version = async {
            tokio::time::timeout(remaining, receive(stream, 2))
                .await
                .ok()?
                .ok()?
                .get_str("version")
                .ok()
                .map(str::to_string)
        };
        match first {
            Ok(reply) => Ok((reply, "hello", version.await, round_trip)),
            Err(Error::CommandFailed { .. }) => {
                let version = version.await;
                let mut legacy = doc! { "isMaster": 1, "$db": "admin" };
                if let Some(user) = sasl_user {
                    legacy.insert("saslSupportedMechs", user);
                }
                let reply = exchange(stream, legacy, 3).await?;
                Ok((reply, "isMaster", version, start.elapsed()))
            }
            Err(e) => Err(e),
        }
    };
    let (reply, answered_by, version, round_trip) =
        match tokio::time::timeout(deadline, handshake).await {
            Ok(result) => result?,
            Err(_) => return Err(Error::NoReply { after: deadline }),
        };
    Ok(HelloInfo {
        version,
        min_wire_version: number(&reply, "minWireVersion").unwrap_or(0),
        max_wire_version: number(&reply, "maxWireVersion").unwrap_or(0),
        set_name: reply.get_str("setName").ok().map(str::to_string),
        primary: reply.get_str("primary").ok().map(str::to_string),
        // `hello` answers isWritablePrimary; only a legacy isMaster reply's `ismaster` counts.
        writable_primary: reply
            .get_bool("isWritablePrimary")
            .unwrap_or_else(|_| flag(&reply, "ismaster")),
        secondary: flag(&reply, "secondary"),
        arbiter: flag(&reply, "arbiterOnly"),
        mongos: reply.get_str("msg") == Ok("isdbgrid"),
        hosts: reply
            .get_array("hosts")
            .map(|hosts| {
                hosts
                    .iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        sasl_mechanisms: reply
            .get_array("saslSupportedMechs")
            .map(|m| {
                m.iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        round_trip,
        command: answered_by,
    })
}

fn client_metadata() -> Document {
    doc! {
        "application": { "name": "atlas-doctor" },
        "driver": { "name": "atlas-doctor", "version": env!("CARGO_PKG_VERSION") },
        "os": { "type": std::env::consts::OS, "architecture": std::env::consts::ARCH },
    }
}

/// One MongoDB `ping`, timed.
pub async fn ping<S: Stream + ?Sized>(
    stream: &mut S,
    request_id: i32,
    deadline: Duration,
) -> Result<Duration, Error> {
    let start = Instant::now();
    command(
        stream,
        doc! { "ping": 1, "$db": "admin" },
        request_id,
        deadline,
    )
    .await?;
    Ok(start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn reply_with(bytes: Vec<u8>) -> Result<Document, Error> {
        let (mut client, mut server) = tokio::io::duplex(1 << 20);
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            let _ = server.read(&mut buf).await;
            let _ = server.write_all(&bytes).await;
        });
        command(
            &mut client,
            doc! { "hello": 1, "$db": "admin" },
            7,
            Duration::from_secs(2),
        )
        .await
    }

    fn op_msg_reply(doc: &Document, response_to: i32) -> Vec<u8> {
        let mut m = encode_op_msg(doc, 99).unwrap();
        m[8..12].copy_from_slice(&response_to.to_le_bytes());
        m
    }

    #[tokio::test]
    async fn decodes_an_op_msg_reply() {
        let reply = reply_with(op_msg_reply(&doc! { "ok": 1.0, "maxWireVersion": 21 }, 7))
            .await
            .unwrap();
        assert_eq!(reply.get_i32("maxWireVersion").unwrap(), 21);
    }

    #[tokio::test]
    async fn command_errors_keep_code_and_message() {
        let err = reply_with(op_msg_reply(
            &doc! { "ok": 0.0, "code": 13, "codeName": "Unauthorized", "errmsg": "nope" },
            7,
        ))
        .await
        .unwrap_err();
        assert_eq!(
            err,
            Error::CommandFailed {
                code: 13,
                code_name: "Unauthorized".into(),
                message: "nope".into()
            }
        );
    }

    #[tokio::test]
    async fn http_is_named() {
        let err = reply_with(b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::NotMongodb { ref evidence } if evidence.contains("HTTP")),
            "{err:?}"
        );
    }

    /// Issue 11 item 7: the summary said "answered with an HTTP server answered".
    #[tokio::test]
    async fn r11_not_mongodb_evidence_is_a_noun_phrase_for_answered_with() {
        let garbage = b"GARBAGE GARBAGE GARBAGE".to_vec();
        for bytes in [b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(), garbage] {
            let err = reply_with(bytes).await.unwrap_err();
            let Error::NotMongodb { evidence } = &err else {
                panic!("{err:?}")
            };
            assert!(
                evidence.starts_with("a ")
                    || evidence.starts_with("an ")
                    || evidence.starts_with("bytes "),
                "{evidence}"
            );
            assert_eq!(err.to_string().matches("answered").count(), 1, "{err}");
        }
    }

    #[tokio::test]
    async fn a_two_gigabyte_header_is_refused_without_reading_it() {
        let mut header = Vec::new();
        header.extend_from_slice(&i32::MAX.to_le_bytes());
        header.extend_from_slice(&1i32.to_le_bytes());
        header.extend_from_slice(&7i32.to_le_bytes());
        header.extend_from_slice(&OP_MSG.to_le_bytes());
        assert!(matches!(
            reply_with(header).await.unwrap_err(),
            Error::NotMongodb { .. }
        ));
    }

    fn header(length: i32) -> Vec<u8> {
        let mut h = Vec::new();
        for field in [length, 1, 7, OP_MSG] {
            h.extend_from_slice(&field.to_le_bytes());
        }
        h
    }

    #[tokio::test]
    async fn a_reply_larger_than_a_handshake_is_refused_from_its_header() {
        let err = reply_with(header(2 * 1024 * 1024)).await.unwrap_err();
        assert!(
            matches!(err, Error::NotMongodb { ref evidence } if evidence.contains("announcing")),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn a_reply_cut_short_is_named() {
        let mut bytes = header(900 * 1024);
        bytes.extend_from_slice(&[0u8; 100]);
        let err = reply_with(bytes).await.unwrap_err();
        assert!(
            matches!(err, Error::NotMongodb { ref evidence } if evidence.contains("cut short after 100")),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn a_tls_alert_means_the_peer_wants_tls() {
        let mut alert = vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32];
        alert.extend_from_slice(&[0; 9]);
        assert_eq!(reply_with(alert).await.unwrap_err(), Error::SpokeTls);
    }

    #[tokio::test]
    async fn close_without_reply() {
        assert_eq!(reply_with(Vec::new()).await.unwrap_err(), Error::Closed);
    }

    #[tokio::test]
    async fn silence_ends_at_the_deadline() {
        let (mut client, _server) = tokio::io::duplex(1024);
        let err = command(
            &mut client,
            doc! { "ping": 1 },
            1,
            Duration::from_millis(50),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::NoReply { .. }));
    }

    /// `{a: {a: ... {}}}`, `depth` documents in all, built flat.
    fn nested(depth: usize) -> Vec<u8> {
        let total = 5 + 8 * (depth - 1);
        let mut out = Vec::new();
        for level in 0..depth - 1 {
            out.extend_from_slice(&i32::try_from(total - 8 * level).unwrap().to_le_bytes());
            out.extend_from_slice(&[0x03, b'a', 0]);
        }
        out.extend_from_slice(&[5, 0, 0, 0, 0]);
        out.extend(std::iter::repeat_n(0u8, depth - 1));
        out
    }

    #[test]
    fn nesting_depth_counts_documents_arrays_and_code_with_scope() {
        assert_eq!(nesting_depth(&nested(1)), Some(1));
        assert_eq!(nesting_depth(&nested(7)), Some(7));
        let doc = doc! {
            "s": "x", "n": 1, "l": 2i64, "d": 1.5, "b": true, "z": Bson::Null,
            "t": Bson::Timestamp(bson::Timestamp { time: 1, increment: 2 }),
            "o": bson::oid::ObjectId::new(), "when": bson::DateTime::now(),
            "bin": Bson::Binary(bson::Binary { subtype: bson::spec::BinarySubtype::Generic, bytes: vec![1, 2] }),
            "re": Bson::RegularExpression(bson::Regex { pattern: "a+".into(), options: "i".into() }),
            "arr": [1, [2, [3]]],
            "code": Bson::JavaScriptCodeWithScope(bson::JavaScriptCodeWithScope {
                code: "f()".into(), scope: doc! {"k": {"k": 1}},
            }),
        };
        let bytes = bson::to_vec(&doc).unwrap();
        // arr -> [2, [3]] -> [3]: four levels with the top; the scope's {k: {k}} is three.
        assert_eq!(nesting_depth(&bytes), Some(4));
        assert_eq!(decode_document(&bytes).unwrap(), doc);
    }

    #[test]
    fn nesting_depth_refuses_malformed_bson() {
        let mut bytes = nested(3);
        bytes.truncate(bytes.len() - 1);
        assert_eq!(nesting_depth(&bytes), None);
        assert_eq!(nesting_depth(&[5, 0, 0, 0, 1]), None);
        assert_eq!(nesting_depth(&[200, 0, 0, 0, 0]), None);
        assert_eq!(
            nesting_depth(&[12, 0, 0, 0, 0x42, b'a', 0, 0, 0, 0, 0, 0]),
            None
        );
    }

    #[test]
    fn a_reply_too_deep_is_refused_and_one_at_the_bound_decoded() {
        // On a stack of the size the runtime's workers get (lib.rs): a debug
        // build's decoder needs more than a test thread's 2 MiB at the bound.
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(|| {
                assert!(decode_document(&nested(MAX_NESTING)).is_ok());
                let err = decode_document(&nested(MAX_NESTING + 1)).unwrap_err();
                assert!(
                    matches!(err, Error::NotMongodb { ref evidence } if evidence.contains("nested")),
                    "{err:?}"
                );
            })
            .expect("spawn")
            .join()
            .expect("decoded");
    }

    #[tokio::test]
    async fn r15_a_reply_nested_4000_deep_is_refused_not_a_stack_overflow() {
        let body = nested(4000);
        let mut reply = Vec::new();
        let len = i32::try_from(16 + 5 + body.len()).unwrap();
        for field in [len, 1, 7, OP_MSG] {
            reply.extend_from_slice(&field.to_le_bytes());
        }
        reply.extend_from_slice(&[0, 0, 0, 0, 0]);
        reply.extend_from_slice(&body);
        let err = reply_with(reply).await.unwrap_err();
        assert!(
            matches!(err, Error::NotMongodb { ref evidence } if evidence.contains("nested more than")),
            "{err:?}"
        );
    }

    #[test]
    fn printable_evidence() {
        assert_eq!(printable(b"SSH-2.0-OpenSSH"), "\"SSH-2.0-OpenSSH\"");
        assert_eq!(printable(&[0xde, 0xad]), "de ad");
    }

    /// Issue 20 item 12: a 2 GB OP_MSG length was called "not MongoDB's wire
    /// protocol"; it is the protocol's header with a message larger than MongoDB allows.
    #[test]
    fn r20_12_an_oversized_op_msg_is_named_as_such() {
        let mut header = [0u8; 16];
        header[..4].copy_from_slice(&i32::MAX.to_le_bytes());
        header[12..].copy_from_slice(&OP_MSG.to_le_bytes());
        let Err(Error::NotMongodb { evidence }) = check_header(&header, i32::MAX, OP_MSG) else {
            panic!("accepted");
        };
        assert!(
            evidence.starts_with("a message larger than MongoDB allows"),
            "{evidence}"
        );
        assert!(!evidence.contains("wire protocol"), "{evidence}");
    }
}
