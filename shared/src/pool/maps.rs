//! Python's `Pool.map` family: `map`, `map_async`, `starmap`, `starmap_async`, `imap`,
//! `imap_unordered`. Each sends the items in chunks, one task a chunk, as Python does.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::async_result::{self, AsyncResult};
use super::imap::IMapIterator;
use super::{Pool, call};
use crate::codec;
use crate::error::Result;

impl Pool {
    /// Python's `Pool.map`: `func` over every item, results in order, `chunksize` items a task
    /// (0: Python's default, the items over four times the workers, rounded up).
    ///
    /// ```
    /// fn double(x: u32) -> u32 { 2 * x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// assert_eq!(pool.map(double, vec![1, 2, 3], 2)?, vec![2, 4, 6]);
    /// assert_eq!(pool.map(double, vec![5], 0)?, vec![10]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn map<A, R>(&self, func: fn(A) -> R, items: Vec<A>, chunksize: usize) -> Result<Vec<R>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        self.map_async(func, items, chunksize)?.get()
    }

    /// Python's `Pool.map_async`: like [`map`](Pool::map) without waiting; the result is a
    /// [`AsyncResult`] of the whole list (with [`callback`](AsyncResult::callback) and
    /// [`error_callback`](AsyncResult::error_callback) as Python's keyword arguments).
    ///
    /// ```
    /// fn square(x: u64) -> u64 { x * x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// let r = pool.map_async(square, vec![1, 2, 3], 1)?;
    /// assert_eq!(r.get()?, vec![1, 4, 9]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn map_async<A, R>(
        &self,
        func: fn(A) -> R,
        items: Vec<A>,
        chunksize: usize,
    ) -> Result<AsyncResult<'_, Vec<R>>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let chunksize = self.default_chunksize(items.len(), chunksize);
        let runner = call::chunk_runner::<A, R>() as usize;
        let ids = self.submit_chunks::<A, R>(runner, func as usize, items, chunksize)?;
        Ok(AsyncResult {
            pool: self,
            ids,
            assemble: async_result::chunks::<R>,
        })
    }

    /// Python's `Pool.starmap`: `func(a, b)` for every pair, results in order. Rust has no
    /// argument unpacking of any arity: this takes two-argument functions; for more, take a
    /// tuple and use [`map`](Pool::map).
    ///
    /// ```
    /// fn power(base: u64, exp: u32) -> u64 { base.pow(exp) }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// assert_eq!(pool.starmap(power, vec![(2, 3), (3, 2)], 1)?, vec![8, 9]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn starmap<A, B, R>(
        &self,
        func: fn(A, B) -> R,
        items: Vec<(A, B)>,
        chunksize: usize,
    ) -> Result<Vec<R>>
    where
        A: Serialize + DeserializeOwned,
        B: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        self.starmap_async(func, items, chunksize)?.get()
    }

    /// Python's `Pool.starmap_async`: [`starmap`](Pool::starmap) without waiting.
    ///
    /// ```
    /// fn add(a: i32, b: i32) -> i32 { a + b }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// assert_eq!(pool.starmap_async(add, vec![(1, 2)], 1)?.get()?, vec![3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn starmap_async<A, B, R>(
        &self,
        func: fn(A, B) -> R,
        items: Vec<(A, B)>,
        chunksize: usize,
    ) -> Result<AsyncResult<'_, Vec<R>>>
    where
        A: Serialize + DeserializeOwned,
        B: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let chunksize = self.default_chunksize(items.len(), chunksize);
        let runner = call::star_chunk_runner::<A, B, R>() as usize;
        let ids = self.submit_chunks::<(A, B), R>(runner, func as usize, items, chunksize)?;
        Ok(AsyncResult {
            pool: self,
            ids,
            assemble: async_result::chunks::<R>,
        })
    }

    /// Python's `Pool.imap`: the results one by one, in the items' order, each as soon as it
    /// and those before it are in; `chunksize` items a task (Python's default is 1).
    ///
    /// ```
    /// fn double(x: u32) -> u32 { 2 * x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// let got: Vec<u32> = pool.imap(double, vec![1, 2, 3], 1)?.collect::<Result<_, _>>()?;
    /// assert_eq!(got, vec![2, 4, 6]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn imap<A, R>(
        &self,
        func: fn(A) -> R,
        items: Vec<A>,
        chunksize: usize,
    ) -> Result<IMapIterator<'_, R>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let runner = call::chunk_runner::<A, R>() as usize;
        let ids = self.submit_chunks::<A, R>(runner, func as usize, items, chunksize.max(1))?;
        Ok(IMapIterator::new(self, ids, true))
    }

    /// Python's `Pool.imap_unordered`: like [`imap`](Pool::imap), but each chunk's results
    /// as soon as that chunk is done, in the order they arrive.
    ///
    /// ```
    /// fn double(x: u32) -> u32 { 2 * x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// let mut got: Vec<u32> =
    ///     pool.imap_unordered(double, vec![1, 2, 3], 1)?.collect::<Result<_, _>>()?;
    /// got.sort();
    /// assert_eq!(got, vec![2, 4, 6]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn imap_unordered<A, R>(
        &self,
        func: fn(A) -> R,
        items: Vec<A>,
        chunksize: usize,
    ) -> Result<IMapIterator<'_, R>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let runner = call::chunk_runner::<A, R>() as usize;
        let ids = self.submit_chunks::<A, R>(runner, func as usize, items, chunksize.max(1))?;
        Ok(IMapIterator::new(self, ids, false))
    }

    /// Python's default chunk size for `map` when given 0: the items over four times the
    /// workers, rounded up.
    fn default_chunksize(&self, items: usize, chunksize: usize) -> usize {
        if chunksize > 0 {
            return chunksize;
        }
        items.div_ceil(self.size() * 4).max(1)
    }

    /// Submits `items` in chunks of `chunksize` to `runner`, a `fn((usize, Vec<A>)) -> Vec<R>`
    /// that applies the function at `func` to each item: the tasks' ids, in order.
    fn submit_chunks<A, R>(
        &self,
        runner: usize,
        func: usize,
        items: Vec<A>,
        chunksize: usize,
    ) -> Result<Vec<u64>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let call = call::trampoline_address::<(usize, Vec<A>), Vec<R>>();
        let mut ids = Vec::new();
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let chunk: Vec<A> = items.by_ref().take(chunksize).collect();
            let args = codec::encode(&(func, chunk))?;
            match self.engine.submit(call, runner, args) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    let mut book = self.engine.book.borrow_mut();
                    for id in ids {
                        book.forget(id);
                    }
                    return Err(e);
                }
            }
        }
        Ok(ids)
    }
}
