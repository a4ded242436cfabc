"""Mentor ↔ group assignments: the mentors' matching profile, runs of the matching engine
(a proposal per group, with the reason), hand pins and forbids, and published postings.

A run belongs to a training cohort (its graduates are the mentors) and looks at the active
groups of the cohort's region. Publishing turns the run's proposals into postings: dated
history of who mentored which group when; a posting that changes is ended, never edited.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Boundary(models.TextChoices):
    REGENCY = "regency", _("Dalam kabupaten/kota yang sama")
    PROVINCE = "province", _("Dalam provinsi yang sama")
    NONE = "none", _("Boleh lintas provinsi")


class MentorProfile(models.Model):
    """What matching needs to know of a TKS beyond their account: skills, capacity, a home point."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile")
    sectors = models.ManyToManyField("groups.Sector", verbose_name=_("keahlian sektor"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("kapasitas kelompok"), default=10)
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)

    scope_region_path = "user__region"

    class Meta:
        verbose_name = _("profil pendamping")
        verbose_name_plural = _("profil pendamping")

    def __str__(self) -> str:
        return str(self.user)


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Pratinjau")
    PUBLISHED = "published", _("Diterbitkan")
    SUPERSEDED = "superseded", _("Digantikan")


class MatchRun(models.Model):
    cohort = models.ForeignKey("training.Cohort", verbose_name=_("angkatan"), on_delete=models.PROTECT,
                               related_name="match_runs")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                               related_name="+")
    max_km = models.DecimalField(_("jarak maksimum (km)"), max_digits=6, decimal_places=1, default=50)
    boundary = models.CharField(_("batas wilayah"), max_length=10, choices=Boundary.choices,
                                default=Boundary.PROVINCE)
    sector_penalty_km = models.DecimalField(_("penalti sektor (km)"), max_digits=6, decimal_places=1, default=50)
    keep_current = models.BooleanField(_("pertahankan pasangan yang sudah ada"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    # {"covered", "unassigned", "total_cost", "parts", "seconds", "mentors", "groups"}
    summary = models.JSONField(_("ringkasan"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dijalankan"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)

    scope_region_path = "region"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pencocokan")
        verbose_name_plural = _("pencocokan")

    def __str__(self) -> str:
        return f"{self.cohort} #{self.pk}"


class Proposal(models.Model):
    """The run's answer for one group: its mentor and why, or why none."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    km = models.FloatField(_("jarak (km)"), null=True, blank=True)
    sector_fit = models.BooleanField(_("sektor sesuai"), default=False)
    cost = models.BigIntegerField(_("biaya"), default=0)
    pinned = models.BooleanField(_("dikunci"), default=False)
    kept = models.BooleanField(_("dipertahankan"), default=False)
    reason = models.CharField(_("alasan tanpa pendamping"), max_length=30, blank=True)
    # The group's mentor when the run was made: publishing refuses if postings changed since.
    was = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")

    scope_region_path = "group__village"

    class Meta:
        ordering = ["run_id", "group_id"]
        constraints = [models.UniqueConstraint(fields=["run", "group"], name="one_proposal_per_group")]


class Rule(models.Model):
    """A hand decision the next runs of the cohort respect: this mentor must (pin) or must never
    (forbid) accompany this group."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Kunci pasangan")
        FORBID = "forbid", _("Larang pasangan")

    cohort = models.ForeignKey("training.Cohort", on_delete=models.CASCADE, related_name="match_rules")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope_region_path = "group__village"

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "group", "mentor"], name="one_rule_per_pair")]


class Posting(models.Model):
    """A mentor accompanies a group from `starts_on` until `ends_on` (open while current)."""

    group = models.ForeignKey("groups.Group", on_delete=models.PROTECT, related_name="postings")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="postings")
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="postings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_path = "group__village"

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [models.UniqueConstraint(fields=["group"], condition=models.Q(ends_on__isnull=True),
                                               name="one_current_posting")]
        indexes = [models.Index(fields=["mentor", "ends_on"])]

    def __str__(self) -> str:
        return self.describe(self.mentor_id, self.group_id, self.starts_on, self.ends_on)

    @staticmethod
    def describe(mentor_id, group_id, starts_on, ends_on) -> str:
        """The label of a posting (the audit trail's), also for rows written in bulk."""
        return f"{mentor_id} → {group_id} ({starts_on}–{ends_on or ''})"

    @classmethod
    def owned_by(cls, user):
        """A TKS sees their own postings."""
        return models.Q(mentor=user)
