"""Property-based tests: every input gives a result or a clear WivgraphError, never a crash."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from wivgraph import export as export_mod
from wivgraph.errors import WivgraphError
from wivgraph.gate import check_query
from wivgraph.load import parse_turtle
from wivgraph.query import Parameter, convert_parameter, expand_iri, parse_param_options, run_query

FUZZ = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

TURTLE_TOKENS = [
    "@prefix", "ex:", "<http://example.org/>", ".", ";", ",", "a", "ex:a", "ex:b", '"tekst"',
    '"x"@nl', "42", "true", "[", "]", "(", ")", "_:b", "^^", "<xsd:date>", "@base", "\n", " ",
    '"""', "#", "\\", "é", "ex:p", "'", "{", "}", "<>", "1.5e3",
]
SPARQL_TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", ".",
    "FILTER", "(", ")", "OPTIONAL", "UNION", "SERVICE", "<http://example.org/x>", "INSERT",
    "DELETE", "DATA", "LOAD", "FROM", "NAMED", "GRAPH", "PREFIX", "ex:", "ex:a", "*", "LIMIT",
    "10", '"x"', "VALUES", "BIND", "AS", "COUNT", "GROUP BY", "\n", " ", "#", "^", "|", "/",
]


def token_text(tokens):
    return st.lists(st.sampled_from(tokens), max_size=40).map(" ".join) | st.text(max_size=200)


@FUZZ
@given(text=token_text(TURTLE_TOKENS))
def test_turtle_input_parses_or_says_where(tmp_path_factory, text):
    path = Path(tmp_path_factory.mktemp("ttl")) / "input.ttl"
    path.write_text(text, encoding="utf-8")
    try:
        graph = parse_turtle(path)
    except WivgraphError as exc:
        assert str(exc).startswith(str(path))
        assert "malformed Turtle" in str(exc) or "cannot read" in str(exc)
    else:
        assert isinstance(graph, Graph)


SMALL = Graph()
for i in range(5):
    SMALL.add((URIRef(f"http://example.org/{i}"), URIRef("http://example.org/p"), Literal(i)))


@FUZZ
@given(text=token_text(SPARQL_TOKENS))
def test_sparql_text_answers_or_explains(text):
    try:
        check_query(text)
    except WivgraphError as exc:
        assert str(exc)
        return
    try:
        run_query(SMALL, text, time_limit=5)
    except WivgraphError as exc:
        assert str(exc)


@FUZZ
@given(
    kind=st.sampled_from(["iri", "string", "date", "integer", "boolean"]),
    raw=st.text(max_size=60) | st.sampled_from(["<http://example.org/0>", "ex:0", "2020-05-06"]),
)
def test_parameter_values_convert_or_explain(kind, raw):
    param = Parameter("p", kind, None, "")
    try:
        term = convert_parameter(param, raw, SMALL, "fuzz")
    except WivgraphError as exc:
        assert "parameter p" in str(exc)
    else:
        assert term is not None


@FUZZ
@given(options=st.lists(st.text(max_size=30), max_size=5))
def test_param_options_parse_or_explain(options):
    try:
        values = parse_param_options(options)
    except WivgraphError as exc:
        assert "--param" in str(exc)
    else:
        assert all(isinstance(k, str) for k in values)


@FUZZ
@given(raw=st.text(max_size=80))
def test_expand_iri_never_crashes(raw):
    result = expand_iri(raw)
    assert result is None or isinstance(result, URIRef)


def test_atomic_write_keeps_previous_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "export.ttl"
    target.write_text("previous\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise KeyboardInterrupt("interrupted")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        export_mod.write_atomic(target, "new content\n")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.ttl"]


def test_catalogue_questions_open_no_socket(dataset, monkeypatch):
    from wivgraph import paths
    from wivgraph.query import catalogue, run_question

    def refuse(*args, **kwargs):
        raise AssertionError("a query tried to open a network socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for question in catalogue(paths.queries_dir()).values():
        run_question(dataset, question)
    with pytest.raises(WivgraphError):
        run_query(dataset, "SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }")
    with pytest.raises(WivgraphError):
        run_query(dataset, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


# --- the command line: `wivgraph query run` never shows a traceback ----------------------------

CLI_FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FIXTURE_ROOT = Path(__file__).parent / "fixtures" / "store"
HEADER_LINES = [
    "# title@nl: Vraag\n",
    "# param: agreement (iri, default <http://example.org/a1>) — the agreement\n",
    "# param: n (integer)\n",
    "# param: when (date, default morgen) — x\n",
    "# param: (\n",
    "# example: wivgraph query run x\n",
    "PREFIX ex: <http://example.org/>\n",
]
PARAM_QUESTIONS = ["parties", "label-in-language", "many-parties", "note", "public-count",
                   "signed-since", "without-party", "values"]
PARAM_NAMES = ["agreement", "lang", "minimum", "note", "party", "public", "since", "nope", ""]


def _refuse_socket(*args, **kwargs):
    raise ConnectionRefusedError("sockets are blocked in this test")


def _invoke_blocked(args: list[str]):
    """``wivgraph`` in-process with every outgoing socket connection refused."""
    from click.testing import CliRunner

    from wivgraph.cli import cli

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _refuse_socket)
        patch.setattr(socket.socket, "connect_ex", _refuse_socket)
        return CliRunner().invoke(cli, ["--root", str(FIXTURE_ROOT), *args])


def _exits_cleanly(result) -> None:
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.strip(), "exit 2 without a message"


@CLI_FUZZ
@given(
    header=st.lists(st.sampled_from(HEADER_LINES), max_size=3).map("".join),
    body=token_text(SPARQL_TOKENS),
    fmt=st.sampled_from(["table", "csv", "json"]),
)
@example(header="", body="SELECT * WHERE { ?s ?p ?o }", fmt="table")
@example(header=HEADER_LINES[1], body="ASK { ?agreement ?p ?o }", fmt="json")
@example(header="", body="SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }", fmt="csv")
def test_cli_query_run_fuzzed_sparql_exits_0_or_2(tmp_path_factory, header, body, fmt):
    path = Path(tmp_path_factory.mktemp("rq")) / "fuzz.rq"
    path.write_text(header + body, encoding="utf-8")
    result = _invoke_blocked(["query", "run", str(path), "--format", fmt, "--time-limit", "5"])
    _exits_cleanly(result)


@CLI_FUZZ
@given(
    question=st.sampled_from(PARAM_QUESTIONS),
    params=st.lists(
        st.tuples(st.sampled_from(PARAM_NAMES), st.text(max_size=40)).map("=".join)
        | st.text(max_size=30),
        max_size=3,
    ),
)
@example(question="parties", params=["agreement=<http://example.org/a2>"])
@example(question="signed-since", params=["since=gisteren"])
def test_cli_query_run_fuzzed_params_exits_0_or_2(question, params):
    args = ["query", "run", question, "--format", "json"]
    for param in params:
        args += ["--param", param]
    _exits_cleanly(_invoke_blocked(args))
