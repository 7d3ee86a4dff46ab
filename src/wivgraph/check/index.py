"""The norm index: everything the checker needs from the graph, read once per graph.

Reads the norm vocabulary of ontology/norms.ttl (wiv:Norm subclasses with wiv:bearer,
odrl:action, odrl:target, wiv:recipientScope, wiv:recipient, wiv:dataSource, wiv:context,
wiv:condition, odrl:constraint, wiv:effectiveFrom, wiv:instrument, wiv:legalBasis, wiv:source,
wiv:quote), SKOS hierarchies (skos:broader / skos:narrower, transitive), organisation
hierarchies (org:subOrganizationOf, org:unitOf, org:postIn, wiv:legalHost) and instrument
validity (wiv:inForceFrom, wiv:EntryIntoForce, eli:first_date_entry_in_force,
eli:date_no_longer_in_force, wiv:replaces, eli:repeals, wiv:legalRegime).
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from wivgraph.namespaces import CONCEPT, DOC, ELI, FOAF, ODRL, ORG, WIV
from wivgraph.temporal import as_date, instrument_validity

NORM_CLASSES = {WIV.Permission: "permission", WIV.Prohibition: "prohibition", WIV.Obligation: "obligation"}
PARTY_CLASSES = (
    ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.OrganizationalCollaboration,
    ORG.Post, WIV.Office, WIV.Cell, WIV.Role, FOAF.Organization,
)
UP_LINKS = (ORG.subOrganizationOf, ORG.unitOf, ORG.postIn, ORG.memberOf, WIV.legalHost)
DOWN_LINKS = (ORG.hasSubOrganization, ORG.hasUnit, ORG.hasPost)
_DOC_PREFIX = str(DOC)
REQUIREMENT_DUE_CARE = CONCEPT["requirement-due-care"]


@dataclass(frozen=True)
class Condition:
    """One condition (precondition, or applicability constraint) of a norm."""

    node: object
    kinds: frozenset
    consenting: tuple
    decision_by: tuple
    accepted: tuple
    counterparty: tuple = ()
    source: object = None  # wiv:source of the condition itself


@dataclass
class Norm:
    iri: URIRef
    modality: str  # permission | prohibition | obligation
    bearers: frozenset
    excepts: frozenset
    actions: frozenset
    precedes: frozenset
    targets: frozenset
    scopes: frozenset
    recipients: frozenset
    data_sources: frozenset
    contexts: frozenset
    counterparties: frozenset
    conditions: tuple
    constraints: tuple
    instruments: tuple  # documents whose validity bounds the norm
    effective_from: dt.date | None
    source: URIRef | None
    quote: str | None
    legal_effect: URIRef | None
    legal_bases: tuple
    places: frozenset = frozenset()
    requirement: URIRef | None = None  # wiv:requirementKind (own, else its legal effect's)
    from_assessment: bool = False  # wiv:AssessmentNorm: stated only in an assessment of practice
    # The requirement kind without facts taken from assessments of practice (Praktijk passages).
    requirement_framework: URIRef | None = None

    @property
    def due_care(self) -> bool:
        """Failing it is careless, not unlawful (wiv:requirementKind concept:requirement-due-care)."""
        return self.requirement == REQUIREMENT_DUE_CARE

    @property
    def due_care_framework(self) -> bool:
        """Like :attr:`due_care`, from the legal framework alone (no assessment of practice)."""
        return self.requirement_framework == REQUIREMENT_DUE_CARE

    @property
    def route(self) -> str:
        """Permissions resting on the same legal basis (or, without one, the same instrument) are
        one route: cumulative among themselves, alternative to other routes."""
        keys = self.legal_bases or self.instruments[:1]
        return " + ".join(sorted(str(k).rsplit("/id/doc/", 1)[-1] for k in keys)) or str(self.iri)


@dataclass
class NormIndex:
    graph: Graph
    norms: list[Norm] = field(default_factory=list)
    by_action: dict = field(default_factory=dict)
    ancestors: dict = field(default_factory=dict)  # concept -> frozenset(self + broader*)
    org_up: dict = field(default_factory=dict)  # party -> frozenset(self + containing units)
    labels: dict = field(default_factory=dict)  # (node, lang) -> label
    schemes: dict = field(default_factory=dict)  # concept -> frozenset(schemes)
    equivalent: dict = field(default_factory=dict)  # concept -> frozenset(equivalents)
    validity: dict = field(default_factory=dict)  # document -> Validity
    parties_of: dict = field(default_factory=dict)  # instrument -> frozenset(parties)
    members_of: dict = field(default_factory=dict)  # cell -> frozenset(members)
    types: dict = field(default_factory=dict)  # node -> frozenset(rdf types)
    under_minister: dict = field(default_factory=dict)  # party -> ministers it falls under
    doc_date: dict = field(default_factory=dict)  # document -> date of the document

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

    def norm_validity(self, norm: Norm) -> tuple[dt.date | None, dt.date | None, bool]:
        """(start, end, known) of a norm: intersection over its instruments with validity data."""
        start, end, known = None, None, False
        for doc in norm.instruments:
            v = self.validity.get(doc)
            if v is None or (v.start is None and v.end is None):
                continue
            known = True
            if v.start and (start is None or v.start > start):
                start = v.start
            if v.end and (end is None or v.end < end):
                end = v.end
        if norm.effective_from:
            known = True
            start = norm.effective_from if start is None else max(start, norm.effective_from)
        return start, end, known


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
    members: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.member):
        members[s].add(o)
    idx.members_of = {k: frozenset(v) for k, v in members.items()}
    parties: dict = defaultdict(set)
    for s, o in g.subject_objects(WIV.party):
        parties[s].add(o)
    idx.parties_of = {k: frozenset(v) for k, v in parties.items()}

    _read_validity(g, idx)
    _read_norms(g, idx)
    return idx


def _read_validity(g: Graph, idx: NormIndex) -> None:
    idx.validity = instrument_validity(g)
    for prop in (ELI.date_document, ELI.date_publication):
        for s, o in g.subject_objects(prop):
            d = _date(o)
            if d is not None and s not in idx.doc_date:
                idx.doc_date[s] = d


def _conditions(g: Graph, nodes) -> tuple:
    out = []
    for c in nodes:
        kinds = frozenset(g.objects(c, WIV.conditionKind)) | frozenset(g.objects(c, ODRL.leftOperand))
        out.append(
            Condition(
                node=c,
                kinds=kinds,
                consenting=tuple(sorted(set(g.objects(c, WIV.consentingParty)) | set(g.objects(c, ODRL.consentingParty)), key=str)),
                decision_by=tuple(sorted(g.objects(c, WIV.decisionBy), key=str)),
                accepted=tuple(sorted(set(g.objects(c, WIV.acceptedValue)) | set(g.objects(c, ODRL.rightOperand)), key=str)),
                counterparty=tuple(sorted(g.objects(c, WIV.counterparty), key=str)),
                source=g.value(c, WIV.source),
            )
        )
    return tuple(sorted(out, key=lambda c: str(c.node)))


def is_practice_passage(source) -> bool:
    """A report's assessment of concrete cases: a ``/praktijk`` subdivision (docs/conventions.md)."""
    return source is not None and "/praktijk" in str(source)


def _from_practice(g: Graph, norm, value) -> bool:
    """The norm's wiv:requirementKind ``value`` rests only on statements sourced in Praktijk passages."""
    sources = [
        g.value(st, WIV.source)
        for st in g.subjects(RDF.subject, norm)
        if g.value(st, RDF.predicate) == WIV.requirementKind and g.value(st, RDF.object) == value
    ]
    return bool(sources) and all(is_practice_passage(s) for s in sources)


def _requirement(g: Graph, idx: NormIndex, norm, framework_only: bool = False) -> URIRef | None:
    """The norm's own wiv:requirementKind, else that of its legal effect (or a broader one).

    ``framework_only``: ignore an own kind that only an assessment of practice states.
    """
    own = g.value(norm, WIV.requirementKind)
    if own is not None and not (framework_only and _from_practice(g, norm, own)):
        return own
    effect = g.value(norm, WIV.legalEffect)
    if effect is None:
        return None
    for e in sorted(idx.up(effect), key=lambda x: (x != effect, str(x))):
        kind = g.value(e, WIV.requirementKind)
        if kind is not None:
            return kind
    return None


def _read_norms(g: Graph, idx: NormIndex) -> None:
    classes = {}
    for cls, modality in NORM_CLASSES.items():
        for sub in _closure(cls, lambda n: g.subjects(RDFS.subClassOf, n)):
            classes[sub] = modality
    seen = set()
    for cls, modality in classes.items():
        for n in g.subjects(RDF.type, cls):
            if n in seen:
                continue
            seen.add(n)

            def objs(*props, _n=n):
                return frozenset(o for p in props for o in g.objects(_n, p))

            source = g.value(n, WIV.source)
            quote = g.value(n, WIV.quote)
            legal_bases = tuple(sorted(objs(WIV.legalBasis), key=str))
            instruments = list(objs(WIV.instrument))
            if not instruments and source is not None:
                doc = g.value(source, WIV.document) or document_of(source)
                if doc is not None:
                    instruments.append(doc)
            for basis in legal_bases:
                doc = g.value(basis, WIV.document) or document_of(basis)
                if doc is not None:
                    instruments.append(doc)
            eff = [d for d in (_date(o) for o in g.objects(n, WIV.effectiveFrom)) if d]
            norm = Norm(
                iri=n,
                modality=modality,
                bearers=objs(WIV.bearer, ODRL.assignee),
                excepts=objs(WIV["except"]),
                actions=objs(ODRL.action),
                precedes=objs(WIV.precedes),
                targets=objs(ODRL.target),
                scopes=objs(WIV.recipientScope),
                recipients=objs(WIV.recipient),
                data_sources=objs(WIV.dataSource),
                contexts=objs(WIV.context),
                counterparties=objs(WIV.counterparty),
                conditions=_conditions(g, objs(WIV.condition, ODRL.duty)),
                constraints=_conditions(g, objs(ODRL.constraint)),
                instruments=tuple(dict.fromkeys(instruments)),
                effective_from=min(eff) if eff else None,
                source=source,
                quote=str(quote) if quote is not None else None,
                legal_effect=g.value(n, WIV.legalEffect),
                legal_bases=legal_bases,
                places=objs(WIV.place),
                requirement=_requirement(g, idx, n),
                from_assessment=WIV.AssessmentNorm in idx.types.get(n, ()),
                requirement_framework=_requirement(g, idx, n, framework_only=True),
            )
            idx.norms.append(norm)
    idx.norms.sort(key=lambda x: str(x.iri))
    by_action: dict = defaultdict(list)
    for norm in idx.norms:
        keys = (norm.actions | norm.precedes) or {None}
        for a in keys:
            by_action[a].append(norm)
    idx.by_action = dict(by_action)


_CACHE: dict[int, tuple[weakref.ref, int, NormIndex]] = {}


def clear_cache() -> None:
    """Forget every cached index (call after changing a graph in place)."""
    _CACHE.clear()


def index_for(graph: Graph | NormIndex) -> NormIndex:
    """The cached index of ``graph`` (built on first use; rebuilt when the graph object changes)."""
    if isinstance(graph, NormIndex):
        return graph
    key = id(graph)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is graph:
        return hit[2]
    idx = build_index(graph)
    try:
        ref = weakref.ref(graph, lambda _r, k=key: _CACHE.pop(k, None))
    except TypeError:  # pragma: no cover - graph types without weak references
        return idx
    _CACHE[key] = (ref, 0, idx)
    return idx
