"""The tables (and their charts) of the dashboards, built from the selectors' answers. Every number
comes from monitoring/indicators.py through selectors/figures.py; nothing is computed here but
sorting and picking columns."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.groups.models import GroupStatus, Tier
from sukarela.mentoring.models import Task, TksRole
from sukarela.monitoring import indicators as ind
from sukarela.monitoring.templatetags.monitoring_figures import MONTH
from sukarela.monitoring.views.tables import TEXT, Chart, Table

COUNT, PERCENT, RUPIAH = ind.COUNT, ind.PERCENT, ind.RUPIAH
UNIT_NAMES = {ind.COUNT: gettext_lazy("jumlah"), ind.PERCENT: "%", ind.RUPIAH: "Rp",
              ind.PER_TKS: gettext_lazy("per TKS")}
LEVEL_NAMES = {ind.GROUP: gettext_lazy("kelompok"), ind.REGENCY: gettext_lazy("kabupaten/kota")}
CHART_TOPICS = ("funnel", "roles", "tasks")  # drawn as charts, not listed among the headline figures
# The monthly series drawn over 24 months (indicator codes).
TREND = ("visits", "tks_active", "visited_30d", "jobs_created", "groups_mentored")


def region_url(code: str) -> str:
    return reverse("monitoring:national") if code == "" else reverse("monitoring:region", args=[code])


def group_url(pk: int) -> str:
    return reverse("monitoring:group", args=[pk])


def headline(values: dict) -> tuple[list[dict], Table]:
    """The figures by topic for the page ([{topic, title, items}]), and all of them as one table."""
    sections = []
    for topic, title in ind.TOPICS.items():
        items = [{"indicator": i, "value": values.get(i.code), "unit_name": UNIT_NAMES[i.unit],
                  "level_name": LEVEL_NAMES.get(i.level, i.level)}
                 for i in ind.INDICATORS if i.topic == topic]
        if topic not in CHART_TOPICS and items:
            sections.append({"topic": topic, "title": title, "items": items})
    rows = [[ind.TOPICS.get(i.topic, i.topic), i.code, i.name, values.get(i.code), UNIT_NAMES[i.unit], i.formula,
             i.source, LEVEL_NAMES.get(i.level, i.level)] for i in ind.INDICATORS]
    table = Table("angka", _("Angka utama"),
                  [_("Topik"), _("Kode"), _("Indikator"), _("Nilai"), _("Satuan"), _("Rumus"), _("Sumber"),
                   _("Tingkat terhalus")], [TEXT, TEXT, TEXT, None, TEXT, TEXT, TEXT, TEXT], rows)
    return sections, table


def funnel(values: dict) -> Table:
    rows = [[ind.BY_CODE[f"funnel_{s}"].name, values.get(f"funnel_{s}")] for s in ind.FUNNEL]
    return Table("corong", _("Corong rekrutmen"), [_("Tahap"), _("Orang")], [TEXT, COUNT], rows,
                 charts=[Chart("bar", (1,))])


def mix(values: dict, topic: str) -> Table:
    codes = [f"role_{r}" for r in ind.ROLES] if topic == "roles" else [f"task_{t}" for t in ind.TASKS]
    rows = [[ind.BY_CODE[c].name, values.get(c)] for c in codes]
    key, title, head = (("peran", _("Peran TKS dalam kunjungan"), _("Peran")) if topic == "roles"
                        else ("tugas", _("Tugas yang dilayani kunjungan"), _("Tugas")))
    return Table(key, title, [head, _("% kunjungan dan kegiatan")], [TEXT, PERCENT], rows,
                 charts=[Chart("bar", (1,), horizontal=True)])


def trend(months: list) -> Table:
    """24 months, one row each (oldest first), one line chart per series."""
    codes = [c for c in TREND if c in ind.BY_CODE]
    rows = [[month, *[values.get(c) for c in codes]] for month, values in months]
    table = Table("tren", _("Perkembangan 24 bulan"), [_("Bulan"), *[ind.BY_CODE[c].name for c in codes]],
                  [MONTH, *[ind.BY_CODE[c].unit for c in codes]], rows)
    table.charts = [Chart("line", (n + 1,), title=ind.BY_CODE[c].name) for n, c in enumerate(codes)]
    return table


def ranking(children: list, code: str) -> Table:
    """The child regions ranked by indicator `code`, highest first, those without a value last."""
    indicator = ind.BY_CODE[code]
    ordered = sorted(children, key=lambda f: (f.values.get(code) is None, -(f.values.get(code) or 0), f.region.code))
    rows = [[f.region.name.title(), f.region.code, f.values.get(code)] for f in ordered]
    return Table("peringkat", _("Peringkat wilayah: %(i)s") % {"i": indicator.name},
                 [_("Wilayah"), _("Kode"), indicator.name], [TEXT, TEXT, indicator.unit], rows,
                 links=[region_url(f.region.code) for f in ordered], charts=[Chart("bar", (2,), horizontal=True)],
                 empty=_("Tidak ada wilayah di bawah wilayah ini."), open=True)


GROUP_HEADERS = [gettext_lazy("Kelompok"), gettext_lazy("Desa/kelurahan"), gettext_lazy("Sektor"),
                 gettext_lazy("Tingkat"), gettext_lazy("Status"), gettext_lazy("TKS"),
                 gettext_lazy("Kunjungan + kegiatan"), gettext_lazy("Kunjungan terakhir"), gettext_lazy("Omzet (Rp)"),
                 gettext_lazy("Pertumbuhan omzet (%)"), gettext_lazy("Pekerja baru"),
                 gettext_lazy("Dikunjungi 30 hari")]
GROUP_UNITS = [TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, COUNT, None, RUPIAH, PERCENT, COUNT, None]


def label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def groups(rows: list, key: str = "kelompok", title=None, chart: bool = False) -> Table:
    """Group rows (selectors.figures.GroupRow) with a link to each group's dashboard."""
    data = [[r.name, r.village.title(), r.sector, label(Tier, r.tier), label(GroupStatus, r.status), r.mentor or "—",
             r.visits, r.last_visit_on, r.turnover, r.turnover_growth, r.new_workers, r.visited_30d] for r in rows]
    table = Table(key, title or _("Kelompok"), list(GROUP_HEADERS), list(GROUP_UNITS), data,
                  links=[group_url(r.id) for r in rows], empty=_("Belum ada kelompok."), open=True)
    if chart:
        table.charts = [Chart("bar", (6,), title=_("Kunjungan + kegiatan per kelompok"), horizontal=True)]
    return table


def tks(listing) -> Table:
    """The TKS of a regency (selectors.tks.TksListing)."""
    data = [[r.name, r.groups, r.visits, r.last_visit_on] for r in listing.rows]
    note = (_("Hanya %(n)d TKS pertama (menurut nama) yang ditampilkan.") % {"n": len(listing.rows)}
            if listing.capped else "")
    return Table("tks", _("TKS"), [_("TKS"), _("Kelompok didampingi"), _("Kunjungan + kegiatan dalam periode"),
                                   _("Kunjungan terakhir")], [TEXT, COUNT, COUNT, None], data,
                 empty=_("Tidak ada TKS di kabupaten/kota ini."), note=note)


def group_months(months: list, period) -> list[Table]:
    """A group's 24 months (visits, activities, turnover, new workers) and, over the period's months,
    the roles it saw played and the tasks served."""
    rows = [[m, v.get("visits", 0), v.get("activities", 0), v.get("turnover"), v.get("new_workers", 0)]
            for m, v in months]
    monthly = Table("bulanan", _("Per bulan (24 bulan)"),
                    [_("Bulan"), _("Kunjungan"), _("Kegiatan"), _("Omzet (Rp)"), _("Pekerja baru")],
                    [MONTH, COUNT, COUNT, RUPIAH, COUNT], rows,
                    charts=[Chart("bar", (1, 2), title=_("Kunjungan dan kegiatan")),
                            Chart("line", (3,), title=_("Omzet (Rp)")), Chart("bar", (4,), title=_("Pekerja baru"))])
    in_period = [v for m, v in months if period.start <= m <= period.end]
    roles = [[TksRole(r).label, sum((v.get("roles") or {}).get(r, 0) for v in in_period)] for r in ind.ROLES]
    tasks = [[Task(t).label, sum((v.get("tasks") or {}).get(t, 0) for v in in_period)] for t in ind.TASKS]
    return [monthly,
            Table("peran", _("Peran TKS dalam periode"), [_("Peran"), _("Kunjungan + kegiatan")], [TEXT, COUNT],
                  roles, charts=[Chart("bar", (1,), horizontal=True)]),
            Table("tugas", _("Tugas yang dilayani dalam periode"), [_("Tugas"), _("Kunjungan + kegiatan")],
                  [TEXT, COUNT], tasks, charts=[Chart("bar", (1,), horizontal=True)])]
