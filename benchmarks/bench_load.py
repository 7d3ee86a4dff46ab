#!/usr/bin/env python3
"""Fast-store load and catalogue questions on a generated corpus, for two source trees.

    .venv/bin/python benchmarks/bench_load.py [--size 1m] [--before SRC] [--repeat 3]

Each tree runs in its own child process (``PYTHONPATH=<tree>``; the default "after" tree is this
checkout's ``src``, ``--before`` another one, e.g. ``git archive <commit> src`` unpacked), so
"peak RSS" is that process's own: loading ``fast.load_store(corpus)`` (median of --repeat loads,
each into a fresh store, the previous one dropped first), then every catalogue question through
``run_question(FastStore(store), question)`` (one warm-up run, then the median of --repeat; a
question whose warm-up run took longer than --slow seconds is not repeated),
asserted triples only. The rows of each question are compared between the trees. Markdown on
stdout. The corpus comes from ``benchmarks/generate.py`` (made when missing, as run.py does).
Each tree asks its own catalogue: the ``queries/`` folder beside its ``src`` (the corpus's copy
of queries/ when there is none), so a rewritten question is compared with its old text.
``--skip-before`` leaves questions out of the "before" tree only (one that runs for minutes
there); they are shown as not asked in its column.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(
    root: Path, repeat: int, slow: float, skip: frozenset = frozenset(), queries: Path | None = None
) -> dict:
    import gc

    from wivgraph import fast
    from wivgraph.query import catalogue, run_question

    queries = queries or root / "queries"
    out: dict = {"module": fast.__file__, "queries": str(queries), "load": [], "questions": {},
                 "rows": {}}
    store = None
    for _ in range(repeat):
        store = None
        gc.collect()
        start = time.perf_counter()
        store = fast.load_store(root)
        out["load"].append(time.perf_counter() - start)
        print(f"load: {out['load'][-1]:.2f} s", file=sys.stderr, flush=True)
    out["quads"] = len(store)
    asked = fast.FastStore(store)
    for name, question in catalogue(queries).items():
        if name in skip:
            continue
        start = time.perf_counter()
        result = run_question(asked, question, time_limit=None)  # warm
        times = [time.perf_counter() - start]
        if times[0] < slow:  # a question slower than --slow runs once (its first run counts)
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                result = run_question(asked, question, time_limit=None)
                times.append(time.perf_counter() - start)
        out["questions"][name] = statistics.median(times)
        out["rows"][name] = len(result.rows) if result.boolean is None else result.boolean
        print(f"{name}: {out['questions'][name]:.3f} s", file=sys.stderr, flush=True)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_tree(src: Path, root: Path, repeat: int, slow: float, skip: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    queries = src.resolve().parent / "queries"  # the tree's own catalogue
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(root), "--repeat", str(repeat), "--slow", str(slow),
         "--skip", skip, *(["--queries", str(queries)] if queries.is_dir() else [])],
        env=env, stdout=subprocess.PIPE, text=True, check=False,  # progress: on stderr
    )
    if completed.returncode != 0:
        raise SystemExit(f"{src}: the child failed")
    return json.loads(completed.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1m")
    parser.add_argument("--before", type=Path, help="the src folder of the tree to compare with")
    parser.add_argument("--after", type=Path, default=ROOT / "src")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow", type=float, default=2.0,
                        help="a question whose first run takes longer runs only once")
    parser.add_argument("--skip", default="", help="questions not asked (comma-separated names)")
    parser.add_argument("--skip-before", default="",
                        help="questions not asked of the --before tree only (comma-separated)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        skip = frozenset(n for n in args.skip.split(",") if n)
        print(json.dumps(child(args.child, args.repeat, args.slow, skip, args.queries)))
        return 0
    sys.path.insert(0, str(Path(__file__).parent))
    import run  # noqa: PLC0415  (benchmarks/run.py: the generated corpora)

    root = run.project_for(args.size, None)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()
    trees = ([("before", args.before)] if args.before else []) + [("after", args.after)]
    skips = {"before": ",".join(n for n in (args.skip, args.skip_before) if n), "after": args.skip}
    results = {
        label: run_tree(src, root, args.repeat, args.slow, skips[label]) for label, src in trees
    }
    print(f"Run {started}; {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          f"at start; corpus {root} (medians of {args.repeat}).\n")
    if args.skip:
        print(f"Not asked: {args.skip.replace(',', ', ')}.\n")
    if args.skip_before and args.before:
        print(f"Not asked of the before tree: {args.skip_before.replace(',', ', ')}.\n")
    for label, _ in trees:
        print(f"{label}: questions from {results[label]['queries']}.\n")
    labels = [label for label, _ in trees]
    print("| | " + " | ".join(labels) + " |")
    print("|---|" + "---:|" * len(labels))
    print("| quads in the store | " + " | ".join(f"{results[x]['quads']:,}" for x in labels) + " |")
    print("| load (median) | " + " | ".join(
        f"{statistics.median(results[x]['load']):.2f} s" for x in labels) + " |")
    print("| load (runs) | " + " | ".join(
        ", ".join(f"{s:.2f}" for s in results[x]["load"]) for x in labels) + " |")
    print("| peak RSS (load + all questions) | " + " | ".join(
        f"{results[x]['rss_mb']:.0f} MB" for x in labels) + " |")
    names = list(results[labels[-1]]["questions"])

    def cell(x: str, name: str) -> str:
        seconds = results[x]["questions"].get(name)
        return "not asked" if seconds is None else f"{seconds * 1000:.1f} ms"

    for name in names:
        print(f"| {name} | " + " | ".join(cell(x, name) for x in labels) + " |")
    over = {x: [n for n in names if results[x]["questions"].get(n, 0) > 0.4] for x in labels}
    for x in labels:
        asked_x = sum(1 for n in names if n in results[x]["questions"])
        print(f"\n{x}: {len(over[x])} of {asked_x} questions over 0.4 s: {', '.join(over[x]) or 'none'}")
    if len(labels) == 2:
        asked = [n for n in names if n in results["before"]["rows"]]
        same = [n for n in asked if results["before"]["rows"][n] == results["after"]["rows"][n]]
        print(f"\nRows equal on both trees: {len(same)} of {len(asked)} questions asked of both.")
        for n in asked:
            if n not in same:
                print(f"- {n}: before {results['before']['rows'].get(n)}, after {results['after']['rows'][n]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
