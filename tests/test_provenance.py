"""Provenance is a test: quotes occur in their sources, curated facts carry a source."""

from rdflib import Graph, Literal, URIRef

from wivgraph import paths
from wivgraph.load import union_graph
from wivgraph.namespaces import DOC, GRAPH, WIV
from wivgraph.provenance import external_source_problems, quote_problems, unsourced_facts

# Generated structure (the ingested documents themselves) is the source, not a curated fact.
GENERATED_PREFIXES = (str(GRAPH["data/documents/"]), str(GRAPH["ontology/"]))


def test_every_quote_occurs_in_its_source(corpus):
    problems = quote_problems(corpus)
    assert [f"{p.node}: {p.reason} ({p.source}): {p.quote[:80]}" for p in problems] == []


def test_external_texts_and_quotes_occur_in_their_source_file(corpus):
    """Documents copied from outside (the Wiv 2002 text): every wiv:text and every quote sourced
    there occurs in the registered file, so a norm's quote is checked against the file itself."""
    problems = external_source_problems(corpus, paths.sources_dir())
    assert [f"{p.node}: {p.reason}: {p.quote[:80]}" for p in problems] == []
    external = set(corpus.subjects(WIV.external, Literal(True)))
    assert DOC["wiv-2002"] in external and corpus.value(DOC["wiv-2002"], WIV.fileName) is not None
    checked = [n for n, s in corpus.subject_objects(WIV.source)
               if corpus.value(s, WIV.document) == DOC["wiv-2002"] and (n, WIV.quote, None) in corpus]
    assert len(checked) >= 12  # the statutory norms and their conditions


def test_external_source_check_catches_a_changed_text(tmp_path):
    (tmp_path / "law.txt").write_text("Artikel 1\nDe dienst verstrekt gegevens.\n", encoding="utf-8")
    g = Graph()
    law = DOC["x"]
    lid = URIRef(str(law) + "/art/1")
    g.add((law, WIV.external, Literal(True)))
    g.add((law, WIV.fileName, Literal("law.txt")))
    g.add((lid, WIV.document, law))
    g.add((lid, WIV.text, Literal("De dienst verstrekt gegevens.", lang="nl")))
    fact = URIRef("https://w3id.org/wivgraph/id/fact/f3")
    g.add((fact, WIV.source, lid))
    g.add((fact, WIV.quote, Literal("verstrekt gegevens")))
    assert external_source_problems(g, tmp_path) == []
    g.set((lid, WIV.text, Literal("De dienst verstrekt geen gegevens.", lang="nl")))
    g.set((fact, WIV.quote, Literal("verstrekt geen gegevens")))
    assert sorted(p.reason for p in external_source_problems(g, tmp_path)) == [
        "quote not in source file", "text not in source file"]


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
