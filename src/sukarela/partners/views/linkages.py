"""Linkage pages: the list (status, purpose, partner type, region, broker; paged), one linkage with
its step history and the form that moves its status, creating one for a group or a centre, and
creating one from a visit. Officers and TKS (a TKS sees their own: Linkage.owned_by); other roles
403, a linkage out of view 404. Import and export are in linkage_transfer.py."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sukarela.core.models import User
from sukarela.core.permissions import is_officer
from sukarela.core.roles import Role
from sukarela.core.web import page, run_service
from sukarela.groups.models import Group
from sukarela.groups.selectors import group_for
from sukarela.mentoring.selectors import visit_for
from sukarela.partners import linkage_rules as rules
from sukarela.partners.linkage_forms import LinkageFilterForm, LinkageForm, MoveForm, TargetForm, VisitLinkageForm
from sukarela.partners.models import LinkageStatus, Purpose
from sukarela.partners.selectors import centres as centre_selectors
from sukarela.partners.selectors import linkages as selectors
from sukarela.partners.services import linkages as service
from sukarela.partners.views import linkage_transfer
from sukarela.regions.models import subtree_q

BROKER_CHOICES_MAX = 500


def linkage_user_required(view):
    """Officers and TKS; anonymous to the login page, other roles 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (is_officer(request.user) or request.user.role == Role.TKS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@linkage_user_required
@require_GET
def linkage_list(request):
    form = LinkageFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.LinkageFilters()
    linkages = selectors.linkage_list(request.user, filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "partners/linkage_list.html", {
        "form": form, "page": page(request, linkages), "query": query.urlencode(),
        "counts": selectors.status_counts(linkages), "officer": is_officer(request.user)})


def _target(request):
    """The group or centre named in the query (?kelompok= or ?blk=), read through the scope (404),
    with the caller's right to link it checked (403); (None, None) when none is named."""
    form = TargetForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("kelompok"):
        group = group_for(request.user, data["kelompok"])
        if not selectors.may_link_group(request.user, group):
            raise PermissionDenied
        return group, None
    if data.get("blk"):
        centre = centre_selectors.centre_for(request.user, data["blk"])
        if not centre_selectors.may_edit(request.user, centre):
            raise PermissionDenied
        return None, centre
    return None, None


def _brokers(user, group, centre):
    if not is_officer(user):
        return None
    if group is not None:
        return list(selectors.broker_choices(group))
    qs = User.objects.filter(role=Role.TKS, is_active=True)
    if user.scope_code:
        qs = qs.filter(subtree_q("region__code", user.scope_code))
    return list(qs.filter(region__code__startswith=centre.region_id[:5]).order_by("full_name", "id")
                [:BROKER_CHOICES_MAX])


@linkage_user_required
@require_http_methods(["GET", "POST"])
def linkage_create(request):
    group, centre = _target(request)
    if group is None and centre is None:
        if request.method == "POST":
            return redirect("partners:linkage_create")
        mine = (Group.objects.filter(Q(pk__in=request.user.postings.filter(ends_on__isnull=True).values("group")))
                if request.user.role == Role.TKS else Group.objects.none())
        return render(request, "partners/linkage_target.html", {"form": TargetForm(), "groups": mine})
    region = group.village_id if group is not None else centre.region_id
    form = LinkageForm(request.POST or None, partners=selectors.partner_choices(request.user, region),
                       brokers=_brokers(request.user, group, centre))
    if request.method == "POST":
        linkage = run_service(form, lambda: service.create_linkage(
            request.user, group=group, centre=centre, partner=form.cleaned_data["partner"],
            purpose=form.cleaned_data["purpose"], broker=form.cleaned_data.get("broker"),
            proposed_on=form.cleaned_data.get("proposed_on"), notes=form.cleaned_data.get("notes", "")))
        if linkage is not None:
            messages.success(request, _("Keterkaitan dicatat dengan status Diusulkan."))
            return redirect("partners:linkage_detail", pk=linkage.pk)
    return render(request, "partners/linkage_form.html", {"form": form, "group": group, "centre": centre,
                                                          "query": request.GET.urlencode()})


def _detail(request, linkage, move_form=None, status=200):
    may = selectors.may_change(request.user, linkage)
    open_ = linkage.status not in rules.FINAL
    form = move_form or (MoveForm(current=linkage.status) if may and open_ else None)
    return render(request, "partners/linkage_detail.html", {
        "linkage": linkage, "steps": selectors.steps_of(linkage), "may_change": may, "move_form": form,
        "money": linkage.purpose in rules.MONEY, "training": linkage.purpose == Purpose.TRAINING,
        "today": timezone.localdate()}, status=status)


@linkage_user_required
@require_GET
def linkage_detail(request, pk: int):
    return _detail(request, selectors.linkage_for(request.user, pk))


@linkage_user_required
@require_POST
def linkage_move(request, pk: int):
    linkage = selectors.linkage_for(request.user, pk)
    if not selectors.may_change(request.user, linkage):
        raise PermissionDenied
    form = MoveForm(request.POST, current=linkage.status)
    moved = run_service(form, lambda: service.move_linkage(request.user, linkage, **{
        k: v for k, v in form.cleaned_data.items() if v not in (None, "")}))
    if moved is None:
        return _detail(request, selectors.linkage_for(request.user, pk), move_form=form, status=422)
    messages.success(request, _("Status keterkaitan menjadi %(s)s.") % {"s": moved.get_status_display()})
    return redirect("partners:linkage_detail", pk=linkage.pk)


def _visit_initial(visit, partners) -> dict:
    outcome = service.visit_outcome(visit)
    name = " ".join(str(outcome.get("partner") or "").split()).casefold()
    guess = next((p.pk for p in partners if p.name.casefold() == name), None) if name else None
    purpose = outcome.get("purpose") if outcome.get("purpose") in Purpose.values else None
    reason = outcome.get("note", "") if outcome.get("outcome") == "gagal" else ""
    return {"partner": guess, "purpose": purpose, "failed_reason": reason}


@linkage_user_required
@require_http_methods(["GET", "POST"])
def linkage_from_visit(request, visit_id):
    visit = visit_for(request.user, visit_id)
    if not selectors.may_link_visit(request.user, visit):
        raise PermissionDenied
    partners = list(selectors.partner_choices(request.user, visit.group.village_id))
    form = VisitLinkageForm(request.POST or None, partners=partners, initial=_visit_initial(visit, partners))
    if request.method == "POST":
        linkage = run_service(form, lambda: service.from_visit(
            request.user, visit, form.cleaned_data["partner"], form.cleaned_data["purpose"],
            value_amount=form.cleaned_data.get("value_amount"), people_trained=form.cleaned_data.get("people_trained"),
            failed_reason=form.cleaned_data.get("failed_reason", ""), notes=form.cleaned_data.get("notes", "")))
        if linkage is not None:
            messages.success(request, _("Keterkaitan dari kunjungan dicatat dengan status %(s)s.") % {
                "s": linkage.get_status_display()})
            return redirect("partners:linkage_detail", pk=linkage.pk)
    outcome = service.visit_outcome(visit)
    target = rules.OUTCOME_STATUS.get(str(outcome.get("outcome") or ""), LinkageStatus.PROPOSED)
    return render(request, "partners/linkage_visit_form.html", {
        "form": form, "visit": visit, "outcome": outcome, "target": LinkageStatus(target).label,
        "back": reverse("mentoring:review_detail", args=[visit.pk])})


urlpatterns = [
    path("keterkaitan/", linkage_list, name="linkage_list"),
    path("keterkaitan/baru/", linkage_create, name="linkage_create"),
    path("keterkaitan/dari-kunjungan/<uuid:visit_id>/", linkage_from_visit, name="linkage_from_visit"),
    path("keterkaitan/<int:pk>/", linkage_detail, name="linkage_detail"),
    path("keterkaitan/<int:pk>/status/", linkage_move, name="linkage_move"),
    *linkage_transfer.urlpatterns,  # import and export (urls.py joins this module's list)
]
