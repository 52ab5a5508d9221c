from multiprocessing import Process, Queue
import os, time, random

# 写数据进程执行的代码:
def write(q):  # [1]
    for value in ['A', 'B', 'C']:  # [2]
        print('Put %s to queue...' % value)  # [3]
        q.put(value)  # [4]
        time.sleep(random.random())  # [5]

# 读数据进程执行的代码:
def read(q):  # [6]
    while True:  # [7]
        value = q.get(True)  # [8]
        print('Get %s from queue.' % value)  # [9]

if __name__=='__main__':  # [10]
    # 父进程创建Queue，并传给各个子进程：
    q = Queue()  # [11]
    pw = Process(target=write, args=(q,))  # [12]
    pr = Process(target=read, args=(q,))  # [13]
    # 启动子进程pw，写入:
    pw.start()  # [14]
    # 启动子进程pr，读取:
    pr.start()  # [15]
    # 等待pw结束:
    pw.join()  # [16]
    # pr进程里是死循环，无法等待其结束，只能强行终止:
    pr.terminate()  # [17]
