"""Recruitment: campaigns with regional quotas, applications, documents and imports.

An application's region scope is its domicile village; its quota region is the
campaign region that contains the domicile (None: outside the campaign, which
the eligibility check reports). Decisions are written by the selection service
from `engines.ranking`; the fields below keep enough to explain each one.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sukarela.engines.applicant_rows import EDUCATION_RANK

EDUCATION_CHOICES = [
    ("SMA", _("SMA/SMK sederajat")), ("D1", "D1"), ("D2", "D2"), ("D3", "D3"), ("D4", "D4"),
    ("S1", "S1"), ("S2", "S2"), ("S3", "S3"),
]
assert {code for code, _label in EDUCATION_CHOICES} == set(EDUCATION_RANK)

DEFAULT_PURPOSE = _(
    "Data pribadi Anda diproses oleh Kementerian Ketenagakerjaan hanya untuk seleksi, pelatihan dan "
    "penempatan Tenaga Kerja Sukarela (TKS) program TKM, sesuai UU No. 27 Tahun 2022 tentang Pelindungan "
    "Data Pribadi. Anda dapat melihat, memperbaiki, dan menarik persetujuan kapan saja."
)


class Overflow(models.TextChoices):
    NONE = "none", _("Tidak dialihkan")
    PROVINCE = "province", _("Ke wilayah lain dalam provinsi yang sama")
    NATIONAL = "national", _("Ke sisa peringkat nasional")


class Method(models.TextChoices):
    HAMILTON = "hamilton", _("Sisa terbesar (Hamilton)")
    WEBSTER = "webster", _("Webster / Sainte-Laguë")
    DHONDT = "dhondt", _("D'Hondt")


class Campaign(models.Model):
    name = models.CharField(_("nama"), max_length=150)
    year = models.PositiveSmallIntegerField(_("tahun"))
    target_seats = models.PositiveIntegerField(_("target kursi"))
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))
    # Applicants may correct their data until screening closes.
    screening_closes_on = models.DateField(_("penyaringan ditutup"))
    published = models.BooleanField(_("diumumkan untuk publik"), default=False)
    min_age = models.PositiveSmallIntegerField(_("usia minimum"), default=20)
    max_age = models.PositiveSmallIntegerField(_("usia maksimum"), default=35)
    min_education = models.CharField(_("pendidikan minimum"), max_length=3, choices=EDUCATION_CHOICES, default="D3")
    use_admin_check = models.BooleanField(_("tahap verifikasi administrasi"), default=True)
    test_weight = models.DecimalField(_("bobot nilai tes"), max_digits=5, decimal_places=2, default=60)
    test_pass_mark = models.DecimalField(_("nilai lulus tes"), max_digits=5, decimal_places=2, null=True, blank=True)
    interview_weight = models.DecimalField(_("bobot nilai wawancara"), max_digits=5, decimal_places=2, default=40)
    interview_pass_mark = models.DecimalField(
        _("nilai lulus wawancara"), max_digits=5, decimal_places=2, null=True, blank=True)
    household_cap = models.PositiveSmallIntegerField(
        _("maksimum pelamar terpilih per KK"), null=True, blank=True, default=2)
    overflow = models.CharField(_("kursi tak terisi"), max_length=10, choices=Overflow.choices, default=Overflow.NONE)
    apportion_method = models.CharField(_("metode kuota"), max_length=10, choices=Method.choices, blank=True)
    apportion_minimum = models.PositiveIntegerField(_("kursi minimum per wilayah"), default=0)
    consent_purpose = models.TextField(_("tujuan pemrosesan data"), default=DEFAULT_PURPOSE)
    selected_at = models.DateTimeField(_("seleksi dijalankan"), null=True, blank=True)
    screened_at = models.DateTimeField(_("penyaringan dijalankan"), null=True, blank=True)
    announced_at = models.DateTimeField(_("hasil diumumkan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-opens_on", "name"]
        verbose_name = _("kampanye rekrutmen")
        verbose_name_plural = _("kampanye rekrutmen")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.published and self.opens_on <= today <= self.closes_on

    def corrections_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return today <= self.screening_closes_on and self.selected_at is None

    @property
    def weighted_stages(self) -> list[tuple[str, float]]:
        return [(f, float(w)) for f, w in (("test_score", self.test_weight),
                                           ("interview_score", self.interview_weight)) if w and w > 0]


class ConsentText(models.Model):
    """A purpose text applicants agreed to, stored once: a million applications point at it."""

    text = models.TextField(_("tujuan pemrosesan data"))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    def __str__(self) -> str:
        return self.text[:80]

    @classmethod
    def of(cls, text: str) -> "ConsentText":
        digest = hashlib.sha256(text.encode()).hexdigest()
        return cls.objects.get_or_create(digest=digest, defaults={"text": text})[0]


class CampaignRegion(models.Model):
    """A quota unit of a campaign: the region, its weight and its seats."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quota_regions")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT)
    weight = models.DecimalField(_("bobot"), max_digits=14, decimal_places=2, default=0)
    computed_quota = models.PositiveIntegerField(_("kuota hitungan"), null=True, blank=True)
    quota = models.PositiveIntegerField(_("kuota"), default=0)

    scope_region_path = "region"

    class Meta:
        ordering = ["region_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "region"], name="campaign_region_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.region_id} = {self.quota}"


class DeclarationRule(models.Model):
    """An eligibility rule an officer adds without code: a yes/no statement the applicant makes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="declaration_rules")
    key = models.SlugField(_("kode"), max_length=40)
    statement = models.CharField(_("pernyataan"), max_length=200)
    required_answer = models.BooleanField(_("jawaban yang disyaratkan"), default=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="declaration_key_once")]

    def __str__(self) -> str:
        return self.statement


class Status(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    WITHDRAWN = "withdrawn", _("Ditarik")
    ERASED = "erased", _("Data dihapus (persetujuan ditarik)")


class AdminStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Lolos verifikasi")
    REJECTED = "rejected", _("Tidak lolos verifikasi")


class Decision(models.TextChoices):
    NONE = "", _("Belum diputuskan")
    SELECTED = "selected", _("Terpilih")
    WAITLISTED = "waitlisted", _("Cadangan")
    NOT_SELECTED = "not_selected", _("Tidak terpilih")


class Source(models.TextChoices):
    FORM = "form", _("Formulir publik")
    STAFF = "staff", _("Entri petugas")
    IMPORT = "import", _("Impor berkas")


class Application(models.Model):
    # Indexes and foreign-key triggers cost every row of a million-row import (PostgreSQL: 9 s of
    # COPY became 36 s with five FK checks). So the FK columns get no index of their own (the
    # composite ones in Meta cover the lookups), and the references that the import validates
    # itself (regions, consent text, import job) are not checked again row by row in the database;
    # Django still refuses to delete what they point at (on_delete=PROTECT).
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications", db_index=False)
    # Null only after the applicant withdrew consent and the record was anonymised.
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))])
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    education_level = models.CharField(_("pendidikan terakhir"), max_length=3, choices=EDUCATION_CHOICES)
    education_field = models.CharField(_("jurusan"), max_length=100, blank=True)
    domicile = models.ForeignKey(
        "regions.Region", verbose_name=_("domisili (desa/kelurahan)"), on_delete=models.PROTECT, related_name="+",
        db_index=False, db_constraint=False)
    quota_region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah kuota"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False, db_constraint=False)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    motivation = models.TextField(_("motivasi"), blank=True)
    experience = models.TextField(_("pengalaman"), blank=True)
    household_id = models.CharField(_("nomor KK"), max_length=16, blank=True)
    declarations = models.JSONField(_("pernyataan"), default=dict, blank=True)
    # Columns with a database default are left out of a bulk insert: fewer bytes per row.
    consent_text = models.ForeignKey(ConsentText, verbose_name=_("tujuan yang disetujui"), on_delete=models.PROTECT,
                                     related_name="+", db_index=False, db_constraint=False)
    consent_at = models.DateTimeField(_("persetujuan diberikan"), default=timezone.now, db_default=Now())
    source = models.CharField(_("sumber"), max_length=6, choices=Source.choices)
    import_job = models.ForeignKey("ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False, db_constraint=False)
    submitted_at = models.DateTimeField(_("dikirim"), default=timezone.now, db_default=Now())
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now, db_default=Now())
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_default=Status.ACTIVE)
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    # Screening: None = not checked yet; the failed rule's code names why not.
    eligible = models.BooleanField(_("memenuhi syarat"), null=True)
    ineligible_rule = models.CharField(_("syarat yang tidak dipenuhi"), max_length=60, blank=True, db_default="")
    admin_status = models.CharField(
        _("verifikasi administrasi"), max_length=10, choices=AdminStatus.choices, default=AdminStatus.PENDING,
        db_default=AdminStatus.PENDING)
    admin_note = models.TextField(_("catatan verifikasi"), blank=True, default="", db_default="")
    test_score = models.DecimalField(_("nilai tes"), max_digits=5, decimal_places=2, null=True, blank=True)
    interview_score = models.DecimalField(
        _("nilai wawancara"), max_digits=5, decimal_places=2, null=True, blank=True)
    # Selection, written by the selection service.
    score = models.FloatField(_("nilai akhir"), null=True, blank=True)
    decision = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices, blank=True, default="",
                                db_default="")
    decision_reason = models.CharField(_("alasan keputusan"), max_length=40, blank=True, default="", db_default="")
    region_rank = models.PositiveIntegerField(_("peringkat di wilayah"), null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(_("urutan cadangan"), null=True, blank=True)
    seat_region = models.ForeignKey(
        "regions.Region", verbose_name=_("kursi wilayah"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False, db_constraint=False)
    notified_at = models.DateTimeField(_("pemberitahuan dikirim"), null=True, blank=True)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun TKS"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="applications", db_index=False)
    # The applicant's private link: only a digest is stored, the link is shown and mailed once.
    access_digest = models.CharField(max_length=64, null=True, blank=True)

    scope_region_path = "domicile"
    personal_fields = {"nik": "NIK", "phone": "PHONE", "email": "EMAIL", "address": "ADDRESS",
                       "birth_date": "BIRTH_DATE", "household_id": "KK"}

    class Meta:
        ordering = ["id"]
        verbose_name = _("lamaran")
        verbose_name_plural = _("lamaran")
        # Few indexes, and partial ones where most rows are empty: each costs every row of a bulk import.
        constraints = [
            models.UniqueConstraint(fields=["campaign", "nik"], name="one_application_per_nik"),
            models.UniqueConstraint(fields=["access_digest"], condition=models.Q(access_digest__isnull=False),
                                    name="one_private_link"),
            models.UniqueConstraint(fields=["volunteer"], condition=models.Q(volunteer__isnull=False),
                                    name="one_application_per_volunteer"),
        ]
        indexes = [models.Index(fields=["campaign", "domicile"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.campaign_id}/{self.pk})"

    @classmethod
    def owned_by(cls, user):
        """A TKS made from an application sees that application; other field roles nothing."""
        return models.Q(volunteer=user)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class DocumentKind(models.TextChoices):
    KTP = "ktp", _("KTP")
    DIPLOMA = "ijazah", _("Ijazah")
    CV = "cv", _("Daftar riwayat hidup")
    OTHER = "lainnya", _("Lainnya")


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to="recruitment/documents/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis isi"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran"))
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    scope_region_path = "application__domicile"

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ImportKind(models.TextChoices):
    APPLICATIONS = "applications", _("Lamaran")
    SCORES = "scores", _("Nilai tes/wawancara")


class ImportMode(models.TextChoices):
    ALL = "all", _("Semua atau tidak sama sekali")
    VALID = "valid", _("Simpan baris yang valid")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Ditolak, tidak ada yang disimpan")
    FAILED = "failed", _("Gagal")


class ImportJob(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(_("jenis"), max_length=12, choices=ImportKind.choices)
    mode = models.CharField(_("mode"), max_length=5, choices=ImportMode.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The importer's scope when it ran: rows outside it are refused, and only that scope sees the job.
    scope_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    source = models.FileField(upload_to="recruitment/imports/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    report = models.FileField(upload_to="recruitment/reports/", blank=True)
    state = models.CharField(_("status"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    message = models.TextField(_("pesan"), blank=True)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    stored_rows = models.PositiveIntegerField(_("baris disimpan"), default=0)
    error_rows = models.PositiveIntegerField(_("baris ditolak"), default=0)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    scope_region_path = "scope_region"

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.pk})"

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.REJECTED, ImportState.FAILED)
