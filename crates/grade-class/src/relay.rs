//! The network of a fetch that must download: an HTTPS proxy run by `grade` on the listener
//! the fence hands over (`fence::FenceOptions::relay_port`), the fetch's only way out.
//!
//! cargo is told `CARGO_HTTP_PROXY=http://127.0.0.1:PORT` and asks for each connection with
//! `CONNECT host:443`. The relay lets through port 443 of crates.io's hosts only (any host's
//! with `--allow-git`, for git over https), resolved by `grade`, never to a loopback,
//! unspecified, link-local or multicast address (the host's own listeners); everything else
//! is answered 403 and named in the build log. The fetch itself has no route: no UDP, no name
//! lookups of its own, no TCP but to the relay.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use i18n::say;

/// The relay's port on the fetch's own loopback.
pub(crate) const RELAY_PORT: u16 = 8080;
/// crates.io's hosts: the sparse index, the downloads, the API (redirects).
const CRATES_IO_HOSTS: [&str; 3] = ["index.crates.io", "static.crates.io", "crates.io"];
/// A request head longer than this is refused.
const MAX_HEAD: usize = 8 << 10;
/// Connections relayed at once, at most.
const MAX_CONNECTIONS: usize = 64;
/// A connection idle this long (both ways) is dropped.
const IDLE: Duration = Duration::from_secs(120);

/// What the relay lets through.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Any host (port 443 still), for git over https (`--allow-git`).
    pub(crate) any_host: bool,
}

/// A running relay: stops accepting when dropped (the connections it relays end with the
/// fetch, whose processes are killed).
#[derive(Debug)]
pub(crate) struct Relay {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    notes: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    /// Starts relaying the connections of `listener` under `policy`.
    ///
    /// Errors: the listener cannot be made non-blocking, or no thread can be started.
    pub(crate) fn start(listener: TcpListener, policy: Policy) -> io::Result<Relay> {
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let notes = Arc::new(Mutex::new(Vec::new()));
        let (s, n) = (stop.clone(), notes.clone());
        let thread = std::thread::Builder::new()
            .name("fetch-relay".into())
            .spawn(move || accept_loop(&listener, policy, &s, &n))?;
        Ok(Relay {
            stop,
            thread: Some(thread),
            notes,
        })
    }

    /// What the relay refused (one line each), for the build log; call after the step.
    pub(crate) fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: &TcpListener,
    policy: Policy,
    stop: &AtomicBool,
    notes: &Arc<Mutex<Vec<String>>>,
) {
    let live = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::Relaxed) {
        let mut fds = [libc::pollfd {
            fd: listener.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: one valid pollfd for the length given; the listener outlives the call. The
        // timeout bounds how long a drop waits for this loop to notice `stop`.
        let rc = unsafe { libc::poll(fds.as_mut_ptr(), 1, 100) };
        if rc <= 0 {
            continue;
        }
        let Ok((client, _)) = listener.accept() else {
            continue;
        };
        if live.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            note(
                notes,
                say!("relay-too-many", max = MAX_CONNECTIONS.to_string()),
            );
            continue;
        }
        live.fetch_add(1, Ordering::Relaxed);
        let (live, said) = (live.clone(), notes.clone());
        let spawned = std::thread::Builder::new()
            .name("fetch-relay-conn".into())
            .spawn(move || {
                if let Err(why) = serve(client, policy) {
                    note(&said, say!("relay-note", why = why));
                }
                live.fetch_sub(1, Ordering::Relaxed);
            });
        if let Err(e) = spawned {
            note(notes, say!("relay-no-thread", error = e.to_string()));
        }
    }
}

fn note(notes: &Mutex<Vec<String>>, line: String) {
    if let Ok(mut n) = notes.lock() {
        // Bounded: a fetch cannot fill the log through us.
        if n.len() < 100 {
            n.push(line);
        }
    }
}

/// Relays one connection: reads `CONNECT host:port`, checks it, connects, answers, then copies
/// both ways until either side closes or both stay idle for [`IDLE`]. `Err` says what was
/// refused (and the client was told 403) or failed.
fn serve(client: TcpStream, policy: Policy) -> Result<(), String> {
    client
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(client.try_clone().map_err(|e| e.to_string())?);
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = (&mut reader)
            .take((MAX_HEAD - before) as u64)
            .read_until(b'\n', &mut head)
            .map_err(|e| say!("relay-reading", error = e.to_string()))?;
        if n == 0 || head.len() >= MAX_HEAD {
            return Err(say!("relay-no-end"));
        }
        if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") || &head[before..] == b"\r\n" {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let first = text.lines().next().unwrap_or("");
    let target = match first.split(' ').collect::<Vec<_>>().as_slice() {
        ["CONNECT", target, version] if version.starts_with("HTTP/") => target.to_string(),
        _ => {
            let shown: String = first.chars().take(80).collect();
            refuse(&client, "400 Bad Request");
            return Err(say!("relay-not-connect", request = format!("{shown:?}")));
        }
    };
    let upstream = match open(&target, policy) {
        Ok(u) => u,
        Err(why) => {
            refuse(&client, "403 Forbidden");
            return Err(say!("relay-refused", target = target, why = why));
        }
    };
    let mut answer = &client;
    answer
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .map_err(|e| e.to_string())?;
    // What the client sent past the head (nothing, for curl and libgit2) goes first.
    let early = reader.buffer().to_vec();
    pipe(client, upstream, &early).map_err(|e| e.to_string())
}

fn refuse(client: &TcpStream, status: &str) {
    let mut c = client;
    let _ = c.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes());
}

/// The connection `target` (`host:port`) asks for, if the policy allows it.
fn open(target: &str, policy: Policy) -> Result<TcpStream, String> {
    let (host, port) = target
        .rsplit_once(':')
        .ok_or_else(|| say!("relay-no-port"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if port != "443" {
        return Err(say!("relay-only-443"));
    }
    let known = CRATES_IO_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host));
    if !known && !policy.any_host {
        return Err(say!("relay-not-crates-io"));
    }
    let addrs: Vec<SocketAddr> = (host, 443u16)
        .to_socket_addrs()
        .map_err(|e| say!("relay-cannot-resolve", error = e.to_string()))?
        .collect();
    let allowed: Vec<SocketAddr> = addrs.iter().copied().filter(|a| public(a.ip())).collect();
    if allowed.is_empty() {
        return Err(say!(
            "relay-own-address",
            addresses = addrs
                .iter()
                .map(|a| a.ip().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut last = None;
    for addr in allowed {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(15)) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "cannot connect: {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

/// Not the host itself nor its link: loopback, unspecified, link-local, multicast refused.
fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_unspecified()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast())
        }
        IpAddr::V6(v6) => {
            let mapped = v6.to_ipv4_mapped().map(IpAddr::V4);
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || mapped.is_some_and(|m| !public(m)))
        }
    }
}

/// Copies both ways until either side closes or the connection idles past [`IDLE`].
fn pipe(client: TcpStream, upstream: TcpStream, early: &[u8]) -> io::Result<()> {
    for s in [&client, &upstream] {
        s.set_read_timeout(Some(IDLE))?;
    }
    (&upstream).write_all(early)?;
    let (c2, u2) = (client.try_clone()?, upstream.try_clone()?);
    let up = std::thread::Builder::new()
        .name("fetch-relay-up".into())
        .spawn(move || {
            let _ = io::copy(&mut &c2, &mut &u2);
            let _ = u2.shutdown(Shutdown::Write);
        })?;
    let _ = io::copy(&mut &upstream, &mut &client);
    let _ = client.shutdown(Shutdown::Both);
    let _ = upstream.shutdown(Shutdown::Both);
    let _ = up.join();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_crates_io_on_443_and_never_the_host_itself() {
        let strict = Policy { any_host: false };
        let git = Policy { any_host: true };
        assert!(open("example.org:443", strict).is_err_and(|e| e.contains("not a crates.io")));
        assert!(open("index.crates.io:80", git).is_err_and(|e| e.contains("443")));
        assert!(open("localhost:443", git).is_err_and(|e| e.contains("host's own")));
        assert!(open("127.0.0.1:443", git).is_err_and(|e| e.contains("host's own")));
        assert!(open("[::1]:443", git).is_err_and(|e| e.contains("host's own")));
        assert!(!public("::ffff:127.0.0.1".parse().expect("ip")));
        assert!(!public("169.254.1.1".parse().expect("ip")));
        assert!(public("203.0.113.80".parse().expect("ip")));
    }
}
