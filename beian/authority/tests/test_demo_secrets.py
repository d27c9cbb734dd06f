"""No published secret outside demo mode (issue 14, finding 4): the interface
password, the AES key and IV and the SMS relay secret have demo values in
settings.py; in production a published value refuses to start, and an unset one
is empty (the feature that needs it stays off)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from beian.core.tests.test_deploy_settings import _clean_env, readme_production_env

NAMES = (
    "AUTHORITY_PASSWORD",
    "AUTHORITY_AES_KEY",
    "AUTHORITY_AES_IV",
    "AUTHORITY_SMS_RELAY_SECRET",
)
DEMO_VALUES = {
    "BEIAN_AUTHORITY_PASSWORD": "beian-demo-password",
    "BEIAN_AUTHORITY_AES_KEY": "0102030405060708",
    "BEIAN_AUTHORITY_AES_IV": "0102030405060708",
    "BEIAN_AUTHORITY_SMS_RELAY_SECRET": "beian-demo-relay-secret",
}


def _start(env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{k: s.BEIAN[k] for k in {NAMES!r}}} | {{'DEMO': s.DEMO}}))"
    )
    env = _clean_env()
    env.update(env_extra)
    env.update({"BEIAN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "beian.settings"})
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _values(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_machine_is_demo_mode_with_the_published_values(tmp_path):
    values = _values(_start({}, tmp_path))
    assert values["DEMO"] is True
    assert values["AUTHORITY_PASSWORD"] == "beian-demo-password"
    assert values["AUTHORITY_SMS_RELAY_SECRET"] == "beian-demo-relay-secret"


def test_production_has_no_default_secret(tmp_path):
    values = _values(_start(readme_production_env(), tmp_path))
    assert values["DEMO"] is False
    assert all(values[name] == "" for name in NAMES), values


@pytest.mark.parametrize("variable", sorted(DEMO_VALUES))
def test_production_refuses_to_start_with_a_published_value(variable, tmp_path):
    result = _start({**readme_production_env(), variable: DEMO_VALUES[variable]}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


def test_production_takes_secrets_of_its_own(tmp_path):
    env = {
        **readme_production_env(),
        "BEIAN_AUTHORITY_PASSWORD": "p-4f9a",
        "BEIAN_AUTHORITY_SMS_RELAY_SECRET": "r-7c21",
    }
    values = _values(_start(env, tmp_path))
    assert values["AUTHORITY_PASSWORD"] == "p-4f9a"
    assert values["AUTHORITY_SMS_RELAY_SECRET"] == "r-7c21"


def test_demo_mode_can_be_asked_for_on_a_public_host(tmp_path):
    env = {**readme_production_env(), "BEIAN_DEMO": "1", **DEMO_VALUES}
    values = _values(_start(env, tmp_path))
    assert values["DEMO"] is True and values["AUTHORITY_PASSWORD"] == "beian-demo-password"
