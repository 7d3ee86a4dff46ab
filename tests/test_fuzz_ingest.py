"""Property-based test of the ingester: any text gives a document or a clear error, and a
failed run leaves the previous output file untouched."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wivgraph.errors import WivgraphError
from wivgraph.ingest import ingest_file

LINES = [
    "Convenant inzake de samenwerking",
    "Partijen:",
    "Overwegende dat:",
    "– de diensten samenwerken;",
    "Gelet op:",
    "Spreken het volgende af:",
    "Artikel 1 (definities)",
    "Artikel 2 Samenwerking",
    "Artikel 2",
    "Artikel 3 (slot)",
    "1. De AIVD verstrekt gegevens.",
    "2. De IND verstrekt gegevens aan de AIVD als die van belang kun-",
    "nen zijn.",
    "3.2. Uitgewisselde gegevens worden niet verstrekt.",
    "a. onderdeel een;",
    "b. onderdeel twee.",
    "1 Kamerstukken II 2017/18, 26 643, nr. 536",
    "19 van 51",
    "Aldus overeengekomen en ondertekend te 's-Gravenhage, 8 juli 2005",
    "",
    "   ",
]
TEXTS = st.lists(st.sampled_from(LINES), max_size=30).map("\n".join) | st.text(
    alphabet=string.printable + "éëï–", max_size=400
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_ingest_gives_a_document_or_a_clear_error(tmp_path, text):
    source = tmp_path / "input.txt"
    source.write_text(text, encoding="utf-8")
    output = tmp_path / "out.ttl"
    output.write_text("previous\n", encoding="utf-8")
    try:
        _, graph = ingest_file(source, "fuzz-convenant", output)
    except WivgraphError as exc:
        assert str(source) in str(exc) or "input.txt" in str(exc)
        assert output.read_text(encoding="utf-8") == "previous\n"
    else:
        assert len(graph) > 0
        assert output.read_text(encoding="utf-8") != "previous\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("input.txt", "out.ttl")]
    assert leftovers == []
