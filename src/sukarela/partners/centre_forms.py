"""Forms of the training-centre (BLK) pages. They shape input only: the rules live in
services/centres.py, whose errors come back onto the fields (core.web.run_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.partners.models import CentreKind
from sukarela.partners.selectors.centres import CentreFilters
from sukarela.regions.forms import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Nama BLK"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=CentreKind.choices)
    host_institution = forms.CharField(label=_("Lembaga induk"), max_length=200, required=False,
                                       help_text=_("Misalnya pesantren, yayasan atau serikat pekerja."))
    vocational_fields = forms.CharField(label=_("Kejuruan"), max_length=300, required=False,
                                        help_text=_("Dipisah koma, misalnya: Menjahit, Las, Tata boga."))
    region = RegionField(label=_("Wilayah"))
    fkn_member = forms.BooleanField(label=_("Anggota FKN BLK Komunitas"), required=False,
                                    help_text=_("Hanya untuk BLK Komunitas."))
    fkn_joined_on = forms.DateField(label=_("Bergabung FKN"), required=False, widget=DATE)
    venue = forms.TypedChoiceField(label=_("Tempat pelatihan terkait"), required=False, coerce=int,
                                   empty_value=None)

    def __init__(self, *args, actor=None, venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        root = getattr(actor, "scope_code", "") or ""
        self.fields["region"] = RegionField(label=self.fields["region"].label, root=root)
        self.fields["venue"].choices = [("", _("— tidak ada —"))] + [
            (v.pk, f"{v.name} ({v.region_id})") for v in venues]

    def centre_data(self) -> dict:
        c = self.cleaned_data
        return {"name": c["name"], "kind": c["kind"], "host_institution": c.get("host_institution", ""),
                "vocational_fields": c.get("vocational_fields", ""), "region": c["region"],
                "fkn_member": bool(c.get("fkn_member")), "fkn_joined_on": c.get("fkn_joined_on"),
                "venue": c.get("venue")}


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Nama program"), max_length=200)
    year = forms.IntegerField(label=_("Tahun"), min_value=1950, max_value=2100)
    participants = forms.IntegerField(label=_("Peserta"), min_value=0, required=False)


class SupporterForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Mitra pendukung"), coerce=int)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [(p.pk, p.name) for p in partners]


class CentreFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("", _("Semua")), *CentreKind.choices], required=False)
    fkn = forms.ChoiceField(label=_("FKN"), required=False, choices=[
        ("", _("Semua")), ("1", _("Anggota FKN")), ("0", _("Bukan anggota"))])
    region = RegionField(label=_("Wilayah"), required=False)

    def filters(self) -> CentreFilters:
        """The selector's filters; a value that does not clean filters nothing."""
        self.is_valid()
        c = getattr(self, "cleaned_data", {})
        region = c.get("region")
        return CentreFilters(kind=c.get("kind", ""), fkn=c.get("fkn", ""), region=region.code if region else "",
                             q=c.get("q", ""))
