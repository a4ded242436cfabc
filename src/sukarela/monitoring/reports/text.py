"""Numbers, months and comparison sentences as the report prints them: always Indonesian (the
report is an official document of the ministry, whatever language the requester reads the site
in), thousands with a dot and decimals with a comma ("1.234", "12,5%"), "—" for a missing figure.
Callers run inside translation.override("id")."""

import datetime as dt

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.monitoring.indicators import COUNT, GROUP, PER_TKS, PERCENT, REGENCY, RUPIAH

MISSING = "—"
NO_DATA = gettext_lazy("Belum ada data.")
DECIMALS = {COUNT: 0, PERCENT: 1, RUPIAH: 0, PER_TKS: 1}


def number(value, decimals: int = 0) -> str:
    if value is None:
        return MISSING
    return number_format(round(float(value), decimals), decimals, force_grouping=True)


def figure(value, unit: str) -> str:
    """A figure with its unit: "1.234", "45,5%", "Rp 1.500.000", "2,5"."""
    if value is None:
        return MISSING
    text = number(value, DECIMALS.get(unit, 1))
    if unit == PERCENT:
        return f"{text}%"
    if unit == RUPIAH:
        return f"Rp {text}"
    return text


def difference(value, previous):
    """This month minus the previous one; None when either is missing."""
    if value is None or previous is None:
        return None
    return float(value) - float(previous)


def change(value, previous, unit: str) -> str:
    """The change as a signed figure ("+12", "−3,5 poin"), "—" when it cannot be told."""
    diff = difference(value, previous)
    if diff is None:
        return MISSING
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    text = number(abs(diff), DECIMALS.get(unit, 1))
    if unit == PERCENT:
        return _("%(sign)s%(n)s poin") % {"sign": sign, "n": text}
    if unit == RUPIAH:
        return f"{sign}Rp {text}"
    return f"{sign}{text}"


def sentence(name, value, previous, unit: str) -> str:
    """One line comparing the month with the previous one, e.g. "Kunjungan: 12, naik 3 dari 9
    bulan sebelumnya." A percentage moves by percentage points."""
    now = figure(value, unit)
    if value is None:
        return _("%(name)s: belum ada data.") % {"name": name}
    if previous is None:
        return _("%(name)s: %(now)s (bulan sebelumnya belum ada data).") % {"name": name, "now": now}
    diff = difference(value, previous)
    step = number(abs(diff), DECIMALS.get(unit, 1))
    if step == number(0, DECIMALS.get(unit, 1)):
        return _("%(name)s: %(now)s, sama dengan bulan sebelumnya.") % {"name": name, "now": now}
    if unit == PERCENT:
        step = _("%(n)s poin persen") % {"n": step}
    elif unit == RUPIAH:
        step = f"Rp {step}"
    args = {"name": name, "now": now, "step": step, "before": figure(previous, unit)}
    if diff > 0:
        return _("%(name)s: %(now)s, naik %(step)s dari %(before)s bulan sebelumnya.") % args
    return _("%(name)s: %(now)s, turun %(step)s dari %(before)s bulan sebelumnya.") % args


def month_label(month: dt.date) -> str:
    """"Oktober 2026"."""
    return date_format(month, "F Y")


def short_month(month: dt.date) -> str:
    """"Okt 26", for a chart's axis."""
    return date_format(month, "M y")


def moment_label(when: dt.datetime | None) -> str:
    from django.utils.timezone import localtime

    return MISSING if when is None else date_format(localtime(when), "j F Y H:i")


LEVEL_LABELS = {GROUP: gettext_lazy("kelompok"), REGENCY: gettext_lazy("kabupaten/kota")}
UNIT_LABELS = {COUNT: gettext_lazy("jumlah"), PERCENT: "%", RUPIAH: "Rp", PER_TKS: gettext_lazy("per TKS")}


def label(choices, code: str) -> str:
    """A stored choice code ("active") as its label ("Aktif"); an unknown code as it is."""
    return str(dict(choices.choices).get(code, code))
