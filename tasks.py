#!/usr/bin/env python3
"""The two set-up commands, needing nothing but Python 3.11+.

    python3 tasks.py run    # local virtualenv, install, start the explorer on http://localhost:8501
    python3 tasks.py test   # local virtualenv, install, ruff + pytest + wivgraph validate

The virtualenv (.venv) is created on first use and refreshed when pyproject.toml or
constraints.txt change; installs are pinned by constraints.txt.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".wivgraph-install-stamp"


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_venv() -> None:
    """Create or refresh .venv so that it matches pyproject.toml and constraints.txt."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    wanted = digest.hexdigest()
    if not (BIN / "python").exists():
        print("creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(
        BIN / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "-c",
        ROOT / "constraints.txt",
        "-e",
        f"{ROOT}[test]",
    )
    STAMP.write_text(wanted)


def run() -> None:
    ensure_venv()
    port = os.environ.get("WIVGRAPH_PORT", "8501")
    _run(
        BIN / "streamlit",
        "run",
        ROOT / "app.py",
        "--server.port",
        port,
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    )


def test() -> None:
    ensure_venv()
    _run(BIN / "ruff", "check", "src", "tests", "app.py", "tasks.py", "benchmarks")
    _run(BIN / "python", "-m", "pytest", "-q", *sys.argv[2:])
    _run(BIN / "wivgraph", "validate")


if __name__ == "__main__":
    commands = {"run": run, "test": test, "setup": ensure_venv}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(f"usage: python3 tasks.py {{{'|'.join(commands)}}}", file=sys.stderr)
        sys.exit(2)
    commands[sys.argv[1]]()
