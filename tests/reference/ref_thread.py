"""The chapter's 多线程 program (a LoopThread counting to 5), in Python 3 (reference for
thread-demo)."""
import os
import sys
import threading
import time

# MULTITASK_TIME_SCALE multiplies every sleep (the Rust ports read the same knob).
SCALE = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# 新线程执行的代码:
def loop():
    say('thread %s is running...' % threading.current_thread().name)
    n = 0
    while n < 5:
        n = n + 1
        say('thread %s >>> %s' % (threading.current_thread().name, n))
        time.sleep(1 * SCALE)
    say('thread %s ended.' % threading.current_thread().name)


say('thread %s is running...' % threading.current_thread().name)
t = threading.Thread(target=loop, name='LoopThread')
t.start()
t.join()
say('thread %s ended.' % threading.current_thread().name)
