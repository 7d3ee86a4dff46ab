"""data/sources/manifest.yaml -> data/sources/manifest.ttl (sources, checksums, sourced facts).

Run ``python -m wivgraph.ingest.manifest`` after changing the YAML or a source file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.ingest.writer import write_graph
from wivgraph.namespaces import CONCEPT, DOC, ELI, FACT, WIV, bind_prefixes

KIND_CLASS = {
    "convenant": WIV.Convenant,
    "toezichtsrapport": WIV.SupervisoryReport,
    "selectielijst": WIV.SelectionList,
    "wet": WIV.Law,  # a statute copied from a public source (external: true, externalSource)
    "regeling": WIV.Regulation,  # a ministerial regulation copied from a public source (external)
}
# manifest key -> (predicate, datatype or None for @nl / concept)
FACTS = {
    "title": (ELI.title, "nl"),
    "date": (ELI.date_document, XSD.date),
    "month": (DCTERMS.date, XSD.gYearMonth),
    "place": (WIV.signingPlace, "nl"),
    "publicationReference": (WIV.publicationReference, None),
    "version": (WIV.version, None),
    "publicStatus": (WIV.publicStatus, "concept"),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _object(value: str, kind):
    if kind == "concept":
        return CONCEPT[value]
    if kind == "nl":
        return Literal(value, lang="nl")
    if kind is None:
        return Literal(value)
    return Literal(value, datatype=kind)


def stated_elsewhere(sources: Path) -> set:
    """The triples the other data files state (every ``*.ttl`` under the data folder that holds
    ``sources``, the manifest itself left out)."""
    from wivgraph.load import parse_turtle  # noqa: PLC0415

    data = sources.parent
    graph = Graph()
    for path in sorted(data.rglob("*.ttl")):
        if path.resolve() != (sources / "manifest.ttl").resolve():
            parse_turtle(path, into=graph)
    return set(graph)


def build_manifest(spec_path: Path, sources: Path, elsewhere: set | None = None) -> Graph:
    """The manifest graph from the YAML spec; checksums computed from the files.

    A triple another data file already states (a document's type, title and date in its ingested
    file, a law's links in data/laws/laws.ttl) is left out: every triple is stated in one file
    only, so the union of the named graphs holds no triple twice (the fast store answers on that
    union, docs/performance.md). The manifest's statements (quote and source) still name it.
    ``elsewhere``: those triples (default: :func:`stated_elsewhere` of the data folder).
    """
    if elsewhere is None:
        elsewhere = stated_elsewhere(sources)
    try:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WivgraphError(f"{spec_path}: cannot read manifest ({exc})") from None
    g = bind_prefixes(Graph())
    for entry in spec.get("documents", []):
        slug = entry["slug"]
        doc = DOC[slug]
        file = sources / entry["file"]
        if not file.is_file():
            raise WivgraphError(f"{spec_path}: {slug}: file {entry['file']} not in {sources}")
        if entry["kind"] not in KIND_CLASS:
            raise WivgraphError(f"{spec_path}: {slug}: kind {entry['kind']!r} unknown "
                                f"(expected one of {', '.join(KIND_CLASS)})")
        g.add((doc, RDF.type, ELI.LegalResource))
        g.add((doc, RDF.type, KIND_CLASS[entry["kind"]]))
        g.add((doc, WIV.fileName, Literal(entry["file"])))
        g.add((doc, WIV.sha256, Literal(sha256(file))))
        g.add((doc, DCTERMS.language, Literal(entry["language"])))
        if entry.get("external"):  # copied from outside the five documents: cite where from
            if "externalSource" not in entry:
                raise WivgraphError(f"{spec_path}: {slug}: external without externalSource")
            g.add((doc, WIV.external, Literal(True)))
        for key, pred in (("externalSource", WIV.externalSource), ("seeAlso", RDFS.seeAlso)):
            if key in entry:
                g.add((doc, pred, URIRef(entry[key])))
        for key, (pred, kind) in FACTS.items():
            if key not in entry:
                continue
            fact = entry[key]
            obj = _object(fact["value"], kind)
            g.add((doc, pred, obj))
            stmt = FACT[f"{slug}-{key.lower()}"]
            g.add((stmt, RDF.type, WIV.Statement))
            g.add((stmt, RDF.subject, doc))
            g.add((stmt, RDF.predicate, pred))
            g.add((stmt, RDF.object, obj))
            g.add((stmt, WIV.source, URIRef(f"{doc}/{fact['source']}")))
            g.add((stmt, WIV.quote, Literal(fact["quote"], lang="nl")))
        for annex in entry.get("annexes", []):
            iri = URIRef(f"{doc}/bijlage/{annex['number']}")
            g.add((iri, RDF.type, WIV.Annex))
            g.add((iri, ELI.is_part_of, doc))
            g.add((iri, WIV.document, doc))
            g.add((iri, ELI.number, Literal(annex["number"])))
            g.add((iri, RDFS.label, Literal(annex["label"], lang="nl")))
            g.add((iri, WIV.publicStatus, CONCEPT[annex["publicStatus"]]))
            g.add((iri, WIV.source, URIRef(f"{doc}/{annex['source']}")))
            g.add((iri, WIV.quote, Literal(annex["quote"], lang="nl")))
    for triple in [t for t in g if t in elsewhere]:
        g.remove(triple)
    return g


def write_manifest(root: Path | None = None) -> Path:
    sources = (root / "data" / "sources") if root else paths.sources_dir()
    graph = build_manifest(sources / "manifest.yaml", sources)
    return write_graph(graph, sources / "manifest.ttl",
                       "Generated from data/sources/manifest.yaml by "
                       "`python -m wivgraph.ingest.manifest`; do not edit.")


if __name__ == "__main__":
    print(write_manifest())
