"""Cohort pages: list, create, detail (modules, trainers, the attendance warning list), edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.permissions import is_officer
from sukarela.core.views import officer_required
from sukarela.core.web import form_errors_text, run_service
from sukarela.training import exports, selectors
from sukarela.training.forms import CohortForm, ModuleTrainerForm, trainers_in
from sukarela.training.permissions import manages, may_record
from sukarela.training.results import below_threshold, cohort_results
from sukarela.training.services import cohorts as service
from sukarela.training.services.sessions import days_off_for


@login_required
def cohort_list(request):
    """Officers: the cohorts of their region; trainers and TKS: the cohorts they teach or attend."""
    cohorts = selectors.cohorts_for(request.user)
    exported = export_response(request, _("Angkatan pelatihan"), "angkatan", exports.COHORT_COLUMNS, cohorts)
    if exported:
        return exported
    return render(request, "training/cohort_list.html", {
        "cohorts": cohorts, "officer": is_officer(request.user),
        "today": selectors.sessions_on(request.user, timezone.localdate())})


def _form(request, cohort=None):
    initial = None
    if cohort is not None:
        initial = {name: getattr(cohort, name) for name in service.COHORT_FIELDS}
        initial["extra_days_off"] = service.format_days_off(cohort.extra_days_off)
    return CohortForm(request.POST or None, initial=initial, venues=selectors.venues_for(request.user),
                      root=request.user.scope_code or "", editing=cohort is not None)


@officer_required
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    form = _form(request)
    if request.method == "POST":
        cohort = run_service(form, lambda: service.create_cohort(request.user, **form.service_data()))
        if cohort is not None:
            messages.success(request, _("Angkatan dibuat. Tetapkan pelatih modul lalu buat jadwalnya."))
            return redirect("training:cohort_detail", pk=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form, "cohort": None})


@login_required
def cohort_detail(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    officer = manages(request.user, cohort)
    modules = list(cohort.modules.select_related("trainer"))
    trainers = trainers_in(cohort.region_id)
    warnings = below_threshold(cohort, cohort_results(cohort)) if may_record(request.user, cohort) else []
    for m in modules if officer else ():
        m.trainer_form = ModuleTrainerForm(initial={"trainer": m.trainer_id}, trainers=trainers, prefix=f"m{m.pk}")
    return render(request, "training/cohort_detail.html", {
        "cohort": cohort, "modules": modules, "manages": officer, "warnings": warnings,
        "total_hours": sum(m.planned_hours for m in modules),
        "counts": {"participants": cohort.participants.count(), "sessions": cohort.sessions.count()},
        "days_off": _days_off(cohort)})


def _days_off(cohort):
    try:
        return sorted(days_off_for(cohort).items())
    except ValidationError as exc:  # a year without holiday data is shown on the page, not a crash
        return [(None, " ".join(exc.messages))]


@officer_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not manages(request.user, cohort):
        raise PermissionDenied
    form = _form(request, cohort)
    if request.method == "POST":
        saved = run_service(form, lambda: service.update_cohort(request.user, cohort, **form.service_data()))
        if saved is not None:
            messages.success(request, _("Angkatan disimpan."))
            return redirect("training:cohort_detail", pk=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form, "cohort": cohort})


@officer_required
@require_POST
def module_trainer(request, pk: int):
    module = selectors.cohort_module_for(request.user, pk)
    form = ModuleTrainerForm(request.POST, trainers=trainers_in(module.cohort.region_id), prefix=f"m{module.pk}")
    if run_service(form, lambda: service.set_module_trainer(request.user, module, form.cleaned_data["trainer"])):
        messages.success(request, _("Pelatih modul disimpan."))
    else:
        messages.error(request, form_errors_text(form) or _("Pelatih tidak disimpan."))
    return redirect("training:cohort_detail", pk=module.cohort_id)


urlpatterns = [
    path("pelatihan/", cohort_list, name="cohort_list"),
    path("pelatihan/angkatan/baru/", cohort_create, name="cohort_create"),
    path("pelatihan/angkatan/<int:pk>/", cohort_detail, name="cohort_detail"),
    path("pelatihan/angkatan/<int:pk>/ubah/", cohort_edit, name="cohort_edit"),
    path("pelatihan/modul-angkatan/<int:pk>/pelatih/", module_trainer, name="module_trainer"),
]
