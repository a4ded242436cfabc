"""Small pieces the recruitment views share."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse

from sukarela.engines.tabular import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def service_errors_to_form(form: Form, exc: ValidationError) -> None:
    """Put a service's errors on the matching fields; the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else f"rule_{field}" if f"rule_{field}" in form.fields else None
            if target is None and field != "__all__":
                errors = [f"{form_label(form, field)}: {e}" for e in errors]
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_label(form: Form, field: str) -> str:
    from sukarela.recruitment.columns import HEADER_OF

    return HEADER_OF.get(field, field)


def run_service(form: Form, call):
    """Validate the form, call the service; None when either refused (errors are on the form)."""
    if not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as exc:
        service_errors_to_form(form, exc)
        return None


def download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def spreadsheet(fmt: str, headers, rows, title: str) -> bytes:
    """An XLSX or CSV file in memory; every cell formula-safe (engines.tabular)."""
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(buffer, headers, rows, title=title)
    else:
        write_csv(buffer, headers, rows)
    return buffer.getvalue()


def page(request, qs):
    return Paginator(qs, settings.SUKARELA_PAGE_SIZE).get_page(request.GET.get("page"))
