"""The signed-in session and its user, read by hand-written queries.

Every request of the field app (the TKS's phone syncing visits) reads its session and its user.
Django's database session store and ModelBackend read them through the ORM, and building those
two queries cost the worker more than the database answering them (bench/field_sync: about a
third of a visit's CPU). The same rows, the same checks, one plain query each.
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sukarela.core import batch
from sukarela.core.models import User


class SessionStore(db.SessionStore):
    """SESSION_ENGINE "sukarela.core.sessions": the database store, same table and encoding."""

    def _get_session_from_db(self):
        expire = Session._meta.get_field("expire_date")
        sql = (f"SELECT {batch.columns(Session, 's')} FROM {Session._meta.db_table} s "
               "WHERE s.session_key = %s AND s.expire_date > %s")
        rows = batch.fetch([(sql, [self.session_key, expire.get_db_prep_value(timezone.now(), connection)])])[0]
        if not rows:
            self._session_key = None  # as Django's: unknown or expired, a new session starts
            return None
        return batch.instance(Session, rows[0])


class ModelBackend(DjangoModelBackend):
    """Django's ModelBackend (password sign-in, permissions), with the signed-in user read by one
    plain query. Sessions made before it name Django's class: migration core 0004 renames them."""

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)  # as the ORM's pk lookup would take it
        except ValidationError:
            return None
        sql = f"SELECT {batch.columns(User, 'u')} FROM {User._meta.db_table} u WHERE u.id = %s"
        rows = batch.fetch([(sql, [user_id])])[0]
        if not rows:
            return None
        user = batch.instance(User, rows[0])
        return user if self.user_can_authenticate(user) else None
