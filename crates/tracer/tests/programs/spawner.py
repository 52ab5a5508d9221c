"""Forks and threads in a fixed shape, each writing a few lines: the same holds replay."""
import os
import sys
import threading

n = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def work(tag):
    for i in range(3):
        os.write(1, f"{tag} {i} pid={os.getpid()}\n".encode())


kids = []
for k in range(n):
    pid = os.fork()
    if pid == 0:
        t = threading.Thread(target=work, args=(f"thread-of-{k}",))
        t.start()
        work(f"child-{k}")
        t.join()
        os._exit(0)
    kids.append(pid)
work("parent")
for pid in kids:
    os.waitpid(pid, 0)
