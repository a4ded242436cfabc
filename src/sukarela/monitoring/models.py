"""Monitoring: precomputed indicator components, the programme budget, and built reports.

Dashboards never scan raw rows per request: `services.refresh` folds visits, indicator
snapshots and the smaller stage tables into GroupMonth (one row per group and month) and
RegionMonth (one row per region and month, at every level: the nation, each province, each
regency), incrementally, from watermarks kept in RefreshState. The indicators themselves
(monitoring/indicators.py) are formulas over RegionMonth.values.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NATIONAL = ""  # RegionMonth.region_code of the whole country


class RegionMonth(models.Model):
    """The components of every indicator for one region and one calendar month. `values` maps a
    component name (monitoring/indicators.py COMPONENTS) to a number; a component that cannot be
    counted (no data at all) is absent rather than zero."""

    region_code = models.CharField(max_length=13, blank=True)  # "" the nation, "32", "32.01"
    level = models.PositiveSmallIntegerField()  # 0 nation, 1 province, 2 regency (regions.Level)
    month = models.DateField()  # the first day of the month
    values = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "month"], name="region_month_once")]
        indexes = [models.Index(fields=["level", "month"])]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.month:%Y-%m}"


class GroupMonth(models.Model):
    """What one TKM group did in one month: its visits by role and task, its last visit, the
    turnover and new workers its indicator snapshots recorded. The regency is copied in so a
    region's month is one indexed range scan."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    regency_code = models.CharField(max_length=5)  # "32.01"
    visits = models.PositiveIntegerField(default=0)  # kind "kunjungan"
    activities = models.PositiveIntegerField(default=0)  # kind "kegiatan"
    # Visits and activities counted once per role played and per task served (mentoring.TksRole/Task).
    roles = models.JSONField(default=dict)  # {"motivator": 3, ...}
    tasks = models.JSONField(default=dict)  # {"usaha": 2, ...}
    last_visit_on = models.DateField(null=True, blank=True)
    # The TKS who made those visits and activities (user ids, ascending): distinct TKS per region.
    tks = models.JSONField(default=list)
    # The latest turnover recorded in the month (None: none recorded), and new workers recorded in it.
    turnover = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    # The first turnover recorded in the month and how many were: a group's growth runs from its
    # first turnover ever (the first of its earliest month) to the latest up to a month's end.
    turnover_first = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    turnover_count = models.PositiveIntegerField(default=0)
    new_workers = models.PositiveIntegerField(default=0)

    scope_region_path = "group__village"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "month"], name="group_month_once")]
        indexes = [models.Index(fields=["month", "regency_code"])]

    def __str__(self) -> str:
        return f"{self.group_id} {self.month:%Y-%m}"


class GroupTurnover(models.Model):
    """A group's turnover record over all its months, kept beside GroupMonth by the refresh: the
    first turnover ever recorded, the latest, its month and how many there are. The current month's
    median turnover growth reads these (one short row per group) instead of every group's months."""

    group = models.OneToOneField("groups.Group", primary_key=True, on_delete=models.CASCADE, related_name="+")
    regency_code = models.CharField(max_length=5)
    first = models.DecimalField(max_digits=14, decimal_places=0)
    latest = models.DecimalField(max_digits=14, decimal_places=0)
    latest_month = models.DateField()
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.group_id}: {self.first} → {self.latest}"


class RefreshState(models.Model):
    """A watermark of the incremental refresh: what of source `name` is already folded in."""

    name = models.CharField(max_length=40, primary_key=True)
    watermark = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)  # how long the last refresh took

    def __str__(self) -> str:
        return f"{self.name} @ {self.watermark}"


class Budget(models.Model):
    """The programme budget a region spent in a year (Rp), entered by an officer; cost per job
    created divides it by the jobs the region's groups created. No region: the national budget."""

    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.DecimalField(_("anggaran (Rp)"), max_digits=16, decimal_places=0)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    scope_region_path = "region"

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("anggaran")
        verbose_name_plural = _("anggaran")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="budget_once_per_region_year"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(region__isnull=True),
                                    name="national_budget_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id or 'ID'} {self.year}"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class Report(models.Model):
    """A monthly programme report of one region (None: national) in one format, built on demand
    or by the schedule. Building again replaces the file of the same region, month and format."""

    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("bulan"))  # the first day of the month reported
    fmt = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    state = models.CharField(_("status"), max_length=8, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    error = models.TextField(_("galat"), blank=True)
    path = models.CharField(max_length=300, blank=True)  # under MEDIA_ROOT
    size = models.PositiveIntegerField(default=0)
    scheduled = models.BooleanField(_("terjadwal"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    built_at = models.DateTimeField(_("selesai dibuat"), null=True, blank=True)

    scope_region_path = "region"

    class Meta:
        ordering = ["-month", "region_id", "fmt"]
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["region", "month", "fmt"], name="report_once"),
            models.UniqueConstraint(fields=["month", "fmt"], condition=models.Q(region__isnull=True),
                                    name="national_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id or 'ID'} {self.month:%Y-%m} {self.fmt}"
