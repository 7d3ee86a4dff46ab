"""Shared steps of ingest: source lines, page furniture, footnotes, text joining, RDF helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from wivgraph.errors import WivgraphError
from wivgraph.namespaces import DOC, ELI, WIV, bind_prefixes
from wivgraph.text import normalise, repair_hyphenation

# Page furniture: page numbers ("19 van 51", "Pagina 110 van 167").
PAGE_NUMBER = re.compile(r"^\s*(?:Pagina\s+)?\d+\s+van\s+\d+\s*$")
FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,3}) (\S.*)$")
MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
DATE = re.compile(r"(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})")
# A document slug (docs/ingest.md): lower-case ASCII letters and digits, single hyphens between.
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A footnote marker sticks to the word or punctuation before it: "aangeboden1," "systemen.2"
# "BZK20", or to a year: "MIVD 200924 geven" (footnote 24 after "2009").
_MARKER_AFTER = r"(?=[\s,.;:)]|$)"


@dataclass
class Line:
    """One source line: its 1-based number, its text, and whether it opens a new page."""

    number: int
    text: str
    page_start: bool = False

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Footnote:
    number: str
    lines: list[Line] = field(default_factory=list)
    marker_line: int = 0


def read_source(path: Path) -> str:
    """The text of a source file; a missing or undecodable file is bad input."""
    try:
        return path.read_text(encoding="utf-8-sig")  # a leading BOM is accepted
    except FileNotFoundError:
        raise WivgraphError(f"{path}: file not found (expected a plain-text source)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WivgraphError(f"{path}: cannot read as UTF-8 text ({exc})") from None


def source_lines(text: str) -> list[Line]:
    """Split into lines; a line starting with a space opens a page; page numbers become blank."""
    lines = []
    for i, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r").rstrip()
        if PAGE_NUMBER.match(raw):
            lines.append(Line(i, "", page_start=True))  # a page ends here: blank, but a break
            continue
        page_start = raw.startswith(" ") and bool(raw.strip())
        lines.append(Line(i, raw.strip(), page_start=page_start))
    return lines


def hyphenated_words(text: str) -> frozenset[str]:
    """Lower-case hyphenated words that occur inside a line ("derde-landregel")."""
    return frozenset(w.lower() for w in re.findall(r"\w+(?:-\w+)+", text))


def _find_marker(lines: list[Line], number: str) -> tuple[int, re.Match[str]] | None:
    """The latest body line holding the marker of footnote ``number``, searching backwards."""
    strict = re.compile(r"(?<=[^\s\d/–-])" + number + _MARKER_AFTER)
    year = re.compile(r"(?<=\b(?:19|20)\d\d)" + number + _MARKER_AFTER)
    for pattern in (strict, year):
        for idx in range(len(lines) - 1, -1, -1):
            matches = list(pattern.finditer(lines[idx].text))
            if matches:
                return idx, matches[-1]
    return None


def split_footnotes(lines: list[Line]) -> tuple[list[Line], list[Footnote]]:
    """Separate numbered footnotes (1, 2, ... in order) from the body and strip their markers.

    A footnote starts on a line "N text" when N is the next footnote number and a marker N
    occurs in the body before it; it runs to the end of its page (the next page start).
    """
    body: list[Line] = []
    notes: list[Footnote] = []
    current: Footnote | None = None
    searched_from = 0
    for line in lines:
        if current is not None:
            if line.page_start:
                current = None
            else:
                match = FOOTNOTE_LINE.match(line.text)
                if match and match.group(1) == str(len(notes) + 1):
                    found = _find_marker(body[searched_from:], match.group(1))
                    if found is not None:
                        current = _open_note(notes, body, searched_from, found, line, match)
                        searched_from = searched_from + found[0]
                        continue
                current.lines.append(line)
                continue
        match = FOOTNOTE_LINE.match(line.text)
        if match and match.group(1) == str(len(notes) + 1) and not line.page_start:
            found = _find_marker(body[searched_from:], match.group(1))
            if found is not None:
                current = _open_note(notes, body, searched_from, found, line, match)
                searched_from = searched_from + found[0]
                continue
        body.append(line)
    return body, notes


def _open_note(notes, body, offset, found, line, match) -> Footnote:
    idx, marker = found
    target = body[offset + idx]
    target.text = target.text[: marker.start()] + target.text[marker.end():]
    note = Footnote(match.group(1), [Line(line.number, match.group(2))], marker_line=target.number)
    notes.append(note)
    return note


def join_text(lines: list[Line], known: frozenset[str] = frozenset()) -> str:
    """Join lines into one verbatim string: hyphenation repaired, white space folded."""
    raw = "\n".join(ln.text for ln in lines if not ln.blank)
    return normalise(repair_hyphenation(raw, known))


def parse_date(text: str) -> Literal | None:
    """The first Dutch date ("8 juli 2005") in ``text`` as an xsd:date literal."""
    match = DATE.search(text)
    if not match:
        return None
    day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)


def check_slug(slug: str) -> str:
    """``slug`` if it is a valid document slug, else bad input (it becomes part of every IRI)."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise WivgraphError(f"document id {slug!r}: expected a slug of lower-case ASCII letters and "
                            "digits joined by single hyphens, e.g. convenant-ciic-2020")
    return slug


class Builder:
    """Adds subdivisions of one document to a graph, with the core properties of each."""

    def __init__(self, slug: str, kind: URIRef):
        self.slug = check_slug(slug)
        self.graph = bind_prefixes(Graph())
        self.doc = DOC[slug]
        self.graph.add((self.doc, RDF.type, ELI.LegalResource))
        self.graph.add((self.doc, RDF.type, kind))
        self.positions: dict[URIRef, int] = {}

    def iri(self, parent: URIRef, kind: str, number: str) -> URIRef:
        return URIRef(f"{parent}/{kind}/{number}")

    def add(
        self,
        iri: URIRef,
        cls: URIRef,
        parent: URIRef,
        number: str | None = None,
        text: str | None = None,
        title: str | None = None,
    ) -> URIRef:
        g = self.graph
        if (iri, RDF.type, None) in g:
            raise ValueError(f"duplicate subdivision {iri}")
        position = self.positions.get(parent, 0) + 1
        self.positions[parent] = position
        g.add((iri, RDF.type, cls))
        g.add((iri, ELI.is_part_of, parent))
        g.add((iri, WIV.document, self.doc))
        g.add((iri, WIV.position, Literal(position)))
        if number is not None:
            g.add((iri, ELI.number, Literal(number)))
        if text:
            g.add((iri, WIV.text, Literal(text, lang="nl")))
        if title:
            g.add((iri, ELI.title, Literal(title, lang="nl")))
        return iri
