"""The notes' Pool program, in Python 3 (reference for pool-demo).

Usage: ref_pool.py [SIZE]   SIZE as in Pool(5); default Pool(), one worker per core.
MULTITASK_SEED, when set, fixes each task's random sleep (seeded by the task, not the worker,
so the sleeps do not depend on which worker runs which task).
"""
import os
import random
import sys
import time
from multiprocessing import Pool

# MULTITASK_TIME_SCALE multiplies every sleep (the Rust ports read the same knob).
SCALE = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))

SEED = os.environ.get("MULTITASK_SEED")


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def long_time_task(name):
    if SEED is not None:
        random.seed('%s:task:%s' % (SEED, name))
    say('Run task %s (%s)...' % (name, os.getpid()))
    start = time.time()
    time.sleep(random.random() * 3 * SCALE)
    end = time.time()
    say('Task %s runs %0.2f seconds.' % (name, (end - start)))


if __name__ == '__main__':
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and not sys.argv[1].isdigit()):
        sys.stderr.write('usage: ref_pool.py [SIZE]\n')
        sys.exit(2)
    size = int(sys.argv[1]) if len(sys.argv) == 2 else None
    if size == 0:
        sys.stderr.write('ref_pool.py: the pool size must be at least 1\n')
        sys.exit(2)
    say('Parent process %s.' % os.getpid())
    p = Pool(size)
    for i in range(5):
        p.apply_async(long_time_task, args=(i,))
    say('Waiting for all subprocesses done...')
    p.close()
    p.join()
    say('All subprocesses done.')
