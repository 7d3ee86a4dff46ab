"""A generic ODRL 2.2 evaluator producing FORCE compliance reports (docs/odrl-evaluator.md)."""

from wivgraph.odrl.evaluate import RdfWorld, World, evaluate, evaluate_all, open_world
from wivgraph.odrl.model import Constraint, Policy, Request, Rule
from wivgraph.odrl.parse import OdrlInputError, parse_policies, parse_requests
from wivgraph.odrl.report import PolicyReport, PremiseReport, RuleReport, parse_reports, to_graph

__all__ = [
    "Constraint", "OdrlInputError", "Policy", "PolicyReport", "PremiseReport", "RdfWorld",
    "Request", "Rule", "RuleReport", "World", "evaluate", "evaluate_all", "open_world",
    "parse_policies", "parse_reports", "parse_requests", "to_graph",
]
