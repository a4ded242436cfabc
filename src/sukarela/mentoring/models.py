"""Mentoring in the field: a TKS's visits to their groups and group activities (a training at a
BLK, a market fair), what role they played and which task they served, follow-up actions,
photos, and the district officer's review.

A visit's primary key is the UUID the phone made when the visit was recorded, possibly offline:
sending it again stores nothing new (see services/visits.py). Edits carry the version they
started from, so an edit made offline while the server's copy changed is a conflict, never a
silent overwrite.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TksRole(models.TextChoices):
    """The four roles a TKS plays with a group (Kemnaker's TKS guideline)."""

    MOTIVATOR = "motivator", _("Motivator")
    FASILITATOR = "fasilitator", _("Fasilitator")
    MEDIATOR = "mediator", _("Mediator")
    INOVATOR = "inovator", _("Inovator")


class Task(models.TextChoices):
    """The four tasks a visit can serve; each has its own structured fields (engines/visit_rules.py)."""

    BUSINESS = "usaha", _("Pengembangan usaha")
    PARTNERSHIP = "kemitraan", _("Jejaring kemitraan")
    CAPACITY = "kapasitas", _("Peningkatan kapasitas")
    SUPPORT = "akses", _("Akses dukungan usaha")


class Kind(models.TextChoices):
    VISIT = "kunjungan", _("Kunjungan")
    ACTIVITY = "kegiatan", _("Kegiatan kelompok")


class ReviewStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", _("Disetujui")
    RETURNED = "dikembalikan", _("Dikembalikan")


class Flag(models.TextChoices):
    """Automatic flags on one visit; those on a group or a TKS (no visit for long) are computed
    by selectors.flags, not stored."""

    FAR = "jauh", _("Jauh dari titik kelompok")
    OVERLAP = "tumpang", _("Waktunya bertumpang dengan kunjungan lain")


class Visit(models.Model):
    id = models.UUIDField(primary_key=True, editable=False)  # made by the phone: the idempotency key
    # No index of their own: (tks, started_at) and (group, started_at) below serve those lookups,
    # and every index is one more write on the field sync's hot path.
    tks = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("TKS"), on_delete=models.PROTECT,
                            related_name="visits", db_index=False)
    group = models.ForeignKey("groups.Group", verbose_name=_("kelompok"), on_delete=models.PROTECT,
                              related_name="visits", db_index=False)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    title = models.CharField(_("judul kegiatan"), max_length=150, blank=True)
    place = models.CharField(_("tempat"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("mulai"))
    duration_minutes = models.PositiveSmallIntegerField(_("lama (menit)"))
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    accuracy_m = models.FloatField(_("akurasi GPS (m)"), null=True, blank=True)
    roles = models.JSONField(_("peran"), default=list)        # TksRole values
    tasks = models.JSONField(_("tugas"), default=list)        # Task values
    details = models.JSONField(_("rincian tugas"), default=dict)  # {task: {field: value}}
    notes = models.TextField(_("catatan"), blank=True)
    innovation = models.TextField(_("inovasi yang diperkenalkan"), blank=True)
    attendance = models.JSONField(_("anggota hadir"), default=list)  # Member ids of the group
    indicators = models.OneToOneField("groups.IndicatorSnapshot", verbose_name=_("indikator"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="visit")
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices,
                              default=ReviewStatus.SUBMITTED)
    review_comment = models.TextField(_("komentar pemeriksa"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    confirmed_by_chair_at = models.DateTimeField(_("dikonfirmasi ketua"), null=True, blank=True)
    flags = models.JSONField(_("tanda"), default=list)  # Flag values, set when stored or edited
    km_from_group = models.FloatField(_("jarak dari titik kelompok (km)"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    # SHA-256 of the canonical submission: a replay with the same content answers as the first time.
    digest = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    scope_region_path = "group__village"

    class Meta:
        ordering = ["-started_at", "id"]
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        indexes = [models.Index(fields=["tks", "started_at"]), models.Index(fields=["group", "started_at"]),
                   models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.group_id}"

    @property
    def ends_at(self):
        return self.started_at + dt.timedelta(minutes=self.duration_minutes)

    @classmethod
    def owned_by(cls, user):
        """A TKS sees their own visits; a group chair the visits to their group."""
        from sukarela.groups.models import Member

        chaired = Member.objects.filter(chair_account=user, is_chair=True, active=True).values("group")
        return models.Q(tks=user) | models.Q(group__in=chaired)


class FollowUp(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("tindak lanjut"), max_length=300)
    due_on = models.DateField(_("tenggat"))
    done_on = models.DateField(_("selesai"), null=True, blank=True)

    scope_region_path = "visit__group__village"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")

    def __str__(self) -> str:
        return self.action

    @classmethod
    def owned_by(cls, user):
        return models.Q(visit__tks=user)


def photo_path(photo, filename: str) -> str:
    return f"visits/{photo.visit_id}/{photo.pk}.{filename.rsplit('.', 1)[-1]}"


class Photo(models.Model):
    """A photo of a visit, uploaded in small parts that can resume after a dropped connection.
    Declared (size, SHA-256) with the visit; `received` bytes so far; complete once checked."""

    id = models.UUIDField(primary_key=True, editable=False)  # made by the phone
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    received = models.PositiveIntegerField(_("diterima (bita)"), default=0)
    file = models.FileField(upload_to=photo_path, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    scope_region_path = "visit__group__village"

    class Meta:
        ordering = ["visit_id", "id"]
        verbose_name = _("foto kunjungan")
        verbose_name_plural = _("foto kunjungan")

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def complete(self) -> bool:
        return self.completed_at is not None

    @classmethod
    def owned_by(cls, user):
        return models.Q(visit__in=Visit.objects.filter(Visit.owned_by(user)).values("pk"))
