"""Lean validation (issue 19): issues are made from the engines' results directly; the W3C
report graph is built only when asked for (``--format ttl``), and says the same."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, XSD

from wivgraph import fast, validate

EX = "http://example.org/"
SHAPES = f"""
@prefix sh: <{SH}> . @prefix ex: <{EX}> . @prefix xsd: <{XSD}> .
ex:Flagged a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:checked ; sh:in ( true ) ;
                  sh:message "moet gecontroleerd zijn"@nl, "must be checked"@en ] ;
    sh:property [ sh:path ex:count ; sh:minInclusive 1 ; sh:severity sh:Warning ] .
"""


def _store(triples) -> fast.ox.Store:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return fast.store_from_graph(graph)


def _data():
    thing = URIRef(f"{EX}a")
    return [
        (thing, RDF.type, URIRef(f"{EX}Thing")),
        (thing, URIRef(f"{EX}checked"), Literal(False)),
        (thing, URIRef(f"{EX}count"), Literal(0)),
    ]


def test_issues_need_no_report_graph(monkeypatch):
    shapes = Graph().parse(data=SHAPES, format="turtle")

    def refuse(*args, **kwargs):
        raise AssertionError("the report graph was built although nobody asked for it")

    monkeypatch.setattr(validate, "report_graph", refuse)
    report = fast.validate_fast(_store(_data()), shapes, lang="en")
    assert not report.conforms
    assert [(i.severity, i.message) for i in report.issues][:1] == [("Violation", "must be checked")]
    assert validate.format_report(report, "json", "en")  # text and JSON: no graph either


def test_a_false_or_zero_value_is_shown():
    """sh:value false / 0 is a value: the issue names it (it used to be shown empty)."""
    shapes = Graph().parse(data=SHAPES, format="turtle")
    report = fast.validate_fast(_store(_data()), shapes)
    assert sorted((i.severity, i.value) for i in report.issues) == [
        ("Violation", "false"), ("Warning", "0")
    ]


def test_report_graph_on_demand_holds_every_result():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    report = fast.validate_fast(_store(_data()), shapes)
    graph = report.graph
    results = set(graph.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == len(report.issues) == 2
    assert (None, SH.conforms, Literal(False)) in graph
    assert set(graph.objects(None, SH.value)) == {Literal(False), Literal(0)}
    # the graph read back gives the same issues as the engine's results
    again = validate.issues_of(validate.results_of(graph), Graph(), "nl", shapes=shapes,
                               path_graph=graph)
    assert [(i.severity, i.path, i.value, i.message) for i in again] == [
        (i.severity, i.path, i.value, i.message) for i in report.issues
    ]
    assert isomorphic(validate.report_graph(validate.results_of(graph), shapes), graph)
