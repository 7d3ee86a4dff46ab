"""CTIVD cases (wiv:Case) as scenarios, and comparison with the Commissie's verdicts.

The scenario of a case is built from the case's own fields only; the finding (wiv:Finding with
wiv:aboutCase and wiv:verdict) is read afterwards, by :func:`compare_cases`, never by the checker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from wivgraph.check.engine import (
    AGREEMENT_BREACH,
    CARELESS,
    CONDITIONAL,
    FORBIDDEN,
    PERMITTED,
    Checker,
    Verdict,
    checker_for,
)
from wivgraph.check.index import _date, document_of
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
# The Commissie's grades against the checker's verdicts (a definition of the two vocabularies,
# not a grade per case). Onrechtmatig: a legality requirement fails (not permitted). Onzorgvuldig:
# no legality requirement fails but a due-care one does (careless). Lawful grades: anything but
# "not permitted"; zorgvuldig: also not careless. Onvoldoende and onwenselijk grade neither
# legality nor care: such a case has no expected verdict and is reported as not comparable.
LAWFUL = {PERMITTED, CONDITIONAL, CARELESS, AGREEMENT_BREACH}
EXPECTED = {
    VERDICT["onrechtmatig"]: {FORBIDDEN},
    VERDICT["onzorgvuldig"]: {CARELESS},
    VERDICT["rechtmatig"]: LAWFUL,
    VERDICT["geen-onrechtmatigheden"]: LAWFUL,
    VERDICT["zorgvuldig"]: {PERMITTED, CONDITIONAL, AGREEMENT_BREACH},
    VERDICT["positief"]: LAWFUL,
}
UNGRADED = {VERDICT["onvoldoende"], VERDICT["onwenselijk"]}


def case_iris(g) -> list[URIRef]:
    return sorted((s for s in g.subjects(RDF.type, WIV.Case) if isinstance(s, URIRef)), key=str)


def case_scenario(g, checker: Checker, case: URIRef, index: int = 1, lang: str = "nl") -> Scenario:
    """The scenario a case describes (never reads its finding); ``g`` holds the case data."""

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
    sc.date, sc.date_assumed = _case_date(g, checker, case)
    if sc.date_assumed:
        sc.date_note = _date_note(sc.date, lang)
    return sc


def _case_date(g, checker: Checker, case: URIRef) -> tuple[dt.date, bool]:
    idx = checker.idx
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
        return {"case": self.case, "checker": self.verdict.verdict, "commissie": self.commissie,
                "agrees": self.agrees, "deciding_norms": [n.iri for n in self.verdict.deciding]}


def check_cases(graph, lang: str = "nl", framework_only: bool = False) -> list[Verdict]:
    """Run every wiv:Case of the graph through the checker (findings are not read).

    ``framework_only`` leaves out what only the report's assessments of practice state
    (see :class:`Checker`); :func:`compare_cases` always uses it. ``graph`` is the rdflib
    Graph or Dataset that holds the cases.
    """
    checker = checker_for(graph, lang, framework_only)
    out = []
    for i, case in enumerate(case_iris(graph), start=1):
        out.append(checker.evaluate(case_scenario(graph, checker, case, i, lang)))
    return out


def _date_note(d: dt.date, lang: str) -> str:
    return (f"aangenomen dat de casus zich voordeed vóór het rapport ({d + dt.timedelta(days=1)})"
            if lang == "nl" else f"assumed the case occurred before the report ({d + dt.timedelta(days=1)})")


def expected_outcomes(case_id: str, commissie: list[str]) -> set:
    """The checker verdicts that agree with the Commissie's grades on a case (empty when the
    Commissie graded neither legality nor care)."""
    expected = set()
    for v in commissie:
        expected |= set(EXPECTED.get(URIRef(v), ()))
    return expected


def compare_cases(graph, lang: str = "nl") -> list[CaseComparison]:
    """Checker verdicts next to the Commissie's, case by case.

    The checker runs without the norms (and requirement kinds) that only the report's assessments
    of practice state: those would decide a case with the Commissie's own verdict on it.
    """
    g = graph
    out = []
    for verdict in check_cases(graph, lang, framework_only=True):
        case = URIRef(verdict.file)
        findings = sorted(g.subjects(WIV.aboutCase, case), key=str)
        commissie = sorted({str(v) for f in findings for v in g.objects(f, WIV.verdict)})
        expected = expected_outcomes(verdict.scenario_id, commissie)
        agrees = bool(expected) and verdict.verdict in expected
        out.append(CaseComparison(str(case), verdict, commissie, agrees))
    return out
