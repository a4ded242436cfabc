"""Every programme indicator, defined once: name, formula, unit, source and the finest level it
is counted at. Dashboards, reports, the API and open data all read this table.

An indicator is a formula over *components*, the numbers RegionMonth.values holds per region
and month. Over a period of several months a "flow" component is summed and a "stock" component
is the value of the period's last month; the formula then runs on the combined components.
So a ratio over a quarter is the ratio of the quarter's sums, never an average of ratios.

How each component is counted (services/refresh*.py): a row's region is the regency of the
group's village (visits, postings, snapshots, group stocks, a group's linkages), of a BLK's region
(its linkages), of the applicant's domicile (the funnel) or of the alumnus's own region; provinces
and the nation add their regencies up, except the distinct counts of TKS and the turnover median,
counted at each level on their own. Months are calendar months in settings.TIME_ZONE; a stock is
read at the month's last day, or today for the current month.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from sukarela.engines import indicators as math

FLOW, STOCK = "flow", "stock"
COUNT, PERCENT, RUPIAH, PER_TKS = "count", "percent", "rupiah", "per_tks"
GROUP, REGENCY = "group", "regency"  # the finest level a component is counted at


@dataclass(frozen=True)
class Component:
    name: str
    kind: str           # FLOW or STOCK
    people: bool        # a count of persons or groups: open data suppresses it when small
    description: object


def _c(name, kind, people, description):
    return Component(name, kind, people, description)


ROLES = ("motivator", "fasilitator", "mediator", "inovator")
TASKS = ("usaha", "kemitraan", "kapasitas", "akses")
FUNNEL = ("applied", "eligible", "selected", "trained", "graduated", "posted")
SURVIVAL_MONTHS = (6, 12, 24)

COMPONENTS = {c.name: c for c in [
    _c("applied", FLOW, True, _("Lamaran yang dikirim dalam bulan itu (menurut domisili pelamar)")),
    _c("eligible", FLOW, True, _("Lamaran bulan itu yang memenuhi syarat")),
    _c("selected", FLOW, True, _("Lamaran bulan itu yang terpilih")),
    _c("trained", FLOW, True, _("Pelamar terpilih yang masuk angkatan pelatihan")),
    _c("graduated", FLOW, True, _("Peserta pelatihan yang lulus")),
    _c("posted", FLOW, True, _("Lulusan yang mendapat penugasan kelompok")),
    _c("tks_posted", STOCK, True, _("TKS dengan penugasan terbuka pada akhir bulan")),
    _c("tks_active", FLOW, True, _("TKS dengan sedikitnya satu kunjungan atau kegiatan dalam bulan itu (setiap "
                                   "kunjungan yang tersimpan dihitung, juga yang dikembalikan untuk diperbaiki)")),
    _c("visits", FLOW, False, _("Kunjungan ke kelompok")),
    _c("activities", FLOW, False, _("Kegiatan kelompok di luar kunjungan")),
    *[_c(f"role_{r}", FLOW, False, _("Kunjungan dan kegiatan dengan peran %(r)s") % {"r": r}) for r in ROLES],
    *[_c(f"task_{t}", FLOW, False, _("Kunjungan dan kegiatan dengan tugas %(t)s") % {"t": t}) for t in TASKS],
    _c("groups_registered", STOCK, True, _("Kelompok terdaftar yang belum berhenti pada akhir bulan")),
    _c("groups_mentored", STOCK, True, _("Kelompok dengan penugasan TKS dalam bulan itu")),
    _c("groups_visited_30d", STOCK, True,
       _("Kelompok yang didampingi dan dikunjungi dalam 30 hari sampai akhir bulan (bulan berjalan: sampai hari ini)")),
    *[_c(f"aided_{m}m", STOCK, True, _("Kelompok yang menerima bantuan sedikitnya %(m)s bulan sebelum akhir bulan")
         % {"m": m}) for m in SURVIVAL_MONTHS],
    *[_c(f"survived_{m}m", STOCK, True, _("Di antaranya, yang belum berhenti %(m)s bulan setelah bantuan")
         % {"m": m}) for m in SURVIVAL_MONTHS],
    _c("turnover_growth_median", STOCK, False,
       _("Median pertumbuhan omzet kelompok (%) dari omzet pertama yang tercatat ke yang terakhir sampai akhir bulan")),
    _c("turnover_growth_groups", STOCK, True, _("Kelompok dengan sedikitnya dua catatan omzet (yang pertama > 0)")),
    _c("new_workers", FLOW, True, _("Pekerja baru yang dicatat kelompok dalam bulan itu")),
    _c("linkages_realised", FLOW, False, _("Keterkaitan mitra yang terealisasi dalam bulan itu")),
    # a people count: each loan is one group's, so a credit total over few loans points at them
    _c("loans_realised", FLOW, True, _("Keterkaitan pinjaman/kredit yang terealisasi dalam bulan itu")),
    _c("credit_accessed", FLOW, False, _("Nilai pinjaman/kredit terealisasi dalam bulan itu (Rp)")),
    _c("alumni", STOCK, True, _("Alumni TKS yang penugasannya berakhir sampai akhir bulan")),
    _c("alumni_known", STOCK, True, _("Alumni dengan sedikitnya satu hasil tercatat sampai akhir bulan")),
    _c("alumni_working", STOCK, True,
       _("Alumni yang hasil terakhirnya bekerja, berusaha sendiri atau mendirikan inkubator")),
    _c("budget", FLOW, False, _("Anggaran tahunan wilayah itu sendiri, dibagi 12 per bulan (Rp)")),
]}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    formula: object     # in words, for people: shown beside the figure and in reports
    unit: str           # COUNT, PERCENT, RUPIAH, PER_TKS
    source: object      # where the numbers come from
    level: str          # the finest level: GROUP or REGENCY
    numerator: str
    denominator: str | None = None
    scale: float = 1.0  # 100 for a percentage
    topic: str = ""
    open_data: bool = False  # shown on the public open data page
    components: tuple = field(default=())

    def compute(self, values: dict):
        """The figure from combined components; None when it cannot be computed (no data, 0 denominator)."""
        num = values.get(self.numerator)
        if self.denominator is None:
            return num
        return math.ratio(num, values.get(self.denominator), self.scale)

    @property
    def needs(self) -> tuple:
        return (self.numerator,) + ((self.denominator,) if self.denominator else ())


def _i(code, name, formula, unit, source, level, numerator, denominator=None, scale=1.0, topic="", open_data=False):
    return Indicator(code, name, formula, unit, source, level, numerator, denominator, scale, topic, open_data)


_RECRUITMENT = _("Rekrutmen dan pelatihan (lamaran, angkatan, penugasan)")
_VISITS = _("Kunjungan dan kegiatan TKS (aplikasi lapangan)")
_GROUPS = _("Kelompok TKM, penugasan dan kunjungan")
_SNAPSHOTS = _("Indikator kelompok (omzet, pekerja baru) yang dicatat TKS")
_STEP_NAMES = {
    "applied": _("Pelamar"), "eligible": _("Memenuhi syarat"), "selected": _("Terpilih"),
    "trained": _("Dilatih"), "graduated": _("Lulus"), "posted": _("Ditugaskan"),
}

INDICATORS = (
    *[_i(f"funnel_{step}", _STEP_NAMES[step], COMPONENTS[step].description, COUNT, _RECRUITMENT, REGENCY, step,
         topic="funnel", open_data=True) for step in FUNNEL],
    _i("tks_posted", _("TKS bertugas"), _("TKS dengan penugasan terbuka pada akhir periode"), COUNT, _RECRUITMENT,
       REGENCY, "tks_posted", topic="tks", open_data=True),
    _i("tks_active", _("TKS aktif"), _("TKS dengan sedikitnya satu kunjungan atau kegiatan di bulan terakhir periode"),
       COUNT, _VISITS, GROUP, "tks_active_last", topic="tks", open_data=True),
    _i("visit_frequency", _("Frekuensi kunjungan"),
       _("(kunjungan + kegiatan) ÷ jumlah TKS aktif per bulan, dijumlah atas bulan-bulan periode"),
       PER_TKS, _VISITS, GROUP, "visits_all", "tks_active", topic="tks"),
    _i("visits", _("Kunjungan"), _("Kunjungan ke kelompok dalam periode"), COUNT, _VISITS, GROUP, "visits",
       topic="tks", open_data=True),
    _i("groups_registered", _("Kelompok terdaftar"), _("Kelompok yang belum berhenti pada akhir periode"), COUNT,
       _GROUPS, GROUP, "groups_registered", topic="groups", open_data=True),
    _i("groups_mentored", _("Kelompok didampingi"), _("Kelompok dengan penugasan TKS di bulan terakhir periode"),
       COUNT, _GROUPS, GROUP, "groups_mentored", topic="groups", open_data=True),
    _i("visited_30d", _("Kelompok dikunjungi 30 hari terakhir"),
       _("kelompok didampingi yang dikunjungi dalam 30 hari sampai akhir periode ÷ kelompok didampingi × 100"),
       PERCENT, _GROUPS, GROUP, "groups_visited_30d", "groups_mentored", 100, topic="groups", open_data=True),
    *[_i(f"role_{r}", _("Peran %(r)s") % {"r": r.capitalize()},
         _("kunjungan dan kegiatan dengan peran ini ÷ semua kunjungan dan kegiatan × 100 (satu kunjungan bisa "
           "memainkan beberapa peran)"), PERCENT, _VISITS, GROUP, f"role_{r}", "visits_all", 100, topic="roles")
      for r in ROLES],
    *[_i(f"task_{t}", _("Tugas %(t)s") % {"t": t}, _("kunjungan dan kegiatan dengan tugas ini ÷ semua × 100"),
         PERCENT, _VISITS, GROUP, f"task_{t}", "visits_all", 100, topic="tasks") for t in TASKS],
    *[_i(f"survival_{m}m", _("Kelompok bertahan %(m)s bulan") % {"m": m},
         _("kelompok yang belum berhenti %(m)s bulan setelah bantuan ÷ kelompok yang menerima bantuan sedikitnya "
           "%(m)s bulan sebelumnya × 100") % {"m": m}, PERCENT, _GROUPS, GROUP, f"survived_{m}m", f"aided_{m}m",
         100, topic="groups", open_data=True) for m in SURVIVAL_MONTHS],
    _i("turnover_growth", _("Median pertumbuhan omzet"),
       _("median atas kelompok dari (omzet terakhir − omzet pertama) ÷ omzet pertama × 100, sampai akhir periode"),
       PERCENT, _SNAPSHOTS, GROUP, "turnover_growth_median", topic="groups", open_data=True),
    _i("jobs_created", _("Lapangan kerja tercipta"), _("jumlah pekerja baru yang dicatat kelompok dalam periode"),
       COUNT, _SNAPSHOTS, GROUP, "new_workers", topic="outcomes", open_data=True),
    _i("linkages_realised", _("Keterkaitan terealisasi"), _("keterkaitan mitra yang terealisasi dalam periode"),
       COUNT, _("Keterkaitan mitra"), GROUP, "linkages_realised", topic="outcomes", open_data=True),
    _i("credit_accessed", _("Kredit diakses"), _("nilai pinjaman/kredit terealisasi dalam periode (Rp)"), RUPIAH,
       _("Keterkaitan mitra"), GROUP, "credit_accessed", topic="outcomes", open_data=True),
    _i("alumni_working", _("Alumni bekerja atau berusaha"),
       _("alumni yang hasil terakhirnya bekerja, berusaha sendiri atau inkubator ÷ alumni dengan hasil tercatat × 100"),
       PERCENT, _("Hasil alumni (survei dan catatan petugas)"), REGENCY, "alumni_working", "alumni_known", 100,
       topic="outcomes", open_data=True),
    _i("cost_per_job", _("Biaya per lapangan kerja"),
       _("anggaran wilayah dalam periode ÷ lapangan kerja tercipta; kosong bila anggaran belum diisi"), RUPIAH,
       _("Anggaran yang diisi petugas; indikator kelompok"), REGENCY, "budget", "new_workers", topic="outcomes"),
)
BY_CODE = {i.code: i for i in INDICATORS}
TOPICS = {
    "funnel": _("Corong rekrutmen"), "tks": _("TKS dan kunjungan"), "groups": _("Kelompok TKM"),
    "roles": _("Peran TKS dalam kunjungan"), "tasks": _("Tugas yang dilayani kunjungan"),
    "outcomes": _("Hasil: pekerjaan, kemitraan, kredit"),
}


def combine(months: list[dict]) -> dict:
    """One period's components from its months' values (oldest first): flows summed over the months
    that have them (the budget only when every month has one), stocks from the last month. Derived
    here: `visits_all` (visits + activities) and `tks_active_last` (the last month's active TKS)."""
    out: dict = {}
    for name, component in COMPONENTS.items():
        if component.kind == STOCK:
            if months and name in months[-1]:
                out[name] = months[-1][name]
        else:
            present = [m[name] for m in months if m.get(name) is not None]
            # A budget covering only part of the period would be divided by the whole period's jobs.
            if present and (name != "budget" or len(present) == len(months)):
                out[name] = sum(present)
    if "visits" in out or "activities" in out:
        out["visits_all"] = out.get("visits", 0) + out.get("activities", 0)
    if months and "tks_active" in months[-1]:
        out["tks_active_last"] = months[-1]["tks_active"]  # the TKS count is a month's, the frequency the sum's
    return out


def figures(months: list[dict]) -> dict:
    """{indicator code: value or None} for a period whose months' values are `months`."""
    combined = combine(months)
    return {i.code: i.compute(combined) for i in INDICATORS}
