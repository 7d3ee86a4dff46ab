"""Browse stage: read-only views over the graph for people (explorer, and any CLI command).

Labels in a language, search by label / number / text, every fact about a thing with its source
and quote, a document as a tree of subdivisions, instruments with their dates and what was in
force on a day, the cooperation network, and CTIVD findings by provision. Plain rdflib over an
rdflib ``Graph`` (the asserted union, optionally with the inferred triples added).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from wivgraph.namespaces import ELI, ORG, PREFIXES, WIV, compact
from wivgraph.temporal import as_date, instrument_validity

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, ELI.title, DCTERMS.title)
PROVENANCE_PREDICATES = {WIV.source, WIV.quote, WIV.external, WIV.externalSource}
HIDDEN_PREDICATES = {RDF.type} | PROVENANCE_PREDICATES
STRUCTURE_PREDICATES = {ELI.is_part_of, WIV.document, WIV.position, WIV.text, ELI.number}
WETTEN = "https://wetten.overheid.nl/"


# --- labels ------------------------------------------------------------------------------------


def label(graph: Graph, node: Node | None, lang: str = "nl") -> str:
    """The best label of ``node`` in ``lang``: prefLabel, label, title; falling back to @nl."""
    if node is None:
        return ""
    if isinstance(node, str) and not isinstance(node, Literal | URIRef | BNode):
        node = URIRef(node)
    if isinstance(node, Literal):
        return str(node)
    candidates = [lit for p in LABEL_PREDICATES for lit in graph.objects(node, p)]
    for wanted in (lang, "nl", "", None):
        for lit in candidates:
            if isinstance(lit, Literal) and (lit.language or "") == (wanted or ""):
                return str(lit)
    if candidates:
        return str(candidates[0])
    if isinstance(node, URIRef):
        known = EXTERNAL_LABELS.get(str(node))
        if known:
            return known[1 if lang == "en" else 0]
        return _subdivision_label(graph, node, lang) or compact(node)
    return str(node)


def _external(pairs: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    out = {}
    for short, names in pairs.items():
        prefix, local = short.split(":", 1)
        out[str(PREFIXES[prefix]) + local] = names
    return out


#: readable names (nl, en) of terms from other vocabularies that the data uses without a label
#: of its own, so no page shows ``eli:cites`` or ``skos:Concept``
EXTERNAL_LABELS = _external({
    "dcterms:conformsTo": ("voldoet aan", "conforms to"),
    "dcterms:creator": ("maker", "creator"), "dcterms:date": ("datum", "date"),
    "dcterms:description": ("beschrijving", "description"),
    "dcterms:language": ("taal", "language"), "dcterms:license": ("licentie", "licence"),
    "dcterms:requires": ("vereist", "requires"), "dcterms:title": ("titel", "title"),
    "dcterms:Standard": ("standaard", "standard"),
    "eli:LegalResource": ("juridisch document", "legal resource"),
    "eli:LegalResourceSubdivision": ("onderdeel van een document", "subdivision of a document"),
    "eli:cites": ("verwijst naar", "cites"),
    "eli:date_document": ("datum van het document", "date of the document"),
    "eli:id_local": ("eigen kenmerk", "local identifier"),
    "eli:is_part_of": ("is onderdeel van", "is part of"), "eli:number": ("nummer", "number"),
    "eli:title": ("titel", "title"),
    "foaf:Person": ("persoon", "person"), "foaf:name": ("naam", "name"),
    "foaf:title": ("aanspreektitel", "title"),
    "odrl:Action": ("handeling", "action"), "odrl:action": ("handeling", "action"),
    "odrl:constraint": ("beperking", "constraint"), "odrl:target": ("betreft", "target"),
    "odrl:includedIn": ("valt onder", "included in"),
    "org:FormalOrganization": ("organisatie", "organisation"),
    "org:Organization": ("organisatie", "organisation"),
    "org:OrganizationalCollaboration": ("samenwerkingsverband", "collaboration"),
    "org:OrganizationalUnit": ("organisatieonderdeel", "organisational unit"),
    "org:Post": ("functie", "post"), "org:hasMember": ("heeft als lid", "has member"),
    "org:headOf": ("hoofd van", "head of"), "org:linkedTo": ("verbonden met", "linked to"),
    "org:postIn": ("functie bij", "post in"), "org:reportsTo": ("legt verantwoording af aan", "reports to"),
    "org:unitOf": ("onderdeel van", "unit of"),
    "rdf:type": ("soort", "kind"), "rdfs:comment": ("toelichting", "comment"),
    "rdfs:label": ("naam", "name"), "rdfs:seeAlso": ("zie ook", "see also"),
    "skos:Concept": ("begrip", "concept"), "skos:ConceptScheme": ("begrippenlijst", "concept scheme"),
    "skos:altLabel": ("andere naam", "other name"), "skos:broader": ("valt onder", "broader"),
    "skos:closeMatch": ("komt overeen met", "close match"),
    "skos:definition": ("definitie", "definition"), "skos:inScheme": ("in lijst", "in scheme"),
    "skos:notation": ("code", "notation"), "skos:prefLabel": ("naam", "name"),
    "skos:related": ("verwant aan", "related"), "skos:scopeNote": ("toepassing", "scope note"),
    "time:numericDuration": ("duur", "duration"), "time:unitType": ("eenheid", "unit"),
})  # fmt: skip


def _subdivision_label(graph: Graph, node: URIRef, lang: str) -> str:
    """``artikel 7, lid 2 — <document>`` for a subdivision without a label of its own."""
    doc = graph.value(node, WIV.document)
    if doc is None or doc == node:
        return ""
    tail = str(node)[len(str(doc)) :].strip("/").split("/")
    words = {"art": ("artikel", "Article"), "lid": ("lid", "paragraph")}
    parts = []
    for kind, number in zip(tail[::2], tail[1::2], strict=False):
        nl_en = words.get(kind, (kind, kind))
        parts.append(f"{nl_en[0 if lang == 'nl' else 1]} {number}")
    if len(tail) % 2:
        parts.append(tail[-1])
    return f"{', '.join(parts)} — {short_label(graph, doc, lang)}"


def short_label(graph: Graph, node: Node, lang: str = "nl") -> str:
    """A short name: the shortest altLabel, a trailing "(short name)" of the label, or the label."""
    alts = [a for a in graph.objects(node, SKOS.altLabel) if (a.language or "nl") in (lang, "nl")]
    if alts:
        return str(min(alts, key=lambda a: (a.language != lang, len(str(a)), str(a))))
    full = label(graph, node, lang)
    match = re.search(r"\(([^()]{3,60})\)$", full)
    if match and " " in match.group(1) and re.search(r"[A-Za-z]{3}", match.group(1)):
        return match.group(1)
    return full


def kinds(graph: Graph, node: Node) -> list[URIRef]:
    return sorted(t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef))


def wetten_link(graph: Graph, node: Node) -> str | None:
    """The wetten.overheid.nl page of a law or law article (its rdfs:seeAlso), if any."""
    for predicate in (RDFS.seeAlso, WIV.externalSource, OWL.sameAs):
        for target in graph.objects(node, predicate):
            if str(target).startswith(WETTEN):
                return str(target)
    bwb = graph.value(node, WIV.bwbId)
    if bwb is not None:
        return f"{WETTEN}{bwb}"
    return None


# --- search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    field: str  # label, altLabel, number, text
    snippet: str
    document: str | None


_ARTICLE = re.compile(
    r"^(?:art(?:ikel)?\.?\s*)?(\d+(?:\.\d+)?[a-z]?)(?:\s*(?:lid|,)\s*(\d+))?$", re.I
)


def search(graph: Graph, text: str, lang: str = "nl", limit: int = 200) -> list[Hit]:
    """Things whose label, altLabel, article number or text contains ``text`` (case-insensitive).

    ``"7"``, ``"art 7"`` or ``"artikel 7 lid 2"`` match subdivisions by ``eli:number``.
    """
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return []
    hits: dict[tuple[str, str], Hit] = {}

    def add(node: Node, fld: str, snippet: str) -> None:
        if not isinstance(node, URIRef) or (str(node), fld) in hits:
            return
        doc = graph.value(node, WIV.document)
        hits[(str(node), fld)] = Hit(
            str(node), label(graph, node, lang), fld, snippet, str(doc) if doc else None
        )

    for predicate, fld in (
        (SKOS.prefLabel, "label"),
        (RDFS.label, "label"),
        (ELI.title, "label"),
        (SKOS.altLabel, "altLabel"),
    ):
        for node, value in graph.subject_objects(predicate):
            if wanted in str(value).casefold():
                add(node, fld, str(value))
    article = _ARTICLE.match(wanted)
    if article:
        number, lid = article.group(1), article.group(2)
        for node in graph.subjects(ELI.number, Literal(number)):
            if lid:
                node = next(
                    (
                        c
                        for c in graph.subjects(ELI.is_part_of, node)
                        if str(graph.value(c, ELI.number)) == lid
                    ),
                    None,
                )
                if node is None:
                    continue
            add(node, "number", label(graph, node, lang))
    for node, value in graph.subject_objects(WIV.text):
        body = " ".join(str(value).split())
        at = body.casefold().find(wanted)
        if at >= 0:
            start = max(0, at - 60)
            add(node, "text", ("…" if start else "") + body[start : at + len(wanted) + 60] + "…")
    order = {"label": 0, "altLabel": 1, "number": 2, "text": 3}
    return sorted(hits.values(), key=lambda h: (order[h.field], h.label.casefold()))[:limit]


# --- facts about a thing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    predicate: str
    predicate_label: str
    value: str  # IRI or literal text
    value_label: str
    is_resource: bool
    source: str | None
    source_label: str
    quote: str | None
    document: str | None
    inferred: bool = False
    external_source: str | None = None


@dataclass
class Description:
    iri: str
    label: str
    kinds: list[tuple[str, str]]
    labels: list[tuple[str, str]]  # (text, language) of labels and altLabels
    text: str | None
    source: str | None
    quote: str | None
    outgoing: dict[str, list[Fact]] = field(default_factory=dict)
    incoming: dict[str, list[Fact]] = field(default_factory=dict)
    link: str | None = None


def statement_index(graph: Graph) -> dict[tuple[Node, Node, Node], list[Node]]:
    """(s, p, o) → the reified statements (wiv:Statement, wiv:Citation, ...) that source it."""
    index: dict[tuple[Node, Node, Node], list[Node]] = {}
    for st in graph.subjects(RDF.subject, None):
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None:
            index.setdefault((s, p, o), []).append(st)
    return index


def describe(
    graph: Graph,
    iri: str | URIRef,
    lang: str = "nl",
    *,
    inferred: Graph | None = None,
    statements: dict | None = None,
) -> Description:
    """Every fact about ``iri``, grouped by predicate, each with its source lid and quote.

    A fact's provenance is the reified statement of its triple or, for a fact node, the node's
    own ``wiv:source``/``wiv:quote``. Triples in ``inferred`` are flagged ``inferred``.
    """
    node = URIRef(str(iri))
    statements = statements if statements is not None else statement_index(graph)
    own_source = graph.value(node, WIV.source)
    own_quote = graph.value(node, WIV.quote)
    desc = Description(
        iri=str(node),
        label=label(graph, node, lang),
        kinds=[(str(k), label(graph, k, lang)) for k in kinds(graph, node)],
        labels=sorted(
            {
                (str(v), v.language or "")
                for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel)
                for v in graph.objects(node, p)
                if isinstance(v, Literal)
            }
        ),
        text=_str(graph.value(node, WIV.text)),
        source=_str(own_source),
        quote=_str(own_quote),
        link=wetten_link(graph, node),
    )
    ours = str(WIV)
    for p, o in sorted(
        graph.predicate_objects(node),
        key=lambda po: (not str(po[0]).startswith(ours), str(po[0]), str(po[1])),
    ):
        if p in HIDDEN_PREDICATES or p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel, WIV.text):
            continue
        fact = _fact(graph, (node, p, o), o, lang, statements, inferred, own_source, own_quote)
        desc.outgoing.setdefault(fact.predicate_label, []).append(fact)
    for s, p in sorted(
        graph.subject_predicates(node),
        key=lambda sp: (not str(sp[1]).startswith(ours), str(sp[1]), str(sp[0])),
    ):
        if p in (RDF.subject, RDF.object, WIV.document) or isinstance(s, BNode):
            continue
        fact = _fact(graph, (s, p, node), s, lang, statements, inferred, None, None)
        desc.incoming.setdefault(fact.predicate_label, []).append(fact)
    return desc


def _str(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _fact(graph, triple, value, lang, statements, inferred, own_source, own_quote) -> Fact:
    source, quote, external = None, None, None
    for st in statements.get(triple, []):
        source = graph.value(st, WIV.source)
        quote = graph.value(st, WIV.quote)
        external = graph.value(st, WIV.externalSource)
        if source is not None or external is not None:
            break
    if source is None and external is None:
        subject = triple[0]
        source = own_source if own_source is not None else graph.value(subject, WIV.source)
        quote = own_quote if own_quote is not None else graph.value(subject, WIV.quote)
        external = graph.value(subject, WIV.externalSource)
    is_resource = not isinstance(value, Literal)
    if isinstance(value, BNode):
        value_label = _bnode_summary(graph, value, lang)
    else:
        value_label = label(graph, value, lang) if is_resource else str(value)
    document = graph.value(source, WIV.document) if source is not None else None
    return Fact(
        predicate=str(triple[1]),
        predicate_label=label(graph, triple[1], lang),
        value=str(value),
        value_label=value_label,
        is_resource=isinstance(value, URIRef),
        source=_str(source),
        source_label=label(graph, source, lang) if source is not None else "",
        quote=_str(quote),
        document=_str(document if document is not None else source),
        inferred=inferred is not None and triple in inferred,
        external_source=_str(external),
    )


def _bnode_summary(graph: Graph, node: BNode, lang: str) -> str:
    parts = []
    for p, o in graph.predicate_objects(node):
        if p == RDF.type:
            continue
        shown = _bnode_summary(graph, o, lang) if isinstance(o, BNode) else label(graph, o, lang)
        parts.append(f"{label(graph, p, lang)}: {shown}")
    return "[" + "; ".join(sorted(parts)) + "]"


# --- documents ---------------------------------------------------------------------------------


@dataclass
class Part:
    iri: str
    number: str | None
    title: str | None
    text: str | None
    kind: str  # the path step: art, lid, onderdeel, sectie, overweging, ...
    facts: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (iri, label, kinds)
    children: list[Part] = field(default_factory=list)


def documents(graph: Graph, lang: str = "nl") -> list[tuple[str, str]]:
    """(IRI, label) of every document that has subdivisions, sorted by label."""
    docs = {d for d in graph.objects(None, WIV.document) if isinstance(d, URIRef)}
    return sorted(((str(d), label(graph, d, lang)) for d in docs), key=lambda x: x[1].casefold())


def document_tree(graph: Graph, doc: str | URIRef, lang: str = "nl") -> Part:
    """The document as a tree of subdivisions (by wiv:position) with the facts drawn from each."""
    root = URIRef(str(doc))
    children: dict[Node, list[Node]] = {}
    for part in graph.subjects(WIV.document, root):
        parent = graph.value(part, ELI.is_part_of)
        if parent is not None and part != root:
            children.setdefault(parent, []).append(part)
    drawn: dict[Node, list[Node]] = {}
    for fact, source in graph.subject_objects(WIV.source):
        drawn.setdefault(source, []).append(fact)

    def build(node: Node) -> Part:
        tail = str(node)[len(str(root)) :].strip("/").split("/")
        kind = tail[-2] if len(tail) >= 2 else (tail[-1] or "document")
        part = Part(
            iri=str(node),
            number=_str(graph.value(node, ELI.number)),
            title=_str(graph.value(node, ELI.title)) if node != root else label(graph, node, lang),
            text=_str(graph.value(node, WIV.text)),
            kind=kind,
            facts=sorted(
                (str(f), label(graph, f, lang), [label(graph, k, lang) for k in kinds(graph, f)])
                for f in drawn.get(node, [])
                if isinstance(f, URIRef) and f != node
            ),
        )
        kids = children.get(node, [])
        kids.sort(key=lambda c: (_int(graph.value(c, WIV.position)), _natural(str(c))))
        part.children = [build(c) for c in kids]
        return part

    return build(root)


# --- annotations: what rests on a lid, in words ---------------------------------------------


@dataclass
class Annotation:
    """A fact, norm or citation drawn from one subdivision, put in words for a reader.

    ``rows`` are (field, value) pairs in ``lang``; ``links`` the things it names (label, IRI);
    ``identifiers`` (what, IRI) are for a details expander only.
    """

    iri: str
    kind: str
    label: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    quote: str | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    is_norm: bool = False


#: the fields of a norm in reading order: (predicates, (nl, en))
NORM_FIELDS = (
    ((WIV.bearer, WIV.bearerGroup), ("wie", "who")),
    ((PREFIXES["odrl"]["action"],), ("handeling", "act")),
    ((PREFIXES["odrl"]["target"],), ("wat", "what")),
    ((WIV.recipient, WIV.recipientScope), ("aan wie", "to whom")),
    ((WIV.counterparty,), ("wederpartij", "counterparty")),
    ((WIV.context,), ("verband", "context")),
    ((WIV.legalBasis,), ("wettelijke grondslag", "legal basis")),
    ((WIV.legalEffect,), ("rechtskracht", "legal effect")),
)
_WORDS = {
    "condition": ("voorwaarde", "condition"),
    "consent_of": ("toestemming van", "consent of"),
    "deadline": ("termijn", "deadline"),
    "within": ("binnen", "within"),
    "before": ("vóór", "before"),
    "after": ("na", "after"),
    "kind": ("soort", "kind"),
}
_UNITS = {"Y": ("jaar", "year(s)"), "M": ("maand(en)", "month(s)"), "W": ("week/weken", "week(s)"),
          "D": ("dag(en)", "day(s)")}  # fmt: skip
_DURATION = re.compile(r"^P(\d+)([YMWD])$")


def _word(key: str, lang: str) -> str:
    return _WORDS[key][1 if lang == "en" else 0]


def format_date(value: date | None, lang: str = "nl") -> str:
    """One date format per language: dd-mm-jjjj in Dutch, yyyy-mm-dd in English; "—" if none."""
    if value is None:
        return "—"
    return value.isoformat() if lang == "en" else value.strftime("%d-%m-%Y")


def _literal_text(graph: Graph, value: Node, lang: str) -> str:
    """A literal as a reader writes it: dates per language, ``P6M`` as "6 maand(en)"."""
    text = " ".join(str(value).split())
    day = _date(value) if isinstance(value, Literal) and value.datatype else None
    if day is not None:
        return format_date(day, lang)
    if isinstance(value, Literal) and str(value.datatype or "").endswith("#boolean"):
        yes = text.lower() in ("true", "1")
        return ("yes" if yes else "no") if lang == "en" else ("ja" if yes else "nee")
    match = _DURATION.match(text)
    if match:
        return f"{match.group(1)} {_UNITS[match.group(2)][1 if lang == 'en' else 0]}"
    return text


def _in_lang(graph: Graph, node: Node, predicate: Node, lang: str) -> Node | None:
    """The value of ``predicate`` in ``lang`` when there are language variants."""
    values = list(graph.objects(node, predicate))
    for wanted in (lang, "nl", None):
        for value in values:
            if getattr(value, "language", None) == wanted:
                return value
    return values[0] if values else None


def _names(graph: Graph, nodes, lang: str, links: list) -> str:
    shown = []
    for node in nodes:
        if isinstance(node, Literal):
            shown.append(_literal_text(graph, node, lang))
            continue
        name = label(graph, node, lang)
        if isinstance(node, URIRef) and name == compact(node):  # no label: say what it is
            types = kinds(graph, node)
            name = label(graph, types[0], lang) if types else "—"
        if isinstance(node, URIRef) and (name, str(node)) not in links:
            links.append((name, str(node)))
        shown.append(name)
    return ", ".join(sorted(set(shown), key=str.casefold))


def _deadline_text(graph: Graph, deadline: Node, lang: str) -> str:
    parts = []
    within = graph.value(deadline, WIV.dueWithin)
    amount = graph.value(deadline, PREFIXES["time"]["numericDuration"])
    unit = graph.value(deadline, PREFIXES["time"]["unitType"])
    before = graph.value(deadline, WIV.dueBefore)
    if within is not None:
        parts.append(f"{_word('within', lang)} {_literal_text(graph, within, lang)}")
    elif amount is not None:
        unit_name = label(graph, unit, lang) if unit is not None else ""
        parts.append(f"{_word('within', lang)} {amount} {unit_name}".strip())
    if before is not None:
        parts.append(f"{_word('before', lang)} {_literal_text(graph, before, lang)}")
    anchor = _in_lang(graph, deadline, WIV.anchor, lang)
    if anchor is not None:
        parts.append(f"{_word('after', lang)} {anchor}")
    text = " ".join(parts)
    quote = graph.value(deadline, WIV.quote)
    return f"{text} (“{' '.join(str(quote).split())}”)" if quote and text else (text or str(quote or ""))


def _condition_text(graph: Graph, condition: Node, lang: str, links: list) -> str:
    kind = graph.value(condition, WIV.conditionKind)
    text = label(graph, kind, lang) if kind is not None else _word("condition", lang)
    consenting = list(graph.objects(condition, WIV.consentingParty))
    if consenting:
        text += f" ({_word('consent_of', lang)} {_names(graph, consenting, lang, links)})"
    quote = graph.value(condition, WIV.quote)
    if quote:
        text += f": “{' '.join(str(quote).split())}”"
    return text


def _norm_classes(graph: Graph) -> set[Node]:
    return _subclasses(graph, WIV.Norm) | {WIV.Permission, WIV.Obligation, WIV.Prohibition}


def annotate(graph: Graph, thing: Node, lang: str = "nl", norms: set | None = None) -> Annotation:
    """``thing`` (a norm, a sourced statement or any fact) in words: who, what, condition, ..."""
    norms = norms if norms is not None else _norm_classes(graph)
    types = kinds(graph, thing)
    kind_node = next((t for t in types if t in norms), None) or next(
        (t for t in types if t != WIV.Statement), types[0] if types else None
    )
    note = Annotation(
        iri=str(thing),
        kind=label(graph, kind_node, lang) if kind_node is not None else "",
        label=_own_label(graph, thing, lang),
        quote=_str(graph.value(thing, WIV.quote)),
        identifiers=[("IRI", str(thing))] + [("rdf:type", str(t)) for t in types],
    )
    if kind_node in norms:
        note.is_norm = True
        for predicates, names in NORM_FIELDS:
            values = [v for p in predicates for v in graph.objects(thing, p)]
            if values:
                note.rows.append((names[1 if lang == "en" else 0], _names(graph, values, lang, note.links)))
        for condition in graph.objects(thing, WIV.condition):
            note.rows.append((_word("condition", lang), _condition_text(graph, condition, lang, note.links)))
        for deadline in graph.objects(thing, WIV.deadline):
            note.rows.append((_word("deadline", lang), _deadline_text(graph, deadline, lang)))
        return note
    subject = graph.value(thing, RDF.subject)
    predicate = graph.value(thing, RDF.predicate)
    value = graph.value(thing, RDF.object)
    if subject is not None and predicate is not None:
        # a sourced statement: "<predicate>" over "<subject>: <object>" (no object: absent)
        if WIV.Statement in types or WIV.Citation in types:
            note.kind = label(graph, predicate, lang)
        if isinstance(subject, URIRef) and node_kind(graph, subject) == "instrument":
            who = short_label(graph, subject, lang)
            note.links.append((who, str(subject)))
        else:
            who = _names(graph, [subject], lang, note.links)
        if value is not None:
            note.rows.append((who, _names(graph, [value], lang, note.links)))
        else:
            note.rows.append((who, label(graph, predicate, lang)))
        note.identifiers.append(("rdf:predicate", str(predicate)))
        if value is None and note.label:
            note.rows.insert(0, ("", note.label))
        note.label = ""
        return note
    skip = HIDDEN_PREDICATES | STRUCTURE_PREDICATES | {
        SKOS.prefLabel, RDFS.label, RDFS.comment, SKOS.altLabel, ELI.title, DCTERMS.title,
        RDF.subject, RDF.predicate, RDF.object,
    }
    for p in sorted(set(graph.predicates(thing)) - skip, key=str)[:8]:
        values = list(graph.objects(thing, p))
        if lang_tagged := [v for v in values if getattr(v, "language", None)]:
            values = [_in_lang(graph, thing, p, lang)] + [v for v in values if v not in lang_tagged]
        note.rows.append((label(graph, p, lang), _names(graph, values, lang, note.links)))
    return note


def _own_label(graph: Graph, thing: Node, lang: str) -> str:
    """The thing's label, or "" when it has none (never its identifier)."""
    if not isinstance(thing, URIRef):
        return ""
    name = label(graph, thing, lang)
    return "" if name == compact(thing) else name


def lid_annotations(graph: Graph, node: str | URIRef, lang: str = "nl") -> list[Annotation]:
    """What rests on subdivision ``node`` (its ``wiv:source``), norms first, in words.

    Conditions and deadlines of a norm are shown under the norm, not on their own.
    """
    node = URIRef(str(node))
    norms = _norm_classes(graph)
    parts_of_norms = {
        o for p in (WIV.condition, WIV.deadline) for o in graph.objects(None, p)
    }
    notes = [
        annotate(graph, thing, lang, norms)
        for thing in graph.subjects(WIV.source, node)
        if thing != node and thing not in parts_of_norms
        and not (isinstance(thing, URIRef) and graph.value(thing, WIV.document) is not None)
    ]
    return sorted(notes, key=lambda n: (not n.is_norm, n.kind.casefold(), n.label.casefold(), n.iri))


def _int(value: Node | None) -> int:
    try:
        return int(value) if value is not None else 10**9
    except (TypeError, ValueError):
        return 10**9


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


# --- instruments in time -----------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    iri: str
    label: str
    kind: str
    dated: date | None  # date of the document / signing
    short: str
    start: date | None  # in force from (falls back to ``dated``)
    end: date | None  # replaced, repealed or no longer in force
    replaced_by: str | None


_date = as_date

def _subclasses(graph: Graph, cls: URIRef) -> set[Node]:
    found, todo = {cls}, [cls]
    while todo:
        for sub in graph.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def instruments(graph: Graph, lang: str = "nl") -> list[Instrument]:
    """Every legal resource (document, not subdivision) with its dates, sorted by date."""
    classes = _subclasses(graph, ELI.LegalResource)
    nodes = {
        s
        for cls in classes
        for s in graph.subjects(RDF.type, cls)
        if isinstance(s, URIRef)
        and graph.value(s, WIV.document) in (None, s)
        and graph.value(s, ELI.is_part_of) is None
    }
    nodes |= {d for d in graph.objects(None, WIV.document) if isinstance(d, URIRef)}
    signed: dict[Node, list[date]] = {}
    for sig in graph.subjects(WIV.signingDate, None):
        day = _date(graph.value(sig, WIV.signingDate))
        target = graph.value(sig, WIV.instrument)
        if day and target is not None:
            signed.setdefault(target, []).append(day)
    starts: dict[Node, date | None] = {}
    dated: dict[Node, date | None] = {}
    for node in nodes:
        dated[node] = (
            _date(graph.value(node, ELI.date_document))
            or _date(graph.value(node, DCTERMS.date))
            or (max(signed[node]) if node in signed else None)
        )
        start = _date(graph.value(node, WIV.inForceFrom)) or _date(
            graph.value(node, ELI.first_date_entry_in_force)
        )
        for rule in graph.objects(node, WIV.entryIntoForce):
            start = start or _date(graph.value(rule, WIV.inForceFrom))
        for rule in graph.subjects(WIV.instrument, node):
            if (rule, RDF.type, WIV.EntryIntoForce) in graph:
                start = start or _date(graph.value(rule, WIV.inForceFrom))
        starts[node] = start or dated[node]
    out = []
    for node in nodes:
        end = _date(graph.value(node, ELI.date_no_longer_in_force))
        replaced_by = None
        for newer in list(graph.subjects(WIV.replaces, node)) + list(
            graph.subjects(ELI.repeals, node)
        ):
            replaced_by = str(newer)
            newer_start = starts.get(newer) or _date(graph.value(newer, WIV.inForceFrom))
            if newer_start and (end is None or newer_start < end):
                end = newer_start
        kind = sorted(kinds(graph, node), key=lambda k: str(k).startswith(str(ELI)))
        out.append(
            Instrument(
                iri=str(node),
                label=label(graph, node, lang),
                kind=label(graph, kind[0], lang) if kind else "",
                dated=dated[node],
                short=short_label(graph, node, lang),
                start=starts[node],
                end=end,
                replaced_by=replaced_by,
            )
        )
    return sorted(out, key=lambda i: (i.start or date.max, i.label.casefold()))


def not_in_force(graph: Graph, on: date | None, lang: str = "nl") -> set[str]:
    """IRIs of instruments that were not (yet, or no longer) in force on ``on``.

    Uses the same validity as the checker and the network (:mod:`wivgraph.temporal`);
    instruments without any date are never excluded: the data does not say.
    """
    if on is None:
        return set()
    return {str(iri) for iri, v in instrument_validity(graph).items() if not v.covers(on)}


# --- network -----------------------------------------------------------------------------------

NETWORK_PREDICATES = (
    WIV.party,
    WIV.legalHost,
    WIV.physicalHost,
    WIV.member,
    WIV.secondsStaff,
    WIV.underMinister,
    WIV.replaces,
    WIV.leavesUnaffected,
    WIV.mayBeEstablishedBy,
    ORG.subOrganizationOf,
    ORG.hasSubOrganization,
    ORG.unitOf,
    ORG.hasUnit,
    ORG.memberOf,
    WIV.legalRegime,
)
NETWORK_KINDS = ("organisation", "cell", "instrument")


def node_kind(graph: Graph, node: Node) -> str | None:
    """organisation, cell or instrument (or None) by rdf:type and IRI namespace."""
    text = str(node)
    if text.startswith(str(PREFIXES["cell"])) or (node, RDF.type, WIV.Cell) in graph:
        return "cell"
    if text.startswith(str(PREFIXES["organisation"])):
        return "organisation"
    if text.startswith(str(PREFIXES["doc"])) and "/" not in text[len(str(PREFIXES["doc"])) :]:
        return "instrument"
    types = set(graph.objects(node, RDF.type))
    if types & {ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, WIV.Office}:
        return "organisation"
    if types & _subclasses(graph, ELI.LegalResource):
        return "instrument"
    return None


def network(
    graph: Graph,
    lang: str = "nl",
    *,
    include: tuple[str, ...] = NETWORK_KINDS,
    exclude_iris: set[str] | None = None,
) -> dict:
    """Nodes and edges among organisations, cells and instruments (cytoscape ``elements``)."""
    exclude_iris = exclude_iris or set()
    nodes: dict[str, dict] = {}
    edges: list[dict] = []
    for predicate in NETWORK_PREDICATES:
        for s, o in graph.subject_objects(predicate):
            ks, ko = node_kind(graph, s), node_kind(graph, o)
            if ks not in include or ko not in include:
                continue
            if str(s) in exclude_iris or str(o) in exclude_iris:
                continue
            for n, k in ((s, ks), (o, ko)):
                nodes.setdefault(
                    str(n),
                    {"data": {"id": str(n), "label": k.upper(), "name": label(graph, n, lang)}},
                )
            edges.append(
                {
                    "data": {
                        "id": f"e{len(edges)}",
                        "source": str(s),
                        "target": str(o),
                        "label": label(graph, predicate, lang),
                    }
                }
            )
    return {"nodes": sorted(nodes.values(), key=lambda n: n["data"]["id"]), "edges": edges}


# --- oversight ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    provision: str
    provision_label: str
    iri: str
    kind: str
    label: str
    verdict: str
    source: str | None
    source_label: str
    quote: str | None


def findings_by_provision(graph: Graph, lang: str = "nl") -> dict[str, list[FindingRow]]:
    """CTIVD findings, conclusions and recommendations grouped by the provision they concern."""
    classes = set()
    for cls in (WIV.Finding, WIV.Conclusion, WIV.Recommendation):
        classes |= _subclasses(graph, cls)
    items = {s for cls in classes for s in graph.subjects(RDF.type, cls)}
    groups: dict[str, list[FindingRow]] = {}
    for item in sorted(items, key=str):
        provisions = list(graph.objects(item, WIV.concernsProvision)) or [None]
        kind = kinds(graph, item)
        source = graph.value(item, WIV.source)
        for provision in provisions:
            key = label(graph, provision, lang) if provision is not None else ""
            groups.setdefault(key, []).append(
                FindingRow(
                    provision=_str(provision) or "",
                    provision_label=key,
                    iri=str(item),
                    kind=label(graph, kind[0], lang) if kind else "",
                    label=label(graph, item, lang),
                    verdict=label(graph, graph.value(item, WIV.verdict), lang),
                    source=_str(source),
                    source_label=label(graph, source, lang) if source is not None else "",
                    quote=_str(graph.value(item, WIV.quote)),
                )
            )
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == "", _natural(kv[0]))))


__all__ = [
    "Annotation",
    "annotate",
    "format_date",
    "lid_annotations",
    "Description",
    "Fact",
    "FindingRow",
    "Hit",
    "Instrument",
    "Part",
    "compact",
    "describe",
    "document_tree",
    "documents",
    "findings_by_provision",
    "instruments",
    "label",
    "network",
    "not_in_force",
    "search",
    "statement_index",
    "wetten_link",
]
