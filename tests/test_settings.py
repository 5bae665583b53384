"""Configuration comes from the environment, and a bad production value stops start-up with a
message that names the variable to fix."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from microintern import envconfig

PROJECT_DIR = Path(__file__).resolve().parents[1]


# --- database_config --------------------------------------------------------------------------


def test_it_reads_a_postgres_url() -> None:
    config = envconfig.database_config("postgres://portal:s3cret@db.internal:5433/portal")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("portal", "portal", "s3cret")
    assert (config["HOST"], config["PORT"]) == ("db.internal", 5433)


def test_it_reads_a_postgresql_scheme_too() -> None:
    config = envconfig.database_config("postgresql://portal:pw@127.0.0.1/portal")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"


def test_it_reads_a_sqlite_url_with_an_absolute_path() -> None:
    config = envconfig.database_config("sqlite:////srv/portal/db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/portal/db.sqlite3"


@pytest.mark.filterwarnings("ignore:Engine not recognized")
@pytest.mark.parametrize(
    "url",
    ["not-a-url", "mysql://portal:pw@db/portal", "oracle://portal:pw@db/portal", ""],
)
def test_it_refuses_a_database_url_it_cannot_use(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        envconfig.database_config(url)


def test_it_refuses_a_postgres_url_without_a_database_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL names no database"):
        envconfig.database_config("postgres://portal:pw@db.internal:5432/")


# --- secret_key -----------------------------------------------------------------------------------


def test_it_requires_a_secret_key_in_production() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        envconfig.secret_key(None, debug=False)


def test_it_refuses_an_empty_secret_key_in_production() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        envconfig.secret_key("", debug=False)


def test_it_refuses_a_short_secret_key_in_production() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is too weak"):
        envconfig.secret_key("x" * 49, debug=False)


def test_it_refuses_djangos_insecure_prefix_in_production() -> None:
    long_but_insecure = "django-insecure-" + "a" * 60

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is too weak"):
        envconfig.secret_key(long_but_insecure, debug=False)


def test_it_accepts_a_strong_secret_key_in_production() -> None:
    key = secrets.token_urlsafe(64)

    assert envconfig.secret_key(key, debug=False) == key


def test_it_accepts_a_key_of_exactly_the_minimum_length() -> None:
    key = "y" * envconfig.MIN_SECRET_KEY_LENGTH

    assert envconfig.secret_key(key, debug=False) == key


def test_it_falls_back_to_an_insecure_development_key_in_debug() -> None:
    key = envconfig.secret_key(None, debug=True)

    assert key.startswith(envconfig.INSECURE_SECRET_KEY_PREFIX)


def test_it_keeps_a_given_key_in_debug() -> None:
    assert envconfig.secret_key("short-but-mine", debug=True) == "short-but-mine"


# --- allowed_hosts and redis_url ----------------------------------------------------------------


def test_it_requires_allowed_hosts_in_production() -> None:
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        envconfig.allowed_hosts([], debug=False)


def test_it_keeps_the_allowed_hosts_given_in_production() -> None:
    hosts = ["portal.example.edu", "www.portal.example.edu"]

    assert envconfig.allowed_hosts(hosts, debug=False) == hosts


def test_it_allows_local_hosts_in_debug_when_none_are_given() -> None:
    hosts = envconfig.allowed_hosts([], debug=True)

    assert {"localhost", "127.0.0.1", "testserver"} <= set(hosts)


def test_it_has_no_redis_without_redis_url() -> None:
    assert envconfig.redis_url(None) is None
    assert envconfig.redis_url("") is None


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.internal:6380/1"])
def test_it_accepts_redis_urls(url: str) -> None:
    assert envconfig.redis_url(url) == url


def test_it_refuses_a_redis_url_of_another_scheme() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        envconfig.redis_url("http://127.0.0.1:6379/0")


def test_it_creates_the_filesystem_broker_folders(tmp_path: Path) -> None:
    options = envconfig.filesystem_broker_options(tmp_path / "broker")

    assert options["data_folder_in"] == options["data_folder_out"]
    assert all(Path(folder).is_dir() for folder in options.values())


# --- start-up in a fresh process ------------------------------------------------------------------


def project_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The current environment for a child process, with its own VAR_DIR and `overrides`.

    A value of "" removes the variable, so that the child sees it unset.
    """
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; deploy checks refuse it
    env["DJANGO_SETTINGS_MODULE"] = "microintern.settings"
    env["VAR_DIR"] = str(tmp_path / "var")
    for name, value in overrides.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_line(stderr: str) -> str:
    """The exception line of a traceback (the source lines above it name variables too)."""
    return stderr.strip().splitlines()[-1]


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path: Path) -> None:
    env = project_env(tmp_path, DEBUG="false", SECRET_KEY="", ALLOWED_HOSTS="portal.example.edu")

    result = run_python(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert last_line(result.stderr).startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert "SECRET_KEY must be set" in last_line(result.stderr)


def test_it_refuses_to_start_with_a_garbage_database_url(tmp_path: Path) -> None:
    env = project_env(tmp_path, DEBUG="true", DATABASE_URL="garbage")

    result = run_python(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert last_line(result.stderr).startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert "DATABASE_URL must start with postgres://" in last_line(result.stderr)


def test_an_empty_database_url_means_the_default_sqlite_file(tmp_path: Path) -> None:
    env = project_env(tmp_path, DEBUG="true")
    env["DATABASE_URL"] = ""  # set, but empty (project_env would remove it)

    result = run_python(
        ["-c", "import django; django.setup(); from django.db import connection; "
         "print(connection.vendor, connection.settings_dict['NAME'])"],
        env,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", str(tmp_path / "var" / "db.sqlite3")]


def test_it_passes_the_deployment_checks_with_production_values(tmp_path: Path) -> None:
    env = project_env(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 random characters
        ALLOWED_HOSTS="portal.example.edu",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        REDIS_URL="",
        SECURE_SSL_REDIRECT="",
        SECURE_HSTS_SECONDS="",
    )

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


# --- what production settings do to requests ------------------------------------------------------

PROBE_REQUESTS = """
import json
import django

django.setup()
from django.test import Client

client = Client()
plain_home = client.get("/")
plain_health = client.get("/healthz")
secure_health = client.get("/healthz", secure=True)
print(json.dumps({
    "plain_home": [plain_home.status_code, plain_home.get("Location")],
    "plain_health": [plain_health.status_code, plain_health.get("Location")],
    "secure_headers": {name.lower(): value for name, value in secure_health.items()},
}))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Responses of an app started with production settings (one process for the module)."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = project_env(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="portal.example.edu,testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        REDIS_URL="",
        SECURE_SSL_REDIRECT="",
        SECURE_HSTS_SECONDS="",
    )
    result = run_python(["-c", PROBE_REQUESTS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_redirects_plain_http_to_https_in_production(production_responses: dict) -> None:
    assert production_responses["plain_home"] == [301, "https://testserver/"]


def test_it_lets_load_balancers_probe_healthz_over_plain_http(
    production_responses: dict,
) -> None:
    assert production_responses["plain_health"] == [200, None]


def test_it_sends_hsts_and_a_content_security_policy_in_production(
    production_responses: dict,
) -> None:
    headers = production_responses["secure_headers"]

    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


# --- logs and error reporting in production -------------------------------------------------------

LOG_ONE_EVENT = """
import logging
import django

django.setup()
logging.getLogger("microintern.probe").warning("Redis is down for %s", "the probe")
"""


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return project_env(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="portal.example.edu",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        **overrides,
    )


def test_it_logs_one_json_object_per_event_in_production(tmp_path: Path) -> None:
    result = run_python(["-c", LOG_ONE_EVENT], production_env(tmp_path, LOG_FORMAT=""))

    assert result.returncode == 0, result.stderr
    event = json.loads(result.stderr.strip().splitlines()[-1])
    assert event["level"] == "WARNING"
    assert event["logger"] == "microintern.probe"
    assert event["message"] == "Redis is down for the probe"
    assert event["timestamp"].endswith("+00:00")  # ISO 8601, in UTC, with the zone


def test_it_refuses_an_unknown_log_format(tmp_path: Path) -> None:
    result = run_python(["-c", LOG_ONE_EVENT], production_env(tmp_path, LOG_FORMAT="xml"))

    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text." in last_line(result.stderr)


REPORTING_STATE = """
import django

django.setup()
import sentry_sdk

client = sentry_sdk.get_client()
print(client.is_active(), client.options.get("send_default_pii"))
"""


def test_error_reporting_is_off_without_a_dsn(tmp_path: Path) -> None:
    result = run_python(["-c", REPORTING_STATE], production_env(tmp_path, SENTRY_DSN=""))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_error_reporting_is_on_with_a_dsn_and_sends_no_personal_data(tmp_path: Path) -> None:
    # A DSN on a closed loopback port: configured, and nothing can leave the machine.
    dsn = "http://public@127.0.0.1:6392/1"
    result = run_python(["-c", REPORTING_STATE], production_env(tmp_path, SENTRY_DSN=dsn))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
