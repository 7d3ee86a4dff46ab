"""The fast path: the same dataset in pyoxigraph, for loading, asking and validating.

The design card's libraries stay the interface (rdflib terms, :class:`wivgraph.query.QueryResult`,
:class:`wivgraph.validate.Report`); underneath, the work is done by native engines:

- :func:`load_store` parses ontology/ and data/ straight into an in-memory pyoxigraph store, one
  named graph per file (the same graph names and base IRIs as :func:`wivgraph.load.load_dataset`);
- :class:`FastStore` answers catalogue questions through that store (parameters bound with
  :func:`wivgraph.store.bind_values`, like every other store), with or without ``graph:inferred``;
  its ``graph`` is an rdflib view of the same store (oxrdflib), not a second copy;
- :func:`validate_fast` checks the SHACL core constraints with pyrudof and runs the SHACL-SPARQL
  constraints (``sh:sparql``) itself, set-at-a-time on the oxigraph store, and returns the same
  report as pySHACL (tests/test_fast.py compares them).

The inferred triples come from the build step (:mod:`wivgraph.cache`), which runs owlrl once per
content of ontology/ and data/.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.store import Store as RdflibStore
from rdflib.term import Node

from wivgraph import paths
from wivgraph.classification import withhold_in_store
from wivgraph.errors import WivgraphError
from wivgraph.load import graph_iri, parse_turtle, turtle_files
from wivgraph.namespaces import INFERRED_GRAPH, PREFIXES
from wivgraph.query import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIME_LIMIT,
    QueryResult,
    expand_iri,
    prepare,
    resolve_resource,
)
from wivgraph.store import (
    GraphReads,
    bind_values,
    name_index,
    occurs,
    query_form,
    rdflib_term,
    run_oxigraph,
)
from wivgraph.validate import Result

_XSD_STRING = str(XSD.string)

# --- terms ---------------------------------------------------------------------------------


def to_rdflib(term) -> Node:
    """A pyoxigraph term as an rdflib term (plain literals stay plain, as rdflib parses them)."""
    return rdflib_term(term)


def to_ox(term: Node):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    raise WivgraphError(f"unsupported term {term!r}")


# --- loading -------------------------------------------------------------------------------

def store_from_dataset(dataset: Dataset) -> ox.Store:
    """An rdflib Dataset (e.g. fetched from an endpoint) in the layout of :func:`load_store`.

    Each named graph is kept; their union is what the default graph answers (:func:`query_options`).
    Only when the dataset holds a triple in two graphs, or triples outside any named graph, is
    the union also copied into the store's default graph (each triple once), as rdflib's union
    is a set (:func:`copy_union`).
    """
    store = ox.Store()
    batch = []
    seen: dict = {}  # triple -> the graph that holds it, to find a triple held by two
    copy = False
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        triple = (to_ox(s), to_ox(p), to_ox(o))
        if name is None or name == DATASET_DEFAULT_GRAPH_ID:
            batch.append(ox.Quad(*triple, ox.DefaultGraph()))
            copy = True
        else:
            key = (s, p, o)
            if seen.setdefault(key, name) != name:
                copy = True
            batch.append(ox.Quad(*triple, ox.NamedNode(str(name))))
        if len(batch) >= 50_000:
            store.extend(batch)
            batch = []
    store.extend(batch)
    if copy:
        copy_union(store)
    return store


def dataset_store(dataset: Dataset) -> FastStore:
    """An rdflib Dataset (fetched from an endpoint, a public view, a test's) as a store: copied
    into pyoxigraph (:func:`store_from_dataset`); its default graph is the union of all the
    Dataset's graphs (``graph:inferred`` too, when it has one), label look-ups that the store
    leaves to rdflib read the Dataset itself."""
    return FastStore(store_from_dataset(dataset), inferred=True, graph=dataset)


def store_from_graph(graph: Graph) -> ox.Store:
    """A plain rdflib Graph in a new store's default graph (what validation of a graph needs)."""
    store = ox.Store()
    add_triples(store, graph)
    return store


def add_triples(store: ox.Store, triples: Iterable, graph=None) -> None:
    """Add rdflib triples to ``graph`` of ``store`` (default: the default graph), in batches.

    Generalised triples (a literal as subject, which owlrl's closure emits) are left out: an RDF
    1.1 store cannot hold them, as the build cache cannot (docs/performance.md)."""
    target = graph if graph is not None else ox.DefaultGraph()
    batch = []
    for s, p, o in triples:
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue
        batch.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), target))
        if len(batch) >= 50_000:
            store.extend(batch)
            batch = []
    store.extend(batch)


def project_files(root: Path | None = None, *, include_ontology: bool = True) -> list[Path]:
    """The Turtle files the dataset is made of, in load order."""
    root = root or paths.project_root()
    files: list[Path] = []
    if include_ontology:
        files += turtle_files(root / "ontology")
    files += turtle_files(root / "data")
    return files


def load_store(
    root: Path | None = None,
    *,
    include_ontology: bool = True,
    files: Iterable[Path] | None = None,
    withhold: bool = True,
    union_copy: bool = False,
) -> ox.Store:
    """ontology/ and data/ in an in-memory pyoxigraph store.

    Layout: one named graph per file (as :func:`wivgraph.load.load_dataset`), nothing else. The
    union is the default graph of every query (``use_default_graph_as_union``, through
    :func:`query_options`): oxigraph's union repeats a triple once per named graph that holds
    it (pyoxigraph 0.5), while rdflib's union is a set, so this layout needs every triple to be
    stated in one file only. The project's data keeps to that (tests/test_one_store.py;
    :func:`shared_triples` finds a triple stated twice; checking on every load would cost ~2.5
    s at 1M triples). ``union_copy=True`` also copies the union into the default graph, each
    triple once (:func:`copy_union`: the layout for data that states a triple twice, and the
    one the build cache keeps, beside ``graph:inferred``). Each file is loaded into its
    named graph by oxigraph's own parser (blank nodes are fresh per file, as in rdflib).

    All-or-nothing like :func:`wivgraph.load.load_dataset`: a malformed file raises the same
    ``path:line: malformed Turtle`` error (rdflib re-reads that one file to word it).
    """
    root = root or paths.project_root()
    files = list(files) if files is not None else project_files(root, include_ontology=include_ontology)
    store = ox.Store()

    for path in files:  # in order: the first bad file in load order is the one reported
        try:
            source = {"path": str(path)}
            with path.open("rb") as handle:
                if handle.read(3) == b"\xef\xbb\xbf":  # a UTF-8 BOM: accepted, as by the loader
                    source = {"input": handle.read()}
            # ``load``, one file after the other: at 1M triples 5.8-7.7 s against 8.9-9.7 s
            # for ``bulk_load``, with or without threads (benchmarks/results.md)
            store.load(
                **source,
                format=ox.RdfFormat.TURTLE,
                base_iri=path.resolve().as_uri(),
                to_graph=ox.NamedNode(str(graph_iri(path, root))),
            )
        except FileNotFoundError:
            raise WivgraphError(f"{path}: file not found") from None
        except (SyntaxError, ValueError, OSError, UnicodeDecodeError) as exc:
            parse_turtle(path)  # raises the loader's own message when rdflib agrees
            raise WivgraphError(f"{path}: malformed Turtle: {exc}") from None
    if union_copy:
        copy_union(store)
    if withhold:  # (False only for a caller that withholds itself and counts, as cache.build)
        withhold_in_store(store)  # content of classified resources never enters the store
    return store


def served_store(root: Path | None = None, *, dataset: Dataset | None = None) -> ox.Store:
    """What a SPARQL server gets (``serve``, ``deploy virtuoso``): the public view of the
    asserted named graphs (``graph:inferred`` never), with their union copied into the default
    graph, each triple once (servers' own union modes count a triple once per graph).

    Loaded from ``root``'s files by :func:`load_store`; ``dataset`` (an rdflib Dataset of asserted
    graphs, e.g. one a test compares answers with) is copied instead.
    """
    if dataset is None:
        return load_store(root, union_copy=True)
    from wivgraph.classification import public_view  # noqa: PLC0415

    store = store_from_dataset(public_view(dataset))
    copy_union(store)
    return store


def write_nquads(store: ox.Store, path: Path) -> None:
    """The whole store as N-Quads in the file ``path`` (the default graph's triples without a
    graph name), written by oxigraph straight to disk."""
    store.dump(str(path), ox.RdfFormat.N_QUADS)


_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def has_union_copy(store: ox.Store) -> bool:
    """Whether the store's default graph holds the union of its named graphs (the layout of
    :func:`copy_union`); otherwise the default graph is empty and queries take the union of
    the named graphs (:func:`query_options`)."""
    for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        return True
    return False


def copy_union(store: ox.Store) -> None:
    """Copy the union of the asserted named graphs into the default graph, each triple once.

    For data that states a triple in two files (oxigraph's union would count it twice) and for
    a store with ``graph:inferred``, which must stay out of the union unless asked: the build
    cache keeps this layout (:func:`wivgraph.cache.infer_into`). Does nothing if there is one.
    """
    if not has_union_copy(store):
        store.update(
            f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{INFERRED_GRAPH}>) }}"
        )


def shared_triples(store: ox.Store, limit: int | None = None) -> list[tuple]:
    """(subject, predicate, object, graph, other graph) for each triple that two asserted named
    graphs hold (``graph:inferred`` left out); the union of a store without a copy counts those
    twice. A full pass over the store (~2.5 s at 1M triples)."""
    cap = f"LIMIT {int(limit)}" if limit is not None else ""
    rows = store.query(
        f"""SELECT ?s ?p ?o ?g ?h WHERE {{
          GRAPH ?g {{ ?s ?p ?o }} GRAPH ?h {{ ?s ?p ?o }}
          FILTER (STR(?g) < STR(?h) && ?g != <{INFERRED_GRAPH}> && ?h != <{INFERRED_GRAPH}>)
        }} {cap}"""
    )
    return [(r["s"], r["p"], r["o"], r["g"], r["h"]) for r in rows]


def named_graphs(store: ox.Store, *, inferred: bool = True) -> list:
    """The store's named graphs (one per file), with ``graph:inferred`` only if asked."""
    skip = None if inferred else str(INFERRED_GRAPH)
    return sorted((g for g in store.named_graphs() if g.value != skip), key=lambda g: g.value)


def union_graphs(store: ox.Store, *, inferred: bool = True) -> list:
    """The graphs whose union is the default graph, when given as ``default_graph``: with a
    union copy (:func:`copy_union`) the default graph, plus ``graph:inferred`` if asked and
    there; without one, the asserted named graphs (plus ``graph:inferred`` if asked). Queries
    use :func:`query_options`, which names no graph list when it need not (a long list is slow)."""
    if has_union_copy(store):
        graphs = [ox.DefaultGraph()]
        if inferred and store.contains_named_graph(_INFERRED):
            graphs.append(_INFERRED)
        return graphs
    return named_graphs(store, inferred=inferred)


def query_options(store: ox.Store, *, inferred: bool = False) -> dict:
    """Keyword arguments for ``store.query``: the default graph is the union (asserted, plus
    ``graph:inferred`` if asked), ``GRAPH ?g`` sees the named graphs (``graph:inferred`` only if
    asked), each triple once as in rdflib's union.

    Without a union copy that is oxigraph's union default graph, unless the store holds
    ``graph:inferred`` and it is not asked for: then the asserted graphs are named one by one
    (correct, slower with many graphs; stores with ``graph:inferred`` made here have the copy).
    """
    if has_union_copy(store):
        return {
            "default_graph": union_graphs(store, inferred=inferred),
            "named_graphs": named_graphs(store, inferred=inferred),
        }
    if inferred or not store.contains_named_graph(_INFERRED):
        return {"use_default_graph_as_union": True}
    named = named_graphs(store, inferred=False)
    return {"default_graph": named, "named_graphs": named}


def union_quads(store: ox.Store, *, inferred: bool = True) -> Iterator:
    """The quads of the union (each triple once when no two named graphs share a triple)."""
    yield from union_pattern(store, None, None, None, inferred=inferred)


def union_pattern(store: ox.Store, subject, predicate, obj, *, inferred: bool = False) -> Iterator:
    """``quads_for_pattern`` over the union (pyoxigraph terms or None)."""
    if has_union_copy(store):
        for graph in union_graphs(store, inferred=inferred):
            yield from store.quads_for_pattern(subject, predicate, obj, graph)
        return
    for quad in store.quads_for_pattern(subject, predicate, obj, None):
        if not inferred and quad.graph_name == _INFERRED:
            continue
        yield quad


def _union_triples(store: ox.Store, triple_pattern, *, inferred: bool = False) -> Iterator[tuple]:
    """rdflib triples of the union (asserted, plus ``graph:inferred`` if asked) matching an
    rdflib pattern (the rdflib stores below read through it); nothing for a term that cannot
    stand where it stands (a literal subject or predicate, a variable)."""
    subject, predicate, _ = triple_pattern
    if isinstance(subject, Literal) or (predicate is not None and not isinstance(predicate, URIRef)):
        return  # (oxigraph would refuse the pattern only once it is read)
    try:
        pattern = [None if t is None else to_ox(t) for t in triple_pattern]
    except (WivgraphError, TypeError, ValueError):
        return
    for quad in union_pattern(store, *pattern, inferred=inferred):
        yield rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)


def copy_into(target: Graph, quads: Iterable) -> Graph:
    """Add the triples of pyoxigraph ``quads`` to the rdflib graph ``target``; returns it."""
    add = target.add
    for quad in quads:
        add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return target


def rdflib_graph(store: ox.Store, *, inferred: bool = True) -> Graph:
    """The union as one plain rdflib Graph (a copy, for owlrl)."""
    return copy_into(Graph(), union_quads(store, inferred=inferred))


def rdflib_dataset(store: ox.Store, *, inferred: bool = True) -> Dataset:
    """The store as an rdflib Dataset with the same named graphs (a copy, for rdflib code)."""
    from wivgraph.namespaces import bind_prefixes  # noqa: PLC0415

    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for name in named_graphs(store, inferred=inferred):
        copy_into(dataset.graph(URIRef(name.value)), store.quads_for_pattern(None, None, None, name))
    return dataset


def store_stats(store: ox.Store) -> dict:
    """:func:`wivgraph.load.dataset_stats` of the asserted named graphs, asked of the store
    (aggregate queries instead of an rdflib copy): triples per named graph (``quads`` is their
    sum, ``distinct_triples`` the union's size, as there) and instances per class over the union,
    ``graph:inferred`` left out."""
    named = named_graphs(store, inferred=False)
    per_graph = {
        row["g"].value: int(row["n"].value)
        for row in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            default_graph=ox.DefaultGraph(), named_graphs=named,
        )
    }
    per_class = {
        str(rdflib_term(row["c"])): int(row["n"].value)
        for row in store.query(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?c }} GROUP BY ?c",
            **query_options(store, inferred=False),
        )
    }
    distinct = next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
        default_graph=ox.DefaultGraph(), named_graphs=named,
    )))
    quads = sum(per_graph.values())
    return {
        "triples": quads,  # as load.dataset_stats: the quads, summed over the named graphs
        "quads": quads,
        "distinct_triples": int(distinct["n"].value),  # a triple in several graphs counts once
        "graphs": dict(sorted((g, n) for g, n in per_graph.items() if n)),
        "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def rdflib_view(store: ox.Store) -> Graph:
    """An rdflib Graph *view* of the asserted union (oxrdflib): rdflib's API, no copy."""
    from wivgraph.namespaces import bind_prefixes  # noqa: PLC0415

    return bind_prefixes(
        Graph(store=_union_view_store()(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    )


@lru_cache(maxsize=1)
def _union_view_store():
    """oxrdflib's store class, reading the default graph as the asserted union (:func:`union_pattern`)
    when the store has no union copy (oxrdflib reads the store's own default graph, empty then)."""
    from oxrdflib import OxigraphStore as OxrdflibStore  # noqa: PLC0415

    class UnionView(OxrdflibStore):
        def _reads_union(self, context) -> bool:
            identifier = getattr(context, "identifier", context)
            return identifier == DATASET_DEFAULT_GRAPH_ID and not has_union_copy(self._inner)

        def triples(self, triple_pattern, context=None):
            if not self._reads_union(context):
                return super().triples(triple_pattern, context)
            return ((triple, iter((context,))) for triple in _union_triples(self._inner, triple_pattern))

        def __len__(self, context=None) -> int:
            if not self._reads_union(context):
                return super().__len__(context)
            return sum(1 for _ in union_pattern(self._inner, None, None, None, inferred=False))

        def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803
            # rdflib hands SPARQL to the store: the union, as oxigraph's union default graph
            # (a store made here without a copy holds no graph:inferred, cache.infer_into)
            if self._reads_union(queryGraph):
                queryGraph = "__UNION__"  # noqa: N806
            return super().query(query, initNs, initBindings, queryGraph, **kwargs)

    return UnionView


# --- asking --------------------------------------------------------------------------------


class FastStore:
    """The embedded :class:`wivgraph.store.Store`: questions asked of a pyoxigraph store.

    The store is the build cache (:func:`wivgraph.cache.open_store`), the files loaded by
    :func:`load_store`, or an rdflib Dataset copied (:func:`dataset_store`). The default graph is
    the union of the named graphs, each triple once (:func:`query_options`); ``inferred``
    chooses whether ``graph:inferred`` belongs to it and to ``GRAPH ?g``.
    """

    kind = "pyoxigraph"

    def __init__(
        self,
        store: ox.Store,
        *,
        inferred: bool = False,
        graph: Graph | None = None,
        names: Callable[[], dict[str, tuple[str, ...]]] | None = None,
    ):
        """``graph``: an rdflib graph of the same data for the look-ups :meth:`resolve` leaves
        to rdflib (default: a view of the store, made on first use). ``names``: gives the
        store's name index (e.g. :func:`wivgraph.cache.remembered_names`) instead of reading
        every label triple on first use."""
        self._store = store
        self.inferred = inferred
        self._graph = graph
        self._options = query_options(store, inferred=inferred)
        self._named = named_graphs(store, inferred=inferred)
        self._name_index = None
        self._names = names

    def resolve(self, value: str, field_name: str = "value", like: str | None = None) -> URIRef:
        """:func:`wivgraph.query.resolve_resource` on the asserted union, without a scan per
        call: an IRI by one containment check, a label or IRI slug in the name index (made on
        first use). Whatever is not one known resource (an unknown IRI, an unknown or ambiguous
        label, which the parameter's kind may still settle) takes the rdflib path over
        :attr:`graph`, for the same answer and the same hints in the error."""
        iri = expand_iri(value)
        if iri is None:
            hits = self.name_index().get(value.strip().casefold(), ())
            if len(hits) == 1:
                return URIRef(hits[0])
        elif occurs(self._store, str(iri)):
            return iri
        return resolve_resource(self.graph, value, field_name, like=like)

    def name_index(self) -> dict[str, tuple[str, ...]]:
        """Casefolded name -> IRIs, the names of :func:`wivgraph.query.resource_names` (labels and
        IRI slugs of labelled resources): given by ``names``, else one pass over the label
        triples, once per store object (made anew for a store whose data change)."""
        if self._name_index is None:
            self._name_index = self._names() if self._names is not None else name_index(self._store)
        return self._name_index

    @property
    def store(self) -> ox.Store:
        return self._store

    @property
    def graph(self) -> Graph:
        """rdflib's API over the same data (for resolving labels), created on first use."""
        if self._graph is None:
            self._graph = rdflib_view(self._store)
        return self._graph

    @graph.setter
    def graph(self, value: Graph) -> None:
        self._graph = value

    def with_inferred(self, inferred: bool) -> FastStore:
        """The same store, with or without ``graph:inferred`` in the answers."""
        if inferred == self.inferred:
            return self
        other = FastStore(self._store, inferred=inferred, graph=self._graph, names=self._names)
        other._name_index = self._name_index  # the same default graph, so the same names
        return other

    def query(
        self, text, bindings=None, *, row_limit=DEFAULT_ROW_LIMIT, time_limit=DEFAULT_TIME_LIMIT
    ) -> QueryResult:
        """Gate, bind and run ``text``; ``time_limit`` seconds as in :func:`wivgraph.query.run_query`."""
        form = _gated_form(text)
        final = _bound_text(text, tuple(sorted((bindings or {}).items()))) if bindings else text
        store, options = self._store, self._options
        if "named_graphs" in options and not _reads_named_graphs(text):
            options = {**options, "named_graphs": []}  # (none: nothing to set up)
        return run_oxigraph(
            lambda: store.query(final, **options),
            form,
            row_limit=row_limit,
            time_limit=time_limit,
        )


class _DefaultGraphReads(RdflibStore):
    """A read-only rdflib store over the union of a pyoxigraph store (its default graph or,
    without a union copy, its named graphs: :func:`union_pattern`; ``graph:inferred`` too if
    ``inferred``): pattern look-ups only, terms as :func:`wivgraph.store.rdflib_term` gives them.

    rdflib's Graph API on it reads the same triples as :func:`rdflib_view` without oxrdflib,
    whose import pulls in rdflib's SPARQL package (0.1-0.2 s of a short command)."""

    def __init__(self, store: ox.Store, inferred: bool = False) -> None:
        super().__init__()
        self._inner = store
        self._inferred = inferred

    def triples(self, triple_pattern, context=None):
        for triple in _union_triples(self._inner, triple_pattern, inferred=self._inferred):
            yield triple, iter(())

    def __len__(self, context=None) -> int:
        return sum(1 for _ in union_pattern(self._inner, None, None, None, inferred=self._inferred))


def default_graph_reads(store: ox.Store, *, inferred: bool = False) -> Graph:
    """An rdflib Graph that reads the store's union (asserted, plus ``graph:inferred`` if
    asked) by pattern look-ups: ``subjects``, ``objects``, ``value``, ``triples``, ``in`` (no
    SPARQL, no copy)."""
    return Graph(store=_DefaultGraphReads(store, inferred), identifier=DATASET_DEFAULT_GRAPH_ID)


class ReadableStore(GraphReads, FastStore):
    """A :class:`FastStore` that also reads like an rdflib Graph (``subjects``, ``objects``,
    ``value``, ``triples``, ``in``) over the union its questions see (asserted, plus
    ``graph:inferred`` when made with ``inferred=True``).

    For code that takes "a graph or a store" and does both (``wivgraph.onward``): its questions
    and the checker's run on oxigraph (:func:`wivgraph.store.as_store` keeps a store as it is),
    its label look-ups are pattern look-ups in the store (:func:`default_graph_reads`: rdflib's
    API without oxrdflib and rdflib's SPARQL package); nothing is copied. :attr:`graph` is still
    the full rdflib view.
    """

    @cached_property
    def _reads(self) -> Graph:
        return default_graph_reads(self._store, inferred=self.inferred)


@lru_cache(maxsize=512)
def _reads_named_graphs(text: str) -> bool:
    """Whether ``text`` reads named graphs (``GRAPH``; the gate refuses FROM NAMED)."""
    from wivgraph.store import _tokens  # noqa: PLC0415

    return any(token.keyword == "GRAPH" for token in _tokens(text))


@lru_cache(maxsize=512)
def _gated_form(text: str) -> str:
    """The gate's verdict and the query form, once per query text (rdflib's parser is slow;
    the command line also remembers passed texts between runs, :func:`wivgraph.gate.remember_in`)."""
    from wivgraph import gate  # noqa: PLC0415

    remembered = gate.memo()
    if remembered is not None:
        form = remembered.get("form", text)
        if form is not None:
            gate.precheck(text)  # cheap, and a remembered text must still be within the bounds
            return form
    form = query_form(prepare(text))
    if remembered is not None:
        remembered.put("form", text, form)
    return form


@lru_cache(maxsize=4096)
def _bound_text(text: str, bindings: tuple) -> str:
    """:func:`wivgraph.store.bind_values`, once per (query, parameter values)."""
    return bind_values(text, dict(bindings))


def open_fast(root: Path | None = None, *, inferred: bool = False, cached: bool = True) -> FastStore:
    """A fast store over the project's data: from the build cache (built when missing)."""
    if cached:
        from wivgraph import cache  # noqa: PLC0415

        return FastStore(cache.load_store(root), inferred=inferred)
    if inferred:
        raise WivgraphError("inferred triples need the build cache (cached=True)")
    return FastStore(load_store(root))


# --- validating ----------------------------------------------------------------------------


def load_shapes(root: Path | None = None) -> Graph:
    """shapes/ as :func:`wivgraph.load.load_shapes` gives it, parsed by oxigraph (~10x faster
    than rdflib's Turtle parser). Anything oxigraph refuses or rdflib would refuse (an ill-typed
    literal) goes to :func:`wivgraph.load.load_shapes`, which says ``path:line`` as before."""
    from wivgraph import load  # noqa: PLC0415
    from wivgraph.namespaces import bind_prefixes  # noqa: PLC0415

    root = root or paths.project_root()
    graph = bind_prefixes(Graph())
    try:
        # rdflib's warnings (an ill-typed literal as a term is made) are caught, not printed
        with load._captured_rdflib_warnings() as problems:
            for path in load.turtle_files(root / "shapes"):
                data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a BOM is accepted
                for triple in ox.parse(data, format=ox.RdfFormat.TURTLE,
                                       base_iri=path.resolve().as_uri()):
                    terms = (rdflib_term(triple.subject), rdflib_term(triple.predicate),
                             rdflib_term(triple.object))
                    if getattr(terms[2], "ill_typed", False):
                        raise ValueError("ill-typed literal")
                    graph.add(terms)
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
        return load.load_shapes(root)
    if problems:
        return load.load_shapes(root)
    return graph




#: above this many triples the core constraints are checked part by part (:func:`_data_parts`):
#: pyrudof's memory during validation grows faster than the data (~1.2 GB at 100k triples,
#: ~11 GB at 1M in one run; benchmarks/results.md)
SPLIT_ABOVE = 250_000
#: about this many triples of the data per pyrudof run when they are split
TRIPLES_PER_PART = 100_000
#: threads that run pyrudof on the parts of split data (pyrudof releases the GIL): one from the
#: start, and this one once the SPARQL constraints are done (two runs at a time: 3.4 GB at 1M)
PART_WORKERS = 2


def validate_fast(
    store: ox.Store,
    shapes: Graph,
    *,
    files: Iterable[Path] | None = None,
    lang: str = "nl",
    inferred: bool = False,
    split_above: int | None = None,
    triples_per_part: int | None = None,
    workers: int | None = None,
):
    """SHACL validation with the same report as :func:`wivgraph.validate.validate_graph`.

    Core constraints: pyrudof over the same triples (the store's union of named graphs, with or
    without ``graph:inferred``); data of more than ``split_above`` triples
    (:data:`SPLIT_ABOVE`) part by part, ``triples_per_part`` in each (:func:`_data_parts`),
    with the same results, ``workers`` parts at a time (:data:`PART_WORKERS`). SHACL-SPARQL
    constraints: each ``sh:select`` once on the oxigraph store, with ``$this`` joined to the
    shape's focus nodes instead of one query per node.
    """
    import pyrudof  # noqa: PLC0415

    from wivgraph.validate import Report, issues_of, report_graph  # noqa: PLC0415

    options = query_options(store, inferred=inferred)
    core, sparql = _split_shapes(shapes)
    target_lines, markers = _resolve_targets(core, shapes, store, options)

    def run_pyrudof(data: str, shapes_text: str) -> list:
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(data, format=pyrudof.RDFFormat.NTriples)
        rudof.read_shacl(shapes_text, format=pyrudof.ShaclFormat.NTriples)
        return list(rudof.validate_shacl())

    parts: queue.SimpleQueue = queue.SimpleQueue()  # runs of the split data; None: no more

    def take_parts() -> list[list]:
        """pyrudof's entries for runs taken from ``parts`` until none is left (several threads
        take from it)."""
        found = []
        while (run := parts.get()) is not None:
            found.append(run_pyrudof(run[1], run[0]))
        parts.put(None)  # for the next taker
        return found

    def core_entries() -> list[list]:
        try:
            if not core_text.strip():  # only SPARQL constraints (pyrudof refuses no shapes)
                return []
            above = SPLIT_ABOVE if split_above is None else split_above
            if _more_triples_than(store, above, inferred):
                runs = _data_parts(store, core, core_text, markers, inferred,
                                   triples_per_part or TRIPLES_PER_PART)
                if runs is not None:
                    for run in runs:
                        parts.put(run)
                    parts.put(None)
                    return take_parts()
            rudof = pyrudof.Rudof(pyrudof.RudofConfig())
            if files is not None and not inferred and not markers:
                first = True
                for path in files:
                    rudof.read_data(
                        str(path), format=pyrudof.RDFFormat.Turtle,
                        base=path.resolve().as_uri(), merge=not first,
                    )
                    first = False
            else:
                rudof.read_data(_ntriples(store, options) + "".join(markers),
                                format=pyrudof.RDFFormat.NTriples)
            rudof.read_shacl(core_text, format=pyrudof.ShaclFormat.NTriples)
            return [list(rudof.validate_shacl())]
        finally:
            parts.put(None)  # no taker waits for runs that will not come

    # pyrudof and oxigraph both release the GIL: the core constraints run in a second thread
    # while the SPARQL constraints run here; then this thread (and ``workers - 2`` more) takes
    # the remaining parts of split data too
    core_text = core.serialize(format="ntriples") + "".join(target_lines)
    results: list[Result] = []
    threads = max(1, workers or PART_WORKERS)
    with ThreadPoolExecutor(max_workers=max(1, threads - 1)) as pool:
        core_future = pool.submit(core_entries)
        more = [pool.submit(take_parts) for _ in range(threads - 2)]
        for shape, constraint in sparql:
            results += _sparql_results(store, options, shapes, shape, constraint)
        batches = take_parts() if threads > 1 else []
        batches += core_future.result()  # re-raises what pyrudof raised
        for future in more:
            batches += future.result()
    entries, seen = [], set()
    for batch in batches:
        for entry in batch:
            key = _entry_key(entry)
            if key not in seen:  # a node of the shared triples is checked in each part
                seen.add(key)
                entries.append(entry)
    results = _core_results(entries, shapes) + results
    conforms = all(result.severity != SH.Violation for result in results)
    issues = issues_of(results, _LabelSource(store, inferred), lang, shapes=shapes)
    return Report(conforms, issues, make_graph=lambda: report_graph(results, shapes))


def _core_results(entries: list, shapes: Graph) -> list:
    """pyrudof's entries as results, with the shapes' own severities and (tagged) messages."""
    results = []
    per_shape: dict[str, tuple] = {}
    for entry in entries:
        if entry.source_shape not in per_shape:
            # a blank-node shape comes back as "_:label", the label of the shapes graph
            shape = _parse_term(entry.source_shape)
            per_shape[entry.source_shape] = (
                shape, shapes.value(shape, SH.severity), tuple(shapes.objects(shape, SH.message)),
                shapes.value(shape, SH.path),
            )
        shape, severity, messages, path = per_shape[entry.source_shape]
        if path is None and entry.path:
            path = _parse_term(entry.path)
        results.append(Result(
            focus=_parse_term(entry.focus_node),
            path=path,
            value=_parse_term(entry.value) if entry.value is not None else None,
            shape=shape,
            component=URIRef(entry.constraint_component),
            severity=severity or SH[str(entry.severity)],
            messages=messages or (Literal(str(entry.message)),),
        ))
    return results


_MARKER = "urn:wivgraph:validation-target"


def _resolve_targets(
    core: Graph, shapes: Graph, store: ox.Store, options: dict
) -> tuple[list[str], list[str]]:
    """Targets pyrudof cannot take, rewritten into targets it can.

    pyrudof 0.3 ignores SHACL-AF SPARQL-based targets (``sh:target [ a sh:SPARQLTarget ]``), so
    their core constraints would never run, and it fails on an ``sh:targetNode`` that is a blank
    node. Each such target is removed from ``core`` and its focus nodes are found here (the
    SPARQL target on the store): an IRI becomes an ``sh:targetNode`` line for the shapes; a blank
    node gets a marker triple ``<urn:...> <urn:...-n> _:b`` for the data pyrudof reads and the
    shape ``sh:targetObjectsOf`` that marker predicate (added to ``core``). Returns both kinds of
    line as N-Triples, (shapes lines, data lines): written as text, not added to ``core``, as a
    SPARQL target selects hundreds of thousands of nodes at a million triples."""
    shape_lines: list[str] = []
    markers: list[str] = []
    for number, (shape, target) in enumerate(sorted(core.subject_objects(SH.target), key=str)):
        core.remove((shape, SH.target, target))
        _remove_tree(core, target)
        select = shapes.value(target, SH.select)
        if select is None:
            raise WivgraphError(f"{shape}: only SPARQL-based targets (sh:select) are supported")
        query = _prefixes(shapes, target) + "\n" + str(select)
        try:
            solutions = store.query(query, **options)
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise WivgraphError(f"{shape}: SPARQL target failed: {exc}") from None
        nodes = [row["this"] for row in solutions if row["this"] is not None]
        _target_nodes(core, shape, nodes, f"{_MARKER}-sparql-{number}", shape_lines, markers)
    blank = sorted(
        ((s, o) for s, o in core.subject_objects(SH.targetNode) if isinstance(o, BNode)), key=str
    )
    for number, (shape, node) in enumerate(blank):
        core.remove((shape, SH.targetNode, node))
        _target_nodes(core, shape, [to_ox(node)], f"{_MARKER}-node-{number}", shape_lines,
                      markers)
    return shape_lines, markers


def _target_nodes(core: Graph, shape: Node, nodes: list, marker: str, shape_lines: list[str],
                  markers: list[str]) -> None:
    """``nodes`` (oxigraph terms) as targets of ``shape``: lines added to ``shape_lines`` (IRIs)
    and ``markers`` (blank nodes); literals are no focus nodes pyrudof can take."""
    head = f"{shape.n3()} <{SH.targetNode}> "
    marked = False
    for node in nodes:
        if isinstance(node, ox.BlankNode):
            markers.append(f"<{_MARKER}> <{marker}> {node} .\n")
            marked = True
        elif isinstance(node, ox.NamedNode):
            shape_lines.append(f"{head}{node} .\n")
    if marked:
        core.add((shape, SH.targetObjectsOf, URIRef(marker)))


def _remove_tree(graph: Graph, node: Node) -> None:
    if not isinstance(node, BNode):
        return
    for predicate, value in list(graph.predicate_objects(node)):
        graph.remove((node, predicate, value))
        _remove_tree(graph, value)


def _more_triples_than(store: ox.Store, limit: int, inferred: bool) -> bool:
    """Whether the union (with ``graph:inferred`` if asked) holds more than ``limit`` triples
    (counted up to ``limit + 1``)."""
    for count, _ in enumerate(union_pattern(store, None, None, None, inferred=inferred), start=1):
        if count > limit:
            return True
    return False


def _entry_key(entry) -> tuple:
    return (entry.source_shape, entry.focus_node, str(entry.path), entry.value,
            entry.constraint_component, str(entry.severity), str(entry.message))


_RDF_TYPE = ox.NamedNode(str(RDF.type))
_ONTOLOGY_GRAPHS = INFERRED_GRAPH.rsplit("/", 1)[0] + "/ontology/"


def _data_parts(
    store: ox.Store, core: Graph, core_text: str, markers: list[str], inferred: bool, per_part: int
) -> list[tuple[str, str]] | None:
    """The union and the core shapes split into pyrudof runs that together give the results of
    one run over the whole: [(shapes N-Triples, data N-Triples)] of each run. None when the
    shapes need what a split cannot give (an inverse path that is not a plain predicate).

    The split rests on *shared* nodes: every node that is no triple's subject (an outside
    reference such as a link to wetten.overheid.nl, which many documents name), the subjects of
    ontology/ graphs and every class (object of rdf:type), closed under (1) the objects of their triples and (2) the subjects of a triple
    whose predicate a shape reads backwards (``sh:inversePath``) and whose object is shared. The
    shared triples (those whose subject is shared) go into every run; every other triple goes
    with its subject's part, and a subject shares its part with each non-literal, non-shared
    object (connected components, packed into parts of about ``per_part`` triples). So for every
    focus node and every node a shape reaches from it, forwards or backwards, the run that checks
    it reads all of that node's triples: a node that is not shared has all its triples (and those
    pointing to it) in its own part, a shared one in every run. A node named as a target
    (``sh:targetNode``, or a blank node of a SPARQL target's marker triple) is a target only in
    the run of its part (in every run when it is shared or not in the data); other targets
    (class, subjects of, objects of) follow from the data of each run. A shared focus node is
    checked in each run alike: the caller keeps one of each result.
    """
    inverse = set(core.objects(None, SH.inversePath))
    if any(not isinstance(p, URIRef) for p in inverse):
        return None
    inverse_ox = [ox.NamedNode(str(p)) for p in sorted(inverse)]
    shared: set[str] = set()  # N-Triples text of each shared node
    frontier: list = []  # shared nodes (oxigraph terms) whose objects are not yet shared

    def share(term) -> None:
        if not isinstance(term, ox.Literal):
            key = str(term)
            if key not in shared:
                shared.add(key)
                frontier.append(term)

    leaves = store.query(  # no triples of their own: shared, nothing to read for them
        "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER (!isLiteral(?o)) FILTER NOT EXISTS { ?o ?q ?x } }",
        **query_options(store, inferred=inferred),
    )
    for row in leaves:
        shared.add(str(row[0]))
    for graph in store.named_graphs():
        if graph.value.startswith(_ONTOLOGY_GRAPHS):
            for quad in store.quads_for_pattern(None, None, None, graph):
                share(quad.subject)
    for quad in union_pattern(store, None, _RDF_TYPE, None, inferred=inferred):
        share(quad.object)
    while True:  # (the backwards step runs at least once: the leaves above are shared too)
        while frontier:
            for quad in union_pattern(store, frontier.pop(), None, None, inferred=inferred):
                share(quad.object)
        for predicate in inverse_ox:
            for quad in union_pattern(store, None, predicate, None, inferred=inferred):
                if str(quad.object) in shared:
                    share(quad.subject)
        if not frontier:
            break
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    common: list[str] = []
    by_subject: dict[str, list[str]] = {}
    for quad in union_pattern(store, None, None, None, inferred=inferred):
        subject, value = str(quad.subject), quad.object
        other = str(value)
        line = f"{subject} {quad.predicate} {other} .\n"
        if subject in shared:
            common.append(line)
            continue
        known = by_subject.get(subject)
        if known is None:
            by_subject[subject] = [line]
        else:
            known.append(line)
        if not isinstance(value, ox.Literal) and other not in shared:
            top, other_top = root(subject), root(other)
            if other_top != top:
                parent[other_top] = top
    lines: dict[str, list[str]] = {}
    for subject, own in by_subject.items():
        lines.setdefault(root(subject), []).extend(own)
    del by_subject
    part_of: dict[str, int] = {}
    parts: list[list[str]] = []
    room: list[int] = []
    for top in sorted(lines, key=lambda t: (-len(lines[t]), t)):  # largest first, where it fits
        size = len(lines[top])
        fits = next((i for i, left in enumerate(room) if left >= size), None)
        if fits is None:
            parts.append([])
            room.append(per_part)
            fits = len(parts) - 1
        parts[fits] += lines.pop(top)
        room[fits] -= size
        part_of[top] = fits

    def home(node: str) -> int | None:
        """The part of a node named as a target; None: every run (shared, or not in the data)."""
        if node in shared or node not in parent:
            return None
        return part_of.get(root(node))

    everywhere: list[str] = []  # the shapes' N-Triples lines, target nodes routed to their part
    named: dict[int, list[str]] = {}
    target_node = f"<{SH.targetNode}>"
    for line in core_text.splitlines(keepends=True):
        subject_predicate_object = line.split(" ", 2)
        if len(subject_predicate_object) == 3 and subject_predicate_object[1] == target_node:
            node = subject_predicate_object[2].rstrip(" .\n")
            where = home(node) if node.startswith(("<", "_:")) else None
            if where is not None:
                named.setdefault(where, []).append(line)
                continue
        everywhere.append(line)
    marked: dict[int | None, list[str]] = {}
    for line in markers:  # "<marker> <marker-n> _:b .": a blank focus node of a target
        marked.setdefault(home(line.split(" ", 2)[2].rstrip(" .\n")), []).append(line)
    shared_shapes = "".join(everywhere)
    shared_data = "".join(common) + "".join(marked.get(None, []))
    return [
        (shared_shapes + "".join(named.get(number, [])),
         shared_data + "".join(part) + "".join(marked.get(number, [])))
        for number, part in enumerate(parts or [[]])
    ]


def _ntriples(store: ox.Store, options: dict) -> str:
    """The union (:func:`query_options`) as N-Triples."""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **options)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def _split_shapes(shapes: Graph) -> tuple[Graph, list[tuple[URIRef, Node]]]:
    """The shapes without their sh:sparql constraints, and the (shape, constraint) pairs."""
    core = Graph()
    sparql = []
    skip_nodes = set()
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        if (constraint, SH.deactivated, Literal(True)) in shapes:
            continue
        sparql.append((shape, constraint))
        skip_nodes.add(constraint)
    for s, p, o in shapes:
        if p == SH.sparql or s in skip_nodes:
            continue
        core.add((s, p, o))
    return core, sorted(sparql, key=lambda pair: str(pair[0]))


_TURTLE_PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())


def _parse_term(text) -> Node | None:
    """A pyrudof term (N-Triples-like text or bare IRI) as an rdflib term."""
    if text is None:
        return None
    text = str(text)
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    if text in ("true", "false"):  # pyrudof writes a boolean bare, as Turtle may; an IRI is absolute
        return Literal(text, datatype=XSD.boolean)
    if text.startswith('"'):
        # pyrudof may write the datatype as a prefixed name ('"1"^^xsd:integer'): read it as
        # Turtle with the project's prefixes, which N-Triples' full IRIs also satisfy.
        parsed = ox.parse(
            f"{_TURTLE_PREFIXES}<urn:s> <urn:p> {text} .", format=ox.RdfFormat.TURTLE
        )
        return rdflib_term(next(iter(parsed)).object)
    return URIRef(text)


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _path_sparql(shapes: Graph, path: Node) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    items = list(shapes.items(path)) if shapes.value(path, RDF.first) is not None else None
    if items is not None:
        return "(" + "/".join(_path_sparql(shapes, i) for i in items) + ")"
    for predicate, op in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + op.format(_path_sparql(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_sparql(shapes, i) for i in shapes.items(alternatives)) + ")"
    raise WivgraphError(f"unsupported SHACL path {path!r}")


_ANY_BLANK = "{ ?this ?p_ ?o_ } UNION { ?s_ ?p_ ?this } FILTER(isBLANK(?this))"


def _blank_target_nodes(shapes: Graph, shape: URIRef) -> set[Node]:
    owners = [shape, *shapes.subjects(SH.property, shape)]
    return {
        node for owner in owners for node in shapes.objects(owner, SH.targetNode)
        if isinstance(node, BNode)
    }


def _targets(shapes: Graph, shape: URIRef) -> list[str]:
    """SPARQL patterns binding ?this to the focus nodes of ``shape`` (or of its node shapes)."""
    patterns = []
    owners = [shape] if (shape, SH.path, None) not in shapes else []
    owners += list(shapes.subjects(SH.property, shape))
    if (shape, SH.path, None) in shapes:
        owners.append(shape)  # a property shape may carry targets of its own
    for owner in owners:
        for cls in shapes.objects(owner, SH.targetClass):
            patterns.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{cls}> .")
        if (owner, RDF.type, RDFS.Class) in shapes:
            patterns.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{owner}> .")
        for node in shapes.objects(owner, SH.targetNode):
            if isinstance(node, BNode):  # SPARQL cannot name it: every blank node, then filtered
                patterns.append(_ANY_BLANK)
            else:
                patterns.append(f"VALUES ?this {{ {to_ox(node)} }}")
        for prop in shapes.objects(owner, SH.targetSubjectsOf):
            patterns.append(f"?this <{prop}> [] .")
        for prop in shapes.objects(owner, SH.targetObjectsOf):
            patterns.append(f"[] <{prop}> ?this .")
        for target in shapes.objects(owner, SH.target):  # SHACL-AF SPARQL-based targets
            select = shapes.value(target, SH.select)
            if select is not None:
                patterns.append(str(select).replace("$this", "?this"))
    return patterns


def _target_prefix_holders(shapes: Graph, shape: URIRef) -> list[Node]:
    owners = [shape, *shapes.subjects(SH.property, shape)]
    return [t for owner in owners for t in shapes.objects(owner, SH.target)]


def _sparql_results(store, options, shapes, shape, constraint) -> list[Result]:
    """The results of one SHACL-SPARQL constraint: its ``sh:select`` once, for all focus nodes."""
    select = shapes.value(constraint, SH.select)
    if select is None:
        return []
    targets = _targets(shapes, shape)
    if not targets:
        return []
    path = shapes.value(shape, SH.path)
    body = str(select)
    if path is not None:
        body = body.replace("$PATH", _path_sparql(shapes, path))
    focus = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join("{ " + t + " }" for t in targets) + " } }"
    prefixes = {_prefixes(shapes, constraint)}
    prefixes |= {_prefixes(shapes, holder) for holder in _target_prefix_holders(shapes, shape)}
    header = "\n".join(sorted({line for block in prefixes for line in block.splitlines()}))
    query = header + "\n" + _prebind_this(body, focus)
    try:
        solutions = store.query(query, **options)
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        raise WivgraphError(f"{shape}: SPARQL constraint failed: {exc}") from None
    messages = list(shapes.objects(constraint, SH.message)) or list(shapes.objects(shape, SH.message))
    names = [v.value for v in solutions.variables]
    blank_focus = _blank_focus(store, options, shapes, shape, targets, header)
    severity = shapes.value(shape, SH.severity) or SH.Violation
    results, seen = [], set()
    for solution in solutions:
        row = {name: rdflib_term(solution[name]) for name in names}
        this = row.get("this")
        if this is None:
            continue
        if blank_focus is not None and isinstance(this, BNode) and this not in blank_focus:
            continue  # a blank node that only the any-blank-node pattern of _targets let in
        value = row.get("value")
        if value is None and path is None:
            value = this
        result_path = row.get("path") or path
        key = (this, result_path, value)
        if key in seen:
            continue
        seen.add(key)
        results.append(Result(
            focus=this, path=result_path, value=value, shape=shape,
            component=SH.SPARQLConstraintComponent, severity=severity,
            messages=tuple(_fill(m, row) for m in messages), constraint=constraint,
        ))
    return results


def _blank_focus(store, options, shapes, shape, targets, header) -> set[Node] | None:
    """The blank focus nodes of a shape with a blank ``sh:targetNode``: those nodes and the blank
    nodes its other targets select (None: no blank target node, nothing to filter)."""
    wanted = _blank_target_nodes(shapes, shape)
    if not wanted:
        return None
    others = [t for t in targets if t != _ANY_BLANK]
    if others:
        query = (header + "\nSELECT DISTINCT ?this WHERE { "
                 + " UNION ".join("{ " + t + " }" for t in others) + " FILTER(isBLANK(?this)) }")
        for row in store.query(query, **options):
            wanted.add(rdflib_term(row["this"]))
    return wanted


def _prebind_this(body: str, focus: str) -> str:
    """``$this`` pre-bound to the focus nodes: ``focus`` joined at the start of every group.

    SHACL pre-binds ``$this`` everywhere in the query, also inside groups evaluated on their own
    (UNION branches, OPTIONAL, BIND). Joining the focus-node subquery at the start of each group
    that mentions ``$this`` gives each of them the binding; EXISTS bodies already see the outer
    solution's value and are left alone (a subquery there would run once per row).
    """
    from wivgraph.store import _tokens  # noqa: PLC0415

    tokens = _tokens(body)
    stack: list[tuple[int, bool]] = []
    inject: list[int] = []
    groups: list[tuple[int, int, bool]] = []
    for i, tok in enumerate(tokens):
        if tok.text == "{":
            previous = tokens[i - 1].keyword if i else ""
            skip = previous in ("EXISTS", "VALUES") or (
                previous == "" and i and tokens[i - 1].kind == "var"
            )
            stack.append((i, skip))
        elif tok.text == "}" and stack:
            start, skip = stack.pop()
            groups.append((start, i, skip))
    for start, end, skip in groups:
        if skip:
            continue
        if any(t.kind == "var" and t.text[1:] == "this" for t in tokens[start:end]):
            inject.append(tokens[start].end)
    out, last = [], 0
    for offset in sorted(inject):
        out += [body[last:offset], " ", focus, " "]
        last = offset
    out.append(body[last:])
    return "".join(out).replace("$this", "?this")


def _fill(message: Literal, row: Mapping[str, Node]) -> Literal:
    """``{?var}`` / ``{$var}`` in a message replaced by the row's values, as pySHACL does.

    Unlike pySHACL (0.40), the language tag is kept, so a Dutch report shows the Dutch message.
    """
    text = str(message)
    for name, value in row.items():
        if value is None:
            continue
        for form in ("{?" + name + "}", "{$" + name + "}"):
            text = text.replace(form, str(value))
    return Literal(text, lang=message.language, datatype=message.datatype)


class _LabelSource:
    """Just enough of rdflib's Graph for :func:`wivgraph.validate.issues_of` (labels, sources)."""

    def __init__(self, store: ox.Store, inferred: bool):
        self._store = store
        self._inferred = inferred
        self._by_subject: dict[Node, dict[str, list]] = {}

    def _objects(self, subject, predicate) -> Iterator[Node]:
        if subject is None or isinstance(subject, Literal):
            return iter(())
        # a subject's triples read once: its labels and its source are asked one after the other
        triples = self._by_subject.get(subject)
        if triples is None:
            triples = {}
            for quad in union_pattern(self._store, to_ox(subject), None, None,
                                      inferred=self._inferred):
                triples.setdefault(quad.predicate.value, []).append(quad.object)
            self._by_subject[subject] = triples
        seen = set()
        out = []
        for value in triples.get(str(predicate), ()):
            term = rdflib_term(value)
            if term not in seen:
                seen.add(term)
                out.append(term)
        return iter(out)

    def objects(self, subject=None, predicate=None, unique=False):
        return self._objects(subject, predicate)

    def subject_predicates(self, object=None, unique=False):  # noqa: A002
        """Who holds ``object`` (a blank node's owner, for its label), each pair once."""
        if object is None:
            return iter(())
        seen = []
        for quad in union_pattern(self._store, None, None, to_ox(object), inferred=self._inferred):
            pair = (rdflib_term(quad.subject), rdflib_term(quad.predicate))
            if pair not in seen:
                seen.append(pair)
        return iter(seen)

    def value(self, subject=None, predicate=None, object=None, default=None, any=True):  # noqa: A002
        return next(self._objects(subject, predicate), default)
