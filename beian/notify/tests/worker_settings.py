"""Settings for worker subprocesses started by the tests: the project's
settings, with short leases and retries, and test knobs from the environment."""

import json
import os

from beian.settings import *  # noqa: F403
from beian.settings import BEIAN

BEIAN = {
    **BEIAN,
    "NOTIFY_LEASE_SECONDS": float(os.environ.get("BEIAN_TEST_LEASE_SECONDS", "2")),
    "NOTIFY_RETRY_BASE_SECONDS": float(os.environ.get("BEIAN_TEST_RETRY_SECONDS", "0.5")),
    "NOTIFY_RETRY_MAX_SECONDS": 2,
    "MESSAGE_ID_DOMAIN": "beian.test",
    "JOB_LEASE_SECONDS": float(os.environ.get("BEIAN_TEST_JOB_LEASE_SECONDS", "30")),
    "JOB_MODULES": [m for m in os.environ.get("BEIAN_TEST_JOB_MODULES", "").split(",") if m],
}

# `beian serve` tests: extra children (a JSON list of argv lists) beside the web
# server and the worker.
if os.environ.get("BEIAN_TEST_SERVE_EXTRA"):
    BEIAN["SERVE_EXTRA_COMMANDS"] = json.loads(os.environ["BEIAN_TEST_SERVE_EXTRA"])
