//! `PoolBuilder`: the keyword arguments of Python's `Pool(processes, initializer, initargs,
//! maxtasksperchild)`, given one at a time.

use super::Pool;
use super::engine::{Engine, Options};
use crate::error::{Error, ErrorKind, Result};

/// Python's `Pool(...)` arguments: `processes`, `initializer`/`initargs`, `maxtasksperchild`.
///
/// ```
/// fn setup(greeting: String) { assert_eq!(greeting, "hello") }
/// fn pid(_: u8) -> i32 { multitask::current_pid() }
/// let pool = multitask::Pool::builder()
///     .processes(Some(1))
///     .initializer(setup, "hello".to_string())
///     .maxtasksperchild(1)
///     .build()?;
/// let (a, b) = (pool.apply(pid, 0)?, pool.apply(pid, 0)?);
/// assert_ne!(a, b); // one task each: a fresh worker for the second
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Default)]
pub struct PoolBuilder {
    processes: Option<usize>,
    options: Options,
}

impl std::fmt::Debug for PoolBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("processes", &self.processes)
            .field("initializer", &self.options.initializer.is_some())
            .field("maxtasksperchild", &self.options.max_tasks)
            .finish()
    }
}

impl PoolBuilder {
    /// How many workers; `None` (the default) is one per CPU, as Python's `processes=None`.
    ///
    /// ```
    /// let pool = multitask::Pool::builder().processes(Some(3)).build()?;
    /// assert_eq!(pool.size(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn processes(mut self, processes: Option<usize>) -> Self {
        self.processes = processes;
        self
    }

    /// Python's `initializer=func, initargs=args`: every worker calls `func(args)` when it
    /// starts, a replacement worker too. The worker is a fork, so `args` needs no serde; it
    /// is cloned for each worker.
    ///
    /// ```
    /// fn quiet(level: u8) { assert_eq!(level, 2) }
    /// fn one(_: ()) -> u8 { 1 }
    /// let pool = multitask::Pool::builder().initializer(quiet, 2).build()?;
    /// assert_eq!(pool.apply(one, ())?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn initializer<A: Clone + Send + 'static>(mut self, func: fn(A), initargs: A) -> Self {
        self.options.initializer = Some(Box::new(move || func(initargs.clone())));
        self
    }

    /// Python's `maxtasksperchild`: a worker exits after this many tasks (a chunk of `map`
    /// counts as one, as in Python) and a fresh worker takes its place. At least 1.
    ///
    /// ```
    /// let pool = multitask::Pool::builder().maxtasksperchild(5).build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn maxtasksperchild(mut self, tasks: usize) -> Self {
        self.options.max_tasks = Some(tasks);
        self
    }

    /// Forks the workers. Errors: a size of 0 or over 256, a `maxtasksperchild` of 0
    /// (`State`), a failed fork (`Os`).
    ///
    /// ```
    /// assert!(multitask::Pool::builder().processes(Some(0)).build().is_err());
    /// assert!(multitask::Pool::builder().maxtasksperchild(0).build().is_err());
    /// ```
    pub fn build(self) -> Result<Pool> {
        if self.options.max_tasks == Some(0) {
            return Err(Error::new(
                ErrorKind::State,
                "maxtasksperchild must be at least 1",
            ));
        }
        let size = self.processes.unwrap_or_else(crate::os::cpu_count);
        Ok(Pool {
            engine: Engine::new(size, self.options)?,
        })
    }
}
