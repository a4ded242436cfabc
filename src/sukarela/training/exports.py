"""The columns of the training lists' downloads (core.exporting): cohorts, a cohort's participants
and certificates, venues and curricula."""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column

COHORT_COLUMNS = [
    Column(_("ID"), "pk"), Column(_("Angkatan"), "name"), Column(_("Kampanye"), "campaign.name"),
    Column(_("Kode wilayah"), "region_id"), Column(_("Wilayah"), "region.name"), Column(_("Tempat"), "venue.name"),
    Column(_("Mulai"), "starts_on"), Column(_("Selesai"), "ends_on"), Column(_("Peserta"), "n_participants"),
]


def _rate(result):
    return None if result.rate is None else round(result.rate, 1)


# Rows are training.results.ParticipantResult, as the page shows them.
PARTICIPANT_COLUMNS = [
    Column(_("Nama"), "participant.volunteer.full_name"), Column(_("Nama pengguna"), "participant.volunteer.username"),
    Column(_("Nomor HP"), "participant.volunteer.phone", "PHONE"),
    Column(_("Email"), "participant.volunteer.email", "EMAIL"),
    Column(_("Status"), "participant.get_status_display"), Column(_("Bergabung sejak"), "participant.joined_on"),
    Column(_("Kehadiran (%)"), _rate), Column(_("Modul lulus"), "passed_count"),
    Column(_("Jumlah modul"), lambda r: len(r.modules)), Column(_("Memenuhi syarat lulus"), "eligible"),
]

CERTIFICATE_COLUMNS = [
    Column(_("Kode"), "code"), Column(_("Nama pemegang"), "holder_name"),
    Column(_("Nama pengguna"), "participant.volunteer.username"), Column(_("Angkatan"), "cohort_name"),
    Column(_("Mulai"), "starts_on"), Column(_("Selesai"), "ends_on"), Column(_("Jam pelatihan"), "hours"),
    Column(_("Diterbitkan"), "issued_at"), Column(_("Dicabut"), "revoked_at"),
    Column(_("Alasan pencabutan"), "revoke_reason"),
]

VENUE_COLUMNS = [
    Column(_("Tempat"), "name"), Column(_("Jenis"), "get_kind_display"), Column(_("Kode wilayah"), "region_id"),
    Column(_("Wilayah"), "region.name"), Column(_("Alamat"), "address"), Column(_("Kapasitas"), "capacity"),
]

CURRICULUM_COLUMNS = [
    Column(_("Kurikulum"), "name"), Column(_("Keterangan"), "description"), Column(_("Modul"), "n_modules"),
    Column(_("Jam rencana"), lambda c: c.hours or 0),
]
