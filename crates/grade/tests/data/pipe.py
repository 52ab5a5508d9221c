#!/usr/bin/env python3
# A port of the worked example of SPEC.md; the first argument is how many values to send.
import os
import sys
from multiprocessing import Pipe, Process


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def child(conn, n):
    for i in range(n):
        say("Child (%s) sends %s." % (os.getpid(), i))
        conn.send(i)
    conn.close()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    say("Parent process %s." % os.getpid())
    a, b = Pipe()
    p = Process(target=child, args=(b, n))
    p.start()
    for _ in range(n):
        say("Parent received %s." % a.recv())
    p.join()
    say("Done.")
