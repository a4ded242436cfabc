"""Duplicate detection: the name key, exact and abbreviated matches, fuzzy ones, a different type,
the override and its audit, and the prefilter that keeps it fast with 10,000 partners."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Partner, Reach
from sukarela.partners.names import name_key
from sukarela.partners.services import duplicates
from sukarela.partners.services.partners import create_partner
from tests.partners.conftest import partner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, key", [
    ("PT. Bank Rakyat Indonesia (Persero) Tbk", "bank rakyat indonesia"),
    ("Bank Rakyat Indonesia (BRI)", "bank rakyat indonesia"),
    ("  bank   rakyat, indonesia. ", "bank rakyat indonesia"),
    ("Dinas Tenaga Kerja Kab. Bogor", "dinas tenaga kerja kabupaten bogor"),
    ("Disnaker Kab Bogor", "dinas tenaga kerja kabupaten bogor"),
    ("CV. Sinar-Abadi", "sinar abadi"),
    ("Koperasi Maju Jaya", "maju jaya"),
    ("BPR Bogor Sejahtera", "bank perkreditan rakyat bogor sejahtera"),
    ("PT", "pt"),
])
def test_name_key(name, key):
    assert name_key(name) == key


def _bank(world, **kw):
    data = {"name": "Bank Sejahtera Bogor", "kind": "bank", "reach": Reach.DISTRICT, "region": "32.01"}
    data.update(kw)
    return create_partner(world.district, **data)


def test_exact_key_is_refused_naming_the_partner(partners_world):
    with pytest.raises(ValidationError) as caught:
        _bank(partners_world, name="Bank Rakyat Indonesia", kind="bank")
    message = caught.value.message_dict["name"][0]
    assert message.startswith("Kemungkinan duplikat: PT Bank Rakyat Indonesia (Persero) Tbk, Nasional")


def test_abbreviation_is_a_duplicate(partners_world):
    partner(partners_world.world, name="Dinas Tenaga Kerja Kabupaten Bogor", kind="pemda", region="32.01")
    with pytest.raises(ValidationError) as caught:
        _bank(partners_world, name="Disnaker Kab. Bogor", kind="pemda")
    assert "Dinas Tenaga Kerja Kabupaten Bogor, Kabupaten Bogor" in caught.value.message_dict["name"][0]


def test_fuzzy_match_is_a_duplicate(partners_world):
    with pytest.raises(ValidationError) as caught:
        _bank(partners_world, name="Bank Perkreditan Rakyat Bogor Sejahtra")  # a typo
    assert "Bank Perkreditan Rakyat Bogor Sejahtera" in caught.value.message_dict["name"][0]


def test_word_order_is_a_duplicate(partners_world):
    # token-sort ratio: the same words in another order (after the first word) still match.
    with pytest.raises(ValidationError):
        _bank(partners_world, name="Bank Perkreditan Rakyat Sejahtera Bogor")


def test_different_type_is_not_a_duplicate(partners_world):
    made = _bank(partners_world, name="Bank Perkreditan Rakyat Bogor Sejahtera", kind="pemberdayaan")
    assert made.pk and made.name_key == partners_world.bogor.name_key


def test_dissimilar_name_of_same_type_is_not_a_duplicate(partners_world):
    assert _bank(partners_world, name="Bank Perkreditan Rakyat Cibinong Makmur").pk


def test_override_is_audited(partners_world):
    made = _bank(partners_world, name="BPR Bogor Sejahtera", allow_duplicate=True)
    event = AuditEvent.objects.get(action="create_partner", target_id=str(made.pk))
    assert event.actor == partners_world.district
    assert "Bank Perkreditan Rakyat Bogor Sejahtera (#%d)" % partners_world.bogor.pk in \
        event.changes["duplicate_override"][1]


def test_no_override_recorded_without_a_duplicate(partners_world):
    made = _bank(partners_world, name="Koperasi Tani Leuwiliang", kind="pemberdayaan", allow_duplicate=True)
    event = AuditEvent.objects.get(action="create_partner", target_id=str(made.pk))
    assert "duplicate_override" not in event.changes


def test_duplicate_check_sees_partners_outside_the_scope(partners_world):
    """Sukabumi's polytechnic is not visible to Bogor's officer, but registering it again is refused."""
    with pytest.raises(ValidationError) as caught:
        _bank(partners_world, name="Politeknik Sukabumi", kind="pendidikan")
    assert "Politeknik Sukabumi, Kabupaten Sukabumi" in caught.value.message_dict["name"][0]


def test_update_renaming_into_a_duplicate_is_refused(partners_world):
    from sukarela.partners.services.partners import update_partner

    other = _bank(partners_world, name="Bank Cibinong")
    with pytest.raises(ValidationError):
        update_partner(partners_world.district, other, name="BPR Bogor Sejahtera")
    # an unrelated change of the partner itself never meets itself as a duplicate
    assert update_partner(partners_world.district, partners_world.bogor, address="Jl. Baru 1").address == "Jl. Baru 1"


def test_prefilter_stays_small_with_ten_thousand_partners(world):
    kinds = ["bank", "pemda", "bumn", "pendidikan", "pemberdayaan", "kementerian"]
    Partner.objects.bulk_create([
        Partner(name=f"Lembaga {i} Nusantara", name_key=f"lembaga{i % 997} {i} nusantara",
                kind_id=kinds[i % 6], reach=Reach.DISTRICT, region_id="32.01") for i in range(10_000)])
    partner(world, name="Bank Rakyat Indonesia", kind="bank", reach=Reach.NATIONAL, region=None)
    with CaptureQueriesContext(connection) as queries:
        found = duplicates.find("bank", name_key("PT Bank Rakyat Indonesia Tbk"))
    assert [k.name for k in found] == ["Bank Rakyat Indonesia"]
    assert len(queries) == 1
    assert len(duplicates.candidates("bank", "lembaga5 5 nusantara")) <= 20


# ----------------------------------------------------------------------- after review (issue 7, item 4)

@pytest.mark.parametrize("name, key", [
    ("Dinas Koperasi Kabupaten Bogor", "dinas koperasi kabupaten bogor"),  # a legal form inside stays
    ("Dinas Koperasi dan UKM Provinsi Jawa Barat", "dinas koperasi dan ukm provinsi jawa barat"),
    ("P.T. Telkom Indonesia", "telkom indonesia"),  # dotted letters are one word before the dots go
    ("P.T.Telkom Indonesia", "telkom indonesia"),
    ("C.V Maju", "maju"),
    ("Yayasan Dompet Dhuafa", "dompet dhuafa"),  # a leading Yayasan/Lembaga is a legal form
    ("Lembaga Pemberdayaan Lombok", "pemberdayaan lombok"),
    ("Koperasi Tani Makmur", "tani makmur"),
    ("Kementerian Koperasi", "kementerian koperasi"),  # at the end a cooperative word is the subject
    ("Dinas KUD", "dinas kud"),
    ("Mitra Tani Yayasan", "mitra tani yayasan"),  # at the end it is a word of the name
    ("S.M.K. Negeri 1 Bogor", "smk negeri 1 bogor"),
    ("Yayasan", "yayasan"),
])
def test_name_key_strips_legal_forms_only_at_the_ends(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize("new, kind, region, stored, stored_region", [
    # a different office whose name differs by a word inside that was once stripped as a legal form
    ("Dinas PU Kabupaten Bogor", "pemda", "32.01", "Dinas Koperasi Kabupaten Bogor", "32.01"),
    # compass words only: another regency or province
    ("Dinas Tenaga Kerja Kabupaten Bandung Barat", "pemda", None, "Dinas Tenaga Kerja Kabupaten Bandung", None),
    ("Dinas Sosial Kabupaten Bogor Barat", "pemda", None, "Dinas Sosial Kabupaten Bogor", None),
    ("Dinas Tenaga Kerja Provinsi Jawa Timur", "pemda", None, "Dinas Tenaga Kerja Provinsi Jawa Barat", None),
    # numbered institutions: another school or centre
    ("SMK Negeri 2 Bogor", "pendidikan", None, "SMK Negeri 1 Bogor", None),
    ("BLK Komunitas Al Ikhlas II", "pendidikan", None, "BLK Komunitas Al Ikhlas I", None),
    ("Dinas KUD", "pemda", None, "Dinas Koperasi", None),
    # home regions at the same level that differ: Bogor's branch is not Sukabumi's
    ("Bank Perkreditan Rakyat Cabang Bogor", "bank", "32.01", "Bank Perkreditan Rakyat Cabang Bogr", "32.02"),
])
def test_not_a_duplicate(partners_world, new, kind, region, stored, stored_region):
    reach = Reach.NATIONAL if region is None else Reach.DISTRICT
    partner(partners_world.world, name=stored, kind=kind, reach=reach, region=stored_region)
    made = create_partner(partners_world.national, name=new, kind=kind, reach=reach, region=region)
    assert made.pk


@pytest.mark.parametrize("new, stored", [
    ("P.T. Telkom Indonesia", "Telkom Indonesia"),
    ("Bnak Rakyat Indonesia", "PT Bank Rakyat Indonesia (Persero) Tbk"),  # a typo in the first word
    ("Yayasan Dompet Dhuafa", "Dompet Dhuafa"),
    ("Kementrian Ketenagakerjaan RI", "Kementerian Ketenagakerjaan RI"),
])
def test_a_duplicate(partners_world, new, stored):
    if stored != partners_world.bri.name:
        partner(partners_world.world, name=stored, kind="bank", reach=Reach.NATIONAL, region=None)
    with pytest.raises(ValidationError) as caught:
        create_partner(partners_world.national, name=new, kind="bank", reach=Reach.NATIONAL)
    assert stored in caught.value.message_dict["name"][0]


def test_the_same_region_or_an_exact_key_still_counts(partners_world):
    """The region rule spares only similar names in different regions: an equal key is a duplicate
    wherever it is, and a typo within one regency too."""
    with pytest.raises(ValidationError):
        _bank(partners_world, name="Bank Perkreditan Rakyat Bogor Sejahtra", region="32.01")
    with pytest.raises(ValidationError):
        create_partner(partners_world.national, name="BPR Bogor Sejahtera", kind="bank", reach=Reach.DISTRICT,
                       region="32.02")


def test_the_import_finds_what_the_form_finds(partners_world):
    """One file: a first-word typo of the register, a Yayasan of an earlier row, a compass sibling."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sukarela.core.web import spreadsheet
    from sukarela.partners.services.imports import COLUMNS, import_partners

    rows = [{"name": "Bnak Rakyat Indonesia", "kind": "bank", "reach": "nasional"},
            {"name": "Dompet Dhuafa", "kind": "pemberdayaan", "reach": "nasional"},
            {"name": "Yayasan Dompet Dhuafa", "kind": "pemberdayaan", "reach": "nasional"},
            {"name": "Dinas Koperasi Kabupaten Bogor", "kind": "pemda", "region": "32.01"},
            {"name": "Dinas PU Kabupaten Bogor", "kind": "pemda", "region": "32.01"}]
    upload = SimpleUploadedFile("mitra.xlsx", spreadsheet(
        "xlsx", [c.header for c in COLUMNS], [[r.get(c.key, "") for c in COLUMNS] for r in rows], "Mitra"))
    result = import_partners(partners_world.national, upload, "valid")
    assert {e.row for e in result.errors} == {2, 4}
    assert result.stored == 3


def test_the_second_prefilter_stays_small_and_in_one_query(world):
    Partner.objects.bulk_create([
        Partner(name=f"Dinas {i} Kabupaten Bogor", name_key=f"dinas{i % 997} {i} kabupaten bogor", kind_id="pemda",
                reach=Reach.DISTRICT, region_id="32.01") for i in range(3000)])
    with CaptureQueriesContext(connection) as queries:
        found = duplicates.find("pemda", "dinsa5 5 kabupaten bogor")  # a first-word typo
    assert [k.key for k in found] == ["dinas5 5 kabupaten bogor"] and len(queries) == 1
    assert len(duplicates.candidates("pemda", "dinsa5 5 kabupaten bogor")) <= 5
