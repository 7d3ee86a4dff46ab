"""The plain-text table of `wivgraph query run`: the same text as wrapping every cell with
textwrap (the straightforward way), whatever the cells hold."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal

from wivgraph.query import QueryResult, _fit, _short, _table, _wrapped


def _reference_table(result: QueryResult, width: int) -> str:
    columns = result.variables
    cells = [[_short(row.get(v)) for v in columns] for row in result.rows]
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    widths = _fit(natural, max(width - 3 * (len(columns) - 1), 8 * len(columns)))

    def block(row):
        wrapped = [textwrap.wrap(c, w, break_on_hyphens=False) or [""] for c, w in zip(row, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return [
            " | ".join((w[i] if i < len(w) else "").ljust(n) for w, n in zip(wrapped, widths, strict=True)).rstrip()
            for i in range(height)
        ]

    lines = block(list(columns))
    lines.append("-+-".join("-" * w for w in widths))
    for r in cells:
        lines += block(r)
    lines.append(f"({len(result.rows)} rows{', truncated' if result.truncated else ''})")
    return "\n".join(lines)


CELL = st.text(alphabet=st.sampled_from(list("ab é-\t\n\r\x0b\x0c\xa0 ")) | st.characters(), max_size=60)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6),
    width=st.integers(min_value=10, max_value=120),
)
def test_table_is_textwraps(rows, width):
    result = QueryResult(["a", "b", "c"], [{v: Literal(c) for v, c in zip("abc", row, strict=True)} for row in rows])
    assert _table(result, width) == _reference_table(result, width)


def test_table_wraps_long_cells_and_keeps_short_ones():
    result = QueryResult(["x"], [{"x": Literal("een twee")}, {"x": Literal("woord " * 10)}])
    lines = _table(result, 20).splitlines()
    assert lines[2] == "een twee"
    assert lines[3:6] == ["woord woord woord"] * 3
    assert lines[-1] == "(2 rows)" and all(len(line) <= 20 for line in lines)


@settings(max_examples=500, deadline=None)
@given(cell=CELL, width=st.integers(min_value=1, max_value=80))
def test_a_cell_wraps_as_textwrap_wraps_it(cell, width):
    assert _wrapped(cell, width) == (textwrap.wrap(cell, width, break_on_hyphens=False) or [""])


WORDS = st.lists(st.text(alphabet="ab-é", min_size=1, max_size=30), min_size=1, max_size=12)


@settings(max_examples=800, deadline=None)
@given(words=WORDS, width=st.integers(min_value=1, max_value=40))
def test_words_between_single_spaces_wrap_as_textwrap_wraps_them(words, width):
    """The common cell (a value's words, long ones included): filled without textwrap."""
    cell = " ".join(words)
    assert _wrapped(cell, width) == textwrap.wrap(cell, width, break_on_hyphens=False)
