"""The report request form. It shapes input only: services/reports.py decides, and answers 404
for a region outside the officer's scope (so the region is free text behind a select, not a
choice the form would refuse with its own message)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sukarela.engines.indicators import add_months
from sukarela.monitoring.models import ReportFormat
from sukarela.monitoring.periods import month_start
from sukarela.monitoring.selectors.reports import region_choices


class ReportRequestForm(forms.Form):
    region = forms.CharField(label=_("Wilayah"), required=False, max_length=13, widget=forms.Select)
    month = forms.CharField(label=_("Bulan"), max_length=7, widget=forms.TextInput(
        attrs={"type": "month", "placeholder": "2026-10", "pattern": r"\d{4}-\d{2}"}))
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices,
                               initial=ReportFormat.PDF)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_choices(user)
        self.fields["region"].widget.choices = choices
        self.fields["region"].initial = choices[0][0] if choices else ""
        last_month = add_months(month_start(timezone.localdate()), -1)
        self.fields["month"].initial = f"{last_month:%Y-%m}"
        self.fields["month"].widget.attrs["max"] = f"{timezone.localdate():%Y-%m}"
