"""Downloads of the alumni lists (core.exporting): alumni (the TKS's phone and e-mail are personal)
and the survey response rates."""

import datetime as dt

from django.urls import reverse

from sukarela.alumni.models import Outcome
from sukarela.core.models import AuditEvent
from tests.alumni.conftest import alumnus, cohort_of, sent_survey
from tests.export_helpers import column, get_table, last_export_event

LIST = reverse("alumni:alumni_list")
RATES = reverse("alumni:response_rates")


def _alumni(world):
    """Two alumni of Bogor's cohort (one working since 1 Mar 2026), one of Sukabumi's."""
    working = alumnus(world, name="Alumnus Bekerja")
    Outcome.objects.create(alumni=working, as_of=dt.date(2026, 3, 1), status="bekerja", source="petugas")
    quiet = alumnus(world, name="Alumnus Diam")
    outside = alumnus(world, "out", name="Alumnus Sukabumi")
    return working, quiet, outside


def test_alumni_export_is_scoped_filtered_and_masked(client, world):
    working, quiet, _outside = _alumni(world)
    client.force_login(world.district)
    rows = get_table(client, LIST, "csv")
    assert sorted(column(rows, "Nama")) == ["Alumnus Bekerja", "Alumnus Diam"]
    row = {r["Nama"]: r for r in rows}["Alumnus Bekerja"]
    # phone +62812000nnnnn -> 0812000nnnnn: the first four and last four digits stay
    phone = working.tks.phone.replace("+62", "0")
    assert row["Nomor HP"] == phone[:4] + "****" + phone[-4:] and row["Email"] == "a***@contoh.id"
    assert (row["Status terakhir"], row["Per tanggal"]) == ("Bekerja", "2026-03-01")
    rows = get_table(client, LIST, "csv", status="none")
    assert column(rows, "Nama") == ["Alumnus Diam"]
    assert AuditEvent.objects.filter(action="export_personal").count() == 0


def test_alumni_in_full_for_an_officer_who_asks(client, world):
    working, *_ = _alumni(world)
    client.force_login(world.provincial)
    rows = get_table(client, LIST, "xlsx", status="bekerja", pribadi="1")
    assert [(r["Nama"], r["Nomor HP"], r["Email"]) for r in rows] == [
        ("Alumnus Bekerja", "'" + working.tks.phone, working.tks.email)]
    assert last_export_event().changes["filters"] == [None, {"status": "bekerja"}]


def test_an_alumnus_gets_their_own_row_masked_even_when_asking(client, world):
    working, *_ = _alumni(world)
    client.force_login(working.tks)
    before = AuditEvent.objects.count()
    rows = get_table(client, LIST, "csv", pribadi="1")
    assert column(rows, "Nama") == ["Alumnus Bekerja"] and "***" in rows[0]["Nomor HP"]
    assert AuditEvent.objects.count() == before


def test_another_district_never_sees_bogor_alumni(client, world):
    _alumni(world)
    client.force_login(world.district_other)
    assert column(get_table(client, LIST, "csv", pribadi="1"), "Nama") == ["Alumnus Sukabumi"]


def test_response_rate_export(client, world):
    inside = [alumnus(world) for _ in range(3)]
    for i, record in enumerate(inside):
        sent_survey(record, answered=i < 2)
    sent_survey(alumnus(world, "out"))
    client.force_login(world.district)
    rows = get_table(client, RATES, "xlsx")
    # three sent in Bogor's cohort, two answered: 66.7 %; Sukabumi's survey is not in scope
    assert [(r["Angkatan"], r["Dikirim"], r["Dijawab"], r["Tingkat tanggapan (%)"]) for r in rows] == [
        (cohort_of(world).name, 3, 2, 66.7), ("Jumlah", 3, 2, 66.7)]
    client.force_login(world.national)
    rows = get_table(client, RATES, "csv")
    assert rows[-1] == {"Angkatan": "Jumlah", "Dikirim": "4", "Dijawab": "2", "Tingkat tanggapan (%)": "50.0"}
