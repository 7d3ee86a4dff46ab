"""Infer stage: OWL 2 RL closure (owlrl) kept in its own named graph.

Asserted and inferred triples stay distinguishable: the closure is computed over the union of
ontology/ and data/ and only the triples that were not asserted go into ``graph:inferred``.
"""

from __future__ import annotations

import owlrl
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD

from wivgraph.load import union_graph
from wivgraph.namespaces import INFERRED_GRAPH, bind_prefixes

SEMANTICS = {"rdfs": owlrl.RDFS_Semantics, "owlrl": owlrl.OWLRL_Semantics}


def closure(asserted: Graph, semantics: str = "owlrl") -> Graph:
    """The triples entailed by ``asserted`` under ``semantics`` that it does not already hold."""
    if semantics not in SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; expected one of {sorted(SEMANTICS)}")
    expanded = Graph()
    for triple in asserted:
        expanded.add(triple)
    owlrl.DeductiveClosure(
        SEMANTICS[semantics], axiomatic_triples=False, datatype_axioms=False
    ).expand(expanded)
    inferred = bind_prefixes(Graph())
    for triple in expanded:
        if triple not in asserted and not _recreated_literal(asserted, triple):
            inferred.add(triple)
    return inferred


_BOOLEAN_OR_INTEGER = {XSD.boolean, XSD.integer}


def _recreated_literal(asserted: Graph, triple) -> bool:
    """An asserted literal that owlrl's RDFS closure gives back altered, not a new fact.

    Under RDFS semantics owlrl replaces literals by stand-ins and restores them afterwards, and
    some come back changed: a text with its language tag dropped ("tekst" for "tekst"@nl) or
    one added, 1 as true and true as 1 (Python's 1 == True). Kept, each would read as a second value of the
    same property (950 such triples on the corpus; none under OWL RL)."""
    subject, predicate, value = triple
    if not isinstance(value, Literal):
        return False
    for other in asserted.objects(subject, predicate):
        if not isinstance(other, Literal):
            continue
        if bool(other.language) != bool(value.language) and str(other) == str(value):
            return True
        if {other.datatype, value.datatype} == _BOOLEAN_OR_INTEGER and (
            other.value == value.value
        ):
            return True
    return False


def add_inferred(dataset: Dataset, semantics: str = "owlrl") -> Graph:
    """Compute the closure of ``dataset`` and store it in the named graph ``graph:inferred``."""
    dataset.remove_graph(dataset.graph(INFERRED_GRAPH))
    inferred = closure(union_graph(dataset, exclude=[INFERRED_GRAPH]), semantics)
    target = dataset.graph(INFERRED_GRAPH)
    for triple in inferred:
        target.add(triple)
    return target
