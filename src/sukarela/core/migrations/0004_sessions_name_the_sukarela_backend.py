"""Signed-in sessions made before core.sessions.ModelBackend name Django's ModelBackend, which is
no longer in AUTHENTICATION_BACKENDS: Django would treat them as signed out. They now name the
project's subclass (same users, same checks), so nobody in the field has to sign in again."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

DJANGO = "django.contrib.auth.backends.ModelBackend"
SUKARELA = "sukarela.core.sessions.ModelBackend"


def rename(old: str, new: str):
    def run(apps, schema_editor):
        from django.contrib.sessions.backends.db import SessionStore

        Session = apps.get_model("sessions", "Session")
        store = SessionStore()
        for session in Session.objects.using(schema_editor.connection.alias).iterator():
            data = store.decode(session.session_data)  # an undecodable session decodes to {}: left alone
            if data.get(BACKEND_SESSION_KEY) == old:
                data[BACKEND_SESSION_KEY] = new
                session.session_data = store.encode(data)
                session.save(update_fields=["session_data"])
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_auditevent_actor_no_own_index"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename(DJANGO, SUKARELA), rename(SUKARELA, DJANGO))]
