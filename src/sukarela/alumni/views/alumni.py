"""Alumni pages: the list (filters: cohort, latest status, region; paged), one alumnus with the
outcome history and the surveys, a record made by hand, an officer's outcome, a survey sent again,
and the response rates per cohort. Officers see their region's alumni; a TKS their own record."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sukarela.alumni import exports, selectors
from sukarela.alumni.forms import AlumniFilterForm, OutcomeForm, RecordForm
from sukarela.alumni.models import Employment
from sukarela.alumni.services import outcomes, records, surveys
from sukarela.core.exporting import export_response
from sukarela.core.permissions import is_officer
from sukarela.core.scope import in_scope
from sukarela.core.views import officer_required
from sukarela.core.web import announce, page, run_service


@login_required
@require_GET
def alumni_list(request):
    user = request.user
    form = AlumniFilterForm(request.GET or None, cohorts=selectors.cohort_choices(user), root=user.scope_code or "")
    filters = form.filters() if request.GET else {}
    alumni = selectors.alumni_for(user, **filters)
    exported = export_response(request, _("Alumni TKS"), "alumni", exports.ALUMNI_COLUMNS, alumni)
    if exported:
        return exported
    listed = page(request, alumni)
    labels = dict(Employment.choices)
    for record in listed:
        record.latest_label = labels.get(record.latest_status, "")
    return render(request, "alumni/alumni_list.html", {
        "form": form, "page": listed, "officer": is_officer(user), "filtered": bool(request.GET)})


def _detail(request, record, *, outcome_form=None, status=200):
    may_write = is_officer(request.user) and in_scope(request.user, record.tks.region_id)
    listed = list(selectors.surveys_of(record))
    for s in listed:
        s.state = surveys.state_of(s) if s.sent_at else "unsent"
    return render(request, "alumni/alumni_detail.html", {
        "record": record, "outcomes": selectors.outcomes_of(record), "surveys": listed,
        "may_write": may_write, "outcome_form": outcome_form or OutcomeForm(),
        "has_email": bool(record.tks.email)}, status=status)


@login_required
@require_GET
def alumni_detail(request, pk):
    return _detail(request, selectors.alumni_detail(request.user, pk))


@officer_required
@require_http_methods(["GET", "POST"])
def record_create(request):
    form = RecordForm(request.POST or None)
    if request.method == "POST":
        record = run_service(form, lambda: records.create_record(
            request.user, form.cleaned_data["tks"], form.cleaned_data.get("posting_ended_on")))
        if record is not None:
            messages.success(request, _("%(n)s tercatat sebagai alumni.") % {"n": record.tks.full_name})
            return redirect("alumni:alumni_detail", pk=record.pk)
        return render(request, "alumni/record_form.html", {"form": form}, status=422)
    return render(request, "alumni/record_form.html", {"form": form})


@officer_required
@require_POST
def outcome_add(request, pk):
    record = selectors.alumni_detail(request.user, pk)
    form = OutcomeForm(request.POST)
    done = run_service(form, lambda: outcomes.add_outcome(request.user, record, **form.outcome()))
    if done is None:
        return _detail(request, record, outcome_form=form, status=422)
    messages.success(request, _("Hasil dicatat."))
    return redirect("alumni:alumni_detail", pk=record.pk)


@officer_required
@require_POST
def survey_resend(request, pk, survey_pk):
    record = selectors.alumni_detail(request.user, pk)
    survey = selectors.survey_for(request.user, record, survey_pk)
    announce(request, lambda: surveys.resend(request.user, survey),
             _("Tautan survei baru dikirim; tautan lama tidak berlaku lagi."))
    return redirect("alumni:alumni_detail", pk=record.pk)


@officer_required
@require_GET
def response_rates(request):
    wave = request.GET.get("gelombang")
    wave = int(wave) if wave in {str(w) for w in surveys.WAVES} else None
    rows, total = selectors.response_rates(request.user, wave)
    exported = export_response(request, _("Tingkat tanggapan survei"), "tanggapan-survei", exports.RATE_COLUMNS,
                               rows + [replace(total, cohort=_("Jumlah"))] if rows else [])
    if exported:
        return exported
    return render(request, "alumni/response_rates.html", {
        "rows": rows, "total": total, "wave": wave, "waves": surveys.WAVES})


urlpatterns = [
    path("alumni/", alumni_list, name="alumni_list"),
    path("alumni/baru/", record_create, name="record_create"),
    path("alumni/tanggapan/", response_rates, name="response_rates"),
    path("alumni/<int:pk>/", alumni_detail, name="alumni_detail"),
    path("alumni/<int:pk>/hasil/", outcome_add, name="outcome_add"),
    path("alumni/<int:pk>/survei/<int:survey_pk>/kirim-ulang/", survey_resend, name="survey_resend"),
]
