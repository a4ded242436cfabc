"""What every training service does around a write: validate the whole object, audit the change."""

from django.core.exceptions import ValidationError

from sukarela.core import audit


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
