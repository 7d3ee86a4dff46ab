#!/usr/bin/env python3
"""What a SPARQL server is given: the N-Quads file ``serve`` and ``deploy virtuoso`` load.

    .venv/bin/python benchmarks/bench_served.py [--root benchmarks/generated/100k] [--repeat 3]

Two ways to the same file, each run in its own child process (so "peak RSS" is that way's own):

- ``oxigraph`` (the product since issue 19): ``fast.served_store(root)`` -- the files loaded by
  oxigraph, classified content withheld, the union copied into the default graph -- written by
  ``fast.write_nquads``;
- ``rdflib`` (the path before): ``load.load_dataset(root)``, ``classification.public_view``, the
  named graphs and the union serialised by rdflib and written as one string.

Medians of --repeat runs (wall seconds), the file's size and its line count; Markdown on stdout.
tests/test_one_load_path.py checks that both give the same dataset.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_oxigraph(root: Path, target: Path) -> None:
    from wivgraph import fast

    fast.write_nquads(fast.served_store(root), target)


def write_rdflib(root: Path, target: Path) -> None:
    from wivgraph.classification import public_view
    from wivgraph.export import serialize
    from wivgraph.load import load_dataset, union_graph

    public = public_view(load_dataset(root))
    text = serialize(public, "nq").rstrip("\n") + "\n" + union_graph(public).serialize(format="nt")
    target.write_text(text, encoding="utf-8")


WAYS = {"oxigraph": write_oxigraph, "rdflib": write_rdflib}


def child(way: str, root: Path, repeat: int) -> dict:
    times = []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "served.nq"
        for _ in range(repeat):
            start = time.perf_counter()
            WAYS[way](root, target)
            times.append(time.perf_counter() - start)
        text = target.read_bytes()
    return {
        "times": times,
        "bytes": len(text),
        "lines": text.count(b"\n"),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (ontology/, data/)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ways", default="oxigraph,rdflib", help="comma-separated: oxigraph, rdflib")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.child:
        print(json.dumps(child(args.child, root, args.repeat)))
        return
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    unknown = [w for w in ways if w not in WAYS]
    if unknown:
        parser.error(f"--ways: unknown {', '.join(unknown)} (expected {', '.join(WAYS)})")
    results = {}
    for way in ways:
        completed = subprocess.run(
            [sys.executable, __file__, "--root", str(root), "--repeat", str(args.repeat),
             "--child", way],
            capture_output=True, text=True, check=False,
        )
        if completed.returncode != 0:
            sys.exit(f"{way}: {completed.stderr.strip()[-2000:]}")
        results[way] = json.loads(completed.stdout)
    print(f"`benchmarks/bench_served.py --root {args.root} --repeat {args.repeat}`; "
          f"{platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print("| way | median | runs | peak RSS | file | lines |")
    print("|---|---:|---|---:|---:|---:|")
    for way, found in results.items():
        runs = ", ".join(f"{t:.2f}" for t in found["times"])
        print(f"| {way} | {statistics.median(found['times']):.2f} s | {runs} | "
              f"{found['peak_mb']:.0f} MB | {found['bytes'] / 1e6:.1f} MB | {found['lines']:,} |")


if __name__ == "__main__":
    main()
