"""Eligibility screening, ranking and selection within quotas, replacement from the
waitlist, and the notices that turn selectees into TKS accounts."""

from datetime import date, timedelta

import pytest
from django.core import mail

from sukarela.core.models import AuditEvent, User
from sukarela.recruitment.models import Application
from sukarela.recruitment.services import applications, campaigns, notices, quotas, screening, selection
from tests.conftest import first_village
from tests.recruitment.conftest import applicant


def _years_before(day: date, years: int) -> date:
    return screening.years_before(day, years)


def _state(app):
    app.refresh_from_db()
    return app.eligible, app.ineligible_rule


def test_age_is_judged_on_the_closing_date(world, campaign, apply):
    closes = campaign.closes_on
    exactly_min = apply(world.village_in.code, birth=_years_before(closes, 20))
    day_too_young = apply(world.village_in.code, birth=_years_before(closes, 20) + timedelta(days=1))
    oldest_ok = apply(world.village_in.code, birth=_years_before(closes, 36) + timedelta(days=1))
    too_old = apply(world.village_in.code, birth=_years_before(closes, 36))
    screening.screen(world.national, campaign)
    assert _state(exactly_min) == (True, "")
    assert _state(day_too_young) == (False, "too_young")
    assert _state(oldest_ok) == (True, "")
    assert _state(too_old) == (False, "too_old")


def test_education_domicile_and_first_failed_rule(world, campaign, apply):
    low = apply(world.village_in.code, education_level="SMA")
    d3 = apply(world.village_in.code, education_level="D3")
    campaigns.set_regions(world.national, campaign, [("32.01", 1)])
    outside = apply(world.village_out.code)
    both = apply(world.village_out.code, education_level="SMA")
    counts = screening.screen(world.national, campaign)
    assert _state(low) == (False, "education")
    assert _state(d3) == (True, "")
    assert _state(outside) == (False, "domicile")
    assert _state(both) == (False, "education")  # the first rule in order is the one reported
    assert counts["eligible"] == 1 and counts["education"] == 2 and counts["domicile"] == 1
    assert "Pendidikan" in screening.rule_label("education")


def test_declaration_rules_need_the_required_answer(world, campaign, apply):
    campaigns.add_rule(world.national, campaign, key="tidak_bekerja", statement="Saya tidak sedang bekerja")
    yes = apply(world.village_in.code, tidak_bekerja="ya")
    no = apply(world.village_in.code, tidak_bekerja="tidak")
    blank = apply(world.village_in.code)
    screening.screen(world.national, campaign)
    assert _state(yes) == (True, "")
    assert _state(no) == (False, "rule:tidak_bekerja")
    assert _state(blank) == (False, "rule:tidak_bekerja")
    assert "tidak sedang bekerja" in screening.rule_label("rule:tidak_bekerja", campaign)


def test_late_submission_and_correction_are_screened_too(world, campaign, apply):
    screening.screen(world.national, campaign)
    campaign.refresh_from_db()
    app = apply(world.village_in.code, education_level="SMA")
    assert _state(app) == (False, "education")
    raw = applicant(world.village_in.code, education_level="S1", birth=app.birth_date)
    raw["nik"] = app.nik
    applications.correct(app, raw)
    assert _state(app) == (True, "")


# --- selection ------------------------------------------------------------------------

@pytest.fixture
def lombok(regions):
    return first_village("52.03.01").code


def _scored(apply, village, test, interview=50, **kw):
    app = apply(village, **kw)
    Application.objects.filter(pk=app.pk).update(test_score=test, interview_score=interview)
    return app


def _decisions(campaign):
    return dict(Application.objects.filter(campaign=campaign).values_list("pk", "decision"))


def test_selects_within_each_quota_by_weighted_score(world, campaign, apply, lombok):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)  # 32.01: 6, 32.02: 2, 52.03: 2
    bogor = [_scored(apply, world.village_in.code, 50 + i) for i in range(8)]
    sukabumi = [_scored(apply, world.village_out.code, 90)]
    lotim = [_scored(apply, lombok, t, i) for t, i in ((70, 90), (90, 70), (60, 60))]
    screening.screen(world.national, campaign)
    result = selection.run(world.national, campaign)
    by_region = {r.region: r for r in result.rows}
    assert (by_region["32.01"].selected, by_region["32.01"].waitlisted) == (6, 2)
    assert by_region["32.02"].selected == 1  # one applicant for two seats: no overflow configured
    for app in bogor:
        app.refresh_from_db()
    assert [a.decision for a in bogor] == ["waitlisted"] * 2 + ["selected"] * 6
    assert [a.waitlist_position for a in bogor[:2]] == [2, 1]  # 51 points waits ahead of 50
    assert bogor[-1].region_rank == 1 and bogor[-1].score == pytest.approx(0.6 * 57 + 0.4 * 50)
    # 0.6*90+0.4*70 = 82 beats 0.6*70+0.4*90 = 78 beats 60.
    for app in lotim:
        app.refresh_from_db()
    assert [a.decision for a in lotim] == ["selected", "selected", "waitlisted"]
    assert lotim[1].region_rank == 1
    assert AuditEvent.objects.get(action="select").changes["selected"] == [None, 9]
    assert _decisions(campaign)[sukabumi[0].pk] == "selected"


def test_gates_name_why_an_applicant_was_not_ranked(world, campaign, apply):
    campaign.use_admin_check = True
    campaign.test_pass_mark = 60
    campaign.save()
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    ok = _scored(apply, world.village_in.code, 80)
    pending = _scored(apply, world.village_in.code, 80)
    rejected = _scored(apply, world.village_in.code, 80)
    low = _scored(apply, world.village_in.code, 59)
    unscored = apply(world.village_in.code)
    young = _scored(apply, world.village_in.code, 99, birth=date.today() - timedelta(days=365 * 15))
    for app in (ok, low, unscored):
        applications.verify(world.district, app, "verified")
    applications.verify(world.district, rejected, "rejected", "Ijazah tidak terbaca")
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    reasons = dict(Application.objects.values_list("pk", "decision_reason"))
    assert reasons[ok.pk] == "" and _decisions(campaign)[ok.pk] == "selected"
    assert reasons[pending.pk] == "admin_pending"
    assert reasons[rejected.pk] == "admin_rejected"
    assert reasons[low.pk] == "test_score_below_pass"
    assert reasons[unscored.pk] == "test_score_missing"
    assert reasons[young.pk] == "ineligible"


def test_household_cap_counts_across_regions(world, campaign, apply, lombok):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    kk = "3201010101010001"
    family = [_scored(apply, v, s, household_id=kk) for v, s in (
        (world.village_in.code, 90), (world.village_out.code, 80), (lombok, 70))]
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    for app in family:
        app.refresh_from_db()
    assert [a.decision for a in family] == ["selected", "selected", "not_selected"]
    assert family[2].decision_reason == "household_limit"


def test_overflow_rules(world, campaign, apply, lombok):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)  # 32.02 has 2 seats and no applicants
    bogor = [_scored(apply, world.village_in.code, 50 + i) for i in range(8)]
    lotim = [_scored(apply, lombok, 99) for _ in range(3)]
    screening.screen(world.national, campaign)
    for overflow, extra in (("none", 0), ("province", 2), ("national", 2)):
        campaign.overflow = overflow
        campaign.save()
        result = selection.run(world.national, campaign)
        assert result.selected == 6 + 2 + extra
        seats = dict(Application.objects.filter(decision="selected").values_list("pk", "seat_region_id"))
        moved = {pk: seat for pk, seat in seats.items() if seat == "32.02"}
        assert len(moved) == extra
        if overflow == "province":
            # Only Jawa Barat applicants may take Sukabumi's seats, never Lombok Timur's waitlist.
            assert set(moved) <= {a.pk for a in bogor}
        if overflow == "national":
            # Lombok Timur's three 99-point applicants outrank Bogor's waitlist: its third takes a seat.
            assert {a.pk for a in lotim} <= set(seats)


def test_rerun_is_deterministic_and_dry_run_writes_nothing(world, campaign, apply):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    for _ in range(9):
        _scored(apply, world.village_in.code, 70)  # all tied: the earlier submission wins
    screening.screen(world.national, campaign)
    dry = selection.run(world.national, campaign, dry_run=True)
    assert dry.selected == 6 and set(_decisions(campaign).values()) == {""}
    assert not AuditEvent.objects.filter(action="select").exists()
    selection.run(world.national, campaign)
    first = dict(Application.objects.values_list("pk", "region_rank"))
    selection.run(world.national, campaign)
    assert dict(Application.objects.values_list("pk", "region_rank")) == first
    ranked = sorted((r, pk) for pk, r in first.items() if r)
    assert [pk for _r, pk in ranked] == sorted(pk for pk, r in first.items() if r)


def test_withdrawn_selectee_is_replaced_from_the_waitlist(world, campaign, apply, django_capture_on_commit_callbacks):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    apps = [_scored(apply, world.village_in.code, 90 - i) for i in range(8)]
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    top = apps[0]
    top.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        replacement = applications.withdraw(top, actor=world.district, reason="Mengundurkan diri")
    assert replacement.pk == apps[6].pk  # first on the waitlist
    replacement.refresh_from_db()
    assert (replacement.decision, replacement.seat_region_id, replacement.waitlist_position) == (
        "selected", "32.01", None)
    top.refresh_from_db()
    assert (top.decision, top.decision_reason) == ("not_selected", "withdrawn")
    actions = set(AuditEvent.objects.filter(actor=world.district).values_list("action", flat=True))
    assert {"replace", "promote", "withdraw"} <= actions
    # Consent withdrawn by the next selectee: the seat moves on again.
    nxt = apps[1]
    nxt.refresh_from_db()
    assert applications.erase(nxt).pk == apps[7].pk
    assert Application.objects.filter(decision="selected", seat_region_id="32.01").count() == 6


def test_announce_mails_everyone_and_makes_tks_accounts(world, campaign, apply, client):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    apps = [_scored(apply, world.village_in.code, 90 - i) for i in range(7)]
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    mail.outbox.clear()
    counts = notices.announce(world.national, campaign)
    assert counts == {"notified": 7, "mail_failed": 0, "tks_accounts": 6}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects.count("Hasil seleksi TKS: terpilih") == 6 and "Hasil seleksi TKS: cadangan" in subjects
    volunteer = User.objects.get(applications=apps[0])
    assert volunteer.role == "tks" and volunteer.region_id == world.village_in.code
    assert not volunteer.has_usable_password()
    # The activation link in the mail lets the new TKS set a password and sign in.
    body = next(m.body for m in mail.outbox if apps[0].email in m.to)
    link = next(w for w in body.split() if "/akun/aktifkan/" in w)
    path = link.split("8000", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_url, {"new_password1": "kata-sandi-baru-77", "new_password2": "kata-sandi-baru-77"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password("kata-sandi-baru-77")
    assert notices.announce(world.national, campaign)["notified"] == 0  # nobody is told twice
