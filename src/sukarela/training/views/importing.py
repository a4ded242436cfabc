"""What the training import pages share: the form, keeping the last error list for download."""

from django.http import Http404

from sukarela.core.web import download
from sukarela.training.services.importing import RowError, error_report


def remember_errors(request, key: str, result) -> None:
    # Kept in the importer's own session for the download link under the result.
    request.session[key] = [[e.row, e.column, e.reason, e.value] for e in result.errors]


def errors_download(request, key: str, filename: str):
    rows = request.session.get(key)
    if not rows:
        raise Http404
    return download(error_report([RowError(*r) for r in rows]), filename, "csv")
