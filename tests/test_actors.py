"""Actors, instruments and laws: labels, sources and the shape of the curated facts."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from wivgraph.load import parse_turtle
from wivgraph.namespaces import FOAF, ORG, WIV

ROOT = Path(__file__).resolve().parents[1]
ACTOR_FILES = sorted((ROOT / "data" / "actors").glob("*.ttl"))
INSTRUMENT_FILES = sorted((ROOT / "data" / "instruments").glob("*.ttl"))
LAW_FILES = sorted((ROOT / "data" / "laws").glob("*.ttl"))
ONTOLOGY = ROOT / "ontology" / "actors.ttl"
DEF = URIRef("https://w3id.org/wivgraph/def")

ORGANISATION_CLASSES = (
    ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit,
    ORG.OrganizationalCollaboration, ORG.Post, WIV.Office, WIV.Cell,
)


def _load(files) -> Graph:
    graph = Graph()
    for path in files:
        parse_turtle(path, into=graph)
    return graph


@pytest.fixture(scope="module")
def actors() -> Graph:
    return _load(ACTOR_FILES + INSTRUMENT_FILES)


def _organisations(graph: Graph) -> set[URIRef]:
    found = set()
    for cls in ORGANISATION_CLASSES:
        found |= set(graph.subjects(RDF.type, cls))
    return found


def _langs(graph: Graph, node, prop) -> set[str]:
    return {o.language for o in graph.objects(node, prop)}


def test_there_are_organisations_and_cells(actors):
    assert len(_organisations(actors)) >= 40


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.prefLabel])
def test_every_organisation_has_dutch_and_english_labels(actors, prop):
    missing = [
        str(node) for node in _organisations(actors)
        if not {"nl", "en"} <= _langs(actors, node, prop)
    ]
    assert missing == []


def test_every_organisation_has_a_source_and_quote(actors):
    missing = [
        str(node) for node in _organisations(actors)
        if actors.value(node, WIV.source) is None or actors.value(node, WIV.quote) is None
    ]
    assert missing == []


def test_every_person_is_named_and_sourced(actors):
    people = set(actors.subjects(RDF.type, FOAF.Person))
    assert people
    for person in people:
        assert actors.value(person, FOAF.name) is not None, person
        assert actors.value(person, WIV.quote) is not None, person


def test_every_signature_is_complete(actors):
    signatures = set(actors.subjects(RDF.type, WIV.Signature))
    assert len(signatures) == 11  # 3 (2005) + 2 (2019) + 6 (2020) signature blocks
    for sig in signatures:
        for prop in (WIV.instrument, WIV.signatory, WIV.capacity, WIV.actsFor, WIV.signingDate,
                     WIV.signingPlace, WIV.source, WIV.quote):
            assert actors.value(sig, prop) is not None, (sig, prop)


def test_signature_parties_are_parties_of_their_instrument(actors):
    for sig in actors.subjects(RDF.type, WIV.Signature):
        instrument = actors.value(sig, WIV.instrument)
        party = actors.value(sig, WIV.actsFor)
        assert (instrument, WIV.party, party) in actors, (sig, party)


def test_every_party_is_reified_with_a_quote(actors):
    for instrument, party in actors.subject_objects(WIV.party):
        statements = [
            st for st in actors.subjects(RDF.subject, instrument)
            if (st, RDF.predicate, WIV.party) in actors and (st, RDF.object, party) in actors
        ]
        assert statements, (instrument, party)
        assert all(actors.value(st, WIV.quote) for st in statements)


def test_no_signature_source_outside_signature_blocks(actors):
    for sig in actors.subjects(RDF.type, WIV.Signature):
        assert "/ondertekening/" in str(actors.value(sig, WIV.source)), sig


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load([ONTOLOGY])


def test_every_term_of_actors_ontology_is_documented(ontology):
    terms = {s for s in ontology.subjects(RDFS.isDefinedBy, DEF)}
    assert terms
    for term in terms:
        assert {"nl", "en"} <= _langs(ontology, term, RDFS.label), term
        assert {"nl", "en"} <= _langs(ontology, term, SKOS.definition), term
        kinds = set(ontology.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term


def test_every_own_term_used_in_the_data_is_declared(actors):
    declared = set()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        declared |= set(_load([path]).subjects(RDFS.isDefinedBy, DEF))
    used = set()
    data = _load(ACTOR_FILES + INSTRUMENT_FILES + LAW_FILES)
    for _s, p, o in data:
        for term in (p, o if p == RDF.type else None):
            if isinstance(term, URIRef) and str(term).startswith(str(WIV)):
                used.add(term)
    assert sorted(str(t) for t in used - declared) == []


def test_staff_designation_is_not_labelled_secondment():
    """Art 4 lid 1 CIIC: parties designate staff; only NCSC staff are seconded (lid 3)."""
    graph = Graph().parse(ONTOLOGY)
    for prop in (WIV.secondsStaff, WIV.doesNotSecondStaff):
        english = {str(v) for v in graph.objects(prop, RDFS.label) if v.language == "en"}
        assert english and not any("second" in label for label in english), (prop, english)
        assert any("designat" in label for label in english), (prop, english)


def test_law_identifier_sources_name_that_identifier():
    """A law's BWB id and its statement cite a page of that very BWB id (Wjsg once cited the Bjsg)."""
    graph = _load(LAW_FILES)
    checked = 0
    for law, bwb in graph.subject_objects(WIV.bwbId):
        if (law, RDF.type, WIV.Law) not in graph:
            continue  # the reified statement itself
        statements = [s for s in graph.subjects(RDF.subject, law)
                      if graph.value(s, RDF.predicate) == WIV.bwbId]
        assert statements, law
        for node in [law, *statements]:
            sources = [str(u) for u in graph.objects(node, WIV.externalSource)]
            assert sources and all(str(bwb) in u for u in sources), (node, bwb, sources)
        checked += 1
    assert checked >= 10


def test_2005_entry_into_force_has_the_rule_but_no_date():
    """Art 15 ties entry into force to a Staatscourant date the sources do not give: no date."""
    graph = _load(INSTRUMENT_FILES)
    doc = URIRef("https://w3id.org/wivgraph/id/doc/convenant-aivd-mivd-2005")
    node = URIRef("https://w3id.org/wivgraph/id/fact/convenant-aivd-mivd-2005-entry-into-force")
    assert "tweede dag na dagtekening van de Staatscourant" in str(graph.value(node, WIV.rule))
    eli_date = URIRef("http://data.europa.eu/eli/ontology#first_date_entry_in_force")
    for subject in (doc, node):
        assert graph.value(subject, WIV.inForceFrom) is None
        assert graph.value(subject, eli_date) is None
