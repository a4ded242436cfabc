"""Forms of the partner pages. They shape input only: the rules live in partners.rules and the
services, whose errors come back onto the fields (core.web.run_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.core.importing import MODE_CHOICES
from sukarela.core.roles import Role
from sukarela.partners.models import AgreementKind, AgreementStatus, Offer, PartnerType, Reach
from sukarela.partners.selectors.listing import Filters
from sukarela.regions.forms import RegionField
from sukarela.regions.models import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def reach_choices(actor) -> list:
    """National and international reach are national officers' to give (the service says so too)."""
    if getattr(actor, "role", None) == Role.NATIONAL:
        return list(Reach.choices)
    return [(v, label) for v, label in Reach.choices if v in (Reach.PROVINCIAL, Reach.DISTRICT)]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga"), max_length=200)
    kind = forms.ModelChoiceField(label=_("Jenis"), queryset=PartnerType.objects.all())
    reach = forms.ChoiceField(label=_("Cakupan"), choices=Reach.choices)
    region = RegionField(label=_("Wilayah asal"), required=False, max_level=Level.REGENCY,
                         help_text=_("Provinsi untuk mitra provinsi, kabupaten/kota untuk mitra kabupaten/kota; "
                                     "kosong untuk mitra nasional/internasional."))
    regions_served = forms.CharField(
        label=_("Wilayah layanan"), required=False, max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "32.01, 32.02", "inputmode": "decimal"}),
        help_text=_("Kode wilayah yang dilayani (provinsi, kabupaten/kota atau kecamatan), dipisah koma."))
    offers = forms.ModelMultipleChoiceField(label=_("Dukungan yang ditawarkan"), queryset=Offer.objects.all(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    website = forms.CharField(label=_("Situs web"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://"}))
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)
    allow_duplicate = forms.BooleanField(
        label=_("Bukan duplikat"), required=False,
        help_text=_("Centang hanya jika sistem menyebut kemungkinan duplikat dan Anda yakin lembaganya berbeda; "
                    "tercatat di jejak audit."))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reach"].choices = reach_choices(actor)
        root = getattr(actor, "scope_code", "") or ""
        self.fields["region"] = RegionField(label=self.fields["region"].label, required=False,
                                            max_level=Level.REGENCY, root=root,
                                            help_text=self.fields["region"].help_text)

    def partner_data(self) -> dict:
        c = self.cleaned_data
        region = c.get("region")
        return {"name": c["name"], "kind": c["kind"], "reach": c["reach"], "region": region.code if region else None,
                "regions_served": c.get("regions_served") or "", "offers": list(c.get("offers") or []),
                "address": c.get("address", ""), "website": c.get("website", ""), "notes": c.get("notes", ""),
                "active": bool(c.get("active"))}


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Nama"), max_length=150)
    position = forms.CharField(label=_("Jabatan"), max_length=120, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}),
                            help_text=_("Contoh: 0812 3456 7890 atau (0251) 832 1234"))
    email = forms.CharField(label=_("Surel"), max_length=254, required=False,
                            widget=forms.EmailInput())


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=AgreementKind.choices)
    number = forms.CharField(label=_("Nomor"), max_length=100)
    title = forms.CharField(label=_("Perihal"), max_length=200, required=False)
    signed_on = forms.DateField(label=_("Ditandatangani"), widget=DATE, required=False)
    starts_on = forms.DateField(label=_("Mulai berlaku"), widget=DATE)
    ends_on = forms.DateField(label=_("Berakhir"), widget=DATE, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices, initial=AgreementStatus.DRAFT)
    document = forms.FileField(label=_("Dokumen (PDF, paling besar 5 MB)"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def agreement_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "document"}


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("Dokumen (PDF, paling besar 5 MB)"),
                               widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class ImportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Jika ada baris yang salah"), choices=MODE_CHOICES, initial="valid",
                             widget=forms.RadioSelect)
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama"), max_length=100, required=False)
    kind = forms.ModelChoiceField(label=_("Jenis"), queryset=PartnerType.objects.all(), required=False,
                                  empty_label=_("Semua"))
    reach = forms.ChoiceField(label=_("Cakupan"), choices=[("", _("Semua")), *Reach.choices], required=False)
    offer = forms.ModelChoiceField(label=_("Dukungan"), queryset=Offer.objects.all(), required=False,
                                   empty_label=_("Semua"))
    region = RegionField(label=_("Wilayah"), required=False, max_level=Level.DISTRICT)
    active = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua")), ("1", _("Aktif")), ("0", _("Tidak aktif"))])
    expiring = forms.BooleanField(label=_("Perjanjian segera berakhir"), required=False)

    def filters(self) -> Filters:
        """The selector's filters; a value that does not clean (unknown code) filters nothing."""
        self.is_valid()
        c = getattr(self, "cleaned_data", {})
        kind, offer, region = c.get("kind"), c.get("offer"), c.get("region")
        return Filters(kind=kind.pk if kind else "", reach=c.get("reach", ""), offer=offer.pk if offer else "",
                       region=region.code if region else "", q=c.get("q", ""), active=c.get("active", ""),
                       expiring=bool(c.get("expiring")))
