//! `AsyncResult`: Python's `multiprocessing.pool.AsyncResult`, the pending answer of one
//! `apply_async` (one task) or one `map_async` (a task a chunk, put back together in order).

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::Pool;
use super::book::Book;
use crate::error::{Error, ErrorKind, Result};
use crate::{codec, deadline};

/// Turns the tasks' encoded answers, in order, into the result.
pub(super) type Assemble<R> = fn(&[&[u8]]) -> Result<R>;

/// The pending result of one `apply_async` or `map_async`, like Python's `AsyncResult`.
///
/// Its answer stays with it: [`get`](AsyncResult::get) gives the same value (or the same error)
/// every time it is called, as Python's does.
///
/// ```
/// fn inc(x: i64) -> i64 { x + 1 }
/// let pool = multitask::Pool::new(Some(1))?;
/// let handle: multitask::AsyncResult<'_, i64> = pool.apply_async(inc, 1)?;
/// assert_eq!(handle.get()?, 2);
/// assert_eq!(handle.get()?, 2); // again, as in Python
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncResult<'pool, R> {
    pub(super) pool: &'pool Pool,
    /// The tasks whose answers make the result, in order.
    pub(super) ids: Vec<u64>,
    pub(super) assemble: Assemble<R>,
}

impl<R> fmt::Debug for AsyncResult<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncResult")
            .field("tasks", &self.ids)
            .finish()
    }
}

/// One task's answer as the result: its value decoded.
pub(super) fn one<R: DeserializeOwned>(answers: &[&[u8]]) -> Result<R> {
    match answers {
        [bytes] => codec::decode(bytes),
        _ => Err(Error::new(ErrorKind::Channel, "expected one answer")),
    }
}

/// Chunks' answers (each a `Vec<T>`) as one `Vec<T>`, in order.
pub(super) fn chunks<T: DeserializeOwned>(answers: &[&[u8]]) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for bytes in answers {
        out.extend(codec::decode::<Vec<T>>(bytes)?);
    }
    Ok(out)
}

impl<R: DeserializeOwned> AsyncResult<'_, R> {
    /// Waits for the result (Python's `get()`): its value, or why it has none (a task
    /// panicked, its worker died, the pool was terminated). It can be called again: the same
    /// value or error every time.
    ///
    /// ```
    /// fn fail(_: ()) -> u8 { panic!("no") }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(fail, ())?;
    /// assert_eq!(r.get().unwrap_err().kind(), multitask::ErrorKind::ChildPanicked);
    /// assert_eq!(r.get().unwrap_err().kind(), multitask::ErrorKind::ChildPanicked);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self) -> Result<R> {
        self.wait_all(None)?;
        self.read()
    }

    /// Like `get`, but fails with `Timeout` after `timeout` (`Duration::MAX` waits forever);
    /// the result is kept for a later call.
    ///
    /// ```
    /// use std::time::Duration;
    /// fn nap(ms: u64) -> u64 { std::thread::sleep(Duration::from_millis(ms)); ms }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(nap, 200)?;
    /// assert!(r.get_timeout(Duration::from_millis(1)).is_err());
    /// assert_eq!(r.get_timeout(Duration::MAX)?, 200);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_timeout(&self, timeout: Duration) -> Result<R> {
        self.wait_all(deadline::after(timeout))?;
        self.read()
    }

    /// Python's `ready()`: whether the result has come (never waits).
    ///
    /// ```
    /// fn nap(ms: u64) { std::thread::sleep(std::time::Duration::from_millis(ms)) }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(nap, 100)?;
    /// assert!(!r.ready()?);
    /// r.wait();
    /// assert!(r.ready()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ready(&self) -> Result<bool> {
        for &id in &self.ids {
            if !self.pool.engine.is_ready(id)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Python's `successful()`: whether the call completed without an error. Like Python's
    /// (`ValueError`), a `State` error while the result is not ready.
    ///
    /// ```
    /// fn half(x: u32) -> u32 { assert!(x % 2 == 0, "odd"); x / 2 }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let (good, bad) = (pool.apply_async(half, 4)?, pool.apply_async(half, 3)?);
    /// good.wait();
    /// bad.wait();
    /// assert!(good.successful()?);
    /// assert!(!bad.successful()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn successful(&self) -> Result<bool> {
        if !self.ready()? {
            return Err(Error::new(ErrorKind::State, "the result is not ready"));
        }
        Ok(self.read().is_ok())
    }

    /// Python's `wait()`: waits until the result is ready, whatever it is.
    ///
    /// ```
    /// fn inc(x: u8) -> u8 { x + 1 }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(inc, 1)?;
    /// r.wait();
    /// assert!(r.ready()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait(&self) {
        let _ = self.wait_all(None);
    }

    /// Python's `wait(timeout)`: waits at most `timeout` for the result; true when ready.
    ///
    /// ```
    /// use std::time::Duration;
    /// fn nap(ms: u64) { std::thread::sleep(Duration::from_millis(ms)) }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(nap, 300)?;
    /// assert!(!r.wait_timeout(Duration::from_millis(1)));
    /// assert!(r.wait_timeout(Duration::MAX));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.wait_all(deadline::after(timeout)).is_ok()
    }

    fn wait_all(&self, deadline: Option<std::time::Instant>) -> Result<()> {
        for &id in &self.ids {
            self.pool.engine.wait_for(id, deadline)?;
        }
        Ok(())
    }

    /// The result, every answer being in the book.
    fn read(&self) -> Result<R> {
        read_from(&self.pool.engine.book.borrow(), &self.ids, self.assemble)
    }
}

/// The result of tasks `ids` from the book: the first failed task's error, if any.
fn read_from<R>(book: &Book, ids: &[u64], assemble: Assemble<R>) -> Result<R> {
    let mut answers = Vec::with_capacity(ids.len());
    for &id in ids {
        match book.result(id) {
            Some(Ok(bytes)) => answers.push(bytes.as_slice()),
            Some(Err(e)) => return Err(e.clone()),
            None => {
                return Err(Error::new(
                    ErrorKind::State,
                    format!("task {id} has no answer"),
                ));
            }
        }
    }
    assemble(&answers)
}

impl<R> Drop for AsyncResult<'_, R> {
    fn drop(&mut self) {
        let mut book = self.pool.engine.book.borrow_mut();
        for &id in &self.ids {
            book.forget(id);
        }
    }
}

impl<'pool, R: DeserializeOwned + 'static> AsyncResult<'pool, R> {
    /// Python's `callback=`: `callback(value)` runs in this process once the result has come
    /// and is a value. This pool runs no thread (Python calls it from one), so it runs the
    /// first time this process calls into the pool after the result came (`get`, `wait`,
    /// `ready`, a submit, `join`), and at the latest in `join`, even when this handle was
    /// dropped. A result that has already come runs it at the next such call.
    ///
    /// ```
    /// use std::sync::mpsc;
    /// fn square(x: u32) -> u32 { x * x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// let (tx, rx) = mpsc::channel();
    /// pool.map_async(square, vec![1, 2, 3], 1)?.callback(move |v| tx.send(v).unwrap());
    /// pool.close()?;
    /// pool.join()?;
    /// assert_eq!(rx.recv()?, vec![1, 4, 9]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn callback(self, callback: impl FnOnce(R) + Send + 'static) -> Self {
        self.on_result(Some(Box::new(callback)), None)
    }

    /// Python's `error_callback=`: `callback(error)` runs once the result has come and is
    /// an error, when [`callback`](AsyncResult::callback)'s would for a value.
    ///
    /// ```
    /// use std::sync::mpsc;
    /// fn fail(_: ()) -> u8 { panic!("no luck") }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let (tx, rx) = mpsc::channel();
    /// pool.apply_async(fail, ())?.error_callback(move |e| tx.send(e.kind()).unwrap());
    /// pool.close()?;
    /// pool.join()?;
    /// assert_eq!(rx.recv()?, multitask::ErrorKind::ChildPanicked);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn error_callback(self, callback: impl FnOnce(Error) + Send + 'static) -> Self {
        self.on_result(None, Some(Box::new(callback)))
    }

    fn on_result(self, value: Option<OnValue<R>>, error: Option<OnError>) -> Self {
        let ids = self.ids.clone();
        let assemble = self.assemble;
        let fire: super::callbacks::Fire = Box::new(move |book| {
            let result = read_from(book, &ids, assemble);
            Box::new(move || match result {
                Ok(v) => {
                    if let Some(f) = value {
                        f(v)
                    }
                }
                Err(e) => {
                    if let Some(f) = error {
                        f(e)
                    }
                }
            })
        });
        let engine = &self.pool.engine;
        engine.callbacks.borrow_mut().register(
            &mut engine.book.borrow_mut(),
            self.ids.clone(),
            fire,
        );
        self
    }
}

type OnValue<R> = Box<dyn FnOnce(R) + Send>;
type OnError = Box<dyn FnOnce(Error) + Send>;
