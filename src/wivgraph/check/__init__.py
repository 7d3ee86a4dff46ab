"""Scenario checker: "may we do this?" -- verdict, open conditions and citations per scenario.

    raws = load_scenarios("docs/examples/scenarios/ciic.yaml")
    verdicts = check_scenarios(graph, raws, lang="nl")

``graph`` is an rdflib Graph or Dataset with ontology/ and data/ (or a prebuilt
:class:`NormIndex`); the index is built once per graph object and cached. See docs/checker.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from wivgraph.check.cases import check_cases, compare_cases
from wivgraph.check.engine import (
    CONDITIONAL,
    FORBIDDEN,
    NO_RULE,
    PERMITTED,
    VERDICTS,
    Evaluator,
    T,
    Verdict,
)
from wivgraph.check.index import NormIndex, build_index, clear_cache, index_for
from wivgraph.check.resolve import Scenario, resolve_all
from wivgraph.check.scenarios import RawScenario, load_scenarios, load_scenarios_text
from wivgraph.errors import WivgraphError

LANGS = ("nl", "en")


def check_scenarios(graph, scenarios: Iterable[RawScenario | Scenario], lang: str = "nl") -> list[Verdict]:
    """Verdicts for ``scenarios`` (raw from :func:`load_scenarios`, or resolved).

    Every name is resolved before anything is evaluated: one unknown name anywhere raises a
    WivgraphError and no verdict is returned.
    """
    if lang not in LANGS:
        raise WivgraphError(f"unknown language {lang!r} (expected one of {', '.join(LANGS)})")
    idx = index_for(graph)
    items = list(scenarios)
    raws = [s for s in items if isinstance(s, RawScenario)]
    resolved = iter(resolve_all(idx, raws))
    ready = [next(resolved) if isinstance(s, RawScenario) else s for s in items]
    ev = Evaluator(idx, lang)
    return [ev.evaluate(s) for s in ready]


LABELS = {
    "scenario": {"nl": "scenario", "en": "scenario"},
    "verdict": {"nl": "oordeel", "en": "verdict"},
    "conditions": {"nl": "nog te vervullen voorwaarden", "en": "conditions still to be met"},
    "unmet": {"nl": "niet vervulde voorwaarden", "en": "conditions not met"},
    "deciding": {"nl": "beslissende normen", "en": "deciding norms"},
    "assumptions": {"nl": "aannames", "en": "assumptions"},
    "trace": {"nl": "redenering", "en": "reasoning"},
    "date": {"nl": "datum", "en": "date"},
}


def format_text(verdicts: list[Verdict], lang: str = "nl", trace: bool = True) -> str:
    """Readable report, one block per scenario."""
    L = {k: v[lang] for k, v in LABELS.items()}  # noqa: N806
    blocks = []
    for v in verdicts:
        lines = [f"{L['scenario']} {v.index} ({v.scenario_id}), {L['date']} {v.date}",
                 f"  {L['verdict']}: {v.label.upper()}"]
        if v.conditions:
            head = L["unmet"] if v.verdict == FORBIDDEN else L["conditions"]
            lines.append(f"  {head}:")
            lines += [f"    - {c.text}" for c in v.conditions]
        if v.deciding:
            lines.append(f"  {L['deciding']}:")
            for n in v.deciding:
                state = T["careless_state" if n.status == "careless" else n.status][lang]
                lines.append(f"    - {n.source_label} ({T[n.modality][lang]}, {state})")
                if n.quote:
                    lines.append(f"      \"{n.quote}\"")
        if v.assumptions:
            lines.append(f"  {L['assumptions']}:")
            lines += [f"    - {a}" for a in v.assumptions]
        if trace and v.trace:
            lines.append(f"  {L['trace']}:")
            lines += [f"    {s}" for s in v.trace]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_json(verdicts: list[Verdict]) -> str:
    return json.dumps([v.to_dict() for v in verdicts], ensure_ascii=False, indent=2)


__all__ = [
    "CONDITIONAL", "FORBIDDEN", "NO_RULE", "PERMITTED", "VERDICTS", "NormIndex", "RawScenario",
    "Scenario", "Verdict", "build_index", "check_cases", "check_scenarios", "clear_cache",
    "compare_cases", "format_json", "format_text", "index_for", "load_scenarios",
    "load_scenarios_text",
]
