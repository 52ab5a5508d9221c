//! Callbacks waiting for results (Python's `callback` and `error_callback` of `apply_async` and
//! `map_async`). Python calls them from its result-handler thread; this pool runs no thread, so
//! they run in this process the first time it calls into the pool (`get`, `wait`, `ready`,
//! `apply_async`, `join`, ...) after the result has arrived, and at the latest in `join`.

use super::book::Book;

/// Makes the result from the book, and gives the call to make once the book is let go (so a
/// callback may call into the pool).
pub(super) type Fire = Box<dyn FnOnce(&Book) -> Box<dyn FnOnce()> + Send>;

/// A callback and the tasks whose answers it waits for.
struct Pending {
    ids: Vec<u64>,
    fire: Fire,
}

#[derive(Default)]
pub(super) struct Callbacks {
    pending: Vec<Pending>,
}

impl std::fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callbacks")
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Callbacks {
    /// Keeps `fire` until every one of `ids` is answered; the book keeps those answers for it.
    pub(super) fn register(&mut self, book: &mut Book, ids: Vec<u64>, fire: Fire) {
        for &id in &ids {
            book.want(id);
        }
        self.pending.push(Pending { ids, fire });
    }

    /// The calls whose results have all come, in the order they were registered; their
    /// answers are let go.
    pub(super) fn take_ready(&mut self, book: &mut Book) -> Vec<Box<dyn FnOnce()>> {
        let mut calls = Vec::new();
        let mut i = 0;
        while i < self.pending.len() {
            if self.pending[i]
                .ids
                .iter()
                .all(|&id| book.result(id).is_some())
            {
                let done = self.pending.remove(i);
                calls.push((done.fire)(book));
                for id in done.ids {
                    book.forget(id);
                }
            } else {
                i += 1;
            }
        }
        calls
    }
}
