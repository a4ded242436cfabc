"""Passwords, login throttling, CSRF and the production settings."""

import importlib
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from sukarela.core.roles import Role
from tests.conftest import make_user

PROJECT_SETTINGS = importlib.import_module("sukarela.settings")


def test_production_hasher_is_argon2(db, settings):
    settings.PASSWORD_HASHERS = PROJECT_SETTINGS.PASSWORD_HASHERS
    user = make_user("argon", Role.NATIONAL)
    assert user.password.startswith("argon2$")
    assert user.check_password("pw-for-tests-only")


def test_login_form_signs_in(client, world):
    response = client.post(reverse("core:login"), {"username": "kab-bogor", "password": "pw-for-tests-only"})
    assert response.status_code == 302
    assert client.get(reverse("core:user_list")).status_code == 200


def test_login_is_locked_after_five_failures(client, world):
    url = reverse("core:login")
    for _ in range(5):
        response = client.post(url, {"username": "kab-bogor", "password": "salah"})
        assert response.status_code in (200, 429)
    locked = client.post(url, {"username": "kab-bogor", "password": "pw-for-tests-only"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()
    assert client.get(reverse("core:user_list")).status_code == 302  # still signed out
    # Another account from the same address is not locked by that.
    ok = client.post(url, {"username": "prov-jabar", "password": "pw-for-tests-only"})
    assert ok.status_code == 302


def test_login_requires_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:login"), {"username": "kab-bogor", "password": "pw-for-tests-only"})
    assert response.status_code == 403


def test_session_cookie_is_http_only(client, world):
    client.post(reverse("core:login"), {"username": "kab-bogor", "password": "pw-for-tests-only"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"].lower() == "lax"


def _check_deploy(env_extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SUKARELA_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}} | env_extra
    return subprocess.run(
        [sys.executable, "-m", "sukarela", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check_deploy({
        "SUKARELA_DEPLOY": "1",
        "SUKARELA_SECRET_KEY": secrets.token_urlsafe(64),
        "SUKARELA_ALLOWED_HOSTS": "sukarela.kemnaker.example",
        "SUKARELA_DATA_DIR": str(tmp_path),
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check_deploy({"SUKARELA_DEPLOY": "1", "SUKARELA_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SUKARELA_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("path", ["/", "/masuk/"])
def test_pages_send_security_headers(client, db, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
