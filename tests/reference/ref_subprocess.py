"""The chapter's subprocess program, in Python 3 (reference for subprocess-demo).

The chapter runs nslookup, which needs the network; like the Rust port this runs 'uname -s'
(on every Linux, prints Linux) for subprocess.call, and 'sh' fed commands on its stdin for
Popen + communicate, as nslookup was fed 'set q=mx / python.org / exit'.
"""
import subprocess
import sys

def say(line):
    # One write per line, newline included, then a flush: with PYTHONUNBUFFERED=1 print() writes
    # the text and the newline separately, and two processes' lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


say('$ uname -s')  # [1]
# The child writes straight to our stdout: say() has already flushed the header before it.
r = subprocess.call(['uname', '-s'])  # [2]
say('Exit code: %d' % r)  # [3]

say('$ sh')  # [4]
p = subprocess.Popen(['sh'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # [5]
output, err = p.communicate(b'x=6\necho $((x * 7))\nexit\n')  # [6]
# As the chapter's print(output.decode('utf-8')): the output's own newline, then one more.
say(output.decode('utf-8'))  # [7]
say('Exit code: %d' % p.returncode)  # [8]
