"""Indexes the monitoring refresh reads changes by: Visit.updated_at and IndicatorSnapshot.created_at
("changed since the watermark"). On PostgreSQL a BRIN index: both columns grow with the insert
order, so a block-range summary finds the recent rows, and it costs the field-sync write path
almost nothing (a B-tree would be updated on every visit stored or edited). SQLite has no BRIN: a
plain index there. Not declared in Meta (a BRIN index is PostgreSQL only), so raw SQL by vendor.
The snapshot's index lives here too: mentoring owns the refresh's change feed, and groups
migrate before mentoring."""

from django.db import migrations

INDEXES = (("mentoring_visit_updated_at_brin", "mentoring_visit", "updated_at"),
           ("groups_snapshot_created_at_brin", "groups_indicatorsnapshot", "created_at"))


def create(apps, schema_editor):
    brin = schema_editor.connection.vendor == "postgresql"
    for name, table, column in INDEXES:
        using = " USING brin" if brin else ""
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table}{using} ({column})")


def drop(apps, schema_editor):
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("mentoring", "0001_initial"),
        ("groups", "0004_group_stopped_on"),
    ]

    operations = [migrations.RunPython(create, drop)]
