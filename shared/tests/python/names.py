"""CPython's answers to the cases tests/python_names.rs puts to multitask, one line each.

Usage: names.py GO_FILE. Prints:
  unordered FIRST SECOND   imap_unordered over [0, 1], where 0 waits for GO_FILE, made after FIRST
  ordered A B C            imap over [3, 1, 2], each task napping x * 10 ms
  maxtasks R1 R2 ...       the run lengths of worker pids of Pool(1, maxtasksperchild=2).map
  names N1 N2              the default names of two processes made inside a child
  sigchld EXITCODE         the exitcode after join with SIGCHLD ignored
  chunked A B C D          imap_unordered over [0, 1, 2, 3], chunksize 2, where 0 waits for
                           GO_FILE + ".chunked", made after A and B
  imaperr R1 R2 R3         imap over [50, 0, 25], chunksize 1, of 100 // x: a result, or "error"
  mapasync V E L V2 E2     map_async with callback and error_callback: the calls of each for
                           squares of [1, 2, 3], the list the callback got (digits run
                           together), then the calls of each for a map whose task 2 fails
  taskdone N ERR           task_done calls that succeed after 3 puts and 3 gets in a child, then
                           what a 4th raises
  barrier I0 I1 I2 A B     a Barrier(3) with an action, 3 processes x 2 rounds: the arrival
                           indices of a round, sorted; actions run; what each waiter of a broken
                           round raises (all the same)
  kill EXITCODE            the exitcode of a process killed with kill() after join
  queue F N G E T          Queue(1) after a put: full(); put_nowait's error; get_nowait; a second
                           get_nowait's error; put(timeout) on a full queue's error
"""
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time


def wait_for_go(x):
    deadline = time.monotonic() + 10
    if x == 0:
        while not os.path.exists(sys.argv[1]) and time.monotonic() < deadline:
            time.sleep(0.001)
    return x


def nap(x):
    time.sleep(x / 100)
    return x


def pid(_):
    return os.getpid()


def runs(values):
    out = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return [n for _, n in out]


def chunk_wait(x):
    deadline = time.monotonic() + 10
    if x == 0:
        while not os.path.exists(sys.argv[1] + ".chunked") and time.monotonic() < deadline:
            time.sleep(0.001)
    return x


def inv(x):
    return 100 // x


def square(x):
    return x * x


def fail_on_two(x):
    if x == 2:
        raise ValueError("two")
    return x


def consume(q):
    for _ in range(3):
        q.get()
        q.task_done()


# The barrier's action counts its runs here: a Value made before the processes are forked.
ACTIONS = None


def count_action():
    ACTIONS.value += 1


def arrive_twice(barrier, out):
    for _ in range(2):
        out.put(barrier.wait())


def wait_broken(barrier, out):
    try:
        barrier.wait(0.2)
        out.put("none")
    except threading.BrokenBarrierError:
        out.put("BrokenBarrierError")


def names(q):
    ps = [mp.Process(target=int), mp.Process(target=int)]
    q.put(" ".join(p.name for p in ps))


def main():
    mp.set_start_method("fork")
    with mp.Pool(2) as pool:
        it = pool.imap_unordered(wait_for_go, [0, 1], 1)
        first = next(it)
        open(sys.argv[1], "w").close()
        print("unordered", first, next(it))
        print("ordered", *pool.imap(nap, [3, 1, 2], 1))
    with mp.Pool(1, maxtasksperchild=2) as pool:
        print("maxtasks", *runs(pool.map(pid, range(6), 1)))
    q = mp.Queue()
    p = mp.Process(target=names, args=(q,))
    p.start()
    print("names", q.get())
    p.join()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    p = mp.Process(target=int)
    p.start()
    p.join()
    print("sigchld", p.exitcode)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    with mp.Pool(2) as pool:
        it = pool.imap_unordered(chunk_wait, [0, 1, 2, 3], 2)
        first = [next(it), next(it)]
        open(sys.argv[1] + ".chunked", "w").close()
        print("chunked", *first, *it)
        it = pool.imap(inv, [50, 0, 25], 1)
        out = []
        for _ in range(3):
            try:
                out.append(str(next(it)))
            except ZeroDivisionError:
                out.append("error")
        print("imaperr", *out)
        calls = []
        pool.map_async(square, [1, 2, 3], 1, callback=lambda v: calls.append(("v", v)),
                       error_callback=lambda e: calls.append(("e", e))).wait()
        good = calls[:]
        calls.clear()
        pool.map_async(fail_on_two, [1, 2, 3], 1, callback=lambda v: calls.append(("v", v)),
                       error_callback=lambda e: calls.append(("e", e))).wait()
        pool.close()
        pool.join()
        print("mapasync", sum(k == "v" for k, _ in good), sum(k == "e" for k, _ in good),
              "".join(map(str, good[0][1])), sum(k == "v" for k, _ in calls),
              sum(k == "e" for k, _ in calls))
    q = mp.JoinableQueue()
    for i in range(3):
        q.put(i)
    p = mp.Process(target=consume, args=(q,))
    p.start()
    p.join()
    q.join()
    try:
        q.task_done()
        err = "none"
    except ValueError:
        err = "ValueError"
    print("taskdone", 3, err)
    global ACTIONS
    ACTIONS = mp.Value("i", 0)
    barrier = mp.Barrier(3, action=count_action)
    results = mp.Queue()
    ps = [mp.Process(target=arrive_twice, args=(barrier, results)) for _ in range(3)]
    for p in ps:
        p.start()
    got = sorted(results.get() for _ in range(6))
    for p in ps:
        p.join()
    # Two of three parties arrive: the first to time out breaks the barrier for both.
    broken = mp.Barrier(3)
    errors = mp.Queue()
    ps = [mp.Process(target=wait_broken, args=(broken, errors)) for _ in range(2)]
    for p in ps:
        p.start()
    errs = sorted(set(errors.get() for _ in range(2)))
    for p in ps:
        p.join()
    print("barrier", *got[::2], ACTIONS.value, *errs)
    p = mp.Process(target=time.sleep, args=(60,))
    p.start()
    p.kill()
    p.join()
    print("kill", p.exitcode)
    q = mp.Queue(1)
    q.put(1)
    full = q.full()
    try:
        q.put_nowait(2)
        put_err = "none"
    except queue.Full:
        put_err = "Full"
    # (Python's get_nowait right after a put may find nothing yet: its feeder thread.)
    got = q.get(timeout=10)
    try:
        q.get_nowait()
        get_err = "none"
    except queue.Empty:
        get_err = "Empty"
    q.put(3)
    try:
        q.put(4, timeout=0.05)
        timed = "none"
    except queue.Full:
        timed = "Full"
    print("queue", full, put_err, got, get_err, timed)


if __name__ == "__main__":
    main()
