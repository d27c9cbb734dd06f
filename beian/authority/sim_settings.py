"""Settings of the simulator process (`beian authority-sim`): Beian's settings with the
simulator's URLs and its own database (BEIAN_AUTHORITY_SIM_DATABASE_URL, default
var/authority-sim.sqlite3). See docs/decisions/0003-authority-simulator.md."""

import os
from pathlib import Path

import dj_database_url

from beian.settings import *  # noqa: F403
from beian.settings import DATA_DIR, private_file

ROOT_URLCONF = "beian.authority.sim.urls"
SESSION_COOKIE_NAME = "authority_sim_session"
CSRF_COOKIE_NAME = "authority_sim_csrftoken"

_url = os.environ.get("BEIAN_AUTHORITY_SIM_DATABASE_URL") or (
    f"sqlite:///{DATA_DIR / 'authority-sim.sqlite3'}"
)
DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
