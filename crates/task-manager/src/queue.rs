//! The queue a master registers: Python's `queue.Queue`, shared by the serving threads.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

/// A FIFO of JSON values shared between threads; clones are handles on the same queue.
#[derive(Debug, Clone, Default)]
pub struct SharedQueue {
    inner: Arc<(Mutex<VecDeque<Value>>, Condvar)>,
}

impl SharedQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    fn items(&self) -> MutexGuard<'_, VecDeque<Value>> {
        // No code panics while holding the lock, so a poisoned queue is still consistent.
        self.inner
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends `item` and wakes one waiting `get`.
    pub fn put<T: Serialize>(&self, item: &T) -> Result<()> {
        let value = serde_json::to_value(item)
            .map_err(|err| Error::Protocol(format!("cannot encode the item: {err}")))?;
        self.put_value(value);
        Ok(())
    }

    /// Takes the oldest item, waiting at most `timeout` (forever when `None`); `Ok(None)` when
    /// the queue stayed empty that long (Python raises `queue.Empty`).
    pub fn get<T: DeserializeOwned>(&self, timeout: Option<Duration>) -> Result<Option<T>> {
        match self.get_value(timeout) {
            None => Ok(None),
            Some(value) => serde_json::from_value(value)
                .map(Some)
                .map_err(|err| Error::Protocol(format!("unexpected item: {err}"))),
        }
    }

    /// How many items wait in the queue now.
    pub fn len(&self) -> usize {
        self.items().len()
    }

    /// Whether the queue is empty now.
    pub fn is_empty(&self) -> bool {
        self.items().is_empty()
    }

    pub(crate) fn put_value(&self, value: Value) {
        self.items().push_back(value);
        self.inner.1.notify_one();
    }

    /// Puts back an item that was taken but could not be delivered, where it was taken from.
    pub(crate) fn unget_value(&self, value: Value) {
        self.items().push_front(value);
        self.inner.1.notify_one();
    }

    pub(crate) fn get_value(&self, timeout: Option<Duration>) -> Option<Value> {
        // A timeout past what the clock holds (a client may send u64::MAX ms) waits forever
        // instead of panicking the server's thread.
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let mut items = self.items();
        loop {
            if let Some(value) = items.pop_front() {
                return Some(value);
            }
            items = match deadline {
                None => self
                    .inner
                    .1
                    .wait(items)
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
                Some(deadline) => {
                    let left = deadline.checked_duration_since(Instant::now())?;
                    if left.is_zero() {
                        return None;
                    }
                    self.inner
                        .1
                        .wait_timeout(items, left)
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .0
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_past_the_clock_waits_instead_of_panicking() {
        let q = SharedQueue::new();
        q.put_value(Value::from(1));
        assert_eq!(q.get_value(Some(Duration::MAX)), Some(Value::from(1)));
        assert_eq!(q.get_value(Some(Duration::ZERO)), None);
    }
}
