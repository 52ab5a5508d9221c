//! `IMapIterator`: what Python's `Pool.imap` and `Pool.imap_unordered` return, the results one
//! at a time as their chunks come in.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::Pool;
use crate::codec;
use crate::error::Result;

/// The results of [`Pool::imap`] (in the items' order) or [`Pool::imap_unordered`] (in the
/// order their chunks finish). A chunk whose task failed gives its error once, in its place,
/// and the iteration goes on, as Python's `next()` raises and may be called again.
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
    /// Chunks not yet taken, in the items' order.
    ids: VecDeque<u64>,
    ordered: bool,
    /// Results of a chunk taken and not yet handed out.
    ready: VecDeque<R>,
    _results: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for IMapIterator<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IMapIterator")
            .field("chunks_left", &self.ids.len())
            .field("ordered", &self.ordered)
            .finish()
    }
}

impl<'pool, R> IMapIterator<'pool, R> {
    pub(super) fn new(pool: &'pool Pool, ids: Vec<u64>, ordered: bool) -> Self {
        IMapIterator {
            pool,
            ids: ids.into(),
            ordered,
            ready: VecDeque::new(),
            _results: PhantomData,
        }
    }
}

impl<R: DeserializeOwned> IMapIterator<'_, R> {
    /// The next chunk's results (the first in order, or the first to arrive).
    fn next_chunk(&mut self) -> Result<Vec<R>> {
        let engine = &self.pool.engine;
        let id = if self.ordered {
            let id = self.ids.front().copied().unwrap_or(0);
            engine.wait_for(id, None).map(|()| id)
        } else {
            engine.wait_any(self.ids.make_contiguous())
        };
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                // The pool is gone: nothing more will come.
                self.forget_all();
                return Err(e);
            }
        };
        self.ids.retain(|&i| i != id);
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
        for id in self.ids.drain(..) {
            book.forget(id);
        }
    }
}

impl<R: DeserializeOwned> Iterator for IMapIterator<'_, R> {
    type Item = Result<R>;

    fn next(&mut self) -> Option<Result<R>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(Ok(item));
            }
            if self.ids.is_empty() {
                return None;
            }
            match self.next_chunk() {
                Ok(chunk) => self.ready.extend(chunk),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<R> Drop for IMapIterator<'_, R> {
    fn drop(&mut self) {
        let mut book = self.pool.engine.book.borrow_mut();
        for id in self.ids.drain(..) {
            book.forget(id);
        }
    }
}
