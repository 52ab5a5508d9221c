"""The chapter's Lock program, in Python 3 (reference for lock-demo): prints the final balance,
0 with the lock. --no-lock drops the lock; whether updates get lost then depends on when the
interpreter switches threads (rarely inside change_it on CPython 3.10+, often in the Rust port).
"""
import sys
import threading

def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# 假定这是你的银行存款:
balance = 0
lock = threading.Lock()
use_lock = True


def change_it(n):
    # 先存后取，结果应该为0:
    global balance
    balance = balance + n
    balance = balance - n


def run_thread(n):
    for i in range(100000):
        if not use_lock:
            change_it(n)
            continue
        # 先要获取锁:
        lock.acquire()
        try:
            # 放心地改吧:
            change_it(n)
        finally:
            # 改完了一定要释放锁:
            lock.release()


if __name__ == '__main__':
    if sys.argv[1:] not in ([], ['--no-lock']):
        sys.stderr.write('usage: ref_lock.py [--no-lock]\n')
        sys.exit(2)
    use_lock = sys.argv[1:] == []
    t1 = threading.Thread(target=run_thread, args=(5,))
    t2 = threading.Thread(target=run_thread, args=(8,))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    say('%d' % balance)
