"""The region list's download (core.exporting): public reference data, the level being browsed."""

from django.urls import reverse

from tests.export_helpers import column, get_table


def test_anyone_downloads_the_provinces(client, regions):
    rows = get_table(client, reverse("regions:list"), "csv")
    # the test slice holds Jawa Barat (32) and Nusa Tenggara Barat (52)
    assert [(r["Kode"], r["Tingkat"], r["Kode induk"]) for r in rows] == [("32", "Provinsi", ""), ("52", "Provinsi", "")]


def test_a_region_downloads_its_children_without_the_inactive(client, regions):
    regions.filter(code="32.01.01.1006").update(active=False)
    rows = get_table(client, reverse("regions:detail", args=["32.01.01"]), "xlsx")
    codes = column(rows, "Kode")
    assert codes[:2] == ["32.01.01.1001", "32.01.01.1002"] and "32.01.01.1006" not in codes
    assert {r["Kode induk"] for r in rows} == {"32.01.01"} and len(rows) == regions.filter(
        parent_id="32.01.01", active=True).count()


def test_an_unknown_region_is_404(client, regions):
    assert client.get(reverse("regions:detail", args=["99.99"]) + "?unduh=csv").status_code == 404
