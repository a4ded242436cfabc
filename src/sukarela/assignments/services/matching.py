"""Running the matching engine for a cohort's graduates over the groups of its region, and the
hand rules (pin, forbid) later runs respect.

Points: a group's or mentor's own GPS point when known, else the approximate point of its
village, else of its district or regency (regions.points); with none, the engine falls back
to a distance from the region hierarchy (engines.matching.region_km).
"""

import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit, bulk
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.engines import matching as engine
from sukarela.groups.rules import point_errors
from sukarela.groups.models import Group, GroupStatus
from sukarela.regions.models import Region, subtree_q
from sukarela.training.models import Cohort
from sukarela.training.permissions import require_manager
from sukarela.training.selectors import graduates
from sukarela.assignments.models import Boundary, MatchRun, MentorProfile, Posting, Proposal, Rule


DEFAULT_CAPACITY = MentorProfile._meta.get_field("capacity").default  # a TKS without a profile


def _point_lookup(codes) -> dict[str, tuple[float, float]]:
    """The point of each code's village, else of its district. Not coarser: a regency's point is its
    capital, tens of km off; without a point the engine's region-hierarchy distance is the honest one."""
    def near(code):
        parts = code.split(".")
        return [".".join(parts[:n]) for n in range(len(parts), 2, -1)]  # the code itself, down to its district

    wanted = {c for code in codes if code for c in near(code)}
    known = {code: (lat, lon) for code, lat, lon in Region.objects.filter(code__in=wanted, lat__isnull=False)
             .values_list("code", "lat", "lon")}
    out = {}
    for code in codes:
        for candidate in near(code) if code else ():
            if candidate in known:
                out[code] = known[candidate]
                break
    return out


def mentor_point(user, profile, points) -> tuple:
    if profile is not None and profile.lat is not None:
        return profile.lat, profile.lon
    return points.get(user.region_id, (None, None))


def group_point(group, points) -> tuple:
    return (group.lat, group.lon) if group.lat is not None else points.get(group.village_id, (None, None))


def mentors_of(cohort: Cohort):
    """The cohort's graduates with a certificate in force and an active TKS account."""
    return [p.volunteer for p in graduates().filter(cohort=cohort, volunteer__role=Role.TKS).order_by("volunteer_id")]


def groups_of(region_code: str):
    return (Group.objects.filter(status=GroupStatus.ACTIVE).filter(subtree_q("village__code", region_code))
            .order_by("id"))


def _engine_input(cohort: Cohort, region_code: str):
    # Plain rows, not models: a national run reads every cohort's mentors and thousands of groups.
    mentors = list(graduates().filter(cohort=cohort, volunteer__role=Role.TKS).order_by("volunteer_id").values_list(
        "volunteer_id", "volunteer__region_id", "volunteer__mentor_profile__capacity",
        "volunteer__mentor_profile__lat", "volunteer__mentor_profile__lon"))
    skills = {}
    for user, sector in MentorProfile.sectors.through.objects.filter(
            mentorprofile__user__in=[m[0] for m in mentors]).values_list("mentorprofile__user_id", "sector_id"):
        skills.setdefault(user, set()).add(sector)
    groups = list(groups_of(region_code).values_list("id", "village_id", "sector_id", "lat", "lon"))
    # Only what has no point of its own needs its region's.
    points = _point_lookup([region for _id, region, _c, lat, _lon in mentors if lat is None]
                           + [village for _id, village, _s, lat, _lon in groups if lat is None])
    e_mentors = []
    for pk, region, capacity, lat, lon in mentors:
        if lat is None:
            lat, lon = points.get(region, (None, None))
        e_mentors.append(engine.Mentor(id=pk, region=region or "", lat=lat, lon=lon,
                                       capacity=DEFAULT_CAPACITY if capacity is None else capacity,
                                       sectors=frozenset(skills.get(pk, ()))))
    e_groups = []
    for pk, village, sector, lat, lon in groups:
        if lat is None:
            lat, lon = points.get(village, (None, None))
        e_groups.append(engine.Group(id=pk, region=village, sector=sector, lat=lat, lon=lon))
    return e_mentors, e_groups


def _still_mentoring(user_id) -> bool:
    return User.objects.filter(pk=user_id, is_active=True, role=Role.TKS).exists()


def current_postings(group_ids) -> dict[int, int]:
    """{group: mentor} of the open postings; `group_ids` a list or a query of ids."""
    return dict(Posting.objects.filter(group_id__in=group_ids, ends_on__isnull=True).values_list("group_id",
                                                                                                "mentor_id"))


@transaction.atomic
def run(actor, cohort: Cohort, *, max_km=50, boundary=Boundary.PROVINCE, sector_penalty_km=50,
        keep_current=True, workers: int = 1, progress=None) -> MatchRun:
    """A draft run: every active group of the cohort's region gets a proposal (a mentor, or why none).
    `progress(step, done, total)` hears of each of the three steps (the command line prints them)."""
    step = progress or (lambda *_args: None)
    cohort = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
    require_manager(actor, cohort)
    if boundary not in Boundary.values:
        raise ValidationError({"boundary": _("Batas wilayah tidak dikenal.")})
    if not 0 < float(max_km) <= 500:
        raise ValidationError({"max_km": _("Jarak maksimum antara 0 dan 500 km.")})
    if not 0 <= float(sector_penalty_km) <= 500:
        raise ValidationError({"sector_penalty_km": _("Penalti sektor antara 0 dan 500 km.")})
    started = time.perf_counter()
    step("reading", 0, 3)
    mentors, groups = _engine_input(cohort, cohort.region_id)
    current = current_postings(groups_of(cohort.region_id).values("pk"))
    # A group mentored by a TKS of another cohort keeps them: this run neither takes it nor counts it.
    ours = {m.id for m in mentors}
    others = {g: m for g, m in current.items() if m not in ours and _still_mentoring(m)}
    groups = [g for g in groups if g.id not in others]
    current = {g: m for g, m in current.items() if g not in others}
    eligible_groups = {g.id for g in groups}
    rules, skipped = [], 0
    for kind, m, g in Rule.objects.filter(cohort=cohort).values_list("kind", "mentor_id", "group_id"):
        if m in ours and g in eligible_groups:
            rules.append((kind, m, g))
        else:  # the group stopped or left the region, or the mentor is no longer a graduate
            skipped += 1
    policy = engine.Policy(
        max_km=float(max_km), boundary=boundary, sector_penalty_km=float(sector_penalty_km),
        pinned=frozenset((m, g) for kind, m, g in rules if kind == Rule.Kind.PIN),
        forbidden=frozenset((m, g) for kind, m, g in rules if kind == Rule.Kind.FORBID),
        current=current, keep_current=keep_current)
    step("solving", 1, 3)
    try:
        result = engine.solve(mentors, groups, policy, workers=workers)
    except engine.MatchingError as exc:
        raise ValidationError(str(exc)) from None
    step("storing", 2, 3)
    match = MatchRun.objects.create(
        cohort=cohort, region_id=cohort.region_id, max_km=max_km, boundary=boundary,
        sector_penalty_km=sector_penalty_km, keep_current=keep_current, created_by=actor,
        summary={"mentors": len(mentors), "groups": len(groups), "covered": result.covered,
                 "unassigned": len(result.unassigned), "total_cost": result.total_cost, "parts": result.parts,
                 "other_cohorts": len(others), "skipped_rules": skipped,
                 "seconds": round(time.perf_counter() - started, 3)})
    bulk.insert_rows(
        Proposal, ["run", "group", "mentor", "km", "sector_fit", "cost", "pinned", "kept", "reason", "was"],
        [(match.pk, a.group, a.mentor, a.km, a.sector_fit, a.cost, a.pinned, a.kept, "", current.get(a.group))
         for a in result.assignments]
        + [(match.pk, u.group, None, None, False, 0, False, False, u.reason, current.get(u.group))
           for u in result.unassigned])
    audit.record(actor, "match_run", match, {"covered": [None, result.covered],
                                             "unassigned": [None, len(result.unassigned)]})
    step("done", 3, 3)
    return match


@transaction.atomic
def set_rule(actor, cohort: Cohort, group: Group, mentor, kind: str) -> Rule:
    require_manager(actor, cohort)
    if kind not in Rule.Kind.values:
        raise ValidationError({"kind": _("Jenis aturan tidak dikenal.")})
    if mentor.pk not in {m.pk for m in mentors_of(cohort)}:
        raise ValidationError({"mentor": _("Pendamping harus lulusan angkatan ini.")})
    if not groups_of(cohort.region_id).filter(pk=group.pk).exists():
        raise ValidationError({"group": _("Kelompok harus aktif dan berada di wilayah angkatan.")})
    if kind == Rule.Kind.PIN:
        # A group has one pinned mentor: a new pin replaces the old one.
        Rule.objects.filter(cohort=cohort, group=group, kind=Rule.Kind.PIN).exclude(mentor=mentor).delete()
        profile = MentorProfile.objects.filter(user=mentor).first()
        capacity = profile.capacity if profile else DEFAULT_CAPACITY
        pins = Rule.objects.filter(cohort=cohort, mentor=mentor, kind=Rule.Kind.PIN).exclude(group=group).count()
        if pins >= capacity:
            raise ValidationError(_("%(name)s sudah dikunci ke %(n)s kelompok, sama dengan kapasitasnya.")
                                  % {"name": mentor.full_name, "n": pins})
    rule, created = Rule.objects.update_or_create(cohort=cohort, group=group, mentor=mentor,
                                                  defaults={"kind": kind, "created_by": actor})
    audit.record(actor, "match_rule", rule, {"kind": [None, kind], "group": [None, group.pk],
                                             "mentor": [None, mentor.pk]})
    return rule


@transaction.atomic
def remove_rule(actor, rule: Rule) -> None:
    require_manager(actor, rule.cohort)
    audit.record(actor, "delete", rule, {"kind": [rule.kind, None]})
    rule.delete()


KEEP = object()  # set_profile: leave the point as it is


@transaction.atomic
def set_profile(actor, user, *, sectors=None, capacity=None, lat=KEEP, lon=KEEP) -> MentorProfile:
    """A mentor's sector skills, how many groups they can accompany, and their own point if known."""
    from sukarela.core.permissions import require_in_scope

    require_in_scope(actor, user.region_id)
    if user.role != Role.TKS:
        raise ValidationError({"user": _("Hanya TKS yang dapat menjadi pendamping.")})
    if capacity is not None and not 1 <= int(capacity) <= 30:
        raise ValidationError({"capacity": _("Kapasitas antara 1 dan 30 kelompok.")})
    point = lat is not KEEP or lon is not KEEP
    if point:
        if lat is KEEP or lon is KEEP:
            raise ValidationError({"lat": _("Isi lintang dan bujur bersama, atau kosongkan keduanya.")})
        errors = point_errors(lat, lon)  # the same bounds as a group's point
        if errors:
            raise ValidationError(errors)
    profile, _created = MentorProfile.objects.select_for_update().get_or_create(user=user)
    before = {"capacity": profile.capacity, "sectors": sorted(profile.sectors.values_list("code", flat=True)),
              "lat": profile.lat, "lon": profile.lon}
    if capacity is not None:
        profile.capacity = int(capacity)
    if point:
        profile.lat, profile.lon = lat, lon
    profile.save()
    if sectors is not None:
        profile.sectors.set(sectors)
    after = {"capacity": profile.capacity, "sectors": sorted(profile.sectors.values_list("code", flat=True)),
             "lat": profile.lat, "lon": profile.lon}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit.record(actor, "update", profile, changes)
    return profile
