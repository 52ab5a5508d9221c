//! `FenceOptions::host_network_tcp_ports`: a run on the host's network (a dependency fetch)
//! connects over TCP to the allowed ports only, and binds none: a listener of ours on
//! 127.0.0.1 is out of its reach.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::Command;

use fence::{Fence, FenceOptions, probe};

/// Connects to 127.0.0.1 at each port given, then binds a TCP port; prints one word each:
/// `sent`, or the errno.
const TRY: &str = r#"
import socket, sys
for port in sys.argv[1:]:
    try:
        s = socket.create_connection(("127.0.0.1", int(port)), timeout=5)
        s.sendall(b"stolen\n")
        print("sent")
    except OSError as e:
        print(e.errno)
try:
    socket.socket().bind(("127.0.0.1", 0))
    print("bound")
except OSError as e:
    print(e.errno)
"#;

#[test]
fn only_the_allowed_ports_are_reached_on_the_host_network() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port().to_string();
    let options = FenceOptions {
        host_network_tcp_ports: Some(vec![443]),
        ..FenceOptions::default()
    };
    let fence = Fence::prepare(&options).expect("prepare");
    let status = fence.status().to_string();
    let abi = probe().landlock_abi.unwrap_or(0);
    if abi < 4 {
        // Landlock without TCP rules: the status must say the network is not fenced.
        assert!(status.contains("TCP not fenced"), "{status}");
        return;
    }
    assert!(status.contains("TCP connect to port 443 only"), "{status}");
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.args(["-c", TRY, &port, "443"]);
    fence.apply(&mut cmd).expect("apply");
    let out = cmd.output().expect("python3");
    let said = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = said.lines().collect();
    let eacces = libc::EACCES.to_string();
    assert_eq!(
        words.len(),
        3,
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(words[0], eacces, "our listener's port: {said}");
    // Port 443 is let through: refused by the host (nothing listens) or sent, never EACCES.
    assert_ne!(words[1], eacces, "port 443: {said}");
    assert_eq!(words[2], eacces, "bind: {said}");
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("our listener was reached: {other:?}"),
    }
}
