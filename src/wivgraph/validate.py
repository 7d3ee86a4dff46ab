"""Validate stage: shapes/ over ontology/ + data/ (pyrudof and oxigraph), and a readable report.

Inference is off by default and deliberately so: SHACL's ``sh:targetClass`` and ``sh:class``
already follow ``rdfs:subClassOf`` in the data graph (the ontology is part of it), and no shape
depends on OWL-RL entailments. ``inference="rdfs"`` is available for experiments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from wivgraph import paths
from wivgraph.load import load_shapes, union_graph
from wivgraph.namespaces import INFERRED_GRAPH, SH, WIV, compact

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
INFERENCE_MODES = ("none", "rdfs", "owlrl")


@dataclass(frozen=True)
class Issue:
    """One validation result in the reader's language."""

    severity: str
    focus: str
    focus_label: str
    path: str
    message: str
    source_shape: str
    constraint: str
    value: str
    source_lid: str


@dataclass(frozen=True)
class Result:
    """One SHACL validation result as the engines give it (terms, not text)."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    constraint: Node | None = None


class Report:
    """The outcome of a validation: whether the data conform and the results in the reader's
    language. ``graph``, the W3C ``sh:ValidationReport``, is made when first asked for
    (``--format ttl``): building it costs more than validating at a million triples."""

    def __init__(self, conforms: bool, issues: list[Issue], graph: Graph | None = None, *,
                 make_graph=None) -> None:
        self.conforms = conforms
        self.issues = issues
        self._graph = graph
        self._make_graph = make_graph

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = self._make_graph() if self._make_graph else report_graph([], Graph())
        return self._graph

    @property
    def violations(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "Warning"]


def validate_graph(
    data: Graph, shapes: Graph, *, lang: str = "nl", inference: str = "none"
) -> Report:
    """Validate ``data`` against ``shapes``; conforms unless there is a Violation.

    The one validation path of the product: the data go into an in-memory pyoxigraph store and
    :func:`wivgraph.fast.validate_fast` checks them (pyrudof for the core constraints, oxigraph for
    the SHACL-SPARQL ones). ``inference`` adds the RDFS or OWL RL closure (owlrl) first, as
    pySHACL's option of that name does. pySHACL itself is the reference engine only
    (benchmarks/naive.py and the equivalence tests compare the two).
    """
    from wivgraph import fast  # noqa: PLC0415

    if inference not in INFERENCE_MODES:
        raise ValueError(f"inference must be one of {INFERENCE_MODES}")
    store = fast.store_from_graph(data)
    if inference != "none":
        from wivgraph.infer import closure  # noqa: PLC0415  (owlrl: only when asked for)

        fast.add_triples(store, closure(data, inference))
    return fast.validate_fast(store, shapes, lang=lang)


def validate_dataset(
    dataset: Dataset | None = None,
    shapes: Graph | None = None,
    *,
    root: Path | None = None,
    lang: str = "nl",
    inference: str = "none",
) -> Report:
    """Validate the asserted dataset (inferred triples left out) against shapes/: ``dataset``,
    else ``root``'s files as loaded by oxigraph (nothing withheld: a shape looks for content
    that must not be there)."""
    shapes = shapes if shapes is not None else load_shapes(root)
    if dataset is None:
        from wivgraph import fast  # noqa: PLC0415

        data = fast.rdflib_graph(fast.load_store(root, withhold=False), inferred=False)
    else:
        data = union_graph(dataset, exclude=[INFERRED_GRAPH])
    return validate_graph(data, shapes, lang=lang, inference=inference)


#: a kept report of more results than this holds no W3C report graph (at 1M triples, 49,707
#: results, building it took longer than the validation); ``--format ttl`` validates again
KEPT_GRAPH_LIMIT = 5_000


def remembered_report(root: Path | None, lang: str, compute) -> Report:
    """``compute()``'s report on the project's asserted data, kept in the build cache folder.

    A report depends only on ontology/ + data/ (the cache's content key), shapes/, the language,
    the validating code and the engines' versions; the file name carries a hash of all of them,
    so any change of one validates anew. A file that cannot be read is validated anew; a folder
    that cannot be written keeps nothing (the report is still returned)."""
    import hashlib  # noqa: PLC0415
    import os  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from wivgraph import atomic, cache, fast  # noqa: PLC0415
    from wivgraph.load import turtle_files  # noqa: PLC0415

    root = (root or paths.project_root()).resolve()
    digest = hashlib.sha256(f"{cache.content_key(root)} {lang}\n".encode())
    for package in ("pyrudof", "pyoxigraph", "rdflib"):
        digest.update(f"{package} {cache._version(package)}\n".encode())
    for module in (__file__, fast.__file__):
        digest.update(Path(module).read_bytes() + b"\0")
    for path in turtle_files(root / "shapes"):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    folder = cache.cache_dir(root)
    target = folder / f"validation-{digest.hexdigest()[:32]}.json"
    try:
        kept = json.loads(target.read_text(encoding="utf-8"))
        text = kept["report"]
        if text is None:  # kept without its graph (a large report): validated again if asked
            make_graph = lambda: compute().graph  # noqa: E731
        elif isinstance(text, str):
            make_graph = lambda: Graph().parse(data=text, format="nt")  # noqa: E731
        else:
            raise TypeError("report")
        return Report(bool(kept["conforms"]), [Issue(**i) for i in kept["issues"]],
                      make_graph=make_graph)
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        pass  # none yet, or unreadable: validate
    report = compute()
    payload = {
        "conforms": report.conforms,
        "issues": [asdict(i) for i in report.issues],
        "report": report.graph.serialize(format="nt")
        if len(report.issues) <= KEPT_GRAPH_LIMIT else None,
    }
    try:  # written whole and renamed: a reader never sees half a file
        folder.mkdir(parents=True, exist_ok=True)
        # the newest few stay (both languages, a recent shapes/)
        atomic.keep_newest(folder, "validation-*.json", 8, target)
        fd, tmp = tempfile.mkstemp(prefix=".validation-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        os.replace(tmp, target)
    except OSError:
        pass
    return report


def results_of(report: Graph) -> list[Result]:
    """The top-level results of a ``sh:ValidationReport`` graph (pySHACL's, in the reference
    engine; pySHACL also types the nested ``sh:detail`` results of ``sh:node``)."""
    results = []
    for result in set(report.objects(None, SH.result)):
        results.append(Result(
            focus=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            value=report.value(result, SH.value),
            shape=report.value(result, SH.sourceShape),
            component=report.value(result, SH.sourceConstraintComponent),
            severity=report.value(result, SH.resultSeverity) or SH.Violation,
            messages=tuple(report.objects(result, SH.resultMessage)),
            constraint=report.value(result, SH.sourceConstraint),
        ))
    return results


def report_graph(results: Iterable[Result], shapes: Graph) -> Graph:
    """The W3C ``sh:ValidationReport`` of ``results`` (paths that are lists or blank nodes are
    copied from ``shapes``, where they are defined)."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode("report")
    conforms = True
    for result in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
            _copy_tree(shapes, result.path, graph)
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        graph.add((node, SH.sourceShape, result.shape))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        if result.constraint is not None:
            graph.add((node, SH.sourceConstraint, result.constraint))
        graph.add((node, SH.resultSeverity, result.severity))
        for message in result.messages:
            graph.add((node, SH.resultMessage, message))
        conforms = conforms and result.severity != SH.Violation
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    return graph


def _copy_tree(source: Graph, node: Node, target: Graph) -> None:
    if not isinstance(node, BNode):
        return
    for predicate, value in source.predicate_objects(node):
        target.add((node, predicate, value))
        _copy_tree(source, value, target)


def issues_of(results: Iterable[Result], data: Graph, lang: str, *, shapes: Graph,
              path_graph: Graph | None = None) -> list[Issue]:
    """``results`` in the reader's language, in report order (severity, focus, path, message).

    ``data`` gives the focus nodes' labels and sources (each looked up once), ``path_graph``
    the structure of blank-node result paths (default: ``shapes``, where the product's come
    from)."""
    path_graph = shapes if path_graph is None else path_graph
    focus_text: dict[Node, tuple[str, str]] = {}
    path_text: dict[Node | None, str] = {}
    templates: dict[Node, dict[str, list[re.Pattern]]] = {}
    issues = []
    for result in results:
        focus = result.focus
        if focus not in focus_text:
            source = data.value(focus, WIV.source) if focus is not None else None
            focus_text[focus] = (label_of(data, focus, lang), str(source or ""))
        if result.path not in path_text:
            path_text[result.path] = _path_text(path_graph, result.path)
        if len(result.messages) > 1 and result.shape not in templates:
            templates[result.shape] = _templates(shapes, result.shape)
        issues.append(Issue(
            severity=str(result.severity).rsplit("#", 1)[-1],
            focus=str(focus),
            focus_label=focus_text[focus][0],
            path=path_text[result.path],
            message=_message(result.messages, lang, templates.get(result.shape, {})),
            source_shape=str(result.shape or ""),
            constraint=str(result.component or "").rsplit("#", 1)[-1],
            value=str(result.value if result.value is not None else ""),
            source_lid=focus_text[focus][1],
        ))
    issues.sort(key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), i.focus, i.path, i.message,
                               i.value, i.source_shape, i.constraint))
    return issues


def _message(messages: tuple[Literal, ...], lang: str,
             templates: dict[str, list[re.Pattern]]) -> str:
    for wanted in (lang, "nl", "en"):
        for message in messages:
            if getattr(message, "language", None) == wanted:
                return str(message)
    # pySHACL copies the messages of SHACL-SPARQL constraints without their language tags: tell
    # them apart by matching each against the shape's own (tagged) message templates.
    for wanted in (lang, "nl", "en"):
        for template in templates.get(wanted, []):
            for message in messages:
                if template.fullmatch(str(message)):
                    return str(message)
    return str(messages[0]) if messages else ""


_PLACEHOLDER = re.compile(r"\\\{\\[$?]\w+\\\}")


def _templates(shapes: Graph, shape: Node | None) -> dict[str, list[re.Pattern]]:
    """The shape's sh:message templates (and those of its SPARQL constraints) as patterns."""
    if shape is None:
        return {}
    owners = [shape, *shapes.objects(shape, SH.sparql)]
    found: dict[str, list[re.Pattern]] = {}
    for owner in owners:
        for message in shapes.objects(owner, SH.message):
            language = getattr(message, "language", None)
            if language:
                pattern = _PLACEHOLDER.sub(".*?", re.escape(str(message)))
                found.setdefault(language, []).append(re.compile(pattern, re.S))
    return found


def _path_text(report: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(path)
    text = _sparql_path(report, path)
    if text is None:  # the report does not hold the path's structure
        return path.n3(report.namespace_manager)
    return text[1:-1] if text.startswith("(") else text


_PATH_MODIFIERS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def _sparql_path(graph: Graph, node: Node, depth: int = 0) -> str | None:
    """A complex SHACL property path in SPARQL notation (``(odrl:target|^odrl:permission/
    odrl:target)``: every sequence and alternative in parentheses), or None if ``graph`` does
    not hold it."""
    if isinstance(node, URIRef):
        return compact(node)
    if depth > 16:
        return None

    def parts(head: Node) -> list[str] | None:
        items = [_sparql_path(graph, item, depth + 1) for item in Collection(graph, head)]
        return None if not items or None in items else items

    if (node, RDF.first, None) in graph:
        items = parts(node)
        return None if items is None else "(" + "/".join(items) + ")"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        items = parts(alternatives)
        return None if items is None else "(" + "|".join(items) + ")"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        inner = _sparql_path(graph, inverse, depth + 1)
        return None if inner is None else "^" + inner
    for predicate, modifier in _PATH_MODIFIERS.items():
        inner_node = graph.value(node, predicate)
        if inner_node is not None:
            inner = _sparql_path(graph, inner_node, depth + 1)
            return None if inner is None else inner + modifier
    return None


OWNER_WORD = {"nl": "van", "en": "of"}


def label_of(graph: Graph, node: Node | None, lang: str = "nl") -> str:
    """The best label of ``node`` in ``lang`` (falling back to @nl, any, then the IRI).

    A blank node (a norm's condition, deadline or frequency) is named after its owner:
    "termijn van <label of the norm>" ("deadline of ..." in English)."""
    if node is None:
        return ""
    labels = [
        label
        for predicate in (SKOS.prefLabel, RDFS.label)
        for label in graph.objects(node, predicate)
    ]
    if labels:
        return pick_label(labels, lang)
    if isinstance(node, BNode):
        return _owner_label(graph, node, lang) or str(node)
    return compact(node) if isinstance(node, URIRef) else str(node)


def pick_label(labels: list, lang: str) -> str:
    """The label in ``lang``, else the Dutch one, else the first (labels: a non-empty list)."""
    for wanted in (lang, "nl"):
        for label in labels:
            if getattr(label, "language", None) == wanted:
                return str(label)
    return str(labels[0])


def _owner_label(graph: Graph, node: BNode, lang: str, depth: int = 0) -> str:
    """"<property label> van <owner label>" for the first owner of a blank node, else ""."""
    owners = getattr(graph, "subject_predicates", None)  # a view that cannot tell: no owner
    if owners is None or depth > 3:
        return ""
    for owner, predicate in sorted(owners(node), key=lambda pair: (str(pair[1]), str(pair[0]))):
        if isinstance(owner, BNode):
            owner_text = _owner_label(graph, owner, lang, depth + 1)
        else:
            owner_text = label_of(graph, owner, lang)
        if owner_text:
            word = OWNER_WORD.get(lang, OWNER_WORD["nl"])
            return f"{label_of(graph, predicate, lang)} {word} {owner_text}"
    return ""


# --- output --------------------------------------------------------------------------------

TEXT = {
    "nl": {
        "ok": "De graaf voldoet aan alle vormen (shapes).",
        "bad": "De graaf voldoet niet: {v} overtreding(en), {w} waarschuwing(en).",
        "warn_only": "De graaf voldoet, met {w} waarschuwing(en).",
        "path": "pad",
        "source": "bron",
        "shape": "vorm",
        "value": "waarde",
        "Violation": "Overtreding",
        "Warning": "Waarschuwing",
        "Info": "Melding",
    },
    "en": {
        "ok": "The graph conforms to all shapes.",
        "bad": "The graph does not conform: {v} violation(s), {w} warning(s).",
        "warn_only": "The graph conforms, with {w} warning(s).",
        "path": "path",
        "source": "source",
        "shape": "shape",
        "value": "value",
    },
}


#: (singular, plural) per severity, in the order of the summary line
SEVERITY_WORDS = {
    "nl": (("overtreding", "overtredingen"), ("waarschuwing", "waarschuwingen"),
           ("melding", "meldingen")),
    "en": (("violation", "violations"), ("warning", "warnings"), ("info", "infos")),
}


def format_summary(report: Report, lang: str = "nl") -> str:
    """One line: the number of results per severity ("0 overtredingen, 32 waarschuwingen,
    0 meldingen")."""
    counts = [0, 0, 0]
    for issue in report.issues:
        counts[min(SEVERITY_ORDER.get(issue.severity, 2), 2)] += 1
    words = SEVERITY_WORDS.get(lang, SEVERITY_WORDS["nl"])
    return ", ".join(
        f"{n} {one if n == 1 else many}" for n, (one, many) in zip(counts, words, strict=True)
    )


def format_report(report: Report, fmt: str = "text", lang: str = "nl") -> str:
    if fmt == "json":
        return json.dumps(
            {"conforms": report.conforms, "results": [asdict(i) for i in report.issues]},
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "ttl":
        return report.graph.serialize(format="turtle")
    words = TEXT.get(lang, TEXT["nl"])
    v, w = len(report.violations), len(report.warnings)
    if report.conforms:
        head = words["warn_only"].format(w=w) if w else words["ok"]
    else:
        head = words["bad"].format(v=v, w=w)
    lines = [head]
    current = None
    for issue in report.issues:
        group = (issue.severity, issue.focus)
        if group != current:
            current = group
            shown = f" <{issue.focus}>" if "://" in issue.focus else ""  # no blank node ids
            severity = words.get(issue.severity, issue.severity)
            lines.append(f"\n[{severity}] {issue.focus_label}{shown}")
        detail = f"  - {issue.message}"
        extras = []
        if issue.path:
            extras.append(f"{words['path']}: {issue.path}")
        if issue.value:
            extras.append(f"{words['value']}: {issue.value}")
        if issue.source_lid:
            extras.append(f"{words['source']}: {issue.source_lid}")
        extras.append(f"{words['shape']}: {compact(URIRef(issue.source_shape))}")
        lines.append(detail + " (" + "; ".join(extras) + ")")
    return "\n".join(lines)
