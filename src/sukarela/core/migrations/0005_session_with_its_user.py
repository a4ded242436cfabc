"""Sessions move from Django's django_session to core_session, which records the signed-in
user's id beside the session so one query reads both (core.sessions). Every session moves as it
is, so nobody is signed out by the upgrade; reversed, they move back."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import migrations, models

BATCH = 1000


def move(source: tuple[str, str], target: tuple[str, str]):
    def run(apps, schema_editor):
        # Django's store decodes: its salt is its class name, "SessionStore", which core.sessions' shares.
        from django.contrib.sessions.backends.db import SessionStore

        alias, store = schema_editor.connection.alias, SessionStore()
        From, To = apps.get_model(*source), apps.get_model(*target)
        has_user = any(f.name == "user" for f in To._meta.fields)
        rows = []
        for old in From.objects.using(alias).iterator(chunk_size=BATCH):
            new = To(session_key=old.session_key, session_data=old.session_data, expire_date=old.expire_date)
            if has_user:
                user_id = store.decode(old.session_data).get(SESSION_KEY)  # undecodable: {}, no user
                new.user_id = int(user_id) if str(user_id or "").isdigit() else None
            rows.append(new)
            if len(rows) == BATCH:
                To.objects.using(alias).bulk_create(rows)
                rows = []
        To.objects.using(alias).bulk_create(rows)
        From.objects.using(alias).all().delete()
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_sessions_name_the_sukarela_backend'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Session',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'db_table': 'core_session',
                'abstract': False,
            },
        ),
        migrations.RunPython(move(("sessions", "Session"), ("core", "Session")),
                             move(("core", "Session"), ("sessions", "Session"))),
    ]
