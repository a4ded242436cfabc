"""The signed-in session and its user, read together by one hand-written query.

Every request of the field app (the TKS's phone syncing visits) reads its session and its user.
Django's database session store and ModelBackend read them by two ORM queries, and building
those cost the worker more than the database answering them (bench/field_sync). Here the session
row (core.Session, which keeps the user's id in a column) is read joined to its user; the
AuthenticationMiddleware below hands that user to the ModelBackend for this request only, and
Django's own auth.get_user still makes every check (backend listed, user active, session hash).
"""

from contextvars import ContextVar

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from sukarela.core import batch
from sukarela.core.models import Session, User

# The session store of the request whose user auth.get_user is reading, while it reads it.
_reading: ContextVar["SessionStore | None"] = ContextVar("sukarela_session_being_read", default=None)


def _user_pk(value):
    """A user id as the ORM's pk lookup would take it, or None when it is not one."""
    try:
        return User._meta.pk.to_python(value)
    except ValidationError:
        return None


class SessionStore(db.SessionStore):
    """SESSION_ENGINE "sukarela.core.sessions": Django's database store (same encoding, same
    expiry) on core.Session, which also records the signed-in user's id."""

    # (the user id column, that user's row or None) as the last load read them.
    _joined = None

    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_pk(data.get(SESSION_KEY))
        return session

    def _get_session_from_db(self):
        self._joined = None
        expire = Session._meta.get_field("expire_date")
        sql = (f"SELECT {batch.columns(Session, 's')}, {batch.columns(User, 'u')} "
               f"FROM {Session._meta.db_table} s LEFT JOIN {User._meta.db_table} u ON u.id = s.user_id "
               "WHERE s.session_key = %s AND s.expire_date > %s")
        params = [self.session_key, expire.get_db_prep_value(timezone.now(), connection)]
        rows = batch.fetch([batch.statement("sukarela_session", sql, ("varchar", "timestamptz"), params)])[0]
        if not rows:
            self._session_key = None  # as Django's: unknown or expired, a new session starts
            return None
        width = len(Session._meta.concrete_fields)
        session, user = rows[0][:width], rows[0][width:]
        session = batch.instance(Session, session)
        self._joined = (session.user_id, batch.instance(User, user) if user[0] is not None else None)
        return session

    def joined_user(self, user_id):
        """(True, the user or None) when this session's load already read user `user_id`'s row
        (None: no such user); (False, None) when it did not, and the user must be read."""
        if self._joined is None or self._joined[0] != user_id:
            return False, None
        return True, self._joined[1]


class ModelBackend(DjangoModelBackend):
    """Django's ModelBackend (password sign-in, permissions). The signed-in user comes from the
    row the session's query joined, or else from one plain query. Sessions made before it name
    Django's class: migration core 0004 renamed them."""

    def get_user(self, user_id):
        user_id = _user_pk(user_id)
        if user_id is None:
            return None
        store = _reading.get()
        read, user = store.joined_user(user_id) if store is not None else (False, None)
        if not read:
            sql = f"SELECT {batch.columns(User, 'u')} FROM {User._meta.db_table} u WHERE u.id = %s"
            rows = batch.fetch([batch.statement("sukarela_user", sql, ("bigint",), [user_id])])[0]
            user = batch.instance(User, rows[0]) if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        reading = _reading.set(request.session if isinstance(request.session, SessionStore) else None)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _reading.reset(reading)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with request.user read by auth.get_user while this request's session is the one
    ModelBackend may take the joined user from."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))
