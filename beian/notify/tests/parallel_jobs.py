"""Periodic jobs for the parallel-worker tests: a slow job that waits on a
local HTTP server (BEIAN_TEST_SLOW_URL) and a fast job that logs each run
(BEIAN_TEST_JOB_LOG)."""

import os
import time
import urllib.request

from beian.notify.periodic import periodic


@periodic("tests.slow_fetch", every=3600)
def slow_fetch() -> None:
    with urllib.request.urlopen(os.environ["BEIAN_TEST_SLOW_URL"], timeout=60) as response:
        response.read()


@periodic("tests.fast_tick", every=0.3)
def fast_tick() -> None:
    with open(os.environ["BEIAN_TEST_JOB_LOG"], "a") as log:
        log.write(f"{time.time()}\n")
