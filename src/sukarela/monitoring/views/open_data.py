"""The public open data page and its CSV: aggregate figures per province and calendar year (the
current year to date), small counts suppressed and people counts rounded to multiples of 5
(selectors/open_data.py). A month or a run of months is refused: two overlapping periods would give
a hidden count back by subtraction. No login. Requests are counted per address (core.throttle) so a scraper
cannot hammer the server; past the limit both answer 429.

The CSV is for machines: a header row of codes (region_code, region_name, the indicator codes,
suppressed), one row per province and one for the nation (region_code empty), a number or an empty
cell, and in `suppressed` the codes of the row's hidden cells separated by spaces; an empty cell
not listed there had no data.
"""

import re

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sukarela.core.throttle import over_limit
from sukarela.core.web import download, spreadsheet
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors.open_data import OpenTable, province_table

THROTTLE = "open-data"
_YEAR = re.compile(r"^\d{4}$")


class NotAYear(ValueError):
    """A month or a run of months: open data is published per calendar year only."""


def default_period(today=None) -> Period:
    """The current year to date."""
    today = today or timezone.localdate()
    return Period.parse(str(today.year), today)


def read_period(text: str) -> Period:
    """The calendar year asked for ("YYYY"; the current one to date; empty: the default);
    ValueError names what is wrong, NotAYear when it is a month or a run of months."""
    text = (text or "").strip()
    if not text:
        return default_period()
    period = Period.parse(text, timezone.localdate())  # a ValueError for what is no period at all
    if not _YEAR.match(text):
        raise NotAYear(f"'{text}' is not a year: open data is published per calendar year (YYYY) only")
    return period


class PeriodForm(forms.Form):
    periode = forms.CharField(label=gettext_lazy("Periode"), required=False, max_length=40,
                              help_text=gettext_lazy("Satu tahun kalender, misalnya 2025; tahun ini: sampai bulan "
                                                     "ini. Kosong: tahun ini."))

    def clean_periode(self):
        try:
            return read_period(self.cleaned_data.get("periode", ""))
        except NotAYear:
            raise forms.ValidationError(only_years()) from None
        except ValueError as exc:
            raise forms.ValidationError(
                _("Periode tidak dapat dibaca (%(e)s). Contoh: 2025 atau tahun ini.") % {"e": exc}) from None


def only_years() -> str:
    return _("Data terbuka hanya diterbitkan per tahun kalender (misalnya 2025), bukan per bulan atau rentang "
             "bulan: selisih dua periode yang bertumpang tindih dapat membuka angka kecil yang disembunyikan.")


def too_many(request) -> bool:
    return over_limit(THROTTLE, request.META.get("REMOTE_ADDR", "-"), settings.SUKARELA_OPEN_DATA_PER_HOUR)


def _throttled(request):
    return render(request, "monitoring/open_data_too_many.html", status=429)


@require_GET
def open_data(request):
    if too_many(request):
        return _throttled(request)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["periode"] if form.is_valid() else default_period()
    if not form.is_bound:
        form = PeriodForm(initial={"periode": str(period.start.year)})
    return render(request, "monitoring/open_data.html", {"form": form, "table": province_table(period)})


def csv_rows(table: OpenTable) -> tuple[list[str], list[list]]:
    codes = [i.code for i in table.indicators]
    headers = ["region_code", "region_name", *codes, "suppressed"]
    rows = [[r.code, r.name, *(r.values[c] for c in codes), " ".join(r.suppressed)] for r in [*table.rows, table.total]]
    return headers, rows


@require_GET
def open_data_csv(request):
    if too_many(request):
        return _throttled(request)
    try:
        period = read_period(request.GET.get("periode", ""))
    except NotAYear:
        return HttpResponse(f"periode: {only_years()}", status=400, content_type="text/plain; charset=utf-8")
    except ValueError as exc:
        message = _("periode: %(e)s. Contoh: 2025 atau tahun ini.") % {"e": exc}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    headers, rows = csv_rows(province_table(period))
    name = f"data-terbuka-provinsi-{period.start.year}.csv"
    return download(spreadsheet("csv", headers, rows, "data"), name, "csv")


urlpatterns = [
    path("data-terbuka/", open_data, name="open_data"),
    path("data-terbuka/provinsi.csv", open_data_csv, name="open_data_csv"),
]
