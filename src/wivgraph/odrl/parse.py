"""ODRL 2.2 policies and requests from an RDF graph into the ``odrl.model`` dataclasses.

Follows the ODRL Information Model 2.2: rules (§2.6), constraints and logical constraints (§2.5),
refinements of actions (§2.4), and policy-level properties that every rule inherits (§2.7.1:
assigner, assignee, target and action stated on the policy). A malformed policy raises
:class:`OdrlInputError` naming the node and the field.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import BNode, Literal, Node, URIRef

from wivgraph.errors import WivgraphError
from wivgraph.namespaces import ODRL
from wivgraph.odrl.model import Constraint, Policy, Request, Rule

SOTW = "https://w3id.org/force/sotw#"

POLICY_TYPES = tuple(ODRL[t] for t in (
    "Policy", "Set", "Offer", "Agreement", "Assertion", "Privacy", "Ticket"))
RULE_PROPERTIES = {ODRL.permission: "permission", ODRL.prohibition: "prohibition",
                   ODRL.obligation: "obligation"}
LOGICAL_OPERATORS = (ODRL["and"], ODRL["or"], ODRL.xone, ODRL.andSequence)
OPERATORS = frozenset(ODRL[o] for o in (
    "eq", "neq", "gt", "gteq", "lt", "lteq",
    "isA", "hasPart", "isPartOf", "isAllOf", "isAnyOf", "isNoneOf"))
INHERITED = (ODRL.assigner, ODRL.assignee, ODRL.target, ODRL.action)


class OdrlInputError(WivgraphError):
    """A malformed ODRL policy or request: the message names the node and the field."""


def name(node: Node) -> str:
    """A node as the user wrote it: <iri> or _:b0, literals in quotes."""
    if isinstance(node, URIRef):
        text = str(node)
        if text.startswith(str(ODRL)):
            return "odrl:" + text[len(str(ODRL)):]
        return f"<{text}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return repr(str(node))


def parse_policies(graph: Graph, *, strict: bool = True) -> list[Policy]:
    """Every policy in ``graph`` (odrl:Policy and its subclasses, odrl:Request excluded).

    ``strict`` (default) refuses a rule without an action, as ODRL IM §2.6 requires one; with
    ``strict=False`` such a rule matches any action (the ODRL-Test-Suite's "everything" rules).
    """
    nodes: set[Node] = set()
    for kind in POLICY_TYPES:
        nodes.update(graph.subjects(RDF.type, kind))
    for prop in RULE_PROPERTIES:
        for subject in graph.subjects(prop, None):
            if (subject, RDF.type, ODRL.Request) not in graph and not _is_rule(graph, subject):
                nodes.add(subject)
    return [_policy(graph, node, strict) for node in sorted(nodes, key=str)]


def parse_requests(graph: Graph) -> list[Request]:
    """Every request in ``graph``: odrl:Request nodes, and evaluation requests of the ODRL
    Formal Semantics draft (sotw:EvaluationRequest with evaluatedAction/Party/Target), read as a
    request with one permission."""
    requests = []
    for node in sorted(set(graph.subjects(RDF.type, ODRL.Request)), key=str):
        rules = []
        for prop, kind in RULE_PROPERTIES.items():
            for rule_node in sorted(graph.objects(node, prop), key=str):
                rules.append(_rule(graph, rule_node, kind, {}, strict=False, seen=frozenset()))
        if not rules:
            raise OdrlInputError(f"request {name(node)}: no odrl:permission (expected the requested rule)")
        requests.append(Request(node, tuple(rules)))
    evaluation = URIRef(SOTW + "EvaluationRequest")
    for node in sorted(set(graph.subjects(RDF.type, evaluation)), key=str):
        rule = Rule(
            iri=node, kind="permission",
            assignees=_values(graph, node, URIRef(SOTW + "evaluatedParty")),
            assigners=(),
            actions=_values(graph, node, URIRef(SOTW + "evaluatedAction")),
            targets=_values(graph, node, URIRef(SOTW + "evaluatedTarget")),
            constraints=(),
        )
        if not rule.actions:
            raise OdrlInputError(f"evaluation request {name(node)}: sotw:evaluatedAction missing")
        requests.append(Request(node, (rule,)))
    return requests


def _is_rule(graph: Graph, node: Node) -> bool:
    return any((None, prop, node) in graph for prop in RULE_PROPERTIES)


def _values(graph: Graph, node: Node, prop: URIRef) -> tuple:
    """All objects of ``prop``, rdf lists expanded, in a stable order."""
    out: list[Node] = []
    for value in graph.objects(node, prop):
        if isinstance(value, BNode) and (value, RDF.first, None) in graph:
            out.extend(Collection(graph, value))
        elif value != RDF.nil:
            out.append(value)
    if len(out) > 1 and not any(isinstance(v, Literal) for v in out):
        out.sort(key=str)
    return tuple(out)


def _policy(graph: Graph, node: Node, strict: bool) -> Policy:
    types = sorted((t for t in graph.objects(node, RDF.type) if t in POLICY_TYPES), key=str)
    policy_type = next((t for t in types if t != ODRL.Policy), types[0] if types else None)
    inherited = {prop: _values(graph, node, prop) for prop in INHERITED}
    rules = []
    for prop, kind in RULE_PROPERTIES.items():
        for rule_node in sorted(graph.objects(node, prop), key=str):
            rules.append(_rule(graph, rule_node, kind, inherited, strict, frozenset(), policy=node))
    return Policy(node, policy_type, tuple(rules), _values(graph, node, ODRL.profile))


def _rule(graph: Graph, node: Node, kind: str, inherited: dict, strict: bool,
          seen: frozenset, policy: Node | None = None) -> Rule:
    where = (f"policy {name(policy)}: " if policy is not None else "") + f"{kind} {name(node)}"
    if node in seen:
        raise OdrlInputError(f"{where}: refers to itself through duties (a cycle)")
    seen = seen | {node}

    def own(prop: URIRef) -> tuple:
        return _values(graph, node, prop) or inherited.get(prop, ())

    actions, refinements = [], []
    for action in own(ODRL.action):
        value = graph.value(action, RDF.value) if isinstance(action, BNode | URIRef) else None
        if isinstance(action, Literal):
            raise OdrlInputError(f"{where}: odrl:action {name(action)} is a literal (expected an IRI)")
        actions.append(value if value is not None else action)
        for refinement in _values(graph, action, ODRL.refinement):
            refinements.append(_constraint(graph, refinement, where))
    if not actions and strict:
        raise OdrlInputError(f"{where}: odrl:action missing (ODRL IM §2.6: a rule has one action)")

    def nested(prop: URIRef, nested_kind: str) -> tuple[Rule, ...]:
        return tuple(_rule(graph, n, nested_kind, {}, strict, seen, policy)
                     for n in _values(graph, node, prop))

    return Rule(
        iri=node,
        kind=kind,
        assignees=own(ODRL.assignee),
        assigners=own(ODRL.assigner),
        actions=tuple(actions),
        targets=own(ODRL.target),
        constraints=tuple(_constraint(graph, c, where) for c in _values(graph, node, ODRL.constraint)),
        duties=nested(ODRL.duty, "duty"),
        consequences=nested(ODRL.consequence, "duty"),
        remedies=nested(ODRL.remedy, "duty"),
        consenting_parties=_values(graph, node, ODRL.consentingParty),
        action_refinements=tuple(refinements),
    )


def _constraint(graph: Graph, node: Node, where: str, depth: int = 0) -> Constraint:
    here = f"{where}: constraint {name(node)}"
    if depth > 32:
        raise OdrlInputError(f"{here}: logical constraints nested too deeply (a cycle?)")
    logical = [op for op in LOGICAL_OPERATORS if (node, op, None) in graph]
    if len(logical) > 1:
        raise OdrlInputError(f"{here}: more than one logical operator ({', '.join(map(name, logical))})")
    if logical:
        members = _values(graph, node, logical[0])
        if not members:
            raise OdrlInputError(f"{here}: {name(logical[0])} without constraints")
        operands = tuple(_constraint(graph, m, where, depth + 1) for m in members)
        if logical[0] != ODRL.andSequence:
            operands = tuple(sorted(operands, key=lambda c: str(c.iri)))
        return Constraint(node, None, None, (), logical=logical[0], operands=operands)
    left = graph.value(node, ODRL.leftOperand)
    if left is None:
        raise OdrlInputError(f"{here}: odrl:leftOperand missing")
    operator = graph.value(node, ODRL.operator)
    if operator is None:
        raise OdrlInputError(f"{here}: odrl:operator missing")
    if operator not in OPERATORS:
        raise OdrlInputError(f"{here}: odrl:operator {name(operator)} is not an ODRL operator "
                             "(expected eq, neq, gt, gteq, lt, lteq, isA, hasPart, isPartOf, "
                             "isAllOf, isAnyOf or isNoneOf)")
    right = _values(graph, node, ODRL.rightOperand)
    reference = _values(graph, node, ODRL.rightOperandReference)
    if not right and not reference:
        raise OdrlInputError(f"{here}: odrl:rightOperand missing")
    return Constraint(
        node, left, operator, right,
        data_type=graph.value(node, ODRL.dataType),
        unit=graph.value(node, ODRL.unit),
        right_operand_reference=reference,
    )
