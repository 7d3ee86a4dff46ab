"""The build cache is never served damaged; atomic writes keep modes, sync, and clean up.

Reproductions from issue #23: a cache cut at a line boundary was loaded silently (18,422 of
34,976 quads); kill -9 during ``build`` left temporary files that no clean-up removed; atomic
writes turned a 0644 file into 0600.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from wivgraph import atomic, cache, paths
from wivgraph.cli import cli
from wivgraph.errors import WivgraphError

FIXTURE = paths.project_root() / "tests" / "fixtures" / "store"


def _project(root):
    for folder in ("ontology", "data", "queries"):
        for path in (FIXTURE / folder).glob("*"):
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / path.name).write_bytes(path.read_bytes())
    return root


@pytest.fixture
def project(tmp_path):
    root = _project(tmp_path / "project")
    cache.build(root)
    return root


def _cut_at_line_boundary(path) -> int:
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    kept = b"".join(lines[: len(lines) // 2])
    path.write_bytes(kept)
    return len(lines) // 2


def test_cut_cache_is_not_fresh_and_load_rebuilds_it(project):
    path = cache.cache_file(project)
    whole = cache.load_store(project)
    quads = len(whole)
    assert quads == cache.info(project)["quads"]
    kept = _cut_at_line_boundary(path)
    assert 0 < kept < quads
    assert not cache.is_fresh(project)
    assert "bytes instead of" in cache.verify(path)
    store = cache.load_store(project)  # rebuilt, not served with half the quads
    assert len(store) == quads
    assert cache.verify(path) is None


def test_cut_cache_refused_with_one_line_when_it_may_not_be_rebuilt(project):
    path = cache.cache_file(project)
    _cut_at_line_boundary(path)
    with pytest.raises(WivgraphError) as err:
        cache.load_store(project, build_missing=False)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}: damaged build cache")


def test_same_size_but_edited_cache_is_caught_by_the_hash(project):
    path = cache.cache_file(project)
    data = bytearray(path.read_bytes())
    index = data.index(b"<http", 10)
    data[index + 5] = ord("X") if data[index + 5] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    assert "SHA-256" in cache.verify(path)
    assert len(cache.load_store(project)) == cache.info(project)["quads"]


def test_build_command_rebuilds_a_cut_cache(project):
    path = cache.cache_file(project)
    quads = cache.info(project)["quads"]
    _cut_at_line_boundary(path)
    result = CliRunner().invoke(cli, ["--root", str(project), "build"])
    assert result.exit_code == 0, result.output
    assert f"({quads} quads" in result.output
    assert cache.verify(path) is None


def test_cache_record_missing_means_rebuilt(project):
    path = cache.cache_file(project)
    path.with_suffix(".json").unlink()
    assert not cache.is_fresh(project)
    assert cache.build(project) == path
    assert cache.verify(path) is None


def test_kill_9_during_build_leaves_no_orphan_after_the_next_build(tmp_path):
    """A real ``wivgraph build`` killed with SIGKILL while it writes, then built again."""
    root = _project(tmp_path / "project")
    folder = cache.cache_dir(root)
    code = (
        "import time, sys\n"
        "from wivgraph import cache, atomic\n"
        "real = atomic.atomic_file.__wrapped__\n"
        "import contextlib\n"
        "@contextlib.contextmanager\n"
        "def slow(path, mode='w'):\n"
        "    with contextlib.contextmanager(real)(path, mode) as out:\n"
        "        out.write(b'<urn:a> <urn:b> <urn:c> .\\n' if 'b' in mode else 'x')\n"
        "        out.flush()\n"
        "        print('writing', flush=True)\n"
        "        time.sleep(60)\n"
        "        yield out\n"
        "atomic.atomic_file = slow\n"
        "from pathlib import Path\n"
        "cache.build(Path(sys.argv[1]), force=True)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "writing"
        orphans = [p for p in folder.iterdir() if p.name.startswith(".")]
        assert len(orphans) == 1 and atomic.TEMP_NAME.match(orphans[0].name)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert [p for p in folder.iterdir() if p.name.startswith(".")] == orphans  # left behind
    built = cache.build(root)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    assert cache.verify(built) is None


def test_legacy_temporary_names_removed_when_old(tmp_path):
    legacy = tmp_path / ".dataset-abc.nq.k2j3h4"
    legacy.write_text("half")
    fresh = tmp_path / ".dataset-abc.nq.zz9y8x"
    fresh.write_text("being written")
    old = time.time() - 2 * atomic.LEGACY_AGE
    os.utime(legacy, (old, old))
    mine = tmp_path / f".dataset-abc.nq.{os.getpid()}.0123abcd.tmp"
    mine.write_text("mine, still running")
    removed = atomic.clean_orphans(tmp_path, "dataset-")
    assert removed == [legacy]
    assert fresh.exists() and mine.exists()


@pytest.mark.parametrize("existing", [0o644, 0o640, 0o600, None])
def test_atomic_write_keeps_the_mode(tmp_path, existing):
    target = tmp_path / "out.ttl"
    if existing is not None:
        target.write_text("old")
        target.chmod(existing)
        expected = existing
    else:
        expected = 0o666 & ~atomic.umask()
    atomic.write_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == expected
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_new_file_under_umask_022_is_0644(tmp_path):
    previous = os.umask(0o022)
    try:
        atomic.write_atomic(tmp_path / "new.ttl", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o644


def test_atomic_write_fsyncs_file_and_folder(tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def spy(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic.write_atomic(tmp_path / "x.txt", "data")
    assert synced == [False, True], "the file, then its folder"


def test_unwritable_folder_is_one_line(tmp_path, monkeypatch):
    """A read-only folder (EROFS; root ignores permission bits, so the refusal is simulated)."""
    import errno

    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(WivgraphError) as err:
        atomic.write_atomic(tmp_path / "x.txt", "x")
    assert str(err.value) == f"{tmp_path / 'x.txt'}: cannot write (Read-only file system)"
    assert list(tmp_path.iterdir()) == []
