"""How a figure reads on a page: {{ value|figure:unit }} in the language's number format
(Indonesian: 1.234.567 and 12,5), "—" when it cannot be computed."""

import datetime as dt

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sukarela.monitoring.indicators import COUNT, PER_TKS, PERCENT, RUPIAH

MONTH = "month"  # a date that stands for its month

register = template.Library()


def _number(value, places: int) -> str:
    return number_format(round(float(value), places), places, use_l10n=True, force_grouping=True)


def format_figure(value, unit: str = COUNT) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, dt.date):
        return date_format(value, "M Y" if unit == MONTH else "j M Y")
    if isinstance(value, str):
        return value
    if unit == PERCENT:
        return f"{_number(value, 1)} %"
    if unit == RUPIAH:
        return f"Rp {_number(value, 0)}"
    if unit == PER_TKS:
        return _number(value, 1)
    if unit == COUNT:
        return _number(value, 0) if float(value) == int(value) else _number(value, 1)
    return str(value)


@register.filter
def figure(value, unit: str = COUNT) -> str:
    return format_figure(value, unit)
