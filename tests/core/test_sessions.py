"""core.sessions: the session store and ModelBackend that read their rows by plain queries answer
as Django's own do; sessions made under Django's backend are renamed, not signed out."""

import datetime as dt
import importlib
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.core.sessions import ModelBackend, SessionStore
from tests.conftest import make_user

MIGRATION = importlib.import_module("sukarela.core.migrations.0004_sessions_name_the_sukarela_backend")


def test_the_store_reads_what_djangos_store_wrote_and_forgets_an_expired_one(db):
    old = DjangoSessionStore()
    old.update({"a": 1, "nama": "Siti"})
    old.create()
    mine = SessionStore(old.session_key)
    assert dict(mine.items()) == {"a": 1, "nama": "Siti"}
    Session.objects.filter(pk=old.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    gone = SessionStore(old.session_key)
    assert dict(gone.items()) == {} and gone.session_key is None  # a new session starts, as Django's
    assert dict(SessionStore("x" * 32).items()) == {}


def test_the_backend_reads_the_user_as_djangos_does(db, regions):
    user = make_user("ani", Role.TKS, phone="081234567890", last_login=timezone.now())
    mine, django = ModelBackend().get_user(user.pk), DjangoModelBackend().get_user(user.pk)
    for field in User._meta.concrete_fields:
        got, want = getattr(mine, field.attname), getattr(django, field.attname)
        assert (got, type(got)) == (want, type(want)), field.name
    assert ModelBackend().get_user(str(user.pk)) == user
    assert ModelBackend().get_user(user.pk + 1000) is None
    assert ModelBackend().get_user("abc") is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None


def test_signing_in_records_the_backend_that_reads_the_user(client, db, regions):
    make_user("budi", Role.TKS)
    client.post("/masuk/", {"username": "budi", "password": "pw-for-tests-only"})
    assert client.session[BACKEND_SESSION_KEY] == "sukarela.core.sessions.ModelBackend"
    assert client.get("/api/me").json()["username"] == "budi"


def test_sessions_made_under_djangos_backend_stay_signed_in(client, db, regions):
    user = make_user("citra", Role.TKS)
    old = DjangoSessionStore()
    old.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: MIGRATION.DJANGO,
                "_auth_user_hash": user.get_session_auth_hash(), "lain": "tetap"})
    old.create()
    other = DjangoSessionStore()  # not a signed-in session: left as it is
    other.update({"lain": 1})
    other.create()
    before = Session.objects.get(pk=other.session_key).session_data
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    assert client.get("/api/me").status_code == 401  # Django's backend is no longer listed

    MIGRATION.rename(MIGRATION.DJANGO, MIGRATION.SUKARELA)(apps, SimpleNamespace(connection=connection))
    data = SessionStore(old.session_key).load()
    assert data[BACKEND_SESSION_KEY] == MIGRATION.SUKARELA and data["lain"] == "tetap"
    assert Session.objects.get(pk=other.session_key).session_data == before
    assert client.get("/api/me").json()["username"] == "citra"

    MIGRATION.rename(MIGRATION.SUKARELA, MIGRATION.DJANGO)(apps, SimpleNamespace(connection=connection))
    assert SessionStore(old.session_key).load()[BACKEND_SESSION_KEY] == MIGRATION.DJANGO
