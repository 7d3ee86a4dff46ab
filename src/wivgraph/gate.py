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

import re
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from wivgraph.errors import QueryRefused, WivgraphError

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


def check_query(text: str) -> Query:
    """Parse ``text`` as a read-only local query and return the prepared query, or raise."""
    precheck(text)
    return _checked(text)


@lru_cache(maxsize=512)
def _checked(text: str) -> Query:
    # Parsing costs 3-200 ms per query; catalogue questions are asked again and again. A prepared
    # query is not changed by evaluation, so it can be shared. Refusals raise and are not cached.
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
    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _contains_service(node) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_contains_service(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_contains_service(item) for item in node)
    if isinstance(node, dict):
        return any(_contains_service(value) for value in node.values())
    return False
