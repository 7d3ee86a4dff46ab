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


# --- CLI habits (issue #21) --------------------------------------------------------------------

CIIC_DATA = """@prefix ex: <http://example.org/> .
@prefix wiv: <https://w3id.org/wivgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:doc wiv:party ex:a , ex:b .
ex:other wiv:party ex:c .
ex:a rdfs:comment "first" .
"""


def test_global_lang_reaches_every_command_and_a_commands_own_wins(runner):
    english = runner.invoke(cli, ["--lang", "en", "network", "paths", "Politie", "IND"])
    assert english.exit_code == 0, english.output
    assert english.output.startswith("Path 1:") and "Pad 1" not in english.output
    own = runner.invoke(cli, ["--lang", "en", "network", "paths", "Politie", "IND", "--lang", "nl"])
    assert own.output.startswith("Pad 1:")
    bad = runner.invoke(cli, ["--lang", "fr", "stats"])
    assert bad.exit_code == 2


def test_network_paths_list_each_step_once(runner):
    """AIVD -> IND rests on art 2 lid 3 of the AIVD-IND convenant (two norms, one set of
    words): the path names that lid once."""
    result = runner.invoke(cli, ["network", "paths", "Politie", "IND"])
    assert result.exit_code == 0, result.output
    hop = result.output.split("AIVD → IND", 1)[1]
    lid = "convenant-aivd-ind-2019/art/2/lid/3"
    assert hop.count(lid) == 1, hop
    for block in result.output.split("\n  ")[1:]:  # per hop: no source line twice
        sources = [line for line in block.splitlines() if line.strip().startswith("- ")]
        assert len(sources) == len(set(sources)), sources


def test_query_run_own_file_with_param_as_values(runner, tmp_path):
    """An analyst's own .rq without a header: --param binds ?doc, as for catalogue questions."""
    root = small_project(tmp_path, CIIC_DATA)
    own = tmp_path / "own.rq"
    own.write_text(
        "PREFIX wiv: <https://w3id.org/wivgraph/def#>\nSELECT ?p WHERE { ?doc wiv:party ?p }\n"
    )
    args = ["--root", str(root), "query", "run", str(own), "--format", "csv"]
    result = runner.invoke(cli, [*args, "--param", "doc=<http://example.org/doc>"])
    assert result.exit_code == 0, result.output
    assert sorted(result.output.split()[1:]) == ["http://example.org/a", "http://example.org/b"]
    bad = runner.invoke(cli, [*args, "--param", "colour=red"])
    assert bad.exit_code == 2 and "no such variable" in bad.output


def test_group_concat_distinct_over_an_optional_variable():
    """rdflib said "Variable ex is not bound" for GROUP_CONCAT(DISTINCT ?ex) when ?ex comes from
    an OPTIONAL that did not match (engine bug; wivgraph.query skips such rows)."""
    from rdflib import Graph

    from wivgraph.query import Question, run_question

    graph = Graph().parse(data=CIIC_DATA, format="turtle")
    text = (
        "PREFIX wiv: <https://w3id.org/wivgraph/def#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        'SELECT ?doc (GROUP_CONCAT(DISTINCT ?ex; separator=", ") AS ?exs) WHERE {\n'
        "  ?doc wiv:party ?p . OPTIONAL { ?p rdfs:comment ?ex } } GROUP BY ?doc ORDER BY ?doc\n"
    )
    question = Question("own", Path("own.rq"), text, {})
    result = run_question(graph, question)
    assert [(str(r["doc"]), str(r["exs"])) for r in result.rows] == [
        ("http://example.org/doc", "first"),
        ("http://example.org/other", ""),
    ]


def test_query_table_fits_the_terminal(runner, monkeypatch):
    """Long quotes wrap at the terminal width instead of running off it or being cut."""
    from wivgraph.load import load_dataset
    from wivgraph.query import catalogue, run_question

    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(cli, ["query", "run", "actors-cell-bodies"])
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100
    assert "…" not in result.output  # wrapped, never cut
    expected = run_question(load_dataset(), catalogue()["actors-cell-bodies"])
    words = set(result.output.replace("|", " ").split())
    for row in expected.rows:  # the quotes' words are there (long ones may break at the edge)
        for word in str(row["quote"]).split():
            assert len(word) > 12 or word in words, word


def test_stats_names_quads_and_distinct_triples(runner):
    from wivgraph.load import load_dataset, union_graph

    dataset = load_dataset()
    result = runner.invoke(cli, ["stats", "--format", "json"])
    payload = json.loads(result.output)
    assert payload["quads"] == sum(len(g) for g in dataset.graphs())
    assert payload["distinct_triples"] == len(union_graph(dataset))
    assert payload["quads"] >= payload["distinct_triples"]
    text = runner.invoke(cli, ["stats"]).output
    assert f"quads (triples per named graph, summed): {payload['quads']}" in text
    assert f"distinct triples (union of the graphs): {payload['distinct_triples']}" in text


def test_export_output_file_follows_the_umask(runner, tmp_path):
    import os

    old = os.umask(0o022)
    try:
        target = tmp_path / "graph.nq"
        result = runner.invoke(cli, ["export", "--format", "nq", "--output", str(target)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o644
