"""Member pages: add a member, let one leave, make one the chair."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.views import officer_required
from sukarela.core.web import form_errors_text, run_service
from sukarela.groups import selectors
from sukarela.groups.forms import AddMemberForm, ChairForm, LeaveForm, chair_accounts
from sukarela.groups.services import members as service


@officer_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    group = selectors.group_for(request.user, pk)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST":
        member = run_service(form, lambda: service.add_member(request.user, group, **form.member_data()))
        if member is not None:
            messages.success(request, _("%(n)s ditambahkan ke kelompok.") % {"n": member.full_name})
            return redirect("groups:group_detail", pk=group.pk)
    return render(request, "groups/member_form.html", {"form": form, "group": group})


@officer_required
@require_POST
def member_remove(request, pk: int):
    member = selectors.member_for(request.user, pk)
    form = LeaveForm(request.POST)
    if run_service(form, lambda: service.remove_member(request.user, member, form.cleaned_data["on"])):
        messages.success(request, _("%(n)s dicatat keluar dari kelompok.") % {"n": member.full_name})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("groups:group_detail", pk=member.group_id)


@officer_required
@require_POST
def member_chair(request, pk: int):
    member = selectors.member_for(request.user, pk)
    form = ChairForm(request.POST, accounts=chair_accounts(request.user))
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        service.set_chair(request.user, member, form.cleaned_data["chair_account"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s sekarang ketua kelompok.") % {"n": member.full_name})
    return redirect("groups:group_detail", pk=member.group_id)


urlpatterns = [
    path("kelompok/<int:pk>/anggota/tambah/", member_add, name="member_add"),
    path("kelompok/anggota/<int:pk>/keluar/", member_remove, name="member_remove"),
    path("kelompok/anggota/<int:pk>/ketua/", member_chair, name="member_chair"),
]
