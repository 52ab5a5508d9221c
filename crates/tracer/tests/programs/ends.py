"""Learns of children's ends every way the trace records: waitpid (wait4), waitid on a pid,
waitid with WNOWAIT, a pidfd, EOF on a pipe the child held; then a kill, and ECHILD."""
import os
import signal
import sys
import time


def child(code):
    pid = os.fork()
    if pid == 0:
        os._exit(code)
    return pid


a = child(3)
os.waitpid(a, 0)

b = child(4)
os.waitid(os.P_PID, b, os.WEXITED | os.WNOWAIT)
os.waitid(os.P_PID, b, os.WEXITED)

# A pipe whose write end only the child keeps: its end is the EOF.
r, w = os.pipe()
c = os.fork()
if c == 0:
    os.close(r)
    os.write(w, b"x")
    os._exit(0)
os.close(w)
while os.read(r, 16):
    pass
fd = os.pidfd_open(c)
os.waitid(os.P_PIDFD, fd, os.WEXITED)

d = os.fork()
if d == 0:
    while True:
        time.sleep(1)
os.kill(d, signal.SIGTERM)
os.kill(d, 0)  # a probe: no signal
os.waitpid(d, 0)
try:
    os.wait()
except ChildProcessError:
    pass
sys.stdout.write("%d %d %d %d\n" % (a, b, c, d))
