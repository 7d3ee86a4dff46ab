"""The checker's state remembered between processes (wivgraph.check.memo, issue 19).

`wivgraph check` and `wivgraph ask onward` make their checker from the vocabulary graph and
index kept in the build cache folder by an earlier run on the same data and code. These tests
check that such a checker gives exactly the verdicts of a freshly built one, that a memo of
other data or other code is never used, that a damaged memo or an unwritable folder only costs
a rebuild, and that a remote store (--endpoint) is never remembered.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Literal, URIRef

import wivgraph.check as check_mod
from wivgraph import cache, fast
from wivgraph.check import check_scenarios, format_json, format_reports, load_scenarios, memo
from wivgraph.check import engine as engine_mod
from wivgraph.check import resolve as resolve_mod
from wivgraph.check.engine import Checker
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.cli import cli
from wivgraph.onward import explain_onward

HERE = Path(__file__).parent
EXAMPLES = sorted((HERE.parent / "docs" / "examples" / "scenarios").glob("*.*"))
CASES = sorted((HERE / "scenarios").rglob("*.yaml"))  # lists of {lid, expect, scenario}
CIIC = HERE.parent / "docs" / "examples" / "scenarios" / "ciic.yaml"
AIVD = URIRef("https://w3id.org/wivgraph/id/org/aivd")


def _raws(path: Path) -> list:
    if path in EXAMPLES:
        return load_scenarios(path)
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [raw for item in items
            for raw in scenarios_from_data(item["scenario"], f"{path.name}:{item['scenario']['id']}")]


@pytest.fixture(scope="module")
def ox_store():
    return cache.open_store()


@pytest.fixture(scope="module")
def data_key():
    return cache.content_key()


def _store(ox_store):
    """A store object of its own (remembered_checker makes its checker the one of its store)."""
    return fast.FastStore(ox_store, inferred=False)


@pytest.fixture(scope="module")
def fresh(ox_store):
    return Checker(_store(ox_store))


def _no_building(monkeypatch):
    """Fail if a checker reads its vocabulary from the store, or makes the name tables of the
    scenario fields, instead of taking them from a memo."""
    def refuse(*args, **kwargs):
        raise AssertionError("the checker was built, not made from the memo")

    monkeypatch.setattr(engine_mod, "build_index", refuse)
    monkeypatch.setattr(resolve_mod.Vocabulary, "__init__", refuse)


class _NoQueries(fast.FastStore):
    """A store the checker must not ask: everything it needs is in the memo."""

    def query(self, *args, **kwargs):
        raise AssertionError("the checker asked the store instead of using the memo")


@pytest.fixture(scope="module")
def remembered(ox_store, data_key, tmp_path_factory):
    """A checker made from a memo file written by another checker (as a later process would),
    after that one checked every scenario file: the memo holds the vocabulary graph, the index,
    and every norm and candidate list those scenarios need, so the store is never asked."""
    folder = tmp_path_factory.mktemp("memo")
    first = memo.remembered_checker(_store(ox_store), data_key, folder)
    assert memo.memo_file(folder, data_key).is_file()
    assert not memo.remember_progress(first)  # nothing loaded yet
    for path in EXAMPLES + CASES:
        check_scenarios(first, _raws(path), "nl")
    assert first._norms and first._candidates
    assert memo.remember_progress(first)
    assert not memo.remember_progress(first)  # written already
    with pytest.MonkeyPatch.context() as mp:
        _no_building(mp)
        checker = memo.remembered_checker(_NoQueries(ox_store, inferred=False), data_key, folder)
    assert set(checker._norms) == set(first._norms)
    assert checker._candidates == first._candidates
    return checker


@pytest.mark.parametrize("path", EXAMPLES + CASES, ids=lambda p: p.name if p in EXAMPLES else f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_remembered_checker_gives_the_same_verdicts(path, lang, fresh, remembered):
    raws = _raws(path)
    assert raws
    expected = check_scenarios(fresh, raws, lang)
    got = check_scenarios(remembered, raws, lang)
    assert got == expected  # the whole result objects: conditions, norms, facts, trace, reports
    assert format_json(got) == format_json(expected)
    assert format_reports(got) == format_reports(expected)


def test_cli_check_and_ask_onward_use_the_memo_with_the_same_output(monkeypatch, ox_store):
    runner = CliRunner()
    args = ["check", str(CIIC), "--format", "json"]
    first = runner.invoke(cli, args)  # writes the memo when there is none yet
    assert first.exit_code == 0, first.output
    files = list(cache.cache_dir().glob(f"{memo.PREFIX}*{memo.SUFFIX}"))
    assert memo.memo_file(cache.cache_dir(), cache.content_key()) in files
    expected = format_json(check_scenarios(Checker(_store(ox_store)), load_scenarios(CIIC), "nl"))
    assert json.loads(first.stdout) == json.loads(expected)
    _no_building(monkeypatch)
    written = memo.memo_file(cache.cache_dir(), cache.content_key()).stat().st_mtime_ns
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout
    # the norms of the first run were remembered: the second run loaded none, wrote nothing
    assert memo.memo_file(cache.cache_dir(), cache.content_key()).stat().st_mtime_ns == written
    onward = runner.invoke(cli, ["ask", "onward", "ciic-data", "--lang", "en"])
    assert onward.exit_code == 0, onward.output
    monkeypatch.undo()
    assert onward.stdout == explain_onward(fast.ReadableStore(ox_store, inferred=False), "ciic-data", "en")


def _poisoned(checker: Checker) -> tuple:
    """A copy of the checker's state with one label changed, to see whether a memo is used."""
    base, idx = pickle.loads(pickle.dumps(checker.state()))
    idx.labels[(AIVD, "nl")] = "VERGIFTIGD"
    return base, idx


def test_a_memo_of_other_data_or_other_code_is_not_used(ox_store, fresh, tmp_path, monkeypatch):
    poisoned = _poisoned(fresh)
    path = memo.memo_file(tmp_path, "data-a")
    assert memo.write_state(path, memo.memo_key("data-a"), poisoned)
    # the same key: the memo is used (else this test could not tell)
    assert memo.remembered_checker(_store(ox_store), "data-a", tmp_path).L(AIVD) == "VERGIFTIGD"
    # other data
    assert memo.remembered_checker(_store(ox_store), "data-b", tmp_path).L(AIVD) == fresh.L(AIVD)
    # the file copied to the other data's name: its recorded key differs
    other = memo.memo_file(tmp_path, "data-c")
    other.write_bytes(path.read_bytes())
    assert memo.remembered_checker(_store(ox_store), "data-c", tmp_path).L(AIVD) == fresh.L(AIVD)
    # the store's answers with graph:inferred are other data too
    assert memo.memo_key("data-a", inferred=True) != memo.memo_key("data-a", inferred=False)
    # other code, another rdflib, another Python
    import rdflib

    key = memo.memo_key("data-a")
    for target, name, value in ((memo, "code_hash", lambda: "other code"),
                                (rdflib, "__version__", "0.0.1"), (sys, "version", "other")):
        with monkeypatch.context() as mp:
            mp.setattr(target, name, value)
            assert memo.memo_key("data-a") != key, name
            assert memo.remembered_checker(_store(ox_store), "data-a", tmp_path).L(AIVD) == fresh.L(AIVD), name


def test_code_hash_covers_the_checker_and_odrl_modules():
    package = Path(memo.__file__).resolve().parents[1]
    names = {p.name for p in (*package.joinpath("check").glob("*.py"), *package.joinpath("odrl").glob("*.py"))}
    assert {"engine.py", "index.py", "memo.py", "evaluate.py", "norms.py"} <= names
    digest = memo.code_hash.__wrapped__()
    assert digest == memo.code_hash()
    original = Path.read_bytes

    def changed(path):
        data = original(path)
        return data + b"# changed\n" if path.name == "evaluate.py" and path.parent.name == "odrl" else data

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "read_bytes", changed)
        assert memo.code_hash.__wrapped__() != digest


@pytest.mark.parametrize("damage", ["garbage", "cut", "empty", "other-object", "planted-call"])
def test_a_damaged_memo_is_rebuilt(damage, ox_store, fresh, data_key, tmp_path):
    path = memo.memo_file(tmp_path, data_key)
    key = memo.memo_key(data_key)
    whole = pickle.dumps({"key": key, "base": fresh.base, "idx": fresh.idx}, protocol=pickle.HIGHEST_PROTOCOL)
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    path.write_bytes({
        "garbage": b"not a pickle at all",
        "cut": whole[: len(whole) // 2],
        "empty": b"",
        "other-object": pickle.dumps({"key": key, "base": "a string", "idx": 42}),
        "planted-call": pickle.dumps({"key": key, "base": Planted(), "idx": Planted()}),
    }[damage])
    checker = memo.remembered_checker(_store(ox_store), data_key, tmp_path)
    assert not marker.exists()  # the unpickler makes no function call
    raws = load_scenarios(CIIC)
    assert check_scenarios(checker, raws, "nl") == check_scenarios(fresh, raws, "nl")
    assert memo.read_state(path, key) is not None  # written anew


def test_an_unwritable_cache_folder_only_means_no_memo(ox_store, fresh, data_key, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    folder = blocker / "cache"  # cannot be created, not even by root
    checker = memo.remembered_checker(_store(ox_store), data_key, folder)
    raws = load_scenarios(CIIC)
    assert check_scenarios(checker, raws, "nl") == check_scenarios(fresh, raws, "nl")
    assert not folder.exists()
    assert not memo.write_state(memo.memo_file(folder, data_key), memo.memo_key(data_key), fresh.state())


def test_old_memos_are_pruned(ox_store, fresh, data_key, tmp_path):
    for n in range(6):
        old = tmp_path / f"{memo.PREFIX}old{n}{memo.SUFFIX}"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    assert memo.write_state(memo.memo_file(tmp_path, data_key), memo.memo_key(data_key), fresh.state())
    left = sorted(p.name for p in tmp_path.glob(f"{memo.PREFIX}*{memo.SUFFIX}"))
    assert len(left) == memo.KEEP
    assert memo.memo_file(tmp_path, data_key).name in left
    assert f"{memo.PREFIX}old5{memo.SUFFIX}" in left and f"{memo.PREFIX}old0{memo.SUFFIX}" not in left


def _memo_files() -> dict:
    return {p.name: p.stat().st_mtime_ns for p in cache.cache_dir().glob(f"{memo.PREFIX}*{memo.SUFFIX}")}


def test_an_endpoint_run_writes_no_memo(monkeypatch, ox_store):
    """--endpoint: the store is asked as it is (here a local store stands in for the remote one)."""
    monkeypatch.setattr(check_mod, "checker_store", lambda root, endpoint: _store(ox_store))
    import wivgraph.store

    monkeypatch.setattr(wivgraph.store, "ReadableRemote", lambda url: fast.ReadableStore(ox_store))

    def refuse(*args, **kwargs):
        raise AssertionError("a remote store must not be remembered")

    monkeypatch.setattr(memo, "remembered_checker", refuse)
    before = _memo_files()
    runner = CliRunner()
    endpoint = ["--endpoint", "http://127.0.0.1:9/query"]
    result = runner.invoke(cli, [*endpoint, "check", str(CIIC), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = format_json(check_scenarios(Checker(_store(ox_store)), load_scenarios(CIIC), "nl"))
    assert json.loads(result.stdout) == json.loads(expected)
    onward = runner.invoke(cli, [*endpoint, "ask", "onward", "ciic-data"])
    assert onward.exit_code == 0, onward.output
    assert _memo_files() == before


def test_check_and_ask_onward_load_no_rdflib_sparql_and_the_aggregate_fix_still_applies():
    """`check` and `ask onward` ask oxigraph only: rdflib's SPARQL package (0.1-0.2 s to import,
    also pulled in by oxrdflib) stays out; whoever evaluates with rdflib later still gets
    wivgraph.query's fix of DISTINCT aggregates."""
    script = f"""
import sys
from wivgraph.cli import cli
for args in (["check", {str(CIIC)!r}], ["ask", "onward", "ciic-data"]):
    try:
        cli.main(args, standalone_mode=False)
    except SystemExit:
        pass
print("sparql loaded:", "rdflib.plugins.sparql" in sys.modules, "oxrdflib" in sys.modules)
from rdflib import Graph
g = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a ex:p 1 . ex:b ex:p 2 . ex:a ex:q 'x' .",
                  format="turtle")
rows = g.query("PREFIX ex: <http://example.org/> SELECT ?s (GROUP_CONCAT(DISTINCT ?x) AS ?xs) "
               "WHERE {{ ?s ex:p ?o OPTIONAL {{ ?s ex:q ?x }} }} GROUP BY ?s")
print(sorted(str(r.xs) for r in rows))
"""
    env = dict(os.environ, PYTHONPATH=str(Path(memo.__file__).resolve().parents[2]))
    # a first run may build the cache and parse each query once (the gate's verdicts, the
    # checker's memo are then kept); the claim is about every run after it
    warm = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert warm.returncode == 0, warm.stderr
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-2] == "sparql loaded: False False"
    assert lines[-1] == "['', 'x']"


def test_readable_store_reads_the_asserted_union_without_oxrdflib(ox_store):
    """ask onward's label look-ups read the store by pattern (fast.default_graph_reads): the
    same triples and answers as a copy of the asserted union, and the same explanation for
    every data category as on an rdflib copy of the asserted graphs."""
    from rdflib.namespace import RDF, RDFS, SKOS

    from wivgraph.onward import data_categories

    readable = fast.ReadableStore(ox_store, inferred=False)
    copy = fast.rdflib_graph(ox_store, inferred=False)
    assert set(readable.triples((None, None, None))) == set(copy)
    assert len(readable._reads) == len(copy)
    for subject, predicate in ((AIVD, RDFS.label), (AIVD, SKOS.prefLabel), (AIVD, RDF.type)):
        assert set(readable.objects(subject, predicate)) == set(copy.objects(subject, predicate))
        assert (readable.value(subject, predicate) is None) == (copy.value(subject, predicate) is None)
    assert set(readable.subjects(RDF.type, SKOS.Concept)) == set(copy.subjects(RDF.type, SKOS.Concept))
    assert (AIVD, RDF.type, next(copy.objects(AIVD, RDF.type))) in readable
    assert list(readable.triples((Literal("x"), None, None))) == []  # a literal subject: no match
    class ThroughTheView(fast.ReadableStore):
        """How ReadableStore read before: through oxrdflib's rdflib view."""

        def subjects(self, *args, **kwargs):
            return self.graph.subjects(*args, **kwargs)

        def objects(self, *args, **kwargs):
            return self.graph.objects(*args, **kwargs)

        def value(self, *args, **kwargs):
            return self.graph.value(*args, **kwargs)

        def triples(self, *args, **kwargs):
            return self.graph.triples(*args, **kwargs)

        def __contains__(self, triple) -> bool:
            return triple in self.graph

    before = ThroughTheView(ox_store, inferred=False)
    categories = data_categories(copy)
    assert len(categories) >= 10
    for category in categories:
        assert explain_onward(readable, str(category), "nl") == explain_onward(before, str(category), "nl"), category


# --- the scenario file's schema check, remembered with the gate's verdicts ------------------


def test_a_scenario_file_that_passed_the_schema_is_not_checked_again(monkeypatch, tmp_path):
    """`check` remembers that a scenario file's data passed the schema (importing jsonschema is
    0.06-0.1 s); other data are checked, and a failing file is never remembered."""
    import jsonschema

    from wivgraph import gate
    from wivgraph.check import scenarios

    runner = CliRunner()
    path = tmp_path / "one.yaml"
    path.write_text(CIIC.read_text(encoding="utf-8"), encoding="utf-8")
    first = runner.invoke(cli, ["check", str(path), "--format", "json"])
    assert first.exit_code == 0, first.output
    calls = []
    real = jsonschema.Draft202012Validator

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(jsonschema, "Draft202012Validator", counted)
    again = runner.invoke(cli, ["check", str(path), "--format", "json"])
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout
    assert calls == []  # remembered
    # other data (a description never seen before: the memo outlives this test) are checked
    fresh_text = f"description: {uuid.uuid4()}"
    path.write_text(CIIC.read_text(encoding="utf-8").replace("description: ", fresh_text + " ", 1),
                    encoding="utf-8")
    changed = runner.invoke(cli, ["check", str(path), "--format", "json"])
    assert changed.exit_code == 0, changed.output
    assert calls == [1]
    # a file that fails is refused every time
    path.write_text("- id: bad\n  actor: AIVD\n", encoding="utf-8")
    for _ in range(2):
        bad = runner.invoke(cli, ["check", str(path)])
        assert bad.exit_code == 2 and "action" in bad.stderr, bad.output
    assert calls == [1, 1, 1]
    # the library without the command line's memo checks every time
    assert gate.memo() is None
    scenarios.load_scenarios(CIIC)
    assert len(calls) == 4


def test_the_remembered_schema_check_is_keyed_by_schema_jsonschema_code_and_data(monkeypatch, tmp_path):
    from importlib import metadata

    from wivgraph.check import scenarios

    data = [{"id": "a", "actor": "AIVD", "action": "provide"}]
    key = scenarios._validity_key(data)
    assert key is not None and scenarios._validity_key(data) == key
    assert scenarios._validity_key([{"actor": "AIVD", "id": "a", "action": "provide"}]) != key
    assert scenarios._validity_key([{"id": "a", "actor": "AIVD", "action": "provide", "date": 1}]) != key
    assert scenarios._validity_key([{"x": float("nan")}]) is None  # not exact as JSON: never remembered
    schema = tmp_path / "scenario.schema.json"
    schema.write_bytes(scenarios.SCHEMA_PATH.read_bytes() + b"\n")
    with monkeypatch.context() as mp:
        mp.setattr(scenarios, "SCHEMA_PATH", schema)
        assert scenarios._validity_key(data) != key
    real = metadata.version
    with monkeypatch.context() as mp:
        mp.setattr(metadata, "version", lambda name: "0.0.1" if name == "jsonschema" else real(name))
        assert scenarios._validity_key(data) != key
    original = Path.read_bytes
    with monkeypatch.context() as mp:
        mp.setattr(Path, "read_bytes", lambda p: original(p) + (b"#" if p.name == "scenarios.py" else b""))
        assert scenarios._validity_key(data) != key


def test_the_vocabulary_graph_is_read_only_when_needed(ox_store, fresh, data_key, tmp_path):
    """Most runs need the index only: the graph (most of reading a memo) is read when a norm the
    memo lacks must be loaded; a graph that cannot be read is read from the store instead."""
    raws = load_scenarios(CIIC)
    first = memo.remembered_checker(_store(ox_store), data_key, tmp_path)
    check_scenarios(first, raws, "nl")
    assert memo.remember_progress(first)
    again = memo.remembered_checker(_NoQueries(ox_store, inferred=False), data_key, tmp_path)
    assert check_scenarios(again, raws, "nl") == check_scenarios(fresh, raws, "nl")
    assert again._base is None  # not read
    assert set(again.base) == set(fresh.base) and again.idx.graph is again.base  # read on demand
    # the graph's part of the memo damaged: read from the store, the same verdicts
    path, key = memo.memo_file(tmp_path, data_key), memo.memo_key(data_key)
    payload = pickle.loads(path.read_bytes())
    payload["base"] = b"not a pickled graph"
    path.write_bytes(pickle.dumps(payload))
    damaged = memo.remembered_checker(_store(ox_store), data_key, tmp_path)
    assert set(damaged.base) == set(fresh.base)
    more = load_scenarios(EXAMPLES[1])  # norms the memo lacks: loaded over the graph
    assert check_scenarios(damaged, more, "nl") == check_scenarios(fresh, more, "nl")
    assert memo.read_state(path, key) is not None
