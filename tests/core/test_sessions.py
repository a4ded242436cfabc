"""core.sessions: the session and its user read by one query answer as Django's store and backend
do, with every check of auth.get_user kept; sessions made before them stay signed in."""

import datetime as dt
import importlib
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sukarela.core import sessions
from sukarela.core.models import Session, User
from sukarela.core.roles import Role
from sukarela.core.sessions import ModelBackend, SessionStore
from tests.conftest import make_user

RENAME = importlib.import_module("sukarela.core.migrations.0004_sessions_name_the_sukarela_backend")
MOVE = importlib.import_module("sukarela.core.migrations.0005_session_with_its_user")
BACKEND = "sukarela.core.sessions.ModelBackend"


def signed_in(user, backend=BACKEND, store=SessionStore) -> str:
    """A stored session of `user` as a sign-in leaves it; its key."""
    session = store()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend,
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    return session.session_key


def me(client, key):
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get("/api/me")
    return response.json()["username"] if response.status_code == 200 else response.status_code


def test_the_store_reads_what_it_wrote_and_forgets_an_expired_one(db):
    old = SessionStore()
    old.update({"a": 1, "nama": "Siti"})
    old.create()
    assert Session.objects.get(pk=old.session_key).user_id is None  # nobody signed in
    mine = SessionStore(old.session_key)
    assert dict(mine.items()) == {"a": 1, "nama": "Siti"}
    Session.objects.filter(pk=old.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    gone = SessionStore(old.session_key)
    assert dict(gone.items()) == {} and gone.session_key is None  # a new session starts, as Django's
    assert dict(SessionStore("x" * 32).items()) == {}


def test_signing_in_and_out_records_the_user_and_the_backend(client, db, regions):
    user = make_user("budi", Role.TKS)
    client.post("/masuk/", {"username": "budi", "password": "pw-for-tests-only"})
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(pk=key).user_id == user.pk
    assert client.get("/api/me").json()["username"] == "budi"
    client.post("/keluar/")
    assert not Session.objects.filter(user=user).exists()


def test_one_query_reads_the_session_and_its_user(client, db, regions):
    user = make_user("ani", Role.TKS)
    key = signed_in(user)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/me").json()["username"] == "ani"
    # By table name, or on PostgreSQL by the name of the prepared statement (core.batch).
    reads = [q["sql"] for q in queries.captured_queries
             if any(name in q["sql"] for name in ("core_user", "sukarela_user", "core_session", "sukarela_session"))]
    assert len(reads) == 1 and any(name in reads[0] for name in ("core_session", "sukarela_session"))
    assert sessions._reading.get() is None  # the hand-over ends with the request


def test_the_joined_user_is_judged_as_djangos_backend_would(client, db, regions):
    user = make_user("citra", Role.TKS)
    key = signed_in(user)
    assert me(client, key) == "citra"
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert me(client, key) == 401
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.set_password("a-new-password-for-tests")  # signs out every session made before
    user.save()
    assert me(client, key) == 401
    other = signed_in(User.objects.get(pk=user.pk))
    User.objects.filter(pk=user.pk).delete()  # its sessions go with it
    assert not Session.objects.filter(pk=other).exists()


def test_a_session_whose_user_column_disagrees_is_judged_by_its_data(client, db, regions):
    dewi, eko = make_user("dewi", Role.TKS), make_user("eko", Role.TKS)
    key = signed_in(dewi)
    Session.objects.filter(pk=key).update(user=eko)  # the joined row is eko's: not taken for dewi
    assert me(client, key) == "dewi"
    Session.objects.filter(pk=key).update(user=None)
    assert me(client, key) == "dewi"


def test_the_backend_reads_the_user_as_djangos_does(db, regions):
    user = make_user("fajar", Role.TKS, phone="081234567890", last_login=timezone.now())
    key = signed_in(user)
    joined = SessionStore(key)
    joined.load()
    token = sessions._reading.set(joined)
    try:
        from_join = ModelBackend().get_user(user.pk)
    finally:
        sessions._reading.reset(token)
    django = DjangoModelBackend().get_user(user.pk)
    for mine in (from_join, ModelBackend().get_user(user.pk)):
        for field in User._meta.concrete_fields:
            got, want = getattr(mine, field.attname), getattr(django, field.attname)
            assert (got, type(got)) == (want, type(want)), field.name
    assert ModelBackend().get_user(str(user.pk)) == user
    assert ModelBackend().get_user(user.pk + 1000) is None
    assert ModelBackend().get_user("abc") is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None


def run(migration_step):
    migration_step(apps, SimpleNamespace(connection=connection))


def test_sessions_made_under_djangos_backend_stay_signed_in(client, db, regions):
    user = make_user("gita", Role.TKS)
    old = DjangoSessionStore(signed_in(user, RENAME.DJANGO, DjangoSessionStore))
    old["lain"] = "tetap"
    old.save()
    other = DjangoSessionStore()  # not a signed-in session: left as it is
    other.update({"lain": 1})
    other.create()
    before = DjangoSession.objects.get(pk=other.session_key).session_data

    run(RENAME.rename(RENAME.DJANGO, RENAME.SUKARELA))
    data = DjangoSessionStore(old.session_key).load()
    assert data[BACKEND_SESSION_KEY] == RENAME.SUKARELA and data["lain"] == "tetap"
    assert DjangoSession.objects.get(pk=other.session_key).session_data == before
    run(RENAME.rename(RENAME.SUKARELA, RENAME.DJANGO))
    assert DjangoSessionStore(old.session_key).load()[BACKEND_SESSION_KEY] == RENAME.DJANGO


def test_sessions_move_to_core_session_with_their_user_and_back(client, db, regions):
    user = make_user("hadi", Role.TKS)
    key = signed_in(user, BACKEND, DjangoSessionStore)
    anonymous = DjangoSessionStore()
    anonymous.update({"lain": 1})
    anonymous.create()
    assert me(client, key) == 401  # still in django_session: not yet read

    run(MOVE.move(("sessions", "Session"), ("core", "Session")))
    assert not DjangoSession.objects.exists()
    assert dict(Session.objects.values_list("session_key", "user_id")) == {key: user.pk, anonymous.session_key: None}
    assert me(client, key) == "hadi"
    assert SessionStore(anonymous.session_key).load() == {"lain": 1}

    run(MOVE.move(("core", "Session"), ("sessions", "Session")))
    assert not Session.objects.exists()
    assert DjangoSessionStore(key).load()[SESSION_KEY] == str(user.pk)
    assert set(DjangoSession.objects.values_list("session_key", flat=True)) == {key, anonymous.session_key}
