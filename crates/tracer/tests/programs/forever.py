"""A parent, a child and a thread that never end on their own; prints its pids, then waits."""
import os
import threading
import time

child = os.fork()
if child == 0:
    while True:
        time.sleep(1)
threading.Thread(target=lambda: time.sleep(1000), daemon=True).start()
os.write(1, f"ready {os.getpid()} {child}\n".encode())
while True:
    time.sleep(1)
