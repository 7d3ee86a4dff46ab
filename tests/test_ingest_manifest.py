"""The source manifest: copies are byte-identical, checksums right, every fact quoted."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from wivgraph import paths
from wivgraph.ingest.manifest import build_manifest, stated_elsewhere
from wivgraph.ingest.writer import to_turtle
from wivgraph.load import parse_turtle
from wivgraph.namespaces import CONCEPT, DOC, ELI, WIV
from wivgraph.text import quote_occurs

SOURCES = paths.sources_dir()
SEEDS = {
    "000": "convenant-aivd-mivd-2005", "001": "ctivd-rapport-22b",
    "002": "convenant-aivd-ind-2019", "003": "convenant-ciic-2020",
    "004": "selectielijst-mivd-2015",
}


@pytest.fixture(scope="module")
def manifest() -> Graph:
    return parse_turtle(SOURCES / "manifest.ttl")


@pytest.fixture(scope="module")
def documents() -> Graph:
    g = Graph()
    for path in sorted((paths.data_dir() / "documents").glob("*.ttl")):
        parse_turtle(path, into=g)
    # the Aanwijzingen voor convenanten (#20) keep their structure and text under data/laws/
    parse_turtle(paths.data_dir() / "laws" / "aanwijzingen-convenanten-2003.ttl", into=g)
    return g


@pytest.fixture(scope="module")
def elsewhere() -> set:
    """The triples the other data files state (the manifest leaves those out)."""
    return stated_elsewhere(SOURCES)


def _with(manifest: Graph, elsewhere: set, doc) -> Graph:
    graph = Graph()
    for triple in manifest:
        graph.add(triple)
    for triple in elsewhere:
        if triple[0] == doc:
            graph.add(triple)
    return graph


def test_manifest_states_no_triple_another_file_states(manifest, elsewhere):
    assert not [t for t in manifest if t in elsewhere]


def test_manifest_is_generated_from_yaml(manifest):
    fresh = build_manifest(SOURCES / "manifest.yaml", SOURCES)
    assert set(fresh) == set(manifest)
    assert (SOURCES / "manifest.ttl").read_text(encoding="utf-8").endswith(to_turtle(fresh)
                                                                             .split("\n\n", 1)[1])


def test_checksums_match_files(manifest, elsewhere):
    docs = set(manifest.subjects(WIV.sha256, None))
    external = set(manifest.subjects(WIV.external, Literal(True)))  # copied from a public URL
    assert docs - external == {DOC[s] for s in SEEDS.values()}
    assert external == {DOC["wiv-2002"], DOC["aanwijzingen-convenanten-2003"]}  # + the Aanwijzingen (#20)
    # (wiv-2002's source is stated once, by data/laws/laws.ttl)
    assert all(_with(manifest, elsewhere, doc).value(doc, WIV.externalSource) is not None
               for doc in external)
    for doc in docs:
        file = SOURCES / str(manifest.value(doc, WIV.fileName))
        assert hashlib.sha256(file.read_bytes()).hexdigest() == str(manifest.value(doc, WIV.sha256))


@pytest.mark.parametrize(("seed", "slug"), sorted(SEEDS.items()))
def test_copies_are_byte_identical(seed, slug):
    seeds = sorted(p for p in (paths.project_root().parent / "shared" / "seeds").glob(f"{seed}_*"))
    if not seeds:
        pytest.skip("seed folder not available")
    assert (SOURCES / f"{slug}.txt").read_bytes() == seeds[0].read_bytes()


def _texts_below(documents: Graph, node: URIRef) -> str:
    parts = [str(t) for t in documents.objects(node, WIV.text)]
    for child in documents.subjects(URIRef(str(ELI.is_part_of)), node):
        parts.append(_texts_below(documents, child))
    return " ".join(parts)


def test_every_fact_has_a_verbatim_quote(manifest, documents, elsewhere):
    statements = set(manifest.subjects(RDF.type, WIV.Statement))
    annexes = set(manifest.subjects(RDF.type, WIV.Annex))
    assert len(statements) == 23  # the Aanwijzingen's title, date, public status (#20); five titles, dates, public statuses, three places, ... (manifest.yaml)
    for node in statements | annexes:
        source = manifest.value(node, WIV.source)
        quote = manifest.value(node, WIV.quote)
        assert source is not None and quote is not None, node
        assert quote_occurs(str(quote), _texts_below(documents, source)), (node, source, quote)
    for stmt in statements:
        s, p, o = (manifest.value(stmt, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        # stated in the manifest, or (once) in the file that already states it
        assert (s, p, o) in manifest or (s, p, o) in elsewhere, (stmt, s, p, o)


def test_annexes_record_existence_and_status_only(manifest):
    status = {str(a).split("/doc/")[1]: manifest.value(a, WIV.publicStatus)
              for a in manifest.subjects(RDF.type, WIV.Annex)}
    assert status == {
        "convenant-aivd-ind-2019/bijlage/1": CONCEPT["non-public"],
        "ctivd-rapport-22b/bijlage/1": CONCEPT["public"],
        "ctivd-rapport-22b/bijlage/2": CONCEPT["secret"],
    }
    for annex in manifest.subjects(RDF.type, WIV.Annex):
        assert manifest.value(annex, WIV.text) is None


# Facts the texts do not give are not recorded (docs/ingest.md, "What the manifest records"):
# the report and the selection list name no place; the selection list gives a month, not a day;
# only the CTIVD report prints a publication reference of its own ("CTIVD nr. 22B").
NO_PLACE = {"ctivd-rapport-22b", "selectielijst-mivd-2015"}
WITH_PUBLICATION_REFERENCE = {"ctivd-rapport-22b"}


@pytest.mark.parametrize("slug", sorted(SEEDS.values()))
def test_every_document_has_its_core_facts(manifest, elsewhere, slug):
    doc = DOC[slug]
    # the manifest with the triples it leaves to the file that states them (type, title, date)
    manifest = _with(manifest, elsewhere, doc)
    assert manifest.value(doc, ELI.title) is not None
    assert set(manifest.objects(doc, RDF.type)) & {WIV.Convenant, WIV.SupervisoryReport,
                                                    WIV.SelectionList}
    assert str(manifest.value(doc, DCTERMS.language)) == "nl"
    assert (manifest.value(doc, ELI.date_document) or manifest.value(doc, DCTERMS.date)) is not None
    assert manifest.value(doc, WIV.publicStatus) is not None, f"{slug} has no public status"
    assert (manifest.value(doc, WIV.signingPlace) is None) == (slug in NO_PLACE)
    assert (manifest.value(doc, WIV.publicationReference) is not None) == \
        (slug in WITH_PUBLICATION_REFERENCE)


def test_aivd_ind_convenant_is_public_with_a_non_public_annex(manifest):
    doc = DOC["convenant-aivd-ind-2019"]
    assert manifest.value(doc, WIV.publicStatus) == CONCEPT["public"]
    annex = URIRef(f"{doc}/bijlage/1")
    assert manifest.value(annex, WIV.publicStatus) == CONCEPT["non-public"]
