"""The chapter's ThreadLocal program, in Python 3 (reference for threadlocal-demo)."""
import sys
import threading

def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# 创建全局ThreadLocal对象:
local_school = threading.local()


def process_student():
    # 获取当前线程关联的student:
    std = local_school.student
    say('Hello, %s (in %s)' % (std, threading.current_thread().name))


def process_thread(name):
    # 绑定ThreadLocal的student:
    local_school.student = name
    process_student()


t1 = threading.Thread(target=process_thread, args=('Alice',), name='Thread-A')
t2 = threading.Thread(target=process_thread, args=('Bob',), name='Thread-B')
t1.start()
t2.start()
t1.join()
t2.join()
