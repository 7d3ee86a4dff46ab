"""Smoke test: every script under benchmarks/ at least starts (imports resolve, arguments parse).

Issue #19: bench_endpoint.py had stopped at an ImportError and nothing noticed. Each script runs
as its own process, the way `make bench` runs it; the cheap ones with a tiny workload, the heavy
ones with --help (which imports everything the script uses at its top).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from wivgraph import paths

BENCHMARKS = paths.project_root() / "benchmarks"
#: how each script is started: a tiny real run where it is cheap, else --help
ARGUMENTS = {
    "bench_answers.py": ["--categories", "1", "--scenarios", "2"],  # both ways (~10 s)
    "bench_check.py": ["20"],
    "bench_served.py": ["--repeat", "1"],  # both ways on the corpus (~2 s)
    # the corpus, split into parts of 3,000 triples run two at a time, and pyrudof shape by shape
    "bench_validate.py": ["--root", ".", "--split-above", "1000", "--triples-per-part", "3000",
                          "--workers", "2", "--per-shape", "--top", "1"],
}


@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("*.py")))
def test_script_starts(script):
    args = ARGUMENTS.get(script, ["--help"])
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=paths.project_root(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip()
