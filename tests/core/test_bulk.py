"""The bulk insert path (COPY on PostgreSQL, executemany on SQLite) stores values as the ORM would."""

import datetime as dt

from sukarela.core import batch, bulk
from sukarela.core.models import AuditEvent


def test_insert_rows_keeps_datetimes_json_and_nulls_as_the_orm_does(db):
    at = dt.datetime(2026, 11, 29, 5, 6, 7, 123456, tzinfo=dt.timezone.utc)
    changes = {"ends_on": [None, "2026-12-15"], "nama": ["Siti \"Aminah\"", "a,b\tc\nd"]}
    count = bulk.insert_rows(
        AuditEvent, ["at", "actor", "actor_label", "action", "target_type", "target_id", "target_label", "changes"],
        [(at, None, "system", "update", "x.y", "1", "label with \\ backslash", changes),
         (at, None, "system", "update", "x.y", "2", "", {})])
    assert count == 2
    first, second = AuditEvent.objects.order_by("target_id")
    assert first.at == at and first.actor is None and first.changes == changes
    assert first.target_label == "label with \\ backslash" and second.changes == {}
    assert AuditEvent.objects.filter(at__date=dt.date(2026, 11, 29)).count() == 2


def test_insert_rows_with_no_rows_writes_nothing(db):
    assert bulk.insert_rows(AuditEvent, ["actor_label", "action"], []) == 0
    assert not AuditEvent.objects.exists()


def test_insert_statements_store_plain_and_prepared_values_as_the_orm_does(db, django_user_model):
    """Plain str/int/bool values go to the driver as they are; others (a lazy string, a datetime,
    JSON, a foreign key) through their field, so the row reads back as save() would store it."""
    from django.utils.translation import gettext_lazy

    actor = django_user_model.objects.create_user("penguji", password="x" * 12)
    at = dt.datetime(2026, 11, 29, 5, 6, 7, 123456, tzinfo=dt.timezone.utc)
    events = [AuditEvent(at=at, actor=actor, actor_label=gettext_lazy("sistem"), action="update", target_type="x.y",
                         target_id="1", target_label="", changes={"a": [1, 2]}),
              AuditEvent(at=at, actor=None, actor_label="system", action="update", target_type="x.y", target_id="2",
                         target_label="with 'quote' and %s", changes={})]
    batch.write(bulk.insert_statements(events))
    bulk.stored(events)
    first, second = AuditEvent.objects.order_by("target_id")
    assert (first.actor_id, first.actor_label, first.at, first.changes) == (actor.pk, "sistem", at, {"a": [1, 2]})
    assert second.actor_id is None and second.target_label == "with 'quote' and %s"
    assert not events[0]._state.adding  # stored: a later save() updates, not inserts
