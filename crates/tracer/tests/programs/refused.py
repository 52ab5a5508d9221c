"""Asks for what an ordinary user is refused: a low port, a signal to init, a file in /."""
import os
import socket

s = socket.socket()
try:
    s.bind(("127.0.0.1", 80))
except OSError as e:
    print("bind", e.errno)
try:
    os.kill(1, 0)
except OSError as e:
    print("kill", e.errno)
try:
    open("/tracer-refusal-test", "w")
except OSError as e:
    print("open", e.errno)
