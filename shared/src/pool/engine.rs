//! The parent's side of a pool: forks the workers, each with a socket of its own, and drives
//! them without ever blocking on a send: batches wait in a per-worker outbox until the socket
//! takes them, and one `poll` watches every worker's socket and exit at once. The bookkeeping
//! it acts on is `Book`'s.

use std::cell::RefCell;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::book::Book;
use super::callbacks::Callbacks;
use super::messages::FromWorker;
use super::worker::{self, MAX_WORKERS, Running};
use crate::child::{Child, spawn_child};
use crate::codec;
use crate::error::{Error, ErrorKind, Result};
use crate::frames::{self, Filled, Inbox, Outbox};
use crate::os::current_pid;
use crate::shm::Shared;

/// How long `terminate` lets SIGTERM work before SIGKILL, for all the workers together.
const TERMINATE_GRACE: Duration = Duration::from_secs(1);
/// How often a waiting parent checks its workers when it has no pidfd to watch.
const HEALTH_CHECK: Duration = Duration::from_millis(50);

/// One worker as the parent sees it.
struct Worker {
    child: Child,
    /// The parent's end of the worker's socket.
    link: OwnedFd,
    outbox: Outbox,
    inbox: Inbox,
}

pub(super) struct Engine {
    /// The process that made the pool: its workers are that process's children, and a copy of
    /// the pool in a forked child must neither use nor stop them.
    owner: i32,
    running: Shared<Running>,
    size: usize,
    /// Index: the worker's slot, and its lane in the book.
    workers: RefCell<Vec<Worker>>,
    pub(super) book: RefCell<Book>,
    pub(super) callbacks: RefCell<Callbacks>,
    options: Options,
}

/// What Python's `Pool(...)` takes besides the size.
#[derive(Default)]
pub(super) struct Options {
    /// Run in each worker when it starts (Python's `initializer(*initargs)`).
    pub(super) initializer: Option<Box<dyn Fn() + Send>>,
    /// A worker exits after this many tasks and a fresh one takes its place.
    pub(super) max_tasks: Option<usize>,
}

impl Engine {
    /// `size` workers, forked now.
    pub(super) fn new(size: usize, options: Options) -> Result<Engine> {
        if size == 0 || size > MAX_WORKERS {
            return Err(Error::new(
                ErrorKind::State,
                format!("a pool needs 1 to {MAX_WORKERS} processes, not {size}"),
            ));
        }
        let engine = Engine {
            owner: current_pid(),
            running: Shared::new()?,
            size,
            workers: RefCell::new(Vec::with_capacity(size)),
            book: RefCell::new(Book::new(size)),
            callbacks: RefCell::new(Callbacks::default()),
            options,
        };
        for slot in 0..size {
            let worker = engine.spawn_worker(slot)?;
            engine.workers.borrow_mut().push(worker);
        }
        Ok(engine)
    }

    /// An error unless this is the process that made the pool.
    pub(super) fn check_owner(&self) -> Result<()> {
        if current_pid() == self.owner {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::State,
            format!(
                "this pool belongs to process {}: a forked child cannot use it",
                self.owner
            ),
        ))
    }

    pub(super) fn size(&self) -> usize {
        self.size
    }

    pub(super) fn worker_pids(&self) -> Vec<i32> {
        self.workers
            .borrow()
            .iter()
            .map(|w| w.child.pid.as_raw())
            .collect()
    }

    fn spawn_worker(&self, slot: usize) -> Result<Worker> {
        let (link, worker_end) = frames::socket_pair()?;
        let parent_end = link.as_raw_fd();
        // Python's: a worker is a process of the pool's fork context, renamed
        // (`w.name.replace('Process', 'PoolWorker')`): "ForkPoolWorker-N".
        let mut identity = crate::current::next_child();
        identity.set_name(identity.name().replacen("Process", "ForkPoolWorker", 1));
        let child = spawn_child(true, Some(identity), move || {
            // SAFETY: the child's copy of the parent's end is closed once and never used or
            // dropped here (the child leaves with _exit): so the worker sees its socket closed
            // when the parent's end is.
            unsafe { libc::close(parent_end) };
            if let Some(init) = &self.options.initializer {
                init();
            }
            worker::work(
                &worker_end,
                &self.running.slots[slot],
                self.options.max_tasks,
            );
            None
        })?;
        Ok(Worker {
            child,
            link,
            outbox: Outbox::default(),
            inbox: Inbox::default(),
        })
    }

    /// Queues a task and sends what should go now.
    pub(super) fn submit(&self, call: usize, func: usize, args: Vec<u8>) -> Result<u64> {
        self.check_owner()?;
        let id = self.book.borrow_mut().submit(call, func, args)?;
        if self.book.borrow().wants_dispatch() {
            self.collect_ready()?;
            self.dispatch()?;
        }
        Ok(id)
    }

    /// Waits until every submitted task is answered and its callbacks have run.
    pub(super) fn drain(&self) -> Result<()> {
        while !self.book.borrow().idle() && !self.book.borrow().is_finished() {
            self.pump(None)?;
        }
        self.fire_callbacks();
        Ok(())
    }

    /// Runs the callbacks whose results have come (the book let go first: they may call
    /// into the pool).
    pub(super) fn fire_callbacks(&self) {
        let calls = {
            let mut book = self.book.borrow_mut();
            self.callbacks.borrow_mut().take_ready(&mut book)
        };
        for call in calls {
            call();
        }
    }

    /// Asks every worker to stop after its tasks (an empty frame), and waits for them.
    pub(super) fn stop_workers(&self) -> Result<()> {
        if !self.book.borrow_mut().finish(false) {
            return Ok(());
        }
        let mut workers = std::mem::take(&mut *self.workers.borrow_mut());
        for worker in &mut workers {
            // A worker that died meanwhile is reaped below all the same.
            if worker.outbox.push(&[]).is_ok() {
                while worker.outbox.pending() > 0
                    && worker.outbox.flush(worker.link.as_fd()).is_ok()
                {
                    wait_writable(&worker.link);
                }
            }
        }
        for worker in &workers {
            worker.child.wait(None)?;
        }
        Ok(())
    }

    /// Stops the workers at once (SIGTERM, SIGKILL a second later), abandoning their tasks.
    pub(super) fn terminate(&self) -> Result<()> {
        if !self.book.borrow_mut().finish(true) {
            return Ok(());
        }
        let workers = std::mem::take(&mut *self.workers.borrow_mut());
        for worker in &workers {
            worker.child.signal(Signal::SIGTERM)?;
        }
        // One grace for them all, not one each: a pool of N that ignore SIGTERM takes a
        // second to stop, not N.
        let grace = Instant::now() + TERMINATE_GRACE;
        for worker in &workers {
            if worker.child.wait_until(Some(grace))?.is_none() {
                worker.child.signal(Signal::SIGKILL)?;
            }
        }
        for worker in &workers {
            worker.child.wait(None)?;
        }
        Ok(())
    }

    /// Puts every batch the book lets go into its worker's outbox, and writes what the sockets
    /// take now.
    fn dispatch(&self) -> Result<()> {
        {
            let mut book = self.book.borrow_mut();
            let mut workers = self.workers.borrow_mut();
            while let Some((lane, ids)) = book.next_batch() {
                let frame = codec::encode(&book.tasks(&ids))?;
                if let Some(worker) = workers.get_mut(lane) {
                    worker.outbox.push(&frame)?;
                }
            }
        }
        self.flush_all();
        Ok(())
    }

    /// Writes what each worker's socket takes without waiting. A worker whose socket fails is
    /// dead or dying: the next check of the workers finds it.
    fn flush_all(&self) {
        for worker in self.workers.borrow_mut().iter_mut() {
            if worker.outbox.pending() > 0 {
                let _ = worker.outbox.flush(worker.link.as_fd());
            }
        }
    }

    /// Takes every reply that has already arrived, without waiting.
    fn collect_ready(&self) -> Result<()> {
        let mut messages = Vec::new();
        for worker in self.workers.borrow_mut().iter_mut() {
            read_available(worker, &mut messages)?;
        }
        let mut book = self.book.borrow_mut();
        for message in messages {
            book.record(message);
        }
        Ok(())
    }

    /// Waits for replies, room to send or a worker's exit, up to `deadline` (one health-check
    /// interval at most); then takes replies, checks the workers and refills the pipeline.
    pub(super) fn pump(&self, deadline: Option<Instant>) -> Result<()> {
        let slice = match deadline {
            Some(d) => d
                .saturating_duration_since(Instant::now())
                .min(HEALTH_CHECK),
            None => HEALTH_CHECK,
        };
        let exited = self.poll(slice);
        self.collect_ready()?;
        if exited {
            self.check_workers()?;
        }
        self.dispatch()?;
        self.fire_callbacks();
        Ok(())
    }

    /// One `poll` over every worker's socket (readable; writable when its outbox waits) and
    /// pidfd. True when a worker may have exited (a pidfd fired, or there is no pidfd to tell
    /// and the slice ran out).
    fn poll(&self, slice: Duration) -> bool {
        let workers = self.workers.borrow();
        let mut fds = Vec::with_capacity(workers.len() * 2);
        let mut all_have_pidfds = true;
        for worker in workers.iter() {
            let mut events = libc::POLLIN;
            if worker.outbox.pending() > 0 {
                events |= libc::POLLOUT;
            }
            fds.push(libc::pollfd {
                fd: worker.link.as_raw_fd(),
                events,
                revents: 0,
            });
            match worker.child.exit_fd() {
                Some(fd) => fds.push(libc::pollfd {
                    fd: fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                }),
                None => all_have_pidfds = false,
            }
        }
        let ms = slice.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: `fds` is a valid array of pollfd for the duration of the call.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        if ready <= 0 {
            return !all_have_pidfds || ready < 0;
        }
        let pidfd_fired = fds
            .iter()
            .zip(fd_kinds(&workers))
            .any(|(pfd, is_pidfd)| is_pidfd && pfd.revents != 0);
        let hung_up = fds
            .iter()
            .any(|pfd| pfd.revents & (libc::POLLHUP | libc::POLLERR) != 0);
        pidfd_fired || hung_up
    }

    /// Reaps dead workers: takes what each sent before it died, fails the task it ran, sends
    /// the rest of its tasks again, and forks a replacement in its slot.
    fn check_workers(&self) -> Result<()> {
        let mut dead = Vec::new();
        for (slot, worker) in self.workers.borrow().iter().enumerate() {
            if let Some(how) = worker.child.try_wait()? {
                dead.push((slot, worker.child.pid.as_raw(), how));
            }
        }
        for (slot, pid, how) in dead {
            // Replies the worker sent before it died are in its socket: they come first.
            let mut messages = Vec::new();
            if let Some(worker) = self.workers.borrow_mut().get_mut(slot) {
                read_available(worker, &mut messages)?;
            }
            let current = self.running.slots[slot].take();
            {
                let mut book = self.book.borrow_mut();
                for message in messages {
                    book.record(message);
                }
                book.worker_died(slot, pid, how, current);
            }
            let replacement = self.spawn_worker(slot)?;
            if let Some(worker) = self.workers.borrow_mut().get_mut(slot) {
                *worker = replacement;
            }
        }
        Ok(())
    }
}

/// For each entry `poll` gets from these workers, in order: whether it is a pidfd.
fn fd_kinds(workers: &[Worker]) -> Vec<bool> {
    workers
        .iter()
        .flat_map(|w| {
            if w.child.exit_fd().is_some() {
                vec![false, true]
            } else {
                vec![false]
            }
        })
        .collect()
}

/// Receives what `worker` has sent, without waiting, into whole messages.
fn read_available(worker: &mut Worker, messages: &mut Vec<FromWorker>) -> Result<()> {
    loop {
        while let Some(frame) = worker.inbox.next_frame() {
            messages.push(codec::decode(frame)?);
        }
        match worker.inbox.fill(worker.link.as_fd(), false) {
            Ok(Filled::Bytes) => continue,
            // A worker gone (or going) is the health check's business, not an error here.
            Ok(Filled::Nothing | Filled::Closed) | Err(_) => return Ok(()),
        }
    }
}

/// Waits (briefly) until `fd` may take more bytes.
fn wait_writable(fd: &OwnedFd) {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    unsafe { libc::poll(&mut pfd, 1, HEALTH_CHECK.as_millis() as i32) };
}
