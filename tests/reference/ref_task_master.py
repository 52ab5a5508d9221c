"""The chapter's 分布式进程 task_master.py, in Python 3 (reference for task-master).

Options as the Rust port: --port (default 5000, 0 picks a free one), --bind (default 127.0.0.1;
the chapter binds every interface), --authkey (default abc). The address really bound goes to
stderr as 'listening on HOST:PORT'. With no result within 10 s (times MULTITASK_TIME_SCALE) it
says so on stderr and exits 1 (the chapter's program dies with a traceback there).

Unlike the Rust port, Python's manager refuses a wrong authkey silently on the master's side
(the worker gets AuthenticationError); and the two do not talk to each other: Python's managers
speak pickle, the Rust ones JSON.
"""
import argparse
import os
import queue
import random
import sys
from multiprocessing.managers import BaseManager

SCALE = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))
SEED = os.environ.get("MULTITASK_SEED")

# 发送任务的队列:
task_queue = queue.Queue()
# 接收结果的队列:
result_queue = queue.Queue()


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def get_task_queue():
    return task_queue


def get_result_queue():
    return result_queue


def port_number(text):
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError('expected a port number from 0 to 65535, got %r' % text)
    return int(text)


# 从BaseManager继承的QueueManager:
class QueueManager(BaseManager):
    pass


if __name__ == '__main__':
    parser = argparse.ArgumentParser(prog='ref_task_master.py')
    parser.add_argument('--port', type=port_number, default=5000)
    parser.add_argument('--bind', default='127.0.0.1')
    parser.add_argument('--authkey', default='abc')
    args = parser.parse_args()
    if SEED is not None:
        random.seed(SEED)
    # 把两个Queue都注册到网络上, callable参数关联了Queue对象:
    QueueManager.register('get_task_queue', callable=get_task_queue)
    QueueManager.register('get_result_queue', callable=get_result_queue)
    # 绑定端口5000, 设置验证码'abc':
    manager = QueueManager(address=(args.bind, args.port), authkey=args.authkey.encode())
    # 启动Queue:
    try:
        manager.start()
    except Exception as err:
        sys.stderr.write('task-master: cannot listen on %s:%d: %s\n' % (args.bind, args.port, err))
        sys.exit(1)
    sys.stderr.write('listening on %s:%d\n' % manager.address)
    sys.stderr.flush()
    # 获得通过网络访问的Queue对象:
    task = manager.get_task_queue()
    result = manager.get_result_queue()
    # 放几个任务进去:
    for i in range(10):
        n = random.randint(0, 10000)
        say('Put task %d...' % n)
        task.put(n)
    # 从result队列读取结果:
    say('Try get results...')
    timeout = 10 * SCALE
    for i in range(10):
        try:
            r = result.get(timeout=timeout)
        except queue.Empty:
            sys.stderr.write('task-master: no result within %.2f s (%d of 10 received): '
                             'is a worker running?\n' % (timeout, i))
            manager.shutdown()
            sys.exit(1)
        say('Result: %s' % r)
    # 关闭:
    manager.shutdown()
    say('master exit.')
