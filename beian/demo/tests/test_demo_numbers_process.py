"""`make run`'s own steps as processes on a fresh data folder: `beian migrate`, `beian demo
--once`, then `beian authority-sim` on a port of its own. The demo's approved filing got its
number from the simulator's own database, which the running simulator then knows."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from beian.authority import services
from beian.authority.client import AuthorityClient, TransportError

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

BEIAN = [sys.executable, "-m", "beian"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(folder) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEIAN_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="beian.demo.tests.process_settings",
        BEIAN_DATA_DIR=str(folder),
        BEIAN_AUTHORITY_LOOKUP="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def _rows(path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_demo_numbers_come_from_the_simulators_own_database(tmp_path, settings):
    env = _env(tmp_path)
    subprocess.run([*BEIAN, "migrate", "-v0"], env=env, check=True, timeout=300)
    demo = subprocess.run(
        [*BEIAN, "demo", "--once"], env=env, capture_output=True, text=True, timeout=300
    )
    assert demo.returncode == 0, demo.stderr

    ((number,),) = _rows(
        tmp_path / "beian.sqlite3", "SELECT icp_number FROM filings_subject WHERE icp_number != ''"
    )
    sim_db = tmp_path / "authority-sim.sqlite3"
    assert _rows(sim_db, "SELECT number FROM authority_sim_subject") == [(number,)]
    # The simulator's counter stands at that number: its next approval issues the one after.
    assert number.endswith("000001号")
    assert _rows(sim_db, "SELECT province, last FROM authority_sim_serial") == [("320000", 1)]

    port = _free_port()
    sim = subprocess.Popen([*BEIAN, "authority-sim", "--port", str(port)], env=env)
    try:
        settings.BEIAN = {**settings.BEIAN, "AUTHORITY_URL": f"http://127.0.0.1:{port}"}
        client = AuthorityClient.from_settings(timeout=5, backoff=0.05)
        deadline = time.monotonic() + 60
        while True:
            try:
                status = services.query_status(domain="demo-site-10.cn", client=client)
                break
            except TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert status.filed and status.subject_number == number
    finally:
        sim.terminate()
        sim.wait(timeout=15)
