//! The worker's side: `manager.connect()` and the queue proxies it hands out.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{answer_challenge, deliver_challenge};
use crate::error::{Error, Result};
use crate::frame::{MESSAGE_LIMIT, read_frame, write_frame};
use crate::protocol::{Request, Response, decode, encode};
use crate::server::HANDSHAKE_TIMEOUT;

/// A connection to a master, authenticated both ways.
#[derive(Debug, Clone)]
pub struct Client {
    conn: Arc<Mutex<TcpStream>>,
}

impl Client {
    /// `m = QueueManager(address=(host, port), authkey=...); m.connect()`.
    pub fn connect(host: &str, port: u16, authkey: &[u8]) -> Result<Client> {
        let target = format!("{host}:{port}");
        let addresses = (host, port)
            .to_socket_addrs()
            .map_err(|err| Error::io(format!("cannot resolve {target}"), err))?;
        let mut last = None;
        let mut stream = None;
        for address in addresses {
            match TcpStream::connect_timeout(&address, HANDSHAKE_TIMEOUT) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(err) => last = Some(err),
            }
        }
        let mut stream = match (stream, last) {
            (Some(stream), _) => stream,
            (None, Some(err)) => return Err(Error::io(format!("cannot connect to {target}"), err)),
            (None, None) => {
                return Err(Error::io(
                    format!("cannot resolve {target}"),
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no address"),
                ));
            }
        };
        let _ = stream.set_nodelay(true);
        stream
            .set_read_timeout(Some(HANDSHAKE_TIMEOUT))
            .map_err(|err| Error::io("cannot set a timeout", err))?;
        // The server delivers first, so the client answers first (Python's SocketClient).
        answer_challenge(&mut stream, authkey)?;
        deliver_challenge(&mut stream, authkey)?;
        stream
            .set_read_timeout(None)
            .map_err(|err| Error::io("cannot clear a timeout", err))?;
        Ok(Client {
            conn: Arc::new(Mutex::new(stream)),
        })
    }

    /// `m.get_task_queue()`: a proxy on the queue the master registered under `name`.
    pub fn get_queue(&self, name: &str) -> Result<QueueProxy> {
        let proxy = QueueProxy {
            conn: Arc::clone(&self.conn),
            name: name.to_string(),
        };
        match proxy.request(&Request::Lookup {
            queue: name.to_string(),
        })? {
            Response::Done => Ok(proxy),
            other => Err(unexpected(other)),
        }
    }
}

/// A queue living in the master, used from the worker.
#[derive(Debug, Clone)]
pub struct QueueProxy {
    conn: Arc<Mutex<TcpStream>>,
    name: String,
}

impl QueueProxy {
    /// `queue.put(item)`: returns once the master has the item.
    pub fn put<T: Serialize>(&self, item: &T) -> Result<()> {
        let item = serde_json::to_value(item)
            .map_err(|err| Error::Protocol(format!("cannot encode the item: {err}")))?;
        match self.request(&Request::Put {
            queue: self.name.clone(),
            item,
        })? {
            Response::Done => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    /// `queue.get(timeout=...)`: `Ok(None)` when the queue stayed empty for `timeout`.
    pub fn get<T: DeserializeOwned>(&self, timeout: Option<Duration>) -> Result<Option<T>> {
        let timeout_ms = timeout.map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX));
        match self.request(&Request::Get {
            queue: self.name.clone(),
            timeout_ms,
        })? {
            Response::Item { item } => serde_json::from_value(item)
                .map(Some)
                .map_err(|err| Error::Protocol(format!("unexpected item: {err}"))),
            Response::Empty => Ok(None),
            other => Err(unexpected(other)),
        }
    }

    fn request(&self, request: &Request) -> Result<Response> {
        let mut stream = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        write_frame(&mut *stream, &encode(request)?)?;
        decode(&read_frame(&mut *stream, MESSAGE_LIMIT)?)
    }
}

fn unexpected(response: Response) -> Error {
    match response {
        Response::NoSuchQueue { queue } => Error::NoSuchQueue(queue),
        Response::Refused { message } => Error::Protocol(format!("the master refused: {message}")),
        other => Error::Protocol(format!("unexpected response {other:?}")),
    }
}
