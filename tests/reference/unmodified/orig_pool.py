from multiprocessing import Pool
import os, time, random

def long_time_task(name):  # [1]
    print('Run task %s (%s)...' % (name, os.getpid()))  # [2]
    start = time.time()  # [3]
    time.sleep(random.random() * 3)  # [4]
    end = time.time()  # [5]
    print('Task %s runs %0.2f seconds.' % (name, (end - start)))  # [6]

if __name__=='__main__':  # [7]
    print('Parent process %s.' % os.getpid())  # [8]
    p = Pool(4)  # [9]
    for i in range(5):  # [10]
        p.apply_async(long_time_task, args=(i,))  # [11]
    print('Waiting for all subprocesses done...')  # [12]
    p.close()  # [13]
    p.join()  # [14]
    print('All subprocesses done.')  # [15]
