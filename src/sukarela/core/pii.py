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


# The query parameter with which an officer asks a list's download for the full personal values.
PERSONAL_PARAM = "pribadi"


def show_personal(request) -> bool:
    """Whether a list's download carries personal values in full: only when an officer (national,
    provincial or district: they verify documents and call people) asks for it with `pribadi=1`;
    masked by default, and always masked for every other role. core.exporting records each full
    download in the audit trail."""
    user = getattr(request, "user", None)
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_officer):
        return False
    return request.GET.get(PERSONAL_PARAM) == "1"
