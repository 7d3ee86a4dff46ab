"""Start-up of the command line as a whole process (issue 19): what `ask onward` leaves out and
reads, and how the modules imported with wivgraph.cli are kept from the garbage collector."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wivgraph.errors import WivgraphError
from wivgraph.onward import RETAINED_QUESTION, ask_onward

SRC = Path(__file__).resolve().parents[1] / "src"


def _python(script: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_ask_onward_imports_no_yaml():
    """PyYAML (~0.015 s to import) is imported where a YAML text is read, not by `ask onward`."""
    script = """
import sys
from wivgraph.cli import cli
try:
    cli.main(["ask", "onward", "ciic-data"], standalone_mode=False)
except SystemExit:
    pass
print("yaml" in sys.modules)
"""
    assert _python(script) == "False"


def test_cli_import_freezes_its_modules_and_collects_as_before():
    """The objects of the modules imported with wivgraph.cli are frozen (left out of every
    collection, the one at exit too); the collector is on again after, unless it was off."""
    assert _python("import gc, wivgraph.cli; print(gc.isenabled(), gc.get_freeze_count() > 10_000)") \
        == "True True"
    assert _python("import gc; gc.disable(); import wivgraph.cli; print(gc.isenabled())") == "False"


def test_ask_onward_reads_its_own_question_only(dataset, root, tmp_path):
    """The question of what the originator keeps is read alone: a broken other question in
    queries/ does not matter; without it, or without queries/, the errors are as before."""
    queries = tmp_path / "queries"
    queries.mkdir()
    shutil.copy(root / "queries" / f"{RETAINED_QUESTION}.rq", queries)
    (queries / "broken.rq").write_text("# param: not a parameter line\nSELECT * {}\n", encoding="utf-8")
    answer = ask_onward(dataset, "ciic-data", root=tmp_path)
    assert answer.retained == ask_onward(dataset, "ciic-data", root=root).retained
    (queries / f"{RETAINED_QUESTION}.rq").unlink()
    with pytest.raises(WivgraphError, match=f"queries/{RETAINED_QUESTION}.rq: catalogue question missing"):
        ask_onward(dataset, "ciic-data", root=tmp_path)
    shutil.rmtree(queries)
    with pytest.raises(WivgraphError, match="query folder not found"):
        ask_onward(dataset, "ciic-data", root=tmp_path)


def test_commands_freeze_what_they_keep_only_in_a_process_of_their_own(tmp_path):
    """check and ask onward freeze their modules and the checker's state only when run by main()
    (a process of one command); called in-process (tests, a server) they leave the collector
    as it was."""
    import gc

    from click.testing import CliRunner

    from wivgraph.cli import _kept_till_exit, cli

    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(cli, ["ask", "onward", "ciic-data"])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() <= frozen and gc.isenabled()  # (frozen objects may go)
    with _kept_till_exit(False):
        kept = [[] for _ in range(100)]
        assert gc.isenabled()
    assert gc.get_freeze_count() <= frozen
    script = """
import gc, sys
from wivgraph import cli
frozen = gc.get_freeze_count()
sys.argv = ["wivgraph", "ask", "onward", "ciic-data"]
try:
    cli.main()
except SystemExit:
    pass
print(gc.isenabled(), gc.get_freeze_count() > frozen + 10_000)
"""
    assert _python(script) == "True True"
    assert kept
