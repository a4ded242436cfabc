"""GroupTurnover: each group's turnover record over all its months (first, latest, its month, how
many), rebuilt from GroupMonth for the groups whose snapshots changed (every group in a full run).
The current month's median turnover growth reads it (services/refresh_visits.py)."""

from django.db import connection

from sukarela.monitoring.models import GroupMonth, GroupTurnover
from sukarela.monitoring.services.refresh_groups import CHUNK, copy_rows

FIELDS = ["group", "regency_code", "first", "latest", "latest_month", "count"]


def summarise(groups: set | None = None) -> int:
    """Rebuild the GroupTurnover rows of these groups (None: of every group) from their GroupMonth rows."""
    if groups is None:
        GroupTurnover.objects.all().delete()
        return _summary(None)
    done, ids = 0, sorted(groups)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        GroupTurnover.objects.filter(group_id__in=chunk).delete()
        done += _summary(chunk)
    return done


def _summary(group_ids) -> int:
    table = connection.ops.quote_name(GroupMonth._meta.db_table)
    where, params = "turnover IS NOT NULL", []
    if group_ids is not None:
        where += f" AND group_id IN ({', '.join(['%s'] * len(group_ids))})"
        params = list(group_ids)
    out, row = [], None
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT group_id, month, regency_code, turnover_first, turnover, turnover_count "
                       f"FROM {table} WHERE {where} ORDER BY group_id, month", params)
        while batch := cursor.fetchmany(20000):
            for group, month, regency, first, latest, count in batch:
                if row is None or row[0] != group:
                    row = [group, regency, first, latest, month, 0]
                    out.append(row)
                row[1], row[3], row[4], row[5] = regency, latest, month, row[5] + count
    return copy_rows([tuple(r) for r in out], GroupTurnover, FIELDS, ())
