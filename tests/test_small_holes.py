"""Small holes of issue #23: write failures exit 2, the row limit is announced in csv/json,
long parameters are not echoed in full, a UTF-8 BOM is accepted in Turtle and .rq files."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from wivgraph import fast, paths
from wivgraph.cli import cli
from wivgraph.load import load_dataset
from wivgraph.query import read_question

FIXTURE = paths.project_root() / "tests" / "fixtures" / "store"
BOM = b"\xef\xbb\xbf"


def _project(root: Path) -> Path:
    for folder in ("ontology", "data", "queries"):
        for path in (FIXTURE / folder).glob("*"):
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / path.name).write_bytes(path.read_bytes())
    return root


@pytest.fixture
def project(tmp_path):
    return _project(tmp_path / "project")


@pytest.fixture
def read_only(monkeypatch):
    """Creating a file or folder fails as on a read-only mount (root ignores mode bits)."""
    real_open, real_mkdir = os.open, os.mkdir

    def refuse(path, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    def opener(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        if os.path.isdir(path):
            return real_mkdir(path, *args, **kwargs)  # raises FileExistsError as usual
        refuse(path)

    monkeypatch.setattr(os, "open", opener)
    monkeypatch.setattr(os, "mkdir", mkdir)


def _one_error_line(result, exit_code: int = 2) -> str:
    assert result.exit_code == exit_code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "internal error" not in lines[0]
    return lines[0]


# --- write failures: exit 2, one line ---------------------------------------------------------


def test_export_to_read_only_folder(project, tmp_path, read_only):
    target = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["--root", str(project), "export", "--output", str(target)])
    line = _one_error_line(result)
    assert str(target) in line and "Read-only file system" in line


@pytest.mark.parametrize("where", ["missing-folder/out.ttl", "a/b/c.ttl"])
def test_export_to_impossible_output(project, tmp_path, where):
    target = tmp_path / where
    result = CliRunner().invoke(cli, ["--root", str(project), "export", "--output", str(target)])
    _one_error_line(result)


def test_build_in_read_only_project(project, read_only):
    result = CliRunner().invoke(cli, ["--root", str(project), "build"])
    line = _one_error_line(result)
    assert ".wivgraph-cache" in line


def test_ingest_into_read_only_project(project, tmp_path, read_only):
    source = paths.project_root() / "data" / "sources"
    text = next(p for p in sorted(source.glob("convenant-*.txt")))  # a convenant, not an external source
    result = CliRunner().invoke(
        cli, ["--root", str(project), "ingest", str(text), "--id", "convenant-x-2026"]
    )
    line = _one_error_line(result)
    assert "Read-only file system" in line


def test_query_docs_unwritable_output(project, tmp_path, read_only):
    result = CliRunner().invoke(
        cli, ["--root", str(project), "query", "docs", "--output", str(tmp_path / "q.md")]
    )
    _one_error_line(result)


# --- the row limit is announced ------------------------------------------------------------


def _any_question(root: Path) -> str:
    for path in sorted((root / "queries").glob("*.rq")):
        if "# param" not in path.read_text(encoding="utf-8"):
            return str(path)
    raise AssertionError("no question without parameters in the fixture")


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_row_limit_is_announced(project, fmt):
    query = project / "queries" / "all.rq"
    query.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--root", str(project), "query", "run", str(query), "--format", fmt, "--limit", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "cut at the row limit of 2 rows" in result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["truncated"] is True and data["row_limit"] == 2
        assert len(data["results"]["bindings"]) == 2
    if fmt == "csv":
        assert len(result.stdout.strip().splitlines()) == 3  # header and two rows, no note


def test_no_note_when_not_cut(project):
    query = project / "queries" / "one.rq"
    query.write_text("SELECT ?x WHERE { BIND(1 AS ?x) }\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--root", str(project), "query", "run", str(query), "--format", "json"]
    )
    assert result.exit_code == 0 and result.stderr == ""
    assert "truncated" not in json.loads(result.stdout)


# --- long parameters are not echoed in full ----------------------------------------------------


@pytest.mark.parametrize("form", ["value", "option"])
def test_100kb_parameter_is_cut_in_the_message(form):
    huge = "x" * 100_000
    param = f"category={huge}" if form == "value" else huge
    result = CliRunner().invoke(
        cli, ["query", "run", "onward-who-may-pass", "--param", param]
    )
    line = _one_error_line(result)
    assert len(line) < 1000
    assert "…" in line and "characters)" in line
    assert "100,0" in line  # the length: 100,000 or 100,009 with the name


def test_100kb_party_name_is_cut(tmp_path):
    result = CliRunner().invoke(cli, ["network", "paths", "p" * 100_000, "IND"])
    line = _one_error_line(result)
    assert len(line) < 1000 and "(100,000 characters)" in line


# --- a UTF-8 BOM is accepted -------------------------------------------------------------------


def test_bom_in_turtle_is_accepted(project):
    data = next((project / "data").glob("*.ttl"))
    plain = load_dataset(project)
    data.write_bytes(BOM + data.read_bytes())
    assert len(load_dataset(project)) == len(plain)
    assert len(fast.load_store(project)) > 0
    result = CliRunner().invoke(cli, ["--root", str(project), "stats"])
    assert result.exit_code == 0, result.output


def test_bom_in_rq_file_is_accepted(project, tmp_path):
    path = Path(_any_question(project))
    plain = read_question(path)
    bom = tmp_path / path.name
    bom.write_bytes(BOM + path.read_bytes())
    question = read_question(bom)
    assert question.header == plain.header and question.text == plain.text
    result = CliRunner().invoke(cli, ["--root", str(project), "query", "run", str(bom)])
    assert result.exit_code == 0, result.output
