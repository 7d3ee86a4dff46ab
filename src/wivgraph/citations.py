"""Parse Dutch article lists ("de artikelen 8, 10, 17 tot en met 22, 25, uitgezonderd het eerste
lid, onder d, 26 en 136") into article references, and turn curated citation records into Turtle.

The records in :data:`CITATIONS` name the citing subdivision, the cited law and the verbatim quote;
the cited articles are *parsed from the quote*, never typed by hand. ``python -m wivgraph.citations``
rewrites data/laws/citations.ttl from them (reviewable output, committed).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from wivgraph.errors import WivgraphError
from wivgraph.namespaces import DOC, FACT

ORDINALS = {
    "eerste": "1",
    "tweede": "2",
    "derde": "3",
    "vierde": "4",
    "vijfde": "5",
    "zesde": "6",
    "zevende": "7",
    "achtste": "8",
    "negende": "9",
    "tiende": "10",
}

_NUM = r"\d+[a-z]?"
_ORD = "|".join(ORDINALS)
# One item: "17 tot en met 22" | "25, uitgezonderd het eerste lid, onder d" | "6, tweede lid, onder d"
# | "21 lid 6" (the report's short form).
_ITEM = re.compile(
    rf"(?P<start>{_NUM})(?:\s+tot en met\s+(?P<end>{_NUM})|\s+lid\s+(?P<lidnum>\d+)\b)?"
    rf"(?:,\s*(?P<lid>{_ORD})\s+lid(?:,\s*onder\s+(?P<ond>[a-z])\b)?)?"
    rf"(?:,\s*uitgezonderd\s+het\s+(?P<xlid>{_ORD})\s+lid(?:,\s*onder\s+(?P<xond>[a-z])\b)?)?"
)
_LEAD = re.compile(r"^\s*(?:de\s+)?(?:artikelen|artikel)\s+", re.IGNORECASE)
_SEP = re.compile(
    r"^\s*(?:,|\ben\b|\bof\b)\s*(?:(?:de\s+)?(?:artikelen|artikel)\s+)?", re.IGNORECASE
)


@dataclass(frozen=True)
class ArticleRef:
    """One cited article, optionally narrowed to a lid/onderdeel or with an excluded part."""

    article: str
    lid: str | None = None
    onderdeel: str | None = None
    excluded: tuple[tuple[str, str | None], ...] = field(default_factory=tuple)

    def path(self) -> str:
        """Subdivision path below the law IRI: "/art/6/lid/2/onderdeel/d"."""
        out = f"/art/{self.article}"
        if self.lid:
            out += f"/lid/{self.lid}"
        if self.onderdeel:
            out += f"/onderdeel/{self.onderdeel}"
        return out


def parse_article_list(text: str) -> list[ArticleRef]:
    """Expand an article list; ranges are inclusive, exclusions stay attached to their article.

    ``parse_article_list("17 tot en met 19 en 25, uitgezonderd het eerste lid, onder d")`` gives
    17, 18, 19 and 25 (excluding lid 1 onderdeel d). Text after the list ("van de Wpg") is ignored.
    Raises WivgraphError when no article number is found or a range runs backwards.
    """
    rest = _LEAD.sub("", text.strip(), count=1)
    refs: list[ArticleRef] = []
    first = True
    while True:
        if not first:
            sep = _SEP.match(rest)
            if not sep or not sep.group(0).strip():
                break
            rest = rest[sep.end() :]
        match = _ITEM.match(rest)
        if not match:
            if first:
                raise WivgraphError(
                    f"article list {text!r}: expected an article number at {rest!r}"
                )
            break
        first = False
        rest = rest[match.end() :]
        refs.extend(_expand(match, text))
    return refs


def _expand(match: re.Match[str], text: str) -> list[ArticleRef]:
    lid = ORDINALS.get(match["lid"]) if match["lid"] else match["lidnum"]
    excluded: tuple[tuple[str, str | None], ...] = ()
    if match["xlid"]:
        excluded = ((ORDINALS[match["xlid"]], match["xond"]),)
    if match["end"] is None:
        return [ArticleRef(match["start"], lid, match["ond"], excluded)]
    start, end = match["start"], match["end"]
    if not (start.isdigit() and end.isdigit()) or int(end) < int(start):
        raise WivgraphError(f"article list {text!r}: bad range {start} tot en met {end}")
    return [ArticleRef(str(n)) for n in range(int(start), int(end) + 1)]


# --------------------------------------------------------------------------- curated citations


@dataclass(frozen=True)
class CitationRecord:
    """A passage of a source document that cites articles of one law.

    ``source`` is the citing subdivision path below doc:<document>; ``quote`` the verbatim words;
    ``articles`` the part of the quote that is the article list (must occur in the quote);
    ``law`` the cited law's slug. ``articles=None`` cites the law as a whole. ``note`` (nl, en)
    becomes the citation's rdfs:comment.
    """

    document: str
    source: str
    law: str
    quote: str
    articles: str | None
    kind: str  # "grondslag" (preamble basis) or "tekst" (in the body)
    note: tuple[str, str] | None = None  # (nl, en) rdfs:comment, e.g. why a law is cited whole


LAW_LABELS = {
    "wiv-2002": "Wiv 2002",
    "wiv-2017": "Wiv 2017",
    "wvo": "Wvo",
    "wpg": "Wpg",
    "politiewet-2012": "Politiewet 2012",
    "wjsg": "Wjsg",
    "bjsg": "Bjsg",
    "wet-ro": "Wet RO",
    "wbni": "Wbni",
    "avg": "AVG",
    "vw-2000": "Vreemdelingenwet 2000",
    "rwn-2003": "Rijkswet op het Nederlanderschap",
    "richtlijn-2016-1148": "NIB-richtlijn",
}

CIIC = "convenant-ciic-2020"
V2005 = "convenant-aivd-mivd-2005"
IND = "convenant-aivd-ind-2019"
R22B = "ctivd-rapport-22b"

CITATIONS: list[CitationRecord] = [
    # CIIC 2020, preamble "Gelet op".
    CitationRecord(
        CIIC,
        "/grondslag",
        "wiv-2017",
        # a footnote line of the file sits between "65" and "tot en met 69": two quotes
        "De artikelen 8, 10, 17 tot en met 22, 25, uitgezonderd het eerste lid, onder d, "
        "26, 38, 39, 61, 62, 65 … tot en met 69, 86, 91, 93, 94, 97, 135 en 136 van de Wet op "
        "de inlichtingen- en veiligheidsdiensten 2017 (Wiv 2017)",
        "8, 10, 17 tot en met 22, 25, uitgezonderd het eerste lid, onder d, 26, 38, 39, "
        "61, 62, 65 tot en met 69, 86, 91, 93, 94, 97, 135 en 136",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "wpg",
        "De artikelen 7, 17 en 24 van de Wet politiegegevens (Wpg)",
        "7, 17 en 24",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "politiewet-2012",
        "Artikel 3 van de Politiewet 2012 (Pw 2012)",
        "3",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "wjsg",
        "Artikel 52 van de Wet justitiële en strafvorderlijke gegevens (Wjsg)",
        "52",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "bjsg",
        "Artikel 14 van het Besluit justitiële en strafvorderlijke gegevens (Bjsg)",
        "14",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "wet-ro",
        "Artikel 124 van de Wet op de rechterlijke organisatie (Wet RO)",
        "124",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "wbni",
        "De artikelen 3 en 20 van de Wet beveiliging netwerk- en informatiesystemen (Wbni)",
        "3 en 20",
        "grondslag",
    ),
    CitationRecord(
        CIIC,
        "/grondslag",
        "avg",
        "Artikel 6, eerste lid, van de Algemene verordening gegevensbescherming (Avg)",
        "6, eerste lid",
        "grondslag",
    ),
    # CIIC 2020, body.
    CitationRecord(
        CIIC,
        "/art/4/lid/2",
        "wiv-2017",
        "De politiechef van de landelijke eenheid, genoemd in artikel 91, eerste lid, van de "
        "Wiv 2017",
        "91, eerste lid",
        "tekst",
    ),
    CitationRecord(
        CIIC,
        "/art/4/lid/2",
        "wiv-2017",
        "overeenkomstig artikel 91, tweede lid, van de Wiv 2017",
        "91, tweede lid",
        "tekst",
    ),
    CitationRecord(
        CIIC, "/art/4/lid/4", "wiv-2017", "bedoeld in artikel 86 van de Wiv 2017", "86", "tekst"
    ),
    CitationRecord(
        CIIC,
        "/art/4/lid/5",
        "wiv-2017",
        "bedoeld in artikel 93, tweede lid, van de Wiv 2017",
        "93, tweede lid",
        "tekst",
    ),
    CitationRecord(
        CIIC,
        "/art/5/lid/1",
        "wiv-2017",
        "de artikelen 39, 61, 86, 93 en 94 van de Wiv 2017",
        "39, 61, 86, 93 en 94",
        "tekst",
    ),
    CitationRecord(
        CIIC, "/art/5/lid/1", "wpg", "de artikelen 7, 17 en 24 van de Wpg", "7, 17 en 24", "tekst"
    ),
    CitationRecord(CIIC, "/art/5/lid/1", "wjsg", "artikel 52 van de Wjsg", "52", "tekst"),
    # The convenant writes "Bsjg" here (sic): the Besluit justitiële en strafvorderlijke gegevens.
    CitationRecord(CIIC, "/art/5/lid/1", "bjsg", "artikel 14 van het Bsjg", "14", "tekst"),
    CitationRecord(
        CIIC, "/art/5/lid/1", "wbni", "de artikelen 3 en 20 van de Wbni", "3 en 20", "tekst"
    ),
    CitationRecord(
        CIIC, "/art/5/lid/1", "avg", "artikel 6, eerste lid, van de Avg", "6, eerste lid", "tekst"
    ),
    CitationRecord(
        CIIC, "/voetnoot/2", "richtlijn-2016-1148", "Vgl. artikel 4 NIB-richtlijn", "4", "tekst"
    ),
    CitationRecord(
        CIIC,
        "/overweging/3",
        "wiv-2017",
        "het bepaalde in de Wet op de inlichtingen- en veiligheidsdiensten 2017, waaronder de "
        "bepalingen over toezicht, van toepassing is",
        None,
        "tekst",
    ),
    CitationRecord(
        CIIC,
        "/art/6/lid/1",
        "wiv-2017",
        "met inachtneming van het omtrent de verwerking van gegevens bepaalde in de Wiv 2017",
        None,
        "tekst",
    ),
    # The graph has no paragraph nodes and the convenant does not list the articles of
    # paragraaf 3.2.5, so the lid cites the law as a whole.
    CitationRecord(
        CIIC,
        "/art/6/lid/3",
        "wiv-2017",
        "bijzondere bevoegdheden als bedoeld in paragraaf 3.2.5. van de Wiv 2017",
        None,
        "tekst",
        (
            "Verwijst naar paragraaf 3.2.5 van de Wiv 2017; de graaf kent geen paragrafen en het "
            "convenant noemt de artikelen van die paragraaf niet, dus wordt de wet als geheel "
            "aangehaald.",
            "Refers to paragraph 3.2.5 of the Wiv 2017; the graph has no paragraph nodes and the "
            "convenant does not name that paragraph's articles, so the law as a whole is cited.",
        ),
    ),
    CitationRecord(
        CIIC,
        "/art/7/lid/1",
        "wiv-2017",
        "met inachtneming van het daaromtrent bepaalde in de Wiv 2017",
        None,
        "tekst",
    ),
    # AIVD-MIVD 2005, preamble.
    CitationRecord(
        V2005,
        "/grondslag",
        "wiv-2002",
        "de artikelen 4, 6, 7, 11, 20, 21, 22, 23, 24, 25, 27, 28, 36, 58, 59, 60 en 62 van "
        "de WIV 2002",
        "4, 6, 7, 11, 20, 21, 22, 23, 24, 25, 27, 28, 36, 58, 59, 60 en 62",
        "grondslag",
    ),
    CitationRecord(
        V2005,
        "/overweging/4",
        "wiv-2002",
        "artikel 6, tweede lid, onder d en artikel 7, tweede lid, onder e van de WIV 2002",
        "artikel 6, tweede lid, onder d en artikel 7, tweede lid, onder e",
        "tekst",
    ),
    # AIVD-MIVD 2005, body.
    CitationRecord(
        V2005,
        "/art/1/lid/6",
        "wiv-2002",
        "De diensten hebben op grond van de WIV 2002 de bevoegdheid tot ontsleuteling van "
        "telecommunicatie en gegevensoverdracht.",
        None,
        "tekst",
    ),
    CitationRecord(
        V2005,
        "/art/2/lid/1",
        "wiv-2002",
        "afstemming plaats over beleid en de uitvoering van de WIV 2002",
        None,
        "tekst",
    ),
    CitationRecord(V2005, "/art/2/lid/1", "wiv-2002", "artikel 34 WIV 2002", "34", "tekst"),
    CitationRecord(
        V2005,
        "/art/2/lid/1",
        "wvo",
        "de Wet veiligheidsonderzoeken (verder te noemen: Wvo)",
        None,
        "tekst",
    ),
    CitationRecord(
        V2005,
        "/art/2/lid/2",
        "wiv-2002",
        "de artikelen 22, 23, 24, 25, 28 WIV 2002",
        "22, 23, 24, 25, 28",
        "tekst",
    ),
    CitationRecord(
        V2005,
        "/art/4/lid/2",
        "wiv-2002",
        "artikel 58, tweede lid, onder b, WIV 2002",
        "58, tweede lid, onder b",
        "tekst",
    ),
    CitationRecord(V2005, "/art/5/lid/1", "wiv-2002", "Artikel 60 WIV 2002", "60", "tekst"),
    CitationRecord(
        V2005, "/art/5/lid/2", "wiv-2002", "functionarissen ex artikel 60 WIV 2002", "60", "tekst"
    ),
    CitationRecord(
        V2005, "/art/5/lid/2", "wiv-2002", "op grond van artikel 62 WIV 2002", "62", "tekst"
    ),
    CitationRecord(
        V2005,
        "/art/6/lid/1",
        "wiv-2002",
        "conform de taakverdeling voortvloeiende uit de WIV 2002 en de Wvo",
        None,
        "tekst",
    ),
    CitationRecord(
        V2005,
        "/art/6/lid/1",
        "wvo",
        "conform de taakverdeling voortvloeiende uit de WIV 2002 en de Wvo",
        None,
        "tekst",
    ),
    CitationRecord(V2005, "/art/6/lid/3", "wvo", "artikel 7 van de Wvo", "7", "tekst"),
    # CTIVD report 22B: Wiv 2002 articles the report applies (body text and footnotes).
    CitationRecord(R22B, "/sectie/2", "wiv-2002", "krachtens artikel 64 van de Wiv 2002", "64",
                   "tekst"),
    CitationRecord(R22B, "/sectie/2", "wiv-2002", "conform artikel 79 Wiv 2002", "79", "tekst"),
    CitationRecord(R22B, "/sectie/2", "wiv-2002",
                   "volgens artikel 78 lid 3 Wiv 2002", "78 lid 3", "tekst"),
    CitationRecord(R22B, "/sectie/3.2", "wiv-2002",
                   "Artikel 59 Wiv 2002 bevat een algemene zorgplicht", "59", "tekst"),
    CitationRecord(R22B, "/sectie/3.2", "wiv-2002",
                   "in het kader van de eigen taakuitvoering (artikel 36 Wiv 2002)", "36", "tekst"),
    CitationRecord(R22B, "/sectie/5.1/intern-beleid/4", "wiv-2002",
                   "(artikel 36 Wiv 2002) over een onderwerp met een politiek gevoelig karakter",
                   "36", "tekst"),
    CitationRecord(R22B, "/sectie/5.1/intern-beleid/4", "wiv-2002",
                   "in het belang van de buitenlandse dienst (artikel 59 Wiv 2002)", "59", "tekst"),
    CitationRecord(R22B, "/sectie/5.1/praktijk/1", "wiv-2002",
                   "vindt vooral plaats in het belang van de buitenlandse dienst (artikel 59 Wiv "
                   "2002)", "59", "tekst"),
    CitationRecord(R22B, "/sectie/5.2/praktijk/4", "wiv-2002",
                   "de beslissing persoonsgegevens te verstrekken op basis van artikel 36 Wiv 2002",
                   "36", "tekst"),
    CitationRecord(R22B, "/sectie/5.5", "wiv-2002", "Op grond van artikel 36 Wiv 2002 kan de MIVD",
                   "36", "tekst"),
    CitationRecord(R22B, "/sectie/5.5", "wiv-2002",
                   "op basis van artikel 59 Wiv 2002 op verzoek van een buitenlandse dienst", "59",
                   "tekst"),
    CitationRecord(R22B, "/sectie/6/praktijk/2", "wiv-2002", "wat artikel 59 Wiv 2002 wel vereist",
                   "59", "tekst"),
    CitationRecord(R22B, "/sectie/6/praktijk/4", "wiv-2002", "Dit vereist artikel 59 Wiv 2002.",
                   "59", "tekst"),
    CitationRecord(R22B, "/sectie/7/praktijk/5", "wiv-2002",
                   "aangemerkt als agent in de zin van artikel 21 Wiv 2002", "21", "tekst"),
    CitationRecord(R22B, "/sectie/5.2/intern-beleid/1", "wiv-2002",
                   "artikelen 40 tot en met 42 Wiv 2002", "40 tot en met 42", "tekst"),
    CitationRecord(R22B, "/sectie/5.2/intern-beleid/2", "wiv-2002", "artikel 1 sub e Wiv 2002", "1",
                   "tekst"),
    CitationRecord(R22B, "/sectie/5.2/praktijk/3", "wiv-2002", "artikel 42 Wiv 2002", "42", "tekst"),
    CitationRecord(R22B, "/sectie/5.3", "wiv-2002", "artikel 12 Wiv 2002", "12", "tekst"),
    CitationRecord(R22B, "/sectie/5.3", "wiv-2002", "Artikel 37 Wiv 2002", "37", "tekst"),
    CitationRecord(R22B, "/sectie/7/praktijk/7", "wiv-2002", "artikel 15 Wiv 2002", "15", "tekst"),
    CitationRecord(R22B, "/voetnoot/13", "wiv-2002", "artikel 1 sub f Wiv 2002", "1", "tekst"),
    CitationRecord(R22B, "/voetnoot/35", "wiv-2002", "Artikel 21 lid 6 Wiv 2002", "21 lid 6", "tekst"),
    # AIVD-IND 2019, preamble "Gelet op" (whole laws).
    CitationRecord(
        IND,
        "/grondslag",
        "wiv-2017",
        "de Wet op de inlichtingen-en veiligheidsdiensten 2017",
        None,
        "grondslag",
    ),
    CitationRecord(IND, "/grondslag", "vw-2000", "de Vreemdelingenwet 2000", None, "grondslag"),
    CitationRecord(
        IND, "/grondslag", "rwn-2003", "de Rijkswet op het Nederlanderschap 2003", None, "grondslag"
    ),
    # AIVD-IND 2019, body: the leden that name the laws.
    CitationRecord(IND, "/art/1/lid/1", "vw-2000", "de taken ingevolge de Vreemdelingenwet 2000",
                   None, "tekst"),
    CitationRecord(IND, "/art/1/lid/1", "rwn-2003", "de Rijkswet op het Nederlanderschap 2003",
                   None, "tekst"),
    CitationRecord(IND, "/art/1/lid/2", "wiv-2017",
                   "de taken ingevolge de Wet op de inlichtingen- en veiligheidsdiensten 2017",
                   None, "tekst"),
    CitationRecord(IND, "/art/1/lid/3", "wiv-2017",
                   "belast zijn met de uitvoering van de Wet op de inlichtingen- en "
                   "veiligheidsdiensten 2017", None, "tekst"),
    CitationRecord(IND, "/art/2/lid/2", "vw-2000", "de taken ingevolge de Vreemdelingenwet 2000",
                   None, "tekst"),
    CitationRecord(IND, "/art/2/lid/2", "rwn-2003", "de Rijkswet op het Nederlanderschap 2003",
                   None, "tekst"),
]


# In a record's quote, " … " marks text of the file left out (a footnote line inside the passage);
# each part becomes a wiv:quote of its own, so every quote occurs in the file as written.
QUOTE_GAP = " … "


def _quotes(quote: str) -> str:
    return " , ".join(f'"{_esc(part)}"' for part in quote.split(QUOTE_GAP))


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-")


def citation_edges(record: CitationRecord) -> list[tuple[str, ArticleRef | None]]:
    """(cited IRI, ref) pairs of one record; the article list must occur in its quote."""
    law_iri = str(DOC[record.law])
    if record.articles is None:
        return [(law_iri, None)]
    if record.articles not in record.quote.replace(QUOTE_GAP, " "):
        raise WivgraphError(
            f"citation {record.document}{record.source}: article list {record.articles!r} "
            "does not occur in its quote"
        )
    return [(law_iri + ref.path(), ref) for ref in parse_article_list(record.articles)]


def render_turtle(records: list[CitationRecord] | None = None) -> str:
    """Turtle for article nodes and citation statements of ``records`` (default: CITATIONS)."""
    records = CITATIONS if records is None else records
    lines = [
        "@prefix wiv: <https://w3id.org/wivgraph/def#> .",
        "@prefix eli: <http://data.europa.eu/eli/ontology#> .",
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        "# GENERATED by `python -m wivgraph.citations` from wivgraph.citations.CITATIONS. Do not edit;",
        "# change the records and regenerate. Article nodes (and their labels, wetten.overheid.nl links)",
        "# live in data/laws/articles.ttl, also generated.",
        "",
    ]
    seen: set[str] = set()
    for record in records:
        citing = str(DOC[record.document]) + record.source
        for cited, ref in citation_edges(record):
            tail = _slug(ref.path()) if ref else "law"
            fact = f"{FACT}citation-{record.document}-{_slug(record.source)}-{record.law}-{tail}"
            if fact in seen:
                continue
            seen.add(fact)
            lines.append(f"<{citing}> eli:cites <{cited}> .")
            lines.append(f"<{fact}> a wiv:Citation , wiv:Statement ;")
            lines.append(
                f"    rdf:subject <{citing}> ; rdf:predicate eli:cites ; rdf:object <{cited}> ;"
            )
            lines.append(f'    wiv:citationKind "{record.kind}" ;')
            if record.note:
                nl, en = (_esc(n) for n in record.note)
                lines.append(f'    rdfs:comment "{nl}"@nl , "{en}"@en ;')
            if ref and ref.excluded:
                for lid, ond in ref.excluded:
                    part = f"{cited}/lid/{lid}" + (f"/onderdeel/{ond}" if ond else "")
                    lines.append(f"    wiv:excludes <{part}> ;")
            lines.append(f"    wiv:source <{citing}> ;")
            lines.append(f"    wiv:quote {_quotes(record.quote)} .")
            lines.append("")
    return "\n".join(lines)


def cited_parts(
    records: list[CitationRecord] | None = None,
) -> list[tuple[str, ArticleRef, CitationRecord]]:
    """(law slug, ref, first citing record) for every cited or excluded part, deduplicated."""
    records = CITATIONS if records is None else records
    out: list[tuple[str, ArticleRef, CitationRecord]] = []
    seen: set[tuple[str, str]] = set()
    for record in records:
        for _, ref in citation_edges(record):
            if ref is None:
                continue
            parts = [ref] + [ArticleRef(ref.article, lid, ond) for lid, ond in ref.excluded]
            for part in parts:
                key = (record.law, part.path())
                if key not in seen:
                    seen.add(key)
                    out.append((record.law, part, record))
    return out


BWB_IDS = {
    "wiv-2002": "BWBR0013409",
    "wiv-2017": "BWBR0039896",
    "wvo": "BWBR0008277",
    "wpg": "BWBR0022463",
    "politiewet-2012": "BWBR0031788",
    "wjsg": "BWBR0014194",
    "bjsg": "BWBR0016544",
    "wet-ro": "BWBR0001830",
    "wbni": "BWBR0041515",
    "vw-2000": "BWBR0011823",
    "rwn-2003": "BWBR0003738",
}

_ORDINAL_NAMES = {v: k for k, v in ORDINALS.items()}


def render_articles(records: list[CitationRecord] | None = None) -> str:
    """Turtle for the article / lid / onderdeel nodes the citations point at.

    Each node carries the first passage that cites it as wiv:source/wiv:quote (where it is
    mentioned), and a Juriconnect link to wetten.overheid.nl for Dutch laws (article, lid level).
    """
    lines = [
        "@prefix wiv: <https://w3id.org/wivgraph/def#> .",
        "@prefix eli: <http://data.europa.eu/eli/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        "# GENERATED by `python -m wivgraph.citations` (see wivgraph.citations). Do not edit.",
        "",
    ]
    made: set[str] = set()
    kinds = {"art": "wiv:Article", "lid": "wiv:Lid", "onderdeel": "wiv:Onderdeel"}
    for law, ref, record in cited_parts(records):
        law_iri = str(DOC[law])
        label = LAW_LABELS[law]
        steps = [("art", ref.article)]
        if ref.lid:
            steps.append(("lid", ref.lid))
        if ref.onderdeel:
            steps.append(("onderdeel", ref.onderdeel))
        parent = law_iri
        for depth in range(1, len(steps) + 1):
            path = "".join(f"/{k}/{v}" for k, v in steps[:depth])
            iri = law_iri + path
            if iri in made:
                parent = iri
                continue
            made.add(iri)
            kind, number = steps[depth - 1]
            nl, en = _labels(steps[:depth], label)
            lines.append(f"<{iri}> a eli:LegalResourceSubdivision , {kinds[kind]} ;")
            lines.append(f"    eli:is_part_of <{parent}> ;")
            lines.append(f"    wiv:document <{law_iri}> ;")
            lines.append(f'    eli:number "{number}" ;')
            if law in BWB_IDS:
                jci = f"https://wetten.overheid.nl/jci1.3:c:{BWB_IDS[law]}&artikel={ref.article}"
                if depth >= 2:
                    jci += f"&lid={steps[1][1]}"
                lines.append(f"    rdfs:seeAlso <{jci}> ;")
            lines.append(f'    rdfs:label "{nl}"@nl , "{en}"@en ;')
            lines.append(f"    wiv:source <{DOC[record.document]}{record.source}> ;")
            lines.append(f"    wiv:quote {_quotes(record.quote)} .")
            lines.append("")
            parent = iri
    return "\n".join(lines)


def _labels(steps: list[tuple[str, str]], law_label: str) -> tuple[str, str]:
    art = steps[0][1]
    nl = f"artikel {art}"
    en = f"Article {art}"
    if len(steps) >= 2:
        nl += f", {_ORDINAL_NAMES[steps[1][1]]} lid"
        en += f"({steps[1][1]})"
    if len(steps) >= 3:
        nl += f", onder {steps[2][1]}"
        en += f"({steps[2][1]})"
    return f"{nl}, {law_label}", f"{en} {law_label}"


def write(root: Path) -> list[Path]:
    """Write data/laws/citations.ttl and data/laws/articles.ttl below ``root``."""
    out = root / "data" / "laws"
    out.mkdir(parents=True, exist_ok=True)
    files = [(out / "citations.ttl", render_turtle()), (out / "articles.ttl", render_articles())]
    from wivgraph.export import write_atomic  # noqa: PLC0415

    for path, text in files:
        write_atomic(path, text)  # an interrupted run leaves the previous file whole
    return [p for p, _ in files]


if __name__ == "__main__":  # pragma: no cover - thin wrapper
    from wivgraph.paths import project_root

    for written in write(project_root()):
        print(written, file=sys.stderr)
