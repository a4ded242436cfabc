"""core.batch: several statements in one round trip on PostgreSQL, all of the writes or none."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from sukarela.core import batch, bulk
from sukarela.core.models import AuditEvent


def _event(pk: int, label: str = "") -> AuditEvent:
    return AuditEvent(id=pk, actor_label="system", action="test", target_type="x.y", target_id=str(pk),
                      target_label=label, changes={})


def _labels() -> list[str]:
    return list(AuditEvent.objects.filter(action="test").order_by("id").values_list("target_label", flat=True))


def test_fetch_answers_each_statements_rows_in_order(db):
    batch.write(bulk.insert_statements([_event(1, "satu"), _event(2, "dua")]))
    table = AuditEvent._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        rows = batch.fetch([(f"SELECT target_label FROM {table} WHERE id = %s", [2]),
                            (f"SELECT target_label FROM {table} WHERE id > %s ORDER BY id", [0]),
                            (f"SELECT target_label FROM {table} WHERE id = %s", [99])])
    assert rows == [[("dua",)], [("satu",), ("dua",)], []]
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)


@pytest.mark.django_db(transaction=True)
def test_write_outside_a_transaction_is_all_or_nothing():
    batch.write(bulk.insert_statements([_event(1, "satu")]))
    # The second statement clashes on the key: the first, sent in the same message, is not kept.
    with pytest.raises(IntegrityError):
        batch.write(bulk.insert_statements([_event(2, "dua")]) + bulk.insert_statements([_event(1, "lagi")]))
    assert _labels() == ["satu"]
    batch.write(bulk.insert_statements([_event(3, "tiga"), _event(4, "empat")]))
    assert _labels() == ["satu", "tiga", "empat"]


@pytest.mark.django_db(transaction=True)
def test_write_inside_a_transaction_fails_alone_and_leaves_the_callers_transaction_usable():
    with transaction.atomic():
        batch.write(bulk.insert_statements([_event(1, "satu")]))
        with pytest.raises(IntegrityError):
            batch.write(bulk.insert_statements([_event(2, "dua"), _event(1, "lagi")]))
        assert _labels() == ["satu"]  # still readable: the failed write rolled back to its savepoint
        batch.write(bulk.insert_statements([_event(3, "tiga")]))
    assert _labels() == ["satu", "tiga"]


def test_write_of_nothing_sends_nothing(db):
    with CaptureQueriesContext(connection) as queries:
        batch.write([])
        assert batch.fetch([]) == []
    assert len(queries) == 0
