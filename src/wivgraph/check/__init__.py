"""Scenario checker: "may we do this?" -- verdict, open conditions and citations per scenario.

    raws = load_scenarios("docs/examples/scenarios/ciic.yaml")
    verdicts = check_scenarios(graph, raws, lang="nl")

``graph`` is an rdflib Graph or Dataset with ontology/ and data/ (or a prebuilt
:class:`NormIndex`); the index is built once per graph object and cached. See docs/checker.md.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace

from wivgraph.check.cases import check_cases, compare_cases
from wivgraph.check.engine import (
    AGREEMENT_BREACH,
    CARELESS,
    CONDITIONAL,
    FORBIDDEN,
    NO_RULE,
    PERMITTED,
    VERDICTS,
    Checker,
    T,
    Verdict,
    checker_for,
    clear_cache,
)
from wivgraph.check.flows import combine, expand, part_label
from wivgraph.check.index import NormIndex
from wivgraph.check.resolve import Scenario, resolve_all
from wivgraph.check.scenarios import RawScenario, load_scenarios, load_scenarios_text
from wivgraph.errors import WivgraphError

LANGS = ("nl", "en")


def checker_store(root=None, endpoint: str | None = None):
    """The store the checker asks: the endpoint itself (nothing is copied: the checker reads the
    vocabularies once and the candidate norms per question) unless it holds classified content
    -- then an embedded store over its copied public view, as for ``stats`` and ``network``, since
    verdicts quote norms and their sources --, else an embedded oxigraph store over the public
    view of the project's data, loaded by oxigraph (:func:`wivgraph.fast.load_store`)."""
    from wivgraph import fast  # noqa: PLC0415

    if endpoint:
        from wivgraph.classification import public_view  # noqa: PLC0415
        from wivgraph.store import RemoteStore, holds_classified_content  # noqa: PLC0415

        remote = RemoteStore(endpoint)
        if holds_classified_content(remote):
            return fast.dataset_store(public_view(remote.fetch_dataset()))
        return remote
    return fast.FastStore(fast.load_store(root))


def check_scenarios(graph, scenarios: Iterable[RawScenario | Scenario], lang: str = "nl") -> list[Verdict]:
    """Verdicts for ``scenarios`` (raw from :func:`load_scenarios`, or resolved).

    ``graph`` is a store (embedded or remote, see wivgraph.store), an rdflib Graph or Dataset,
    or a :class:`Checker`. Every name is resolved before anything is evaluated: one unknown
    name anywhere raises a WivgraphError and no verdict is returned.
    """
    if lang not in LANGS:
        raise WivgraphError(f"unknown language {lang!r} (expected one of {', '.join(LANGS)})")
    checker = checker_for(graph, lang)
    with _full_collections_deferred():
        return _check_all(checker, list(scenarios), lang)


def _check_all(checker: Checker, items: list, lang: str) -> list[Verdict]:
    expanded = []
    errors = []
    for s in items:
        if isinstance(s, RawScenario):
            try:
                expanded.append(expand(s))
            except WivgraphError as exc:
                errors.append(str(exc))
        else:
            expanded.append(s)
    if errors:
        raise WivgraphError("\n  ".join(errors[:20]) if len(errors) > 1 else errors[0])
    raws = [p.raw for e in expanded if isinstance(e, list) for p in e]
    resolved = iter(resolve_all(checker.idx, raws))
    out = []
    for e in expanded:
        if not isinstance(e, list):
            out.append(checker.evaluate(e))
            continue
        labelled = []
        for part in e:
            sc = next(resolved)
            derived = checker.exchanged_categories(sc)
            if derived:  # the same data are also exchanged data: one more facet of the same act
                part = replace(part, keys={**part.keys, "facet": True})
            labelled.append((part_label(part, lang, lambda f, v: _label(checker, f, v)), part, checker.evaluate(sc)))
            for category in derived:
                facet = replace(part, category=str(category).rsplit("/", 1)[-1])
                labelled.append((part_label(facet, lang, lambda f, v: _label(checker, f, v)), facet,
                                 checker.evaluate_exchanged(sc, category)))
        out.append(combine(labelled))
    return out


@contextlib.contextmanager
def _full_collections_deferred() -> Iterator[None]:
    """No full (oldest-generation) garbage collection while a batch runs.

    A batch keeps every verdict alive until it returns, and each full collection walks them all
    again: a third of a 10,000-scenario batch went to it (benchmarks/results.md). A check leaves
    no cyclic garbage once the checker's caches are warm, and young collections still run, so
    the only effect is that full collections wait until the batch ends.
    """
    global _batches_running  # noqa: PLW0603  (process-wide, like the thresholds themselves)
    with _gc_lock:  # batches may run at once (explorer sessions): the first saves, the last restores
        if _batches_running == 0:
            _saved_thresholds[:] = gc.get_threshold()
            young, middle, full = _saved_thresholds
            gc.set_threshold(young, middle, max(full, 1_000_000))
        _batches_running += 1
    try:
        yield
    finally:
        with _gc_lock:
            _batches_running -= 1
            if _batches_running == 0:
                gc.set_threshold(*_saved_thresholds)


_gc_lock = threading.Lock()
_batches_running = 0
_saved_thresholds: list[int] = []


def _label(checker: Checker, field_name: str, value) -> str:
    """The graph's label of a name in a scenario file (the name itself if it is unknown)."""
    from wivgraph.check.resolve import vocabulary  # noqa: PLC0415

    table = vocabulary(checker.idx).tables.get(field_name, {})
    node = table.get(str(value).strip().lower())
    return checker.idx.label(node, checker.lang) if node is not None else str(value)


def index_for(graph) -> NormIndex:
    """The vocabulary index the checker resolves names with."""
    return checker_for(graph).idx


LABELS = {
    "scenario": {"nl": "scenario", "en": "scenario"},
    "verdict": {"nl": "oordeel", "en": "verdict"},
    "conditions": {"nl": "open punten (onbekend, beslissend)", "en": "open points (unknown, deciding)"},
    "unmet": {"nl": "niet vervulde vereisten", "en": "requirements not met"},
    "deciding": {"nl": "beslissende normen", "en": "deciding norms"},
    "used": {"nl": "gebruikte feiten", "en": "facts used"},
    "unknown": {"nl": "onbekende feiten", "en": "unknown facts"},
    "deciding_unknown": {"nl": "beslissend", "en": "deciding"},
    "assumptions": {"nl": "opmerkingen", "en": "notes"},
    "trace": {"nl": "redenering", "en": "reasoning"},
    "date": {"nl": "datum", "en": "date"},
    "parts": {"nl": "per handeling", "en": "per act"},
}


def format_text(verdicts: list[Verdict], lang: str = "nl", trace: bool = True) -> str:
    """Readable report, one block per scenario: verdict, open points or failed requirements
    (each with its lid and quote), deciding norms, facts used and unknown, reasoning."""
    L = {k: v[lang] for k, v in LABELS.items()}  # noqa: N806
    blocks = []
    for v in verdicts:
        lines = [f"{L['scenario']} {v.index} ({v.scenario_id}), {L['date']} {v.date}",
                 f"  {L['verdict']}: {v.label.upper()}"]
        for head, wanted in ((L["unmet"], "not-met"), (L["conditions"], "unknown")):
            group = [c for c in v.conditions if c.status == wanted]
            if not group:
                continue
            lines.append(f"  {head}:")
            for c in group:
                lines.append(f"    - {c.text} ({c.source_label})" if c.source_label else f"    - {c.text}")
                if c.quote:
                    lines.append(f"      \"{c.quote}\"")
        if v.deciding:
            lines.append(f"  {L['deciding']}:")
            for n in v.deciding:
                state = T["careless_state" if n.status == "careless" else n.status][lang]
                lines.append(f"    - {n.source_label} ({T[n.modality][lang]}, {state})")
                if n.quote:
                    lines.append(f"      \"{n.quote}\"")
        if v.parts:
            lines.append(f"  {L['parts']}:")
            lines += [f"    - {label}: {part.label}" for label, part in v.parts]
        if v.facts_used:
            lines.append(f"  {L['used']}:")
            lines += [f"    - {f.label}: {f.value}" for f in v.facts_used]
        if v.unknown:
            lines.append(f"  {L['unknown']}:")
            lines += [f"    - {f.label}" + (f" ({L['deciding_unknown']})" if f.deciding else "") for f in v.unknown]
        if v.assumptions:
            lines.append(f"  {L['assumptions']}:")
            lines += [f"    - {a}" for a in v.assumptions]
        if trace and v.trace:
            lines.append(f"  {L['trace']}:")
            lines += [f"    {s}" for s in v.trace]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_reports(verdicts: list[Verdict]) -> str:
    """The compliance reports behind the verdicts as TriG (FORCE Compliance Report Model), one
    named graph per scenario (``urn:wivgraph:scenario:N``): scenarios that ask about the same act
    share report IRIs, their states of the world differ."""
    from rdflib import Dataset, URIRef  # noqa: PLC0415

    from wivgraph.odrl.report import to_graph  # noqa: PLC0415

    out = Dataset()
    out.bind("report", "https://w3id.org/force/compliance-report#")
    for v in verdicts:
        graph = out.graph(URIRef(f"urn:wivgraph:scenario:{v.index}"))
        for triple in to_graph(v.reports):
            graph.add(triple)
    return out.serialize(format="trig")


def format_json(verdicts: list[Verdict]) -> str:
    return json.dumps([v.to_dict() for v in verdicts], ensure_ascii=False, indent=2)


__all__ = [
    "CONDITIONAL", "FORBIDDEN", "NO_RULE", "PERMITTED", "VERDICTS", "NormIndex", "RawScenario",
    "AGREEMENT_BREACH", "CARELESS", "Checker", "Scenario", "Verdict", "check_cases", "check_scenarios", "checker_for", "checker_store", "clear_cache",
    "compare_cases", "format_json", "format_reports", "format_text", "index_for", "load_scenarios",
    "load_scenarios_text",
]
