"""Records made outside the phone: a group's monthly indicator snapshot from the group's page (its
TKS or an officer of its region), and a visit's follow-up marked done from the visit's page (its
TKS or an officer). Both POST and go back to the page they came from with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sukarela.core.web import announce, form_errors_text
from sukarela.groups.selectors import group_for
from sukarela.mentoring.forms import FollowUpDoneForm, IndicatorForm
from sukarela.mentoring.selectors import visit_for
from sukarela.mentoring.services import follow_ups as follow_up_services
from sukarela.mentoring.services import indicators as indicator_services


@login_required
@require_POST
def indicator_record(request, group_pk):
    group = group_for(request.user, group_pk)  # outside the caller's scope: 404
    back = reverse("groups:group_detail", args=[group.pk]) + "#indicators"
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)

    def record():
        try:
            return indicator_services.record(request.user, group, form.values(),
                                             recorded_on=form.cleaned_data["recorded_on"])
        except indicator_services.Conflict as exc:  # the same form sent again with other values
            raise ValidationError(exc.message) from None

    announce(request, record, lambda result: _("Indikator kelompok dicatat.") if result[1]
             else _("Indikator ini sudah tercatat."))
    return redirect(back)


@login_required
@require_POST
def follow_up_done(request, pk, follow_up_pk):
    visit = visit_for(request.user, pk)  # outside the caller's scope: 404
    follow_up = visit.follow_ups.filter(pk=follow_up_pk).first()
    if follow_up is None:
        raise Http404
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        announce(request, lambda: follow_up_services.mark_done(request.user, follow_up, form.cleaned_data["done_on"]),
                 lambda result: _("Tindak lanjut ditandai selesai.") if result[1]
                 else _("Tindak lanjut ini sudah ditandai selesai."))
    return redirect(reverse("mentoring:review_detail", args=[visit.pk]) + "#visit-follow-ups")


urlpatterns = [
    path("kelompok/<int:group_pk>/indikator/", indicator_record, name="indicator_record"),
    path("kunjungan/<uuid:pk>/tindak-lanjut/<int:follow_up_pk>/selesai/", follow_up_done, name="follow_up_done"),
]
