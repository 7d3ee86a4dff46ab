"""Network projections on the corpus, with expected results read from the documents."""

import json
from datetime import date

import networkx as nx
import pytest
from click.testing import CliRunner

from wivgraph import network as net
from wivgraph.cli import cli
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import CELL, DOC, NORM, ORGANISATION

AIVD, MIVD, IND, POLITIE = (str(ORGANISATION[s]) for s in ("aivd", "mivd", "ind", "politie"))


@pytest.fixture(scope="module")
def flows(dataset):
    return net.data_flow_network(dataset)


@pytest.fixture(scope="module")
def cooperation(dataset):
    return net.cooperation_network(dataset)


def test_politie_reaches_ind_through_the_aivd_with_consent(flows):
    # CIIC art 5 lid 1: parties provide to the AIVD; AIVD-IND 2019 art 1 lid 1: the AIVD may
    # provide to the IND; CIIC art 7 lid 2: CIIC data leave the AIVD only with the consent of the
    # party they came from.
    paths = net.flow_paths(flows, POLITIE, IND)
    assert [[h.source for h in p] + [p[-1].target] for p in paths] == [[POLITIE, AIVD, IND]]
    first, second = paths[0]
    assert str(NORM["convenant-ciic-2020-art-5-lid-1"]) in {n["norm"] for n in first.norms}
    assert str(NORM["convenant-aivd-ind-2019-art-1-lid-1"]) in {n["norm"] for n in second.norms}
    onward = {rule["norm"]: rule for rule in second.onward}
    assert str(NORM["convenant-ciic-2020-art-7-lid-2"]) in onward
    consent = [c for c in onward[str(NORM["convenant-ciic-2020-art-7-lid-2"])]["conditions"]
               if c["consent"]]
    assert consent and second.needs_consent and not first.needs_consent
    assert second.origin == POLITIE


def test_every_flow_edge_carries_source_and_quote(flows):
    assert flows.number_of_edges() > 0
    for _, _, data in flows.edges(data=True):
        assert data["source"].startswith(str(DOC))
        assert data["quote"]


def test_before_the_ciic_convenant_the_politie_has_no_flow_to_the_aivd(dataset):
    # The CIIC convenant entered into force on the day of the last signature (28 May 2020).
    earlier = net.data_flow_network(dataset, on=date(2019, 1, 1))
    later = net.data_flow_network(dataset, on=date(2021, 1, 1))
    assert not earlier.has_edge(POLITIE, AIVD)
    assert later.has_edge(POLITIE, AIVD)


def test_the_aivd_is_central_to_the_data_flows(flows):
    ranking = net.centrality(flows)
    assert ranking[0]["node"] == AIVD


def test_ciic_is_the_only_link_of_the_politie_to_the_services(cooperation):
    cuts = {c["node"]: c for c in net.cut_vertices(cooperation)}
    assert str(CELL["ciic"]) in cuts
    assert "Politie" in cuts[str(CELL["ciic"])]["isolates"]


def test_cooperation_edges_are_typed_and_sourced(cooperation):
    hosts = cooperation.get_edge_data(str(CELL["ciic"]), AIVD)
    assert "legal-host" in {r["type"] for r in hosts["relations"]}
    assert all(r["source"] for r in hosts["relations"] if r["type"] == "legal-host")


@pytest.mark.parametrize("name", ["Politie", "politie", "IND", "ind", "Immigratie- en Naturalisatiedienst"])
def test_parties_by_label_abbreviation_or_slug(dataset, name):
    assert net.resolve_node(dataset, name) in (POLITIE, IND)


def test_unknown_party_lists_close_names(dataset):
    with pytest.raises(WivgraphError, match="closest known: politie"):
        net.resolve_node(dataset, "Politei")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_network_exports_open_again_with_labels(cooperation, fmt, tmp_path):
    path = tmp_path / f"net.{fmt}"
    net.write_network(cooperation, path, fmt)
    if fmt == "graphml":
        copy = nx.read_graphml(path)
    elif fmt == "gexf":
        copy = nx.read_gexf(path)
    else:
        copy = nx.node_link_graph(json.loads(path.read_text()), edges="links")
    assert set(copy.nodes) == set(cooperation.nodes)
    assert copy.number_of_edges() == cooperation.number_of_edges()
    assert copy.nodes[AIVD]["label"] == "Algemene Inlichtingen- en Veiligheidsdienst"


def test_cli_paths_and_errors():
    runner = CliRunner()
    result = runner.invoke(cli, ["network", "paths", "Politie", "IND", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload[0]["labels"][1] == "Algemene Inlichtingen- en Veiligheidsdienst"
    assert payload[0]["needs_consent"] is True
    text = runner.invoke(cli, ["network", "paths", "politie", "ind", "--lang", "en"])
    assert "needs consent of the originating party: here Police" in text.output
    bad = runner.invoke(cli, ["network", "paths", "Politei", "IND"])
    assert bad.exit_code == 2 and "unknown party" in bad.output
    bad_date = runner.invoke(cli, ["network", "centrality", "--on", "2020-13-01"])
    assert bad_date.exit_code == 2 and "expected a date" in bad_date.output


def test_cli_cut_lists_bridges(cooperation):
    """The landelijke eenheid is a unit of the Politie and tied to nothing else in the
    cooperation network, so that link is a bridge; the CLI lists what the module finds."""
    result = CliRunner().invoke(cli, ["network", "cut", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [(b["from"], b["to"]) for b in payload["bridges"]] == [
        tuple(edge) for edge in net.bridges(cooperation)
    ]
    pairs = {frozenset(b["labels"]) for b in payload["bridges"]}
    assert frozenset({"Politie", "landelijke eenheid van de politie"}) in pairs
    dutch = CliRunner().invoke(cli, ["network", "cut"]).output
    assert "brug: " in dutch and "verbindt als enige" in dutch and "gemeenschap 1:" in dutch
    english = CliRunner().invoke(cli, ["network", "cut", "--lang", "en"]).output
    assert "bridge: " in english and "alone connects" in english


def test_norm_on_two_categories_gives_one_flow_per_category(flows):
    """AIVD-IND 2019 art 2 lid 3 onder a covers both the data for the IND and the ambtsbericht:
    both flows are in the network, whatever order the triples were read in (keyed on the norm
    alone, the last category read used to replace the other)."""
    norm = str(NORM["convenant-aivd-ind-2019-art-2-lid-3-a"])
    categories = {d["category"].rsplit("/", 1)[-1] for _, _, d in flows.edges(data=True)
                  if d["norm"] == norm}
    assert categories == {"aivd-data-for-ind", "ambtsbericht"}


def test_cli_centrality_table_speaks_the_chosen_language():
    runner = CliRunner()
    dutch = runner.invoke(cli, ["network", "centrality"])
    assert dutch.exit_code == 0, dutch.output
    assert dutch.output.splitlines()[0].split() == ["tussenligging", "graad", "partij"]
    assert "Militaire Inlichtingen- en Veiligheidsdienst" in dutch.output
    english = runner.invoke(cli, ["network", "centrality", "--lang", "en"])
    assert english.output.splitlines()[0].split() == ["betweenness", "degree", "party"]


def test_practical_route_is_an_edge_kind_of_its_own(flows):
    """CTIVD 22B 5.5: screening inquiries go MIVD → AIVD → foreign service in practice; the
    network shows these steps as practical edges, apart from the norms."""
    foreign = "https://w3id.org/wivgraph/id/role/foreign-service"
    practical = sorted((a, b) for a, b, d in flows.edges(data=True) if d["edge_kind"] == "practical")
    assert practical == sorted([(MIVD, AIVD), (AIVD, foreign)])
    assert {d["edge_kind"] for _, _, d in flows.edges(data=True)} == {"legal", "practical"}
    step = next(d for a, b, d in flows.edges(data=True) if d["edge_kind"] == "practical" and a == MIVD)
    assert step["quote"] == "De MIVD stuurt het verzoek een naslag te verrichten aan de AIVD"
    assert step["source"].endswith("/ctivd-rapport-22b/sectie/5.5/praktijk/1")


def test_paths_label_the_practical_route(flows):
    foreign = "https://w3id.org/wivgraph/id/role/foreign-service"
    paths = net.flow_paths(flows, MIVD, foreign)
    via_aivd = [p for p in paths if [h.target for h in p] == [AIVD, foreign]]
    assert via_aivd
    hops = via_aivd[0]
    assert all(any(n["edge_kind"] == "practical" for n in h.norms) for h in hops)
    assert all(h.legal and not h.practical_only for h in hops)  # the norms open this route too
    text = net.format_paths(flows, via_aivd, "text", "nl")
    assert "praktijkroute (geen wettelijke norm)" in text


def test_a_practical_edge_does_not_weaken_a_consent_condition():
    hop = net.Hop("a", "b", [
        {"norm": "n", "conditions": [{"consent": True}], "edge_kind": "legal"},
        {"norm": "s", "conditions": [], "edge_kind": "practical"},
    ])
    assert hop.needs_consent and not hop.practical_only
    assert net.Hop("a", "b", [{"norm": "s", "conditions": [], "edge_kind": "practical"}]).practical_only


def _as_data(network):
    """A network as order-free data: nodes and edges with their attributes (the order of an
    undirected edge's ends and of its relations follows the order rows were read in)."""
    def edge(a, b, data):
        data = dict(data, relations=sorted(map(repr, data.get("relations", []))))
        ends = (a, b) if network.is_directed() else tuple(sorted((a, b)))
        return repr((ends, sorted(data.items())))

    edges = (
        network.edges(keys=True, data=True)
        if network.is_multigraph()
        else ((a, b, None, d) for a, b, d in network.edges(data=True))
    )
    return (
        sorted(repr((n, sorted(d.items()))) for n, d in network.nodes(data=True)),
        sorted(edge(a, b, dict(d, key=k)) for a, b, k, d in edges),
        network.graph.get("onward"),
    )


@pytest.mark.parametrize("on", [None, date(2019, 1, 1), date(2021, 1, 1)])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_store_lookups_give_the_graph_lookups_network(dataset, on, lang):
    """Over a store (what a remote endpoint is) labels, kinds, conditions, contexts and validity
    are asked in batches of SPARQL; over an rdflib graph they are read by pattern and
    validate.label_of. Both give the same networks and the same analyses."""
    from wivgraph.fast import dataset_store

    store = dataset_store(dataset)
    for build in (net.cooperation_network, net.data_flow_network):
        local, asked = build(dataset, on, lang), build(store, on, lang)
        assert local.number_of_edges() > 0
        assert _as_data(asked) == _as_data(local)
        assert net.centrality(asked) == net.centrality(local)
        assert net.communities(asked) == net.communities(local)
        assert net.cut_vertices(asked) == net.cut_vertices(local)
    flows = net.data_flow_network(store, on, lang)
    local = net.data_flow_network(dataset, on, lang)
    for a, b in (("Politie", "IND"), ("MIVD", "IND")):
        start, end = net.resolve_node(store, a), net.resolve_node(store, b)
        assert (start, end) == (net.resolve_node(dataset, a), net.resolve_node(dataset, b))
        assert net.format_paths(flows, net.flow_paths(flows, start, end), "text", lang) == (
            net.format_paths(local, net.flow_paths(local, start, end), "text", lang)
        )


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_exports_are_byte_identical_over_a_store_and_a_graph(dataset, fmt):
    """The command line builds networks over the build cache's oxigraph store, an endpoint over
    SPARQL, a test over an rdflib Dataset: an export is the same file whichever engine answered
    (rows arrive in each engine's own order)."""
    from wivgraph.fast import dataset_store

    store = dataset_store(dataset)
    for build in (net.cooperation_network, net.data_flow_network):
        for on in (None, date(2021, 1, 1)):
            local, asked = build(dataset, on, "nl"), build(store, on, "nl")
            assert net.network_text(asked, fmt) == net.network_text(local, fmt)


def test_unknown_party_over_a_store_is_the_same_error(dataset):
    from wivgraph.fast import dataset_store

    with pytest.raises(WivgraphError) as local:
        net.resolve_node(dataset, "Politei")
    with pytest.raises(WivgraphError) as asked:
        net.resolve_node(dataset_store(dataset), "Politei")
    assert str(asked.value) == str(local.value)


def test_a_returned_iri_that_is_not_one_term_is_never_sent():
    """An endpoint's answer is not trusted: an IRI that would end the VALUES block early is
    refused before any query is sent."""
    from rdflib import URIRef

    class Store:
        graph = None

        def query(self, *args, **kwargs):
            raise AssertionError("a query was sent")

    hostile = URIRef("https://example.org/a> } ?s ?p ?o . { VALUES ?node { <urn:x>")
    with pytest.raises(WivgraphError, match="not a valid IRI"):
        net.StoreFacts(Store()).kinds([hostile])
