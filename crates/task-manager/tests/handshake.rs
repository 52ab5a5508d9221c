//! The manager over real TCP on loopback: queues work through proxies once both sides share the
//! authkey, and nothing a peer sends is decoded before it has proven it knows the key.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use task_manager::auth::{CHALLENGE, FAILURE};
use task_manager::frame::{read_frame, write_frame};
use task_manager::{Client, ErrorKind, QueueManager, Server, SharedQueue};

/// Long enough for any healthy machine, short enough that a hang fails the test.
const LIMIT: Duration = Duration::from_secs(10);

/// A server on an ephemeral loopback port serving one queue "q"; its refusals come out of the
/// receiver as (kind, message).
fn serve(authkey: &[u8]) -> (Server, SharedQueue, Receiver<(ErrorKind, String)>) {
    let queue = SharedQueue::new();
    let mut manager = QueueManager::new(authkey);
    manager.register("q", queue.clone());
    let (tx, rx) = mpsc::channel();
    let loopback: SocketAddr = "127.0.0.1:0".parse().expect("an address");
    let server = manager
        .start(loopback, move |_, err| {
            let _ = tx.send((err.kind(), err.to_string()));
        })
        .expect("the server starts");
    (server, queue, rx)
}

fn raw(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.address()).expect("connect");
    stream.set_read_timeout(Some(LIMIT)).expect("timeout");
    stream
}

#[test]
fn items_travel_both_ways_with_the_right_authkey() {
    let (server, queue, _refusals) = serve(b"abc");
    assert_ne!(server.address().port(), 0, "the real port is exposed");
    let client = Client::connect("127.0.0.1", server.address().port(), b"abc").expect("connect");
    let proxy = client.get_queue("q").expect("the queue is registered");
    proxy.put(&"from the worker").expect("put");
    assert_eq!(
        queue.get::<String>(Some(LIMIT)).expect("get"),
        Some("from the worker".into())
    );
    queue.put(&7).expect("put");
    assert_eq!(proxy.get::<i64>(Some(LIMIT)).expect("get"), Some(7));

    let started = Instant::now();
    let wait = Duration::from_millis(100);
    assert_eq!(proxy.get::<i64>(Some(wait)).expect("get"), None);
    assert!(started.elapsed() >= wait, "an empty queue is waited on");

    let missing = client.get_queue("nope").expect_err("not registered");
    assert_eq!(missing.kind(), ErrorKind::NoSuchQueue);
}

#[test]
fn a_wrong_authkey_is_refused_on_both_sides() {
    let (server, queue, refusals) = serve(b"abc");
    let err = Client::connect("127.0.0.1", server.address().port(), b"xyz").expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    let (kind, message) = refusals.recv_timeout(LIMIT).expect("the server reports it");
    assert_eq!(kind, ErrorKind::Authentication, "{message}");
    assert!(queue.is_empty());
}

#[test]
fn a_request_sent_instead_of_the_answer_is_not_decoded() {
    let (server, queue, refusals) = serve(b"abc");
    let mut stream = raw(&server);
    let challenge = read_frame(&mut stream, 256).expect("a challenge first");
    assert!(challenge.starts_with(CHALLENGE));
    // A well-formed request that would put an item, had it been decoded.
    write_frame(&mut stream, br#"{"op":"put","queue":"q","item":1}"#).expect("send");
    assert_eq!(read_frame(&mut stream, 256).expect("a verdict"), FAILURE);
    let err = read_frame(&mut stream, 256).expect_err("then the server hangs up");
    assert_eq!(err.kind(), ErrorKind::Closed, "{err}");
    let (kind, _) = refusals.recv_timeout(LIMIT).expect("the server reports it");
    assert_eq!(kind, ErrorKind::Authentication);
    assert!(queue.is_empty(), "nothing was put");
}

#[test]
fn an_oversized_frame_before_authentication_is_not_read() {
    let (server, queue, refusals) = serve(b"abc");
    let mut stream = raw(&server);
    read_frame(&mut stream, 256).expect("a challenge first");
    // Announces 4 GiB: the server must hang up, not allocate and wait for it.
    stream.write_all(&[0xff; 4]).expect("send");
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    let (kind, message) = refusals.recv_timeout(LIMIT).expect("the server reports it");
    assert_eq!(kind, ErrorKind::Protocol, "{message}");
    assert!(queue.is_empty());
}

#[test]
fn a_client_that_is_not_a_manager_is_told_so() {
    // A server that speaks first with something other than a challenge.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let talker = thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = write_frame(&mut stream, b"HTTP/1.1 200 OK");
        }
    });
    let err = Client::connect("127.0.0.1", port, b"abc").expect_err("not a manager");
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    talker.join().expect("the talker ends");
}

#[test]
fn shutdown_closes_the_connections_of_waiting_clients() {
    let (server, _queue, _refusals) = serve(b"abc");
    let client = Client::connect("127.0.0.1", server.address().port(), b"abc").expect("connect");
    let proxy = client.get_queue("q").expect("the queue is registered");
    let (tx, rx) = mpsc::channel();
    // Waits forever on the server, until the server goes away.
    let waiter = thread::spawn(move || {
        let _ = tx.send(proxy.get::<i64>(None).map_err(|err| err.kind()));
    });
    server.shutdown();
    assert_eq!(
        rx.recv_timeout(LIMIT).expect("the get returns"),
        Err(ErrorKind::Closed)
    );
    waiter.join().expect("the waiter ends");
}
