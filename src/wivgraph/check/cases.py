"""CTIVD cases (wiv:Case) as scenarios, and comparison with the Commissie's verdicts.

The scenario of a case is built from the case's own fields only; the finding (wiv:Finding with
wiv:aboutCase and wiv:verdict) is read afterwards, by :func:`compare_cases`, never by the checker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from wivgraph.check.engine import CONDITIONAL, FORBIDDEN, PERMITTED, Evaluator, Verdict
from wivgraph.check.index import NormIndex, _date, document_of, index_for
from wivgraph.check.resolve import MET, NOT_MET, UNKNOWN, Scenario
from wivgraph.namespaces import ACTION, CONCEPT, VERDICT, WIV

# Case fields that say whether a kind of condition was met (true = met, false = not met).
# This is the bridge between ontology/oversight.ttl and the condition kinds of the norms.
CASE_CONDITIONS = {
    WIV.reliabilityIndicated: (CONCEPT["condition-source-indication"],),
    WIV.reasonRecorded: (CONCEPT["condition-state-reason"], CONCEPT["condition-decision-recorded"]),
    WIV.criteriaAssessed: (CONCEPT["condition-qualifying-service"],),
    WIV.instructionRecorded: (CONCEPT["condition-written-form"], CONCEPT["condition-explicit-instruction"]),
    WIV.withinJointOperation: (CONCEPT["condition-joint-operation"],),
    WIV.designatedAsAgent: (CONCEPT["condition-designated-as-agent"],),
    WIV.ledByOperationalUnit: (CONCEPT["condition-led-by-qualified-staff"],),
}
# wiv:onDutchTerritory true / false -> the place of the scenario.
TERRITORY_PLACE = {True: CONCEPT["place-dutch-territory"], False: CONCEPT["place-abroad"]}
# Case fields naming a party with which a required step was NOT taken.
CASE_NOT_DONE = {
    WIV.notCoordinatedWith: (CONCEPT["condition-prior-coordination"], ACTION["coordinate"]),
}
PERMISSION_STATUS = {
    CONCEPT["permission-obtained"]: MET,
    CONCEPT["permission-absent"]: NOT_MET,
    CONCEPT["permission-unknown"]: UNKNOWN,
}
# The Commissie's verdicts against the checker's: which (verdict, careless) outcomes agree.
# Onrechtmatig: a legality requirement fails (not permitted). Onzorgvuldig: no legality
# requirement fails but a due-care one does (permitted on conditions, careless). Lawful verdicts:
# not "not permitted" (careless is not unlawful); zorgvuldig: also not careless. Onvoldoende and
# onwenselijk grade no legality and have no general mapping: each such case has its own expected
# outcome in CASE_EXPECTED, with the report's words that settle it; without one it never agrees.
LAWFUL = {(PERMITTED, False), (CONDITIONAL, False), (CONDITIONAL, True)}
EXPECTED = {
    VERDICT["onrechtmatig"]: {(FORBIDDEN, False)},
    VERDICT["onzorgvuldig"]: {(CONDITIONAL, True)},
    VERDICT["rechtmatig"]: LAWFUL,
    VERDICT["geen-onrechtmatigheden"]: LAWFUL,
    VERDICT["zorgvuldig"]: {(PERMITTED, False), (CONDITIONAL, False)},
    VERDICT["positief"]: LAWFUL,
}
UNGRADED = {VERDICT["onvoldoende"], VERDICT["onwenselijk"]}
# Cases judged onvoldoende/onwenselijk: the checker outcome that matches the Commissie's words
# (not unlawful, but a step it requires was not taken: a due-care shortcoming).
CASE_EXPECTED = {
    "ctivd-22b-case-joint-operation-new-services": (
        (CONDITIONAL, True),
        "Hoewel de Commissie het niet uitgesloten acht dat een gezamenlijke operatie wordt gestart "
        "met dergelijke diensten, acht zij het wel van belang dat een expliciete afweging plaatsvindt"
        " (7 praktijk 3): lawful, but the required weighing was missing"),
    "ctivd-22b-case-support-without-cooperation-relation": (
        (CONDITIONAL, True),
        "Het is de Commissie niet gebleken dat de MIVD zich hier expliciet rekenschap van heeft "
        "gegeven ... De Commissie vindt het van belang dat dit wel gebeurt (6 praktijk 6): not held "
        "unlawful, but the required weighing was missing"),
}


def case_iris(idx: NormIndex) -> list[URIRef]:
    return sorted((s for s in idx.graph.subjects(RDF.type, WIV.Case) if isinstance(s, URIRef)), key=str)


def case_scenario(idx: NormIndex, case: URIRef, index: int = 1, lang: str = "nl") -> Scenario:
    """The scenario a case describes (never reads its finding)."""
    g = idx.graph

    def one(prop):
        return g.value(case, prop)

    actor, action = one(WIV.actor), one(WIV.performedAction)
    sc = Scenario(
        id=str(case).rsplit("/", 1)[-1], index=index, file=str(case),
        actor=actor if actor is not None else WIV.unknownActor,
        action=action if action is not None else WIV.unknownAction,
        data_category=one(WIV.dataCategory),
        recipient_kind=one(WIV.recipientKind),
        text=str(one(WIV.description) or ""),
    )
    origin = one(WIV.originatingParty)
    if isinstance(origin, URIRef):
        sc.originating = origin
    recipient = one(WIV.recipient)
    if isinstance(recipient, URIRef):
        sc.recipient = recipient
    elif isinstance(recipient, BNode):
        sc.recipient_name = str(g.value(recipient, RDFS.label) or "")
    mp = one(WIV.ministerialPermission)
    if mp is not None:
        sc.ministerial = PERMISSION_STATUS.get(mp, UNKNOWN)
    oc = one(WIV.originatorConsent)
    if oc is not None and sc.originating is not None:
        sc.consents[sc.originating] = PERMISSION_STATUS.get(oc, UNKNOWN)
    sc.facts = frozenset(
        v for v in (one(WIV.thirdPartyRule), one(WIV.purpose), one(WIV.recipientStanding)) if v is not None
    )
    territory = one(WIV.onDutchTerritory)
    if isinstance(territory, Literal) and isinstance(territory.toPython(), bool):
        sc.place = TERRITORY_PLACE[territory.toPython()]
    given_by = one(WIV.permissionGivenBy)
    if given_by is not None:
        sc.decided_by = given_by
    sc.not_decided_by = frozenset(g.objects(case, WIV.notDecidedBy))
    for prop, kinds in CASE_CONDITIONS.items():
        value = one(prop)
        if isinstance(value, Literal) and isinstance(value.toPython(), bool):
            for k in kinds:
                sc.conditions[k] = MET if value.toPython() else NOT_MET
    for prop, kinds in CASE_NOT_DONE.items():
        if one(prop) is not None:
            for k in kinds:
                sc.conditions[k] = NOT_MET
    sc.date, sc.date_assumed = _case_date(idx, case)
    if sc.date_assumed:
        sc.date_note = _date_note(sc.date, lang)
    return sc


def _case_date(idx: NormIndex, case: URIRef) -> tuple[dt.date, bool]:
    g = idx.graph
    for prop in (WIV.periodEnd, WIV.periodStart):
        d = _date(g.value(case, prop))
        if d is not None:
            return d, False
    source = g.value(case, WIV.source)
    doc = (g.value(source, WIV.document) or document_of(source)) if source is not None else None
    if doc is not None and doc in idx.doc_date:
        # The report describes practice before it was adopted: judge on the report's date.
        return idx.doc_date[doc] - dt.timedelta(days=1), True
    return dt.date.today(), True


@dataclass
class CaseComparison:
    case: str
    verdict: Verdict
    commissie: list[str]  # verdict IRIs of the findings about the case
    agrees: bool

    def to_dict(self) -> dict:
        return {"case": self.case, "checker": self.verdict.verdict, "careless": self.verdict.careless,
                "commissie": self.commissie,
                "agrees": self.agrees, "deciding_norms": [n.iri for n in self.verdict.deciding]}


def check_cases(graph, lang: str = "nl", framework_only: bool = False) -> list[Verdict]:
    """Run every wiv:Case of the graph through the checker (findings are not read).

    ``framework_only`` leaves out what only the report's assessments of practice state
    (see :class:`Evaluator`); :func:`compare_cases` always uses it.
    """
    idx = index_for(graph)
    ev = Evaluator(idx, lang, framework_only=framework_only)
    out = []
    for i, case in enumerate(case_iris(idx), start=1):
        out.append(ev.evaluate(case_scenario(idx, case, i, lang)))
    return out


def _date_note(d: dt.date, lang: str) -> str:
    return (f"aangenomen dat de casus zich voordeed vóór het rapport ({d + dt.timedelta(days=1)})"
            if lang == "nl" else f"assumed the case occurred before the report ({d + dt.timedelta(days=1)})")


def expected_outcomes(case_id: str, commissie: list[str]) -> set:
    """The (verdict, careless) outcomes that agree with the Commissie's verdicts on a case."""
    expected = set()
    for v in commissie:
        if URIRef(v) in UNGRADED:
            if case_id in CASE_EXPECTED:
                expected.add(CASE_EXPECTED[case_id][0])
        else:
            expected |= set(EXPECTED.get(URIRef(v), ()))
    return expected


def compare_cases(graph, lang: str = "nl") -> list[CaseComparison]:
    """Checker verdicts next to the Commissie's, case by case.

    The checker runs without the norms (and requirement kinds) that only the report's assessments
    of practice state: those would decide a case with the Commissie's own verdict on it.
    """
    idx = index_for(graph)
    g = idx.graph
    out = []
    for verdict in check_cases(idx, lang, framework_only=True):
        case = URIRef(verdict.file)
        findings = sorted(g.subjects(WIV.aboutCase, case), key=str)
        commissie = sorted({str(v) for f in findings for v in g.objects(f, WIV.verdict)})
        expected = expected_outcomes(verdict.scenario_id, commissie)
        agrees = bool(expected) and (verdict.verdict, verdict.careless) in expected
        out.append(CaseComparison(str(case), verdict, commissie, agrees))
    return out
