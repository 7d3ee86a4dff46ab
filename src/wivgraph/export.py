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


#: formats written by oxigraph straight from a store (:func:`write_store`)
STORE_FORMATS = ("nq", "trig", "ttl")


def write_store(store, fmt: str, output) -> None:
    """The asserted data of a pyoxigraph store (the build cache: already the public view) in
    ``fmt``, written by oxigraph to ``output`` (a binary file object) as it is read: no rdflib
    copy and no text of the whole export in memory. ``nq`` and ``trig`` keep the named graphs
    (``graph:inferred`` left out), ``ttl`` is their union, each triple once -- the same data
    :func:`serialize` gives for these formats (tests/test_export.py)."""
    import pyoxigraph as ox  # noqa: PLC0415

    from wivgraph import fast  # noqa: PLC0415

    if fmt not in STORE_FORMATS:
        raise WivgraphError(f"--format {fmt!r}: expected one of {', '.join(STORE_FORMATS)}")
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if fmt == "ttl":
        triples = (quad.triple for quad in fast.union_quads(store, inferred=False))
        ox.serialize(triples, output, ox.RdfFormat.TURTLE, prefixes=prefixes)
        return
    graphs = fast.named_graphs(store, inferred=False)
    quads = (quad for graph in graphs for quad in store.quads_for_pattern(None, None, None, graph))
    rdf_format = ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG
    ox.serialize(quads, output, rdf_format, **({"prefixes": prefixes} if fmt == "trig" else {}))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename: all or nothing
    (:func:`wivgraph.atomic.write_atomic`: the target's mode kept, file and folder synced)."""
    atomic.write_atomic(Path(path), text)


def write_context(path: Path) -> None:
    write_atomic(path, json.dumps(jsonld_context(), indent=2) + "\n")
