//! Waiting for answers: a pool's parent drives its workers while it waits (`pump`), until the
//! answer it wants is in the book.

use std::time::Instant;

use super::engine::Engine;
use crate::deadline;
use crate::error::{Error, ErrorKind, Result};

impl Engine {
    /// Waits for task `id`'s answer until `deadline` (forever when `None`): `Ok` once it is in
    /// the book (read it there, as often as asked).
    pub(super) fn wait_for(&self, id: u64, deadline: Option<Instant>) -> Result<()> {
        self.check_owner()?;
        loop {
            if self.book.borrow().result(id).is_some() {
                return Ok(());
            }
            if self.book.borrow().is_finished() {
                return Err(Error::new(
                    ErrorKind::State,
                    format!("the pool was terminated before task {id} finished"),
                ));
            }
            if deadline::passed(deadline) {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!("task {id} has not finished"),
                ));
            }
            self.pump(deadline)?;
        }
    }

    /// Waits until one of the tasks `mine` says are the caller's is answered, until `deadline`
    /// (forever when `None`): the one whose answer arrived first.
    pub(super) fn wait_any(
        &self,
        mine: impl Fn(u64) -> bool,
        deadline: Option<Instant>,
    ) -> Result<u64> {
        self.check_owner()?;
        loop {
            if let Some(id) = self.book.borrow().first_arrived(&mine) {
                return Ok(id);
            }
            if self.book.borrow().is_finished() {
                return Err(Error::new(
                    ErrorKind::State,
                    "the pool was terminated before its tasks finished",
                ));
            }
            if deadline::passed(deadline) {
                return Err(Error::new(ErrorKind::Timeout, "no task has finished"));
            }
            self.pump(deadline)?;
        }
    }

    /// Whether task `id`'s answer has come, taking what the workers sent without waiting.
    pub(super) fn is_ready(&self, id: u64) -> Result<bool> {
        self.check_owner()?;
        if self.book.borrow().result(id).is_none() && !self.book.borrow().is_finished() {
            self.pump(Some(Instant::now()))?;
        }
        Ok(self.book.borrow().result(id).is_some())
    }
}
