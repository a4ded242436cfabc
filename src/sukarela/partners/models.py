"""The partnership network ("jejaring kemitraan"): partner institutions with their contacts,
offers and agreements (MoU/PKS); training centres (BLK UPTP and BLK Komunitas, the FKN BLK
Komunitas forum, their entrepreneurship programmes and supporting partners); and linkages that
join a TKM group or a BLK to a partner for a purpose, brokered by a TKS, through a status pipeline.

Visibility (selectors): officers see partners of national or international scope, and those whose
home region or a served region lies in their scope; they edit only those whose home region is in
their scope (national officers: all). A partner user is out of this issue (DESIGN's "partner" role).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerType(models.Model):
    """Ministry, local government (Dinas/SKPD), BUMN, bank, education and training institution,
    community-empowerment institution — seeded by a data migration; national officers add more."""

    code = models.SlugField(_("kode"), max_length=30, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("jenis mitra")
        verbose_name_plural = _("jenis mitra")

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """What a partner offers: credit (KUR), grants, training, market access, equipment,
    permits/legality, CSR — seeded; extensible like PartnerType."""

    code = models.SlugField(_("kode"), max_length=30, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("bentuk dukungan")
        verbose_name_plural = _("bentuk dukungan")

    def __str__(self) -> str:
        return self.name


class Reach(models.TextChoices):
    NATIONAL = "nasional", _("Nasional")
    INTERNATIONAL = "internasional", _("Internasional")
    PROVINCIAL = "provinsi", _("Provinsi")
    DISTRICT = "kabupaten", _("Kabupaten/kota")


class Partner(models.Model):
    name = models.CharField(_("nama lembaga"), max_length=200)
    # Lower-case, without legal forms and punctuation: what duplicate detection compares (services).
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.ForeignKey(PartnerType, verbose_name=_("jenis"), on_delete=models.PROTECT, related_name="partners")
    reach = models.CharField(_("cakupan"), max_length=15, choices=Reach.choices)
    # The office that registered it (None for national/international partners registered centrally).
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah asal"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    regions_served = models.ManyToManyField("regions.Region", verbose_name=_("wilayah layanan"), blank=True,
                                            related_name="+")
    offers = models.ManyToManyField(Offer, verbose_name=_("dukungan yang ditawarkan"), blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_path = "region"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)

    scope_region_path = "partner__region"
    personal_fields = {"phone": "PHONE", "email": "EMAIL"}

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("kontak mitra")
        verbose_name_plural = _("kontak mitra")

    def __str__(self) -> str:
        return self.full_name


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Nota kesepahaman (MoU)")
    PKS = "pks", _("Perjanjian kerja sama (PKS)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    ACTIVE = "berlaku", _("Berlaku")
    ENDED = "berakhir", _("Berakhir")
    TERMINATED = "diputus", _("Diputus")


def agreement_path(agreement, filename: str) -> str:
    return f"agreements/{agreement.partner_id}/{agreement.pk or 'new'}-{filename}"


class Agreement(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("jenis"), max_length=5, choices=AgreementKind.choices)
    number = models.CharField(_("nomor"), max_length=100)
    title = models.CharField(_("perihal"), max_length=200, blank=True)
    signed_on = models.DateField(_("ditandatangani"), null=True, blank=True)
    starts_on = models.DateField(_("mulai berlaku"))
    ends_on = models.DateField(_("berakhir"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    document = models.FileField(_("dokumen (PDF)"), upload_to=agreement_path, blank=True)

    scope_region_path = "partner__region"

    class Meta:
        ordering = ["ends_on", "id"]
        verbose_name = _("perjanjian")
        verbose_name_plural = _("perjanjian")
        constraints = [models.UniqueConstraint(fields=["partner", "kind", "number"], name="one_agreement_number")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class CentreKind(models.TextChoices):
    UPTP = "uptp", _("BLK UPTP")
    KOMUNITAS = "komunitas", _("BLK Komunitas")


class TrainingCentre(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=CentreKind.choices)
    host_institution = models.CharField(_("lembaga induk"), max_length=200, blank=True)  # e.g. a pesantren
    vocational_fields = models.CharField(_("kejuruan"), max_length=300, blank=True)  # comma-separated
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                               related_name="+")
    fkn_member = models.BooleanField(_("anggota FKN BLK Komunitas"), default=False)
    fkn_joined_on = models.DateField(_("bergabung FKN"), null=True, blank=True)
    supporters = models.ManyToManyField(Partner, verbose_name=_("mitra pendukung"), blank=True,
                                        related_name="centres")
    venue = models.OneToOneField("training.Venue", verbose_name=_("tempat pelatihan"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="centre")

    scope_region_path = "region"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("BLK")
        verbose_name_plural = _("BLK")

    def __str__(self) -> str:
        return self.name


class CentreProgramme(models.Model):
    """An entrepreneurship programme a centre runs (e.g. a business incubation class of 2026)."""

    centre = models.ForeignKey(TrainingCentre, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("nama program"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    participants = models.PositiveIntegerField(_("peserta"), null=True, blank=True)

    scope_region_path = "centre__region"

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("program kewirausahaan")
        verbose_name_plural = _("program kewirausahaan")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Purpose(models.TextChoices):
    LOAN = "pinjaman", _("Pinjaman/kredit")
    TRAINING = "pelatihan", _("Pelatihan")
    MARKET = "pasar", _("Pasar")
    EQUIPMENT = "peralatan", _("Peralatan")
    PERMIT = "perizinan", _("Perizinan")
    MENTORING = "pendampingan", _("Pendampingan")


class LinkageStatus(models.TextChoices):
    PROPOSED = "diusulkan", _("Diusulkan")
    CONTACTED = "dihubungi", _("Dihubungi")
    AGREED = "disepakati", _("Disepakati")
    REALISED = "terealisasi", _("Terealisasi")
    FAILED = "gagal", _("Gagal")


class Linkage(models.Model):
    """A TKM group or a BLK joined to a partner for a purpose. The status moves along
    proposed → contacted → agreed → realised, or to failed (with a reason) from any open step;
    each step is a LinkageStep row and an audit event."""

    group = models.ForeignKey("groups.Group", verbose_name=_("kelompok"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="linkages")
    centre = models.ForeignKey(TrainingCentre, verbose_name=_("BLK"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="linkages")
    partner = models.ForeignKey(Partner, verbose_name=_("mitra"), on_delete=models.PROTECT, related_name="linkages")
    purpose = models.CharField(_("tujuan"), max_length=15, choices=Purpose.choices)
    broker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("TKS perantara"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="brokered_linkages")
    visit = models.ForeignKey("mentoring.Visit", verbose_name=_("kunjungan"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="linkages")
    status = models.CharField(_("status"), max_length=12, choices=LinkageStatus.choices,
                              default=LinkageStatus.PROPOSED)
    proposed_on = models.DateField(_("diusulkan"), default=timezone.localdate)
    status_on = models.DateField(_("tanggal status"), default=timezone.localdate)
    failed_reason = models.CharField(_("alasan gagal"), max_length=300, blank=True)
    # What was realised: an amount (a loan, a contract), people trained.
    value_amount = models.DecimalField(_("nilai terealisasi (Rp)"), max_digits=16, decimal_places=0, null=True,
                                       blank=True)
    people_trained = models.PositiveIntegerField(_("orang terlatih"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    # Scoped by the group's village, or the centre's region (selectors combine both paths).
    scope_region_path = "group__village"

    class Meta:
        ordering = ["-status_on", "-id"]
        verbose_name = _("keterkaitan mitra")
        verbose_name_plural = _("keterkaitan mitra")
        constraints = [models.CheckConstraint(
            condition=(models.Q(group__isnull=False, centre__isnull=True)
                       | models.Q(group__isnull=True, centre__isnull=False)),
            name="linkage_group_or_centre")]
        indexes = [models.Index(fields=["status", "status_on"]), models.Index(fields=["partner", "status"])]

    def __str__(self) -> str:
        return f"{self.group or self.centre} ↔ {self.partner} ({self.get_purpose_display()})"

    @classmethod
    def owned_by(cls, user):
        """A TKS sees the linkages they brokered and those of the groups they mentor now."""
        from sukarela.groups.models import Group

        return models.Q(broker=user) | models.Q(group__in=Group.objects.filter(Group.owned_by(user)).values("pk"))


class LinkageStep(models.Model):
    """One move of a linkage's status: the pipeline's history."""

    linkage = models.ForeignKey(Linkage, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=12, choices=LinkageStatus.choices)
    on = models.DateField(_("tanggal"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linkage_id", "at", "id"]
        verbose_name = _("langkah keterkaitan")
        verbose_name_plural = _("langkah keterkaitan")
