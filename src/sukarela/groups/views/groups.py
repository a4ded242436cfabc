"""Group pages: the list with filters, registering a group with its chair, its detail (members,
aid), editing it and changing its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.permissions import is_officer
from sukarela.core.views import officer_required
from sukarela.core.web import form_errors_text, page, run_service
from sukarela.groups import exports, selectors
from sukarela.groups.forms import (AddMemberForm, FilterForm, GroupCreateForm, GroupForm, LeaveForm, StatusForm,
                                   chair_accounts)
from sukarela.groups.models import GroupStatus
from sukarela.groups.permissions import manages
from sukarela.groups.services import groups as service
from sukarela.groups.services.common import GROUP_FIELDS


@login_required
def group_list(request):
    """Officers: the groups of their region; a group chair: their own group."""
    form = FilterForm(request.GET or None, root=request.user.scope_code or "")
    filters = form.filters() if request.GET else {}
    groups = selectors.groups_for(request.user, **filters).order_by("name", "id")
    exported = export_response(request, _("Kelompok TKM"), "kelompok", exports.GROUP_COLUMNS, groups)
    if exported:
        return exported
    return render(request, "groups/group_list.html", {
        "page": page(request, groups), "form": form, "officer": is_officer(request.user)})


@officer_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    root = request.user.scope_code or ""
    form = GroupCreateForm(request.POST or None, root=root, accounts=chair_accounts(request.user),
                           initial={"village": root, "chair_unemployed_declared": False})
    if request.method == "POST":
        group = run_service(form, lambda: service.create_group(request.user, chair=form.chair_data(),
                                                               **form.group_data()),
                            target_of=form.target_of)
        if group is not None:
            messages.success(request, _("Kelompok %(g)s terdaftar dengan ketuanya.") % {"g": group.name})
            return redirect("groups:group_detail", pk=group.pk)
    return render(request, "groups/group_form.html", {"form": form, "group": None})


@login_required
def group_detail(request, pk: int):
    """Officers, the group's chair and its current mentor (TKS); personal fields in full only for
    the group's officers."""
    group = selectors.group_with_members(request.user, pk)
    officer = manages(request.user, group)
    members = list(group.members.all())
    exported = export_response(request, _("Anggota %(g)s") % {"g": group.name}, f"anggota-kelompok-{group.pk}",
                               exports.MEMBER_COLUMNS, members)
    if exported:
        return exported
    open_group = officer and group.status != GroupStatus.STOPPED
    history = selectors.postings_of(group)
    current = history[0] if history and history[0].ends_on is None else None
    # mentoring depends on groups: its selector (the indicator trend) is imported when asked.
    from sukarela.mentoring.selectors.review import group_trend
    from sukarela.partners.selectors.linkages import group_section
    return render(request, "groups/group_detail.html", {
        "group": group, "manages": officer, "members": members,
        "active_count": sum(1 for m in members if m.active),
        "posting": current, "history": history, "indicator_trend": group_trend(request.user, group),
        "linkages_section": group_section(request.user, group),
        "add_form": AddMemberForm() if open_group else None,
        "status_form": StatusForm() if open_group else None,
        "leave_form": LeaveForm() if open_group else None,
        # The logins an officer may link to the chair ("Jadikan ketua" / change the chair's login),
        # less those already opening another active group (the service would refuse them).
        "chair_accounts": list(chair_accounts(request.user, free_for=group)) if open_group else []})


@officer_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    group = selectors.group_for(request.user, pk)
    if not manages(request.user, group):
        raise PermissionDenied
    initial = {name: getattr(group, name) for name in GROUP_FIELDS}
    initial["village"], initial["sector"] = group.village_id, group.sector_id
    form = GroupForm(request.POST or None, root=request.user.scope_code or "", initial=initial)
    if request.method == "POST":
        if run_service(form, lambda: service.update_group(request.user, group, **form.group_data())):
            messages.success(request, _("Perubahan disimpan."))
            return redirect("groups:group_detail", pk=group.pk)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@officer_required
@require_POST
def group_status(request, pk: int):
    group = selectors.group_for(request.user, pk)
    form = StatusForm(request.POST)
    saved = run_service(form, lambda: service.change_status(request.user, group, form.cleaned_data["status"],
                                                            form.cleaned_data["on"]))
    if saved is not None:
        messages.success(request, _("Status kelompok: %(s)s.") % {"s": saved.get_status_display()})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("groups:group_detail", pk=group.pk)


urlpatterns = [
    path("kelompok/", group_list, name="group_list"),
    path("kelompok/baru/", group_create, name="group_create"),
    path("kelompok/<int:pk>/", group_detail, name="group_detail"),
    path("kelompok/<int:pk>/ubah/", group_edit, name="group_edit"),
    path("kelompok/<int:pk>/status/", group_status, name="group_status"),
]
