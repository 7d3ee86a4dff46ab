"""Library helpers the explorer and the CLI share to name things."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from wivgraph import browse

NODE = URIRef("https://w3id.org/wivgraph/id/doc/wiv-2002")


def _graph(alts: list[str]) -> Graph:
    graph = Graph()
    for alt in alts:
        graph.add((NODE, SKOS.altLabel, Literal(alt, lang="nl")))
    return graph


def test_short_label_does_not_depend_on_triple_order():
    """Two altLabels of the same length: the same one wins whichever was loaded first."""
    first = browse.short_label(_graph(["Wiv 2002", "WIV 2002"]), NODE)
    second = browse.short_label(_graph(["WIV 2002", "Wiv 2002"]), NODE)
    assert first == second
    assert first in {"Wiv 2002", "WIV 2002"}


def test_short_label_prefers_the_shortest_altlabel():
    assert browse.short_label(_graph(["Wet op de i&v-diensten 2002", "Wiv 2002"]), NODE) == "Wiv 2002"
