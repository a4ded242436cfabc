"""Bahasa Indonesia by default, English on request, and a complete English catalogue."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

import sukarela
from sukarela.core.management.commands.compiletranslations import compile_catalogues

PO = Path(sukarela.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def compiled():
    compile_catalogues()


def test_default_language_is_indonesian(client, db):
    body = client.get("/").content.decode()
    assert '<html lang="id">' in body
    assert "Masuk" in body


def test_browser_language_does_not_override_indonesian(client, db):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in body


def test_language_switch_to_english_and_back(client, world):
    client.force_login(world.district)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/pengguna/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Users" in body and "Filter" in body
    body = client.post(reverse("set_language"), {"language": "id", "next": "/"}, follow=True).content.decode()
    assert "Beranda" in body


def test_english_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.untranslated_entries(), [e.msgid for e in catalogue.untranslated_entries()][:10]
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()][:10]
    assert catalogue.metadata.get("Language") == "en"


def test_catalogue_holds_every_marked_string(monkeypatch):
    """makemessages (GNU xgettext) finds no string that the catalogue lacks."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is missing in CI")
        pytest.skip("xgettext not installed (apt-get install gettext); CI runs this check")
    original = PO.read_bytes()
    monkeypatch.chdir(PO.parents[3])
    try:
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
        extracted = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    finally:
        PO.write_bytes(original)
    known = {e.msgid for e in polib.pofile(str(PO))}
    assert extracted <= known, f"strings missing from {PO.name}: {sorted(extracted - known)[:20]}"
