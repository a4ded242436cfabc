"""The audit trail: every service write calls `record` inside its transaction.

Personal fields are stored masked, so the trail never becomes a second copy of
data that a person may ask to have erased.
"""

from collections.abc import Iterable

from django.db import models

from sukarela.core.models import AuditEvent
from sukarela.core.pii import mask, personal_fields


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """Field values as JSON-ready scalars (foreign keys by their key)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = _plain(getattr(obj, field.attname))
    return out


def diff(model, before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that changed, personal ones masked."""
    pii = personal_fields(model)
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old in (None, "") and new in (None, ""):
            continue  # an empty optional field is not a change
        if old != new:
            if name in pii:
                old, new = mask(pii[name], old), mask(pii[name], new)
            changes[name] = [old, new]
    return changes


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return actor.get_username()


def scrub(obj: models.Model, label: str) -> int:
    """Erasure (UU PDP): what the trail recorded about `obj` loses its values and its name;
    that something changed, when and by whom stays. Returns the events scrubbed."""
    events = AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    for event in events:
        event.changes = {field: ["***", "***"] for field in event.changes}
        event.target_label = label[:200]
    return AuditEvent.objects.bulk_update(events, ["changes", "target_label"])


def record(actor, action: str, obj: models.Model | None = None, changes: dict | None = None, **target) -> AuditEvent:
    """Store who did what to which object (`target_type`, `target_id`, `target_label` when there is
    no `obj`), inside the caller's transaction."""
    event = unsaved(actor, action, obj, changes, **target)
    event.save(force_insert=True)
    return event


def unsaved(
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    *,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
) -> AuditEvent:
    """The event `record` would store, for a caller that writes it with its other rows in bulk."""
    if obj is not None:
        target_type = target_type or obj._meta.label_lower
        target_id = target_id or str(obj.pk)
        target_label = target_label or str(obj)[:200]
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:200],
        changes=changes or {},
    )
