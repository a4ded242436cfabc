"""Forms of the assignment pages; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.assignments.models import Boundary, Rule


class RunForm(forms.Form):
    max_km = forms.DecimalField(label=_("Jarak maksimum (km)"), min_value=1, max_value=500, initial=50)
    boundary = forms.ChoiceField(label=_("Batas wilayah"), choices=Boundary.choices, initial=Boundary.PROVINCE)
    sector_penalty_km = forms.DecimalField(
        label=_("Penalti bila sektor tidak dikuasai (km)"), min_value=0, max_value=500, initial=50,
        help_text=_("Ditambahkan ke jarak saat membandingkan pasangan."))
    keep_current = forms.BooleanField(
        label=_("Pertahankan pasangan yang sudah berjalan"), required=False, initial=True,
        help_text=_("Bila dicentang, hanya kelompok yang harus pindah (pendamping keluar, kelompok baru) yang diatur "
                    "ulang."))


class RuleForm(forms.Form):
    group = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    mentor = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = forms.ChoiceField(choices=Rule.Kind.choices)


class MentorForm(forms.Form):
    capacity = forms.IntegerField(label=_("Kapasitas kelompok"), min_value=1, max_value=30, initial=10)
    lat = forms.FloatField(label=_("Lintang (GPS)"), required=False)
    lon = forms.FloatField(label=_("Bujur (GPS)"), required=False,
                           help_text=_("Titik tempat tinggal TKS bila diketahui; kosong: titik desanya."))
    sectors = forms.ModelMultipleChoiceField(label=_("Keahlian sektor"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from sukarela.groups.models import Sector

        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.all()
