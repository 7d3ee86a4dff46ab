"""SHACL shapes: the shapes are valid SHACL, cover every class, and each fixture yields exactly
the results stated in its ``# expect:`` lines (focus node, source shape, result path)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from wivgraph import paths
from wivgraph.load import load_files, parse_turtle, turtle_files, union_graph
from wivgraph.namespaces import PREFIXES, SH, WIV
from wivgraph.validate import validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
EXPECT = re.compile(r"^#\s*expect:\s*(.+)$", re.M)


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


def expectations(path: Path) -> Counter | None:
    """None for ``# expect: conforms``; otherwise a multiset of (focus, shape, path)."""
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


@pytest.fixture(scope="session")
def ontology() -> Graph:
    root = paths.project_root()
    return union_graph(load_files(turtle_files(root / "ontology"), root))


def actual_results(report_graph: Graph, fixture: Graph) -> Counter:
    subjects = set(fixture.subjects())
    found = Counter()
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
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


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_yields_expected_report(path, ontology, shapes):
    expected = expectations(path)
    fixture = parse_turtle(path)
    data = Graph()
    for triple in ontology:
        data.add(triple)
    for triple in fixture:
        data.add(triple)
    report = validate_graph(data, shapes, lang="en")
    assert actual_results(report.graph, fixture) == expected
    if expected:
        own = [i for i in report.issues if (i.focus, i.source_shape) in {e[:2] for e in expected}]
        assert all(i.message for i in own), "every result has a readable message"
    if "-bad" in path.stem and "warnings" not in path.parts:
        assert not report.conforms


def test_shapes_are_valid_shacl(shapes):
    """pySHACL's meta-SHACL check of the shapes graph (raises on invalid shapes)."""
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_every_property_shape_speaks_both_languages(shapes):
    missing = []
    for shape in set(shapes.subjects(SH.path, None)):
        if not isinstance(shape, URIRef):
            continue
        for predicate in (SH.name, SH.message):
            langs = {getattr(v, "language", None) for v in shapes.objects(shape, predicate)}
            if not {"nl", "en"} <= langs:
                missing.append(f"{shape} {predicate}")
    assert missing == []


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
    declared = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(WIV))}
    undeclared = set()
    for path in fixture_files():
        if "vocabulary" in path.parts or "replacement" in path.name:
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


@pytest.fixture(scope="session")
def corpus_report(corpus, shapes):
    return validate_graph(corpus, shapes, lang="en")


@pytest.mark.xfail(
    strict=True,
    reason="real findings in other helpers' data, reported to the lead (docs/validation.md): "
    "undeclared wiv:replacedBy, dangling action concepts in data/ctivd/cases.ttl, missing "
    "Wiv 2002 articles, RNV bearer, CIIC art 7 lid 1 consent, glossary scheme without quote",
)
def test_corpus_conforms(corpus_report):
    assert corpus_report.conforms, [
        (i.focus, i.source_shape, i.path) for i in corpus_report.violations
    ]


def test_corpus_report_is_readable_in_both_languages(corpus, shapes, corpus_report):
    from wivgraph.validate import format_report  # noqa: PLC0415

    for issue in corpus_report.issues:
        assert issue.message and issue.source_shape.startswith(str(PREFIXES["shape"]))
    english = format_report(corpus_report, "text", "en")
    dutch = format_report(validate_graph(corpus, shapes, lang="nl"), "text", "nl")
    assert english.splitlines()[0] != dutch.splitlines()[0]
