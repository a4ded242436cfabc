"""Forms of the linkage pages. They shape input only: the rules (scope, pipeline, values, dates)
live in services/linkages.py, whose errors come back onto the fields (core.web.run_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.core.importing import MODE_CHOICES
from sukarela.partners.models import LinkageStatus, PartnerType, Purpose
from sukarela.partners.selectors.linkages import LinkageFilters
from sukarela.partners.linkage_rules import FINAL, PIPELINE
from sukarela.regions.forms import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "step": "1"})


class LinkageForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Mitra"), coerce=int)
    purpose = forms.ChoiceField(label=_("Tujuan"), choices=Purpose.choices)
    broker = forms.TypedChoiceField(label=_("TKS perantara"), coerce=int, required=False, empty_value=None)
    proposed_on = forms.DateField(label=_("Tanggal usulan"), widget=DATE, required=False)
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, partners=(), brokers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("— pilih mitra —"))] + [
            (p.pk, f"{p.name} ({p.kind.name})") for p in partners]
        if brokers is None:  # a TKS brokers their own linkage: no choice to make
            del self.fields["broker"]
        else:
            self.fields["broker"].choices = [("", _("— TKS pendamping saat ini —"))] + [
                (u.pk, u.full_name) for u in brokers]


class VisitLinkageForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Mitra (dari daftar mitra)"), coerce=int)
    purpose = forms.ChoiceField(label=_("Tujuan"), choices=Purpose.choices)
    value_amount = forms.IntegerField(label=_("Nilai terealisasi (Rp)"), required=False, min_value=1, widget=AMOUNT)
    people_trained = forms.IntegerField(label=_("Orang terlatih"), required=False, min_value=1)
    failed_reason = forms.CharField(label=_("Alasan gagal"), required=False, max_length=300)
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("— pilih mitra —"))] + [
            (p.pk, f"{p.name} ({p.kind.name})") for p in partners]


def next_statuses(current: str) -> list:
    """The statuses a linkage may move to from `current` (forward, or failed), for the form."""
    if current in FINAL:
        return []
    ahead = PIPELINE[PIPELINE.index(current) + 1:]
    return [(s, LinkageStatus(s).label) for s in ahead] + [(LinkageStatus.FAILED, LinkageStatus.FAILED.label)]


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=LinkageStatus.choices)
    on = forms.DateField(label=_("Tanggal"), widget=DATE, required=False,
                         help_text=_("Kosong: hari ini. Tidak sebelum tanggal status sebelumnya."))
    note = forms.CharField(label=_("Catatan langkah"), required=False, max_length=300)
    value_amount = forms.IntegerField(label=_("Nilai terealisasi (Rp)"), required=False, min_value=1, widget=AMOUNT,
                                      help_text=_("Wajib saat terealisasi untuk pinjaman, pasar dan peralatan."))
    people_trained = forms.IntegerField(label=_("Orang terlatih"), required=False, min_value=1,
                                        help_text=_("Wajib saat terealisasi untuk pelatihan."))
    failed_reason = forms.CharField(label=_("Alasan gagal"), required=False, max_length=300,
                                    help_text=_("Wajib bila gagal."))

    def __init__(self, *args, current: str = LinkageStatus.PROPOSED, **kwargs):
        super().__init__(*args, **kwargs)
        # Every status stays valid input, so a refused move is the service's message, not "not a choice".
        options = next_statuses(current)
        self.fields["status"].choices = options + [c for c in LinkageStatus.choices
                                                   if c[0] not in {o[0] for o in options}]
        self.options = options


class LinkageFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Semua")), *LinkageStatus.choices], required=False)
    purpose = forms.ChoiceField(label=_("Tujuan"), choices=[("", _("Semua")), *Purpose.choices], required=False)
    partner_kind = forms.ModelChoiceField(label=_("Jenis mitra"), queryset=PartnerType.objects.all(), required=False,
                                          empty_label=_("Semua"))
    region = RegionField(label=_("Wilayah"), required=False)
    broker = forms.CharField(label=_("TKS perantara"), required=False, max_length=100,
                             help_text=_("Nama pengguna atau bagian nama."))
    partner = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
    group = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
    centre = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)

    def filters(self) -> LinkageFilters:
        """The selector's filters; a value that does not clean filters nothing."""
        self.is_valid()
        c = getattr(self, "cleaned_data", {})
        kind, region = c.get("partner_kind"), c.get("region")
        return LinkageFilters(status=c.get("status", ""), purpose=c.get("purpose", ""),
                              partner_kind=kind.pk if kind else "", region=region.code if region else "",
                              broker=c.get("broker", ""), partner=c.get("partner"), group=c.get("group"),
                              centre=c.get("centre"))


class TargetForm(forms.Form):
    """The first step of a new linkage: which group or centre (by id) it is for."""

    kelompok = forms.IntegerField(label=_("ID kelompok"), required=False, min_value=1, max_value=2**62)
    blk = forms.IntegerField(label=_("ID BLK"), required=False, min_value=1, max_value=2**62)


class ImportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Jika ada baris yang salah"), choices=MODE_CHOICES, initial="valid",
                             widget=forms.RadioSelect)
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))
