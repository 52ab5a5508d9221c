"""CPython's answers to the cases tests/python_names.rs puts to multitask, one line each.

Usage: names.py GO_FILE. Prints:
  unordered FIRST SECOND   imap_unordered over [0, 1], where 0 waits for GO_FILE, made after FIRST
  ordered A B C            imap over [3, 1, 2], each task napping x * 10 ms
  maxtasks R1 R2 ...       the run lengths of worker pids of Pool(1, maxtasksperchild=2).map
  names N1 N2              the default names of two processes made inside a child
  sigchld EXITCODE         the exitcode after join with SIGCHLD ignored
"""
import multiprocessing as mp
import os
import signal
import sys
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


if __name__ == "__main__":
    main()
