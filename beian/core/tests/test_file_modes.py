"""Files at rest are private (issue 14, finding 3): the data folder 0700, the
keys and the SQLite databases (Beian's and the simulator's, with their WAL
files) 0600, and the demo's mails 0600 in a 0700 folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from beian.core.tests.test_deploy_settings import _clean_env


@pytest.fixture(autouse=True)
def _usual_umask():
    """A usual umask (022) for each test: the modes must not depend on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _beian(tmp_path: Path, *args: str, settings: str = "beian.settings"):
    env = _clean_env()
    env.update({"BEIAN_DATA_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": settings})
    result = subprocess.run(
        [sys.executable, "-m", "beian", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_data_folder_keys_and_databases_are_private(tmp_path):
    _beian(tmp_path, "migrate", "--noinput", "-v0")
    _beian(tmp_path, "migrate", "--noinput", "-v0", settings="beian.authority.sim_settings")
    var = tmp_path / "var"
    assert _mode(var) == 0o700
    for name in ("secret_key", "pii_key", "beian.sqlite3", "authority-sim.sqlite3"):
        assert _mode(var / name) == 0o600, name
    for wal in var.glob("*.sqlite3-*"):  # -wal / -shm, when SQLite keeps them
        assert _mode(wal) == 0o600, wal.name


def test_the_settings_create_the_database_file_private(tmp_path):
    from beian.settings import private_dir, private_file

    folder = private_dir(tmp_path / "a" / "b")
    db = private_file(folder / "x.sqlite3")
    assert _mode(folder) == 0o700 and _mode(db) == 0o600


def test_demo_mails_are_private_files(tmp_path, settings):
    settings.EMAIL_BACKEND = "beian.notify.backends.mailfiles.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    mail.send_mail(
        "重置密码", "http://127.0.0.1/accounts/reset/x/", "a@example.cn", ["b@example.cn"]
    )
    [written] = list((tmp_path / "mail").iterdir())
    assert _mode(tmp_path / "mail") == 0o700
    assert _mode(written) == 0o600
    assert "/accounts/reset/x/" in written.read_text()
