//! `Lock`, `RLock`, `Semaphore`, `Event`, `Condition`, `Barrier` between real forked processes:
//! mutual exclusion, a holder killed while it holds, Barrier rounds, Python's answers.

mod common;

use std::time::Duration;

use common::within;
use multitask::{
    Array, Barrier, BoundedSemaphore, Condition, ErrorKind, Event, Lock, Process, RLock, Semaphore,
    Value,
};

const LIMIT: Duration = Duration::from_secs(60);

fn start_all(children: &mut [Process]) {
    for p in children.iter_mut() {
        p.start().unwrap();
    }
}

fn join_all(children: &[Process]) {
    for p in children {
        p.join().unwrap();
    }
}

#[test]
fn a_lock_lets_one_process_in_at_a_time() {
    within(LIMIT, || {
        let lock = Lock::new().unwrap();
        // Who is inside, and a count only ever changed inside: an overlap is seen for sure
        // (inside != 0 on entry), a lost update by the total.
        let inside = Value::new(0i32).unwrap();
        let total = Value::new(0u64).unwrap();
        let mut children: Vec<Process> = (0..4)
            .map(|_| {
                Process::new(|| {
                    for _ in 0..2_000 {
                        let _held = lock.acquire();
                        assert_eq!(inside.get(), 0, "two processes inside the lock");
                        inside.set(multitask::current_pid());
                        total.set(total.get() + 1);
                        inside.set(0);
                    }
                })
            })
            .collect();
        start_all(&mut children);
        join_all(&children);
        assert_eq!(total.get(), 8_000);
    });
}

fn forever() {
    loop {
        std::thread::park();
    }
}

/// A child that takes `lock` and dies holding it, by SIGKILL (`kill`) or by returning with it
/// kept; the pid it had.
fn die_holding(lock: &Lock, kill: bool) -> i32 {
    let holding = Event::new().unwrap();
    let mut p = Process::new(|| {
        lock.acquire().keep();
        holding.set();
        if kill {
            forever();
        }
    });
    p.start().unwrap();
    assert!(holding.wait(None));
    let pid = p.pid().unwrap();
    if kill {
        p.terminate().unwrap();
    }
    // Not joined when it returned: a zombie holds the lock, and must count as dead.
    pid
}

#[test]
fn a_holder_killed_holding_the_lock_hands_it_over() {
    within(LIMIT, || {
        for kill in [true, false] {
            let lock = Lock::new().unwrap();
            let dead = die_holding(&lock, kill);
            let held = lock
                .acquire_timeout(Duration::from_secs(20))
                .expect("the lock of a dead holder is taken over");
            assert_eq!(held.holder_died(), Some(dead));
            drop(held);
            assert_eq!(lock.acquire().holder_died(), None);
        }
    });
}

#[test]
fn an_rlock_is_recursive_for_its_thread_only_and_survives_a_dead_holder() {
    within(LIMIT, || {
        let lock = RLock::new().unwrap();
        let outer = lock.acquire();
        let inner = lock.acquire();
        let other_thread =
            std::thread::scope(|s| s.spawn(|| lock.try_acquire().is_some()).join().unwrap());
        assert!(!other_thread, "another thread took a held RLock");
        drop(inner);
        let mut p = Process::new(|| assert!(lock.try_acquire().is_none()));
        p.start().unwrap();
        p.join().unwrap();
        drop(outer);

        let holding = Event::new().unwrap();
        let mut p = Process::new(|| {
            std::mem::forget(lock.acquire());
            holding.set();
            forever();
        });
        p.start().unwrap();
        assert!(holding.wait(None));
        let pid = p.pid().unwrap();
        p.terminate().unwrap();
        let held = lock.acquire_timeout(Duration::from_secs(20)).unwrap();
        // The child's one thread: its tid is its pid.
        assert_eq!(held.holder_died(), Some(pid));
    });
}

#[test]
fn a_barrier_releases_every_round_together_with_distinct_indices() {
    within(LIMIT, || {
        const PARTIES: usize = 4;
        const ROUNDS: u32 = 50;
        let barrier = Barrier::new(PARTIES as u32).unwrap();
        let marks = Array::<u32>::new(PARTIES).unwrap();
        let indices = Array::<u32>::new(PARTIES * ROUNDS as usize).unwrap();
        let (barrier, marks, indices) = (&barrier, &marks, &indices);
        let party = |me: usize| {
            move || {
                for round in 1..=ROUNDS {
                    marks.set(me, round).unwrap();
                    let index = barrier.wait(None).unwrap();
                    // Past the barrier, every party has marked this round.
                    assert!(marks.to_vec().iter().all(|&m| m >= round));
                    indices
                        .set((round as usize - 1) * PARTIES + me, index)
                        .unwrap();
                    barrier.wait(None).unwrap();
                }
            }
        };
        let mut children: Vec<Process> = (1..PARTIES).map(|me| Process::new(party(me))).collect();
        start_all(&mut children);
        party(0)();
        join_all(&children);
        for round in indices.to_vec().chunks(PARTIES) {
            let mut sorted = round.to_vec();
            sorted.sort();
            assert_eq!(
                sorted,
                vec![0, 1, 2, 3],
                "Python's indices: 0..parties, once each"
            );
        }
    });
}

#[test]
fn a_barrier_timeout_breaks_it_for_every_waiter_until_reset() {
    within(LIMIT, || {
        let barrier = Barrier::new(3).unwrap();
        let mut waiter = Process::new(|| {
            let err = barrier.wait(None).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::BrokenBarrier);
        });
        waiter.start().unwrap();
        while barrier.n_waiting() == 0 {
            std::thread::yield_now();
        }
        let err = barrier.wait(Some(Duration::from_millis(20))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BrokenBarrier);
        waiter.join().unwrap();
        assert!(barrier.broken());
        assert_eq!(
            barrier.wait(None).unwrap_err().kind(),
            ErrorKind::BrokenBarrier
        );
        barrier.reset();
        assert!(!barrier.broken());
    });
}

#[test]
fn a_semaphore_bounds_how_many_are_inside() {
    within(LIMIT, || {
        let slots = Semaphore::new(2).unwrap();
        let inside = Value::new(0u32).unwrap();
        let most = Value::new(0u32).unwrap();
        let mut children: Vec<Process> = (0..5)
            .map(|_| {
                Process::new(|| {
                    for _ in 0..200 {
                        let _slot = slots.acquire();
                        {
                            let _held = inside.get_lock().acquire();
                            inside.set(inside.get() + 1);
                            let _m = most.get_lock().acquire();
                            most.set(most.get().max(inside.get()));
                        }
                        std::thread::yield_now();
                        let _held = inside.get_lock().acquire();
                        inside.set(inside.get() - 1);
                    }
                })
            })
            .collect();
        start_all(&mut children);
        join_all(&children);
        assert!(most.get() <= 2, "{} inside at once", most.get());
        assert_eq!(slots.get_value(), 2);
        let bounded = BoundedSemaphore::new(1).unwrap();
        assert_eq!(bounded.release().unwrap_err().kind(), ErrorKind::State);
    });
}

#[test]
fn events_and_conditions_wake_waiters_in_other_processes() {
    within(LIMIT, || {
        let go = Event::new().unwrap();
        let cond = Condition::new().unwrap();
        let ready = Value::new(0u32).unwrap();
        let woken = Value::new(0u32).unwrap();
        let mut children: Vec<Process> = (0..2)
            .map(|_| {
                Process::new(|| {
                    assert!(go.wait(None));
                    let held = cond.acquire();
                    ready.set(ready.get() + 1);
                    assert!(held.wait_for(|| woken.get() > 0, None));
                })
            })
            .collect();
        start_all(&mut children);
        go.set();
        loop {
            let held = cond.acquire();
            if ready.get() == 2 {
                woken.set(1);
                held.notify_all();
                break;
            }
            drop(held);
            std::thread::yield_now();
        }
        join_all(&children);
        assert!(go.is_set());
    });
}

#[test]
fn notify_wakes_at_most_n_waiters() {
    within(LIMIT, || {
        let cond = Condition::new().unwrap();
        let held = cond.acquire();
        // A notice with nobody waiting is lost, as in Python: the next wait times out.
        held.notify(1);
        assert!(!held.wait(Some(Duration::from_millis(10))));
    });
}

#[test]
fn a_barrier_action_runs_once_a_round_before_anyone_goes_on_and_a_panicking_one_breaks_it() {
    within(LIMIT, || {
        // Shared by every fork: the mapping is made before them, the static copied to them.
        static ACTIONS: std::sync::OnceLock<Value<u32>> = std::sync::OnceLock::new();
        fn count() {
            if let Some(actions) = ACTIONS.get() {
                let _held = actions.get_lock().acquire();
                actions.set(actions.get() + 1);
            }
        }
        let actions = ACTIONS.get_or_init(|| Value::new(0).unwrap());
        let barrier = Barrier::with_action(3, count).unwrap();
        let party = || {
            for round in 1..=20 {
                // Two waits a round, an action each: after the first, its action has run
                // (before the release) and the second's cannot have (it needs us there).
                barrier.wait(None).unwrap();
                assert_eq!(
                    actions.get(),
                    2 * round - 1,
                    "one action a wait, before the release"
                );
                barrier.wait(None).unwrap();
            }
        };
        let mut children: Vec<Process> = (0..2).map(|_| Process::new(party)).collect();
        start_all(&mut children);
        party();
        join_all(&children);
        assert_eq!(actions.get(), 40);

        fn boom() {
            panic!("the action failed");
        }
        let broken = Barrier::with_action(2, boom).unwrap();
        let mut p = Process::new(|| {
            let err = broken.wait(None).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::BrokenBarrier);
        });
        p.start().unwrap();
        assert_eq!(
            broken.wait(None).unwrap_err().kind(),
            ErrorKind::BrokenBarrier
        );
        p.join().unwrap();
        assert!(broken.broken());
    });
}
