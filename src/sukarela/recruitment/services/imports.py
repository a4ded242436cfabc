"""Bulk files of applications or scores, as labour offices send them.

`start` stores the upload and makes an ImportJob; `run` reads, validates (in
columns, engines.applicant_rows), stores through the database's bulk path and
writes the error report. Mode "all" stores nothing when any row is wrong; mode
"valid" stores the valid rows. Either way the storing is one transaction, so a
failure half-way leaves nothing behind. Progress goes to the cache, which every
server process shares, because the storing transaction is invisible until it commits.
"""

import io
import logging
import threading
from datetime import timedelta

import polars as pl
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.engines.applicant_rows import Reference, validate_frame, validate_scores_frame
from sukarela.engines.tabular import TableError, read_table, write_csv
from sukarela.core import bulk
from sukarela.recruitment.columns import HEADER_OF, SCORE_COLUMNS, applicant_columns, declaration_keys
from sukarela.recruitment.models import (Application, Campaign, ConsentText, ImportJob, ImportKind, ImportMode,
                                         ImportState, Source, Status)
from sukarela.recruitment.permissions import require_officer
from sukarela.regions.models import Region, subtree_q

log = logging.getLogger(__name__)
MAX_UPLOAD = 300 * 1024 * 1024
REPORT_HEADERS = ("Baris", "Kolom", "Kode", "Alasan", "Nilai")


def progress_key(job_id: int) -> str:
    return f"recruitment:import:{job_id}"


def progress_of(job: ImportJob) -> dict:
    return cache.get(progress_key(job.pk)) or {"step": job.state, "done": 0, "total": 0}


STALE_AFTER = timedelta(hours=2)


def end_if_stale(job: ImportJob) -> ImportJob:
    """A job left "running" by a server that stopped mid-import would keep its page polling
    for ever: past STALE_AFTER with no progress reported for an hour, it ends as failed."""
    if job.finished or job.created_at > timezone.now() - STALE_AFTER or cache.get(progress_key(job.pk)):
        return job
    job.state, job.finished_at = ImportState.FAILED, timezone.now()
    job.message = _("Impor terhenti sebelum selesai (server dimulai ulang?). Tidak ada yang disimpan; "
                    "unggah berkasnya lagi.")
    ImportJob.objects.filter(pk=job.pk).exclude(state__in=[ImportState.DONE, ImportState.REJECTED]).update(
        state=job.state, finished_at=job.finished_at, message=job.message)
    return job


def start(actor, campaign: Campaign, kind: str, mode: str, upload, *, max_bytes: int | None = MAX_UPLOAD) -> ImportJob:
    """`max_bytes` caps what a browser may upload; the command line (None) takes a national wave."""
    require_officer(actor)
    errors = {}
    if kind not in ImportKind.values:
        errors["kind"] = _("Jenis impor tidak dikenal.")
    if mode not in ImportMode.values:
        errors["mode"] = _("Mode impor tidak dikenal.")
    if upload is None or upload.size == 0:
        errors["file"] = _("Pilih berkas CSV atau XLSX yang tidak kosong.")
    elif max_bytes is not None and upload.size > max_bytes:
        errors["file"] = _("Berkas lebih dari %(m)d MB.") % {"m": max_bytes // 2**20}
    if kind == ImportKind.APPLICATIONS and campaign.selected_at:
        errors["kind"] = _("Seleksi sudah dijalankan; lamaran baru tidak diterima.")
    if errors:
        raise ValidationError(errors)
    job = ImportJob(campaign=campaign, kind=kind, mode=mode, created_by=actor, original_name=upload.name[:200],
                    scope_region_id=actor.scope_code or None)
    upload.seek(0)
    job.source.save(f"{campaign.pk}-{timezone.now():%Y%m%d%H%M%S}.upload", upload, save=False)
    job.save()
    return job


def start_in_background(job: ImportJob) -> None:
    """The browser's path: the request returns at once and the page polls the progress."""
    def work():
        close_old_connections()
        try:
            run(job.pk)
        finally:
            connection.close()

    threading.Thread(target=work, name=f"import-{job.pk}", daemon=True).start()


def run(job_id: int, progress=None) -> ImportJob:
    job = ImportJob.objects.select_related("campaign", "created_by").get(pk=job_id)

    def step(name, done, total):
        cache.set(progress_key(job.pk), {"step": name, "done": done, "total": total}, 3600)
        if progress:
            progress(name, done, total)

    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.RUNNING)
    try:
        step("reading", 0, 1)
        if job.kind == ImportKind.APPLICATIONS:
            _run_applications(job, step)
        else:
            _run_scores(job, step)
    except TableError as exc:
        job.state, job.message = ImportState.REJECTED, str(exc)
    except Exception as exc:  # the job must end in a state the officer can read, whatever happened
        log.exception("import %s failed", job.pk)
        job.state, job.message = ImportState.FAILED, _("Kesalahan tak terduga: %(e)s") % {"e": type(exc).__name__}
    job.finished_at = timezone.now()
    # The uploaded file holds every row in clear; what was stored is in the database and what was
    # refused is in the report, so the upload itself is not kept (nothing for an erasure to miss).
    if job.source:
        job.source.delete(save=False)
    try:
        job.save()
    except Exception:  # never leave the page polling a job that can no longer finish
        log.exception("import %s: saving its outcome failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(state=ImportState.FAILED, finished_at=job.finished_at,
                                                   message=_("Hasil impor tidak dapat disimpan."))
        job.state = ImportState.FAILED
    step(job.state, job.total_rows, job.total_rows)
    return job


def _finish(job: ImportJob, errors: pl.DataFrame, table_row_errors, total: int, store) -> None:
    """Write the report, then store (or not) as the mode promises."""
    extra = pl.DataFrame(
        {"row": [r for r, _m in table_row_errors], "column": [""] * len(table_row_errors),
         "code": ["row_shape"] * len(table_row_errors), "message": [m for _r, m in table_row_errors],
         "value": [""] * len(table_row_errors)},
        schema={"row": pl.Int64, "column": pl.String, "code": pl.String, "message": pl.String, "value": pl.String})
    errors = pl.concat([errors.select(extra.columns).cast(extra.schema), extra]).sort("row")
    bad_rows = errors["row"].n_unique()
    job.total_rows, job.error_rows = total, bad_rows
    if errors.height:
        buffer = io.BytesIO()
        # Columns by the header the officer sees in the file, declaration columns included.
        headers = HEADER_OF | dict(declaration_keys(job.campaign))
        write_csv(buffer, REPORT_HEADERS, (
            (r, headers.get(c, c), code, m, v) for r, c, code, m, v in errors.iter_rows()))
        job.report.save(f"{job.pk}-errors.csv", ContentFile(buffer.getvalue()), save=False)
    if errors.height and job.mode == ImportMode.ALL:
        job.state = ImportState.REJECTED
        job.message = _("%(n)d baris salah; sesuai mode 'semua atau tidak sama sekali', tidak ada yang disimpan.") % {
            "n": bad_rows}
        return
    with transaction.atomic():
        job.stored_rows = store()
        audit.record(job.created_by, f"import_{job.kind}", job.campaign, {
            "file": [None, job.original_name], "stored": [None, job.stored_rows], "rejected": [None, bad_rows]})
    job.state = ImportState.DONE
    job.message = _("%(s)d baris disimpan, %(e)d baris ditolak.") % {"s": job.stored_rows, "e": bad_rows}


def _scope_errors(job: ImportJob, clean: pl.DataFrame, column: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows outside the importer's region are refused: an officer cannot create what they cannot see."""
    scope = job.scope_region_id
    if not scope:
        return clean, clean.head(0)
    inside = (pl.col(column) == scope) | pl.col(column).str.starts_with(scope + ".")
    return clean.filter(inside), clean.filter(~inside)


def _out_of_scope(rows: pl.DataFrame, column: str, value: str, job: ImportJob) -> pl.DataFrame:
    return rows.select(
        pl.col("_row").alias("row"), pl.lit(column).alias("column"), pl.lit("out_of_scope").alias("code"),
        pl.lit(_("Di luar wilayah kerja Anda (%(r)s)") % {"r": job.scope_region_id}).alias("message"),
        pl.col(value).cast(pl.String).str.slice(0, 100).alias("value"))


def reference(campaign: Campaign) -> Reference:
    return Reference(
        regencies=frozenset(Region.objects.filter(level=2).values_list("code", flat=True)),
        villages=frozenset(Region.objects.filter(level=4, active=True).values_list("code", flat=True)),
        today=timezone.localdate(),
        declarations=declaration_keys(campaign),
    )


def _run_applications(job: ImportJob, step) -> None:
    campaign = job.campaign
    table = read_table(job.source.path, applicant_columns(campaign))
    total = table.frame.height + len(table.row_errors)
    step("validating", 0, total)
    existing = list(Application.objects.filter(campaign=campaign, nik__isnull=False).values_list("nik", flat=True))
    clean, errors = validate_frame(table.frame, reference(campaign), existing_niks=existing)
    clean, outside = _scope_errors(job, clean, "domicile")
    errors = pl.concat([errors, _out_of_scope(outside, "domicile", "domicile", job).cast(errors.schema)])
    step("storing", 0, clean.height)

    def store():
        # The campaign row stays locked until commit: selection cannot start half-way, nor run before.
        if Campaign.objects.select_for_update().get(pk=campaign.pk).selected_at:
            raise TableError(_("Seleksi sudah dijalankan; lamaran baru tidak diterima."))
        # In NIK order the unique index (and the domicile one: a NIK starts with the district) grows
        # at its end instead of at random pages: measured 17 s → 11 s for a million rows on SQLite.
        return bulk.insert_frame(Application, _application_rows(job, clean.sort("nik")), progress=step)

    _finish(job, errors, table.row_errors, total, store)


def _application_rows(job: ImportJob, clean: pl.DataFrame) -> pl.DataFrame:
    """The clean frame as table rows: every NOT NULL column gets its value or its default."""
    campaign = job.campaign
    codes = pl.Series(sorted(campaign.quota_regions.values_list("region_id", flat=True)), dtype=pl.String).implode()
    village = pl.col("domicile")
    # A village's ancestors, province first: the quota region is the one the campaign covers.
    quota = pl.lit(None, dtype=pl.String)
    for width in (8, 5, 2):
        part = village.str.slice(0, width)
        quota = pl.when(part.is_in(codes)).then(part).otherwise(quota)
    decl = [c for c in clean.columns if c.startswith("decl_")]
    if decl:
        declarations = pl.struct([pl.col(c).alias(c[5:]) for c in decl]).struct.json_encode()
    else:
        declarations = pl.lit("{}")
    consent = ConsentText.of(campaign.consent_purpose)
    # Status, screening and decision columns, and the timestamps, take their database defaults.
    return clean.select(
        pl.lit(campaign.pk).alias("campaign_id"), "nik", "full_name", "birth_date", "sex", "phone", "email",
        "education_level", "education_field", pl.col("domicile").alias("domicile_id"),
        quota.alias("quota_region_id"), "address", "motivation", "experience", "household_id",
        declarations.alias("declarations"), pl.lit(consent.pk).alias("consent_text_id"),
        pl.lit(Source.IMPORT.value).alias("source"), pl.lit(job.pk).alias("import_job_id"),
    )


def _run_scores(job: ImportJob, step) -> None:
    campaign = job.campaign
    table = read_table(job.source.path, SCORE_COLUMNS)
    total = table.frame.height + len(table.row_errors)
    present = [c for c in ("test_score", "interview_score") if c in table.frame.columns]
    if not present:
        raise TableError(_("Berkas nilai perlu kolom 'Nilai Tes' dan/atau 'Nilai Wawancara'."))
    step("validating", 0, total)
    clean, errors = validate_scores_frame(table.frame)
    # Only the importer's own applicants are looked up: a NIK elsewhere is "unknown" like one that
    # never applied, so a score file cannot be used to learn who applied in other regions.
    active = Application.objects.filter(campaign=campaign, status=Status.ACTIVE, nik__isnull=False)
    if job.scope_region_id:
        active = active.filter(subtree_q("domicile__code", job.scope_region_id))
    known = pl.DataFrame(
        list(active.values_list("nik", "id").iterator(chunk_size=50000)),
        schema={"nik": pl.String, "id": pl.Int64}, orient="row")
    joined = clean.join(known, on="nik", how="left")
    unknown = joined.filter(pl.col("id").is_null())
    matched = joined.filter(pl.col("id").is_not_null())
    more = [
        unknown.select(pl.col("_row").alias("row"), pl.lit("nik").alias("column"),
                       pl.lit("unknown_nik").alias("code"),
                       pl.lit(_("NIK tidak terdaftar sebagai pelamar aktif kampanye ini di wilayah Anda"))
                       .alias("message"),
                       pl.col("nik").alias("value")),
    ]
    errors = pl.concat([errors, *[m.cast(errors.schema) for m in more]])
    step("storing", 0, matched.height)

    def store():
        # A blank cell means "no score in this file": it must not erase a score entered earlier,
        # so the update keeps the stored value where the file has none (one pass over the rows).
        rows = list(matched.select("id", *present).iter_rows())
        bulk.update_rows(Application, present, rows, keep_stored_when_null=True)
        return matched.height

    _finish(job, errors, table.row_errors, total, store)

