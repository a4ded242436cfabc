"""The columns of the recruitment lists' downloads (core.exporting): campaigns, a campaign's
applications and quotas, and the selection results."""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column


def _eligible(app) -> str:
    return "" if app.eligible is None else (_("ya") if app.eligible else _("tidak"))


CAMPAIGN_COLUMNS = [
    Column(_("ID"), "pk"), Column(_("Kampanye"), "name"), Column(_("Tahun"), "year"),
    Column(_("Kursi"), "target_seats"), Column(_("Dibuka"), "opens_on"), Column(_("Ditutup"), "closes_on"),
    Column(_("Wilayah kuota"), "n_regions"), Column(_("Diumumkan untuk publik"), "published"),
]

APPLICATION_COLUMNS = [
    Column(_("ID"), "pk"), Column(_("NIK"), "nik", "NIK"), Column(_("Nama"), "full_name"),
    Column(_("Jenis kelamin"), "sex"), Column(_("Tanggal lahir"), "birth_date", "BIRTH_DATE"),
    Column(_("Nomor HP"), "phone", "PHONE"), Column(_("Email"), "email", "EMAIL"),
    Column(_("Alamat"), "address", "ADDRESS"), Column(_("Nomor KK"), "household_id", "KK"),
    Column(_("Pendidikan"), "get_education_level_display"), Column(_("Jurusan"), "education_field"),
    Column(_("Kode domisili"), "domicile_id"), Column(_("Domisili"), "domicile.name"),
    Column(_("Wilayah kuota"), "quota_region_id"), Column(_("Sumber"), "get_source_display"),
    Column(_("Dikirim"), "submitted_at"), Column(_("Status"), "get_status_display"),
    Column(_("Memenuhi syarat"), _eligible), Column(_("Verifikasi administrasi"), "get_admin_status_display"),
    Column(_("Nilai tes"), "test_score"), Column(_("Nilai wawancara"), "interview_score"),
    Column(_("Nilai akhir"), "score"), Column(_("Keputusan"), "get_decision_display"),
]

QUOTA_COLUMNS = [
    Column(_("Kode wilayah"), "region_id"), Column(_("Wilayah"), "region.name"), Column(_("Bobot"), "weight"),
    Column(_("Hitungan"), "computed_quota"), Column(_("Kuota"), "quota"),
]

# The selection results keep the headers and order this export had before it used core.exporting.
RESULT_COLUMNS = [
    Column("Wilayah kuota", "quota_region_id"), Column("Keputusan", "get_decision_display"),
    Column("Peringkat", "region_rank"), Column("Urutan cadangan", "waitlist_position"),
    Column("Kursi wilayah", "seat_region_id"), Column("Nilai akhir", "score"), Column("NIK", "nik", "NIK"),
    Column("Nama", "full_name"), Column("Jenis kelamin", "sex"), Column("Nomor HP", "phone", "PHONE"),
    Column("Email", "email", "EMAIL"), Column("Desa/Kelurahan", "domicile_id"),
]
