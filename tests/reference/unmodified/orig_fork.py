import os

print('Process (%s) start...' % os.getpid())  # [1]
# Only works on Unix/Linux/Mac:
pid = os.fork()  # [2]
if pid == 0:  # [3]
    print('I am child process (%s) and my parent is %s.' % (os.getpid(), os.getppid()))  # [4]
else:  # [5]
    print('I (%s) just created a child process (%s).' % (os.getpid(), pid))  # [6]
