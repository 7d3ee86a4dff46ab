"""The checker's vocabulary tables: labels, types, SKOS and organisation hierarchies, schemes,
equivalences, parties and members, instrument validity and document dates -- read once from the
small vocabulary graph the checker CONSTRUCTs from the store (check/engine.py). The norms
themselves are not read here: they are selected per question by SPARQL and turned into ODRL
rules by wivgraph.odrl.norms.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from wivgraph.namespaces import DOC, ELI, FOAF, ORG, WIV
from wivgraph.temporal import as_date, instrument_validity

PARTY_CLASSES = (
    ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.OrganizationalCollaboration,
    ORG.Post, WIV.Office, WIV.Cell, WIV.Role, FOAF.Organization,
)
UP_LINKS = (ORG.subOrganizationOf, ORG.unitOf, ORG.postIn, ORG.memberOf, WIV.legalHost)
DOWN_LINKS = (ORG.hasSubOrganization, ORG.hasUnit, ORG.hasPost)
_DOC_PREFIX = str(DOC)


@dataclass
class NormIndex:
    """Vocabulary tables of one graph (see the module docstring)."""

    graph: Graph
    ancestors: dict = field(default_factory=dict)  # concept -> frozenset(self + broader*)
    org_up: dict = field(default_factory=dict)  # party -> frozenset(self + containing units)
    labels: dict = field(default_factory=dict)  # (node, lang) -> label
    alt_labels: dict = field(default_factory=dict)  # node -> every other name it has (any language)
    schemes: dict = field(default_factory=dict)  # concept -> frozenset(schemes)
    equivalent: dict = field(default_factory=dict)  # concept -> frozenset(equivalents)
    validity: dict = field(default_factory=dict)  # document -> Validity
    parties_of: dict = field(default_factory=dict)  # instrument -> frozenset(parties)
    members_of: dict = field(default_factory=dict)  # cell -> frozenset(members)
    types: dict = field(default_factory=dict)  # node -> frozenset(rdf types)
    under_minister: dict = field(default_factory=dict)  # party -> ministers it falls under
    doc_date: dict = field(default_factory=dict)  # document -> date of the document
    heads: dict = field(default_factory=dict)  # post -> organisations it heads (org:headOf)
    roles_held: dict = field(default_factory=dict)  # party or cell -> roles it acts in (wiv:holdsRole)
    service_ministers: frozenset = frozenset()  # ministers of the services (those with a head)
    exchanged: dict = field(default_factory=dict)  # data category -> parties it is exchanged between
    below: dict = field(default_factory=dict)  # office -> offices and roles below it in the line

    def label(self, node, lang: str = "nl") -> str:
        if node is None:
            return ""
        return (
            self.labels.get((node, lang))
            or self.labels.get((node, "nl"))
            or self.labels.get((node, "en"))
            or self.labels.get((node, ""))
            or _local(node)
        )

    def up(self, node) -> frozenset:
        return self.ancestors.get(node, frozenset((node,)))

    def org_ancestors(self, node) -> frozenset:
        return self.org_up.get(node, frozenset((node,)))

    def same_concept(self, a, b) -> bool:
        return a == b or b in self.equivalent.get(a, ()) or a in self.equivalent.get(b, ())


def _local(node) -> str:
    text = str(node)
    return re.split(r"[/#]", text.rstrip("/"))[-1]


def document_of(node) -> URIRef | None:
    """The document a subdivision IRI belongs to (by the IRI convention in docs/conventions.md)."""
    text = str(node)
    if not text.startswith(_DOC_PREFIX):
        return None
    slug = text[len(_DOC_PREFIX):].split("/", 1)[0]
    return URIRef(_DOC_PREFIX + slug)


_date = as_date


def _closure(start, step) -> frozenset:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for nxt in step(node):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


def build_index(graph: Graph) -> NormIndex:
    """Read the graph once into a :class:`NormIndex`."""
    g = graph
    idx = NormIndex(graph=graph)

    # labels
    for prop in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):  # prefLabel last: it wins
        for s, o in g.subject_objects(prop):
            if isinstance(o, Literal):
                idx.labels[(s, o.language or "")] = str(o)
    alt: dict = defaultdict(set)
    for prop in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
        for s, o in g.subject_objects(prop):
            if isinstance(o, Literal):
                alt[s].add(str(o))
    idx.alt_labels = {k: frozenset(v) for k, v in alt.items()}
    # types
    types: dict = defaultdict(set)
    for s, o in g.subject_objects(RDF.type):
        types[s].add(o)
    idx.types = {k: frozenset(v) for k, v in types.items()}

    # SKOS hierarchy
    broader: dict = defaultdict(set)
    for s, o in g.subject_objects(SKOS.broader):
        broader[s].add(o)
    for s, o in g.subject_objects(SKOS.narrower):
        broader[o].add(s)
    for s, o in g.subject_objects(RDFS.subClassOf):
        broader[s].add(o)
    concepts = set(broader) | {o for v in broader.values() for o in v}
    concepts |= {s for s, t in types.items() if SKOS.Concept in t or WIV.Role in t}
    idx.ancestors = {c: _closure(c, lambda n: broader.get(n, ())) for c in concepts}
    schemes: dict = defaultdict(set)
    for prop in (SKOS.inScheme, SKOS.topConceptOf):
        for s, o in g.subject_objects(prop):
            schemes[s].add(o)
    idx.schemes = {k: frozenset(v) for k, v in schemes.items()}
    eq: dict = defaultdict(set)
    for prop in (SKOS.exactMatch, SKOS.closeMatch, OWL.sameAs):
        for s, o in g.subject_objects(prop):
            eq[s].add(o)
            eq[o].add(s)
    idx.equivalent = {k: _closure(k, lambda n: eq.get(n, ())) - {k} for k in eq}

    # organisation hierarchy
    up: dict = defaultdict(set)
    for prop in UP_LINKS:
        for s, o in g.subject_objects(prop):
            up[s].add(o)
    for prop in DOWN_LINKS:
        for s, o in g.subject_objects(prop):
            up[o].add(s)
    idx.org_up = {k: _closure(k, lambda n: up.get(n, ())) for k in up}
    ministers: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.underMinister):
        ministers[s].add(o)
    idx.under_minister = {
        k: frozenset(m for a in idx.org_up.get(k, (k,)) for m in ministers.get(a, ()))
        for k in set(ministers) | set(idx.org_up)
    }
    heads: dict = defaultdict(set)
    for s, o in g.subject_objects(ORG.headOf):
        heads[s].add(o)
    idx.heads = {k: frozenset(v) for k, v in heads.items()}
    idx.service_ministers = frozenset(
        m for services in idx.heads.values() for svc in services for m in idx.under_minister.get(svc, ()))
    roles: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.holdsRole):
        roles[s].add(o)
    idx.roles_held = {k: frozenset(v) for k, v in roles.items()}
    members: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.member):
        members[s].add(o)
    idx.members_of = {k: frozenset(v) for k, v in members.items()}
    parties: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.party):
        parties[s].add(o)
    idx.parties_of = {k: frozenset(v) for k, v in parties.items()}

    exchanged: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.exchangedBetween):
        exchanged[s].add(o)
    idx.exchanged = {k: frozenset(v) for k, v in exchanged.items()}

    outranks: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.outranks):
        outranks[s].add(o)
    idx.below = {k: _closure(k, lambda n: outranks.get(n, ())) - {k} for k in outranks}

    _read_validity(g, idx)
    return idx


def _read_validity(g: Graph, idx: NormIndex) -> None:
    idx.validity = instrument_validity(g)
    for prop in (ELI.date_document, ELI.date_publication):
        for s, o in g.subject_objects(prop):
            d = _date(o)
            if d is not None and s not in idx.doc_date:
                idx.doc_date[s] = d


def is_practice_passage(source) -> bool:
    """A report's assessment of concrete cases: a ``/praktijk`` subdivision (docs/conventions.md)."""
    return source is not None and "/praktijk" in str(source)
