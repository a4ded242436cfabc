"""The columns of the import files and their template: Indonesian headers, English aliases."""

from sukarela.engines.applicant_rows import COLUMNS, HEADERS, REQUIRED
from sukarela.engines.tabular import Column

# Aliases an import accepts beside each Indonesian header (case and spacing do not matter).
ALIASES = {
    "nik": ("no nik", "nomor nik"),
    "full_name": ("nama", "name", "full name", "full_name"),
    "birth_date": ("tgl lahir", "birth date", "date of birth", "birth_date", "dob"),
    "sex": ("jk", "sex", "gender"),
    "phone": ("no hp", "telepon", "phone", "mobile", "phone number"),
    "email": ("e-mail", "surel"),
    "education_level": ("pendidikan", "education", "education level", "education_level"),
    "education_field": ("bidang studi", "education field", "major", "field of study"),
    "domicile": ("kode desa", "kode wilayah", "village code", "domicile"),
    "address": ("address",),
    "motivation": ("motivation",),
    "experience": ("experience",),
    "household_id": ("no kk", "kk", "family card", "family card number", "household id"),
    "consent": ("persetujuan", "consent"),
}
# The headers and which columns are required are the field rules' own (engines.applicant_rows).
APPLICANT_COLUMNS = tuple(Column(key, HEADERS[key], ALIASES[key], key in REQUIRED) for key in COLUMNS)

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
