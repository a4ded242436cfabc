"""Region browser and the picker's htmx partials (public reference data)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from sukarela.core.exporting import export_response
from sukarela.regions import selectors
from sukarela.regions.exports import REGION_COLUMNS
from sukarela.regions.forms import RegionPickerWidget


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def region_list(request, code: str = ""):
    region = selectors.get(code) if code else None
    if code and region is None:
        raise Http404("Unknown region code")
    children = selectors.children(code or None)
    exported = export_response(request, region.name if region else _("Wilayah Indonesia"),
                               f"wilayah-{code.replace('.', '-')}" if code else "wilayah", REGION_COLUMNS, children)
    if exported:
        return exported
    page = Paginator(children, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/region_list.html",
        {"region": region, "chain": selectors.chain(code) if region else [], "page": page},
    )


def _widget(request) -> tuple[RegionPickerWidget, str, str]:
    field = request.GET.get("field", "region")[:60]
    widget = RegionPickerWidget(
        max_level=_int(request.GET.get("max_level"), 4, 1, 4), root=request.GET.get("root", "")[:13]
    )
    return widget, field, request.GET.get("id", f"id_{field}")[:80]


def picker(request):
    """The whole picker redrawn for a new choice: the select's own value, else its parent's."""
    widget, field, id_ = _widget(request)
    value = request.GET.get(f"{field}__pick") or request.GET.get("value") or request.GET.get("parent") or ""
    if value and selectors.get(value) is None:
        value = ""
    return render(request, "regions/picker_partial.html", {"html": widget.render(field, value, {"id": id_})})


def search(request):
    widget, field, id_ = _widget(request)
    query = request.GET.get(f"{field}__q") or request.GET.get("q") or ""
    results = selectors.search(query, root=widget.root, max_level=widget.max_level)
    return render(
        request,
        "regions/search_results.html",
        {"results": results, "query": query, "field": field, "id": id_, "max_level": widget.max_level,
         "root": widget.root},
    )
