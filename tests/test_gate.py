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
