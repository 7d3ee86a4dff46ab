"""The served endpoint: a real oxigraph server on a loopback port answers like the embedded graph.

Each server is started on a free 127.0.0.1 port, polled until it answers (at most 20 s) and
stopped by its PID in the fixture teardown. No network beyond loopback.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from wivgraph import paths
from wivgraph.cli import cli
from wivgraph.errors import WivgraphError
from wivgraph.load import load_dataset
from wivgraph.query import catalogue, run_question
from wivgraph.serve import STAMP, OxigraphServer, free_port, prepare_location
from wivgraph.store import RemoteStore, result_signature

FIXTURE = paths.project_root() / "tests" / "fixtures" / "store"
CORPUS_QUESTIONS = catalogue(paths.queries_dir())
FIXTURE_QUESTIONS = catalogue(FIXTURE / "queries")


def _serve(location):
    server = OxigraphServer(location, port=free_port())
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
