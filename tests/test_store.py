"""The store interface: embedded rdflib and pyoxigraph give the same answers; VALUES binding."""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from wivgraph import paths
from wivgraph.errors import QueryRefused, WivgraphError
from wivgraph.fast import dataset_store
from wivgraph.load import load_dataset
from wivgraph.query import bind_parameters, catalogue, run_question
from wivgraph.serve import free_port
from wivgraph.store import (
    RdflibStore,
    RemoteStore,
    as_store,
    bind_values,
    parse_results_json,
    result_signature,
)

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
FIXTURE = paths.project_root() / "tests" / "fixtures" / "store"
FIXTURE_QUESTIONS = catalogue(FIXTURE / "queries")
CORPUS_QUESTIONS = catalogue(paths.queries_dir())


@pytest.fixture(scope="module")
def fixture_dataset():
    return load_dataset(FIXTURE)


@pytest.fixture(scope="module")
def fixture_stores(fixture_dataset):
    return RdflibStore(fixture_dataset), dataset_store(fixture_dataset)


@pytest.fixture(scope="module")
def corpus_oxigraph(dataset):
    return dataset_store(dataset)


@pytest.mark.parametrize("name", sorted(FIXTURE_QUESTIONS))
def test_fixture_question_same_on_rdflib_and_pyoxigraph(name, fixture_stores):
    rdflib_store, oxigraph_store = fixture_stores
    question = FIXTURE_QUESTIONS[name]
    embedded = run_question(rdflib_store, question)
    assert embedded.boolean is True or embedded.rows, f"{name}: the fixture should give rows"
    assert result_signature(run_question(oxigraph_store, question)) == result_signature(embedded)


@pytest.mark.parametrize("name", sorted(CORPUS_QUESTIONS))
def test_catalogue_question_same_on_rdflib_and_pyoxigraph(name, dataset, corpus_oxigraph):
    question = CORPUS_QUESTIONS[name]
    embedded = run_question(dataset, question)
    assert result_signature(run_question(corpus_oxigraph, question)) == result_signature(embedded)


@pytest.mark.parametrize(
    ("param", "value"),
    [("minimum", "1"), ("minimum", "3")],
)
def test_having_parameter_is_bound_after_aggregation(param, value, fixture_stores):
    question = FIXTURE_QUESTIONS["many-parties"]
    rdflib_store, oxigraph_store = fixture_stores
    embedded = run_question(rdflib_store, question, {param: value})
    other = run_question(oxigraph_store, question, {param: value})
    assert result_signature(other) == result_signature(embedded)


def test_values_block_sits_at_the_start_of_the_outermost_where():
    text = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a ?cls } LIMIT 5"
    bound = bind_values(text, {"cls": URIRef("http://example.org/Thing")})
    assert bound.startswith("SELECT (COUNT(?s) AS ?n) WHERE { VALUES (?cls) {")
    assert bound.rstrip().endswith("?s a ?cls } LIMIT 5")


def test_values_reach_a_subselect_that_does_not_project_the_parameter():
    text = "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }"
    bound = bind_values(text, {"o": Literal("x")})
    inner = bound.index("{ SELECT ?s WHERE {")
    assert bound.count('VALUES (?o) { ("x") }') == 2
    assert bound.index("VALUES (?o)", inner) > inner


def test_hostile_string_stays_one_literal():
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    bound = bind_values("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?v) }", {"v": Literal(hostile)})
    algebra = translateQuery(parseQuery(bound)).algebra
    assert algebra.name == "SelectQuery"
    assert hostile in bound.replace('\\"', '"')


@pytest.mark.parametrize(
    "term",
    [
        Literal("tekst", lang="nl"),
        Literal("2020-01-01", datatype=XSD_DATE),
        Literal(42),
        Literal(True),
        Literal("line\nbreak and \\ backslash"),
        URIRef("https://w3id.org/wivgraph/id/doc/convenant-ciic-2020/art/7"),
    ],
)
def test_every_parameter_type_round_trips_through_values(term):
    # bind_values re-parses the result and raises unless the VALUES row is exactly ``term``
    bound = bind_values("ASK { ?s ?p ?v }", {"v": term})
    assert "VALUES (?v)" in bound


class _WrittenUnescaped(Literal):
    """A literal whose SPARQL form is written without escaping (what the check guards against)."""

    def n3(self, namespace_manager=None):
        return f'"{self}"'


class _WrittenAsAnother(URIRef):
    def n3(self, namespace_manager=None):
        return "<http://example.org/another>"


@pytest.mark.parametrize("style", ["values", "bind"])
@pytest.mark.parametrize(
    "term",
    [_WrittenUnescaped('x" ) } } SELECT * WHERE { ?s ?p "y'), _WrittenAsAnother("http://example.org/one")],
    ids=["breaks-out", "another-term"],
)
def test_a_term_that_does_not_survive_its_writing_is_refused(term, style):
    """bind_values checks the written terms by parsing them back: a term that leaves its
    token, or comes back as another term, stops the query before anything runs."""
    with pytest.raises(WivgraphError, match="cannot bind parameters"):
        bind_values(f"SELECT ?s WHERE {{ ?s ?p ?v }} # {style} {id(term)}", {"v": term}, style=style)


def test_blank_node_parameter_is_refused():
    with pytest.raises(WivgraphError, match="cannot be bound remotely"):
        bind_values("ASK { ?s ?p ?v }", {"v": BNode()})


def test_aggregate_without_group_by_cannot_take_a_parameter_in_having():
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } HAVING (COUNT(*) > ?min)"
    with pytest.raises(WivgraphError, match="without GROUP BY"):
        bind_values(text, {"min": Literal(1)})


def test_describe_without_where_cannot_take_parameters():
    with pytest.raises(WivgraphError, match="WHERE"):
        bind_values("DESCRIBE <http://example.org/a>", {"x": Literal(1)})


def test_no_bindings_leaves_the_text_alone():
    text = "SELECT * WHERE { ?s ?p ?o }"
    assert bind_values(text, {}) == text


def test_gate_runs_before_the_remote_store_is_contacted():
    # nothing listens on this port: a refusal (not a connection error) proves the gate ran first
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(QueryRefused):
        store.query("INSERT DATA { <http://a> <http://b> <http://c> }")
    with pytest.raises(QueryRefused):
        store.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_unreachable_endpoint_is_a_clear_error():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(WivgraphError, match="cannot reach the endpoint"):
        store.query("ASK { ?s ?p ?o }")


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "127.0.0.1:7878/query", ""])
def test_endpoint_must_be_an_http_url(url):
    with pytest.raises(WivgraphError, match="http"):
        RemoteStore(url)


def test_results_json_terms():
    body = json.dumps(
        {
            "head": {"vars": ["a", "b", "c", "d", "e"]},
            "results": {
                "bindings": [
                    {
                        "a": {"type": "uri", "value": "http://example.org/x"},
                        "b": {"type": "literal", "value": "x", "xml:lang": "nl"},
                        "c": {"type": "literal", "value": "7", "datatype": str(XSD_INTEGER)},
                        "d": {"type": "bnode", "value": "b0"},
                    }
                ]
            },
        }
    )
    result = parse_results_json(body)
    row = result.rows[0]
    assert result.variables == ["a", "b", "c", "d", "e"]
    assert row["a"] == URIRef("http://example.org/x")
    assert row["b"] == Literal("x", lang="nl")
    assert row["c"] == Literal(7)
    assert isinstance(row["d"], BNode)
    assert row["e"] is None


def test_results_json_boolean_and_garbage():
    assert parse_results_json('{"head": {}, "boolean": false}').boolean is False
    with pytest.raises(WivgraphError, match="not SPARQL JSON"):
        parse_results_json("<html>")


def test_run_question_accepts_graph_or_store(fixture_dataset):
    question = FIXTURE_QUESTIONS["parties"]
    via_graph = run_question(fixture_dataset, question)
    via_store = run_question(as_store(fixture_dataset), question)
    assert result_signature(via_graph) == result_signature(via_store)
    with pytest.raises(WivgraphError, match="expected a store"):
        run_question(object(), question)


def test_labels_resolve_only_with_a_local_graph(fixture_dataset):
    question = FIXTURE_QUESTIONS["parties"]
    assert bind_parameters(question, {"agreement": "Convenant twee"}, fixture_dataset) == {
        "agreement": URIRef("http://example.org/a2")
    }
    with pytest.raises(WivgraphError, match="not an IRI"):
        bind_parameters(question, {"agreement": "Convenant twee"}, RemoteStore("http://x/").graph)


# --- time limit on the pyoxigraph stores -------------------------------------------------------


def _slow_dataset(n: int = 200):
    """A small generated graph on which a triple cross product takes seconds."""
    from rdflib import Dataset

    data = Dataset(default_union=True)
    graph = data.graph(URIRef("http://example.org/g"))
    for i in range(n):
        graph.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)))
    return data


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
SLOW_STREAM = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


@pytest.mark.parametrize("text", [SLOW, SLOW_STREAM])
def test_oxigraph_store_enforces_the_time_limit(text):
    import time

    store = dataset_store(_slow_dataset())
    started = time.monotonic()
    with pytest.raises(WivgraphError, match="longer than the time limit of 0.1 s"):
        store.query(text, time_limit=0.1, row_limit=10**9)
    assert time.monotonic() - started < 1.0


def test_oxigraph_store_time_limit_leaves_fast_queries_alone():
    store = dataset_store(_slow_dataset(20))
    assert store.query(SLOW, time_limit=5).rows[0]["n"].toPython() == 20**3
    assert store.query(SLOW, time_limit=None).rows[0]["n"].toPython() == 20**3


# --- request styles and the BIND binding style (issue #19) ------------------------------------


def test_bind_style_binds_the_outer_group_with_bind_and_inner_groups_with_values():
    from rdflib import URIRef as _URIRef

    from wivgraph.store import bind_values as _bind_values

    text = "SELECT ?x WHERE { ?x ?p ?a . OPTIONAL { ?a ?q ?y } }"
    bound = _bind_values(text, {"a": _URIRef("urn:a")}, style="bind")
    assert "BIND (<urn:a> AS ?a)" in bound
    assert "VALUES (?a) { (<urn:a>) }" in bound
    assert bound.index("BIND") < bound.index("VALUES")


def test_remote_store_falls_back_to_the_next_request_style():
    """A server that refuses GET with 405 gets the form POST, and the store keeps using it."""
    import http.server
    import json as _json
    import threading as _threading
    import urllib.parse as _parse

    from wivgraph.store import RemoteStore as _RemoteStore

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            seen.append("GET")
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            kind = self.headers["Content-Type"]
            seen.append(kind)
            assert kind == "application/x-www-form-urlencoded"
            assert _parse.parse_qs(body)["query"][0].startswith("ASK")
            answer = _json.dumps({"head": {}, "boolean": True}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = _threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store = _RemoteStore(f"http://127.0.0.1:{server.server_port}/sparql")
        assert store.query("ASK { ?s ?p ?o }").boolean is True
        assert store.query("ASK { ?s ?p ?o }").boolean is True
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["GET", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded"]
    assert store._working == "post-form"
    assert store.traffic["requests"] == 3


def test_remote_store_rejects_an_unknown_method():
    from wivgraph.store import RemoteStore as _RemoteStore

    with pytest.raises(WivgraphError, match="request method"):
        _RemoteStore("http://127.0.0.1:1/sparql", method="carrier-pigeon")
