"""The command line on the build cache (#19): the same answers as the stores it replaced.

Read commands open the build cache (a read-only on-disk oxigraph store made from it) instead of
loading the Turtle files with rdflib; `validate` runs pyrudof + SHACL-SPARQL instead of pySHACL;
the checker and `ask onward` ask oxigraph. Each test compares the new path with the old one on
the corpus (or checks a binding rule by counting calls). No timings are asserted here
(benchmarks/bench_cli.py measures them).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import URIRef

from wivgraph import cache, fast, gate
from wivgraph import cli as cli_mod
from wivgraph import query as query_mod
from wivgraph.check import check_scenarios, checker_store, format_json
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.classification import public_view
from wivgraph.cli import cli
from wivgraph.fast import dataset_store
from wivgraph.load import dataset_stats, load_dataset
from wivgraph.onward import explain_onward

HERE = Path(__file__).parent
LAW = sorted((HERE / "scenarios" / "law").glob("*.yaml"))
AIVD = URIRef("https://w3id.org/wivgraph/id/org/aivd")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def cached():
    """The corpus's build cache as the command line opens it."""
    return cache.open_store()


@pytest.fixture(scope="module")
def source():
    """What the read commands used before: the Turtle files loaded by rdflib (public view)."""
    return public_view(load_dataset())


def _issue_keys(issues: list[dict]) -> Counter:
    return Counter(
        (
            i["severity"],
            i["focus"] if "://" in i["focus"] else "_:",  # blank node ids differ between engines
            i["path"],
            i["source_shape"],
            i["constraint"],
            i["value"],
            # pySHACL 0.40 drops the language tag of SPARQL-constraint messages (tests/test_fast.py)
            i["message"] if i["constraint"] != "SPARQLConstraintComponent" else "",
            i["focus_label"],
            i["source_lid"],
        )
        for i in issues
    )


def test_validate_from_the_cache_gives_pyshacls_results(runner, dataset, shapes, reference):
    naive = reference.pyshacl_dataset(dataset, shapes)
    result = runner.invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == (0 if naive.conforms else 1), result.output
    payload = json.loads(result.stdout)
    assert payload["conforms"] == naive.conforms
    expected = [
        {k: getattr(i, k) for k in ("severity", "focus", "path", "source_shape", "constraint",
                                    "value", "message", "focus_label", "source_lid")}
        for i in naive.issues
    ]
    assert _issue_keys(payload["results"]) == _issue_keys(expected)
    # the default text: one line with the counts per severity (Dutch), the same counts
    summary = runner.invoke(cli, ["validate"])
    assert summary.exit_code == result.exit_code
    match = re.fullmatch(
        r"(\d+) overtredingen?, (\d+) waarschuwingen?, (\d+) meldingen?\n", summary.stdout
    )
    assert match, summary.stdout
    counts = Counter(i.severity for i in naive.issues)
    assert [int(n) for n in match.groups()] == [
        counts["Violation"], counts["Warning"], counts["Info"]
    ]
    details = runner.invoke(cli, ["validate", "--details"])
    assert details.stdout.count("\n[") == len({(i.severity, i.focus) for i in naive.issues})


CLASSIFIED = """@prefix ex: <http://example.org/> .
@prefix wiv: <https://w3id.org/wivgraph/def#> .
ex:annex a ex:Thing ; wiv:publicStatus <https://w3id.org/wivgraph/id/concept/secret> ;
    wiv:text "inhoud die niet in de graaf hoort" .
"""
TEXT_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:NoText a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:message "tekst van een geheim stuk"@nl ;
        sh:select "SELECT $this WHERE { $this <https://w3id.org/wivgraph/def#text> ?t }" ] .
"""


def _project(tmp_path: Path, data: str, shapes: str) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        (tmp_path / folder).mkdir()
    (tmp_path / "ontology" / "o.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:Thing a <http://www.w3.org/2002/07/owl#Class> .\n"
    )
    (tmp_path / "data" / "d.ttl").write_text(data)
    (tmp_path / "shapes" / "s.ttl").write_text(shapes)
    return tmp_path


def test_validate_reads_the_files_when_the_cache_withheld_classified_content(runner, tmp_path):
    """The cache leaves out text of secret material; the shapes must still see it."""
    root = _project(tmp_path, CLASSIFIED, TEXT_SHAPE)
    result = runner.invoke(cli, ["--root", str(root), "validate", "--format", "json"])
    assert (cache.info(root) or {}).get("withheld", 0) > 0  # (its named graph and the union)
    assert result.exit_code == 1, result.output
    assert [i["message"] for i in json.loads(result.stdout)["results"]] == [
        "tekst van een geheim stuk"
    ]


def test_building_the_cache_is_said_once(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_mod, "_progress_visible", lambda: True)
    root = _project(tmp_path, "@prefix ex: <http://example.org/> .\nex:a a ex:Thing .\n", "")
    first = runner.invoke(cli, ["--root", str(root), "stats", "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.stderr.count("building the cache") == 1
    assert json.loads(first.stdout)["triples"] == 2
    again = runner.invoke(cli, ["--root", str(root), "stats", "--format", "json"])
    assert "building" not in again.stderr


def test_stats_from_the_cache_equal_the_loaded_files(runner, source):
    result = runner.invoke(cli, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == dataset_stats(source)


def test_cached_dataset_holds_the_loaded_files(cached, source):
    """export and network read an rdflib copy of the cache: the same graphs, the same triples
    (blank nodes compared by shape only)."""
    copy = fast.rdflib_dataset(cached, inferred=False)

    def key(graph):
        return Counter(
            tuple("_:" if t.__class__.__name__ == "BNode" else t for t in triple)
            for triple in graph
        )

    theirs = {g.identifier: key(g) for g in source.graphs() if len(g)}
    ours = {g.identifier: key(g) for g in copy.graphs() if len(g)}
    assert ours == theirs


def _law_scenarios():
    for path in LAW:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield from scenarios_from_data(item["scenario"], f"{path.name}:{item['scenario']['id']}")


def test_checker_verdicts_identical_on_the_cache(cached, source):
    """`wivgraph check` asked an oxigraph copy of rdflib's load of the files; now the cache."""
    raws = list(_law_scenarios())
    assert len(raws) >= 150
    before = check_scenarios(dataset_store(source), raws, "nl")
    after = check_scenarios(fast.FastStore(cached), raws, "nl")
    assert format_json(after) == format_json(before)
    assert Counter(v.verdict for v in after) == Counter(v.verdict for v in before)


def test_cli_check_on_the_cache_gives_the_same_verdicts(runner):
    path = HERE.parent / "docs" / "examples" / "scenarios" / "ciic.yaml"
    result = runner.invoke(cli, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    from wivgraph.check import load_scenarios

    expected = format_json(check_scenarios(checker_store(), load_scenarios(path), "nl"))
    assert json.loads(result.stdout) == json.loads(expected)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_ask_onward_on_the_cache_gives_the_same_explanation(runner, source, lang):
    result = runner.invoke(cli, ["ask", "onward", "ciic-data", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert result.stdout == explain_onward(source, "ciic-data", lang)


def test_catalogue_question_runs_in_process_on_the_cache(runner, monkeypatch):
    import wivgraph.sandbox

    def refuse(*args, **kwargs):
        raise AssertionError("a catalogue question must not start the query process")

    monkeypatch.setattr(wivgraph.sandbox, "local_store", refuse)
    result = runner.invoke(
        cli, ["query", "run", "norms-obligations-of", "--param", f"party=<{AIVD}>",
              "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"]["bindings"]


def test_query_run_remembers_the_gate_between_runs_for_that_command_only(runner, tmp_path, monkeypatch):
    from wivgraph import cache, fast, gate

    args = ["query", "run", "norms-obligations-of", "--param", f"party=<{AIVD}>", "--format", "json"]
    fast._gated_form.cache_clear()
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert list(cache.cache_dir().glob(f"gate-{gate._code_hash()}.json"))
    assert gate.memo() is None  # not left on for whatever runs next in this process
    fast._gated_form.cache_clear()  # as a new process
    monkeypatch.setattr(gate, "_checked", lambda text: pytest.fail("the question was parsed again"))
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout
    fast._gated_form.cache_clear()


def test_iri_parameter_binds_without_scanning_its_class(cached, monkeypatch):
    calls = []
    original = query_mod.same_kind
    monkeypatch.setattr(query_mod, "same_kind",
                        lambda *a, **k: calls.append(a) or original(*a, **k))
    question = query_mod.catalogue()["norms-obligations-of"]
    store = fast.FastStore(cached)
    by_iri = query_mod.run_question(store, question, {"party": f"<{AIVD}>"})
    by_prefixed = query_mod.run_question(store, question, {"party": "organisation:aivd"})
    assert calls == []
    assert by_iri.rows and by_iri.rows == by_prefixed.rows
    # an unknown IRI may look at the kind: only to suggest close names in the error
    with pytest.raises(query_mod.WivgraphError, match="does not occur"):
        query_mod.run_question(store, question, {"party": "organisation:no-such-party"})


class _NoGraphStore:
    """A store that is not rdflib and offers no graph (like RemoteStore): SPARQL only."""

    kind = "test"
    graph = None

    def __init__(self, inner):
        self.inner = inner
        self.texts = []

    def query(self, text, bindings=None, **kwargs):
        self.texts.append(text)
        return self.inner.query(text, bindings, **kwargs)


def test_label_parameter_resolved_by_sparql_on_a_store_without_graph(cached):
    question = query_mod.catalogue()["norms-obligations-of"]
    store = _NoGraphStore(fast.FastStore(cached))
    by_label = query_mod.run_question(store, question, {"party": "AIVD"})  # skos:altLabel "AIVD"
    by_iri = query_mod.run_question(fast.FastStore(cached), question, {"party": f"<{AIVD}>"})
    assert by_label.rows == by_iri.rows and by_label.rows
    assert len(store.texts) == 2  # the label look-up, then the question
    with pytest.raises(query_mod.WivgraphError, match="unknown"):
        query_mod.run_question(store, question, {"party": "geen-bekende-partij"})


def test_each_question_text_is_parsed_once_per_process(cached, monkeypatch):
    import rdflib.plugins.sparql.parser as sparql_parser  # the gate imports it on first use

    parsed = []
    original = sparql_parser.parseQuery
    monkeypatch.setattr(sparql_parser, "parseQuery", lambda text: parsed.append(text) or original(text))
    gate._checked.cache_clear()
    fast._gated_form.cache_clear()
    question = query_mod.catalogue()["onward-who-may-pass"]
    store = fast.FastStore(cached)
    first = query_mod.run_question(store, question)
    second = query_mod.run_question(fast.FastStore(cached), question)
    assert parsed.count(question.text) == 1
    assert first.rows == second.rows


def test_named_graphs_only_for_queries_that_read_them(cached):
    assert fast._reads_named_graphs("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not fast._reads_named_graphs('SELECT ?s WHERE { ?s ?p "GRAPH" } # GRAPH')
    store = fast.FastStore(cached)
    graphs = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(graphs.rows[0]["n"]) == len(fast.store_stats(cached)["graphs"])


def test_open_store_is_read_only_and_follows_the_data(tmp_path):
    root = _project(tmp_path, "@prefix ex: <http://example.org/> .\nex:a a ex:Thing .\n", "")
    store = cache.open_store(root)
    folder = cache.cache_file(root).with_suffix(cache.STORE_SUFFIX)
    assert folder.is_dir() and len(store) == cache.info(root)["quads"]
    with pytest.raises(RuntimeError, match="read-write"):
        store.update("INSERT DATA { <http://example.org/x> <http://example.org/p> 1 }")
    del store
    (root / "data" / "d.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a a ex:Thing .\nex:b a ex:Thing .\n"
    )
    again = cache.open_store(root)
    assert not folder.exists()  # the store of the old content is gone
    assert len(fast.store_stats(again)["graphs"]) == 2
    assert fast.store_stats(again)["classes"]["http://example.org/Thing"] == 2


def test_shapes_parsed_by_oxigraph_equal_the_loaders(root):
    from rdflib.compare import isomorphic

    from wivgraph.load import load_shapes

    ours, theirs = fast.load_shapes(root), load_shapes(root)
    assert len(ours) == len(theirs) and isomorphic(ours, theirs)


def test_bad_shapes_refused_as_before(runner, tmp_path):
    """What the loader refuses in shapes/ (here an ill-typed literal, which oxigraph's parser
    accepts) is still bad input, with file and line."""
    bad = TEXT_SHAPE + 'ex:NoText <http://example.org/weight> "zwaar"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    root = _project(tmp_path, "@prefix ex: <http://example.org/> .\nex:a a ex:Thing .\n", bad)
    result = runner.invoke(cli, ["--root", str(root), "validate"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(
        "s.ttl:6: malformed Turtle: literal \"zwaar\" is not a valid "
        "<http://www.w3.org/2001/XMLSchema#integer> (expected a value of that datatype)"
    ), result.stderr
