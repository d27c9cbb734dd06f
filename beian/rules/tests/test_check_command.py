"""The `check` command in-process (fast); test_cli.py runs the real console script."""

import io
import json

import pytest
from django.core.management import call_command


def run(*args, **options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check", *args, stdout=out, stderr=err, **options)
    return exited.value.code, out.getvalue(), err.getvalue()


def test_english_messages():
    code, out, _ = run("domain", "foo.io", lang="en")
    assert code == 1
    assert "not approved" in json.loads(out)["errors"][0]["message"]


def test_subject_type_and_province_reach_the_check():
    code, out, _ = run("website-name", "张三的读书导航页", subject_type="individual", province="豫")
    assert code == 1
    assert json.loads(out)["errors"][0]["code"] == "website_name_banned_word"


def test_extra_arguments_are_a_usage_error():
    code, out, err = run("domain", "a.com", "b.com")
    assert code == 2 and out == "" and "usage" in err


def test_unknown_kind_is_a_usage_error_not_a_traceback():
    code, out, err = run("no-such-kind", "x")
    assert code == 2 and out == ""
    assert "id-card" in err


def test_app_labels_still_go_to_djangos_check():
    out = io.StringIO()
    call_command("check", "rules", stdout=out)
    assert "System check identified no issues" in out.getvalue()
