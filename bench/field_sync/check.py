"""The exact count check: the acknowledged visits of a run against what the database holds.

    acked    every id the clients got a 2xx for (visits.lua's acked-*.txt, retry_client's retry.txt)
    stored   every visit row the run added (the rows present after it, less those present before)

Lost       = acked but not stored (must be 0).
Duplicated = an id stored twice (impossible with the UUID primary key, counted anyway), an id
             acknowledged as new (201) more than once, a visit whose follow-up was stored other than
             once, a visit with indicators whose snapshot is missing or whose snapshot was stored
             twice (a snapshot no visit points at) — the rows a retried submission must not repeat.
Not acked but stored = the server stored the visit but the client never saw the answer (a wrk
             timeout at the end of a run, a kill between commit and answer); expected to be 0 in
             the retry run, where every visit is retried until acknowledged.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import psycopg

import payload


def settle(dsn: str, timeout: float = 30) -> None:
    """Wait until the server has finished what it had in hand: wrk stops with requests in
    flight, and the server still stores them after wrk has gone (stored, not acknowledged)."""
    last, deadline = -1, time.monotonic() + timeout
    with psycopg.connect(dsn, autocommit=True) as db:
        while time.monotonic() < deadline:
            count = db.execute("SELECT count(*) FROM mentoring_visit").fetchone()[0]
            if count == last:
                return
            last = count
            time.sleep(1.0)


def stored_ids(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as db:
        return {str(r[0]) for r in db.execute("SELECT id FROM mentoring_visit")}


def read_acked(paths) -> list[tuple[str, str]]:
    """(id, status) of every acknowledged answer; '?' for an answer whose id could not be read."""
    rows = []
    for path in paths:
        for line in Path(path).read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1] in ("200", "201"):
                rows.append((parts[0], parts[1]))
    return rows


def check(dsn: str, before: set[str], acked: list[tuple[str, str]], sent: set[str] | None = None) -> dict:
    """Compare; `sent` (every id a client made, when known) also proves nothing unknown was stored."""
    with psycopg.connect(dsn) as db:
        visits = db.execute(
            "SELECT v.id, v.indicators_id, (SELECT count(*) FROM mentoring_followup f WHERE f.visit_id = v.id) "
            "FROM mentoring_visit v").fetchall()
        snapshots = {str(r[0]) for r in db.execute("SELECT id FROM groups_indicatorsnapshot")}
        distinct = db.execute("SELECT count(DISTINCT id) = count(*) FROM mentoring_visit").fetchone()[0]
        # Snapshots no visit points at: a retried submission that stored its indicators twice.
        orphans = db.execute("SELECT count(*) FROM groups_indicatorsnapshot s WHERE NOT EXISTS "
                             "(SELECT 1 FROM mentoring_visit v WHERE v.indicators_id = s.id)").fetchone()[0]
    new = [(str(v), i, f) for v, i, f in visits if str(v) not in before]
    stored = {v for v, _i, _f in new}
    acked_ids = {v for v, _s in acked}
    created = Counter(v for v, s in acked if s == "201")
    with_indicators = [i for v, i, _f in new if payload.has_indicators(v)]
    result = {
        "acked": len(acked_ids),
        "acked_201": sum(1 for _v, s in acked if s == "201"),
        "acked_200_replays": sum(1 for _v, s in acked if s == "200"),
        "unreadable_acks": sum(1 for v, _s in acked if v == "?"),
        "stored": len(stored),
        "lost": len(acked_ids - stored - {"?"}),
        "stored_not_acked": len(stored - acked_ids),
        "dup_rows": 0 if distinct else 1,
        "dup_201": sum(1 for n in created.values() if n > 1),
        "followups_not_once": sum(1 for _v, _i, f in new if f != 1),
        "indicators_missing": sum(1 for i in with_indicators if i is None),
        "indicators_unexpected": sum(1 for v, i, _f in new if i is not None and not payload.has_indicators(v)),
        "snapshots_of_run": len({str(i) for i in with_indicators if i is not None} & snapshots),
        "orphan_snapshots": orphans,
    }
    if sent is not None:
        result["stored_unknown"] = len(stored - sent)
    result["ok"] = (result["lost"] == 0 and result["dup_rows"] == 0 and result["dup_201"] == 0
                    and result["followups_not_once"] == 0 and result["indicators_missing"] == 0
                    and result["indicators_unexpected"] == 0 and result["unreadable_acks"] == 0
                    and result["orphan_snapshots"] == 0 and result.get("stored_unknown", 0) == 0)
    return result
