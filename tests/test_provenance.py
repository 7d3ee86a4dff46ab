"""Provenance is a test: quotes occur in their sources, curated facts carry a source."""

from rdflib import Graph, Literal, URIRef

from wivgraph.load import union_graph
from wivgraph.namespaces import DOC, GRAPH, WIV
from wivgraph.provenance import quote_problems, unsourced_facts

# Generated structure (the ingested documents themselves) is the source, not a curated fact.
GENERATED_PREFIXES = (str(GRAPH["data/documents/"]), str(GRAPH["ontology/"]))


def test_every_quote_occurs_in_its_source(corpus):
    problems = quote_problems(corpus)
    assert [f"{p.node}: {p.reason} ({p.source}): {p.quote[:80]}" for p in problems] == []


def test_every_curated_fact_has_a_source(dataset, corpus):
    curated = Graph()
    for graph in dataset.graphs():
        if (
            str(graph.identifier).startswith(GENERATED_PREFIXES)
            or graph.identifier == GRAPH["inferred"]
        ):
            continue
        for triple in graph:
            curated.add(triple)
    missing = unsourced_facts(corpus, curated)
    assert missing[:20] == [], f"{len(missing)} curated triples lack a source"


def test_quote_check_catches_a_wrong_quote():
    g = Graph()
    lid = URIRef(str(DOC["x"]) + "/art/1/lid/1")
    g.add((lid, WIV.text, Literal("De AIVD verstrekt gegevens aan de IND.", lang="nl")))
    fact = URIRef("https://w3id.org/wivgraph/id/fact/f1")
    g.add((fact, WIV.source, lid))
    g.add((fact, WIV.quote, Literal("verstrekt gegevens")))
    assert quote_problems(g) == []
    g.set((fact, WIV.quote, Literal("verstrekt geen gegevens")))
    assert [p.reason for p in quote_problems(g)] == ["quote not in source text"]


def test_quote_check_tolerates_line_end_hyphenation():
    g = Graph()
    lid = URIRef(str(DOC["x"]) + "/art/1")
    g.add((lid, WIV.text, Literal("ten behoeve van de taakuitvoering", lang="nl")))
    fact = URIRef("https://w3id.org/wivgraph/id/fact/f2")
    g.add((fact, WIV.source, lid))
    g.add((fact, WIV.quote, Literal("de taakuitvoe-\nring")))
    assert quote_problems(g) == []


def test_union_contains_curated_graphs(dataset):
    assert len(union_graph(dataset)) >= len(dataset.graph(GRAPH["ontology/wivgraph"]))
