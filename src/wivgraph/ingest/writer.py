"""Deterministic Turtle: subjects, predicates and objects sorted; only used prefixes declared."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from wivgraph import atomic
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _natural(value: str) -> list:
    """Sort key that orders "art/2" before "art/10"."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", value)]


class _Terms:
    def __init__(self) -> None:
        # longest namespace first, so "concept/term/" wins over "concept/"
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1])))
        self.used: set[str] = set()

    def iri(self, iri: URIRef) -> str:
        value = str(iri)
        for prefix, ns in self.prefixes:
            base = str(ns)
            if value.startswith(base) and _LOCAL.match(value[len(base):]):
                self.used.add(prefix)
                return f"{prefix}:{value[len(base):]}"
        return f"<{value}>"

    def literal(self, lit: Literal) -> str:
        text = "".join(_ESCAPES.get(ch, ch) for ch in str(lit))
        if lit.language:
            return f'"{text}"@{lit.language}'
        if lit.datatype is None or lit.datatype == XSD.string:
            return f'"{text}"'
        if lit.datatype == XSD.integer and re.fullmatch(r"-?\d+", str(lit)):
            return str(lit)
        if lit.datatype == XSD.boolean and str(lit) in ("true", "false"):
            return str(lit)
        return f'"{text}"^^{self.iri(lit.datatype)}'

    def term(self, node) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        raise WivgraphError(f"cannot write blank node {node!r} deterministically")


def to_turtle(graph: Graph, header: str = "") -> str:
    """Serialise ``graph`` as sorted Turtle; byte-identical for equal graphs."""
    terms = _Terms()
    blocks = []
    subjects = sorted({s for s in graph.subjects() if not isinstance(s, BNode)},
                      key=lambda s: _natural(str(s)))
    for subject in subjects:
        preds = sorted(set(graph.predicates(subject)),
                       key=lambda p: (p != RDF.type, _natural(str(p))))
        parts = []
        for pred in preds:
            objs = sorted(graph.objects(subject, pred),
                          key=lambda o: (type(o).__name__, _natural(str(o)),
                                         getattr(o, "language", None) or ""))
            ptext = "a" if pred == RDF.type else terms.term(pred)
            parts.append(f"    {ptext} " + " ,\n        ".join(terms.term(o) for o in objs))
        blocks.append(terms.term(subject) + "\n" + " ;\n".join(parts) + " .\n")
    prefix_lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(terms.used)]
    head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return head + "\n".join(prefix_lines) + "\n\n" + "\n".join(blocks)


def write_graph(graph: Graph, path: Path | str, header: str = "") -> Path:
    """Write ``graph`` to ``path`` atomically (temporary file, then os.replace)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WivgraphError(f"{path.parent}: cannot create folder ({exc.strerror or exc})") from None
    atomic.write_atomic(path, to_turtle(graph, header).encode("utf-8"))
    return path
