import time, threading

# 新线程执行的代码:
def loop():  # [1]
    print('thread %s is running...' % threading.current_thread().name)  # [2]
    n = 0  # [3]
    while n < 5:  # [4]
        n = n + 1  # [5]
        print('thread %s >>> %s' % (threading.current_thread().name, n))  # [6]
        time.sleep(1)  # [7]
    print('thread %s ended.' % threading.current_thread().name)  # [8]

print('thread %s is running...' % threading.current_thread().name)  # [9]
t = threading.Thread(target=loop, name='LoopThread')  # [10]
t.start()  # [11]
t.join()  # [12]
print('thread %s ended.' % threading.current_thread().name)  # [13]
