"""Business sectors: the programme's five come with a migration; a national officer adds more.

Sectors are programme-wide (no region), so adding one is a national decision. The import finds a
sector by its code or its name, case-insensitively, so no name may repeat another sector's name or
code.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import require_national
from sukarela.groups.models import Sector

CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_ORDER = 32767  # PositiveSmallIntegerField


def _errors(code: str, name: str, order) -> dict:
    errors = {}
    if not CODE.fullmatch(code) or len(code) > 30:
        errors["code"] = _("Kode 1–30 huruf kecil, angka dan tanda hubung, misalnya kerajinan-tangan.")
    elif Sector.objects.filter(code=code).exists():
        errors["code"] = _("Kode %(c)s sudah dipakai sektor lain.") % {"c": code}
    if not name:
        errors["name"] = _("Nama sektor wajib diisi.")
    elif len(name) > 100:
        errors["name"] = _("Paling banyak %(n)d karakter.") % {"n": 100}
    else:
        folded = name.casefold()
        clash = Sector.objects.annotate(n=Lower("name"), c=Lower("code")).filter(Q(n=folded) | Q(c=folded)).first()
        if clash is not None:
            errors["name"] = _("Nama ini sama dengan nama atau kode sektor %(s)s.") % {"s": clash.name}
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
        errors["order"] = _("Urutan bilangan bulat 0–%(m)d.") % {"m": MAX_ORDER}
    return errors


@transaction.atomic
def create_sector(actor, *, code: str, name: str, order: int) -> Sector:
    require_national(actor)
    code, name = str(code or "").strip(), " ".join(str(name or "").split())
    errors = _errors(code, name, order)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            sector = Sector.objects.create(code=code, name=name, order=order)
    except IntegrityError:  # another officer took the code a moment ago
        raise ValidationError({"code": _("Kode %(c)s sudah dipakai sektor lain.") % {"c": code}}) from None
    audit.record(actor, "create_sector", sector, audit.diff(Sector, {}, audit.snapshot(sector, ["code", "name",
                                                                                            "order"])))
    return sector
