"""Training pages: certificates (download, revoke, re-issue, public check), the cohort report
and a TKS's own training page.

The public check answers 200 for a revoked certificate, saying only that it was revoked
and when: the code is real and that is the honest answer to "is this valid?". The officer's
reason and what the certificate said are not for whoever holds the code; the holder (on
"Pelatihan saya") and the cohort's officers (the certificate list) see the reason. 410 is
kept for the PDF download, which no longer exists once a certificate is revoked.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.roles import Role
from sukarela.core.views import officer_required
from sukarela.core.web import announce, download
from sukarela.training import certificate_pdf, exports, report, results, selectors
from sukarela.regions.timezones import label_of
from sukarela.training.models import ParticipantStatus
from sukarela.training.services import certificates as service


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan pencabutan"), max_length=250)


class VerifyForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode sertifikat"), max_length=40,
                           help_text=gettext_lazy("Contoh: TKS-7K3M9Q2WXY (huruf besar/kecil, spasi dan tanda "
                                                  "hubung tidak berpengaruh)."))

    def clean_code(self):
        code = service.normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Isi kode yang tertulis di sertifikat."))
        return code


@login_required
@require_GET
def certificate_pdf_view(request, pk: int):
    """The graduate themself or an officer in scope (the selector's scope decides; others get 404)."""
    certificate = selectors.certificate_for(request.user, pk)
    if not certificate.is_valid:
        return render(request, "training/certificate_revoked.html", {"certificate": certificate}, status=410)
    content = certificate_pdf.render(certificate, certificate_pdf.verify_url(certificate))
    return download(content, f"sertifikat-{certificate.code}.pdf", "pdf")


@officer_required
@require_GET
def certificate_list(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    certificates = list(selectors.certificates_for(request.user, cohort).order_by("holder_name", "pk"))
    exported = export_response(request, _("Sertifikat"), f"sertifikat-{cohort.pk}", exports.CERTIFICATE_COLUMNS,
                               certificates)
    if exported:
        return exported
    return render(request, "training/certificate_list.html", {
        "cohort": cohort, "certificates": certificates, "reissuable": _reissuable(certificates)})


def _reissuable(certificates) -> set[int]:
    """The revoked certificates that may be replaced: each graduate's latest, when none is in force."""
    latest, in_force = {}, set()
    for c in certificates:
        if c.revoked_at is None:
            in_force.add(c.participant_id)
        elif c.participant_id not in latest or (c.issued_at, c.pk) > (latest[c.participant_id].issued_at,
                                                                     latest[c.participant_id].pk):
            latest[c.participant_id] = c
    return {c.pk for pid, c in latest.items() if pid not in in_force
            and c.participant.status == ParticipantStatus.GRADUATED and c.participant.volunteer.is_active}


@officer_required
@require_POST
def certificate_revoke(request, pk: int):
    certificate = selectors.certificate_for(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            service.revoke(request.user, certificate, form.cleaned_data["reason"])
            messages.success(request, _("Sertifikat %(code)s dicabut.") % {"code": certificate.code})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Alasan pencabutan: %(error)s") % {"error": " ".join(form.errors["reason"])})
    return redirect("training:certificate_list", pk=certificate.participant.cohort_id)


@officer_required
@require_POST
def certificate_reissue(request, pk: int):
    """A corrected certificate (new code) for a graduate whose certificate was revoked."""
    participant = selectors.participant_for(request.user, pk)
    announce(request, lambda: service.reissue(request.user, participant), lambda certificate: _(
        "Sertifikat baru %(code)s diterbitkan untuk %(name)s.") % {
        "code": certificate.code, "name": certificate.holder_name})
    return redirect("training:certificate_list", pk=participant.cohort_id)


@officer_required
@require_GET
def cohort_report(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    stamp = timezone.localdate().isoformat()
    return download(report.cohort_report(cohort), f"laporan-angkatan-{cohort.pk}-{stamp}.xlsx", "xlsx")


@login_required
@require_GET
def my_training(request):
    if request.user.role != Role.TKS:
        raise PermissionDenied
    today = timezone.localdate()
    trainings = []
    for participant in selectors.my_participations(request.user):
        cohort = participant.cohort
        [result] = results.cohort_results(cohort, participants=[participant])
        upcoming = []
        if participant.status == ParticipantStatus.ACTIVE:
            upcoming = list(selectors.sessions_for(request.user, cohort).filter(date__gte=today)[:10])
        trainings.append({"participant": participant, "cohort": cohort, "result": result, "upcoming": upcoming,
                          "certificate": participant.certificate, "zone": label_of(cohort.region_id)})
    return render(request, "training/certificate_my_training.html", {"trainings": trainings})


@never_cache
@require_GET
def verify(request):
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("training:verify_code", code=form.cleaned_data["code"])
    return render(request, "training/verify.html", {"form": form})


@never_cache
@require_GET
def verify_code(request, code: str):
    try:
        certificate = service.find(code, client=request.META.get("REMOTE_ADDR", "-"))
    except service.TooManyLookups:
        return render(request, "training/verify_too_many.html", status=429)
    response = render(request, "training/verify_result.html", {
        "certificate": certificate, "code": code, "form": VerifyForm(initial={"code": code})},
        status=200 if certificate else 404)
    # A holder's name is shown to whoever has the code, not to search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


urlpatterns = [
    path("pelatihan/saya/", my_training, name="my_training"),
    path("pelatihan/sertifikat/<int:pk>/pdf/", certificate_pdf_view, name="certificate_pdf"),
    path("pelatihan/sertifikat/<int:pk>/cabut/", certificate_revoke, name="certificate_revoke"),
    path("pelatihan/peserta/<int:pk>/sertifikat/terbitkan-ulang/", certificate_reissue, name="certificate_reissue"),
    path("pelatihan/angkatan/<int:pk>/sertifikat/", certificate_list, name="certificate_list"),
    path("pelatihan/angkatan/<int:pk>/laporan.xlsx", cohort_report, name="cohort_report"),
    path("sertifikat/", verify, name="verify"),
    path("sertifikat/<str:code>/", verify_code, name="verify_code"),
]
