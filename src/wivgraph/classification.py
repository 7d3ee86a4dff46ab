"""Classified material: what is not public is shown as existing, with its status, never with content.

The graph records that non-public annexes exist (``wiv:publicStatus``); a SHACL shape
(``shape:Classified-content``) refuses data that holds text of them. As a second line, every
presentation layer (explorer, SPARQL endpoint, export) withholds the content of classified
resources and of their parts, should a data file ever contain it.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from wivgraph.namespaces import CONCEPT, ELI, WIV

CLASSIFIED_STATUSES = frozenset({CONCEPT["non-public"], CONCEPT["secret"]})
CONTENT_PREDICATES = (WIV.text, ELI.description, RDFS.comment, WIV.quote)


def classified_nodes(graph: Graph) -> set[URIRef]:
    """Resources whose status is non-public or secret, and every subdivision below them."""
    found = {
        node
        for status in CLASSIFIED_STATUSES
        for node in graph.subjects(WIV.publicStatus, status)
        if isinstance(node, URIRef)
    }
    todo = list(found)
    while todo:
        for part in graph.subjects(ELI.is_part_of, todo.pop()):
            if isinstance(part, URIRef) and part not in found:
                found.add(part)
                todo.append(part)
    return found


def withhold_content(graph: Graph) -> int:
    """Remove content triples of classified resources in place (in every named graph of a
    Dataset); return how many were removed. The quote of the annex's own mention (it cites the
    public lid that says the annex exists) stays: it is public text of another resource."""
    nodes = classified_nodes(graph)
    removed = 0
    contexts = list(graph.graphs()) if hasattr(graph, "graphs") else [graph]
    for context in contexts:
        for node in nodes:
            for predicate in CONTENT_PREDICATES:
                if predicate == WIV.quote and (node, WIV.source, None) in graph:
                    source = graph.value(node, WIV.source)
                    if source not in nodes:
                        continue
                for triple in list(context.triples((node, predicate, None))):
                    context.remove(triple)
                    removed += 1
    return removed


def has_classified_content(graph: Graph) -> bool:
    nodes = classified_nodes(graph)
    return any(
        (node, predicate, None) in graph
        for node in nodes
        for predicate in (WIV.text, ELI.description, RDFS.comment)
    )


def public_view(dataset):
    """``dataset`` itself when it holds no classified content, else a copy without it."""
    if not has_classified_content(dataset):
        return dataset
    from rdflib import Dataset  # noqa: PLC0415

    copy = Dataset(default_union=True)
    for graph in dataset.graphs():
        target = copy.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    withhold_content(copy)
    return copy


def withhold_in_store(store) -> int:
    """:func:`withhold_content` for a pyoxigraph store, in every graph (default included)."""
    import pyoxigraph as ox  # noqa: PLC0415

    def iri(term) -> ox.NamedNode:
        return ox.NamedNode(str(term))

    nodes = {
        quad.subject
        for status in CLASSIFIED_STATUSES
        for quad in store.quads_for_pattern(None, iri(WIV.publicStatus), iri(status))
        if isinstance(quad.subject, ox.NamedNode)
    }
    todo = list(nodes)
    while todo:
        for quad in store.quads_for_pattern(None, iri(ELI.is_part_of), todo.pop()):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject not in nodes:
                nodes.add(quad.subject)
                todo.append(quad.subject)
    removed = 0
    for node in nodes:
        for predicate in CONTENT_PREDICATES:
            if predicate == WIV.quote:
                sources = {q.object for q in store.quads_for_pattern(node, iri(WIV.source), None)}
                if sources and not sources & nodes:
                    continue  # the public mention of the annex, quoted from a public lid
            for quad in list(store.quads_for_pattern(node, iri(predicate), None)):
                store.remove(quad)
                removed += 1
    return removed
