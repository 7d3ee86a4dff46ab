"""Stores: one interface for asking the graph, wherever it lives.

``store.query(text, bindings) -> QueryResult`` with ``bindings`` a dict of variable name to rdflib
term. Three implementations answer the same questions the same way:

- :class:`wivgraph.fast.FastStore` — the project's data in pyoxigraph (the build cache, the
  files loaded by oxigraph, or an rdflib Dataset copied: :func:`wivgraph.fast.dataset_store`);
- :class:`RdflibStore` — an rdflib Graph or Dataset, asked by rdflib's own engine: the
  reference the others are compared with in tests and benchmarks, and what a caller gets who
  hands :func:`as_store` a plain rdflib graph;
- :class:`RemoteStore` — any SPARQL 1.1 endpoint over HTTP (POST of the query; JSON results,
  Turtle graphs; a total time limit, an answer size cap, a JSON depth cap), e.g. the oxigraph server started by ``wivgraph serve``; the commands ask it
  bounded questions (:class:`ReadableRemote` adds pattern look-ups for ``ask onward``), and
  :meth:`~RemoteStore.fetch_dataset` copies its named graphs into a local Dataset only for
  ``export`` and for an endpoint that holds classified content (its public view).

Every query passes the gate (:func:`wivgraph.gate.check_query`) before it runs, local or remote.

Binding parameters without pasting them (:func:`bind_values`): the query is tokenised (strings,
IRIs and comments are opaque), its group graph patterns are found, and a ``VALUES (?a ?b) { (..) }``
block with one row, written from the terms' ``n3()`` form, is inserted right after the opening
brace of the outermost WHERE group and of every nested group pattern (and sub-select WHERE group)
that mentions a parameter. A one-row VALUES joined at the start of a group binds the variable
for the whole group — its triple patterns, FILTERs, BINDs, OPTIONALs and EXISTS — which is what a
pre-bound variable does; repeating it in inner groups reaches the places outer bindings do not
(sub-selects, MINUS, nested FILTER scopes). Projection, aggregates and LIMIT stay untouched
because nothing is wrapped around the query. A parameter used after aggregation (HAVING, a
projected expression, ORDER BY) is added to the GROUP BY list, which does not change the groups
because it has one value. The block of all the terms is parsed on its own and checked to hold
exactly the given terms: every inserted block is written from the same term texts and is closed
in itself, so a term can never change the query's structure (the query around it is read as
before; the gate has read the query itself).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.store import Store as RdflibStoreBase
from rdflib.term import Node

from wivgraph.errors import WivgraphError, shown
from wivgraph.query import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIME_LIMIT,
    QueryResult,
    _limited,
    prepare,
    run_query,
    within_time_limit,
)

DEFAULT_TIMEOUT = 30.0
#: largest answer body read from a remote endpoint (bytes); the corpus as quads is about 5 MB
MAX_ANSWER_BYTES = 256 * 1024 * 1024
#: deepest nesting of arrays/objects accepted in a SPARQL JSON answer (results nest 5 deep)
MAX_JSON_DEPTH = 32
#: the explorer (and anything else that calls :func:`endpoint_from_env`) reads its endpoint here
ENDPOINT_ENV = "WIVGRAPH_ENDPOINT"


@runtime_checkable
class Store(Protocol):
    """What the CLI, the checker and the explorer ask questions through."""

    #: a local graph for resolving labels to IRIs, or None when the data lives elsewhere
    graph: Graph | None

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        row_limit: int = DEFAULT_ROW_LIMIT,
        time_limit: float | None = None,
    ) -> QueryResult: ...


# --- embedded ------------------------------------------------------------------------------


class RdflibStore:
    """The embedded rdflib Graph or Dataset; parameters bound with ``initBindings``."""

    kind = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def query(self, text, bindings=None, *, row_limit=DEFAULT_ROW_LIMIT, **kwargs) -> QueryResult:
        return run_query(self.graph, text, bindings, row_limit=row_limit, **kwargs)


_LABEL_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)


def _asserted(store, subject, predicate, obj):
    """``quads_for_pattern`` over the store's asserted union (:func:`wivgraph.fast.union_pattern`)."""
    from wivgraph.fast import union_pattern  # noqa: PLC0415  (fast imports this module)

    return union_pattern(store, subject, predicate, obj, inferred=False)


def name_index(store) -> dict[str, tuple[str, ...]]:
    """Names of the IRI resources in a pyoxigraph store's asserted union: each label
    (rdfs:label, skos:prefLabel, skos:altLabel, any language) and the IRI slug of each labelled
    resource, casefolded, with the IRIs they name (as :func:`wivgraph.query.resource_names`)."""
    import pyoxigraph as ox  # noqa: PLC0415

    found: dict[str, set[str]] = {}
    named = ox.NamedNode
    for predicate in _LABEL_PREDICATES:
        for quad in _asserted(store, None, named(predicate), None):
            subject = quad.subject
            if not isinstance(subject, named):
                continue
            iri = subject.value
            found.setdefault(quad.object.value.casefold(), set()).add(iri)
            slug = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            found.setdefault(slug.casefold(), set()).add(iri)
    return {name: tuple(sorted(iris)) for name, iris in found.items()}


def occurs(store, iri: str) -> bool:
    """Whether ``iri`` is a subject or an object in the store's asserted union (two index
    look-ups, as ``(iri, None, None) in graph or (None, None, iri) in graph``)."""
    import pyoxigraph as ox  # noqa: PLC0415

    try:
        node = ox.NamedNode(iri)
    except ValueError:  # not a valid IRI: it occurs nowhere (the rdflib path says so)
        return False
    for pattern in ((node, None, None), (None, None, node)):
        for _ in _asserted(store, *pattern):
            return True
    return False


def run_oxigraph(
    start: Callable[[], object],
    form: str,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> QueryResult:
    """Run a pyoxigraph query (``start()``) and read its answer, bounded by ``time_limit`` s.

    pyoxigraph has no time limit of its own but releases the GIL while it evaluates, so the
    query runs in a daemon thread and the caller gets the same error as from :func:`run_query`
    when the limit passes. The thread is told to stop and does so at the next solution it reads;
    a query that computes its whole answer before the first solution (ORDER BY, aggregates) runs
    to its end in the background. pyoxigraph objects are made, read and dropped in that one
    thread (they must die in the thread that made them); only rdflib terms leave it.
    """
    stop = threading.Event()
    try:
        return within_time_limit(
            lambda: _read_oxigraph(start, form, row_limit, stop),
            time_limit,
            name="wivgraph-oxigraph",
            on_timeout=stop.set,
        )
    except WivgraphError:
        raise
    except (SyntaxError, ValueError, OSError, RuntimeError) as error:
        raise WivgraphError(f"query failed while running (pyoxigraph): {error}") from None


def _read_oxigraph(start, form: str, row_limit: int, stop: threading.Event) -> QueryResult:
    result = start()
    if form == "ASK":
        return QueryResult([], [], boolean=bool(result))
    if form in ("CONSTRUCT", "DESCRIBE"):
        rows = []
        for triple in result:
            if stop.is_set():
                break
            rows.append(_triple_row(triple))
        return _limited(["subject", "predicate", "object"], rows, row_limit)
    variables = [v.value for v in result.variables]
    rows = []
    for solution in result:
        if stop.is_set():
            break
        rows.append(_solution_row(solution, variables))
        if len(rows) > row_limit:
            break
    return _limited(variables, rows, row_limit)


def _triple_row(triple) -> dict[str, Node | None]:
    return {
        "subject": rdflib_term(triple.subject),
        "predicate": rdflib_term(triple.predicate),
        "object": rdflib_term(triple.object),
    }


def _solution_row(solution, variables: list[str]) -> dict[str, Node | None]:
    return {var: rdflib_term(solution[var]) for var in variables}


#: rdflib terms by the N-Triples text of the pyoxigraph term they were made from: a literal is
#: costly to make in rdflib (its value is parsed) and answers repeat terms, within one result
#: and between questions; plain strings as keys, so no pyoxigraph object outlives its thread
_TERMS: dict[str, Node] = {}
_TERMS_KEPT = 100_000


def rdflib_term(term) -> Node | None:
    """A pyoxigraph term as the rdflib term rdflib itself would return (made once per term
    text, then remembered; rdflib terms are immutable)."""
    if term is None:
        return None
    key = str(term)
    found = _TERMS.get(key)
    if found is None:
        if len(_TERMS) >= _TERMS_KEPT:
            _TERMS.clear()
        found = _TERMS[key] = _rdflib_term(term)
    return found


def _rdflib_term(term) -> Node:
    name = type(term).__name__
    if name == "NamedNode":
        return URIRef(term.value)
    if name == "BlankNode":
        return BNode(term.value)
    if name == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language)
        return _typed_literal(term.value, term.datatype.value)
    raise WivgraphError(f"unsupported term in a result: {term!r}")


def _typed_literal(value: str, datatype: str | None) -> Literal:
    # RDF 1.1 simple literals are xsd:string; rdflib writes them without a datatype.
    if datatype in (None, "http://www.w3.org/2001/XMLSchema#string"):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def query_form(prepared) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query prepared by rdflib."""
    name = prepared.algebra.name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    return name.removesuffix("Query").upper()


# --- remote --------------------------------------------------------------------------------


#: the request styles of the SPARQL 1.1 Protocol, in the order ``auto`` tries them
METHODS = ("get", "post-form", "post-direct")
#: ``WIVGRAPH_ENDPOINT_METHOD`` picks one of METHODS (or ``auto``) for every RemoteStore
METHOD_ENV = "WIVGRAPH_ENDPOINT_METHOD"
#: ``auto`` sends a query by GET while the whole request line stays this short
MAX_GET_URL = 2000
#: answers that mean "not this request style": try the next one (``auto`` only)
_STYLE_REFUSED = {405, 411, 413, 414, 415, 501}


class RemoteStore:
    """A SPARQL 1.1 endpoint, asked over HTTP, not trusted.

    Request style (``method``): ``get`` (query in the URL), ``post-form`` (URL-encoded form
    body) or ``post-direct`` (``application/sparql-query`` body); ``auto`` (the default, or
    ``WIVGRAPH_ENDPOINT_METHOD``) sends GET while the URL stays under ``MAX_GET_URL`` characters,
    else the form POST, and moves on to the next style when the server refuses one (HTTP 405,
    414, 415, 501, ...) and keeps the one that worked. Direct POST comes last because some
    servers (Virtuoso 7.2) accept it and never answer. SELECT and ASK come back as SPARQL JSON
    results, CONSTRUCT and DESCRIBE as Turtle. Every query passes the gate before anything is
    sent; parameters are bound as VALUES.
    """

    kind = "remote"
    graph = None

    def __init__(
        self,
        endpoint: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        method: str | None = None,
        binding: str = "bind",
    ):
        method = (method or os.environ.get(METHOD_ENV, "") or "auto").strip().lower()
        if method != "auto" and method not in METHODS:
            raise WivgraphError(
                f"endpoint request method {method!r}: expected auto, " + ", ".join(METHODS)
            )
        self.method = method
        #: how parameters are bound: ``bind`` (BIND at the start of each group), which every
        #: server tested plans well; ``values`` (one-row VALUES) as embedded stores do
        self.binding = binding
        #: the style that worked last (``auto``), tried first from then on
        self._working: str | None = None
        #: what was sent and received, for tests and benchmarks (requests, bytes)
        self.traffic = {"requests": 0, "bytes_received": 0}
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise WivgraphError(
                f"--endpoint {endpoint!r}: expected an http(s) URL such as "
                "http://127.0.0.1:7878/query"
            )
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        # protocol parameters in the URL (e.g. default-graph-uri) are sent in the request's
        # query string, the query itself as the body
        self._base = urllib.parse.urlunsplit(parts._replace(query="", fragment=""))
        self._parameters = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if any(name in ("query", "update") for name, _ in self._parameters):
            raise WivgraphError(
                f"--endpoint {endpoint!r}: the URL may not carry a query or update parameter"
            )

    def query(
        self, text, bindings=None, *, row_limit=DEFAULT_ROW_LIMIT, time_limit=None
    ) -> QueryResult:
        """``time_limit`` (seconds) bounds the HTTP wait; the server has its own limit too."""
        prepared = prepare(text)
        final = bind_values(text, bindings or {}, style=self.binding)
        form = query_form(prepared)
        body = self.send(final, form, time_limit or self.timeout)
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            try:
                graph.parse(data=body, format="turtle")
            except Exception as exc:
                raise WivgraphError(f"{self.endpoint}: unreadable Turtle answer ({exc})") from None
            rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in graph]
            return _limited(["subject", "predicate", "object"], rows, row_limit)
        return parse_results_json(body, row_limit=row_limit, where=self.endpoint)

    def styles(self, text: str) -> list[str]:
        """The request styles to try for ``text``, in order."""
        if self.method != "auto":
            return [self.method]
        order = list(METHODS)
        path = urllib.parse.urlsplit(self._base).path or "/"
        url = len(path) + len(urllib.parse.urlencode([*self._parameters, ("query", text)]))
        if url > MAX_GET_URL:
            order.remove("get")
        if self._working in order:
            order.remove(self._working)
            order.insert(0, self._working)
        return order

    def send(self, text: str, form: str, timeout: float | None = None) -> str:
        """Send an already gated and bound query; the answer's body as text.

        Only for text that has passed :func:`wivgraph.gate.check_query` (``query`` does that).
        The request style is :meth:`styles`' first that the server does not refuse. The
        server is not trusted: ``timeout`` bounds the whole exchange (connect, headers and
        body together, not each read: a watchdog closes the socket at the deadline), the body
        may hold at most ``max_answer_bytes``, and redirects are not followed.
        """
        import time  # noqa: PLC0415

        limit = timeout or self.timeout
        deadline = time.monotonic() + limit
        styles = self.styles(text)
        for number, style in enumerate(styles):
            left = deadline - time.monotonic()
            if left <= 0:
                raise WivgraphError(self._late(limit))
            try:
                body = self._exchange(text, form, style, left, limit)
            except _StyleRefused as refused:
                if number + 1 < len(styles):
                    continue
                raise WivgraphError(str(refused)) from None
            self._working = style
            return body
        raise WivgraphError(f"{self.endpoint}: no request style left to try")  # pragma: no cover

    def _exchange(self, text: str, form: str, style: str, timeout: float, limit: float) -> str:
        """One HTTP exchange in ``style``; raises _StyleRefused when the server refuses it."""
        import http.client  # noqa: PLC0415
        import socket  # noqa: PLC0415
        import time  # noqa: PLC0415

        parts = urllib.parse.urlsplit(self._base)
        target = parts.path or "/"
        accept = "text/turtle" if form in ("CONSTRUCT", "DESCRIBE") else (
            "application/sparql-results+json"
        )
        headers = {"Accept": accept, "User-Agent": "wivgraph"}
        verb, body_bytes = "POST", None
        if style == "get":
            verb = "GET"
            target += "?" + urllib.parse.urlencode([*self._parameters, ("query", text)])
        elif style == "post-form":
            body_bytes = urllib.parse.urlencode([*self._parameters, ("query", text)]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            if self._parameters:
                target += "?" + urllib.parse.urlencode(self._parameters)
            body_bytes = text.encode("utf-8")
            headers["Content-Type"] = "application/sparql-query; charset=utf-8"
        kind = http.client.HTTPSConnection if parts.scheme == "https" else (
            http.client.HTTPConnection
        )
        expired = threading.Event()
        try:
            connection = kind(parts.netloc, timeout=timeout)
        except (ValueError, http.client.InvalidURL) as exc:
            raise WivgraphError(f"{self.endpoint}: not a usable URL ({exc})") from None

        def watchdog() -> None:
            expired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(timeout, watchdog)
        timer.daemon = True
        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        try:
            timer.start()
            connection.request(verb, target, body=body_bytes, headers=headers)
            response = connection.getresponse()
            size = 0
            while True:
                chunk = response.read1(65536)
                if expired.is_set() or time.monotonic() > deadline:
                    raise TimeoutError
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_answer_bytes:
                    raise WivgraphError(
                        f"{self.endpoint}: the answer is larger than the limit of "
                        f"{self.max_answer_bytes:,} bytes"
                    )
                chunks.append(chunk)
            status, reason = response.status, response.reason
        except WivgraphError:
            raise
        except TimeoutError:
            raise WivgraphError(self._late(limit)) from None
        except (http.client.HTTPException, OSError) as exc:
            if expired.is_set():
                raise WivgraphError(self._late(limit)) from None
            if isinstance(exc, http.client.HTTPException):
                raise WivgraphError(
                    f"{self.endpoint}: not a readable HTTP answer ({type(exc).__name__})"
                ) from None
            reason = getattr(exc, "strerror", None) or exc
            raise WivgraphError(f"{self.endpoint}: cannot reach the endpoint ({reason})") from None
        finally:
            timer.cancel()
            connection.close()
        body = b"".join(chunks)
        self.traffic["requests"] += 1
        self.traffic["bytes_received"] += len(body)
        if status in _STYLE_REFUSED and self.method == "auto":
            raise _StyleRefused(
                f"{self.endpoint}: the endpoint refused every request style "
                f"(last: {style}, HTTP {status} {reason})"
            )
        if status >= 400 or not 200 <= status < 300:
            detail = body[:500].decode("utf-8", "replace").strip().splitlines()
            detail = [line.strip() for line in detail if line.strip()]
            moved = " (redirects are not followed: give the final URL)" if status < 400 else ""
            raise WivgraphError(
                f"{self.endpoint}: the endpoint answered HTTP {status} {reason}{moved}"
                + (f": {detail[0][:200]}" if detail and not moved else "")
            )
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WivgraphError(f"{self.endpoint}: the answer is not UTF-8 ({exc})") from None

    def _late(self, limit: float) -> str:
        return f"{self.endpoint}: no complete answer within the time limit of {limit:g} s"

    def fetch_dataset(self) -> Dataset:
        """The endpoint's named graphs copied into a local Dataset (default graph = union).

        For the graph-wide algorithms (checker, ``ask onward``, networks, export) that walk the
        whole graph with rdflib: they then run unchanged on the endpoint's data. An endpoint
        without named graphs gives its default graph as one graph named after the endpoint.
        """
        from wivgraph.namespaces import bind_prefixes  # noqa: PLC0415

        dataset = Dataset(default_union=True)
        bind_prefixes(dataset)
        quads = self._all_rows("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        if not quads:
            whole = URIRef(self.endpoint)
            quads = [
                {"g": whole, **row} for row in self._all_rows("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
            ]
        graphs: dict[Node, Graph] = {}
        for row in quads:
            name = row["g"]
            if name not in graphs:
                graphs[name] = dataset.graph(name)
            graphs[name].add((row["s"], row["p"], row["o"]))
        return dataset

    def _all_rows(self, text: str) -> list[dict]:
        prepare(text)
        body = self.send(text, "SELECT")
        return parse_results_json(body, row_limit=sys.maxsize, where=self.endpoint).rows


class _StyleRefused(Exception):
    """The server refused a request style (RemoteStore tries the next one)."""


def parse_results_json(
    body: str, *, row_limit: int = DEFAULT_ROW_LIMIT, where: str = ""
) -> QueryResult:
    """SPARQL 1.1 Query Results JSON into a QueryResult with rdflib terms."""
    if not _json_depth_within(body, MAX_JSON_DEPTH):
        raise WivgraphError(
            f"{where}: the answer is not SPARQL JSON results (nested deeper than "
            f"{MAX_JSON_DEPTH} levels, or unbalanced)"
        )
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise WivgraphError(f"{where}: the answer is not SPARQL JSON results ({exc})") from None
    if not isinstance(data, dict):
        raise WivgraphError(f"{where}: the answer is not SPARQL JSON results (not an object)")
    if "boolean" in data:
        return QueryResult([], [], boolean=bool(data["boolean"]))
    try:
        variables = list(data["head"]["vars"])
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError):
        raise WivgraphError(f"{where}: SPARQL JSON results without head.vars/results") from None
    rows = []
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise WivgraphError(f"{where}: SPARQL JSON results whose bindings are not objects")
    for binding in bindings:
        rows.append({var: _from_json(binding.get(var)) for var in variables})
        if len(rows) > row_limit:
            break
    return _limited(variables, rows, row_limit)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_JSON_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def _json_depth_within(body: str, limit: int) -> bool:
    """Whether the arrays and objects of ``body`` nest at most ``limit`` deep, without
    recursion: strings dropped, then innermost ``[]``/``{}`` pairs removed once per level."""
    brackets = _JSON_NOT_BRACKET.sub("", _JSON_STRING.sub("", body))
    for _ in range(limit):
        if not brackets:
            return True
        brackets = _JSON_EMPTY_PAIR.sub("", brackets)
    return not brackets


def _from_json(value: dict | None) -> Node | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise WivgraphError("SPARQL JSON results: a term is not an object with a string value")
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        return _typed_literal(value["value"], value.get("datatype"))
    raise WivgraphError(f"unsupported term type {kind!r} in SPARQL JSON results")


# --- choosing a store ----------------------------------------------------------------------


def as_store(target: Store | Graph) -> Store:
    """A store for ``target``: a store as it is, an rdflib Graph/Dataset embedded."""
    if isinstance(target, Graph):
        return RdflibStore(target)
    # (a class that declares ``graph`` is taken as it is: the protocol's check would read the
    # attribute, and a store's rdflib view is made on first read)
    if callable(getattr(target, "query", None)) and hasattr(type(target), "graph"):
        return target
    if isinstance(target, Store):
        return target
    raise WivgraphError(f"expected a store or an rdflib graph, got {type(target).__name__}")


def endpoint_from_env() -> str | None:
    """The endpoint named by ``WIVGRAPH_ENDPOINT``, or None when it is unset or empty."""
    value = os.environ.get(ENDPOINT_ENV, "").strip()
    return value or None


class GraphReads:
    """rdflib's read API (``subjects``, ``objects``, ``value``, ``triples``, ``in``, ...) on a
    store, forwarded to its ``_reads`` graph: for code that takes "a graph or a store" and both
    asks questions and looks up labels (``wivgraph.onward``)."""

    _reads: Graph

    def subjects(self, *args, **kwargs):
        return self._reads.subjects(*args, **kwargs)

    def objects(self, *args, **kwargs):
        return self._reads.objects(*args, **kwargs)

    def predicate_objects(self, *args, **kwargs):
        return self._reads.predicate_objects(*args, **kwargs)

    def subject_objects(self, *args, **kwargs):
        return self._reads.subject_objects(*args, **kwargs)

    def value(self, *args, **kwargs):
        return self._reads.value(*args, **kwargs)

    def triples(self, *args, **kwargs):
        return self._reads.triples(*args, **kwargs)

    def __contains__(self, triple) -> bool:
        return triple in self._reads


class _AskedPatterns(RdflibStoreBase):
    """A read-only rdflib store whose pattern look-ups are SELECTs sent to a remote store.

    A pattern with a subject fetches that subject's triples once (what a label look-up needs
    next); any other pattern is asked as it is, and the triples of the subjects it finds are
    fetched with it, in batches (their labels are read next). Answers are remembered, so each
    crosses the network once; what is transferred is what is read, not the remote store."""

    _BATCH = 200

    def __init__(self, remote: RemoteStore) -> None:
        super().__init__()
        self._remote = remote
        self._by_subject: dict[Node, list[tuple[Node, Node]]] = {}
        self._by_pattern: dict[tuple, list[tuple]] = {}

    def _select(self, text: str) -> list[dict]:
        return self._remote.query(text, row_limit=sys.maxsize).rows

    def triples(self, triple_pattern, context=None):
        subject, predicate, obj = triple_pattern
        if isinstance(subject, Literal) or (predicate is not None and not isinstance(predicate, URIRef)):
            return
        for term in (subject, predicate, obj):
            if isinstance(term, BNode):
                raise WivgraphError("cannot look up a blank node at an endpoint (its name is "
                                    "the endpoint's own); expected IRIs and literals only")
        if subject is not None:
            found = self._by_subject.get(subject)
            if found is None:
                term = one_term(subject)
                found = self._by_subject[subject] = [
                    (row["p"], row["o"]) for row in self._select(f"SELECT ?p ?o WHERE {{ {term} ?p ?o }}")
                ]
            for p, o in found:
                if (predicate is None or p == predicate) and (obj is None or o == obj):
                    yield (subject, p, o), iter(())
            return
        key = (predicate, obj)
        found = self._by_pattern.get(key)
        if found is None:
            where = " ".join(["?s", one_term(predicate) if predicate is not None else "?p",
                              one_term(obj) if obj is not None else "?o"])
            found = self._by_pattern[key] = [
                (row["s"], row.get("p", predicate), row.get("o", obj))
                for row in self._select(f"SELECT * WHERE {{ {where} }}")
            ]
            self._read_subjects({t[0] for t in found if isinstance(t[0], URIRef)})
        for triple in found:
            yield triple, iter(())

    def _read_subjects(self, subjects: set) -> None:
        """Fetch the triples of ``subjects`` not read yet, a batch per query."""
        todo = sorted(subject for subject in subjects if subject not in self._by_subject)
        for start in range(0, len(todo), self._BATCH):
            batch = todo[start : start + self._BATCH]
            values = " ".join(one_term(subject) for subject in batch)
            for subject in batch:
                self._by_subject[subject] = []
            for row in self._select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"):
                self._by_subject[row["s"]].append((row["p"], row["o"]))

    def __len__(self, context=None) -> int:
        raise WivgraphError("the size of a remote graph is not read through pattern look-ups")


def one_term(term: Node | str) -> str:
    """``term`` (a string is an IRI) written as one SPARQL term; an IRI an endpoint returned
    that cannot be (it is not trusted) is refused, so it can never change the query around it."""
    try:
        return (URIRef(term) if isinstance(term, str) and not isinstance(term, Node) else term).n3()
    except Exception:  # rdflib refuses IRIs with spaces, <, >, quotes, braces, ...
        raise WivgraphError(f"cannot ask about {shown(str(term))}: not a valid IRI") from None


class ReadableRemote(GraphReads, RemoteStore):
    """A :class:`RemoteStore` that also reads like an rdflib Graph over the endpoint's default
    graph (the union), by pattern look-ups sent as SELECTs (:class:`_AskedPatterns`): nothing is
    copied. For ``ask onward --endpoint``, whose questions and checker ask the endpoint too."""

    @functools.cached_property
    def _reads(self) -> Graph:
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID  # noqa: PLC0415

        return Graph(store=_AskedPatterns(self), identifier=DATASET_DEFAULT_GRAPH_ID)


def holds_classified_content(remote: RemoteStore) -> bool:
    """:func:`wivgraph.classification.has_classified_content`, asked of an endpoint's default
    graph (the union, as `wivgraph serve` and docs/deploy.md set it up) with one ASK: content of
    a classified resource or of a part below it. A public view (what `wivgraph export` and
    `wivgraph serve` give) has none; only then may a command ask the endpoint instead of
    working on the copied public view (:func:`load_source`)."""
    from rdflib.namespace import RDFS  # noqa: PLC0415

    from wivgraph.classification import CLASSIFIED_STATUSES  # noqa: PLC0415
    from wivgraph.namespaces import ELI, WIV  # noqa: PLC0415

    statuses = " ".join(f"<{status}>" for status in sorted(CLASSIFIED_STATUSES))
    content = f"<{WIV.text}> <{ELI.description}> <{RDFS.comment}>"
    classified = remote.query(
        f"ASK {{ ?top <{WIV.publicStatus}> ?status . VALUES ?status {{ {statuses} }} "
        f"?node <{ELI.is_part_of}>* ?top . ?node ?content ?value . "
        f"VALUES ?content {{ {content} }} FILTER(isIRI(?top) && isIRI(?node)) }}"
    )
    return bool(classified.boolean)


def remote_stats(remote: RemoteStore) -> dict | None:
    """:func:`wivgraph.load.dataset_stats` of an endpoint's data, asked with four aggregate
    queries: what crosses the network grows with the number of graphs and classes, not with the
    triples. None when the endpoint holds classified content: its counts must be those of the
    public view, which needs the data itself (the caller then copies it, as before)."""
    if holds_classified_content(remote):
        return None
    per_graph = {
        str(row["g"]): int(row["n"])
        for row in remote._all_rows(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        if int(row["n"])
    }
    if per_graph:  # the union of the named graphs, as fetch_dataset copies them
        scope = "GRAPH ?g { ?s ?p ?o }"
        typed = "GRAPH ?g { ?s a ?c }"
    else:  # no named graphs: the default graph as one graph named after the endpoint
        scope, typed = "?s ?p ?o", "?s a ?c"
        total = int(remote._all_rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
        per_graph = {remote.endpoint: total} if total else {}
    distinct = remote._all_rows(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {scope} }} }}"
    )
    classes = {
        str(row["c"]): int(row["n"])
        for row in remote._all_rows(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {typed} }} GROUP BY ?c"
        )
    }
    quads = sum(per_graph.values())
    return {
        "triples": quads,
        "quads": quads,
        "distinct_triples": int(distinct[0]["n"]) if distinct else 0,
        "graphs": dict(sorted(per_graph.items())),
        "classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def load_source(root=None, endpoint: str | None = None) -> Dataset:
    """The dataset to work on as an rdflib Dataset: fetched from ``endpoint`` if given, else
    ``root``'s files loaded by oxigraph (:func:`wivgraph.fast.load_store`, the one load path) and
    copied; either way its public view (content of classified resources withheld)."""
    if endpoint:
        from wivgraph.classification import public_view  # noqa: PLC0415

        return public_view(RemoteStore(endpoint).fetch_dataset())
    from wivgraph import fast  # noqa: PLC0415

    return fast.rdflib_dataset(fast.load_store(root), inferred=False)


# --- binding parameters with VALUES ------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[^\s{}()\[\]<>"',;\#?$]+)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
_AFTER_GROUP_BY = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


@dataclass
class _Group:
    kind: str  # group, wrapper (around a sub-select), template, short-construct, data
    open: int  # token index of "{"
    close: int = -1  # token index of "}"


@dataclass
class _Select:
    """A query form (the query, or a sub-select) and the tokens it spans."""

    start: int  # token index of SELECT/ASK/CONSTRUCT/DESCRIBE
    end: int  # token index one past the last token of this form
    depth: tuple[int, int]
    where: _Group | None = None


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        tokens.append(_Token(kind, match.group(), match.start(), match.end()))
    return tokens


def _structure(tokens: list[_Token]) -> tuple[list[_Group], list[_Select]]:
    """Classify every brace and find each query form with its WHERE group."""
    groups: list[_Group] = []
    selects: list[_Select] = []
    stack: list[_Group] = []
    open_selects: list[_Select] = []
    parens = 0
    values_pending = False
    for i, tok in enumerate(tokens):
        kw = tok.keyword
        prev = tokens[i - 1].keyword if i else ""
        if kw in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            open_selects.append(_Select(i, len(tokens), (len(stack), parens)))
            selects.append(open_selects[-1])
        elif kw == "VALUES":
            values_pending = True
        elif tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{":
            if values_pending:
                kind, values_pending = "data", False
            elif prev == "CONSTRUCT":
                kind = "template"
            elif prev == "WHERE" and i >= 2 and tokens[i - 2].keyword == "CONSTRUCT":
                kind = "short-construct"
            elif i + 1 < len(tokens) and tokens[i + 1].keyword == "SELECT":
                kind = "wrapper"
            else:
                kind = "group"
            group = _Group(kind, i)
            if kind in ("group", "short-construct"):
                for sel in reversed(open_selects):
                    if sel.where is None and sel.depth == (len(stack), parens):
                        sel.where = group
                        break
            stack.append(group)
            groups.append(group)
        elif tok.text == "}":
            if not stack:
                raise WivgraphError("SPARQL syntax error: unbalanced '}'")
            closed = stack.pop()
            closed.close = i
            if closed.kind == "wrapper":
                # the sub-select inside this wrapper ends here
                for sel in reversed(open_selects):
                    if sel.depth[0] == len(stack) + 1 and sel.end == len(tokens):
                        sel.end = i
                        open_selects.remove(sel)
                        break
    if stack:
        raise WivgraphError("SPARQL syntax error: unbalanced '{'")
    return groups, selects


def _values_block(variables: list[str], bindings: Mapping[str, Node], style: str = "values") -> str:
    if style == "bind":
        return " " + " ".join(f"BIND ({_n3(v, bindings[v])} AS ?{v})" for v in variables) + " "
    names = " ".join(f"?{v}" for v in variables)
    terms = " ".join(_n3(v, bindings[v]) for v in variables)
    return f" VALUES ({names}) {{ ({terms}) }} "


def _n3(name: str, term: Node) -> str:
    if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
        raise WivgraphError(
            f"parameter {name}: a {type(term).__name__} cannot be bound remotely "
            "(only IRIs and literals can appear in VALUES)"
        )
    try:
        return term.n3()
    except Exception as exc:  # rdflib refuses IRIs it cannot serialise
        raise WivgraphError(f"parameter {name}: cannot write {term!r} as SPARQL ({exc})") from None


def bind_values(text: str, bindings: Mapping[str, Node], *, style: str = "values") -> str:
    """``text`` with ``bindings`` injected as VALUES blocks (see the module docstring).

    ``style="bind"`` injects ``BIND (term AS ?name)`` into the outermost WHERE group instead
    (nested groups keep VALUES): the same answers (a constant BIND at the start of a group is a
    one-row VALUES), but servers that plan property paths only from a constant or BIND-bound
    start accept it (Virtuoso 7.2: "transitive start not given" for
    ``VALUES ?a {..} ?a skos:broader* ?b``), while Virtuoso loses every row for a BIND inside
    ``GRAPH ?g { }``.
    """
    if not bindings:
        return text
    if style not in ("values", "bind"):
        raise WivgraphError(f"binding style {style!r}: expected values or bind")
    return _bind_values_cached(text, tuple(sorted(bindings.items())), style)


@functools.lru_cache(maxsize=512)
def _bind_values_cached(text: str, items: tuple[tuple[str, Node], ...], style: str = "values") -> str:
    # pure function of its arguments; caching spares the verifying re-parse (pyparsing is slow)
    bindings = dict(items)
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise WivgraphError(f"parameter name {name!r}: expected letters, digits and _")
    tokens = _tokens(text)
    groups, selects = _structure(tokens)
    wanted = set(bindings)
    uses = [i for i, t in enumerate(tokens) if t.kind == "var" and t.text[1:] in wanted]

    def used_in(first: int, last: int) -> list[str]:
        return sorted({tokens[i].text[1:] for i in uses if first <= i <= last})

    top = selects[0] if selects else None
    if top is None or top.where is None:
        raise WivgraphError(
            "parameters need a WHERE clause to be bound remotely (DESCRIBE <iri> has none)"
        )
    inserts: dict[int, str] = {}  # character offset -> text
    form_of = {id(sel.where): sel for sel in selects if sel.where is not None}
    for group in groups:
        if group.kind != "group":
            continue
        if group is top.where:
            names = sorted(wanted)
        elif id(group) in form_of:  # a sub-select's WHERE: its whole span is one scope
            names = used_in(form_of[id(group)].start, form_of[id(group)].end - 1)
        else:
            names = used_in(group.open, group.close)
        if names:
            # "bind": BIND in the outermost group only; nested groups (GRAPH, OPTIONAL, ...)
            # keep VALUES, which Virtuoso 7.2 evaluates right where a BIND inside GRAPH ?g is not
            here = style if group is top.where else "values"
            inserts[tokens[group.open].end] = _values_block(names, bindings, here)
    for sel in selects:
        if sel.where is None:
            continue
        outside = used_in(sel.start, sel.where.open) + used_in(sel.where.close, sel.end - 1)
        if sel is top:
            outside = sorted(wanted)  # the whole query may refer to any parameter
        outside = [v for v in outside if _used_after_aggregation(tokens, sel, v)]
        if outside:
            at = _group_by_end(tokens, sel)
            if at is None:
                raise WivgraphError(
                    f"parameter(s) {', '.join(outside)} used after aggregation in a query "
                    "without GROUP BY cannot be bound remotely; use them inside WHERE "
                    "(e.g. BIND) instead"
                )
            inserts[at] = inserts.get(at, "") + " " + " ".join(f"?{v}" for v in outside) + " "
    if top.where.kind == "short-construct":
        return _verify(
            _expand_short_construct(text, tokens, top.where, bindings, style), bindings, style
        )
    out = []
    last = 0
    for offset in sorted(inserts):
        out.append(text[last:offset])
        out.append(inserts[offset])
        last = offset
    out.append(text[last:])
    return _verify("".join(out), bindings, style)


def _used_after_aggregation(tokens: list[_Token], sel: _Select, name: str) -> bool:
    """Whether ``name`` occurs outside the WHERE group of an aggregating form."""
    assert sel.where is not None
    span = list(range(sel.start, sel.where.open)) + list(range(sel.where.close, sel.end))
    aggregating = any(
        tokens[i].keyword in _AGGREGATES or tokens[i].keyword == "GROUP" for i in span
    )
    if not aggregating:
        return False
    return any(tokens[i].kind == "var" and tokens[i].text[1:] == name for i in span)


def _group_by_end(tokens: list[_Token], sel: _Select) -> int | None:
    """Character offset where more GROUP BY conditions can be appended, if there is a GROUP BY."""
    assert sel.where is not None
    depth = 0
    inside = False
    for i in range(sel.where.close + 1, sel.end):
        tok = tokens[i]
        if tok.text in "({":
            depth += 1
        elif tok.text in ")}":
            depth -= 1
        if depth:
            continue
        if tok.keyword == "GROUP" and i + 1 < sel.end and tokens[i + 1].keyword == "BY":
            inside = True
        elif inside and tok.keyword in _AFTER_GROUP_BY:
            return tokens[i].start
    return tokens[sel.end - 1].end if inside else None


def _expand_short_construct(text, tokens, where: _Group, bindings, style: str = "values") -> str:
    """``CONSTRUCT WHERE { T }`` as ``CONSTRUCT { T } WHERE { VALUES ... T }``."""
    body = text[tokens[where.open].end : tokens[where.close].start]
    where_kw = tokens[where.open - 1]
    return (
        text[: where_kw.start]
        + "{"
        + body
        + "} WHERE {"
        + _values_block(sorted(bindings), bindings, style)
        + body
        + "}"
        + text[tokens[where.close].end :]
    )


def _verify(text: str, bindings: Mapping[str, Node], style: str = "values") -> str:
    """``text`` (a query with ``bindings`` inserted) if every bound term survives as exactly
    one term: the block of all of them, as :func:`_values_block` writes it, is parsed alone and
    must give back the given terms (and the BINDs too, for ``style="bind"``).

    The blocks inserted in ``text`` are made of the same term texts, each closed in itself and
    placed where a group begins, so what holds for the block alone holds there; parsing the
    whole rewritten query instead cost 0.1-0.3 s per new binding (issue 19)."""
    from wivgraph import gate  # noqa: PLC0415

    remembered = gate.memo()
    said = f"{style}\0" + "\0".join(f"{k}={v.n3()}" for k, v in sorted(bindings.items()))
    if remembered is not None and remembered.get("bound", said) == "ok":
        return text
    # rdflib's SPARQL parser (pyparsing: ~0.1-0.2 s to import) only when a query is bound
    from rdflib.plugins.sparql.algebra import translateQuery  # noqa: PLC0415
    from rdflib.plugins.sparql.parser import parseQuery  # noqa: PLC0415

    names = sorted(bindings)
    expected = {Variable(k): v for k, v in bindings.items()}
    for block_style in ("values", "bind") if style == "bind" else ("values",):
        block = f"SELECT * WHERE {{{_values_block(names, bindings, block_style)}}}"
        try:
            algebra = translateQuery(parseQuery(block)).algebra
        except Exception as exc:
            raise WivgraphError(f"cannot bind parameters into this query: {exc}") from None
        if block_style == "bind":
            found = dict(_extends(algebra))
        else:
            rows = [row for rows in _values_rows(algebra) for row in rows]
            found = rows[0] if len(rows) == 1 else {}
        if set(found) != set(expected) or any(
            type(found[var]) is not type(term) or found[var] != term for var, term in expected.items()
        ):
            raise WivgraphError("cannot bind parameters: a value did not survive as one term")
    if remembered is not None:
        remembered.put("bound", said, "ok")
    return text


def _extends(node):
    """(variable, expression) of every BIND (algebra ``Extend``) in ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    if isinstance(node, CompValue):
        if node.name == "Extend":
            yield node["var"], node["expr"]
        for value in node.values():
            yield from _extends(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _extends(item)


def _values_rows(node):
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    if isinstance(node, CompValue):
        if node.name == "values":
            yield node["res"]
        for value in node.values():
            yield from _values_rows(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _values_rows(item)


# --- comparing answers ---------------------------------------------------------------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_key(term: Node | None) -> tuple:
    """A comparable form of a result term: kind, lexical form, datatype or language.

    Blank nodes compare equal to each other (their labels are local to one answer), and an
    explicit ``^^xsd:string`` equals the plain literal (the same term in RDF 1.1).
    """
    if term is None:
        return ("unbound",)
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), "@" + term.language.lower())
        datatype = str(term.datatype) if term.datatype else _XSD_STRING
        return ("literal", str(term), datatype)
    return ("other", str(term))


def result_signature(result: QueryResult):
    """The answer as a multiset of rows of (variable, term key) pairs, or the ASK boolean."""
    from collections import Counter  # noqa: PLC0415

    if result.boolean is not None:
        return result.boolean
    return Counter(
        frozenset((var, term_key(value)) for var, value in row.items() if value is not None)
        for row in result.rows
    )
