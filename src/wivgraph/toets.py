"""Convenantentoets: a convenant checked against the Aanwijzingen voor convenanten (2003).

:func:`toets` gives one :class:`Outcome` per requirement (data/laws/aanwijzingen-convenanten-
requirements.ttl): voldoet / voldoet-niet / te-overwegen / niet-toetsbaar / niet-van-toepassing /
onbekend, with the convenant's provision and the aanwijzing's words. Hard requirements are decided
by the shapes of shapes/aanwijzingen-convenanten.ttl, run on a working copy in which the convenant
is typed wiv:ToetsSubject. A convenant without curated clause facts (data/clauses/) is read by
:func:`wivgraph.ingest.clauses.recognise_clauses`. Nothing is written. docs/toets.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from wivgraph.errors import WivgraphError
from wivgraph.namespaces import CONCEPT, DOC, ELI, SH, SHAPE, WIV, bind_prefixes

OUTCOMES = ("voldoet", "voldoet-niet", "te-overwegen", "niet-toetsbaar", "niet-van-toepassing", "onbekend")
REGULATION = DOC["aanwijzingen-convenanten-2003"]
SUCCESSOR = DOC["aanwijzingen-convenanten-2025"]
SHAPES_FILE = "aanwijzingen-convenanten.ttl"

#: details a hard requirement's shape reads besides the clause itself (present or stated absent)
DETAILS = {
    SHAPE["ToetsSubject-noticePeriod"]: (WIV.noticePeriod,),
    SHAPE["ToetsSubject-evaluation"]: (WIV.evaluator, WIV.evaluationMoment),
    SHAPE["ToetsSubject-entryIntoForceClause"]: (WIV.entryIntoForceClause,),
    SHAPE["ToetsSubject-durationClause"]: (WIV.durationClause,),
}

TEXT = {
    "nl": {
        "scope": "toepassingsbereik, geen eis aan een convenant",
        "condition-false": "niet van toepassing, de voorwaarde geldt niet: {cond}",
        "condition-unknown": "onbekend of de voorwaarde geldt: {cond}",
        "present": "gevonden in {where}",
        "checked": "getoetst aan de normen van het convenant; geen gebrek gevonden",
        "missing": "geen bepaling vastgelegd of herkend; lees de tekst na",
        "question": "vraag: {q}",
        "later": "Let op: dit convenant is gedateerd {d}, op of na 11 oktober 2025; dan geldt de "
                 "Vaststellingsregeling Aanwijzingen voor convenanten 2025 (BWBR0051610), waarvan de "
                 "tekst niet in de graaf is. Getoetst is aan de Aanwijzingen van 2003.",
        "undated": "Let op: het convenant heeft geen datum; valt de ondertekening op of na 11 oktober "
                   "2025, dan geldt de regeling van 2025 (BWBR0051610), die niet in de graaf is. "
                   "Getoetst is aan de Aanwijzingen van 2003.",
        "earlier": "Let op: dit convenant is gedateerd {d}, vóór 1 februari 2003; de Aanwijzingen van "
                   "2003 waren toen niet in werking.",
    },
    "en": {
        "scope": "scope, not a requirement of a convenant",
        "condition-false": "not applicable, the condition does not hold: {cond}",
        "condition-unknown": "unknown whether the condition holds: {cond}",
        "present": "found in {where}",
        "checked": "tested on the convenant's norms; no defect found",
        "missing": "no clause recorded or recognised; read the text",
        "question": "question: {q}",
        "later": "Note: this convenant is dated {d}, on or after 11 October 2025; the applicable "
                 "instrument is the Vaststellingsregeling Aanwijzingen voor convenanten 2025 "
                 "(BWBR0051610), whose text is not in the graph. Tested against the 2003 Instructions.",
        "undated": "Note: the convenant has no date; if it is signed on or after 11 October 2025 the "
                   "2025 regulation (BWBR0051610) applies, which is not in the graph. Tested against "
                   "the 2003 Instructions.",
        "earlier": "Note: this convenant is dated {d}, before 1 February 2003; the 2003 Instructions "
                   "were not yet in force.",
    },
}


@dataclass(frozen=True)
class Outcome:
    aanwijzing: str
    lid: str | None
    outcome: str
    provision: str | None
    quote: str
    reason: str
    warning: str | None
    requirement: str


def _label(graph: Graph, node, lang: str) -> str:
    for pred in (SKOS.prefLabel, RDFS.label):
        for value in graph.objects(node, pred):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
    return str(node).rsplit("/", 1)[-1]


def _lang_value(graph: Graph, node, pred, lang: str) -> str | None:
    values = [v for v in graph.objects(node, pred) if isinstance(v, Literal)]
    for v in values:
        if v.language == lang:
            return str(v)
    return str(values[0]) if values else None


def _absent(graph: Graph, doc: URIRef, prop: URIRef) -> URIRef | None:
    for node in graph.subjects(RDF.predicate, prop):
        if (node, RDF.type, WIV.Absence) in graph and (node, RDF.subject, doc) in graph:
            return graph.value(node, WIV.source)
    return None


def _has_curated_clauses(graph: Graph, doc: URIRef) -> bool:
    clause_props = set(graph.subjects(RDFS.subPropertyOf, WIV.clause))
    return any((doc, p, None) in graph for p in clause_props) or any(
        (n, RDF.subject, doc) in graph for n in graph.subjects(RDF.type, WIV.Absence))


def convenants(graph: Graph) -> list[str]:
    """Slugs of the convenants in the graph (what ``toets`` accepts)."""
    return sorted(str(d).rsplit("/", 1)[-1] for d in set(graph.subjects(RDF.type, WIV.Convenant)))


def document_of(graph: Graph, slug: str) -> URIRef:
    doc = DOC[slug]
    if (doc, RDF.type, WIV.Convenant) not in graph and (None, WIV.document, doc) not in graph:
        known = ", ".join(convenants(graph)) or "none"
        raise WivgraphError(f"{slug}: no convenant with this id in the graph (expected one of: {known})")
    if (None, WIV.document, doc) not in graph:
        raise WivgraphError(f"{slug}: the convenant has no text in the graph (ingest it first)")
    return doc


def working_graph(graph: Graph, doc: URIRef) -> tuple[Graph, bool]:
    """A copy of ``graph`` with the clause facts of ``doc`` (recognised if none are curated) and
    ``doc`` typed wiv:ToetsSubject; True when the clauses were recognised from the text."""
    from wivgraph.ingest.clauses import recognise_clauses  # noqa: PLC0415

    work = bind_prefixes(Graph())
    for triple in graph:
        work.add(triple)
    recognised = not _has_curated_clauses(graph, doc)
    if recognised:
        work += recognise_clauses(graph, doc)
    work.add((doc, RDF.type, WIV.ToetsSubject))
    return work, recognised


def _fired(work: Graph, shapes: Graph, doc: URIRef, lang: str) -> dict[URIRef, list[tuple[str, str]]]:
    from wivgraph.validate import validate_graph  # noqa: PLC0415

    report = validate_graph(work, shapes, lang=lang)
    fired: dict[URIRef, list[tuple[str, str]]] = {}
    for issue in report.issues:
        if issue.focus == str(doc):
            fired.setdefault(URIRef(issue.source_shape), []).append((issue.message, issue.value))
    return fired


def _condition(work: Graph, doc: URIRef, cond: URIRef) -> bool | None:
    """Whether the condition of a requirement holds for ``doc`` (None: the graph cannot tell)."""
    name = str(cond).rsplit("/", 1)[-1]
    fixed = work.value(doc, WIV.fixedTerm)
    enforceable = work.value(doc, WIV.enforceable)
    if name == "condition-indefinite-term":
        return None if fixed is None else not fixed.toPython()
    if name == "condition-fixed-term":
        return None if fixed is None else bool(fixed.toPython())
    if name == "condition-not-enforceable-intended":
        return None if enforceable is None else not enforceable.toPython()
    if name == "condition-enforceable-intended":
        return None if enforceable is None else bool(enforceable.toPython())
    if name in ("condition-termination-clause", "condition-evaluation-clause"):
        prop = WIV.terminationClause if "termination" in name else WIV.evaluationClause
        if (doc, prop, None) in work:
            return True
        return False if _absent(work, doc, prop) is not None else None
    if name == "condition-representative":
        blocks = [b for b in work.subjects(WIV.onBehalf, Literal(True)) if work.value(b, WIV.document) == doc]
        reps = [r for r in work.subjects(WIV.instrument, doc) if (r, RDF.type, WIV.Representation) in work]
        return bool(blocks or reps or (doc, WIV.representationClause, None) in work)
    if name == "condition-norms":
        norm_classes = set(work.transitive_subjects(RDFS.subClassOf, WIV.Norm))
        return True if any(work.value(n, RDF.type) in norm_classes for n in work.subjects(WIV.instrument, doc)) else None
    if name == "condition-summary-publication":
        clauses = list(work.objects(doc, WIV.publicationClause))
        if not clauses:
            return False if _absent(work, doc, WIV.publicationClause) is not None else None
        return any("zakelijke inhoud" in str(work.value(c, WIV.text) or "").lower() for c in clauses)
    if name == "condition-eg-implementation":
        text = " ".join(str(t) for s, t in work.subject_objects(WIV.text) if work.value(s, WIV.document) == doc).lower()
        return None if ("implementatie" in text and ("eg-besluit" in text or "richtlijn" in text)) else False
    raise WivgraphError(f"{cond}: condition not known to the toets (expected one of concept:scheme-toets-conditions)")


def _where(work: Graph, node, lang: str) -> str:
    return _label(work, node, lang) if (node, RDFS.label, None) in work else str(node).split("/id/doc/", 1)[-1]


def _date_warning(work: Graph, doc: URIRef, lang: str) -> str | None:
    value = work.value(doc, ELI.date_document)
    if value is None:
        return TEXT[lang]["undated"]
    signed = value.toPython()
    if not isinstance(signed, date):
        return TEXT[lang]["undated"]
    start = (work.value(SUCCESSOR, WIV.inForceFrom) or Literal(date(2025, 10, 11))).toPython()
    if signed >= start:
        return TEXT[lang]["later"].format(d=signed.isoformat())
    first = (work.value(REGULATION, WIV.inForceFrom) or Literal(date(2003, 2, 1))).toPython()
    if signed < first:
        return TEXT[lang]["earlier"].format(d=signed.isoformat())
    return None


def requirements(graph: Graph) -> list[URIRef]:
    def key(req):
        lid = str(req).rsplit("-", 1)
        return (int(graph.value(req, WIV.aanwijzing)), str(graph.value(req, WIV.source)), lid)
    return sorted(graph.subjects(RDF.type, WIV.Requirement), key=key)


def toets(graph: Graph, slug: str, shapes: Graph, lang: str = "nl") -> list[Outcome]:
    """One outcome per requirement of the Aanwijzingen for convenant ``slug`` in ``graph``."""
    if lang not in TEXT:
        raise WivgraphError(f"--lang {lang}: expected nl or en")
    doc = document_of(graph, slug)
    reqs = requirements(graph)
    if not reqs:
        raise WivgraphError("the graph holds no requirements of the Aanwijzingen voor convenanten "
                            "(data/laws/aanwijzingen-convenanten-requirements.ttl)")
    work, _recognised = working_graph(graph, doc)
    fired = _fired(work, shapes, doc, lang)
    warning = _date_warning(work, doc, lang)
    t = TEXT[lang]
    outcomes = []
    for req in reqs:
        source = work.value(req, WIV.source)
        lid = str(work.value(source, ELI.number)) if (source, RDF.type, WIV.Lid) in work else None
        force = str(work.value(req, WIV.requirementForce)).rsplit("/", 1)[-1]
        clause = work.value(req, WIV.clauseProperty)
        question = _lang_value(work, req, WIV.question, lang)
        reason_text = _lang_value(work, req, WIV.reason, lang)
        provisions = sorted(work.objects(doc, clause)) if clause is not None else []
        provision = provisions[0] if provisions else None
        outcome, reason = _decide(work, doc, req, force, provisions, fired, question, reason_text, t, lang)
        if outcome == "voldoet-niet" and provision is None and clause is not None:
            provision = _absent(work, doc, clause)
        outcomes.append(Outcome(
            aanwijzing=str(work.value(req, WIV.aanwijzing)), lid=lid, outcome=outcome,
            provision=str(provision) if provision is not None else None,
            quote=str(work.value(req, WIV.quote)), reason=reason, warning=warning,
            requirement=str(req)))
    return outcomes


def _decide(work, doc, req, force, provisions, fired, question, reason_text, t, lang) -> tuple[str, str]:
    if force == "force-scope":
        return "niet-van-toepassing", reason_text or t["scope"]
    if force == "force-not-testable":
        return "niet-toetsbaar", reason_text or ""
    cond = work.value(req, WIV.appliesWhen)
    if cond is not None:
        holds = _condition(work, doc, cond)
        name = _label(work, cond, lang)
        if holds is False:
            return "niet-van-toepassing", t["condition-false"].format(cond=name)
        if holds is None:
            return "onbekend", t["condition-unknown"].format(cond=name) + (
                f" ({reason_text})" if reason_text else "")
    found = ", ".join(_where(work, p, lang) for p in provisions)
    if force == "force-consider":
        if provisions:
            return "voldoet", t["present"].format(where=found)
        return "te-overwegen", t["question"].format(q=question) if question else ""
    shapes = list(work.objects(req, WIV.checkedBy))
    messages = [m for s in shapes for m, _v in fired.get(s, [])]
    if messages:
        return "voldoet-niet", "; ".join(sorted(set(messages)))
    details = [p for s in shapes for p in DETAILS.get(s, ())]
    if work.value(req, WIV.clauseProperty) is None and shapes and cond is not None:
        return "voldoet", t["checked"]  # e.g. 7.2: the norms were read and none lacks a bearer
    if provisions and all((doc, p, None) in work for p in details):
        found = ", ".join(_where(work, p, lang) for p in
                          sorted({*provisions, *(o for d in details for o in work.objects(doc, d)
                                                 if isinstance(o, URIRef))}))
        return "voldoet", t["present"].format(where=found)
    if question:
        return "te-overwegen", t["question"].format(q=question)
    return "onbekend", t["missing"]


# --------------------------------------------------------------------------- output


def format_json(outcomes: list[Outcome]) -> str:
    return json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=2)


def format_text(outcomes: list[Outcome], slug: str, lang: str = "nl") -> str:
    head = (f"Convenantentoets {slug} — Aanwijzingen voor convenanten (2003)" if lang == "nl"
            else f"Convenant test {slug} — Instructions for convenants (2003)")
    lines = [head]
    warning = outcomes[0].warning if outcomes else None
    if warning:
        lines.append(warning)
    for o in outcomes:
        ref = f"{o.aanwijzing}" + (f".{o.lid}" if o.lid else "")
        where = o.provision.split("/id/doc/", 1)[-1] if o.provision else "-"
        lines.append(f"{ref:<6} {o.outcome:<20} {where}")
        if o.reason:
            lines.append(f"       {o.reason}")
        lines.append(f"       \u201c{o.quote}\u201d")
    counts = {k: sum(1 for o in outcomes if o.outcome == k) for k in OUTCOMES}
    lines.append(", ".join(f"{k}: {v}" for k, v in counts.items() if v))
    return "\n".join(lines) + "\n"


def format_ttl(outcomes: list[Outcome], slug: str) -> str:
    """The outcomes as Turtle: one node per requirement (dcterms:subject the requirement,
    rdf:value the outcome, dcterms:references the provision, rdfs:comment the reason)."""
    g = bind_prefixes(Graph())
    doc = DOC[slug]
    for o in outcomes:
        node = BNode()
        g.add((node, DCTERMS.subject, URIRef(o.requirement)))
        g.add((node, DCTERMS.isPartOf, doc))
        g.add((node, RDF.value, Literal(o.outcome)))
        if o.provision:
            g.add((node, DCTERMS.references, URIRef(o.provision)))
        if o.reason:
            g.add((node, RDFS.comment, Literal(o.reason)))
        if o.warning:
            g.add((node, SKOS.note, Literal(o.warning)))
    return g.serialize(format="turtle")


def load_toets_shapes(root=None) -> Graph:
    """The toets shapes (and the shared SPARQL prefixes they use)."""
    from wivgraph import paths  # noqa: PLC0415
    from wivgraph.load import parse_turtle  # noqa: PLC0415

    folder = (root or paths.project_root()) / "shapes"
    g = bind_prefixes(Graph())
    for name in (SHAPES_FILE, "prefixes.ttl"):
        parse_turtle(folder / name, into=g)
    # only the shapes on wiv:ToetsSubject: the others (absences, requirements) concern the data
    for shape in list(g.subjects(SH.targetClass, None)):
        if g.value(shape, SH.targetClass) != WIV.ToetsSubject:
            g.remove((shape, SH.targetClass, None))
    return g


def run(slug: str, lang: str = "nl", root=None, graph: Graph | None = None) -> list[Outcome]:
    """Load the project (or use ``graph``) and test convenant ``slug``."""
    if graph is None:
        from wivgraph import fast  # noqa: PLC0415

        # as loaded (nothing withheld, as before): the toets reads structure, not annex text
        graph = fast.rdflib_graph(fast.load_store(root, withhold=False), inferred=False)
    return toets(graph, slug, load_toets_shapes(root), lang)


__all__ = ["CONCEPT", "OUTCOMES", "Outcome", "convenants", "format_json", "format_text", "format_ttl",
           "run", "toets"]
