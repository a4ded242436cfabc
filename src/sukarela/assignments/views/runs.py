"""Assignment pages: run the matching for a cohort, preview (summary per regency, table, map),
pin or forbid pairs by hand, publish; and the dated history of postings."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django_htmx.http import HttpResponseClientRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.models import User
from sukarela.core.scope import scoped
from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import announce, page, run_service
from sukarela.groups.models import Group
from sukarela.regions.models import Region
from sukarela.training import selectors as training
from sukarela.training.permissions import manages
from sukarela.assignments import exports, selectors
from sukarela.assignments.forms import RuleForm, RunForm
from sukarela.assignments.models import RunStatus
from sukarela.assignments.services import matching, publishing
from sukarela.assignments.models import MentorProfile
from sukarela.assignments.services.matching import _point_lookup, group_point, mentor_point


@officer_required
def run_list(request):
    runs = selectors.runs_for(request.user)
    # The page shows the latest 30 runs; the download holds every run in scope.
    exported = export_response(request, _("Pencocokan"), "pencocokan", exports.RUN_COLUMNS, runs)
    return exported or render(request, "assignments/run_list.html", {
        "cohorts": selectors.cohorts_with_graduates(request.user), "runs": runs[:30]})


@officer_required
@require_http_methods(["GET", "POST"])
def run_create(request, cohort_pk: int):
    cohort = training.cohort_for(request.user, cohort_pk)
    if not manages(request.user, cohort):
        raise PermissionDenied
    form = RunForm(request.POST or None)
    if request.method == "POST":
        done = run_service(form, lambda: matching.run(request.user, cohort, **form.cleaned_data))
        if done is not None:
            if request.htmx:  # the page showed its progress indicator while this ran
                return HttpResponseClientRedirect(reverse("assignments:run_detail", args=[done.pk]))
            return redirect("assignments:run_detail", pk=done.pk)
    return render(request, "assignments/run_form.html", {
        "form": form, "cohort": cohort, "graduates": len(matching.mentors_of(cohort)),
        "groups": matching.groups_of(cohort.region_id).count()})


def _by_regency(proposals):
    rows = defaultdict(lambda: {"groups": 0, "covered": 0, "name": ""})
    for p in proposals:
        code = p.group.village_id[:5]
        rows[code]["groups"] += 1
        rows[code]["covered"] += p.mentor_id is not None
    return sorted(rows.items())


@officer_required
def run_detail(request, pk: int):
    run = selectors.run_for(request.user, pk)
    proposals = list(selectors.proposals_for(request.user, run))
    exported = export_response(request, _("Usulan pencocokan"), f"usulan-pencocokan-{run.pk}",
                               exports.PROPOSAL_COLUMNS, proposals)
    if exported:
        return exported
    summary = _by_regency(proposals)
    names = dict(Region.objects.filter(code__in=[c for c, _r in summary]).values_list("code", "name"))
    changes = publishing.preview(run) if run.status == RunStatus.DRAFT else None
    listed = page(request, proposals)
    return render(request, "assignments/run_detail.html", {
        "run": run, "page": listed, "summary": [(c, names.get(c, c), r) for c, r in summary],
        "changes": changes, "changed": _changed_rows(changes, proposals),
        "mentors": matching.mentors_of(run.cohort), "rules": selectors.rules_for(request.user, run.cohort),
        "manages": manages(request.user, run.cohort)})


def _changed_rows(changes, proposals, limit=100):
    """The groups that would change mentor, named, for the preview (the first `limit`)."""
    if changes is None:
        return []
    groups = {p.group_id: p.group for p in proposals}
    people = {u.pk: u for u in User.objects.filter(pk__in={m for row in changes.moved + changes.dropped
                                                               for m in row[1:] if m}
                                                   | {m for _g, m in changes.added})}
    rows = [(groups.get(g), people.get(old), people.get(new)) for g, old, new in changes.moved]
    rows += [(groups.get(g), people.get(old), None) for g, old in changes.dropped]
    rows += [(groups.get(g), None, people.get(new)) for g, new in changes.added]
    return rows[:limit]


@officer_required
def run_map(request, pk: int):
    """Points for the preview map: mentors and their groups, with a line for each proposal."""
    run = selectors.run_for(request.user, pk)
    proposals = list(selectors.proposals_for(request.user, run))
    mentors = sorted({p.mentor for p in proposals if p.mentor_id}, key=lambda m: m.pk)
    profiles = {p.user_id: p for p in MentorProfile.objects.filter(user__in=mentors)}
    points = _point_lookup([p.group.village_id for p in proposals] + [m.region_id for m in mentors])
    return JsonResponse({
        "mentors": [{"id": m.pk, "name": m.full_name, "at": list(mentor_point(m, profiles.get(m.pk), points))}
                    for m in mentors],
        "groups": [{"id": p.group_id, "name": p.group.name, "mentor": p.mentor_id,
                    "at": list(group_point(p.group, points))} for p in proposals]})


@officer_required
@require_POST
def rule_add(request, pk: int):
    run = selectors.run_for(request.user, pk)
    form = RuleForm(request.POST)
    if not form.is_valid():
        raise Http404
    # Both looked up within what the officer may see, so an id outside says nothing (404 either way).
    group = scoped(request.user, Group.objects.filter(pk=form.cleaned_data["group"])).first()
    mentor = next((m for m in matching.mentors_of(run.cohort) if m.pk == form.cleaned_data["mentor"]), None)
    if group is None or mentor is None:
        raise Http404
    announce(request, lambda: matching.set_rule(request.user, run.cohort, group, mentor, form.cleaned_data["kind"]),
             _("Aturan disimpan; jalankan ulang pencocokan untuk menerapkannya."))
    return redirect("assignments:run_detail", pk=run.pk)


@officer_required
@require_POST
def rule_delete(request, pk: int):
    rule = selectors.rule_for(request.user, pk)
    matching.remove_rule(request.user, rule)
    messages.success(request, _("Aturan dihapus."))
    return redirect("assignments:run_list")


@officer_required
@require_POST
def run_publish(request, pk: int):
    run = selectors.run_for(request.user, pk)
    announce(request, lambda: publishing.publish(request.user, run), lambda changes: _(
        "Diterbitkan: %(a)s penugasan baru, %(m)s pindah, %(d)s berakhir.") % {
        "a": len(changes.added), "m": len(changes.moved), "d": len(changes.dropped)})
    return redirect("assignments:run_detail", pk=run.pk)


@login_required
def posting_list(request):
    """The dated history: officers see their region's, a TKS their own."""
    qs = selectors.postings_for(request.user, current_only=request.GET.get("aktif") == "1")
    exported = export_response(request, _("Riwayat penugasan"), "penugasan", exports.POSTING_COLUMNS, qs)
    if exported:
        return exported
    return render(request, "assignments/posting_list.html", {"page": page(request, qs)})


urlpatterns = [
    path("penugasan/", run_list, name="run_list"),
    path("penugasan/angkatan/<int:cohort_pk>/jalankan/", run_create, name="run_create"),
    path("penugasan/<int:pk>/", run_detail, name="run_detail"),
    path("penugasan/<int:pk>/peta.json", run_map, name="run_map"),
    path("penugasan/<int:pk>/aturan/", rule_add, name="rule_add"),
    path("penugasan/aturan/<int:pk>/hapus/", rule_delete, name="rule_delete"),
    path("penugasan/<int:pk>/terbitkan/", run_publish, name="run_publish"),
    path("penugasan/riwayat/", posting_list, name="posting_list"),
]
