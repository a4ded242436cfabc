"""Tracer surveys: due dates and windows with a fixed today, the command, the private link (expiry,
one-time use, re-send), the mail's content, the public form's throttle, response rates."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from sukarela.alumni import selectors
from sukarela.alumni.models import Outcome, Source, Survey
from sukarela.alumni.services import surveys
from sukarela.core.models import AuditEvent
from tests.alumni.conftest import alumnus, cohort_of, sent_survey, token_in


def committed():
    """Run the on-commit callbacks (the survey mails) the test's own transaction holds back."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _created(today):
    before = set(Survey.objects.values_list("pk", flat=True))
    with committed():
        surveys.send_due(None, today)
    return {(s.alumni_id, s.wave) for s in Survey.objects.exclude(pk__in=before)}


def test_due_dates_are_calendar_months_with_the_month_end_kept():
    assert surveys.due_on(dt.date(2026, 1, 31), 6) == dt.date(2026, 7, 31)
    assert surveys.due_on(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert surveys.due_on(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert surveys.due_on(dt.date(2026, 1, 31), 12) == dt.date(2027, 1, 31)
    assert surveys.add_months(dt.date(2026, 12, 15), -6) == dt.date(2026, 6, 15)


def test_a_survey_is_created_on_its_due_date_not_the_day_before(world):
    record = alumnus(world, ended=dt.date(2026, 1, 31))
    assert _created(dt.date(2026, 7, 30)) == set()
    assert _created(dt.date(2026, 7, 31)) == {(record.pk, 6)}
    survey = Survey.objects.get(alumni=record, wave=6)
    assert survey.due_on == dt.date(2026, 7, 31) and survey.sent_at is not None
    # Idempotent: the same day again, or the next, adds and sends nothing.
    sent = len(mail.outbox)
    assert _created(dt.date(2026, 7, 31)) == set() and _created(dt.date(2026, 8, 1)) == set()
    assert len(mail.outbox) == sent
    assert _created(dt.date(2027, 1, 30)) == set()
    assert _created(dt.date(2027, 1, 31)) == {(record.pk, 12)}


def test_a_wave_whose_window_closed_is_not_sent(world):
    """History recorded late: a 6-month survey is not sent once the 12-month one is due, a 12-month
    one not after six months more."""
    late = alumnus(world, ended=dt.date(2025, 7, 31))    # 6 due 2026-01-31, 12 due 2026-07-31
    older = alumnus(world, ended=dt.date(2025, 1, 31))   # 12 due 2026-01-31, window to 2026-07-30
    assert _created(dt.date(2026, 7, 30)) == {(late.pk, 6), (older.pk, 12)}
    Survey.objects.all().delete()
    assert _created(dt.date(2026, 7, 31)) == {(late.pk, 12)}
    old = alumnus(world, ended=dt.date(2020, 1, 1))
    assert _created(dt.date(2026, 7, 31)) == set() and not Survey.objects.filter(alumni=old).exists()


def test_a_tks_without_email_is_reported_and_sent_once_an_address_is_known(world):
    record = alumnus(world, email=False)
    run = surveys.send_due(None, dt.date(2026, 7, 31))
    assert run.created == [(record.pk, 6)] and run.no_email == [(record.pk, 6)] and run.sent == []
    survey = Survey.objects.get(alumni=record)
    assert survey.sent_at is None and survey.token_digest is None and not mail.outbox
    record.tks.email = "baru@contoh.id"
    record.tks.save()
    with committed():
        run = surveys.send_due(None, dt.date(2026, 8, 2))
    assert run.created == [] and run.sent == [(record.pk, 6)]
    assert mail.outbox[-1].to == ["baru@contoh.id"]


def _smtp_down(*args, **kwargs):
    raise OSError("smtp down")


@pytest.mark.django_db(transaction=True)  # as the daily job runs: each survey's block commits, then mails
def test_a_failed_mail_leaves_the_survey_unsent_for_the_next_run(world, monkeypatch):
    record = alumnus(world)
    monkeypatch.setattr(surveys, "send_mail", _smtp_down)
    run = surveys.send_due(None, dt.date(2026, 7, 31))
    assert run.failed == [(record.pk, 6)] and run.sent == []
    survey = Survey.objects.get(alumni=record)
    assert survey.sent_at is None and survey.token_digest is None and survey.expires_at is None
    # The sending was committed before the mail, then undone: both in the audit trail.
    sent = AuditEvent.objects.get(action="send_survey")
    undone = AuditEvent.objects.get(action="survey_mail_failed", target_id=str(survey.pk))
    assert undone.pk > sent.pk and undone.changes["sent_at"][1] is None
    monkeypatch.undo()
    assert surveys.send_due(None, dt.date(2026, 8, 1)).sent == [(record.pk, 6)]
    assert mail.outbox[-1].to == [record.tks.email]


def test_the_mail_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    record = alumnus(world)
    with django_capture_on_commit_callbacks() as callbacks:
        run = surveys.send_due(None, dt.date(2026, 7, 31))
        assert run.sent == [(record.pk, 6)] and not mail.outbox  # stored, not yet mailed
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[-1].to == [record.tks.email]


def test_no_mail_goes_out_when_the_transaction_fails(world, django_capture_on_commit_callbacks):
    """A link mailed before a commit that then failed would point at a token never stored."""
    alumnus(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                surveys.send_due(None, dt.date(2026, 7, 31))
                raise RuntimeError("the commit fails")
    assert callbacks == [] and not mail.outbox and not Survey.objects.exists()


def test_the_audit_counts_the_surveys_inserted_not_those_a_concurrent_run_made(world, monkeypatch):
    first, second = alumnus(world), alumnus(world)
    due_pairs = surveys._due_pairs

    def raced(today):
        pairs = due_pairs(today)
        # Another run inserts one of them between this run's read and its insert.
        Survey.objects.create(alumni=first, wave=6, due_on=dt.date(2026, 7, 31))
        return pairs

    monkeypatch.setattr(surveys, "_due_pairs", raced)
    with committed():
        run = surveys.send_due(None, dt.date(2026, 7, 31))
    assert run.created == [(second.pk, 6)]
    assert AuditEvent.objects.get(action="create_surveys").changes["created"] == [None, 1]
    assert Survey.objects.filter(alumni=first).count() == 1


def test_nothing_new_records_no_creation(world, monkeypatch):
    record = alumnus(world)
    Survey.objects.create(alumni=record, wave=6, due_on=dt.date(2026, 7, 31))
    monkeypatch.setattr(surveys, "_due_pairs", lambda today: [(record.pk, 6, dt.date(2026, 7, 31))])
    with committed():
        assert surveys.send_due(None, dt.date(2026, 7, 31)).created == []
    assert not AuditEvent.objects.filter(action="create_surveys").exists()


def test_the_command_dry_run_writes_nothing_then_the_real_run_sends(world, capsys):
    with_mail, without = alumnus(world), alumnus(world, email=False)
    call_command("send-surveys", "--today", "2026-07-31", "--dry-run")
    out = capsys.readouterr().out
    assert "would create 2, would send 1, without e-mail 1" in out
    assert f"alumni record {without.pk}" in out
    assert not Survey.objects.exists() and not mail.outbox
    with committed():
        call_command("send-surveys", "--today", "2026-07-31", "--as", world.national.username)
    assert [m.to for m in mail.outbox] == [[with_mail.tks.email]]
    assert "created 2, sent 1, without e-mail 1, mail failed 0" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="send_survey")
    assert event.actor == world.national and event.target_id == str(Survey.objects.get(alumni=with_mail).pk)
    assert AuditEvent.objects.get(action="create_surveys").changes["created"] == [None, 2]
    with pytest.raises(Exception, match="not a date"):
        call_command("send-surveys", "--today", "31-07-2026")


def test_the_mail_holds_the_link_and_nothing_personal(world, settings):
    settings.SUKARELA_BASE_URL = "https://sukarela.example.id"
    record = alumnus(world, name="Siti Rahmawati Unik")
    survey, token = sent_survey(record)
    message = mail.outbox[-1]
    assert message.to == [record.tks.email]
    assert f"https://sukarela.example.id/alumni/survei/{token}/" in message.body
    text = message.subject + message.body
    # Each personal value must exist for its absence to prove anything ("" is in every text).
    assert record.tks.phone and record.tks.email and record.tks.username and record.tks.full_name
    for personal in (record.tks.full_name, "Siti", record.tks.username, record.tks.email, record.tks.phone,
                     cohort_of(world).name):
        assert personal not in text, personal
    # Only the digest is stored; the link expires after SUKARELA_SURVEY_DAYS.
    assert survey.token_digest == surveys.digest_of(token) and token not in survey.token_digest
    assert len(token) >= 43
    assert abs((survey.expires_at - survey.sent_at) - dt.timedelta(days=settings.SUKARELA_SURVEY_DAYS)) \
        < dt.timedelta(seconds=1)


def _url(token):
    return reverse("alumni:survey", args=[token])


ANSWER = {"status": "usaha", "organisation": "Keripik Sari", "jobs_created": "3", "note": "Dijual di pasar"}


def test_the_link_works_once(client, world):
    record = alumnus(world)
    survey, token = sent_survey(record)
    response = client.get(_url(token))
    assert response.status_code == 200 and record.tks.full_name not in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    response = client.post(_url(token), ANSWER)
    assert response.status_code == 200 and "Terima kasih" in response.content.decode()
    outcome = Outcome.objects.get(alumni=record)
    assert outcome.source == Source.SURVEY and outcome.survey == survey and outcome.jobs_created == 3
    assert outcome.as_of == timezone.localdate() and outcome.recorded_by is None
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert AuditEvent.objects.filter(action="answer_survey", target_id=str(survey.pk)).exists()
    # Used: a second submit and a second visit are refused; nothing more stored.
    for response in (client.post(_url(token), {**ANSWER, "status": "bekerja"}), client.get(_url(token))):
        assert response.status_code == 410
        assert "Tautan survei tidak berlaku" in response.content.decode()
    assert Outcome.objects.filter(alumni=record).count() == 1
    with pytest.raises(ValidationError) as err:
        surveys.answer(survey, status="studi")
    assert err.value.code == "used"


def test_a_refused_answer_names_the_field_and_keeps_the_link(client, world):
    survey, token = sent_survey(alumnus(world))
    response = client.post(_url(token), {"status": "usaha", "organisation": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Sebutkan tempat kerja" in body and "Isi jumlah orang lain" in body
    survey.refresh_from_db()
    assert survey.answered_at is None and not Outcome.objects.exists()
    assert client.post(_url(token), ANSWER).status_code == 200


def test_an_expired_link_and_an_unknown_one_answer_the_same_page(client, world):
    record = alumnus(world)
    survey, token = sent_survey(record)
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(_url(token))
    assert expired.status_code == 410
    assert client.post(_url(token), ANSWER).status_code == 410 and not Outcome.objects.exists()
    unknown = client.get(_url("x" * 43))
    assert unknown.status_code == 404
    main = lambda r: r.content.decode().split('<main id="main">')[1].split("</main>")[0]  # noqa: E731
    assert main(expired) == main(unknown) and "Tautan survei tidak berlaku" in main(unknown)
    assert record.tks.full_name not in expired.content.decode()
    assert client.get(_url("y" * 101)).status_code == 404


def test_resend_kills_the_old_link(client, world):
    record = alumnus(world)
    survey, old = sent_survey(record)
    with committed():
        surveys.resend(world.district, survey)
    new = token_in(mail.outbox[-1])
    assert new != old
    assert client.get(_url(old)).status_code == 404
    assert client.get(_url(new)).status_code == 200
    event = AuditEvent.objects.filter(action="resend_survey").get()
    assert event.actor == world.district and set(event.changes) == {"sent_at", "expires_at"}
    client.force_login(world.district)
    body = client.get(reverse("alumni:alumni_detail", args=[record.pk])).content.decode()
    assert "menunggu jawaban" in body and "Kirim ulang" in body
    client.logout()
    assert client.post(_url(new), ANSWER).status_code == 200
    client.force_login(world.district)
    body = client.get(reverse("alumni:alumni_detail", args=[record.pk])).content.decode()
    assert "dijawab" in body and "Kirim ulang" not in body and "Survei penelusuran" in body
    response = client.post(reverse("alumni:survey_resend", args=[record.pk, survey.pk]), follow=True)
    assert "sudah dijawab" in response.content.decode()
    with pytest.raises(ValidationError, match="sudah dijawab"):
        surveys.resend(world.district, Survey.objects.get(pk=survey.pk))


@pytest.mark.django_db(transaction=True)  # as a request runs: resend commits, mails, then answers
def test_a_failed_resend_keeps_the_old_link(client, world, monkeypatch):
    record = alumnus(world)
    survey, old = sent_survey(record)
    before = Survey.objects.get(pk=survey.pk)
    monkeypatch.setattr(surveys, "send_mail", _smtp_down)
    with pytest.raises(ValidationError, match="tidak terkirim"):
        surveys.resend(world.district, survey)
    after = Survey.objects.get(pk=survey.pk)
    assert (after.token_digest, after.sent_at, after.expires_at) == (
        before.token_digest, before.sent_at, before.expires_at)
    assert client.get(_url(old)).status_code == 200
    assert AuditEvent.objects.filter(action="survey_mail_failed", target_id=str(survey.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_store_one_answer(world):
    """Two tabs (or a double tap) sending the form at once: the row lock lets one answer in; the
    other is told the link is used. SQLite serialises the writers (IMMEDIATE transactions),
    PostgreSQL by the row lock: both store one outcome."""
    survey, _token = sent_survey(alumnus(world))
    n = 2
    barrier, stored, refused, errors = threading.Barrier(n), [], [], []

    def submit(status):
        try:
            barrier.wait()
            stored.append(surveys.answer(Survey.objects.get(pk=survey.pk), status=status,
                                         organisation="Keripik Sari", jobs_created=2))
        except ValidationError as exc:
            refused.append(exc.code)
        except Exception as exc:  # collected: the assertion below shows it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(s,)) for s in ("usaha", "inkubator")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(stored) == 1 and refused == ["used"]
    assert Outcome.objects.filter(alumni=survey.alumni).count() == 1
    assert AuditEvent.objects.filter(action="answer_survey").count() == 1


def test_resend_needs_an_address(world):
    record = alumnus(world, email=False)
    survey = Survey.objects.create(alumni=record, wave=6, due_on=dt.date(2026, 7, 31))
    with pytest.raises(ValidationError, match="surel"):
        surveys.resend(world.district, survey)


def test_the_public_form_is_throttled(client, world, settings):
    settings.SUKARELA_PUBLIC_POSTS_PER_HOUR = 2
    _survey, token = sent_survey(alumnus(world))
    for _ in range(2):
        assert client.post(_url(token), {"status": ""}).status_code == 422
    assert client.post(_url(token), ANSWER).status_code == 429
    assert not Outcome.objects.exists()


def test_response_rates_per_cohort(client, world):
    inside = [alumnus(world) for _ in range(3)]
    for i, record in enumerate(inside):
        sent_survey(record, answered=i < 2)
    Survey.objects.create(alumni=alumnus(world), wave=6, due_on=dt.date(2026, 7, 31))  # never sent: not counted
    sent_survey(alumnus(world, "out"))
    sent_survey(inside[0], wave=12)  # a second wave of the same alumnus, unanswered
    rows, total = selectors.response_rates(world.national)
    got = {r.cohort: (r.sent, r.answered, r.rate) for r in rows}
    assert got == {cohort_of(world).name: (4, 2, 50.0), cohort_of(world, "out").name: (1, 0, 0.0)}
    assert (total.sent, total.answered, total.rate) == (5, 2, 40.0)
    rows, total = selectors.response_rates(world.district, wave=6)
    assert [(r.cohort, r.sent, r.answered, r.rate) for r in rows] == [(cohort_of(world).name, 3, 2, 66.7)]
    client.force_login(world.district)
    body = client.get(reverse("alumni:response_rates")).content.decode()
    assert cohort_of(world).name in body and "50,0%" in body and cohort_of(world, "out").name not in body
    data = client.get("/api/alumni/response-rates", {"wave": 6}).json()
    assert data["cohorts"] == [{"cohort": cohort_of(world).pk, "cohort_name": cohort_of(world).name, "sent": 3,
                                "answered": 2, "rate": 66.7}]
    assert data["total"]["rate"] == 66.7 and data["wave"] == 6
    assert client.get("/api/alumni/response-rates", {"wave": 7}).status_code == 422
    client.force_login(inside[0].tks)
    assert client.get("/api/alumni/response-rates").status_code == 403
    assert client.get(reverse("alumni:response_rates")).status_code == 403
