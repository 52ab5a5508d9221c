from multiprocessing import Process
import os

# 子进程要执行的代码
def run_proc(name):  # [1]
    print('Run child process %s (%s)...' % (name, os.getpid()))  # [2]

if __name__=='__main__':  # [3]
    print('Parent process %s.' % os.getpid())  # [4]
    p = Process(target=run_proc, args=('test',))  # [5]
    print('Process will start.')  # [6]
    p.start()  # [7]
    p.join()  # [8]
    print('Process end.')  # [9]
