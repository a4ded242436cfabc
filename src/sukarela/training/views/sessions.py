"""Schedule pages: the cohort's sessions by month, generation, and hand changes per session."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.views import officer_required
from sukarela.core.web import announce, run_service
from sukarela.training import selectors
from sukarela.training.forms import SessionForm, trainers_in
from sukarela.training.permissions import manages, may_record
from sukarela.training.services import sessions as service


@login_required
def schedule(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    sessions = list(selectors.sessions_for(request.user, cohort))
    months = [(month, list(items)) for month, items in groupby(sessions, key=lambda s: s.date.replace(day=1))]
    return render(request, "training/schedule.html", {
        "cohort": cohort, "months": months, "manages": manages(request.user, cohort),
        "records": may_record(request.user, cohort), "total": len(sessions)})


@officer_required
@require_POST
def schedule_generate(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    announce(request, lambda: service.generate_schedule(request.user, cohort), lambda made: ngettext(
        "Jadwal dibuat: %(n)s sesi pada hari kerja.", "Jadwal dibuat: %(n)s sesi pada hari kerja.",
        len(made)) % {"n": len(made)})
    return redirect("training:schedule", pk=cohort.pk)


def _session_form(request, cohort, session=None):
    initial = None
    if session is not None:
        initial = {name: getattr(session, name) for name in service.SESSION_FIELDS}
    return SessionForm(request.POST or None, initial=initial, cohort=cohort, trainers=trainers_in(cohort.region_id),
                       venues=selectors.venues_for(request.user))


@officer_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not manages(request.user, cohort):
        raise PermissionDenied
    form = _session_form(request, cohort)
    if request.method == "POST":
        if run_service(form, lambda: service.add_session(request.user, cohort, **form.cleaned_data)):
            messages.success(request, _("Sesi ditambahkan."))
            return redirect("training:schedule", pk=cohort.pk)
    return render(request, "training/session_form.html", {"form": form, "cohort": cohort, "session": None})


@officer_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = selectors.session_for(request.user, pk)
    if not manages(request.user, session.cohort):
        raise PermissionDenied
    form = _session_form(request, session.cohort, session)
    if request.method == "POST":
        if run_service(form, lambda: service.update_session(request.user, session, **form.cleaned_data)):
            messages.success(request, _("Sesi disimpan."))
            return redirect("training:schedule", pk=session.cohort_id)
    return render(request, "training/session_form.html", {"form": form, "cohort": session.cohort, "session": session})


@officer_required
@require_POST
def session_delete(request, pk: int):
    session = selectors.session_for(request.user, pk)
    announce(request, lambda: service.delete_session(request.user, session), _("Sesi dihapus."))
    return redirect("training:schedule", pk=session.cohort_id)


urlpatterns = [
    path("pelatihan/angkatan/<int:pk>/jadwal/", schedule, name="schedule"),
    path("pelatihan/angkatan/<int:pk>/jadwal/buat/", schedule_generate, name="schedule_generate"),
    path("pelatihan/angkatan/<int:pk>/jadwal/sesi-baru/", session_create, name="session_create"),
    path("pelatihan/sesi/<int:pk>/ubah/", session_edit, name="session_edit"),
    path("pelatihan/sesi/<int:pk>/hapus/", session_delete, name="session_delete"),
]
