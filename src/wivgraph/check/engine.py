"""Evaluation: applicable norms for a scenario, their conditions, and the combined verdict.

The decision rules are documented in docs/checker.md; nothing here knows a particular article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import URIRef

from wivgraph.check.index import Condition, Norm, NormIndex, _local, is_practice_passage
from wivgraph.check.resolve import FACT_CONDITIONS, MET, NOT_MET, UNKNOWN, Scenario
from wivgraph.namespaces import CONCEPT, DOC, ROLE, SCOPE, WIV

PERMITTED = "permitted"
CONDITIONAL = "permitted-on-conditions"
FORBIDDEN = "not-permitted"
NO_RULE = "no-applicable-rule"
VERDICTS = (PERMITTED, CONDITIONAL, FORBIDDEN, NO_RULE)

KIND_CONSENT = CONCEPT["condition-consent"]
KIND_MINISTERIAL = CONCEPT["condition-ministerial-permission"]
ROLE_ORIGIN = ROLE["originating-party"]
ROLE_MINISTER = ROLE["minister-concerned"]
ROLE_PARTY = ROLE["convenant-party"]
SCOPE_OTHER_PARTIES = SCOPE["other-parties"]
SCOPE_THIRD_PARTIES = SCOPE["third-parties"]

T = {
    PERMITTED: {"nl": "toegestaan", "en": "permitted"},
    CONDITIONAL: {"nl": "toegestaan onder voorwaarden", "en": "permitted on conditions"},
    FORBIDDEN: {"nl": "niet toegestaan", "en": "not permitted"},
    NO_RULE: {"nl": "geen toepasselijke regel gevonden", "en": "no applicable rule found"},
    "permission": {"nl": "bevoegdheid", "en": "permission"},
    "prohibition": {"nl": "verbod", "en": "prohibition"},
    "obligation": {"nl": "verplichting", "en": "obligation"},
    "date_today": {"nl": "aangenomen dat de handeling vandaag ({d}) plaatsvindt", "en": "assumed the action takes place today ({d})"},
    "origin_role": {"nl": "aangenomen dat de gegevens door {p} zijn verstrekt ({p} is de partij van herkomst)", "en": "assumed the data were supplied by {p} ({p} is the originating party)"},
    "origin_role_ctx": {"nl": "aangenomen dat de gegevens door {p} aan de {c} zijn verstrekt", "en": "assumed the data were supplied by {p} to the {c}"},
    "role_assumed": {"nl": "aangenomen dat {a} valt onder '{r}'", "en": "assumed {a} counts as '{r}'"},
    "context_assumed": {"nl": "aangenomen dat de handeling plaatsvindt binnen {c}", "en": "assumed the action takes place within {c}"},
    "validity_unknown": {"nl": "aangenomen dat {i} op {d} gold (geen geldigheidsdatum in de graaf)", "en": "assumed {i} applied on {d} (no validity date in the graph)"},
    "not_case": {"nl": "niet het geval (anders verboden): {c}", "en": "not the case (otherwise forbidden): {c}"},
    "place_assumed": {"nl": "aangenomen dat de handeling plaatsvindt: {p}", "en": "assumed the action takes place: {p}"},
    "constraint_assumed": {"nl": "aangenomen dat geldt: {c}", "en": "assumed to hold: {c}"},
    "consent_of": {"nl": "toestemming van {p}", "en": "consent of {p}"},
    "decision_by": {"nl": "beslissing door {p}", "en": "decision by {p}"},
    "accepted": {"nl": "{k}: {v}", "en": "{k}: {v}"},
    "perform_first": {"nl": "eerst: {a}", "en": "first: {a}"},
    "with": {"nl": " met {p}", "en": " with {p}"},
    "originating": {"nl": "de partij van herkomst", "en": "the originating party"},
    "minister": {"nl": "de minister", "en": "the minister"},
    "recipient_scope": {"nl": "{n}: {r} valt onder '{s}'", "en": "{n}: {r} counts as '{s}'"},
    # reasoning trace
    "tr_excepted": {"nl": "{n}: {a} uitgezonderd", "en": "{n}: {a} excepted"},
    "tr_party": {"nl": "{n}: {a} is een partij ({r})", "en": "{n}: {a} is a party ({r})"},
    "tr_constraint": {"nl": "{n}: toepassingsvoorwaarde niet vervuld ({c})", "en": "{n}: constraint not met ({c})"},
    "tr_not_yet": {"nl": "{n}: nog niet van kracht op {d} (vanaf {s})", "en": "{n}: not yet in force on {d} (from {s})"},
    "tr_no_longer": {"nl": "{n}: niet meer van kracht op {d} (tot {e})", "en": "{n}: no longer in force on {d} (until {e})"},
    "tr_candidates": {"nl": "kandidaten voor handeling {a}: {k}", "en": "candidates by action {a}: {k}"},
    "tr_ban_off": {"nl": "{n}: verbod niet van toepassing (voorwaarde niet vervuld)", "en": "{n}: prohibition does not apply (condition not met)"},
    "tr_applies": {"nl": "{n}: van toepassing ({m}, {s})", "en": "{n}: applies ({m}, {s})"},
    "tr_no_basis": {"nl": "{l}: {k} bevoegdheid/bevoegdheden zonder eigen wettelijke grondslag beperken elke route", "en": "{l}: {k} permission(s) without legal basis restrict every route"},
    "tr_route": {"nl": "route {r}: {s} ({k} norm(en))", "en": "route {r}: {s} ({k} norm(s))"},
    "tr_alternatives": {"nl": "{l}: alternatieve routes {r}", "en": "{l}: alternative routes {r}"},
    "tr_verdict": {"nl": "oordeel: {v} ({r})", "en": "verdict: {v} ({r})"},
    "satisfied": {"nl": "vervuld", "en": "satisfied"},
    "open": {"nl": "open", "en": "open"},
    "failed": {"nl": "niet vervuld", "en": "failed"},
    "standing": {"nl": "geldt", "en": "standing"},
    "R1": {"nl": "R1 een verbod is van toepassing", "en": "R1 a prohibition applies"},
    "R2": {"nl": "R2 een bindende voorwaarde is niet vervuld", "en": "R2 a binding condition is not met"},
    "R3c": {"nl": "R3 zorgvuldigheidsvereiste niet vervuld (onzorgvuldig, niet onrechtmatig)", "en": "R3 due-care requirement not met (careless, not unlawful)"},
    "R3": {"nl": "R3 niet bekend of aan de voorwaarden is voldaan", "en": "R3 conditions not known to be met"},
    "R4": {"nl": "R4 aan elke toepasselijke norm is voldaan", "en": "R4 every applicable norm is satisfied"},
    "R5": {"nl": "R5 geen toepasselijke norm", "en": "R5 no applicable norm"},
    "careless_state": {"nl": "onzorgvuldig", "en": "careless"},
    "careless": {"nl": "onzorgvuldig, niet onrechtmatig: zorgvuldigheidsvereiste niet vervuld", "en": "careless, not unlawful: due-care requirement not met"},
}


def t(key: str, lang: str, **kw) -> str:
    return T[key][lang].format(**kw)


@dataclass
class ConditionResult:
    norm: URIRef
    kind: URIRef | None
    text: str
    status: str

    def to_dict(self) -> dict:
        return {"norm": str(self.norm), "kind": str(self.kind) if self.kind else None,
                "text": self.text, "status": self.status}


@dataclass
class NormRef:
    iri: str
    modality: str
    status: str  # satisfied | failed | careless | open | standing
    source: str | None
    source_label: str
    quote: str | None
    instrument: str | None
    legal_effect: str | None
    conditions: list[ConditionResult] = field(default_factory=list)
    route: str = ""
    cumulative: bool = False  # obligations and prohibitions bind whatever the route
    due_care: bool = False  # failing it is careless, not unlawful
    has_legal_basis: bool = True  # a permission without one restricts the other routes

    def to_dict(self) -> dict:
        return {
            "norm": self.iri, "modality": self.modality, "status": self.status,
            "source": self.source, "source_label": self.source_label, "quote": self.quote,
            "instrument": self.instrument, "legal_effect": self.legal_effect, "route": self.route,
            "due_care": self.due_care,
            "conditions": [c.to_dict() for c in self.conditions],
        }


@dataclass
class Verdict:
    scenario_id: str
    index: int
    file: str
    verdict: str
    label: str
    conditions: list[ConditionResult]
    deciding: list[NormRef]
    applicable: list[NormRef]
    assumptions: list[str]
    trace: list[str]
    date: str
    lang: str = "nl"
    shortcomings: list[ConditionResult] = field(default_factory=list)  # due-care conditions not met

    @property
    def careless(self) -> bool:
        """A due-care requirement is not met (onzorgvuldig), and no legality requirement fails."""
        return bool(self.shortcomings)

    def to_dict(self) -> dict:
        return {
            "id": self.scenario_id, "index": self.index, "file": self.file, "date": self.date,
            "verdict": self.verdict, "label": self.label, "careless": self.careless,
            "shortcomings": [c.to_dict() for c in self.shortcomings],
            "conditions": [c.to_dict() for c in self.conditions],
            "deciding_norms": [n.to_dict() for n in self.deciding],
            "applicable_norms": [n.to_dict() for n in self.applicable],
            "assumptions": self.assumptions, "trace": self.trace,
        }


def source_label(idx: NormIndex, source) -> str:
    """"convenant-ciic-2020 art 7 lid 2" from a subdivision IRI."""
    if source is None:
        return ""
    text = str(source)
    if text.startswith(str(DOC)):
        return " ".join(text[len(str(DOC)):].split("/"))
    return idx.label(source)


class Evaluator:
    """Evaluates scenarios against one :class:`NormIndex`."""

    def __init__(self, idx: NormIndex, lang: str = "nl", framework_only: bool = False):
        self.idx = idx
        self.lang = lang
        # framework_only: leave out what only an assessment of practice states (wiv:AssessmentNorm
        # norms, requirement kinds sourced in Praktijk passages); used to compare with CTIVD cases.
        self.framework_only = framework_only

    # ------------------------------------------------------------------ helpers
    def L(self, node) -> str:  # noqa: N802 - short on purpose
        return self.idx.label(node, self.lang)

    def _is_role(self, node) -> bool:
        return WIV.Role in self.idx.types.get(node, ()) or str(node).startswith(str(ROLE))

    def _acting_for(self, party) -> frozenset:
        """The party, the units and hosts it belongs to, and the minister it falls under."""
        return self.idx.org_ancestors(party) | self.idx.under_minister.get(party, frozenset())

    def _fills_party_role(self, party, norm: Norm) -> bool:
        pool = set()
        for inst in norm.instruments:
            pool |= self.idx.parties_of.get(inst, frozenset())
        for ctx in norm.contexts:
            pool |= self.idx.members_of.get(ctx, frozenset())
        return bool(self._acting_for(party) & pool)

    def _party_side(self, party, norm: Norm) -> bool:
        """``party`` is (or acts for, or holds the post of) a party to the norm's instruments or
        a member of its context (cell)."""
        pool = set()
        for inst in norm.instruments:
            pool |= self.idx.parties_of.get(inst, frozenset())
        for ctx in norm.contexts:
            pool |= self.idx.members_of.get(ctx, frozenset())
        if self._acting_for(party) & pool:
            return True
        return any(party in self.idx.org_ancestors(p) for p in pool)

    def _recipient_scopes(self, sc: Scenario, norm: Norm) -> tuple[frozenset, URIRef | None]:
        """Scopes a named recipient falls in for this norm, from the graph: another party to the
        norm's instrument (or member of its cell), else a third party. Nothing when the recipient
        is the actor's own organisation or the source of the data."""
        idx, r = self.idx, sc.recipient
        if r is None:
            return frozenset(), None
        r_up = idx.org_ancestors(r)
        for own in (sc.actor, sc.originating):
            if own is not None and (r == own or own in r_up or r in idx.org_ancestors(own)):
                return frozenset(), None
        scope = SCOPE_OTHER_PARTIES if self._party_side(r, norm) else SCOPE_THIRD_PARTIES
        return idx.up(scope), scope

    # ------------------------------------------------------------------ applicability
    def applicable(self, sc: Scenario, norm: Norm, assumptions: list, trace: list) -> bool:
        idx, lang = self.idx, self.lang
        name = _local(norm.iri)
        if self.framework_only and norm.from_assessment:
            return False
        actor_up = self._acting_for(sc.actor)
        if norm.excepts and actor_up & norm.excepts:
            trace.append(t("tr_excepted", lang, n=name, a=self.L(sc.actor)))
            return False
        if norm.bearers:
            direct = actor_up & norm.bearers
            if not direct:
                roles = [b for b in norm.bearers if self._is_role(b)]
                filled = [r for r in roles if ROLE_PARTY in idx.up(r) and self._fills_party_role(sc.actor, norm)]
                if not filled:
                    return False  # a role the graph cannot fill with the actor: not its norm
                trace.append(t("tr_party", lang, n=name, a=self.L(sc.actor), r=self.L(filled[0])))
        action_up = idx.up(sc.action)
        if norm.actions and not (action_up & norm.actions) and not (action_up & norm.precedes):
            return False
        if norm.targets and (sc.data_category is None or not (idx.up(sc.data_category) & norm.targets)):
            return False
        if norm.scopes or norm.recipients:
            ok = False
            if sc.recipient is not None and idx.org_ancestors(sc.recipient) & norm.recipients:
                ok = True
            if not ok and sc.recipient_kind is not None and idx.up(sc.recipient_kind) & norm.scopes:
                ok = True
            if not ok:
                derived, scope = self._recipient_scopes(sc, norm)
                if derived & norm.scopes:
                    trace.append(t("recipient_scope", lang, n=name, r=self.L(sc.recipient), s=self.L(scope)))
                    ok = True
            if not ok:
                return False
        concrete_sources = [s for s in norm.data_sources if not self._is_role(s)]
        if concrete_sources and (
            sc.originating is None or not (idx.org_ancestors(sc.originating) & set(concrete_sources))
        ):
            return False
        if norm.places:
            if sc.place is None:
                assumptions.append(t("place_assumed", lang, p=", ".join(self.L(p) for p in sorted(norm.places, key=str))))
            elif not (idx.up(sc.place) & norm.places):
                return False
        for ctx in norm.contexts:
            if ctx not in actor_up and ctx not in idx.org_ancestors(sc.actor):
                assumptions.append(t("context_assumed", lang, c=self.L(ctx)))
        for cons in self._own(norm.constraints):
            status, text = self.condition(sc, norm, cons, [])
            if status == NOT_MET:
                trace.append(t("tr_constraint", lang, n=name, c=text))
                return False
            if status == UNKNOWN:
                assumptions.append(t("constraint_assumed", lang, c=text))
        start, end, known = idx.norm_validity(norm)
        if known:
            if start and sc.date < start:
                trace.append(t("tr_not_yet", lang, n=name, d=sc.date, s=start))
                return False
            if end and sc.date >= end:
                trace.append(t("tr_no_longer", lang, n=name, d=sc.date, e=end))
                return False
        elif norm.instruments:
            assumptions.append(t("validity_unknown", lang, i=self.L(norm.instruments[0]), d=sc.date))
        return True

    # ------------------------------------------------------------------ conditions
    def condition(self, sc: Scenario, norm: Norm, cond: Condition, assumptions: list) -> tuple[str, str]:
        idx, lang = self.idx, self.lang
        kinds = sorted(cond.kinds, key=str)
        kind_up = frozenset().union(*(idx.up(k) for k in kinds)) if kinds else frozenset()
        parts = []
        statuses = []
        explicit = [sc.conditions[k] for k in kinds if k in sc.conditions]
        if not explicit:
            for fact in sc.facts:
                implied = FACT_CONDITIONS.get(fact, {})
                explicit += [implied[k] for k in kinds if k in implied]
        if cond.accepted:
            facts = set(sc.facts) | {x for x in (sc.recipient_kind, sc.data_category) if x is not None}
            vals = ", ".join(self.L(v) for v in cond.accepted)
            parts.append(t("accepted", lang, k=self.L(kinds[0]) if kinds else "", v=vals).lstrip(": "))
            if any(self._concept_matches(f, v) for f in facts for v in cond.accepted):
                statuses.append(MET)
            elif any(self._same_scheme(f, v) for f in facts for v in cond.accepted):
                statuses.append(NOT_MET)
            else:
                statuses.append(UNKNOWN)
        consent_like = KIND_CONSENT in kind_up or cond.consenting
        if consent_like:
            parties = cond.consenting or ((ROLE_MINISTER,) if KIND_MINISTERIAL in kind_up else ())
            for p in parties:
                status, who = self._consent(sc, norm, p, KIND_MINISTERIAL in kind_up, assumptions)
                statuses.append(status)
                parts.append(t("consent_of", lang, p=who))
            if not parties:
                statuses.append(UNKNOWN)
                parts.append(self.L(kinds[0]) if kinds else "")
        for d in cond.decision_by:
            parts.append(t("decision_by", lang, p=self.L(d)))
            if sc.decided_by is not None:
                statuses.append(MET if self._decider_matches(sc.decided_by, d) else NOT_MET)
            elif any(self._decider_matches(x, d) for x in sc.not_decided_by):
                statuses.append(NOT_MET)  # the scenario says this office did not decide
            else:
                statuses.append(UNKNOWN)
        if not parts:
            parts.append(self.L(kinds[0]) if kinds else _local(cond.node))
            statuses.append(UNKNOWN)
        if cond.counterparty:
            parts[-1] += t("with", lang, p=", ".join(self.L(c) for c in cond.counterparty))
        if explicit:  # the scenario says outright whether this kind of condition is met
            statuses = explicit
        text = "; ".join(p for p in parts if p)
        if NOT_MET in statuses:
            return NOT_MET, text
        if all(s == MET for s in statuses):
            return MET, text
        return UNKNOWN, text

    def _concept_matches(self, fact, accepted) -> bool:
        idx = self.idx
        return any(idx.same_concept(u, accepted) for u in idx.up(fact))

    def _same_scheme(self, fact, accepted) -> bool:
        idx = self.idx

        def schemes(c):
            out = set(idx.schemes.get(c, ()))
            for e in idx.equivalent.get(c, ()):
                out |= idx.schemes.get(e, set())
            return out

        return bool(schemes(fact) & schemes(accepted))

    def _decider_matches(self, decider, required) -> bool:
        idx = self.idx
        ups = idx.up(decider) | idx.org_ancestors(decider)
        return any(idx.same_concept(u, required) for u in ups)

    def _consent(self, sc: Scenario, norm: Norm, party, ministerial: bool, assumptions: list) -> tuple[str, str]:
        idx, lang = self.idx, self.lang
        if self._is_role(party):
            up = idx.up(party)
            if ROLE_ORIGIN in up:
                if sc.originating is None:
                    return UNKNOWN, f"{self.L(party)}"
                who = sc.originating_name or self.L(sc.originating)
                if norm.contexts:
                    msg = t("origin_role_ctx", lang, p=who, c=self.L(sorted(norm.contexts, key=str)[0]))
                else:
                    msg = t("origin_role", lang, p=who)
                if msg not in assumptions:
                    assumptions.append(msg)
                return self._consent_status(sc, sc.originating), f"{self.L(party)} ({who})"
            if ROLE_MINISTER in up or ministerial:
                return sc.ministerial, self.L(party)
            return UNKNOWN, self.L(party)
        status = self._consent_status(sc, party)
        if status == UNKNOWN and ministerial:
            status = sc.ministerial
        return status, self.L(party)

    def _consent_status(self, sc: Scenario, party) -> str:
        if party is None:
            return UNKNOWN
        if party in sc.consents:
            return sc.consents[party]
        for given, status in sc.consents.items():
            if party in self.idx.org_ancestors(given) or given in self.idx.org_ancestors(party):
                return status
        return UNKNOWN

    # ------------------------------------------------------------------ one scenario
    def evaluate(self, sc: Scenario) -> Verdict:
        idx, lang = self.idx, self.lang
        assumptions: list[str] = []
        trace: list[str] = []
        if sc.date_note:
            assumptions.append(sc.date_note)
        elif sc.date_assumed:
            assumptions.append(t("date_today", lang, d=sc.date.isoformat()))
        candidates: dict = {}
        for a in idx.up(sc.action):
            for n in idx.by_action.get(a, ()):
                candidates[n.iri] = n
        for n in idx.by_action.get(None, ()):
            candidates[n.iri] = n
        trace.append(t("tr_candidates", lang, a=_local(sc.action), k=len(candidates)))
        refs: list[NormRef] = []
        for norm in sorted(candidates.values(), key=lambda n: str(n.iri)):
            local_assumptions: list[str] = []
            if not self.applicable(sc, norm, local_assumptions, trace):
                continue
            conds = []
            as_precondition = (
                norm.modality == "obligation"
                and not (idx.up(sc.action) & norm.actions)
                and idx.up(sc.action) & norm.precedes
            )
            conditions = self._own(norm.conditions)
            for cond in conditions:
                status, text = self.condition(sc, norm, cond, local_assumptions)
                kind = sorted(cond.kinds, key=str)[0] if cond.kinds else None
                conds.append(ConditionResult(norm.iri, kind, text, status))
            if as_precondition and not conditions:
                done = [sc.conditions[a] for a in norm.actions if a in sc.conditions]
                status = NOT_MET if NOT_MET in done else (MET if done and all(s == MET for s in done) else UNKNOWN)
                what = ", ".join(self.L(a) for a in sorted(norm.actions, key=str))
                if norm.counterparties:
                    what += t("with", lang, p=", ".join(self.L(c) for c in sorted(norm.counterparties, key=str)))
                conds.append(ConditionResult(norm.iri, None, t("perform_first", lang, a=what), status))
            statuses = [c.status for c in conds]
            if norm.modality == "prohibition":
                # A prohibition's conditions say when the ban applies (a ban has no lifting
                # condition; exceptions are permissions): all met -> standing, one not met ->
                # the ban does not reach this case, otherwise open.
                if NOT_MET in statuses:
                    trace.append(t("tr_ban_off", lang, n=_local(norm.iri)))
                    continue
                state = "standing" if all(s == MET for s in statuses) else "open"
                if state == "standing" and self._due_care(norm):
                    state = "careless"
                for c in conds:
                    if c.status == UNKNOWN:
                        c.text = t("not_case", lang, c=c.text)
            else:
                state = "failed" if NOT_MET in statuses else ("satisfied" if all(s == MET for s in statuses) else "open")
                if state == "failed" and self._due_care(norm):
                    state = "careless"  # a due-care requirement: careless, not unlawful
            for a in local_assumptions:
                if a not in assumptions:
                    assumptions.append(a)
            ref = self._ref(norm, state, conds)
            refs.append(ref)
            trace.append(t("tr_applies", lang, n=_local(norm.iri), m=t(norm.modality, lang), s=self.state_label(state)))
        return self._combine(sc, refs, assumptions, trace)

    def _ref(self, norm: Norm, state: str, conds: list) -> NormRef:
        idx = self.idx
        return NormRef(
            iri=str(norm.iri), modality=norm.modality, status=state,
            source=str(norm.source) if norm.source else None,
            source_label=source_label(idx, norm.source), quote=norm.quote,
            instrument=str(norm.instruments[0]) if norm.instruments else None,
            legal_effect=str(norm.legal_effect) if norm.legal_effect else None,
            conditions=conds, route=norm.route, cumulative=norm.modality != "permission",
            due_care=self._due_care(norm), has_legal_basis=bool(norm.legal_bases),
        )

    def state_label(self, state: str) -> str:
        return t("careless_state" if state == "careless" else state, self.lang)

    def _own(self, conditions: tuple) -> tuple:
        """The conditions to evaluate: in ``framework_only`` mode, not those sourced in an
        assessment of practice (a Praktijk passage)."""
        if not self.framework_only:
            return conditions
        return tuple(c for c in conditions if not is_practice_passage(c.source))

    def _due_care(self, norm: Norm) -> bool:
        return norm.due_care_framework if self.framework_only else norm.due_care

    def _combine(self, sc: Scenario, refs: list[NormRef], assumptions: list, trace: list) -> Verdict:
        binding = [r for r in refs if r.cumulative]
        # Permissions: per instrument (level) a gate; within it, alternative routes (legal bases).
        # A permission without a legal basis of its own, in an instrument whose other permissions
        # have one, restricts every such route (it is no alternative to them).
        levels: dict[str, dict[str, list[NormRef]]] = {}
        extra: dict[str, list[NormRef]] = {}
        for r in refs:
            if not r.cumulative:
                level = r.instrument or ""
                if not r.has_legal_basis:
                    extra.setdefault(level, []).append(r)
                else:
                    levels.setdefault(level, {}).setdefault(r.route, []).append(r)
        for level, rs in extra.items():
            if level in levels:
                for route in levels[level].values():
                    route.extend(rs)
                trace.append(t("tr_no_basis", self.lang, l=_local(level), k=len(rs)))
            else:
                for r in rs:
                    levels.setdefault(level, {}).setdefault(r.route, []).append(r)
        order = {"satisfied": 0, "open": 1, "careless": 2, "failed": 3}

        def state_of(members):
            return max((m.status for m in members), key=order.__getitem__, default="satisfied")

        def unknown(rs):
            return [c for r in rs for c in r.conditions if c.status == UNKNOWN]

        def unmet(rs):
            return [c for r in rs for c in r.conditions if c.status == NOT_MET]

        level_state, level_best = {}, {}
        for level, routes in sorted(levels.items()):
            states = {k: state_of(v) for k, v in routes.items()}
            for k, st in sorted(states.items()):
                trace.append(t("tr_route", self.lang, r=k, s=self.state_label(st), k=len(routes[k])))
            ranked = sorted(routes, key=lambda k: (order[states[k]], len(unknown(routes[k])), k))
            level_best[level] = routes[ranked[0]]
            level_state[level] = states[ranked[0]]
            if len(ranked) > 1 and states[ranked[0]] != "satisfied":
                trace.append(t("tr_alternatives", self.lang, l=_local(level), r=", ".join(ranked[1:])))
        standing = [r for r in binding if r.status == "standing"]
        failed_binding = [r for r in binding if r.status == "failed"]
        open_binding = [r for r in binding if r.status in ("open", "careless")]
        failed_levels = [lv for lv, st in level_state.items() if st == "failed"]
        open_levels = [lv for lv, st in level_state.items() if st in ("open", "careless")]
        open_conditions: list[ConditionResult] = []
        shortcomings: list[ConditionResult] = []
        if standing:
            verdict, deciding, rule = FORBIDDEN, standing, "R1"
        elif failed_binding or failed_levels:
            deciding = failed_binding + [r for lv in failed_levels for rs in levels[lv].values() for r in rs if r.status == "failed"]
            verdict, rule = FORBIDDEN, "R2"
            open_conditions = unmet(deciding)
        elif not refs:
            verdict, deciding, rule = NO_RULE, [], "R5"
        elif open_binding or open_levels:
            deciding = [r for lv in open_levels for r in level_best[lv]] + open_binding
            shortcomings = unmet([r for r in deciding if r.status == "careless"])
            open_conditions = shortcomings + unknown(deciding)
            verdict, rule = CONDITIONAL, ("R3c" if shortcomings else "R3")
        else:
            verdict, rule = PERMITTED, "R4"
            deciding = [r for lv in sorted(level_best) for r in level_best[lv]] + binding
        trace.append(t("tr_verdict", self.lang, v=t(verdict, self.lang), r=t(rule, self.lang)))
        label = t(verdict, self.lang)
        if shortcomings:
            label += f" ({t('careless', self.lang)})"
        return Verdict(
            scenario_id=sc.id, index=sc.index, file=sc.file, verdict=verdict,
            label=label, conditions=open_conditions, deciding=deciding,
            applicable=refs, assumptions=assumptions, trace=trace,
            date=sc.date.isoformat(), lang=self.lang, shortcomings=shortcomings,
        )


def today() -> dt.date:
    return dt.date.today()
