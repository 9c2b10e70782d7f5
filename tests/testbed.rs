//! Checks of the test bed and of the fault listeners in `support`, made with the real MongoDB
//! driver and rustls, apart from atlas-doctor: when a `ping` test fails, these say whether the
//! fixture or the product is at fault.

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use mongodb::Client;
use mongodb::bson::{Document, doc};
use rustls::pki_types::pem::PemObject as _;
use support::{Bed, CertKind, Server, assert_no_secret, base64, percent_encode};

// ------------------------------------------------------------------ helpers

async fn client(uri: &str) -> Client {
    Client::with_uri_str(uri)
        .await
        .unwrap_or_else(|e| panic!("client for {uri}: {e}"))
}

async fn command(uri: &str, db: &str, cmd: Document) -> mongodb::error::Result<Document> {
    client(uri).await.database(db).run_command(cmd).await
}

/// A rustls client handshake against `server`, trusting `ca_pem` (or nothing), with SNI `name`.
async fn tls_handshake(
    server: &Server,
    ca_pem: Option<&std::path::Path>,
    name: &str,
) -> std::io::Result<()> {
    let mut roots = rustls::RootCertStore::empty();
    if let Some(path) = ca_pem {
        let pem = std::fs::read(path)?;
        for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
            roots
                .add(cert.map_err(std::io::Error::other)?)
                .expect("add root");
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let stream = tokio::net::TcpStream::connect(server.addr).await?;
    let name = rustls::pki_types::ServerName::try_from(name.to_owned()).expect("server name");
    connector.connect(name, stream).await.map(|_| ())
}

fn read_nothing_for_a_moment(stream: &mut TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let mut buf = [0u8; 16];
    match stream.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("expected silence, got {other:?}"),
    }
}

// ------------------------------------------------------------------ the bed

#[tokio::test]
async fn bed_plain_server_is_a_replica_set_primary() {
    let bed = Bed::load();
    let uri = format!(
        "mongodb://127.0.0.1:{}/?directConnection=true&serverSelectionTimeoutMS=5000",
        bed.mongo_plain
    );
    let hello = command(&uri, "admin", doc! {"hello": 1})
        .await
        .expect("hello");
    assert_eq!(
        hello.get_str("setName").ok(),
        Some(bed.set_name.as_str()),
        "{hello}"
    );
    command(&bed.plain_uri(), "admin", doc! {"ping": 1})
        .await
        .expect("ping without directConnection");
}

#[tokio::test]
async fn bed_tls_server_by_address() {
    let bed = Bed::load();
    command(&bed.tls_uri(), "admin", doc! {"ping": 1})
        .await
        .expect("TLS by address");
}

#[tokio::test]
async fn bed_users_authenticate_with_both_mechanisms() {
    let bed = Bed::load();
    assert!(bed.user("special").password.contains("p@ss:w/rd"));
    for (name, user) in &bed.users {
        for mechanism in &user.mechanisms {
            let uri = bed.auth_uri(
                name,
                &format!(
                    "authSource=admin&authMechanism={mechanism}&serverSelectionTimeoutMS=5000"
                ),
            );
            let status = command(&uri, "admin", doc! {"connectionStatus": 1})
                .await
                .unwrap_or_else(|e| panic!("{name} with {mechanism}: {e}"));
            let who = status
                .get_document("authInfo")
                .and_then(|a| a.get_array("authenticatedUsers"))
                .expect("authInfo");
            assert_eq!(who.len(), 1, "{status}");
        }
    }
    let reader = client(&bed.auth_uri("reader", "authSource=admin")).await;
    let mut names = reader
        .database("probe")
        .list_collection_names()
        .await
        .expect("list collections");
    names.sort();
    assert_eq!(names, ["users", "webhook_subscriptions"]);
    let denied = reader
        .database("probe")
        .collection::<Document>("users")
        .insert_one(doc! {"x": 1})
        .await
        .expect_err("reader must not write");
    assert!(denied.to_string().contains("not authorized"), "{denied}");
}

#[tokio::test]
async fn bed_rejects_a_wrong_password() {
    let bed = Bed::load();
    let uri = format!(
        "mongodb://reader:wrong@127.0.0.1:{}/?authSource=admin&serverSelectionTimeoutMS=5000",
        bed.mongo_auth
    );
    let err = command(&uri, "admin", doc! {"ping": 1})
        .await
        .expect_err("wrong password accepted");
    assert!(
        matches!(*err.kind, mongodb::error::ErrorKind::Authentication { .. }),
        "{err}"
    );
}

// ------------------------------------------------------------------ fault listeners

#[test]
fn refusing_port_refuses() {
    let port = support::refusing_port();
    let err = TcpStream::connect(support::local(port)).expect_err("connected");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

#[test]
fn silent_accepts_and_never_answers() {
    let server = support::silent();
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.write_all(b"hello?").expect("write");
    read_nothing_for_a_moment(&mut stream);
}

#[test]
fn blackhole_times_out_connects() {
    let server = support::blackhole();
    let err = TcpStream::connect_timeout(&server.addr, Duration::from_millis(300))
        .expect_err("connected");
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err}");
}

#[tokio::test]
async fn tls_alert_80_is_internal_error() {
    let server = support::tls_alert(80);
    let err = tls_handshake(&server, None, "localhost")
        .await
        .expect_err("handshake succeeded");
    assert!(
        format!("{err:?}").contains("AlertReceived(InternalError)"),
        "{err:?}"
    );
}

#[tokio::test]
async fn tls_alert_40_is_handshake_failure() {
    let server = support::tls_alert(40);
    let err = tls_handshake(&server, None, "localhost")
        .await
        .expect_err("handshake succeeded");
    assert!(
        format!("{err:?}").contains("AlertReceived(HandshakeFailure)"),
        "{err:?}"
    );
}

#[tokio::test]
async fn close_after_client_hello_ends_the_handshake() {
    let server = support::close_after_client_hello();
    let err = tls_handshake(&server, None, "localhost")
        .await
        .expect_err("handshake succeeded");
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{err:?}");
}

#[test]
fn http_answers_400() {
    let server = support::http();
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream
        .write_all(b"\x3a\x00\x00\x00 not http")
        .expect("write");
    let mut out = String::new();
    stream.read_to_string(&mut out).expect("read");
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
}

#[test]
fn close_after_accept_closes() {
    let server = support::close_after_accept();
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    let mut buf = [0u8; 16];
    match stream.read(&mut buf) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        other => panic!("expected a close, got {other:?}"),
    }
}

#[test]
fn garbage_sends_256_bytes_then_listens() {
    let server = support::garbage();
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    let mut buf = vec![0u8; 256];
    stream.read_exact(&mut buf).expect("read");
    assert_eq!(buf, support::garbage_bytes());
    read_nothing_for_a_moment(&mut stream);
}

#[tokio::test]
async fn tls_only_resets_plain_clients_and_serves_tls() {
    let server = support::tls_only_resets_plain();
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream
        .write_all(b"\x3a\x00\x00\x00 plain hello")
        .expect("write");
    let mut buf = [0u8; 16];
    let err = stream.read(&mut buf).expect_err("no reset");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err:?}");
    tls_handshake(&server, server.ca_file.as_deref(), "localhost")
        .await
        .expect("TLS handshake");
}

#[tokio::test]
async fn tls_server_certificates_fail_as_intended() {
    let good = support::tls_server(CertKind::Good);
    tls_handshake(&good, good.ca_file.as_deref(), "localhost")
        .await
        .expect("good by name");
    tls_handshake(&good, good.ca_file.as_deref(), "127.0.0.1")
        .await
        .expect("good by address");
    for (kind, expected) in [
        (CertKind::Expired, "Expired"),
        (CertKind::WrongName, "NotValidForName"),
        (CertKind::UnknownCa, "UnknownIssuer"),
    ] {
        let server = support::tls_server(kind);
        let err = tls_handshake(&server, server.ca_file.as_deref(), "127.0.0.1")
            .await
            .expect_err("handshake succeeded");
        assert!(format!("{err:?}").contains(expected), "{kind:?}: {err:?}");
    }
}

#[tokio::test]
async fn fake_mongod_speaks_enough_wire_protocol_for_the_driver() {
    let server = support::fake_mongod(doc! {});
    let uri = format!(
        "mongodb://{}/?directConnection=true&serverSelectionTimeoutMS=3000",
        server.host()
    );
    let reply = command(&uri, "admin", doc! {"ping": 1})
        .await
        .expect("ping");
    assert_eq!(reply.get_f64("ok").ok(), Some(1.0));
    let err = command(&uri, "admin", doc! {"frobnicate": 1})
        .await
        .expect_err("unknown command");
    assert!(err.to_string().contains("no such command"), "{err}");
}

#[tokio::test]
async fn fake_mongod_wire_version_6_is_refused_by_the_driver() {
    let server = support::fake_mongod(doc! {"maxWireVersion": 6, "minWireVersion": 0});
    let uri = format!(
        "mongodb://{}/?directConnection=true&serverSelectionTimeoutMS=2000",
        server.host()
    );
    let err = command(&uri, "admin", doc! {"ping": 1})
        .await
        .expect_err("ping to wire version 6");
    assert!(err.to_string().contains("wire version"), "{err}");
}

#[tokio::test]
async fn fake_mongod_answers_sasl_start_like_atlas() {
    let server = support::fake_mongod_with(doc! {}, [("saslStart", support::atlas_bad_auth())]);
    let uri = format!(
        "mongodb://app:pw@{}/?directConnection=true&serverSelectionTimeoutMS=2000",
        server.host()
    );
    let err = command(&uri, "admin", doc! {"ping": 1})
        .await
        .expect_err("authenticated");
    assert!(err.to_string().contains("bad auth"), "{err}");
}

#[test]
fn fake_mongod_answers_legacy_op_query_is_master() {
    let server = support::fake_mongod(doc! {"maxWireVersion": 6});
    let mut query = doc! {"isMaster": 1};
    query.insert("helloOk", true);
    let mut doc_bytes = Vec::new();
    query.to_writer(&mut doc_bytes).expect("bson");
    let mut body = Vec::new();
    body.extend_from_slice(&0i32.to_le_bytes());
    body.extend_from_slice(b"admin.$cmd\0");
    body.extend_from_slice(&0i32.to_le_bytes());
    body.extend_from_slice(&(-1i32).to_le_bytes());
    body.extend_from_slice(&doc_bytes);
    let len = i32::try_from(16 + body.len()).expect("len");
    let mut msg = Vec::new();
    for field in [len, 7, 0, 2004] {
        msg.extend_from_slice(&field.to_le_bytes());
    }
    msg.extend_from_slice(&body);
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.write_all(&msg).expect("write");
    let mut header = [0u8; 16];
    stream.read_exact(&mut header).expect("reply header");
    let field = |i: usize| i32::from_le_bytes(header[i..i + 4].try_into().expect("4 bytes"));
    assert_eq!((field(8), field(12)), (7, 1), "responseTo and OP_REPLY");
    let mut rest = vec![0u8; usize::try_from(field(0)).expect("len") - 16];
    stream.read_exact(&mut rest).expect("reply body");
    let reply = Document::from_reader(&rest[20..]).expect("reply document");
    assert_eq!(reply.get_i32("maxWireVersion").ok(), Some(6), "{reply}");
    assert_eq!(reply.get_bool("ismaster").ok(), Some(true), "{reply}");
}

#[test]
fn silent_udp_never_answers() {
    let server = support::silent_udp();
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    socket.send_to(b"query", server.addr).expect("send");
    let mut buf = [0u8; 64];
    let err = socket.recv_from(&mut buf).expect_err("an answer");
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err:?}"
    );
}

#[test]
fn closed_udp_port_refuses_connected_sockets() {
    let port = support::closed_udp_port();
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    socket.connect(support::local(port)).expect("connect");
    socket.send(b"query").expect("send");
    let mut buf = [0u8; 64];
    let err = socket.recv(&mut buf).expect_err("an answer");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err:?}");
    let tcp = TcpStream::connect(support::local(port)).expect_err("TCP connected");
    assert_eq!(tcp.kind(), ErrorKind::ConnectionRefused);
}

// ------------------------------------------------------------------ secrets

#[test]
fn encodings_match_known_vectors() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64(b"p@ss"), "cEBzcw==");
    assert_eq!(percent_encode("a-b._~Z9"), "a-b._~Z9");
    assert_eq!(percent_encode("p@ss:w/rd"), "p%40ss%3Aw%2Frd");
}

#[test]
fn assert_no_secret_accepts_redacted_output() {
    assert_no_secret("mongodb://app:****@127.0.0.1:27017/ refused", "p@ss:w/rd");
}

#[test]
#[should_panic(expected = "as is")]
fn assert_no_secret_catches_the_plain_secret() {
    assert_no_secret("mongodb://app:p@ss:w/rd@h/", "p@ss:w/rd");
}

#[test]
#[should_panic(expected = "percent-encoded")]
fn assert_no_secret_catches_percent_encoding() {
    assert_no_secret("mongodb://app:p%40ss%3aw%2frd@h/", "p@ss:w/rd");
}

#[test]
#[should_panic(expected = "base64")]
fn assert_no_secret_catches_base64() {
    assert_no_secret("Authorization: Basic cEBzczp3L3Jk", "p@ss:w/rd");
}
