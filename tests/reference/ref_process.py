"""The notes' multiprocessing.Process program, in Python 3 (reference for process-demo)."""
import os
import sys
from multiprocessing import Process


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# 子进程要执行的代码
def run_proc(name):
    say('Run child process %s (%s)...' % (name, os.getpid()))


if __name__ == '__main__':
    say('Parent process %s.' % os.getpid())
    p = Process(target=run_proc, args=('test',))
    say('Process will start.')
    p.start()
    p.join()
    say('Process end.')
