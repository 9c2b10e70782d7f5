//! Hostile and broken peers on 127.0.0.1: endless random bytes, a 2 GB message header, a peer that drips a byte a second, a 50-certificate TLS chain, a DNS server with 500 SRV targets, and one that truncates every answer.
//!
//! Each constructor returns a [`Server`] (or a guard) that owns its sockets: `port()` /
//! `addr` is all a test or the benchmark needs to point atlas-doctor at the same fault.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use std::sync::Arc;

use mongodb::bson::{Document, doc};

use super::{
    LOCALHOST, OP_MSG, Server, TestPki, default_hello, document_bytes, drain, message,
    parse_op_msg, tcp_server,
};

/// Reads one whole MongoDB request (16-byte header, then the rest); false when the peer
/// closed or sent something that is not a sane message.
async fn read_request(stream: &mut TcpStream) -> Option<i32> {
    let mut header = [0u8; 16];
    stream.read_exact(&mut header).await.ok()?;
    let len = i32::from_le_bytes(header[0..4].try_into().ok()?);
    let request_id = i32::from_le_bytes(header[4..8].try_into().ok()?);
    let body = usize::try_from(len).ok()?.checked_sub(16)?;
    if body > 1 << 20 {
        return None;
    }
    let mut rest = vec![0u8; body];
    stream.read_exact(&mut rest).await.ok()?;
    Some(request_id)
}

/// Reads one OP_MSG request (a body of at most 1 MiB): its command, its request id and
/// whether more is to come; `None` when the peer closed or sent anything else.
async fn read_op_msg(stream: &mut TcpStream) -> Option<(Document, i32, bool)> {
    let mut header = [0u8; 16];
    stream.read_exact(&mut header).await.ok()?;
    let field = |i: usize| i32::from_le_bytes(header[i..i + 4].try_into().expect("4 bytes"));
    let (len, request_id, op_code) = (field(0), field(4), field(12));
    let body_len = usize::try_from(len)
        .ok()?
        .checked_sub(16)
        .filter(|&l| l <= 1 << 20)?;
    let mut body = vec![0u8; body_len];
    stream.read_exact(&mut body).await.ok()?;
    if op_code != OP_MSG {
        return None;
    }
    let (command, more_to_come) = parse_op_msg(&body)?;
    Some((command, request_id, more_to_come))
}

/// After accept, writes pseudo-random bytes (a fresh xorshift stream per connection) in
/// 4 KiB chunks until the client goes away, without reading.
pub fn random_stream() -> Server {
    tcp_server(|mut stream| async move {
        let mut x: u64 = 0xD1B5_4A32_D192_ED03;
        let mut chunk = [0u8; 4096];
        loop {
            for byte in &mut chunk {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                *byte = x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes()[7];
            }
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
}

/// The 16-byte header of an OP_MSG reply to `request_id` that announces `length` bytes.
pub fn header_announcing(length: i32, request_id: i32) -> [u8; 16] {
    let mut header = [0u8; 16];
    header[0..4].copy_from_slice(&length.to_le_bytes());
    header[4..8].copy_from_slice(&1i32.to_le_bytes());
    header[8..12].copy_from_slice(&request_id.to_le_bytes());
    header[12..16].copy_from_slice(&2013i32.to_le_bytes());
    header
}

/// Reads the request, answers with a well-formed OP_MSG header announcing `length` bytes
/// (2 GB: `i32::MAX`), sends a few bytes of body, then holds the connection open.
pub fn huge_header(length: i32) -> Server {
    tcp_server(move |mut stream| async move {
        let Some(request_id) = read_request(&mut stream).await else {
            return;
        };
        let _ = stream
            .write_all(&header_announcing(length, request_id))
            .await;
        let _ = stream.write_all(&[0u8; 64]).await;
        drain(&mut stream).await;
    })
}

/// Reads the request, then writes the start of a plausible reply one byte a second, forever.
pub fn drip() -> Server {
    tcp_server(|mut stream| async move {
        let Some(request_id) = read_request(&mut stream).await else {
            return;
        };
        let reply = header_announcing(200, request_id);
        for byte in reply.iter().chain(std::iter::repeat(&0u8)) {
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

/// Reads the whole request, then closes without a word (every connection).
pub fn close_after_request() -> Server {
    tcp_server(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        let _ = stream.shutdown().await;
    })
}

// ------------------------------------------------------------------ TLS

/// A CA, `intermediates` intermediate CAs each signed by the one before, and a leaf for
/// `localhost`/`127.0.0.1`; `chain` is leaf-first, the full chain without the root.
pub fn long_chain_pki(intermediates: usize) -> TestPki {
    let (mut issuer_params, mut issuer_key, root) = super::make_ca("atlas-doctor chain root");
    let mut chain = Vec::new();
    for i in 0..intermediates {
        let mut params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("intermediate params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, format!("intermediate {i}"));
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let key = rcgen::KeyPair::generate().expect("intermediate key");
        let issuer = rcgen::Issuer::new(issuer_params, issuer_key);
        let cert = params.signed_by(&key, &issuer).expect("sign intermediate");
        chain.push(cert.der().clone());
        issuer_params = params;
        issuer_key = key;
    }
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("leaf params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "atlas-doctor long-chain leaf");
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let key = rcgen::KeyPair::generate().expect("leaf key");
    let leaf = params
        .signed_by(&key, &rcgen::Issuer::new(issuer_params, issuer_key))
        .expect("sign leaf");
    chain.push(leaf.der().clone());
    chain.reverse();
    TestPki {
        ca_pem: root.pem(),
        chain,
        key: rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    }
}

/// A TLS listener serving a leaf, `intermediates` intermediates (the whole chain, as a
/// misconfigured server might) under the root in `ca_file`. Holds the connection after the
/// handshake, silent.
pub fn tls_long_chain(intermediates: usize) -> Server {
    super::serve_tls_silently(&long_chain_pki(intermediates))
}

// ------------------------------------------------------------------ DNS

/// Answers every DNS query over UDP with its question, no answers and the TC (truncated)
/// bit set, telling the client to retry over TCP, where nothing listens.
pub fn dns_truncating() -> Server {
    // A port closed for TCP too, so the retry over TCP is refused.
    super::udp_server(super::closed_udp_port(), |socket| async move {
        let mut buf = [0u8; 4096];
        while let Ok((n, peer)) = socket.recv_from(&mut buf).await {
            if let Some(reply) = truncated_reply(&buf[..n]) {
                let _ = socket.send_to(&reply, peer).await;
            }
        }
    })
}

/// The query's header and question with QR, AA and TC set, RCODE 0, and no records.
fn truncated_reply(query: &[u8]) -> Option<Vec<u8>> {
    if query.len() < 12 {
        return None;
    }
    // The question: QNAME labels, then QTYPE and QCLASS.
    let mut pos = 12;
    loop {
        let len = usize::from(*query.get(pos)?);
        pos += 1;
        if len == 0 {
            break;
        }
        pos += len;
    }
    let question_end = pos + 4;
    let mut reply = query.get(..question_end)?.to_vec();
    reply[2] = 0x80 | 0x04 | 0x02 | (query[2] & 0x01); // QR, AA, TC, RD copied
    reply[3] = 0x80; // RA, NOERROR
    reply[4..6].copy_from_slice(&1u16.to_be_bytes()); // QDCOUNT
    reply[6..12].fill(0); // no answers, authority or additional records
    Some(reply)
}

/// A dnsmasq process owned by a test: killed and reaped when dropped.
pub struct Dnsmasq {
    pub addr: SocketAddr,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Dnsmasq {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The SRV name [`dns_many_srv`] serves: `_mongodb._tcp.big.<domain>`.
pub const BIG_CLUSTER: &str = "big.example.test";

/// A private dnsmasq (not the bed's) serving `_mongodb._tcp.big.example.test` with `count`
/// SRV targets `h000.big.example.test`... on `port`, every one an A record for 127.0.0.1.
/// The answer does not fit a UDP datagram, so resolvers must retry over TCP.
pub fn dns_many_srv(count: usize, port: u16) -> Dnsmasq {
    let mut records = vec![format!("--local=/{BIG_CLUSTER}/")];
    for i in 0..count {
        let host = format!("h{i:03}.{BIG_CLUSTER}");
        records.push(format!(
            "--srv-host=_mongodb._tcp.{BIG_CLUSTER},{host},{port},0,0"
        ));
        records.push(format!("--host-record={host},{LOCALHOST}"));
    }
    dnsmasq(&records)
}

/// The name [`dns_dual_stack`] serves: an A record 127.0.0.1 and an AAAA record ::1.
pub const DUAL_STACK_HOST: &str = "dual.example.test";

/// A private dnsmasq serving `dual.example.test` as both 127.0.0.1 and ::1, as
/// `localhost` resolves on many machines: with a server on 127.0.0.1 only, the
/// IPv6 address is refused while the IPv4 one serves.
pub fn dns_dual_stack() -> Dnsmasq {
    dnsmasq(&[
        "--local=/example.test/".to_string(),
        format!("--host-record={DUAL_STACK_HOST},{LOCALHOST},::1"),
    ])
}

/// A private dnsmasq (not the bed's) on 127.0.0.1 with the given record options.
pub fn dnsmasq(records: &[String]) -> Dnsmasq {
    let dir = tempfile::tempdir().expect("temp dir");
    let dns_port = super::closed_udp_port();
    let dnsmasq = dnsmasq_path().expect("dnsmasq not found (Debian: dnsmasq-base)");
    let child = Command::new(dnsmasq)
        .args([
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            &format!("--listen-address={LOCALHOST}"),
            &format!("--port={dns_port}"),
            &format!("--pid-file={}", dir.path().join("dnsmasq.pid").display()),
            "--log-facility=-",
        ])
        .args(records)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dnsmasq");
    let server = Dnsmasq {
        addr: SocketAddr::from((LOCALHOST, dns_port)),
        child,
        _dir: dir,
    };
    // Ready when it accepts TCP (it binds UDP and TCP together).
    let started = Instant::now();
    while std::net::TcpStream::connect(server.addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "dnsmasq did not start on {}",
            server.addr
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

/// The dnsmasq binary: on `PATH`, else in /usr/sbin or /sbin (a non-login `PATH` may lack them).
pub fn dnsmasq_path() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .chain(["/usr/sbin".into(), "/sbin".into()])
            .map(|dir| dir.join("dnsmasq"))
            .find(|p| p.is_file())
    })
}

// ------------------------------------------------------------------ deep nesting

/// The BSON of `{a: {a: ... {}}}`, `depth` documents in all, built flat (encoding a
/// `Document` that deep would recurse as deeply as the decoder under test).
pub fn nested_document(depth: usize) -> Vec<u8> {
    let depth = depth.max(1);
    // Each level adds its length, the type byte, "a\0" and the terminator: 8 bytes.
    let total = 5 + 8 * (depth - 1);
    let mut out = Vec::with_capacity(total);
    for level in 0..depth - 1 {
        let len = i32::try_from(total - 8 * level).expect("small");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&[0x03, b'a', 0]);
    }
    out.extend_from_slice(&[5, 0, 0, 0, 0]);
    out.extend(std::iter::repeat_n(0u8, depth - 1));
    out
}

/// `{ok: 1.0, a: nested_document(depth - 1)}`: a successful reply `depth` levels deep.
pub fn deep_ok_reply(depth: usize) -> Vec<u8> {
    let inner = nested_document(depth.saturating_sub(1));
    let mut body = vec![0x01, b'o', b'k', 0];
    body.extend_from_slice(&1.0f64.to_le_bytes());
    body.extend_from_slice(&[0x03, b'a', 0]);
    body.extend_from_slice(&inner);
    let len = i32::try_from(4 + body.len() + 1).expect("small");
    let mut out = len.to_le_bytes().to_vec();
    out.extend_from_slice(&body);
    out.push(0);
    out
}

/// Which replies of a `deep_reply` peer are nested deep; the others are an ordinary
/// standalone's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deep {
    /// Every reply, the handshake's too.
    Everything,
    /// Every command's reply but the handshake's (`hello`, `isMaster`, `buildInfo`):
    /// the driver's `connectionStatus`, `listDatabases`, ...
    Commands,
    /// The same, as a failed command (`ok: 0`): the driver reads it as an error.
    CommandErrors,
    /// The handshake of every connection after the first (the driver's own, beside
    /// the probe's); other commands get ordinary replies.
    LaterHandshakes,
    /// The reply to this one command (`drop`, `insert`, ...), as a failed command (the
    /// driver decodes an error body whole); the others are ordinary.
    Only(&'static str),
}

/// A MongoDB peer whose replies are nested `depth` levels deep (a few KB: far under any
/// size cap), which ones as `which` says.
pub fn deep_reply(depth: usize, which: Deep) -> Server {
    let deep_ok = deep_ok_reply(depth);
    let mut deep_error = deep_ok.clone();
    // `ok` is the first field: its double (after the length, type byte and "ok\0").
    deep_error[8..16].copy_from_slice(&0.0f64.to_le_bytes());
    let deep = Arc::new(if matches!(which, Deep::CommandErrors | Deep::Only(_)) {
        deep_error
    } else {
        deep_ok
    });
    let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    tcp_server(move |mut stream| {
        let deep = Arc::clone(&deep);
        let connection = connections.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            let mut next_id = 1;
            loop {
                let Some((command, request_id, more_to_come)) = read_op_msg(&mut stream).await
                else {
                    return;
                };
                if more_to_come {
                    continue;
                }
                let name = command.keys().next().cloned().unwrap_or_default();
                let handshake = matches!(name.as_str(), "hello" | "isMaster" | "ismaster");
                let deep_here = match which {
                    Deep::Everything => true,
                    Deep::Commands | Deep::CommandErrors => !handshake && name != "buildInfo",
                    Deep::LaterHandshakes => handshake && connection > 0,
                    Deep::Only(command) => name == command,
                };
                let payload_doc = if deep_here {
                    deep.to_vec()
                } else if handshake {
                    document_bytes(&default_hello())
                } else if name == "buildInfo" {
                    document_bytes(&doc! {"version": "7.0.0", "ok": 1.0})
                } else {
                    // An ordinary answer to whatever else the driver asks.
                    document_bytes(&doc! {
                        "ok": 1.0,
                        "authInfo": {"authenticatedUsers": [], "authenticatedUserRoles": []},
                        "databases": [],
                        "cursor": {"id": 0i64, "ns": "test.$cmd", "firstBatch": []},
                    })
                };
                let mut payload = 0u32.to_le_bytes().to_vec();
                payload.push(0);
                payload.extend_from_slice(&payload_doc);
                next_id += 1;
                if stream
                    .write_all(&message(next_id, request_id, OP_MSG, &payload))
                    .await
                    .is_err()
                {
                    return;
                }
            }
        }
    })
}

// ------------------------------------------------------------------ hostile HTTP peers (issue 21)

/// Reads one HTTP request head (to the blank line) and the body its `Content-Length`
/// announces; the request line (`GET /path HTTP/1.1`), or `None` when the peer went away.
async fn read_http_request(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 1 << 20 || stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(1 << 20)];
    stream.read_exact(&mut body).await.ok()?;
    head.lines().next().map(str::to_string)
}

/// An HTTP/1.1 server that answers every request with `answer(request line)` (the
/// whole response, head and body), then closes the connection.
pub fn http_answering<F>(answer: F) -> Server
where
    F: Fn(&str) -> Vec<u8> + Send + Sync + 'static,
{
    let answer = Arc::new(answer);
    tcp_server(move |mut stream| {
        let answer = Arc::clone(&answer);
        async move {
            if let Some(line) = read_http_request(&mut stream).await {
                let bytes = answer(&line);
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
            }
        }
    })
}

/// A whole HTTP response: `status` (`200 OK`), extra header lines, a JSON body.
pub fn http_response(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads each request, then answers one byte a second, forever (an API that never
/// finishes its answer).
pub fn http_drip() -> Server {
    tcp_server(|mut stream| async move {
        if read_http_request(&mut stream).await.is_none() {
            return;
        }
        for byte in b"HTTP/1.1 200 OK\r\n"
            .iter()
            .chain(std::iter::repeat(&b'x'))
        {
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

// ------------------------------------------------------------------ huge answers (issue 21 item 2)

/// What a [`huge_answers`] peer answers hugely; everything else gets an ordinary
/// standalone's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Huge {
    /// `listCollections`, in every database: a first batch of about this many bytes
    /// of small entries (`{name: "c0000001", type: "collection"}`, 53 bytes each).
    Listing(usize),
    /// `listDatabases`: about this many bytes of small entries (`{name: "d0000001"}`).
    Databases(usize),
    /// This command: `{ok: 0, errmsg: <this many bytes of "E">, code: 2, codeName: "BadValue"}`.
    Error(&'static str, usize),
    /// This command: a successful reply of about this many bytes of small entries
    /// (`{ok: 1, authInfo: {authenticatedUsers: [{user: "u0000001", db: "a"}, ...]}}`).
    Wide(&'static str, usize),
}

/// A BSON string element: type 2, `key`, the string.
fn string_element(out: &mut Vec<u8>, key: &str, value: &str) {
    out.push(0x02);
    out.extend_from_slice(key.as_bytes());
    out.push(0);
    out.extend_from_slice(&i32::try_from(value.len() + 1).expect("small").to_le_bytes());
    out.extend_from_slice(value.as_bytes());
    out.push(0);
}

/// Wraps `body` (a document's elements) into a document: its length, the body, 0.
fn document_of(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    out.extend_from_slice(
        &i32::try_from(body.len() + 5)
            .expect("under 2 GB")
            .to_le_bytes(),
    );
    out.extend_from_slice(body);
    out.push(0);
    out
}

/// An array of about `bytes` bytes of the documents `entry(i)` makes, built flat
/// (a `Document` of a million entries takes long to build in a debug build).
fn flat_array(bytes: usize, entry: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let mut elements = Vec::with_capacity(bytes + 64);
    let mut i = 0;
    while elements.len() < bytes {
        elements.push(0x03);
        elements.extend_from_slice(i.to_string().as_bytes());
        elements.push(0);
        elements.extend_from_slice(&entry(i));
        i += 1;
    }
    document_of(&elements)
}

/// `{cursor: {id: 0, ns, firstBatch: [...about bytes...]}, ok: 1.0}`.
pub fn huge_listing_reply(bytes: usize) -> Vec<u8> {
    let array = flat_array(bytes, |i| {
        let mut entry = Vec::new();
        string_element(&mut entry, "name", &format!("c{i:07}"));
        string_element(&mut entry, "type", "collection");
        document_of(&entry)
    });
    let mut cursor = vec![0x12, b'i', b'd', 0];
    cursor.extend_from_slice(&0i64.to_le_bytes());
    string_element(&mut cursor, "ns", "db.$cmd.listCollections");
    cursor.push(0x04);
    cursor.extend_from_slice(b"firstBatch\0");
    cursor.extend_from_slice(&array);
    let mut body = vec![0x03];
    body.extend_from_slice(b"cursor\0");
    body.extend_from_slice(&document_of(&cursor));
    body.extend_from_slice(&[0x01, b'o', b'k', 0]);
    body.extend_from_slice(&1.0f64.to_le_bytes());
    document_of(&body)
}

/// `{databases: [...about bytes...], ok: 1.0}`.
fn huge_databases_reply(bytes: usize) -> Vec<u8> {
    let array = flat_array(bytes, |i| {
        let mut entry = Vec::new();
        string_element(&mut entry, "name", &format!("d{i:07}"));
        document_of(&entry)
    });
    let mut body = vec![0x04];
    body.extend_from_slice(b"databases\0");
    body.extend_from_slice(&array);
    body.extend_from_slice(&[0x01, b'o', b'k', 0]);
    body.extend_from_slice(&1.0f64.to_le_bytes());
    document_of(&body)
}

/// `{ok: 1.0, authInfo: {authenticatedUsers: [...about bytes...]}}`.
fn huge_wide_reply(bytes: usize) -> Vec<u8> {
    let array = flat_array(bytes, |i| {
        let mut entry = Vec::new();
        string_element(&mut entry, "user", &format!("u{i:07}"));
        string_element(&mut entry, "db", "a");
        document_of(&entry)
    });
    let mut users = vec![0x04];
    users.extend_from_slice(b"authenticatedUsers\0");
    users.extend_from_slice(&array);
    let mut body = vec![0x01, b'o', b'k', 0];
    body.extend_from_slice(&1.0f64.to_le_bytes());
    body.push(0x03);
    body.extend_from_slice(b"authInfo\0");
    body.extend_from_slice(&document_of(&users));
    document_of(&body)
}

/// The database names a [`huge_answers`] peer lists: `db00`, `db01`, ...
pub fn huge_database_name(i: usize) -> String {
    format!("db{i:02}")
}

/// A MongoDB peer that answers the handshake as an ordinary standalone (its hello
/// says `maxBsonObjectSize` 16 MiB, `maxMessageSizeBytes` 48 MB), lists `databases`
/// databases, and answers what `huge` says hugely (built once, sent to every
/// connection that asks).
pub fn huge_answers(databases: usize, huge: Huge) -> Server {
    let huge_reply = Arc::new(match huge {
        Huge::Listing(bytes) => huge_listing_reply(bytes),
        Huge::Databases(bytes) => huge_databases_reply(bytes),
        Huge::Error(_, bytes) => document_bytes(&doc! {
            "ok": 0.0, "errmsg": "E".repeat(bytes), "code": 2, "codeName": "BadValue",
        }),
        Huge::Wide(_, bytes) => huge_wide_reply(bytes),
    });
    let huge_command = match huge {
        Huge::Listing(_) => "listCollections",
        Huge::Databases(_) => "listDatabases",
        Huge::Error(command, _) | Huge::Wide(command, _) => command,
    };
    let names: Vec<Document> = (0..databases)
        .map(|i| doc! {"name": huge_database_name(i), "sizeOnDisk": 0i64, "empty": true})
        .collect();
    let listed = Arc::new(document_bytes(
        &doc! {"databases": names, "totalSize": 0i64, "ok": 1.0},
    ));
    tcp_server(move |mut stream| {
        let huge_reply = Arc::clone(&huge_reply);
        let listed = Arc::clone(&listed);
        async move {
            let mut next_id = 1;
            loop {
                let Some((command, request_id, more_to_come)) = read_op_msg(&mut stream).await
                else {
                    return;
                };
                if more_to_come {
                    continue;
                }
                let name = command.keys().next().cloned().unwrap_or_default();
                let ordinary;
                let reply: &[u8] = if name == huge_command {
                    &huge_reply
                } else if name == "listDatabases" {
                    &listed
                } else {
                    ordinary = if matches!(name.as_str(), "hello" | "isMaster" | "ismaster") {
                        document_bytes(&default_hello())
                    } else if name == "buildInfo" {
                        document_bytes(&doc! {"version": "7.0.0", "ok": 1.0})
                    } else {
                        document_bytes(&doc! {
                            "ok": 1.0,
                            "authInfo": {"authenticatedUsers": [], "authenticatedUserRoles": []},
                            "cursor": {"id": 0i64, "ns": "test.$cmd", "firstBatch": []},
                            "n": 1, "nModified": 1,
                        })
                    };
                    &ordinary
                };
                // The header and the section's flags and kind, then the document as
                // built: a 47 MB reply is not copied per connection.
                next_id += 1;
                let mut head = super::header_for(next_id, request_id, 5 + reply.len());
                head.extend_from_slice(&[0, 0, 0, 0, 0]);
                if stream.write_all(&head).await.is_err() || stream.write_all(reply).await.is_err()
                {
                    return;
                }
            }
        }
    })
}
