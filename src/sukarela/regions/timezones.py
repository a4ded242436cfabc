"""Indonesia's three time zones, by province.

Source: Keputusan Presiden No. 41 Tahun 1987 tentang Pembagian Wilayah Republik Indonesia
menjadi 3 (Tiga) Wilayah Waktu (in force from 1 January 1988):
- WIB, UTC+7 (Asia/Jakarta): Sumatra and its islands, Java and Madura, West and Central Kalimantan;
- WITA, UTC+8 (Asia/Makassar): Bali, West and East Nusa Tenggara, South and East Kalimantan, Sulawesi;
- WIT, UTC+9 (Asia/Jayapura): Maluku and Papua.

Provinces formed since then keep the zone of the province they were split from: Maluku
Utara (1999), Banten, Bangka Belitung and Gorontalo (2000), Kepulauan Riau (2002), Papua
Barat (2003), Sulawesi Barat (2004), Kalimantan Utara (2012, from Kalimantan Timur), and
Papua Selatan, Papua Tengah, Papua Pegunungan and Papua Barat Daya (2022). The Kemendagri
code of a region starts with its province's two digits, so the prefix decides the zone.
"""

from zoneinfo import ZoneInfo

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
LABELS = {WIB.key: "WIB", WITA.key: "WITA", WIT.key: "WIT"}

_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_of(code: str | None) -> ZoneInfo:
    """The zone of a region (any level) by its province prefix; WIB when the code is empty or unknown
    (11–19, 21, 31–36, 61 and 62 are WIB, and most of the population lives there)."""
    province = (code or "").split(".", 1)[0][:2]
    if province in _WITA:
        return WITA
    if province in _WIT:
        return WIT
    return WIB


def label_of(code: str | None) -> str:
    """"WIB", "WITA" or "WIT": how Indonesians write the zone after a time."""
    return LABELS[zone_of(code).key]
