"""Pipe() between a parent and a child, in Python 3: the reference pipe-demo is matched to (the
notes name Pipes beside Queue but show no program; these lines are our design).

The parent sends 'ping 1', 'ping 2', 'ping 3'; for each the child answers 'pong N'. Each side
prints what it sends BEFORE sending it and what it got right after receiving, so every line has
one place in one total order:

    Parent sent: ping 1
    Child got: ping 1
    Child sent: pong 1
    Parent got: pong 1
    ... the same four lines for 2 and 3 ...
    Child: pipe closed, exit.
    Parent: child exited.

After the third pong the parent closes its end; the child's recv() then raises EOFError, which
it only does because the child closed its own copy of the parent's end first (each side closes
the end it does not use). The parent joins the child before its last line.
"""
import sys
from multiprocessing import Pipe, Process

ROUNDS = 3  # [1]


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def child(parent_end, child_end):  # [2]
    parent_end.close()  # [3]
    while True:  # [4]
        try:
            message = child_end.recv()  # [5]
        except EOFError:  # [6]
            break
        say('Child got: %s' % message)  # [7]
        answer = message.replace('ping', 'pong')  # [8]
        say('Child sent: %s' % answer)  # [9]
        child_end.send(answer)  # [10]
    say('Child: pipe closed, exit.')  # [11]


if __name__ == '__main__':  # [12]
    parent_end, child_end = Pipe()  # [13]
    p = Process(target=child, args=(parent_end, child_end))  # [14]
    p.start()  # [15]
    child_end.close()  # [16]
    for n in range(1, ROUNDS + 1):  # [17]
        message = 'ping %d' % n  # [18]
        say('Parent sent: %s' % message)  # [19]
        parent_end.send(message)  # [20]
        say('Parent got: %s' % parent_end.recv())  # [21]
    parent_end.close()  # [22]
    p.join()  # [23]
    say('Parent: child exited.')  # [24]
