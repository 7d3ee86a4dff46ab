"""A scenario as ODRL's state of the world, three-valued: every fact is true, false or unknown.

The evaluator asks; this answers from what the scenario states and from the vocabularies'
hierarchies in the graph (skos:broader*, organisation units, legal hosts, ministers). A fact the
scenario does not state is ``None`` (unknown), never a default. Every question asked is
recorded, so the report can say which stated facts were used and which unknowns were met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from wivgraph.check.index import NormIndex
from wivgraph.check.resolve import FACT_CONDITIONS, FIELD_SCHEMES, MET, NOT_MET, UNKNOWN, Scenario
from wivgraph.namespaces import CONCEPT, DATACAT, ORG, ROLE, SCOPE, Terms
from wivgraph.namespaces import ODRL as _ODRL_NAMESPACE
from wivgraph.namespaces import REPORT as _REPORT_NAMESPACE
from wivgraph.namespaces import WIV as _WIV_NAMESPACE

KIND_CONSENT = CONCEPT["condition-consent"]
ODRL, REPORT, WIV = Terms(_ODRL_NAMESPACE), Terms(_REPORT_NAMESPACE), Terms(_WIV_NAMESPACE)
ROLE_ORIGIN = ROLE["originating-party"]
ROLE_PROVIDING = ROLE["providing-service"]
ROLE_MINISTER = ROLE["minister-concerned"]
ROLE_PARTY = ROLE["convenant-party"]
ROLE_ACTING = ROLE["acting-party"]
ROLE_HOLDER = ROLE["data-holder"]
ROLE_HEADS = ROLE["heads-of-service"]
ROLE_RECEIVING = ROLE["receiving-service"]
SCOPE_OTHER_PARTIES = SCOPE["other-parties"]
SCOPE_THIRD_PARTIES = SCOPE["third-parties"]
SCOPE_ROOTS = frozenset({SCOPE["domestic-party"], SCOPE["external"], SCOPE["same-service-other-unit"]})
FOREIGN_SCOPES = frozenset({SCOPE["foreign-service"], SCOPE["foreign-investigative-service"]})
ORG_FORMAL = ORG.FormalOrganization
KIND_AGREEMENT = CONCEPT["condition-agreement-of-parties"]
FOREIGN_ROLES = frozenset({ROLE["foreign-service"], ROLE["receiving-foreign-service"]})
#: a party the scenario names but the graph does not know: it is none of the graph's parties
UNNAMED = BNode("unnamed-party")
#: "decided at another level than X" (a case's wiv:notDecidedBy): not X, otherwise unknown
OTHER_DECIDER = BNode("other-decider")


@dataclass(frozen=True)
class Lookup:
    """One fact the evaluator asked for: its name, the value read (None = unknown) and why."""

    fact: str  # actor, recipient, recipient-scope, place, data-source, decided-by, date, ...
    value: object  # the node or literal read, or None
    key: object = None  # condition kind, scheme or party the lookup was about


@dataclass
class RuleContext:
    """What a lookup may depend on besides the scenario: the rule being evaluated."""

    instruments: tuple = ()
    contexts: tuple = ()


@dataclass
class ScenarioWorld:
    """The evaluator's :class:`wivgraph.odrl.evaluate.World` for one scenario."""

    idx: NormIndex
    sc: Scenario
    rule: RuleContext = field(default_factory=RuleContext)
    log: list[Lookup] = field(default_factory=list)

    # ------------------------------------------------------------------ hierarchies
    def acting_for(self, party) -> frozenset:
        """The party, the units and hosts it belongs to, and the minister it falls under."""
        return self.idx.org_ancestors(party) | self.idx.under_minister.get(party, frozenset())

    def concept_up(self, node) -> frozenset:
        up = set(self.idx.up(node))
        for u in list(up):
            up |= self.idx.equivalent.get(u, frozenset())
        return frozenset(up)

    def _parties_of_rule(self) -> frozenset:
        pool = set()
        for inst in self.rule.instruments:
            pool |= self.idx.parties_of.get(inst, frozenset())
        for ctx in self.rule.contexts:
            pool |= self.idx.members_of.get(ctx, frozenset())
        return frozenset(pool)

    def is_party_side(self, party) -> bool:
        """``party`` is (or acts for) a party to the rule's instrument or a member of its cell."""
        pool = self._parties_of_rule()
        if self.acting_for(party) & pool:
            return True
        return any(party in self.idx.org_ancestors(p) for p in pool)

    def _record(self, fact: str, value, key=None):
        self.log.append(Lookup(fact, value, key))
        return value

    # ------------------------------------------------------------------ World protocol
    def current_time(self) -> dt.datetime | None:
        d = self.sc.date
        if d is None:  # a question about no particular day (ask onward)
            return None
        return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)

    def party_matches(self, requested, policy_party) -> bool | None:
        """The actor is the rule's assignee: the party itself, a unit or host of it, or a role the
        scenario fills (party to the instrument; the party the data came from)."""
        sc = self.sc
        if policy_party in self.acting_for(requested):
            return True
        up = self.idx.up(policy_party)
        if any(policy_party in self.idx.roles_held.get(a, ()) for a in self.acting_for(requested)):
            return True  # the party or cell acts in this role (wiv:holdsRole)
        if ROLE_PARTY in up:
            return self.is_party_side(requested)
        if ROLE_HOLDER in up:
            return True  # a passive norm binds whoever holds the data; acting on them is holding them
        if ROLE_HEADS in up:
            return self.heads_service(requested)
        if ROLE_MINISTER in up:
            return self._is_minister(requested)
        if up & FOREIGN_ROLES:
            return False  # a scenario's actor is one of the graph's (Dutch) organisations or cells
        if ROLE_RECEIVING in up:
            # the service that received the data: it acts on data that came from another party.
            # A post that acts for no organisation (the art 60 officers) is no service.
            if not any(ORG_FORMAL in self.idx.types.get(a, ()) for a in self.acting_for(requested)):
                return False
            origin = self._record("originating-party", sc.originating or (UNNAMED if sc.originating_name else None))
            if origin is None:
                return None
            if origin == UNNAMED:
                return True
            return not (self.acting_for(requested) & self.idx.org_ancestors(origin))
        if ROLE_ORIGIN in up:
            origin = self._record("originating-party", sc.originating or (UNNAMED if sc.originating_name else None))
            if origin is None:
                return None
            return origin != UNNAMED and bool(self.acting_for(requested) & self.idx.org_ancestors(origin))
        return False

    def asset_matches(self, requested, policy_target) -> bool | None:
        fact = "data-category" if str(policy_target).startswith(str(DATACAT)) else "object"
        if requested is None:
            self._record(fact, None)
            return None
        self._record(fact, requested)
        return policy_target in self.concept_up(requested)

    def action_matches(self, requested, policy_action) -> bool | None:
        return policy_action in self.concept_up(requested)

    def relation(self, operator, left, right) -> bool | None:
        if left is None:
            return None
        if operator == ODRL.isA:
            if right in self.concept_up(left):
                return True
            if (self.sc.recipient is None and self.sc.recipient_kind is None
                    and SCOPE_ROOTS & self.idx.up(left) and left in self.concept_up(right)):
                # a recipient the graph does not know and whose kind is not stated is only known
                # to be one of the "derden": whether it is a foreign service is not stated
                return None
            return False
        if operator == ODRL.isPartOf:
            if left in self.idx.ancestors and SCOPE_ROOTS & self.idx.up(left):
                return self._kind_is(left, right)
            if right == ROLE_ACTING:
                # "de door die partij aangeleverde gegevens": the data came from the actor itself
                if left == UNNAMED:
                    return False
                actor = self.sc.actor
                return left in self.idx.org_ancestors(actor) or actor in self.idx.org_ancestors(left)
            if isinstance(right, URIRef) and self.idx.up(right) & {ROLE_ORIGIN, ROLE_PROVIDING}:
                return True  # data with a stated origin come from "the party of origin"
            if left == UNNAMED:
                return False if not self._is_role(right) else None
            if left == OTHER_DECIDER:
                return False if right in self.sc.not_decided_by else None
            # a higher office in the line meets what a lower one may decide (wiv:outranks)
            return right in (self.idx.org_ancestors(left) | self.concept_up(left) | self.idx.below.get(left, frozenset()))
        if operator == ODRL.hasPart:
            return left in self.idx.org_ancestors(right)
        return None

    def _is_role(self, node) -> bool:
        return WIV.Role in self.idx.types.get(node, ()) or str(node).startswith(str(ROLE))

    def _kind_is(self, kind, party) -> bool | None:
        """Whether a recipient of the stated kind (the scenario names none) is ``party``: a
        foreign service is none of the graph's (Dutch) organisations and is what the role
        'foreign service' names; another unit of the acting service is inside that service;
        anything else stays unknown."""
        foreign = bool(self.idx.up(kind) & FOREIGN_SCOPES)
        if self.sc.recipient_name and not self._is_role(party):
            return False  # a recipient named but unknown to the graph is none of its organisations
        if SCOPE["same-service-other-unit"] in self.idx.up(kind) and not self._is_role(party):
            # another unit of the acting service: an organisation outside that service is not it
            return bool(self.idx.org_ancestors(self.sc.actor) & self.idx.org_ancestors(party))
        if self._is_role(party):
            if self.idx.up(party) & FOREIGN_ROLES:
                return bool(self.idx.up(kind) & {SCOPE["foreign-service"]})
            return None
        return False if foreign else None

    def operand_values(self, left_operand, request_rule=None, policy_rule=None) -> tuple | None:
        read = _OPERAND_READERS.get(left_operand)
        if read is not None:
            return read(self)
        scheme_value = self._scheme_fact(left_operand)
        if scheme_value is not False:
            return self._one("fact", scheme_value, left_operand)
        status = self.condition_status(left_operand)
        self._record("condition", None if status == UNKNOWN else status == MET, left_operand)
        if status == UNKNOWN:
            return None
        return (Literal(status == MET),)

    def _date(self) -> tuple | None:
        if self.sc.date is None:
            return self._record("date", None)
        return (self._record("date", Literal(self.sc.date, datatype=XSD.date)),)

    def _date_of_act(self) -> tuple | None:
        if self.sc.date_assumed:  # a date the scenario does not state is no date of the act
            return self._record("date", None)
        return self._date()

    def _counterparty(self) -> tuple | None:
        # a recipient the scenario names; else its stated kind decides what it can be
        sc = self.sc
        value = sc.recipient or sc.recipient_kind or (UNNAMED if sc.recipient_name else None)
        return self._one("recipient", value)

    def _recipient_scope(self) -> tuple | None:
        scopes = self._recipient_scopes()
        self._record("recipient-scope", scopes or None)
        return scopes or None

    def _place(self) -> tuple | None:
        return self._one("place", self.sc.place)

    def _data_source(self) -> tuple | None:
        sc = self.sc
        return self._one("data-source", sc.originating or (UNNAMED if sc.originating_name else None))

    def _acting_party(self) -> tuple | None:
        return self._one("actor", self.sc.actor)

    def _decided_by(self) -> tuple | None:
        sc = self.sc
        return self._one("decided-by", sc.decided_by or (OTHER_DECIDER if sc.not_decided_by else None))

    def _consent(self) -> tuple | None:
        consents = self.sc.consents
        obtained = tuple(p for p, s in consents.items() if s == MET)
        if any(s == UNKNOWN for s in consents.values()) or not consents:
            return obtained if obtained else self._record("consent", None)
        return obtained

    def _one(self, fact: str, value, key=None) -> tuple | None:
        self._record(fact, value, key)
        return None if value is None else (value,)

    def _recipient_scopes(self) -> tuple:
        """The stated recipient kind, and for a named recipient what it is relative to the
        rule: 'other parties' (a party to the rule's instrument or a member of its cell) or
        'third parties' (anyone else). Nothing derived for a recipient inside the actor's own
        organisation or the data's source."""
        sc = self.sc
        out = [sc.recipient_kind] if sc.recipient_kind is not None else []
        r = sc.recipient
        if r is None:
            if sc.recipient_name:
                out.append(SCOPE_THIRD_PARTIES)  # a party the graph does not know is no party to it
            return tuple(out)
        r_up = self.idx.org_ancestors(r)
        for own in (sc.actor, sc.originating):
            if own is not None and (r == own or own in r_up or r in self.idx.org_ancestors(own)):
                return tuple(out)
        out.append(SCOPE_OTHER_PARTIES if self.is_party_side(r) else SCOPE_THIRD_PARTIES)
        return tuple(out)

    def _scheme_fact(self, scheme):
        """The scenario's value in a concept scheme (third-party rule, purpose, standing,
        recipient kind, data category): a node, None (unknown), or False if ``scheme`` is no
        scheme the scenario speaks to."""
        sc = self.sc
        values = [v for v in (*sc.facts, sc.recipient_kind, sc.data_category) if v is not None]
        for v in values:
            if scheme in self._schemes(v):
                return v
        if scheme in KNOWN_FACT_SCHEMES:
            return None
        return False

    def _schemes(self, concept) -> frozenset:
        out = set(self.idx.schemes.get(concept, ()))
        for e in self.idx.equivalent.get(concept, ()):
            out |= self.idx.schemes.get(e, set())
        return frozenset(out)

    def condition_status(self, kind) -> str:
        """A condition kind (or a prior action) as the scenario states it, or implied by a fact."""
        sc = self.sc
        if kind in sc.conditions:
            return sc.conditions[kind]
        for fact in sc.facts:
            implied = FACT_CONDITIONS.get(fact, {})
            if kind in implied:
                return implied[kind]
        return UNKNOWN

    def consent_status(self, party, unnamed: bool = True) -> str:
        """The stated consent of ``party`` (itself, a unit or its host); else, with ``unnamed``,
        a consent stated without naming the party ("consent: not-met")."""
        sc = self.sc
        if party in sc.consents:
            return sc.consents[party]
        for given, status in sc.consents.items():
            if party in self.idx.org_ancestors(given) or given in self.idx.org_ancestors(party):
                return status
        return sc.conditions.get(KIND_CONSENT, UNKNOWN) if unnamed else UNKNOWN

    def consent_of(self, party) -> tuple[str, object]:
        """(status, who) of one consenting party: a party, or a role the scenario fills."""
        sc = self.sc
        up = self.idx.up(party)
        if ROLE_ORIGIN in up or ROLE_PROVIDING in up:
            if sc.originating is None:
                self._record("originating-party", sc.originating_name and UNNAMED)
                status = sc.conditions.get(KIND_CONSENT, UNKNOWN)
                return status, party
            self._record("originating-party", sc.originating)
            status = self.consent_status(sc.originating)
            self._record("consent", None if status == UNKNOWN else status == MET, sc.originating)
            return status, sc.originating
        if ROLE_MINISTER in up:
            # "Onze betrokken Minister" is the minister of a service (art 1 onder c Wiv 2002);
            # `ministerial_permission` is the actor's own minister's, so it speaks to this role
            # only when the actor falls under a service's minister (the OM's minister is not one)
            named = [st for p, st in sc.consents.items() if self._is_service_minister(p)]
            if named:  # the minister's consent stated by name (`consents: [minister-bzk]`)
                status = NOT_MET if NOT_MET in named else (MET if MET in named else UNKNOWN)
            else:
                status = sc.ministerial if self._under_a_service_minister(sc.actor) else UNKNOWN
            self._record("ministerial-permission", None if status == UNKNOWN else status == MET)
            return status, party
        if ROLE_PARTY in up and self._parties_of_rule():
            # the consent of "the parties": every party to the instrument (or member of the cell)
            # consents; one refusal fails it; "agreement-of-parties" states it for all at once
            statuses = [self.consent_status(p, unnamed=False) for p in sorted(self._parties_of_rule(), key=str)]
            if NOT_MET in statuses:
                status = NOT_MET
            elif statuses and all(st == MET for st in statuses):
                status = MET
            else:
                status = sc.conditions.get(KIND_AGREEMENT, UNKNOWN)
            self._record("consent", None if status == UNKNOWN else status == MET, party)
            return status, party
        status = self.consent_status(party)
        if status == UNKNOWN and party in self.idx.under_minister.get(sc.actor, frozenset()):
            # `ministerial_permission` is the permission of the actor's own minister; another
            # minister's (BZK's for an MIVD act) is stated in `consents` or stays unknown
            self._record("ministerial-permission", None if sc.ministerial == UNKNOWN else sc.ministerial == MET)
            return sc.ministerial, party
        self._record("consent", None if status == UNKNOWN else status == MET, party)
        return status, party

    def _act_done(self, rule):
        """An obligation's own act, stated done (fulfilled) or not done (violated) in the
        scenario's ``conditions`` under the action's name; unknown otherwise."""
        sc = self.sc
        for action in rule.actions:
            status = sc.conditions.get(action, UNKNOWN)
            if status != UNKNOWN:
                self._record("condition", status == MET, action)
                return REPORT.Fulfilled if status == MET else REPORT.Violated
        return None

    def heads_service(self, party) -> bool:
        """``party`` is the head of a service: org:headOf is curated for the services' heads only
        (data/actors/heads-of-service.ttl). The service itself does not fill the role: a duty of
        the heads (Wiv 2002 art 15, art 59 lid 1) is not one of every act of the service."""
        return bool(self.idx.heads.get(party))

    def _is_service_minister(self, party) -> bool:
        return party in self.idx.service_ministers

    def _under_a_service_minister(self, party) -> bool:
        """Whether ``party`` falls under a service's minister; a cell of the services (the NSO:
        AIVD and MIVD) through its members, so `ministerial_permission` speaks for its act too."""
        for who in (party, *self.idx.members_of.get(party, ())):
            if self.idx.under_minister.get(who, frozenset()) & self.idx.service_ministers:
                return True
        return False

    def _is_minister(self, party) -> bool:
        """A minister some organisation falls under (wiv:underMinister)."""
        return any(party in ms for ms in self.idx.under_minister.values())

    def duty_state(self, duty, request_rule=None):
        """An ``obtainConsent`` duty: fulfilled when every consenting party consented, violated
        when one refused (or consent was not obtained), unknown otherwise."""
        statuses = [self.consent_of(p)[0] for p in duty.consenting_parties]
        if not statuses:
            if duty.kind == "obligation":
                return self._act_done(duty)
            return None
        if NOT_MET in statuses:
            return REPORT.Violated
        if all(s == MET for s in statuses):
            return REPORT.Fulfilled
        return None


#: schemes a scenario field states a value in: a scheme not stated is unknown, not absent
KNOWN_FACT_SCHEMES = frozenset(
    s for name in ("third_party_rule", "purpose", "recipient_standing", "recipient_kind", "data_category")
    for s in FIELD_SCHEMES[name][0]
)


__all__ = ["OTHER_DECIDER", "UNNAMED", "Lookup", "RuleContext", "ScenarioWorld"]


#: the left operands read straight from the scenario (one dict look-up instead of a chain)
_OPERAND_READERS = {
    ODRL.dateTime: ScenarioWorld._date,
    WIV.dateOfAct: ScenarioWorld._date_of_act,
    WIV.counterparty: ScenarioWorld._counterparty,
    WIV.recipientScope: ScenarioWorld._recipient_scope,
    WIV.place: ScenarioWorld._place,
    WIV.dataSource: ScenarioWorld._data_source,
    WIV.actingParty: ScenarioWorld._acting_party,
    WIV.decidedBy: ScenarioWorld._decided_by,
    WIV.consentOf: ScenarioWorld._consent,
}
