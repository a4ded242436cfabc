"""What every training service does around a write: validate the whole object, audit the change."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.roles import Role


def fields_of(obj, names=None) -> list[str]:
    names = names or [f.name for f in obj._meta.concrete_fields if not f.primary_key]
    return list(names)


def assign(obj, data: dict, allowed) -> None:
    """Set the allowed fields; a foreign key may come as the object ("region") or its key ("region_id")."""
    unknown = sorted(name for name in data if name not in allowed and name.removesuffix("_id") not in allowed)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    for name, value in data.items():
        setattr(obj, name, value)


def save_audited(actor, obj, *, action: str, before: dict | None = None, exclude=()) -> None:
    """full_clean (types, choices, lengths, unique constraints), save, and record what changed."""
    obj.full_clean(exclude=list(exclude))
    obj.save()
    names = fields_of(obj)
    after = audit.snapshot(obj, names)
    audit.record(actor, action, obj, audit.diff(type(obj), before or {}, after))


def province_of(code: str | None) -> str:
    return (code or "").split(".")[0]


def trainer_problem(trainer, cohort) -> str | None:
    """Why this account cannot teach in this cohort; None when it can. A trainer works in the province
    they are registered in (or anywhere, when registered nationally)."""
    if trainer.role != Role.TRAINER or not trainer.is_active:
        return _("Pilih akun aktif dengan peran Pelatih.")
    if trainer.region_id and province_of(trainer.region_id) != province_of(cohort.region_id):
        return _("Pelatih ini terdaftar di provinsi lain.")
    return None


def venue_problem(venue, cohort) -> str | None:
    if province_of(venue.region_id) != province_of(cohort.region_id):
        return _("Tempat pelatihan harus berada di provinsi angkatan.")
    return None
