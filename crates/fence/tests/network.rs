//! Nothing leaves the run: listeners of the host on 127.0.0.1, ::1 and an abstract Unix socket
//! get nothing, while loopback inside one run works (and two runs each have their own port).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use common::{SEATS, Seat, fenced_run, in_seat, python, python_unfenced};

/// Connects to a TCP address and sends a line; prints what happened.
const SEND_TCP: &str = r#"
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
try:
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"stolen\n")
    s.close()
    print("sent")
except OSError as e:
    print("refused", e.errno)
"#;

/// Connects to an abstract Unix socket and sends a line.
const SEND_ABSTRACT: &str = r#"
import socket, sys
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("\0" + sys.argv[1])
    s.sendall(b"stolen\n")
    s.close()
    print("sent")
except OSError as e:
    print("refused", e.errno)
"#;

/// Accepts connections on `listener` in a thread; the receiver gets every byte any client
/// sent (the test ends the thread by connecting itself with an end marker).
fn collect_tcp(listener: TcpListener) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut bytes = Vec::new();
            let _ = stream.read_to_end(&mut bytes);
            let end = bytes == b"END";
            let _ = tx.send(bytes);
            if end {
                break;
            }
        }
    });
    rx
}

/// Everything the listener got before the test's own END.
fn received(addr: std::net::SocketAddr, rx: mpsc::Receiver<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut end = std::net::TcpStream::connect(addr).expect("the test reaches its listener");
    end.write_all(b"END").expect("END");
    drop(end);
    let mut got = Vec::new();
    while let Ok(bytes) = rx.recv_timeout(Duration::from_secs(30)) {
        if bytes == b"END" {
            return got;
        }
        got.push(bytes);
    }
    panic!("the listener thread did not end");
}

fn host_listener_gets_nothing(seat: Seat, bind: &str) {
    let listener = TcpListener::bind((bind, 0)).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let rx = collect_tcp(listener);
    let port = addr.port().to_string();
    // Control: without the fence the same program reaches the listener.
    let control = python_unfenced(seat, SEND_TCP, &[bind, &port]);
    assert_eq!(control.stdout.trim(), "sent", "control: {control:#?}");
    let out = python(seat, &[], SEND_TCP, &[bind, &port]);
    assert!(out.stdout.starts_with("refused"), "{out:#?}");
    out.assert_clean_success();
    let got = received(addr, rx);
    assert_eq!(
        got,
        vec![b"stolen\n".to_vec()],
        "only the control's bytes arrive"
    );
}

#[test]
fn a_host_listener_on_127_0_0_1_gets_nothing() {
    for seat in SEATS {
        host_listener_gets_nothing(seat, "127.0.0.1");
    }
}

#[test]
fn a_host_listener_on_ipv6_loopback_gets_nothing() {
    for seat in SEATS {
        host_listener_gets_nothing(seat, "::1");
    }
}

#[test]
fn without_namespaces_landlock_alone_refuses_tcp() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let rx = collect_tcp(listener);
    let port = addr.port().to_string();
    for seat in SEATS {
        let out = python(
            seat,
            &["--skip", "namespaces"],
            SEND_TCP,
            &["127.0.0.1", &port],
        );
        assert!(out.stdout.starts_with("refused 13"), "{out:#?}");
        assert!(out.status_line().contains("tcp"), "{out:#?}");
    }
    assert!(received(addr, rx).is_empty());
}

#[test]
fn an_abstract_unix_socket_outside_gets_nothing() {
    for seat in SEATS {
        let name = format!("fence-test-{}-{seat:?}", std::process::id());
        let addr = SocketAddr::from_abstract_name(name.as_bytes()).expect("name");
        let listener = UnixListener::bind_addr(&addr).expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let control = python_unfenced(seat, SEND_ABSTRACT, &[&name]);
        assert_eq!(control.stdout.trim(), "sent", "control: {control:#?}");
        let (mut accepted, _) = listener.accept().expect("the control connected");
        let mut bytes = Vec::new();
        accepted.read_to_end(&mut bytes).expect("read");
        assert_eq!(bytes, b"stolen\n");
        // Each fence alone stops it: the network namespace (abstract names are per
        // namespace) and Landlock's scoping of abstract sockets.
        for skip in [&[][..], &["--skip", "namespaces"], &["--skip", "landlock"]] {
            let out = python(seat, skip, SEND_ABSTRACT, &[&name]);
            assert!(out.stdout.starts_with("refused"), "{skip:?}: {out:#?}");
            out.assert_clean_success();
            let err = listener.accept().expect_err("nobody connected");
            assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
        }
    }
}

/// Binds 127.0.0.1:5000 and [::1]:5000 inside the run, says so, waits for a line on stdin,
/// then talks to itself over both.
const OWN_LOOPBACK: &str = r#"
import socket, sys, threading
servers = []
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family)
    s.bind((host, 5000))
    s.listen()
    servers.append((s, host))
print("bound", flush=True)
sys.stdin.readline()
for s, host in servers:
    def serve(s=s):
        c, _ = s.accept()
        c.sendall(c.recv(100).upper())
        c.close()
    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection((host, 5000))
    c.sendall(b"ping")
    print(host, c.recv(100).decode())
    t.join()
"#;

#[test]
fn loopback_inside_a_run_works_and_two_runs_each_have_port_5000() {
    for seat in SEATS {
        let dir = common::WorkDir::new("lo");
        let script = dir.file("lo.py", OWN_LOOPBACK);
        let exe = fenced_run();
        let argv = [
            exe.to_str().expect("utf-8"),
            "--ro",
            dir.path(),
            "--",
            "/usr/bin/python3",
            &script,
        ];
        let mut runs: Vec<_> = (0..2)
            .map(|_| {
                in_seat(seat, &argv)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("starts")
            })
            .collect();
        // Both runs hold port 5000 at once before either goes on.
        let mut readers = Vec::new();
        for run in &mut runs {
            let mut reader = BufReader::new(run.stdout.take().expect("stdout"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("read");
            assert_eq!(line, "bound\n");
            readers.push(reader);
        }
        for (run, mut reader) in runs.into_iter().zip(readers) {
            let mut run = run;
            run.stdin
                .take()
                .expect("stdin")
                .write_all(b"go\n")
                .expect("go");
            let mut rest = String::new();
            reader.read_to_string(&mut rest).expect("read");
            run.stdout = None;
            let out = common::finish(run, Duration::from_secs(60));
            assert_eq!(rest, "127.0.0.1 PING\n::1 PING\n", "{out:#?}");
            out.assert_clean_success();
        }
    }
}
