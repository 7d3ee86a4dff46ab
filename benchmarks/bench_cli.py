"""The command line as whole processes: medians of N runs of each read command (issue 19).

Each command is started as its own process (``python -m wivgraph.cli --root ROOT ...``, output
thrown away), the way a user starts it, so imports, opening the build cache and parsing the
question all count. ``python -c 'import rdflib'`` runs beside them as the floor every command
stands on. The build cache is made first (not timed per command; its own time is reported).

With ``--before SRC`` the same commands also run with the package sources of SRC first on the
path (e.g. ``git archive <commit> src | tar -x -C /tmp/before``), on the same data, for a
before/after table.

Run: .venv/bin/python benchmarks/bench_cli.py [--repeat 5] [--before /tmp/before/src
     --before-name "commit 3dc3b73"] [--output benchmarks/results.md]   (``make bench-cli``)
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TITLE = "## Command line: whole processes (issue 19)"

#: (label, arguments after ``wivgraph --root ROOT``); "rdflib" is ``python -c 'import rdflib'``
COMMANDS: list[tuple[str, list[str] | None]] = [
    ("python -c 'import rdflib'", None),
    ("stats", ["stats"]),
    ("query run onward-who-may-pass", ["query", "run", "onward-who-may-pass"]),
    ("query run instruments-parties (IRI parameter)",
     ["query", "run", "instruments-parties", "--param",
      "instrument=<https://w3id.org/wivgraph/id/doc/convenant-ciic-2020>"]),
    ("query run norms-obligations-of (label parameter)",
     ["query", "run", "norms-obligations-of", "--param", "party=AIVD"]),
    ("ask onward ciic-data", ["ask", "onward", "ciic-data"]),
    ("check docs/examples/scenarios/ciic.yaml", ["check", "docs/examples/scenarios/ciic.yaml"]),
    ("network centrality", ["network", "centrality"]),
    ("export --format nq", ["export", "--format", "nq"]),
    ("validate", ["validate"]),
]


def run_once(args: list[str] | None, src: Path, root: Path) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(src), WIVGRAPH_HOME=str(root))
    if args is None:
        command = [sys.executable, "-c", "import rdflib"]
    else:
        command = [sys.executable, "-m", "wivgraph.cli", "--root", str(root), *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: validate found violations
        raise RuntimeError(f"exit code {done.returncode}: {done.stderr.strip()[:200]}")
    return elapsed, done.returncode


def medians(args, sources: list[Path], root: Path, repeat: int) -> list[float | None]:
    """The median of ``repeat`` runs with each of ``sources``, runs taken in turn (a, b, a, b,
    ...) so that a change of the machine's load falls on both alike, after one run each that is
    not counted (it may make the cache's memo files for that code); None for a source whose
    command failed (said on stderr)."""
    times: list[list[float] | None] = [[] for _ in sources]
    for round_number in range(repeat + 1):
        for i, src in enumerate(sources):
            if times[i] is None:
                continue
            try:
                elapsed = run_once(args, src, root)[0]
            except RuntimeError as exc:
                print(f"{args} with {src}: {exc}", file=sys.stderr)
                times[i] = None
                continue
            if round_number:
                times[i].append(elapsed)
    return [statistics.median(t) if t else None for t in times]


def build_cache(src: Path, root: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(src), WIVGRAPH_HOME=str(root))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wivgraph.cli", "--root", str(root), "build"],
                   cwd=root, env=env, check=True, capture_output=True, timeout=1200)
    return time.perf_counter() - started


def _seconds(value: float | None, ran: bool = True) -> str:
    if value is None:
        return "failed" if ran else "—"
    return f"{value:.2f} s"


def measure(repeat: int, before: Path | None, root: Path, before_name: str = "") -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    built = build_cache(SRC, root)
    rows = []
    for label, args in COMMANDS:
        if before is not None:
            after, earlier = medians(args, [SRC, before], root, repeat)
        else:
            (after,), earlier = medians(args, [SRC], root, repeat), None
        rows.append((label, earlier, after))
        print(f"{label}: before {_seconds(earlier)}, after {_seconds(after)}", file=sys.stderr)
    lines = [
        TITLE,
        "",
        f"`benchmarks/bench_cli.py --repeat {repeat}` (`make bench-cli`), started {stamp} at commit "
        f"{commit}; machine {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.1f} at start. Medians of {repeat} "
        "whole processes per command (start, imports, opening the data, the work, output to "
        "/dev/null) after one uncounted run, before and after taken in turn, on the corpus, the "
        "build cache made before (`wivgraph build`: "
        f"{built:.2f} s{' when it was already current' if built < 2 else ''})."
        + (f" \"before\": the same commands with the sources of {before_name or 'the commit given'}."
           if before is not None else ""),
        "",
        "| command | before | after (build cache) |",
        "|---|---:|---:|",
    ]
    for label, earlier, after in rows:
        lines.append(f"| {label} | {_seconds(earlier, before is not None)} | {_seconds(after)} |")
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace this script's section of ``path`` (from its title to the next ``## ``), or
    append it; the part between run.py's bench marks is never touched."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(TITLE) + r"\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--before", type=Path, default=None,
                        help="package sources (a src/ folder) to time beside the current ones")
    parser.add_argument("--before-name", default="",
                        help="what --before is, for the text (e.g. 'commit 3dc3b73')")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (data)")
    parser.add_argument("--output", type=Path, default=None,
                        help="write the section into this Markdown file (else print it)")
    args = parser.parse_args(argv)
    section = measure(args.repeat, args.before, args.root.resolve(), args.before_name)
    if args.output is None:
        print(section)
    else:
        write_section(args.output, section)
        print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
