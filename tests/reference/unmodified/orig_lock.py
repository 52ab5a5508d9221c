import time, threading

# 假定这是你的银行存款:
balance = 0  # [1]
lock = threading.Lock()  # [2]

def change_it(n):  # [3]
    # 先存后取，结果应该为0:
    global balance
    balance = balance + n  # [4]
    balance = balance - n  # [5]

def run_thread(n):  # [6]
    for i in range(100000):  # [7]
        # 先要获取锁:
        lock.acquire()  # [8]
        try:
            # 放心地改吧:
            change_it(n)  # [9]
        finally:
            # 改完了一定要释放锁:
            lock.release()

t1 = threading.Thread(target=run_thread, args=(5,))  # [10]
t2 = threading.Thread(target=run_thread, args=(8,))  # [11]
t1.start()  # [12]
t2.start()  # [13]
t1.join()  # [14]
t2.join()  # [15]
print(balance)  # [16]
