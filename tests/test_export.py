"""Exports of the corpus round-trip: export, re-import, isomorphic graphs."""

import json

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from wivgraph.cli import cli
from wivgraph.export import serialize
from wivgraph.load import load_dataset, union_graph


@pytest.mark.parametrize("fmt, rdf_format", [("trig", "trig"), ("nq", "nquads")])
def test_named_graphs_round_trip(dataset, fmt, rdf_format):
    parsed = Dataset()
    parsed.parse(data=serialize(dataset, fmt), format=rdf_format)
    originals = {g.identifier: g for g in dataset.graphs() if len(g)}
    copies = {g.identifier: g for g in parsed.graphs() if len(g)}
    assert set(copies) == set(originals)
    for name, graph in originals.items():
        assert isomorphic(graph, copies[name]), name


def test_turtle_round_trip_is_the_union(dataset):
    parsed = Graph().parse(data=serialize(dataset, "ttl"), format="turtle")
    assert isomorphic(parsed, union_graph(dataset))


def test_jsonld_round_trip_and_context_file(tmp_path):
    out = tmp_path / "wivgraph.jsonld"
    result = CliRunner().invoke(cli, ["export", "--format", "jsonld", "--output", str(out)])
    assert result.exit_code == 0, result.output
    context = json.loads((tmp_path / "wivgraph.context.jsonld").read_text())
    assert context["@context"]["wiv"] == "https://w3id.org/wivgraph/def#"
    parsed = Dataset()
    parsed.parse(out, format="json-ld")
    union = Graph()
    for graph in parsed.graphs():
        for triple in graph:
            union.add(triple)
    assert isomorphic(union, union_graph(load_dataset()))
