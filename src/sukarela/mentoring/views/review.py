"""Review pages: the officers' list of visits (filters, bulk approval), one visit with everything it
recorded (approve, return with a comment; the group chair confirms), its photos through a scoped
view, and the automatic flags."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sukarela.assignments.models import Posting
from sukarela.core.exporting import export_response
from sukarela.core.models import User
from sukarela.core.permissions import is_officer
from sukarela.core.scope import in_scope, scoped
from sukarela.core.views import officer_required
from sukarela.core.web import announce, form_errors_text, page, run_service
from sukarela.groups.models import Group
from sukarela.mentoring.exports import VISIT_COLUMNS
from sukarela.mentoring.forms import ApproveForm, BulkApproveForm, ReturnForm, VisitFilterForm
from sukarela.mentoring.models import ReviewStatus, Task
from sukarela.mentoring.selectors import visit_for, visits_for
from sukarela.mentoring.selectors import flags as flag_selectors
from sukarela.mentoring.selectors import review as selectors
from sukarela.mentoring.services import follow_ups as follow_up_services
from sukarela.mentoring.services import review as service


def _filter_choices(user):
    """The TKS and groups the officer may pick: those posted (now or before) in their region. Only
    a regency's officer (or a smaller region's) gets lists to pick from; for a province or the whole
    country they would hold thousands of names, so the form searches by name instead: (None, None)."""
    if "." not in (getattr(user, "scope_code", None) or ""):
        return None, None
    postings = scoped(user, Posting.objects.all())
    tks = User.objects.filter(pk__in=postings.values("mentor")).order_by("full_name", "id")
    groups = scoped(user, Group.objects.filter(pk__in=postings.values("group"))).order_by("name", "id")
    return ([(u.pk, u.full_name) for u in tks.only("pk", "full_name")],
            [(g.pk, g.name) for g in groups.only("pk", "name")])


@officer_required
@require_GET
def review_list(request):
    tks_choices, group_choices = _filter_choices(request.user)
    form = VisitFilterForm(request.GET or None, tks_choices=tks_choices, group_choices=group_choices)
    filters = form.filters() if request.GET else selectors.VisitFilters()
    visits = selectors.review_visits(request.user, filters)
    exported = export_response(request, _("Kunjungan"), "kunjungan", VISIT_COLUMNS, visits)
    if exported:
        return exported
    listed = page(request, visits)
    labels = dict(Task.choices)
    for visit in listed:  # the page holds its rows as a list once read: the template sees these
        visit.task_labels = ", ".join(str(labels.get(t, t)) for t in visit.tasks)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "mentoring/review_list.html", {
        "form": form, "page": listed, "query": query.urlencode(),
        "approvable": {ReviewStatus.SUBMITTED, ReviewStatus.RETURNED}})


def _may_review(user, visit) -> bool:
    return is_officer(user) and in_scope(user, visit.group.village_id) and visit.tks_id != user.pk


def _may_link(user, visit) -> bool:
    """The "Buat keterkaitan" button (partners' rule: officers of the group's region, the visit's TKS)."""
    # partners depends on mentoring (Linkage.visit): its selector is imported when asked.
    from sukarela.partners.selectors.linkages import may_link_visit

    return may_link_visit(user, visit)


def _detail(request, visit, *, return_form=None, approve_errors=None, status=200):
    return render(request, "mentoring/review_detail.html", {
        "visit": visit,
        "tasks": selectors.task_sections(visit),
        "roles": selectors.role_labels(visit),
        "attendance": selectors.attendance_of(visit),
        "history": selectors.review_history(visit),
        "may_review": _may_review(request.user, visit),
        "may_confirm": visit.confirmed_by_chair_at is None and service.chairs(request.user, visit),
        "approve_form": ApproveForm(initial={"version": visit.version}),
        "approve_errors": approve_errors,
        "return_form": return_form or ReturnForm(initial={"version": visit.version}),
        "far_km": selectors.far_km(),
        "distance": selectors.distance_km(visit),
        "overlapping": selectors.overlapping_visits(request.user, visit),
        "today": timezone.localdate(),
        "may_mark_done": follow_up_services.may_mark_done(request.user, visit),
        "may_link": _may_link(request.user, visit),
    }, status=status)


@login_required
@require_GET
def review_detail(request, pk):
    """Officers of the group's region, the visit's TKS and the group's chair (the scope decides)."""
    return _detail(request, selectors.visit_detail(request.user, pk))


@officer_required
@require_POST
def review_approve(request, pk):
    visit = visit_for(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():  # no version, no approval: the officer must have seen what they approve
        # The page again with what was wrong, and a form carrying the version now shown.
        return _detail(request, selectors.visit_detail(request.user, pk), status=422,
                       approve_errors=[e for errors in form.errors.values() for e in errors])
    version = form.cleaned_data["version"]
    announce(request, lambda: service.approve(request.user, visit, version=version), _("Kunjungan disetujui."))
    return redirect("mentoring:review_detail", pk=visit.pk)


@officer_required
@require_POST
def review_return(request, pk):
    visit = visit_for(request.user, pk)
    form = ReturnForm(request.POST)
    done = run_service(form, lambda: service.return_visit(
        request.user, visit, form.cleaned_data["comment"], version=form.cleaned_data.get("version")))
    if done is None:  # the comment (or the state) was refused: the page again, the reason on the form
        return _detail(request, selectors.visit_detail(request.user, pk), return_form=form, status=422)
    messages.success(request, _("Kunjungan dikembalikan kepada TKS dengan komentar Anda."))
    return redirect("mentoring:review_detail", pk=visit.pk)


@officer_required
@require_POST
def review_bulk_approve(request):
    form = BulkApproveForm(request.POST)
    back = reverse("mentoring:review_list")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    versions = form.cleaned_data["visits"]  # {id: the version the list showed}
    visits = list(visits_for(request.user).filter(pk__in=list(versions)))
    if len(visits) != len(versions):
        raise Http404  # an id outside the scope says nothing about what it is
    announce(request, lambda: service.approve_many(request.user, visits, versions), lambda done: _(
        "%(n)s kunjungan disetujui.") % {"n": len(done)})
    query = QueryDict(form.cleaned_data["query"])
    return redirect(f"{back}?{urlencode(list(query.lists()), doseq=True)}" if query else back)


@login_required
@require_POST
def visit_confirm(request, pk):
    visit = visit_for(request.user, pk)
    announce(request, lambda: service.confirm_by_chair(request.user, visit),
             _("Terima kasih: kunjungan ini dikonfirmasi oleh ketua kelompok."))
    return redirect("mentoring:review_detail", pk=visit.pk)


@login_required
@require_GET
def visit_photo(request, pk, photo_pk):
    """A visit's photo for whoever may see the visit; media files are never served publicly."""
    visit = visit_for(request.user, pk)
    photo = visit.photos.filter(pk=photo_pk, completed_at__isnull=False).first()
    if photo is None or not photo.file:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


FLAG_ROWS = 50  # rows of each quiet list per page: a national officer's lists run to thousands


@officer_required
@require_GET
def flags(request):
    """The automatic flags, each quiet list a page at a time (its own page parameter) with its count."""
    user = request.user
    return render(request, "mentoring/flags.html", {
        "groups": Paginator(flag_selectors.quiet_groups(user), FLAG_ROWS).get_page(request.GET.get("halaman_kelompok")),
        "tks": Paginator(flag_selectors.quiet_tks(user), FLAG_ROWS).get_page(request.GET.get("halaman_tks")),
        "visit_flags": flag_selectors.flagged_visit_counts(user),
        "overdue": flag_selectors.overdue_follow_ups(user).count(),
        "thresholds": selectors.thresholds()})


urlpatterns = [
    path("kunjungan/", review_list, name="review_list"),
    path("kunjungan/setujui/", review_bulk_approve, name="review_bulk_approve"),
    path("kunjungan/tanda/", flags, name="flags"),
    path("kunjungan/<uuid:pk>/", review_detail, name="review_detail"),
    path("kunjungan/<uuid:pk>/setujui/", review_approve, name="review_approve"),
    path("kunjungan/<uuid:pk>/kembalikan/", review_return, name="review_return"),
    path("kunjungan/<uuid:pk>/konfirmasi/", visit_confirm, name="visit_confirm"),
    path("kunjungan/<uuid:pk>/foto/<uuid:photo_pk>/", visit_photo, name="visit_photo"),
]
