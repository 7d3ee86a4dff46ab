"""The ODRL 2.2 core shapes (src/wivgraph/odrl/shapes/odrl-core.ttl): valid SHACL, bilingual, and
each fixture of tests/fixtures/odrl-shapes/ yields exactly the results of its ``# expect:`` lines;
every named shape has a violating fixture and (through its target) a conforming one.

Fixtures are validated as wivgraph.odrl.shacl validates exports: with the project's ontology
(the profile's declarations of left operands and actions) and with the core and profile shapes.
The profile shapes (shapes/odrl-profile.ttl) have their own fixtures in
tests/fixtures/shapes/odrl-profile/, run by tests/test_shapes.py like every shape of shapes/.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from pyshacl.shapes_graph import ShapesGraph
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from test_shapes import actual_results, expectations, has_own_constraint, named_shapes, users_of

from wivgraph.load import parse_turtle
from wivgraph.namespaces import PREFIXES, SH, SHAPE
from wivgraph.odrl import shacl

FIXTURES = Path(__file__).parent / "fixtures" / "odrl-shapes"
WARNING_SHAPES = {SHAPE["OdrlPermission-target"], SHAPE["OdrlProhibition-target"]}


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.ttl"))


@pytest.fixture(scope="module")
def core() -> Graph:
    return shacl.core_shapes()


@pytest.fixture(scope="module")
def all_shapes() -> Graph:
    return shacl.odrl_shapes()


@pytest.fixture(scope="module")
def declarations() -> Graph:
    return shacl.vocabulary()


@pytest.fixture(scope="module")
def reports(all_shapes, declarations):
    found = {}
    for path in fixture_files():
        fixture = parse_turtle(path)
        report = shacl.validate_policies(
            fixture, shapes=all_shapes, declarations=declarations, lang="en"
        )
        found[path] = (fixture, report)
    return found


def test_there_are_fixtures():
    names = [p.name for p in fixture_files()]
    assert "odrl-ok.ttl" in names and sum("-bad" in n for n in names) >= 25


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fixture_yields_expected_report(path, reports):
    fixture, report = reports[path]
    expected = expectations(path)
    assert actual_results(report.graph, fixture) == expected
    own = [i for i in report.issues if (i.focus, i.source_shape) in {e[:2] for e in expected}]
    assert all(i.message for i in own), "every result has a readable message"
    for issue in own:
        deliberate = "Warning" if URIRef(issue.source_shape) in WARNING_SHAPES else "Violation"
        assert issue.severity == deliberate, (issue.source_shape, issue.severity)
    violations = {shape for _focus, shape, _path in expected} - {str(s) for s in WARNING_SHAPES}
    assert report.conforms == (not violations)
    if "-ok" in path.stem:
        assert expected == Counter() and not report.issues


def test_messages_follow_the_language(all_shapes, declarations):
    fixture = parse_turtle(FIXTURES / "constraint-operator-bad.ttl")
    english, dutch = (
        shacl.validate_policies(fixture, shapes=all_shapes, declarations=declarations, lang=lang)
        for lang in ("en", "nl")
    )
    assert [i.message for i in english.issues] == [
        "constraint without exactly one odrl:operator of the twelve ODRL operators "
        "(IM: Constraint Class)"
    ]
    assert [i.message for i in dutch.issues] == [
        "beperking zonder precies één odrl:operator uit de twaalf ODRL-operatoren "
        "(IM: Constraint Class)"
    ]


# --------------------------------------------------------------------------- coverage


def test_every_core_shape_has_a_violating_and_a_conforming_fixture(core, reports, declarations):
    """As for shapes/ (tests/test_shapes.py): a named shape is the source of an expected result
    of some fixture (a shape without constraints of its own counts through its property shapes
    or users); a shape with a target targets a subject of a fixture that expects 'conforms'."""
    violated = {URIRef(s) for path in fixture_files() for _f, s, _p in expectations(path)}

    def is_violated(shape: URIRef, seen: frozenset = frozenset()) -> bool:
        if shape in violated:
            return True
        if has_own_constraint(core, shape) or shape in seen:
            return False
        parts = set(core.objects(shape, SH.property)) | users_of(core, shape)
        return any(is_violated(p, seen | {shape}) for p in parts if isinstance(p, URIRef))

    named = named_shapes(core)
    assert len(named) > 30
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
    with_target = {s for s in named if any((s, t, None) in core for t in targets)}
    conforming: set = set()
    for path, (fixture, _report) in reports.items():
        if expectations(path):
            continue
        data = fixture + declarations
        subjects = set(fixture.subjects())
        for shape in ShapesGraph(core).shapes:
            shape.set_advanced(True)
            if shape.focus_nodes(data) & subjects:
                conforming.add(shape.node)
    missing = sorted(str(s) for s in named if not is_violated(s))
    untested = sorted(str(s) for s in with_target - conforming)
    assert (missing, untested) == ([], [])


# --------------------------------------------------------------------------- the shapes


def test_core_shapes_are_valid_shacl(core):
    conforms, _, text = shacl_validate(Graph(), shacl_graph=core, meta_shacl=True, advanced=True)
    assert conforms, text


def test_core_shapes_are_named_after_what_they_shape(core):
    pattern = re.escape(str(PREFIXES["shape"])) + r"Odrl[A-Z][A-Za-z]*(-[A-Za-z_-]+)?"
    named = {
        s for s in set(core.subjects(RDF.type, SH.NodeShape)) | set(core.subjects(SH.path, None))
        if isinstance(s, URIRef)
    }
    assert named and [str(s) for s in named if not re.fullmatch(pattern, str(s))] == []


def _langs(graph: Graph, node, predicate) -> set:
    return {getattr(v, "language", None) for v in graph.objects(node, predicate)}


def test_core_shapes_speak_dutch_and_english(core):
    """Named property shapes have a name and a message, SPARQL constraints a message, node shapes
    with constraints of their own a message: each in nl and en. (The anonymous shapes inside an
    sh:or are never a result's source shape.)"""
    missing = []
    for shape in {s for s in core.subjects(SH.path, None) if isinstance(s, URIRef)}:
        missing += [f"{shape} {p}" for p in (SH.name, SH.message)
                    if not {"nl", "en"} <= _langs(core, shape, p)]
    for constraint in set(core.objects(None, SH.sparql)):
        if not {"nl", "en"} <= _langs(core, constraint, SH.message):
            missing.append(f"{constraint} sh:message")
    for shape in named_shapes(core) - set(core.subjects(SH.path, None)):
        if has_own_constraint(core, shape) and not {"nl", "en"} <= _langs(core, shape, SH.message):
            missing.append(f"{shape} sh:message")
    assert sorted(missing) == []


def test_only_the_target_of_permissions_and_prohibitions_is_a_warning(core):
    stated = {(s, o) for s, o in core.subject_objects(SH.severity)}
    assert stated == {(s, SH.Warning) for s in WARNING_SHAPES}
