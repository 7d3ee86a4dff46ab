"""The served endpoint: the gated front over oxigraph on a loopback port answers like the embedded
graph.

Each server (``wivgraph.serve.GatedServer``: the front of ``wivgraph serve`` with its engine
processes) is started on a free 127.0.0.1 port, polled until it answers (at most 20 s) and
stopped by its PID in the fixture teardown. No network beyond loopback.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
from click.testing import CliRunner

from wivgraph import paths
from wivgraph.cli import cli
from wivgraph.errors import WivgraphError
from wivgraph.load import load_dataset
from wivgraph.query import catalogue, run_question
from wivgraph.serve import STAMP, GatedServer, OxigraphServer, free_port, prepare_location
from wivgraph.store import RemoteStore, result_signature

FIXTURE = paths.project_root() / "tests" / "fixtures" / "store"
CORPUS_QUESTIONS = catalogue(paths.queries_dir())
FIXTURE_QUESTIONS = catalogue(FIXTURE / "queries")


def _serve(location):
    server = GatedServer(location, port=free_port())
    server.start(ready_timeout=20)
    return server


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory, dataset):
    # the very Dataset the embedded answers come from, not a second load of data/
    location = prepare_location(
        paths.project_root(), tmp_path_factory.mktemp("corpus") / "store", dataset=dataset
    )
    server = _serve(location)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory):
    location = prepare_location(FIXTURE, tmp_path_factory.mktemp("fixture") / "store")
    server = _serve(location)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def fixture_dataset():
    return load_dataset(FIXTURE)


@pytest.mark.parametrize("name", sorted(CORPUS_QUESTIONS))
def test_catalogue_question_same_served_and_embedded(name, dataset, corpus_server):
    question = CORPUS_QUESTIONS[name]
    embedded = run_question(dataset, question)
    served = run_question(RemoteStore(corpus_server.query_url), question)
    assert served.variables == embedded.variables
    assert result_signature(served) == result_signature(embedded)


@pytest.mark.parametrize("name", sorted(FIXTURE_QUESTIONS))
def test_fixture_question_same_served_and_embedded(name, fixture_dataset, fixture_server):
    question = FIXTURE_QUESTIONS[name]
    embedded = run_question(fixture_dataset, question)
    assert embedded.boolean is True or embedded.rows, f"{name}: the fixture should give rows"
    served = run_question(RemoteStore(fixture_server.query_url), question)
    assert result_signature(served) == result_signature(embedded)


def test_served_default_graph_counts_each_triple_once(dataset, corpus_server):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    embedded = run_question_text(dataset, text)
    served = RemoteStore(corpus_server.query_url).query(text)
    assert served.rows[0]["n"].toPython() == embedded.rows[0]["n"].toPython() > 0


def run_question_text(dataset, text):
    from wivgraph.store import RdflibStore

    return RdflibStore(dataset).query(text)


def _post(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _count(server) -> int:
    body = RemoteStore(server.query_url).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(body.rows[0]["n"])


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        (
            "/update",
            b"INSERT DATA { <http://a> <http://b> <http://c> }",
            "application/sparql-update",
        ),
        ("/update", b"update=CLEAR%20ALL", "application/x-www-form-urlencoded"),
        ("/query", b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
        ("/store", b"<http://a> <http://b> <http://c> .", "application/n-triples"),
    ],
)
def test_served_endpoint_refuses_writes(path, body, content_type, fixture_server):
    before = _count(fixture_server)
    status = _post(fixture_server.base_url + path, body, content_type)
    assert status >= 400, f"{path} accepted a write (HTTP {status})"
    assert _count(fixture_server) == before


def test_endpoint_option_runs_catalogue_question_remotely(fixture_server):
    runner = CliRunner()
    args = ["--root", str(FIXTURE), "query", "run", "many-parties", "--format", "json"]
    local = runner.invoke(cli, args)
    remote = runner.invoke(cli, ["--endpoint", fixture_server.query_url, *args])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    rows = json.loads(remote.output)["results"]["bindings"]
    local_rows = json.loads(local.output)["results"]["bindings"]

    def key(row):  # ORDER BY leaves ties in any order
        return json.dumps(row, sort_keys=True)

    assert sorted(rows, key=key) == sorted(local_rows, key=key)
    assert rows, "the fixture question gives rows"


def test_endpoint_option_unreachable_exit_2():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(
        cli, ["--root", str(FIXTURE), "--endpoint", url, "query", "run", "parties"]
    )
    assert result.exit_code == 2
    assert "cannot reach the endpoint" in result.output


def test_store_directory_is_reused_and_rebuilt_when_data_changes(tmp_path):
    project = tmp_path / "project"
    for folder in ("ontology", "data"):
        (project / folder).mkdir(parents=True)
        for source in (FIXTURE / folder).glob("*.ttl"):
            (project / folder / source.name).write_text(source.read_text(encoding="utf-8"))
    location = tmp_path / "store"
    prepare_location(project, location)
    first = (location / STAMP).read_text()
    marker = location / "marker"
    marker.write_text("kept while the data are unchanged")
    prepare_location(project, location)
    assert marker.exists()
    (project / "data" / "extra.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:p9 a ex:Party .\n"
    )
    prepare_location(project, location)
    assert not marker.exists()
    assert (location / STAMP).read_text() != first
    server = _serve(location)
    try:
        answer = RemoteStore(server.query_url).query(
            "ASK { <http://example.org/p9> a <http://example.org/Party> }"
        )
        assert answer.boolean is True
    finally:
        server.stop()


def test_foreign_folder_is_never_replaced(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not a store")
    with pytest.raises(WivgraphError, match="not a wivgraph store"):
        prepare_location(FIXTURE, foreign)
    assert (foreign / "notes.txt").exists()


def test_busy_port_is_a_clear_error(fixture_server, tmp_path):
    other = OxigraphServer(fixture_server.location, port=fixture_server.port)
    with pytest.raises(WivgraphError, match="already listens"):
        other.start()


def test_serve_command_runs_in_foreground_and_stops_with_its_server(tmp_path):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "wivgraph.cli",
        "--root",
        str(FIXTURE),
        "serve",
        "--port",
        str(port),
        "--location",
        str(tmp_path / "store"),
    ]
    log = tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}/query"
    probe = OxigraphServer(tmp_path / "store", port=port)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30  # load the fixture, start oxigraph, announce the URL
        while url not in log.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert url in log.read_text(), log.read_text()
        answer = RemoteStore(url).query("ASK { ?s a <http://example.org/Party> }")
        assert answer.boolean is True
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the oxigraph child went with it: the port is free
        try:
            probe.wait_ready(0.3)
        except WivgraphError:
            break
    else:
        pytest.fail("the oxigraph server outlived 'wivgraph serve'")


# --- --endpoint for the graph-wide commands ----------------------------------------------------

CHECK_EXAMPLE = paths.project_root() / "docs" / "examples" / "scenarios" / "ciic.yaml"


@pytest.fixture(scope="module")
def fetched(corpus_server):
    return RemoteStore(corpus_server.query_url).fetch_dataset()


def _graph_sizes(dataset) -> dict[str, int]:
    return {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}


def test_fetched_dataset_has_the_served_named_graphs(fetched, dataset):
    assert _graph_sizes(fetched) == _graph_sizes(dataset)
    assert len(_graph_sizes(dataset)) > 10


def _remote(corpus_server, *args):
    result = CliRunner().invoke(cli, ["--endpoint", corpus_server.query_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_network_centrality_with_endpoint_answers_from_the_endpoint(corpus_server, dataset):
    from wivgraph import network as net

    remote = json.loads(_remote(corpus_server, "network", "centrality", "--format", "json"))
    embedded = net.centrality(net.cooperation_network(dataset, None, "nl"))
    assert remote == json.loads(json.dumps(embedded, ensure_ascii=False))
    assert remote, "the corpus has a cooperation network"


def test_ask_onward_with_endpoint_answers_from_the_endpoint(corpus_server, dataset):
    from wivgraph.onward import explain_onward

    remote = _remote(corpus_server, "ask", "onward", "ciic-data")
    assert remote == explain_onward(dataset, "ciic-data", "nl")
    assert "ciic" in remote.lower()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_ask_onward_over_the_endpoint_copies_nothing(corpus_server, dataset, monkeypatch, lang):
    """The checker, the catalogue question and the labels are all asked of the endpoint
    (store.ReadableRemote); the answer is the embedded one, word for word."""
    from wivgraph.onward import explain_onward

    monkeypatch.setattr(RemoteStore, "fetch_dataset", lambda self: pytest.fail("copied"))
    for category in ("ciic-data", "CIIC-gegevens", "personal-data", "sigint-yield"):
        args = ["ask", "onward", category, "--lang", lang]
        served = CliRunner().invoke(cli, ["--endpoint", corpus_server.query_url, *args])
        assert served.exit_code == 0, served.output
        assert served.output == explain_onward(dataset, category, lang)
    args = ["ask", "onward", "no-such-category"]
    served = CliRunner().invoke(cli, ["--endpoint", corpus_server.query_url, *args])
    embedded = CliRunner().invoke(cli, args)
    assert served.exit_code == embedded.exit_code == 2
    assert served.output == embedded.output and "unknown" in served.output


def test_check_with_endpoint_answers_from_the_endpoint(corpus_server, dataset):
    from wivgraph import check as check_mod

    remote = _remote(corpus_server, "check", str(CHECK_EXAMPLE), "--format", "json")
    embedded = check_mod.check_scenarios(dataset, check_mod.load_scenarios(CHECK_EXAMPLE), "nl")
    expected = json.loads(check_mod.format_json(embedded))
    assert _conditions_as_sets(json.loads(remote)) == _conditions_as_sets(expected)
    assert expected


def _conditions_as_sets(value):
    """The checker lists a norm's conditions in the order the graph yields them (insertion
    order, which differs between a parsed file and a fetched copy): compare them as sets."""
    if isinstance(value, list):
        return [_conditions_as_sets(item) for item in value]
    if isinstance(value, dict):
        return {
            key: sorted(json.dumps(_conditions_as_sets(v), sort_keys=True) for v in item)
            if key == "conditions"
            else _conditions_as_sets(item)
            for key, item in value.items()
        }
    return value


def test_endpoint_data_not_the_local_files_answers(fixture_server):
    # --root points at the corpus, the endpoint serves the small fixture: the fixture's counts win
    args = ["--endpoint", fixture_server.query_url, "stats", "--format", "json"]
    remote = CliRunner().invoke(cli, args)
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output)["triples"] == len(load_dataset(FIXTURE))


@pytest.mark.parametrize(
    "args",
    [
        ["network", "centrality"],
        ["network", "cut"],
        ["ask", "onward", "ciic-data"],
        ["check", str(CHECK_EXAMPLE)],
        ["stats"],
        ["export", "--format", "nq"],
    ],
)
def test_unreachable_endpoint_is_one_line_exit_2(args):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["--endpoint", url, *args])
    assert result.exit_code == 2, result.output
    assert "cannot reach the endpoint" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["validate"], "validate"),
        (["serve"], "serve"),
        (["build"], "build"),
        (["ingest", str(CHECK_EXAMPLE), "--id", "x", "--output", "never.ttl"], "ingest"),
    ],
)
def test_endpoint_refused_where_it_makes_no_sense(args, command, tmp_path):
    result = CliRunner().invoke(cli, ["--endpoint", "http://127.0.0.1:9/query", *args])
    assert result.exit_code == 2, result.output
    assert f"--endpoint is not supported for {command}" in result.output


def test_endpoint_from_environment(monkeypatch):
    from wivgraph.store import ENDPOINT_ENV, endpoint_from_env

    monkeypatch.delenv(ENDPOINT_ENV, raising=False)
    assert endpoint_from_env() is None
    monkeypatch.setenv(ENDPOINT_ENV, "  ")
    assert endpoint_from_env() is None
    monkeypatch.setenv(ENDPOINT_ENV, "http://127.0.0.1:7878/query")
    assert endpoint_from_env() == "http://127.0.0.1:7878/query"


def test_load_source_fetches_from_the_endpoint(fixture_server, fixture_dataset):
    from wivgraph.store import load_source

    remote = load_source(paths.project_root(), fixture_server.query_url)
    assert _graph_sizes(remote) == _graph_sizes(fixture_dataset)


def test_endpoint_url_parameters_reach_the_server(fixture_server, fixture_dataset):
    # e.g. Virtuoso's default-graph-uri (docs/deploy.md): the URL's query string is kept
    graph = sorted(
        (g for g in fixture_dataset.graphs() if len(g)), key=lambda g: str(g.identifier)
    )[0]
    url = fixture_server.query_url + "?" + urllib.parse.urlencode(
        {"default-graph-uri": str(graph.identifier)}
    )
    answer = RemoteStore(url).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(answer.rows[0]["n"]) == len(graph) < len(fixture_dataset)


def test_endpoint_url_may_not_carry_a_query():
    with pytest.raises(WivgraphError, match="may not carry a query"):
        RemoteStore("http://127.0.0.1:7878/query?query=ASK%7B%7D")


# --- the explorer on an endpoint (WIVGRAPH_ENDPOINT) ------------------------------------------


def test_explorer_corpus_comes_from_the_endpoint(fixture_server, fixture_dataset):
    """The fixture endpoint holds other data than the local corpus: the app must show that data."""
    from wivgraph.app.state import load_corpus
    from wivgraph.load import union_graph
    from wivgraph.query import bind_parameters

    remote = load_corpus(fixture_server.query_url)
    local = load_corpus()
    assert remote.endpoint == fixture_server.query_url
    assert len(remote.asserted) == len(union_graph(fixture_dataset)) != len(local.asserted)
    for name, question in sorted(FIXTURE_QUESTIONS.items()):
        embedded = run_question(fixture_dataset, question)
        store = remote.question_store()
        bindings = bind_parameters(question, {}, store=store)  # as the Vragen page binds
        shown = store.query(
            question.text, bindings, row_limit=10_000, time_limit=30.0
        )
        assert result_signature(shown) == result_signature(embedded), name


def test_explorer_reads_wivgraph_endpoint_and_says_so(fixture_server, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from wivgraph.app import state

    def script():
        from wivgraph.app.main import main

        main("overview")

    monkeypatch.setenv("WIVGRAPH_ENDPOINT", fixture_server.query_url)
    state.corpus.clear()
    try:
        at = AppTest.from_function(script, default_timeout=300).run()
        assert not at.exception, [e.value for e in at.exception]
        captions = "\n".join(str(c.value) for c in at.sidebar.caption)
        assert fixture_server.query_url in captions
    finally:
        state.corpus.clear()  # later tests load the local corpus again


def test_check_on_the_endpoint_gives_the_embedded_verdicts(corpus_server, dataset):
    """The checker asks the served store directly (vocabularies once, candidate norms by SPARQL)
    and reaches the same verdicts and deciding norms as on the embedded graph."""
    from wivgraph.check import check_scenarios, load_scenarios

    raws = load_scenarios(paths.project_root() / "docs" / "examples" / "scenarios" / "ciic.yaml")
    remote = check_scenarios(RemoteStore(corpus_server.query_url), raws, "nl")
    local = check_scenarios(dataset, raws, "nl")
    assert [(v.verdict, [n.iri for n in v.deciding]) for v in remote] == [
        (v.verdict, [n.iri for n in v.deciding]) for v in local]
    assert any(v.deciding for v in remote)


def test_server_that_ends_at_start_says_why(tmp_path):
    # CI once saw only "exited with code 2": the front's own reason must be in the message
    not_a_store = tmp_path / "not-a-store"
    not_a_store.mkdir()
    (not_a_store / "CURRENT").write_text("garbage\n")
    server = GatedServer(not_a_store, port=free_port())
    with pytest.raises(WivgraphError) as caught:
        server.start(ready_timeout=20)
    message = str(caught.value)
    assert "exited with code 2" in message
    assert "the query engine did not start" in message
    assert "cannot open the store" in message
    assert "Traceback" not in message


def test_stats_through_the_endpoint_asks_aggregates_not_the_data(corpus_server, fixture_server):
    """`stats --endpoint` gives the embedded counts, and what it receives depends on the number
    of graphs and classes, not on the triples (issue 19: nothing copies a remote graph)."""
    from wivgraph.load import dataset_stats
    from wivgraph.store import load_source, remote_stats

    for server in (fixture_server, corpus_server):
        remote = RemoteStore(server.query_url)
        stats = remote_stats(remote)
        copied = RemoteStore(server.query_url)
        assert stats == dataset_stats(load_source(None, server.query_url)) == dataset_stats(
            copied.fetch_dataset()
        )
        rows = len(stats["graphs"]) + len(stats["classes"])
        assert remote.traffic["requests"] == 4  # ASK classified, graphs, distinct, classes
        assert remote.traffic["bytes_received"] < 2_000 + 400 * rows
        assert copied.traffic["bytes_received"] > 20 * remote.traffic["bytes_received"] or (
            stats["quads"] < 100
        )
    runner = CliRunner()
    served = runner.invoke(cli, ["--endpoint", corpus_server.query_url, "stats", "--format", "json"])
    embedded = runner.invoke(cli, ["stats", "--format", "json"])
    assert served.exit_code == embedded.exit_code == 0, served.output
    ours, theirs = json.loads(served.stdout), json.loads(embedded.stdout)
    assert ours["classes"] == theirs["classes"] and ours["distinct_triples"] == theirs["distinct_triples"]


# --- network over the endpoint (issue 19) ----------------------------------------------------


NETWORK_TEXT_COMMANDS = [
    ["network", "centrality", "--kind", "cooperation", "--format", "json"],
    ["network", "centrality", "--kind", "data-flow"],
    ["network", "centrality", "--kind", "data-flow", "--on", "2019-01-01", "--lang", "en"],
    ["network", "cut", "--format", "json"],
    ["network", "cut", "--on", "2021-01-01"],
    ["network", "paths", "Politie", "IND"],
    ["network", "paths", "MIVD", "IND", "--format", "json", "--lang", "en"],
    ["network", "paths", "MIVD", "IND", "--on", "2021-01-01"],
]


@pytest.mark.parametrize("args", NETWORK_TEXT_COMMANDS, ids=" ".join)
def test_network_over_the_endpoint_asks_and_equals_the_embedded(corpus_server, args, monkeypatch):
    """`--endpoint ... network` asks the endpoint (never copies it) and prints what the
    embedded graph gives, byte for byte (rows are read in one order whichever engine answers)."""
    embedded = CliRunner().invoke(cli, args)

    def no_copy(self):
        raise AssertionError("network copied the remote graph")

    monkeypatch.setattr(RemoteStore, "fetch_dataset", no_copy)
    served = CliRunner().invoke(cli, ["--endpoint", corpus_server.query_url, *args])
    assert served.exit_code == embedded.exit_code == 0, served.output
    assert served.output == embedded.output
    assert len(embedded.output) > 60


@pytest.mark.parametrize("kind", ["cooperation", "data-flow"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_network_export_over_the_endpoint_equals_the_embedded(corpus_server, kind, fmt, monkeypatch):
    args = ["network", "export", "--kind", kind, "--format", fmt, "--on", "2021-01-01"]
    embedded = CliRunner().invoke(cli, args)
    monkeypatch.setattr(RemoteStore, "fetch_dataset", lambda self: pytest.fail("copied"))
    served = CliRunner().invoke(cli, ["--endpoint", corpus_server.query_url, *args])
    assert served.exit_code == embedded.exit_code == 0, served.output
    assert served.output == embedded.output  # byte for byte: one row order for every engine


def test_network_paths_over_the_endpoint_unknown_party_is_exit_2(corpus_server):
    args = ["network", "paths", "Nobody-at-all", "IND"]
    embedded = CliRunner().invoke(cli, args)
    served = CliRunner().invoke(cli, ["--endpoint", corpus_server.query_url, *args])
    assert served.exit_code == embedded.exit_code == 2
    assert served.output == embedded.output
    assert "unknown party" in served.output


BULK_TRIPLES = 60_000


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory, dataset):
    """The corpus plus a large block of unrelated triples in a graph of its own."""
    from rdflib import Dataset, Literal, URIRef

    bigger = Dataset(default_union=True)
    for graph in dataset.graphs():
        target = bigger.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    bulk = bigger.graph(URIRef("urn:x-unrelated:graph"))
    for i in range(BULK_TRIPLES):
        bulk.add((URIRef(f"urn:x-unrelated:s{i // 10}"), URIRef(f"urn:x-unrelated:p{i % 10}"),
                  Literal(f"unrelated value {i}")))
    location = prepare_location(
        paths.project_root(), tmp_path_factory.mktemp("bulk") / "store", dataset=bigger
    )
    server = _serve(location)
    try:
        yield server
    finally:
        server.stop()


def test_ask_onward_transfer_does_not_grow_with_the_remote_store(corpus_server, bulk_server):
    """What ``ask onward`` reads of an endpoint is the checker's vocabulary, the candidate norms
    and the labels it shows: the same for the corpus and the corpus plus 60,000 unrelated
    triples."""
    from wivgraph.onward import explain_onward
    from wivgraph.store import ReadableRemote

    received, answers = [], []
    for server in (corpus_server, bulk_server):
        remote = ReadableRemote(server.query_url)
        answers.append(explain_onward(remote, "ciic-data", "nl"))
        received.append(remote.traffic["bytes_received"])
        assert remote.traffic["requests"] <= 150
    assert answers[0] == answers[1]
    assert abs(received[1] - received[0]) <= received[0] // 100


def test_network_transfer_does_not_grow_with_the_remote_store(corpus_server, bulk_server):
    """What crosses the network for a network is bounded by the network's own size: the same
    bytes for the corpus and for the corpus plus 60,000 unrelated triples, while a copy grows.
    (Rows are read before the in-force filter: the bound is in elements of the undated network,
    its nodes, edges and onward rules.)"""
    from wivgraph import network as net

    largest = 0
    for build in (net.cooperation_network, net.data_flow_network):
        whole = build(RemoteStore(corpus_server.query_url), None, "nl")
        size = whole.number_of_nodes() + whole.number_of_edges() + len(whole.graph.get("onward", []))
        assert size > 40
        for on in (None, date(2021, 1, 1)):
            received, shapes = [], []
            for server in (corpus_server, bulk_server):
                remote = RemoteStore(server.query_url)
                network = build(remote, on, "nl")
                received.append(remote.traffic["bytes_received"])
                shapes.append((network.number_of_nodes(), network.number_of_edges()))
                assert remote.traffic["requests"] <= 16
            assert shapes[0] == shapes[1]
            # the same rows; blank node names (a norm's conditions) may differ by a few characters
            assert abs(received[1] - received[0]) <= received[0] // 100
            assert received[0] < 3_000 * size
            largest = max(largest, *received)
    copies = []
    for server in (corpus_server, bulk_server):
        copied = RemoteStore(server.query_url)
        copied.fetch_dataset()
        copies.append(copied.traffic["bytes_received"])
    assert copies[1] > copies[0] + 50 * BULK_TRIPLES  # the copy carries every unrelated triple
    assert copies[0] > 20 * largest
