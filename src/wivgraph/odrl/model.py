"""The ODRL 2.2 policy model the evaluator works on: frozen dataclasses, parsed by ``odrl.parse``.

Terms follow the ODRL Information Model 2.2 (https://www.w3.org/TR/odrl-model/): a Policy holds
Rules (§2.6); a Rule names parties, actions and assets and may be constrained (§2.5); a
Permission's duties are its conditions, a Prohibition's remedies, a Duty's consequences (§2.6).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.term import Node, URIRef

RULE_KINDS = ("permission", "prohibition", "obligation", "duty")


@dataclass(frozen=True)
class Constraint:
    """An atomic constraint (``left_operand operator right_operand``) or a logical one.

    A logical constraint (``logical`` is odrl:and, odrl:or, odrl:xone or odrl:andSequence) holds
    its member constraints in ``operands``; its operand fields are then unused.
    """

    iri: Node
    left_operand: URIRef | None
    operator: URIRef | None
    right_operand: tuple
    logical: URIRef | None = None
    operands: tuple[Constraint, ...] = ()
    data_type: URIRef | None = None
    unit: Node | None = None
    right_operand_reference: tuple = ()

    @property
    def is_logical(self) -> bool:
        """True for odrl:and / or / xone / andSequence constraints."""
        return self.logical is not None


@dataclass(frozen=True)
class Rule:
    """A permission, prohibition, obligation or duty (``kind``), as stated or inherited."""

    iri: Node
    kind: str
    assignees: tuple
    assigners: tuple
    actions: tuple
    targets: tuple
    constraints: tuple[Constraint, ...]
    duties: tuple[Rule, ...] = ()
    consequences: tuple[Rule, ...] = ()
    remedies: tuple[Rule, ...] = ()
    consenting_parties: tuple = ()
    action_refinements: tuple[Constraint, ...] = ()


@dataclass(frozen=True)
class Policy:
    """An ODRL policy: its IRI (odrl:uid or the node), its type (odrl:Set, …) and its rules."""

    iri: Node
    policy_type: URIRef | None
    rules: tuple[Rule, ...]
    profiles: tuple = ()


@dataclass(frozen=True)
class Request:
    """What is asked: the requested rule(s), e.g. an odrl:Request with odrl:permission nodes."""

    iri: Node
    rules: tuple[Rule, ...]
