"""Convenant text -> ELI structure: title, parties, considerations, legal basis, chapters,
articles, leden, onderdelen, footnotes and signature blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from wivgraph.errors import WivgraphError
from wivgraph.ingest.common import (
    DATE,
    Builder,
    Line,
    hyphenated_words,
    join_text,
    parse_date,
    read_source,
    source_lines,
    split_footnotes,
)
from wivgraph.ingest.references import REFERENCE
from wivgraph.namespaces import ELI, WIV

ARTICLE = re.compile(
    r"^Artikel\s+(\d+[a-z]?)(?:\s*$|\s+(\([^()]+\))\s*$|\s+([A-Z][^.;:,]{0,60}?)\s*$)"
)
LID = re.compile(r"^(\d+)\.\s+(\S.*)$")
LID_BARE = re.compile(r"^(\d+)\.$")
SUBLID = re.compile(r"^(\d+)\.(\d+)\.?\s*(.*)$")  # 2005 style "3.2." with the text on the next line
ONDERDEEL = re.compile(r"^([a-z])\.\s+(\S.*)$")
CONSIDERATIONS = re.compile(r"^overwegende\b\s*(?:dat\s*:|[:;,])?\s*(.*)$", re.IGNORECASE)
LEGAL_BASIS = re.compile(r"^(?:gelet op\b|(?:komen\s+)?met inachtneming van\b)", re.IGNORECASE)
OPERATIVE = re.compile(r"^(?:spreken|komen)\b.*(?:af|overeen|afspraken)\s*:\s*$", re.IGNORECASE)
BULLET = re.compile(r"^[–—-]\s+(.*)$")
PLACE_DATE = re.compile(r"^(?:Te\s+)?(?P<place>[^,]+?)(?:,| op)\s+" + DATE.pattern + r"\s*$")
CLOSING = re.compile(r"^Aldus\b")
NAME = re.compile(
    r"^(?:(?:Mr|mr|Dr|dr|Drs|drs|Ir|ir|Prof|prof)\.\s+)*(?:[A-Z]\.){1,5}\s*[A-Za-z]"
)
_FUNCTION_WORDS = {"de", "het", "en", "van", "inzake", "tussen", "der", "in", "op", "met", "voor"}


@dataclass
class Block:
    """A run of lines belonging to one node, with the line it starts on."""

    start: int
    lines: list[Line] = field(default_factory=list)


def ingest_convenant(path: Path | str, slug: str) -> Graph:
    """Parse the plain-text convenant at ``path`` into an ELI graph for document ``slug``."""
    path = Path(path)
    text = read_source(path)
    return ConvenantParser(path, slug, text).parse()


class ConvenantParser:
    def __init__(self, path: Path, slug: str, text: str):
        self.path = path
        self.slug = slug
        self.known = hyphenated_words(text)
        self.lines, self.notes = split_footnotes(source_lines(text))
        self.b = Builder(slug, WIV.Convenant)
        self.owner: dict[int, URIRef] = {}  # source line -> node whose text holds it

    def error(self, line: int, message: str) -> WivgraphError:
        return WivgraphError(f"{self.path}:{line}: {message}")

    def text(self, lines: list[Line], node: URIRef | None = None) -> str:
        if node is not None:
            self.owner.update((ln.number, node) for ln in lines)
        return join_text(lines, self.known)

    # -- driver ---------------------------------------------------------------------------------

    def parse(self) -> Graph:
        lines = self.lines
        first_article = next((i for i, ln in enumerate(lines) if ARTICLE.match(ln.text)), None)
        if first_article is None:
            raise self.error(1, "no article heading found (expected a line 'Artikel 1 ...')")
        end = self._end_of_articles(first_article)
        heading_starts = self._chapter_headings(first_article, end)
        preamble_end = heading_starts[0] if heading_starts and heading_starts[0] < first_article \
            else first_article
        self._preamble(lines[:preamble_end])
        self._articles(first_article, end, heading_starts)
        self._footnotes()
        self._signatures(lines[end:])
        return self.b.graph

    # -- preamble -------------------------------------------------------------------------------

    def _preamble(self, lines: list[Line]) -> None:
        doc = self.b.doc
        idx = 0
        while idx < len(lines) and lines[idx].blank:
            idx += 1
        title_lines, idx = self._title(lines, idx)
        if title_lines:
            title = self.text(title_lines)
            self.b.graph.add((doc, ELI.title, Literal(title, lang="nl")))
            self.b.add(URIRef(f"{doc}/titel"), WIV.TitleBlock, doc, text=title)
        rest = lines[idx:]
        starts = [i for i, ln in enumerate(rest) if CONSIDERATIONS.match(ln.text)]
        cons_at = starts[0] if starts else len(rest)
        basis_at = next((i for i, ln in enumerate(rest) if LEGAL_BASIS.match(ln.text)), len(rest))
        # "komen het volgende overeen:" closes the preamble; it belongs to no block of its own
        operative_at = next((i for i, ln in enumerate(rest) if OPERATIVE.match(ln.text)
                             and not LEGAL_BASIS.match(ln.text)), len(rest))
        parties = [ln for ln in rest[: min(cons_at, basis_at, operative_at)] if not ln.blank]
        if parties:
            self.b.add(URIRef(f"{doc}/partijen"), WIV.PartiesBlock, doc, text=self.text(parties))
        if starts:
            # the legal basis may also come first ("Gelet op ..., Overwegende ...")
            cons_end = min((i for i in (basis_at, operative_at) if i > cons_at), default=len(rest))
            self._considerations(rest[cons_at:cons_end])
        if basis_at < len(rest):
            basis = []
            for offset, ln in enumerate(rest[basis_at:]):
                if OPERATIVE.match(ln.text) and not LEGAL_BASIS.match(ln.text):
                    break
                if offset and CONSIDERATIONS.match(ln.text):
                    break
                basis.append(ln)
            node = URIRef(f"{doc}/grondslag")
            self.b.add(node, WIV.LegalBasis, doc, text=self.text(basis, node))

    def _title(self, lines: list[Line], idx: int) -> tuple[list[Line], int]:
        """The title paragraph(s): joined across blank lines while a line ends on 'de', 'en' ..."""
        if idx >= len(lines) or not lines[idx].text.lower().startswith("convenant"):
            return [], idx
        title: list[Line] = []
        while idx < len(lines):
            while idx < len(lines) and not lines[idx].blank:
                title.append(lines[idx])
                idx += 1
            last_word = title[-1].text.split()[-1].lower() if title else ""
            if last_word not in _FUNCTION_WORDS and not title[-1].text.endswith("-"):
                break
            while idx < len(lines) and lines[idx].blank:
                idx += 1
        return title, idx

    def _considerations(self, lines: list[Line]) -> None:
        doc = self.b.doc
        first = CONSIDERATIONS.match(lines[0].text)
        items: list[list[Line]] = []
        lead = first.group(1) if first else ""
        if lead:
            items.append([Line(lines[0].number, lead)])
        for ln in lines[1:]:
            if ln.blank:
                continue
            bullet = BULLET.match(ln.text)
            if bullet:
                items.append([Line(ln.number, bullet.group(1))])
            elif re.match(r"^dat\b", ln.text) and (not items or _ends_item(items[-1])):
                items.append([ln])
            elif items:
                items[-1].append(ln)
            else:
                items.append([ln])
        for n, item in enumerate(items, start=1):
            node = URIRef(f"{doc}/overweging/{n}")
            self.b.add(node, WIV.Consideration, doc, number=str(n), text=self.text(item, node))

    # -- body -----------------------------------------------------------------------------------

    def _end_of_articles(self, first_article: int) -> int:
        for i in range(first_article, len(self.lines)):
            t = self.lines[i].text
            if CLOSING.match(t) or PLACE_DATE.match(t):
                return i
        return len(self.lines)

    def _chapter_headings(self, first_article: int, end: int) -> list[int]:
        """Indexes of heading paragraphs standing right before an article heading."""
        starts = []
        lines = self.lines
        for i in range(first_article, end):
            if not ARTICLE.match(lines[i].text):
                continue
            k = i - 1
            while k >= 0 and lines[k].blank:
                k -= 1
            para_end = k
            while k > 0 and not lines[k - 1].blank and not lines[k].page_start:
                k -= 1
            para = lines[k: para_end + 1]
            if para and not ARTICLE.match(para[0].text) and _is_heading(para):
                starts.append(k)
        return starts

    def _articles(self, first: int, end: int, heading_starts: list[int]) -> None:
        doc = self.b.doc
        seen: dict[str, int] = {}
        previous: str | None = None
        chapter: URIRef | None = None
        chapter_no = 0
        i = heading_starts[0] if heading_starts and heading_starts[0] < first else first
        heads = set(heading_starts)
        while i < end:
            line = self.lines[i]
            if i in heads:
                j = i
                para = []
                while not ARTICLE.match(self.lines[j].text):
                    if not self.lines[j].blank:
                        para.append(self.lines[j])
                    j += 1
                chapter_no += 1
                chapter = self.b.add(URIRef(f"{doc}/hoofdstuk/{chapter_no}"), WIV.Chapter, doc,
                                     number=str(chapter_no), title=self.text(para))
                i = j
                continue
            match = ARTICLE.match(line.text)
            if not match:
                if line.blank:
                    i += 1
                    continue
                raise self.error(line.number, f"unexpected text before an article: {line.text!r}")
            number = match.group(1)
            if number in seen:
                raise self.error(line.number, f"duplicate article number {number} "
                                 f"(first at line {seen[number]})")
            allowed = _next_articles(previous)
            if number not in allowed:
                raise self.error(line.number, f"article {number} out of order "
                                 f"(expected {' or '.join(allowed)})")
            seen[number] = line.number
            previous = number
            title = (match.group(2) or "")[1:-1].strip() or (match.group(3) or "").strip()
            j = i + 1
            body: list[Line] = []
            while j < end and not ARTICLE.match(self.lines[j].text) and j not in heads:
                body.append(self.lines[j])
                j += 1
            parent = chapter if chapter is not None else doc
            art = self.b.add(URIRef(f"{doc}/art/{number}"), WIV.Article, parent,
                             number=number, title=title or None)
            self._article_body(art, number, body)
            i = j

    def _article_body(self, art: URIRef, number: str, body: list[Line]) -> None:
        """Split an article body into its own text, leden and onderdelen."""
        own: list[Line] = []
        lid: URIRef | None = None
        lid_lines: list[Line] = []
        lid_no = 0
        onderdeel: URIRef | None = None
        ond_lines: list[Line] = []
        letter = ""
        pending: list[tuple[URIRef, list[Line]]] = []

        def flush_onderdeel():
            nonlocal onderdeel, ond_lines
            if onderdeel is not None:
                pending.append((onderdeel, ond_lines))
            onderdeel, ond_lines = None, []

        for ln in body:
            t = ln.text
            sub = SUBLID.match(t) if "." in t[:6] else None
            lid_match = LID.match(t) or LID_BARE.match(t)
            ond = ONDERDEEL.match(t)
            if sub and (sub.group(3) == "" or not sub.group(3)[0].isdigit()) \
                    and re.match(r"^\d+\.\d+\.", t):
                if sub.group(1) != number:
                    raise self.error(ln.number, f"sub-article {sub.group(1)}.{sub.group(2)} "
                                     f"inside article {number} (expected {number}.{lid_no + 1})")
                if int(sub.group(2)) != lid_no + 1:
                    raise self.error(ln.number, f"lid {sub.group(1)}.{sub.group(2)} out of order "
                                     f"(expected {number}.{lid_no + 1})")
                flush_onderdeel()
                if lid is not None:
                    pending.append((lid, lid_lines))
                lid_no += 1
                lid = self.b.add(URIRef(f"{art}/lid/{lid_no}"), WIV.Lid, art,
                                 number=f"{number}.{lid_no}")
                lid_lines = [Line(ln.number, sub.group(3))] if sub.group(3) else []
                letter = ""
            elif lid_match and not sub:
                n = int(lid_match.group(1))
                if n != lid_no + 1:
                    raise self.error(ln.number, f"lid {n} out of order in article {number} "
                                     f"(expected {lid_no + 1})")
                flush_onderdeel()
                if lid is not None:
                    pending.append((lid, lid_lines))
                lid_no = n
                lid = self.b.add(URIRef(f"{art}/lid/{n}"), WIV.Lid, art, number=str(n))
                rest = lid_match.group(2) if lid_match.re is LID else ""
                lid_lines = [Line(ln.number, rest)] if rest else []
                letter = ""
            elif ond and letter and ond.group(1) != _next_letter(letter):
                where = f"lid {lid_no}" if lid is not None else "the text"
                raise self.error(ln.number, f"onderdeel {ond.group(1)} out of order in {where} "
                                 f"of article {number} (expected {_next_letter(letter)})")
            elif ond and ond.group(1) == _next_letter(letter):
                flush_onderdeel()
                letter = ond.group(1)
                parent = lid if lid is not None else art
                onderdeel = self.b.add(URIRef(f"{parent}/onderdeel/{letter}"), WIV.Onderdeel,
                                       parent, number=letter)
                ond_lines = [Line(ln.number, ond.group(2))]
            elif onderdeel is not None:
                ond_lines.append(ln)
            elif lid is not None:
                lid_lines.append(ln)
            else:
                own.append(ln)
        flush_onderdeel()
        if lid is not None:
            pending.append((lid, lid_lines))
        for node, lines in pending:
            text = self.text(lines, node)
            if text:
                self.b.graph.add((node, WIV.text, Literal(text, lang="nl")))
        own_text = self.text(own, art)
        if own_text:
            self.b.graph.add((art, WIV.text, Literal(own_text, lang="nl")))

    # -- footnotes and signatures -----------------------------------------------------------------

    def _footnotes(self) -> None:
        doc = self.b.doc
        for note in self.notes:
            iri = URIRef(f"{doc}/voetnoot/{note.number}")
            text = self.text(note.lines)
            self.b.add(iri, WIV.Footnote, doc, number=note.number, text=text)
            if note.marker_line in self.owner:
                self.b.graph.add((self.owner[note.marker_line], WIV.footnote, iri))
            for ref in REFERENCE.findall(text):
                self.b.graph.add((iri, WIV.footnoteReference, Literal(ref)))

    def _signatures(self, lines: list[Line]) -> None:
        doc = self.b.doc
        g = self.b.graph
        content = [ln for ln in lines if not ln.blank]
        if content and CLOSING.match(content[0].text):
            closing = []
            while content and not PLACE_DATE.match(content[0].text):
                closing.append(content.pop(0))
            self.b.add(URIRef(f"{doc}/slotformule"), WIV.ClosingFormula, doc,
                       text=self.text(closing))
        blocks: list[dict] = []
        place = date = None
        current: dict | None = None
        for ln in content:
            pd = PLACE_DATE.match(ln.text)
            if pd:
                place, date = pd.group("place").strip(), parse_date(ln.text)
                current = {"lines": [ln], "capacity": [], "name": None, "function": [],
                           "place": place, "date": date, "on_behalf": False}
                blocks.append(current)
            elif NAME.match(ln.text) and current is not None and current["name"] is None:
                current["lines"].append(ln)
                current["name"] = ln.text.rstrip(",").strip()
            elif current is None or current["name"] is not None and ln.text[:1].isupper():
                current = {"lines": [ln], "capacity": [ln.text], "name": None, "function": [],
                           "place": place, "date": date, "on_behalf": False}
                blocks.append(current)
            else:
                current["lines"].append(ln)
                if current["name"] is not None:
                    current["function"].append(ln.text)
                elif ln.text.strip().rstrip(",") == "namens deze":
                    current["on_behalf"] = True
                else:
                    current["capacity"].append(ln.text)
        blocks = [b for b in blocks if b["name"] or b["capacity"]]
        dates = []
        for n, block in enumerate(blocks, start=1):
            node = self.b.add(URIRef(f"{doc}/ondertekening/{n}"), WIV.SignatureBlock, doc,
                              number=str(n), text=self.text(block["lines"]))
            if block["place"]:
                g.add((node, WIV.signingPlace, Literal(block["place"], lang="nl")))
            if block["date"] is not None:
                g.add((node, WIV.signingDate, block["date"]))
                dates.append(block["date"])
            if block["capacity"]:
                cap = self.text([Line(0, c) for c in block["capacity"]]).rstrip(",").strip()
                g.add((node, WIV.printedCapacity, Literal(cap, lang="nl")))
            if block["name"]:
                g.add((node, WIV.printedName, Literal(block["name"])))
            if block["function"]:
                fn = self.text([Line(0, c) for c in block["function"]]).rstrip(",").strip()
                g.add((node, WIV.printedFunction, Literal(fn, lang="nl")))
            if block["on_behalf"]:
                g.add((node, WIV.onBehalf, Literal(True)))
        if dates:
            g.add((doc, ELI.date_document, max(dates, key=str)))


def _next_articles(previous: str | None) -> list[str]:
    """Article numbers that may follow ``previous``: "7" -> "8" or "7a"; "7a" -> "8" or "7b"."""
    if previous is None:
        return ["1"]
    match = re.fullmatch(r"(\d+)([a-z]?)", previous)
    number, letter = int(match.group(1)), match.group(2)
    following = chr(ord(letter) + 1) if letter else "a"
    return [str(number + 1), f"{number}{following}"]


def _next_letter(letter: str) -> str:
    return "a" if not letter else chr(ord(letter) + 1)


def _ends_item(lines: list[Line]) -> bool:
    return lines[-1].text.rstrip().endswith((";", ",", "."))


def _is_heading(para: list[Line]) -> bool:
    """A short paragraph without closing punctuation, not a lid or list item."""
    text = " ".join(ln.text for ln in para).strip()
    if len(para) > 2 or len(text) > 160 or not text[:1].isupper():
        return False
    if LID.match(text) or SUBLID.match(text) or ONDERDEEL.match(text) or BULLET.match(text):
        return False
    if PLACE_DATE.match(text):
        return False
    return not text.endswith((".", ";", ":", ","))
