#!/usr/bin/env python3
"""The explorer's Doorgeven and Scenario answers: rdflib's engine (before) vs oxigraph (now).

    .venv/bin/python benchmarks/bench_answers.py [--categories 21] [--scenarios 250]

Each way runs in its own child process over the explorer's corpus (``app.state.load_corpus``):

- ``rdflib`` (before issue 19's last step): the pages handed the corpus's rdflib union to
  ``ask_onward`` and ``check_scenarios``, so rdflib's SPARQL engine answered;
- ``oxigraph`` (now): they hand it ``Corpus.answer_store()``, a ``fast.ReadableStore`` over the
  corpus's own oxigraph store.

Per way: the first Doorgeven answer (``ciic-data``, the page's default; the checker is built
then), the remaining data categories one by one, and the written scenarios of tests/scenarios/
one by one (the Scenario page checks one per form). Wall seconds; Markdown on stdout.
tests/test_engines_agree.py checks that both ways give the same text.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAYS = ("oxigraph", "rdflib")


def _written_scenarios(limit: int) -> list:
    import yaml

    from wivgraph.check.scenarios import scenarios_from_data

    folder = ROOT / "tests" / "scenarios"
    raws = []
    for path in sorted(folder.glob("*.yaml")) + sorted((folder / "law").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            raws += scenarios_from_data(item["scenario"], f"{path.name}:{item['scenario']['id']}")
    return raws[:limit]


def child(way: str, categories: int, scenarios: int) -> dict:
    from wivgraph.app.state import load_corpus
    from wivgraph.check import check_scenarios
    from wivgraph.onward import ask_onward, data_categories

    corpus = load_corpus()
    source = corpus.answer_store() if way == "oxigraph" else corpus.graph()
    start = time.perf_counter()
    ask_onward(source, "ciic-data")
    first = time.perf_counter() - start
    onward_times = []
    for category in [c for c in data_categories(corpus.graph()) if not c.endswith("/ciic-data")][:categories]:
        start = time.perf_counter()
        ask_onward(source, str(category))
        onward_times.append(time.perf_counter() - start)
    scenario_times = []
    for raw in _written_scenarios(scenarios):
        start = time.perf_counter()
        check_scenarios(source, [raw])
        scenario_times.append(time.perf_counter() - start)
    return {
        "first": first,
        "onward": onward_times,
        "scenarios": scenario_times,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _median(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms" if times else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", type=int, default=21, help="other categories asked")
    parser.add_argument("--scenarios", type=int, default=250, help="written scenarios checked")
    parser.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.categories, args.scenarios)))
        return
    results = {}
    for way in WAYS:
        completed = subprocess.run(
            [sys.executable, __file__, "--categories", str(args.categories),
             "--scenarios", str(args.scenarios), "--child", way],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )
        if completed.returncode != 0:
            sys.exit(f"{way}: {completed.stderr.strip()[-2000:]}")
        results[way] = json.loads(completed.stdout)
    print(f"`benchmarks/bench_answers.py --categories {args.categories} --scenarios "
          f"{args.scenarios}`; {platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print("| way | first Doorgeven answer | other categories (median, max, total) | "
          "scenarios (median, max, total) | peak RSS |")
    print("|---|---:|---|---|---:|")
    for way, found in results.items():
        parts = []
        for times in (found["onward"], found["scenarios"]):
            parts.append(f"{_median(times)}, {max(times, default=0) * 1000:.0f} ms, "
                         f"{sum(times):.1f} s ({len(times)})")
        print(f"| {way} | {found['first']:.2f} s | {parts[0]} | {parts[1]} | "
              f"{found['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
