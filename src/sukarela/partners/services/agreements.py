"""Agreements (MoU/PKS) of a partner: add, change, attach the signed PDF. Only officers who may
edit the partner; the number is unique per partner and kind; an agreement ends on or after it
starts. Expiry is read by partners.selectors.agreements.expiring."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.partners import rules
from sukarela.partners.documents import check_pdf
from sukarela.partners.models import Agreement, AgreementKind, AgreementStatus, Partner
from sukarela.partners.services.partners import require_editor

FIELDS = ("kind", "number", "title", "signed_on", "starts_on", "ends_on", "status")




def clean(partner: Partner, data: dict, current: Agreement | None = None) -> dict:
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in unknown})
    merged = {name: getattr(current, name) for name in FIELDS} if current else {}
    merged.update(data)
    errors = {}
    out = {"kind": str(merged.get("kind") or ""), "status": str(merged.get("status") or AgreementStatus.DRAFT)}
    if out["kind"] not in AgreementKind.values:
        errors["kind"] = _("Pilih MoU atau PKS.")
    if out["status"] not in AgreementStatus.values:
        errors["status"] = _("Status perjanjian tidak dikenal.")
    out["number"] = rules.clean_text(merged.get("number"), 100, "number", errors)
    if not out["number"] and "number" not in errors:
        errors["number"] = _("Nomor perjanjian wajib diisi.")
    out["title"] = rules.clean_text(merged.get("title"), 200, "title", errors)
    out["signed_on"] = rules.to_date(merged.get("signed_on"), "signed_on", errors)
    out["starts_on"] = rules.to_date(merged.get("starts_on"), "starts_on", errors, required=True)
    out["ends_on"] = rules.to_date(merged.get("ends_on"), "ends_on", errors)
    if out["starts_on"] and out["ends_on"] and out["ends_on"] < out["starts_on"]:
        errors["ends_on"] = _("Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku.")
    if out["signed_on"] and out["ends_on"] and out["signed_on"] > out["ends_on"]:
        errors["signed_on"] = _("Tanggal tanda tangan tidak boleh sesudah tanggal berakhir.")
    if "kind" not in errors and "number" not in errors:
        taken = Agreement.objects.filter(partner=partner, kind=out["kind"], number__iexact=out["number"])
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            errors["number"] = _("Nomor %(n)s sudah dipakai %(k)s lain mitra ini.") % {
                "n": out["number"], "k": AgreementKind(out["kind"]).label}
    if errors:
        raise ValidationError(errors)
    return out


def _save(agreement: Agreement) -> None:
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:  # the same number saved meanwhile by another request
        raise ValidationError({"number": _("Nomor ini baru saja dipakai perjanjian lain mitra ini.")}) from None


def _attach(agreement: Agreement, upload) -> str:
    check_pdf(upload)
    old = agreement.document.name if agreement.document else ""
    agreement.document.save(f"{secrets.token_hex(8)}.pdf", ContentFile(upload.read()), save=False)
    if old:  # the file goes once the new one is committed; a rollback keeps the old one
        storage = agreement.document.storage
        transaction.on_commit(lambda: storage.delete(old))
    return agreement.document.name


@transaction.atomic
def add_agreement(actor, partner: Partner, *, document=None, **data) -> Agreement:
    require_editor(actor, partner)
    agreement = Agreement(partner=partner, **clean(partner, data))
    if document is not None:
        check_pdf(document)
    _save(agreement)
    changes = audit.diff(Agreement, {}, audit.snapshot(agreement, FIELDS))
    if document is not None:
        changes["document"] = [None, _attach(agreement, document)]
        agreement.save(update_fields=["document"])
    changes["partner"] = [None, partner.pk]
    audit.record(actor, "add_agreement", agreement, changes)
    return agreement


@transaction.atomic
def update_agreement(actor, agreement: Agreement, **data) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("partner").get(pk=agreement.pk)
    require_editor(actor, agreement.partner)
    before = audit.snapshot(agreement, FIELDS)
    for name, value in clean(agreement.partner, data, current=agreement).items():
        setattr(agreement, name, value)
    _save(agreement)
    changes = audit.diff(Agreement, before, audit.snapshot(agreement, FIELDS))
    if changes:
        audit.record(actor, "update_agreement", agreement, changes)
    return agreement


@transaction.atomic
def attach_document(actor, agreement: Agreement, upload) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("partner").get(pk=agreement.pk)
    require_editor(actor, agreement.partner)
    if upload is None:
        raise ValidationError({"document": _("Pilih berkas PDF.")})
    old = agreement.document.name or None
    new = _attach(agreement, upload)
    agreement.save(update_fields=["document"])
    audit.record(actor, "attach_agreement_document", agreement, {"document": [old, new]})
    return agreement
