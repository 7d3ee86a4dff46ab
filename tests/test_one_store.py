"""One store (issue 19): the fast store holds each file's triples once, in its named graph.

Its default graph is oxigraph's union of the named graphs, which counts a triple once per graph
that holds it; rdflib's union is a set. So the data states every triple in one file only, and
the union of a store without a copy answers like rdflib's (tests/test_fast.py compares every
catalogue question); ``graph:inferred`` stays out of it unless asked.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from wivgraph import cache, fast
from wivgraph.load import load_dataset, union_graph
from wivgraph.namespaces import INFERRED_GRAPH
from wivgraph.store import name_index


@pytest.fixture(scope="module")
def store():
    return fast.load_store()


def test_no_triple_is_stated_in_two_files(store):
    shared = fast.shared_triples(store, limit=20)
    assert not shared, "stated in two files (state it in one): " + "; ".join(
        f"{s} {p} {o} in {g.value.rsplit('/graph/', 1)[-1]} and {h.value.rsplit('/graph/', 1)[-1]}"
        for s, p, o, g, h in shared
    )


def test_the_store_holds_each_triple_once(store):
    assert not fast.has_union_copy(store)
    assert len(store) == sum(len(g) for g in load_dataset().graphs())
    union = next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **fast.query_options(store)
    )))["n"].value
    assert int(union) == len(union_graph(load_dataset()))


def test_name_index_and_view_read_the_union(store):
    copied = fast.load_store(union_copy=True)
    assert fast.has_union_copy(copied)
    assert name_index(store) == name_index(copied)
    view, copy_view = fast.rdflib_view(store), fast.rdflib_view(copied)
    assert len(view) == len(copy_view)
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

    def labels(graph):  # (blank nodes are fresh per load)
        return {t for t in graph.triples((None, label, None)) if isinstance(t[0], URIRef)}

    assert labels(view) == labels(copy_view) and labels(view)
    ask = "SELECT ?d WHERE { ?d a <https://w3id.org/wivgraph/def#Convenant> }"
    assert sorted(view.query(ask)) == sorted(copy_view.query(ask)) and list(view.query(ask))


def _two_graph_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    s, p = URIRef("urn:x:s"), URIRef("urn:x:p")
    dataset.graph(URIRef("urn:x:g1")).add((s, p, Literal("both")))
    dataset.graph(URIRef("urn:x:g2")).add((s, p, Literal("both")))
    dataset.graph(URIRef("urn:x:g2")).add((s, p, Literal("one")))
    return dataset


def test_data_with_a_triple_in_two_graphs_gets_the_copy():
    store = fast.store_from_dataset(_two_graph_dataset())
    assert fast.has_union_copy(store)
    rows = list(store.query("SELECT ?o WHERE { ?s ?p ?o }", **fast.query_options(store)))
    assert sorted(r["o"].value for r in rows) == ["both", "one"]
    graphs = list(store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **fast.query_options(store)
    ))
    assert len(graphs) == 3


def test_inferred_triples_stay_out_of_the_union_unless_asked():
    store = fast.load_store()
    cache.infer_into(store)  # makes the union copy first: graph:inferred is a named graph too
    assert fast.has_union_copy(store)
    target = ox.NamedNode(str(INFERRED_GRAPH))
    sample = next(iter(store.quads_for_pattern(None, None, None, target)))
    ask = f"ASK {{ {sample.subject} {sample.predicate} {sample.object} }}"
    assert not store.query(ask, **fast.query_options(store, inferred=False))
    assert store.query(ask, **fast.query_options(store, inferred=True))
    # a store holding graph:inferred without the copy: the asserted graphs are named instead
    bare = ox.Store()
    bare.extend(q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    assert not fast.has_union_copy(bare)
    assert not bare.query(ask, **fast.query_options(bare, inferred=False))
    assert bare.query(ask, **fast.query_options(bare, inferred=True))
