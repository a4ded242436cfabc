from django import template

from sukarela.core.pii import PERSONAL_PARAM, mask

register = template.Library()


@register.filter
def masked(value, pii_type: str) -> str:
    """{{ user.phone|masked:"PHONE" }} → 0812****7890"""
    return mask(pii_type, value) or "—"


@register.inclusion_tag("core/_export_links.html", takes_context=True)
def export_links(context, personal: bool = False, anchor: str = "list-export"):
    """"Unduh XLSX" / "Unduh CSV" links to this very page with its filters (core.exporting), plus
    "… dengan data pribadi" for an officer when the list has personal columns."""
    from sukarela.core.exporting import NOT_FILTERS, PARAM

    request = context["request"]
    query = request.GET.copy()
    for key in NOT_FILTERS:
        query.pop(key, None)

    def href(fmt: str, full: bool = False) -> str:
        q = query.copy()
        q[PARAM] = fmt
        if full:
            q[PERSONAL_PARAM] = "1"
        return "?" + q.urlencode()

    user = request.user
    full = personal and getattr(user, "is_authenticated", False) and user.is_officer
    return {"anchor": anchor, "xlsx": href("xlsx"), "csv": href("csv"),
            "xlsx_full": href("xlsx", True) if full else "", "csv_full": href("csv", True) if full else ""}
