"""The columns of the import files and their template: Indonesian headers, English aliases."""

from sukarela.engines.tabular import Column

APPLICANT_COLUMNS = (
    Column("nik", "NIK", ("no nik", "nomor nik"), True, 40),
    Column("full_name", "Nama Lengkap", ("nama", "name", "full name", "full_name"), True),
    Column("birth_date", "Tanggal Lahir", ("tgl lahir", "birth date", "date of birth", "birth_date", "dob"), True),
    Column("sex", "Jenis Kelamin", ("jk", "sex", "gender"), True),
    Column("phone", "Nomor HP", ("no hp", "telepon", "phone", "mobile", "phone number"), True),
    Column("email", "Email", ("e-mail", "surel")),
    Column("education_level", "Pendidikan Terakhir", ("pendidikan", "education", "education level",
                                                      "education_level"), True),
    Column("education_field", "Jurusan", ("bidang studi", "education field", "major", "field of study")),
    Column("domicile", "Kode Desa/Kelurahan", ("kode desa", "kode wilayah", "village code", "domicile"), True),
    Column("address", "Alamat", ("address",), True),
    Column("motivation", "Motivasi", ("motivation",)),
    Column("experience", "Pengalaman", ("experience",)),
    Column("household_id", "Nomor KK", ("no kk", "kk", "family card", "family card number", "household id")),
    Column("consent", "Persetujuan Data", ("persetujuan", "consent"), True),
)

SCORE_COLUMNS = (
    Column("nik", "NIK", ("no nik", "nomor nik"), True, 40),
    Column("test_score", "Nilai Tes", ("test score", "test")),
    Column("interview_score", "Nilai Wawancara", ("interview score", "interview")),
)

HEADER_OF = {c.key: c.header for c in APPLICANT_COLUMNS + SCORE_COLUMNS}

EXAMPLE = {
    "nik": "3201014101990001", "full_name": "Contoh Pelamar Fiktif", "birth_date": "01-01-1999", "sex": "P",
    "phone": "0812 3456 7890", "email": "pelamar@contoh.id", "education_level": "S1",
    "education_field": "Manajemen", "domicile": "32.01.01.1001", "address": "Jl. Contoh No. 1, RT 01/RW 02",
    "motivation": "Ingin mendampingi usaha warga", "experience": "Pengurus karang taruna", "household_id": "",
    "consent": "Ya",
}


def applicant_columns(campaign) -> tuple[Column, ...]:
    """The fixed columns plus one yes/no column per declaration rule, headed by its statement."""
    rules = tuple(Column(r.key, r.statement, (r.key,)) for r in campaign.declaration_rules.all())
    return APPLICANT_COLUMNS + rules


def declaration_keys(campaign) -> tuple[tuple[str, str], ...]:
    return tuple((r.key, r.statement) for r in campaign.declaration_rules.all())
