"""Every address one process uses to reach another comes from settings with an
environment variable: changing the two ports moves every derived address."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PRINT = """
import json, django
django.setup()
from django.conf import settings
b = settings.BEIAN
print(json.dumps({k: b[k] for k in ("HOST", "PORT", "AUTHORITY_URL", "AUTHORITY_SMS_URL",
    "AUTHORITY_SIM_SMS_RELAY_URL", "AUTHORITY_SIM_PASSWORD_RELAY_URL", "AUTHORITY_SIM_PORT",
    "SERVE_EXTRA_COMMANDS", "DNS_RESOLVER", "DNS_PORT")}))
"""


def _settings(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_")}
    clean.update(DJANGO_SETTINGS_MODULE="beian.settings", BEIAN_DATA_DIR=str(tmp_path), **env)
    run = subprocess.run(
        [sys.executable, "-c", PRINT], env=clean, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_other_ports_move_every_derived_address(tmp_path):
    values = _settings(
        tmp_path, BEIAN_PORT="18080", BEIAN_AUTHORITY_SIM_PORT="18180", BEIAN_SERVE_SIMULATOR="1"
    )
    assert values["PORT"] == 18080 and values["AUTHORITY_SIM_PORT"] == 18180
    assert values["AUTHORITY_URL"] == "http://127.0.0.1:18180"
    assert values["AUTHORITY_SMS_URL"] == "http://127.0.0.1:18180/sms/"
    assert values["AUTHORITY_SIM_SMS_RELAY_URL"] == (
        "http://127.0.0.1:18080/api/v1/authority/sms-relay"
    )
    assert values["AUTHORITY_SIM_PASSWORD_RELAY_URL"] == (
        "http://127.0.0.1:18080/api/v1/authority/filing-password-relay"
    )
    (simulator,) = values["SERVE_EXTRA_COMMANDS"]
    assert simulator[-2:] == ["--port", "18180"]


def test_a_whole_url_wins_over_the_port(tmp_path):
    values = _settings(
        tmp_path,
        BEIAN_PORT="18080",
        BEIAN_AUTHORITY_URL="http://127.0.0.2:9000",
        BEIAN_AUTHORITY_SIM_SMS_RELAY_URL="http://127.0.0.3:9001/relay",
        BEIAN_AUTHORITY_SIM_PASSWORD_RELAY_URL="http://127.0.0.3:9001/password",
    )
    assert values["AUTHORITY_URL"] == "http://127.0.0.2:9000"
    assert values["AUTHORITY_SIM_SMS_RELAY_URL"] == "http://127.0.0.3:9001/relay"
    assert values["AUTHORITY_SIM_PASSWORD_RELAY_URL"] == "http://127.0.0.3:9001/password"


def test_the_demo_dns_responder_moves_with_its_port(tmp_path):
    values = _settings(tmp_path, BEIAN_SERVE_DNS="1", BEIAN_DNS_PORT="18053")
    assert values["DNS_RESOLVER"] == "127.0.0.1:18053"
    (responder,) = values["SERVE_EXTRA_COMMANDS"]
    assert responder[-3:] == ["dns-responder", "--port", "18053"]
    assert _settings(tmp_path)["DNS_RESOLVER"] == ""  # without it: the system's resolver
    given = _settings(tmp_path, BEIAN_SERVE_DNS="1", BEIAN_DNS_RESOLVER="127.0.0.5:53")
    assert given["DNS_RESOLVER"] == "127.0.0.5:53"
