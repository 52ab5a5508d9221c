#!/usr/bin/env python3
"""The Python side of the multitask benchmark: the same workloads as shared/benches/ipc.rs, on
multiprocessing, printed as JSON lines of the same shape:
{"bench": NAME, "impl": IMPL, "ops_per_sec": X, "ops": N, "reps": R}.

Each figure is the median of a few repetitions after one warm-up; every repetition checks what
it received. Run alone: `python3 scripts/bench_python.py [BENCH_NAME_PART ...]`.
"""

import json
import multiprocessing as mp
import statistics
import sys
import time

PROCESSES_FORK = 100
PROCESSES_SPAWN = 10
QUEUE_ITEMS = 200_000
TASKS = 10_000
MAP_ROUNDS = 20  # one map of TASKS lasts about a millisecond: too short to time alone
WORKERS = 2
REPS = 5


def nothing():
    pass


def inc(x):
    return x + 1


def writer(q, n):
    for i in range(n):
        q.put((i, "x"))


def process_start_join(method, n):
    ctx = mp.get_context(method)

    def once():
        start = time.perf_counter()
        for _ in range(n):
            p = ctx.Process(target=nothing)
            p.start()
            p.join()
            if p.exitcode != 0:
                raise RuntimeError(f"child exited {p.exitcode}")
        return time.perf_counter() - start

    return once


def queue_single():
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    n = QUEUE_ITEMS

    def once():
        start = time.perf_counter()
        w = ctx.Process(target=writer, args=(q, n))
        w.start()
        total = chars = 0
        for _ in range(n):
            i, tag = q.get()
            total += i
            chars += len(tag)
        w.join()
        took = time.perf_counter() - start
        if total != n * (n - 1) // 2 or chars != n or w.exitcode != 0:
            raise RuntimeError("queue lost or changed items")
        return took

    return once


def pool_apply_async(pool):
    def once():
        start = time.perf_counter()
        handles = [pool.apply_async(inc, (i,)) for i in range(TASKS)]
        total = sum(h.get() for h in handles)
        took = time.perf_counter() - start
        if total != TASKS * (TASKS + 1) // 2:
            raise RuntimeError("wrong results")
        return took

    return once


def pool_map(pool):
    chunksize = -(-TASKS // (4 * WORKERS))

    def once():
        took = 0.0
        for _ in range(MAP_ROUNDS):
            items = list(range(TASKS))
            start = time.perf_counter()
            out = pool.map(inc, items, chunksize)
            took += time.perf_counter() - start
            if sum(out) != TASKS * (TASKS + 1) // 2:
                raise RuntimeError("wrong results")
        return took

    return once


def pool_imap(pool):
    def once():
        start = time.perf_counter()
        total = sum(pool.imap(inc, range(TASKS)))
        took = time.perf_counter() - start
        if total != TASKS * (TASKS + 1) // 2:
            raise RuntimeError("wrong results")
        return took

    return once


# ---- issue 20: Lock, Event, Value between two processes (shared/benches/ipc/sync.rs) ----
ROUND_TRIPS = 10_000
INCREMENTS = 50_000


def lock_partner(ping, pong, n):
    for _ in range(n):
        ping.acquire()
        pong.release()


def lock_handoff():
    ctx = mp.get_context("fork")
    ping, pong = ctx.Lock(), ctx.Lock()
    ping.acquire()
    pong.acquire()

    def once():
        p = ctx.Process(target=lock_partner, args=(ping, pong, ROUND_TRIPS))
        p.start()
        start = time.perf_counter()
        for _ in range(ROUND_TRIPS):
            ping.release()
            pong.acquire()
        took = time.perf_counter() - start
        p.join()
        if p.exitcode != 0:
            raise RuntimeError("lock partner failed")
        return took

    return once


def event_partner(ping, pong, n):
    for _ in range(n):
        ping.wait()
        ping.clear()
        pong.set()


def event_round_trip():
    ctx = mp.get_context("fork")
    ping, pong = ctx.Event(), ctx.Event()

    def once():
        p = ctx.Process(target=event_partner, args=(ping, pong, ROUND_TRIPS))
        p.start()
        start = time.perf_counter()
        for _ in range(ROUND_TRIPS):
            ping.set()
            pong.wait()
            pong.clear()
        took = time.perf_counter() - start
        p.join()
        if p.exitcode != 0:
            raise RuntimeError("event partner failed")
        return took

    return once


def add(counter, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1


def value_partner(counter, go, done, n):
    go.wait()
    add(counter, n)
    done.set()


def value_increment():
    ctx = mp.get_context("fork")

    def once():
        counter = ctx.Value("q", 0)
        go, done = ctx.Event(), ctx.Event()
        p = ctx.Process(target=value_partner, args=(counter, go, done, INCREMENTS))
        p.start()
        start = time.perf_counter()
        go.set()
        add(counter, INCREMENTS)
        done.wait()
        took = time.perf_counter() - start
        p.join()
        if counter.value != 2 * INCREMENTS:
            raise RuntimeError("lost increments")
        return took

    return once


def measure(bench, impl, ops, once):
    once()
    times = sorted(once() for _ in range(REPS))
    return {
        "bench": bench,
        "impl": impl,
        "ops_per_sec": round(ops / statistics.median(times), 1),
        "ops": ops,
        "reps": REPS,
    }


def main(filters):
    def wanted(bench):
        return not filters or any(f in bench for f in filters)

    if wanted("process_start_join"):
        yield measure("process_start_join", "python_fork", PROCESSES_FORK,
                      process_start_join("fork", PROCESSES_FORK))
        yield measure("process_start_join", "python_spawn", PROCESSES_SPAWN,
                      process_start_join("spawn", PROCESSES_SPAWN))
    if wanted("queue_single"):
        yield measure("queue_single", "python", QUEUE_ITEMS, queue_single())
    for bench, job in (("pool_apply_async", pool_apply_async), ("pool_map", pool_map),
                       ("pool_imap", pool_imap)):
        if wanted(bench):
            # Made and stopped outside the timing, as on the Rust side.
            with mp.get_context("fork").Pool(WORKERS) as pool:
                ops = TASKS * (MAP_ROUNDS if bench == "pool_map" else 1)
                figure = measure(bench, "python", ops, job(pool))
            yield figure
    for bench, job, ops in (("lock_handoff", lock_handoff, ROUND_TRIPS),
                            ("event_round_trip", event_round_trip, ROUND_TRIPS),
                            ("value_increment", value_increment, 2 * INCREMENTS)):
        if wanted(bench):
            yield measure(bench, "python", ops, job())


if __name__ == "__main__":
    for figure in main([a for a in sys.argv[1:] if not a.startswith("-")]):
        print(json.dumps(figure), flush=True)
