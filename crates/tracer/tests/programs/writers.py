"""Every kind of writer the tracer must attribute; each line names the pid and tid that wrote it."""
import os
import subprocess
import sys
import threading


def say(what):
    os.write(1, f"{what} pid={os.getpid()} tid={threading.get_native_id()}\n".encode())


say("parent")
child = os.fork()
if child == 0:
    say("child")
    os._exit(3)
os.waitpid(child, 0)

t = threading.Thread(target=say, args=("thread",))
t.start()
t.join()

copy = os.dup(1)
os.write(copy, f"dup pid={os.getpid()} tid={threading.get_native_id()}\n".encode())
os.close(copy)

os.writev(1, [b"writev ", f"pid={os.getpid()} tid={threading.get_native_id()}\n".encode()])

subprocess.run(["/bin/sh", "-c", 'echo "shell pid=$$"'], check=True)

# With PYTHONUNBUFFERED=1 print writes the text and the newline in two calls.
print(f"print pid={os.getpid()} tid={threading.get_native_id()}")
sys.stderr.write(f"stderr pid={os.getpid()}\n")
sys.stderr.flush()
sys.exit(5)
