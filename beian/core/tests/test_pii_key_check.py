"""The PII key against the data's (beian/core/keys.py): the database records the
key's fingerprint; a process with another key — a lost file generated again, a
wrong BEIAN_PII_KEY — stops at start with a message saying what to do (`beian
check` as a real process), and a key that changes under a running process is a
503 with its code, not a 500 on every log-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings

from beian.core import crypto, keys
from beian.core.models import KeyFingerprint
from testing import make_user

BEIAN = [sys.executable, "-m", "beian"]


@pytest.mark.django_db
def test_the_migrated_database_knows_the_configured_key():
    assert KeyFingerprint.objects.get(pk=1).fingerprint == keys.fingerprint()
    assert keys.key_problem() is None
    assert keys.fingerprint("another key") != keys.fingerprint()
    assert not [e for e in checks.run_checks(databases=["default"]) if e.id == "beian.E001"]


@pytest.mark.django_db
def test_another_key_is_an_error_at_start_telling_what_to_do():
    with override_settings(PII_KEY="not the data's key"):
        (error,) = [e for e in checks.run_checks(databases=["default"]) if e.id == "beian.E001"]
        with pytest.raises(ImproperlyConfigured, match="Wrong PII key"):
            keys.refuse_wrong_key()
    assert error.level == checks.ERROR
    assert "Wrong PII key" in error.msg and "Restore the key from your backup" in error.msg
    assert keys.fingerprint()[:12] in error.msg  # the data's, to match backups against
    assert keys.fingerprint("not the data's key")[:12] in error.msg


@pytest.mark.django_db
def test_a_fresh_database_without_a_fingerprint_is_no_error():
    KeyFingerprint.objects.all().delete()
    with override_settings(PII_KEY="a new installation's key"):
        assert keys.key_problem() is None


@pytest.mark.django_db
def test_a_key_changed_under_a_running_process_is_a_503_not_a_500():
    make_user("wang-key", mobile="13912345678")
    web = Client(raise_request_exception=False)
    try:
        with override_settings(PII_KEY="a key swapped in meanwhile"):
            crypto._fernet.cache_clear()
            response = web.post(
                "/accounts/login/", {"identifier": "wang-key", "password": "beian-demo-2026"}
            )
    finally:
        crypto._fernet.cache_clear()
    assert response.status_code == 503
    text = response.content.decode()
    assert "密钥配置有误" in text and "its key is misconfigured" in text


def _env(folder: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEIAN_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="beian.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        BEIAN_DATA_DIR=str(folder),
        **extra,
    )
    return env


def _check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BEIAN, "check", "--database", "default"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.integration
def test_a_lost_key_file_is_not_silently_replaced(tmp_path):
    env = _env(tmp_path)
    subprocess.run([*BEIAN, "migrate", "-v0"], env=env, check=True, timeout=180)
    key_file = tmp_path / "pii_key"
    backup = key_file.read_text()
    assert _check(env).returncode == 0

    key_file.unlink()  # lost: the next start generates one, and says it is not the key
    lost = _check(env)
    assert lost.returncode != 0
    assert "beian.E001" in lost.stderr and "It was missing and has just been generated" in (
        lost.stderr
    )
    assert str(key_file) in lost.stderr

    # Wrong in the environment: `beian serve` refuses to start, naming BEIAN_PII_KEY.
    serve = subprocess.run(
        [*BEIAN, "serve", "--port", "1"],
        env={**env, "BEIAN_PII_KEY": "someone else's key"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert serve.returncode != 0 and "configured key (BEIAN_PII_KEY)" in serve.stderr
    assert "started pid=" not in serve.stdout and "Traceback" not in serve.stderr

    key_file.write_text(backup)  # restored from the backup: starts again
    assert _check(env).returncode == 0


@pytest.mark.django_db
def test_keys_fingerprint_finds_the_right_backup(tmp_path, capsys):
    right, wrong = tmp_path / "pii_key.right", tmp_path / "pii_key.old"
    right.write_text(settings.PII_KEY + "\n")
    wrong.write_text("an old machine's key")
    call_command("keys", "fingerprint", "--key-file", str(right))
    assert "matches" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        call_command("keys", "fingerprint", "--key-file", str(wrong))
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert keys.fingerprint() in out and "does not match" in out
    # It runs with the wrong key configured: that is when it is needed.
    with override_settings(PII_KEY="not the data's key"), pytest.raises(SystemExit):
        call_command("keys", "fingerprint")
