"""The main thread prints, starts a thread that prints, then waits instead of joining (its
first argument: `spin` on the clock, `event` an Event nobody sets, `select` on a pipe nobody
writes; 0.5 s), prints, and joins only then."""
import os
import select
import sys
import threading
import time

os.write(1, b"main starts\n")
t = threading.Thread(target=lambda: os.write(1, b"thread\n"))
t.start()
how = sys.argv[1]
if how == "spin":
    end = time.time() + 0.5
    while time.time() < end:
        pass
elif how == "event":
    threading.Event().wait(0.5)
else:
    r, w = os.pipe()
    select.select([r], [], [], 0.5)
os.write(1, b"main ends\n")
t.join()
