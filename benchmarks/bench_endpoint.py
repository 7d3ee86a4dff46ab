#!/usr/bin/env python3
"""Round-trip time of every catalogue question: embedded rdflib, embedded pyoxigraph, served.

    .venv/bin/python benchmarks/bench_endpoint.py [--repeat 5] [--output FILE] [--endpoint URL]

"served" is the full client path of ``wivgraph --endpoint``: gate, VALUES binding, HTTP POST to
an ``oxigraph serve-read-only`` on a free 127.0.0.1 port, JSON parsing. Each question runs with
its default parameters ``--repeat`` times per store after one warm-up run; the table gives the
median in ms. Answers are compared too: a question whose answers differ is marked, and the exit
code is 1. With ``--endpoint URL`` another server (Fuseki, GraphDB, Virtuoso loaded as in
docs/deploy.md) takes the place of oxigraph: a check that it answers like the embedded graph.
Markdown on stdout (and in --output). No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wivgraph import paths
from wivgraph.fast import dataset_store
from wivgraph.load import load_dataset
from wivgraph.query import bind_parameters, catalogue, prepare
from wivgraph.serve import OxigraphServer, free_port, oxigraph_version, prepare_location
from wivgraph.store import (
    RdflibStore,
    RemoteStore,
    bind_values,
    query_form,
    result_signature,
)


def median_ms(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up (parsing caches, HTTP connection set-up on the server side)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = handle.readline().split(":")[1].strip()
    except OSError:
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem} RAM, "
        f"Python {platform.python_version()}, oxigraph {oxigraph_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="measure and check this endpoint (Fuseki, GraphDB, ...) instead of starting oxigraph",
    )
    parser.add_argument(
        "--virtuoso",
        action="store_true",
        help="load the data into Virtuoso (wivgraph.deploy, on free ports) and measure that",
    )
    args = parser.parse_args(argv)

    root = paths.project_root()
    dataset = load_dataset(root)
    questions = catalogue(root / "queries")
    embedded = RdflibStore(dataset)
    oxigraph = dataset_store(dataset)
    lines = [
        "# Endpoint benchmark: embedded vs served",
        "",
        f"Machine: {machine()}. {len(questions)} questions, median of {args.repeat} runs "
        "after one warm-up, ms, default parameters. `rdflib`: embedded Dataset; `pyoxigraph`: "
        "embedded in-memory oxigraph; `served`: HTTP round trip to `oxigraph serve-read-only` "
        "on loopback (client gate, VALUES binding and JSON parsing included); `HTTP only`: "
        "the POST of the already bound query and reading the answer, nothing else.",
        "",
        "| question | rows | rdflib | pyoxigraph | served | HTTP only | same answers |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    totals = [0.0, 0.0, 0.0, 0.0]
    differing = []
    with contextlib.ExitStack() as stack:
        if args.endpoint:
            url = args.endpoint
        elif args.virtuoso:
            from wivgraph import deploy  # noqa: PLC0415

            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            started = time.perf_counter()
            stamp = deploy.prepare_virtuoso(root, Path(tmp) / "virtuoso", dataset=dataset)
            prepared = time.perf_counter() - started
            server = stack.enter_context(deploy.VirtuosoServer(Path(tmp) / "virtuoso"))
            url = server.query_url
            lines.insert(
                3,
                f"Served by Virtuoso {stamp['virtuoso']}: bulk load (ld_dir + rdf_loader_run + "
                f"checkpoint) of {stamp['quads']} quads in {stamp['graphs']} named graphs plus "
                f"their union: {stamp['load_s'] * 1000:.0f} ms; writing the N-Quads "
                f"{stamp['export_s'] * 1000:.0f} ms; whole preparation with server start and "
                f"stop {prepared:.1f} s.\n",
            )
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            location = prepare_location(root, Path(tmp) / "store")
            url = stack.enter_context(OxigraphServer(location, port=free_port())).query_url
        remote = RemoteStore(url)
        for name, question in questions.items():
            bindings = bind_parameters(question, {}, dataset)
            timings = []
            answers = []
            for store in (embedded, oxigraph, remote):
                ms, result = median_ms(
                    lambda s=store, q=question, b=bindings: s.query(q.text, b), args.repeat
                )
                timings.append(ms)
                answers.append(result)
            bound = bind_values(question.text, bindings)
            form = query_form(prepare(question.text))
            http_ms, _ = median_ms(lambda t=bound, f=form: remote.send(t, f), args.repeat)
            timings.append(http_ms)
            rows = "bool" if answers[0].boolean is not None else str(len(answers[0].rows))
            same = all(result_signature(a) == result_signature(answers[0]) for a in answers)
            if not same:
                differing.append(name)
            totals = [t + m for t, m in zip(totals, timings, strict=True)]
            lines.append(
                f"| {name} | {rows} | {timings[0]:.1f} | {timings[1]:.2f} | "
                f"{timings[2]:.2f} | {timings[3]:.2f} | {'yes' if same else '**no**'} |"
            )
    lines.append(
        f"| **total** | | {totals[0]:.0f} | {totals[1]:.1f} | {totals[2]:.1f} | {totals[3]:.1f} | "
        f"{len(questions) - len(differing)}/{len(questions)} |"
    )
    if differing:
        lines += ["", "Questions whose answers differ: " + ", ".join(differing)]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
