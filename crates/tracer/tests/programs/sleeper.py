"""A parent that sleeps 0.3 s instead of waiting, then prints; its child prints at once. Threads
that take turns on one lock (the GIL and a threading.Lock: futexes) print after."""
import os
import threading
import time

pid = os.fork()
if pid == 0:
    os.write(1, b"child\n")
    os._exit(0)
time.sleep(0.3)
os.write(1, b"parent\n")
os.waitpid(pid, 0)

lock = threading.Lock()
count = [0]


def bump():
    for _ in range(200):
        with lock:
            count[0] += 1


threads = [threading.Thread(target=bump) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
os.write(1, f"count {count[0]}\n".encode())
