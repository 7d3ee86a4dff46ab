"""The query gate: every user query passes here before it runs.

Refuses, by parsing (not by string matching): SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...),
SERVICE (federated calls) and FROM / FROM NAMED (rdflib would fetch those IRIs from the web).
Syntax errors become one readable line with line and column.

Before any parsing, :func:`precheck` bounds the text: at most :data:`MAX_QUERY_CHARS` characters
and brackets (``{ ( [``) nested at most :data:`MAX_NESTING` deep. Parsers recurse per nesting
level: rdflib's raises RecursionError near 30 levels, oxigraph's overflows its stack and aborts
the process near 3,500. The catalogue nests at most 5 deep.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from wivgraph.errors import QueryRefused, WivgraphError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

#: longest query text accepted (characters), checked before parsing
MAX_QUERY_CHARS = 100_000
#: deepest nesting of { ( [ accepted, checked before parsing
MAX_NESTING = 20

# strings, IRIs and comments are opaque; only the brackets outside them count
_BRACKETS = re.compile(
    "|".join(
        (
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',  # long strings
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"(?:[^"\\\n\r]|\\.)*"',  # short strings
            r"'(?:[^'\\\n\r]|\\.)*'",
            r"<[^<>\"{}|^`\\\x00-\x20]*>",  # IRIs
            r"\#[^\n]*",  # comments
            r"[{}()\[\]]",
        )
    ),
    re.DOTALL,
)


def precheck(text: str) -> None:
    """Refuse text that is too long or nested too deep, without parsing it (cheap, linear)."""
    if not isinstance(text, str) or not text.strip():
        raise WivgraphError("empty query: expected a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(
            f"query refused: {len(text):,} characters, longer than the limit of "
            f"{MAX_QUERY_CHARS:,}"
        )
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in ("{", "(", "["):
            depth += 1
            if depth > MAX_NESTING:
                raise QueryRefused(
                    f"query refused: brackets nested deeper than {MAX_NESTING} levels"
                )
        elif token in ("}", ")", "]"):
            depth = max(0, depth - 1)


def load_parser() -> None:
    """Import rdflib's SPARQL parser now: a server does this before its first query, not while
    answering it (the gate imports it on first use, which spares the command line 40 ms)."""
    import rdflib.plugins.sparql.algebra  # noqa: F401, PLC0415
    import rdflib.plugins.sparql.parser  # noqa: F401, PLC0415
    import rdflib.plugins.sparql.parserutils  # noqa: F401, PLC0415


def check_query(text: str) -> Query:
    """Parse ``text`` as a read-only local query and return the prepared query, or raise."""
    precheck(text)
    return _checked(text)


@lru_cache(maxsize=512)
def _checked(text: str) -> Query:
    # Parsing costs 3-200 ms per query; catalogue questions are asked again and again. A prepared
    # query is not changed by evaluation, so it can be shared. Refusals raise and are not cached.
    # rdflib's SPARQL parser (pyparsing) is imported when a query is first parsed, not before
    from pyparsing import ParseException  # noqa: PLC0415
    from rdflib.plugins.sparql.algebra import translateQuery  # noqa: PLC0415
    from rdflib.plugins.sparql.parser import parseQuery  # noqa: PLC0415

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise QueryRefused(
                "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, ...) is refused: "
                "the graph is read-only"
            ) from None
        raise WivgraphError(
            f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
        ) from None
    except Exception as exc:  # the parser raises other types for some malformed input
        raise WivgraphError(f"SPARQL syntax error: {exc}") from None
    body = parsed[1]
    if "datasetClause" in body:
        raise QueryRefused(
            "FROM / FROM NAMED is refused: queries run on the loaded graph only "
            "(use GRAPH ?g { ... } to select a named graph)"
        )
    if _contains_service(body):
        raise QueryRefused("SERVICE is refused: queries may not call other endpoints")
    try:
        return translateQuery(parsed)
    except Exception as exc:
        raise WivgraphError(f"SPARQL error: {exc}") from None


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate  # noqa: PLC0415

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _contains_service(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_contains_service(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_contains_service(item) for item in node)
    if isinstance(node, dict):
        return any(_contains_service(value) for value in node.values())
    return False


# --- verdicts remembered between processes ---------------------------------------------------

#: most verdicts one memo file keeps (the oldest go first)
MEMO_ENTRIES = 4096


class VerdictMemo:
    """Query texts that passed a parse-based check before (the gate's, or the check of a
    parameter binding), remembered in a file so that a new process need not parse them again.

    Only passes are remembered, never refusals; the file name carries a hash of the checking
    code and of rdflib's version, so a change of either starts a new file. The command line
    keeps it in the build cache folder (the project's own), see :func:`remember_in`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._known: dict[str, str] | None = None

    @staticmethod
    def key(kind: str, text: str) -> str:
        return hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()

    def get(self, kind: str, text: str) -> str | None:
        return self._entries().get(self.key(kind, text))

    def put(self, kind: str, text: str, value: str) -> None:
        entries = self._entries()
        key = self.key(kind, text)
        if entries.get(key) == value:
            return
        entries[key] = value
        while len(entries) > MEMO_ENTRIES:
            entries.pop(next(iter(entries)))
        try:  # written whole and renamed: a reader never sees half a file
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".gate-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entries, handle)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only project: the verdicts are simply not remembered

    def _entries(self) -> dict[str, str]:
        if self._known is None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            self._known = {k: v for k, v in loaded.items() if isinstance(v, str)} if isinstance(loaded, dict) else {}
        return self._known


_memo: VerdictMemo | None = None


def memo() -> VerdictMemo | None:
    """The memo in use (None: verdicts are not remembered between processes)."""
    return _memo


def remember_in(folder: Path | None) -> None:
    """Remember passed verdicts in ``folder`` (None: stop remembering)."""
    global _memo  # noqa: PLW0603  (one memo per process, set by the command line)
    _memo = VerdictMemo(Path(folder) / f"gate-{_code_hash()}.json") if folder is not None else None


def _code_hash() -> str:
    from wivgraph import store  # noqa: PLC0415  (its binding check is remembered too)
    from wivgraph.cache import _version  # noqa: PLC0415

    digest = hashlib.sha256(_version("rdflib").encode())
    for module_file in (__file__, store.__file__):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:16]
