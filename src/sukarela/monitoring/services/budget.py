"""The programme budget a region spent in a year, entered by an officer: `set_budget` creates it or
replaces the one of the same region and year, in a transaction, with an audit record.

Rules (tests/monitoring/test_budget_service.py):
- officers only; the region is the nation ("") or a province or regency inside the actor's scope
  (a national officer: any; a provincial officer: their province and its regencies; a district
  officer: their regency);
- the year lies between 2000 and next year; the amount is whole rupiah, more than 0, at most
  16 digits; the note at most 300 characters.
Cost per job created reads the budget through RegionMonth's "budget" component, so a change shows
on the dashboards after the next refresh (the budget page runs one right after saving).
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import require_officer
from sukarela.core.scope import in_scope
from sukarela.monitoring.models import Budget
from sukarela.regions.models import Level, Region

FIRST_YEAR = 2000
MAX_AMOUNT = Decimal(10) ** 16 - 1  # Budget.amount: 16 digits, no decimals
FIELDS = ("region", "year", "amount", "note")
_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")


def may_set_national(actor) -> bool:
    """Only a national officer sets the budget of the nation."""
    return getattr(actor, "scope_code", None) == ""


def _region(actor, code, errors: dict) -> Region | None:
    code = str(code or "").strip()
    if not code:
        if not may_set_national(actor):
            errors["region"] = _("Hanya petugas nasional yang mengisi anggaran nasional.")
        return None
    region = Region.objects.filter(pk=code[:13], level__lte=Level.REGENCY).first() if "\x00" not in code else None
    if region is None:
        errors["region"] = _("Pilih provinsi atau kabupaten/kota yang dikenal.")
    elif not in_scope(actor, region.code):
        errors["region"] = _("Wilayah %(r)s di luar wilayah kerja Anda.") % {"r": region.name.title()}
    return region


def _year(value, errors: dict) -> int | None:
    last = timezone.localdate().year + 1
    try:
        year = int(str(value).strip())
        if not FIRST_YEAR <= year <= last:
            raise ValueError
        return year
    except (TypeError, ValueError):
        errors["year"] = _("Tahun antara %(a)d dan %(b)d.") % {"a": FIRST_YEAR, "b": last}
        return None


def _amount(value, errors: dict) -> Decimal | None:
    if isinstance(value, str):
        value = value.strip().removeprefix("Rp").strip()
        if _GROUPED.match(value):  # "1.500.000" as people write rupiah
            value = value.replace(".", "").replace(" ", "")
    try:
        if isinstance(value, (bool, float)):
            raise TypeError  # a float is not an exact rupiah amount; True is not 1 rupiah
        amount = Decimal(value)
        if not amount.is_finite() or amount != amount.to_integral_value() or not 0 < amount <= MAX_AMOUNT:
            raise ValueError
        return amount
    except (TypeError, ValueError, InvalidOperation):
        errors["amount"] = _("Anggaran berupa rupiah bulat lebih dari 0 (paling banyak 16 angka).")
        return None


def _note(value, errors: dict) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text or len(text) > 300:
        errors["note"] = _("Catatan paling banyak %(n)d karakter.") % {"n": 300}
    return text


@transaction.atomic
def set_budget(actor, region_code: str, year, amount, note: str = "") -> tuple[Budget, bool]:
    """Create or replace the budget of (region, year); returns it and whether it was new. Every wrong
    field is named in one ValidationError."""
    require_officer(actor)
    errors: dict = {}
    region = _region(actor, region_code, errors)
    values = {"year": _year(year, errors), "amount": _amount(amount, errors), "note": _note(note, errors)}
    if errors:
        raise ValidationError(errors)
    current = Budget.objects.select_for_update().filter(region=region, year=values["year"]).first()
    before = audit.snapshot(current, FIELDS) if current else {}
    budget = current or Budget(region=region, year=values["year"])
    budget.amount, budget.note = values["amount"], values["note"]
    budget.entered_by, budget.entered_at = actor, timezone.now()
    budget.save()
    changes = audit.diff(Budget, before, audit.snapshot(budget, FIELDS))
    if changes:  # the same amount and note again changes nothing worth a record
        audit.record(actor, "create_budget" if current is None else "replace_budget", budget, changes,
                     target_label=f"{region.name.title() if region else 'Indonesia'} {budget.year}")
    return budget, current is None
