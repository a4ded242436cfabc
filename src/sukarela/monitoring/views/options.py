"""What every monitoring page reads from its query string: the period (`periode`, Period.parse; by
default the 12 months ending with the current month) and the indicator that ranks regions or
shades the map (`indikator`). A bad value is a form error shown on the page, and the default is
used: never a 500."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.core.web import optional_static
from sukarela.engines.indicators import add_months
from sukarela.monitoring import indicators as ind
from sukarela.monitoring.periods import Period, month_start

DEFAULT_INDICATOR = "visited_30d"
CHART_JS = "vendor/chartjs/chart.umd.min.js"
CHARTS = "sukarela/monitoring/charts.js"


def default_period(today=None) -> Period:
    this_month = month_start(today or timezone.localdate())
    return Period(add_months(this_month, -11), this_month)


class OptionsForm(forms.Form):
    periode = forms.CharField(label=gettext_lazy("Periode"), required=False, max_length=40,
                              help_text=gettext_lazy("Contoh: 2026-10, 2026-01..2026-06 atau 2026. Kosong: 12 bulan "
                                                     "terakhir."))
    indikator = forms.ChoiceField(label=gettext_lazy("Indikator peringkat"), required=False,
                                  choices=[(i.code, i.name) for i in ind.INDICATORS])

    def clean_periode(self):
        text = self.cleaned_data.get("periode", "").strip()
        if not text:
            return None
        try:
            return Period.parse(text, timezone.localdate())
        except ValueError as exc:
            raise forms.ValidationError(
                _("Periode tidak dapat dibaca (%(e)s). Contoh: 2026-10, 2026-01..2026-06 atau 2026.") % {"e": exc})

    def options(self) -> tuple[Period, str]:
        """The period and indicator asked for, or the defaults where a value was missing or wrong."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("periode") or default_period(), data.get("indikator") or DEFAULT_INDICATOR


def read_options(request) -> tuple[OptionsForm, Period, str]:
    """The form as asked (errors included), the period and indicator to show."""
    data = request.GET.copy()
    if not data.get("indikator"):
        data["indikator"] = DEFAULT_INDICATOR
    form = OptionsForm(data)
    period, indicator = form.options()
    form.fields["periode"].widget.attrs["placeholder"] = str(period)
    return form, period, indicator


def chart_scripts() -> list[str]:
    scripts = [optional_static(CHART_JS), optional_static(CHARTS)]
    return scripts if all(scripts) else []
