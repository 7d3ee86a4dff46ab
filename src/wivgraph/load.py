"""Load stage: ontology/ and data/ into one rdflib Dataset, one named graph per file.

Every triple knows the file it came from (its named graph). Shapes are never part of the data
dataset; they are loaded separately by :func:`load_shapes`. A malformed file stops the whole load
with ``path:line: message`` so that nothing partial is served.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import GRAPH, bind_prefixes

_LINE_PATTERN = re.compile(r"at line (\d+)")


def graph_iri(path: Path, root: Path) -> URIRef:
    """Named-graph IRI of a file: ``graph:data/convenant-ciic-2020`` for data/convenant-ciic-2020.ttl."""
    relative = path.resolve().relative_to(root.resolve()).with_suffix("")
    return GRAPH[relative.as_posix()]


def turtle_files(folder: Path) -> list[Path]:
    """All .ttl files below ``folder``, sorted; a missing folder is bad input."""
    if not folder.is_dir():
        raise WivgraphError(f"{folder}: folder not found (expected a folder of Turtle files)")
    return sorted(p for p in folder.rglob("*.ttl") if p.is_file())


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning any parser failure into ``path:line: message``."""
    graph = into if into is not None else Graph()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WivgraphError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WivgraphError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise WivgraphError(_describe_parse_error(path, exc)) from None
    return graph


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
    """Triples per named graph and instances per class (over the union)."""
    from rdflib.namespace import RDF  # noqa: PLC0415

    per_graph = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    per_class: dict[str, int] = {}
    for graph in dataset.graphs():
        for cls in graph.objects(None, RDF.type):
            per_class[str(cls)] = 0
    union = union_graph(dataset)
    for cls in per_class:
        per_class[cls] = len(set(union.subjects(RDF.type, URIRef(cls))))
    return {
        "triples": sum(per_graph.values()),
        "graphs": dict(sorted(per_graph.items())),
        "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
