"""core.batch: several statements in one round trip on PostgreSQL, all of the writes or none."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
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


postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="prepared statements are PostgreSQL's: the PostgreSQL run (make test-postgres, CI) covers them")


def _label_read(pk: int) -> batch.Statement:
    table = AuditEvent._meta.db_table
    return batch.statement("sukarela_test_label", f"SELECT target_label FROM {table} WHERE id = %s", ("bigint",), [pk])


@postgres_only
def test_a_prepared_read_is_prepared_once_a_connection_and_answers_as_the_plain_one(db):
    batch._forget_prepared()  # the test connection outlives tests: start with no names prepared
    batch.write(bulk.insert_statements([_event(1, "satu"), _event(2, "dua")]))
    with CaptureQueriesContext(connection) as queries:
        first = batch.fetch([_label_read(2), ("SELECT 7", [])])
        second = batch.fetch([_label_read(1)])
        third = batch.fetch([_label_read(3)])
    assert (first, second, third) == ([[("dua",)], [(7,)]], [[("satu",)]], [[]])
    sent = [q["sql"] for q in queries.captured_queries]
    assert sent[0].startswith("PREPARE sukarela_test_label_") and "EXECUTE sukarela_test_label_" in sent[0]
    assert sent[1].startswith("EXECUTE sukarela_test_label_") and "PREPARE" not in sent[1] + sent[2]


@postgres_only
def test_a_prepared_statement_the_server_lost_fails_once_then_is_prepared_anew(db):
    batch._forget_prepared()
    batch.write(bulk.insert_statements([_event(1, "satu")]))
    batch.fetch([_label_read(1)])
    generation, names = batch._prepared_names()
    with connection.cursor() as cursor:  # as after a schema change, or a reset session on the server
        cursor.execute(f"DEALLOCATE sukarela_test_label_{generation}")
    with pytest.raises(DatabaseError, match="sukarela_test_label"), transaction.atomic():
        batch.fetch([_label_read(1)])
    with CaptureQueriesContext(connection) as queries:
        assert batch.fetch([_label_read(1)]) == [[("satu",)]]
    assert queries.captured_queries[0]["sql"].startswith("PREPARE")
    assert batch._prepared_names()[0] != generation  # new names: never one whose state is unknown


def test_prepared_statements_can_be_turned_off(db, settings):
    settings.SUKARELA_DB_PREPARE = False
    batch.write(bulk.insert_statements([_event(1, "satu")]))
    with CaptureQueriesContext(connection) as queries:
        assert batch.fetch([_label_read(1)]) == [[("satu",)]]
    assert "PREPARE" not in queries.captured_queries[0]["sql"] and "EXECUTE" not in queries.captured_queries[0]["sql"]
    assert batch.preparing() is False
