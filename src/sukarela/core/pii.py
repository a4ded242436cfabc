"""Masking of personal data (UU PDP) for lists, exports and the audit trail."""

from lokal import partial_mask


def mask(pii_type: str, value) -> str:
    """Keep just enough to recognise a value: 0812****7890, b***@example.com, 3201********0001."""
    if value in (None, ""):
        return ""
    return partial_mask(pii_type, str(value))


def personal_fields(model) -> dict[str, str]:
    """{field name: lokal PII type} that a model declares as personal."""
    return dict(getattr(model, "personal_fields", {}) or {})
