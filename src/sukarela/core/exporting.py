"""Every list's XLSX/CSV download, from the list's own page: `?unduh=xlsx` or `?unduh=csv`.

A list view calls `export_response(request, title, filename, columns, rows)` before it renders and
returns the answer when there is one (None: no download asked, render the page). `rows` is the very
scoped, filtered queryset (or list) the page shows, all of it rather than the current page, so a
download can never hold a row the list would not. Personal columns (`Column.pii`, a core.pii type)
are masked unless core.pii.show_personal says otherwise (an officer asking with `pribadi=1`); every
such full download is recorded in the audit trail. A list longer than SUKARELA_EXPORT_MAX_ROWS is
refused with a message on the page, never cut short: half a list read as a whole one misleads.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.pii import PERSONAL_PARAM, mask, show_personal
from sukarela.core.web import download, spreadsheet

PARAM = "unduh"
FORMATS = ("xlsx", "csv")
# Query parameters that are not the list's filters.
NOT_FILTERS = frozenset({"page", PARAM, PERSONAL_PARAM})
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """One column of a download: its header, how to read it from a row (a function, or a dotted
    attribute path such as "domicile.name"), and the core.pii type when it is personal."""

    header: str
    getter: Callable | str
    pii: str | None = None

    def read(self, row):
        if not isinstance(self.getter, str):
            return self.getter(row)
        value = row
        for name in self.getter.split("."):
            if value is None:  # a missing relation (e.g. no region) is an empty cell; a wrong name still fails
                return None
            value = getattr(value, name)
        # A path may name a method such as "get_status_display".
        return value() if callable(value) else value

    def cell(self, row, personal: bool):
        value = self.read(row)
        if self.pii and not personal:
            return mask(self.pii, value)
        return plain(value)


def plain(value):
    """A value a spreadsheet cell holds as the reader expects: local wall time, "ya"/"tidak"."""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, Promise):
        return str(value)
    return value


def requested_format(request) -> str | None:
    """"xlsx", "csv", "" for a value that is neither, None when no download was asked."""
    if request.method != "GET" or not request.GET.get(PARAM):
        return None
    fmt = request.GET[PARAM]
    return fmt if fmt in FORMATS else ""


def list_filters(request) -> dict:
    """The list's filters as the request gave them (for the audit record and the page's links)."""
    return {k: _scrub(v) for k, v in request.GET.items() if k not in NOT_FILTERS and v}


def _scrub(value: str) -> str:
    # A filter may hold a NIK or a phone number (the applicant search takes a NIK): the audit trail
    # keeps only enough of it to recognise, like every personal value it stores.
    return re.sub(r"\d{10,}", lambda m: m[0][:4] + "*" * 8 + m[0][-4:], value[:200])


def query_of(request) -> str:
    """The request's query string without the download's own parameters ("" or "?...")."""
    query = request.GET.copy()
    for key in (PARAM, PERSONAL_PARAM):
        query.pop(key, None)
    return f"?{query.urlencode()}" if query else ""


def page_url(request) -> str:
    """The list page the download came from, with its filters."""
    return request.path + query_of(request)


def _count(rows) -> tuple[int, Iterable]:
    if isinstance(rows, QuerySet):
        return rows.count(), rows
    if not hasattr(rows, "__len__"):
        rows = list(rows)
    return len(rows), rows


def _each(rows) -> Iterable:
    # Chunks keep memory flat on a long list; prefetches (if any) are fetched chunk by chunk.
    return rows.iterator(chunk_size=CHUNK) if isinstance(rows, QuerySet) else rows


def record_personal_export(request, title: str, rows: int, fmt: str) -> None:
    """Who downloaded which list with personal values in full, under which filters, how many rows."""
    with transaction.atomic():
        audit.record(request.user, "export_personal", None, {
            "list": [None, str(title)], "filters": [None, list_filters(request)], "rows": [None, rows],
            "format": [None, fmt]}, target_type="export", target_id=request.path[:200], target_label=str(title))


def too_many(request, total: int, back: str | None = None):
    """The list stays on screen with a message; no file at all rather than a partial one."""
    messages.error(request, _(
        "Daftar ini berisi %(n)s baris, lebih dari batas unduhan %(max)s baris. Persempit saringan lalu "
        "unduh lagi.") % {"n": f"{total:,}".replace(",", "."),
                          "max": f"{settings.SUKARELA_EXPORT_MAX_ROWS:,}".replace(",", ".")})
    return redirect(back or page_url(request))


def export_response(request, title: str, filename: str, columns: list[Column], rows,
                    *, may_unmask: Callable | None = None) -> HttpResponse | None:
    """The download the request asks for with `?unduh=`, or None to render the page."""
    fmt = requested_format(request)
    if fmt is None:
        return None
    if not fmt:
        return HttpResponseBadRequest(_("Parameter unduh harus xlsx atau csv."), content_type="text/plain")
    return export_file(request, title, filename, columns, rows, fmt, may_unmask=may_unmask)


def export_file(request, title: str, filename: str, columns: list[Column], rows, fmt: str,
                *, may_unmask: Callable | None = None, back: str | None = None) -> HttpResponse:
    """The file itself (also for a download with a route of its own). `filename` is the stem (the
    date and the extension are added); `may_unmask(user)` narrows who may have the full values for
    this list (it never widens core.pii.show_personal); `back` is the page a refusal returns to
    (default: this URL without the download's parameters)."""
    total, rows = _count(rows)
    if total > settings.SUKARELA_EXPORT_MAX_ROWS:
        return too_many(request, total, back)
    personal = (any(c.pii for c in columns) and show_personal(request)
                and (may_unmask is None or may_unmask(request.user)))
    cells = ([c.cell(row, personal) for c in columns] for row in _each(rows))
    content = spreadsheet(fmt, [str(c.header) for c in columns], cells, str(title))
    if personal:
        record_personal_export(request, title, total, fmt)
    return download(content, f"{filename}-{timezone.localdate().isoformat()}.{fmt}", fmt)
