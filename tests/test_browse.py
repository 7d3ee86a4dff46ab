"""Library helpers the explorer and the CLI share to name things."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from wivgraph import browse

NODE = URIRef("https://w3id.org/wivgraph/id/doc/wiv-2002")


def _graph(alts: list[str]) -> Graph:
    graph = Graph()
    for alt in alts:
        graph.add((NODE, SKOS.altLabel, Literal(alt, lang="nl")))
    return graph


def test_short_label_does_not_depend_on_triple_order():
    """Two altLabels of the same length: the same one wins whichever was loaded first."""
    first = browse.short_label(_graph(["Wiv 2002", "WIV 2002"]), NODE)
    second = browse.short_label(_graph(["WIV 2002", "Wiv 2002"]), NODE)
    assert first == second
    assert first in {"Wiv 2002", "WIV 2002"}


def test_short_label_prefers_the_shortest_altlabel():
    assert browse.short_label(_graph(["Wet op de i&v-diensten 2002", "Wiv 2002"]), NODE) == "Wiv 2002"


# --- annotations: what rests on a lid, in words (issue #21) -----------------------------------

ANNOTATED = """@prefix wiv: <https://w3id.org/wivgraph/def#> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
<http://example.org/doc/art/1/lid/2> wiv:document ex:doc .
ex:norm a wiv:Permission ; rdfs:label "A mag gegevens aan B geven"@nl, "A may give data to B"@en ;
  wiv:bearer ex:a ; odrl:action ex:give ; wiv:recipient ex:b ;
  wiv:source <http://example.org/doc/art/1/lid/2> ; wiv:quote "A mag aan B verstrekken" ;
  wiv:condition [ a wiv:Condition ; wiv:conditionKind ex:consent ; wiv:consentingParty ex:c ;
                  wiv:source <http://example.org/doc/art/1/lid/2> ; wiv:quote "na toestemming van C" ] ;
  wiv:deadline [ a wiv:Deadline ; wiv:dueWithin "P6M" ; wiv:source <http://example.org/doc/art/1/lid/2> ;
                 wiv:quote "binnen zes maanden" ] .
wiv:Permission rdfs:label "bevoegdheid"@nl, "permission"@en .
ex:a rdfs:label "Partij A"@nl, "Party A"@en .
ex:b rdfs:label "Partij B"@nl, "Party B"@en .
ex:c rdfs:label "Partij C"@nl, "Party C"@en .
ex:give rdfs:label "verstrekken"@nl, "provide"@en .
ex:consent rdfs:label "toestemming"@nl, "consent"@en .
ex:signed wiv:signingDate "2020-05-26"^^xsd:date ; wiv:source <http://example.org/doc/art/1/lid/2> .
wiv:signingDate rdfs:label "datum van ondertekening"@nl, "signing date"@en .
"""


def test_lid_annotations_put_a_norm_in_words_in_both_languages():
    graph = Graph().parse(data=ANNOTATED, format="turtle")
    lid = "http://example.org/doc/art/1/lid/2"
    nl = browse.lid_annotations(graph, lid, "nl")
    norm = nl[0]  # norms first; the condition and deadline sit under it, not on their own
    assert norm.is_norm and norm.kind == "bevoegdheid"
    assert norm.label == "A mag gegevens aan B geven"
    rows = dict(norm.rows)
    assert rows["wie"] == "Partij A" and rows["handeling"] == "verstrekken"
    assert rows["aan wie"] == "Partij B"
    assert rows["voorwaarde"] == "toestemming (toestemming van Partij C): “na toestemming van C”"
    assert rows["termijn"] == "binnen 6 maand(en) (“binnen zes maanden”)"
    assert len(nl) == 2 and dict(nl[1].rows)["datum van ondertekening"] == "26-05-2020"
    en = browse.lid_annotations(graph, lid, "en")
    rows = dict(en[0].rows)
    assert en[0].kind == "permission" and rows["who"] == "Party A" and rows["to whom"] == "Party B"
    assert rows["deadline"] == "within 6 month(s) (“binnen zes maanden”)"
    assert dict(en[1].rows)["signing date"] == "2020-05-26"
    assert ("IRI", "http://example.org/norm") in norm.identifiers


def test_terms_of_other_vocabularies_have_names_not_identifiers():
    graph = Graph()
    cites = URIRef("http://data.europa.eu/eli/ontology#cites")
    assert browse.label(graph, cites, "nl") == "verwijst naar"
    assert browse.label(graph, cites, "en") == "cites"
    assert browse.label(graph, SKOS.Concept, "nl") == "begrip"


def test_one_date_format_per_language():
    from datetime import date

    assert browse.format_date(date(2020, 5, 26), "nl") == "26-05-2020"
    assert browse.format_date(date(2020, 5, 26), "en") == "2020-05-26"
    assert browse.format_date(None, "nl") == "—"
