#!/usr/bin/env python3
"""Validation on a generated corpus: where the time and the memory of `validate_fast` go.

    .venv/bin/python benchmarks/bench_validate.py [--size 100k] [--per-shape] [--root FOLDER]
        [--split-above N] [--triples-per-part N]

Prints, for the corpus of ``--size`` (made by benchmarks/generate.py when missing, as
benchmarks/run.py does) or the project folder ``--root``:

- load: ``fast.load_store`` (wall seconds);
- validate: ``fast.validate_fast`` once (wall and CPU seconds, results, conforms), the data
  split for pyrudof as ``--split-above`` / ``--triples-per-part`` say (default: the product's
  ``fast.SPLIT_ABOVE`` and ``fast.TRIPLES_PER_PART``; ``--split-above 1000000000``: one run);
- peak RSS of the process (load + validation);
- with ``--per-shape``, in a second pass: pyrudof alone on the same data, first with every core
  shape at once, then with each top-level shape on its own (data read once), CPU seconds per
  shape, largest first. Compares one call's cost with the sum of the per-shape costs: a cost
  per shape that grows with the data, not with the shape's focus nodes, shows up here.

CPU seconds are reported beside wall seconds because this machine's two cores are shared:
wall time under load says little about the engine.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _shape_closure(core, shape):
    """The triples of ``shape`` and of every node reachable from it in the shapes graph."""
    from rdflib import BNode, Graph, URIRef  # noqa: PLC0415

    out, seen, todo = Graph(), set(), [shape]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in core.predicate_objects(node):
            out.add((node, predicate, value))
            if isinstance(value, (BNode, URIRef)) and value not in seen:
                todo.append(value)
    return out


def per_shape(store, shapes, top: int) -> list[str]:
    """pyrudof's CPU seconds with all core shapes at once and with each top-level shape alone."""
    import pyrudof  # noqa: PLC0415
    from rdflib.namespace import SH  # noqa: PLC0415

    from wivgraph import fast  # noqa: PLC0415

    options = fast.query_options(store)
    core, _sparql = fast._split_shapes(shapes)
    targets, markers = fast._resolve_targets(core, shapes, store, options)
    core.parse(data="".join(targets), format="nt")  # per shape below: each with its target nodes
    data = fast._ntriples(store, options) + "".join(markers)
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    started = time.process_time()
    rudof.read_data(data, format=pyrudof.RDFFormat.NTriples)
    read = time.process_time() - started
    rudof.read_shacl(core.serialize(format="ntriples"), format=pyrudof.ShaclFormat.NTriples)
    started = time.process_time()
    everything = len(list(rudof.validate_shacl()))
    at_once = time.process_time() - started
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    tops = sorted({s for p in targets for s in core.subjects(p, None)}, key=str)
    costs = []
    for shape in tops:
        rudof.reset_shacl()
        rudof.read_shacl(_shape_closure(core, shape).serialize(format="ntriples"),
                         format=pyrudof.ShaclFormat.NTriples)
        started = time.process_time()
        results = len(list(rudof.validate_shacl()))
        costs.append((time.process_time() - started, str(shape).rsplit("/", 1)[-1], results))
    costs.sort(reverse=True)
    lines = [
        f"pyrudof read_data: {read:.1f} CPU s",
        f"pyrudof, all {len(tops)} top-level core shapes at once: {at_once:.1f} CPU s, {everything} results",
        f"pyrudof, each shape alone: {sum(c for c, _, _ in costs):.1f} CPU s in total; "
        f"median {sorted(c for c, _, _ in costs)[len(costs) // 2]:.2f} s per shape",
    ]
    lines += [f"  {cost:.2f} s  {name}  ({results} results)" for cost, name, results in costs[:top]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="generated corpus: 100k, 300k, 1m, ...")
    parser.add_argument("--root", type=Path, default=None, help="a project folder instead")
    parser.add_argument("--per-shape", action="store_true", help="also pyrudof's cost per shape")
    parser.add_argument("--top", type=int, default=10, help="shapes listed with --per-shape")
    parser.add_argument("--split-above", type=int, default=None,
                        help="split the data for pyrudof above this many triples")
    parser.add_argument("--workers", type=int, default=None,
                        help="pyrudof runs at a time when split (default: fast.PART_WORKERS)")
    parser.add_argument("--triples-per-part", type=int, default=None,
                        help="about this many triples per pyrudof run when split")
    args = parser.parse_args(argv)

    from wivgraph import fast  # noqa: PLC0415
    from wivgraph.load import load_shapes  # noqa: PLC0415

    if args.root is not None:
        root = args.root
    else:
        import run  # noqa: PLC0415  (benchmarks/run.py: the generated corpora)

        root = run.project_for(args.size, None)
    started = time.perf_counter()
    store = fast.load_store(root)
    print(f"{root}: {len(store):,} quads; load {time.perf_counter() - started:.1f} s", flush=True)
    shapes = load_shapes(root)
    wall, cpu = time.perf_counter(), time.process_time()
    report = fast.validate_fast(store, shapes, split_above=args.split_above,
                                triples_per_part=args.triples_per_part, workers=args.workers)
    print(
        f"validate_fast: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} "
        f"CPU s (both threads); {len(report.issues):,} results; conforms {report.conforms}",
        flush=True,
    )
    print(f"peak RSS (load + validation): {_peak_mb():,.0f} MB", flush=True)
    del report
    if args.per_shape:
        for line in per_shape(store, shapes, args.top):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
