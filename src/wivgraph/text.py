"""Text normalisation shared by ingest and the quote check."""

from __future__ import annotations

import re
import unicodedata

# A hyphen at a line end splits a word, unless the next word is a conjunction:
# "Inlichtingen-\nen Veiligheidsdienst" keeps its hyphen.
_HYPHEN_BREAK = re.compile(r"(\S*\w)-[ \t]*\n\s*(?!(?:en|of|noch|and|or)\b)(\w\S*)")
_WHITESPACE = re.compile(r"\s+")
# Dutch writes a hyphen where two vowels would merge into one sound ("informatie-uitwisseling").
_VOWEL_PAIRS = {
    "aa",
    "ae",
    "ai",
    "au",
    "ee",
    "ei",
    "eu",
    "ie",
    "oe",
    "oi",
    "oo",
    "ou",
    "ui",
    "uu",
    "ij",
}


def _keeps_hyphen(left: str, right: str, known: frozenset[str]) -> bool:
    """True when a hyphen at a line end belongs to the word ("NAVO-lidstaten"), not the layout."""
    if f"{left}-{right}".lower() in known:
        return True
    a, b = left[-1], right[0]
    if a.isupper() or a.isdigit() or b.isupper() or b.isdigit():
        return True  # "EU-lidstaten", "A-veiligheidsonderzoek", "Noord-Atlantische"
    if "-" in left or "-" in right.rstrip("-"):
        return True  # "quid-pro-quobalans"
    return (a + b).lower() in _VOWEL_PAIRS


def repair_hyphenation(text: str, known: frozenset[str] = frozenset()) -> str:
    """Join words hyphenated at a line end; keep real hyphens (see :func:`_keeps_hyphen`).

    ``known`` holds lower-case hyphenated words seen inside a line of the same document
    ("derde-landregel"), which keep their hyphen when broken at a line end.
    """

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        core_left = re.sub(r"^\W+", "", left)
        core_right = re.sub(r"\W+$", "", right)
        if core_left and core_right and _keeps_hyphen(core_left, core_right, known):
            return f"{left}-{right}"
        return left + right

    return _HYPHEN_BREAK.sub(join, text)


def normalise(text: str) -> str:
    """Fold whitespace and Unicode forms; join words hyphenated at a line end.

    "taakuitvoe-\\nring" becomes "taakuitvoering"; every run of white space becomes one space.
    """
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = repair_hyphenation(text)
    return _WHITESPACE.sub(" ", text).strip()


def quote_occurs(quote: str, text: str) -> bool:
    """True when ``quote`` occurs verbatim in ``text`` after normalising both."""
    return normalise(quote) in normalise(text)
