"""Tracer surveys at 6 and 12 months after the posting ended: created when due, sent by e-mail with
a private link, answered once through a public form.

Rules (tests in tests/alumni/test_surveys.py):
- Wave w (6 or 12) is due on posting_ended_on + w calendar months (the 31st becomes the month's last
  day). `send_due(today)` creates the surveys due on or before `today` whose window is still open:
  six months from the due date, so a record made late (history from before this system) is not
  asked about a half-year long past. Each (alumnus, wave) exists once: the unique constraint.
- A survey is sent when its TKS has an e-mail address; one without is created, reported and sent
  by a later run (or an officer's re-send) once an address is known. The mail goes out when the
  transaction storing its token commits (transaction.on_commit), so no mailed link lacks its token;
  a failed mail undoes the sending (audited) and is tried again at the next run.
- The audit record of a run's creations counts the surveys it inserted, not those a concurrent run
  inserted first.
- A link is a random token (secrets.token_urlsafe(32)); only its SHA-256 is stored. It works for
  SUKARELA_SURVEY_DAYS after sending, and once: the answer stores an Outcome (source survey,
  linked to the survey) and marks answered_at in the same transaction, the row locked so two
  submits in the same moment store one answer.
- An officer re-sends an unanswered survey: a new token and expiry; the old link is dead (its
  digest is gone, so it answers as unknown).
- The mail holds the link and its expiry, nothing personal (no name, no account).
"""

import calendar
import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.alumni.models import AlumniRecord, Source, Survey
from sukarela.alumni.services import outcomes
from sukarela.core import audit
from sukarela.core.permissions import require_in_scope

log = logging.getLogger(__name__)
WAVES = (6, 12)
WINDOW_MONTHS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(record_ended: dt.date, wave: int) -> dt.date:
    return add_months(record_ended, wave)


def is_open(due: dt.date, today: dt.date) -> bool:
    return due <= today < add_months(due, WINDOW_MONTHS)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_of(token: str) -> str:
    return settings.SUKARELA_BASE_URL.rstrip("/") + reverse("alumni:survey", args=[token])


def _message(survey: Survey, token: str, expires_at) -> tuple[str, str]:
    subject = _("Survei penelusuran alumni TKS (%(w)s bulan)") % {"w": survey.wave}
    body = _("Halo,\n\nSudah %(w)s bulan sejak penugasan Anda sebagai Tenaga Kerja Sukarela berakhir. Ceritakan "
             "kegiatan Anda sekarang lewat survei singkat ini (sekitar dua menit):\n%(l)s\n\nTautan ini pribadi, "
             "hanya dapat dipakai sekali, dan berlaku sampai %(d)s. Jangan dibagikan.\n\n"
             "Kementerian Ketenagakerjaan") % {
        "w": survey.wave, "l": link_of(token), "d": timezone.localtime(expires_at).strftime("%d-%m-%Y")}
    return subject, body


def _mail(subject: str, body: str, to: str) -> bool:
    """One message; a mail server's failure is logged and reported, never raised."""
    try:
        send_mail(" ".join(subject.split()), body, None, [to])
        return True
    except Exception:  # SMTP errors come in many classes; the caller reports what was not sent
        log.exception("survey mail failed")
        return False


@dataclass
class Delivery:
    """A survey's mail: sent once the transaction that stored its token commits. `ok` is None until
    then (still None after the call when an outer transaction is open: the mail waits for it)."""
    ok: bool | None = None


def _send(actor, survey: Survey, action: str) -> Delivery:
    """A fresh token for `survey` (locked by the caller), stored and audited now, mailed when the
    transaction commits — never before: a commit that fails must not leave a mailed link without its
    token. Should the mail then fail, the survey gets back what it had (its old link, or unsent, for
    the next run) and the audit trail says so. The token exists in clear only in the mail."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + dt.timedelta(days=settings.SUKARELA_SURVEY_DAYS)
    subject, body = _message(survey, token, expires)
    kept = ["token_digest", "sent_at", "expires_at"]
    previous = {name: getattr(survey, name) for name in kept}
    before = audit.snapshot(survey, ["sent_at", "expires_at"])
    survey.token_digest, survey.sent_at, survey.expires_at = digest_of(token), now, expires
    survey.save(update_fields=kept)
    audit.record(actor, action, survey, audit.diff(Survey, before, audit.snapshot(survey, ["sent_at", "expires_at"])))
    delivery = Delivery()
    to, pk, digest = survey.alumni.tks.email, survey.pk, survey.token_digest

    def deliver():
        delivery.ok = _mail(subject, body, to)
        if not delivery.ok:
            _undo(actor, pk, digest, previous)

    transaction.on_commit(deliver)
    return delivery


@transaction.atomic
def _undo(actor, pk: int, digest: str, previous: dict) -> None:
    """The mail of token `digest` failed: the survey gets its previous link state back, unless it
    moved on meanwhile (answered, or sent again)."""
    survey = Survey.objects.select_for_update().filter(pk=pk, token_digest=digest, answered_at__isnull=True).first()
    if survey is None:
        return
    before = audit.snapshot(survey, ["sent_at", "expires_at"])
    for name, value in previous.items():
        setattr(survey, name, value)
    survey.save(update_fields=list(previous))
    changes = audit.diff(Survey, before, audit.snapshot(survey, ["sent_at", "expires_at"]))
    audit.record(actor, "survey_mail_failed", survey, changes or {"sent_at": [None, None]})


@dataclass
class Run:
    """What a run did (or, dry, would do), each survey named by (alumni record id, wave)."""
    created: list = field(default_factory=list)
    sent: list = field(default_factory=list)
    no_email: list = field(default_factory=list)   # created or pending, but the TKS has no address
    failed: list = field(default_factory=list)     # the mail server refused; tried again next run


def _due_pairs(today: dt.date) -> list:
    """(record id, wave, due date) for every wave whose window is open today and not yet created."""
    # A coarse bound in SQL (the oldest posting end whose 12-month window may still be open), the
    # exact calendar test in Python.
    oldest = add_months(today, -(max(WAVES) + WINDOW_MONTHS)) - dt.timedelta(days=3)
    rows = AlumniRecord.objects.filter(posting_ended_on__gte=oldest, posting_ended_on__lte=today)
    have = set(Survey.objects.filter(alumni__posting_ended_on__gte=oldest).values_list("alumni_id", "wave"))
    out = []
    for pk, ended in rows.values_list("pk", "posting_ended_on").iterator(chunk_size=5000):
        for wave in WAVES:
            due = due_on(ended, wave)
            if is_open(due, today) and (pk, wave) not in have:
                out.append((pk, wave, due))
    return out


def _pending(today: dt.date):
    """Created, never sent (no address then, or a failed mail), unanswered, window open."""
    return (Survey.objects.filter(sent_at__isnull=True, answered_at__isnull=True, due_on__lte=today,
                                  due_on__gt=add_months(today, -WINDOW_MONTHS))
            .select_related("alumni__tks").order_by("due_on", "id"))


def send_due(actor=None, today: dt.date | None = None, *, dry_run: bool = False) -> Run:
    """The scheduled job (`sukarela send-surveys`): create the due surveys and mail every unsent one
    whose window is open. With `dry_run`, report what would happen and write nothing."""
    today = today or timezone.localdate()
    due = _due_pairs(today)
    run = Run(created=[(pk, wave) for pk, wave, _d in due])
    if dry_run:
        emails = dict(AlumniRecord.objects.filter(pk__in=[pk for pk, _w in run.created])
                      .values_list("pk", "tks__email"))
        would = [(s.alumni_id, s.wave, s.alumni.tks.email) for s in _pending(today) if is_open(s.due_on, today)]
        would += [(pk, wave, emails.get(pk)) for pk, wave in run.created]
        run.sent = [(pk, wave) for pk, wave, email in would if email]
        run.no_email = [(pk, wave) for pk, wave, email in would if not email]
        return run
    if due:
        with transaction.atomic():
            made = _insert_new(due)
            run.created = [pair for pair in run.created if pair in made]
            if made:
                audit.record(actor, "create_surveys", None, {"created": [None, len(made)]},
                             target_type=Survey._meta.label_lower, target_label=f"{today:%Y-%m-%d}")
    for survey in list(_pending(today)):  # read whole: each send below is its own transaction
        key = (survey.alumni_id, survey.wave)
        if not is_open(survey.due_on, today):
            continue
        if not survey.alumni.tks.email:
            run.no_email.append(key)
            continue
        with transaction.atomic():
            locked = Survey.objects.select_for_update(of=("self",)).select_related("alumni__tks").filter(
                pk=survey.pk, sent_at__isnull=True).first()
            if locked is None:  # a concurrent run sent it
                continue
            delivery = _send(actor, locked, "send_survey")
        # Mailed as the block above committed; still pending (counted as sent) inside a caller's transaction.
        (run.failed if delivery.ok is False else run.sent).append(key)
    return run


def _insert_new(due: list) -> set:
    """Insert the due surveys a concurrent run has not made meanwhile (the unique constraint keeps
    one of each) and return the (record id, wave) pairs this run made: ON CONFLICT DO NOTHING
    RETURNING, the same statement on PostgreSQL and SQLite (≥ 3.35), so the audit counts what was
    inserted, not what was attempted."""
    quote = connection.ops.quote_name
    alumni, wave, due_on_ = (quote(Survey._meta.get_field(name).column) for name in ("alumni", "wave", "due_on"))
    made = set()
    with connection.cursor() as cursor:
        for start in range(0, len(due), 500):
            chunk = due[start:start + 500]
            rows = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {quote(Survey._meta.db_table)} ({alumni}, {wave}, {due_on_}) VALUES {rows} "
                           f"ON CONFLICT DO NOTHING RETURNING {alumni}, {wave}",
                           [v for pk, w, day in chunk for v in (pk, w, connection.ops.adapt_datefield_value(day))])
            made.update((pk, w) for pk, w in cursor.fetchall())
    return made


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("alumni__tks").get(pk=survey.pk)


def resend(actor, survey: Survey) -> Survey:
    """An officer sends an unanswered survey again (or for the first time, once an address is
    known): a new link; the old one stops working — unless the mail fails, which leaves the old
    link as it was."""
    with transaction.atomic():
        survey = _locked(survey)
        require_in_scope(actor, survey.alumni.tks.region_id)
        if survey.answered_at is not None:
            raise ValidationError(_("Survei ini sudah dijawab; tidak dapat dikirim ulang."))
        if not survey.alumni.tks.email:
            raise ValidationError(_("TKS ini belum punya alamat surel. Isi dulu alamatnya pada akun TKS."))
        delivery = _send(actor, survey, "resend_survey")
    if delivery.ok is False:
        raise ValidationError(_("Surel tidak terkirim (server surel menolak). Coba lagi nanti."))
    return survey


class LinkState:
    OPEN, USED, EXPIRED = "open", "used", "expired"


def state_of(survey: Survey, now=None) -> str:
    if survey.answered_at is not None:
        return LinkState.USED
    if survey.expires_at is None or (now or timezone.now()) >= survey.expires_at:
        return LinkState.EXPIRED
    return LinkState.OPEN


@transaction.atomic
def answer(survey: Survey, **data):
    """The alumnus's answer through the private link: an Outcome (source survey) and answered_at,
    or a refusal when the link was used or expired meanwhile (ValidationError with code)."""
    survey = _locked(survey)
    state = state_of(survey)
    if state != LinkState.OPEN:
        raise ValidationError(_("Tautan survei ini tidak berlaku lagi."), code=state)
    clean = outcomes.clean_outcome(survey.alumni, as_of=timezone.localdate(), **data)
    outcome = outcomes.store(None, survey.alumni, clean, source=Source.SURVEY, survey=survey)
    survey.answered_at = timezone.now()
    survey.save(update_fields=["answered_at"])
    audit.record(None, "answer_survey", survey, {"answered_at": [None, survey.answered_at.isoformat()]})
    return outcome
