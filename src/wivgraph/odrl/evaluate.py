"""An ODRL 2.2 evaluator: a policy, a request and a state of the world in, CRM reports out.

Semantics (docs/odrl-evaluator.md): every premise of a rule — party, action (with its
refinements), target, each constraint — is Satisfied, Unsatisfied or Undetermined; a rule is
Active when all premises are Satisfied, Inactive when one is Unsatisfied, Undetermined otherwise
(Kleene's strong three-valued logic). A permission's conditions (odrl:duty) must not be
Violated; one whose state is unknown leaves the permission Undetermined. The state of the world
is asked through the :class:`World` protocol; :class:`RdfWorld` answers from an RDF graph.
"""

from __future__ import annotations

import operator as op
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node, URIRef

from wivgraph.namespaces import ODRL as _ODRL_NAMESPACE
from wivgraph.namespaces import REPORT as _REPORT_NAMESPACE
from wivgraph.namespaces import Terms
from wivgraph.odrl.model import Constraint, Policy, Request, Rule
from wivgraph.odrl.parse import SOTW
from wivgraph.odrl.report import UNDETERMINED, PolicyReport, PremiseReport, RuleReport, report_iri

ODRL, REPORT = Terms(_ODRL_NAMESPACE), Terms(_REPORT_NAMESPACE)  # terms built once
SATISFIED, UNSATISFIED = REPORT.Satisfied, REPORT.Unsatisfied
ACTIVE, INACTIVE = REPORT.Active, REPORT.Inactive
FULFILLED, VIOLATED, NONSET = REPORT.Fulfilled, REPORT.Violated, REPORT.NonSet
CURRENT_TIME = URIRef("http://example.com/request/currentTime")  # the test suite's temp:currentTime

# ODRL 2.2 Common Vocabulary: odrl:includedIn between actions (transitive). odrl:write and the
# other ODRL 2.1 actions are deprecated in 2.2 but still read as kinds of odrl:use.
_INCLUDED_IN = {
    **{a: "use" for a in (
        "acceptTracking", "aggregate", "annotate", "anonymize", "archive", "attribute",
        "compensate", "concurrentUse", "delete", "derive", "digitize", "display", "distribute",
        "ensureExclusivity", "execute", "extract", "grantUse", "include", "index", "inform",
        "install", "modify", "move", "nextPolicy", "obtainConsent", "present", "print", "read",
        "reproduce", "reviewPolicy", "stream", "synchronize", "textToSpeech", "transform",
        "translate", "uninstall", "watermark",
        "write", "writeTo", "append", "appendTo", "copy", "export", "pay", "preview",
        "secondaryUse")},
    "play": "display",
    "give": "transfer",
    "sell": "transfer",
}
ODRL_ACTION_PARENTS: dict[URIRef, URIRef] = {ODRL[k]: ODRL[v] for k, v in _INCLUDED_IN.items()}
KNOWN_ACTIONS = frozenset(ODRL_ACTION_PARENTS) | {ODRL.use, ODRL.transfer}


class World(Protocol):
    """The state of the world, as the evaluator sees it. ``None`` always means: not known."""

    def current_time(self) -> datetime | None: ...

    def operand_values(self, left_operand: URIRef, request_rule: Rule,
                       policy_rule: Rule) -> tuple | None:
        """Values of a leftOperand for this request; None = unknown, () = stated as none."""

    def party_matches(self, requested: Node | None, policy_party: Node) -> bool | None:
        """Same party, or a member (odrl:partOf) of the policy's PartyCollection.
        ``requested`` is None when the request names no party."""

    def asset_matches(self, requested: Node | None, policy_target: Node) -> bool | None:
        """Same asset, or odrl:partOf the policy's AssetCollection."""

    def action_matches(self, requested: Node, policy_action: Node) -> bool | None:
        """Same action or a narrower one (odrl:includedIn, skos:broader, transitively)."""

    def relation(self, operator: URIRef, left: Node, right: Node) -> bool | None:
        """isA / isPartOf / hasPart between IRIs; None if unknown."""

    def duty_state(self, duty: Rule, request_rule: Rule) -> URIRef | None:
        """report:Fulfilled / report:Violated / report:NonSet, or None = unknown."""


class RdfWorld:
    """The state of the world from an RDF graph in the ODRL-Test-Suite's layout.

    Reads ``temp:currentTime dct:issued`` (or a Formal Semantics request parameter describing
    sotw:CurrentXSDDateTime), odrl:partOf memberships, odrl:includedIn / skos:broader between
    actions, rdf:type / rdfs:subClassOf for isA, and earlier report:DutyReport nodes (or
    sotw:context nodes naming the condition) for the state of duties.

    ``closed=True`` (the suite's reading): what the graph does not state is false or absent.
    ``closed=False``: it is unknown, and premises that depend on it become Undetermined.
    """

    def __init__(self, graph: Graph, *, closed: bool = True) -> None:
        self.graph = graph
        self.closed = closed

    def _absent(self):
        """What a missing fact means: False / () in a closed world, None in an open one."""
        return False if self.closed else None

    def current_time(self) -> datetime | None:
        value = self.graph.value(CURRENT_TIME, DCTERMS.issued)
        if value is None:
            for param in self.graph.subjects(URIRef(SOTW + "describesFeature"),
                                             URIRef(SOTW + "CurrentXSDDateTime")):
                value = self.graph.value(param, URIRef(SOTW + "value"))
        moment = _as_datetime(value)
        return moment

    def operand_values(self, left_operand: URIRef, request_rule: Rule,
                       policy_rule: Rule) -> tuple | None:
        if left_operand == ODRL.dateTime:
            now = self.current_time()
            if now is not None:
                return (Literal(now, datatype=XSD.dateTime),)
            return () if self.closed else None
        values = list(self.graph.objects(request_rule.iri, left_operand))
        features = {left_operand} | {c.unit for c in _atomic(policy_rule)
                                     if c.left_operand == left_operand and c.unit is not None}
        for feature in features:
            for param in self.graph.subjects(URIRef(SOTW + "describesFeature"), feature):
                values.extend(self.graph.objects(param, URIRef(SOTW + "value")))
        if values:
            return tuple(values)
        return () if self.closed else None

    def _reaches(self, start: Node, goal: Node, step) -> bool:
        """``goal`` is ``start`` or reached from it by ``step`` (rdflib's transitive closure)."""
        return start == goal or any(node == goal for node in self.graph.transitiveClosure(step, start))

    def _part_of(self, member: Node, whole: Node) -> bool:
        graph = self.graph
        return self._reaches(member, whole, lambda node, _g: [
            *graph.objects(node, ODRL.partOf), *graph.objects(node, DCTERMS.isPartOf),
            *graph.subjects(DCTERMS.hasPart, node)])

    def _collection(self, node: Node) -> bool:
        """Whether ``node`` is (or may be) a collection: typed so, with members or a source."""
        graph = self.graph
        return ((node, RDF.type, ODRL.PartyCollection) in graph
                or (node, RDF.type, ODRL.AssetCollection) in graph
                or (None, ODRL.partOf, node) in graph or (node, ODRL.source, None) in graph
                or (node, ODRL.refinement, None) in graph)

    def _member(self, requested: Node | None, whole: Node) -> bool | None:
        if requested is None:
            return self._absent()
        if self._part_of(requested, whole):
            return True
        # two different plain IRIs name two parties (assets); a collection may have members
        # the graph does not list
        return self._absent() if self._collection(whole) else False

    def party_matches(self, requested: Node | None, policy_party: Node) -> bool | None:
        return self._member(requested, policy_party)

    def asset_matches(self, requested: Node | None, policy_target: Node) -> bool | None:
        return self._member(requested, policy_target)

    def action_matches(self, requested: Node, policy_action: Node) -> bool | None:
        graph = self.graph
        if self._reaches(requested, policy_action, lambda action, _g: [
                *graph.objects(action, ODRL.includedIn), *graph.objects(action, SKOS.broader),
                *([ODRL_ACTION_PARENTS[action]] if action in ODRL_ACTION_PARENTS else [])]):
            return True
        known = requested in KNOWN_ACTIONS or (requested, ODRL.includedIn, None) in self.graph
        return False if known else self._absent()

    def relation(self, operator: URIRef, left: Node, right: Node) -> bool | None:
        if operator == ODRL.isA:
            types = set(self.graph.objects(left, RDF.type))
            todo = list(types)
            while todo:
                cls = todo.pop()
                if cls == right:
                    return True
                for parent in self.graph.objects(cls, RDFS.subClassOf):
                    if parent not in types:
                        types.add(parent)
                        todo.append(parent)
            return True if left == right else self._absent()
        if operator == ODRL.isPartOf:
            return True if self._part_of(left, right) else self._absent()
        if operator == ODRL.hasPart:
            return True if self._part_of(right, left) else self._absent()
        return None

    def duty_state(self, duty: Rule, request_rule: Rule) -> URIRef | None:
        reports = []
        for report in self.graph.subjects(REPORT.rule, duty.iri):
            state = self.graph.value(report, REPORT.deonticState)
            if state is None:
                continue
            created = None
            for policy_report in self.graph.subjects(REPORT.ruleReport, report):
                created = _as_datetime(self.graph.value(policy_report, DCTERMS.created))
            reports.append((created or datetime.min.replace(tzinfo=UTC), str(report), state))
        if reports:
            return max(reports)[2]  # the latest report decides
        for prop in ("conditionId", "conditionID"):
            if (None, URIRef(SOTW + prop), duty.iri) in self.graph:
                return FULFILLED  # a performance recorded for this condition
        return NONSET if self.closed else None


def open_world(graph: Graph) -> RdfWorld:
    """The same world, read open: what the graph does not state is unknown, not false."""
    return RdfWorld(graph, closed=False)


# --- three-valued logic ------------------------------------------------------------------------

def truth(value: bool | None) -> URIRef:
    """True/False/None as Satisfied/Unsatisfied/Undetermined."""
    return UNDETERMINED if value is None else SATISFIED if value else UNSATISFIED


def k_and(states: Iterable[URIRef]) -> URIRef:
    """Kleene conjunction: any Unsatisfied wins, else any Undetermined, else Satisfied."""
    states = list(states)
    if UNSATISFIED in states:
        return UNSATISFIED
    return UNDETERMINED if UNDETERMINED in states else SATISFIED


def k_or(states: Iterable[URIRef]) -> URIRef:
    """Kleene disjunction: any Satisfied wins, else any Undetermined, else Unsatisfied."""
    states = list(states)
    if SATISFIED in states:
        return SATISFIED
    return UNDETERMINED if UNDETERMINED in states else UNSATISFIED


def k_not(state: URIRef) -> URIRef:
    """Kleene negation."""
    return {SATISFIED: UNSATISFIED, UNSATISFIED: SATISFIED}.get(state, UNDETERMINED)


def k_xone(states: Iterable[URIRef]) -> URIRef:
    """Exactly one: Unsatisfied once two hold; Undetermined while an unknown one could decide."""
    states = list(states)
    held = states.count(SATISFIED)
    if held > 1:
        return UNSATISFIED
    if UNDETERMINED not in states:
        return SATISFIED if held == 1 else UNSATISFIED
    return UNDETERMINED


LOGICAL = {ODRL["and"]: k_and, ODRL.andSequence: k_and, ODRL["or"]: k_or, ODRL.xone: k_xone}


def activation(state: URIRef) -> URIRef:
    """A satisfaction state as an activation state."""
    return {SATISFIED: ACTIVE, UNSATISFIED: INACTIVE}.get(state, UNDETERMINED)


# --- evaluation --------------------------------------------------------------------------------

def evaluate(policy: Policy, request: Request, world: World, created: datetime | None = None,
             *, conditions_must_be_fulfilled: bool = False,
             obligations_govern_acts: bool = False) -> PolicyReport:
    """The compliance report of ``policy`` for ``request`` in ``world``.

    Every policy rule is evaluated against every requested rule. A permission's condition
    (odrl:duty) only makes it Inactive when Violated (the ODRL-Test-Suite's reading);
    ``conditions_must_be_fulfilled=True`` demands Fulfilled instead (the Formal Semantics
    draft's reading, where a Not-set condition leaves the permission Inactive).

    ``obligations_govern_acts=True`` asks, for an obligation, whether it governs the requested act
    (wivgraph's checker: "must this act meet that duty?"): its action and target become premises
    as for the other rules, and its own ``odrl:duty`` preconditions are evaluated as conditions.
    By default an obligation is matched on its assignee only, as the test suite expects.
    """
    if created is None:
        created = world.current_time() or datetime.now(UTC)
    report = PolicyReport(report_iri("policy-report", policy.iri, request.iri), policy.iri,
                          request.iri, created)
    for request_rule in request.rules:
        for rule in policy.rules:
            report.rule_reports.append(_evaluate_rule(
                rule, request_rule, world, (policy.iri, request.iri), conditions_must_be_fulfilled,
                obligations_govern_acts))
    return report


def evaluate_all(policies: Iterable[Policy], requests: Iterable[Request], world: World,
                 created: datetime | None = None, **options) -> list[PolicyReport]:
    """One report per (policy, request) pair."""
    requests = list(requests)
    return [evaluate(p, r, world, created, **options) for p in policies for r in requests]


def _evaluate_rule(rule: Rule, request_rule: Rule, world: World, scope: tuple,
                   strict_conditions: bool, obligations_govern: bool = False) -> RuleReport:
    scope = (*scope, rule.iri, request_rule.iri)
    premises: list[PremiseReport] = []
    matched = rule.kind != "obligation" or obligations_govern
    if matched and rule.assignees:
        premises.append(_match_premise("party", rule.assignees, request_rule.assignees,
                                       world.party_matches, scope))
    if matched and rule.actions:
        action = _match_premise("action", rule.actions, request_rule.actions,
                                world.action_matches, scope)
        if rule.action_refinements:
            refined = [_constraint_premise(c, request_rule, rule, world, scope)
                       for c in rule.action_refinements]
            action.satisfaction = k_and([action.satisfaction] + [r.satisfaction for r in refined])
            premises.append(action)
            premises.extend(refined)
        else:
            premises.append(action)
    if matched and rule.targets:
        premises.append(_match_premise("target", rule.targets, request_rule.targets,
                                       world.asset_matches, scope))
    if not matched and rule.assignees:
        premises.append(_match_premise("party", rule.assignees, request_rule.assignees,
                                       world.party_matches, scope))
    premises.extend(_constraint_premise(c, request_rule, rule, world, scope) for c in rule.constraints)
    state = k_and(p.satisfaction for p in premises)
    report = RuleReport(report_iri("rule-report", *scope), rule.kind, rule, request_rule.iri,
                        None, REPORT.Attempted)
    report.premises = premises
    if rule.kind == "permission" or (rule.kind == "obligation" and obligations_govern):
        for duty in rule.duties:
            condition, holds = _evaluate_condition(duty, request_rule, world, scope, strict_conditions)
            report.conditions.append(condition)
            state = k_and([state, holds])
    report.activation = activation(state)
    if rule.kind == "prohibition":
        # a request is not a performance: the CRM's prohibition example reports Unknown / NonSet
        report.performance, report.deontic = REPORT.Unknown, NONSET
    elif rule.kind == "obligation":
        report.deontic = world.duty_state(rule, request_rule)
        report.performance = _performance(report.deontic)
    return report


def _performance(deontic: URIRef | None) -> URIRef:
    return {FULFILLED: REPORT.Performed, VIOLATED: REPORT.Unperformed}.get(deontic, REPORT.Unknown)


def _evaluate_condition(duty: Rule, request_rule: Rule, world: World, scope: tuple,
                        strict: bool) -> tuple[RuleReport, URIRef]:
    """A condition's report, and whether it lets the permission be active (three-valued)."""
    scope = (*scope, "condition", duty.iri)
    premises = [_constraint_premise(c, request_rule, duty, world, scope) for c in duty.constraints]
    applies = k_and(p.satisfaction for p in premises)
    deontic = world.duty_state(duty, request_rule)
    if deontic == VIOLATED:
        kept = UNSATISFIED
    elif deontic == FULFILLED:
        kept = SATISFIED
    elif deontic is None:
        kept = UNDETERMINED
    else:
        kept = UNSATISFIED if strict else SATISFIED
    holds = k_or([k_not(applies), kept])
    report = RuleReport(report_iri("condition-report", *scope), "duty", duty, request_rule.iri,
                        activation(applies), None, _performance(deontic), deontic, premises)
    return report, holds


def _match_premise(kind: str, policy_values: tuple, requested: tuple, match, scope: tuple) -> PremiseReport:
    """Party, action or target: one requested value matches one of the policy's (Kleene or);
    every requested value must be covered (Kleene and)."""
    per_request = [k_or(truth(match(r, p)) for p in policy_values) for r in requested or (None,)]
    if kind == "action" and not requested:
        per_request = [UNSATISFIED]
    return PremiseReport(report_iri("premise", *scope, kind), kind, k_and(per_request))


def _constraint_premise(constraint: Constraint, request_rule: Rule, rule: Rule, world: World,
                        scope: tuple) -> PremiseReport:
    iri = report_iri("constraint", *scope, constraint.iri)
    if constraint.is_logical:
        operands = [_constraint_premise(c, request_rule, rule, world, scope)
                    for c in constraint.operands]
        state = LOGICAL[constraint.logical](o.satisfaction for o in operands)
        return PremiseReport(iri, "constraint", state, constraint, operands)
    values = world.operand_values(constraint.left_operand, request_rule, rule)
    if values is None or not constraint.right_operand:
        state = UNDETERMINED
    else:
        state = _compare(constraint.operator, tuple(values), constraint.right_operand, world)
    return PremiseReport(iri, "constraint", state, constraint, left_values=values)


#: each operator's kind of comparison (one dict look-up instead of a chain of term comparisons)
_OPERATOR_KIND = {
    ODRL.eq: "some-equal", ODRL.isAnyOf: "some-equal",
    ODRL.neq: "none-equal", ODRL.isNoneOf: "none-equal",
    ODRL.lt: "ordered", ODRL.lteq: "ordered", ODRL.gt: "ordered", ODRL.gteq: "ordered",
    ODRL.isA: "class", ODRL.isPartOf: "part", ODRL.hasPart: "part",
    ODRL.isAllOf: "all-equal",
}


def _compare(operator: URIRef, left: tuple, right: tuple, world: World) -> URIRef:
    """An atomic constraint on known left values."""
    kind = _OPERATOR_KIND.get(operator)
    if kind == "some-equal":
        return truth(any(_equal(a, b) for a in left for b in right))
    if kind == "none-equal":
        return truth(not any(_equal(a, b) for a in left for b in right))
    if kind == "ordered":
        return truth(any(_ordered(operator, a, b) for a in left for b in right))
    if kind == "class":  # an individual is not a class of itself: always the world's relation
        return k_or(truth(world.relation(operator, a, b)) for a in left for b in right)
    if kind == "part":
        return k_or(truth(True if _equal(a, b) else world.relation(operator, a, b))
                    for a in left for b in right)
    if kind == "all-equal":
        return truth(all(any(_equal(a, b) for a in left) for b in right))
    return UNDETERMINED


def _atomic(rule: Rule) -> Iterable[Constraint]:
    todo = list(rule.constraints) + list(rule.action_refinements)
    while todo:
        c = todo.pop()
        if c.is_logical:
            todo.extend(c.operands)
        else:
            yield c


def _as_datetime(value) -> datetime | None:
    if not isinstance(value, Literal):
        return None
    python = value.toPython()
    if isinstance(python, datetime):
        return python if python.tzinfo else python.replace(tzinfo=UTC)
    if isinstance(python, date):
        return datetime.combine(python, time(), tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@lru_cache(maxsize=65536)
def _comparable(node: Node):
    """A literal as a Python value that orders (numbers, moments, strings); IRIs as themselves."""
    if not isinstance(node, Literal):
        return node
    moment = _as_datetime(node) if node.datatype in (XSD.dateTime, XSD.date, XSD.dateTimeStamp) else None
    if moment is not None:
        return moment
    python = node.toPython()
    if isinstance(python, bool):
        return python
    if isinstance(python, int | float | Decimal):
        return Decimal(str(python))
    return str(node) if isinstance(python, Literal) else python


def _equal(a: Node, b: Node) -> bool:
    x, y = _comparable(a), _comparable(b)
    try:
        return x == y and type(x) is type(y)
    except TypeError:
        return False


def _ordered(operator: URIRef, a: Node, b: Node) -> bool:
    x, y = _comparable(a), _comparable(b)
    if isinstance(x, URIRef) or isinstance(y, URIRef) or type(x) is not type(y):
        return False
    try:
        return _ORDER[operator](x, y)
    except TypeError:
        return False


_ORDER = {ODRL.lt: op.lt, ODRL.lteq: op.le, ODRL.gt: op.gt, ODRL.gteq: op.ge}
