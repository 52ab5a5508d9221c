"""Moves bytes between two processes through a pipe, a socketpair and a TCP connection on
loopback, each tagged with the sender's pid; peeks before one read; maps shared memory in both;
reads a file. Prints "pid PID" of the parent, then "ok".
(Used by tests/channels.rs.)"""
import mmap
import os
import socket
import sys

me = os.getpid()
shared = mmap.mmap(-1, 4096)  # anonymous and MAP_SHARED: the child maps it too
r, w = os.pipe()
a, b = socket.socketpair()
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(1)
port = listener.getsockname()[1]

pid = os.fork()
if pid == 0:
    child = os.getpid()
    os.close(r)
    a.close()
    os.write(w, b"pipe-%d" % child)
    b.sendmsg([b"pair-", b"%d" % child])
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"tcp-%d" % child)
    shared[:4] = b"done"
    assert c.recv(16) == b"bye"
    c.close()
    os._exit(0)

os.close(w)
b.close()
got = os.read(r, 64)
assert got == b"pipe-%d" % pid, got
peeked = a.recv(64, socket.MSG_PEEK)
data, _, _, _ = a.recvmsg(64)
assert data == b"pair-%d" % pid and peeked == data, (peeked, data)
conn, _ = listener.accept()
got = b""
while len(got) < len(b"tcp-%d" % pid):
    got += conn.recv(64)
assert got == b"tcp-%d" % pid, got
conn.sendall(b"bye")
os.waitpid(pid, 0)
with open(__file__, "rb") as f:
    f.read()
sys.stdout.write("pid %d\nok\n" % me)
