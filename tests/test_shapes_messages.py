"""Messages, names and severities of the shapes: bilingual, and severity chosen deliberately
(sh:Warning only for the completeness gaps of shapes/warnings.ttl, docs/validation.md)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node
from test_shapes import FIXTURES, SHAPES_DIR, load_ontology, validate_subjects, with_ontology

from wivgraph.load import parse_turtle, turtle_files
from wivgraph.namespaces import SH

SEVERITIES = {SH.Violation, SH.Warning}


def langs(graph: Graph, node: Node, predicate: URIRef) -> set[str | None]:
    return {getattr(v, "language", None) for v in graph.objects(node, predicate)}


def owner_of(shapes: Graph, constraint: Node) -> Node | None:
    return shapes.value(None, SH.sparql, constraint)


def test_every_property_shape_has_a_name_and_a_message_in_both_languages(shapes):
    missing = []
    for shape in sorted(set(shapes.subjects(SH.path, None)), key=str):
        for predicate in (SH.name, SH.message):
            if not {"nl", "en"} <= langs(shapes, shape, predicate):
                missing.append(f"{shape} {predicate}")
    assert missing == []


def test_every_sparql_constraint_has_a_message_in_both_languages(shapes):
    """On the constraint itself or on the shape that holds it (pySHACL uses either)."""
    constraints = set(shapes.subjects(None, SH.SPARQLConstraint))
    assert constraints
    missing = [
        str(owner_of(shapes, c))
        for c in constraints
        if not {"nl", "en"}
        <= langs(shapes, c, SH.message) | langs(shapes, owner_of(shapes, c), SH.message)
    ]
    assert missing == []


@pytest.mark.parametrize("path", turtle_files(SHAPES_DIR), ids=lambda p: p.name)
def test_severity_is_deliberate(path):
    """Warnings live in warnings.ttl and everything there is a warning (node shapes, property
    shapes and their SPARQL constraints); elsewhere a severity, if stated, is sh:Violation."""
    graph = parse_turtle(path)
    stated = set(graph.objects(None, SH.severity))
    assert stated <= SEVERITIES, stated
    if path.name != "warnings.ttl":
        assert SH.Warning not in stated
        return
    holders = (
        set(graph.subjects(SH.targetClass, None))
        | set(graph.subjects(SH.path, None))
        | set(graph.objects(None, SH.sparql))
    )
    assert holders
    assert sorted(str(h) for h in holders if graph.value(h, SH.severity) != SH.Warning) == []


def test_messages_of_a_sparql_constraint_reach_the_report_in_both_languages(shapes):
    """The report of a SPARQL-based rule carries its Dutch and its English text."""
    fixture = parse_turtle(FIXTURES / "norms" / "consent-bad.ttl")
    report = validate_subjects(
        with_ontology(load_ontology(), fixture), shapes, set(fixture.subjects())
    )
    texts = {str(m) for m in report.graph.objects(None, SH.resultMessage)}
    assert any(t.startswith("bevoegdheid tot doorgeven") for t in texts)
    assert any(t.startswith("permission to pass on") for t in texts)


def test_issue_message_is_in_the_chosen_language(shapes):
    fixture = parse_turtle(FIXTURES / "documents" / "document-title-bad.ttl")
    data = with_ontology(load_ontology(), fixture)
    for lang, word in (("en", "without"), ("nl", "zonder")):
        report = validate_subjects(data, shapes, set(fixture.subjects()), lang)
        assert all(word in i.message for i in report.issues), [i.message for i in report.issues]
