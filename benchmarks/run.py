#!/usr/bin/env python3
"""Benchmark the stages on the corpus: load, owlrl inference, pySHACL validation, each question.

    make bench            # or: .venv/bin/python benchmarks/run.py [--repeat 5] [--output FILE]

Reports medians (and min/max) of repeated runs plus peak RSS, as Markdown on stdout; with
--output the Markdown is also written to that file. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from wivgraph import paths
from wivgraph.infer import closure
from wivgraph.load import load_dataset, load_shapes, union_graph
from wivgraph.query import catalogue, run_question
from wivgraph.validate import validate_dataset


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float, object]:
    """Median, min and max wall time in ms over ``repeat`` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times), result


def machine() -> str:
    import os

    cpus = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = handle.readline().split(":")[1].strip()
    except OSError:
        pass
    return f"{platform.machine()}, {cpus} cores, {mem} RAM, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    rows: list[tuple[str, float, float, float, str]] = []
    med, lo, hi, dataset = timed(load_dataset, args.repeat)
    rows.append(("load (rdflib Dataset)", med, lo, hi, f"{len(union_graph(dataset))} triples"))

    asserted = union_graph(dataset)
    med, lo, hi, inferred = timed(lambda: closure(asserted), max(1, args.repeat // 2))
    rows.append(("infer (owlrl OWL 2 RL)", med, lo, hi, f"{len(inferred)} inferred"))

    shapes = load_shapes()
    med, lo, hi, report = timed(
        lambda: validate_dataset(dataset, shapes), max(1, args.repeat // 2)
    )
    rows.append(("validate (pySHACL)", med, lo, hi, f"conforms={report.conforms}"))

    for name, question in catalogue(paths.queries_dir()).items():
        med, lo, hi, result = timed(lambda q=question: run_question(dataset, q), args.repeat)
        size = result.boolean if result.boolean is not None else f"{len(result.rows)} rows"
        rows.append((f"query {name}", med, lo, hi, str(size)))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"Machine: {machine()}. Repeats: {args.repeat} (inference and validation: "
        f"{max(1, args.repeat // 2)}). Peak RSS of the run: {peak_mb:.0f} MB.",
        "",
        "| step | median ms | min ms | max ms | result |",
        "|---|---:|---:|---:|---|",
    ]
    lines += [f"| {n} | {m:.1f} | {a:.1f} | {b:.1f} | {r} |" for n, m, a, b, r in rows]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
