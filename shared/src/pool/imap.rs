//! `IMapIterator`: what Python's `Pool.imap` and `Pool.imap_unordered` return, the results one
//! at a time as their chunks come in.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::Pool;
use crate::error::{ErrorKind, Result};
use crate::{codec, deadline};

/// The results of [`Pool::imap`] (in the items' order) or [`Pool::imap_unordered`] (in the
/// order their chunks finish). A chunk whose task failed gives its error once, in its place,
/// and the iteration goes on, as Python's `next()` raises and may be called again with the
/// default `chunksize` of 1. (With a larger `chunksize`, Python's iterator ends at the first
/// error, a generator that raised; here the other chunks' results still come, and a port that
/// stops at the first `Err`, as `collect::<Result<Vec<_>, _>>()` does, reads the same.)
///
/// ```
/// fn inv(x: u32) -> u32 { 100 / x }
/// let pool = multitask::Pool::new(Some(2))?;
/// let got: Vec<_> = pool.imap(inv, vec![50, 0, 25], 1)?.collect();
/// assert_eq!(got[0].as_ref().ok(), Some(&2));
/// assert!(got[1].is_err()); // the division by zero panicked
/// assert_eq!(got[2].as_ref().ok(), Some(&4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct IMapIterator<'pool, R> {
    pool: &'pool Pool,
    /// Chunks not yet taken.
    left: Left,
    /// Results of a chunk taken and not yet handed out.
    ready: VecDeque<R>,
    _results: PhantomData<fn() -> R>,
}

/// The chunks not yet taken: in the items' order for `imap`; as a set for `imap_unordered`,
/// which takes whichever answer arrived first (each taken in one step, however many are left).
enum Left {
    InOrder(VecDeque<u64>),
    AnyOrder(HashSet<u64>),
}

impl Left {
    fn len(&self) -> usize {
        match self {
            Left::InOrder(ids) => ids.len(),
            Left::AnyOrder(ids) => ids.len(),
        }
    }

    fn drain(&mut self) -> Vec<u64> {
        match self {
            Left::InOrder(ids) => ids.drain(..).collect(),
            Left::AnyOrder(ids) => ids.drain().collect(),
        }
    }
}

impl<R> fmt::Debug for IMapIterator<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IMapIterator")
            .field("chunks_left", &self.left.len())
            .field("ordered", &matches!(self.left, Left::InOrder(_)))
            .finish()
    }
}

impl<'pool, R> IMapIterator<'pool, R> {
    pub(super) fn new(pool: &'pool Pool, ids: Vec<u64>, ordered: bool) -> Self {
        let left = if ordered {
            Left::InOrder(ids.into())
        } else {
            Left::AnyOrder(ids.into_iter().collect())
        };
        IMapIterator {
            pool,
            left,
            ready: VecDeque::new(),
            _results: PhantomData,
        }
    }
}

impl<R: DeserializeOwned> IMapIterator<'_, R> {
    /// Python's `next(timeout)`: the next result, waiting at most `timeout` for it
    /// (`Duration::MAX`: for ever); `None` once every result was handed out. A `Timeout` error
    /// loses nothing: the result comes at a later call.
    ///
    /// ```
    /// use std::time::Duration;
    /// fn nap(ms: u64) -> u64 { std::thread::sleep(Duration::from_millis(ms)); ms }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let mut it = pool.imap(nap, vec![300], 1)?;
    /// let err = it.next_timeout(Duration::from_millis(1)).unwrap().unwrap_err();
    /// assert_eq!(err.kind(), multitask::ErrorKind::Timeout);
    /// assert_eq!(it.next_timeout(Duration::MAX).unwrap()?, 300);
    /// assert!(it.next_timeout(Duration::MAX).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Result<R>> {
        self.next_until(deadline::after(timeout))
    }

    fn next_until(&mut self, deadline: Option<Instant>) -> Option<Result<R>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(Ok(item));
            }
            if self.left.len() == 0 {
                return None;
            }
            match self.next_chunk(deadline) {
                Ok(chunk) => self.ready.extend(chunk),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The next chunk's results (the first in order, or the first to arrive).
    fn next_chunk(&mut self, deadline: Option<Instant>) -> Result<Vec<R>> {
        let engine = &self.pool.engine;
        let id = match &self.left {
            Left::InOrder(ids) => {
                let id = ids.front().copied().unwrap_or(0);
                engine.wait_for(id, deadline).map(|()| id)
            }
            Left::AnyOrder(ids) => engine.wait_any(|id| ids.contains(&id), deadline),
        };
        let id = match id {
            Ok(id) => id,
            // Nothing lost: the chunk is taken at a later call.
            Err(e) if e.kind() == ErrorKind::Timeout => return Err(e),
            Err(e) => {
                // The pool is gone: nothing more will come.
                self.forget_all();
                return Err(e);
            }
        };
        match &mut self.left {
            Left::InOrder(ids) => {
                ids.pop_front();
            }
            Left::AnyOrder(ids) => {
                ids.remove(&id);
            }
        }
        let mut book = engine.book.borrow_mut();
        let chunk = match book.result(id) {
            Some(Ok(bytes)) => codec::decode::<Vec<R>>(bytes),
            Some(Err(e)) => Err(e.clone()),
            None => Ok(Vec::new()),
        };
        book.forget(id);
        chunk
    }

    fn forget_all(&mut self) {
        let mut book = self.pool.engine.book.borrow_mut();
        for id in self.left.drain() {
            book.forget(id);
        }
    }
}

impl<R: DeserializeOwned> Iterator for IMapIterator<'_, R> {
    type Item = Result<R>;

    fn next(&mut self) -> Option<Result<R>> {
        self.next_until(None)
    }
}

impl<R> Drop for IMapIterator<'_, R> {
    fn drop(&mut self) {
        let mut book = self.pool.engine.book.borrow_mut();
        for id in self.left.drain() {
            book.forget(id);
        }
    }
}
