"""The name index kept beside the build cache (cache.remembered_names): a short command binds a
label parameter without reading every label triple, and never with an index of other data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wivgraph import cache
from wivgraph.cli import cli
from wivgraph.store import name_index


@pytest.fixture
def project(store_project):
    cache.build(store_project)
    return store_project


def _names_files(root):
    return sorted(cache.cache_dir(root).glob("names-*.json"))


def _party(root, label):
    result = CliRunner().invoke(
        cli, ["--root", str(root), "query", "run", "party-triples", "--param", f"party={label}",
              "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_kept_index_is_the_store_index(project):
    store = cache.open_store(project)
    first = cache.remembered_names(store, project)
    assert first == name_index(store)
    assert len(_names_files(project)) == 1
    assert cache.remembered_names(store, project) == first


def test_a_label_binds_through_the_kept_index(project, monkeypatch):
    assert "http://example.org/bzk" in _party(project, "AIVD")
    assert len(_names_files(project)) == 1
    # the second run reads the file: the store's label triples are not walked again
    monkeypatch.setattr("wivgraph.store.name_index", lambda store: pytest.fail("index made anew"))
    assert "http://example.org/bzk" in _party(project, "aivd")


def test_changed_data_get_their_own_index(project):
    _party(project, "AIVD")
    parties = project / "data" / "parties.ttl"
    parties.write_text(parties.read_text(encoding="utf-8").replace('"AIVD"@nl', '"Dienst A"@nl'),
                       encoding="utf-8")
    assert "http://example.org/bzk" in _party(project, "Dienst A")
    assert len(_names_files(project)) == 2


@pytest.mark.parametrize("content", ["{not json", json.dumps({"aivd": "not a list"}), "[]"])
def test_an_unreadable_index_is_made_anew(project, content):
    store = cache.open_store(project)
    cache.remembered_names(store, project)
    (kept,) = _names_files(project)
    kept.write_text(content, encoding="utf-8")
    assert cache.remembered_names(store, project) == name_index(store)
    assert json.loads(kept.read_text(encoding="utf-8"))["aivd"] == ["http://example.org/p1"]


def test_a_folder_that_cannot_be_written_still_binds(project, monkeypatch):
    def refuse(path, data):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("wivgraph.atomic.write_atomic", refuse)
    assert "http://example.org/bzk" in _party(project, "AIVD")
    assert _names_files(project) == []


def test_keep_newest_keeps_the_current_file_and_the_newest_others(tmp_path):
    import os

    from wivgraph import atomic

    files = []
    for age in range(6):  # names-0 is the newest
        path = tmp_path / f"names-{age}.json"
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
        files.append(path)
    other = tmp_path / "validation-0.json"
    other.write_text("{}", encoding="utf-8")
    current = files[5]  # the oldest, but the one in use
    atomic.keep_newest(tmp_path, "names-*.json", 3, current)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "names-0.json", "names-1.json", "names-5.json", "validation-0.json"
    ]
