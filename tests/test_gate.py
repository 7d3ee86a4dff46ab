"""The query gate refuses what could write or reach the network, by parsing."""

import pytest

from wivgraph.errors import QueryRefused, WivgraphError
from wivgraph.gate import check_query


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://x>",
        "PREFIX ex: <http://e/> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_refused(text):
    with pytest.raises(QueryRefused, match="read-only"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/x> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_dataset_clauses_refused(text):
    with pytest.raises(QueryRefused, match="FROM"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://x/> { ?a ?d ?e } } }",
        "ASK { { SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
    ],
)
def test_service_refused(text):
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(text)


def test_syntax_error_has_line_and_column():
    with pytest.raises(WivgraphError, match=r"line 2, column \d+"):
        check_query("SELECT * WHERE {\n ?s ?p \n}")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "ASK { ?s ?p ?o }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "DESCRIBE <http://a>",
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_read_only_local_queries_pass(text):
    assert check_query(text) is not None


def test_empty_query_is_bad_input():
    with pytest.raises(WivgraphError, match="empty query"):
        check_query("   ")


def test_time_limit_stops_waiting():
    from rdflib import Graph, Literal, URIRef

    from wivgraph.query import run_query

    g = Graph()
    for i in range(12):  # about 0.5 s of work: well over the limit, short in the background
        g.add((URIRef(f"http://e/{i}"), URIRef("http://e/p"), Literal(i)))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z . ?d ?p ?w }"
    with pytest.raises(WivgraphError, match="time limit of 0.05 s"):
        run_query(g, slow, time_limit=0.05)


def test_row_limit_truncates():
    from rdflib import Graph, Literal, URIRef

    from wivgraph.query import run_query

    g = Graph()
    for i in range(30):
        g.add((URIRef(f"http://e/{i}"), URIRef("http://e/p"), Literal(i)))
    result = run_query(g, "SELECT ?s WHERE { ?s ?p ?o }", row_limit=10)
    assert len(result.rows) == 10 and result.truncated


# --- verdicts remembered between processes (#19: the command line parses a question once) -----

QUESTION = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


@pytest.fixture
def memo_folder(tmp_path):
    from wivgraph import fast, gate

    gate.remember_in(tmp_path)
    fast._gated_form.cache_clear()
    yield tmp_path
    gate.remember_in(None)
    fast._gated_form.cache_clear()


def test_a_passed_query_is_not_parsed_again(memo_folder, monkeypatch):
    from wivgraph import fast, gate

    assert fast._gated_form(QUESTION) == "SELECT"
    (written,) = memo_folder.glob("gate-*.json")
    fast._gated_form.cache_clear()
    gate.remember_in(memo_folder)  # as a new process would
    monkeypatch.setattr(gate, "_checked", lambda text: pytest.fail("parsed again"))
    assert fast._gated_form(QUESTION) == "SELECT"
    assert len(list(memo_folder.glob("gate-*.json"))) == 1 and written.exists()


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
])
def test_a_refused_query_is_never_remembered(memo_folder, text):
    from wivgraph import fast, gate

    for _ in range(2):
        with pytest.raises((QueryRefused, WivgraphError)):
            fast._gated_form(text)
        gate.remember_in(memo_folder)
    assert gate.memo().get("form", text) is None
    assert not list(memo_folder.glob("gate-*.json"))


def test_a_remembered_text_is_still_bounded(memo_folder):
    from wivgraph import fast, gate
    from wivgraph.gate import MAX_NESTING

    deep = "SELECT * WHERE " + "{" * (MAX_NESTING + 5) + " ?s ?p ?o " + "}" * (MAX_NESTING + 5)
    gate.memo().put("form", deep, "SELECT")  # a memo file someone edited by hand
    with pytest.raises(QueryRefused, match="nested"):
        fast._gated_form(deep)


def test_an_unreadable_memo_is_ignored_and_the_name_follows_the_code(memo_folder):
    from wivgraph import fast, gate

    path = gate.memo().path
    path.write_text("{not json", encoding="utf-8")
    gate.remember_in(memo_folder)
    assert fast._gated_form(QUESTION) == "SELECT"  # parsed, then remembered in a sound file
    assert gate.memo().get("form", QUESTION) == "SELECT"
    assert gate._code_hash() in path.name


def test_a_bound_query_is_verified_once(memo_folder, monkeypatch):
    from rdflib import URIRef

    from wivgraph import gate, store

    text = "SELECT ?o WHERE { ?s ?p ?o }"
    bound = store._verify(store._bind_values_cached.__wrapped__(text, (("s", URIRef("http://a")),)),
                          {"s": URIRef("http://a")})
    gate.remember_in(memo_folder)
    import rdflib.plugins.sparql.parser as parser

    monkeypatch.setattr(parser, "parseQuery", lambda text: pytest.fail("parsed again"))
    assert store._verify(bound, {"s": URIRef("http://a")}) == bound
    with pytest.raises(BaseException, match="parsed again"):  # other values: checked anew
        store._verify(bound, {"s": URIRef("http://b")})
