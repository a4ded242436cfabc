"""The columns of the assignment lists' downloads (core.exporting): a cohort's mentors, match runs,
a run's proposals, postings."""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column

# Rows are the mentor page's {"mentor": User, "form": MentorForm} (its initial values are the profile).
MENTOR_COLUMNS = [
    Column(_("Nama"), lambda r: r["mentor"].full_name), Column(_("Nama pengguna"), lambda r: r["mentor"].username),
    Column(_("Kode wilayah"), lambda r: r["mentor"].region_id),
    Column(_("Nomor HP"), lambda r: r["mentor"].phone, "PHONE"),
    Column(_("Kapasitas"), lambda r: r["form"].initial["capacity"]),
    Column(_("Sektor dikuasai"), lambda r: ", ".join(s.name for s in r["form"].initial["sectors"])),
]

RUN_COLUMNS = [
    Column(_("ID"), "pk"), Column(_("Dijalankan"), "created_at"), Column(_("Angkatan"), "cohort.name"),
    Column(_("Kode wilayah"), "region_id"), Column(_("Wilayah"), "region.name"),
    Column(_("Kelompok"), lambda r: r.summary.get("groups")),
    Column(_("Terdampingi"), lambda r: r.summary.get("covered")),
    Column(_("Status"), "get_status_display"), Column(_("Dijalankan oleh"), "created_by.full_name"),
    Column(_("Diterbitkan"), "published_at"),
]

PROPOSAL_COLUMNS = [
    Column(_("ID kelompok"), "group_id"), Column(_("Kelompok"), "group.name"),
    Column(_("Kode desa"), "group.village_id"),
    Column(_("Desa/kelurahan"), "group.village.name"), Column(_("Sektor"), "group.sector.name"),
    Column(_("Pendamping"), "mentor.full_name"), Column(_("Nama pengguna pendamping"), "mentor.username"),
    Column(_("Jarak (km)"), lambda p: None if p.km is None else round(p.km, 1)),
    Column(_("Sektor sesuai"), "sector_fit"), Column(_("Dipertahankan"), "kept"), Column(_("Dikunci"), "pinned"),
    Column(_("Alasan tanpa pendamping"), "reason"),
]

POSTING_COLUMNS = [
    Column(_("ID kelompok"), "group_id"), Column(_("Kelompok"), "group.name"),
    Column(_("Kode desa"), "group.village_id"),
    Column(_("Desa/kelurahan"), "group.village.name"), Column(_("Pendamping"), "mentor.full_name"),
    Column(_("Nama pengguna pendamping"), "mentor.username"), Column(_("Mulai"), "starts_on"),
    Column(_("Selesai"), "ends_on"),
]
