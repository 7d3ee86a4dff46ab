"""The checker: candidate norms by SPARQL over the store, evaluated as ODRL policies by the one
ODRL evaluator (wivgraph.odrl) against the scenario as a three-valued state of the world, and
the compliance reports read as a verdict. docs/checker.md states the rules in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import SKOS

from wivgraph.check.index import NormIndex, _local, build_index, is_practice_passage
from wivgraph.check.resolve import MET, NOT_MET, Scenario
from wivgraph.check.world import OTHER_DECIDER, UNNAMED, Lookup, RuleContext, ScenarioWorld
from wivgraph.namespaces import ACTION, CONCEPT, DATACAT, DOC, ODRL, REPORT, WIV, sparql_prologue
from wivgraph.odrl.evaluate import evaluate
from wivgraph.odrl.model import Constraint, Policy, Request, Rule
from wivgraph.odrl.norms import CONDITION, DEADLINE_CONDITION, modality_of, policy_graph, policy_iri
from wivgraph.odrl.parse import parse_policies
from wivgraph.odrl.report import UNDETERMINED, PolicyReport, PremiseReport, RuleReport

PERMITTED = "permitted"
CONDITIONAL = "permitted-on-conditions"
FORBIDDEN = "not-permitted"  # a legality requirement fails: unlawful
CARELESS = "careless"  # a due-care requirement fails, no legality requirement does
AGREEMENT_BREACH = "contrary-to-agreement"  # only an agreement (enforceable or not) fails
NO_RULE = "no-applicable-rule"
VERDICTS = (PERMITTED, CONDITIONAL, FORBIDDEN, CARELESS, AGREEMENT_BREACH, NO_RULE)

PROVIDE = ACTION["provide"]
# "Ontvangen gegevens verder verstrekken aan een ander dan van wie zij zijn ontvangen" (actions.ttl):
# whether a provision is one follows from the data's origin
PASS_ONWARD = ACTION["pass-onward"]
REQ_LEGALITY = CONCEPT["requirement-legality"]
REQ_DUE_CARE = CONCEPT["requirement-due-care"]
REQ_AGREEMENT = CONCEPT["requirement-agreement"]
REQ_NOT_ENFORCEABLE = CONCEPT["requirement-agreement-not-enforceable"]
# the worse grade first; a norm whose text states no kind is graded as an agreement breach only
# when it is an agreement, else as "requirement kind not stated" (unlawfulness is never assumed)
GRADE_ORDER = (REQ_LEGALITY, None, REQ_DUE_CARE, REQ_AGREEMENT, REQ_NOT_ENFORCEABLE)
GRADE_VERDICT = {REQ_LEGALITY: FORBIDDEN, None: FORBIDDEN, REQ_DUE_CARE: CARELESS,
                 REQ_AGREEMENT: AGREEMENT_BREACH, REQ_NOT_ENFORCEABLE: AGREEMENT_BREACH}

SATISFIED = REPORT.Satisfied
DATE_OF_ACT, ODRL_LT, ODRL_DATETIME, ODRL_SET = WIV.dateOfAct, ODRL.lt, ODRL.dateTime, ODRL.Set
FACT_OF_LEFT = {WIV.counterparty: "f_recipient", WIV.recipientScope: "f_recipient-scope",
                WIV.place: "f_place", WIV.dataSource: "f_data-source", WIV.actingParty: "f_actor",
                WIV.decidedBy: "f_decided-by", ODRL.dateTime: "f_date"}
RECIPIENT_LEFTS = frozenset({WIV.counterparty, WIV.recipientScope})
IN_FORCE_WORDS = {ODRL.lt: "in_force_until", ODRL.lteq: "in_force_until", ODRL.gteq: "in_force_from",
                  ODRL.gt: "in_force_from"}
UNLIMITED = 10**9  # the checker reads whole answers (vocabulary, candidates)
SAT, UNSAT, UNDET = "satisfied", "unsatisfied", "undetermined"

T = {
    PERMITTED: {"nl": "toegestaan", "en": "permitted"},
    CONDITIONAL: {"nl": "toegestaan onder voorwaarden", "en": "permitted on conditions"},
    FORBIDDEN: {"nl": "niet toegestaan (onrechtmatig)", "en": "not permitted (unlawful)"},
    CARELESS: {"nl": "onzorgvuldig, niet onrechtmatig", "en": "careless, not unlawful"},
    AGREEMENT_BREACH: {"nl": "in strijd met een afspraak", "en": "contrary to an agreement"},
    "not_enforceable": {"nl": "in strijd met een niet-afdwingbare afspraak", "en": "contrary to an agreement not enforceable in law"},
    "kind_unstated": {"nl": "niet toegestaan (de tekst noemt het gevolg van schending niet)", "en": "not permitted (the text does not state the effect of a breach)"},
    NO_RULE: {"nl": "geen toepasselijke regel gevonden", "en": "no applicable rule found"},
    "permission": {"nl": "bevoegdheid", "en": "permission"},
    "prohibition": {"nl": "verbod", "en": "prohibition"},
    "obligation": {"nl": "verplichting", "en": "obligation"},
    "satisfied": {"nl": "vervuld", "en": "satisfied"},
    "open": {"nl": "open", "en": "open"},
    "failed": {"nl": "niet vervuld", "en": "failed"},
    "standing": {"nl": "van toepassing", "en": "standing"},
    "careless_state": {"nl": "onzorgvuldig", "en": "careless"},
    "careless_open": {"nl": "onzorgvuldig", "en": "careless"},
    "consent_of": {"nl": "toestemming van {p}", "en": "consent of {p}"},
    "first": {"nl": "eerst: {a}", "en": "first: {a}"},
    "act_itself": {"nl": "de verplichte handeling zelf verricht: {a}", "en": "the required act itself performed: {a}"},
    "if_ban": {"nl": "niet toegestaan indien: {c}", "en": "not permitted if: {c}"},
    "if_scope": {"nl": "alleen van toepassing indien: {c}", "en": "applies only if: {c}"},
    "date_today": {"nl": "datum niet opgegeven: vandaag ({d}) gebruikt", "en": "no date given: today ({d}) used"},
    # facts
    "f_actor": {"nl": "handelende partij", "en": "acting party"},
    "f_recipient": {"nl": "ontvanger", "en": "recipient"},
    "f_recipient-scope": {"nl": "soort ontvanger", "en": "kind of recipient"},
    "f_place": {"nl": "plaats", "en": "place"},
    "f_data-source": {"nl": "herkomst van de gegevens", "en": "origin of the data"},
    "f_originating-party": {"nl": "partij van herkomst", "en": "originating party"},
    "f_decided-by": {"nl": "beslist door", "en": "decided by"},
    "f_date": {"nl": "datum", "en": "date"},
    "f_data-category": {"nl": "soort gegevens", "en": "data category"},
    "f_object": {"nl": "onderwerp van de handeling", "en": "object of the act"},
    "f_action": {"nl": "soort handeling", "en": "kind of act"},
    "none_of": {"nl": "geen {v}", "en": "not {v}"},
    "within_before": {"nl": "{k} (vóór {d})", "en": "{k} (before {d})"},
    "in_force_until": {"nl": "van kracht tot {d}", "en": "in force until {d}"},
    "in_force_from": {"nl": "van kracht vanaf {d}", "en": "in force from {d}"},
    "data_are": {"nl": "de gegevens zijn: {a}", "en": "the data are: {a}"},
    "f_data-category-kind": {"nl": "soort gegevens (nauwer)", "en": "kind of data (narrower)"},
    "act_is": {"nl": "de handeling is: {a}", "en": "the act is: {a}"},
    "f_consent": {"nl": "toestemming", "en": "consent"},
    "f_ministerial-permission": {"nl": "toestemming van de minister", "en": "permission of the minister"},
    "f_condition": {"nl": "voorwaarde", "en": "condition"},
    "f_fact": {"nl": "feit", "en": "fact"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "unnamed": {"nl": "een partij buiten de graaf", "en": "a party outside the graph"},
    "other_decider": {"nl": "een ander dan {p}", "en": "someone other than {p}"},
    # trace
    "tr_candidates": {"nl": "kandidaten uit de graaf (handeling {a}{c}): {k}", "en": "candidates from the graph (action {a}{c}): {k}"},
    "tr_out": {"nl": "{n}: niet van toepassing ({w})", "en": "{n}: does not apply ({w})"},
    "tr_applies": {"nl": "{n}: {m}, {s}", "en": "{n}: {m}, {s}"},
    "tr_maybe": {"nl": "{n}: {m}, mogelijk van toepassing ({w} onbekend)", "en": "{n}: {m}, may apply ({w} unknown)"},
    "tr_route": {"nl": "{l}: route {r}: {s}", "en": "{l}: route {r}: {s}"},
    "tr_verdict": {"nl": "oordeel: {v}", "en": "verdict: {v}"},
    "tr_no_basis": {"nl": "{l}: {k} bevoegdheid/bevoegdheden zonder eigen wettelijke grondslag beperken elke route", "en": "{l}: {k} permission(s) without legal basis restrict every route"},
    "tr_list_lifted": {"nl": "{n}: gesloten lijst; een geval uit de lijst kan van toepassing zijn ({k})", "en": "{n}: closed list; a case of the list may apply ({k})"},
    "tr_list_stands": {"nl": "{n}: gesloten lijst; geen geval uit de lijst is van toepassing", "en": "{n}: closed list; no case of the list applies"},
    "tr_exchanged": {"nl": "{a} heeft de gegevens van {o}: het zijn ook {c} (afgeleid uit de handelende partij en de herkomst)",
                     "en": "{a} holds data from {o}: they are also {c} (derived from the acting party and the origin)"},
    "tr_other_basis": {"nl": "{n}: andere wettelijke grondslag dan de opgegeven", "en": "{n}: a legal basis other than the one stated"},
    "and_open": {"nl": "{v}; daarnaast open punten", "en": "{v}; further open points"},
    "w_party": {"nl": "andere normadressaat", "en": "other addressee"},
    "w_action": {"nl": "andere handeling", "en": "other action"},
    "w_own_data": {"nl": "eigen gegevens van de handelende partij", "en": "the acting party's own data"},
    "w_target": {"nl": "andere gegevens", "en": "other data"},
}


def t(key: str, lang: str, **kw) -> str:
    return T[key][lang].format(**kw)


@dataclass
class ConditionResult:
    """One requirement (or scope fact) of a norm and whether the scenario meets it."""

    norm: URIRef
    kind: URIRef | None
    text: str
    status: str  # met | not-met | unknown
    source: str | None = None
    source_label: str = ""
    quote: str | None = None
    role: str = "condition"  # condition | scope | ban
    parties: tuple = ()  # who must consent (for a consent duty)

    def to_dict(self) -> dict:
        return {"norm": str(self.norm), "kind": str(self.kind) if self.kind else None,
                "text": self.text, "status": self.status, "role": self.role,
                "source": self.source, "source_label": self.source_label, "quote": self.quote}


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
    requirement: str | None = None
    conditions: list[ConditionResult] = field(default_factory=list)
    route: str = ""
    scope: str = SAT  # whether the rule governs the act: satisfied or undetermined
    report: RuleReport | None = None
    has_legal_basis: bool = True  # without one, a permission restricts every route of its instrument
    closed_list_of: str | None = None  # a closed list: the instrument whose permissions are the exceptions
    precondition: bool = False  # an obligation to do something first (wiv:precedes), not a basis
    narrower: bool = False  # on a narrower act than the one asked about: a restriction, never a basis
    prior_step: bool = False  # a duty to do this act before another (wiv:precedes), asked about this act
    manner: bool = False  # a form requirement ("vindt plaats door middel van ..."): never a basis

    @property
    def due_care(self) -> bool:
        return self.requirement == str(REQ_DUE_CARE)

    def to_dict(self) -> dict:
        return {
            "norm": self.iri, "modality": self.modality, "status": self.status,
            "source": self.source, "source_label": self.source_label, "quote": self.quote,
            "instrument": self.instrument, "legal_effect": self.legal_effect,
            "requirement_kind": self.requirement, "route": self.route, "scope": self.scope,
            "conditions": [c.to_dict() for c in self.conditions],
        }


@dataclass
class Fact:
    """A fact the evaluator read: stated (value) or unknown (value None)."""

    name: str
    label: str
    value: str | None
    deciding: bool = False
    norms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"fact": self.name, "label": self.label, "value": self.value,
                "deciding": self.deciding, "norms": self.norms}


@dataclass
class Verdict:
    scenario_id: str
    index: int
    file: str
    verdict: str
    label: str
    conditions: list[ConditionResult]  # open points (unknown) or failed requirements
    deciding: list[NormRef]
    applicable: list[NormRef]
    assumptions: list[str]  # only the date, when none was given
    trace: list[str]
    date: str
    lang: str = "nl"
    shortcomings: list[ConditionResult] = field(default_factory=list)
    grade: str | None = None  # requirement kind that failed
    facts_used: list[Fact] = field(default_factory=list)
    unknown: list[Fact] = field(default_factory=list)
    reports: list[PolicyReport] = field(default_factory=list)
    parts: list = field(default_factory=list)  # (label, Verdict) per single act of a v2 scenario

    @property
    def careless(self) -> bool:
        return self.verdict == CARELESS

    @property
    def deciding_unknowns(self) -> list[Fact]:
        return [f for f in self.unknown if f.deciding]

    def to_dict(self) -> dict:
        return {
            "id": self.scenario_id, "index": self.index, "file": self.file, "date": self.date,
            "verdict": self.verdict, "label": self.label, "grade": self.grade,
            "conditions": [c.to_dict() for c in self.conditions],
            "deciding_norms": [n.to_dict() for n in self.deciding],
            "applicable_norms": [n.to_dict() for n in self.applicable],
            "facts_used": [f.to_dict() for f in self.facts_used],
            "unknown_facts": [f.to_dict() for f in self.unknown],
            "assumptions": self.assumptions, "trace": self.trace,
            "parts": [{"part": label, "verdict": v.verdict, "label": v.label,
                       "deciding_norms": [n.iri for n in v.deciding]} for label, v in self.parts],
        }


def _shortened(text: str, length: int = 60) -> str:
    """``text`` cut at a word boundary before ``length`` characters, with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def source_label(source) -> str:
    """"convenant-ciic-2020 art 7 lid 2" from a subdivision IRI."""
    if source is None:
        return ""
    text = str(source)
    if text.startswith(str(DOC)):
        return " ".join(text[len(str(DOC)):].split("/"))
    return _local(text)


class _Overlay(ReadOnlyGraphAggregate):
    """Two graphs read as one, each triple once (rdflib's aggregate repeats a triple found in
    both): the norms just read over the vocabularies, without copying either."""

    def triples(self, triple):
        first, second = self.graphs
        yield from first.triples(triple)
        for found in second.triples(triple):
            if found not in first:
                yield found


# ---------------------------------------------------------------------------- the store side

_VOCAB_PROPS = (
    "rdfs:label", "skos:prefLabel", "skos:altLabel", "rdf:type", "skos:broader", "skos:narrower",
    "rdfs:subClassOf", "skos:inScheme", "skos:topConceptOf", "skos:exactMatch", "skos:closeMatch",
    "owl:sameAs", "org:subOrganizationOf", "org:unitOf", "org:postIn", "org:memberOf",
    "wiv:legalHost", "org:headOf", "wiv:holdsRole", "org:hasSubOrganization", "org:hasUnit", "org:hasPost", "wiv:underMinister",
    "wiv:member", "wiv:party", "wiv:requirementKind", "wiv:inForceFrom", "wiv:instrument",
    "eli:first_date_entry_in_force", "eli:date_document", "eli:date_no_longer_in_force",
    "wiv:replaces", "eli:repeals", "wiv:legalRegime", "wiv:document", "eli:date_publication",
    "wiv:exchangedBetween", "wiv:outranks",
)
VOCABULARY_QUERY = sparql_prologue() + """
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  VALUES ?p {{ {} }}
  ?s ?p ?o .
  FILTER (?p != rdf:type || !isBlank(?s))
  FILTER (?p != wiv:instrument || EXISTS {{ ?s a wiv:EntryIntoForce }})
}}""".format(" ".join(_VOCAB_PROPS))

CANDIDATES_QUERY = sparql_prologue() + """
SELECT DISTINCT ?norm WHERE {
  VALUES ?cls { wiv:Permission wiv:Prohibition wiv:Obligation }
  ?norm a ?cls .
  { { ?norm odrl:action ?a } UNION { ?norm wiv:precedes ?a }
    ?act skos:broader* ?a . }
  UNION
  # a norm on a narrower act ("sigint cooperation" for "cooperate"): it may govern the act
  { ?norm odrl:action ?a . ?a skos:broader+ ?act . }
  UNION
  # a duty before a narrower act ("listed special power" for "special power"): it may be a prior step
  { ?norm wiv:precedes ?before . ?before skos:broader+ ?act . }
  FILTER (!BOUND(?cat) || NOT EXISTS { ?norm odrl:target ?any }
          || EXISTS { ?norm odrl:target ?t . ?cat skos:broader* ?t }
          # a norm on narrower data ("personal data" asked as "data"): it may govern the act
          || EXISTS { ?norm odrl:target ?t . ?t skos:broader+ ?cat . FILTER (STRSTARTS(STR(?cat), STR(datacat:))) }
          || EXISTS { ?norm wiv:precedes ?p ; odrl:target ?part . ?act skos:broader* ?p .
                     ?part skos:broader ?t . ?cat skos:broader* ?t })
}"""

NORMS_QUERY = sparql_prologue() + """
CONSTRUCT { ?n ?p ?o . ?o ?p2 ?o2 . ?st ?sp ?so } WHERE {
  VALUES ?n { %s }
  { ?n ?p ?o .
    OPTIONAL { FILTER (isBlank(?o)) ?o ?p2 ?o2 } }
  UNION
  # where a norm's requirement kind is read (a practice passage is left out of the comparison)
  { ?st rdf:subject ?n ; rdf:predicate wiv:requirementKind ; ?sp ?so . }
}"""


def _triples(result) -> list[tuple]:
    return [(r["subject"], r["predicate"], r["object"]) for r in result.rows]


@dataclass
class NormInfo:
    """What the verdict needs of one norm besides its ODRL rule."""

    iri: URIRef
    modality: str
    rule: Rule
    policy: URIRef
    instrument: URIRef | None
    legal_effect: URIRef | None
    requirement: URIRef | None
    source: URIRef | None
    quote: str | None
    precedes: frozenset
    contexts: tuple
    legal_bases: tuple
    roles: dict  # constraint or duty IRI -> "condition" | "scope"
    texts: dict  # constraint or duty IRI -> (kind, source, quote)
    from_assessment: bool = False
    requirement_from_practice: bool = False
    closed_list_of: URIRef | None = None  # a closed list: forbidden unless this instrument permits
    manner: bool = False  # says how an act takes place when it does (condition-upon-provision)

    @property
    def route(self) -> str:
        keys = self.legal_bases or ((self.instrument,) if self.instrument else ())
        return " + ".join(sorted(str(k).rsplit("/id/doc/", 1)[-1] for k in keys)) or str(self.iri)


class Checker:
    """Evaluates scenarios against the norms in a store (embedded or remote).

    The vocabularies (labels, hierarchies, validity) are read once with one CONSTRUCT; norms
    are selected per action and data category with SPARQL, and only those are turned into ODRL
    rules (cached per norm).
    """

    def __init__(self, store, lang: str = "nl", framework_only: bool = False, *,
                 state: tuple | None = None):
        """``state``: the vocabulary graph and index a checker on the same data built before
        (:meth:`state`, kept between processes by :mod:`wivgraph.check.memo`); without it they
        are read from ``store`` (one CONSTRUCT, then the index: most of a short run's time).
        The graph may be given as a function that returns it (or None: then it is read from
        the store), called when the graph is first needed (:attr:`base`)."""
        from wivgraph.store import as_store  # noqa: PLC0415

        self.store = as_store(store)
        self.lang = lang
        self.framework_only = framework_only
        self._base_source = None
        if state is None:
            self._base = self._read_vocabulary()
            self.idx: NormIndex = build_index(self._base)
        else:
            base, self.idx = state
            if callable(base):
                self._base, self._base_source = None, base
            else:
                self._base = base
        self._norms: dict[URIRef, NormInfo] = {}
        self._candidates: dict[tuple, list[URIRef]] = {}
        self._names: dict[tuple, str] = {}

    def _read_vocabulary(self) -> Graph:
        base = Graph()
        for triple in _triples(self.store.query(VOCABULARY_QUERY, row_limit=UNLIMITED)):
            base.add(triple)
        return base

    @property
    def base(self) -> Graph:
        """The vocabulary graph the index was built from. From a remembered state it is read
        when first needed -- to load a norm the memo does not hold, or for a prior step on a
        broader object -- as most runs need the index only (reading it is most of reading a
        memo: every literal is parsed again)."""
        if self._base is None:
            source, self._base_source = self._base_source, None
            base = source() if source is not None else None
            self._base = base if base is not None else self._read_vocabulary()
            self.idx.graph = self._base
        return self._base

    def state(self) -> tuple[Graph, NormIndex]:
        """What this checker read from the data alone (the vocabulary graph and its index),
        the same for every language and mode: given back to :class:`Checker` as ``state``."""
        return self.base, self.idx

    def exchanged_categories(self, sc: Scenario) -> list[URIRef]:
        """Data categories the scenario's data also belong to by their flow: data one party of a
        ``wiv:exchangedBetween`` pair holds and that come from the other (2005 art 3.2)."""
        if sc.originating is None or sc.data_category is None:
            return []
        out = []
        mine, theirs = self.idx.org_ancestors(sc.actor), self.idx.org_ancestors(sc.originating)
        for category, pair in sorted(self.idx.exchanged.items(), key=lambda kv: str(kv[0])):
            if category in self.idx.up(sc.data_category):
                continue  # already named as such
            holder, source = mine & pair, theirs & pair
            if holder and source and not holder & source:
                out.append(category)
        return out

    def evaluate_exchanged(self, sc: Scenario, category: URIRef) -> Verdict:
        """The verdict on the same act for its data as ``category`` (see :meth:`exchanged_categories`),
        the derivation stated first in the reasoning."""
        verdict = self.evaluate(replace(sc, data_category=category))
        verdict.trace.insert(0, t("tr_exchanged", self.lang, a=self.L(sc.actor), o=self.L(sc.originating),
                                  c=self.L(category)))
        return verdict

    # ------------------------------------------------------------------ store
    def candidates(self, action, category) -> list[URIRef]:
        key = (action, category)
        if key not in self._candidates:
            bindings = {"act": action}
            if category is not None:
                bindings["cat"] = category
            rows = self.store.query(CANDIDATES_QUERY, bindings, row_limit=UNLIMITED).rows
            norms = sorted({r["norm"] for r in rows if isinstance(r.get("norm"), URIRef)}, key=str)
            self._load(norms)
            self._candidates[key] = [n for n in norms if n in self._norms]
        return self._candidates[key]

    def _load(self, norms: list[URIRef]) -> None:
        todo = [n for n in norms if n not in self._norms]
        if not todo:
            return
        text = NORMS_QUERY % " ".join(n.n3() for n in todo)
        sub = Graph()
        for triple in _triples(self.store.query(text, row_limit=UNLIMITED)):
            sub.add(triple)
        source = _Overlay([sub, self.base])  # a view: copying the vocabularies cost 0.15 s a call
        pg = policy_graph(source, todo)
        rules = {r.iri: r for p in parse_policies(pg) for r in p.rules}
        for n in todo:
            if n in rules:
                self._norms[n] = self._info(source, pg, n, rules[n])

    def _info(self, g: Graph, pg: Graph, n: URIRef, rule: Rule) -> NormInfo:
        roles, texts = {}, {}
        for c in list(pg.objects(n, ODRL.constraint)) + list(pg.objects(n, ODRL.duty)):
            roles[c] = ("deadline" if (c, RDF.type, DEADLINE_CONDITION) in pg
                        else "condition" if (c, RDF.type, CONDITION) in pg else "scope")
            sources = sorted(pg.objects(c, WIV.source), key=lambda x: (is_practice_passage(x), str(x)))
            texts[c] = (pg.value(c, WIV.conditionKind), sources[-1] if sources else None, pg.value(c, WIV.quote))
        own = g.value(n, WIV.requirementKind)
        practice = False
        if own is not None:
            sources = [g.value(st, WIV.source) for st in g.subjects(RDF.subject, n)
                       if g.value(st, RDF.predicate) == WIV.requirementKind]
            practice = bool(sources) and all(is_practice_passage(s) for s in sources)
        instrument = g.value(n, WIV.instrument)
        return NormInfo(
            iri=n, modality=modality_of(g, n) or "permission", rule=rule,
            policy=policy_iri(instrument) if instrument is not None else n,
            instrument=instrument, legal_effect=g.value(n, WIV.legalEffect),
            requirement=pg.value(n, WIV.requirementKind), source=g.value(n, WIV.source),
            quote=str(g.value(n, WIV.quote)) if g.value(n, WIV.quote) is not None else None,
            precedes=frozenset(g.objects(n, WIV.precedes)),
            contexts=tuple(sorted(g.objects(n, WIV.context), key=str)),
            legal_bases=tuple(sorted(g.objects(n, WIV.legalBasis), key=str)),
            roles=roles, texts=texts,
            from_assessment=(n, RDF.type, WIV.AssessmentNorm) in g,
            requirement_from_practice=practice,
            closed_list_of=g.value(n, WIV.unlessPermittedBy),
            manner=any(text[0] == CONCEPT["condition-upon-provision"] for text in texts.values()),
        )

    # ------------------------------------------------------------------ labels
    def L(self, node) -> str:  # noqa: N802 - short on purpose
        return self.idx.label(node, self.lang)

    def norm_name(self, norm) -> str:
        """How the reasoning names a norm: its lid and the start of its label, e.g.
        'convenant-ciic-2020 art 7 lid 1 (Verstrekking van CIIC-gegevens en -analyses …)'
        (several norms can rest on one lid, so the lid alone does not say which)."""
        key = (norm, self.lang)
        name = self._names.get(key)
        if name is None:
            info = self._norms.get(norm)
            cited = source_label(info.source) if info is not None and info.source is not None else ""
            label = self.idx.labels.get((norm, self.lang)) or self.idx.labels.get((norm, "nl"))
            if not label:
                name = cited or _local(norm)
            else:
                name = f"{cited or _local(norm)} ({_shortened(str(label))})"
            self._names[key] = name
        return name

    def _requirement(self, info: NormInfo):
        if self.framework_only and info.requirement_from_practice:
            effect_kind = None
            if info.legal_effect is not None:
                for e in sorted(self.idx.up(info.legal_effect), key=lambda x: (x != info.legal_effect, str(x))):
                    effect_kind = self.base.value(e, WIV.requirementKind)
                    if effect_kind is not None:
                        break
            return effect_kind
        return info.requirement

    # ------------------------------------------------------------------ one scenario
    def evaluate(self, sc: Scenario) -> Verdict:
        lang = self.lang
        world = ScenarioWorld(self.idx, sc)
        trace: list[str] = []
        assumptions: list[str] = []
        if sc.date_note:
            assumptions.append(sc.date_note)
        elif sc.date_assumed:
            assumptions.append(t("date_today", lang, d=sc.date.isoformat()))
        request = self.request_for(sc)
        what = sc.data_category if sc.data_category is not None else sc.object
        names = self.candidates(sc.action, what)
        cat = f", {self.L(what)}" if what is not None else ""
        trace.append(t("tr_candidates", lang, a=self.L(sc.action), c=cat, k=len(names)))
        refs: list[NormRef] = []
        reports: list[PolicyReport] = []
        lookups_by_norm: dict[str, list[Lookup]] = {}
        for n in names:
            mark = len(world.log)
            ref, report = self._evaluate_norm(self._norms[n], sc, request, world, trace)
            if report is None:
                continue
            reports.append(report)
            lookups_by_norm[str(n)] = world.log[mark:]
            if ref is not None:
                refs.append(ref)
        verdict = self._combine(sc, refs, assumptions, trace, reports)
        self._facts(verdict, world, lookups_by_norm, sc)
        return verdict

    def request_for(self, sc: Scenario) -> Request:
        """The ODRL request of a scenario: its actor, action and data category. Everything else
        the scenario states is the state of the world, so scenarios asking the same act share
        the request's IRI (a uuid5 of the three)."""
        import uuid  # noqa: PLC0415

        what = sc.data_category if sc.data_category is not None else sc.object
        key = "|".join(str(x) for x in (sc.actor, sc.action, what))
        iri = URIRef(uuid.uuid5(uuid.NAMESPACE_URL, "wivgraph-request:" + key).urn)
        rule = Rule(
            iri=URIRef(uuid.uuid5(uuid.NAMESPACE_URL, "wivgraph-request-rule:" + key).urn), kind="permission",
            assignees=(sc.actor,), assigners=(), actions=(sc.action,),
            targets=(what,) if what is not None else (), constraints=(),
        )
        return Request(iri=iri, rules=(rule,))

    def norm_info(self, norm: URIRef) -> NormInfo:
        """The rule and the citation data of one norm (fetched from the store once)."""
        self._load([norm])
        return self._norms[norm]

    def evaluate_norm(self, norm: URIRef, sc: Scenario) -> tuple[NormRef | None, NormInfo]:
        """One norm for one scenario: its state (None if it does not govern the act)."""
        info = self.norm_info(norm)
        ref, _ = self._evaluate_norm(info, sc, self.request_for(sc), ScenarioWorld(self.idx, sc), [])
        return ref, info

    def _evaluate_norm(self, info: NormInfo, sc: Scenario, request: Request, world: ScenarioWorld,
                       trace: list) -> tuple[NormRef | None, PolicyReport | None]:
        if self.framework_only and info.from_assessment:
            return None, None
        rule = info.rule
        if self.framework_only:
            rule = self._without_practice(info, rule)
        as_precondition = not (self.idx.up(sc.action) & set(rule.actions)) and bool(
            self.idx.up(sc.action) & info.precedes)
        # a duty to do something before a narrower act than the one asked about (inform the MIVD
        # before a *listed* special power, asked about a special power): a prior step if the act
        # is of that kind, which the scenario may not say
        narrower_prior = ()
        if not as_precondition and not (self.idx.up(sc.action) & set(rule.actions)):
            narrower_prior = tuple(sorted((a for a in info.precedes if sc.action in self.idx.up(a)), key=str))
        if narrower_prior:
            kind = self._act_kind(sc, narrower_prior)
            if kind is False:
                trace.append(t("tr_out", self.lang, n=self.norm_name(info.iri), w=t("w_action", self.lang)))
                return None, None
            rule = self._precondition_rule(info, rule, narrower_prior[0])
            request = replace(request, rules=tuple(replace(r, actions=narrower_prior[:1]) for r in request.rules))
            as_precondition = True
            if kind is True:
                narrower_prior = ()
        elif as_precondition:
            received = self._is_transfer(rule.actions) and not self._is_transfer((sc.action,))
            rule = self._precondition_rule(info, rule, sc.action, keep_recipient=received)
            if received:
                # the prior step is the data's provision to the actor: the actor is its recipient,
                # the cell the norm belongs to (if any) its provider. Data the actor supplied
                # itself were never provided to it.
                if sc.originating is not None and (
                        self.idx.org_ancestors(sc.actor) | {sc.actor}) & (self.idx.org_ancestors(sc.originating) | {sc.originating}):
                    trace.append(t("tr_out", self.lang, n=self.norm_name(info.iri), w=t("w_own_data", self.lang)))
                    return None, None
                provider = info.contexts[0] if info.contexts else sc.actor
                sc_prior = replace(sc, actor=provider, recipient=sc.actor, recipient_name=None, recipient_kind=None)
                world = ScenarioWorld(self.idx, sc_prior, log=world.log)
        narrower, restriction = (), False
        if not as_precondition and not (self.idx.up(sc.action) & set(rule.actions)):
            # the norm is on a narrower act than the one asked about: it governs the act if the
            # act is of that kind, which the scenario does not say
            narrower = tuple(a for a in rule.actions if sc.action in self.idx.up(a))
            if narrower:
                kind = self._act_kind(sc, narrower)
                if kind is False:
                    trace.append(t("tr_out", self.lang, n=self.norm_name(info.iri), w=t("w_action", self.lang)))
                    return None, None
                request = replace(request, rules=tuple(replace(r, actions=narrower[:1]) for r in request.rules))
                if kind is True:
                    narrower = ()  # the stated facts make the act one of this kind
                    world._record("data-source", sc.originating)
                    restriction = True
        world.rule = RuleContext(instruments=(info.instrument,) if info.instrument else (),
                                 contexts=info.contexts)
        # candidate selection by addressee, with the evaluator's own party test: a rule none of
        # whose assignees can be the actor is not evaluated (its report would only say Inactive)
        if rule.assignees and all(world.party_matches(sc.actor, p) is False for p in rule.assignees):
            trace.append(t("tr_out", self.lang, n=self.norm_name(info.iri), w=t("w_party", self.lang)))
            return None, None
        if narrower:
            world._record("action", None)
        finer = self._finer_data(sc, rule)
        if finer and info.modality == "permission":
            # a power over narrower data is no basis for the data asked about, nor a limit on them
            trace.append(t("tr_out", self.lang, n=self.norm_name(info.iri), w=t("w_target", self.lang)))
            return None, None
        if finer:
            # the norm is on narrower data than the data asked about: it governs the act if the
            # data are of that kind, which the scenario does not say (a list of categories does)
            request = replace(request, rules=tuple(replace(r, targets=finer[:1]) for r in request.rules))
            world._record("data-category-kind", None)
        report = evaluate(Policy(iri=info.policy, policy_type=ODRL_SET, rules=(rule,)), request, world,
                          conditions_must_be_fulfilled=True, obligations_govern_acts=True)
        ref = self._read(info, rule, report, as_precondition, trace, narrower=narrower or narrower_prior, finer=finer)
        if ref is not None and (narrower or restriction or finer or narrower_prior):
            ref.narrower = True
        return ref, report

    def _finer_data(self, sc: Scenario, rule: Rule) -> tuple:
        """The norm's data categories that are narrower than the one asked about, when none of
        them is the asked category or broader (else the norm governs the data as asked)."""
        asked = sc.data_category
        if asked is None or not rule.targets:
            return ()
        up = self.idx.up(asked)
        if any(t in up for t in rule.targets):
            return ()
        return tuple(t for t in rule.targets if str(t).startswith(str(DATACAT)) and asked in self.idx.up(t))

    def _act_kind(self, sc: Scenario, narrower: tuple) -> bool | None:
        """Whether the act asked about is of the narrower kind a norm speaks of: stated in
        ``conditions`` (``sigint-cooperation: not-met``: the act is no Sigint cooperation); for
        passing onward, the data's stated origin decides (own data, or data given back to their
        source, are not passed onward); otherwise the scenario does not say (None)."""
        stated = [sc.conditions.get(a) for a in narrower]
        if any(x == MET for x in stated):
            return True
        if all(x == NOT_MET for x in stated):
            return False
        if not all(PASS_ONWARD in self.idx.up(a) for a in narrower) or sc.originating is None:
            return None
        own = self.idx.org_ancestors(sc.actor) | {sc.actor}
        origin = self.idx.org_ancestors(sc.originating) | {sc.originating}
        given_back = sc.recipient is not None and sc.recipient in origin
        return not (own & origin or given_back)

    def _without_practice(self, info: NormInfo, rule: Rule) -> Rule:
        """The rule without conditions that only an assessment of practice (a Praktijk passage)
        states: used to compare with the CTIVD's cases, which those passages decide."""
        def keep(iri) -> bool:
            source = info.texts.get(iri, (None, None, None))[1]
            return not is_practice_passage(source)

        return replace(rule, constraints=tuple(c for c in rule.constraints if keep(c.iri)),
                       duties=tuple(d for d in rule.duties if keep(d.iri)))

    def _is_transfer(self, actions) -> bool:
        return any(PROVIDE in self.idx.up(a) for a in actions)

    def _precondition_rule(self, info: NormInfo, rule: Rule, action, keep_recipient: bool = False) -> Rule:
        """An obligation to do Y before X, asked about X: a rule on X whose condition is Y done."""
        extra = []
        if not any(info.roles.get(c.iri) == "condition" for c in rule.constraints) and not rule.duties:
            for a in rule.actions:
                iri = URIRef(f"{info.iri}/constraint/first-{_local(a)}")
                info.roles[iri] = "condition"
                info.texts[iri] = (a, info.source, None)
                extra.append(Constraint(iri=iri, left_operand=a, operator=ODRL.eq, right_operand=(Literal(True),)))
        # who the prior step is taken with (the counterparty) belongs to that step, not to the act
        own = tuple(c for c in rule.constraints
                    if keep_recipient or not str(c.iri).endswith(("/constraint/counterparty", "/constraint/recipient")))
        # the prior step may concern a part or draft of what the act concerns (the draft of the
        # ambtsbericht is shown before the ambtsbericht is provided): its object's direct broader
        # concept is the act's object too
        targets = set(rule.targets)
        for target in rule.targets:
            targets.update(o for o in self.base.objects(target, SKOS.broader) if isinstance(o, URIRef))
        return replace(rule, actions=tuple(sorted(info.precedes & self.idx.up(action), key=str)),
                       targets=tuple(sorted(targets, key=str)), constraints=own + tuple(extra))

    # ------------------------------------------------------------------ report -> norm state
    def _state(self, p: PremiseReport) -> str:
        if p.satisfaction == SATISFIED:
            return SAT
        if p.satisfaction == UNDETERMINED:
            return UNDET
        return UNSAT

    def _read(self, info: NormInfo, rule: Rule, report: PolicyReport, as_precondition: bool,
              trace: list, narrower: tuple = (), finer: tuple = ()) -> NormRef | None:
        lang = self.lang
        rr = report.rule_reports[0] if report.rule_reports else None
        if rr is None:
            return None
        name = self.norm_name(info.iri)
        scope_states, scope_open, conds = [], [], []
        for p in rr.premises:
            iri = p.constraint.iri if isinstance(p.constraint, Constraint) else p.constraint
            role = info.roles.get(iri, "scope") if p.kind == "constraint" else "scope"
            st = self._state(p)
            if role == "scope":
                scope_states.append(st)
                if st == UNSAT:
                    why = {"party": "w_party", "action": "w_action", "target": "w_target"}.get(p.kind)
                    what = t(why, lang) if why else self._premise_text(info, iri, info.texts.get(iri, (None,))[0], p)
                    trace.append(t("tr_out", lang, n=name, w=what))
                    return None
                if st == UNDET:
                    scope_open.append(self._condition(info, iri, "unknown", "scope", p))
            elif role == "deadline":
                if st != UNDET:  # an unknown time is a point of attention, not an open condition
                    conds.append(self._condition(info, iri, "met" if st == SAT else "not-met", "condition", p))
            else:
                conds.append(self._condition(info, iri, {SAT: "met", UNSAT: "not-met", UNDET: "unknown"}[st], "condition", p))
        for key, kinds in (("act_is", narrower), ("data_are", finer)):
            if kinds:  # the norm is on a narrower act or narrower data: whether this is one is open
                scope_open.append(ConditionResult(
                    norm=info.iri, kind=None, role="scope", status="unknown",
                    text=t(key, lang, a=" / ".join(self.L(k) for k in kinds)),
                    source=str(info.source) if info.source else None, source_label=source_label(info.source),
                    quote=info.quote))
        for dr in rr.conditions:
            duty = dr.rule_iri
            state = dr.deontic
            status = "met" if state == REPORT.Fulfilled else ("not-met" if state == REPORT.Violated else "unknown")
            conds.append(self._duty_condition(info, duty, status))
        if info.modality == "obligation" and not as_precondition and rr.deontic in (REPORT.Violated, REPORT.Fulfilled):
            # the obligation's own act, stated done or not done
            conds.append(self._act_condition(info, "met" if rr.deontic == REPORT.Fulfilled else "not-met"))
        scope = UNDET if scope_open else SAT
        modality = "obligation" if as_precondition else info.modality
        statuses = [c.status for c in conds]
        if info.modality == "prohibition":
            state = "standing" if scope == SAT else "open"
        else:
            state = "failed" if "not-met" in statuses else ("satisfied" if all(s == "met" for s in statuses) else "open")
        ref = NormRef(
            iri=str(info.iri), modality=modality, status=state,
            source=str(info.source) if info.source else None, source_label=source_label(info.source),
            quote=info.quote, instrument=str(info.instrument) if info.instrument else None,
            legal_effect=str(info.legal_effect) if info.legal_effect else None,
            requirement=str(self._requirement(info)) if self._requirement(info) else None,
            conditions=scope_open + conds, route=info.route, scope=scope, report=rr,
            has_legal_basis=bool(info.legal_bases), precondition=as_precondition,
            prior_step=bool(info.precedes) and not as_precondition and info.modality == "obligation",
            manner=info.manner,
            closed_list_of=str(info.closed_list_of) if info.closed_list_of is not None else None,
        )
        if scope == UNDET:
            trace.append(t("tr_maybe", lang, n=name, m=t(modality, lang),
                           w="; ".join(c.text for c in scope_open)))
        else:
            trace.append(t("tr_applies", lang, n=name, m=t(modality, lang), s=self.state_label(state)))
        return ref

    def _condition(self, info: NormInfo, iri, status: str, role: str, p: PremiseReport) -> ConditionResult:
        kind, source, quote = info.texts.get(iri, (None, None, None))
        text = self._premise_text(info, iri, kind, p)
        source = source or info.source
        return ConditionResult(
            norm=info.iri, kind=kind, text=text, status=status, role=role,
            source=str(source) if source else None, source_label=source_label(source),
            quote=str(quote) if quote is not None else (info.quote if role == "scope" else None),
        )

    def _premise_text(self, info: NormInfo, iri, kind, p: PremiseReport) -> str:
        lang = self.lang
        if p.kind == "target":
            data = any(str(x).startswith(str(DATACAT)) for x in info.rule.targets)
            head = t("f_data-category" if data else "f_object", lang)
            return head + ": " + ", ".join(self.L(x) for x in info.rule.targets)
        if p.kind == "party":
            return t("f_actor", lang) + ": " + ", ".join(self.L(x) for x in info.rule.assignees)
        c = p.constraint if isinstance(p.constraint, Constraint) else None
        if kind is not None and (c is None or c.left_operand == kind):
            return self.L(kind)
        if c is None:
            return self.L(kind) if kind is not None else str(iri)
        parts = [c] if not c.is_logical else list(c.operands)
        lefts = {x.left_operand for x in parts if not x.is_logical}
        rights = [r for x in parts if not x.is_logical for r in x.right_operand]
        left = next(iter(lefts)) if len(lefts) == 1 else None
        fact = FACT_OF_LEFT.get(left)
        if fact is None and lefts <= RECIPIENT_LEFTS:
            fact = "f_recipient"  # "to the AIVD, or to the CIIC staff": either names the recipient
        if left == DATE_OF_ACT and len(parts) == 1 and rights and c.operator == ODRL_LT:
            return t("within_before", lang, k=self.L(kind) if kind is not None else "", d=str(rights[0]))
        if left == ODRL_DATETIME and len(parts) == 1 and rights:
            # the instrument's time in force: "in force until 2018-05-01", not "date: 2018-05-01"
            word = IN_FORCE_WORDS.get(c.operator)
            if word:
                return t(word, lang, d=str(rights[0]))
        head = t(fact, lang) if fact else (self.L(kind) if kind is not None else self.L(left) if left else "")
        values = ", ".join(self.L(r) if isinstance(r, URIRef) else str(r) for r in rights)
        if values and c.operator in (ODRL.isNoneOf, ODRL.neq) and len(parts) == 1:
            # an exception ("a-c: anyone but the foreign services of d") reads as one
            values = t("none_of", lang, v=values)
        return f"{head}: {values}" if values else head

    def _act_condition(self, info: NormInfo, status: str) -> ConditionResult:
        acts = ", ".join(self.L(a) for a in info.rule.actions)
        return ConditionResult(
            norm=info.iri, kind=info.rule.actions[0] if info.rule.actions else None,
            text=t("act_itself", self.lang, a=acts), status=status,
            source=str(info.source) if info.source else None, source_label=source_label(info.source),
            quote=info.quote,
        )

    def _duty_condition(self, info: NormInfo, duty, status: str) -> ConditionResult:
        kind, source, quote = info.texts.get(duty, (None, None, None))
        rule = next((d for d in info.rule.duties if d.iri == duty), None)
        parties = rule.consenting_parties if rule is not None else ()
        who = ", ".join(self.L(p) for p in parties) or (self.L(kind) if kind else "")
        source = source or info.source
        return ConditionResult(
            norm=info.iri, kind=kind, text=t("consent_of", self.lang, p=who), status=status,
            source=str(source) if source else None, source_label=source_label(source),
            quote=str(quote) if quote is not None else None, parties=tuple(parties),
        )

    def state_label(self, state: str) -> str:
        return t("careless_state" if state == "careless" else state, self.lang)

    # ------------------------------------------------------------------ verdict
    def _grade(self, refs: list[NormRef]):
        kinds = [URIRef(r.requirement) if r.requirement else None for r in refs]
        return min(kinds, key=GRADE_ORDER.index) if kinds else REQ_LEGALITY

    def _label(self, verdict: str, grade) -> str:
        if verdict == AGREEMENT_BREACH and grade == REQ_NOT_ENFORCEABLE:
            return t("not_enforceable", self.lang)
        if verdict == FORBIDDEN and grade is None:
            return t("kind_unstated", self.lang)
        return t(verdict, self.lang)

    def _combine(self, sc: Scenario, refs: list[NormRef], assumptions: list, trace: list,
                 reports: list) -> Verdict:
        lang = self.lang
        bans = [r for r in refs if r.modality == "prohibition"]
        # a permission on a narrower act than the one asked about only restricts it ("if the act
        # is X, X's conditions hold"): it is no route and lifts no closed list
        obligations = [r for r in refs if r.modality == "obligation" or (r.modality == "permission" and r.narrower)]
        permissions = [r for r in refs if r.modality == "permission" and not r.narrower]
        # a closed list ("slechts ... in de gevallen voorzien bij deze wet") is lifted by any
        # permission of its instrument that may govern the act and has not failed
        uncertain_lists: list[tuple[NormRef, list[NormRef]]] = []
        for ban in [b for b in bans if b.closed_list_of]:
            # a case of the list is a permission of its instrument on the list's act or a narrower
            # one (a power "tot het verwerken" does not open a list on providing)
            ban_acts = self._norms[URIRef(ban.iri)].rule.actions
            lifting = [p for p in permissions if p.instrument == ban.closed_list_of and p.status != "failed"
                       and any(b in self.idx.up(a) for a in self._norms[URIRef(p.iri)].rule.actions for b in ban_acts)]
            if lifting:
                if not any(p.scope == SAT for p in lifting):
                    # none of the listed cases surely governs the act: the list may still stand
                    uncertain_lists.append((ban, lifting))
                bans.remove(ban)
                refs = [r for r in refs if r is not ban]
                trace.append(t("tr_list_lifted", lang, n=self.norm_name(URIRef(ban.iri)),
                               k="; ".join(self.norm_name(URIRef(p.iri)) for p in lifting)))
            else:
                trace.append(t("tr_list_stands", lang, n=self.norm_name(URIRef(ban.iri))))
        standing = [r for r in bans if r.status == "standing"]
        failed_obl = [r for r in obligations if r.status == "failed" and r.scope == SAT]
        # permissions: per instrument one gate; within it, routes (legal bases) are alternatives
        # A permission without a legal basis of its own, in an instrument whose other permissions
        # have one, is no alternative route: it restricts every route (the director's decision on
        # personal data binds provision under art 36 and art 59 alike).
        levels: dict[str, dict[str, list[NormRef]]] = {}
        extra: dict[str, list[NormRef]] = {}
        if sc.legal_basis:
            # the actor relies on one legal basis: permissions on another basis are no route
            basis = sc.legal_basis
            def on_basis(r):
                keys = [str(b) for b in self._norms[URIRef(r.iri)].legal_bases]
                return any(k.startswith(basis) or basis.startswith(k + "/") for k in keys)
            dropped = [r for r in permissions if r.has_legal_basis and not on_basis(r)]
            for r in dropped:
                trace.append(t("tr_other_basis", lang, n=self.norm_name(URIRef(r.iri))))
            permissions = [r for r in permissions if r not in dropped]
            refs = [r for r in refs if r not in dropped]
        # an obligation that surely governs the act and is met makes the act one its instrument
        # requires: a route of that instrument of its own, beside its permissions ("wordt
        # vervolgens rechtstreeks ... verstrekt", 2005 art 5.1, next to 5.2's "laat onverlet")
        # (only a duty to do this very act, not one on a broader act or on its form)
        required = [r for r in obligations if r.modality == "obligation" and r.status == "satisfied"
                    and r.scope == SAT and not r.precondition and not r.narrower and not r.manner
                    and sc.action in self._norms[URIRef(r.iri)].rule.actions]
        for r in permissions + required:
            if not r.has_legal_basis and r.modality == "permission":
                extra.setdefault(r.instrument or "", []).append(r)
            else:
                levels.setdefault(r.instrument or "", {}).setdefault(r.route, []).append(r)
        for level, rs in extra.items():
            if level in levels:
                for members in levels[level].values():
                    members.extend(rs)
                trace.append(t("tr_no_basis", lang, l=_local(level), k=len(rs)))
            else:
                for r in rs:
                    levels.setdefault(level, {}).setdefault(r.route, []).append(r)
        order = {"satisfied": 0, "open": 1, "failed": 2}

        def route_rank(members, state):
            if any(m.status == "failed" and m.scope == SAT for m in members):
                return 2
            return order[state] if state != "failed" else 1
        level_state, level_best = {}, {}
        for level, routes in sorted(levels.items()):
            states = {k: max((m.status for m in v), key=order.__getitem__) for k, v in routes.items()}
            for k, st in sorted(states.items()):
                trace.append(t("tr_route", lang, l=_local(level), r=k, s=self.state_label(st)))
            best = sorted(routes, key=lambda k: (route_rank(routes[k], states[k]), k))[0]
            level_best[level], level_state[level] = routes[best], states[best]
        # a route fails when one of its norms governs the act for sure and a stated fact fails it;
        # an instrument fails when every route does
        def route_failed(members):
            return any(m.status == "failed" and m.scope == SAT for m in members)

        failed_levels = [lv for lv, routes in levels.items() if all(route_failed(rs) for rs in routes.values())]
        failing = standing + failed_obl + [m for lv in failed_levels for rs in levels[lv].values()
                                           for m in rs if m.status == "failed" and m.scope == SAT]
        # what is still open: a ban that may apply; an obligation or permission that governs the
        # act and has an unknown requirement, or may govern it and would then fail or be open.
        # A duty to do this act first, before another act (2005 art 2.2: coordinate before a
        # special power), asked about this act itself only requires it: never an open point.
        open_refs = ([r for r in bans if r.status == "open"]
                     + [r for r in obligations if r.status != "satisfied" and r not in failed_obl
                        and not r.prior_step]
                     + [m for lv in level_state if lv not in failed_levels for m in level_best[lv]
                        if m.status != "satisfied"])
        for ban, lifting in uncertain_lists:
            open_refs += [ban] + [p for p in lifting if p not in open_refs]
        # what can make the act permitted: not a prior step, not a restriction from a narrower act
        # nor a form requirement, which says how the act takes place if it may (IND 2019 art 2 lid 1)
        basis = [r for r in permissions + obligations if not r.precondition and not r.narrower and not r.manner]
        sure_basis = [r for r in basis if r.scope == SAT]
        if not sure_basis and basis and not open_refs:
            open_refs = basis  # only norms that may govern the act: their scope decides
        conditions: list[ConditionResult] = []
        grade = None
        if failing:
            grade = self._grade(failing)
            verdict = GRADE_VERDICT[grade]
            deciding = failing
            for r in failing:
                if r.modality == "prohibition":
                    conditions += [c for c in r.conditions]
                else:
                    conditions += [c for c in r.conditions if c.status == "not-met"]
            if verdict != FORBIDDEN:
                # a lesser failure is certain, but what is still open may make the act unlawful
                still_open = [c for r in open_refs for c in r.conditions if c.status == "unknown"]
                conditions += still_open
                deciding = failing + [r for r in open_refs if r not in failing]
        elif not refs:
            verdict, deciding = NO_RULE, []
        elif open_refs:
            verdict, deciding = CONDITIONAL, open_refs
            for r in open_refs:
                for c in r.conditions:
                    if c.role == "scope" and r.status == "satisfied" and r in sure_basis:
                        continue
                    if c.status == "unknown":
                        if r.modality == "prohibition":
                            c.text = t("if_ban", lang, c=c.text)
                        elif c.role == "scope":
                            c.text = t("if_scope", lang, c=c.text)
                        conditions.append(c)
                    elif c.status == "not-met":
                        conditions.append(c)
        elif not basis:
            verdict, deciding = NO_RULE, refs
        else:
            verdict = PERMITTED
            deciding = [r for lv in sorted(level_best) for r in level_best[lv]] + [
                r for r in obligations if not (r.prior_step and r.status != "satisfied")]
            # a norm that only may govern the act (joint action unknown) did not decide it
            deciding = [r for r in deciding if r.scope == SAT] or deciding
        deciding = list({r.iri: r for r in deciding}.values())  # a norm can join several routes
        seen, unique = set(), []
        for c in conditions:
            key = (c.text, c.source)
            if key not in seen:
                seen.add(key)
                unique.append(c)
        label = self._label(verdict, grade)
        if verdict in (CARELESS, AGREEMENT_BREACH) and any(c.status == "unknown" for c in conditions):
            label = t("and_open", lang, v=t("careless_open", lang) if verdict == CARELESS else label)
        trace.append(t("tr_verdict", lang, v=label))
        return Verdict(
            scenario_id=sc.id, index=sc.index, file=sc.file, verdict=verdict, label=label,
            conditions=unique, deciding=deciding, applicable=refs, assumptions=assumptions,
            trace=trace, date=sc.date.isoformat(), lang=lang,
            shortcomings=[c for c in unique if c.status == "not-met"] if verdict != FORBIDDEN else [],
            grade=str(grade) if grade is not None else None, reports=reports,
        )

    def _facts(self, verdict: Verdict, world: ScenarioWorld, by_norm: dict, sc: Scenario) -> None:
        """Stated facts used and unknown facts met; an unknown decides when it sits in a norm
        the verdict rests on and the verdict is conditional."""
        deciding_norms = {r.iri for r in verdict.deciding}
        used: dict[tuple, Fact] = {}
        unknown: dict[tuple, Fact] = {}
        for norm, lookups in by_norm.items():
            for lk in lookups:
                label = t(f"f_{lk.fact}", self.lang) + (f" ({self.L(lk.key)})" if lk.key is not None else "")
                key = (lk.fact, str(lk.key))
                if lk.value is None:
                    f = unknown.setdefault(key, Fact(lk.fact, label, None))
                    if norm in deciding_norms and verdict.verdict not in (FORBIDDEN, NO_RULE, PERMITTED):
                        f.deciding = True
                else:
                    # the recipient's kind is derived relative to each norm's instrument and can
                    # differ between norms: each such value is shown with its norms
                    value = self._value(lk.value, sc)
                    split = (*key, value) if lk.fact == "recipient-scope" else key
                    f = used.setdefault(split, Fact(lk.fact, label, value))
                if norm not in f.norms:
                    f.norms.append(norm)
        verdict.facts_used = list(used.values())
        verdict.unknown = list(unknown.values())

    def _value(self, value, sc: Scenario) -> str:
        if value == UNNAMED:
            return t("unnamed", self.lang)
        if value == OTHER_DECIDER:
            return t("other_decider", self.lang, p=", ".join(self.L(x) for x in sorted(sc.not_decided_by, key=str)))
        if isinstance(value, Literal) and isinstance(value.toPython(), bool):
            return t("yes" if value.toPython() else "no", self.lang)
        if isinstance(value, bool):
            return t("yes" if value else "no", self.lang)
        if isinstance(value, tuple):
            return ", ".join(self._value(v, sc) for v in value)
        if isinstance(value, URIRef):
            return self.L(value)
        return str(value)


_CHECKERS: dict[tuple, tuple] = {}


def checker_for(store_or_graph, lang: str = "nl", framework_only: bool = False) -> Checker:
    """The cached :class:`Checker` of a store or graph (one per object, language and mode)."""
    if isinstance(store_or_graph, Checker):
        if store_or_graph.lang == lang:
            return store_or_graph
        import copy  # noqa: PLC0415

        other = copy.copy(store_or_graph)
        other.lang = lang
        return other
    key = (id(store_or_graph), lang, framework_only)
    hit = _CHECKERS.get(key)
    if hit is not None and hit[0]() is store_or_graph:
        return hit[1]
    return remember_checker(store_or_graph, Checker(store_or_graph, lang, framework_only))


def remember_checker(store_or_graph, checker: Checker) -> Checker:
    """Make ``checker`` the one :func:`checker_for` gives for ``store_or_graph`` (in its
    language and mode), e.g. one made from a remembered state (:mod:`wivgraph.check.memo`)."""
    import weakref  # noqa: PLC0415

    key = (id(store_or_graph), checker.lang, checker.framework_only)
    try:
        ref = weakref.ref(store_or_graph, lambda _r, k=key, cache=_CHECKERS: cache.pop(k, None))
    except TypeError:  # pragma: no cover - objects without weak references
        return checker
    _CHECKERS[key] = (ref, checker)
    return checker


def clear_cache() -> None:
    """Forget every cached checker (call after changing a graph in place)."""
    _CHECKERS.clear()


__all__ = ["AGREEMENT_BREACH", "CARELESS", "CONDITIONAL", "FORBIDDEN", "NO_RULE", "PERMITTED",
           "VERDICTS", "Checker", "checker_for", "clear_cache", "remember_checker", "ConditionResult", "Fact", "NormRef", "Verdict", "source_label"]
