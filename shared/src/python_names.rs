//! Every public name of Python's `multiprocessing` (its `__all__` in 3.11, with the methods a
//! port of the notes uses) and what stands for it in `multitask`, or why nothing does.
//!
//! | Python | `multitask` | Notes |
//! |---|---|---|
//! | `Process(target, args, name, daemon)` | [`Process::new`](crate::Process::new) | arguments are captured by the closure (a fork needs no pickling) |
//! | `p.start()`, `p.join(timeout)`, `p.is_alive()`, `p.terminate()`, `p.pid`, `p.exitcode` | [`Process::start`](crate::Process::start), [`join`](crate::Process::join) / [`join_timeout`](crate::Process::join_timeout), [`is_alive`](crate::Process::is_alive), [`terminate`](crate::Process::terminate), [`pid`](crate::Process::pid), [`exitcode`](crate::Process::exitcode) | `join` also reports the child's panic or error |
//! | `p.daemon` | [`Process::daemon`](crate::Process::daemon), [`set_daemon`](crate::Process::set_daemon) | |
//! | `p.name`, `p.kill()`, `p.sentinel` | [`Process::name`](crate::Process::name) / [`set_name`](crate::Process::set_name), [`kill`](crate::Process::kill), [`sentinel`](crate::Process::sentinel) | the sentinel is the child's pidfd; `kill` also reaps |
//! | `Pool(processes)` | [`Pool::new`](crate::Pool::new) | |
//! | `pool.apply_async`, `close`, `join`, `terminate` | [`Pool::apply_async`](crate::Pool::apply_async), [`close`](crate::Pool::close), [`join`](crate::Pool::join), [`terminate`](crate::Pool::terminate) | |
//! | `pool.apply`, `map`, `starmap`, `map_async`, `imap`, `imap_unordered`, `initializer`, `maxtasksperchild`, `with Pool() as pool:` | [`Pool::apply`](crate::Pool::apply), [`map`](crate::Pool::map), [`starmap`](crate::Pool::starmap), [`map_async`](crate::Pool::map_async), [`imap`](crate::Pool::imap), [`imap_unordered`](crate::Pool::imap_unordered), [`Pool::builder`](crate::Pool::builder) (`initializer`, `maxtasksperchild`), a dropped pool | `chunksize` is an argument (0 in `map`: Python's default); `starmap` takes two-argument functions; a dropped pool closes and joins (Python's `with` terminates) |
//! | `AsyncResult.get(timeout)` | [`AsyncResult::get`](crate::AsyncResult::get), [`get_timeout`](crate::AsyncResult::get_timeout) | the same value or error at every call |
//! | `IMapIterator.next(timeout)` | [`IMapIterator::next_timeout`](crate::IMapIterator::next_timeout) (and `Iterator::next`) | an item's failure comes in its place and the rest still come (Python's ends there when `chunksize` > 1) |
//! | `AsyncResult.ready()`, `successful()`, `wait(timeout)`, `callback=`, `error_callback=` | [`AsyncResult::ready`](crate::AsyncResult::ready), [`successful`](crate::AsyncResult::successful), [`wait`](crate::AsyncResult::wait) / [`wait_timeout`](crate::AsyncResult::wait_timeout), [`callback`](crate::AsyncResult::callback), [`error_callback`](crate::AsyncResult::error_callback) | callbacks run in this process at its next call into the pool (no result thread), at the latest in `join` |
//! | `Queue()`, `q.put`, `q.get(block, timeout)` | [`Queue::new`](crate::Queue::new), [`put`](crate::Queue::put), [`get`](crate::Queue::get), [`get_timeout`](crate::Queue::get_timeout) | a `get` with every writer gone answers `Disconnected` instead of hanging |
//! | `Queue(maxsize)`, `qsize`, `empty`, `full`, `put(timeout)`, `put_nowait`, `get_nowait`, `close`, `join_thread` | [`Queue::with_maxsize`](crate::Queue::with_maxsize), [`qsize`](crate::Queue::qsize), [`empty`](crate::Queue::empty), [`full`](crate::Queue::full), [`put_timeout`](crate::Queue::put_timeout), [`put_nowait`](crate::Queue::put_nowait), [`get_nowait`](crate::Queue::get_nowait), [`close`](crate::Queue::close), [`join_thread`](crate::Queue::join_thread) | `queue.Full` and `queue.Empty` are `Timeout` errors; no feeder thread, so `join_thread` has nothing to wait for |
//! | `JoinableQueue` (`task_done`, `join`) | [`JoinableQueue`](crate::JoinableQueue) | `join` answers `Disconnected` when tasks are left and every other process holding the queue has exited, where Python's waits for ever |
//! | `SimpleQueue` (`put`, `get`, `empty`) | [`SimpleQueue`](crate::SimpleQueue) | `close` has nothing to do: dropping closes |
//! | `Pipe(duplex)`, `conn.send`, `recv` | [`Pipe::new`](crate::Pipe::new), [`Connection::send`](crate::Connection::send), [`recv`](crate::Connection::recv) | |
//! | `Pipe(duplex=False)`, `conn.poll`, `send_bytes`, `recv_bytes`, `readable`, `writable` | [`Pipe::with_duplex`](crate::Pipe::with_duplex), [`Connection::poll`](crate::Connection::poll), [`send_bytes`](crate::Connection::send_bytes), [`recv_bytes`](crate::Connection::recv_bytes), [`readable`](crate::Connection::readable), [`writable`](crate::Connection::writable) | |
//! | `Lock` | [`Lock`](crate::Lock) | a holder that dies holding it is taken over ([`LockGuard::holder_died`](crate::LockGuard::holder_died)); Python's blocks for ever |
//! | `RLock` | [`RLock`](crate::RLock) | the same takeover |
//! | `Semaphore`, `BoundedSemaphore` | [`Semaphore`](crate::Semaphore), [`BoundedSemaphore`](crate::BoundedSemaphore) | |
//! | `Event` | [`Event`](crate::Event) | |
//! | `Condition` | [`Condition`](crate::Condition) | on its own `RLock` (Python's default; `Condition(lock)` with a lock of one's own is not offered); wait and notify are methods of the held guard |
//! | `Barrier` | [`Barrier`](crate::Barrier) | `BrokenBarrierError` is [`ErrorKind::BrokenBarrier`](crate::ErrorKind::BrokenBarrier); `action` is [`Barrier::with_action`](crate::Barrier::with_action); a default `timeout` is not offered (give it to `wait`) |
//! | `Value`, `Array` | [`Value`](crate::Value), [`Array`](crate::Array) | the typecode is a Rust type ([`CType`](crate::CType)): `Value('i', 0)` is `Value::new(0i32)` |
//! | `RawValue`, `RawArray` | none | a value without a lock is a data race in Rust: use `Value`/`Array`, or an atomic |
//! | `active_children()` | [`active_children`](crate::active_children) | pids, not `Process` objects |
//! | `cpu_count()` | [`cpu_count`](crate::cpu_count) | |
//! | `current_process()`, `parent_process()` | [`current_process`](crate::current_process), [`parent_process`](crate::parent_process) | name and pid ([`ProcessInfo`](crate::ProcessInfo)); pool workers are named `Process-N`, Python's `ForkPoolWorker-N` |
//! | `os.fork`, `os.getpid`, `os.getppid` | [`fork`](crate::fork), [`current_pid`](crate::current_pid), [`parent_pid`](crate::parent_pid) | from `os`, not `multiprocessing` |
//! | `ProcessError`, `TimeoutError`, `BufferTooShort`, `AuthenticationError` | [`Error`](crate::Error) with an [`ErrorKind`](crate::ErrorKind) | one error type: `Timeout` is Python's `TimeoutError`; no buffers or authentication to fail |
//! | `Manager` | none | a server process holding objects behind proxies; processes forked after a `Value`, `Array`, `Queue` or lock of this crate already share it |
//! | `get_context`, `set_start_method`, `get_start_method`, `get_all_start_methods`, `set_forkserver_preload`, `set_executable` | none | one start method, `fork`: closures are not pickled, so `spawn` and `forkserver` cannot run them |
//! | `freeze_support` | none | for frozen Windows executables |
//! | `allow_connection_pickling`, `reducer` | none | values cross as serde values, not pickles |
//! | `get_logger`, `log_to_stderr` | none | the crate logs nothing; errors are returned |
//!
//! ```
//! // Python's `with lock:` and `Value('i', 0)`, side by side with the crate's.
//! use multitask::{Lock, Process, Value};
//! let lock = Lock::new()?;
//! let total = Value::new(0i32)?;
//! let mut p = Process::new(|| {
//!     let _held = lock.acquire();
//!     total.set(total.get() + 1);
//! });
//! p.start()?;
//! p.join()?;
//! assert_eq!(total.get(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
