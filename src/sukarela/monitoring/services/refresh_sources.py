"""The components counted from the stage tables (groups, postings, applications, linkages, alumni,
budgets), for every month of the grid on every refresh: each is one read of a table that changes
slowly but anywhere in time (a funnel step months after the application, a posting ended late, an
outcome recorded later), so recounting them all is simpler and cheap (see services/refresh.py).

Stocks are read at each month's as-of day (its last day; today for the current month).
"""

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from sukarela.engines.indicators import months_after, survived
from sukarela.engines.rollup import DAY, Grid, Table, leaf, levels, merge
from sukarela.monitoring.indicators import SURVIVAL_MONTHS

WORKING = ("bekerja", "usaha", "inkubator")  # alumni.models.Employment: employed, own business, incubator


def load_groups() -> dict:
    """{group id: (leaf, registered_on, effective stop day or None, aid_received_on)}. A group with
    status "stopped" and no stop day counts as stopped since it registered."""
    from sukarela.groups.models import Group, GroupStatus

    out = {}
    for pk, village, registered, stopped, status, aid in Group.objects.order_by().values_list(
            "pk", "village_id", "registered_on", "stopped_on", "status", "aid_received_on"):
        if stopped is None and status == GroupStatus.STOPPED:
            stopped = registered
        out[pk] = (leaf(village), registered, stopped, aid)
    return out


def load_postings() -> list:
    from sukarela.assignments.models import Posting

    return list(Posting.objects.order_by().values_list("group_id", "mentor_id", "starts_on", "ends_on"))


def earliest(groups: dict, postings: list, funnel: list, linkages: list, alumni: list, budgets: list) -> list:
    """The earliest day of these sources (for the grid's first month), as a list of at most one."""
    days = [g[1] for g in groups.values()] + [g[3] for g in groups.values() if g[3]]
    days += [p[2] for p in postings] + [r[0] for r in funnel] + [r[1] for r in linkages]
    days += [r[2] for r in alumni] + [dt.date(r[1], 1, 1) for r in budgets]
    return [min(days)] if days else []


def count_groups(table: Table, grid: Grid, groups: dict) -> None:
    """groups_registered, aided_Nm and survived_Nm. Groups sharing a span are counted once with a
    weight (many register or get their aid in the same month)."""
    spans: Counter = Counter()
    due = lru_cache(maxsize=None)(months_after)
    for lf, registered, stopped, aid in groups.values():
        last = grid.last_as_of(stopped - DAY) if stopped else grid.n - 1
        spans[(lf, grid.first_as_of(registered), last, "groups_registered")] += 1
        if aid is None:
            continue
        for months in SURVIVAL_MONTHS:
            first = grid.first_as_of(due(aid, months))
            if first >= grid.n:
                continue
            spans[(lf, first, grid.n - 1, f"aided_{months}m")] += 1
            if survived(aid, stopped, months, grid.as_ofs[first]):
                spans[(lf, first, grid.n - 1, f"survived_{months}m")] += 1
    for (lf, first, last, name), weight in spans.items():
        table.add_span(lf, first, last, name, weight)


def mentored_spans(grid: Grid, groups: dict, postings: list) -> dict:
    """{group: merged month spans with a posting overlapping the month (up to its as-of day)}."""
    spans: dict = defaultdict(list)
    for group, _mentor, starts, ends in postings:
        spans[group].append((grid.first_as_of(starts), grid.last_starting(ends) if ends else grid.n - 1))
    return {g: merge(s) for g, s in spans.items() if g in groups}


def count_postings(table: Table, grid: Grid, groups: dict, postings: list, mentored: dict) -> None:
    """groups_mentored (groups with a posting overlapping the month) and tks_posted (distinct
    mentors with a posting open on the as-of day, counted at each level on its own)."""
    spans: Counter = Counter()
    for group, merged in mentored.items():
        for first, last in merged:
            spans[(groups[group][0], first, last)] += 1
    for (lf, first, last), weight in spans.items():
        table.add_span(lf, first, last, "groups_mentored", weight)
    open_spans: dict = defaultdict(list)
    for group, mentor, starts, ends in postings:
        if group not in groups:
            continue
        span = (grid.first_as_of(starts), grid.last_as_of(ends) if ends else grid.n - 1)
        for code in levels(groups[group][0]):
            open_spans[(mentor, code)].append(span)
    spans = Counter()
    for (_mentor, code), tks_spans in open_spans.items():
        for first, last in merge(tks_spans):
            spans[(code, first, last)] += 1
    for (code, first, last), weight in spans.items():
        table.add_span_at(code, first, last, "tks_posted", weight)


FUNNEL_STEPS = ("applied", "eligible", "selected", "trained", "graduated", "posted")


def load_funnel(tz) -> list[tuple]:
    """[(month, leaf, {step: count})]: applications by the month of submission (local time) and the
    applicant's domicile. eligible: screened eligible; selected: decision "selected"; trained: its
    volunteer account has a training participant (any status); graduated: one that graduated;
    posted: the volunteer has any posting. An erased application counts as applied only."""
    from sukarela.assignments.models import Posting
    from sukarela.recruitment.models import Application, Decision, Status
    from sukarela.training.models import Participant, ParticipantStatus

    kept = ~Q(status=Status.ERASED)
    steps = {
        "eligible": kept & Q(eligible=True),
        "selected": kept & Q(decision=Decision.SELECTED),
        "trained": kept & Q(volunteer_id__in=Participant.objects.values("volunteer_id")),
        "graduated": kept & Q(volunteer_id__in=Participant.objects.filter(
            status=ParticipantStatus.GRADUATED).values("volunteer_id")),
        "posted": kept & Q(volunteer_id__in=Posting.objects.values("mentor_id")),
    }
    rows = (Application.objects.order_by().annotate(m=TruncMonth("submitted_at", tzinfo=tz),
                                                     reg=Substr("domicile_id", 1, 5))
            .values("m", "reg").annotate(applied=Count("id"), **{k: Count("id", filter=q) for k, q in steps.items()}))
    out = []
    for r in rows:
        month = timezone.localtime(r["m"], tz).date() if isinstance(r["m"], dt.datetime) else r["m"]
        out.append((month, leaf(r["reg"]), {name: r[name] for name in FUNNEL_STEPS}))
    return out


def count_funnel(table: Table, grid: Grid, rows: list) -> None:
    for month, lf, counts in rows:
        i = grid.index(month)
        if i is not None:
            for name, n in counts.items():
                table.add(lf, i, name, n)


def load_linkages() -> list:
    from sukarela.partners.models import Linkage, LinkageStatus

    return list(Linkage.objects.filter(status=LinkageStatus.REALISED).order_by().annotate(
        code=Coalesce("group__village_id", "centre__region_id")).values_list(
        "code", "status_on", "purpose", "value_amount"))


def count_linkages(table: Table, grid: Grid, linkages: list) -> None:
    """linkages_realised, loans_realised (those with purpose "pinjaman": open data shows the credit
    only when enough loans stand behind it) and credit_accessed (the value of realised loans) in the
    month of status_on."""
    for code, on, purpose, value in linkages:
        i = grid.month_of(on)
        if i is None:
            continue
        lf = leaf(code)
        table.add(lf, i, "linkages_realised", 1)
        table.add(lf, i, "loans_realised", 1 if purpose == "pinjaman" else 0)
        table.add(lf, i, "credit_accessed", float(value) if purpose == "pinjaman" and value else 0)


def load_alumni() -> tuple[list, dict]:
    from sukarela.alumni.models import AlumniRecord, Outcome

    records = list(AlumniRecord.objects.order_by().values_list("pk", "tks__region_id", "posting_ended_on"))
    outcomes: dict = defaultdict(list)
    for alumni, as_of, status in Outcome.objects.order_by("alumni_id", "as_of", "id").values_list(
            "alumni_id", "as_of", "status"):
        outcomes[alumni].append((as_of, status))
    return records, outcomes


def count_alumni(table: Table, grid: Grid, records: list, outcomes: dict) -> None:
    """alumni (posting ended by the as-of day), alumni_known (with an outcome by then) and
    alumni_working (whose latest outcome by then is work, an own business or an incubator)."""
    for pk, region, ended in records:
        lf, since = leaf(region), grid.first_as_of(ended)
        table.add_span(lf, since, grid.n - 1, "alumni")
        history = outcomes.get(pk, [])
        if history:
            table.add_span(lf, max(since, grid.first_as_of(history[0][0])), grid.n - 1, "alumni_known")
        for k, (as_of, status) in enumerate(history):
            if status in WORKING:
                until = grid.first_as_of(history[k + 1][0]) - 1 if k + 1 < len(history) else grid.n - 1
                table.add_span(lf, max(since, grid.first_as_of(as_of)), until, "alumni_working")


def load_budgets() -> list:
    from sukarela.monitoring.models import Budget

    return list(Budget.objects.order_by().values_list("region_id", "year", "amount"))


def count_budgets(table: Table, grid: Grid, budgets: list) -> None:
    """budget: a region's own yearly budget ÷ 12 in each month of that year (never rolled up)."""
    for region, year, amount in budgets:
        if region and len(region) not in (2, 5):
            continue  # only the nation, provinces and regencies have figures
        for i, month in enumerate(grid.months):
            if month.year == year:
                table.put(region or "", i, "budget", float(amount) / 12)
