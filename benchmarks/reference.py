"""pySHACL as the reference engine: the naive stack's validation and the equivalence tests.

The product validates with pyrudof and oxigraph (:func:`wivgraph.validate.validate_graph`);
pySHACL is kept here only to measure it beside the product (benchmarks/run.py) and to check in
the test suite that both engines report the same results (tests/test_validation_engines.py).
Run as a script it validates the corpus with pySHACL and prints the counts.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph

from wivgraph.errors import WivgraphError
from wivgraph.load import load_dataset, load_shapes, union_graph
from wivgraph.namespaces import INFERRED_GRAPH
from wivgraph.validate import INFERENCE_MODES, Report, issues_of, results_of


@lru_cache(maxsize=1024)
def _prepared_query(text: str, namespaces: tuple[tuple[str, str], ...]):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text, initNs=dict(namespaces))


class _QueryCachingGraph(Graph):
    """A Graph whose ``query`` parses each distinct SPARQL text once (pySHACL repeats them per
    focus node, which makes it several times slower on the SHACL-SPARQL constraints)."""

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        if isinstance(query_object, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            query_object = _prepared_query(query_object, namespaces)
            initNs = None  # noqa: N806
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def pyshacl_graph(data: Graph, shapes: Graph, *, lang: str = "nl", inference: str = "none") -> Report:
    """``data`` against ``shapes`` with pySHACL (advanced mode), as the product's Report."""
    from pyshacl import validate as shacl_validate

    if inference not in INFERENCE_MODES:
        raise ValueError(f"inference must be one of {INFERENCE_MODES}")
    working = _QueryCachingGraph()  # a private copy: inference lands there, not in ``data``
    for prefix, namespace in data.namespaces():
        working.bind(prefix, namespace, override=True, replace=True)
    for triple in data:
        working.add(triple)
    conforms, report_graph, _ = shacl_validate(
        working, shacl_graph=shapes, inference=inference, advanced=True,
        allow_warnings=True, allow_infos=True, inplace=True,
    )
    if not isinstance(report_graph, Graph):  # pySHACL returns a failure object for bad shapes
        raise WivgraphError(f"shapes/: the shapes cannot be applied: {report_graph}")
    issues = issues_of(results_of(report_graph), data, lang, shapes=shapes, path_graph=report_graph)
    return Report(bool(conforms), issues, report_graph)


def pyshacl_dataset(dataset: Dataset | None = None, shapes: Graph | None = None, *,
                    root: Path | None = None, lang: str = "nl") -> Report:
    """The asserted dataset (inferred triples left out) against shapes/, with pySHACL."""
    dataset = dataset if dataset is not None else load_dataset(root)
    shapes = shapes if shapes is not None else load_shapes(root)
    return pyshacl_graph(union_graph(dataset, exclude=[INFERRED_GRAPH]), shapes, lang=lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="project root (default: this one)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = pyshacl_dataset(root=args.root)
    seconds = time.perf_counter() - started
    print(f"pySHACL: conforms={report.conforms} violations={len(report.violations)} "
          f"warnings={len(report.warnings)} results={len(report.issues)} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
