"""TKM groups: community micro-business groups, their members, and the aid they received.

A group's scope is its village. Members are identified by NIK: one NIK belongs to at most
one active membership (a partial unique constraint), and a group that stops releases its
members. Personal fields (NIK, birth date, bank account, address) are masked in lists.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """Business sectors; the programme's five are loaded by a migration, officers may add more."""

    code = models.SlugField(_("kode"), max_length=30, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sektor usaha")
        verbose_name_plural = _("sektor usaha")

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    PEMULA = "pemula", _("TKM Pemula")
    LANJUTAN = "lanjutan", _("TKM Lanjutan")


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    STOPPED = "stopped", _("Berhenti")
    GRADUATED = "graduated", _("Naik ke TKM Lanjutan")


class Group(models.Model):
    name = models.CharField(_("nama kelompok"), max_length=150)
    tier = models.CharField(_("tingkat"), max_length=10, choices=Tier.choices, default=Tier.PEMULA)
    sector = models.ForeignKey(Sector, verbose_name=_("sektor usaha"), on_delete=models.PROTECT, related_name="groups")
    village = models.ForeignKey("regions.Region", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT,
                                related_name="+")
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    # A point measured on site (GPS); without one, distance uses the village's or district's point.
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    aid_amount = models.DecimalField(_("bantuan (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    aid_received_on = models.DateField(_("bantuan diterima"), null=True, blank=True)
    # The programme's rule: 60% of the aid for tools (alat), 40% for materials (bahan).
    aid_tools = models.DecimalField(_("rencana alat (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    aid_materials = models.DecimalField(_("rencana bahan (Rp)"), max_digits=14, decimal_places=0, null=True,
                                        blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    registered_on = models.DateField(_("terdaftar"), default=timezone.localdate)
    # The day the group stopped (status "stopped"): group survival after the aid is counted from it.
    stopped_on = models.DateField(_("berhenti"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    scope_region_path = "village"
    personal_fields = {"bank_account": "BANK_ACCOUNT", "address": "ADDRESS"}

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("kelompok TKM")
        verbose_name_plural = _("kelompok TKM")
        indexes = [models.Index(fields=["village", "status"]), models.Index(fields=["status", "sector"])]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def owned_by(cls, user):
        """A group chair sees the group whose active chair their login is; a TKS the groups they
        mentor now (an open posting). Subqueries, not joins: a join on members would repeat rows
        and narrow the member counts of the list to the matching member."""
        # assignments depends on groups, so its model is imported only when asked.
        from sukarela.assignments.models import Posting

        chaired = Member.objects.filter(chair_account=user, is_chair=True, active=True).values("group")
        mentored = Posting.objects.filter(mentor=user, ends_on__isnull=True).values("group")
        return models.Q(pk__in=chaired) | models.Q(pk__in=mentored)


class Member(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    nik = models.CharField(_("NIK"), max_length=16)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))])
    birth_date = models.DateField(_("tanggal lahir"))
    is_chair = models.BooleanField(_("ketua"), default=False)
    unemployed_declared = models.BooleanField(_("menyatakan belum bekerja saat mendaftar"), default=False)
    active = models.BooleanField(_("aktif"), default=True)
    joined_on = models.DateField(_("bergabung"), default=timezone.localdate)
    left_on = models.DateField(_("keluar"), null=True, blank=True)
    # The chair's login (role group chair), when one was made.
    chair_account = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_path = "group__village"
    personal_fields = {"nik": "NIK", "birth_date": "BIRTH_DATE"}

    class Meta:
        ordering = ["-is_chair", "full_name", "id"]
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")
        constraints = [
            # One NIK, one active membership (a group that stops sets its members inactive).
            models.UniqueConstraint(fields=["nik"], condition=models.Q(active=True), name="one_active_membership"),
            models.UniqueConstraint(fields=["group"], condition=models.Q(is_chair=True, active=True),
                                    name="one_chair_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.group_id})"


class IndicatorSnapshot(models.Model):
    """How a group is doing, as recorded at a visit or monthly: a dated snapshot that is never
    overwritten (a correction is a newer snapshot), so trends can be drawn."""

    id = models.UUIDField(primary_key=True, editable=False)  # made by the phone when recorded offline
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="indicators")
    recorded_on = models.DateField(_("tanggal"))
    turnover = models.DecimalField(_("omzet sebulan (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    capital = models.DecimalField(_("modal (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    active_members = models.PositiveSmallIntegerField(_("anggota masih aktif"), null=True, blank=True)
    new_workers = models.PositiveSmallIntegerField(_("pekerja baru"), null=True, blank=True)
    products = models.CharField(_("produk"), max_length=200, blank=True)
    price = models.DecimalField(_("harga satuan (Rp)"), max_digits=12, decimal_places=0, null=True, blank=True)
    # Aid spent so far against the 60/40 plan (cumulative, Rp).
    aid_spent_tools = models.DecimalField(_("bantuan terpakai: alat (Rp)"), max_digits=14, decimal_places=0,
                                          null=True, blank=True)
    aid_spent_materials = models.DecimalField(_("bantuan terpakai: bahan (Rp)"), max_digits=14, decimal_places=0,
                                              null=True, blank=True)
    lpj_done = models.BooleanField(_("LPJ selesai"), default=False)
    recorded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    scope_region_path = "group__village"

    class Meta:
        ordering = ["group_id", "recorded_on", "created_at"]
        verbose_name = _("indikator kelompok")
        verbose_name_plural = _("indikator kelompok")
        indexes = [models.Index(fields=["group", "recorded_on"])]

    def __str__(self) -> str:
        return f"{self.group_id} {self.recorded_on}"

    @classmethod
    def owned_by(cls, user):
        return models.Q(group__in=Group.objects.filter(Group.owned_by(user)).values("pk"))
