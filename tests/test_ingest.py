"""Ingest: counts, exact lid texts, structure of the five sources, bad input, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from wivgraph import paths
from wivgraph.cli import cli
from wivgraph.errors import WivgraphError
from wivgraph.ingest import (
    ingest_convenant,
    ingest_file,
    ingest_report,
    ingest_selectielijst,
    to_turtle,
)
from wivgraph.namespaces import DOC, ELI, TERM, WIV

SOURCES = paths.sources_dir()
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
KINDS = {
    "convenant-aivd-mivd-2005": ingest_convenant,
    "convenant-aivd-ind-2019": ingest_convenant,
    "convenant-ciic-2020": ingest_convenant,
    "ctivd-rapport-22b": ingest_report,
    "selectielijst-mivd-2015": ingest_selectielijst,
}


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {slug: fn(SOURCES / f"{slug}.txt", slug) for slug, fn in KINDS.items()}


def _count(graph: Graph, cls) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def _text(graph: Graph, slug: str, path: str) -> str:
    value = graph.value(URIRef(f"{DOC[slug]}/{path}"), WIV.text)
    assert value is not None, f"{slug}/{path} has no wiv:text"
    assert value.language == "nl"
    return str(value)


# -- counts ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("slug", "articles", "leden", "onderdelen", "footnotes", "considerations", "signatures"),
    [
        ("convenant-aivd-mivd-2005", 15, 36, 0, 0, 15, 3),
        ("convenant-aivd-ind-2019", 5, 15, 0, 0, 1, 2),
        ("convenant-ciic-2020", 17, 26, 5, 2, 8, 6),
    ],
)
def test_convenant_counts(graphs, slug, articles, leden, onderdelen, footnotes, considerations,
                          signatures):
    g = graphs[slug]
    assert _count(g, WIV.Article) == articles
    assert _count(g, WIV.Lid) == leden
    assert _count(g, WIV.Onderdeel) == onderdelen
    assert _count(g, WIV.Footnote) == footnotes
    assert _count(g, WIV.Consideration) == considerations
    assert _count(g, WIV.SignatureBlock) == signatures


def test_ciic_leden_per_article(graphs):
    g = graphs["convenant-ciic-2020"]
    per_article = {
        str(g.value(art, ELI.number)): len(set(g.subjects(ELI.is_part_of, art)) & set(
            g.subjects(RDF.type, WIV.Lid)))
        for art in g.subjects(RDF.type, WIV.Article)
    }
    assert per_article == {"1": 0, "2": 0, "3": 0, "4": 6, "5": 3, "6": 3, "7": 2, "8": 0,
                           "9": 5, "10": 0, "11": 0, "12": 0, "13": 2, "14": 2, "15": 0,
                           "16": 3, "17": 0}


def test_2005_chapters_group_articles(graphs):
    g = graphs["convenant-aivd-mivd-2005"]
    assert _count(g, WIV.Chapter) == 15
    art3 = URIRef(f"{DOC['convenant-aivd-mivd-2005']}/art/3")
    chapter = g.value(art3, ELI.is_part_of)
    assert str(g.value(chapter, ELI.title)) == "Externe verstrekking van gegevens"
    assert g.value(art3, WIV.document) == DOC["convenant-aivd-mivd-2005"]
    lid = URIRef(f"{art3}/lid/2")
    assert str(g.value(lid, ELI.number)) == "3.2"
    assert g.value(lid, WIV.position) == Literal(2)


# -- exact texts (copied from the sources, line breaks joined) ---------------------------------

CIIC_ART7_LID2 = (
    "De op grond van artikel 5, eerste lid, aan de CIIC verstrekte gegevens onderscheidenlijk de "
    "vermelding daarvan in de op basis van die gegevens in de CIIC ontwikkelde analyses, worden aan "
    "andere onderdelen van de AIVD, aan andere partijen of aan andere personen of organisaties niet "
    "verstrekt onderscheidenlijk kenbaar gemaakt dan nadat hiervoor uitdrukkelijk toestemming is "
    "verleend door de partij waarvan de desbetreffende gegevens afkomstig zijn."
)


@pytest.mark.parametrize(
    ("slug", "path", "expected"),
    [
        ("convenant-ciic-2020", "art/7/lid/2", CIIC_ART7_LID2),
        ("convenant-ciic-2020", "art/11", "Dit convenant is niet in rechte afdwingbaar."),
        ("convenant-ciic-2020", "art/4/lid/6",
         "De medewerkers, die op grond van het eerste lid worden aangewezen om werkzaamheden te "
         "verrichten in de CIIC, zullen voorafgaand aan het verrichten van die werkzaamheden een "
         "A-veiligheidsonderzoek ondergaan."),
        ("convenant-ciic-2020", "art/9/lid/3",
         "De stuurgroep voert periodiek, en ten minste vier maal per jaar, overleg."),
        ("convenant-ciic-2020", "art/1/onderdeel/c",
         "cyberincident: gebeurtenis met een schadelijk effect op de beveiliging van netwerk- en "
         "informatiesystemen."),
        ("convenant-ciic-2020", "art/9/lid/1/onderdeel/a",
         "toe te zien op de uitvoering van de afspraken in dit convenant over de samenwerking in "
         "de CIIC;"),
        ("convenant-aivd-mivd-2005", "art/3/lid/2",
         "Gegevens die tussen de AIVD en de MIVD over en weer worden uitgewisseld, worden door de "
         "ontvangende dienst niet aan derden verstrekt behoudens toestemming vooraf van de dienst "
         "die de gegevens heeft verstrekt."),
        ("convenant-aivd-mivd-2005", "art/3/lid/1",
         "De AIVD en MIVD kunnen gezamenlijk extern gegevens verstrekken."),
        ("convenant-aivd-mivd-2005", "art/8/lid/4",
         "Indien de samenwerking door één van de diensten is aangegaan wordt de andere dienst in de "
         "gelegenheid gesteld van de opbrengst van deze technische samenwerking gebruik te maken, "
         "mits dit niet in strijd is met de afspraken met de internationale partners"),
        ("convenant-aivd-mivd-2005", "art/9/lid/2",
         "De AIVD zal vanaf begin 2006 participeren in het Defensie Inlichtingen- en "
         "veiligheidsinstituut (DIVI)."),
        ("convenant-aivd-mivd-2005", "art/11/lid/7",
         "De coördinator rapporteert schriftelijk aan de Minister-President, de minister van "
         "Binnenlandse Zaken en Koninkrijksrelaties en de minister van Defensie jaarlijks diens "
         "bevindingen."),
        ("convenant-aivd-mivd-2005", "art/13",
         "De partijen bij dit convenant zullen de uitvoering en werking van dit convenant jaarlijks "
         "evalueren en waar nodig aanpassen."),
        ("convenant-aivd-ind-2019", "art/2/lid/3",
         "In verband met het in voorgaande lid bepaalde zullen gegevens die van belang kunnen zijn "
         "voor de taakuitvoering van de IND door de AIVD binnen tien werkdagen of zoveel eerder als "
         "mogelijk is door middel van een ambtsbericht aan de IND worden verstrekt. Als het "
         "voornemen bestaat om een ambtsbericht uit te brengen, maar dit ambtsbericht niet binnen "
         "tien werkdagen kan worden uitgebracht, wordt de IND-liaison hiervan binnen uiterlijk deze "
         "tien dagen in kennis gesteld."),
        ("convenant-aivd-ind-2019", "art/5/lid/1", "Dit convenant bevat een niet openbare bijlage."),
        ("convenant-aivd-ind-2019", "art/4/lid/2",
         "Elke partij kan het convenant met inachtneming van een opzegtermijn van drie maanden "
         "schriftelijk opzeggen."),
    ],
)
def test_exact_text(graphs, slug, path, expected):
    assert _text(graphs[slug], slug, path) == expected


def test_footnote_marker_removed_and_linked(graphs):
    g = graphs["convenant-ciic-2020"]
    slug = "convenant-ciic-2020"
    considering = _text(g, slug, "overweging/1")
    assert "aan de Tweede Kamer is aangeboden, is dat" in considering
    assert "aangeboden1" not in considering
    note = URIRef(f"{DOC[slug]}/voetnoot/1")
    assert _text(g, slug, "voetnoot/1") == "Kamerstukken II 2017/18, 26 643, nr. 536"
    assert (URIRef(f"{DOC[slug]}/overweging/1"), WIV.footnote, note) in g
    # the footnote stood inside the "gelet op" list; the list reads on without it
    assert "65 tot en met 69, 86" in _text(g, slug, "grondslag")


def test_article_titles(graphs):
    ciic = graphs["convenant-ciic-2020"]
    ind = graphs["convenant-aivd-ind-2019"]
    assert str(ciic.value(URIRef(f"{DOC['convenant-ciic-2020']}/art/7"), ELI.title)) == \
        "verstrekking van gegevens vanuit CIIC"
    assert str(ind.value(URIRef(f"{DOC['convenant-aivd-ind-2019']}/art/1"), ELI.title)) == \
        "Samenwerking"


def test_signature_blocks(graphs):
    g = graphs["convenant-ciic-2020"]
    block = URIRef(f"{DOC['convenant-ciic-2020']}/ondertekening/1")
    assert str(g.value(block, WIV.printedName)) == "E.S.M. Akerboom"
    assert str(g.value(block, WIV.printedCapacity)) == \
        "De Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    assert str(g.value(block, WIV.signingPlace)) == "Den Haag"
    assert str(g.value(block, WIV.signingDate)) == "2020-05-26"
    assert g.value(block, WIV.onBehalf) == Literal(True)
    g05 = graphs["convenant-aivd-mivd-2005"]
    third = URIRef(f"{DOC['convenant-aivd-mivd-2005']}/ondertekening/3")
    assert str(g05.value(third, WIV.printedName)) == "H.G.J. Kamp"
    assert str(g05.value(third, WIV.signingDate)) == "2005-07-08"
    assert str(g05.value(DOC["convenant-aivd-mivd-2005"], ELI.date_document)) == "2005-07-08"


def test_page_furniture_removed(graphs):
    for slug, g in graphs.items():
        for text in g.objects(None, WIV.text):
            assert " van 51" not in text and "Pagina 110" not in text, slug


# -- report and selection list ---------------------------------------------------------------------

def test_report_structure(graphs):
    g = graphs["ctivd-rapport-22b"]
    slug = "ctivd-rapport-22b"
    assert _count(g, WIV.Chapter) == 10
    assert _count(g, WIV.Section) == 18  # 3.1 ... 9.3 (subsections have their own classes)
    assert _count(g, WIV.PracticeSection) == 35
    assert _count(g, WIV.PolicySection) == 12
    assert _count(g, WIV.Footnote) == 38
    assert _count(g, WIV.Summary) == 1
    sec = URIRef(f"{DOC[slug]}/sectie/5.2")
    assert str(g.value(sec, ELI.title)) == "Verstrekking van persoonsgegevens"
    assert g.value(sec, ELI.is_part_of) == URIRef(f"{DOC[slug]}/sectie/5")
    practice = URIRef(f"{DOC[slug]}/sectie/5.3/praktijk/2")
    assert str(g.value(practice, ELI.title)) == \
        "Praktijk: derde-landregel in plaats van derde-partijregel is onrechtmatig"
    assert _text(g, slug, "sectie/5.3/praktijk/2").endswith(
        "De Commissie wijst erop dat deze werkwijze nu niet in overeenstemming is met artikel 37 "
        "en dus onrechtmatig is.")
    assert str(g.value(DOC[slug], ELI.date_document)) == "2015-06-10"


def test_report_footnotes_and_references(graphs):
    g = graphs["ctivd-rapport-22b"]
    slug = "ctivd-rapport-22b"
    note = URIRef(f"{DOC[slug]}/voetnoot/24")
    assert _text(g, slug, "voetnoot/24") == "Staatscourant 11 mei 2010, nr. 7168."
    assert Literal("Staatscourant 11 mei 2010, nr. 7168") in set(
        g.objects(note, WIV.footnoteReference))
    # marker 24 stuck to a year: "MIVD 200924 geven"
    owner = next(g.subjects(WIV.footnote, note))
    assert "Ondermandaat- en machtigingsbesluit MIVD 2009 geven" in str(g.value(owner, WIV.text))
    refs = set(map(str, g.objects(URIRef(f"{DOC[slug]}/voetnoot/12"), WIV.footnoteReference)))
    assert refs == {"Aanhangsel Handelingen II 2004/05, nr. 749",
                    "Kamerstukken II 1996/97, 25 418, nr. 1",
                    "Kamerstukken II 2000/01, 25 877, nr. 14"}


def test_glossary_concepts(graphs):
    g = graphs["ctivd-rapport-22b"]
    glossary = URIRef(f"{DOC['ctivd-rapport-22b']}/begrippenlijst")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 23
    term = TERM["derde-partijregel"]
    assert str(g.value(term, SKOS.prefLabel)) == "Derde-partijregel"
    assert str(g.value(term, SKOS.definition)) == (
        "De regel die stelt dat door inlichtingen- en/of veiligheidsdiensten verkregen gegevens "
        "slechts verder mag worden verstrekt als de dienst waarvan de gegevens afkomstig zijn "
        "daarvoor toestemming heeft verleend.")
    assert str(g.value(TERM["ondersteuning-aan-een-buitenlandse-dienst"], SKOS.prefLabel)) == \
        "Ondersteuning aan een buitenlandse dienst"
    assert str(g.value(TERM["request-for-information-rfi"], SKOS.prefLabel)) == \
        "Request for Information (RFI)"
    text = str(g.value(glossary, WIV.text))
    for concept in concepts:
        assert g.value(concept, WIV.source) == glossary
        assert g.value(concept, SKOS.prefLabel).language == "nl"
        assert str(g.value(concept, WIV.quote)) in text


def test_selectielijst(graphs):
    g = graphs["selectielijst-mivd-2015"]
    slug = "selectielijst-mivd-2015"
    titles = {str(g.value(s, ELI.title)) for s in g.subjects(RDF.type, WIV.Section)}
    assert titles == {"Internationaal", "Bilaterale samenwerking"}
    assert _text(g, slug, "sectie/2").startswith(
        "De wijze van samenwerking met partnerdiensten is meestal vastgelegd in Memoranda of "
        "Understanding")


def test_every_subdivision_has_core_properties(graphs):
    for slug, g in graphs.items():
        for node in set(g.subjects(WIV.document, None)):
            assert g.value(node, WIV.document) == DOC[slug]
            assert g.value(node, ELI.is_part_of) is not None
            assert isinstance(g.value(node, WIV.position).toPython(), int)
            assert g.value(node, RDF.type) is not None


# -- general ingester, bad input, determinism ------------------------------------------------------

def test_synthetic_convenant():
    g = ingest_convenant(FIXTURES / "synthetic-convenant.txt", "proef-2024")
    base = DOC["proef-2024"]
    assert _count(g, WIV.Article) == 3
    assert _count(g, WIV.Lid) == 2
    assert _text(g, "proef-2024", "art/1") == (
        "Dit convenant regelt de uitwisseling van gegevens tussen partijen en geldt voor de duur "
        "van de proef.")
    assert _text(g, "proef-2024", "art/2/lid/1/onderdeel/b") == \
        "jaarlijkse overzichten van de proefnemingen;"
    assert _text(g, "proef-2024", "art/2/lid/2") == \
        "De Testautoriteit bevestigt de ontvangst binnen vijf werkdagen."
    assert _text(g, "proef-2024", "voetnoot/1") == "Voorbeeldstukken 2024, nr. 7."
    assert str(g.value(URIRef(f"{base}/art/3"), ELI.title)) == "slotbepaling"
    assert str(g.value(base, ELI.date_document)) == "2024-02-01"
    assert _count(g, WIV.Consideration) == 2


def test_synthetic_convenant_in_2005_numbering():
    """Sub-articles "2.1." with onderdelen inside one of them, and an article without leden."""
    slug = "proef-2005"
    g = ingest_convenant(FIXTURES / "synthetic-convenant-2005-style.txt", slug)
    base = DOC[slug]
    assert _count(g, WIV.Chapter) == 3
    assert _count(g, WIV.Article) == 3
    assert _count(g, WIV.Lid) == 4
    assert _count(g, WIV.Onderdeel) == 3
    assert _count(g, WIV.Consideration) == 2
    assert _count(g, WIV.SignatureBlock) == 2
    lid = URIRef(f"{base}/art/2/lid/1")
    assert str(g.value(lid, ELI.number)) == "2.1"
    assert _text(g, slug, "art/2/lid/1") == "De Voorbeelddienst verstrekt aan de Testdienst:"
    onderdelen = {str(g.value(o, ELI.number)) for o in g.subjects(ELI.is_part_of, lid)}
    assert onderdelen == {"a", "b", "c"}
    assert _text(g, slug, "art/2/lid/1/onderdeel/b") == \
        "jaarlijkse overzichten van de proefnemingen;"
    art3 = URIRef(f"{base}/art/3")
    assert not set(g.subjects(ELI.is_part_of, art3))  # no leden, its own text
    assert _text(g, slug, "art/3") == \
        "Dit convenant treedt in werking met ingang van de dag na ondertekening."
    assert str(g.value(g.value(art3, ELI.is_part_of), ELI.title)) == "Inwerkingtreding"
    assert str(g.value(base, ELI.date_document)) == "2024-03-03"


@pytest.mark.parametrize(
    ("fixture", "line", "words"),
    [
        ("no-article.txt", 1, "no article heading"),
        ("duplicate-article.txt", 9, "duplicate article number 1"),
        ("lid-out-of-order.txt", 9, "lid 3 out of order"),
        ("sublid-out-of-order.txt", 12, "lid 1.3 out of order"),
        ("article-gap.txt", 9, "article 3 out of order (expected 2 or 1a)"),
        ("article-out-of-order.txt", 5, "article 2 out of order (expected 1)"),
        ("onderdeel-gap.txt", 9, "onderdeel c out of order in lid 1 of article 1 (expected b)"),
        ("onderdeel-out-of-order.txt", 10,
         "onderdeel a out of order in the text of article 1 (expected c)"),
    ],
)
def test_bad_input_names_file_and_line_and_writes_nothing(tmp_path, fixture, line, words):
    target = tmp_path / "out.ttl"
    with pytest.raises(WivgraphError) as info:
        ingest_file(FIXTURES / fixture, "bad", target)
    assert f"{fixture}:{line}:" in str(info.value)
    assert words in str(info.value)
    assert not target.exists()


def test_bad_input_keeps_existing_output(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(WivgraphError):
        ingest_file(FIXTURES / "duplicate-article.txt", "bad", target)
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_missing_source_is_bad_input(tmp_path):
    with pytest.raises(WivgraphError, match="file not found"):
        ingest_file(tmp_path / "nope.txt", "x", tmp_path / "x.ttl")


@pytest.mark.parametrize("slug", sorted(KINDS))
def test_ingest_twice_is_byte_identical_and_matches_committed_file(tmp_path, slug):
    kind = {ingest_report: "toezichtsrapport", ingest_selectielijst: "selectielijst"}.get(
        KINDS[slug], "convenant")
    first, _ = ingest_file(SOURCES / f"{slug}.txt", slug, tmp_path / "a.ttl", kind=kind)
    second, _ = ingest_file(SOURCES / f"{slug}.txt", slug, tmp_path / "b.ttl", kind=kind)
    assert first.read_bytes() == second.read_bytes()
    committed = paths.data_dir() / "documents" / f"{slug}.ttl"
    assert committed.read_bytes() == first.read_bytes(), f"regenerate {committed}"


def test_written_turtle_round_trips(graphs):
    g = graphs["convenant-ciic-2020"]
    parsed = Graph().parse(data=to_turtle(g), format="turtle")
    assert set(parsed) == set(g)


def test_cli_ingest(tmp_path):
    runner = CliRunner()
    out = tmp_path / "proef.ttl"
    result = runner.invoke(cli, ["ingest", str(FIXTURES / "synthetic-convenant.txt"),
                                 "--id", "proef-2024", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    bad = runner.invoke(cli, ["ingest", str(FIXTURES / "lid-out-of-order.txt"), "--id", "x",
                              "--output", str(tmp_path / "x.ttl")])
    assert bad.exit_code == 2
    assert "lid-out-of-order.txt:9:" in bad.output
    assert not (tmp_path / "x.ttl").exists()


@pytest.mark.parametrize("slug", ["bad slug", "Convenant-2024", "a--b", "-a", "a-", "", "è-2024",
                                  "a/b"])
def test_bad_slug_is_refused_before_writing(tmp_path, slug):
    target = tmp_path / "out.ttl"
    with pytest.raises(WivgraphError, match="expected a slug of lower-case ASCII"):
        ingest_file(FIXTURES / "synthetic-convenant.txt", slug, target)
    assert not target.exists()
    with pytest.raises(WivgraphError, match="expected a slug"):
        ingest_convenant(FIXTURES / "synthetic-convenant.txt", slug)


def test_cli_bad_slug_exit_2(tmp_path):
    out = tmp_path / "x.ttl"
    result = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "synthetic-convenant.txt"),
                                      "--id", "bad slug", "--output", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: document id 'bad slug': expected a slug")
    assert not out.exists()


def test_inserted_article_with_letter_is_in_order(tmp_path):
    source = tmp_path / "ingevoegd.txt"
    source.write_text("Convenant met een ingevoegd artikel\n\nPartijen komen het volgende overeen:"
                      "\n\nArtikel 1\n\nEerste.\n\nArtikel 1a\n\nIngevoegd.\n\nArtikel 2\n\n"
                      "Tweede.\n", encoding="utf-8")
    g = ingest_convenant(source, "ingevoegd")
    numbers = sorted((g.value(a, WIV.position).toPython(), str(g.value(a, ELI.number)))
                     for a in g.subjects(RDF.type, WIV.Article))
    assert [number for _, number in numbers] == ["1", "1a", "2"]  # in document order
    assert _text(g, "ingevoegd", "art/1a") == "Ingevoegd."


@pytest.mark.parametrize(("fixture", "considerations"),
                         [("no-preamble.txt", 0), ("considerations-only.txt", 1)])
def test_operative_formula_belongs_to_no_block(fixture, considerations):
    """Without a legal basis, "komen het volgende overeen:" stays out of parties and considerations."""
    g = ingest_convenant(FIXTURES / fixture, "proef")
    assert _text(g, "proef", "partijen") == \
        "De directeur van de Voorbeelddienst, en de voorzitter van de Testautoriteit,"
    assert _count(g, WIV.Consideration) == considerations
    if considerations:
        assert _text(g, "proef", "overweging/1") == "dat partijen gegevens willen uitwisselen,"
    assert not any("overeen" in text for text in g.objects(None, WIV.text))
