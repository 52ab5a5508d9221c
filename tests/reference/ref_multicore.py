"""The chapter's multicore dead loop, bounded, in Python 3 (reference for multicore-demo).

One busy thread per core, for --seconds S (default 5, times MULTITASK_TIME_SCALE), then the CPU
time used divided by the wall time. The GIL lets one thread run at a time: about 1.0 here,
whatever the number of cores; the Rust port shows about one per core.

Lines:  Run N busy threads for S.SS seconds...
        Cores kept busy: B.BB (CPU time C.CC s / wall time W.WW s).
"""
import argparse
import multiprocessing
import os
import sys
import threading
import time

# MULTITASK_TIME_SCALE multiplies every sleep (the Rust ports read the same knob).
SCALE = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))

stop = False


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def loop():  # [1]
    x = 0  # [2]
    while not stop:  # [3]
        x = x ^ 1  # [4]


def positive(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float('inf'):
        raise argparse.ArgumentTypeError('expected a positive number of seconds, got %r' % text)
    return value


if __name__ == '__main__':  # [5]
    parser = argparse.ArgumentParser(prog='ref_multicore.py')
    parser.add_argument('--seconds', type=positive, default=5.0)
    seconds = parser.parse_args().seconds * SCALE  # [6]
    cores = multiprocessing.cpu_count()  # [7]
    say('Run %d busy threads for %.2f seconds...' % (cores, seconds))  # [8]
    wall_start = time.monotonic()  # [9]
    cpu_start = time.process_time()  # [10]
    threads = []  # [11]
    for i in range(cores):  # [12]
        t = threading.Thread(target=loop)  # [13]
        t.start()
        threads.append(t)  # [14]
    time.sleep(seconds)  # [15]
    stop = True  # [16]
    for t in threads:  # [17]
        t.join()  # [18]
    wall = time.monotonic() - wall_start  # [19]
    cpu = time.process_time() - cpu_start  # [20]
    busy = cpu / wall if wall > 0 else 0.0  # [21]
    say('Cores kept busy: %.2f (CPU time %.2f s / wall time %.2f s).' % (busy, cpu, wall))  # [22]
