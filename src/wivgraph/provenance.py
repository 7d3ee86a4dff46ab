"""Provenance checks: every quote occurs in its source, every curated fact has one."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from wivgraph.namespaces import DCTERMS, ELI, FOAF, ID_BASE, ORG, WIV
from wivgraph.text import normalise

# Names and classification: not legal facts, no statement needed (docs/conventions.md).
ANNOTATION_PREDICATES = frozenset(
    {
        RDF.type,
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.definition,
        SKOS.inScheme,
        SKOS.notation,
        SKOS.scopeNote,
        SKOS.topConceptOf,
        SKOS.hasTopConcept,
        SKOS.broader,
        SKOS.narrower,
        SKOS.closeMatch,
        SKOS.exactMatch,
        WIV.source,
        WIV.quote,
        WIV.external,
        WIV.externalSource,
        DCTERMS.source,
        # technical metadata of our copy of a source file, not claims of the source
        DCTERMS.language,
        WIV.fileName,
        WIV.sha256,
        # a document's or article's title is its name
        ELI.title,
    }
)

# The structure of a subdivision: the subdivision is itself the source of these.
STRUCTURE_PREDICATES = frozenset({ELI.is_part_of, WIV.document, ELI.number, WIV.position, WIV.text})

# Things (organisations, posts, cells, people, documents, subdivisions, concepts): their own
# source/quote says where they are *mentioned*, which covers a literal fact about them only when
# the quote contains that literal. Any other node with a quote is a fact node (a norm, signature,
# event, finding): its quote covers its own triples.
THING_CLASSES = frozenset(
    {
        ORG.Organization,
        ORG.FormalOrganization,
        ORG.OrganizationalUnit,
        ORG.OrganizationalCollaboration,
        ORG.Post,
        WIV.Office,
        WIV.Cell,
        FOAF.Person,
        ELI.LegalResource,
        ELI.LegalResourceSubdivision,
        WIV.Convenant,
        WIV.Law,
        WIV.SupervisoryReport,
        SKOS.Concept,
        SKOS.ConceptScheme,
    }
)

DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


_WS = re.compile(r"\s+")
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n\s*")


@dataclass(frozen=True)
class QuoteProblem:
    node: str
    source: str
    quote: str
    reason: str


def source_text(graph: Graph, source: URIRef) -> str:
    """Normalised text of ``source`` and of every subdivision below it, in document order."""
    texts = []
    stack = [source]
    seen = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        texts.extend(str(t) for t in graph.objects(node, WIV.text))
        texts.extend(str(t) for t in graph.objects(node, ELI.title))
        stack.extend(graph.subjects(ELI.is_part_of, node))
    return normalise(" \n ".join(texts))


def quote_problems(graph: Graph) -> list[QuoteProblem]:
    """Every node with a quote whose source is missing, unknown, or does not contain it."""
    problems = []
    cache: dict[URIRef, str] = {}
    for node, quote in graph.subject_objects(WIV.quote):
        sources = list(graph.objects(node, WIV.source))
        if not sources:
            if graph.value(node, WIV.externalSource) is None:
                problems.append(QuoteProblem(str(node), "", str(quote), "no wiv:source"))
            continue
        wanted = normalise(str(quote))
        found = False
        for source in sources:
            if source not in cache:
                cache[source] = source_text(graph, source)
            if not cache[source]:
                problems.append(
                    QuoteProblem(str(node), str(source), str(quote), "source has no text")
                )
                found = True  # reported once, as a missing source
                break
            if wanted and wanted in cache[source]:
                found = True
                break
        if not found:
            problems.append(
                QuoteProblem(str(node), str(sources[0]), str(quote), "quote not in source text")
            )
    return problems


def external_source_problems(graph: Graph, sources: Path) -> list[QuoteProblem]:
    """Texts and quotes of documents copied from outside (wiv:external, with a wiv:fileName).

    Such a document's subdivisions are curated, not ingested, so their wiv:text must itself occur
    in the registered source file; so must every quote whose source lies in such a document.
    """
    problems = []
    for doc in graph.subjects(WIV.external, Literal(True)):
        name = graph.value(doc, WIV.fileName)
        if name is None:
            continue
        path = sources / str(name)
        if not path.is_file():
            problems.append(QuoteProblem(str(doc), str(path), "", "source file missing"))
            continue
        text = normalise(path.read_text(encoding="utf-8-sig"))
        parts = set(graph.subjects(WIV.document, doc))
        for part in sorted(parts, key=str):
            for t in graph.objects(part, WIV.text):
                if normalise(str(t)) not in text:
                    problems.append(QuoteProblem(str(part), str(path), str(t), "text not in source file"))
        for node, source in graph.subject_objects(WIV.source):
            if source != doc and source not in parts:
                continue
            for quote in graph.objects(node, WIV.quote):
                if normalise(str(quote)) not in text:
                    problems.append(QuoteProblem(str(node), str(path), str(quote), "quote not in source file"))
    return problems


def literal_forms(value: Literal) -> list[str]:
    """How a literal may be written in a Dutch text: a date as "26 mei 2020" (or ISO)."""
    python = value.toPython()
    if isinstance(python, dt.date):
        return [f"{python.day} {DUTCH_MONTHS[python.month - 1]} {python.year}", python.isoformat()]
    return [str(value)]


def quote_states(graph: Graph, node, value) -> bool:
    """True when one of ``node``'s quotes contains ``value`` (a literal, in a form of its own)."""
    if not isinstance(value, Literal):
        return False
    quotes = [normalise(str(q)) for q in graph.objects(node, WIV.quote)]
    return any(normalise(form) in q for form in literal_forms(value) for q in quotes)


def is_thing(graph: Graph, node) -> bool:
    return any(t in THING_CLASSES for t in graph.objects(node, RDF.type))


def unsourced_facts(graph: Graph, curated: Graph) -> list[tuple[str, str, str]]:
    """Triples of ``curated`` about our things that no quote of their own supports.

    Per statement, not per subject: a triple is sourced by a reified ``wiv:Statement`` of exactly
    that triple (with a quote or an external source); by its subject when the subject is a fact
    node with a quote (a date must then be written in that quote, or the node says what it is
    derived from, ``wiv:derivedFrom``) or an external fact; by a thing's quote of where it is
    mentioned only when that quote contains the literal. The structure of a subdivision needs none.
    """
    reified = {
        (graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
        for st in graph.subjects(RDF.type, WIV.Statement)
        if graph.value(st, WIV.quote) is not None or graph.value(st, WIV.externalSource)
    }
    missing = []
    for s, p, o in curated:
        if not isinstance(s, URIRef) or not str(s).startswith(ID_BASE):
            continue
        if p in ANNOTATION_PREDICATES or p in (RDF.subject, RDF.predicate, RDF.object):
            continue
        if (s, p, o) in reified or (s, WIV.externalSource, None) in graph:
            continue
        if is_thing(graph, s):
            covered = p in STRUCTURE_PREDICATES or quote_states(graph, s, o)
        else:
            covered = (s, WIV.quote, None) in graph and (
                not _is_date(o) or quote_states(graph, s, o) or (s, WIV.derivedFrom, None) in graph
            )
        if covered:
            continue
        missing.append((str(s), str(p), o.n3() if isinstance(o, Literal) else str(o)))
    return sorted(missing)


def _is_date(value) -> bool:
    return isinstance(value, Literal) and isinstance(value.toPython(), dt.date)


def undated_sources(graph: Graph) -> list[tuple[str, str, str]]:
    """Date triples (the generated documents' too) that nothing sources.

    A date is sourced by a reified statement of it, by a quote of the node that carries it which
    writes that date, or by a wiv:derivedFrom on that node when it is a fact node.
    """
    reified = {
        (graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
        for st in graph.subjects(RDF.type, WIV.Statement)
        if graph.value(st, WIV.quote) is not None or graph.value(st, WIV.externalSource)
    }
    missing = []
    for s, p, o in graph:
        if not _is_date(o) or not str(s).startswith(ID_BASE) or p == RDF.object:
            continue
        if (s, p, o) in reified or (s, WIV.externalSource, None) in graph:
            continue
        if quote_states(graph, s, o) or (
            not is_thing(graph, s) and (s, WIV.derivedFrom, None) in graph
        ):
            continue
        missing.append((str(s), str(p), o.n3()))
    return sorted(missing)


def _file_variants(text: str) -> list[str]:
    """A source file as the quote check reads it: whitespace folded, a line-end hyphen either
    repaired by :func:`normalise`, dropped, or kept."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    fold = lambda t: _WS.sub(" ", t).strip()  # noqa: E731
    return [normalise(text), fold(_LINE_END_HYPHEN.sub("", text)), fold(_LINE_END_HYPHEN.sub("-", text))]


def file_quote_problems(graph: Graph, sources: Path) -> list[QuoteProblem]:
    """Quotes that do not occur in the *file* of the document their source belongs to.

    The file, not the cleaned wiv:text: footnote lines, page furniture and footnote markers stay
    where the file has them, so a quote that runs across them does not match. Only whitespace and
    line-end hyphenation may differ. Documents without a registered file (wiv:fileName) are skipped.
    """
    files: dict = {}
    for doc, name in graph.subject_objects(WIV.fileName):
        path = sources / str(name)
        files[doc] = _file_variants(path.read_text(encoding="utf-8-sig")) if path.is_file() else None
    problems = []
    for node, source in sorted(graph.subject_objects(WIV.source), key=str):
        doc = source if source in files else graph.value(source, WIV.document)
        if doc not in files:
            continue
        for quote in graph.objects(node, WIV.quote):
            if files[doc] is None:
                problems.append(QuoteProblem(str(node), str(source), str(quote), "source file missing"))
            elif not any(normalise(str(quote)) in variant for variant in files[doc]):
                problems.append(
                    QuoteProblem(str(node), str(source), str(quote), "quote not in source file")
                )
    return problems
