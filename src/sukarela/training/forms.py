"""Forms of the training pages. They shape input only: the rules live in the services,
whose errors come back onto the fields (core.web.run_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.core.importing import MODE_CHOICES
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.recruitment.models import Campaign
from sukarela.regions.forms import RegionField
from sukarela.training.models import Curriculum, Mark, Mode, Venue

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CurriculumForm(forms.Form):
    name = forms.CharField(label=_("Nama kurikulum"), max_length=150)
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ModuleForm(forms.Form):
    order = forms.IntegerField(label=_("Urutan"), min_value=1, max_value=999, initial=1)
    code = forms.SlugField(label=_("Kode"), max_length=20, help_text=_("Misalnya: peran-tks"))
    title = forms.CharField(label=_("Judul"), max_length=150)
    outcomes = forms.CharField(label=_("Capaian pembelajaran"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    planned_hours = forms.IntegerField(label=_("Jam rencana"), min_value=1, max_value=1000)
    mode = forms.ChoiceField(label=_("Moda"), choices=Mode.choices)
    assessment = forms.CharField(label=_("Penilaian penutup"), max_length=150, required=False,
                                 help_text=_("Misalnya: tes tertulis, presentasi rencana usaha"))
    pass_mark = forms.DecimalField(label=_("Nilai lulus"), min_value=0, max_value=100, max_digits=5,
                                   decimal_places=2, initial=70)


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Nama tempat"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Venue.Kind.choices)
    region = RegionField(label=_("Wilayah"), min_level=1, max_level=3)
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    capacity = forms.IntegerField(label=_("Kapasitas (orang)"), min_value=1, max_value=10_000, required=False)

    def __init__(self, *args, root="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(label=_("Wilayah"), min_level=1, max_level=3, root=root)


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Nama angkatan"), max_length=150)
    campaign = forms.ModelChoiceField(label=_("Kampanye rekrutmen"), queryset=Campaign.objects.all())
    curriculum = forms.ModelChoiceField(label=_("Kurikulum"), queryset=Curriculum.objects.all())
    region = RegionField(label=_("Wilayah"), min_level=1, max_level=2)
    venue = forms.ModelChoiceField(label=_("Tempat utama (kelas)"), queryset=Venue.objects.none(), required=False)
    starts_on = forms.DateField(label=_("Mulai"), widget=DATE)
    ends_on = forms.DateField(label=_("Selesai"), widget=DATE, required=False,
                              help_text=_("Kosong: lima bulan sejak tanggal mulai."))
    day_starts_at = forms.TimeField(label=_("Jam mulai harian"), widget=TIME, initial="08:00")
    session_hours = forms.IntegerField(label=_("Jam per sesi"), min_value=1, max_value=8, initial=4)
    sessions_per_day = forms.IntegerField(label=_("Sesi per hari"), min_value=1, max_value=3, initial=1)
    skip_cuti_bersama = forms.BooleanField(label=_("Cuti bersama diliburkan"), required=False, initial=True)
    extra_days_off = forms.CharField(
        label=_("Hari libur tambahan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu per baris: tanggal dan alasan, misalnya “2026-12-31 Libur kantor”."))
    min_attendance = forms.DecimalField(label=_("Kehadiran minimum (%)"), min_value=0, max_value=100, initial=80)
    require_all_modules = forms.BooleanField(label=_("Semua modul harus lulus"), required=False, initial=True)
    final_pass_mark = forms.DecimalField(label=_("Nilai lulus ujian akhir"), min_value=0, max_value=100,
                                         required=False, help_text=_("Kosong: tanpa ujian akhir."))
    max_attempts = forms.IntegerField(label=_("Percobaan maksimum per modul"), min_value=1, max_value=10, initial=3)

    def __init__(self, *args, venues, root="", editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(label=_("Wilayah"), min_level=1, max_level=2, root=root)
        self.fields["venue"].queryset = venues
        if editing:
            del self.fields["campaign"], self.fields["curriculum"]

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


def trainers_in(region_code: str | None):
    from sukarela.regions.models import subtree_q

    qs = User.objects.filter(role=Role.TRAINER, is_active=True)
    return qs.filter(subtree_q("region__code", region_code.split(".")[0])) if region_code else qs


class ModuleTrainerForm(forms.Form):
    trainer = forms.ModelChoiceField(label=_("Pelatih utama"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Modul"), queryset=None)
    date = forms.DateField(label=_("Tanggal"), widget=DATE)
    starts_at = forms.TimeField(label=_("Mulai"), widget=TIME)
    ends_at = forms.TimeField(label=_("Selesai"), widget=TIME)
    trainer = forms.ModelChoiceField(label=_("Pelatih"), queryset=User.objects.none(), required=False)
    venue = forms.ModelChoiceField(label=_("Tempat"), queryset=Venue.objects.none(), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)

    def __init__(self, *args, cohort, trainers, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = cohort.modules.all()
        self.fields["trainer"].queryset = trainers
        self.fields["venue"].queryset = venues


class EnrolForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(label=_("TKS"), queryset=User.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    joined_on = forms.DateField(label=_("Bergabung sejak"), widget=DATE, required=False,
                                help_text=_("Untuk TKS yang bergabung saat angkatan sudah berjalan; kosong: sejak "
                                            "awal angkatan. Kehadiran dihitung sejak tanggal ini."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = candidates


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Alasan keluar"), max_length=250)
    on = forms.DateField(label=_("Tanggal keluar"), widget=DATE, required=False)


class ScoreForm(forms.Form):
    module = forms.ChoiceField(label=_("Modul"))
    score = forms.DecimalField(label=_("Nilai"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    assessed_on = forms.DateField(label=_("Tanggal penilaian"), widget=DATE, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(m.pk), f"{m.code} — {m.title}") for m in cohort.modules.all()]
        if cohort.has_final:
            choices.append(("final", _("Ujian akhir")))
        self.fields["module"].choices = choices

    def module_of(self, cohort):
        value = self.cleaned_data["module"]
        return None if value == "final" else cohort.modules.get(pk=value)


class ImportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Jika ada baris yang salah"), choices=MODE_CHOICES, initial="valid",
                             widget=forms.RadioSelect)
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class MarkForm(forms.Form):
    participant = forms.IntegerField()
    mark = forms.ChoiceField(choices=Mark.choices)
