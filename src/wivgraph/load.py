"""Load stage: the files, their graph names and rdflib's reading of them.

The product loads ontology/ and data/ one way: oxigraph parses every file into its own named
graph (:func:`wivgraph.fast.load_store`, the build cache, ``serve``, ``deploy``, the checker, the
toets, validation). This module gives that load what it shares with rdflib: which files
(:func:`turtle_files`), each file's graph name (:func:`graph_iri`), and :func:`parse_turtle`,
which words a malformed file as ``path:line: message`` (oxigraph's own errors are re-read here)
so that a bad file stops the whole load and nothing partial is served. Shapes are never part of
the data; :func:`load_shapes` reads shapes/.

:func:`load_dataset` is the same load done by rdflib alone (one named graph per file): the
reference that tests and benchmarks compare the product's answers with, no longer a path of the
product.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import SinkParser

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import GRAPH, bind_prefixes

_LINE_PATTERN = re.compile(r"at line (\d+)")


def graph_iri(path: Path, root: Path) -> URIRef:
    """Named-graph IRI of a file: ``graph:data/convenant-ciic-2020`` for data/convenant-ciic-2020.ttl.

    The path is taken as found below ``root`` (a symlinked ontology/ or data/ folder keeps its
    name); failing that, both paths resolved.
    """
    for inner, outer in ((_absolute(path), _absolute(root)), (path.resolve(), root.resolve())):
        if inner.is_relative_to(outer):
            return GRAPH[inner.relative_to(outer).with_suffix("").as_posix()]
    raise WivgraphError(f"{path}: not inside the project folder {root} (expected a file below it)")


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))  # absolute and without "..", symlinks not followed


def turtle_files(folder: Path) -> list[Path]:
    """All .ttl files below ``folder``, sorted; a missing folder is bad input."""
    if not folder.is_dir():
        raise WivgraphError(f"{folder}: folder not found (expected a folder of Turtle files)")
    # os.walk, not Path.rglob: rglob does not follow linked sub-folders before Python 3.13
    found, seen = [], set()
    for here, subfolders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:  # a link back up the tree: read each folder once
            subfolders.clear()
            continue
        seen.add(real)
        subfolders.sort()
        found += [Path(here) / n for n in names if n.endswith(".ttl") and (Path(here) / n).is_file()]
    return sorted(found)


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning any parser failure into ``path:line: message``."""
    graph = into if into is not None else Graph()
    try:
        text = path.read_text(encoding="utf-8-sig")  # a leading BOM is accepted
    except FileNotFoundError:
        raise WivgraphError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WivgraphError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    fresh = Graph() if into is not None else graph  # ``into`` only receives a whole file
    with _captured_rdflib_warnings() as problems:
        try:
            fresh.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises several unrelated types for bad syntax
            raise WivgraphError(_describe_parse_error(path, exc)) from None
    _check_parsed(path, text, fresh, problems)
    if fresh is not graph:
        for prefix, namespace in fresh.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += fresh
    return graph


class _Problem(logging.Handler):
    """Collects what rdflib logs while parsing, with the line the parser was reading."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[tuple[int | None, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.found.append((_parser_line(), record.getMessage().splitlines()[0]))


def _parser_line() -> int | None:
    """1-based line of the Turtle parser on the call stack (rdflib logs without one)."""
    frame = sys._getframe()
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, SinkParser):
            return candidate.lines + 1  # SinkParser counts lines from 0
        frame = frame.f_back
    return None


_CAPTURE_LOCK = threading.Lock()


@contextmanager
def _captured_rdflib_warnings() -> Iterator[list[tuple[int | None, str]]]:
    """rdflib's log records and warnings during parsing, kept off stderr and returned."""
    logger = logging.getLogger("rdflib")
    handler = _Problem()
    with _CAPTURE_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        propagate = logger.propagate
        logger.addHandler(handler)
        logger.propagate = False
        try:
            yield handler.found
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate
            handler.found.extend((None, str(w.message).splitlines()[0]) for w in caught)


def _check_parsed(
    path: Path, text: str, graph: Graph, problems: list[tuple[int | None, str]]
) -> None:
    """Refuse what rdflib parses with only a warning: an invalid IRI, an ill-typed literal."""
    for line, message in problems:
        if "does not look like a valid URI" in message:
            iri = message.split(" does not look like a valid URI")[0]
            raise WivgraphError(
                f"{_where(path, line)}: malformed Turtle: invalid IRI <{iri}> (expected no "
                "spaces, quotes, braces, <, >, |, \\, ^ or ` inside <...>)"
            )
    ill_typed = next(
        (o for o in graph.objects() if isinstance(o, Literal) and getattr(o, "ill_typed", False)),
        None,
    )
    literal_lines = [line for line, m in problems if m.startswith("Failed to convert Literal")]
    if ill_typed is None and literal_lines:  # an rdflib without Literal.ill_typed
        ill_typed = next((o for o in graph.objects() if isinstance(o, Literal)
                          and o.datatype is not None and o.value is None), None)
    if ill_typed is not None:
        line = literal_lines[0] if literal_lines else _line_of(text, f'"{ill_typed}"')
        raise WivgraphError(
            f"{_where(path, line)}: malformed Turtle: literal \"{ill_typed}\" is not a valid "
            f"<{ill_typed.datatype}> (expected a value of that datatype)"
        )
    if problems:
        line, message = problems[0]
        raise WivgraphError(f"{_where(path, line)}: malformed Turtle: {message}")


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _describe_parse_error(path: Path, exc: Exception) -> str:
    message = str(exc)
    line = getattr(exc, "lines", None)
    if line is None:
        match = _LINE_PATTERN.search(message)
        line = int(match.group(1)) if match else None
    else:
        line = int(line) + 1  # notation3's BadSyntax counts lines from 0
    reason = (
        getattr(exc, "_why", None) or message.splitlines()[0] if message else type(exc).__name__
    )
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: malformed Turtle: {reason}"


def load_files(files: Iterable[Path], root: Path, dataset: Dataset | None = None) -> Dataset:
    """Parse ``files`` into named graphs of a (new) Dataset; all-or-nothing."""
    parsed: list[tuple[URIRef, Graph]] = []
    for path in files:
        parsed.append((graph_iri(path, root), parse_turtle(path)))
    ds = dataset if dataset is not None else Dataset(default_union=True)
    bind_prefixes(ds)
    for iri, graph in parsed:
        target = ds.graph(iri)
        for triple in graph:
            target.add(triple)
    return ds


def load_dataset(root: Path | None = None, *, include_ontology: bool = True) -> Dataset:
    """The asserted dataset: one named graph per file of ontology/ (optional) and data/."""
    root = root or paths.project_root()
    files: list[Path] = []
    if include_ontology:
        files += turtle_files(root / "ontology")
    files += turtle_files(root / "data")
    return load_files(files, root)


def load_shapes(root: Path | None = None) -> Graph:
    """All SHACL shapes of shapes/ as one graph."""
    root = root or paths.project_root()
    graph = bind_prefixes(Graph())
    for path in turtle_files(root / "shapes"):
        parse_turtle(path, into=graph)
    return graph


def union_graph(dataset: Dataset, *, exclude: Iterable[URIRef] = ()) -> Graph:
    """All triples of the dataset's named graphs in one plain Graph (minus ``exclude``)."""
    skip = set(exclude)
    graph = bind_prefixes(Graph())
    for named in dataset.graphs():
        if named.identifier in skip:
            continue
        for triple in named:
            graph.add(triple)
    return graph


def graphs_under(dataset: Dataset, folder: str) -> list[URIRef]:
    """Identifiers of the named graphs loaded from ``folder`` (e.g. "ontology", "data")."""
    prefix = str(GRAPH[folder + "/"])
    return sorted(g.identifier for g in dataset.graphs() if str(g.identifier).startswith(prefix))


def dataset_stats(dataset: Dataset) -> dict:
    """Triples per named graph (``quads``: their sum; ``distinct_triples``: the union, each
    triple once) and instances per class (over the union)."""
    from rdflib.namespace import RDF  # noqa: PLC0415

    per_graph = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    per_class: dict[str, int] = {}
    for graph in dataset.graphs():
        for cls in graph.objects(None, RDF.type):
            per_class[str(cls)] = 0
    union = union_graph(dataset)
    for cls in per_class:
        per_class[cls] = len(set(union.subjects(RDF.type, URIRef(cls))))
    quads = sum(per_graph.values())
    return {
        "triples": quads,  # kept for older readers: the quads, summed over the named graphs
        "quads": quads,
        "distinct_triples": len(union),  # a triple stated in several graphs counts once
        "graphs": dict(sorted(per_graph.items())),
        "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
