"""core.exporting: every list's XLSX/CSV download, through the core lists (users, audit trail).

The rule under test: a list's download holds the list's own scoped, filtered rows (every page);
personal columns are masked unless an officer asks with pribadi=1, which the audit trail records
(list, filters, row count); every other role gets masked values whatever it asks; a list over
SUKARELA_EXPORT_MAX_ROWS is refused with a message and no file."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from sukarela.core import audit
from sukarela.core.exporting import Column, plain
from sukarela.core.models import AuditEvent
from sukarela.core.pii import show_personal
from sukarela.core.roles import Role
from tests.conftest import make_user
from tests.export_helpers import column, get_table, last_export_event, table

USERS = reverse("core:user_list")


@pytest.fixture
def people(world):
    """Two TKS with contacts in Kab. Bogor besides world's own (tks_in has +6281234567890)."""
    a = make_user("tks-ekspor-a", Role.TKS, world.village_in.code, full_name="Ani Ekspor",
                  phone="+6281311112222", email="ani@contoh.id")
    b = make_user("tks-ekspor-b", Role.TKS, world.village_in.code, full_name="Budi Ekspor", phone="")
    return a, b


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_user_export_holds_the_scoped_filtered_list_masked(client, world, people, fmt):
    client.force_login(world.district)
    rows = get_table(client, USERS, fmt, q="Ekspor")
    assert column(rows, "Nama pengguna") == ["tks-ekspor-a", "tks-ekspor-b"]  # the filter applies
    assert rows[0]["Nomor HP"] == "0813****2222" and rows[0]["Email"] == "a***@contoh.id"
    assert rows[1]["Nomor HP"] in ("", None)  # an empty value stays empty, masked or not
    assert rows[0]["Peran"] == "TKS (relawan)" and rows[0]["Kode wilayah"] == world.village_in.code
    assert AuditEvent.objects.filter(action="export_personal").count() == 0


def test_every_page_is_in_the_download(client, world, settings):
    settings.SUKARELA_PAGE_SIZE = 2
    client.force_login(world.national)
    rows = get_table(client, USERS)
    # national, provincial x2, district x2, tks x2: seven users, over four pages of two
    assert len(rows) == 7 and "kab-sukabumi" in column(rows, "Nama pengguna")


def test_out_of_scope_rows_never_appear(client, world, people):
    client.force_login(world.district_other)
    names = column(get_table(client, USERS), "Nama pengguna")
    assert names == ["kab-sukabumi", "tks-sukabumi"]  # Sukabumi's officer and TKS, nothing of Bogor
    # a region filter cannot widen the scope either
    assert get_table(client, USERS, region="32.01") == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_officer_asking_gets_full_values_and_an_audit_record(client, world, people, fmt):
    client.force_login(world.district)
    rows = get_table(client, USERS, fmt, q="Ani", pribadi="1")
    # A leading "+" is guarded like a formula (engines.tabular.safe_cell), as in every export.
    assert rows[0]["Nomor HP"] == "'+6281311112222" and rows[0]["Email"] == "ani@contoh.id"
    event = last_export_event()
    assert event.actor == world.district and event.target_id == USERS and event.target_type == "export"
    assert event.changes == {"list": [None, "Pengguna"], "filters": [None, {"q": "Ani"}], "rows": [None, 1],
                             "format": [None, fmt]}


def test_only_an_officer_who_asks_gets_full_values(world):
    # Field roles cannot open the user list at all; the rule itself refuses them the full values.
    request = RequestFactory().get("/x/?pribadi=1")
    for role_user, expected in ((world.tks_in, False), (world.district, True), (world.national, True)):
        request.user = role_user
        assert show_personal(request) is expected
    request = RequestFactory().get("/x/")
    request.user = world.national
    assert show_personal(request) is False  # masked by default, even for an officer
    world.district.is_active = False
    request = RequestFactory().get("/x/?pribadi=1")
    request.user = world.district
    assert show_personal(request) is False


def test_the_row_cap_refuses_with_a_message_and_no_file(client, world, people, settings):
    settings.SUKARELA_EXPORT_MAX_ROWS = 2
    client.force_login(world.district)
    response = client.get(USERS + "?q=Ekspor&unduh=xlsx&pribadi=1")  # two rows: at the cap, allowed
    assert response.status_code == 200
    before = AuditEvent.objects.count()
    response = client.get(USERS + "?unduh=csv&pribadi=1")  # four users in 32.01: over the cap
    assert response.status_code == 302 and response["Location"] == USERS
    assert "Content-Disposition" not in response
    assert AuditEvent.objects.count() == before  # nothing was handed out
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert text == ["Daftar ini berisi 4 baris, lebih dari batas unduhan 2 baris. Persempit saringan lalu unduh lagi."]


def test_the_refusal_returns_to_the_filtered_page(client, world, settings):
    settings.SUKARELA_EXPORT_MAX_ROWS = 0
    client.force_login(world.national)
    response = client.get(USERS + "?role=tks&unduh=xlsx")
    assert response.status_code == 302 and response["Location"] == USERS + "?role=tks"


def test_an_unknown_format_is_a_clear_error(client, world):
    client.force_login(world.district)
    response = client.get(USERS + "?unduh=pdf")
    assert response.status_code == 400 and "unduh" in response.content.decode()
    assert client.get(USERS + "?unduh=").status_code == 200  # empty: just the page


def test_a_nik_in_the_filters_is_masked_in_the_audit_record(client, world):
    client.force_login(world.district)
    get_table(client, USERS, q="3201011705980997", pribadi="1")
    assert last_export_event().changes["filters"] == [None, {"q": "3201********0997"}]


def test_the_audit_trail_exports_for_national_officers_only(client, world, people):
    a, _b = people
    audit.record(world.district, "update", a, {"phone": ["0813****1111", "0813****2222"]})
    audit.record(world.district, "update", world.district, {"full_name": ["A", "B"]})
    audit.record(world.district, "screen", None, {"eligible": [None, 3]}, target_type="recruitment.campaign",
                 target_id="1", target_label="Kampanye")
    client.force_login(world.national)
    rows = get_table(client, reverse("core:audit_list"), "xlsx", target_type="core.user")
    assert [(r["Jenis objek"], r["ID objek"], r["Pelaku"]) for r in rows] == [
        ("core.user", str(world.district.pk), "kab-bogor"), ("core.user", str(a.pk), "kab-bogor")]  # newest first
    assert rows[1]["Perubahan"] == '{"phone": ["0813****1111", "0813****2222"]}'
    client.force_login(world.district)
    assert client.get(reverse("core:audit_list") + "?unduh=csv").status_code == 403


def test_the_page_links_keep_the_filters(client, world):
    client.force_login(world.district)
    body = client.get(USERS + "?q=Ani&page=1").content.decode()
    assert 'href="?q=Ani&amp;unduh=xlsx"' in body and 'href="?q=Ani&amp;unduh=csv"' in body
    assert 'href="?q=Ani&amp;unduh=csv&amp;pribadi=1"' in body  # an officer is offered the full values
    client.force_login(world.national)
    body = client.get(reverse("core:audit_list")).content.decode()
    assert 'href="?unduh=xlsx"' in body and "pribadi=1" not in body  # no personal column there


def test_cells_are_plain_values():
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    moment = dt.datetime(2026, 3, 1, 2, 30, 15, 999, tzinfo=dt.timezone.utc)
    assert plain(moment) == dt.datetime(2026, 3, 1, 9, 30, 15)  # local wall time (WIB), no zone
    assert plain(moment.astimezone(jakarta)) == dt.datetime(2026, 3, 1, 9, 30, 15)
    assert plain(True) == "ya" and plain(False) == "tidak" and plain(7) == 7
    row = type("Row", (), {"region": None, "name": "X", "label": lambda self: "L"})()
    assert Column("R", "region.name").read(row) is None  # a missing relation is an empty cell
    with pytest.raises(AttributeError):
        Column("T", "regoin.name").read(row)  # a misspelt path is a bug, not an empty column
    assert Column("L", "label").read(row) == "L"          # a method named by path is called
    assert Column("N", "name", "NAME").cell(row, personal=False) == "X***"
    assert Column("N", "name", "NAME").cell(row, personal=True) == "X"


def test_formula_like_values_are_neutralised(client, world):
    make_user("tks-rumus", Role.TKS, world.village_in.code, full_name="=HYPERLINK(\"http://x\")")
    client.force_login(world.district)
    for fmt in ("csv", "xlsx"):
        rows = get_table(client, USERS, fmt, q="rumus")
        assert rows[0]["Nama"] == "'=HYPERLINK(\"http://x\")"


def test_table_reads_the_content_type():
    class Fake(dict):
        status_code, content = 200, "A,B\r\n1,2\r\n".encode("utf-8-sig")
    fake = Fake({"Content-Disposition": "attachment", "Content-Type": "text/csv; charset=utf-8"})
    assert table(fake) == [{"A": "1", "B": "2"}]


PAGES = ["core:user_list", "recruitment:campaign_list", "training:cohort_list", "training:venue_list",
         "training:curriculum_list", "groups:group_list", "groups:sector_list", "assignments:run_list",
         "assignments:posting_list", "mentoring:review_list", "partners:centre_list", "alumni:alumni_list",
         "alumni:response_rates", "regions:list"]
WITH_PERSONAL = {"core:user_list", "groups:group_list", "alumni:alumni_list"}


@pytest.mark.parametrize("name", PAGES)
def test_every_list_page_offers_its_downloads(client, world, name):
    client.force_login(world.district)
    body = client.get(reverse(name)).content.decode()
    if name == "regions:list":  # the links show with the table, once regions are loaded
        assert 'id="region-list"' in body
    assert 'href="?unduh=xlsx"' in body and 'href="?unduh=csv"' in body
    assert ('href="?unduh=xlsx&amp;pribadi=1"' in body) is (name in WITH_PERSONAL)
    response = client.get(reverse(name) + "?unduh=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel reads it right


def test_a_field_role_is_not_offered_personal_data(client, world):
    client.force_login(world.tks_in)
    body = client.get(reverse("alumni:alumni_list")).content.decode()
    assert 'href="?unduh=csv"' in body and "pribadi=1" not in body
