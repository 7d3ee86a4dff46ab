"""Article-list parsing and the generated citation Turtle."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from wivgraph.citations import (
    CITATIONS,
    ArticleRef,
    CitationRecord,
    citation_edges,
    parse_article_list,
    render_articles,
    render_turtle,
)
from wivgraph.errors import WivgraphError
from wivgraph.load import parse_turtle
from wivgraph.namespaces import DOC, ELI, WIV

ROOT = Path(__file__).resolve().parents[1]


def numbers(text):
    return [ref.article for ref in parse_article_list(text)]


def test_plain_list_with_en():
    assert numbers("7, 17 en 24") == ["7", "17", "24"]


def test_range_is_inclusive():
    assert numbers("17 tot en met 22") == ["17", "18", "19", "20", "21", "22"]


def test_exclusion_stays_with_its_article():
    refs = parse_article_list("25, uitgezonderd het eerste lid, onder d, 26")
    assert refs == [ArticleRef("25", excluded=(("1", "d"),)), ArticleRef("26")]


def test_lid_and_onderdeel():
    refs = parse_article_list("artikel 6, tweede lid, onder d en artikel 7, tweede lid, onder e")
    assert refs == [ArticleRef("6", "2", "d"), ArticleRef("7", "2", "e")]
    assert refs[0].path() == "/art/6/lid/2/onderdeel/d"


def test_lid_without_onderdeel():
    assert parse_article_list("6, eerste lid") == [ArticleRef("6", "1")]


def test_trailing_words_are_ignored():
    assert numbers("de artikelen 3 en 20 van de Wbni") == ["3", "20"]


def test_full_ciic_basis_list_expands_to_26_articles():
    text = ("8, 10, 17 tot en met 22, 25, uitgezonderd het eerste lid, onder d, 26, 38, 39, 61, "
            "62, 65 tot en met 69, 86, 91, 93, 94, 97, 135 en 136")
    got = numbers(text)
    assert len(got) == 26 and got[:3] == ["8", "10", "17"] and got[-1] == "136"
    assert "23" not in got and "70" not in got


@pytest.mark.parametrize("bad", ["", "van de Wiv 2017", "22 tot en met 17"])
def test_bad_lists_raise(bad):
    with pytest.raises(WivgraphError):
        parse_article_list(bad)


def test_article_list_must_occur_in_quote():
    record = CitationRecord("x", "/grondslag", "wpg", "artikel 7 van de Wpg", "8", "grondslag")
    with pytest.raises(WivgraphError, match="does not occur in its quote"):
        citation_edges(record)


def test_whole_law_citation_points_at_the_law():
    record = CitationRecord("x", "/grondslag", "vw-2000", "de Vreemdelingenwet 2000", None,
                            "grondslag")
    assert citation_edges(record) == [(str(DOC["vw-2000"]), None)]


@pytest.mark.parametrize("name,render", [("citations.ttl", render_turtle),
                                         ("articles.ttl", render_articles)])
def test_generated_files_are_current(name, render):
    current = (ROOT / "data" / "laws" / name).read_text(encoding="utf-8")
    assert current == render(), "run: python -m wivgraph.citations"


@pytest.fixture(scope="module")
def laws() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data" / "laws").glob("*.ttl")):
        parse_turtle(path, into=graph)
    return graph


def test_every_cited_node_exists_and_belongs_to_its_law(laws):
    for citation in laws.subjects(RDF.type, WIV.Citation):
        cited = laws.value(citation, RDF.object)
        assert (cited, RDF.type, None) in laws, cited
        law = laws.value(cited, WIV.document) or cited
        assert (law, RDF.type, WIV.Law) in laws, cited


def test_every_citation_is_asserted_and_sourced(laws):
    citations = set(laws.subjects(RDF.type, WIV.Citation))
    assert len(citations) == sum(len(citation_edges(r)) for r in CITATIONS)
    for citation in citations:
        s, o = laws.value(citation, RDF.subject), laws.value(citation, RDF.object)
        assert (s, ELI.cites, o) in laws
        assert laws.value(citation, WIV.source) == s
        assert laws.value(citation, WIV.quote) is not None


def test_excluded_part_is_linked_not_cited(laws):
    excluded = set(laws.objects(None, WIV.excludes))
    assert excluded
    for part in excluded:
        assert (None, ELI.cites, part) not in laws
        assert (part, ELI.is_part_of, None) in laws


def test_dutch_article_links_use_juriconnect(laws):
    checked = 0
    for node, link in laws.subject_objects(RDFS.seeAlso):
        if "/art/" not in str(node) or "wetten.overheid.nl" not in str(link):
            continue
        article = str(node).split("/art/")[1].split("/")[0]
        assert str(link).startswith("https://wetten.overheid.nl/jci1.3:c:BWBR"), link
        assert f"&artikel={article}" in str(link), (node, link)
        checked += 1
    assert checked > 0


# Citations the audit of issues 4/5 found missing; each checked against the source text: the
# citing subdivision names the law (or the law's article) in its own words.
W2002 = "wiv-2002"
MISSING_CITATIONS = [
    ("convenant-ciic-2020/art/6/lid/3", "wiv-2017"),  # "paragraaf 3.2.5. van de Wiv 2017"
    ("convenant-ciic-2020/art/6/lid/1", "wiv-2017"),
    ("convenant-ciic-2020/art/7/lid/1", "wiv-2017"),
    ("convenant-ciic-2020/overweging/3", "wiv-2017"),
    ("convenant-aivd-ind-2019/art/1/lid/1", "vw-2000"),
    ("convenant-aivd-ind-2019/art/1/lid/1", "rwn-2003"),
    ("convenant-aivd-ind-2019/art/2/lid/2", "vw-2000"),
    ("convenant-aivd-ind-2019/art/2/lid/2", "rwn-2003"),
    ("convenant-aivd-ind-2019/art/1/lid/2", "wiv-2017"),
    ("convenant-aivd-ind-2019/art/1/lid/3", "wiv-2017"),
    ("convenant-aivd-mivd-2005/art/1/lid/6", W2002),
    ("convenant-aivd-mivd-2005/art/2/lid/1", W2002),
    ("convenant-aivd-mivd-2005/art/6/lid/1", W2002),
    ("convenant-aivd-mivd-2005/art/6/lid/1", "wvo"),
    ("ctivd-rapport-22b/sectie/2", f"{W2002}/art/64"),
    ("ctivd-rapport-22b/sectie/2", f"{W2002}/art/79"),
    ("ctivd-rapport-22b/sectie/3.2", f"{W2002}/art/59"),
    ("ctivd-rapport-22b/sectie/3.2", f"{W2002}/art/36"),
    ("ctivd-rapport-22b/sectie/5.1/intern-beleid/4", f"{W2002}/art/36"),
    ("ctivd-rapport-22b/sectie/5.1/intern-beleid/4", f"{W2002}/art/59"),
    ("ctivd-rapport-22b/sectie/5.1/praktijk/1", f"{W2002}/art/59"),
    ("ctivd-rapport-22b/sectie/5.2/praktijk/4", f"{W2002}/art/36"),
    ("ctivd-rapport-22b/sectie/5.5", f"{W2002}/art/36"),
    ("ctivd-rapport-22b/sectie/5.5", f"{W2002}/art/59"),
    ("ctivd-rapport-22b/sectie/6/praktijk/2", f"{W2002}/art/59"),
    ("ctivd-rapport-22b/sectie/6/praktijk/4", f"{W2002}/art/59"),
    ("ctivd-rapport-22b/sectie/7/praktijk/5", f"{W2002}/art/21"),
]


@pytest.mark.parametrize("citing,cited", MISSING_CITATIONS)
def test_audited_citation_is_present(laws, citing, cited):
    assert (URIRef(f"{DOC}{citing}"), ELI.cites, URIRef(f"{DOC}{cited}")) in laws


def test_paragraph_citation_cites_the_law_and_says_why(laws):
    """The model has no paragraph nodes: 'paragraaf 3.2.5' cites the Wiv 2017 with a note."""
    citing = URIRef(f"{DOC}convenant-ciic-2020/art/6/lid/3")
    citation = next(c for c in laws.subjects(RDF.subject, citing)
                    if laws.value(c, RDF.object) == DOC["wiv-2017"])
    assert "paragraaf 3.2.5" in str(laws.value(citation, WIV.quote))
    notes = {c.language: str(c) for c in laws.objects(citation, RDFS.comment)}
    assert {"nl", "en"} <= set(notes) and "3.2.5" in notes["en"]


def test_citations_write_keeps_previous_files_when_interrupted(tmp_path, monkeypatch):
    """Regenerating data/laws/ is all-or-nothing per file: an interruption keeps the old file."""
    import os

    from wivgraph import citations

    laws = tmp_path / "data" / "laws"
    laws.mkdir(parents=True)
    (laws / "citations.ttl").write_text("previous\n", encoding="utf-8")

    def interrupted(src, dst):
        raise KeyboardInterrupt("interrupted")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        citations.write(tmp_path)
    assert (laws / "citations.ttl").read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in laws.iterdir()) == ["citations.ttl"]
