"""Training pages: attendance. The trainer's one-tap page for a session, the TKS's self
check-in with the session code, and the officer's file import with its template."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sukarela.core.roles import Role
from sukarela.core.views import officer_required
from sukarela.core.web import download, run_service, spreadsheet
from sukarela.regions.timezones import label_of
from sukarela.training import permissions, selectors
from sukarela.training.forms import ImportForm
from sukarela.core.importing import errors_download, remember_errors
from sukarela.training.models import Attendance, Mark, ParticipantStatus
from sukarela.training.services import attendance as service

REPORT_KEY = "training:attendance_import:{pk}"


class CheckInForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode presensi"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "class": "code-input"}))


# --------------------------------------------------------------------- the trainer's page

def _recordable_session(request, pk):
    session = selectors.session_for(request.user, pk)
    if not permissions.may_record(request.user, session.cohort):
        raise PermissionDenied
    return session


def _rows(session, only=None):
    """One row per active participant; or the one just posted for, whatever its status (to show why)."""
    participants = session.cohort.participants.select_related("volunteer")
    participants = participants.filter(pk=only) if only else participants.filter(status=ParticipantStatus.ACTIVE)
    marks = {a.participant_id: a for a in Attendance.objects.filter(session=session, participant__in=participants)}
    return [{"participant": p, "attendance": marks.get(p.pk)} for p in participants]


def _counts(session):
    counts = Counter(Attendance.objects.filter(session=session, participant__status=ParticipantStatus.ACTIVE)
                     .values_list("mark", flat=True))
    active = session.cohort.participants.filter(status=ParticipantStatus.ACTIVE).count()
    return {"marks": [(value, label, counts[value]) for value, label in Mark.choices],
            "unmarked": active - sum(counts.values()), "active": active}


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk: int):
    session = _recordable_session(request, pk)
    error, only = None, None
    if request.method == "POST":
        try:
            if "all_present" in request.POST:
                n = service.mark_unmarked_present(request.user, session)
                messages.success(request, ngettext("%(n)s peserta ditandai hadir.", "%(n)s peserta ditandai hadir.", n) % {"n": n})
                return redirect("training:session_attendance", pk=session.pk)
            participant = _participant(session, request.POST.get("participant"))
            only = participant.pk
            service.mark(request.user, session, participant, request.POST.get("mark", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect(reverse("training:session_attendance", args=[session.pk]) + f"#p-{only}")
        return render(request, "training/attendance_row.html", {
            "session": session, "row": _rows(session, only)[0], "error": error, "counts": _counts(session),
            "marks": Mark.choices, "oob": True, "future": _future(session)})
    return render(request, "training/attendance_session.html", {
        "session": session, "rows": _rows(session), "counts": _counts(session), "marks": Mark.choices,
        "future": _future(session), "zone": label_of(session.cohort.region_id)})


def _future(session) -> bool:
    """The page shows why there is nothing to tap yet; the service refuses a mark anyway."""
    return session.date > service.local_today(session.cohort)


def _participant(session, value):
    # Any participant of the cohort: one dropped since the page was opened gets the service's reason.
    try:
        return session.cohort.participants.select_related("volunteer").get(pk=int(value))
    except (ValueError, TypeError, session.cohort.participants.model.DoesNotExist):
        raise Http404 from None


# --------------------------------------------------------------------- self check-in

@login_required
@require_http_methods(["GET", "POST"])
def checkin(request):
    if request.user.role != Role.TKS:
        raise PermissionDenied
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        row = run_service(form, lambda: service.check_in(request.user, form.cleaned_data["code"]))
        if row is not None:
            return render(request, "training/checkin_done.html", {
                "row": row, "session": row.session, "zone": label_of(row.session.cohort.region_id)})
    return render(request, "training/checkin.html", {"form": form})


# --------------------------------------------------------------------- import

@officer_required
@require_http_methods(["GET", "POST"])
def attendance_import(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    if not permissions.manages(request.user, cohort):
        raise PermissionDenied
    key = REPORT_KEY.format(pk=cohort.pk)
    if request.method == "GET" and request.GET.get("laporan"):
        return errors_download(request, key, f"kesalahan-presensi-{cohort.pk}.csv")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        result = run_service(form, lambda: service.import_attendance(
            request.user, cohort, form.cleaned_data["file"], form.cleaned_data["mode"]))
        if result is not None:
            remember_errors(request, key, result)
    return render(request, "training/attendance_import.html", {
        "form": form, "cohort": cohort, "result": result, "columns": service.COLUMNS})


@officer_required
@require_GET
def attendance_import_template(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    headers = [c.header for c in service.COLUMNS] + [_("nama (tidak diimpor)")]
    # One row per active participant with the username filled in: the officer adds date and status.
    rows = [["", "", p.volunteer.username, "", p.volunteer.full_name]
            for p in cohort.participants.filter(status=ParticipantStatus.ACTIVE).select_related("volunteer")]
    return download(spreadsheet("xlsx", headers, rows, _("Presensi")), f"templat-presensi-{cohort.pk}.xlsx", "xlsx")


urlpatterns = [
    path("pelatihan/sesi/<int:pk>/presensi/", session_attendance, name="session_attendance"),
    path("pelatihan/presensi-mandiri/", checkin, name="checkin"),
    path("pelatihan/angkatan/<int:pk>/presensi/impor/", attendance_import, name="attendance_import"),
    path("pelatihan/angkatan/<int:pk>/presensi/templat/", attendance_import_template,
         name="attendance_import_template"),
]
