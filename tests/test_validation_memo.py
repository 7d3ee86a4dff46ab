"""The validation report kept in the build cache folder (issue 19: `wivgraph validate` ≤ 1 s):
used only for the same data, shapes/, language and code; rebuilt when any of them changes or
the file is unreadable; optional when the folder cannot be written."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wivgraph import cache, fast
from wivgraph.cli import cli

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <urn:test:> .
ex:NoLabel a sh:NodeShape ; sh:targetSubjectsOf rdfs:label ; sh:property ex:NoLabel-label .
ex:NoLabel-label a sh:PropertyShape ; sh:path rdfs:label ; sh:maxCount {n} ;
    sh:message "te veel namen"@nl , "too many names"@en .
"""


@pytest.fixture
def project(store_project):
    root = store_project
    (root / "shapes").mkdir()
    (root / "shapes" / "test.ttl").write_text(SHAPES.replace("{n}", "0"), encoding="utf-8")
    cache.build(root)
    return root


class Counting:
    """validate_fast, counted (or refused, to prove a run did not validate)."""

    def __init__(self, refuse: bool = False):
        self.calls = 0
        self.refuse = refuse
        self.real = fast.validate_fast

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.refuse:
            raise AssertionError("validated although the kept report applies")
        return self.real(*args, **kwargs)


def _validate(root, lang="nl"):
    result = CliRunner().invoke(
        cli, ["--root", str(root), "validate", "--format", "json", "--lang", lang]
    )
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_second_run_reads_the_kept_report(project, monkeypatch):
    first = _validate(project)
    assert first[0] == 1 and first[1]["results"], "the test shape is violated"
    monkeypatch.setattr(fast, "validate_fast", Counting(refuse=True))
    assert _validate(project) == first


def test_each_language_has_its_own_report(project, monkeypatch):
    dutch, english = _validate(project, "nl"), _validate(project, "en")
    assert {r["message"] for r in dutch[1]["results"]} == {"te veel namen"}
    assert {r["message"] for r in english[1]["results"]} == {"too many names"}
    monkeypatch.setattr(fast, "validate_fast", Counting(refuse=True))
    assert _validate(project, "nl") == dutch and _validate(project, "en") == english


@pytest.mark.parametrize("change", ["shapes", "data"])
def test_a_change_validates_anew(project, monkeypatch, change):
    before = _validate(project)
    if change == "shapes":  # now conforming: at most five labels
        (project / "shapes" / "test.ttl").write_text(SHAPES.replace("{n}", "5"), encoding="utf-8")
    else:
        data = next((project / "data").glob("*.ttl"))
        data.write_text(data.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    counting = Counting()
    monkeypatch.setattr(fast, "validate_fast", counting)
    after = _validate(project)
    assert counting.calls == 1
    if change == "shapes":
        assert after[0] == 0 and after[1]["results"] == [] and before[0] == 1
    else:
        assert after == before


def test_an_unreadable_report_is_validated_again(project, monkeypatch):
    before = _validate(project)
    (kept,) = cache.cache_dir(project).glob("validation-*.json")
    kept.write_text('{"conforms": tru', encoding="utf-8")
    counting = Counting()
    monkeypatch.setattr(fast, "validate_fast", counting)
    assert _validate(project) == before and counting.calls == 1
    json.loads(kept.read_text(encoding="utf-8"))  # written whole again


def test_a_folder_that_cannot_be_written_still_validates(project, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, payload = _validate(project)
    assert code == 1 and payload["results"]
    assert not list(cache.cache_dir(project).glob("validation-*.json"))


def test_a_large_report_is_kept_without_its_graph(project, monkeypatch):
    """Above KEPT_GRAPH_LIMIT results the kept report holds the issues only (building the
    W3C graph of a million-triple validation costs more than the validation); `--format ttl`
    on it validates again to give the graph."""
    from wivgraph import validate

    monkeypatch.setattr(validate, "KEPT_GRAPH_LIMIT", 0)
    real_graph, real_validate = validate.report_graph, fast.validate_fast

    def refuse(*args, **kwargs):
        raise AssertionError("the report graph was built for a large kept report")

    monkeypatch.setattr(validate, "report_graph", refuse)
    first = _validate(project)
    assert first[0] == 1 and first[1]["results"]
    (kept,) = cache.cache_dir(project).glob("validation-*.json")
    assert json.loads(kept.read_text(encoding="utf-8"))["report"] is None
    monkeypatch.setattr(fast, "validate_fast", Counting(refuse=True))
    assert _validate(project) == first  # text and JSON: the kept issues
    monkeypatch.setattr(validate, "report_graph", real_graph)
    monkeypatch.setattr(fast, "validate_fast", real_validate)
    counting = Counting()
    monkeypatch.setattr(fast, "validate_fast", counting)
    result = CliRunner().invoke(cli, ["--root", str(project), "validate", "--format", "ttl"])
    assert result.exit_code == 1, result.output
    assert "sh:ValidationReport" in result.stdout and counting.calls == 1
