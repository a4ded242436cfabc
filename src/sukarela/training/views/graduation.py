"""Graduation: every participant against the cohort's rules (the unmet ones named), and the
officer's confirmation, which issues the certificates."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sukarela.core.views import officer_required
from sukarela.core.web import announce
from sukarela.training import selectors
from sukarela.training.permissions import manages
from sukarela.training.results import cohort_results
from sukarela.training.services import graduation as service


@officer_required
def graduation(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not manages(request.user, cohort):
        raise PermissionDenied
    rows = cohort_results(cohort)
    return render(request, "training/graduation.html", {
        "cohort": cohort, "rows": rows, "manages": True, "pending": service.pending_sessions(cohort),
        "eligible": [r for r in rows if r.eligible and r.participant.status == "active"]})


@officer_required
@require_POST
def graduation_confirm(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    # Only plain keys ("²" is a digit to isdigit, and a 30-digit number overflows the database).
    ids = [int(v) for v in request.POST.getlist("participants") if v.isascii() and v.isdigit() and len(v) < 19]
    announce(request, lambda: service.confirm(request.user, cohort, ids), lambda done: ngettext(
        "%(n)s peserta dinyatakan lulus; sertifikat diterbitkan.",
        "%(n)s peserta dinyatakan lulus; sertifikat diterbitkan.", len(done)) % {"n": len(done)})
    return redirect("training:graduation", pk=cohort.pk)


urlpatterns = [
    path("pelatihan/angkatan/<int:pk>/kelulusan/", graduation, name="graduation"),
    path("pelatihan/angkatan/<int:pk>/kelulusan/konfirmasi/", graduation_confirm, name="graduation_confirm"),
]
