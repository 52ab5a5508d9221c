# Every demo's --help: the environment knobs it reads.
demo-knobs = Environment:
    {"  "}{ $scale }=X  multiply every sleep by X (e.g. 0.01 for a fast run; 1 by default)
    {"  "}{ $seed }=N        fix every random draw with the integer N (a run you can replay)
