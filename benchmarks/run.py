#!/usr/bin/env python3
"""Benchmark every stage on the naive stack and on the fast path, side by side.

    make bench        # everything: corpus, ~100k and ~1M triples, explorer -> benchmarks/results.md
    .venv/bin/python benchmarks/run.py --sizes corpus --explorer     # the corpus only, printed

Each (size, stack) runs in its own process, so the peak RSS reported is that stack's alone.
Naive stack: rdflib Dataset, rdflib SPARQL, owlrl, pySHACL. Fast path (wivgraph.fast,
wivgraph.cache): pyoxigraph store and SPARQL, owlrl once in the build step and the cached result
loaded after that, pyrudof + set-at-a-time SHACL-SPARQL. Medians of up to --repeat runs; a step
is repeated only while its runs together stay within --repeat-within seconds, and a naive step
that runs past its budget (--budget, --question-budget) is stopped and reported as "> N s
(stopped)", its ratio as a lower bound. Generated corpora come from benchmarks/generate.py.
No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"corpus": 0, "100k": 100_000, "1m": 1_000_000}
MARK_START = "<!-- bench:start (benchmarks/run.py writes between these marks) -->"
MARK_END = "<!-- bench:end -->"


def shacl_key(report) -> int:
    """Distinct results, blank nodes (engine-local names) collapsed: pySHACL repeats some."""
    return len({
        (i.focus if "://" in i.focus else "_:", i.value if "://" in i.value or not i.value.isalnum() else "_:",
         i.source_shape, i.constraint, i.severity, i.path)
        for i in report.issues
    })


class OverBudget(BaseException):
    """A step ran past its budget (a BaseException: pySHACL and rdflib catch Exception)."""


@contextmanager
def budget(seconds: float | None):
    """Interrupt the Python code inside after ``seconds`` with :class:`OverBudget`."""
    if not seconds:
        yield
        return

    def stop(signum, frame):
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(fn, repeat: int, *, limit: float | None = None, within: float | None = None):
    """(median seconds, runs, last result) over up to ``repeat`` runs of ``fn``.

    A first run longer than ``limit`` is stopped: ``(limit, 0, None)``. A further run starts only
    if the runs so far plus one more stay within ``within`` seconds.
    """
    times: list[float] = []
    result = None
    for _ in range(max(1, repeat)):
        if times and within is not None and sum(times) + times[-1] > within:
            break
        start = time.perf_counter()
        try:
            with budget(limit):
                result = fn()
        except OverBudget:
            if not times:
                return limit, 0, None
            break
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), result


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SNAPSHOT_FOLDERS = ("ontology", "data", "shapes", "queries")


def snapshot_corpus() -> Path:
    """A copy of the corpus's folders, so both stacks measure the same files.

    The naive and fast runs take minutes; files edited in between would make the row counts
    differ for reasons that have nothing to do with the engines.
    """
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="wivgraph-bench-corpus-"))
    for name in SNAPSHOT_FOLDERS:
        shutil.copytree(ROOT / name, folder / name)
    return folder


def project_for(size: str, corpus_root: str | None = None) -> Path:
    if size == "corpus":
        return Path(corpus_root) if corpus_root else ROOT
    folder = ROOT / "benchmarks" / "generated" / size
    if not (folder / "data").is_dir():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--triples",
             str(SIZES[size]), "--out", str(folder)],
            check=True,
        )
    return folder


def scenarios(n: int) -> list:
    """``n`` scenarios cycled from docs/examples/scenarios and tests/scenarios.

    The test files hold items ``{scenario, expect, lid}``: only the ``scenario`` part is a
    scenario, so those are unwrapped before the checker validates them.
    """
    import yaml

    from wivgraph.check.scenarios import load_scenarios, scenarios_from_data

    base = [
        s for p in sorted((ROOT / "docs" / "examples" / "scenarios").glob("*")) for s in load_scenarios(p)
    ]
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        base += scenarios_from_data([item["scenario"] for item in items], str(path))
    return [base[i % len(base)] for i in range(n)] if base else []


ONWARD_CATEGORY = "ciic-data"


def time_onward(graph, root: Path, repeat: int, out: dict) -> None:
    """``wivgraph ask onward ciic-data`` (catalogue question + explanation) on ``graph``."""
    from wivgraph.onward import explain_onward

    try:
        explain_onward(graph, ONWARD_CATEGORY, root=root)  # warm: catalogue, gate cache
        out["ask onward " + ONWARD_CATEGORY] = timed(
            lambda: explain_onward(graph, ONWARD_CATEGORY, root=root), repeat
        )[:2]
    except Exception as exc:  # e.g. a generated corpus where the id is ambiguous
        out["onward error"] = str(exc).splitlines()[0]


# --- one stack on one size (child process) -------------------------------------------------


def run_naive(root: Path, args) -> dict:
    from rdflib import Literal
    from reference import pyshacl_dataset  # benchmarks/reference.py: pySHACL, not the product

    from wivgraph.infer import closure
    from wivgraph.load import load_dataset, load_shapes, union_graph
    from wivgraph.query import catalogue, run_question

    out: dict = {"notes": []}
    within = args.repeat_within
    seconds, n, dataset = timed(lambda: load_dataset(root), args.repeat, within=within)
    out["load"] = (seconds, n)
    union = union_graph(dataset)
    out["triples"] = len(union)
    seconds, n, inferred = timed(lambda: closure(union), args.repeat, limit=args.budget, within=within)
    out["infer"] = (seconds, n)
    if inferred is not None:
        generalised = sum(1 for t in inferred if isinstance(t[0], Literal))
        out["inferred"] = f"{len(inferred)} ({len(inferred) - generalised} without literal subjects)"
    else:
        out["notes"].append(f"owlrl stopped after {args.budget:g} s")
    del inferred
    shapes = load_shapes(root)
    seconds, n, report = timed(
        lambda: pyshacl_dataset(dataset, shapes), args.repeat, limit=args.budget, within=within
    )
    out["validate"] = (seconds, n)
    if report is not None:
        out["issues"] = f"{len(report.issues)} ({shacl_key(report)} distinct)"
    else:
        out["notes"].append(f"pySHACL stopped after {args.budget:g} s")
    del report
    stopped = []
    for name, question in catalogue(root / "queries").items():
        seconds, n, result = timed(
            # time_limit=None: inline in this thread, so the budget's alarm can stop it
            lambda q=question: run_question(dataset, q, time_limit=None), args.repeat,
            limit=args.question_budget, within=within,
        )
        out[f"query {name}"] = (seconds, n)
        if result is None:
            stopped.append(name)
        else:
            out[f"rows {name}"] = len(result.rows) if result.boolean is None else result.boolean
    if stopped:
        out["notes"].append(
            f"{len(stopped)} questions stopped after {args.question_budget:g} s each: " + ", ".join(stopped)
        )
    time_onward(dataset, root, args.repeat, out)
    try:
        batch = scenarios(10_000)
    except Exception as exc:  # a scenario file that no longer reads: say so in the results
        out["checker error"] = str(exc).splitlines()[-1]
        batch = []
    if batch:
        from wivgraph.check import check_scenarios

        check_scenarios(union, batch[:10])  # index built once per graph, as in the app
        seconds, n, _ = timed(lambda: check_scenarios(union, batch), 1)
        out["checker 10k"] = (seconds, n)
    out["rss"] = rss_mb()
    return out


def run_fast(root: Path, args) -> dict:
    from wivgraph import cache, fast
    from wivgraph.load import load_shapes
    from wivgraph.namespaces import INFERRED_GRAPH
    from wivgraph.query import catalogue, run_question

    out: dict = {"notes": []}
    within = args.repeat_within
    seconds, n, store = timed(lambda: fast.load_store(root), args.repeat, within=within)
    out["load"] = (seconds, n)
    out["triples"] = sum(1 for _ in fast.union_quads(store))
    if args.skip_build:
        out["notes"].append(
            "build (owlrl once) and inference from the cache not run: the build is owlrl itself,"
            " which the naive run stopped at its budget on the same triples"
        )
    else:
        del store
        seconds, _, _ = timed(lambda: cache.build(root, force=True), 1)
        out["build (owlrl once)"] = (seconds, 1)
        seconds, n, store = timed(lambda: cache.load_store(root), args.repeat, within=within)
        out["infer"] = (seconds, n)  # inferred triples ready: the cache, loaded
        out["inferred"] = sum(
            1 for _ in store.quads_for_pattern(None, None, None, fast.to_ox(INFERRED_GRAPH))
        )
    shapes = load_shapes(root)
    seconds, n, report = timed(lambda: fast.validate_fast(store, shapes), args.repeat, within=within)
    out["validate"] = (seconds, n)
    out["issues"] = f"{len(report.issues)} ({shacl_key(report)} distinct)"
    del report
    asked = fast.FastStore(store)
    for name, question in catalogue(root / "queries").items():
        run_question(asked, question, time_limit=None)  # warm
        seconds, n, result = timed(
            lambda q=question: run_question(asked, q, time_limit=None), args.repeat
        )
        out[f"query {name}"] = (seconds, n)
        out[f"rows {name}"] = len(result.rows) if result.boolean is None else result.boolean
    time_onward(fast.rdflib_view(store), root, args.repeat, out)  # rdflib's API over the oxigraph store
    out["rss"] = rss_mb()
    return out


def run_explorer(repeat: int) -> dict:
    """Explorer cold start (AppTest, fresh process), a rerun, and a switch to each page."""
    from streamlit.testing.v1 import AppTest

    from wivgraph import cache
    from wivgraph.app.main import PAGES
    from wivgraph.app.measure import time_page

    cache.build(ROOT)  # "from the cache": built before, not timed (a no-op when fresh)
    out = {}
    start = time.perf_counter()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    out["explorer cold start"] = (time.perf_counter() - start, 1)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - start)
    out["explorer rerun (same page, warm caches)"] = (statistics.median(times), 3)
    for key, *_ in PAGES:
        time_page(key)  # the page's own one-off work (validation, network) happens once
        runs = [time_page(key) for _ in range(max(1, repeat))]
        out[f"explorer page switch to {key}"] = (statistics.median(runs), len(runs))
    out["rss"] = rss_mb()
    return out


# --- parent: all sizes, the table ----------------------------------------------------------


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = handle.readline().split(":")[1].strip()
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem} RAM, Python "
        f"{platform.python_version()}, load average {load:.1f} at start"
    )


def child(args) -> int:
    root = project_for(args.one, args.corpus_root)
    if args.stack == "naive":
        result = run_naive(root, args)
    elif args.stack == "fast":
        result = run_fast(root, args)
    else:
        result = run_explorer(args.repeat)
    print(json.dumps(result))
    return 0


def spawn(size: str, stack: str, args, *, skip_build: bool = False) -> dict:
    command = [sys.executable, __file__, "--one", size, "--stack", stack, "--repeat",
               str(args.repeat), "--repeat-within", str(args.repeat_within), "--budget",
               str(args.budget), "--question-budget", str(args.question_budget)]
    if args.corpus_root:
        command += ["--corpus-root", args.corpus_root]
    if skip_build:
        command.append("--skip-build")
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-3000:])
        return {"error": completed.stderr.strip().splitlines()[-1] if completed.stderr else "failed"}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def fmt(value, repeat: int) -> str:
    """A (seconds, runs) pair; runs 0 = stopped at the budget, fewer than ``repeat`` marked."""
    if value is None:
        return "—"
    if value[1] == 0:
        return f"> {value[0]:g} s (stopped)"
    seconds = value[0]
    text = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return f"{text} (n={value[1]})" if value[1] < repeat else text


def table(size: str, naive: dict, quick: dict, repeat: int) -> list[str]:
    lines = [
        f"### {size}: {quick.get('triples', naive.get('triples', '?'))} triples",
        "",
        "| step | naive (rdflib, owlrl, pySHACL) | fast (pyoxigraph, cache, pyrudof) | ratio |",
        "|---|---:|---:|---:|",
    ]
    def timing(value) -> bool:
        return isinstance(value, list | tuple) and len(value) == 2 and all(
            isinstance(v, int | float) for v in value
        )

    first = ["load", "build (owlrl once)", "infer", "validate"]
    keys = [k for k in first if k in quick or k in naive]
    keys += sorted(k for k in {*quick, *naive} if k.startswith("query ") and k not in keys)
    for key in [*quick, *naive]:
        if key not in keys and timing(quick.get(key, naive.get(key))):
            keys.append(key)
    for key in keys:
        a, b = naive.get(key), quick.get(key)
        ratio = f"{a[0] / b[0]:.0f}×" if a and b and b[0] > 0 else ""
        ratio = "> " + ratio if ratio and a[1] == 0 else ratio
        label = {"infer": "inference (fast: from the build cache)"}.get(key, key)
        lines.append(f"| {label} | {fmt(a, repeat)} | {fmt(b, repeat)} | {ratio} |")
    lines.append(
        f"| peak RSS | {naive.get('rss', 0):.0f} MB | {quick.get('rss', 0):.0f} MB | |"
    )
    compared = [k for k in quick if k.startswith("rows ") and k in naive]
    mismatch = [k for k in compared if naive[k] != quick[k]]
    asked = sum(1 for k in quick if k.startswith("rows "))
    lines.append("")
    lines.append(
        f"Rows per question equal on both stacks: {'yes' if not mismatch else 'NO: ' + ', '.join(mismatch)}"
        f" ({len(compared)} of {asked} questions compared; the others were stopped on the naive stack)."
        f" Inferred triples: naive {naive.get('inferred', '—')}, fast {quick.get('inferred', '—')}."
        f" SHACL results: naive {naive.get('issues', '—')}, fast {quick.get('issues', '—')}."
    )
    for stack, result in (("Naive stack", naive), ("Fast path", quick)):
        for note in result.get("notes", []):
            lines.append(f"{stack}: {note}.")
    if "checker error" in naive:
        lines.append(f"Checker not measured: {naive['checker error']}")
    for stack, result in (("naive", naive), ("fast", quick)):
        if "onward error" in result:
            lines.append(f"`ask onward` not measured on the {stack} stack: {result['onward error']}")
    if "error" in naive or "error" in quick:
        lines.append(f"Errors: naive {naive.get('error', '')} fast {quick.get('error', '')}")
    return lines + [""]


def section_key(section: str) -> str:
    """``corpus``, ``100k``, ``explorer``: the first word of a ``### `` heading."""
    return section.split("\n", 1)[0].removeprefix("### ").split()[0].rstrip(":")


def split_sections(block: str) -> tuple[str, list[str]]:
    """The text before the first ``### `` heading, and each section from its heading on."""
    parts = ("\n" + block).split("\n### ")
    return parts[0].strip(), ["### " + part.strip() + "\n" for part in parts[1:]]


def write_results(path: Path, sections: list[str]) -> None:
    """Replace the sections run now between the marks; keep the others (e.g. 100k, not re-run).

    Each section carries its own machine line; a kept section from before that convention gets
    the machine line that stood above all sections.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    old: list[str] = []
    preamble = ""
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        preamble, old = split_sections(rest.split(MARK_END, 1)[0])
    else:
        before, after = text.rstrip() + "\n\n", "\n"
    new = {section_key(s): s for s in sections}
    merged = []
    for section in old:
        key = section_key(section)
        if key in new:
            merged.append(new.pop(key))
        elif "Machine:" not in section and preamble.startswith("Machine:"):
            heading, _, body = section.partition("\n")
            merged.append(f"{heading}\n\n{preamble.splitlines()[0]}\n{body}")
        else:
            merged.append(section)
    merged += new.values()
    order = [*SIZES, "explorer"]
    merged.sort(key=lambda sec: order.index(section_key(sec)) if section_key(sec) in order else len(order))
    body = "\n".join(merged).rstrip()
    path.write_text(f"{before}{MARK_START}\n{body}\n\n{MARK_END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="corpus,100k,1m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-within", type=float, default=300.0,
                        help="repeat a step only while its runs together stay within this many seconds")
    parser.add_argument("--budget", type=float, default=600.0,
                        help="stop a naive load/inference/validation run after this many seconds")
    parser.add_argument("--question-budget", type=float, default=30.0,
                        help="stop a naive catalogue question after this many seconds")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--explorer", action="store_true", help="also time the explorer (AppTest)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--stack", help=argparse.SUPPRESS)
    parser.add_argument("--corpus-root", help=argparse.SUPPRESS)
    parser.add_argument("--skip-build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return child(args)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip() or "unknown"
    about = (
        f"Run {when} at commit {commit}. Machine: {machine()}. Medians of {args.repeat} runs"
        f" unless the count says otherwise (n=...); budgets: {args.budget:g} s per naive"
        f" load/inference/validation, {args.question_budget:g} s per naive question."
    )
    sections = []
    snapshot = None
    sizes = [size for size in args.sizes.split(",") if size]  # --sizes "" : explorer only
    if "corpus" in sizes and not args.corpus_root:
        snapshot = snapshot_corpus()
        args.corpus_root = str(snapshot)
        about += f" Corpus: a copy of {', '.join(SNAPSHOT_FOLDERS)} taken at the start."
    for size in sizes:
        naive = spawn(size, "naive", args)
        quick = spawn(size, "fast", args, skip_build=naive.get("infer", (0, 1))[1] == 0)
        lines = table(size, naive, quick, args.repeat)
        lines[1:1] = ["", about]
        sections.append("\n".join(lines))
        sys.stdout.write(sections[-1] + "\n")
        sys.stdout.flush()
    if args.explorer:
        # a cold start happens once per process: one fresh process per run, median of them
        runs = [spawn("corpus", "explorer", args) for _ in range(max(1, args.repeat))]
        app = runs[0]
        colds = [r["explorer cold start"][0] for r in runs if "explorer cold start" in r]
        if colds:
            app["explorer cold start"] = (statistics.median(colds), len(colds))
        app["rss"] = max(r.get("rss", 0) for r in runs)
        lines = ["### explorer (corpus, AppTest)", "", about, ""]
        if "error" in app:
            lines.append(f"Error: {app['error']}")
        lines += [f"- {k}: {fmt(v, args.repeat)}" for k, v in app.items() if isinstance(v, list | tuple)]
        lines += [f"- peak RSS: {app.get('rss', 0):.0f} MB", ""]
        sections.append("\n".join(lines))
        sys.stdout.write(sections[-1] + "\n")
    if args.output:
        write_results(args.output, sections)
    if snapshot is not None:
        import shutil

        shutil.rmtree(snapshot, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
