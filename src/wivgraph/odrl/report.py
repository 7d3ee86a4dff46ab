"""Compliance reports in the FORCE Compliance Report Model (CRM), to and from RDF.

Namespace https://w3id.org/force/compliance-report# (``report:``). The graph is written the way
the ODRL-Test-Suite's expected reports are: a report:PolicyReport with report:ruleReport nodes
(report:PermissionReport, report:ProhibitionReport, report:DutyReport), each with its
report:premiseReport nodes (report:PartyReport, report:ActionReport, report:TargetReport,
report:ConstraintReport) and, for a permission, its report:conditionReport nodes. The CRM has no
class for obligations: an obligation is reported as a report:DutyReport, like every duty.
wivgraph's third state for facts that are not stated is ``wiv:Undetermined``
(ontology/odrl-report-profile.ttl).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node, URIRef

from wivgraph.namespaces import ODRL, REPORT, WIV
from wivgraph.odrl.model import Constraint, Rule

UNDETERMINED = WIV.Undetermined

RULE_REPORT_CLASS = {
    "permission": REPORT.PermissionReport,
    "prohibition": REPORT.ProhibitionReport,
    "obligation": REPORT.DutyReport,
    "duty": REPORT.DutyReport,
}
PREMISE_REPORT_CLASS = {
    "party": REPORT.PartyReport,
    "action": REPORT.ActionReport,
    "target": REPORT.TargetReport,
    "constraint": REPORT.ConstraintReport,
}
KIND_OF_RULE_CLASS = {REPORT.PermissionReport: "permission", REPORT.ProhibitionReport: "prohibition",
                      REPORT.DutyReport: "duty"}
KIND_OF_PREMISE_CLASS = {v: k for k, v in PREMISE_REPORT_CLASS.items()}


@dataclass
class PremiseReport:
    """Whether one premise of a rule holds: party, action, target or a constraint."""

    iri: Node
    kind: str
    satisfaction: URIRef
    constraint: Constraint | Node | None = None
    operands: list[PremiseReport] = field(default_factory=list)
    left_values: tuple | None = None


@dataclass
class RuleReport:
    """The states of one policy rule for one requested rule (CRM report:RuleReport)."""

    iri: Node
    kind: str
    rule: Rule | Node
    rule_request: Node | None
    activation: URIRef | None
    attempt: URIRef | None
    performance: URIRef | None = None
    deontic: URIRef | None = None
    premises: list[PremiseReport] = field(default_factory=list)
    conditions: list[RuleReport] = field(default_factory=list)

    @property
    def rule_iri(self) -> Node:
        """The IRI (or blank node) of the rule this report is about."""
        return self.rule.iri if isinstance(self.rule, Rule) else self.rule


@dataclass
class PolicyReport:
    """The report of one policy evaluated for one request (CRM report:PolicyReport)."""

    iri: Node
    policy: Node
    request: Node | None
    created: datetime | None
    rule_reports: list[RuleReport] = field(default_factory=list)


@lru_cache(maxsize=262144)
def report_iri(*parts: object) -> URIRef:
    """A reproducible ``urn:uuid`` (uuid5) for a report node, from what it is about (cached: a
    batch of checks asks about the same rules and requests again and again)."""
    key = "\x1f".join(str(p) for p in parts)
    return URIRef(uuid.uuid5(uuid.NAMESPACE_URL, "wivgraph-odrl-report:" + key).urn)


def to_graph(reports: PolicyReport | list[PolicyReport]) -> Graph:
    """The reports as CRM triples."""
    graph = Graph()
    graph.bind("report", REPORT)
    graph.bind("odrl", ODRL)
    graph.bind("dct", DCTERMS)
    graph.bind("wiv", WIV)
    for report in [reports] if isinstance(reports, PolicyReport) else reports:
        node = report.iri
        graph.add((node, RDF.type, REPORT.PolicyReport))
        graph.add((node, REPORT.policy, report.policy))
        if report.request is not None:
            graph.add((node, REPORT.policyRequest, report.request))
        if report.created is not None:
            graph.add((node, DCTERMS.created, Literal(report.created, datatype=XSD.dateTime)))
        for rule_report in report.rule_reports:
            graph.add((node, REPORT.ruleReport, rule_report.iri))
            _add_rule_report(graph, rule_report)
    return graph


def _add_rule_report(graph: Graph, report: RuleReport) -> None:
    node = report.iri
    graph.add((node, RDF.type, RULE_REPORT_CLASS[report.kind]))
    graph.add((node, REPORT.rule, report.rule_iri))
    if report.rule_request is not None:
        graph.add((node, REPORT.ruleRequest, report.rule_request))
    for prop, value in ((REPORT.activationState, report.activation),
                        (REPORT.attemptState, report.attempt),
                        (REPORT.performanceState, report.performance),
                        (REPORT.deonticState, report.deontic)):
        if value is not None:
            graph.add((node, prop, value))
    for premise in report.premises:
        graph.add((node, REPORT.premiseReport, premise.iri))
        _add_premise(graph, premise)
    for condition in report.conditions:
        graph.add((node, REPORT.conditionReport, condition.iri))
        _add_rule_report(graph, condition)


def _add_premise(graph: Graph, premise: PremiseReport) -> None:
    node = premise.iri
    graph.add((node, RDF.type, PREMISE_REPORT_CLASS[premise.kind]))
    graph.add((node, REPORT.satisfactionState, premise.satisfaction))
    constraint = premise.constraint
    if isinstance(constraint, Constraint):
        graph.add((node, REPORT.constraint, constraint.iri))
        if constraint.is_logical:
            graph.add((node, REPORT.constraintLogicalOperand, constraint.logical))
        else:
            graph.add((node, REPORT.constraintOperator, constraint.operator))
            for value in constraint.right_operand:
                graph.add((node, REPORT.constraintRightOperand, value))
            for value in premise.left_values or ():
                graph.add((node, REPORT.constraintLeftOperand, value))
    elif constraint is not None:
        graph.add((node, REPORT.constraint, constraint))
    for operand in premise.operands:
        graph.add((node, REPORT.premiseReport, operand.iri))
        _add_premise(graph, operand)


def parse_reports(graph: Graph) -> list[PolicyReport]:
    """Every report:PolicyReport in ``graph`` (e.g. an expected report of the test suite).

    Rules, constraints and requests are kept as their IRIs; premises and conditions are read
    where the report links them.
    """
    out = []
    for node in sorted(set(graph.subjects(RDF.type, REPORT.PolicyReport)), key=str):
        created = graph.value(node, DCTERMS.created)
        report = PolicyReport(
            iri=node,
            policy=graph.value(node, REPORT.policy),
            request=graph.value(node, REPORT.policyRequest),
            created=created.toPython() if isinstance(created, Literal) else None,
        )
        for rule_node in sorted(graph.objects(node, REPORT.ruleReport), key=str):
            report.rule_reports.append(_read_rule_report(graph, rule_node, set()))
        out.append(report)
    return out


def _read_rule_report(graph: Graph, node: Node, seen: set) -> RuleReport:
    seen.add(node)
    kinds = [KIND_OF_RULE_CLASS[t] for t in graph.objects(node, RDF.type) if t in KIND_OF_RULE_CLASS]
    report = RuleReport(
        iri=node,
        kind=kinds[0] if kinds else "duty",
        rule=graph.value(node, REPORT.rule),
        rule_request=graph.value(node, REPORT.ruleRequest),
        activation=graph.value(node, REPORT.activationState),
        attempt=graph.value(node, REPORT.attemptState),
        performance=graph.value(node, REPORT.performanceState),
        deontic=graph.value(node, REPORT.deonticState),
    )
    report.premises = [_read_premise(graph, p, set()) for p in sorted(
        graph.objects(node, REPORT.premiseReport), key=str)]
    report.conditions = [_read_rule_report(graph, c, seen) for c in sorted(
        graph.objects(node, REPORT.conditionReport), key=str) if c not in seen]
    return report


def _read_premise(graph: Graph, node: Node, seen: set) -> PremiseReport:
    seen.add(node)
    kinds = [KIND_OF_PREMISE_CLASS[t] for t in graph.objects(node, RDF.type)
             if t in KIND_OF_PREMISE_CLASS]
    return PremiseReport(
        iri=node,
        kind=kinds[0] if kinds else "constraint",
        satisfaction=graph.value(node, REPORT.satisfactionState),
        constraint=graph.value(node, REPORT.constraint),
        operands=[_read_premise(graph, o, seen) for o in sorted(
            graph.objects(node, REPORT.premiseReport), key=str) if o not in seen],
        left_values=tuple(graph.objects(node, REPORT.constraintLeftOperand)) or None,
    )
