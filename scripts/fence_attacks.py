#!/usr/bin/env python3
"""The attack table of issue 10: each attack run under the fence, then with one fence switched
off at a time, as root and as nobody; a cell says whether the attack was stopped.

    cargo build -p fence --example fenced_run && python3 scripts/fence_attacks.py

Run as root (it drops to nobody for the nobody seat with setpriv). A column where switching a
fence off lets the attack through names a fence that stopped it on its own; an attack stopped
in every column is stopped by more than one fence.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCED_RUN = os.path.join(REPO, "target", "debug", "examples", "fenced_run")
COLUMNS = [("all fences", []), ("no namespaces", ["--skip", "namespaces"]),
           ("no landlock", ["--skip", "landlock"]), ("no seccomp", ["--skip", "seccomp"]),
           ("unfenced", None)]

# Each attack prints ESCAPED when it got through; anything else means stopped.
ATTACKS = [
    ("TCP to a host listener on 127.0.0.1", """
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).sendall(b"x"); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("TCP to a host listener on ::1", """
import socket, sys
try:
    socket.create_connection(("::1", int(sys.argv[2])), timeout=2).sendall(b"x"); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("abstract Unix socket outside", """
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\\0" + sys.argv[3]); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("write into /tmp", """
import sys
try:
    open("/tmp/fence-attack-" + sys.argv[4], "w").write("x"); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("write into the invoker's home", """
import sys
try:
    open(sys.argv[5] + "/fence-attack", "w").write("x"); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("read a secret in the invoker's home", """
import sys
try:
    open(sys.argv[5] + "/secret").read(); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("SIGKILL the parent (the grader)", """
import os, signal
try:
    os.kill(os.getppid(), 0); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("SIGKILL a sibling of the same uid", """
import os, sys
try:
    os.kill(int(sys.argv[6]), 0); print("ESCAPED")
except OSError as e: print("errno", e.errno)
"""),
    ("ptrace the parent", """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(16, os.getppid(), 0, 0) == 0:
    print("ESCAPED"); libc.ptrace(17, os.getppid(), 0, 0)
else: print("errno", ctypes.get_errno())
"""),
    ("new user namespace", """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print("ESCAPED" if libc.unshare(0x10000000) == 0 else "errno %d" % ctypes.get_errno())
"""),
    ("3000 forks", """
import os
r, w = os.pipe()
n = 0
try:
    for _ in range(3000):
        if os.fork() == 0:
            os.close(w); os.read(r, 1); os._exit(0)
        n += 1
    print("ESCAPED")
except OSError as e: print("forks", n, "errno", e.errno)
os.close(w)
try:
    while True: os.wait()
except ChildProcessError: pass
"""),
    ("touch 8 GiB", """
try:
    b = bytearray(8 << 30); print("ESCAPED")
except MemoryError: print("MemoryError")
"""),
    ("write 512 MiB to TMPDIR", """
import os
try:
    with open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "fill"), "wb") as f:
        for _ in range(512): f.write(b"x" * (1 << 20)); f.flush()
    print("ESCAPED")
except OSError as e: print("errno", e.errno)
finally:
    try: os.unlink(os.path.join(os.environ.get("TMPDIR", "/tmp"), "fill"))
    except OSError: pass
"""),
]

DANGEROUS_UNFENCED = {"SIGKILL the parent (the grader)", "3000 forks", "touch 8 GiB"}


def seat_cmd(nobody, argv):
    if nobody:
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
    return argv


def main():
    if os.geteuid() != 0:
        sys.exit("run as root")
    if not os.path.exists(FENCED_RUN):
        sys.exit("build it first: cargo build -p fence --example fenced_run")
    work = tempfile.mkdtemp(prefix="fence-attacks-")
    os.chmod(work, 0o755)
    v4 = socket.socket(); v4.bind(("127.0.0.1", 0)); v4.listen()
    port = v4.getsockname()[1]
    v6 = socket.socket(socket.AF_INET6); v6.bind(("::1", port)); v6.listen()
    abstract = "fence-attacks-%d" % os.getpid()
    ab = socket.socket(socket.AF_UNIX); ab.bind("\0" + abstract); ab.listen()
    try:
        for nobody in (False, True):
            # Not under `work`, which the fenced run may read (its script is there).
            home = tempfile.mkdtemp(prefix="fence-attacks-home-") if nobody else os.path.expanduser("~")
            if nobody:
                os.chmod(home, 0o700); os.chown(home, 65534, 65534)
            secret = os.path.join(home, "secret")
            open(secret, "w").write("pw"); os.chmod(secret, 0o600)
            if nobody:
                os.chown(secret, 65534, 65534)
            sibling = subprocess.Popen(seat_cmd(nobody, ["/bin/sleep", "600"]))
            print("\nseat: %s" % ("nobody" if nobody else "root"))
            print("| attack | " + " | ".join(c for c, _ in COLUMNS) + " |")
            print("|---" * (len(COLUMNS) + 1) + "|")
            for name, code in ATTACKS:
                script = os.path.join(work, "attack.py")
                open(script, "w").write(code); os.chmod(script, 0o644)
                args = [str(port), str(port), abstract, "%d-%s" % (os.getpid(), nobody), home,
                        str(sibling.pid)]
                cells = []
                for col, skip in COLUMNS:
                    if skip is None and name in DANGEROUS_UNFENCED:
                        cells.append("(not tried)")
                        continue
                    if skip is None:
                        argv = ["/usr/bin/python3", script] + args
                    else:
                        argv = [FENCED_RUN, "--ro", work] + skip + ["--", "/usr/bin/python3", script] + args
                    out = subprocess.run(seat_cmd(nobody, argv), capture_output=True, text=True, timeout=120)
                    said = out.stdout.strip().splitlines()
                    cells.append("ESCAPED" if "ESCAPED" in said else "stopped (%s)" % (said[-1] if said else "exit %d" % out.returncode))
                print("| %s | %s |" % (name, " | ".join(cells)))
            sibling.kill(); sibling.wait()
            for leftover in ("/tmp/fence-attack-%d-%s" % (os.getpid(), nobody), os.path.join(home, "fence-attack"), secret):
                if os.path.exists(leftover):
                    os.unlink(leftover)
            if nobody:
                shutil.rmtree(home, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
