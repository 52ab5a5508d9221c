//! A pool of worker threads fed through `crossbeam-channel`: every item is worked on by one
//! worker, the calling thread watching (progress) until all are done.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use crossbeam_channel::{RecvTimeoutError, unbounded};

use i18n::say;

/// How often the watcher is called when no worker has news.
const TICK: Duration = Duration::from_millis(250);

/// What the workers tell the watcher.
#[derive(Debug)]
pub(crate) enum News<'a, R> {
    /// A worker took item `i`.
    Started(usize),
    /// Item `i` is done: its result, or a worker panic's message.
    Done(usize, &'a Result<R, String>),
    /// Nothing new for a while.
    Tick,
}

/// Runs `work` on each item on `jobs` worker threads (at least one, at most one per item) and
/// returns the results in the items' order; a panic in `work` is that item's `Err` with its
/// message, and the pool goes on. `watch` runs on the calling thread for every piece of news.
///
/// Errors: not one worker thread could be started.
pub(crate) fn run_pool<T, R, W>(
    jobs: usize,
    items: Vec<T>,
    work: W,
    mut watch: impl FnMut(News<'_, R>),
) -> std::io::Result<Vec<Result<R, String>>>
where
    T: Send,
    R: Send,
    W: Fn(usize, T) -> R + Sync,
{
    let n = items.len();
    let (job_tx, job_rx) = unbounded::<(usize, T)>();
    for job in items.into_iter().enumerate() {
        // The receiver lives in this frame: a send cannot fail.
        let _ = job_tx.send(job);
    }
    drop(job_tx);
    let mut results: Vec<Option<Result<R, String>>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let (news_tx, news_rx) = unbounded::<(usize, Option<Result<R, String>>)>();
        let mut started = 0;
        let mut spawn_error = None;
        for k in 0..jobs.clamp(1, n.max(1)) {
            let (rx, tx, work) = (job_rx.clone(), news_tx.clone(), &work);
            let spawned = std::thread::Builder::new()
                .name(format!("class-worker-{k}"))
                .spawn_scoped(scope, move || {
                    for (i, item) in rx.iter() {
                        let _ = tx.send((i, None));
                        let result = catch_unwind(AssertUnwindSafe(|| work(i, item)))
                            .map_err(|p| panic_message(p.as_ref()));
                        let _ = tx.send((i, Some(result)));
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                Err(e) => spawn_error = Some(e),
            }
        }
        drop(news_tx);
        if started == 0 && n > 0 {
            return Err(spawn_error.unwrap_or_else(|| std::io::Error::other("no worker")));
        }
        loop {
            match news_rx.recv_timeout(TICK) {
                Ok((i, None)) => watch(News::Started(i)),
                Ok((i, Some(result))) => {
                    watch(News::Done(i, &result));
                    results[i] = Some(result);
                }
                Err(RecvTimeoutError::Timeout) => watch(News::Tick),
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    })?;
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(say!("class-why-no-worker"))))
        .collect())
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let text = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| say!("class-panic-unknown"));
    say!("class-why-panic", text = text)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn every_item_once_in_order_on_several_threads_and_a_panic_is_an_error() {
        let threads = Mutex::new(HashSet::new());
        let barrier = std::sync::Barrier::new(3);
        let mut news = 0;
        let results = run_pool(
            3,
            (0..12).collect(),
            |i, x: i32| {
                threads
                    .lock()
                    .expect("lock")
                    .insert(std::thread::current().id());
                if i < 3 {
                    // The first three items wait for each other: three workers at once.
                    barrier.wait();
                }
                assert!(x != 7, "seven");
                x * 2
            },
            |_| news += 1,
        )
        .expect("pool");
        assert_eq!(results.len(), 12);
        for (i, r) in results.iter().enumerate() {
            if i == 7 {
                let e = r.as_ref().expect_err("7 panicked");
                assert!(e.contains("seven"), "{e}");
            } else {
                assert_eq!(r.as_ref().ok(), Some(&(i as i32 * 2)));
            }
        }
        assert_eq!(threads.lock().expect("lock").len(), 3);
        assert!(news >= 24);
    }
}
