"""The graph's norms as ODRL 2.2 policies in the wivgraph profile (docs/odrl-profile.md).

One ``odrl:Set`` per instrument; each norm is a rule of it under its own IRI, so a compliance
report's ``report:rule`` points straight at the norm, its lid and its quote. What ODRL lacks
(who the act is directed at, place, data source, condition kinds, legal effect, requirement
kind) is said with profile terms (``wiv:``) declared in ontology/odrl-profile.ttl.

The mapping reads only what it is given: :func:`policy_graph` takes a graph holding the norms
(and their condition nodes, instruments and legal effects) and returns a new graph with the
policies. The checker gives it the few norms a SPARQL query selected from the store; the export
gives it the whole dataset.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from wivgraph.namespaces import CONCEPT, DOC, ODRL, POLICY, ROLE, SCOPE, WIV, bind_prefixes
from wivgraph.temporal import instrument_validity

PROFILE = WIV["odrl-profile"]
SCOPE_CONSTRAINT = WIV.ScopeConstraint  # restricts which acts a rule governs
# A requirement the act must meet once the rule governs it, on constraints and duties alike. Not
# wiv:Condition: that class of the graph's condition nodes is a subclass of odrl:Duty, so a
# constraint typed with it would read as a duty without an action (docs/odrl-profile.md).
CONDITION = WIV.RuleCondition
DEADLINE_CONDITION = WIV.DeadlineCondition  # a condition on when the act is done, not on whether it may be

# leftOperands of the profile
LEFT_COUNTERPARTY = WIV.counterparty  # the party the act is directed at (recipient, partner)
LEFT_RECIPIENT_SCOPE = WIV.recipientScope  # the kind of recipient, relative to the norm
LEFT_PLACE = WIV.place
LEFT_DATA_SOURCE = WIV.dataSource  # the party the data come from
ANY_RECIPIENT = SCOPE["any-recipient"]
LEFT_ACTING_PARTY = WIV.actingParty  # the party that acts (for exceptions: "uitgezonderd de NCTV")
LEFT_DECIDED_BY = WIV.decidedBy  # the office or role that took the decision

KIND_CONSENT = CONCEPT["condition-consent"]
KIND_DEADLINE = CONCEPT["condition-within-deadline"]
LEFT_DATE_OF_ACT = WIV.dateOfAct  # the date the act is performed, as stated (a fact of the act)
KIND_MINISTERIAL = CONCEPT["condition-ministerial-permission"]
ROLE_MINISTER = ROLE["minister-concerned"]

MODALITIES = {
    WIV.Permission: ("permission", ODRL.permission, ODRL.Permission),
    WIV.Prohibition: ("prohibition", ODRL.prohibition, ODRL.Prohibition),
    WIV.Obligation: ("obligation", ODRL.obligation, ODRL.Duty),
}
CARRIED = (RDFS.label, WIV.source, WIV.quote, WIV.legalEffect, WIV.instrument, WIV.context,
           WIV.precedes, WIV.legalBasis)


def modality_of(g: Graph, norm) -> str | None:
    """permission / prohibition / obligation, from the norm's wiv: class (or a subclass)."""
    for cls in g.objects(norm, RDF.type):
        for known, (name, _, _) in MODALITIES.items():
            if cls == known or (cls, RDFS.subClassOf, known) in g:
                return name
    return None


def norms_in(g: Graph) -> list[URIRef]:
    """Every norm of ``g`` (a subject with one of the three norm classes, or a subclass)."""
    found = set()
    for cls in MODALITIES:
        found.update(g.subjects(RDF.type, cls))
        for sub in g.subjects(RDFS.subClassOf, cls):
            found.update(g.subjects(RDF.type, sub))
    return sorted((n for n in found if isinstance(n, URIRef)), key=str)


def policy_iri(instrument) -> URIRef:
    """``policy:convenant-ciic-2020`` for ``doc:convenant-ciic-2020``."""
    text = str(instrument)
    slug = text[len(str(DOC)):] if text.startswith(str(DOC)) else text.rsplit("/", 1)[-1]
    return POLICY[slug.replace("/", "-")]


def requirement_kind(g: Graph, norm) -> URIRef | None:
    """The norm's own ``wiv:requirementKind``, else that of its legal effect or a broader one."""
    own = g.value(norm, WIV.requirementKind)
    if own is not None:
        return own
    effect = g.value(norm, WIV.legalEffect)
    seen = set()
    todo = [effect] if effect is not None else []
    while todo:
        e = todo.pop(0)
        if e in seen:
            continue
        seen.add(e)
        kind = g.value(e, WIV.requirementKind)
        if kind is not None:
            return kind
        todo.extend(sorted(g.objects(e, SKOS.broader), key=str))
    return None


def _objects(g: Graph, node, *props) -> list:
    return sorted({o for p in props for o in g.objects(node, p)}, key=str)


class _Writer:
    def __init__(self, source: Graph):
        self.g = source
        self.out = bind_prefixes(Graph())
        self.validity = instrument_validity(source)

    def constraint(self, rule: URIRef, name: str, left, operator, values: list,
                   role: URIRef | None, extra: Iterable[tuple] = ()) -> URIRef:
        """One constraint; several values become an ``odrl:or`` of one atomic constraint each
        (``isA`` over a hierarchy has one right operand). ``role`` (scope or condition) is given
        to a rule's own constraints, not to members of a logical constraint."""
        node = URIRef(f"{rule}/constraint/{name}")
        if role is not None:
            self.out.add((node, RDF.type, role))
        for p, o in extra:
            self.out.add((node, p, o))
        if len(values) == 1:
            self.out.add((node, RDF.type, ODRL.Constraint))
            self._atomic(node, left, operator, values[0])
            return node
        # a LogicalConstraint is not an odrl:Constraint: it has operands, no leftOperand
        self.out.add((node, RDF.type, ODRL.LogicalConstraint))
        joiner = ODRL["or"] if operator != ODRL.neq else ODRL["and"]
        items = []
        for i, value in enumerate(values, 1):
            part = URIRef(f"{node}/{i}")
            self.out.add((part, RDF.type, ODRL.Constraint))
            self._atomic(part, left, operator, value)
            items.append(part)
        head = BNode()
        from rdflib.collection import Collection  # noqa: PLC0415

        Collection(self.out, head, items)
        self.out.add((node, joiner, head))
        return node

    def _atomic(self, node, left, operator, value) -> None:
        self.out.add((node, ODRL.leftOperand, left))
        self.out.add((node, ODRL.operator, operator))
        self.out.add((node, ODRL.rightOperand, value))

    def norm(self, norm: URIRef) -> URIRef | None:
        g, out = self.g, self.out
        modality = modality_of(g, norm)
        if modality is None:
            return None
        _, link, odrl_class = next(v for v in MODALITIES.values() if v[0] == modality)
        instrument = g.value(norm, WIV.instrument)
        policy = policy_iri(instrument) if instrument is not None else POLICY[str(norm).rsplit("/", 1)[-1]]
        out.add((policy, RDF.type, ODRL.Set))
        out.add((policy, ODRL.uid, policy))
        out.add((policy, ODRL.profile, PROFILE))
        if instrument is not None:
            out.add((policy, DCTERMS.source, instrument))
        out.add((policy, link, norm))
        out.add((norm, RDF.type, odrl_class))
        for p in CARRIED:
            for o in g.objects(norm, p):
                out.add((norm, p, o))
        for bearer in _objects(g, norm, WIV.bearer, ODRL.assignee):
            out.add((norm, ODRL.assignee, bearer))
        for action in _objects(g, norm, ODRL.action):
            out.add((norm, ODRL.action, action))
        for target in _objects(g, norm, ODRL.target):
            out.add((norm, ODRL.target, target))
        kind = requirement_kind(g, norm)
        if kind is not None:
            out.add((norm, WIV.requirementKind, kind))
        self.scope(norm)
        self.time(norm)
        if modality == "obligation":
            self.deadline(norm)
        for i, cond in enumerate(sorted(g.objects(norm, WIV.condition), key=self._cond_key), 1):
            role = SCOPE_CONSTRAINT if modality == "prohibition" else CONDITION
            self.condition(norm, cond, f"c{i}", role, consent_as_duty=modality != "prohibition")
        for i, cond in enumerate(sorted(g.objects(norm, ODRL.constraint), key=self._cond_key), 1):
            self.condition(norm, cond, f"a{i}", SCOPE_CONSTRAINT, consent_as_duty=False)
        return policy

    def _cond_key(self, node):
        g = self.g
        return (str(g.value(node, WIV.quote) or ""), str(g.value(node, WIV.conditionKind) or ""),
                str(node) if isinstance(node, URIRef) else "")

    def scope(self, norm: URIRef) -> None:
        g = self.g
        # a counterparty that a condition requires (wiv:requiredCounterparty) is that condition's
        # content, not the norm's scope: the norm also governs the act directed at another party
        required = {o for c in g.objects(norm, WIV.condition) for o in g.objects(c, WIV.requiredCounterparty)}
        counterparties = [c for c in _objects(g, norm, WIV.counterparty, WIV.recipient) if c not in required]
        scopes = _objects(g, norm, WIV.recipientScope)
        if ANY_RECIPIENT in scopes:
            # the text applies the norm to any recipient (recorded explicitly): no constraint
            counterparties, scopes = [], []
        if counterparties and scopes and (norm, WIV.recipientEither, Literal(True)) in g:
            # "aan de AIVD, dan wel ... aan de in de CIIC werkzame ambtenaren": either names the
            # recipient (recorded on the norm; otherwise the kind only classifies the named party)
            a = self.constraint(norm, "counterparty", LEFT_COUNTERPARTY, ODRL.isPartOf, counterparties, None)
            b = self.constraint(norm, "recipient-scope", LEFT_RECIPIENT_SCOPE, ODRL.isA, scopes, None)
            node = URIRef(f"{norm}/constraint/recipient")
            self.out.add((node, RDF.type, ODRL.LogicalConstraint))
            self.out.add((node, RDF.type, SCOPE_CONSTRAINT))
            head = BNode()
            from rdflib.collection import Collection  # noqa: PLC0415

            Collection(self.out, head, [a, b])
            self.out.add((node, ODRL["or"], head))
            self.out.add((norm, ODRL.constraint, node))
        elif counterparties:
            self.out.add((norm, ODRL.constraint, self.constraint(
                norm, "counterparty", LEFT_COUNTERPARTY, ODRL.isPartOf, counterparties, SCOPE_CONSTRAINT)))
            if scopes:  # the IND, a domestic party: both must hold (a Dutch police force is not the IND)
                self.out.add((norm, ODRL.constraint, self.constraint(
                    norm, "recipient-scope", LEFT_RECIPIENT_SCOPE, ODRL.isA, scopes, SCOPE_CONSTRAINT)))
        elif scopes:
            self.out.add((norm, ODRL.constraint, self.constraint(
                norm, "recipient-scope", LEFT_RECIPIENT_SCOPE, ODRL.isA, scopes, SCOPE_CONSTRAINT)))
        excluded = _objects(g, norm, WIV.recipientScopeExcept)
        if excluded:
            self.out.add((norm, ODRL.constraint, self.constraint(
                norm, "recipient-scope-except", LEFT_RECIPIENT_SCOPE, ODRL.isNoneOf, excluded, SCOPE_CONSTRAINT)))
        places = _objects(g, norm, WIV.place)
        if places:
            self.out.add((norm, ODRL.constraint, self.constraint(
                norm, "place", LEFT_PLACE, ODRL.isA, places, SCOPE_CONSTRAINT)))
        sources = [s for s in _objects(g, norm, WIV.dataSource)]
        if sources:
            self.out.add((norm, ODRL.constraint, self.constraint(
                norm, "data-source", LEFT_DATA_SOURCE, ODRL.isPartOf, sources, SCOPE_CONSTRAINT)))
        excepted = _objects(g, norm, WIV["except"])
        if excepted:
            self.out.add((norm, ODRL.constraint, self.constraint(
                norm, "except", LEFT_ACTING_PARTY, ODRL.neq, excepted, SCOPE_CONSTRAINT)))

    def time(self, norm: URIRef) -> None:
        """``odrl:dateTime`` bounds from the validity of the norm's instrument and of the
        documents of its legal bases (the latest start, the earliest end)."""
        g = self.g
        docs = list(g.objects(norm, WIV.instrument))
        for basis in g.objects(norm, WIV.legalBasis):
            doc = g.value(basis, WIV.document)
            if doc is None and str(basis).startswith(str(DOC)):
                doc = URIRef(str(DOC) + str(basis)[len(str(DOC)):].split("/", 1)[0])
            if doc is not None:
                docs.append(doc)
        start = end = None
        for doc in docs:
            v = self.validity.get(doc)
            if v is None:
                continue
            if v.start and (start is None or v.start > start):
                start = v.start
            if v.end and (end is None or v.end < end):
                end = v.end
        for value in g.objects(norm, WIV.effectiveFrom):
            d = value.toPython() if isinstance(value, Literal) else None
            if d is not None and hasattr(d, "year") and (start is None or d > start):
                start = d
        for name, operator, day in (("in-force-from", ODRL.gteq, start), ("in-force-until", ODRL.lt, end)):
            if day is None:
                continue
            node = URIRef(f"{norm}/constraint/{name}")
            self._atomic(node, ODRL.dateTime, operator, Literal(day, datatype=XSD.date))
            self.out.add((node, RDF.type, ODRL.Constraint))
            self.out.add((node, RDF.type, SCOPE_CONSTRAINT))
            self.out.add((norm, ODRL.constraint, node))

    def deadline(self, norm: URIRef) -> None:
        """A ``wiv:Deadline`` as a condition of the obligation: a fixed latest date compares
        the date of the act (``wiv:dateOfAct odrl:lt`` the date); a period from an event
        ("binnen tien werkdagen") is a fact the scenario states (``within-deadline``). Typed
        ``wiv:DeadlineCondition``: a stated late act fails the obligation, an unknown time does
        not make the act's permissibility open (a late act is still the act the norm asks)."""
        g = self.g
        for i, node in enumerate(sorted(g.objects(norm, WIV.deadline), key=str), 1):
            carried = [(WIV.conditionKind, KIND_DEADLINE)]
            carried += [(p, o) for p in (WIV.source, WIV.quote) for o in g.objects(node, p)]
            before = g.value(node, WIV.dueBefore)
            before = before if before is not None else _due_from_anchor(g, node)
            if before is not None:
                made = self.constraint(norm, f"deadline-{i}", LEFT_DATE_OF_ACT, ODRL.lt, [before], CONDITION, carried)
            else:
                made = self.constraint(norm, f"deadline-{i}", KIND_DEADLINE, ODRL.eq, [Literal(True)], CONDITION, carried)
            self.out.add((made, RDF.type, DEADLINE_CONDITION))
            self.out.add((norm, ODRL.constraint, made))

    def condition(self, norm: URIRef, cond, name: str, role: URIRef, consent_as_duty: bool) -> None:
        """A ``wiv:Condition``: consent as an ``odrl:obtainConsent`` duty (for permissions and
        obligations), anything else as a constraint on the condition's kind."""
        g, out = self.g, self.out
        kinds = _objects(g, cond, WIV.conditionKind)
        consenting = _objects(g, cond, WIV.consentingParty, ODRL.consentingParty)
        ministerial = any(self._under(k, KIND_MINISTERIAL) for k in kinds)
        consent = bool(consenting) or any(self._under(k, KIND_CONSENT) for k in kinds)
        if ministerial and not consenting:
            consenting = [ROLE_MINISTER]
        carried = [(WIV.conditionKind, k) for k in kinds]
        carried += [(p, o) for p in (WIV.source, WIV.quote, WIV.counterparty, RDFS.comment)
                    for o in g.objects(cond, p)]
        if consent and consent_as_duty:
            duty = URIRef(f"{norm}/duty/{name}")
            out.add((duty, RDF.type, ODRL.Duty))
            out.add((duty, RDF.type, CONDITION))
            out.add((duty, ODRL.action, ODRL.obtainConsent))
            for party in consenting:
                out.add((duty, ODRL.consentingParty, party))
            for p, o in carried:
                out.add((duty, p, o))
            out.add((norm, ODRL.duty, duty))
            return
        accepted = _objects(g, cond, WIV.acceptedValue, ODRL.rightOperand)
        deciders = _objects(g, cond, WIV.decisionBy)
        required = _objects(g, cond, WIV.requiredCounterparty)
        parts = []
        if accepted:
            scheme = self._scheme(accepted[0])
            left = scheme if scheme is not None else (kinds[0] if kinds else WIV.conditionValue)
            parts.append(self.constraint(norm, f"{name}-value", left, ODRL.isA, accepted, role, carried))
        if deciders:
            parts.append(self.constraint(norm, f"{name}-decided-by", LEFT_DECIDED_BY, ODRL.isPartOf, deciders, role, carried))
        if required:
            # the act must be directed at this party: a requirement, not the norm's scope
            parts.append(self.constraint(norm, f"{name}-counterparty", LEFT_COUNTERPARTY, ODRL.isPartOf, required, role, carried))
        if consent and not consent_as_duty:
            # a ban that applies "without consent": the consent is a fact of the act
            for i, party in enumerate(consenting, 1):
                parts.append(self.constraint(norm, f"{name}-consent-{i}", WIV.consentOf, ODRL.eq, [party], role, carried))
        if not parts:
            left = kinds[0] if kinds else WIV.conditionValue
            parts.append(self.constraint(norm, name, left, ODRL.eq, [Literal(True)], role, carried))
        for node in parts:
            out.add((norm, ODRL.constraint, node))

    def _under(self, concept, broader) -> bool:
        return broader in set(self.g.transitive_objects(concept, SKOS.broader))

    def _scheme(self, concept) -> URIRef | None:
        schemes = sorted(self.g.objects(concept, SKOS.inScheme), key=str)
        return schemes[0] if schemes else None


def policy_graph(source: Graph, norms: Iterable[URIRef] | None = None) -> Graph:
    """The ODRL policies of ``norms`` (default: every norm in ``source``)."""
    writer = _Writer(source)
    for norm in (norms if norms is not None else norms_in(source)):
        writer.norm(norm)
    return writer.out


__all__ = ["CONDITION", "PROFILE", "SCOPE_CONSTRAINT", "modality_of", "norms_in", "policy_graph",
           "policy_iri", "requirement_kind"]


def _due_from_anchor(g: Graph, node) -> Literal | None:
    """The first day too late for a period from a dated anchor ("uiterlijk binnen een maand na
    ondertekening door de laatste van de partijen", anchor 28 May 2020: 29 June 2020)."""
    import datetime as dt  # noqa: PLC0415

    anchor, within = g.value(node, WIV.anchorDate), g.value(node, WIV.dueWithin)
    if anchor is None or within is None:
        return None
    try:
        last = anchor.toPython() + within.toPython()
    except (TypeError, ValueError):
        return None
    if not isinstance(last, dt.date):
        return None
    return Literal(last + dt.timedelta(days=1), datatype=XSD.date)
