"""After the posting: a TKS whose last posting ends becomes an alumnus. Their employment status is
kept over time (each answer or officer entry a dated Outcome, never overwritten), with the business
or incubator they founded and the jobs it created for others. Tracer surveys at 6 and 12 months go
out by e-mail with a private, expiring, one-time link."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AlumniRecord(models.Model):
    tks = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("TKS"), on_delete=models.PROTECT,
                               related_name="alumni_record")
    # The training cohort they graduated from (response rates are counted per cohort).
    cohort = models.ForeignKey("training.Cohort", verbose_name=_("angkatan"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    posting_ended_on = models.DateField(_("penugasan berakhir"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    scope_region_path = "tks__region"

    class Meta:
        ordering = ["-posting_ended_on", "id"]
        verbose_name = _("alumni")
        verbose_name_plural = _("alumni")

    def __str__(self) -> str:
        return str(self.tks)

    @classmethod
    def owned_by(cls, user):
        return models.Q(tks=user)


class Employment(models.TextChoices):
    EMPLOYED = "bekerja", _("Bekerja")
    OWN_BUSINESS = "usaha", _("Berusaha sendiri")
    INCUBATOR = "inkubator", _("Mendirikan inkubator bisnis")
    STUDY = "studi", _("Melanjutkan studi")
    SEEKING = "mencari", _("Mencari kerja")


class Source(models.TextChoices):
    SURVEY = "survei", _("Survei penelusuran")
    OFFICER = "petugas", _("Dicatat petugas")


class Outcome(models.Model):
    alumni = models.ForeignKey(AlumniRecord, on_delete=models.CASCADE, related_name="outcomes")
    as_of = models.DateField(_("per tanggal"))
    status = models.CharField(_("status"), max_length=10, choices=Employment.choices)
    organisation = models.CharField(_("tempat kerja / nama usaha / inkubator"), max_length=200, blank=True)
    jobs_created = models.PositiveIntegerField(_("lapangan kerja bagi orang lain"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    survey = models.OneToOneField("Survey", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope_region_path = "alumni__tks__region"

    class Meta:
        ordering = ["alumni_id", "as_of", "id"]
        verbose_name = _("hasil alumni")
        verbose_name_plural = _("hasil alumni")


class Survey(models.Model):
    """One tracer survey of one alumnus at 6 or 12 months. Only a SHA-256 of its link's token is
    stored; the link works until `expires_at` and only once."""

    alumni = models.ForeignKey(AlumniRecord, on_delete=models.CASCADE, related_name="surveys")
    wave = models.PositiveSmallIntegerField(_("bulan ke"), choices=[(6, _("6 bulan")), (12, _("12 bulan"))])
    due_on = models.DateField(_("jatuh tempo"))
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)

    scope_region_path = "alumni__tks__region"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("survei penelusuran")
        verbose_name_plural = _("survei penelusuran")
        constraints = [models.UniqueConstraint(fields=["alumni", "wave"], name="one_survey_per_wave")]

    def __str__(self) -> str:
        return f"{self.alumni} +{self.wave}"
