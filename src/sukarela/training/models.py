"""Training: curriculum templates, five-month cohorts, sessions, attendance, assessments,
graduation and certificates.

A cohort copies its curriculum's modules when it is made (CohortModule), so editing a
template later never changes what a running cohort is taught or assessed on. A cohort's
region is its scope; participants, sessions, attendance and assessments are scoped
through it. Trainers are users with the trainer role; they see their own sessions.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Check-in and certificate codes avoid look-alike characters (0/O, 1/I/L) so they can be
# read aloud in a classroom and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def taught_by(user, path: str) -> models.Q:
    """Rows whose cohort (at `path`) a trainer teaches: a session of theirs, or a module they lead."""
    return (models.Q(**{f"{path}__in": Session.objects.filter(trainer=user).values("cohort")})
            | models.Q(**{f"{path}__in": CohortModule.objects.filter(trainer=user).values("cohort")}))


class Mode(models.TextChoices):
    CLASSROOM = "classroom", _("Kelas di BLK")
    ONLINE = "online", _("Daring")
    FIELD = "field", _("Praktik lapangan")


class Curriculum(models.Model):
    name = models.CharField(_("nama"), max_length=150, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kurikulum")
        verbose_name_plural = _("kurikulum")

    def __str__(self) -> str:
        return self.name


class ModuleFields(models.Model):
    """What a module is, shared by the template and a cohort's copy."""

    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    code = models.SlugField(_("kode"), max_length=20)
    title = models.CharField(_("judul"), max_length=150)
    outcomes = models.TextField(_("capaian pembelajaran"), blank=True)
    planned_hours = models.PositiveSmallIntegerField(_("jam rencana"))
    mode = models.CharField(_("moda"), max_length=10, choices=Mode.choices, default=Mode.CLASSROOM)
    assessment = models.CharField(_("penilaian penutup"), max_length=150, blank=True)
    pass_mark = models.DecimalField(_("nilai lulus"), max_digits=5, decimal_places=2, default=70)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Module(ModuleFields):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="modules")

    class Meta(ModuleFields.Meta):
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        constraints = [models.UniqueConstraint(fields=["curriculum", "code"], name="module_code_once")]


class Venue(models.Model):
    class Kind(models.TextChoices):
        BLK_UPTP = "blk_uptp", _("BLK UPTP")
        BLK_KOMUNITAS = "blk_komunitas", _("BLK Komunitas")
        OTHER = "other", _("Tempat lain")
        ONLINE = "online", _("Ruang daring")

    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.BLK_UPTP)
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), null=True, blank=True)

    scope_region_path = "region"

    class Meta:
        ordering = ["name"]
        verbose_name = _("tempat pelatihan")
        verbose_name_plural = _("tempat pelatihan")

    def __str__(self) -> str:
        return self.name

    @property
    def can_clash(self) -> bool:
        """A room holds one session at a time; an online room holds any number."""
        return self.kind != self.Kind.ONLINE


class Cohort(models.Model):
    name = models.CharField(_("nama"), max_length=150)
    campaign = models.ForeignKey("recruitment.Campaign", verbose_name=_("kampanye rekrutmen"),
                                 on_delete=models.PROTECT, related_name="cohorts")
    curriculum = models.ForeignKey(Curriculum, verbose_name=_("kurikulum"), on_delete=models.PROTECT,
                                   related_name="cohorts")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT)
    venue = models.ForeignKey(Venue, verbose_name=_("tempat utama"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="cohorts")
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    # The daily timetable the schedule generator fills.
    day_starts_at = models.TimeField(_("jam mulai harian"), default="08:00")
    session_hours = models.PositiveSmallIntegerField(_("jam per sesi"), default=4)
    sessions_per_day = models.PositiveSmallIntegerField(_("sesi per hari"), default=1)
    # Government offices take cuti bersama off; a cohort run with a private centre may not.
    skip_cuti_bersama = models.BooleanField(_("cuti bersama diliburkan"), default=True)
    extra_days_off = models.JSONField(_("hari libur tambahan"), default=list, blank=True)
    # Graduation rules.
    min_attendance = models.DecimalField(_("kehadiran minimum (%)"), max_digits=5, decimal_places=2, default=80)
    require_all_modules = models.BooleanField(_("semua modul harus lulus"), default=True)
    final_pass_mark = models.DecimalField(_("nilai lulus ujian akhir"), max_digits=5, decimal_places=2,
                                          null=True, blank=True, help_text=_("Kosong: tanpa ujian akhir."))
    max_attempts = models.PositiveSmallIntegerField(_("percobaan maksimum per modul"), default=3)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    scope_region_path = "region"

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("angkatan pelatihan")
        verbose_name_plural = _("angkatan pelatihan")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def owned_by(cls, user):
        # Subqueries rather than joins, so a cohort never appears twice in a list.
        return models.Q(pk__in=Participant.objects.filter(volunteer=user).values("cohort")) | taught_by(user, "pk")

    @property
    def has_final(self) -> bool:
        return self.final_pass_mark is not None


class CohortModule(ModuleFields):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="modules")
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pelatih utama"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    scope_region_path = "cohort__region"

    class Meta(ModuleFields.Meta):
        verbose_name = _("modul angkatan")
        verbose_name_plural = _("modul angkatan")
        constraints = [models.UniqueConstraint(fields=["cohort", "code"], name="cohort_module_code_once")]


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(CohortModule, verbose_name=_("modul"), on_delete=models.PROTECT,
                               related_name="sessions")
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pelatih"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="training_sessions")
    venue = models.ForeignKey(Venue, verbose_name=_("tempat"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="sessions")
    # Read aloud by the trainer; a TKS types it to check in on the day.
    check_in_code = models.CharField(_("kode presensi"), max_length=8, unique=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    scope_region_path = "cohort__region"

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        indexes = [models.Index(fields=["date", "trainer"]), models.Index(fields=["date", "venue"]),
                   models.Index(fields=["cohort", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M} {self.module.code}"

    @classmethod
    def owned_by(cls, user):
        return taught_by(user, "cohort") | models.Q(cohort__in=Participant.objects.filter(volunteer=user).values("cohort"))

    @property
    def hours(self) -> float:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return (end - start) / 60


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Sedang pelatihan")
    GRADUATED = "graduated", _("Lulus")
    DROPPED = "dropped", _("Mengundurkan diri / dikeluarkan")


class Participant(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("TKS"), on_delete=models.PROTECT,
                                  related_name="trainings")
    status = models.CharField(_("status"), max_length=10, choices=ParticipantStatus.choices,
                              default=ParticipantStatus.ACTIVE)
    enrolled_at = models.DateTimeField(_("didaftarkan"), default=timezone.now)
    # A TKS who joins a running cohort is counted from this day; empty means from the cohort's start.
    joined_on = models.DateField(_("bergabung sejak"), null=True, blank=True)
    dropped_on = models.DateField(_("tanggal keluar"), null=True, blank=True)
    drop_reason = models.CharField(_("alasan keluar"), max_length=250, blank=True)
    graduated_at = models.DateTimeField(_("lulus pada"), null=True, blank=True)
    graduated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    scope_region_path = "cohort__region"

    class Meta:
        ordering = ["volunteer__full_name", "id"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "volunteer"], name="participant_once_per_cohort"),
            # A TKS trains in one cohort at a time; after dropping out they may join another.
            models.UniqueConstraint(fields=["volunteer"], condition=~models.Q(status="dropped"),
                                    name="one_current_training"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer.full_name} ({self.cohort_id})"

    @classmethod
    def owned_by(cls, user):
        """A TKS sees their own record; a trainer the participants of the cohorts they teach."""
        return models.Q(volunteer=user) | taught_by(user, "cohort")

    @property
    def certificate(self):
        """The certificate in force, else the last one issued (revoked), else None."""
        return self.certificates.order_by(models.F("revoked_at").desc(nulls_first=True), "-issued_at").first()


class Mark(models.TextChoices):
    PRESENT = "present", _("Hadir")
    LATE = "late", _("Terlambat")
    EXCUSED = "excused", _("Izin")
    ABSENT = "absent", _("Alpa")


class MarkSource(models.TextChoices):
    TRAINER = "trainer", _("Pelatih/petugas")
    SELF = "self", _("Presensi mandiri")
    IMPORT = "import", _("Impor berkas")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(_("kehadiran"), max_length=8, choices=Mark.choices)
    source = models.CharField(_("sumber"), max_length=8, choices=MarkSource.choices, default=MarkSource.TRAINER)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    scope_region_path = "session__cohort__region"

    class Meta:
        ordering = ["session_id", "participant_id"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="one_mark_per_session")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.participant_id}: {self.mark}"


class Assessment(models.Model):
    """One attempt at a module's assessment (module None: the final assessment). A remedial
    attempt is a new row with the next attempt number; earlier attempts stay as they were."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="assessments")
    module = models.ForeignKey(CohortModule, verbose_name=_("modul"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assessments")
    attempt = models.PositiveSmallIntegerField(_("percobaan ke"))
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2)
    assessed_on = models.DateField(_("tanggal penilaian"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    scope_region_path = "participant__cohort__region"

    class Meta:
        ordering = ["participant_id", "module_id", "attempt"]
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        constraints = [
            models.UniqueConstraint(fields=["participant", "module", "attempt"], name="module_attempt_once"),
            models.UniqueConstraint(fields=["participant", "attempt"], condition=models.Q(module__isnull=True),
                                    name="final_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.module_id or 'final'}#{self.attempt}: {self.score}"

    @property
    def is_remedial(self) -> bool:
        return self.attempt > 1


class Certificate(models.Model):
    """Issued at graduation. What it certifies is kept as issued (a snapshot), so the PDF and
    the public check say the same thing years later whatever happens to the cohort's data."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("kode verifikasi"), max_length=20, unique=True)
    holder_name = models.CharField(_("nama pemegang"), max_length=150)
    cohort_name = models.CharField(_("angkatan"), max_length=150)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    hours = models.DecimalField(_("jam pelatihan"), max_digits=6, decimal_places=1)
    modules = models.JSONField(_("modul"), default=list)  # [{"code", "title", "hours", "score"}]
    issued_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=250, blank=True)

    scope_region_path = "participant__cohort__region"

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        # A revoked certificate stays on record; a corrected one may be issued in its place.
        constraints = [models.UniqueConstraint(fields=["participant"], condition=models.Q(revoked_at__isnull=True),
                                               name="one_valid_certificate")]

    def __str__(self) -> str:
        return self.code

    @classmethod
    def owned_by(cls, user):
        return models.Q(participant__volunteer=user)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
