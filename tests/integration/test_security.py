"""Production settings pass Django's deployment checks; repeated wrong passwords lock an account."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from tests.integration.html import heading, page

SLIHUB = Path(sys.executable).with_name("slihub")
LOGIN = "/accounts/login/"


def production_env(tmp_path, **extra) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # never a real database
    return (
        environment
        | {
            "SLIHUB_ENV": "production",
            "SLIHUB_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
            "SLIHUB_ALLOWED_HOSTS": "slihub.example.org",
            "SLIHUB_VAR_DIR": str(tmp_path),
        }
        | extra
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = subprocess.run(
        [str(SLIHUB), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SLIHUB_SECRET_KEY"]
    result = subprocess.run(
        [str(SLIHUB), "check"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "'SLIHUB_SECRET_KEY' must be set when SLIHUB_ENV=production" in result.stderr


def test_the_development_settings_do_not_secure_cookies(settings):
    # The deployment check above covers production; this guards against the wrong mode in tests.
    assert not settings.PRODUCTION


# ---------------------------------------------------------------- login throttling


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_signs_in_with_the_right_password(client, camden_analyst):
    response = sign_in(client, "camden.analyst", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(camden_analyst.pk)


def test_it_says_what_is_wrong_with_a_wrong_password(client, camden_analyst):
    response = sign_in(client, "camden.analyst", "not the password")
    assert response.status_code == 200
    summary = page(response).one(class_="govuk-error-summary")
    assert "Enter a correct username and password." in summary.text
    assert "_auth_user_id" not in client.session


def test_it_locks_an_account_after_five_wrong_passwords(client, camden_analyst):
    for _ in range(4):
        assert sign_in(client, "camden.analyst", "wrong password").status_code == 200
    fifth = sign_in(client, "camden.analyst", "wrong password")
    assert fifth.status_code == 429

    sixth = sign_in(client, "camden.analyst", PASSWORD)

    assert sixth.status_code == 429
    assert heading(page(sixth)) == "Too many attempts to sign in"
    assert "paused for 15 minutes after 5 wrong passwords" in page(sixth).one("main").text
    assert "_auth_user_id" not in client.session
    # Locked per username and address: another person signs in as usual.
    assert sign_in(client, "leeds.admin", PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock_an_account(client, camden_analyst):
    for _ in range(4):
        sign_in(client, "camden.analyst", "wrong password")
    assert sign_in(client, "camden.analyst", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "path", ["/authorities/202/contacts/", "/api/v1/authorities/202/contacts", "/authorities/202/"]
)
def test_responses_carry_the_protective_headers(client, places, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
