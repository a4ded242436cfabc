"""The network graph (selector and API): which nodes and edges each officer gets, the filters, the
node cap, and scope — a district officer never gets another district's nodes, also not by asking
for that region through the API. The dataset is test_network_figures.py's (its docstring)."""

import pytest

from sukarela.partners.models import LinkageStatus
from sukarela.partners.selectors import network
from sukarela.partners.selectors.network import Filters
from tests.partners.test_network_figures import build_network

S = LinkageStatus


@pytest.fixture
def net(partners_world):
    return build_network(partners_world)


def ids(graph, kind=None):
    return {n["id"] for n in graph["nodes"] if kind is None or n["kind"] == kind}


def linkage_edges(graph):
    return {(e["source"], e["target"], e["status"]) for e in graph["edges"] if e["kind"] == "linkage"}


def test_a_district_officer_gets_their_districts_network(net):
    pw, w = net.pw, net.world
    graph = network.graph(w.district, Filters())
    assert ids(graph, "group") == {f"g{g.pk}" for g in (net.a1, net.a2, net.a3, net.a5)}
    assert ids(graph, "centre") == {f"c{net.c1.pk}"}
    assert ids(graph, "partner") == {f"p{p.pk}" for p in (pw.bogor, pw.bri, pw.jabar)}
    assert ids(graph, "tks") == {f"t{w.tks_in.pk}"}
    assert graph["node_count"] == 9 == len(graph["nodes"]) and not graph["truncated"]
    a1, a2 = f"g{net.a1.pk}", f"g{net.a2.pk}"
    assert linkage_edges(graph) == {
        (a1, f"p{pw.bogor.pk}", S.REALISED), (a1, f"p{pw.bri.pk}", S.PROPOSED), (a2, f"p{pw.bri.pk}", S.REALISED),
        (a2, f"p{pw.bogor.pk}", S.FAILED), (f"g{net.a3.pk}", f"p{pw.jabar.pk}", S.CONTACTED),
        (f"g{net.a5.pk}", f"p{pw.bogor.pk}", S.REALISED), (f"c{net.c1.pk}", f"p{pw.bri.pk}", S.REALISED)}
    # The TKS who brokered both of a1's linkages: one tie to the group, not two.
    assert [(e["source"], e["target"]) for e in graph["edges"] if e["kind"] == "broker"] == [(f"t{w.tks_in.pk}", a1)]
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    assert labels[a1] == "Kelompok Anggrek" and labels[f"p{pw.bri.pk}"] == pw.bri.name
    assert labels[f"t{w.tks_in.pk}"] == w.tks_in.full_name
    assert {n["partner_type"] for n in graph["nodes"] if n["kind"] == "partner"} == {"bank", "pemda"}


def test_no_node_of_another_district(net):
    w = net.world
    graph = network.graph(w.district, Filters())
    others = {f"g{g.pk}" for g in (net.b1, net.b2, net.n1)} | {f"c{net.c2.pk}", f"p{net.pw.ntb.pk}",
                                                               f"t{w.tks_out.pk}"}
    assert not ids(graph) & others
    for region in ("32.02", "32.02.01", "52", "5", "32.0", "zz"):
        asked = network.graph(w.district, Filters(region=region))
        assert asked["nodes"] == [] and asked["node_count"] == 0, region
    # Asking for the whole province gives the district officer their district, nothing more.
    assert ids(network.graph(w.district, Filters(region="32"))) == ids(graph)


def test_filters_by_status_and_partner_type(net):
    pw, w = net.pw, net.world
    realised = network.graph(w.district, Filters(status=S.REALISED))
    assert {s for _, _, s in linkage_edges(realised)} == {S.REALISED}
    assert len(linkage_edges(realised)) == 4
    assert ids(realised) == ({f"g{g.pk}" for g in (net.a1, net.a2, net.a5)} | {f"c{net.c1.pk}"}
                             | {f"p{pw.bogor.pk}", f"p{pw.bri.pk}", f"t{w.tks_in.pk}"})
    pemda = network.graph(w.national, Filters(kind="pemda"))
    assert ids(pemda) == {f"g{net.a3.pk}", f"p{pw.jabar.pk}"}


def test_national_and_other_province(net):
    everything = network.graph(net.world.national, Filters())
    assert everything["linkage_count"] == len(net.links) == 11
    assert ids(everything, "tks") == {f"t{net.world.tks_in.pk}", f"t{net.world.tks_out.pk}"}
    ntb = network.graph(net.world.provincial_other, Filters())
    assert ids(ntb) == {f"g{net.n1.pk}", f"c{net.c2.pk}", f"p{net.pw.ntb.pk}", f"p{net.pw.bri.pk}"}


def test_past_the_cap_only_the_counts(net):
    graph = network.graph(net.world.district, Filters(), cap=8)
    assert graph["truncated"] and graph["node_count"] == 9 and graph["cap"] == 8
    assert graph["nodes"] == [] and graph["edges"] == []
    assert not network.graph(net.world.district, Filters(), cap=9)["truncated"]


def test_the_api_graph_and_its_region_parameter(client, net):
    w = net.world
    client.force_login(w.district)
    body = client.get("/api/partners/network/graph").json()
    assert body["node_count"] == 9 and not body["truncated"]
    assert {n["id"] for n in body["nodes"]} == ids(network.graph(w.district, Filters()))
    for region in ("32.02", "52"):
        outside = client.get("/api/partners/network/graph", {"region": region}).json()
        assert outside["nodes"] == [] and outside["edges"] == [] and outside["node_count"] == 0
        assert "Flamboyan" not in str(outside)
    realised = client.get("/api/partners/network/graph", {"status": S.REALISED}).json()
    assert {e["status"] for e in realised["edges"] if e["kind"] == "linkage"} == {S.REALISED}
    wrong = client.get("/api/partners/network/graph", {"status": "selesai"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["query", "status"]


def test_the_api_cap(client, net, monkeypatch):
    monkeypatch.setattr(network, "NODE_CAP", 3)
    client.force_login(net.world.district)
    body = client.get("/api/partners/network/graph").json()
    assert body == {"node_count": 9, "linkage_count": 7, "cap": 3, "truncated": True, "nodes": [], "edges": []}


def test_the_api_figures_and_the_unlinked_list(client, net):
    w = net.world
    client.force_login(w.provincial)
    figures = client.get("/api/partners/network/figures").json()
    assert figures["level"] == "regency"
    assert [(r["code"], r["groups"], r["linked"], r["percent"]) for r in figures["share"]["rows"]] == [
        ("32.01", 4, 2, 50.0), ("32.02", 2, 1, 50.0)]
    assert figures["credit"]["total"] == {"loans": 3, "amount": 35_000_000}
    assert [p["realised"] for p in figures["top_partners"]] == [3, 2]
    assert [c["count"] for c in figures["status_counts"]] == [1, 1, 0, 5, 1]
    assert figures["unlinked_groups"] == 2
    unlinked = client.get("/api/partners/network/unlinked-groups").json()
    assert unlinked["count"] == 2
    assert [(g["id"], g["tks_name"]) for g in unlinked["items"]] == [
        (net.a4.pk, w.tks_in.full_name), (net.b2.pk, None)]
    client.force_login(w.district)
    assert client.get("/api/partners/network/unlinked-groups", {"region": "32.02"}).json()["count"] == 0
    assert client.get("/api/partners/network/figures", {"region": "32.02"}).json()["share"]["rows"] == []


@pytest.mark.parametrize("params", [{"region": "32\x00"}, {"kind": "bank\x00"}, {"region": "%"},
                                    {"region": "3" * 14}, {"kind": "x" * 31}])
def test_odd_filters_are_refused_or_find_nothing_never_a_500(client, net, params):
    client.force_login(net.world.district)
    for path in ("graph", "figures", "unlinked-groups"):
        response = client.get(f"/api/partners/network/{path}", params)
        assert response.status_code in (200, 400, 422), (path, response.content[:300])
        if response.status_code != 200:
            assert response.json()["detail"][0]["loc"][:2] == ["query", next(iter(params))]
    page = client.get("/mitra/jaringan/", params)
    assert page.status_code in (200, 400)
    assert "Kelompok Anggrek" not in page.content.decode() or "kind" in params
