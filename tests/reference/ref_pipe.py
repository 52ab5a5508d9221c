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

ROUNDS = 3


def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def child(parent_end, child_end):
    parent_end.close()
    while True:
        try:
            message = child_end.recv()
        except EOFError:
            break
        say('Child got: %s' % message)
        answer = message.replace('ping', 'pong')
        say('Child sent: %s' % answer)
        child_end.send(answer)
    say('Child: pipe closed, exit.')


if __name__ == '__main__':
    parent_end, child_end = Pipe()
    p = Process(target=child, args=(parent_end, child_end))
    p.start()
    child_end.close()
    for n in range(1, ROUNDS + 1):
        message = 'ping %d' % n
        say('Parent sent: %s' % message)
        parent_end.send(message)
        say('Parent got: %s' % parent_end.recv())
    parent_end.close()
    p.join()
    say('Parent: child exited.')
