"""The act a norm governs, beyond data (#18): deadlines, the object of an act, an obligation's own
act stated done or not done, a prior step on a draft of what is provided, and conditions per hop."""

from __future__ import annotations

import pytest

from wivgraph.check import (
    AGREEMENT_BREACH,
    CONDITIONAL,
    FORBIDDEN,
    PERMITTED,
    check_scenarios,
    checker_for,
)
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.errors import WivgraphError

NORM = "https://w3id.org/wivgraph/id/norm/"
LOOK_UP = "convenant-aivd-mivd-2005-art-1-lid-5-c"


@pytest.fixture(scope="session")
def checker(corpus):
    return checker_for(corpus)


def check(checker, scenario: dict, lang: str = "nl"):
    return check_scenarios(checker, scenarios_from_data(scenario, "<test>"), lang)[0]


def deciding(verdict) -> set[str]:
    return {n.iri.removeprefix(NORM) for n in verdict.deciding}


def establish_look_up(date: str | None) -> dict:
    sc = {"version": 2, "actor": "MIVD", "action": "establish", "object": "raadpleegfunctie menselijke bronnen"}
    if date:
        sc["date"] = date
    return sc


def test_fixed_deadline_met_and_missed(checker):
    """2005 art 1 lid 5: "Deze raadpleegfunctie zal eind 2005 operationeel zijn"."""
    in_time = check(checker, establish_look_up("2005-12-01"))
    assert in_time.verdict == PERMITTED and LOOK_UP in deciding(in_time)
    late = check(checker, establish_look_up("2006-03-01"))
    assert late.verdict == FORBIDDEN and LOOK_UP in deciding(late)
    failed = [c for c in late.conditions if c.status == "not-met"]
    assert failed and failed[0].quote == "Deze raadpleegfunctie zal eind 2005 operationeel zijn."
    assert "binnen de termijn" in failed[0].text


def test_unknown_date_of_act_is_never_today(checker):
    """Without a date the act's date is unknown to a deadline: today (assumed only to find the
    instruments in force, and said so) never fails or meets it."""
    from wivgraph.check.resolve import resolve
    from wivgraph.check.world import ScenarioWorld
    from wivgraph.namespaces import WIV

    undated = resolve(checker.idx, scenarios_from_data(establish_look_up(None), "<test>")[0])
    assert undated.date_assumed
    world = ScenarioWorld(checker.idx, undated)
    assert world.operand_values(WIV.dateOfAct) is None
    assert [(x.fact, x.value) for x in world.log] == [("date", None)]
    dated = resolve(checker.idx, scenarios_from_data(establish_look_up("2005-12-01"), "<test>")[0])
    values = ScenarioWorld(checker.idx, dated).operand_values(WIV.dateOfAct)
    assert [str(v) for v in values] == ["2005-12-01"]
    v = check(checker, establish_look_up(None))
    assert any("datum niet opgegeven" in note for note in v.assumptions)


def test_relative_deadline_unknown_does_not_open_the_act(checker):
    """IND 2019 art 2 lid 3 "binnen tien werkdagen": unknown timing leaves the provision
    permitted; stated late, the obligation fails."""
    base = {"actor": "AIVD", "action": "provide", "data_category": "ambtsbericht", "recipient": "IND",
            "recipient_kind": "domestic-party", "date": "2020-03-01",
            "conditions": {"grant-inspection": "met", "relevance": "met", "written-form": "met"}}
    assert check(checker, base).verdict == PERMITTED
    late = dict(base, conditions={**base["conditions"], "binnen de termijn": "not-met"})
    v = check(checker, late)
    assert v.verdict == FORBIDDEN and "convenant-aivd-ind-2019-art-2-lid-3-a" in deciding(v)


def test_object_keeps_norms_on_other_documents_out(checker):
    """Terminating the IND convenant orally breaks its art 4 lid 2 ("schriftelijk"), and the CIIC
    convenant's termination clause has nothing to say about it."""
    v = check(checker, {"version": 2, "actor": "dg-aivd", "action": "terminate", "object": "convenant-aivd-ind-2019",
                        "conditions": {"written-form": "not-met"}, "date": "2022-01-01"})
    assert v.verdict == FORBIDDEN
    assert deciding(v) == {"convenant-aivd-ind-2019-art-4-lid-2"}
    unnamed = check(checker, {"actor": "dg-aivd", "action": "terminate",
                              "conditions": {"written-form": "not-met"}, "date": "2022-01-01"})
    assert unnamed.verdict == CONDITIONAL
    assert any("onderwerp van de handeling" in c.text for c in unnamed.conditions)


def test_object_is_a_version_2_field(checker):
    with pytest.raises(WivgraphError, match="version 2"):
        check(checker, {"actor": "dg-aivd", "action": "terminate", "object": "convenant-aivd-ind-2019"})
    with pytest.raises(WivgraphError, match="unknown object"):
        check(checker, {"version": 2, "actor": "dg-aivd", "action": "terminate", "object": "geen-document"})


def test_obligation_act_stated_not_done_fails_it(checker):
    """Wiv 2002 art 15: the heads "dragen zorg voor ... de geheimhouding van ... bronnen"; stated
    not done, the duty fails; stated done, it is met."""
    base = {"actor": "dg-aivd", "action": "protect-sources", "data_category": "data", "date": "2013-01-01"}
    not_done = check(checker, dict(base, conditions={"protect-sources": "not-met"}))
    assert not_done.verdict == FORBIDDEN and "wiv-2002-statute-art-15" in deciding(not_done)
    done = check(checker, dict(base, conditions={"protect-sources": "met"}))
    assert done.verdict == PERMITTED


def test_prior_step_on_the_draft_binds_the_provision(checker):
    """IND 2019 art 2 lid 4: the draft of the ambtsbericht "wordt vooraf ter inzage gegeven"."""
    base = {"actor": "AIVD", "action": "provide", "data_category": "ambtsbericht", "recipient": "IND",
            "recipient_kind": "domestic-party", "date": "2020-03-01"}
    skipped = check(checker, dict(base, conditions={"grant-inspection": "not-met", "relevance": "met", "written-form": "met"}))
    assert skipped.verdict == FORBIDDEN and "convenant-aivd-ind-2019-art-2-lid-4" in deciding(skipped)
    unknown = check(checker, dict(base, conditions={"relevance": "met", "written-form": "met"}))
    assert unknown.verdict == CONDITIONAL and "convenant-aivd-ind-2019-art-2-lid-4" in deciding(unknown)


def test_conditions_per_hop(checker):
    """A hop's own conditions count for that hop only."""
    flow = {"version": 2, "originating_parties": ["Politie"], "consents": ["Politie"], "date": "2021-06-01",
            "data_categories": ["ciic-data"], "conditions": {"legal-framework": "met"},
            "hops": [{"actor": "CIIC", "action": "pass-onward", "recipient_kind": "other-aivd-units"},
                     {"actor": "AIVD", "action": "provide", "recipient": "IND", "recipient_kind": "domestic-party",
                      "data_category": "ambtsbericht",
                      "conditions": {"grant-inspection": "not-met", "relevance": "met", "written-form": "met"}}]}
    v = check(checker, flow)
    assert v.verdict == FORBIDDEN
    hop2 = v.parts[-1][1]
    assert "convenant-aivd-ind-2019-art-2-lid-4" in deciding(hop2)
    flow["hops"][1]["conditions"]["grant-inspection"] = "met"
    assert check(checker, flow).verdict == PERMITTED


def test_object_by_its_other_name(checker):
    """A work product is found by its skos:altLabel too ("jaarplan" for the annual plan of 2005
    art 11), and then the norm on that object decides."""
    from wivgraph.check.resolve import resolve

    sc = {"version": 2, "actor": "minister-bzk", "action": "establish", "object": "jaarplan",
          "recipient": "raad-nationale-veiligheid", "conditions": {"prior-coordination": "not-met"},
          "date": "2010-12-01"}
    resolved = resolve(checker.idx, scenarios_from_data(sc, "<test>")[0])
    assert resolved.object.endswith("/concept/work-annual-plan")
    v = check(checker, sc)
    assert v.verdict == FORBIDDEN and deciding(v) == {"convenant-aivd-mivd-2005-art-11-lid-1"}


def test_an_alternative_name_never_makes_terms_equivalent():
    """B's other name is A's name: the name means A, and A and B stay different things."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, SKOS

    from wivgraph.check.index import build_index
    from wivgraph.check.resolve import Vocabulary
    from wivgraph.namespaces import CONCEPT

    g = Graph()
    a, b, c = CONCEPT["work-a"], CONCEPT["work-b"], CONCEPT["work-c"]
    for node, name in ((a, "plan"), (b, "regeling"), (c, "code")):
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, CONCEPT["scheme-work-products"]))
        g.add((node, SKOS.prefLabel, Literal(name, lang="nl")))
    g.add((b, SKOS.altLabel, Literal("plan", lang="nl")))
    g.add((b, SKOS.altLabel, Literal("afspraak", lang="nl")))
    g.add((c, SKOS.altLabel, Literal("afspraak", lang="nl")))
    idx = build_index(g)
    table = Vocabulary(idx).tables["work_product"]
    assert table["plan"] == a and table["regeling"] == b
    assert "afspraak" not in table  # two terms share it: ambiguous, so unknown
    assert b not in idx.equivalent.get(a, ()) and a not in idx.equivalent.get(b, ())


# --- a norm on a narrower act than the one asked about ------------------------------------------

def _open_texts(v) -> list[str]:
    return [c.text for c in v.conditions if c.status == "unknown"]


def test_narrower_act_is_an_open_point_until_stated(checker):
    """Asked "cooperate", 2005 art 8 lid 3 (technical Sigint cooperation, only with the minister's
    permission) may govern the act: never plainly permitted; stated not Sigint, it drops out."""
    base = {"actor": "MIVD", "action": "cooperate", "recipient": {"name": "a partner"},
            "recipient_kind": "foreign-service", "date": "2015-01-01"}
    asked = check(checker, base, "en")
    assert asked.verdict == CONDITIONAL
    assert "convenant-aivd-mivd-2005-art-8-lid-3-a" in deciding(asked)
    assert any("the act is: enter into technical Sigint cooperation" in x for x in _open_texts(asked))
    assert any(f.name == "action" and f.deciding for f in asked.unknown)
    stated = check(checker, dict(base, conditions={"sigint-cooperation": "not-met"}), "en")
    assert "convenant-aivd-mivd-2005-art-8-lid-3-a" not in {n.iri.removeprefix(NORM) for n in stated.applicable}
    assert not any("Sigint" in x for x in _open_texts(stated))


def test_passing_onward_follows_from_the_origin(checker):
    """Provision of the other service's data is passing onward (art 37 lid 3 governs it, no open
    point on the kind of act); of one's own data it is not."""
    other = check(checker, {"actor": "AIVD", "action": "provide", "data_category": "exchanged-service-data",
                            "originating_party": "MIVD", "recipient_kind": "foreign-service",
                            "conditions": {"third-party-rule-stated": "met"}, "date": "2012-01-01"}, "en")
    lid3 = [n for n in other.applicable if n.iri.endswith("wiv-2002-statute-art-37-lid-3")]
    assert lid3 and lid3[0].scope == "satisfied"
    assert not any(x.startswith("applies only if: the act is") for x in _open_texts(other))
    own = check(checker, {"actor": "AIVD", "action": "provide", "data_category": "general-data",
                          "originating_party": "AIVD", "recipient_kind": "foreign-service",
                          "date": "2012-01-01"}, "en")
    assert not any(n.iri.endswith("wiv-2002-statute-art-37-lid-3") for n in own.applicable)
    assert any(x.startswith("wiv-2002 art 37 lid 3 (") and x.endswith(": does not apply (other action)")
               for x in own.trace)


def test_closed_list_lifted_only_by_a_case_that_may_not_apply_stays_open(checker):
    """Wiv 2002 art 36 lid 3: provision only "in de gevallen voorzien bij deze wet". The recipient is
    not concerned (lid 1 a-c fails); lid 1 d governs only if the recipient is a foreign service,
    which is not stated: not "toegestaan" (it read so before), but open, citing the list."""
    v = check(checker, {"actor": "AIVD", "action": "provide", "data_category": "general-data",
                        "originating_party": "AIVD", "purpose": "own-task", "recipient": {"name": "X"},
                        "conditions": {"own-task": "met", "recipient-concerned": "not-met",
                                       "qualifying-service": "met", "source-indication": "met",
                                       "third-party-rule-stated": "met"},
                        "date": "2012-01-01"}, "en")
    assert v.verdict == CONDITIONAL
    assert "wiv-2002 art 36 lid 3" in {n.source_label for n in v.deciding}
    assert any("foreign service" in x for x in _open_texts(v))


def test_third_party_rule_marking_decides_the_stated_rule(checker):
    """Art 37 lid 2: no third-party rule on the provision fails "third-party rule stated"; a
    marking naming the services meets it."""
    base = {"actor": "AIVD", "action": "provide", "data_category": "general-data",
            "recipient": {"name": "a partner"}, "recipient_kind": "foreign-service", "date": "2012-01-01"}
    absent = check(checker, dict(base, third_party_rule="absent"), "en")
    assert absent.verdict == FORBIDDEN and "wiv-2002-statute-art-37-lid-2" in deciding(absent)
    named = check(checker, dict(base, third_party_rule="named-services"), "en")
    assert not any(n.iri.endswith("wiv-2002-statute-art-37-lid-2") and n.status == "failed" for n in named.applicable)
    assert not any("third-party rule stated" in x for x in _open_texts(named))


def test_unnamed_recipient_of_unstated_kind_may_be_a_foreign_service(checker):
    """A recipient the graph does not know, kind not stated: art 36 lid 1 d ("diensten van andere
    landen") may govern the provision; with the kind stated as domestic it does not."""
    base = {"actor": "AIVD", "action": "provide", "data_category": "general-data",
            "originating_party": "AIVD", "recipient": {"name": "Y"}, "date": "2012-01-01"}
    unstated = check(checker, base, "en")
    lid_d = [n for n in unstated.applicable if n.iri.endswith("wiv-2002-statute-art-36-lid-1-d")]
    assert lid_d and lid_d[0].scope == "undetermined"
    domestic = check(checker, dict(base, recipient_kind="domestic-party"), "en")
    assert not any(n.iri.endswith("wiv-2002-statute-art-36-lid-1-d") for n in domestic.applicable)


def test_anchor_date_is_the_last_signature(corpus):
    """wiv:anchorDate is no new fact: it is the latest signing date of the instrument's signatures,
    each quoted from its ondertekening."""
    rows = list(corpus.query("""
        PREFIX wiv: <https://w3id.org/wivgraph/def#>
        SELECT ?norm ?anchor (MAX(?signed) AS ?last) WHERE {
          ?norm wiv:deadline ?d ; wiv:instrument ?inst .
          ?d wiv:anchorDate ?anchor .
          OPTIONAL { ?sig a wiv:Signature ; wiv:instrument ?inst ; wiv:signingDate ?signed }
        } GROUP BY ?norm ?anchor"""))
    assert rows, "at least CIIC art 16 lid 1 has a dated anchor"
    for row in rows:
        assert row.last is not None and row.anchor.toPython() == row.last.toPython(), row.norm


def test_period_from_a_dated_anchor_is_a_latest_date(checker):
    """CIIC art 16 lid 1: "uiterlijk binnen een maand na ondertekening door de laatste van de
    partijen" (28 May 2020): published 28 June 2020 is in time, 1 September 2020 too late."""
    base = {"version": 2, "actor": "AIVD", "action": "publish", "object": "convenant-ciic-2020"}
    assert check(checker, dict(base, date="2020-06-28")).verdict == PERMITTED
    late = check(checker, dict(base, date="2020-09-01"))
    assert late.verdict == AGREEMENT_BREACH and "convenant-ciic-2020-art-16-lid-1" in deciding(late)
    assert any("vóór 2020-06-29" in c.text for c in late.conditions if c.status == "not-met")


def test_obligation_on_narrower_data_is_an_open_point(checker):
    """Asked about "data", Wiv 2002 art 42 ("Van de verstrekking van persoonsgegevens wordt
    aantekening gehouden") may govern the provision: never plainly permitted while the record is
    unknown; asked about personal data with no record, not permitted."""
    base = {"actor": "AIVD", "action": "provide", "data_category": "data", "originating_party": "AIVD",
            "recipient": {"name": "a partner"}, "recipient_kind": "foreign-service", "purpose": "own-task",
            "conditions": {"own-task": "met", "qualifying-service": "met", "source-indication": "met",
                           "third-party-rule-stated": "met"},
            "date": "2012-01-01"}
    asked = check(checker, base, "en")
    assert asked.verdict == CONDITIONAL and "wiv-2002-statute-art-42" in deciding(asked)
    assert any("the data are: personal data" in x for x in _open_texts(asked))
    personal = check(checker, dict(base, data_category="personal-data",
                                   conditions={**base["conditions"], "record-kept": "not-met"}), "en")
    assert personal.verdict == FORBIDDEN and "wiv-2002-statute-art-42" in deciding(personal)


def test_named_recipient_unknown_to_the_graph_is_none_of_its_organisations(checker):
    """"Gemeente Utrecht" (named, not in the graph, domestic) is not the IND; a domestic recipient
    of which nothing else is said may be."""
    from wivgraph.check.resolve import resolve
    from wivgraph.check.world import ScenarioWorld
    from wivgraph.namespaces import ODRL, ORGANISATION, SCOPE

    def world(extra):
        raw = scenarios_from_data({"actor": "AIVD", "action": "provide", "recipient_kind": "domestic-party",
                                   "date": "2020-03-01", **extra}, "<test>")[0]
        return ScenarioWorld(checker.idx, resolve(checker.idx, raw))

    named = world({"recipient": {"name": "Gemeente Utrecht"}})
    assert named.relation(ODRL.isPartOf, SCOPE["domestic-party"], ORGANISATION["ind"]) is False
    kind_only = world({})
    assert kind_only.relation(ODRL.isPartOf, SCOPE["domestic-party"], ORGANISATION["ind"]) is None


def test_closed_list_is_not_lifted_by_a_power_over_a_broader_act(corpus):
    """A power "tot het verwerken van gegevens" (processing, broader than providing) is no case of
    art 36 lid 3's list: a recipient outside the list stays "niet toegestaan"."""
    from rdflib import Graph

    from wivgraph.check import checker_for as make_checker

    g = Graph()
    for triple in corpus:
        g.add(triple)
    g.parse(format="turtle", data="""
        @prefix wiv: <https://w3id.org/wivgraph/def#> .
        @prefix odrl: <http://www.w3.org/ns/odrl/2/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/wivgraph/id/norm/test-power-to-process> a wiv:Permission ;
            rdfs:label "test: bevoegd tot verwerken"@nl , "test: power to process"@en ;
            wiv:bearer <https://w3id.org/wivgraph/id/organisation/aivd> ;
            odrl:action <https://w3id.org/wivgraph/id/concept/action/process> ;
            wiv:instrument <https://w3id.org/wivgraph/id/doc/wiv-2002> ;
            wiv:legalEffect <https://w3id.org/wivgraph/id/concept/legal-effect-statute> ;
            wiv:legalBasis <https://w3id.org/wivgraph/id/doc/wiv-2002/art/12> ;
            wiv:source <https://w3id.org/wivgraph/id/doc/wiv-2002/art/12/lid/1> ;
            wiv:quote "test" .
    """)
    outside = {"actor": "MIVD", "action": "provide", "data_category": "general-data", "originating_party": "MIVD",
               "recipient": {"name": "a private security firm"}, "recipient_kind": "domestic-party",
               "purpose": "own-task", "conditions": {"recipient-concerned": "not-met", "own-task": "met",
                                                      "source-indication": "met"},
               "date": "2012-01-01"}
    v = check(make_checker(g), outside, "en")
    assert v.verdict == FORBIDDEN and "wiv-2002-statute-art-36-lid-3" in deciding(v), v.trace


def test_minister_concerned_is_a_services_minister(checker):
    """Wiv 2002 art 37 lid 3: "Onze betrokken Minister" is a service's minister. The IND's own
    minister's permission (`ministerial_permission`) does not speak to it; the BZK minister's
    consent stated by name does."""
    base = {"actor": "IND", "action": "pass-onward", "data_category": "general-data", "originating_party": "AIVD",
            "recipient": {"name": "Gemeente Utrecht"}, "recipient_kind": "third-parties",
            "conditions": {"third-party-rule-stated": "met"}, "date": "2012-01-01"}
    own_minister = check(checker, dict(base, ministerial_permission="yes"), "en")
    assert own_minister.verdict == CONDITIONAL
    assert any(f.name == "ministerial-permission" and f.deciding for f in own_minister.unknown)
    assert check(checker, dict(base, consents=["minister-bzk"]), "en").verdict == PERMITTED
    refused = check(checker, dict(base, consents=[{"party": "minister-bzk", "status": "absent"}]), "en")
    assert refused.verdict == FORBIDDEN

