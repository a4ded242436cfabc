"""What a monthly report says, shared by the PDF and the XLSX: the region's figures for the month
and the month before, sentences comparing them, twenty-four months of trend, the child regions
ranked (or, for a regency, its groups) and the indicator definitions.

Every number comes from the monitoring selectors, which read the precomputed aggregates through
monitoring.indicators: a report never has a formula of its own and never scans raw visits.
Nothing personal is in it: figures per region and, for a regency, per group (no member names)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.engines.indicators import add_months
from sukarela.monitoring.indicators import BY_CODE, INDICATORS, Indicator
from sukarela.monitoring.periods import Period
from sukarela.monitoring.reports import due, text
from sukarela.monitoring.selectors import figures as selectors

TREND_MONTHS = 24


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object
    codes: tuple   # the indicators in the section's table
    lead: tuple    # those that get a sentence


def _topic(*topics) -> tuple:
    return tuple(i.code for i in INDICATORS if i.topic in topics)


SUMMARY = ("tks_posted", "tks_active", "groups_mentored", "visits", "visited_30d", "jobs_created",
           "credit_accessed", "cost_per_job")
PARTNERSHIPS = ("linkages_realised", "credit_accessed")
SECTIONS = (
    SectionSpec("summary", gettext_lazy("Ringkasan"), SUMMARY, SUMMARY),
    SectionSpec("recruitment", gettext_lazy("Rekrutmen dan pelatihan"), _topic("funnel"),
                ("funnel_applied", "funnel_graduated", "funnel_posted")),
    SectionSpec("tks", gettext_lazy("TKS dan kunjungan"), _topic("tks", "roles", "tasks"),
                ("tks_posted", "tks_active", "visits", "visit_frequency")),
    SectionSpec("groups", gettext_lazy("Kelompok TKM"), _topic("groups") + ("jobs_created", "cost_per_job"),
                ("groups_registered", "groups_mentored", "visited_30d", "jobs_created")),
    SectionSpec("partnerships", gettext_lazy("Kemitraan dan akses pembiayaan"), PARTNERSHIPS, PARTNERSHIPS),
    SectionSpec("alumni", gettext_lazy("Alumni"), ("alumni_working",), ("alumni_working",)),
)
# The child regions' table: these columns, ranked by the share of groups visited in 30 days.
CHILD_COLUMNS = ("tks_posted", "groups_mentored", "visits", "visited_30d", "jobs_created")
RANK_BY = "visited_30d"


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    value: object
    previous: object

    @property
    def text(self) -> str:
        return text.figure(self.value, self.indicator.unit)

    @property
    def previous_text(self) -> str:
        return text.figure(self.previous, self.indicator.unit)

    @property
    def change(self):
        return text.difference(self.value, self.previous)

    @property
    def change_text(self) -> str:
        return text.change(self.value, self.previous, self.indicator.unit)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    sentences: list
    lines: list


@dataclass(frozen=True)
class Ranked:
    rank: int | None   # None: no figure to rank by
    region: selectors.RegionRef
    values: dict


@dataclass(frozen=True)
class ReportContent:
    region: selectors.RegionRef
    month: dt.date
    built_at: dt.datetime
    refreshed_at: dt.datetime | None
    values: dict
    previous: dict
    sections: list
    trend: list          # [(month, {code: value})], oldest first, TREND_MONTHS long
    children: list       # [Ranked] for the nation and a province
    groups: list | None  # [GroupRow] for a regency, None otherwise

    @property
    def partial(self) -> bool:
        """Built before the month ended: its figures do not count the whole month yet."""
        return not due.is_final(self.month, timezone.localtime(self.built_at))

    @property
    def title(self) -> str:
        if self.partial:
            return _("Laporan Bulanan Program TKS (sementara)")
        return _("Laporan Bulanan Program TKS")

    @property
    def month_text(self) -> str:
        return text.month_label(self.month)

    @property
    def built_text(self) -> str:
        return text.moment_label(self.built_at)

    @property
    def stamp(self) -> str:
        """When the report was built and how fresh its figures are."""
        if self.refreshed_at is None:
            return _("Dibuat %(built)s · data belum pernah diperbarui") % {"built": self.built_text}
        return _("Dibuat %(built)s · data diperbarui %(refreshed)s") % {
            "built": self.built_text, "refreshed": text.moment_label(self.refreshed_at)}

    @property
    def definitions(self) -> tuple:
        return INDICATORS


def system_viewer() -> User:
    """Whom the selectors build a report for. A report belongs to its region, not to whoever asked:
    scope was checked when it was requested, and every officer who may see the region gets the same
    file. An unsaved national officer (never a login) sees every region."""
    return User(username="sistem-laporan", role=Role.NATIONAL, is_active=True)


def _rank(children) -> list:
    def key(f):
        value = f.values.get(RANK_BY)
        return (value is None, -(value or 0), f.region.code)

    ordered = sorted(children, key=key)
    return [Ranked(n if f.values.get(RANK_BY) is not None else None, f.region, f.values)
            for n, f in enumerate(ordered, start=1)]


def _section(spec: SectionSpec, values: dict, previous: dict) -> Section:
    lines = [Line(BY_CODE[c], values.get(c), previous.get(c)) for c in spec.codes]
    sentences = [text.sentence(str(BY_CODE[c].name), values.get(c), previous.get(c), BY_CODE[c].unit)
                 for c in spec.lead]
    return Section(spec.key, str(spec.title), sentences, lines)


def build(code: str, month: dt.date, *, viewer=None, now: dt.datetime | None = None, progress=None) -> ReportContent:
    """The content of region `code`'s report for `month` (its first day). Http404 for a region that
    is not the nation, a province or a regency."""
    viewer = viewer or system_viewer()
    step = progress or (lambda *a: None)
    with translation.override("id"):
        region = selectors.region_ref(viewer, code)
        period = Period.month(month)
        step("figures", 0, 4)
        current = selectors.figures(viewer, code, period)
        before = selectors.figures(viewer, code, Period.month(add_months(month, -1)))
        step("figures", 1, 4)
        trend = selectors.trend(viewer, code, months=TREND_MONTHS, end=month)
        step("figures", 2, 4)
        if region.level >= 2:
            children, groups = [], selectors.group_rows(viewer, code, period)
        else:
            children, groups = _rank(selectors.children(viewer, code, period)), None
        step("figures", 3, 4)
        sections = [_section(spec, current.values, before.values) for spec in SECTIONS]
        step("figures", 4, 4)
    return ReportContent(region=region, month=period.start, built_at=now or timezone.now(),
                         refreshed_at=current.refreshed_at, values=current.values, previous=before.values,
                         sections=sections, trend=trend, children=children, groups=groups)
