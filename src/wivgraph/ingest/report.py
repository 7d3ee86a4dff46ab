"""Supervisory report (CTIVD 22B) and selection-list fragment -> ELI structure.

Report: title block, summary, chapters and sections ("5.2 ..."), "Praktijk:" / "Intern beleid:"
subsections, footnotes with their parliamentary references, and the begrippenlijst as a SKOS
concept scheme. Selection list: title line (running header) and its headed sections.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from wivgraph.errors import WivgraphError
from wivgraph.ingest.common import (
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
from wivgraph.namespaces import ELI, TERM, WIV

CHAPTER = re.compile(r"^(\d{1,2}) ([A-Z].*)$")
SECTION = re.compile(r"^(\d{1,2})\.(\d{1,2}) ([A-Z(].*)$")
SUBSECTION = re.compile(r"^(Praktijk|Intern beleid|Intern overleg)\b")
UPPER_HEADING = re.compile(r"^[A-Z]{6,}$")
ADOPTED = re.compile(r"vastgesteld\b.*\bop (\d{1,2} \w+ \d{4})")
_TERMINAL = (".", ",", ";", ":")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _titlelike(line: Line) -> bool:
    t = line.text
    return bool(t) and len(t) < 80 and not t.endswith(_TERMINAL)


class _Doc:
    """Collects lines per node, then writes texts and footnote links."""

    def __init__(self, path: Path, slug: str, kind: URIRef, text: str):
        self.path = path
        self.known = hyphenated_words(text)
        self.lines, self.notes = split_footnotes(source_lines(text))
        self.b = Builder(slug, kind)
        self.node_lines: dict[URIRef, list[Line]] = {}

    def node(self, iri, cls, parent, number=None, title=None) -> URIRef:
        self.b.add(URIRef(iri), cls, parent, number=number, title=title)
        self.node_lines[URIRef(iri)] = []
        return URIRef(iri)

    def text(self, lines: list[Line]) -> str:
        return join_text(lines, self.known)

    def finish(self) -> Graph:
        g = self.b.graph
        owner: dict[int, URIRef] = {}
        for node, lines in self.node_lines.items():
            text = self.text(lines)
            if text:
                g.add((node, WIV.text, Literal(text, lang="nl")))
            for ln in lines:
                owner[ln.number] = node
        doc = self.b.doc
        for note in self.notes:
            iri = URIRef(f"{doc}/voetnoot/{note.number}")
            text = self.text(note.lines)
            self.b.add(iri, WIV.Footnote, doc, number=note.number, text=text)
            if note.marker_line in owner:
                g.add((owner[note.marker_line], WIV.footnote, iri))
            for ref in REFERENCE.findall(text):
                g.add((iri, WIV.footnoteReference, Literal(ref)))
        return g


def ingest_report(path: Path | str, slug: str) -> Graph:
    """Parse the CTIVD report at ``path`` into an ELI graph for document ``slug``."""
    path = Path(path)
    text = read_source(path)
    d = _Doc(path, slug, WIV.SupervisoryReport, text)
    doc = d.b.doc
    lines = d.lines
    start = next((i for i, ln in enumerate(lines) if ln.text == "SAMENVATTING"), None)
    if start is None:
        raise WivgraphError(f"{path}:1: no 'SAMENVATTING' heading (expected a CTIVD report)")
    masthead = [ln for ln in lines[:start] if not ln.blank]
    i = start + 1
    subtitle: list[Line] = []
    while i < len(lines) and (lines[i].blank or _titlelike(lines[i])):
        if not lines[i].blank:
            subtitle.append(lines[i])
        i += 1
    titel = d.node(f"{doc}/titel", WIV.TitleBlock, doc)
    d.node_lines[titel] = masthead + subtitle
    if subtitle:
        title = d.text(subtitle)
        title = re.sub(r"^Bij het t", "T", title)
        d.b.graph.add((doc, ELI.title, Literal(title, lang="nl")))
    furniture = {ln.text for ln in masthead + subtitle}
    current = d.node(f"{doc}/samenvatting", WIV.Summary, doc, title=lines[start].text)
    container = current  # node that receives text after a minor heading
    chapter_no = 0
    section_no = 0
    chapter: URIRef | None = None
    sub_counts: dict[tuple[URIRef, str], int] = {}
    glossary_at = None
    n = len(lines)
    while i < n:
        ln = lines[i]
        t = ln.text
        if t in furniture:
            i += 1
            continue
        if UPPER_HEADING.match(t) and t == "BEGRIPPENLIJST":
            glossary_at = i
            break
        m = CHAPTER.match(t)
        if m and int(m.group(1)) == chapter_no + 1 and not t.endswith(_TERMINAL) and len(t) < 80:
            title_lines, i = _heading(lines, i, m.group(2))
            chapter_no += 1
            section_no = 0
            chapter = d.node(f"{doc}/sectie/{chapter_no}", WIV.Chapter, doc,
                             number=str(chapter_no), title=d.text(title_lines))
            current = container = chapter
            continue
        m = SECTION.match(t)
        if m and chapter is not None and int(m.group(1)) == chapter_no \
                and int(m.group(2)) == section_no + 1:
            title_lines, i = _heading(lines, i, m.group(3))
            section_no += 1
            number = f"{chapter_no}.{section_no}"
            current = container = d.node(f"{doc}/sectie/{number}", WIV.Section, chapter,
                                         number=number, title=d.text(title_lines))
            continue
        m = SUBSECTION.match(t)
        if m and chapter is not None:
            kind = "praktijk" if m.group(1) == "Praktijk" else "intern-beleid"
            cls = WIV.PracticeSection if kind == "praktijk" else WIV.PolicySection
            key = (container, kind)
            sub_counts[key] = sub_counts.get(key, 0) + 1
            current = d.node(f"{container}/{kind}/{sub_counts[key]}", cls, container,
                             number=str(sub_counts[key]), title=t.strip())
            i += 1
            continue
        if current != container and _minor_heading(lines, i) and ":" not in t:
            current = container
        d.node_lines[current].append(ln)
        for date in ADOPTED.findall(t):
            parsed = parse_date(date)
            if parsed is not None:
                d.b.graph.add((doc, ELI.date_document, parsed))
        i += 1
    if glossary_at is not None:
        _glossary(d, lines, glossary_at, furniture)
    if chapter_no == 0:
        raise WivgraphError(f"{path}:1: no numbered chapter ('1 Inleiding') found")
    return d.finish()


def _heading(lines: list[Line], i: int, first: str) -> tuple[list[Line], int]:
    """A heading and its continuation lines (up to the first blank line)."""
    out = [Line(lines[i].number, first)]
    i += 1
    while i < len(lines) and not lines[i].blank and not lines[i].page_start \
            and len(out) < 3 and _titlelike(lines[i]):
        out.append(lines[i])
        i += 1
    return out, i


def _minor_heading(lines: list[Line], i: int) -> bool:
    """A short untitled heading line that opens a paragraph ("Derde-partijregel")."""
    ln = lines[i]
    if not _titlelike(ln) or not ln.text[:1].isupper() or len(ln.text) > 75:
        return False
    prev_blank = i == 0 or lines[i - 1].blank or ln.page_start
    next_text = i + 1 < len(lines) and not lines[i + 1].blank
    return prev_blank and next_text


def _glossary(d: _Doc, lines: list[Line], at: int, furniture: set[str]) -> None:
    doc = d.b.doc
    g = d.b.graph
    node = d.node(f"{doc}/begrippenlijst", WIV.Glossary, doc, title=lines[at].text)
    i = at + 1
    while i < len(lines) and (lines[i].blank or _titlelike(lines[i])):
        i += 1  # the repeated subtitle
    paras: list[list[Line]] = []
    for ln in lines[i:]:
        if ln.blank:
            if paras and paras[-1]:
                paras.append([])
            continue
        if ln.page_start and paras and paras[-1]:
            paras.append([])
        if not paras:
            paras.append([])
        paras[-1].append(ln)
    paras = [p for p in paras if p]
    if not paras:
        return
    d.node_lines[node].extend(paras[0])
    scheme = TERM[_slug(doc.split("/")[-1])]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    heading = d.text(lines[at:at + 1])
    g.add((scheme, SKOS.prefLabel, Literal(heading.capitalize(), lang="nl")))
    g.add((scheme, WIV.source, node))
    g.add((scheme, WIV.quote, Literal(heading)))
    pending: list[Line] = []
    for para in paras[1:]:
        entry = pending + para
        split = _term_split(d.text(entry))
        if split is None:
            pending = entry
            continue
        pending = []
        term, definition = split
        d.node_lines[node].extend(entry)
        concept = TERM[_slug(term)]
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, Literal(term, lang="nl")))
        g.add((concept, SKOS.definition, Literal(definition, lang="nl")))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, WIV.source, node))
        g.add((concept, WIV.quote, Literal(f"{term} {definition}", lang="nl")))


def _term_split(entry: str) -> tuple[str, str] | None:
    """Split "Bulkdata Grote hoeveelheden ruwe gegevens." into term and definition.

    The term runs to the first capitalised word; a parenthesised abbreviation followed by a
    capitalised word ends the term ("Request for Information (RFI) Een ...").
    """
    tokens = entry.split(" ")
    for k in range(1, len(tokens)):
        tok = tokens[k]
        if tok.startswith("(") and tok.endswith(")") and k + 1 < len(tokens) \
                and tokens[k + 1][:1].isupper():
            return " ".join(tokens[: k + 1]), " ".join(tokens[k + 1:])
        if tok[:1].isupper():
            later = any(
                t.startswith("(") and t.endswith(")") and j + 1 < len(tokens)
                and tokens[j + 1][:1].isupper()
                for j, t in enumerate(tokens[k + 1: k + 4], start=k + 1)
            )
            if not later:
                return " ".join(tokens[:k]), " ".join(tokens[k:])
    return None


def ingest_selectielijst(path: Path | str, slug: str) -> Graph:
    """Parse the selection-list fragment: its running header and headed sections."""
    path = Path(path)
    text = read_source(path)
    d = _Doc(path, slug, WIV.SelectionList, text)
    doc = d.b.doc
    lines = d.lines
    first = next((i for i, ln in enumerate(lines) if not ln.blank), None)
    if first is None:
        raise WivgraphError(f"{path}:1: empty source")
    header = lines[first]
    titel = d.node(f"{doc}/titel", WIV.TitleBlock, doc)
    d.node_lines[titel] = [header]
    parts = [p.strip() for p in header.text.split("|")]
    if len(parts) >= 2:
        d.b.graph.add((doc, ELI.title, Literal(re.sub(r"\s+", " ", parts[1]), lang="nl")))
    current = None
    count = 0
    for i in range(first + 1, len(lines)):
        ln = lines[i]
        if ln.blank:
            continue
        prev_blank = lines[i - 1].blank
        next_blank = i + 1 >= len(lines) or lines[i + 1].blank
        if prev_blank and next_blank and _titlelike(ln) and ln.text[:1].isupper():
            count += 1
            current = d.node(f"{doc}/sectie/{count}", WIV.Section, doc, title=ln.text)
            continue
        if current is None:
            raise WivgraphError(f"{path}:{ln.number}: text before the first section heading")
        d.node_lines[current].append(ln)
    if count == 0:
        raise WivgraphError(f"{path}:1: no section heading found")
    return d.finish()
