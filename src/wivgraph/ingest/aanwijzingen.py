"""Aanwijzingen voor convenanten (BWBR0014609): the laws-markdown file -> plain text -> structure.

``python -m wivgraph.ingest.aanwijzingen`` writes data/sources/aanwijzingen-convenanten-2003.txt
(the Markdown copy with its markup removed, see :func:`plain_text`) and
data/laws/aanwijzingen-convenanten-2003.ttl (the Regeling, its signature, the Bijlage with its
chapters, paragraphs, 25 aanwijzingen, leden, onderdelen and the Toelichting per aanwijzing).
Both are generated: never edit them by hand. docs/toets.md describes the IRIs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.ingest.writer import write_graph
from wivgraph.namespaces import DOC, ELI, WIV, bind_prefixes

SLUG = "aanwijzingen-convenanten-2003"
BWB = "BWBR0014609"
COMMIT = "6d2f09723f9295bd91982392608789237136431a"
REPO_PATH = "ministeriele-regeling/vaststellingsregeling/aanwijzingen/voor/convenanten/2003/BWBR0014609/README.md"
EXTERNAL_SOURCE = f"https://github.com/statengeneraal/laws-markdown/blob/{COMMIT}/{REPO_PATH}"
OFFICIAL = f"https://wetten.overheid.nl/{BWB}"
MARKDOWN = f"{SLUG}.md"
#: sha256 of the verbatim copy (83,551 characters, as read from laws-markdown at COMMIT)
MARKDOWN_SHA256 = "e38d4210089529c96740125e8113ba247690f419db9daf9fbf6f054fd165eded"
TEXT = f"{SLUG}.txt"

HEADER = f"""Regeling van 21 januari 2003, tot vaststelling van de Aanwijzingen voor convenanten ({BWB}).
Source: {EXTERNAL_SOURCE}
Verbatim copy of that file: data/sources/{MARKDOWN}
Official text: {OFFICIAL}
Transformation (wivgraph.ingest.aanwijzingen.plain_text): the <meta> line is dropped; Markdown
heading markers (#), emphasis markers (*) and link syntax ([text](url) -> text) are removed; runs
of spaces are collapsed to one and trailing spaces removed. The wording is unchanged. Everything
below the line of dashes is the text of the regeling.
----------------------------------------------------------------------------------------------
"""

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"[ \t]+")
ORDINALS_NL = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde"}


def clean_line(line: str) -> str:
    """One Markdown line as plain text (headings, emphasis and links removed, spaces folded)."""
    line = _LINK.sub(r"\1", line)
    line = re.sub(r"^#+\s*", "", line)
    line = line.replace("*", "")
    return _SPACES.sub(" ", line).strip()


def plain_text(markdown: str) -> str:
    """The whole file as plain text, line by line (see HEADER for what is removed)."""
    lines = [clean_line(x) for x in markdown.splitlines() if not x.startswith("<meta")]
    body = "\n".join(lines).strip("\n") + "\n"
    return HEADER + "\n" + re.sub(r"\n{3,}", "\n\n", body)


@dataclass
class Unit:
    """A subdivision being read: its IRI path, kind, number and lines of text."""

    path: str
    kind: URIRef
    number: str | None = None
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    children: list[Unit] = field(default_factory=list)


_AANWIJZING = re.compile(r"^####Aanwijzing (\d+)\s*$")
_HOOFDSTUK = re.compile(r"^### Hoofdstuk\s+(\d+)\s*$")
_PARAGRAAF = re.compile(r"^### §\s+(\d+\.\d+)\s*$")
_ARTIKEL = re.compile(r"^### Artikel\s+(\d+)\s*$")
_LID = re.compile(r"^(\d+)\.\s\s(.*)$")
_ONDERDEEL = re.compile(r"^([a-z])\.\s+(.*)$")


def parse(markdown: str, name: str = MARKDOWN) -> Unit:
    """The structure of the file as a tree of units below the document."""
    root = Unit("", WIV.Law)
    lines = markdown.splitlines()
    i = 0
    state = "preamble"
    bijlage = chapter = section = aanwijzing = current = lid = None
    title_block = Unit("/titel", WIV.TitleBlock)
    root.children.append(title_block)
    pending_title: Unit | None = None
    while i < len(lines):
        raw = lines[i]
        i += 1
        if raw.startswith("<meta") or not raw.strip():
            continue
        if raw.startswith("##Regeling"):
            title_block.lines.append(raw)
            current = Unit("/aanhef", WIV.PartiesBlock)  # "De Minister-President, ... Besluit:"
            root.children.append(current)
            continue
        if m := _ARTIKEL.match(raw):
            current = Unit(f"/art/{m[1]}", WIV.Article, m[1])
            root.children.append(current)
            state = "article"
            continue
        if raw.startswith("Den Haag") and state == "article":
            current = Unit("/ondertekening/1", WIV.SignatureBlock)
            root.children.append(current)
            current.lines.append(raw)
            state = "signature"
            continue
        if raw.startswith("### Bijlage"):
            bijlage = Unit("/bijlage", WIV.Annex)
            root.children.append(bijlage)
            pending_title = bijlage
            state = "bijlage"
            continue
        if m := _HOOFDSTUK.match(raw):
            chapter = Unit(f"/bijlage/hoofdstuk/{m[1]}", WIV.Chapter, m[1])
            bijlage.children.append(chapter)
            section = None
            pending_title = chapter
            continue
        if m := _PARAGRAAF.match(raw):
            section = Unit(f"/bijlage/paragraaf/{m[1]}", WIV.Section, m[1])
            chapter.children.append(section)
            pending_title = section
            continue
        if m := _AANWIJZING.match(raw):
            aanwijzing = Unit(f"/aanwijzing/{m[1]}", WIV.Article, m[1])
            (section or chapter).children.append(aanwijzing)
            current = aanwijzing
            lid = None
            state = "aanwijzing"
            pending_title = None
            continue
        if raw.startswith("####") and pending_title is not None:
            pending_title.title = clean_line(raw)
            pending_title = None
            continue
        if raw.startswith("### *Toelichting*"):
            current = Unit(f"{aanwijzing.path}/toelichting", WIV.Explanation)
            aanwijzing.children.append(current)
            state = "toelichting"
            continue
        if state == "aanwijzing":
            if m := _LID.match(raw):
                current = lid = Unit(f"{aanwijzing.path}/lid/{m[1]}", WIV.Lid, m[1], lines=[m[2]])
                aanwijzing.children.append(current)
                continue
            if m := _ONDERDEEL.match(raw):
                parent = lid if lid is not None else aanwijzing
                unit = Unit(f"{parent.path}/onderdeel/{m[1]}", WIV.Onderdeel, m[1], lines=[m[2]])
                parent.children.append(unit)
                current = unit
                continue
        if current is None:
            raise WivgraphError(f"{name}:{i}: text outside any article or aanwijzing: {raw[:40]!r}")
        current.lines.append(raw)
    _check(root, name)
    return root


def _check(root: Unit, name: str) -> None:
    numbers = [u.number for u in _walk(root) if u.path.startswith("/aanwijzing/") and u.path.count("/") == 2]
    if numbers != [str(n) for n in range(1, 26)]:
        raise WivgraphError(f"{name}: expected aanwijzingen 1 to 25 in order, found {numbers}")


def _walk(unit: Unit):
    yield unit
    for child in unit.children:
        yield from _walk(child)


def text_of(unit: Unit) -> str:
    return " ".join(x for x in (clean_line(line) for line in unit.lines) if x)


def _label(unit: Unit, parents: list[Unit]) -> tuple[str, str] | None:
    """Dutch and English labels of an aanwijzing, lid or onderdeel."""
    a = next((p for p in [*parents, unit] if p.path.startswith("/aanwijzing/") and p.kind == WIV.Article), None)
    if a is None:
        if unit.kind == WIV.Article:
            return f"artikel {unit.number}, Regeling Aanwijzingen voor convenanten", \
                f"Article {unit.number} Regulation on the Instructions for convenants"
        return None
    nl, en = f"aanwijzing {a.number}", f"Instruction {a.number}"
    lid = next((p for p in [*parents, unit] if p.kind == WIV.Lid), None)
    if lid is not None:
        nl += f", {ORDINALS_NL.get(int(lid.number), lid.number)} lid"
        en += f"({lid.number})"
    if unit.kind == WIV.Onderdeel:
        nl += f", onderdeel {unit.number}"
        en += f"({unit.number})"
    if unit.kind == WIV.Explanation:
        nl, en = f"toelichting bij {nl}", f"explanatory notes to {en}"
    return f"{nl}, Aanwijzingen voor convenanten", f"{en} Instructions for convenants"


def build_graph(markdown: str, name: str = MARKDOWN) -> Graph:
    """The Regeling and its Bijlage as ELI subdivisions of doc:aanwijzingen-convenanten-2003."""
    root = parse(markdown, name)
    g = bind_prefixes(Graph())
    doc = DOC[SLUG]
    source = URIRef(EXTERNAL_SOURCE)

    def add(unit: Unit, parent: URIRef, parents: list[Unit], position: int) -> None:
        iri = URIRef(str(doc) + unit.path)
        g.add((iri, RDF.type, ELI.LegalResourceSubdivision))
        g.add((iri, RDF.type, unit.kind))
        g.add((iri, ELI.is_part_of, parent))
        g.add((iri, WIV.document, doc))
        g.add((iri, WIV.position, Literal(position)))
        g.add((iri, WIV.external, Literal(True)))
        g.add((iri, WIV.externalSource, source))
        if unit.number is not None:
            g.add((iri, ELI.number, Literal(unit.number)))
        if unit.title:
            g.add((iri, ELI.title, Literal(unit.title, lang="nl")))
        text = text_of(unit)
        if text:
            g.add((iri, WIV.text, Literal(text, lang="nl")))
        labels = _label(unit, parents)
        if labels:
            g.add((iri, RDFS.label, Literal(labels[0], lang="nl")))
            g.add((iri, RDFS.label, Literal(labels[1], lang="en")))
        if unit.path.startswith("/art/"):
            g.add((iri, RDFS.seeAlso, URIRef(f"https://wetten.overheid.nl/jci1.3:c:{BWB}&artikel={unit.number}")))
        for n, child in enumerate(unit.children, 1):
            add(child, iri, [*parents, unit], n)

    for n, child in enumerate(root.children, 1):
        add(child, doc, [], n)
    g.add((doc, RDFS.label, Literal("Aanwijzingen voor convenanten (2003)", lang="nl")))
    g.add((doc, RDFS.label, Literal("Instructions for convenants (2003)", lang="en")))
    return g


def write(root: Path | None = None) -> tuple[Path, Path]:
    """Regenerate the plain text and the Turtle from the verbatim Markdown copy."""
    base = root or paths.project_root()
    sources = base / "data" / "sources"
    markdown = (sources / MARKDOWN).read_text(encoding="utf-8")
    text_path = sources / TEXT
    text_path.write_text(plain_text(markdown), encoding="utf-8")
    ttl = base / "data" / "laws" / f"{SLUG}.ttl"
    write_graph(build_graph(markdown), ttl,
                f"Generated from data/sources/{MARKDOWN} by `python -m wivgraph.ingest.aanwijzingen`; "
                "do not edit.")
    return text_path, ttl


if __name__ == "__main__":
    for written in write():
        print(written)
