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
