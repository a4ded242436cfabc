"""Bulk import of linkages from CSV/XLSX, and the export of the linkages an officer sees.

One row per linkage: the group (by id) or the centre (by id), the partner (by id or exact name),
purpose, status, dates, value, people trained, broker (username). Every row is checked by the
same rules as the form and the pipeline (services.linkages): the group or centre inside the
importer's scope, a partner they see and active, a broker posted to the group, dates not in the
future and the status date not before the proposal, realised with its value, failed with its
reason. An imported linkage may start at any status; its history is one step "imported at status
X". Mode "all": one wrong row and nothing is stored; mode "valid": the right rows are stored, the
wrong ones reported (row, column, reason, value).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.assignments.models import Posting
from sukarela.core import audit
from sukarela.core.importing import ImportResult, RowError, every_column, read_upload
from sukarela.core.models import User
from sukarela.core.permissions import require_officer
from sukarela.core.roles import Role
from sukarela.core.scope import in_scope, scoped
from sukarela.engines.tabular import ROW, Column
from sukarela.groups.models import Group
from sukarela.partners.models import Linkage, LinkageStatus, LinkageStep, Purpose, TrainingCentre
from sukarela.partners.selectors import linkages as selectors
from sukarela.partners import linkage_rules as rules
from sukarela.partners.rules import to_date
from sukarela.partners.rules import as_id

COLUMNS = (
    Column("group", "ID Kelompok", ("kelompok", "id_kelompok", "group")),
    Column("centre", "ID BLK", ("blk", "id_blk", "centre")),
    Column("partner", "Mitra", ("id mitra", "partner"), required=True),  # "Nama Mitra" is the export's label
    Column("purpose", "Tujuan", ("purpose",), required=True),
    Column("status", "Status", ("status",)),
    Column("proposed_on", "Tanggal Usulan", ("diusulkan", "proposed_on")),
    Column("status_on", "Tanggal Status", ("status_on",)),
    Column("value_amount", "Nilai (Rp)", ("nilai", "nilai terealisasi", "value")),
    Column("people_trained", "Orang Terlatih", ("orang dilatih", "people_trained")),
    Column("broker", "TKS Perantara", ("tks", "perantara", "broker")),
    Column("failed_reason", "Alasan Gagal", ("alasan", "failed_reason")),
    Column("notes", "Catatan", ("notes",)),
)
HEADER_OF = {c.key: c.header for c in COLUMNS}
EXPORT_EXTRA = ("ID", "Nama Kelompok/BLK", "Nama Mitra", "Wilayah")
PURPOSES = {v.casefold(): v for v in Purpose.values} | {str(lbl).casefold(): v for v, lbl in Purpose.choices}
STATUSES = {v.casefold(): v for v in LinkageStatus.values} | {
    str(lbl).casefold(): v for v, lbl in LinkageStatus.choices}


def _ids(values) -> list[int]:
    return sorted({pk for pk in map(as_id, values) if pk is not None})


class _Lookups:
    """What every row is checked against, read once for the whole file."""

    def __init__(self, actor, frame):
        self.groups = {g.pk: g for g in scoped(actor, Group.objects.filter(pk__in=_ids(frame["group"].to_list())))}
        self.centres = {c.pk: c for c in scoped(actor, TrainingCentre.objects.filter(
            pk__in=_ids(frame["centre"].to_list())))}
        self.partners = {}
        self.names = {}
        for p in selectors.partner_choices(actor):
            self.partners[p.pk] = p
            self.names.setdefault(" ".join(p.name.split()).casefold(), []).append(p)
        usernames = {v.strip() for v in frame["broker"].to_list() if v.strip()}
        self.users = {u.username.casefold(): u for u in User.objects.filter(username__in=usernames)}
        posted = Posting.objects.filter(group_id__in=list(self.groups)).values_list("group_id", "mentor_id", "ends_on")
        self.posted = {(g, m) for g, m, _end in posted}
        self.current = {g: m for g, m, end in posted if end is None}
        self.mentors = {u.pk: u for u in User.objects.filter(pk__in=set(self.current.values()))}


def _partner(text: str, look: _Lookups, errors: dict):
    text = " ".join(text.split())
    if as_id(text) in look.partners:
        return look.partners[as_id(text)]
    found = look.names.get(text.casefold(), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        errors["partner"] = _("Ada %(n)d mitra bernama ini; tulis ID mitranya.") % {"n": len(found)}
    else:
        errors["partner"] = _("Mitra tidak dikenal (ID atau nama persis), tidak aktif, atau di luar wilayah kerja "
                              "Anda.")
    return None


def _target(actor, cells: dict, look: _Lookups, errors: dict):
    group_text, centre_text = cells["group"].strip(), cells["centre"].strip()
    if bool(group_text) == bool(centre_text):
        errors["group"] = _("Isi salah satu: ID Kelompok atau ID BLK.")
        return None, None
    if group_text:
        group = look.groups.get(as_id(group_text))
        if group is None:
            errors["group"] = _("Kelompok tidak dikenal atau di luar wilayah kerja Anda.")
        return group, None
    centre = look.centres.get(as_id(centre_text))
    if centre is None:
        errors["centre"] = _("BLK tidak dikenal atau di luar wilayah kerja Anda.")
    return None, centre


def _broker(actor, text: str, group, look: _Lookups, errors: dict):
    text = text.strip()
    if not text:
        return look.mentors.get(look.current.get(group.pk)) if group is not None else None
    user = look.users.get(text.casefold())
    if user is None or user.role != Role.TKS or not user.is_active:
        errors["broker"] = _("Tidak ada TKS aktif dengan nama pengguna ini.")
        return None
    if group is not None and (group.pk, user.pk) not in look.posted:
        errors["broker"] = _("TKS ini tidak pernah ditugaskan pada kelompok ini.")
    elif group is None and not in_scope(actor, user.region_id):
        errors["broker"] = _("TKS ini di luar wilayah kerja Anda.")
    return user


def _row(actor, cells: dict, look: _Lookups) -> tuple[dict, dict]:
    errors = {}
    data = {}
    data["group"], data["centre"] = _target(actor, cells, look, errors)
    data["partner"] = _partner(cells["partner"], look, errors)
    data["purpose"] = PURPOSES.get(" ".join(cells["purpose"].split()).casefold())
    if data["purpose"] is None:
        errors["purpose"] = _("Tujuan tidak dikenal; pilih: %(p)s.") % {"p": ", ".join(Purpose.values)}
    status_text = " ".join(cells["status"].split()).casefold()
    data["status"] = STATUSES.get(status_text) if status_text else LinkageStatus.PROPOSED
    if data["status"] is None:
        errors["status"] = _("Status tidak dikenal; pilih: %(s)s.") % {"s": ", ".join(LinkageStatus.values)}
    today = timezone.localdate()
    data["proposed_on"] = to_date(cells["proposed_on"], "proposed_on", errors) or today
    if "proposed_on" not in errors and data["proposed_on"] > today:
        errors["proposed_on"] = _("Tanggal usulan tidak boleh di masa depan.")
    data["status_on"] = to_date(cells["status_on"], "status_on", errors) or data["proposed_on"]
    if "proposed_on" not in errors:  # a blank status date is the proposal's: one error, not two
        rules.check_status_date(data["status_on"], data["proposed_on"], None, errors)
    data["value_amount"] = rules.to_amount(cells["value_amount"], errors)
    data["people_trained"] = rules.to_people(cells["people_trained"], errors)
    data["failed_reason"] = rules.clean_text(cells["failed_reason"], rules.MAX_REASON, "failed_reason", errors)
    data["notes"] = rules.clean_text(cells["notes"], rules.MAX_NOTES, "notes", errors)
    if data["purpose"] and data["status"]:
        rules.check_outcome(data["purpose"], data["status"], data, errors)
    if data["status"] != LinkageStatus.FAILED and data["failed_reason"] and "failed_reason" not in errors:
        errors["failed_reason"] = _("Alasan gagal hanya diisi untuk keterkaitan yang gagal.")
    data["broker"] = _broker(actor, cells["broker"], data["group"], look, errors) if "group" not in errors else None
    return data, errors


@transaction.atomic
def import_linkages(actor, upload, mode: str) -> ImportResult:
    require_officer(actor)
    table = read_upload(upload, COLUMNS, mode)
    frame = every_column(table.frame, COLUMNS)
    result = ImportResult(mode=mode, total=frame.height + len(table.row_errors))
    result.errors = [RowError(row, "", message) for row, message in table.row_errors]
    look = _Lookups(actor, frame)
    good = []
    for cells in frame.iter_rows(named=True):
        data, problems = _row(actor, cells, look)
        if problems:
            result.errors.extend(RowError(cells[ROW], HEADER_OF[k], reason, str(cells.get(k, ""))[:100])
                                 for k, reason in problems.items())
        else:
            good.append(data)
    result.errors.sort(key=lambda e: (e.row, e.column))
    if not result.applied or not good:
        return result
    result.stored = _store(actor, good)
    audit.record(actor, "import_linkages", target_type="partners.linkage", target_label=(upload.name or "")[:200],
                 changes={"file": [None, upload.name or ""], "linkages": [None, result.stored],
                          "rejected_rows": [None, result.rejected]})
    return result


def _store(actor, rows: list[dict]) -> int:
    now = timezone.now()
    made = Linkage.objects.bulk_create([Linkage(created_by=actor, created_at=now, **d) for d in rows], batch_size=500)
    LinkageStep.objects.bulk_create([
        LinkageStep(linkage=lk, status=lk.status, on=lk.status_on, by=actor, at=now,
                    note=_("Diimpor pada status %(s)s") % {"s": rules.label(lk.status)}) for lk in made],
        batch_size=500)
    return len(made)


def export_table(user, filters) -> tuple[list[str], list[list]]:
    """The visible linkages under the list's filters: the import's columns (a corrected export can
    be imported again) after the linkage's id, then names for the reader."""
    headers = [EXPORT_EXTRA[0], *(c.header for c in COLUMNS), *EXPORT_EXTRA[1:]]
    rows = []
    for lk in selectors.linkage_list(user, filters).iterator(chunk_size=1000):
        target = lk.group or lk.centre
        region = lk.group.village_id if lk.group_id else lk.centre.region_id
        rows.append([lk.pk, lk.group_id or "", lk.centre_id or "", lk.partner_id, lk.purpose, lk.status,
                     lk.proposed_on.isoformat(), lk.status_on.isoformat(),
                     "" if lk.value_amount is None else int(lk.value_amount),
                     "" if lk.people_trained is None else lk.people_trained,
                     lk.broker.username if lk.broker_id else "", lk.failed_reason, lk.notes,
                     target.name, lk.partner.name, region])
    return headers, rows
