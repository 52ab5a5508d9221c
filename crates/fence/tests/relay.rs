//! `FenceOptions::relay_port`: the run's one way out is a listener on its own loopback, handed
//! to us; UDP and TCP to the host's loopback reach nothing of ours.

use std::io::{ErrorKind, Read};
use std::net::{TcpListener, UdpSocket};
use std::process::{Command, Stdio};
use std::time::Duration;

use fence::{Fence, FenceOptions, probe};

/// Sends UDP to our socket, connects over TCP to our listener, then through the relay; one
/// word each: `sent`/errno, `connected`/errno, `relayed`/errno.
const TRY: &str = r#"
import socket, sys
udp, tcp, relay = (int(p) for p in sys.argv[1:4])
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"udp-stolen", ("127.0.0.1", udp))
    print("sent")
except OSError as e:
    print(e.errno)
try:
    socket.create_connection(("127.0.0.1", tcp), timeout=5).sendall(b"tcp-stolen")
    print("connected")
except OSError as e:
    print(e.errno)
try:
    s = socket.create_connection(("127.0.0.1", relay), timeout=5)
    s.sendall(b"through the relay")
    s.close()
    print("relayed")
except OSError as e:
    print(e.errno)
"#;

#[test]
fn the_relay_is_the_run_s_one_way_out() {
    if let Err(why) = probe().namespaces {
        // Without namespaces a relay cannot be had: prepare must say so.
        let options = FenceOptions {
            relay_port: Some(8080),
            ..FenceOptions::default()
        };
        let e = Fence::prepare(&options).expect_err("a relay without namespaces");
        assert!(e.to_string().contains("relay"), "{e} ({why})");
        return;
    }
    let udp = UdpSocket::bind("127.0.0.1:0").expect("udp");
    udp.set_nonblocking(true).expect("nonblocking");
    let tcp = TcpListener::bind("127.0.0.1:0").expect("tcp");
    tcp.set_nonblocking(true).expect("nonblocking");
    let options = FenceOptions {
        relay_port: Some(8080),
        ..FenceOptions::default()
    };
    let fence = Fence::prepare(&options).expect("prepare");
    assert!(
        fence
            .status()
            .to_string()
            .contains("relay on the run's 127.0.0.1:8080"),
        "{}",
        fence.status()
    );
    let port = |a: std::net::SocketAddr| a.port().to_string();
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.args([
        "-c",
        TRY,
        &port(udp.local_addr().expect("addr")),
        &port(tcp.local_addr().expect("addr")),
        "8080",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    fence.apply(&mut cmd).expect("apply");
    let child = cmd.spawn().expect("python3");
    let relay = fence
        .take_relay()
        .expect("receive")
        .expect("the child sent its listener");
    let (mut conn, _) = relay.accept().expect("accept");
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut got = String::new();
    conn.read_to_string(&mut got).expect("read");
    let out = child.wait_with_output().expect("wait");
    let said = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = said.lines().collect();
    assert_eq!(
        words.len(),
        3,
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(got, "through the relay");
    assert_eq!(words[2], "relayed", "{said}");
    assert_eq!(words[1], libc::ECONNREFUSED.to_string(), "{said}");
    let mut buf = [0u8; 64];
    match udp.recv(&mut buf) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("our UDP socket was reached: {other:?} ({said})"),
    }
    assert!(
        matches!(tcp.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "our listener was reached"
    );
}
