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


def _asserted_graphs(dataset) -> dict:
    from wivgraph.namespaces import INFERRED_GRAPH

    return {g.identifier: g for g in dataset.graphs() if len(g) and g.identifier != INFERRED_GRAPH}


@pytest.mark.parametrize("fmt, rdf_format", [("trig", "trig"), ("nq", "nquads")])
def test_export_written_by_oxigraph_keeps_every_named_graph(dataset, tmp_path, fmt, rdf_format):
    """``wivgraph export`` writes nq and trig from the build cache with oxigraph's writer (no
    rdflib copy): the same named graphs as the loader's, and nothing inferred."""
    out = tmp_path / f"wivgraph.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    parsed = Dataset()
    parsed.parse(out, format=rdf_format)
    originals, copies = _asserted_graphs(dataset), _asserted_graphs(parsed)
    assert set(copies) == set(originals)
    assert sum(len(g) for g in parsed.graphs()) == sum(len(g) for g in originals.values())
    for name, graph in originals.items():
        assert isomorphic(graph, copies[name]), name


def test_turtle_export_on_stdout_is_the_union_with_prefixes(dataset):
    result = CliRunner().invoke(cli, ["export", "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert b"@prefix wiv: <https://w3id.org/wivgraph/def#> ." in result.stdout_bytes
    parsed = Graph().parse(data=result.stdout_bytes, format="turtle")
    assert isomorphic(parsed, union_graph(dataset))


def test_export_into_a_missing_folder_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "missing" / "wivgraph.nq"
    result = CliRunner().invoke(cli, ["export", "--format", "nq", "--output", str(out)])
    assert result.exit_code == 2
    assert "folder does not exist" in result.output and "Traceback" not in result.output
    assert not out.parent.exists()
