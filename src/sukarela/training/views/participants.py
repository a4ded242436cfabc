"""Participant pages: the cohort's list with progress, enrolment, one participant's record
(attendance per module, every assessment attempt), scores and drop-out, score import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import download, form_errors_text, run_service, spreadsheet
from sukarela.training import exports, selectors
from sukarela.training.forms import DropForm, EnrolForm, ImportForm, ScoreForm
from sukarela.training.permissions import manages, may_record
from sukarela.training.results import cohort_results
from sukarela.training.services import assessments, participants as service
from sukarela.core.importing import errors_download, remember_errors


@login_required
def participant_list(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    rows = cohort_results(cohort, selectors.participants_for(request.user, cohort))
    exported = export_response(request, _("Peserta"), f"peserta-{cohort.pk}", exports.PARTICIPANT_COLUMNS, rows)
    if exported:
        return exported
    officer = manages(request.user, cohort)
    return render(request, "training/participant_list.html", {
        "cohort": cohort, "rows": rows, "manages": officer, "modules": list(cohort.modules.all()),
        "enrol_form": EnrolForm(candidates=service.enrollable(cohort)) if officer else None})


@officer_required
@require_POST
def participant_enrol(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not manages(request.user, cohort):
        raise PermissionDenied
    try:
        if request.POST.get("all"):
            made = service.enrol_selected(request.user, cohort)
        else:
            form = EnrolForm(request.POST, candidates=service.enrollable(cohort))
            if not form.is_valid():
                raise ValidationError(_("Pilih TKS yang akan didaftarkan."))
            made = service.enrol(request.user, cohort, list(form.cleaned_data["volunteers"]),
                                 form.cleaned_data["joined_on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("%(n)s TKS didaftarkan.", "%(n)s TKS didaftarkan.", len(made)) % {"n": len(made)})
    return redirect("training:participant_list", pk=cohort.pk)


@login_required
def participant_detail(request, pk: int):
    participant = selectors.participant_for(request.user, pk)
    cohort = participant.cohort
    result = cohort_results(cohort, [participant])[0]
    modules = list(cohort.modules.all())
    rows = [{"module": m, "rate": result.module_rates.get(m.pk), "result": r} for m, r in zip(modules, result.modules)]
    return render(request, "training/participant_detail.html", {
        "participant": participant, "cohort": cohort, "result": result, "rows": rows,
        "attempts": participant.assessments.select_related("module").order_by("module__order", "attempt"),
        "manages": manages(request.user, cohort),
        "score_form": ScoreForm(cohort=cohort) if may_record(request.user, cohort) else None,
        "drop_form": DropForm() if manages(request.user, cohort) and participant.status == "active" else None})


@login_required
@require_POST
def participant_score(request, pk: int):
    participant = selectors.participant_for(request.user, pk)
    cohort = participant.cohort
    if not may_record(request.user, cohort):
        raise PermissionDenied
    form = ScoreForm(request.POST, cohort=cohort)
    saved = run_service(form, lambda: assessments.record_score(
        request.user, participant, form.module_of(cohort), form.cleaned_data["score"],
        form.cleaned_data["assessed_on"], form.cleaned_data["note"]))
    if saved is not None:
        messages.success(request, _("Nilai dicatat (percobaan ke-%(n)s).") % {"n": saved.attempt})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("training:participant_detail", pk=participant.pk)


@officer_required
@require_POST
def participant_drop(request, pk: int):
    participant = selectors.participant_for(request.user, pk)
    form = DropForm(request.POST)
    if run_service(form, lambda: service.drop_out(request.user, participant, form.cleaned_data["reason"],
                                                  form.cleaned_data["on"])):
        messages.success(request, _("Peserta dicatat keluar."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("training:participant_detail", pk=participant.pk)


@login_required
@require_http_methods(["GET", "POST"])
def score_import(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not may_record(request.user, cohort):
        raise PermissionDenied
    key = f"training:score_import:{cohort.pk}"
    if request.method == "GET" and request.GET.get("laporan"):
        return errors_download(request, key, f"kesalahan-nilai-{cohort.pk}.csv")
    form, result = ImportForm(request.POST or None, request.FILES or None), None
    if request.method == "POST":
        result = run_service(form, lambda: assessments.import_scores(
            request.user, cohort, form.cleaned_data["file"], form.cleaned_data["mode"]))
        if result is not None:
            remember_errors(request, key, result)
    return render(request, "training/score_import.html", {"cohort": cohort, "form": form, "result": result,
                                                          "manages": manages(request.user, cohort)})


@login_required
def score_template(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not may_record(request.user, cohort):
        raise PermissionDenied
    headers = [c.header for c in assessments.IMPORT_COLUMNS]
    rows = [[p.volunteer.username, m.code, "", "", ""]
            for p in cohort.participants.filter(status="active").select_related("volunteer")
            for m in cohort.modules.all()]
    return download(spreadsheet("xlsx", headers, rows, _("Nilai")), f"templat-nilai-{cohort.pk}.xlsx", "xlsx")


urlpatterns = [
    path("pelatihan/angkatan/<int:pk>/peserta/", participant_list, name="participant_list"),
    path("pelatihan/angkatan/<int:pk>/peserta/tambah/", participant_enrol, name="participant_enrol"),
    path("pelatihan/peserta/<int:pk>/", participant_detail, name="participant_detail"),
    path("pelatihan/peserta/<int:pk>/nilai/", participant_score, name="participant_score"),
    path("pelatihan/peserta/<int:pk>/keluar/", participant_drop, name="participant_drop"),
    path("pelatihan/angkatan/<int:pk>/nilai/impor/", score_import, name="score_import"),
    path("pelatihan/angkatan/<int:pk>/nilai/templat.xlsx", score_template, name="score_template"),
]
