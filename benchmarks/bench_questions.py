#!/usr/bin/env python3
"""Every catalogue question on a ~100k-triple corpus: the product path against raw pyoxigraph.

    .venv/bin/python benchmarks/bench_questions.py [--size 100k] [--repeat 15] [--output FILE]

The corpus comes from benchmarks/generate.py (generated into benchmarks/generated/SIZE when
missing, as benchmarks/run.py does) and is opened as a :class:`wivgraph.fast.FastStore`
(``fast.load_store``, asserted triples, no ``graph:inferred``). For every question, with its
default parameters, and once more for each IRI parameter given as a label (the default IRI's
label; its IRI slug, or the slug of its replica ``-r1``, when the label is not unique on the
generated corpus, whose replicas copy every label), two medians:

- product: ``run_question(store, question, values)`` end to end (parameters resolved and bound,
  gate, bound text, query, every row converted to rdflib terms);
- raw: ``pyoxigraph.Store.query(bound_text, **fast.query_options(...))`` on the same
  bound text with the same graph arguments, every solution read.

Each is warmed once, then the two run in turn, up to --repeat times each while the runs stay
within --within seconds (in turn, so a busy moment on a shared machine falls on both).
Markdown on stdout (and in --output). No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import run  # benchmarks/run.py: the generated corpora, the machine line

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


def medians_ms(first, second, repeat: int, within: float) -> tuple[float, float]:
    """Median ms of ``first()`` and of ``second()``, run in turn (so a busy moment on a shared
    machine falls on both), each warmed once."""
    first()  # warm: the gate's verdict, the bound text, the name index
    second()
    times: tuple[list[float], list[float]] = ([], [])
    while len(times[0]) < repeat and (
        not times[0] or sum(times[0]) + sum(times[1]) + times[0][-1] + times[1][-1] <= within
    ):
        for fn, kept in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            kept.append(time.perf_counter() - start)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def consume(result) -> int:
    """Read every solution (or triple) of a pyoxigraph result, as the product path does."""
    if not hasattr(result, "__iter__"):  # an ASK's QueryBoolean
        return int(bool(result))
    count = 0
    if hasattr(result, "variables"):
        names = [v.value for v in result.variables]
        for solution in result:
            for name in names:
                solution[name]
            count += 1
        return count
    for _ in result:
        count += 1
    return count


def label_form(store, iri: str) -> str | None:
    """A label of ``iri`` that names it alone on the corpus, else its IRI slug, else the slug of
    its first replica (the generated corpus copies labels, so most labels are ambiguous there);
    None when none of these names one resource."""
    import pyoxigraph as ox  # noqa: PLC0415

    from wivgraph import fast  # noqa: PLC0415
    from wivgraph.query import resolve_resource  # noqa: PLC0415

    node = ox.NamedNode(iri)
    labels = []
    for predicate in (SKOS_PREF, RDFS_LABEL):
        for quad in fast.union_pattern(store.store, node, ox.NamedNode(predicate), None):
            labels.append(quad.object.value)
    slug = iri.rstrip("/").rsplit("/", 1)[-1]
    for candidate in (*sorted(labels), slug, f"{slug}-r1"):
        try:
            found = str(resolve_resource(store.graph, candidate))
        except Exception:  # noqa: BLE001  (ambiguous on the corpus: try the next form)
            continue
        if found == iri or candidate == f"{slug}-r1":  # (a replica's slug names the replica)
            return candidate
    return None


def cases(store, questions) -> list[tuple[str, object, dict[str, str]]]:
    """(row name, question, parameter values): defaults, then each IRI parameter as a label."""
    from wivgraph.query import expand_iri  # noqa: PLC0415

    out = []
    for name, question in questions.items():
        out.append((name, question, {}))
        for param in question.parameters:
            if param.type != "iri" or not param.default:
                continue
            iri = expand_iri(param.default)
            label = label_form(store, str(iri)) if iri is not None else None
            if label is not None:
                out.append((f"{name} ({param.name}={label!r})", question, {param.name: label}))
    return out


def machine() -> str:
    import pyoxigraph  # noqa: PLC0415

    return f"{run.machine()}, pyoxigraph {pyoxigraph.__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["100k", "1m"], default="100k")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--within", type=float, default=2.0,
                        help="seconds a measurement may take in all (default 2)")
    parser.add_argument("--only", help="only questions whose name contains this")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    from wivgraph import fast  # noqa: PLC0415
    from wivgraph.query import bind_parameters, catalogue, run_question  # noqa: PLC0415

    root = run.project_for(args.size)
    started = time.perf_counter()
    store = fast.FastStore(fast.load_store(root))
    triples = sum(1 for _ in fast.union_quads(store.store, inferred=False))
    load_s = time.perf_counter() - started
    questions = catalogue(root / "queries")
    if args.only:
        questions = {k: v for k, v in questions.items() if args.only in k}
    lines = [
        f"Machine: {machine()}. Corpus: benchmarks/generated/{args.size}, {triples:,} triples in "
        f"the default graph (loaded in {load_s:.1f} s). Medians of up to {args.repeat} runs "
        f"each (product and raw in turn, within {args.within:g} s) after one warm-up run.",
        "",
        "| question | product ms | raw ms | ratio |",
        "|---|---:|---:|---:|",
    ]
    ratios = []
    raw = store.store
    for row, question, values in cases(store, questions):
        bindings = bind_parameters(question, values, store.graph, store=store)
        final = (fast._bound_text(question.text, tuple(sorted(bindings.items())))
                 if bindings else question.text)
        options = dict(store._options)
        if "named_graphs" in options and not fast._reads_named_graphs(question.text):
            options["named_graphs"] = []

        def product(q=question, v=values):
            return run_question(store, q, v)

        def oxigraph(text=final, o=options):
            return consume(raw.query(text, **o))

        product_ms, raw_ms = medians_ms(product, oxigraph, args.repeat, args.within)
        ratio = product_ms / raw_ms if raw_ms else float("inf")
        ratios.append((ratio, row))
        lines.append(f"| {row} | {product_ms:.2f} | {raw_ms:.2f} | {ratio:.1f}× |")
        print(lines[-1], file=sys.stderr, flush=True)
    values = [r for r, _ in ratios]
    over = [f"{row} ({r:.1f}×)" for r, row in sorted(ratios, reverse=True) if r > 3]
    lines += [
        "",
        f"{len(values)} rows: ratio median {statistics.median(values):.1f}×, max "
        f"{max(values):.1f}×; over 3×: {', '.join(over) if over else 'none'}.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
