"""The mentors of a cohort as matching sees them: sector skills and capacity, editable."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sukarela.core.scope import get_scoped_or_404
from sukarela.core.models import User
from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import form_errors_text, run_service
from sukarela.training import selectors as training
from sukarela.training.permissions import manages
from sukarela.assignments import exports
from sukarela.assignments.forms import MentorForm
from sukarela.assignments.models import MentorProfile
from sukarela.assignments.services import matching


@officer_required
def mentor_list(request, cohort_pk: int):
    cohort = training.cohort_for(request.user, cohort_pk)
    mentors = matching.mentors_of(cohort)
    profiles = {p.user_id: p for p in MentorProfile.objects.filter(user__in=mentors).prefetch_related("sectors")}
    rows = []
    for m in mentors:
        p = profiles.get(m.pk)
        rows.append({"mentor": m, "form": MentorForm(prefix=f"u{m.pk}", initial={
            "capacity": p.capacity if p else 10, "sectors": list(p.sectors.all()) if p else [],
            "lat": p.lat if p else None, "lon": p.lon if p else None})})
    exported = export_response(request, _("Pendamping"), f"pendamping-{cohort.pk}", exports.MENTOR_COLUMNS, rows)
    if exported:
        return exported
    return render(request, "assignments/mentor_list.html", {"cohort": cohort, "rows": rows,
                                                            "manages": manages(request.user, cohort)})


@officer_required
@require_POST
def mentor_edit(request, cohort_pk: int, user_pk: int):
    cohort = training.cohort_for(request.user, cohort_pk)
    if not manages(request.user, cohort):
        raise PermissionDenied
    mentor = get_scoped_or_404(request.user, User.objects.filter(pk__in=[m.pk for m in matching.mentors_of(cohort)]),
                               pk=user_pk)
    form = MentorForm(request.POST, prefix=f"u{mentor.pk}")
    if run_service(form, lambda: matching.set_profile(
            request.user, mentor, sectors=form.cleaned_data["sectors"], capacity=form.cleaned_data["capacity"],
            lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"])):
        messages.success(request, _("Profil pendamping %(name)s disimpan.") % {"name": mentor.full_name})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("assignments:mentor_list", cohort_pk=cohort.pk)


urlpatterns = [
    path("penugasan/angkatan/<int:cohort_pk>/pendamping/", mentor_list, name="mentor_list"),
    path("penugasan/angkatan/<int:cohort_pk>/pendamping/<int:user_pk>/", mentor_edit, name="mentor_edit"),
]
