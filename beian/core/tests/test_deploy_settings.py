"""Deployment settings (issue 14, finding 9): with the production settings the
README gives, Django's deploy check is clean and the cookies, HSTS, redirect
and session lifetime are the safe ones; every page has a CSP that no template
breaks with an inline script or handler."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def readme_production_env() -> dict[str, str]:
    """The variables of the README's "Production settings" block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Production settings", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    env = {}
    for line in block.strip().splitlines():
        name, value = line.split("=", 1)
        env[name] = secrets.token_urlsafe(50) if value.startswith("<") else value
    return env


def _clean_env() -> dict[str, str]:
    # Not what this process was given for the tests (DJANGO_ALLOW_ASYNC_UNSAFE, …).
    prefixes = ("BEIAN_", "DATABASE_URL", "DJANGO_")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def _run(env_extra: dict, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = _clean_env()
    env.update(env_extra)
    env.update(
        {
            "BEIAN_DATA_DIR": str(tmp_path),
            # No server is needed for the checks: the database and the cache stay unused.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "beian.settings",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "beian", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(env_extra: dict, tmp_path: Path) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', "
        "'SESSION_COOKIE_AGE', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'DEBUG')}))"
    )
    env = _clean_env()
    env.update(env_extra)
    env.update({"BEIAN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "beian.settings"})
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_deploy_check_is_clean_with_the_readme_settings(tmp_path):
    result = _run(
        readme_production_env(), "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "no issues" in output


def test_production_mode_is_safe_by_default(tmp_path):
    values = _settings(readme_production_env(), tmp_path)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600 and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"]


def test_the_environment_changes_each_setting(tmp_path):
    values = _settings(
        {**readme_production_env(), "BEIAN_HSTS_SECONDS": "600", "BEIAN_SESSION_SECONDS": "900"},
        tmp_path,
    )
    assert values["SECURE_HSTS_SECONDS"] == 600 and values["SESSION_COOKIE_AGE"] == 900


def test_one_machine_over_plain_http_keeps_working(tmp_path):
    # `make run`: DEBUG off, the loopback hosts, plain HTTP.
    values = _settings({}, tmp_path)
    assert not values["SECURE_SSL_REDIRECT"] and not values["SESSION_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    from django.conf import settings

    for url in ("/", "/accounts/login/", "/query/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    policy = settings.CONTENT_SECURITY_POLICY
    assert (
        "script-src 'self';" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.I)
CDN = re.compile(r"(?:src|href)\s*=\s*[\"'](?:https?:)?//", re.I)


def test_no_template_needs_inline_script_or_a_cdn():
    offenders = []
    for template in sorted((ROOT / "beian").rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL, CDN):
            for match in pattern.finditer(text):
                offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)[:60]}")
    assert offenders == []


def _database(env_extra: dict, tmp_path: Path) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(json.dumps({'age': d['CONN_MAX_AGE'], 'health': d['CONN_HEALTH_CHECKS']}))"
    )
    env = _clean_env()
    env.update(env_extra)
    env.update({"BEIAN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "beian.settings"})
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_web_processes_keep_their_database_connections(tmp_path):
    # Issue 19: a new PostgreSQL connection cost 2.5 ms a query. Kept 60 s with
    # a health check before reuse; BEIAN_DB_CONN_MAX_AGE changes it, 0 turns it off.
    production = readme_production_env()
    assert production["DATABASE_URL"].startswith("postgresql://")
    assert _database(production, tmp_path) == {"age": 60, "health": True}
    tuned = {**production, "BEIAN_DB_CONN_MAX_AGE": "300"}
    assert _database(tuned, tmp_path) == {"age": 300, "health": True}
    off = {**production, "BEIAN_DB_CONN_MAX_AGE": "0"}
    assert _database(off, tmp_path) == {"age": 0, "health": False}
    # SQLite opens a file: one connection per request unless asked.
    sqlite = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert _database(sqlite, tmp_path) == {"age": 0, "health": False}
