import threading

# 创建全局ThreadLocal对象:
local_school = threading.local()  # [1]

def process_student():  # [2]
    # 获取当前线程关联的student:
    std = local_school.student  # [3]
    print('Hello, %s (in %s)' % (std, threading.current_thread().name))  # [4]

def process_thread(name):  # [5]
    # 绑定ThreadLocal的student:
    local_school.student = name  # [6]
    process_student()  # [7]

t1 = threading.Thread(target= process_thread, args=('Alice',), name='Thread-A')  # [8]
t2 = threading.Thread(target= process_thread, args=('Bob',), name='Thread-B')  # [9]
t1.start()  # [10]
t2.start()  # [11]
t1.join()  # [12]
t2.join()  # [13]
