"""Selection: who may be ranked, the ranking itself (engines.ranking), the written
decisions, and the replacement of a selectee who leaves.

The engine is deterministic for the same input (documented tie-break in
engines/ranking.py), so running selection again after nothing changed writes
exactly the same decisions.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.core import audit
from sukarela.engines import ranking
from sukarela.core import bulk
from sukarela.recruitment.models import AdminStatus, Application, Campaign, Decision, Status
from sukarela.recruitment.permissions import require_national
from sukarela.regions.models import subtree_q

REASON_LABELS = {
    "ineligible": gettext_lazy("Tidak memenuhi syarat"),
    "admin_pending": gettext_lazy("Verifikasi administrasi belum selesai"),
    "admin_rejected": gettext_lazy("Tidak lolos verifikasi administrasi"),
    "test_score_missing": gettext_lazy("Belum ada nilai tes"),
    "test_score_below_pass": gettext_lazy("Nilai tes di bawah nilai lulus"),
    "interview_score_missing": gettext_lazy("Belum ada nilai wawancara"),
    "interview_score_below_pass": gettext_lazy("Nilai wawancara di bawah nilai lulus"),
    "household_limit": gettext_lazy("Batas pelamar terpilih per KK sudah tercapai"),
    "no_quota": gettext_lazy("Wilayah tanpa kuota"),
    "withdrawn": gettext_lazy("Mengundurkan diri setelah terpilih"),
    "quota_full": gettext_lazy("Kuota wilayah sudah penuh"),
}


@dataclass
class RegionRow:
    region: str
    name: str
    quota: int
    applicants: int = 0
    eligible: int = 0
    ranked: int = 0
    selected: int = 0
    waitlisted: int = 0


@dataclass
class Result:
    rows: list[RegionRow] = field(default_factory=list)
    selected: int = 0
    waitlisted: int = 0
    not_selected: int = 0
    dry_run: bool = False


def gates(campaign: Campaign) -> list[tuple[str, Q]]:
    """Why an active application cannot be ranked, in the order the reasons are reported."""
    out = [("ineligible", ~Q(eligible=True))]
    if campaign.use_admin_check:
        out += [("admin_rejected", Q(admin_status=AdminStatus.REJECTED)),
                ("admin_pending", ~Q(admin_status=AdminStatus.VERIFIED))]
    for stage, _weight in campaign.weighted_stages:
        out.append((f"{stage}_missing", Q(**{f"{stage}__isnull": True})))
        mark = getattr(campaign, stage.replace("_score", "_pass_mark"))
        if mark is not None:
            out.append((f"{stage}_below_pass", Q(**{f"{stage}__lt": mark})))
    return out


def _gate(campaign: Campaign) -> Case:
    return Case(*[When(q, then=Value(code)) for code, q in gates(campaign)], default=Value(""),
                output_field=CharField())


def _rows(campaign: Campaign):
    """Every active application once: its gate (why it cannot be ranked, or "") and what ranking needs."""
    stages = campaign.weighted_stages
    fields = ["id", "quota_region_id", "submitted_at", "household_id", "gate"] + [s for s, _w in stages]
    qs = Application.objects.filter(campaign=campaign, status=Status.ACTIVE).annotate(gate=_gate(campaign))
    return qs.values_list(*fields).iterator(chunk_size=20000)


def compute(campaign: Campaign) -> tuple[ranking.Selection, dict[int, float], dict[int, str]]:
    """The selection, each ranked application's score, and the gate of each one not ranked."""
    stages = campaign.weighted_stages
    total = sum(w for _s, w in stages)
    candidates, gated = [], {}
    for app_id, region, submitted, household, gate, *values in _rows(campaign):
        if gate:
            gated[app_id] = gate
            continue
        score = sum(float(v) * w for v, (_s, w) in zip(values, stages)) / total if total else 0.0
        candidates.append(ranking.Candidate(app_id, region, round(score, 4), submitted.timestamp(), household or None))
    quotas = dict(campaign.quota_regions.values_list("region_id", "quota"))
    selection = ranking.select(candidates, quotas, household_cap=campaign.household_cap, overflow=campaign.overflow)
    return selection, {c.id: c.score for c in candidates}, gated


def summary(campaign: Campaign, selection: ranking.Selection | None = None) -> list[RegionRow]:
    """Per quota region: quota, applicants, eligible, ranked, selected (seats filled), waitlisted."""
    from django.db.models import Count

    rows = {cr.region_id: RegionRow(cr.region_id, cr.region.name, cr.quota)
            for cr in campaign.quota_regions.select_related("region")}
    active = Application.objects.filter(campaign=campaign, status=Status.ACTIVE, quota_region__isnull=False)
    counts = active.values("quota_region_id").annotate(
        n=Count("id"), ok=Count("id", filter=Q(eligible=True)))
    for c in counts:
        if c["quota_region_id"] in rows:
            rows[c["quota_region_id"]].applicants, rows[c["quota_region_id"]].eligible = c["n"], c["ok"]
    if selection is not None:
        for code, s in selection.summary.items():
            if code in rows:
                rows[code].ranked = s.candidates
                rows[code].waitlisted = s.waitlisted
        for _app, (_rank, seat) in selection.selected.items():
            if seat in rows:
                rows[seat].selected += 1
    else:
        for c in active.values("quota_region_id").annotate(
                w=Count("id", filter=Q(decision=Decision.WAITLISTED))):
            if c["quota_region_id"] in rows:
                rows[c["quota_region_id"]].waitlisted = c["w"]
        for c in Application.objects.filter(campaign=campaign, status=Status.ACTIVE, decision=Decision.SELECTED,
                                            seat_region__isnull=False).values("seat_region_id").annotate(n=Count("id")):
            if c["seat_region_id"] in rows:
                rows[c["seat_region_id"]].selected = c["n"]
    return list(rows.values())


def run(actor, campaign: Campaign, *, dry_run: bool = False, progress=None) -> Result:
    """Rank and decide every active application of the campaign; `dry_run` writes nothing.

    A real run holds the campaign row locked from reading to writing, so a withdrawal or an
    import cannot slip between the ranking and the decisions it writes. Once results are
    announced, selection is final: a seat that frees up goes through replacement instead.
    """
    require_national(actor)
    step = progress or (lambda *a: None)
    if dry_run:
        step("ranking", 0, 3)
        selection, _scores, _gated = compute(campaign)
        return _result(campaign, selection, dry_run=True)
    caller = campaign
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.announced_at:
            raise ValidationError(_("Hasil seleksi sudah diumumkan; kursi yang kosong diisi lewat penggantian "
                                    "dari daftar cadangan, bukan seleksi ulang."))
        step("ranking", 0, 3)
        selection, scores, gated = compute(campaign)
        result = _result(campaign, selection, dry_run=False)
        step("writing", 1, 3)
        _write(selection, scores, gated)
        now = timezone.now()
        Campaign.objects.filter(pk=campaign.pk).update(selected_at=now)
        campaign.selected_at = caller.selected_at = now
        result.not_selected = Application.objects.filter(
            campaign=campaign, status=Status.ACTIVE, decision=Decision.NOT_SELECTED).count()
        audit.record(actor, "select", campaign, {
            "selected": [None, result.selected], "waitlisted": [None, result.waitlisted],
            "not_selected": [None, result.not_selected]})
    step("done", 3, 3)
    return result


def _result(campaign: Campaign, selection: ranking.Selection, *, dry_run: bool) -> Result:
    result = Result(rows=summary(campaign, selection), dry_run=dry_run)
    result.selected = len(selection.selected)
    result.waitlisted = sum(len(w) for w in selection.waitlist.values())
    return result


def _write(selection: ranking.Selection, scores: dict[int, float], gated: dict[int, str]) -> None:
    """Every active application's outcome in one pass over the table (the rows are wide)."""
    NOT = Decision.NOT_SELECTED.value
    rows = [(app_id, None, NOT, gate, None, None, None) for app_id, gate in gated.items()]
    for app_id, (rank, seat) in selection.selected.items():
        rows.append((app_id, scores[app_id], Decision.SELECTED.value, "", rank, None, seat))
    for _region, ids in selection.waitlist.items():
        for position, app_id in enumerate(ids, 1):
            rows.append((app_id, scores[app_id], Decision.WAITLISTED.value, "", None, position, None))
    for app_id in selection.household_blocked:
        rows.append((app_id, scores[app_id], NOT, "household_limit", None, None, None))
    for app_id in selection.no_quota:
        rows.append((app_id, scores[app_id], NOT, "no_quota", None, None, None))
    bulk.update_rows(Application, ["score", "decision", "decision_reason", "region_rank", "waitlist_position",
                                   "seat_region_id"], rows)


def household_counts(campaign: Campaign) -> dict[str, int]:
    from django.db.models import Count

    return dict(Application.objects.filter(campaign=campaign, status=Status.ACTIVE, decision=Decision.SELECTED)
                .exclude(household_id="").values("household_id").annotate(n=Count("id"))
                .values_list("household_id", "n"))


def _waiting(campaign: Campaign, seat: str, exclude: int):
    """Who may take a freed seat, best first: that region's waitlist in order; when it is empty
    and the campaign lets seats move, the best waitlisted of the regions the policy allows."""
    base = Application.objects.select_for_update().filter(
        campaign=campaign, status=Status.ACTIVE, decision=Decision.WAITLISTED).exclude(pk=exclude)
    own = list(base.filter(quota_region_id=seat).order_by("waitlist_position", "id").values_list("id", "household_id"))
    if own or campaign.overflow == "none":
        return own
    others = base if campaign.overflow == "national" else base.filter(subtree_q("quota_region__code",
                                                                                 seat.split(".")[0]))
    return list(others.order_by("-score", "submitted_at", "id").values_list("id", "household_id"))


@transaction.atomic
def promote_next(actor, leaving: Application) -> Application | None:
    """The seat of a selectee who leaves goes to the next on the waitlist of the seat's region.
    Callers hold the campaign row locked (see applications.withdraw / erase)."""
    campaign = leaving.campaign
    seat = leaving.seat_region_id or leaving.quota_region_id
    Application.objects.filter(pk=leaving.pk).update(
        decision=Decision.NOT_SELECTED, decision_reason="withdrawn", seat_region=None)
    waiting = _waiting(campaign, seat, leaving.pk)
    counts = household_counts(campaign)  # the leaving selectee no longer counts: updated just above
    chosen = ranking.next_replacement([i for i, _h in waiting], {i: h or None for i, h in waiting}, counts,
                                      campaign.household_cap)
    if chosen is None:
        audit.record(actor, "replace", leaving, {"decision": ["selected", "not_selected"],
                                                 "replacement": [None, "-"]})
        return None
    nxt = Application.objects.get(pk=chosen)
    before = nxt.waitlist_position
    Application.objects.filter(pk=chosen).update(decision=Decision.SELECTED, seat_region_id=seat,
                                                 waitlist_position=None, notified_at=None)
    nxt.refresh_from_db()
    audit.record(actor, "replace", leaving, {"decision": ["selected", "not_selected"],
                                             "replacement": [None, str(nxt.pk)]})
    audit.record(actor, "promote", nxt, {"decision": ["waitlisted", "selected"],
                                         "waitlist_position": [before, None], "replaces": [None, str(leaving.pk)]})
    if campaign.announced_at:
        from sukarela.recruitment.services.notices import notify_safely

        transaction.on_commit(lambda: notify_safely(actor, Application.objects.filter(pk=nxt.pk)))
    return nxt
