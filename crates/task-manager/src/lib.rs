//! Python's `multiprocessing.managers.BaseManager`, cut down to what the chapter's distributed
//! processes (分布式进程) use: a master registers queues and serves them over TCP; workers
//! connect and `put`/`get` through proxies.
//!
//! As in Python, nothing is decoded from a peer until it has proven it knows the authkey: each
//! connection starts with a challenge-response on HMAC-SHA256 in both directions (see [`auth`]),
//! and only then are messages (length-prefixed frames of JSON, see [`frame`]) parsed.

#![deny(missing_docs)]

pub mod auth;
mod client;
mod error;
pub mod frame;
mod protocol;
mod queue;
mod server;

pub use client::{Client, QueueProxy};
pub use error::{Error, ErrorKind, Result};
pub use queue::SharedQueue;
pub use server::{QueueManager, Server};
