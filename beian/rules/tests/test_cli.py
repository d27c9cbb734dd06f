"""The real console script, run as a user would run it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BEIAN = Path(sys.executable).with_name("beian")


def beian(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BEIAN), *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="module", autouse=True)
def _script_exists():
    if not BEIAN.exists():
        pytest.fail(f"console script not installed at {BEIAN}")


def test_valid_value_exits_0_with_one_json_object():
    run = beian("check", "id-card", "11010519491231002X")
    assert run.returncode == 0, run.stderr
    body = json.loads(run.stdout)
    assert body["ok"] is True
    assert body["facts"]["province"] == "110000"


def test_failing_value_exits_1_with_chinese_messages():
    run = beian("check", "phone", "13800138000", "--province", "苏")
    assert run.returncode == 1
    body = json.loads(run.stdout)
    assert body["errors"][0]["code"] == "phone_not_local"
    assert "江苏省" in run.stdout  # ensure_ascii=False


@pytest.mark.parametrize(
    "args",
    [
        ("check", "id-card"),
        ("check", "phone", "13800138000", "--province", "xx"),
        ("check", "website-name", "张三的读书笔记"),
    ],
)
def test_usage_errors_exit_2_with_a_message_on_stderr(args):
    run = beian(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.strip()


def test_without_a_kind_it_is_djangos_system_check():
    run = beian("check")
    assert run.returncode == 0, run.stderr
    assert "System check identified" in run.stdout
