"""The notes' 多进程 program on os.fork(), in Python 3: the reference the fork-demo spec is
proven against. The parent does not wait for the child, as in the notes, so the child may be
adopted (its "parent" is then whoever adopted it).

Because say() flushes each line, the first line is written once even when stdout is a pipe
(print() would leave it in the buffer that fork() copies, and both processes would write it).
"""
import os
import sys


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


say('Process (%s) start...' % os.getpid())
# Only works on Unix/Linux/Mac:
pid = os.fork()
if pid == 0:
    say('I am child process (%s) and my parent is %s.' % (os.getpid(), os.getppid()))
else:
    say('I (%s) just created a child process (%s).' % (os.getpid(), pid))
