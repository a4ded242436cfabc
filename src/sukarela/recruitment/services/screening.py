"""The automatic eligibility check: one set-based UPDATE that names, for every row, the
first rule it fails (rules in a fixed order), which is what the officer and the
applicant see. A million applications are screened without leaving the database."""

from datetime import date

from django.db import transaction
from django.db.models import BooleanField, Case, CharField, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sukarela.core import audit
from sukarela.engines.applicant_rows import EDUCATION_RANK
from sukarela.recruitment.models import Application, Campaign, Status
from sukarela.recruitment.permissions import require_national

RULE_LABELS = {
    "too_young": _("Usia di bawah batas minimum pada tanggal penutupan"),
    "too_old": _("Usia di atas batas maksimum pada tanggal penutupan"),
    "education": _("Pendidikan di bawah syarat minimum"),
    "domicile": _("Domisili di luar wilayah kampanye"),
}


def rule_label(code: str, campaign: Campaign | None = None) -> str:
    if code.startswith("rule:") and campaign is not None:
        rule = campaign.declaration_rules.filter(key=code[5:]).first()
        if rule:
            answer = _("ya") if rule.required_answer else _("tidak")
            return str(_("Pernyataan “%(s)s” harus dijawab %(a)s") % {"s": rule.statement, "a": answer})
    return str(RULE_LABELS.get(code, code))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def screen_queryset(campaign: Campaign, qs) -> dict[str, int]:
    """Evaluate the rules for the active applications in `qs`; returns failures per rule."""
    qs = qs.filter(status=Status.ACTIVE)
    # Age on the closing date: at least min_age means born on or before closes_on − min_age years;
    # at most max_age means born after closes_on − (max_age + 1) years.
    youngest = years_before(campaign.closes_on, campaign.min_age)
    oldest = years_before(campaign.closes_on, campaign.max_age + 1)
    allowed = [code for code, rank in EDUCATION_RANK.items() if rank >= EDUCATION_RANK[campaign.min_education]]
    rules = [
        ("too_young", Q(birth_date__gt=youngest)),
        ("too_old", Q(birth_date__lte=oldest)),
        ("education", ~Q(education_level__in=allowed)),
        ("domicile", Q(quota_region__isnull=True)),
    ]
    for rule in campaign.declaration_rules.all():
        # Missing or different answer fails; the JSON value is compared as JSON, not text.
        answered = Q(**{f"declarations__{rule.key}": rule.required_answer})
        rules.append((f"rule:{rule.key}", ~answered | Q(**{f"declarations__{rule.key}__isnull": True})))
    # One pass over the rows: a wide row rewritten once, not once per rule.
    first_failed = Case(*[When(q, then=Value(code)) for code, q in rules], default=Value(""),
                        output_field=CharField())
    any_failed = Q()
    for _code, q in rules:
        any_failed |= q
    qs.update(ineligible_rule=first_failed,
              eligible=Case(When(any_failed, then=Value(False)), default=Value(True), output_field=BooleanField()))
    counts = qs.exclude(ineligible_rule="").values("ineligible_rule").annotate(n=Count("id"))
    failed = {code: 0 for code, _q in rules}
    failed.update({c["ineligible_rule"]: c["n"] for c in counts})
    return failed


@transaction.atomic
def screen(actor, campaign: Campaign) -> dict[str, int]:
    require_national(actor)
    failed = screen_queryset(campaign, Application.objects.filter(campaign=campaign))
    Campaign.objects.filter(pk=campaign.pk).update(screened_at=timezone.now())
    eligible = Application.objects.filter(campaign=campaign, status=Status.ACTIVE, eligible=True).count()
    audit.record(actor, "screen", campaign, {"eligible": [None, eligible]} | {
        f"failed:{code}": [None, n] for code, n in failed.items() if n})
    return {"eligible": eligible, **failed}
