"""Export the dataset in formats other tools read (written atomically).

``odrl`` is not the graph itself but its norms as ODRL 2.2 policies in the wivgraph profile
(:func:`policies`, docs/odrl-profile.md), as Turtle.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

from wivgraph import atomic
from wivgraph.classification import public_view
from wivgraph.errors import WivgraphError
from wivgraph.load import union_graph
from wivgraph.namespaces import PREFIXES, bind_prefixes

FORMATS = {
    "ttl": ("turtle", ".ttl"),
    "trig": ("trig", ".trig"),
    "jsonld": ("json-ld", ".jsonld"),
    "nq": ("nquads", ".nq"),
    "odrl": ("turtle", ".ttl"),
}


def jsonld_context() -> dict:
    """The JSON-LD context: our prefixes."""
    return {"@context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}}


def policies(dataset: Dataset) -> Graph:
    """The norms of ``dataset`` as ODRL policies: one ``odrl:Set`` per instrument, read from the
    union of its named graphs (inferred triples too, if the dataset holds them) with the content
    of non-public resources withheld, as every other format reads it."""
    from wivgraph.odrl.norms import policy_graph  # noqa: PLC0415

    return policy_graph(union_graph(public_view(dataset)))


def serialize(dataset: Dataset, fmt: str) -> str:
    """The dataset as text: Turtle is the union graph, the others keep named graphs; ``odrl``
    is the norms as ODRL policies (Turtle).

    Content of non-public resources is withheld (:mod:`wivgraph.classification`).
    """
    if fmt not in FORMATS:
        raise WivgraphError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    rdflib_format, _ = FORMATS[fmt]
    if fmt == "odrl":
        return policies(dataset).serialize(format="turtle")
    dataset = public_view(dataset)
    if fmt == "ttl":
        return union_graph(dataset).serialize(format="turtle")
    bind_prefixes(dataset)
    if fmt == "jsonld":
        return dataset.serialize(format="json-ld", context=jsonld_context()["@context"], indent=2)
    return dataset.serialize(format=rdflib_format)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename: all or nothing
    (:func:`wivgraph.atomic.write_atomic`: the target's mode kept, file and folder synced)."""
    atomic.write_atomic(Path(path), text)


def write_context(path: Path) -> None:
    write_atomic(path, json.dumps(jsonld_context(), indent=2) + "\n")
