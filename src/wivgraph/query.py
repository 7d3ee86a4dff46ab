"""Ask stage: the question catalogue (queries/*.rq) and a guarded SPARQL runner.

Each .rq file starts with a header of ``# key: value`` lines::

    # title@nl: Wie zijn de partijen bij een convenant?
    # title@en: Who are the parties to a convenant?
    # description: One paragraph (English).
    # description@nl: Eén alinea (Nederlands).
    # param: instrument (iri, default <https://...>) — the convenant
    # param@nl: instrument — het convenant
    # sentence@nl: Wie zijn de partijen bij [convenant]?
    # sentence@en: Who are the parties to [instrument]?
    # example: wivgraph query run instruments-parties --param instrument=<https://...>

Parameters are variables of the query, bound at run time (``initBindings``); their values are never
pasted into query text.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import queue
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from wivgraph import paths
from wivgraph.errors import WivgraphError, shown
from wivgraph.namespaces import ORG, PREFIXES, WIV, compact

HEADER_LINE = re.compile(r"^#\s*([A-Za-z]+(?:@[a-z]{2})?)\s*:\s*(.*?)\s*$")
PARAM_SPEC = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>iri|string|date|integer|boolean)"
    r"(?:\s*,\s*default\s+(?P<default>.+?))?\)\s*(?:[—–-]+\s*(?P<description>.*))?$"
)
PARAM_LABEL = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*[—–-]+\s*(?P<label>.+)$")
PARAM_TYPES = ("iri", "string", "date", "integer", "boolean")
LANGUAGES = ("nl", "en")
REQUIRED_HEADER = ("title@nl", "title@en", "description", "example")
DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIME_LIMIT = 30.0  # seconds
#: A question name suggested for an unknown one must be at least this similar (difflib ratio)...
QUESTION_CUTOFF = 0.6
#: ... or share a hyphen-separated word of at least this many letters with it.
QUESTION_WORD = 4
#: Parameters whose default is one of these accept any of them (a party can be a role).
AGENT_CLASSES = (
    ORG.Organization,
    ORG.FormalOrganization,
    ORG.OrganizationalUnit,
    ORG.OrganizationalCollaboration,
    ORG.Post,
    WIV.Office,
    WIV.Cell,
    WIV.Role,
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str
    #: labels by language from ``# param@xx: name — label`` lines; ``description`` is English
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str = "nl") -> str:
        """The parameter's label in ``lang`` (English: the description), else English."""
        labels = dict(self.labels)
        return labels.get(lang) or labels.get("en") or self.description


@dataclass(frozen=True)
class Question:
    """One catalogue entry: a .rq file with its header."""

    name: str
    path: Path
    text: str
    header: dict[str, str]
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def title(self, lang: str = "nl") -> str:
        return self.header.get(f"title@{lang}") or self.header.get("title@nl", self.name)

    def sentence(self, lang: str = "nl") -> str:
        return self.header.get(f"sentence@{lang}") or self.title(lang)

    @property
    def description(self) -> str:
        """The English description (``# description:``)."""
        return self.header.get("description@en") or self.header.get("description", "")

    def describe(self, lang: str = "nl") -> str:
        """The description in ``lang`` (``# description@nl:``), falling back to English."""
        return self.header.get(f"description@{lang}") or self.description

    def parameter_label(self, name: str, lang: str = "nl") -> str:
        """The label of parameter ``name`` in ``lang``, falling back to English."""
        for param in self.parameters:
            if param.name == name:
                return param.label(lang)
        raise KeyError(name)

    @property
    def example(self) -> str:
        return self.header.get("example", "")


@dataclass
class QueryResult:
    """Rows of a SELECT (or the answer of an ASK) with the variables in order."""

    variables: list[str]
    rows: list[dict[str, Node]]
    boolean: bool | None = None
    truncated: bool = False
    #: the row limit the rows were cut at (when ``truncated``)
    row_limit: int | None = None

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON; a result cut at the row limit says so in two extra
        top-level members, ``"truncated": true`` and ``"row_limit": N`` (readers of the format
        ignore members they do not know)."""
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        bindings = [
            {var: _term_json(value) for var, value in row.items() if value is not None}
            for row in self.rows
        ]
        out: dict = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        if self.truncated:
            out["truncated"] = True
            out["row_limit"] = self.row_limit if self.row_limit is not None else len(self.rows)
        return out

    def truncation_note(self) -> str | None:
        """One line saying that the row limit cut the result, or None when it did not."""
        if not self.truncated:
            return None
        limit = self.row_limit if self.row_limit is not None else len(self.rows)
        return f"note: the result was cut at the row limit of {limit:,} rows (raise it with --limit)"

    def plain_rows(self) -> list[dict[str, str]]:
        """Rows as {variable: lexical value}, unbound variables left out."""
        return [
            {var: str(value) for var, value in row.items() if value is not None}
            for row in self.rows
        ]


def _term_json(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out: dict = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


# --- catalogue -----------------------------------------------------------------------------


def parse_header(path: Path, text: str) -> tuple[dict[str, str], tuple[Parameter, ...]]:
    """Read the ``# key: value`` header at the top of a .rq file."""
    header: dict[str, str] = {}
    params: list[Parameter] = []
    labels: list[tuple[int, str, str, str]] = []  # (line, lang, name, label)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2)
        if key == "param":
            spec = PARAM_SPEC.match(value)
            if not spec:
                raise WivgraphError(
                    f"{path}:{number}: bad param line {value!r}; expected "
                    "'name (type, default VALUE) — description' with type one of "
                    + ", ".join(PARAM_TYPES)
                )
            params.append(
                Parameter(spec["name"], spec["type"], spec["default"], spec["description"] or "")
            )
        elif key.startswith("param@"):
            spec = PARAM_LABEL.match(value)
            if not spec:
                raise WivgraphError(
                    f"{path}:{number}: bad {key} line {value!r}; expected 'name — label'"
                )
            labels.append((number, key.partition("@")[2], spec["name"], spec["label"]))
        elif key in header:
            header[key] += " " + value
        else:
            header[key] = value
    by_name = {p.name: p for p in params}
    for number, lang, name, label in labels:
        if name not in by_name:
            raise WivgraphError(
                f"{path}:{number}: param@{lang} names {name!r}, which is no parameter; expected "
                "one of: " + (", ".join(by_name) or "none")
            )
        by_name[name] = replace(by_name[name], labels=(*by_name[name].labels, (lang, label)))
    return header, tuple(by_name[p.name] for p in params)


def read_question(path: Path) -> Question:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a leading BOM is accepted
    except (OSError, UnicodeDecodeError) as exc:
        raise WivgraphError(f"{path}: cannot read query file ({exc})") from None
    header, params = parse_header(path, text)
    return Question(path.stem, path, text, header, params)


def catalogue(folder: Path | None = None) -> dict[str, Question]:
    """Every question of queries/ by name (file stem), sorted by name."""
    folder = folder or paths.queries_dir()
    if not folder.is_dir():
        raise WivgraphError(f"{folder}: query folder not found")
    return {p.stem: read_question(p) for p in sorted(folder.glob("*.rq"))}


def find_question(name_or_path: str, folder: Path | None = None) -> Question:
    """A catalogue question by name, or any .rq file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        return read_question(candidate)
    questions = catalogue(folder)
    if name_or_path in questions:
        return questions[name_or_path]
    if candidate.suffix == ".rq":
        raise WivgraphError(f"{name_or_path}: query file not found")
    close = similar_questions(name_or_path, list(questions))
    hint = f"; did you mean: {', '.join(close)}" if close else ""
    raise WivgraphError(f"unknown question {name_or_path!r}{hint} (see 'wivgraph query list')")


def similar_questions(name: str, names: list[str]) -> list[str]:
    """Question names like ``name``: close by spelling, or sharing a word (``parties``)."""
    close = difflib.get_close_matches(name, names, n=5, cutoff=QUESTION_CUTOFF)
    if close:
        return close
    words = {w for w in re.split(r"[-_\s]+", name.casefold()) if len(w) >= QUESTION_WORD}
    return [n for n in names if words & set(n.split("-"))][:5]


# --- parameters ----------------------------------------------------------------------------


def expand_iri(value: str) -> URIRef | None:
    """``<iri>``, ``prefix:local`` or a bare http(s) IRI to a URIRef; None if it is none of these."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and re.match(r"^[\w.\-/]*$", local):
        return URIRef(str(PREFIXES[prefix]) + local)
    return None


def resolve_resource(
    graph: Graph, value: str, field_name: str = "value", like: str | None = None
) -> URIRef:
    """An IRI for ``value``: an IRI/prefixed name known to the graph, or a label/slug of one.

    Labels (rdfs:label, skos:prefLabel, skos:altLabel, in any language) and the last segment of
    the IRI match case-insensitively. Unknown values raise with the closest known names; with
    ``like`` (the parameter's default) only resources of the same kind are suggested.
    """
    # the kind (every resource of the default's class) is only computed when needed: for an
    # ambiguous label or the hint of an error, never for an IRI or label that is found
    iri = expand_iri(value)
    if iri is not None:
        if (iri, None, None) in graph or (None, None, iri) in graph:
            return iri
        kind = same_kind(graph, expand_iri(like)) if like else None
        local = re.split(r"[/#:]", str(iri).rstrip("/"))[-1]
        close = _closest(local, resource_names(graph, kind), by_slug=True)
        hint = f"; closest known: {', '.join(close)}" if close else ""
        raise WivgraphError(f"{field_name}: {shown(value)} does not occur in the graph{hint}")
    names = resource_names(graph)
    wanted = value.strip().casefold()
    hits = {iri for name, iri in names if name.casefold() == wanted}
    kind = None
    if len(hits) != 1 and like:
        kind = same_kind(graph, expand_iri(like))
    if len(hits) > 1 and kind:
        hits = hits & kind or hits
    if len(hits) == 1:
        return hits.pop()
    if len(hits) > 1:
        listed = ", ".join(sorted(str(h) for h in hits))
        raise WivgraphError(f"{field_name}: {shown(value)} is ambiguous: {listed}; give the IRI")
    candidates = resource_names(graph, kind) if kind else names
    close = _closest(value, candidates)
    hint = ", ".join(close) if close else ", ".join(sorted({n for n, _ in candidates})[:8])
    raise WivgraphError(f"{field_name}: unknown {shown(value)}; closest known: {hint}")


def _closest(value: str, names: list[tuple[str, URIRef]], *, by_slug: bool = False) -> list[str]:
    """Up to 8 names close to ``value`` (by slug: ``prefix:slug (label)`` of the IRIs)."""
    wanted = value.strip().casefold()
    if by_slug:
        slugs: dict[str, URIRef] = {}
        label_of: dict[URIRef, str] = {}
        for name, iri in names:
            if name == iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]:
                slugs[name.casefold()] = iri
            else:
                label_of.setdefault(iri, name)
        keys = difflib.get_close_matches(wanted, list(slugs), n=8, cutoff=0.6)
        keys += [k for k in sorted(slugs) if wanted and wanted in k and k not in keys]
        return [
            f"{compact(slugs[k])} ({label_of[slugs[k]]})" if slugs[k] in label_of
            else compact(slugs[k])
            for k in keys[:8]
        ]
    known = {name.casefold(): name for name, _ in names}
    keys = difflib.get_close_matches(wanted, list(known), n=8, cutoff=0.5)
    keys += [k for k in sorted(known) if len(wanted) >= 3 and wanted in k and k not in keys]
    return [known[k] for k in keys[:8]]


def same_kind(graph: Graph, example: URIRef | None) -> set[URIRef] | None:
    """Resources of the same kind as ``example`` (a parameter's default), None if unknown.

    Organisations, offices, cells and roles are one kind (a party can be any of them); a SKOS
    concept's kind is its scheme; anything else shares a class (or a superclass) with it."""
    if example is None:
        return None
    types = set(graph.objects(example, RDF.type))
    if not types:
        return None
    if types & set(AGENT_CLASSES):
        classes = set(AGENT_CLASSES)
    else:
        schemes = set(graph.objects(example, SKOS.inScheme))
        if schemes:
            return {
                s
                for scheme in schemes
                for s in graph.subjects(SKOS.inScheme, scheme)
                if isinstance(s, URIRef)
            }
        classes = {
            c for t in types for c in graph.transitive_objects(t, RDFS.subClassOf)
        } - {OWL.Thing, RDFS.Resource}
    every = {sub for c in classes for sub in graph.transitive_subjects(RDFS.subClassOf, c)}
    return {s for c in every for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}


def resource_names(graph: Graph, among: set[URIRef] | None = None) -> list[tuple[str, URIRef]]:
    """(name, IRI) pairs for every labelled resource of ours (or of ``among``): labels and
    IRI slugs."""
    pairs: set[tuple[str, URIRef]] = set()
    for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
        for subject, label in graph.subject_objects(predicate):
            if isinstance(subject, URIRef) and (among is None or subject in among):
                pairs.add((str(label), subject))
                pairs.add((subject.rsplit("/", 1)[-1].rsplit("#", 1)[-1], subject))
    return sorted(pairs)


def ad_hoc_parameters(question: Question, values: Mapping[str, str]) -> Question:
    """An analyst's own .rq file without ``# param:`` lines: each ``--param NAME=VALUE`` binds
    the query's variable ``?NAME`` (as VALUES, like a catalogue question's parameters); the
    type is read from the value: IRI (``<...>``, ``prefix:name``), date, whole number,
    true/false, else text."""
    if question.parameters or not values:
        return question
    used = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", question.text))
    unknown = sorted(set(values) - used)
    if unknown:
        raise WivgraphError(
            f"{question.name}: --param {', '.join(shown(u) for u in unknown)}: no such variable "
            f"in the query (variables: {', '.join(sorted(used)) or 'none'})"
        )

    def kind(raw: str) -> str:
        raw = raw.strip()
        if expand_iri(raw) is not None:
            return "iri"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return "date"
        if re.fullmatch(r"[+-]?\d{1,18}", raw):
            return "integer"
        return "boolean" if raw.lower() in ("true", "false") else "string"

    params = tuple(Parameter(n, kind(values[n]), None, f"?{n}") for n in sorted(values))
    return replace(question, parameters=params)


def _skip_unbound_in_distinct_aggregates() -> None:
    """rdflib's DISTINCT aggregates (``GROUP_CONCAT(DISTINCT ?x)``, ``SUM``, ``AVG``) fail with
    "Variable x is not bound" on a row where ``?x`` is unbound (an OPTIONAL that did not match):
    the DISTINCT test evaluates ``?x`` outside the aggregate's own guard. COUNT(DISTINCT) and
    SPARQL 1.1 (18.5) skip such a row; so do these now. Engine bug, not the parameter rewrite:
    the same query without parameters fails in rdflib alone, and pyoxigraph answers it."""
    from rdflib.plugins.sparql import aggregates  # noqa: PLC0415
    from rdflib.plugins.sparql.sparql import NotBoundError  # noqa: PLC0415

    original = aggregates.Accumulator.use_row
    if getattr(original, "_skips_unbound", False):
        return

    def use_row(self, row) -> bool:
        try:
            return original(self, row)
        except NotBoundError:
            return False

    use_row._skips_unbound = True
    aggregates.Accumulator.use_row = use_row


class _AfterImport:
    """A meta path finder that runs ``then()`` right after the module ``name`` is executed,
    the first time anything imports it, and then leaves ``sys.meta_path``.

    rdflib's SPARQL package costs 0.1-0.2 s to import (its pyparsing grammar); the commands that
    never evaluate SPARQL with rdflib (``check`` and ``ask onward`` ask oxigraph) need not pay
    for it, yet whoever evaluates with rdflib -- here, pySHACL, the explorer -- must find
    :func:`_skip_unbound_in_distinct_aggregates` applied. The aggregates module is imported by
    rdflib's evaluator before any query is evaluated, so patching it when it is imported is the
    same as patching it at start."""

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname, path, target=None):
        import sys  # noqa: PLC0415

        if fullname != self.name:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        else:  # pragma: no cover - rdflib without its SPARQL package
            return None
        loader, then = spec.loader, self.then
        execute = getattr(loader, "exec_module", None)
        if execute is None:  # pragma: no cover - a loader of the old protocol: patch at once
            return spec

        def exec_module(module) -> None:
            execute(module)
            then()

        loader.exec_module = exec_module  # this spec's own loader object
        return spec


def _patch_rdflib_aggregates() -> None:
    """:func:`_skip_unbound_in_distinct_aggregates` now if rdflib's SPARQL aggregates are
    loaded, else as soon as they are (:class:`_AfterImport`)."""
    import sys  # noqa: PLC0415

    name = "rdflib.plugins.sparql.aggregates"
    if name in sys.modules:
        _skip_unbound_in_distinct_aggregates()
    elif not any(isinstance(f, _AfterImport) and f.name == name for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport(name, _skip_unbound_in_distinct_aggregates))


_patch_rdflib_aggregates()


def bind_parameters(
    question: Question, values: Mapping[str, str], graph: Graph | None = None, *, store=None
) -> dict[str, Node]:
    """Typed RDF terms for the question's parameters (given values, else defaults).

    IRI parameters given as a label are resolved by ``store`` itself when it can (an oxigraph
    store: ``store.resolve``, an index look-up), else in ``graph``, else by SPARQL on ``store``
    (a remote endpoint: :func:`resolve_by_sparql`)."""
    known = {p.name for p in question.parameters}
    unknown = sorted(set(values) - known)
    if unknown:
        expected = ", ".join(sorted(known)) or "none"
        raise WivgraphError(
            f"{question.name}: unknown parameter(s) "
            f"{', '.join(u if len(u) <= 60 else shown(u) for u in unknown)}; expected: {expected}"
        )
    bound: dict[str, Node] = {}
    for param in question.parameters:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise WivgraphError(
                f"{question.name}: parameter {param.name!r} ({param.type}) is required"
            )
        bound[param.name] = convert_parameter(param, raw, graph, question.name, store=store)
    return bound


def convert_parameter(
    param: Parameter, raw: str, graph: Graph | None, where: str, *, store=None
) -> Node:
    field_name = f"{where}: parameter {param.name}"
    raw = raw.strip()
    if param.type == "iri":
        resolve = getattr(store, "resolve", None)
        if resolve is not None:  # the store's own look-up (same answers, no scan)
            return resolve(raw, field_name, like=param.default)
        if graph is not None:
            return resolve_resource(graph, raw, field_name, like=param.default)
        iri = expand_iri(raw)
        if iri is None and store is not None:
            return resolve_by_sparql(store, raw, field_name, like=param.default)
        if iri is None:
            raise WivgraphError(f"{field_name}: {shown(raw)} is not an IRI (<...> or prefix:name)")
        return iri
    if param.type == "date":
        try:
            return Literal(date.fromisoformat(raw), datatype=XSD.date)
        except ValueError:
            raise WivgraphError(f"{field_name}: {shown(raw)} is not a date (YYYY-MM-DD)") from None
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw):
            raise WivgraphError(f"{field_name}: {shown(raw)} is not a whole number")
        return Literal(int(raw), datatype=XSD.integer)
    if param.type == "boolean":
        if raw.lower() not in ("true", "false"):
            raise WivgraphError(f"{field_name}: {shown(raw)} is not true or false")
        return Literal(raw.lower() == "true", datatype=XSD.boolean)
    return Literal(raw)


_LABEL_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?resource WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }
  ?resource ?property ?label .
  FILTER (isIRI(?resource) && (LCASE(STR(?label)) = ?wanted
          || (!CONTAINS(?wanted, "/") && !CONTAINS(?wanted, "#")
              && (STRENDS(LCASE(STR(?resource)), CONCAT("/", ?wanted))
                  || STRENDS(LCASE(STR(?resource)), CONCAT("#", ?wanted))))))
}
LIMIT 50
"""

#: what :func:`resolve_resource` reads of a graph: labels, the classes of labelled resources (and
#: of the parameter's default, ``EXAMPLE``), SKOS schemes and the class hierarchy
_NAMING_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?resource ?property ?label . ?resource a ?class . ?resource skos:inScheme ?scheme .
            ?sub rdfs:subClassOf ?super . }
WHERE {
  { VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }
    ?resource ?property ?label . FILTER (isIRI(?resource)) }
  UNION { VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }
          ?resource ?property [] . ?resource a ?class }
  UNION { ?resource a ?class . FILTER (?resource = EXAMPLE) }
  UNION { ?resource skos:inScheme ?scheme }
  UNION { ?sub rdfs:subClassOf ?super }
}
"""
_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def resolve_by_sparql(store, value: str, field_name: str = "value", like: str | None = None) -> URIRef:
    """An IRI for the label or IRI slug ``value``, asked of ``store`` by SPARQL, with the answers
    of :func:`resolve_resource` (labels and slugs of labelled resources, case-insensitive): one
    bounded query (at most 50 rows). A label that names several resources or none takes the slow
    path: the labels, classes and schemes of the store in a local graph, and
    :func:`resolve_resource` on it (the parameter's kind, and the closest names in the error)."""
    wanted = Literal(value.strip().lower())
    rows = store.query(_LABEL_QUERY, {"wanted": wanted}).rows
    hits = sorted({row["resource"] for row in rows if isinstance(row.get("resource"), URIRef)})
    if len(hits) == 1:
        return hits[0]
    return resolve_resource(naming_graph(store, like), value, field_name, like=like)


def naming_graph(store, like: str | None = None) -> Graph:
    """The part of ``store`` that :func:`resolve_resource` reads, as a local rdflib graph (one
    CONSTRUCT; ``like`` is the parameter's default, whose classes give its kind)."""
    example = expand_iri(like) if like else None
    safe = example is not None and _SAFE_IRI.fullmatch(str(example))
    text = _NAMING_QUERY.replace("EXAMPLE", f"<{example}>" if safe else "<urn:wivgraph:none>")
    graph = Graph()
    for row in store.query(text, row_limit=10_000_000).rows:
        graph.add((row["subject"], row["predicate"], row["object"]))
    return graph


def parse_param_options(options: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` from the command line into a dict; malformed items are bad input."""
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise WivgraphError(f"--param {shown(option)}: expected NAME=VALUE")
        name = name.strip()
        if name in values:
            named = name if len(name) <= 60 else shown(name)
            raise WivgraphError(f"--param {named}: given more than once (expected each "
                                "parameter once)")
        values[name] = value
    return values


# --- running -------------------------------------------------------------------------------


def prepare(text: str):
    """Parse and gate a query: only SELECT/ASK/CONSTRUCT/DESCRIBE over the local graph."""
    from wivgraph.gate import check_query  # noqa: PLC0415  (gate imports this module's errors)

    return check_query(text)


def run_query(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> QueryResult:
    """Run a (gated) query with bound parameters and return its rows.

    ``time_limit`` seconds bound the wait: rdflib cannot interrupt an evaluation, so it runs in
    a daemon thread and the caller gets a clear error when the limit passes.
    """
    prepared = prepare(text)
    init = {Variable(k): v for k, v in (bindings or {}).items()}
    try:
        return within_time_limit(
            lambda: _evaluate(graph, prepared, init, row_limit), time_limit, name="wivgraph-query"
        )
    except WivgraphError:
        raise
    except Exception as error:
        raise WivgraphError(f"query failed while running: {error}") from None


def within_time_limit(evaluate, time_limit: float | None, *, name: str, on_timeout=None):
    """``evaluate()``'s result, or what it raised; a WivgraphError once ``time_limit`` s pass.

    Neither engine can interrupt an evaluation, so with a limit it runs in a daemon thread and the
    caller stops waiting; ``on_timeout`` may tell the thread to give up early. The threads are
    kept for the next query once they are done (starting one costs about as much as a small
    query); one that is still busy when the limit passes is left to finish on its own.
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = evaluate()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    if time_limit is None:
        run()
    else:
        done = threading.Event()
        _Worker.submit(run, done, name)
        if not done.wait(time_limit):
            if on_timeout is not None:
                on_timeout()
            raise WivgraphError(
                f"query stopped: it ran longer than the time limit of {time_limit:g} s"
            )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


class _Worker:
    """A daemon thread that runs the jobs handed to it one at a time and, between them, waits
    among the idle workers (at most ``IDLE`` of them; any more end)."""

    IDLE = 4
    _idle: list[_Worker] = []
    _lock = threading.Lock()

    def __init__(self, name: str):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    @classmethod
    def submit(cls, job, done: threading.Event, name: str) -> None:
        """Run ``job()`` in an idle worker, or in a new one, and then set ``done``."""
        with cls._lock:
            while cls._idle:
                worker = cls._idle.pop()
                if worker._thread.is_alive():
                    break
            else:
                worker = None
        (worker or cls(name))._jobs.put((job, done))

    def _loop(self) -> None:
        while True:
            job, done = self._jobs.get()
            job()
            del job  # nothing of a finished job stays in this thread
            with self._lock:
                idle = len(self._idle) < self.IDLE
                if idle:  # back among the idle before the caller hears, for its next query
                    self._idle.append(self)
            done.set()
            if not idle:
                return


if hasattr(os, "register_at_fork"):  # a forked child has none of its parent's threads
    os.register_at_fork(after_in_child=_Worker._idle.clear)


def _evaluate(graph: Graph, prepared, init: dict, row_limit: int) -> QueryResult:
    result = graph.query(prepared, initBindings=init)
    if result.type == "ASK":
        return QueryResult([], [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result.graph]
        return _limited(["subject", "predicate", "object"], rows, row_limit)
    variables = [str(v) for v in result.vars]
    rows = []
    for row in result:
        rows.append({var: row[i] for i, var in enumerate(variables)})
        if len(rows) > row_limit:
            break
    return _limited(variables, rows, row_limit)


def _limited(variables: list[str], rows: list[dict], row_limit: int) -> QueryResult:
    truncated = len(rows) > row_limit
    return QueryResult(variables, rows[:row_limit], truncated=truncated, row_limit=row_limit)


def run_question(
    graph, question: Question, values: Mapping[str, str] | None = None, **kwargs
) -> QueryResult:
    """Run a catalogue question with parameter values given as text.

    ``graph`` is an rdflib Graph/Dataset or a :class:`wivgraph.store.Store` (local or remote).
    """
    from wivgraph.store import as_store  # noqa: PLC0415  (store imports this module)

    store = as_store(graph)
    # a store that resolves names itself needs no rdflib graph (nor its view made) for that
    local = None if hasattr(store, "resolve") else store.graph
    bindings = bind_parameters(question, values or {}, local, store=store)
    return store.query(question.text, bindings, **kwargs)


# --- output --------------------------------------------------------------------------------


def format_result(result: QueryResult, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(result.to_json(), ensure_ascii=False, indent=2)
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if row.get(v) is None else str(row[v]) for v in result.variables])
        return buffer.getvalue()
    if fmt != "table":
        raise WivgraphError(f"--format {fmt!r}: expected table, csv or json")
    return _table(result)


#: a cell textwrap leaves as it is when it fits: no whitespace but single-character spaces
#: between words (tabs and newlines are rewritten, trailing spaces dropped)
_ONE_LINE = re.compile(r"[^\s]+(?: +[^\s]+)*")


def _table(result: QueryResult, width: int | None = None) -> str:
    """A plain-text table that fits ``width`` columns (the terminal's, else 100): long cells
    wrap over several lines instead of running off the screen or being cut."""
    import shutil  # noqa: PLC0415

    columns = result.variables
    cells = [[_short(row.get(v)) for v in columns] for row in result.rows]
    total = width or shutil.get_terminal_size((100, 24)).columns
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    widths = _fit(natural, max(total - 3 * (len(columns) - 1), 8 * len(columns)))

    def block(row: list[str]) -> list[str]:
        wrapped = [_wrapped(c, w) for c, w in zip(row, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        padded = [
            [line.ljust(n) for line in lines] + [" " * n] * (height - len(lines))
            for lines, n in zip(wrapped, widths, strict=True)
        ]
        return [" | ".join(parts).rstrip() for parts in zip(*padded, strict=True)]

    lines = block(list(columns))
    lines.append("-+-".join("-" * w for w in widths))
    for r in cells:
        lines += block(r)
    lines.append(f"({len(result.rows)} rows{', truncated' if result.truncated else ''})")
    return "\n".join(lines)


def _wrapped(cell: str, width: int) -> list[str]:
    """``cell`` in lines of at most ``width`` (textwrap's lines; a cell that fits and that
    textwrap would leave alone is returned without calling it)."""
    import textwrap  # noqa: PLC0415

    if _ONE_LINE.fullmatch(cell):
        return [cell] if len(cell) <= width else _wrap_words(cell.split(" "), width)
    return textwrap.wrap(cell, width, break_on_hyphens=False) or [""]


def _wrap_words(words: list[str], width: int) -> list[str]:
    """textwrap's line filling (TextWrapper._wrap_chunks: words and the single spaces between
    them as chunks, spaces dropped at line ends, a word longer than a line cut to fill it), for
    text that is words between single spaces; without textwrap's set-up for each cell."""
    chunks: list[str] = []
    for word in reversed(words):
        chunks += (word, " ")
    chunks.pop()  # (no space before the first word)
    lines: list[str] = []
    while chunks:
        line: list[str] = []
        length = 0
        if lines and chunks[-1] == " ":
            chunks.pop()
        while chunks and length + len(chunks[-1]) <= width:
            length += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and len(chunks[-1]) > width:
            left = width - length
            line.append(chunks[-1][:left])
            chunks[-1] = chunks[-1][left:]
        if line and line[-1] == " ":
            line.pop()
        if line:
            lines.append("".join(line))
    return lines


def _fit(natural: list[int], room: int) -> list[int]:
    """Column widths within ``room``: narrow columns keep their width, wide ones share the rest."""
    if sum(natural) <= room:
        return natural
    widths = [0] * len(natural)
    todo = sorted(range(len(natural)), key=lambda i: natural[i])
    left = room
    while todo:
        share = max(6, left // len(todo))
        i = todo.pop(0)
        widths[i] = min(natural[i], share)
        left -= widths[i]
    return widths


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        value = str(term)
        for prefix, namespace in PREFIXES.items():
            if value.startswith(str(namespace)):
                local = value[len(str(namespace)) :]
                return f"{prefix}:{local}"
        return f"<{value}>"
    return " ".join(str(term).split())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def catalogue_markdown(questions: Mapping[str, Question]) -> str:
    """docs/questions.md, generated from the .rq headers."""
    lines = [
        "# Question catalogue",
        "",
        "Generated from the headers of queries/*.rq by `wivgraph query docs`; do not edit by hand.",
        f"{len(questions)} questions.",
        "",
    ]
    for q in questions.values():
        lines += [
            f"## {q.name}",
            "",
            f"**{q.title('nl')}** / *{q.title('en')}*",
            "",
            f"NL: {q.describe('nl')}",
            "",
            f"EN: {q.describe('en')}",
            "",
        ]
        if q.parameters:
            lines.append("| parameter | type | default | omschrijving (nl) | description (en) |")
            lines.append("|---|---|---|---|---|")
            for p in q.parameters:
                lines.append(
                    f"| {p.name} | {p.type} | `{p.default or ''}` | {p.label('nl')} "
                    f"| {p.label('en')} |"
                )
            lines.append("")
        lines += ["```", q.example, "```", ""]
    return "\n".join(lines)
