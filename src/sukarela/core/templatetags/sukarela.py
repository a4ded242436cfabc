from django import template

from sukarela.core.pii import mask

register = template.Library()


@register.filter
def masked(value, pii_type: str) -> str:
    """{{ user.phone|masked:"PHONE" }} → 0812****7890"""
    return mask(pii_type, value) or "—"
