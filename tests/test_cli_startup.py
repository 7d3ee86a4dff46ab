"""Start-up of the command line as a whole process (issue 19): what `ask onward` leaves out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
