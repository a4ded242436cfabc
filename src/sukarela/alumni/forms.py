"""Forms of the alumni pages: the list's filters, a record made by hand, an officer's outcome, the
alumnus's own answer through the survey link. The services check the rules; these only parse."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sukarela.alumni.models import Employment
from sukarela.alumni.services.outcomes import MAX_JOBS
from sukarela.regions.forms import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AlumniFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(label=_("Angkatan"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status terakhir"), required=False, choices=[
        ("", _("Semua")), *Employment.choices, ("none", _("Belum ada hasil"))])
    region = RegionField(label=_("Wilayah"), required=False)

    def __init__(self, *args, cohorts=(), root="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("Semua")), *cohorts]
        self.fields["region"] = RegionField(label=_("Wilayah"), required=False, root=root)

    def filters(self) -> dict:
        """The selector's filters; a value that does not clean filters nothing."""
        self.is_valid()
        c = self.cleaned_data
        region = c.get("region")
        return {"cohort": c.get("cohort"), "status": c.get("status", ""), "region": region.code if region else ""}


class RecordForm(forms.Form):
    tks = forms.CharField(label=_("Nama pengguna TKS"), max_length=60)
    posting_ended_on = forms.DateField(label=_("Penugasan berakhir"), required=False, widget=DATE,
                                       help_text=_("Kosongkan untuk memakai tanggal berakhir penugasan terakhirnya."))


class OutcomeFields(forms.Form):
    """The questions an outcome asks, the same for an officer and for the survey."""

    status = forms.ChoiceField(label=_("Kegiatan utama sekarang"), choices=Employment.choices,
                               widget=forms.RadioSelect)
    organisation = forms.CharField(label=_("Tempat kerja / nama usaha / inkubator / kampus"), max_length=200,
                                   required=False)
    jobs_created = forms.IntegerField(label=_("Jumlah orang lain yang bekerja di usaha atau inkubator Anda"),
                                      min_value=0, max_value=MAX_JOBS, required=False,
                                      help_text=_("Hanya untuk usaha sendiri atau inkubator; 0 bila belum ada."))
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def outcome(self) -> dict:
        c = self.cleaned_data
        return {"status": c["status"], "organisation": c.get("organisation", ""),
                "jobs_created": c.get("jobs_created"), "note": c.get("note", "")}


class OutcomeForm(OutcomeFields):
    as_of = forms.DateField(label=_("Per tanggal"), widget=DATE, initial=timezone.localdate)

    field_order = ["as_of", "status", "organisation", "jobs_created", "note"]

    def outcome(self) -> dict:
        return {**super().outcome(), "as_of": self.cleaned_data["as_of"]}


class SurveyForm(OutcomeFields):
    pass
