//! The master's side: `BaseManager.register` + `start` (serve the queues) + `shutdown`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::auth::{answer_challenge, deliver_challenge};
use crate::error::{Error, Result};
use crate::frame::{MESSAGE_LIMIT, read_frame, write_frame};
use crate::protocol::{Request, Response, decode, encode};
use crate::queue::SharedQueue;

/// How long a peer may take over the handshake before the server gives up on it.
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Called with the peer's address and the error when a connection is refused or fails; a
/// peer that simply disconnects between messages is not reported.
type ErrorHook = dyn Fn(SocketAddr, &Error) + Send + Sync;

type Queues = Arc<HashMap<String, SharedQueue>>;

/// Open connections, so that `shutdown` can close them as Python's manager process does.
type Open = Arc<Mutex<HashMap<u64, TcpStream>>>;

/// Python's `BaseManager` subclass before `start()`: an authkey and the registered queues.
#[derive(Debug)]
pub struct QueueManager {
    authkey: Vec<u8>,
    queues: HashMap<String, SharedQueue>,
}

impl QueueManager {
    /// A manager that will only talk to peers knowing `authkey`.
    pub fn new(authkey: &[u8]) -> Self {
        Self {
            authkey: authkey.to_vec(),
            queues: HashMap::new(),
        }
    }

    /// `QueueManager.register(name, callable=lambda: queue)`: serve `queue` under `name`.
    pub fn register(&mut self, name: &str, queue: SharedQueue) {
        self.queues.insert(name.to_string(), queue);
    }

    /// `manager.start()`: binds `address` (port 0 picks a free port, see [`Server::address`])
    /// and serves every connection on its own thread.
    pub fn start(
        self,
        address: SocketAddr,
        on_error: impl Fn(SocketAddr, &Error) + Send + Sync + 'static,
    ) -> Result<Server> {
        let listener = TcpListener::bind(address)
            .map_err(|err| Error::io(format!("cannot listen on {address}"), err))?;
        let address = listener
            .local_addr()
            .map_err(|err| Error::io("cannot read the bound address", err))?;
        let queues: Queues = Arc::new(self.queues);
        let stopping = Arc::new(AtomicBool::new(false));
        let open: Open = Arc::default();
        let hook: Arc<ErrorHook> = Arc::new(on_error);
        let shared = Shared {
            authkey: Arc::from(self.authkey),
            queues: Arc::clone(&queues),
            open: Arc::clone(&open),
            hook,
        };
        let flag = Arc::clone(&stopping);
        let acceptor = thread::Builder::new()
            .name("task-manager-accept".into())
            .spawn(move || accept_loop(&listener, &flag, &shared))
            .map_err(|err| Error::io("cannot start the serving thread", err))?;
        Ok(Server {
            address,
            queues,
            stopping,
            open,
            acceptor: Some(acceptor),
        })
    }
}

/// A running manager: `manager.start()` returned, `manager.shutdown()` pending.
#[derive(Debug)]
pub struct Server {
    address: SocketAddr,
    queues: Queues,
    stopping: Arc<AtomicBool>,
    open: Open,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// The address really bound (the real port when asked for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `manager.get_task_queue()` on the master's side: a handle on the registered queue.
    pub fn get_queue(&self, name: &str) -> Result<SharedQueue> {
        self.queues
            .get(name)
            .cloned()
            .ok_or_else(|| Error::NoSuchQueue(name.to_string()))
    }

    /// `manager.shutdown()`: stops accepting and closes every open connection.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            // accept() only returns on a connection: make one so it sees the flag.
            let mut wake = self.address;
            if wake.ip().is_unspecified() {
                wake.set_ip(match wake.ip() {
                    IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                    IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
                });
            }
            if TcpStream::connect_timeout(&wake, Duration::from_secs(1)).is_ok() {
                let _ = acceptor.join();
            }
        }
        let open = self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for stream in open.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Shared {
    authkey: Arc<[u8]>,
    queues: Queues,
    open: Open,
    hook: Arc<ErrorHook>,
}

fn accept_loop(listener: &TcpListener, stopping: &AtomicBool, shared: &Shared) {
    let ids = AtomicU64::new(0);
    for incoming in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        // A failed accept (e.g. the peer reset before we got to it) concerns that peer only.
        let Ok(stream) = incoming else { continue };
        let Ok(peer) = stream.peer_addr() else {
            continue;
        };
        let id = ids.fetch_add(1, Ordering::Relaxed);
        if let Ok(copy) = stream.try_clone() {
            lock(&shared.open).insert(id, copy);
        }
        let authkey = Arc::clone(&shared.authkey);
        let queues = Arc::clone(&shared.queues);
        let open = Arc::clone(&shared.open);
        let hook = Arc::clone(&shared.hook);
        let spawned = thread::Builder::new()
            .name(format!("task-manager-{peer}"))
            .spawn(move || {
                if let Err(err) = handle(stream, &authkey, &queues)
                    && err.kind() != crate::ErrorKind::Closed
                {
                    hook(peer, &err);
                }
                lock(&open).remove(&id);
            });
        if spawned.is_err() {
            lock(&shared.open).remove(&id);
        }
    }
}

fn lock(open: &Open) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
    open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One connection: the handshake (Python's `Listener.accept` with an authkey), then requests.
fn handle(mut stream: TcpStream, authkey: &[u8], queues: &Queues) -> Result<()> {
    let _ = stream.set_nodelay(true);
    stream
        .set_read_timeout(Some(HANDSHAKE_TIMEOUT))
        .map_err(|err| Error::io("cannot set a timeout", err))?;
    deliver_challenge(&mut stream, authkey)?;
    answer_challenge(&mut stream, authkey)?;
    stream
        .set_read_timeout(None)
        .map_err(|err| Error::io("cannot clear a timeout", err))?;
    serve(&mut stream, queues)
}

fn serve(stream: &mut (impl Read + Write), queues: &Queues) -> Result<()> {
    loop {
        let request: Request = match decode(&read_frame(stream, MESSAGE_LIMIT)?) {
            Ok(request) => request,
            Err(err) => {
                let _ = respond(
                    stream,
                    &Response::Refused {
                        message: err.to_string(),
                    },
                );
                return Err(err);
            }
        };
        match request {
            Request::Lookup { queue } => match queues.get(&queue) {
                Some(_) => respond(stream, &Response::Done)?,
                None => respond(stream, &Response::NoSuchQueue { queue })?,
            },
            Request::Put { queue, item } => match queues.get(&queue) {
                Some(q) => {
                    // Acknowledge first, then publish: whoever is waiting for this item (the
                    // master's last result) may exit at once, and the ack must already be out.
                    let acked = respond(stream, &Response::Done);
                    q.put_value(item);
                    acked?;
                }
                None => respond(stream, &Response::NoSuchQueue { queue })?,
            },
            Request::Get { queue, timeout_ms } => match queues.get(&queue) {
                Some(q) => match q.get_value(timeout_ms.map(Duration::from_millis)) {
                    Some(item) => {
                        let response = Response::Item { item };
                        if let Err(err) = respond(stream, &response) {
                            // The taker is gone: the item goes back for another one.
                            if let Response::Item { item } = response {
                                q.unget_value(item);
                            }
                            return Err(err);
                        }
                    }
                    None => respond(stream, &Response::Empty)?,
                },
                None => respond(stream, &Response::NoSuchQueue { queue })?,
            },
        }
    }
}

fn respond(stream: &mut impl Write, response: &Response) -> Result<()> {
    write_frame(stream, &encode(response)?)
}
