"""Network stage: networkx projections of the RDF graph, their analyses and exports.

Two projections, both derived by SPARQL from the graph (never a hand-kept edge list):

- the cooperation network (undirected): organisations, offices and cells, linked by the
  instruments they are party to together, cell membership and staffing, legal and physical
  housing, representation when signing, and organisational hierarchy;
- the data-flow network (directed): an edge bearer -> recipient for every permission or
  obligation to provide data (action:provide or a narrower action), carrying the norm's
  conditions, source lid and quote.

Both can be restricted to what was in force on a date.

Both are built from a store (:mod:`wivgraph.store`) or an rdflib graph: the projection queries
run on it, and the facts about the terms they return (labels, kinds, conditions, contexts,
instrument dates) are read by pattern from a local graph (:class:`GraphFacts`) or asked of any
other store in batches (:class:`StoreFacts`), so that over an endpoint nothing is copied and
what is received follows the network's size, not the store's.
"""

from __future__ import annotations

import difflib
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

import networkx as nx
from networkx.algorithms import community as nx_community
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from wivgraph.errors import WivgraphError
from wivgraph.errors import shown as shown_value
from wivgraph.namespaces import ELI, ORG, WIV, compact, sparql_prologue
from wivgraph.store import RdflibStore, Store, as_store, one_term
from wivgraph.temporal import instrument_validity
from wivgraph.validate import label_of, pick_label

# Every relation of the cooperation network: (relation type, SPARQL pattern binding ?a ?b and
# optionally ?via (the instrument or cell that makes the link), ?source and ?quote).
COOPERATION_PATTERNS: dict[str, str] = {
    "shared-instrument": """
        ?via wiv:party ?a , ?b . FILTER (STR(?a) < STR(?b))
    """,
    "cell-member": """
        ?a a wiv:Cell ; wiv:member ?b . BIND (?a AS ?via)
        OPTIONAL { ?st rdf:subject ?a ; rdf:predicate wiv:member ; rdf:object ?b ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
    "designates-staff": """
        ?b wiv:designatesStaff ?a . ?a a wiv:Cell . BIND (?a AS ?via)
        OPTIONAL { ?st rdf:subject ?b ; rdf:predicate wiv:designatesStaff ; rdf:object ?a ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
    "supplies-data": """
        ?b wiv:suppliesData ?a . ?a a wiv:Cell . BIND (?a AS ?via)
        OPTIONAL { ?st rdf:subject ?b ; rdf:predicate wiv:suppliesData ; rdf:object ?a ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
    "legal-host": """
        ?a wiv:legalHost ?b . BIND (?a AS ?via)
        OPTIONAL { ?st rdf:subject ?a ; rdf:predicate wiv:legalHost ; rdf:object ?b ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
    "physical-host": """
        ?a wiv:physicalHost ?b . BIND (?a AS ?via)
        OPTIONAL { ?st rdf:subject ?a ; rdf:predicate wiv:physicalHost ; rdf:object ?b ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
    "representation": """
        ?rep wiv:representedParty ?a ; wiv:representedBy ?b .
        OPTIONAL { ?rep wiv:instrument ?via }
        OPTIONAL { ?rep wiv:source ?source ; wiv:quote ?quote }
    """,
    "unit-of": """
        ?a org:unitOf ?b .
        OPTIONAL { ?st rdf:subject ?a ; rdf:predicate org:unitOf ; rdf:object ?b ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
    "under-minister": """
        ?a wiv:underMinister ?b .
        OPTIONAL { ?st rdf:subject ?a ; rdf:predicate wiv:underMinister ; rdf:object ?b ;
                   wiv:source ?source ; wiv:quote ?quote }
    """,
}

DATA_FLOW_QUERY = """
SELECT ?norm ?modality ?from ?to ?action ?category ?instrument ?source ?quote WHERE {
    ?norm a ?modality ; wiv:bearer ?from ; wiv:recipient ?to ; odrl:action ?action ;
          wiv:source ?source ; wiv:quote ?quote .
    VALUES ?modality { wiv:Permission wiv:Obligation }
    ?action skos:broader* action:provide .
    FILTER (isIRI(?from) && isIRI(?to) && ?from != ?to)
    OPTIONAL { ?norm odrl:target ?category }
    OPTIONAL { ?source wiv:document ?instrument }
}
"""

ONWARD_QUERY = """
SELECT ?norm ?holder ?category ?context ?scope ?source ?quote WHERE {
    ?norm a ?modality ; wiv:bearer ?holder ; odrl:action ?action ; wiv:recipientScope ?scope ;
          wiv:source ?source ; wiv:quote ?quote .
    VALUES ?modality { wiv:Permission wiv:Obligation }
    ?action skos:broader* action:pass-onward .
    FILTER NOT EXISTS { ?norm wiv:recipient ?anyone }
    OPTIONAL { ?norm odrl:target ?category }
    OPTIONAL { ?norm wiv:context ?context }
}
"""

# Practical routes (wiv:PracticalRoute): how requests go in practice according to a review
# report. Added to the data-flow network as an edge kind of its own ("practical"), never as a norm.
PRACTICAL_ROUTE_QUERY = """
SELECT ?step ?route ?from ?to ?source ?quote ?label WHERE {
    ?route a wiv:PracticalRoute ; wiv:routeStep ?step .
    ?step wiv:stepFrom ?from ; wiv:stepTo ?to ; wiv:source ?source ; wiv:quote ?quote .
    OPTIONAL { ?route rdfs:label ?label FILTER (lang(?label) = "nl") }
}
"""





@dataclass
class Hop:
    """One directed step of a data-flow path with what it requires.

    ``norms`` permit or require the provision itself; ``onward`` are the rules that govern the
    sender passing on data it received on the previous hop (e.g. CIIC data may leave the AIVD
    only with the originating party's consent), with consent roles resolved to ``origin``.
    """

    source: str
    target: str
    norms: list[dict] = field(default_factory=list)
    onward: list[dict] = field(default_factory=list)
    origin: str = ""

    @property
    def legal(self) -> list[dict]:
        """The norms of this hop; practical-route edges (edge_kind "practical") are not norms."""
        return [n for n in self.norms if n.get("edge_kind") != "practical"]

    @property
    def practical_only(self) -> bool:
        """True when only a practical route, no norm, connects the two ends of this hop."""
        return bool(self.norms) and not self.legal

    @property
    def needs_consent(self) -> bool:
        own = bool(self.legal) and all(
            any(c.get("consent") for c in n["conditions"]) for n in self.legal
        )
        inherited = any(any(c.get("consent") for c in n["conditions"]) for n in self.onward)
        return own or inherited


# --- building ------------------------------------------------------------------------------

#: rows read per question: a network's questions are not truncated
_ALL_ROWS = sys.maxsize
#: terms per VALUES block of a look-up (the gate refuses queries over 100,000 characters)
_BATCH = 300

# What each kind of node is called; a node of two classes takes the first kind of this list
# (the Office NCTV is an organisation).
NODE_CLASSES = (
    (ORG.Organization, "organisation"),
    (ORG.FormalOrganization, "organisation"),
    (ORG.OrganizationalUnit, "unit"),
    (WIV.Office, "office"),
    (ORG.Post, "office"),
    (WIV.Cell, "cell"),
    (WIV.Role, "role"),
)
_CLASS_VALUES = " ".join(f"<{cls}>" for cls, _ in NODE_CLASSES)
_KIND_RANK = {str(cls): rank for rank, (cls, _) in enumerate(NODE_CLASSES)}

KINDS_QUERY = f"""
SELECT ?node ?class WHERE {{ VALUES ?node {{ {{nodes}} }} VALUES ?class {{ {_CLASS_VALUES} }} ?node a ?class . }}
"""

NAMES_QUERY = f"""
SELECT ?node ?class ?name WHERE {{
    VALUES ?class {{ {_CLASS_VALUES} }}
    ?node a ?class .
    OPTIONAL {{ ?node rdfs:label|skos:prefLabel|skos:altLabel ?name }}
}}
"""

LABELS_QUERY = """
SELECT ?node ?predicate ?label WHERE {
    VALUES ?node { {nodes} }
    VALUES ?predicate { skos:prefLabel rdfs:label skos:altLabel }
    ?node ?predicate ?label .
}
"""

CONTEXT_QUERY = """
SELECT ?norm ?context WHERE { VALUES ?norm { {nodes} } ?norm wiv:context ?context . }
"""

CONDITION_QUERY = """
SELECT ?norm ?condition ?kind ?party ?candidate WHERE {
    VALUES ?norm { {nodes} }
    ?norm wiv:condition ?condition .
    OPTIONAL { ?condition wiv:conditionKind ?kind }
    OPTIONAL { ?condition wiv:consentingParty ?party }
    OPTIONAL { ?condition wiv:roleCandidate ?candidate }
}
"""

DOCUMENT_QUERY = """
SELECT ?source ?document WHERE { VALUES ?source { {nodes} } ?source wiv:document ?document . }
"""

# The statements temporal.instrument_validity reads about the given instruments: their dates,
# regime, the entry-into-force nodes that name them, and what replaces or repeals them.
VALIDITY_QUERY = """
SELECT ?s ?p ?o WHERE {
    { VALUES ?s { {nodes} }
      VALUES ?p { wiv:inForceFrom eli:first_date_entry_in_force eli:date_document
                  eli:date_no_longer_in_force wiv:legalRegime }
      ?s ?p ?o . }
    UNION
    { VALUES ?o { {nodes} } VALUES ?p { wiv:replaces eli:repeals } ?s ?p ?o . }
    UNION
    { VALUES ?x { {nodes} } ?s a wiv:EntryIntoForce ; wiv:instrument ?x .
      VALUES ?p { rdf:type wiv:instrument wiv:inForceFrom eli:first_date_entry_in_force }
      ?s ?p ?o . FILTER (?p != rdf:type || ?o = wiv:EntryIntoForce) }
}
"""


def _select(store: Store, body: str) -> list[dict]:
    """The rows of ``body``, in one order whichever engine answered (each has its own), so a
    network and its export are the same for the build cache, an endpoint and an rdflib graph."""
    rows = store.query(sparql_prologue() + body, row_limit=_ALL_ROWS, time_limit=None).rows
    return sorted(rows, key=_row_key)


def _row_key(row: dict) -> tuple:
    return tuple((name, "" if value is None else value.n3()) for name, value in sorted(row.items()))


def _lookup(store: Store, template: str, nodes) -> list[dict]:
    """``template`` asked for ``nodes`` (IRIs; VALUES blocks of at most ``_BATCH`` terms)."""
    iris = sorted({str(n) for n in nodes if isinstance(n, URIRef)})
    rows: list[dict] = []
    for start in range(0, len(iris), _BATCH):
        values = " ".join(_iri_term(iri) for iri in iris[start : start + _BATCH])
        rows += _select(store, template.replace("{nodes}", values))
    return rows


def _iri_term(iri: str) -> str:
    """``<iri>`` for a VALUES block (:func:`wivgraph.store.one_term`: an IRI that cannot be
    written as one term is refused)."""
    return one_term(iri)


def _text(term) -> str | None:
    return str(term) if term is not None else None


class Names:
    """Labels and abbreviations of a set of nodes, read from a store in batches; :meth:`label`
    chooses as :func:`wivgraph.validate.label_of` does (skos:prefLabel before rdfs:label;
    ``lang``, then @nl, then any; else the compact IRI)."""

    def __init__(self, store: Store, nodes):
        self.alt: dict[str, set[str]] = {}
        order = {str(SKOS.prefLabel): 0, str(RDFS.label): 1}
        found: dict[str, set[tuple[int, str, Literal]]] = {}
        for row in _lookup(store, LABELS_QUERY, nodes):
            node, predicate, label = str(row["node"]), str(row["predicate"]), row["label"]
            if predicate == str(SKOS.altLabel):
                self.alt.setdefault(node, set()).add(str(label))
            else:
                found.setdefault(node, set()).add((order[predicate], str(label), label))
        self.labels = {node: [t[2] for t in sorted(v, key=lambda t: t[:2])] for node, v in found.items()}

    def label(self, node, lang: str) -> str:
        if node is None:
            return ""
        labels = self.labels.get(str(node), [])
        if labels:
            return pick_label(labels, lang)
        return compact(node) if isinstance(node, URIRef) else str(node)

    def short(self, node, lang: str) -> str:
        abbreviations = sorted(self.alt.get(str(node), ()))
        return abbreviations[0] if abbreviations else self.label(node, lang)


class StoreFacts:
    """What a network needs to know about its nodes and norms, asked of a store a batch of
    terms at a time (VALUES blocks): a few requests per network, never one per node, and only
    about the terms the network holds (so nothing of a remote store is copied)."""

    def __init__(self, store: Store):
        self.store = store

    def kinds(self, nodes) -> dict[str, str]:
        """The kind of each of ``nodes`` that is an organisation, unit, office, cell or role."""
        ranked: dict[str, int] = {}
        for row in _lookup(self.store, KINDS_QUERY, nodes):
            node, rank = str(row["node"]), _KIND_RANK[str(row["class"])]
            ranked[node] = min(rank, ranked.get(node, rank))
        return {node: NODE_CLASSES[rank][1] for node, rank in ranked.items()}

    def names(self, nodes) -> Names:
        return Names(self.store, nodes)

    def contexts(self, norms) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for row in _lookup(self.store, CONTEXT_QUERY, norms):
            found.setdefault(str(row["norm"]), []).append(str(row["context"]))
        return found

    def conditions(self, norms) -> dict[str, list[dict]]:
        """The conditions of ``norms`` (terms: kind, consenting parties, role candidates)."""
        grouped: dict[str, dict[str, dict]] = {}
        for row in _lookup(self.store, CONDITION_QUERY, norms):
            entry = grouped.setdefault(str(row["norm"]), {}).setdefault(
                str(row["condition"]),
                {"kind_term": row["kind"], "party_terms": set(), "candidates": set()},
            )
            if row["party"] is not None:
                entry["party_terms"].add(row["party"])
            if row["candidate"] is not None:
                entry["candidates"].add(str(row["candidate"]))
        return {norm: list(entries.values()) for norm, entries in grouped.items()}

    def documents(self, sources) -> dict[str, str]:
        found: dict[str, str] = {}
        for row in _lookup(self.store, DOCUMENT_QUERY, sources):
            found.setdefault(str(row["source"]), str(row["document"]))
        return found

    def validity(self, instruments) -> dict:
        """:func:`wivgraph.temporal.instrument_validity` for ``instruments``, from the statements
        about them and about what their validity depends on (replacing instruments, legal
        regimes), read a round of instruments at a time rather than the whole graph."""
        facts = Graph()
        seen: set[str] = set()
        todo = {str(i) for i in instruments if i}
        while todo:
            seen |= todo
            rows = _lookup(self.store, VALIDITY_QUERY, (URIRef(i) for i in todo))
            todo = set()
            for row in rows:
                facts.add((row["s"], row["p"], row["o"]))
                if row["p"] in (WIV.replaces, ELI.repeals):
                    todo.add(str(row["s"]))
                elif row["p"] == WIV.legalRegime:
                    todo.add(str(row["o"]))
            todo -= seen
        return instrument_validity(facts)


class GraphFacts:
    """The same look-ups in a local rdflib graph, by pattern (rdflib's SPARQL joins VALUES
    blocks slowly); labels by :func:`wivgraph.validate.label_of` itself."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def kinds(self, nodes) -> dict[str, str]:
        found = {}
        for node in {n for n in nodes if n is not None}:
            for cls, kind in NODE_CLASSES:
                if (node, RDF.type, cls) in self.graph:
                    found[str(node)] = kind
                    break
        return found

    def names(self, nodes) -> GraphNames:
        return GraphNames(self.graph)

    def contexts(self, norms) -> dict[str, list[str]]:
        return {str(n): [str(c) for c in self.graph.objects(n, WIV.context)] for n in norms}

    def conditions(self, norms) -> dict[str, list[dict]]:
        graph, found = self.graph, {}
        for norm in norms:
            found[str(norm)] = [
                {
                    "kind_term": graph.value(condition, WIV.conditionKind),
                    "party_terms": set(graph.objects(condition, WIV.consentingParty)),
                    "candidates": {str(c) for c in graph.objects(condition, WIV.roleCandidate)},
                }
                for condition in dict.fromkeys(graph.objects(norm, WIV.condition))
            ]
        return found

    def documents(self, sources) -> dict[str, str]:
        found = {}
        for source in sources:
            document = self.graph.value(source, WIV.document)
            if document is not None:
                found[str(source)] = str(document)
        return found

    def validity(self, instruments) -> dict:
        return instrument_validity(self.graph)


class GraphNames:
    """Labels and abbreviations read from a local graph (:func:`wivgraph.validate.label_of`)."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def label(self, node, lang: str) -> str:
        return label_of(self.graph, node, lang)

    def short(self, node, lang: str) -> str:
        abbreviations = sorted({str(a) for a in self.graph.objects(node, SKOS.altLabel)})
        return abbreviations[0] if abbreviations else self.label(node, lang)


def _facts(source: Store | Graph) -> tuple[Store, StoreFacts | GraphFacts]:
    """The store to ask a network's questions and where to look up the facts about its terms."""
    store = as_store(source)
    if isinstance(store, RdflibStore):
        return store, GraphFacts(store.graph)
    return store, StoreFacts(store)


def remote_source(remote: Store) -> Store | Graph:
    """What a network over an endpoint is built from: the endpoint itself, asked the bounded
    questions above, unless it holds classified content; then its copied public view, as
    ``stats`` does (a remote store is not given what may not be shown)."""
    from wivgraph.classification import public_view  # noqa: PLC0415
    from wivgraph.store import holds_classified_content  # noqa: PLC0415

    if holds_classified_content(remote):
        return public_view(remote.fetch_dataset())
    return remote


def in_force(validity: dict, instrument: str | None, on: date | None) -> bool:
    """Whether ``instrument`` was in force on ``on`` (undated instruments count as in force)."""
    if on is None or not instrument:
        return True
    known = validity.get(URIRef(instrument))
    return known is None or known.covers(on)


def cooperation_network(source: Store | Graph, on: date | None = None, lang: str = "nl") -> nx.Graph:
    """Undirected, typed and weighted cooperation network (weight = number of relations)."""
    store, facts = _facts(source)
    found = [
        (relation, row)
        for relation, pattern in COOPERATION_PATTERNS.items()
        for row in _select(store, f"SELECT DISTINCT ?a ?b ?via ?source ?quote WHERE {{ {pattern} }}")
    ]
    kinds = facts.kinds({row[end] for _, row in found for end in ("a", "b")})
    found = [
        (relation, row)
        for relation, row in found
        if str(row["a"]) in kinds and str(row["b"]) in kinds and row["a"] != row["b"]
    ]
    shared = {row["via"] for relation, row in found if relation == "shared-instrument"}
    validity = facts.validity(shared) if on is not None else {}
    names = facts.names({row[key] for _, row in found for key in ("a", "b", "via")})
    network = nx.Graph(name="cooperation")
    for relation, row in found:
        a, b = str(row["a"]), str(row["b"])
        via = _text(row["via"])
        if relation == "shared-instrument" and not in_force(validity, via, on):
            continue
        _add_node(network, names, a, kinds[a], lang)
        _add_node(network, names, b, kinds[b], lang)
        data = network.get_edge_data(a, b) or {"relations": [], "weight": 0}
        evidence = {
            "type": relation,
            "via": via,
            "via_label": names.label(row["via"], lang) if row["via"] is not None else "",
            "source": _text(row["source"]) or "",
            "quote": _text(row["quote"]) or "",
        }
        if evidence not in data["relations"]:
            data["relations"].append(evidence)
            data["weight"] += 1
        network.add_edge(a, b, **data)
    return network


def data_flow_network(
    source: Store | Graph, on: date | None = None, lang: str = "nl"
) -> nx.MultiDiGraph:
    """Directed data flows: one edge per norm that permits or requires providing data."""
    store, facts = _facts(source)
    onward_rows = _select(store, ONWARD_QUERY)
    flow_rows = _select(store, DATA_FLOW_QUERY)
    route_rows = _select(store, PRACTICAL_ROUTE_QUERY)
    conditions = facts.conditions({row["norm"] for row in flow_rows + onward_rows})
    contexts = facts.contexts({row["norm"] for row in flow_rows})
    ends = {row[end] for row in flow_rows + route_rows for end in ("from", "to")}
    kinds = facts.kinds(ends)
    documents: dict[str, str] = {}
    validity: dict = {}
    if on is not None:
        documents = facts.documents({row["source"] for row in onward_rows})
        validity = facts.validity({row["instrument"] for row in flow_rows} | set(documents.values()))
    labelled = ends | {row["category"] for row in flow_rows} | {row["scope"] for row in onward_rows}
    for entries in conditions.values():
        for entry in entries:
            labelled |= {entry["kind_term"], *entry["party_terms"]}
    names = facts.names(labelled)
    network = nx.MultiDiGraph(name="data-flow")
    network.graph["onward"] = _onward_rules(onward_rows, documents, validity, on, names, conditions, lang)
    for row in flow_rows:
        instrument = _text(row["instrument"])
        if not in_force(validity, instrument, on):
            continue
        a, b = str(row["from"]), str(row["to"])
        for node in (a, b):
            _add_node(network, names, node, kinds.get(node, "other"), lang)
        norm = row["norm"]
        category = _text(row["category"]) or ""
        network.add_edge(
            a,
            b,
            # one edge per norm and data category: a norm on two categories (AIVD-IND 2019 art 2
            # lid 3-a) is two flows; keyed on the norm alone, the last row read would win
            key=f"{norm} {category}".strip(),
            norm=str(norm),
            modality=str(row["modality"]).rsplit("#", 1)[-1],
            action=str(row["action"]),
            category=category,
            category_label=names.label(row["category"], lang) if row["category"] else "",
            instrument=instrument or "",
            source=str(row["source"]),
            quote=str(row["quote"]),
            contexts=sorted(contexts.get(str(norm), [])),
            conditions=_condition_entries(conditions, norm, names, lang),
            edge_kind="legal",
        )
    for row in route_rows:
        a, b = str(row["from"]), str(row["to"])
        for node in (a, b):
            _add_node(network, names, node, kinds.get(node, "other"), lang)
        network.add_edge(
            a,
            b,
            key=str(row["step"]),
            norm=str(row["step"]),
            modality="PracticalRoute",
            action="",
            category="",
            category_label="",
            instrument="",
            source=str(row["source"]),
            quote=str(row["quote"]),
            contexts=[],
            conditions=[],
            edge_kind="practical",
            route=str(row["route"]),
            route_label=_text(row["label"]) or "",
        )
    return network


def _onward_rules(rows, documents, validity, on, names, conditions, lang) -> list[dict]:
    """Norms on passing data on to a circle of recipients (no named recipient)."""
    rules: dict[str, dict] = {}
    for row in rows:
        norm = str(row["norm"])
        if not in_force(validity, documents.get(str(row["source"])), on):
            continue
        rule = rules.setdefault(
            norm,
            {
                "norm": norm,
                "holders": set(),
                "categories": set(),
                "contexts": set(),
                "scopes": set(),
                "source": str(row["source"]),
                "quote": str(row["quote"]),
                "conditions": _condition_entries(conditions, row["norm"], names, lang),
            },
        )
        rule["holders"].add(str(row["holder"]))
        rule["scopes"].add(names.label(row["scope"], lang))
        if row["category"] is not None:
            rule["categories"].add(str(row["category"]))
        if row["context"] is not None:
            rule["contexts"].add(str(row["context"]))
    return [
        {key: sorted(value) if isinstance(value, set) else value for key, value in rule.items()}
        for rule in sorted(rules.values(), key=lambda r: r["norm"])
    ]


def _onward_for(flows: nx.MultiDiGraph, holder: str, incoming: list[dict]) -> list[dict]:
    """The onward rules for ``holder`` that cover data received through ``incoming`` norms:
    same cell or cooperation context, or the same data category."""
    contexts = {c for norm in incoming for c in norm.get("contexts", [])}
    categories = {norm["category"] for norm in incoming if norm.get("category")}
    return [
        rule
        for rule in flows.graph.get("onward", [])
        if holder in rule["holders"]
        and (contexts & set(rule["contexts"]) or categories & set(rule["categories"]))
    ]


def _condition_entries(conditions: dict, norm, names: Names | GraphNames, lang: str) -> list[dict]:
    """The conditions of ``norm`` as they are shown: kind and consenting parties by label."""
    out = []
    for entry in conditions.get(str(norm), []):
        kind = entry["kind_term"]
        out.append(
            {
                "kind": str(kind) if kind is not None else "",
                "kind_label": names.label(kind, lang) if kind else "",
                "consent": bool(entry["party_terms"]),
                "consenting": sorted({names.label(p, lang) for p in entry["party_terms"]}),
                "candidates": sorted(entry["candidates"]),
            }
        )
    return sorted(out, key=lambda c: (c["kind"], c["consenting"], c["candidates"]))


def _add_node(network: nx.Graph, names: Names | GraphNames, iri: str, kind: str, lang: str) -> None:
    if iri in network:
        return
    node = URIRef(iri)
    network.add_node(iri, label=names.label(node, lang), short=names.short(node, lang), kind=kind)


# --- naming --------------------------------------------------------------------------------


def resolve_node(source: Store | Graph, name: str) -> str:
    """An organisation, office or cell by IRI, slug, label or abbreviation (case-insensitive)."""
    wanted = name.strip().casefold()
    names: dict[str, set[str]] = {}
    for row in _select(as_store(source), NAMES_QUERY):
        node = str(row["node"])
        candidates = {node, node.rsplit("/", 1)[-1]}
        if row["name"] is not None:
            candidates.add(str(row["name"]))
        for candidate in candidates:
            names.setdefault(candidate.casefold(), set()).add(node)
    hits = names.get(wanted, set())
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        raise WivgraphError(f"party {shown_value(name)} is ambiguous: {', '.join(sorted(hits))}")
    shown = sorted({n for n in names if "/" not in n})
    close = difflib.get_close_matches(wanted, shown, n=6, cutoff=0.4)
    raise WivgraphError(
        f"unknown party {shown_value(name)}; closest known: {', '.join(close) or ', '.join(shown[:8])}"
    )


# --- analyses ------------------------------------------------------------------------------


def centrality(network: nx.Graph) -> list[dict]:
    """Degree and betweenness centrality per node, most central first."""
    simple = nx.Graph(network) if network.is_multigraph() or network.is_directed() else network
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    betweenness = nx.betweenness_centrality(simple)
    rows = [
        {
            "node": node,
            "label": network.nodes[node].get("label", node),
            "degree": simple.degree(node),
            "degree_centrality": round(degree[node], 4),
            "betweenness": round(betweenness[node], 4),
        }
        for node in simple.nodes
    ]
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["label"], r["node"]))


CENTRALITY_HEADER = {"nl": ("tussenligging", "graad", "partij"), "en": ("betweenness", "degree", "party")}


def format_centrality(rows: list[dict], lang: str = "nl") -> str:
    """The :func:`centrality` rows as a plain-text table with headers in ``lang``."""
    between, degree, party = CENTRALITY_HEADER.get(lang, CENTRALITY_HEADER["nl"])
    width = max(11, len(between))
    lines = [f"{between:>{width}}  {degree:>6}  {party}"]
    lines += [f"{r['betweenness']:>{width}.4f}  {r['degree']:>6}  {r['label']}" for r in rows]
    return "\n".join(lines)


def flow_paths(
    flows: nx.MultiDiGraph, source: str, target: str, *, max_hops: int = 4, limit: int = 50
) -> list[list[Hop]]:
    """All simple directed paths ``source`` → ``target``, each hop with its norms and conditions."""
    if source not in flows or target not in flows:
        return []
    simple = nx.DiGraph(flows)
    paths = islice(nx.all_simple_paths(simple, source, target, cutoff=max_hops), limit)
    result = []
    for path in paths:
        hops: list[Hop] = []
        for a, b in zip(path, path[1:], strict=False):
            norms = [dict(data) for _, data in flows.get_edge_data(a, b).items()]
            # by norm; a norm's edges for two data categories stay in the order their rows came
            hop = Hop(a, b, sorted(norms, key=lambda n: n["norm"]), origin=source)
            if hops:
                hop.onward = _onward_for(flows, a, hops[-1].norms)
            hops.append(hop)
        result.append(hops)
    return sorted(result, key=lambda hops: (len(hops), [h.target for h in hops]))


def cut_vertices(network: nx.Graph) -> list[dict]:
    """Nodes whose removal disconnects others, with the nodes they alone connect."""
    simple = nx.Graph(network)
    result = []
    for node in sorted(nx.articulation_points(simple)):
        own = nx.node_connected_component(simple, node) - {node}
        rest = simple.subgraph(own)
        components = sorted(nx.connected_components(rest), key=lambda c: (-len(c), sorted(c)))
        cut_off = sorted(n for comp in components[1:] for n in comp)
        result.append(
            {
                "node": node,
                "label": simple.nodes[node].get("label", node),
                "isolates": [simple.nodes[n].get("label", n) for n in cut_off],
            }
        )
    return result


def _in_order(network: nx.Graph) -> nx.Graph:
    """A simple undirected copy with nodes and edges added in sorted order: greedy modularity
    breaks ties by the order it meets them, which follows the order the store returned rows in."""
    simple = nx.Graph(network)
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(simple.nodes(data=True)))
    ordered.add_edges_from(sorted((*sorted((a, b)), d) for a, b, d in simple.edges(data=True)))
    return ordered


def bridges(network: nx.Graph) -> list[tuple[str, str]]:
    return sorted(tuple(sorted(edge)) for edge in nx.bridges(nx.Graph(network)))


def communities(network: nx.Graph) -> list[list[str]]:
    """Communities by greedy modularity, as sorted label lists, largest first."""
    simple = _in_order(network)
    if simple.number_of_edges() == 0:
        return [[simple.nodes[n].get("label", n)] for n in sorted(simple)]
    groups = nx_community.greedy_modularity_communities(simple, weight="weight")
    named = [sorted(simple.nodes[n].get("label", n) for n in group) for group in groups]
    return sorted(named, key=lambda g: (-len(g), g))


# --- exports -------------------------------------------------------------------------------

NETWORK_FORMATS = ("graphml", "gexf", "json")


def flatten_for_export(network: nx.Graph) -> nx.Graph:
    """A copy whose attributes are strings and numbers only (GraphML/GEXF cannot hold lists)."""
    flat = network.__class__()
    flat.graph["name"] = network.graph.get("name", "")
    for node, data in network.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if isinstance(v, str | int | float)})
    edges = (
        network.edges(keys=True, data=True)
        if network.is_multigraph()
        else ((a, b, None, d) for a, b, d in network.edges(data=True))
    )
    for a, b, key, data in edges:
        attributes = {}
        for name, value in data.items():
            if isinstance(value, str | int | float):
                attributes[name] = value
            else:
                attributes[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        if key is None:
            flat.add_edge(a, b, **attributes)
        else:
            flat.add_edge(a, b, key=key, **attributes)
    return flat


def network_text(network: nx.Graph, fmt: str) -> str:
    """GraphML, GEXF or node-link JSON of ``network``, labels included."""
    if fmt not in NETWORK_FORMATS:
        raise WivgraphError(f"--format {fmt!r}: expected one of {', '.join(NETWORK_FORMATS)}")
    if fmt == "json":
        data = nx.node_link_data(network, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    flat = flatten_for_export(network)
    lines = nx.generate_graphml(flat) if fmt == "graphml" else nx.generate_gexf(flat)
    return "\n".join(lines) + "\n"


def write_network(network: nx.Graph, path: Path, fmt: str) -> None:
    from wivgraph.export import write_atomic  # noqa: PLC0415

    write_atomic(path, network_text(network, fmt))


PATH_TEXT = {
    "nl": {
        "none": "Geen pad gevonden langs de gedocumenteerde gegevensstromen.",
        "path": "Pad {n}",
        "consent": "vergt toestemming",
        "no_consent": "zonder toestemmingsvoorwaarde",
        "conditions": "voorwaarden",
        "source": "bron",
        "onward": "doorgifteregel voor ontvangen gegevens",
        "consent_of": "vergt toestemming van de {role}: hier {origin}",
        "practical": "praktijkroute (geen wettelijke norm)",
    },
    "en": {
        "none": "No path found along the documented data flows.",
        "path": "Path {n}",
        "consent": "needs consent",
        "no_consent": "no consent condition",
        "conditions": "conditions",
        "source": "source",
        "onward": "onward rule for the data received",
        "consent_of": "needs consent of the {role}: here {origin}",
        "practical": "practical route (no legal norm)",
    },
}


def paths_json(flows: nx.MultiDiGraph, paths: list[list[Hop]]) -> list[dict]:
    return [
        {
            "nodes": [hops[0].source] + [h.target for h in hops],
            "labels": [flows.nodes[hops[0].source]["label"]]
            + [flows.nodes[h.target]["label"] for h in hops],
            "needs_consent": any(h.needs_consent for h in hops),
            "hops": [
                {
                    "from": h.source,
                    "to": h.target,
                    "needs_consent": h.needs_consent,
                    "norms": h.norms,
                    "onward": h.onward,
                }
                for h in hops
            ],
        }
        for hops in paths
    ]


def distinct_steps(norms: list[dict]) -> list[dict]:
    """The norms of a hop, each (source lid, quote, conditions) once: two norms drawn from the
    same words (art 2 lid 3 AIVD-IND: one per data category) read as one step."""
    seen, out = set(), []
    for norm in norms:
        key = (
            norm.get("source"),
            " ".join(str(norm.get("quote", "")).split()),
            norm.get("edge_kind"),
            json.dumps(norm.get("conditions", []), sort_keys=True, default=str),
        )
        if key not in seen:
            seen.add(key)
            out.append(norm)
    return out


def format_paths(flows: nx.MultiDiGraph, paths: list[list[Hop]], fmt: str, lang: str) -> str:
    if fmt == "json":
        return json.dumps(paths_json(flows, paths), ensure_ascii=False, indent=2)
    words = PATH_TEXT.get(lang, PATH_TEXT["nl"])
    if not paths:
        return words["none"]
    lines = []
    for number, hops in enumerate(paths, start=1):
        names = [flows.nodes[hops[0].source]["short"]] + [
            flows.nodes[h.target]["short"] for h in hops
        ]
        lines.append(f"{words['path'].format(n=number)}: {' → '.join(names)}")
        for hop in hops:
            marker = words["consent"] if hop.needs_consent else words["no_consent"]
            lines.append(
                f"  {flows.nodes[hop.source]['short']} → {flows.nodes[hop.target]['short']} ({marker})"
            )
            for norm in distinct_steps(hop.norms):
                kinds = ", ".join(
                    c["kind_label"]
                    + (f" ({', '.join(c['consenting'])})" if c["consenting"] else "")
                    for c in norm["conditions"]
                )
                if norm.get("edge_kind") == "practical":
                    lines.append(f"    - {words['practical']}: {norm.get('route_label', '')}")
                lines.append(f"    - {words['source']}: {norm['source']}")
                lines.append(f'      "{norm["quote"]}"')
                if kinds:
                    lines.append(f"      {words['conditions']}: {kinds}")
            origin = flows.nodes[hop.origin]["short"] if hop.origin in flows else ""
            for rule in distinct_steps(hop.onward):
                lines.append(f"    - {words['onward']}: {rule['source']}")
                lines.append(f'      "{rule["quote"]}"')
                consent = [c for c in rule["conditions"] if c["consent"]]
                if consent:
                    who = ", ".join(p for c in consent for p in c["consenting"])
                    lines.append(f"      {words['consent_of'].format(role=who, origin=origin)}")
    return "\n".join(lines)
