"""Scenario format v2: joint actors, data facets, several origins and flows of hops.

A v2 scenario is expanded into single acts (one actor, one data category, one origin, one
hop), each checked like a v1 scenario; the scenario's verdict is the weakest part's. Facets and
origins describe the same data: a part with no applicable rule does not weaken the others (the
act is governed by the rules that do apply). Actors and hops are separate acts: each must be
allowed, so a hop or an actor without any applicable rule makes the whole "no applicable rule"
unless another part is worse. docs/checker.md ("Scenario format v2") states this in words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from wivgraph.check.engine import (
    AGREEMENT_BREACH,
    CARELESS,
    CONDITIONAL,
    FORBIDDEN,
    NO_RULE,
    PERMITTED,
    Verdict,
)
from wivgraph.check.scenarios import RawScenario
from wivgraph.errors import WivgraphError

V2_FIELDS = ("actors", "data_categories", "originating_parties", "hops", "legal_basis")
V2_PLAIN_FIELDS = ("object",)  # v2 fields read as they are (not expanded)
# worst first; NO_RULE sits between a failure and a conditional permission for separate acts
RANK = {FORBIDDEN: 0, CARELESS: 1, AGREEMENT_BREACH: 2, NO_RULE: 3, CONDITIONAL: 4, PERMITTED: 5}
PART_WORDS = {
    "hop": {"nl": "stap {n}", "en": "hop {n}"},
    "actor": {"nl": "handelende partij {v}", "en": "acting party {v}"},
    "facet": {"nl": "gegevens: {v}", "en": "data: {v}"},
    "origin": {"nl": "herkomst: {v}", "en": "origin: {v}"},
}


@dataclass
class Part:
    """One single act of a v2 scenario: where it sits in the flow and what it is."""

    hop: int | None  # 1-based hop number, None without hops
    actor: str
    category: str | None
    origin: object
    raw: RawScenario
    keys: dict = field(default_factory=dict)  # which list fields had more than one value


def version_of(raw: RawScenario) -> int:
    return int(raw.data.get("version") or raw.file_version or 1)


def _party_name(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name"))
    return str(value)


def expand(raw: RawScenario) -> list[Part]:
    """The single acts of ``raw`` (one part, the scenario itself, for a v1 scenario)."""
    d = raw.data
    if version_of(raw) < 2:
        used = [k for k in V2_FIELDS + V2_PLAIN_FIELDS if k in d]
        if used:
            raise WivgraphError(
                f"{raw.where(used[0])}: field '{used[0]}' belongs to scenario format version 2 "
                "(add 'version: 2' to the scenario or the file; version 1 fields stay as they are)"
            )
        return [Part(None, str(d["actor"]), d.get("data_category"), d.get("originating_party"), raw)]
    base = {k: v for k, v in d.items() if k not in V2_FIELDS and k != "version"}
    hops = d.get("hops") or [None]
    parts: list[Part] = []
    for number, hop in enumerate(hops, start=1):
        merged = dict(base)
        if hop is not None:
            for k in ("actor", "actors", "data_category", "data_categories"):
                if k in hop:  # a hop's own actor or category replaces the scenario's
                    merged.pop(k, None)
            merged.update({k: v for k, v in hop.items()
                           if k not in ("actors", "data_categories", "legal_basis", "conditions", "consents")})
            if "conditions" in hop:  # a hop's own conditions add to (and override) the scenario's
                merged["conditions"] = {**(base.get("conditions") or {}), **hop["conditions"]}
            if "consents" in hop:
                merged["consents"] = list(base.get("consents") or []) + list(hop["consents"])
        actors = _values(hop, d, "actors", "actor")
        if not actors:
            raise WivgraphError(f"{raw.where('actors')}: no actor (expected 'actor' or 'actors' in the scenario or each hop)")
        if "action" not in merged:
            raise WivgraphError(f"{raw.where('hops')}: hop {number} has no action (expected 'action')")
        categories = _values(hop, d, "data_categories", "data_category") or [None]
        origins = d.get("originating_parties") or ([d["originating_party"]] if "originating_party" in d else [None])
        basis = (hop or {}).get("legal_basis") or d.get("legal_basis")
        for actor, category, origin in itertools.product(actors, categories, origins):
            one = dict(merged)
            one["actor"] = actor
            one.pop("data_category", None)
            if category is not None:
                one["data_category"] = category
            one.pop("originating_party", None)
            if origin is not None:
                one["originating_party"] = origin
            if basis is not None:
                one["legal_basis"] = basis
            if len(actors) > 1:
                one["consents"] = _joint_consents(one.get("consents"), actors, actor)
                # several actors of one act act jointly (condition kind joint-action), unless stated
                one["conditions"] = {"joint-action": "met", **(one.get("conditions") or {})}
            part_raw = RawScenario(data=one, file=raw.file, index=raw.index, line=raw.line,
                                   lines=raw.lines, file_version=raw.file_version)
            keys = {"hop": len(hops) > 1, "actor": len(actors) > 1, "facet": len(categories) > 1,
                    "origin": len(origins) > 1}
            parts.append(Part(number if hop is not None else None, str(actor), category, origin, part_raw, keys))
    return parts


def _joint_consents(consents, actors: list, actor) -> list:
    """The consents of one actor's part of a joint act: the other actors act too, so each of
    them consents to it (2005 art 3.1 "gezamenlijk extern gegevens verstrekken": the service whose
    data they are is itself a provider); a consent stated for them otherwise is kept."""
    given = list(consents or [])
    named = {_party_name(c.get("party") if isinstance(c, dict) else c).casefold() for c in given}
    return given + [other for other in actors
                    if _party_name(other).casefold() not in named and _party_name(other) != _party_name(actor)]


def _values(hop: dict | None, d: dict, plural: str, singular: str) -> list:
    for source in (hop or {}, d):
        if plural in source:
            return list(source[plural])
        if singular in source and source[singular] is not None:
            return [source[singular]]
    return []


def part_label(part: Part, lang: str, label_of) -> str:
    """"stap 2, handelende partij AIVD, gegevens: CIIC-gegevens" (only what varies)."""
    bits = []
    if part.keys.get("hop"):
        bits.append(PART_WORDS["hop"][lang].format(n=part.hop))
    if part.keys.get("actor"):
        bits.append(PART_WORDS["actor"][lang].format(v=label_of("party", part.actor)))
    if part.keys.get("facet"):
        bits.append(PART_WORDS["facet"][lang].format(v=label_of("data_category", part.category)))
    if part.keys.get("origin"):
        bits.append(PART_WORDS["origin"][lang].format(v=label_of("party", _party_name(part.origin))))
    return ", ".join(bits)


def combine(labelled: list[tuple[str, Part, Verdict]]) -> Verdict:
    """The scenario's verdict from its parts' verdicts: the weakest act decides."""
    if len(labelled) == 1:
        return labelled[0][2]
    parts = [(part, v) for _, part, v in labelled]
    by_act: dict[tuple, list[Verdict]] = {}
    for part, verdict in parts:
        by_act.setdefault((part.hop, part.actor), []).append(verdict)
    acts = []  # per act, its weakest facets and origins (all of them when they tie)
    for verdicts in by_act.values():
        ruled = [v for v in verdicts if v.verdict != NO_RULE] or verdicts
        low = min(RANK[v.verdict] for v in ruled)
        acts.append([v for v in ruled if RANK[v.verdict] == low])
    worst = min((group[0] for group in acts), key=lambda v: RANK[v.verdict])
    same = [v for group in acts for v in group if v.verdict == worst.verdict]
    seen_c, conditions = set(), []
    for v in same:
        for c in v.conditions:
            key = (c.text, c.source)
            if key not in seen_c:
                seen_c.add(key)
                conditions.append(c)
    deciding = list({n.iri: n for v in same for n in v.deciding}.values())
    applicable = list({n.iri: n for _, v in parts for n in v.applicable}.values())
    used = list({(f.name, f.label, f.value): f for _, v in parts for f in v.facts_used}.values())
    unknown = list({(f.name, f.label): f for _, v in parts for f in v.unknown}.values())
    return replace(worst, conditions=conditions, deciding=deciding, applicable=applicable,
                   facts_used=used, unknown=unknown,
                   assumptions=list(dict.fromkeys(a for _, v in parts for a in v.assumptions)),
                   reports=[r for _, v in parts for r in v.reports],
                   trace=[line for _, v in parts for line in v.trace],
                   shortcomings=[c for c in conditions if c.status == "not-met"] if worst.verdict != FORBIDDEN else [],
                   parts=[(label, v) for label, _, v in labelled])


__all__ = ["V2_FIELDS", "V2_PLAIN_FIELDS", "Part", "combine", "expand", "part_label", "version_of"]
