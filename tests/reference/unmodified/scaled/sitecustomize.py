# Loaded by Python at startup when this folder is on PYTHONPATH: multiplies every time.sleep by
# MULTITASK_TIME_SCALE (default 1), so the unmodified programs beside it can be graded fast
# without a change to their text.
import os
import time

_scale = float(os.environ.get("MULTITASK_TIME_SCALE", "1"))
_sleep = time.sleep


def _scaled_sleep(seconds):
    _sleep(seconds * _scale)


time.sleep = _scaled_sleep
