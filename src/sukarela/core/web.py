"""Small pieces every app's pages share: a service's errors onto a form, downloads, pages of a list."""

import io

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.templatetags.static import static

from sukarela.engines.tabular import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def service_errors_to_form(form: Form, exc: ValidationError, target_of=None, label_of=None) -> None:
    """Put a service's errors on the matching fields; the rest above the form, named by `label_of`.
    `target_of(field)` maps a service's field name to the form's when they differ."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = target_of(field) if target_of else field
        if target not in form.fields:
            target = None
            if field != "__all__":
                label = label_of(field) if label_of else field
                errors = [f"{label}: {e}" for e in errors]
        for error in errors:
            form.add_error(target, error)


def run_service(form: Form, call, **mapping):
    """Validate the form, call the service; None when either refused (errors are on the form)."""
    if not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as exc:
        service_errors_to_form(form, exc, **mapping)
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


def form_errors_text(form: Form) -> str:
    """A refused form's errors as one line of text, for a message on the page it redirects to."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def announce(request, call, success):
    """Run a service for a POST that redirects: a refusal becomes an error message, success the
    message `success` (text, or a function of the result). Returns the result, or None if refused."""
    from django.contrib import messages

    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def optional_static(name: str) -> str | None:
    """A static file's URL, or None when it is not there (the npm libraries: a machine built without
    `npm ci` lacks them); the pages then leave the script out and keep their tables. With the manifest
    storage the manifest says; without one (tests, SUKARELA_PLAIN_STATIC) the finders do."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin) and not finders.find(name):
        return None
    try:
        return static(name)
    except ValueError:  # ManifestStaticFilesStorage: "Missing staticfiles manifest entry"
        return None
