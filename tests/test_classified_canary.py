"""Classified text never leaves: a canary in a non-public annex appears in no output.

A temporary copy of the project gets one more data file that gives the non-public annex of the
AIVD-IND convenant (and a lid below it) text holding a unique canary string — what the SHACL
shape forbids, should a data file ever contain it. Every way out is then asked for everything it
will give: ``query run`` (a SELECT over all literals, also per named graph), ``ask``,
``network``, ``check``, ``export``, ``stats``, and every HTTP answer of ``wivgraph serve``:
the default graph, every named graph, CONSTRUCT and DESCRIBE, and ``--endpoint`` commands
against it.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from click.testing import CliRunner

from wivgraph import paths
from wivgraph.cli import cli
from wivgraph.fast import dataset_store
from wivgraph.serve import free_port
from wivgraph.store import RemoteStore


class _LocalEndpoint(RemoteStore):
    """A RemoteStore answered by a local store (the decision is under test, not HTTP);
    ``copied`` says whether the caller fetched the whole dataset."""

    def __init__(self, dataset, endpoint: str = "http://127.0.0.1:9/query"):
        super().__init__(endpoint)
        self.dataset = dataset
        self.local = dataset_store(dataset)
        self.copied = False

    def query(self, text, bindings=None, **kwargs):
        return self.local.query(text, bindings, **kwargs)

    def _all_rows(self, text):
        return self.local.query(text, row_limit=10**9).rows

    def fetch_dataset(self):
        from rdflib import Dataset

        self.copied = True
        copy = Dataset(default_union=True)
        for graph in self.dataset.graphs():
            target = copy.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
        return copy

CANARY = f"CANARY-{uuid.uuid4().hex}"
ANNEX = "https://w3id.org/wivgraph/id/doc/convenant-aivd-ind-2019/bijlage/1"
CHECK_EXAMPLE = paths.project_root() / "docs" / "examples" / "scenarios" / "ciic.yaml"

LEAK = f"""\
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wiv: <https://w3id.org/wivgraph/def#> .

<{ANNEX}> wiv:text "Geheime tekst {CANARY} van de bijlage."@nl ;
    eli:description "{CANARY} description"@nl ;
    rdfs:comment "{CANARY} comment" .

<{ANNEX}/lid/1> eli:is_part_of <{ANNEX}> ;
    wiv:text "Lid {CANARY} van de bijlage."@nl .
"""

ALL_LITERALS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }\n"
ALL_LITERALS_PER_GRAPH = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("canary") / "project"
    source = paths.project_root()
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(source / folder, root / folder)
    (root / "data" / "zz-classified-leak.ttl").write_text(LEAK, encoding="utf-8")
    (root / "all-literals.rq").write_text(ALL_LITERALS, encoding="utf-8")
    (root / "per-graph.rq").write_text(ALL_LITERALS_PER_GRAPH, encoding="utf-8")
    return root


def test_the_canary_is_in_the_files(project):
    # the test means something only if the data really hold the canary
    from wivgraph.load import load_dataset

    assert any(CANARY in str(o) for o in load_dataset(project).objects())


def _run(project, *args, endpoint=None):
    prefix = ["--root", str(project)] + (["--endpoint", endpoint] if endpoint else [])
    result = CliRunner().invoke(cli, [*prefix, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _cli_outputs(project, endpoint=None):
    yield "query run all literals", _run(
        project, "query", "run", str(project / "all-literals.rq"), "--format", "csv",
        "--limit", "10000000", endpoint=endpoint,
    )
    yield "query run per graph", _run(
        project, "query", "run", str(project / "per-graph.rq"), "--format", "json",
        "--limit", "10000000", endpoint=endpoint,
    )
    yield "ask onward", _run(project, "ask", "onward", "ciic-data", endpoint=endpoint)
    yield "network centrality", _run(
        project, "network", "centrality", "--format", "json", endpoint=endpoint
    )
    yield "network export", _run(
        project, "network", "export", "--format", "json", endpoint=endpoint
    )
    yield "network paths", _run(project, "network", "paths", "Politie", "IND", endpoint=endpoint)
    yield "check", _run(project, "check", str(CHECK_EXAMPLE), "--format", "json",
                        endpoint=endpoint)
    for fmt in ("ttl", "nq", "trig", "jsonld"):
        yield f"export {fmt}", _run(project, "export", "--format", fmt, endpoint=endpoint)


def test_no_command_line_output_holds_the_canary(project):
    outputs = dict(_cli_outputs(project))
    assert "niet openbare bijlage" in outputs["export ttl"]  # the annex itself is shown
    leaks = [name for name, text in outputs.items() if CANARY in text]
    assert not leaks, f"classified text in: {leaks}"


def _get(url: str, query: str, accept: str) -> str:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def test_no_served_answer_holds_the_canary(project, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    command = [sys.executable, "-m", "wivgraph.cli", "--root", str(project), "serve",
               "--port", str(port), "--location", str(tmp_path / "store")]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while url not in log.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert url in log.read_text(), log.read_text()
        answers = {}
        for accept in ("application/sparql-results+json", "text/csv",
                       "application/sparql-results+xml", "text/tab-separated-values"):
            answers[f"default graph {accept}"] = _get(url, ALL_LITERALS, accept)
            answers[f"named graphs {accept}"] = _get(url, ALL_LITERALS_PER_GRAPH, accept)
        graphs = json.loads(
            _get(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                 "application/sparql-results+json")
        )["results"]["bindings"]
        assert len(graphs) > 10
        for row in graphs:
            name = row["g"]["value"]
            answers[f"graph {name}"] = _get(
                url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}",
                "application/n-triples",
            )
        answers["construct default"] = _get(url, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
        answers["describe annex"] = _get(url, f"DESCRIBE <{ANNEX}>", "text/turtle")
        answers["describe lid"] = _get(url, f"DESCRIBE <{ANNEX}/lid/1>", "text/turtle")
        assert "niet openbare bijlage" in answers["describe annex"]
        leaks = [name for name, text in answers.items() if CANARY in text]
        assert not leaks, f"classified text served in: {leaks}"
        remote = dict(_cli_outputs(project, endpoint=url))
        leaks = [name for name, text in remote.items() if CANARY in text]
        assert not leaks, f"classified text via --endpoint in: {leaks}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_stats_through_an_endpoint_with_classified_content_copies_the_public_view(project):
    """remote_stats counts on the server only when the server's data are a public view; an
    endpoint that holds classified content gets None, and `stats` falls back to the copied
    public view (the counts of what may be shown, not of the withheld text)."""
    from wivgraph.classification import public_view
    from wivgraph.load import load_dataset
    from wivgraph.store import remote_stats

    dataset = load_dataset(project)
    assert remote_stats(_LocalEndpoint(dataset)) is None
    public = public_view(dataset)
    counted = remote_stats(_LocalEndpoint(public))
    assert counted is not None and counted["classes"]


def test_network_through_an_endpoint_with_classified_content_copies_the_public_view(project):
    """`network --endpoint` asks the endpoint only when its data are a public view; an endpoint
    that holds classified content is copied and the copy's public view used (as `stats`). Either
    way the networks are those of the public view."""

    from wivgraph import network as net
    from wivgraph.classification import public_view
    from wivgraph.load import load_dataset

    dataset = load_dataset(project)
    public = public_view(dataset)
    assert public is not dataset  # the project holds the canary
    def paths(source):
        """Politie → IND as JSON; a norm's flows for two categories in category order (they
        keep the order the store returned them in)."""
        flows = net.data_flow_network(source)
        start, end = net.resolve_node(source, "Politie"), net.resolve_node(source, "IND")
        found = net.paths_json(flows, net.flow_paths(flows, start, end))
        for hop in (hop for path in found for hop in path["hops"]):
            hop["norms"].sort(key=lambda n: (n["norm"], n["category"]))
        return found

    expected = net.centrality(net.data_flow_network(public))
    flows = paths(public)
    for data, copies in ((dataset, True), (public, False)):
        endpoint = _LocalEndpoint(data)
        source = net.remote_source(endpoint)
        assert endpoint.copied is copies
        assert (source is endpoint) is not copies
        assert net.centrality(net.data_flow_network(source)) == expected
        assert paths(source) == flows
    assert flows


def test_check_through_an_endpoint_with_classified_content_uses_the_public_view(project, monkeypatch):
    """`check --endpoint` asks the endpoint only when its data are a public view (verdicts quote
    norms and their sources); an endpoint holding classified content is copied and the copy's
    public view checked, as for `stats` and `network`."""

    from wivgraph import check as check_mod
    from wivgraph import store as store_mod
    from wivgraph.classification import public_view
    from wivgraph.load import load_dataset

    class LocalEndpoint(_LocalEndpoint):
        """Made by the checker from an endpoint address: answers from ``serving``."""

        serving = None

        def __init__(self, endpoint):
            super().__init__(LocalEndpoint.serving, endpoint)

    monkeypatch.setattr(store_mod, "RemoteStore", LocalEndpoint)
    dataset = load_dataset(project)
    public = public_view(dataset)
    assert public is not dataset  # the project holds the canary
    everything = "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    LocalEndpoint.serving = dataset
    asked = check_mod.checker_store(None, "http://127.0.0.1:9/query")
    assert not isinstance(asked, LocalEndpoint)
    literals = asked.query(everything, row_limit=10**9).rows
    assert literals and not any(CANARY in str(row["o"]) for row in literals)
    LocalEndpoint.serving = public
    assert isinstance(check_mod.checker_store(None, "http://127.0.0.1:9/query"), LocalEndpoint)
