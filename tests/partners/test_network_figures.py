"""The network figures on a small dataset built by hand, each number computed by hand below.

Groups (active unless said): Bogor (32.01) a1, a2, a3, a4 and a5 (stopped); Sukabumi (32.02) b1, b2;
Lombok Timur (52) n1. Centres: c1 in Bogor, c2 in Lombok Timur. Partners from `partners_world`:
bogor (bank, 32.01), bri (bank, national), jabar (pemda, 32), ntb (pemberdayaan, 52).

  a1 — bogor  loan      realised  10,000,000  (broker tks_in)
  a1 — bri    loan      proposed              (broker tks_in)
  a2 — bri    training  realised  12 people
  a2 — bogor  loan      failed
  a3 — jabar  permit    contacted
  a5 — bogor  loan      realised   5,000,000  (stopped group: counts for credit, not for the share)
  b1 — bri    loan      realised  20,000,000  (broker tks_out)
  n1 — ntb    loan      realised   7,000,000
  n1 — bri    market    agreed
  c1 — bri    training  realised  30 people
  c2 — ntb    loan      realised   3,000,000

a4 (Bogor, TKS tks_in posted) and b2 (Sukabumi) have no linkage at all.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sukarela.assignments.models import Posting
from sukarela.groups.models import Group, GroupStatus
from sukarela.partners.models import Linkage, LinkageStatus, Purpose, TrainingCentre
from sukarela.partners.selectors import network
from sukarela.partners.selectors.network import Filters
from tests.conftest import first_village
from tests.groups.conftest import ensure_sectors

S = LinkageStatus
MILLION = 1_000_000


def make_group(name, village, status=GroupStatus.ACTIVE):
    ensure_sectors()
    return Group.objects.create(name=name, sector_id="jasa-boga", village=village, status=status)


def link(end, partner, purpose, status, *, amount=None, people=None, broker=None):
    where = {"centre": end} if isinstance(end, TrainingCentre) else {"group": end}
    return Linkage.objects.create(partner=partner, purpose=purpose, status=status, broker=broker,
                                  value_amount=None if amount is None else Decimal(amount), people_trained=people,
                                  failed_reason="tidak memenuhi syarat" if status == S.FAILED else "", **where)


def build_network(pw) -> SimpleNamespace:
    """The dataset of the module docstring on top of `partners_world`."""
    w = pw.world
    bogor_2 = first_village("32.01.02")
    lotim = first_village("52.03.01")
    n = SimpleNamespace(pw=pw, world=w)
    n.a1 = make_group("Kelompok Anggrek", w.village_in)
    n.a2 = make_group("Kelompok Bambu", bogor_2)
    n.a3 = make_group("Kelompok Cempaka", w.village_in)
    n.a4 = make_group("Kelompok Dahlia", bogor_2)
    n.a5 = make_group("Kelompok Enau", w.village_in, GroupStatus.STOPPED)
    n.b1 = make_group("Kelompok Flamboyan", w.village_out)
    n.b2 = make_group("Kelompok Gardenia", w.village_out)
    n.n1 = make_group("Kelompok Halia", lotim)
    n.c1 = TrainingCentre.objects.create(name="BLK Komunitas Pesantren Bogor", kind="komunitas", region_id="32.01",
                                         fkn_member=True)
    n.c2 = TrainingCentre.objects.create(name="BLK Lombok Timur", kind="uptp", region_id="52.03")
    Posting.objects.create(group=n.a4, mentor=w.tks_in, starts_on=dt.date(2026, 1, 5))
    n.links = [
        link(n.a1, pw.bogor, Purpose.LOAN, S.REALISED, amount=10 * MILLION, broker=w.tks_in),
        link(n.a1, pw.bri, Purpose.LOAN, S.PROPOSED, broker=w.tks_in),
        link(n.a2, pw.bri, Purpose.TRAINING, S.REALISED, people=12),
        link(n.a2, pw.bogor, Purpose.LOAN, S.FAILED),
        link(n.a3, pw.jabar, Purpose.PERMIT, S.CONTACTED),
        link(n.a5, pw.bogor, Purpose.LOAN, S.REALISED, amount=5 * MILLION),
        link(n.b1, pw.bri, Purpose.LOAN, S.REALISED, amount=20 * MILLION, broker=w.tks_out),
        link(n.n1, pw.ntb, Purpose.LOAN, S.REALISED, amount=7 * MILLION),
        link(n.n1, pw.bri, Purpose.MARKET, S.AGREED),
        link(n.c1, pw.bri, Purpose.TRAINING, S.REALISED, people=30),
        link(n.c2, pw.ntb, Purpose.LOAN, S.REALISED, amount=3 * MILLION),
    ]
    return n


@pytest.fixture
def net(partners_world):
    return build_network(partners_world)


def rows(figure, *keys):
    return [tuple(r[k] for k in keys) for r in figure["rows"]]


# ----------------------------------------------------------------------------- share of groups

def test_share_per_province_for_a_national_officer(net):
    share = network.share_linked(net.world.national, Filters())
    assert share["level"] == "province"
    assert rows(share, "code", "name", "groups", "linked", "percent") == [
        ("32", "Jawa Barat", 6, 3, 50.0), ("52", "Nusa Tenggara Barat", 1, 1, 100.0)]
    assert share["total"] == {"groups": 7, "linked": 4, "percent": 57.1}


def test_share_per_regency_for_a_provincial_officer(net):
    share = network.share_linked(net.world.provincial, Filters())
    assert share["level"] == "regency"
    assert rows(share, "code", "groups", "linked", "percent") == [("32.01", 4, 2, 50.0), ("32.02", 2, 1, 50.0)]
    assert share["total"] == {"groups": 6, "linked": 3, "percent": 50.0}


def test_share_overall_for_a_district_officer(net):
    share = network.share_linked(net.world.district, Filters())
    assert share["level"] == "overall"
    assert rows(share, "code", "groups", "linked", "percent") == [("32.01", 4, 2, 50.0)]
    assert share["total"] == {"groups": 4, "linked": 2, "percent": 50.0}


def test_share_counts_only_realised_linkages_with_the_chosen_partner_type(net):
    share = network.share_linked(net.world.national, Filters(kind="pemberdayaan"))
    assert rows(share, "code", "groups", "linked") == [("32", 6, 0), ("52", 1, 1)]
    assert share["total"]["percent"] == round(100 / 7, 1)


def test_a_region_filter_narrows_the_level(net):
    share = network.share_linked(net.world.national, Filters(region="32"))
    assert share["level"] == "regency"
    assert rows(share, "code", "groups", "linked") == [("32.01", 4, 2), ("32.02", 2, 1)]
    assert rows(network.share_linked(net.world.national, Filters(region="32.02")), "code", "groups", "linked") \
        == [("32.02", 2, 1)]


# ----------------------------------------------------------------------------- credit

def test_credit_per_province_sums_realised_loans_of_groups_and_centres(net):
    credit = network.credit_per_province(net.world.national, Filters())
    assert rows(credit, "code", "name", "loans", "amount") == [
        ("32", "Jawa Barat", 3, 35 * MILLION), ("52", "Nusa Tenggara Barat", 2, 10 * MILLION)]
    assert credit["total"] == {"loans": 5, "amount": 45 * MILLION}


def test_credit_of_a_district_officer_is_their_districts_only(net):
    credit = network.credit_per_province(net.world.district, Filters())
    assert rows(credit, "code", "loans", "amount") == [("32", 2, 15 * MILLION)]
    # The status filter belongs to the graph: credit is always what was realised.
    assert network.credit_per_province(net.world.district, Filters(status=S.FAILED)) == credit


# ----------------------------------------------------------------------------- top partners

def test_partners_with_the_most_realised_linkages(net):
    pw = net.pw
    top = network.top_partners(net.world.national, Filters())
    assert [(p["id"], p["realised"], p["amount"], p["people"]) for p in top] == [
        (pw.bri.pk, 3, 20 * MILLION, 42), (pw.bogor.pk, 2, 15 * MILLION, 0), (pw.ntb.pk, 2, 10 * MILLION, 0)]
    assert top[0]["name"] == pw.bri.name and top[0]["kind"] == pw.bri.kind.name


def test_top_partners_in_a_district_and_the_limit(net):
    pw = net.pw
    top = network.top_partners(net.world.district, Filters())
    # A tie (two each) is broken by name: "Bank Perkreditan…" before "PT Bank Rakyat…".
    assert [(p["id"], p["realised"], p["amount"], p["people"]) for p in top] == [
        (pw.bogor.pk, 2, 15 * MILLION, 0), (pw.bri.pk, 2, 0, 42)]
    assert [p["id"] for p in network.top_partners(net.world.national, Filters(), limit=1)] == [pw.bri.pk]


# ----------------------------------------------------------------------------- counts by status

def test_counts_by_status_in_pipeline_order_with_zeros(net):
    counts = network.status_counts(net.world.national, Filters())
    assert [(c["status"], c["count"]) for c in counts] == [
        (S.PROPOSED, 1), (S.CONTACTED, 1), (S.AGREED, 1), (S.REALISED, 7), (S.FAILED, 1)]
    district = network.status_counts(net.world.district, Filters())
    assert [c["count"] for c in district] == [1, 1, 0, 4, 1]
    assert [c["count"] for c in network.status_counts(net.world.national, Filters(kind="pemda"))] == [0, 1, 0, 0, 0]


# ----------------------------------------------------------------------------- groups without a linkage

def test_groups_without_any_linkage_with_their_tks(net):
    found = list(network.unlinked_groups(net.world.national, Filters()))
    assert [(g.pk, g.tks_name) for g in found] == [(net.a4.pk, net.world.tks_in.full_name), (net.b2.pk, None)]
    assert found[0].village_name == net.a4.village.name
    assert [g.pk for g in network.unlinked_groups(net.world.district, Filters())] == [net.a4.pk]
    assert [g.pk for g in network.unlinked_groups(net.world.district_other, Filters())] == [net.b2.pk]


def test_groups_without_a_linkage_to_the_chosen_partner_type(net):
    found = {g.pk for g in network.unlinked_groups(net.world.national, Filters(kind="pemberdayaan"))}
    assert found == {net.a1.pk, net.a2.pk, net.a3.pk, net.a4.pk, net.b1.pk, net.b2.pk}


def test_figures_bundle(net):
    figures = network.figures(net.world.provincial, Filters())
    assert figures["level"] == "regency"
    assert figures["unlinked_groups"] == 2
    assert figures["credit"]["total"]["amount"] == 35 * MILLION
    assert [p["realised"] for p in figures["top_partners"]] == [3, 2]


# ----------------------------------------------------------------------------- scope and cost

def test_outside_region_shows_nothing_and_a_covering_region_shows_the_scope(net):
    district = net.world.district
    outside = Filters(region="32.02")
    assert network.share_linked(district, outside)["rows"] == []
    assert network.credit_per_province(district, outside)["rows"] == []
    assert network.top_partners(district, outside) == []
    assert sum(c["count"] for c in network.status_counts(district, outside)) == 0
    assert not network.unlinked_groups(district, outside).exists()
    assert network.share_linked(district, Filters(region="32")) == network.share_linked(district, Filters())
    assert network.root_for(net.world.tks_in) is None
    assert network.linkages(net.world.tks_in, Filters()).count() == 0


def _queries(user):
    with CaptureQueriesContext(connection) as captured:
        network.figures(user, Filters())
        list(network.unlinked_groups(user, Filters())[:50])
    return len(captured)


def test_figures_take_the_same_few_queries_whatever_the_number_of_rows(net):
    before = _queries(net.world.national)
    assert before <= 9
    for i in range(6):
        group = make_group(f"Kelompok Tambahan {i}", net.world.village_in if i % 2 else first_village("52.03.01"))
        link(group, net.pw.bogor if i % 2 else net.pw.ntb, Purpose.LOAN, S.REALISED, amount=MILLION)
        make_group(f"Kelompok Sendiri {i}", net.world.village_out)
    assert _queries(net.world.national) == before
