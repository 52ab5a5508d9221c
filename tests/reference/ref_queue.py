"""The notes' Queue program (one writer, one reader), in Python 3 (reference for queue-demo)."""
import os
import random
import sys
import time
from multiprocessing import Process, Queue

# MULTITASK_TIME_SCALE multiplies every sleep (the Rust ports read the same knob).
SCALE = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))

SEED = os.environ.get("MULTITASK_SEED")


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# 写数据进程执行的代码:
def write(q):
    if SEED is not None:
        random.seed('%s:writer' % SEED)
    for value in ['A', 'B', 'C']:
        say('Put %s to queue...' % value)
        q.put(value)
        time.sleep(random.random() * SCALE)


# 读数据进程执行的代码:
def read(q):
    while True:
        value = q.get(True)
        say('Get %s from queue.' % value)


if __name__ == '__main__':
    # 父进程创建Queue，并传给各个子进程：
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    # 启动子进程pw，写入:
    pw.start()
    # 启动子进程pr，读取:
    pr.start()
    # 等待pw结束:
    pw.join()
    # pr进程里是死循环，无法等待其结束，只能强行终止:
    pr.terminate()
