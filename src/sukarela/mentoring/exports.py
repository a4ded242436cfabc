"""The columns of the review list's download (core.exporting): the visits under the list's filters."""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column
from sukarela.mentoring.models import Task, TksRole


def _labels(choices, field: str):
    labels = dict(choices)
    return lambda visit: ", ".join(str(labels.get(code, code)) for code in getattr(visit, field) or [])


VISIT_COLUMNS = [
    Column(_("ID"), lambda v: str(v.pk)), Column(_("Mulai"), "started_at"), Column(_("Jenis"), "get_kind_display"),
    Column(_("Judul kegiatan"), "title"), Column(_("Lama (menit)"), "duration_minutes"),
    Column(_("ID kelompok"), "group_id"), Column(_("Kelompok"), "group.name"),
    Column(_("Kode desa"), "group.village_id"),
    Column(_("Desa/kelurahan"), "group.village.name"), Column(_("TKS"), "tks.full_name"),
    Column(_("Nama pengguna TKS"), "tks.username"), Column(_("Peran"), _labels(TksRole.choices, "roles")),
    Column(_("Tugas"), _labels(Task.choices, "tasks")), Column(_("Status"), "get_status_display"),
    Column(_("Dikonfirmasi ketua"), "confirmed_by_chair_at"), Column(_("Tanda"), lambda v: ", ".join(v.flags or [])),
    Column(_("Jarak dari titik kelompok (km)"), "km_from_group"),
]
