"""One application at a time: submit (public form or staff), correct, withdraw, erase
(withdrawal of consent), administrative verification and scores."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.signals import account_erased
from sukarela.engines.applicant_rows import Reference, validate_row, validate_score
from sukarela.recruitment.columns import declaration_keys
from sukarela.recruitment.documents import check_documents
from sukarela.core.models import User
from sukarela.recruitment.models import (AdminStatus, Application, Campaign, ConsentText, Decision, Document, Source,
                                         Status)
from sukarela.recruitment.permissions import require_in_scope
from sukarela.recruitment.services.campaigns import quota_region_of
from sukarela.regions.models import Region

DATA_FIELDS = ("nik", "full_name", "birth_date", "sex", "phone", "email", "education_level", "education_field",
               "domicile", "address", "motivation", "experience", "household_id", "declarations")
AUDITED = DATA_FIELDS + ("status", "admin_status", "admin_note", "test_score", "interview_score", "decision")


def reference_for(campaign, raw: dict, today=None) -> Reference:
    """The engine's reference sets, reduced to the one NIK regency and village this row names."""
    nik = "".join(ch for ch in str(raw.get("nik", "")) if ch.isdigit())
    regency = f"{nik[:2]}.{nik[2:4]}" if len(nik) >= 4 else ""
    village = str(raw.get("domicile", "")).strip()
    if village.isdigit() and len(village) == 10:
        village = f"{village[:2]}.{village[2:4]}.{village[4:6]}.{village[6:]}"
    return Reference(
        regencies=frozenset(Region.objects.filter(code=regency, level=2).values_list("code", flat=True)),
        villages=frozenset(Region.objects.filter(code=village, level=4, active=True).values_list("code", flat=True)),
        today=today or timezone.localdate(),
        declarations=declaration_keys(campaign),
    )


def _validate(campaign, raw: dict) -> dict:
    result = validate_row(raw, reference_for(campaign, raw))
    if result.errors:
        errors: dict[str, list[str]] = {}
        for e in result.errors:
            errors.setdefault(e.column or "__all__", []).append(e.message)
        raise ValidationError(errors)
    clean = dict(result.clean)
    clean["declarations"] = {k[5:]: v for k, v in clean.items() if k.startswith("decl_") and v is not None}
    return clean


def _apply(app: Application, clean: dict) -> None:
    for field in DATA_FIELDS:
        if field == "domicile":
            app.domicile_id = clean["domicile"]
        else:
            setattr(app, field, clean.get(field, "") if field != "declarations" else clean["declarations"])
    app.quota_region_id = quota_region_of(app.campaign, app.domicile_id)


def _store_documents(app: Application, checked) -> list[Document]:
    docs = []
    for kind, upload, content_type, ext in checked:
        upload.seek(0)
        doc = Document(application=app, kind=kind, original_name=(upload.name or "berkas")[:200],
                       content_type=content_type, size=upload.size)
        doc.file.save(f"{app.pk}-{secrets.token_hex(8)}.{ext}", ContentFile(upload.read()), save=False)
        doc.save()
        docs.append(doc)
    return docs


def _rescreen(app: Application) -> None:
    if app.campaign.screened_at:
        from sukarela.recruitment.services.screening import screen_queryset

        screen_queryset(app.campaign, Application.objects.filter(pk=app.pk))


@transaction.atomic
def submit(campaign, raw: dict, documents=(), *, actor=None, source=Source.FORM) -> tuple[Application, str]:
    """A new application; returns it with the private status link token (shown once)."""
    if actor is None and not campaign.is_open():
        raise ValidationError(_("Pendaftaran kampanye ini tidak sedang dibuka."))
    # Read under the campaign's lock: a selection running now holds it until its decisions are written.
    if Campaign.objects.select_for_update().get(pk=campaign.pk).selected_at:
        raise ValidationError(_("Seleksi kampanye ini sudah dijalankan; lamaran baru tidak diterima."))
    if not raw.get("consent"):
        raise ValidationError({"consent": _("Persetujuan pemrosesan data wajib diberikan untuk melamar.")})
    clean = _validate(campaign, raw)
    if actor is not None:
        require_in_scope(actor, clean["domicile"])
    checked = check_documents(documents)
    if Application.objects.filter(campaign=campaign, nik=clean["nik"]).exists():
        raise ValidationError({"nik": _("NIK ini sudah terdaftar di kampanye ini.")})
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    app = Application(campaign=campaign, consent_text=ConsentText.of(campaign.consent_purpose), consent_at=now,
                      source=source,
                      submitted_at=now, updated_at=now, access_digest=Application.digest_of(token))
    _apply(app, clean)
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise ValidationError({"nik": _("NIK ini sudah terdaftar di kampanye ini.")}) from None
    _store_documents(app, checked)
    audit.record(actor, "apply", app, audit.diff(Application, {}, audit.snapshot(app, AUDITED)))
    _rescreen(app)
    return app, token


@transaction.atomic
def correct(app: Application, raw: dict, documents=(), *, actor=None) -> Application:
    """The applicant (by link) or an officer in scope corrects the data until screening closes."""
    app = Application.objects.select_for_update().select_related("campaign").get(pk=app.pk)
    if actor is not None:
        require_in_scope(actor, app.domicile_id)
    if app.status != Status.ACTIVE:
        raise ValidationError(_("Lamaran ini sudah ditarik dan tidak dapat diubah."))
    if not app.campaign.corrections_open():
        raise ValidationError(_("Masa perbaikan data sudah ditutup."))
    clean = _validate(app.campaign, raw)
    if actor is not None:
        require_in_scope(actor, clean["domicile"])
    checked = check_documents(documents, already=app.documents.count())
    if Application.objects.filter(campaign=app.campaign, nik=clean["nik"]).exclude(pk=app.pk).exists():
        raise ValidationError({"nik": _("NIK ini sudah terdaftar di kampanye ini.")})
    before = audit.snapshot(app, AUDITED)
    _apply(app, clean)
    app.updated_at = timezone.now()
    app.save()
    docs = _store_documents(app, checked)
    changes = audit.diff(Application, before, audit.snapshot(app, AUDITED))
    if docs:
        changes["documents"] = [None, ", ".join(d.original_name for d in docs)]
    if changes:
        audit.record(actor, "correct", app, changes)
    _rescreen(app)
    return app


@transaction.atomic
def renew_link(campaign, nik: str, email: str) -> tuple[Application, str] | None:
    """A new private link for an applicant who lost theirs or never got one (staff entry, import):
    only when the NIK and the e-mail on file both match; the old link stops working."""
    nik = "".join(ch for ch in str(nik) if ch.isdigit())
    email = (email or "").strip()
    if len(nik) != 16 or not email:
        return None
    app = Application.objects.select_for_update().filter(
        campaign=campaign, nik=nik, email__iexact=email).exclude(status=Status.ERASED).first()
    if app is None:
        return None
    token = secrets.token_urlsafe(24)
    Application.objects.filter(pk=app.pk).update(access_digest=Application.digest_of(token))
    audit.record(None, "renew_link", app, {"access_digest": ["***", "***"]})
    return app, token


def _lock_campaign(app: Application) -> None:
    # Campaign first, then the application: the order selection.run takes them in, so the two never deadlock.
    Campaign.objects.select_for_update().filter(pk=app.campaign_id).first()


def _free_seat(actor, app: Application) -> Application | None:
    """A selectee leaving frees their seat for the next on the waitlist."""
    if app.decision == Decision.SELECTED:
        from sukarela.recruitment.services.selection import promote_next

        return promote_next(actor, app)
    return None


@transaction.atomic
def withdraw(app: Application, *, actor=None, reason: str = "") -> Application | None:
    """The applicant withdraws (data kept); returns the waitlisted applicant who took the seat, if any."""
    _lock_campaign(app)
    app = Application.objects.select_for_update().get(pk=app.pk)
    if actor is not None:
        require_in_scope(actor, app.domicile_id)
    if app.status != Status.ACTIVE:
        raise ValidationError(_("Lamaran ini sudah ditarik."))
    replacement = _free_seat(actor, app)
    before = audit.snapshot(app, AUDITED)
    app.status, app.withdrawn_at = Status.WITHDRAWN, timezone.now()
    app.save(update_fields=["status", "withdrawn_at"])
    changes = audit.diff(Application, before, audit.snapshot(app, AUDITED))
    if reason.strip():
        changes["reason"] = [None, reason.strip()[:200]]
    audit.record(actor, "withdraw", app, changes)
    return replacement


ERASED_NAME = "[dihapus]"


@transaction.atomic
def erase(app: Application, *, actor=None) -> Application | None:
    """Withdrawal of consent (UU PDP): personal data and documents go for good; the row stays,
    with its region, sex, education and decision, so every count stays right. What the audit
    trail, a TKS account and the import file held about the person goes too."""
    _lock_campaign(app)
    app = Application.objects.select_for_update().get(pk=app.pk)
    if actor is not None:
        require_in_scope(actor, app.domicile_id)
    if app.status == Status.ERASED:
        raise ValidationError(_("Data lamaran ini sudah dihapus."))
    replacement = _free_seat(actor, app) if app.status == Status.ACTIVE else None
    files = [d.file for d in app.documents.all()]
    app.documents.all().delete()
    erased = [f for f in ("nik", "full_name", "birth_date", "phone", "email", "address", "motivation",
                          "experience", "household_id", "education_field", "declarations") if getattr(app, f)]
    app.nik = app.birth_date = None
    app.full_name = ERASED_NAME
    app.phone = app.email = app.address = app.motivation = app.experience = ""
    app.household_id = app.education_field = app.admin_note = ""
    app.declarations = {}
    app.access_digest = None
    app.status = Status.ERASED
    app.withdrawn_at = app.withdrawn_at or timezone.now()
    # Only the erased fields: a freed seat's decision was just written by promote_next.
    app.save(update_fields=["nik", "birth_date", "full_name", "phone", "email", "address", "motivation",
                            "experience", "household_id", "education_field", "admin_note", "declarations",
                            "access_digest", "status", "withdrawn_at"])
    label = f"{ERASED_NAME} ({app.campaign_id}/{app.pk})"
    audit.scrub(app, label)
    if app.volunteer_id:
        _erase_account(app.volunteer)
    # Only which fields were erased: the trail must not keep what the person asked to remove.
    audit.record(actor, "erase", app, {field: ["***", None] for field in erased} | {"status": [None, "erased"]},
                 target_label=label)
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])
    return replacement


def _erase_account(user) -> None:
    """A TKS account made from the application holds the same name and contacts."""
    User.objects.filter(pk=user.pk).update(full_name=ERASED_NAME, email="", phone="", is_active=False)
    audit.scrub(user, f"{ERASED_NAME} ({user.username})")
    account_erased.send(sender=User, user=user, label=ERASED_NAME)


@transaction.atomic
def verify(actor, app: Application, status: str, note: str = "") -> Application:
    app = Application.objects.select_for_update().get(pk=app.pk)
    require_in_scope(actor, app.domicile_id)
    if status not in AdminStatus.values:
        raise ValidationError({"admin_status": _("Status verifikasi tidak dikenal.")})
    if status == AdminStatus.REJECTED and not note.strip():
        raise ValidationError({"admin_note": _("Tuliskan alasan bila lamaran tidak lolos verifikasi.")})
    before = audit.snapshot(app, AUDITED)
    app.admin_status, app.admin_note = status, note.strip()[:2000]
    app.save(update_fields=["admin_status", "admin_note"])
    changes = audit.diff(Application, before, audit.snapshot(app, AUDITED))
    if changes:
        audit.record(actor, "verify", app, changes)
    return app


@transaction.atomic
def set_scores(actor, app: Application, **scores) -> Application:
    """test_score / interview_score as text or numbers 0–100; None or "" clears one."""
    app = Application.objects.select_for_update().get(pk=app.pk)
    require_in_scope(actor, app.domicile_id)
    errors, values = {}, {}
    for field in ("test_score", "interview_score"):
        if field not in scores:
            continue
        raw = scores[field]
        if raw in (None, ""):
            values[field] = None
            continue
        try:
            values[field] = validate_score(str(raw))
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(app, AUDITED)
    for field, value in values.items():
        setattr(app, field, value)
    app.save(update_fields=list(values) or None)
    changes = audit.diff(Application, before, audit.snapshot(app, AUDITED))
    if changes:
        audit.record(actor, "score", app, changes)
    return app
