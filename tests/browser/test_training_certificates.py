"""Certificates in the browser: a graduate downloads theirs from "Pelatihan saya" on a phone, and
anyone checks a code on the public page (valid, revoked, unknown)."""

import pytest
from playwright.sync_api import expect

from sukarela.training.services import certificates
from tests.browser.test_shell import assert_fits_phone, login
from tests.training import conftest as training
from tests.training.test_certificates import enrol, graduate, pdf_text

pytestmark = pytest.mark.browser

# The training fixtures (a campaign, a curriculum, a cohort in Kab. Bogor, TKS accounts).
campaign, curriculum, cohort, make_tks = training.campaign, training.curriculum, training.cohort, training.make_tks


def test_graduate_downloads_their_certificate(phone, world, cohort, tmp_path):
    certificate = graduate(world, cohort, [enrol(world, cohort, world.tks_in)])[0]
    login(phone, world.tks_in.username)
    nav = phone.get_by_role("navigation", name="Navigasi utama")
    nav.get_by_text("Menu").click()
    nav.get_by_role("link", name="Pelatihan").click()
    phone.get_by_role("link", name="Pelatihan saya").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pelatihan saya")
    expect(phone.get_by_text(cohort.name)).to_be_visible()
    expect(phone.get_by_text(certificate.code)).to_be_visible()
    assert_fits_phone(phone)
    with phone.expect_download() as info:
        phone.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"sertifikat-{certificate.code}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert world.tks_in.full_name in text and certificate.code in text


def test_public_check_of_valid_revoked_and_unknown_codes(phone, world, cohort, make_tks):
    valid, revoked = graduate(world, cohort, [enrol(world, cohort, make_tks(full_name="Sah Sentosa")),
                                              enrol(world, cohort, make_tks(full_name="Cabut Saja"))])
    certificates.revoke(world.district, revoked, "Data kelulusan tidak benar")

    phone.goto("/sertifikat/")
    assert_fits_phone(phone)
    # Typed as people type it off paper: lower case, spaces instead of the hyphen.
    phone.get_by_label("Kode sertifikat").fill(valid.code.lower().replace("-", " "))
    phone.get_by_role("button", name="Periksa").click()
    verdict = phone.locator("#verdict")
    expect(verdict).to_contain_text("Sertifikat SAH")
    expect(phone.locator("#holder")).to_have_text("Sah Sentosa")
    assert_fits_phone(phone)

    phone.get_by_label("Kode sertifikat").fill(revoked.code)
    phone.get_by_role("button", name="Periksa").click()
    expect(verdict).to_contain_text("Sertifikat ini telah DICABUT pada")
    expect(verdict).not_to_contain_text("SAH")
    # Only that, and when: the officer's reason and what it certified are not shown to the public.
    expect(phone.locator("main")).not_to_contain_text("Data kelulusan tidak benar")
    expect(phone.locator("main")).not_to_contain_text("Cabut Saja")
    expect(phone.locator("main")).to_contain_text(revoked.code)

    response = phone.goto("/sertifikat/TKS-AAAAAAAAAA/")
    assert response.status == 404
    expect(verdict).to_contain_text("Kode sertifikat tidak ditemukan")


def test_officer_reissues_a_revoked_certificate(phone, world, cohort, make_tks):
    [revoked] = graduate(world, cohort, [enrol(world, cohort, make_tks(full_name="Koreksi Nilai"))])
    certificates.revoke(world.district, revoked, "Nilai modul salah ketik")
    login(phone, world.district.username)
    phone.goto(f"/pelatihan/angkatan/{cohort.pk}/sertifikat/")
    row = phone.locator(f"#certificate-{revoked.pk}")
    expect(row).to_contain_text("Nilai modul salah ketik")  # the officer sees the reason
    assert_fits_phone(phone)
    row.get_by_role("button", name="Terbitkan ulang").click()
    fresh = revoked.participant.certificate
    assert fresh.pk != revoked.pk and fresh.is_valid
    expect(phone.locator(".msg-success")).to_contain_text(f"Sertifikat baru {fresh.code}")
    expect(phone.locator(f"#certificate-{fresh.pk}")).to_contain_text("Berlaku")
    expect(phone.get_by_role("button", name="Terbitkan ulang")).to_have_count(0)
    assert_fits_phone(phone)
