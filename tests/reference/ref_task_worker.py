"""The chapter's 分布式进程 task_worker.py, in Python 3 (reference for task-worker).

Options as the Rust port: --server (default 127.0.0.1), --port (default 5000), --authkey
(default abc). As the chapter, it tries 10 times to take a task; a try that finds the queue empty
for 1 s prints 'task queue is empty.' (the chapter's 'except Queue.Empty' names a module it never
imported, so it dies there instead). A master gone away (it shuts down once every result is in)
ends the worker with one line on stderr and status 1, where the chapter dies with a traceback.
"""
import argparse
import multiprocessing
import os
import queue
import sys
import time
from multiprocessing.managers import BaseManager

SCALE = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def fail(message):
    sys.stderr.write('task-worker: %s\n' % message)
    sys.exit(1)


def port_number(text):
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError('expected a port number from 1 to 65535, got %r' % text)
    return int(text)


# 创建类似的QueueManager:
class QueueManager(BaseManager):
    pass


if __name__ == '__main__':
    parser = argparse.ArgumentParser(prog='ref_task_worker.py')
    parser.add_argument('--server', default='127.0.0.1')
    parser.add_argument('--port', type=port_number, default=5000)
    parser.add_argument('--authkey', default='abc')
    args = parser.parse_args()
    # 由于这个QueueManager只从网络上获取Queue，所以注册时只提供名字:
    QueueManager.register('get_task_queue')
    QueueManager.register('get_result_queue')
    # 连接到服务器，也就是运行task_master.py的机器:
    server_addr = args.server
    say('Connect to server %s...' % server_addr)
    # 端口和验证码注意保持与task_master.py设置的完全一致:
    m = QueueManager(address=(server_addr, args.port), authkey=args.authkey.encode())
    # 从网络连接:
    try:
        m.connect()
    except multiprocessing.AuthenticationError as err:
        fail('the master at %s:%d refused our authkey (%s)' % (server_addr, args.port, err))
    except OSError as err:
        fail('cannot connect to %s:%d: %s' % (server_addr, args.port, err))
    # 获取Queue的对象:
    task = m.get_task_queue()
    result = m.get_result_queue()
    # 从task队列取任务,并把结果写入result队列:
    for i in range(10):
        try:
            n = task.get(timeout=1 * SCALE)
            say('run task %d * %d...' % (n, n))
            r = '%d * %d = %d' % (n, n, n * n)
            time.sleep(1 * SCALE)
            result.put(r)
        except queue.Empty:
            say('task queue is empty.')
        except (EOFError, OSError):
            fail('the master closed the connection (all its results are in, or it gave up)')
    # 处理结束:
    say('worker exit.')
