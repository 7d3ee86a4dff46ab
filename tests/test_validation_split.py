"""Validation of large data part by part (fast._data_parts, issue 19: ≤ 4 GB at 1M triples):
the results are those of one pyrudof run over the whole, on the corpus, on every shape fixture
at once, with inference, and on the cases a careless split gets wrong."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from wivgraph import fast, paths
from wivgraph.load import load_files, parse_turtle, turtle_files, union_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
WHOLE = {"split_above": 10**12}  # never split


def _keys(report) -> Counter:
    return Counter(
        (i.severity, i.focus, i.path, i.source_shape, i.constraint, i.value, i.message, i.focus_label)
        for i in report.issues
    )


def _runs(store, shapes, per_part, inferred=False) -> int:
    core, _sparql = fast._split_shapes(shapes)
    targets, markers = fast._resolve_targets(core, shapes, store,
                                             fast.query_options(store, inferred=inferred))
    core_text = core.serialize(format="ntriples") + "".join(targets)
    return len(fast._data_parts(store, core, core_text, markers, inferred, per_part))


def _same_both_ways(store, shapes, per_part, inferred=False, lang="nl"):
    whole = fast.validate_fast(store, shapes, inferred=inferred, lang=lang, **WHOLE)
    split = fast.validate_fast(store, shapes, inferred=inferred, lang=lang, split_above=0,
                               triples_per_part=per_part)
    assert split.conforms is whole.conforms
    assert _keys(split) == _keys(whole), {"split only": _keys(split) - _keys(whole),
                                          "whole only": _keys(whole) - _keys(split)}
    return whole


def test_the_corpus_split_in_many_parts_gives_the_same_report(shapes):
    store = fast.load_store()
    assert _runs(store, shapes, 500) >= 5
    whole = _same_both_ways(store, shapes, 500)
    assert whole.issues  # (the corpus has warnings: the comparison compares something)


@pytest.fixture(scope="module")
def fixtures_store():
    root = paths.project_root()
    data = union_graph(load_files(turtle_files(root / "ontology"), root))
    for path in sorted(FIXTURES.rglob("*.ttl")):
        parse_turtle(path, into=data)
    return data


def test_every_shape_fixture_at_once_split_gives_the_same_report(shapes, fixtures_store):
    store = fast.store_from_graph(fixtures_store)
    assert _runs(store, shapes, 200) >= 5
    whole = _same_both_ways(store, shapes, 200, lang="en")
    assert len({i.source_shape for i in whole.issues}) >= 100  # many kinds of results compared


def test_a_split_with_inferred_triples_gives_the_same_report(shapes, fixtures_store):
    from wivgraph.infer import closure

    data = Graph()
    for path in sorted((FIXTURES / "norms").glob("*.ttl")):
        parse_turtle(path, into=data)
    root = paths.project_root()
    data += union_graph(load_files(turtle_files(root / "ontology"), root))
    store = fast.store_from_graph(data)
    fast.add_triples(store, closure(data, "rdfs"))
    whole = _same_both_ways(store, shapes, 100)
    assert not whole.conforms


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Cited a sh:NodeShape ; sh:targetObjectsOf ex:cites ;
    sh:property [ sh:path [ sh:inversePath ex:cites ] ; sh:minCount 2 ] .
ex:Named a sh:NodeShape ; sh:targetNode ex:d , ex:nowhere ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Typed a sh:NodeShape ; sh:targetClass ex:Doc ;
    sh:property [ sh:path ex:part ; sh:class ex:Part ] .
"""
DATA = """@prefix ex: <http://example.org/> .
ex:a a ex:Doc ; ex:name "a" ; ex:cites <https://wetten.example/art1> ; ex:part ex:a1 .
ex:a1 a ex:Part .
ex:b a ex:Doc ; ex:cites <https://wetten.example/art1> , <https://wetten.example/art2> ;
    ex:part ex:b1 .
ex:b1 a ex:Part .
ex:c a ex:Doc ; ex:part ex:c1 .
ex:c1 ex:note "not a part" .
ex:d a ex:Doc ; ex:name "d" ; ex:part ex:d1 .
ex:d1 a ex:Part .
"""


def test_what_a_careless_split_gets_wrong():
    """Each document is a part of its own (one triple per part). An outside reference cited by
    two documents (art1) has both citers only if the backwards path is read whole (the citers
    are shared); a target node (ex:d) is checked only with its own part's data, not as a node
    without data in the other runs; a class check reads the value's type from the value's part."""
    shapes = Graph().parse(data=SHAPES, format="turtle")
    store = fast.store_from_graph(Graph().parse(data=DATA, format="turtle"))
    assert _runs(store, shapes, 1) >= 2
    whole = _same_both_ways(store, shapes, 1)
    got = {(i.focus.rsplit("/", 1)[-1], i.constraint) for i in whole.issues}
    assert got == {
        ("art2", "MinCountConstraintComponent"),  # cited once
        ("nowhere", "MinCountConstraintComponent"),  # a target node without data
        ("c", "ClassConstraintComponent"),  # c1 is no ex:Part
    }


def test_a_generated_corpus_split_gives_the_same_report(tmp_path):
    """Replicas of the corpus (benchmarks/generate.py) link to the same outside references and
    ontology terms but not to each other: the split's parts there are what they are at 1M."""
    import subprocess
    import sys

    from wivgraph.load import load_shapes

    root = tmp_path / "generated"
    subprocess.run([sys.executable, str(paths.project_root() / "benchmarks" / "generate.py"),
                    "--triples", "40000", "--out", str(root)], check=True, capture_output=True)
    store = fast.load_store(root)
    shapes = load_shapes(root)
    assert _runs(store, shapes, 15000) >= 3
    whole = _same_both_ways(store, shapes, 15000)
    assert not whole.conforms  # replicas drop statements: violations are compared too


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_parts_taken_by_several_threads_give_the_same_results(shapes, workers):
    store = fast.load_store()
    whole = fast.validate_fast(store, shapes, **WHOLE)
    split = fast.validate_fast(store, shapes, split_above=0, triples_per_part=2_000,
                               workers=workers)
    assert _keys(split) == _keys(whole)


def test_a_failing_split_is_raised_not_waited_for(shapes, monkeypatch):
    """The threads taking parts wait for runs; when making them fails, the error comes out
    (nobody waits for runs that never come)."""
    import threading

    def broken(*args, **kwargs):
        raise RuntimeError("split failed")

    monkeypatch.setattr(fast, "_data_parts", broken)
    store = fast.load_store()
    outcome = []

    def validate():
        try:
            fast.validate_fast(store, shapes, split_above=0, workers=2)
        except RuntimeError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=validate, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "validate_fast hangs when the split fails"
    assert outcome == ["split failed"]
