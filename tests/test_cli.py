"""CLI exit codes and error paths: 0 ok, 1 violations, 2 bad input; never a traceback."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from wivgraph.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def small_project(tmp_path: Path, data: str, shapes: str = "") -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        (tmp_path / folder).mkdir()
    (tmp_path / "ontology" / "o.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:Thing a <http://www.w3.org/2002/07/owl#Class> .\n"
    )
    (tmp_path / "data" / "d.ttl").write_text(data)
    (tmp_path / "shapes" / "s.ttl").write_text(shapes)
    (tmp_path / "queries" / "things.rq").write_text(
        "# title@nl: Dingen\n# title@en: Things\n# description: Things of a class.\n"
        "# param: cls (iri, default <http://example.org/Thing>) — the class\n"
        "# example: wivgraph query run things\n"
        "SELECT ?s WHERE { ?s a ?cls }\n"
    )
    return tmp_path


DATA = "@prefix ex: <http://example.org/> .\nex:a a ex:Thing .\n"
SHAPE_NAME_REQUIRED = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "naam ontbreekt"@nl , "name missing"@en ] .
"""


def test_stats_on_corpus(runner):
    result = runner.invoke(cli, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["triples"] > 0


def test_validate_conforms_exit_0(runner, tmp_path):
    root = small_project(tmp_path, DATA)
    result = runner.invoke(cli, ["--root", str(root), "validate"])
    assert result.exit_code == 0, result.output


def test_validate_violation_exit_1_with_message(runner, tmp_path):
    root = small_project(tmp_path, DATA, SHAPE_NAME_REQUIRED)
    result = runner.invoke(cli, ["--root", str(root), "validate", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout == "1 violation, 0 warnings, 0 infos\n"
    result = runner.invoke(cli, ["--root", str(root), "validate", "--lang", "en", "--details"])
    assert result.exit_code == 1
    assert "name missing" in result.output
    result_nl = runner.invoke(cli, ["--root", str(root), "validate", "--format", "json"])
    payload = json.loads(result_nl.output)
    assert payload["conforms"] is False
    assert payload["results"][0]["message"] == "naam ontbreekt"


def test_validate_malformed_turtle_exit_2(runner, tmp_path):
    root = small_project(tmp_path, DATA + "ex:b ex:p .\n")
    result = runner.invoke(cli, ["--root", str(root), "validate"])
    assert result.exit_code == 2
    assert "d.ttl:3: malformed Turtle" in result.output
    assert "Traceback" not in result.output


def test_missing_folder_exit_2(runner, tmp_path):
    root = small_project(tmp_path, DATA)
    shutil.rmtree(root / "data")
    result = runner.invoke(cli, ["--root", str(root), "stats"])
    assert result.exit_code == 2
    assert "folder not found" in result.output


def test_query_run_with_param(runner, tmp_path):
    root = small_project(tmp_path, DATA)
    result = runner.invoke(cli, ["--root", str(root), "query", "run", "things", "--format", "json"])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    assert bindings == [{"s": {"type": "uri", "value": "http://example.org/a"}}]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["query", "run", "nothing-like-this"], "unknown question"),
        (["query", "run", "things", "--param", "novalue"], "expected NAME=VALUE"),
        (["query", "run", "things", "--param", "colour=red"], "unknown parameter(s) colour"),
        (["query", "run", "things", "--param", "cls=<http://example.org/Nope>"], "does not occur"),
        (["query", "run", "missing.rq"], "not found"),
    ],
)
def test_query_bad_input_exit_2(runner, tmp_path, args, expected):
    root = small_project(tmp_path, DATA)
    result = runner.invoke(cli, ["--root", str(root), *args])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_query_list(runner, tmp_path):
    root = small_project(tmp_path, DATA)
    result = runner.invoke(cli, ["--root", str(root), "query", "list", "--lang", "en"])
    assert result.exit_code == 0
    assert "things" in result.output and "Things" in result.output


@pytest.mark.parametrize("fmt", ["ttl", "trig", "jsonld", "nq"])
def test_export_formats_round_trip(runner, tmp_path, fmt):
    from rdflib import Dataset

    root = small_project(tmp_path, DATA)
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(
        cli, ["--root", str(root), "export", "--format", fmt, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    parsed = Dataset()
    rdf_format = {"ttl": "turtle", "trig": "trig", "jsonld": "json-ld", "nq": "nquads"}[fmt]
    parsed.parse(out, format=rdf_format)
    assert len(parsed) + sum(len(g) for g in parsed.graphs()) > 0


def test_export_into_missing_folder_exit_2(runner, tmp_path):
    root = small_project(tmp_path, DATA)
    result = runner.invoke(
        cli, ["--root", str(root), "export", "--output", str(tmp_path / "no" / "x.ttl")]
    )
    assert result.exit_code == 2
    assert "folder does not exist" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["stats", "--help"],
        ["validate", "--help"],
        ["query", "--help"],
        ["query", "run", "--help"],
        ["query", "list", "--help"],
        ["export", "--help"],
    ],
)
def test_help_everywhere(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert "Usage" in result.output
