"""SHACL shapes: the shapes are valid SHACL, cover every class, each fixture yields exactly the
results stated in its ``# expect:`` lines (focus node, source shape, result path), and every
named shape has a violating fixture and (through its target) a conforming one."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from wivgraph import paths
from wivgraph.load import load_files, parse_turtle, turtle_files, union_graph
from wivgraph.namespaces import PREFIXES, SH, SHAPE, WIV
from wivgraph.validate import Report, validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SHAPES_DIR = paths.project_root() / "shapes"
EXPECT = re.compile(r"^#\s*expect:\s*(.+)$", re.M)
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.ttl"))


def expand(token: str) -> str:
    """A compact name (``shape:Norm``), ``<iri>`` or ``_`` (any blank node) as a full string."""
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    if token == "_":
        return token
    prefix, _, local = token.partition(":")
    if prefix not in PREFIXES:
        raise ValueError(f"unknown prefix in expectation: {token}")
    return str(PREFIXES[prefix]) + local


def expectations(path: Path) -> Counter:
    """The expected report as a multiset of (focus, shape, path); empty for ``conforms``."""
    lines = EXPECT.findall(path.read_text(encoding="utf-8"))
    assert lines, f"{path}: no '# expect:' line"
    if lines == ["conforms"]:
        return Counter()
    expected = Counter()
    for line in lines:
        focus, shape, result_path = line.split()
        expected[
            (expand(focus), expand(shape), "" if result_path == "-" else expand(result_path))
        ] += 1
    return expected


# --------------------------------------------------------------------------- fast validation
#
# Validating a fixture together with ontology/ against all shapes costs about a second, nearly
# all of it spent on the ontology's own nodes (and on the SPARQL targets scanning it). Only the
# fixture's subjects are compared, so each fixture is validated against a copy of the shapes
# whose targets are replaced by sh:targetNode for exactly the fixture subjects each shape
# targets in the full data graph. Shapes that target none of them then do nothing. The results
# for the fixture's subjects are the same as with the original targets
# (test_fast_validation_equals_full_validation checks this on all fixtures at once).


@lru_cache(maxsize=64)
def _target_query(shapes: Graph, target: Node):
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    return prepareQuery(str(shapes.value(target, SH.select)), initNs=prefixes)


def targeted_nodes(data: Graph, shapes: Graph, nodes: set[Node]) -> dict[Node, set[Node]]:
    """For every shape with a target: which of ``nodes`` it targets in ``data``."""
    found: dict[Node, set[Node]] = {}
    implicit = {
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, RDF.type, RDFS.Class) in shapes
    }
    assert not implicit, "implicit class targets are not handled here"
    for predicate in TARGETS:
        for shape, target in shapes.subject_objects(predicate):
            hits = found.setdefault(shape, set())
            if predicate == SH.targetClass:
                classes = set(data.transitive_subjects(RDFS.subClassOf, target))
                hits.update(n for n in nodes if any((n, RDF.type, c) in data for c in classes))
            elif predicate == SH.targetSubjectsOf:
                hits.update(n for n in nodes if (n, target, None) in data)
            elif predicate == SH.targetObjectsOf:
                hits.update(n for n in nodes if (None, target, n) in data)
            elif predicate == SH.targetNode:
                hits.update({target} & nodes)
            elif (target, RDF.type, SH.SPARQLTarget) in shapes:
                query = _target_query(shapes, target)
                hits.update(n for n in nodes if len(data.query(query, initBindings={"this": n})))
            else:
                raise AssertionError(f"{shape}: target kind not understood: {target}")
    return found


@lru_cache(maxsize=1)
def _untargeted(shapes: Graph) -> Graph:
    """The shapes without their targets."""
    bare = Graph()
    for triple in shapes:
        if triple[1] not in TARGETS:
            bare.add(triple)
    return bare


def validate_subjects(data: Graph, shapes: Graph, nodes: set[Node], lang: str = "en") -> Report:
    """validate_graph restricted to ``nodes`` as focus nodes of the shapes that target them.

    The shapes graph passed on holds only those shapes and what they refer to (property shapes,
    value shapes, SPARQL constraints, prefixes), each target replaced by sh:targetNode."""
    bare = _untargeted(shapes)
    hits = targeted_nodes(data, shapes, nodes)
    narrowed = Graph()
    todo: list[Node] = [shape for shape, found in hits.items() if found]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in bare.predicate_objects(node):
            narrowed.add((node, predicate, value))
            if isinstance(value, (URIRef, BNode)):
                todo.append(value)
    for shape, found in hits.items():
        for node in found:
            narrowed.add((shape, SH.targetNode, node))
    return validate_graph(data, narrowed, lang=lang)


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    root = paths.project_root()
    return union_graph(load_files(turtle_files(root / "ontology"), root))


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load_ontology()


def with_ontology(ontology: Graph, fixture: Graph) -> Graph:
    data = Graph()
    for graph in (ontology, fixture):
        for triple in graph:
            data.add(triple)
    return data


def actual_results(report_graph: Graph, fixture: Graph) -> Counter:
    subjects = set(fixture.subjects())
    found = Counter()
    # the report's own results only: nested sh:detail results are optional in SHACL (pySHACL
    # gives them, pyrudof does not) and repeat what the referring shape's result already says
    for result in report_graph.objects(None, SH.result):
        focus = report_graph.value(result, SH.focusNode)
        if focus not in subjects:
            continue
        path = report_graph.value(result, SH.resultPath)
        found[
            (
                "_" if isinstance(focus, BNode) else str(focus),
                str(report_graph.value(result, SH.sourceShape)),
                str(path) if isinstance(path, URIRef) else "",
            )
        ] += 1
    return found


@pytest.fixture(scope="session")
def fixture_reports(ontology, shapes) -> dict[Path, tuple[Graph, Graph, Report]]:
    """Every fixture: (fixture graph, fixture + ontology, report on the fixture's subjects)."""
    reports = {}
    for path in fixture_files():
        fixture = parse_turtle(path)
        data = with_ontology(ontology, fixture)
        reports[path] = (fixture, data, validate_subjects(data, shapes, set(fixture.subjects())))
    return reports


@pytest.fixture(scope="session")
def warning_shapes() -> set[Node]:
    """Shapes (and constraints) declared in shapes/warnings.ttl."""
    return set(parse_turtle(SHAPES_DIR / "warnings.ttl").subjects())


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_yields_expected_report(path, fixture_reports, warning_shapes):
    fixture, _data, report = fixture_reports[path]
    expected = expectations(path)
    assert actual_results(report.graph, fixture) == expected
    own = [i for i in report.issues if (i.focus, i.source_shape) in {e[:2] for e in expected}]
    assert all(i.message for i in own), "every result has a readable message"
    for issue in own:
        deliberate = "Warning" if URIRef(issue.source_shape) in warning_shapes else "Violation"
        assert issue.severity == deliberate, (issue.source_shape, issue.severity)
    if "-bad" in path.stem and "warnings" not in path.parts:
        assert not report.conforms
    if "-ok" in path.stem:
        assert expected == Counter(), f"{path.name}: an -ok fixture expects 'conforms'"


def test_narrowed_targets_equal_pyshacl_targets(ontology, shapes):
    """All fixtures in one graph: targeted_nodes finds, for every shape, exactly the subjects
    pySHACL itself targets; so validate_subjects reports what a full validation reports on them
    (a result depends only on the shape, the focus node and the data)."""
    from pyshacl.shapes_graph import ShapesGraph  # noqa: PLC0415

    merged = Graph()
    for path in fixture_files():
        parse_turtle(path, into=merged)
    data = with_ontology(ontology, merged)
    subjects = set(data.subjects())
    ours = {s: n for s, n in targeted_nodes(data, shapes, subjects).items() if n}
    theirs = {}
    for shape in ShapesGraph(shapes).shapes:
        shape.set_advanced(True)
        hits = shape.focus_nodes(data) & subjects
        if hits:
            theirs[shape.node] = hits
    assert ours == theirs
    with_target = {s for t in TARGETS for s in shapes.subjects(t, None)}
    assert set(ours) == with_target, "the merged fixtures exercise every shape with a target"


# --------------------------------------------------------------------------- coverage

#: Constraint parameters of a shape (anything that can make the shape itself the source shape).
NON_CONSTRAINTS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.message,
    SH.severity,
    SH.property,
    SH.description,
    SH.order,
    SH.group,
    SH.deactivated,
    *TARGETS,
}


def named_shapes(shapes: Graph) -> set[URIRef]:
    """Node shapes and property shapes with an IRI in the shape: namespace."""
    candidates = (
        set(shapes.subjects(RDF.type, SH.NodeShape))
        | set(shapes.subjects(RDF.type, SH.PropertyShape))
        | set(shapes.subjects(SH.path, None))
    )
    return {s for s in candidates if isinstance(s, URIRef) and str(s).startswith(str(SHAPE))}


def has_own_constraint(shapes: Graph, shape: URIRef) -> bool:
    return any(p not in NON_CONSTRAINTS and p != SH.path for p in shapes.predicates(shape))


def users_of(shapes: Graph, shape: URIRef) -> set[Node]:
    """Named shapes that contain ``shape`` (sh:property) or use it as a value shape (sh:node)."""
    users = set()
    for parent in shapes.subjects(SH.property, shape):
        users.add(parent)
    for holder in shapes.subjects(SH.node, shape):
        # climb out of sh:or lists and anonymous shapes to the named shape
        stack, seen = [holder], set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if isinstance(node, URIRef):
                users.add(node)
                continue
            stack.extend(s for s, _p in shapes.subject_predicates(node))
    return users


def test_every_shape_has_a_violating_and_a_conforming_fixture(shapes, fixture_reports):
    """Each named shape is the expected source shape of a violating fixture (a shape with no
    constraint of its own, such as a node shape that only groups property shapes, counts when
    one of its property shapes or users does; a value shape with constraints but no target, such
    as shape:Agent, counts when a shape that uses it through sh:node is violated, as its result is
    that shape's); each shape with a
    target targets a subject of a fixture that expects 'conforms'."""
    violated = {
        URIRef(shape) for path in fixture_files() for _focus, shape, _path in expectations(path)
    }
    conforming_hits: set[Node] = set()
    for path, (fixture, data, _report) in fixture_reports.items():
        if expectations(path):
            continue
        hits = targeted_nodes(data, shapes, set(fixture.subjects()))
        conforming_hits.update(shape for shape, nodes in hits.items() if nodes)

    named = named_shapes(shapes)

    def is_violated(shape: URIRef, seen: frozenset = frozenset()) -> bool:
        if shape in violated:
            return True
        if shape in seen:
            return False
        if has_own_constraint(shapes, shape):
            # a value shape (no target, only reached through sh:node, such as shape:Agent) is
            # reported as its user's sh:NodeConstraintComponent result, not under its own name
            value_shape = not any((shape, t, None) in shapes for t in TARGETS) and not any(
                shapes.subjects(SH.property, shape)
            )
            users = users_of(shapes, shape) if value_shape else set()
            return any(is_violated(u, seen | {shape}) for u in users if isinstance(u, URIRef))
        parts = set(shapes.objects(shape, SH.property)) | users_of(shapes, shape)
        return any(is_violated(p, seen | {shape}) for p in parts if isinstance(p, URIRef))

    no_violation = sorted(str(s) for s in named if not is_violated(s))
    with_target = {s for s in named if any((s, t, None) in shapes for t in TARGETS)}
    no_conforming = sorted(str(s) for s in with_target - conforming_hits)
    assert (no_violation, no_conforming) == ([], [])


# --------------------------------------------------------------------------- the shapes themselves


def test_shapes_are_valid_shacl(shapes):
    """pySHACL's meta-SHACL check of the shapes graph (raises on invalid shapes)."""
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_every_shape_is_named_after_its_class(shapes):
    """Named shapes live under shape: and are ``Class`` or ``Class-path[-rule]``."""
    bad = [
        str(s)
        for s in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.path, None))
        if isinstance(s, URIRef)
        and not re.fullmatch(
            re.escape(str(PREFIXES["shape"])) + r"[A-Z][A-Za-z]*(-[A-Za-z_-]+)?", str(s)
        )
    ]
    assert bad == []


def covered_classes(ontology: Graph, shapes: Graph) -> set[URIRef]:
    targets = set(shapes.objects(None, SH.targetClass))
    covered = set()
    for cls in set(ontology.subjects(RDF.type, OWL.Class)) | set(
        ontology.subjects(RDF.type, RDFS.Class)
    ):
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        if supers & targets:
            covered.add(cls)
    for prop in shapes.objects(None, SH.targetSubjectsOf):
        covered.update(ontology.objects(prop, RDFS.domain))
    return covered


def test_every_class_of_ours_has_a_shape(ontology, shapes):
    ours = {
        c
        for kind in (OWL.Class, RDFS.Class)
        for c in ontology.subjects(RDF.type, kind)
        if isinstance(c, URIRef) and str(c).startswith(str(WIV))
    }
    assert ours, "the ontology declares classes"
    assert sorted(ours - covered_classes(ontology, shapes)) == []


def test_fixtures_use_only_declared_terms(ontology):
    """Outside vocabulary/ (which tests undeclared terms) fixtures use declared wiv: terms."""
    declared = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(WIV))}
    undeclared = set()
    for path in fixture_files():
        if "vocabulary" in path.parts:
            continue
        for _s, p, o in parse_turtle(path):
            for term in (p, o) if p != RDF.type else (o,):
                if (
                    isinstance(term, URIRef)
                    and str(term).startswith(str(WIV))
                    and term not in declared
                ):
                    undeclared.add(f"{path.name}: {term}")
    assert sorted(undeclared) == []


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="session")
def corpus_report(corpus, shapes):
    return validate_graph(corpus, shapes, lang="en")


def test_corpus_conforms(corpus_report):
    assert corpus_report.conforms, [
        (i.focus, i.source_shape, i.path) for i in corpus_report.violations
    ]


def test_corpus_report_is_readable_in_both_languages(corpus_report):
    """Every result on the corpus names one of our shapes and carries two messages (nl, en).

    pySHACL drops the language tags of messages of SPARQL-based constraints, so the count of
    distinct messages is checked rather than their tags (see test_shapes_messages.py)."""
    for result in corpus_report.graph.subjects(RDF.type, SH.ValidationResult):
        shape = str(corpus_report.graph.value(result, SH.sourceShape))
        messages = set(corpus_report.graph.objects(result, SH.resultMessage))
        assert shape.startswith(str(SHAPE)) and len(messages) >= 2, (shape, messages)
    for issue in corpus_report.issues:
        assert issue.message and issue.source_shape.startswith(str(SHAPE))


def test_text_report_speaks_the_chosen_language(ontology, shapes):
    """Header and (language-tagged) messages follow --lang; a shape with plain SHACL
    constraints is used, see test_shapes_messages.py for SPARQL constraints."""
    from wivgraph.validate import format_report  # noqa: PLC0415

    fixture = parse_turtle(FIXTURES / "norms" / "norm-label-bad.ttl")
    data = with_ontology(ontology, fixture)
    nodes = set(fixture.subjects())
    english = format_report(validate_subjects(data, shapes, nodes, "en"), "text", "en")
    dutch = format_report(validate_subjects(data, shapes, nodes, "nl"), "text", "nl")
    assert english.splitlines()[0].startswith("The graph does not conform")
    assert dutch.splitlines()[0].startswith("De graaf voldoet niet")
    assert "norm without" in english and "norm zonder" not in english
    assert "norm zonder" in dutch and "norm without" not in dutch
    assert "[Overtreding]" in dutch and "[Violation]" not in dutch
    assert "[Violation]" in english


# --------------------------------------------------------------------------- closed shapes

CLOSED_FIXTURES = sorted(FIXTURES.rglob("*-closed-bad.ttl"))


def test_closed_shapes_exist_for_the_closed_model(shapes):
    """Norm, condition, deadline, frequency, signature, citation and cell are closed; each has a
    violating fixture."""
    closed = {s for s in shapes.subjects(SH.closed, None) if isinstance(s, URIRef)}
    names = {str(s).rsplit("/", 1)[-1] for s in closed}
    assert names == {
        f"{c}-closed"
        for c in ("Norm", "Condition", "Deadline", "Frequency", "Signature", "Citation", "Cell")
    }
    for shape in closed:
        assert (shape, SH.ignoredProperties, None) in shapes
        assert {m.language for m in shapes.objects(shape, SH.message)} == {"nl", "en"}
    expected = {shape for path in CLOSED_FIXTURES for _f, shape, _p in expectations(path)}
    assert expected == {str(s) for s in closed}


@pytest.mark.parametrize("path", CLOSED_FIXTURES, ids=lambda p: p.stem)
def test_closed_shape_violation_same_on_fast_path(path, shapes, reference):
    """pyrudof (fast path) reports a misplaced property exactly as pySHACL does."""
    from wivgraph import fast  # noqa: PLC0415

    root = paths.project_root()
    files = [*turtle_files(root / "ontology"), path]
    store = fast.load_store(root, files=files)
    data = union_graph(load_files(files, root))
    naive = reference.pyshacl_graph(data, shapes)
    quick = fast.validate_fast(store, shapes)

    def closed(report):
        return Counter(
            (i.focus, i.path, i.value, i.message, i.severity)
            for i in report.issues
            if i.constraint == "ClosedConstraintComponent"
        )

    assert closed(naive) and closed(quick) == closed(naive)
    assert all("gesloten vorm" in i.message for i in naive.issues if "closed" in i.source_shape)


# --------------------------------------------------------------------------- blank-node focus


def test_text_report_names_a_blank_node_after_its_owner(ontology, shapes):
    """A norm's blank-node deadline is shown as "termijn van <norm label>", never as its id."""
    from wivgraph.validate import format_report  # noqa: PLC0415

    fixture = parse_turtle(FIXTURES / "norms" / "norm-ok.ttl")
    named = URIRef(str(PREFIXES["fact"]) + "deadline-fixture")
    blank = BNode()
    for s, p, o in list(fixture):
        if named in (s, o):
            fixture.remove((s, p, o))
            fixture.add((blank if s == named else s, p, blank if o == named else o))
    fixture.set((blank, WIV.dueWithin, Literal("drie maanden")))  # not an xsd:duration
    data = with_ontology(ontology, fixture)
    norm = fixture.value(None, WIV.deadline, blank)
    norm_nl = next(str(x) for x in fixture.objects(norm, RDFS.label) if x.language == "nl")
    norm_en = next(str(x) for x in fixture.objects(norm, RDFS.label) if x.language == "en")
    for lang, expected in (("nl", f"termijn van {norm_nl}"), ("en", f"deadline of {norm_en}")):
        report = validate_subjects(data, shapes, set(fixture.subjects()), lang)
        issues = [i for i in report.issues if i.focus == str(blank)]
        assert issues and {i.focus_label for i in issues} == {expected}
        text = format_report(report, "text", lang)
        assert f"] {expected}\n" in text + "\n"
        assert str(blank) not in text
