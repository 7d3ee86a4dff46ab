"""Provenance checks: every quote occurs in its source, every curated fact has one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from wivgraph.namespaces import DCTERMS, ELI, ID_BASE, WIV
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
    }
)


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


def unsourced_facts(graph: Graph, curated: Graph) -> list[tuple[str, str, str]]:
    """Triples of ``curated`` about our things that no source covers (see conventions)."""
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
        if (s, WIV.quote, None) in graph or (s, WIV.externalSource, None) in graph:
            continue  # a fact node carries its own source
        if (s, p, o) in reified:
            continue
        missing.append((str(s), str(p), o.n3() if isinstance(o, Literal) else str(o)))
    return sorted(missing)
