"""Campaigns, their regions and weights, declaration rules, apportionment and hand adjustment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sukarela.core.models import AuditEvent
from sukarela.recruitment.models import Application, CampaignRegion
from sukarela.recruitment.services import campaigns, quotas
from tests.recruitment.conftest import applicant


def _fields(**over):
    base = dict(name="Uji", year=2026, target_seats=664, opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1))
    return base | over


def test_only_national_officers_make_campaigns(world):
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(world.provincial, **_fields())


@pytest.mark.parametrize("over, field", [
    ({"name": " "}, "name"),
    ({"target_seats": 0}, "target_seats"),
    ({"closes_on": date(2025, 12, 1)}, "closes_on"),
    ({"min_age": 30, "max_age": 25}, "max_age"),
    ({"test_weight": -1}, "test_weight"),
    ({"test_pass_mark": 101}, "test_pass_mark"),
    ({"household_cap": 0}, "household_cap"),
    ({"test_weight": "abc"}, "test_weight"),
])
def test_campaign_errors_name_the_field(world, over, field):
    with pytest.raises(ValidationError) as err:
        campaigns.create_campaign(world.national, **_fields(**over))
    assert field in err.value.message_dict


def test_create_is_audited_and_screening_defaults_to_closing(world):
    c = campaigns.create_campaign(world.national, regions=[("32", 2), ("52", 1)], **_fields())
    assert c.screening_closes_on == c.closes_on
    actions = list(AuditEvent.objects.filter(target_id=str(c.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["create", "set_regions"]


@pytest.mark.parametrize("given, words", [
    ([("99", 1)], "tidak dikenal"),
    ([("32", 1), ("32.01", 1)], "bertumpuk"),
    ([("VILLAGE", 1)], "bukan desa"),
    ([("32", -1)], "negatif"),
    ([("32", 10**12)], "terlalu besar"),
    ([("32", Decimal("1e400"))], "terlalu besar"),
    ([], "setidaknya"),
])
def test_region_errors(world, given, words):
    c = campaigns.create_campaign(world.national, **_fields())
    given = [(world.village_in.code if code == "VILLAGE" else code, w) for code, w in given]
    with pytest.raises(ValidationError) as err:
        campaigns.set_regions(world.national, c, given)
    assert words in " ".join(err.value.message_dict["regions"])


def test_parse_weights_names_the_line():
    assert campaigns.parse_weights("32 1250\n# komentar\n52;10,5\n53,7,25\n11") == [
        ("32", 1250), ("52", Decimal("10.5")), ("53", Decimal("7.25")), ("11", 1)]
    with pytest.raises(ValidationError) as err:
        campaigns.parse_weights("32 1\n52 banyak")
    assert "Baris 2" in err.value.message_dict["regions"][0]


def test_changing_regions_reattaches_applications(world, campaign, apply):
    app = apply(world.village_in.code)
    assert app.quota_region_id == "32.01"
    campaigns.set_regions(world.national, campaign, [("32", 1), ("52.03", 1)])
    app.refresh_from_db()
    assert app.quota_region_id == "32"
    campaigns.set_regions(world.national, campaign, [("52.03", 1)])
    app.refresh_from_db()
    assert app.quota_region_id is None


def test_apportion_then_adjust_by_hand_is_audited(world, campaign):
    seats = quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    assert seats == {"32.01": 6, "32.02": 2, "52.03": 2}
    assert sum(CampaignRegion.objects.filter(campaign=campaign).values_list("quota", flat=True)) == 10
    event = AuditEvent.objects.filter(action="apportion").get()
    assert event.changes["32.01"] == [0, 6]
    row = campaign.quota_regions.get(region_id="32.02")
    with pytest.raises(ValidationError) as err:
        quotas.adjust_quota(world.national, row, 3, "")
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        quotas.adjust_quota(world.national, row, 10**14, "uji")
    assert "paling banyak" in err.value.message_dict["quota"][0]
    quotas.adjust_quota(world.national, row, 3, "Banyak kelompok TKM baru")
    row.refresh_from_db()
    assert (row.quota, row.computed_quota) == (3, 2)
    event = AuditEvent.objects.filter(action="adjust_quota").get()
    assert event.changes["32.02"] == [2, 3] and event.changes["reason"][1] == "Banyak kelompok TKM baru"


def test_apportion_refuses_impossible_minimum(world, campaign):
    with pytest.raises(ValidationError) as err:
        quotas.apportion_quotas(world.national, campaign, "webster", 4)
    assert "minimum" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        quotas.apportion_quotas(world.district, campaign, "webster", 0)


def test_664_seats_over_38_provinces(world):
    from sukarela.regions.models import Region

    # The test slice holds two provinces; the other 36 are plain rows so the campaign covers all 38.
    for code in range(11, 97):
        Region.objects.get_or_create(code=str(code), defaults={"name": f"Provinsi {code}", "level": 1,
                                                               "kind": "provinsi"})
    codes = sorted(Region.objects.filter(level=1).values_list("code", flat=True))[:38]
    weights = [(code, 100 + 37 * i) for i, code in enumerate(codes)]
    c = campaigns.create_campaign(world.national, regions=weights, **_fields())
    for method in ("hamilton", "webster", "dhondt"):
        seats = quotas.apportion_quotas(world.national, c, method, 5)
        assert sum(seats.values()) == 664 and min(seats.values()) >= 5 and len(seats) == 38


def test_declaration_rules(world, campaign):
    rule = campaigns.add_rule(world.national, campaign, key="tidak_bekerja", statement="Saya tidak sedang bekerja")
    for key, words in (("tidak_bekerja", "sudah ada"), ("nik", "kolom baku"), ("X y", "huruf kecil"),
                       ("in", "kolom baku"), ("isnull", "kolom baku"), ("has_key", "kolom baku"),
                       ("a__b", "huruf kecil"), ("nama", "kolom baku"), ("alamat", "kolom baku")):
        with pytest.raises(ValidationError) as err:
            campaigns.add_rule(world.national, campaign, key=key, statement="s")
        assert words in err.value.message_dict["key"][0]
    with pytest.raises(ValidationError) as err:
        campaigns.add_rule(world.national, campaign, key="lain", statement=" nama  LENGKAP")
    assert "judul kolom" in err.value.message_dict["statement"][0]
    campaigns.delete_rule(world.national, rule)
    assert not campaign.declaration_rules.exists()
    assert AuditEvent.objects.filter(action="delete_rule").exists()


def test_regions_frozen_after_selection(world, campaign, apply):
    from sukarela.recruitment.services import selection

    selection.run(world.national, campaign)
    with pytest.raises(ValidationError):
        campaigns.set_regions(world.national, campaign, [("32.01", 1)])
    assert Application.objects.count() == 0
    assert applicant  # the helper stays importable for other modules


def test_weights_file_errors_name_the_files_row(world, campaign, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(world.national)
    data = b"Kode Wilayah;Bobot\r\n32.01;3\r\n32.02;abc\r\n52.03;\r\n"
    response = client.post(reverse("recruitment:campaign_regions", args=[campaign.pk]),
                           {"file": SimpleUploadedFile("bobot.csv", data)})
    body = response.content.decode()
    assert response.status_code == 200 and "Baris 3: bobot" in body and "Baris 4" in body
    assert set(campaign.quota_regions.values_list("weight", flat=True)) == {3, 1}  # unchanged
