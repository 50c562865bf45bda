"""Running the hub as a service: the production server, /healthz, structured logs, the deployment
checks, the Content-Security-Policy and Cache-Control on private answers."""

import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from slihub.web import health
from slihub.web.management.commands import serve
from tests.integration.html import page

SLIHUB = Path(sys.executable).with_name("slihub")
PYTHON = sys.executable
TEMPLATES = sorted(Path(__file__).resolve().parents[2].glob("slihub/*/templates/**/*.html"))
HOST = "slihub.example.org"


def environment(tmp_path, **extra) -> dict:
    """The environment of a fresh process on its own SQLite database (never the tests' database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLIHUB_") and k != "DATABASE_URL"}
    env |= {"SLIHUB_VAR_DIR": str(tmp_path), "SLIHUB_DATA_DIR": ""}
    return env | extra


def production(tmp_path, **extra) -> dict:
    return environment(
        tmp_path,
        SLIHUB_ENV="production",
        SLIHUB_SECRET_KEY=secrets.token_urlsafe(50),
        SLIHUB_ALLOWED_HOSTS=HOST,
        **extra,
    )


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )


# --- /healthz


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_with_the_reason_when_the_database_fails(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection to server at 10.0.0.5 failed: Connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    answer = response.json()
    assert answer["status"] == "error" and answer["database"] == "error"
    assert "OperationalError" in answer["reason"]
    assert "10.0.0.5" not in answer["reason"]  # host names go to the log, not to whoever asks
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_postgresql_is_unreachable(tmp_path):
    """A real failure, in a process of its own: a PostgreSQL server that is not there."""
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.json(), 'cache': r['Cache-Control']}))\n"
    )
    env = environment(
        tmp_path,
        DJANGO_SETTINGS_MODULE="slihub.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
        SLIHUB_LOG_FORMAT="json",
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["database"] == "error"
    assert "no-store" in answer["cache"]


def test_in_production_healthz_answers_plain_http_while_pages_redirect_to_https(tmp_path):
    """Load balancers probe each web server directly, over http."""
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        f"c = Client(headers={{'host': '{HOST}'}})\n"
        "print(c.get('/healthz').status_code, c.get('/map/').status_code, c.get('/map/')['Location'])\n"
    )
    result = run_python(code, production(tmp_path, DJANGO_SETTINGS_MODULE="slihub.settings"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["200", "301", f"https://{HOST}/map/"]


def test_healthz_is_open_to_signed_out_visitors_and_refuses_writes(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


# --- Request logs


def request_records(caplog):
    return [r for r in caplog.records if r.name == "slihub.request"]


def test_each_request_is_logged_once_with_its_method_path_status_duration_and_id(client, db, caplog):
    caplog.set_level(logging.INFO, logger="slihub.request")
    response = client.get("/healthz")
    [record] = request_records(caplog)
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.user_id is None
    assert re.fullmatch(r"[0-9a-f]{32}", record.request_id)
    assert response["X-Request-ID"] == record.request_id


def test_the_request_log_names_the_signed_in_user(as_persona, people, caplog):
    caplog.set_level(logging.INFO, logger="slihub.request")
    response = as_persona("camden_analyst").get("/authorities/202/contacts/")
    assert response.status_code == 200
    [record] = request_records(caplog)
    assert record.user_id == people["camden_analyst"].pk
    assert record.path == "/authorities/202/contacts/"


def test_a_plain_request_id_from_the_proxy_is_kept_and_any_other_replaced(client, db, caplog):
    caplog.set_level(logging.INFO, logger="slihub.request")
    assert client.get("/healthz", headers={"X-Request-ID": "edge-4f2a.17"})["X-Request-ID"] == "edge-4f2a.17"
    for given in ("<script>", "x" * 65, "a b"):
        assert client.get("/healthz", headers={"X-Request-ID": given})["X-Request-ID"] != given
    assert [r.request_id for r in request_records(caplog)][0] == "edge-4f2a.17"


def test_an_address_with_a_line_break_cannot_forge_a_log_line(client, db, caplog):
    caplog.set_level(logging.INFO, logger="slihub.request")
    client.get("/healthz%0A2026-12-14 INFO slihub.request GET /admin/ 200")
    [record] = request_records(caplog)
    assert "\n" not in record.getMessage()
    assert record.path.startswith("/healthz\n")  # the JSON field keeps the address as it came, escaped


def test_production_logs_every_line_as_one_json_object(tmp_path):
    """SLIHUB_ENV=production without SLIHUB_LOG_FORMAT: JSON lines, the request line with its fields, and
    Django's own report of the refused request carrying the same request id."""
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        f"c.get('/healthz', secure=True, headers={{'host': '{HOST}'}})\n"
        f"c.post('/healthz', secure=True, headers={{'host': '{HOST}', 'x-request-id': 'refused-1'}})\n"
    )
    result = run_python(code, production(tmp_path, DJANGO_SETTINGS_MODULE="slihub.settings"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # fails on any line that is not one JSON object
    requests = [r for r in records if r["logger"] == "slihub.request"]
    assert [(r["method"], r["path"], r["status"], r["user_id"]) for r in requests] == [
        ("GET", "/healthz", 200, None),
        ("POST", "/healthz", 405, None),
    ]
    assert all(isinstance(r["duration_ms"], float) and r["level"] == "INFO" and r["time"] for r in requests)
    assert requests[1]["request_id"] == "refused-1"
    refused = [r for r in records if r["logger"] == "django.request"]
    assert refused and refused[0]["request_id"] == "refused-1"
    assert "Method Not Allowed" in refused[0]["message"]


def test_development_logs_are_plain_text(tmp_path):
    code = "import django; django.setup()\nfrom django.test import Client\nClient().get('/healthz')\n"
    result = run_python(code, environment(tmp_path, DJANGO_SETTINGS_MODULE="slihub.settings"))
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "slihub.request" in line]
    assert "INFO slihub.request" in line and "GET /healthz 200" in line
    assert not line.startswith("{")


def test_an_unknown_log_format_is_refused(tmp_path):
    result = subprocess.run(
        [str(SLIHUB), "check"],
        env=environment(tmp_path, SLIHUB_LOG_FORMAT="xml"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SLIHUB_LOG_FORMAT must be 'json' or 'text'" in result.stderr


# --- Deployment checks


@pytest.mark.parametrize("ssl_redirect", [None, "0"], ids=["redirecting", "behind-a-tls-proxy"])
def test_check_deploy_is_silent_in_production(tmp_path, ssl_redirect):
    extra = {"SLIHUB_SSL_REDIRECT": ssl_redirect} if ssl_redirect else {}
    result = subprocess.run(
        [str(SLIHUB), "check", "--deploy", "--fail-level", "WARNING"],
        env=production(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_only_the_redirect_check_is_silenced_and_only_behind_a_tls_proxy(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(settings.SILENCED_SYSTEM_CHECKS)\n"
    )
    env = production(tmp_path, DJANGO_SETTINGS_MODULE="slihub.settings")
    assert run_python(code, env).stdout.strip() == "[]"
    behind_proxy = run_python(code, env | {"SLIHUB_SSL_REDIRECT": "0"})
    assert behind_proxy.stdout.strip() == "['security.W008']", behind_proxy.stderr


# --- Content-Security-Policy

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")]
    return {name: value for name, value in parts}


@pytest.mark.parametrize(
    "path", ["/", "/map/", "/authorities/202/", "/api/v1/regions", "/api/v1/docs", "/healthz", "/nowhere/"]
)
def test_every_response_carries_the_content_security_policy(client, places, path):
    assert directives(client.get(path)) == POLICY


def test_private_pages_carry_the_content_security_policy(as_persona):
    assert directives(as_persona("camden_analyst").get("/authorities/202/contacts/")) == POLICY


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("slihub/")[-1])
def test_no_template_has_an_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"\sstyle\s*=", text), "an inline style attribute"
    assert "<style" not in text, "an inline <style> element"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, f"an inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text), "an inline event handler"


@pytest.mark.parametrize("path", ["/", "/map/", "/map/?colour=type", "/authorities/", "/authorities/202/"])
def test_published_pages_and_their_maps_use_no_inline_style_or_script(client, places, path):
    document = page(client.get(path))
    for element in document.iter():
        assert "style" not in element.attrs, f"<{element.tag} style=...> on {path}"
        if element.tag == "script":
            assert element.attrs.get("src") or element.attrs.get("type") == "application/json", path


# --- Cache-Control


def private(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return "private" in cache_control and "no-store" in cache_control


@pytest.mark.parametrize("path", ["/authorities/202/contacts/", "/exchange/", "/authorities/", "/"])
def test_answers_to_a_signed_in_user_are_private_and_not_stored(as_persona, path):
    response = as_persona("camden_analyst").get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", ["anonymous", "camden_analyst"])
@pytest.mark.parametrize("path", ["/api/v1/regions", "/api/v1/authorities/202", "/api/v1/authorities/999"])
def test_every_api_answer_is_private_and_not_stored(as_persona, persona, path):
    response = as_persona(persona).get(path)
    assert private(response), (response.status_code, response.get("Cache-Control"))


def test_a_view_that_chose_its_own_cache_control_keeps_it(as_persona):
    response = as_persona("camden_analyst").get("/healthz")
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.parametrize("cached", [False, True], ids=["page-cache-off", "page-cache-on"])
@pytest.mark.parametrize("path", ["/", "/authorities/", "/authorities/202/", "/map/"])
def test_published_pages_for_signed_out_visitors_are_not_marked_private(
    client, places, settings, path, cached
):
    settings.PAGE_CACHE = cached
    for _ in range(2):  # rendered, then (with the page cache on) from the cache
        response = client.get(path)
        assert response.status_code == 200
        assert not private(response) and "no-store" not in response.get("Cache-Control", "")


# --- The production server


def test_workers_default_to_twice_the_cores_plus_one():
    assert serve.default_workers() == 2 * serve.cores() + 1


@pytest.fixture
def started(monkeypatch):
    """The options `slihub serve` would give gunicorn, without starting it."""
    options = {}
    monkeypatch.setattr(serve.HubServer, "run", lambda server: options.update(server.options))
    monkeypatch.delenv("SLIHUB_WEB_WORKERS", raising=False)
    monkeypatch.delenv("SLIHUB_BIND", raising=False)
    return options


def test_serve_takes_workers_and_address_from_the_environment_or_its_options(started, monkeypatch):
    call_command("serve")
    assert started["workers"] == serve.default_workers()
    assert started["bind"] == ["127.0.0.1:8000"]
    assert started["timeout"] == serve.DEFAULT_TIMEOUT

    monkeypatch.setenv("SLIHUB_WEB_WORKERS", "3")
    monkeypatch.setenv("SLIHUB_BIND", "0.0.0.0:9000")
    call_command("serve")
    assert (started["workers"], started["bind"]) == (3, ["0.0.0.0:9000"])

    call_command("serve", workers="5", bind="unix:/run/slihub.sock")
    assert (started["workers"], started["bind"]) == (5, ["unix:/run/slihub.sock"])


def test_serve_logs_through_the_hubs_logging(started, settings):
    call_command("serve")
    loggers = started["logconfig_dict"]["loggers"]
    assert loggers["gunicorn.error"] == {"level": "INFO", "propagate": True}
    assert loggers["gunicorn.access"]["level"] == "WARNING"  # the hub logs each request itself
    assert started["logconfig_dict"]["handlers"] == settings.LOGGING["handlers"]
    call_command("serve", access_log=True)
    assert started["logconfig_dict"]["loggers"]["gunicorn.access"]["level"] == "INFO"


@pytest.mark.parametrize("workers", ["0", "many", "-2"])
def test_serve_refuses_a_worker_count_that_is_not_a_positive_number(started, monkeypatch, workers):
    monkeypatch.setenv("SLIHUB_WEB_WORKERS", workers)
    with pytest.raises(CommandError, match="SLIHUB_WEB_WORKERS"):
        call_command("serve")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_slihub_serve_serves_the_hub_with_gunicorn_and_json_logs(tmp_path):
    port = free_port()
    env = environment(
        tmp_path, SLIHUB_BIND=f"127.0.0.1:{port}", SLIHUB_WEB_WORKERS="1", SLIHUB_LOG_FORMAT="json"
    )
    server = subprocess.Popen(
        [str(SLIHUB), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        answer = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    answer = (response.status, json.load(response), response.headers["Server"])
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        assert answer == (200, {"status": "ok", "database": "ok"}, "gunicorn"), server.poll()
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    records = [json.loads(line) for line in errors.splitlines() if line.strip()]
    messages = [r["message"] for r in records]
    assert any(m.startswith(f"Listening at: http://127.0.0.1:{port}") for m in messages), messages
    assert any(r["logger"] == "slihub.request" and r["path"] == "/healthz" for r in records)
