"""Candidate clauses of an ingested convenant that no one has annotated (a draft).

:func:`recognise_clauses` reads the article structure written by ``wivgraph ingest`` and marks, by
heading and wording, the clauses the Aanwijzingen voor convenanten ask for (ontology/clauses.ttl).
Each found clause is a plain relation reified as a ``wiv:Statement`` whose source is the lid (or
article, recital, parties block) and whose quote is that subdivision's whole text. A clause kind
that no wording matches is left out: the toets reports it as "onbekend", never as absent. Only
inside a clause that *was* recognised does the recogniser state what that clause lacks (a
termination clause without a notice period, an evaluation clause without a moment, a publication
clause that names no Staatscourant, signatures "namens deze" with no representation in the
parties block) as a ``wiv:Absence`` quoting the clause. docs/toets.md lists the wordings.
"""

from __future__ import annotations

import re

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from wivgraph.namespaces import ELI, FACT, WIV, bind_prefixes

NUMBERS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
           "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12}
UNITS = {"dag": "D", "dagen": "D", "week": "W", "weken": "W", "maand": "M", "maanden": "M",
         "jaar": "Y", "jaren": "Y"}
_NOTICE = re.compile(r"opzegtermijn van (\w+) (dagen|dag|weken|week|maanden|maand|jaren|jaar)\b", re.I)
_MOMENT = re.compile(r"(jaarlijks|elk jaar|ieder jaar|eens per \w+|eenmaal per \w+|voor het eerst [^.;]*|"
                     r"uiterlijk [^.;]*|binnen \w+ \w+ na [^.;]*|na (?:een|één|twee|drie|vier|vijf) "
                     r"(?:jaar|maanden)[^.;]*|\w+ jaar na [^.;]*)", re.I)
_EVALUATOR = re.compile(r"(?:^|[.;]\s*)([A-Z][^.;]*?)\s+(?:evalueert|evalueren|zal|zullen)\b", re.S)


def _children(graph: Graph, node: URIRef) -> list[URIRef]:
    kids = list(graph.subjects(ELI.is_part_of, node))
    return sorted(kids, key=lambda k: int(graph.value(k, WIV.position) or 0))


def _units(graph: Graph, doc: URIRef) -> list[tuple[URIRef, str, str]]:
    """(subdivision, heading of its article, own text) for every subdivision with text, in order."""
    found: list[tuple[URIRef, str, str]] = []

    def walk(node: URIRef, heading: str) -> None:
        for kid in _children(graph, node):
            title = str(graph.value(kid, ELI.title) or "") if (kid, RDF.type, WIV.Article) in graph else heading
            text = graph.value(kid, WIV.text)
            if text is not None:
                found.append((kid, title.lower(), str(text)))
            walk(kid, title)

    walk(doc, "")
    return found


def notice_period(text: str) -> str | None:
    """'opzegtermijn van drie maanden' -> 'P3M' (None when no period is stated)."""
    m = _NOTICE.search(text)
    if not m:
        return None
    word = m.group(1).lower()
    n = NUMBERS.get(word) or (int(word) if word.isdigit() else None)
    if n is None:
        return None
    return f"P{n}{UNITS[m.group(2).lower()]}"


class _Marks:
    def __init__(self, doc: URIRef):
        self.doc = doc
        self.slug = str(doc).rsplit("/", 1)[-1]
        self.g = bind_prefixes(Graph())
        self.n = 0

    def fact(self, prop: URIRef, obj, source: URIRef, quote: str) -> None:
        self.n += 1
        self.g.add((self.doc, prop, obj))
        st = FACT[f"{self.slug}-recognised-{self.n}"]
        self.g.add((st, RDF.type, WIV.Statement))
        self.g.add((st, RDF.subject, self.doc))
        self.g.add((st, RDF.predicate, prop))
        self.g.add((st, RDF.object, obj))
        self.g.add((st, WIV.source, source))
        self.g.add((st, WIV.quote, Literal(quote, lang="nl")))

    def clause(self, prop: URIRef, source: URIRef, quote: str) -> None:
        if (self.doc, prop, source) not in self.g:
            self.fact(prop, source, source, quote)

    def absent(self, prop: URIRef, source: URIRef, quote: str) -> None:
        self.n += 1
        node = FACT[f"{self.slug}-recognised-absent-{self.n}"]
        self.g.add((node, RDF.type, WIV.Absence))
        self.g.add((node, RDF.subject, self.doc))
        self.g.add((node, RDF.predicate, prop))
        self.g.add((node, WIV.source, source))
        self.g.add((node, WIV.quote, Literal(quote, lang="nl")))

    def has(self, prop: URIRef) -> bool:
        return (self.doc, prop, None) in self.g


def recognise_clauses(graph: Graph, doc: URIRef) -> Graph:
    """Clause facts of ``doc`` recognised from its text in ``graph`` (see the module docstring)."""
    m = _Marks(doc)
    units = _units(graph, doc)
    for node, heading, text in units:
        low = text.lower()
        path = str(node)[len(str(doc)):]
        if path.startswith("/overweging/") and not m.has(WIV.purposeClause):
            m.clause(WIV.purposeClause, node, text)
        if path == "/grondslag":
            m.clause(WIV.statutoryRelationClause, node, text)
        if path == "/partijen" and "vertegenwoordigd" in low:
            m.clause(WIV.representationClause, node, text)
        if "/art/" not in path:
            continue
        if "doel" in heading and not m.has(WIV.purposeClause):
            m.clause(WIV.purposeClause, node, text)
        if "treedt in werking" in low or "treden in werking" in low:
            m.clause(WIV.entryIntoForceClause, node, text)
        if "onbepaalde tijd" in low or "onbepaalde duur" in low:
            m.clause(WIV.durationClause, node, text)
            m.fact(WIV.fixedTerm, Literal(False), node, text)
        elif re.search(r"bepaalde (tijd|duur)|voor de duur van|looptijd van|eindigt (op|met ingang)", low):
            m.clause(WIV.durationClause, node, text)
            m.fact(WIV.fixedTerm, Literal(True), node, text)
        if re.search(r"verleng|voortgezet|voortzetting", low):
            m.clause(WIV.extensionClause, node, text)
        if re.search(r"\bopzegt\b", low) and re.search(r"blijft|eindigt", low):
            m.clause(WIV.terminationConsequencesClause, node, text)
        elif re.search(r"opzeggen|opzegging|opzegtermijn", low) and not path.endswith("/onderdeel/"):
            m.clause(WIV.terminationClause, node, text)
            period = notice_period(text)
            if period:
                m.fact(WIV.noticePeriod, Literal(period, datatype=XSD.duration), node, text)
            else:
                m.absent(WIV.noticePeriod, node, text)
        if "afdwingbaar" in low:
            m.clause(WIV.enforceabilityClause, node, text)
            m.fact(WIV.enforceable, Literal(not re.search(r"niet (in rechte )?afdwingbaar", low)), node, text)
        if "geschil" in low:
            m.clause(WIV.disputeClause, node, text)
        if "evalu" in low:
            m.clause(WIV.evaluationClause, node, text)
            who = _EVALUATOR.search(text)
            if who:
                m.fact(WIV.evaluator, Literal(who.group(1).strip(), lang="nl"), node, text)
            else:
                m.absent(WIV.evaluator, node, text)
            when = _MOMENT.search(text)
            if when:
                m.fact(WIV.evaluationMoment, Literal(when.group(1).strip(), lang="nl"), node, text)
            else:
                m.absent(WIV.evaluationMoment, node, text)
        if "wijzig" in low and re.search(r"instemming|verzoeken|overleg", low) and "omstandigheden" not in low:
            m.clause(WIV.amendmentClause, node, text)
        if "omstandigheden" in low and "wijzig" in low:
            m.clause(WIV.unforeseenCircumstancesClause, node, text)
        if "toetred" in low:
            m.clause(WIV.accessionClause, node, text)
        if re.search(r"gepubliceerd|publicatie|bekendgemaakt|geplaatst", low):
            if "staatscourant" in low:
                m.clause(WIV.publicationClause, node, text)
            elif not m.has(WIV.publicationClause):
                m.absent(WIV.publicationClause, node, text)
        if re.search(r"wordt (\(mede\) )?verstaan onder|hierna te noemen|verder te noemen", low):
            m.clause(WIV.definitionsClause, node, text)
        if "financ" in heading or re.search(r"\bkosten\b", low):
            m.clause(WIV.financialClause, node, text)
        if re.search(r"stuurgroep|werkgroep|commissie", low) and re.search(r"taak|belast", low):
            m.clause(WIV.implementationBodyClause, node, text)
        if re.search(r"toe te zien op de uitvoering|voortgang|monitor", low):
            m.clause(WIV.monitoringClause, node, text)
        if re.search(r"verslag|rapporte", low):
            m.clause(WIV.reportingClause, node, text)
    # an Absence of a publication clause is withdrawn when another lid does publish in the Staatscourant
    if m.has(WIV.publicationClause):
        for absence in list(m.g.subjects(RDF.predicate, WIV.publicationClause)):
            if (absence, RDF.type, WIV.Absence) in m.g:
                m.g.remove((absence, None, None))
    _representation(graph, doc, m)
    return m.g


def _representation(graph: Graph, doc: URIRef, m: _Marks) -> None:
    """Signatures 'namens deze' with no representation in the parties block: an Absence."""
    if m.has(WIV.representationClause):
        return
    for block in sorted(graph.subjects(WIV.onBehalf, Literal(True))):
        if graph.value(block, WIV.document) == doc:
            m.absent(WIV.representationClause, block, str(graph.value(block, WIV.text) or "namens deze"))
            return
