//! The messages exchanged once both sides are authenticated: one request, one response.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Request {
    /// Does the server serve a queue of this name (Python: calling `get_task_queue()`).
    Lookup {
        queue: String,
    },
    Put {
        queue: String,
        item: Value,
    },
    /// Blocks on the server for at most `timeout_ms` (forever when absent).
    Get {
        queue: String,
        timeout_ms: Option<u64>,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub(crate) enum Response {
    Done,
    Item { item: Value },
    Empty,
    NoSuchQueue { queue: String },
    Refused { message: String },
}

pub(crate) fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(message).map_err(|err| Error::Protocol(format!("cannot encode: {err}")))
}

pub(crate) fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|err| Error::Protocol(format!("cannot decode: {err}")))
}
