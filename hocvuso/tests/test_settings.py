"""Settings come from the environment; a bad value stops start-up with a clear message."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Every variable documented in .env.example, plus any a developer may have exported.
# Every variable the settings read is documented in .env.example.
OUR_VARIABLES = {
    line.partition("=")[0].strip()
    for line in (PROJECT_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'DEBUG': s.DEBUG, 'DATA_DIR': str(s.DATA_DIR), "
    "'DB_NAME': str(s.DATABASES['default']['NAME']), "
    "'ENGINE': s.DATABASES['default']['ENGINE'], "
    "'AXES_FAILURE_LIMIT': s.AXES_FAILURE_LIMIT, "
    "'AXES_COOLOFF_MINUTES': s.AXES_COOLOFF_TIME.total_seconds() / 60, "
    "'ALLOWED_HOSTS': s.ALLOWED_HOSTS, "
    "'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE}))"
)
GOOD_SECRET = "k" * 30 + "-Z9x" * 10


def start(tmp_path, code="import django; django.setup()", **variables):
    env = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "hocvuso.settings"
    env.setdefault("DATA_DIR", str(tmp_path / "data"))
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def start_and_show(tmp_path, **variables) -> dict:
    result = start(tmp_path, SHOW, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fails_with(result, *words):
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured"), last_line
    for word in words:
        assert word in last_line, last_line


def read_settings(monkeypatch, tmp_path, **variables) -> dict:
    """Run hocvuso/settings.py in this process with the given environment (fast)."""
    for name in OUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(PROJECT_DIR / "hocvuso" / "settings.py"))


# Start-up in a fresh interpreter, as a server process would ------------------------


def test_the_default_environment_starts_in_development_on_sqlite(tmp_path):
    shown = start_and_show(tmp_path)

    assert shown["DEBUG"] is True
    assert shown["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(shown["DB_NAME"]) == (tmp_path / "data" / "hocvuso.sqlite3").resolve()
    assert shown["AXES_FAILURE_LIMIT"] == 5
    assert shown["AXES_COOLOFF_MINUTES"] == 15
    assert (tmp_path / "data").is_dir()


def test_debug_maybe_stops_start_up_naming_debug(tmp_path):
    fails_with(start(tmp_path, DEBUG="maybe"), "DEBUG", "true or false", "'maybe'")


def test_production_without_a_secret_key_stops_start_up_naming_it(tmp_path):
    fails_with(start(tmp_path, DEBUG="false", ALLOWED_HOSTS="hocvuso.example.vn"), "SECRET_KEY")


def test_a_mysql_database_url_stops_start_up(tmp_path):
    fails_with(start(tmp_path, DATABASE_URL="mysql://x"), "DATABASE_URL")


def test_a_login_failure_limit_that_is_not_a_number_stops_start_up(tmp_path):
    fails_with(start(tmp_path, LOGIN_FAILURE_LIMIT="abc"), "LOGIN_FAILURE_LIMIT", "whole number")


# The same rules, checked in-process ------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "2", "tru"])
def test_a_debug_value_that_is_not_true_or_false_is_refused(monkeypatch, tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        read_settings(monkeypatch, tmp_path, DEBUG=value)


@pytest.mark.parametrize(("value", "expected"), [("FALSE", False), (" yes ", True), ("0", False)])
def test_debug_accepts_the_usual_spellings(monkeypatch, tmp_path, value, expected):
    variables = {"DEBUG": value}
    if not expected:
        variables |= {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "hocvuso.example.vn"}

    assert read_settings(monkeypatch, tmp_path, **variables)["DEBUG"] is expected


def test_production_with_a_short_secret_key_is_refused(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be at least 50"):
        read_settings(monkeypatch, tmp_path, DEBUG="false", SECRET_KEY="ngan", ALLOWED_HOSTS="a.vn")


def test_production_without_allowed_hosts_is_refused(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        read_settings(monkeypatch, tmp_path, DEBUG="false", SECRET_KEY=GOOD_SECRET)


def test_production_with_everything_set_uses_secure_cookies(monkeypatch, tmp_path):
    values = read_settings(
        monkeypatch,
        tmp_path,
        DEBUG="false",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="hocvuso.example.vn, www.hocvuso.example.vn",
    )

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["hocvuso.example.vn", "www.hocvuso.example.vn"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True


@pytest.mark.parametrize("url", ["mysql://u:p@localhost/db", "oracle://u:p@h/db", "khong-phai-url"])
def test_an_unsupported_or_broken_database_url_is_refused(monkeypatch, tmp_path, url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        read_settings(monkeypatch, tmp_path, DATABASE_URL=url)


def test_a_postgres_url_is_accepted(monkeypatch, tmp_path):
    values = read_settings(
        monkeypatch, tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:5432/hocvuso"
    )

    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert values["DATABASES"]["default"]["NAME"] == "hocvuso"


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "whole number"), ("5.5", "whole number"), ("0", "at least 1"), ("-3", "at least 1")],
)
def test_a_bad_login_failure_limit_is_refused(monkeypatch, tmp_path, value, message):
    with pytest.raises(ImproperlyConfigured, match=f"LOGIN_FAILURE_LIMIT must be .*{message}"):
        read_settings(monkeypatch, tmp_path, LOGIN_FAILURE_LIMIT=value)


def test_the_login_failure_limit_and_lockout_minutes_are_read(monkeypatch, tmp_path):
    values = read_settings(
        monkeypatch, tmp_path, LOGIN_FAILURE_LIMIT=" 3 ", LOGIN_LOCKOUT_MINUTES="30"
    )

    assert values["AXES_FAILURE_LIMIT"] == 3
    assert values["AXES_COOLOFF_TIME"].total_seconds() == 30 * 60


def test_an_empty_data_dir_as_in_env_example_keeps_the_default_data_folder(monkeypatch, tmp_path):
    # .env.example ships "DATA_DIR=" (empty) and documents "Default: ./data".
    values = read_settings(monkeypatch, tmp_path, DATA_DIR="")

    assert Path(values["DATA_DIR"]) == PROJECT_DIR / "data"
    assert Path(values["DATABASES"]["default"]["NAME"]).is_absolute()


def test_every_variable_in_env_example_is_one_the_settings_read(monkeypatch, tmp_path):
    variables = {}
    for line in (PROJECT_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name.strip()] = value
    settings_source = (PROJECT_DIR / "hocvuso" / "settings.py").read_text(encoding="utf-8")
    for name in variables:
        assert f'"{name}"' in settings_source, name
