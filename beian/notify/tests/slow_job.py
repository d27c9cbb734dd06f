"""A periodic job for the two-workers test: records each run in a file and
takes long enough that concurrent workers overlap."""

import os
import time

from beian.notify.periodic import periodic


@periodic("tests.slow_job", every=3600)
def slow_job() -> None:
    with open(os.environ["BEIAN_TEST_JOB_LOG"], "a") as log:
        log.write(f"{os.getpid()}\n")
    time.sleep(1.5)
