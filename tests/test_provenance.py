"""Provenance is a test: quotes occur in their sources, curated facts carry a source."""

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from wivgraph import paths
from wivgraph.load import union_graph
from wivgraph.namespaces import DOC, GRAPH, ORG, WIV
from wivgraph.provenance import (
    external_source_problems,
    file_quote_problems,
    quote_problems,
    undated_sources,
    unsourced_facts,
)

# Generated structure (the ingested documents themselves, one file per registered source) is
# the source, not a curated fact; other files in data/documents/ are curated and checked.
GENERATED_PREFIXES = (str(GRAPH["ontology/"]),)


def _generated(identifier, corpus) -> bool:
    documents = {str(GRAPH[f"data/documents/{str(d).rsplit('/', 1)[-1]}"])
                 for d in corpus.subjects(WIV.fileName, None)}
    return str(identifier).startswith(GENERATED_PREFIXES) or str(identifier) in documents


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
        if _generated(graph.identifier, corpus) or graph.identifier == GRAPH["inferred"]:
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


def test_every_quote_occurs_in_its_source_file(corpus):
    """The file, not the cleaned text: a quote across a footnote line or marker does not match."""
    problems = file_quote_problems(corpus, paths.sources_dir())
    assert [f"{p.node}: {p.reason} ({p.source}): {p.quote[:80]}" for p in problems] == []
    checked = sum(1 for n, _ in corpus.subject_objects(WIV.source) if (n, WIV.quote, None) in corpus)
    assert checked > 800


def test_file_quote_check_catches_a_quote_across_a_footnote(tmp_path):
    (tmp_path / "c.txt").write_text(
        "De artikelen 61, 62, 65\n\n1 Kamerstukken II 2017/18\n tot en met 69 van de wet.\n"
        "het inlichtingen-\nwerk en de informatie-\nuitwisseling\n", encoding="utf-8")
    g = Graph()
    doc = DOC["c"]
    part = URIRef(str(doc) + "/grondslag")
    g.add((doc, WIV.fileName, Literal("c.txt")))
    g.add((part, WIV.document, doc))
    fact = URIRef("https://w3id.org/wivgraph/id/fact/f4")
    g.add((fact, WIV.source, part))
    g.add((fact, WIV.quote, Literal("65 tot en met 69")))
    g.add((fact, WIV.quote, Literal("het inlichtingenwerk en de informatie-uitwisseling")))
    assert [(p.quote, p.reason) for p in file_quote_problems(g, tmp_path)] == [
        ("65 tot en met 69", "quote not in source file")]


def test_every_date_has_a_source(corpus):
    """Signing dates of the generated signature blocks too (a reified statement each)."""
    assert undated_sources(corpus) == []


def test_sourced_fact_check_is_per_statement():
    """A thing's quote of where it is mentioned does not source a relation of it; a fact node's
    quote sources its own triples, a date only when the quote writes it."""
    g = Graph()
    org, cell = URIRef("https://w3id.org/wivgraph/id/org/x"), URIRef("https://w3id.org/wivgraph/id/cell/y")
    g.add((org, RDF.type, ORG.FormalOrganization))
    g.add((org, WIV.source, DOC["d"]))
    g.add((org, WIV.quote, Literal("de dienst X, belast met toezicht")))
    curated = Graph()
    curated.add((org, WIV.designatesStaff, cell))
    curated.add((org, WIV.task, Literal("belast met toezicht", lang="nl")))
    curated.add((org, WIV.task, Literal("belast met opsporing", lang="nl")))
    sig = URIRef("https://w3id.org/wivgraph/id/fact/sig")
    g.add((sig, RDF.type, WIV.Signature))
    g.add((sig, WIV.quote, Literal("Te Den Haag op 6 mei 2020")))
    curated.add((sig, WIV.signingPlace, Literal("Den Haag")))
    curated.add((sig, WIV.signingDate, Literal("2020-05-06", datatype=XSD.date)))
    curated.add((sig, WIV.inForceFrom, Literal("2020-05-07", datatype=XSD.date)))
    for t in curated:
        g.add(t)
    assert [(s.rsplit("/", 1)[-1], p.rsplit("#", 1)[-1]) for s, p, _ in unsourced_facts(g, curated)] == [
        ("sig", "inForceFrom"), ("x", "designatesStaff"), ("x", "task")]
    assert [(s.rsplit("/", 1)[-1], p.rsplit("#", 1)[-1]) for s, p, _ in undated_sources(g)] == [
        ("sig", "inForceFrom")]
