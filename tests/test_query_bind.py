"""Binding parameters on an oxigraph store (issue #19, "binding in O(1)"): the same IRIs and the
same errors as the rdflib path, without a class scan or a walk over every label."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from wivgraph import fast, query
from wivgraph.errors import WivgraphError
from wivgraph.query import bind_parameters, catalogue, run_question, within_time_limit
from wivgraph.store import _rdflib_term, rdflib_term

QUESTIONS = catalogue()
CIIC = URIRef("https://w3id.org/wivgraph/id/cell/ciic")
AIVD = URIRef("https://w3id.org/wivgraph/id/org/aivd")


@pytest.fixture(scope="module")
def fast_corpus():
    return fast.FastStore(fast.load_store())


def _bound_or_error(bind) -> dict | str:
    try:
        return bind()
    except WivgraphError as error:
        return str(error)


#: (question, parameter, value): labels in both languages and any case, IRI slugs, a label
#: several resources carry (settled by the parameter's kind, or not), unknown names and IRIs
CASES = [
    ("norms-obligations-of", "party", "AIVD"),
    ("norms-obligations-of", "party", "aivd"),
    ("norms-obligations-of", "party", "  Cyber Intel/Info Cell "),
    ("norms-obligations-of", "party", "cyber intel/info cel"),
    ("norms-obligations-of", "party", "ciic"),
    ("norms-obligations-of", "party", "Ministerie"),
    ("norms-obligations-of", "party", "organisation:aivd"),
    ("norms-obligations-of", "party", "<https://w3id.org/wivgraph/id/org/nctvv>"),
    ("norms-obligations-of", "party", "<not an iri>"),
    ("laws-article-citers", "article", "17"),
    ("onward-conditions", "category", "CIIC data"),
    ("onward-conditions", "category", "datacat:ciic-dat"),
    ("onward-conditions", "category", "https://w3id.org/wivgraph/id/concept/data/ciic-data"),
    ("onward-who-may-pass", "category", "geen-bekende-categorie"),
]


@pytest.mark.parametrize(("name", "param", "value"), CASES)
def test_parameter_binds_on_oxigraph_as_on_the_rdflib_path(name, param, value, dataset, fast_corpus):
    question = QUESTIONS[name]
    on_rdflib = _bound_or_error(lambda: bind_parameters(question, {param: value}, dataset))
    on_oxigraph = _bound_or_error(
        lambda: bind_parameters(question, {param: value}, None, store=fast_corpus)
    )
    assert on_oxigraph == on_rdflib


class _Endpoint:
    """A store with no local graph (as RemoteStore): names are resolved by SPARQL only."""

    kind = "test"
    graph = None

    def __init__(self, inner):
        self.inner = inner
        self.texts: list[str] = []

    def query(self, text, bindings=None, **kwargs):
        self.texts.append(text)
        return self.inner.query(text, bindings, **kwargs)


@pytest.mark.parametrize(
    ("name", "param", "value"), [c for c in CASES if query.expand_iri(c[2]) is None]
)
def test_label_binds_by_sparql_as_on_the_rdflib_path(name, param, value, dataset, fast_corpus):
    question = QUESTIONS[name]
    on_rdflib = _bound_or_error(lambda: bind_parameters(question, {param: value}, dataset))
    endpoint = _Endpoint(fast_corpus)
    by_sparql = _bound_or_error(
        lambda: bind_parameters(question, {param: value}, None, store=endpoint)
    )
    assert by_sparql == on_rdflib
    one = isinstance(on_rdflib, dict) and value.strip().casefold() in fast_corpus.name_index() \
        and len(fast_corpus.name_index()[value.strip().casefold()]) == 1
    assert len(endpoint.texts) == (1 if one else 2)  # a second query only on the slow path


def test_label_resolves_to_the_same_iri(fast_corpus, dataset):
    question = QUESTIONS["norms-obligations-of"]
    for value in ("AIVD", "aivd", "organisation:aivd"):
        assert bind_parameters(question, {"party": value}, None, store=fast_corpus) == {
            "party": AIVD
        }
        assert bind_parameters(question, {"party": value}, dataset) == {"party": AIVD}
    # 'ciic' is also a scope concept's slug: the party parameter's kind picks the cell
    assert bind_parameters(question, {"party": "ciic"}, None, store=fast_corpus) == {"party": CIIC}


def test_unknown_label_errors_with_the_closest_names(fast_corpus):
    with pytest.raises(WivgraphError, match="unknown 'Ministerie'; closest known: ") as caught:
        run_question(fast_corpus, QUESTIONS["norms-obligations-of"], {"party": "Ministerie"})
    assert "Openbaar Ministerie" in str(caught.value)


def test_ambiguous_label_errors(fast_corpus):
    with pytest.raises(WivgraphError, match="'17' is ambiguous: .*wiv-2017/art/17.*give the IRI"):
        run_question(fast_corpus, QUESTIONS["laws-article-citers"], {"article": "17"})


def test_no_class_scan_nor_label_walk_for_an_iri_or_a_unique_label(monkeypatch):
    store = fast.FastStore(fast.load_store())

    def refuse(*args, **kwargs):
        raise AssertionError("a scan over a class or over every label")

    monkeypatch.setattr(query, "same_kind", refuse)
    monkeypatch.setattr(query, "resource_names", refuse)
    question = QUESTIONS["norms-obligations-of"]
    by_iri = run_question(store, question, {"party": f"<{AIVD}>"})
    by_prefixed = run_question(store, question, {"party": "organisation:aivd"})
    by_label = run_question(store, question, {"party": "AIVD"})
    by_slug = run_question(store, question, {"party": "Aivd"})
    assert by_iri.rows and by_iri.rows == by_prefixed.rows == by_label.rows == by_slug.rows
    assert store._graph is None, "no rdflib view was needed"
    assert store.name_index()["aivd"] == (str(AIVD),)


def test_name_index_has_the_names_of_resource_names(fast_corpus):
    names = query.resource_names(fast_corpus.graph)
    index = fast_corpus.name_index()
    expected: dict[str, set[str]] = {}
    for name, iri in names:
        expected.setdefault(name.casefold(), set()).add(str(iri))
    assert {name: set(iris) for name, iris in index.items()} == expected


def test_time_limit_workers_are_kept_and_still_stop_a_slow_query():
    before = threading.active_count()
    threads = [within_time_limit(threading.current_thread, 5, name="t") for _ in range(20)]
    assert threading.main_thread() not in threads
    assert len(set(threads)) <= query._Worker.IDLE + 1
    assert threading.active_count() <= before + query._Worker.IDLE + 1
    with pytest.raises(WivgraphError, match="time limit of 0.05 s"):
        within_time_limit(lambda: time.sleep(0.5), 0.05, name="t")
    assert within_time_limit(lambda: 42, 5, name="t") == 42
    with pytest.raises(ValueError, match="invalid literal"):
        within_time_limit(lambda: int("x"), 5, name="t")


def test_remembered_terms_are_the_terms_rdflib_makes():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [
        ox.NamedNode("https://w3id.org/wivgraph/id/org/aivd"),
        ox.BlankNode("b1"),
        ox.Literal("CIIC", language="nl"),
        ox.Literal("plain"),
        ox.Literal("01", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("1", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("2020-01-01", datatype=ox.NamedNode(xsd + "date")),
        ox.Literal("P3M", datatype=ox.NamedNode(xsd + "duration")),
    ]
    for term in terms:
        first = rdflib_term(term)
        assert first == _rdflib_term(term) and type(first) is type(_rdflib_term(term))
        assert rdflib_term(term) is first
