"""Scenario checker: scenario tests, generic evaluation, time, input errors, CTIVD cases, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, URIRef

from wivgraph.check import (
    AGREEMENT_BREACH,
    CARELESS,
    CONDITIONAL,
    FORBIDDEN,
    NO_RULE,
    PERMITTED,
    check_scenarios,
    checker_for,
    compare_cases,
    load_scenarios,
    load_scenarios_text,
)
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.cli import cli
from wivgraph.errors import WivgraphError
from wivgraph.load import parse_turtle

DATA_SOURCE_SCOPE = ("known limit: for a recipient that is the data's own source the checker derives no recipient "
                     "kind, so 2005 art 3 lid 2 ('aan derden') stays 'may apply' instead of not applying")
HERE = Path(__file__).parent
SCENARIO_FILES = sorted((HERE / "scenarios").glob("*.yaml"))
FIXTURES = HERE / "fixtures" / "check"
EXAMPLES = sorted((HERE.parent / "docs" / "examples" / "scenarios").glob("*"))


def _items():
    for path in SCENARIO_FILES:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            marks = [pytest.mark.xfail(strict=True, reason=item["xfail"])] if "xfail" in item else []
            yield pytest.param(path, item, id=item["scenario"]["id"], marks=marks)


@pytest.fixture(scope="session")
def index(corpus):
    return checker_for(corpus)


def check_one(graph, scenario: dict, lang: str = "en"):
    return check_scenarios(graph, scenarios_from_data(scenario, "<test>"), lang)[0]


@pytest.mark.parametrize(("path", "item"), list(_items()))
def test_scenario(index, path, item):
    verdict = check_one(index, item["scenario"])
    assert verdict.verdict == item["expect"], (item["lid"], verdict.trace)
    if verdict.verdict != NO_RULE:
        assert verdict.deciding and all(n.source and n.quote for n in verdict.deciding)


def test_scenario_count_and_spread():
    items = [p.values[1] for p in _items()]
    assert len(items) >= 25
    assert {i["expect"] for i in items} >= {PERMITTED, CONDITIONAL, FORBIDDEN}
    assert all(i.get("lid") for i in items)


def test_ciic_consent_unknown_is_named_not_assumed(index):
    """CIIC data of the Politie passed to the NCSC without a word on the Politie's consent: the
    consent is an unknown that decides, not an assumption; art 7 lid 2 is cited."""
    v = check_one(index, {"actor": "CIIC", "action": "doorverstrekken", "data_category": "ciic-data",
                          "originating_party": "Politie", "recipient": "NCSC",
                          "recipient_kind": "domestic-party", "date": "2021-03-01"}, "nl")
    assert v.verdict == CONDITIONAL
    assert v.assumptions == []
    assert any(n.source_label == "convenant-ciic-2020 art 7 lid 2" for n in v.deciding)
    assert any("toestemming" in c.text and c.status == "unknown" for c in v.conditions)
    assert any(f.name == "consent" and f.deciding for f in v.unknown)
    assert json.dumps(v.to_dict())  # serialisable


def test_temporal_same_action_two_regimes(index):
    """2010: the 2005 convenant's consent rule is met, but Wiv 2002 art 36 keeps its closed list
    of recipients open for unnamed third parties; 2021: both ended on 1 May 2018 (data/laws)."""
    base = {"actor": "AIVD", "action": "pass-onward", "data_category": "exchanged-service-data",
            "originating_party": "MIVD", "recipient_kind": "third-parties", "consents": ["MIVD"],
            "conditions": {"source-indication": "met"}}
    v2010 = check_one(index, {**base, "date": "2010-01-01"})
    v2021 = check_one(index, {**base, "date": "2021-01-01"})
    assert v2010.verdict == CONDITIONAL
    art_3_2 = [n for n in v2010.applicable if n.source_label == "convenant-aivd-mivd-2005 art 3 lid 2"]
    assert art_3_2 and art_3_2[0].status == "satisfied"
    assert any(n.source_label == "wiv-2002 art 36 lid 1" for n in v2010.deciding)
    assert v2021.verdict == NO_RULE
    assert any("in force until 2018-05-01" in line for line in v2021.trace)


def test_before_instrument_no_rule_from_it(index):
    v = check_one(index, {"actor": "AIVD", "action": "provide", "data_category": "aivd-data-for-ind",
                          "recipient": "IND", "recipient_kind": "domestic-party", "date": "2018-01-01"})
    assert not any("convenant-aivd-ind-2019" in n.iri for n in v.applicable)


def _copy_with(corpus, fixture: str | None = None, turtle: str | None = None) -> Graph:
    g = Graph()
    for triple in corpus:
        g.add(triple)
    if fixture:
        parse_turtle(FIXTURES / fixture, into=g)
    if turtle:
        g.parse(data=turtle, format="turtle")
    return g


def test_new_norm_changes_verdict(corpus, index):
    scenario = {"actor": "AIVD", "action": "provide", "data_category": "aivd-data-for-ind",
                "recipient": "IND", "recipient_kind": "domestic-party",
                "conditions": {"relevance": "met"}, "date": "2020-01-01"}
    assert check_one(index, scenario).verdict == PERMITTED
    changed = check_one(_copy_with(corpus, "extra-prohibition.ttl"), scenario)
    assert changed.verdict == FORBIDDEN
    assert changed.deciding[0].iri.endswith("test-no-aivd-data-to-ind")


def test_new_triple_changes_verdict(corpus, index):
    """One wiv:precedes triple (now in the data) decides the verdict: without it, no FORBIDDEN."""
    case = {"actor": "MIVD", "action": "provide", "data_category": "data",
            "recipient_kind": "foreign-service", "third_party_rule": "countries",
            "purpose": "own-task", "date": "2012-01-01"}
    assert check_one(index, case).verdict == FORBIDDEN
    link = (URIRef("https://w3id.org/wivgraph/id/norm/wiv-2002-art-37-a"),
            URIRef("https://w3id.org/wivgraph/def#precedes"),
            URIRef("https://w3id.org/wivgraph/id/concept/action/provide"))
    assert link in corpus
    without = Graph()
    for triple in corpus:
        if triple != link:
            without.add(triple)
    assert check_one(without, case).verdict != FORBIDDEN


def test_requirement_kind_decides_careless_or_forbidden(corpus, index):
    """A failed due-care norm gives 'careless, not unlawful'; without the legal effect's
    wiv:requirementKind triple the same failure is 'not permitted'."""
    case = {"actor": "MIVD", "action": "support", "recipient_kind": "foreign-service",
            "purpose": "foreign-service-interest", "ministerial_permission": "yes",
            "place": "dutch-territory", "conditions": {"prior-coordination": "not-met"},
            "date": "2012-01-01"}
    verdict = check_one(index, case)
    assert verdict.verdict == CARELESS and verdict.careless
    assert [c.status for c in verdict.shortcomings if c.status == "not-met"] == ["not-met"]
    assert "careless" in verdict.label
    link = (URIRef("https://w3id.org/wivgraph/id/concept/legal-effect-due-care"),
            URIRef("https://w3id.org/wivgraph/def#requirementKind"),
            URIRef("https://w3id.org/wivgraph/id/concept/requirement-due-care"))
    assert link in corpus
    without = Graph()
    for triple in corpus:
        if triple != link:
            without.add(triple)
    again = check_one(without, case)
    assert again.verdict == FORBIDDEN and not again.careless


def test_permission_without_legal_basis_restricts_every_route(index):
    """Internal rules without a legal basis (director decides on personal data) are no route of
    their own: they join the art 36 and art 59 routes."""
    case = {"actor": "MIVD", "action": "provide", "data_category": "personal-data",
            "recipient_kind": "foreign-service", "decided_by": "mivd-department-head",
            "date": "2012-01-01"}
    verdict = check_one(index, case)
    assert verdict.verdict == CARELESS
    assert any("without legal basis restrict every route" in line for line in verdict.trace)
    assert {c.norm.rsplit("/", 1)[-1] for c in verdict.shortcomings} >= {"wiv-2002-personal-data-director"}


def test_unknown_value_names_file_scenario_field(index, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("scenarios:\n  - id: ok\n    actor: aivd\n    action: provide\n"
                    "  - id: bad\n    actor: mivd\n    action: verstrekkken\n", encoding="utf-8")
    with pytest.raises(WivgraphError) as err:
        check_scenarios(index, load_scenarios(path))
    msg = str(err.value)
    assert f"{path}:7" in msg and "scenario 2 (bad)" in msg and "'action'" in msg
    assert msg.index("'verstrekken'") < msg.index("known:")  # closest match first


@pytest.mark.parametrize(("name", "text", "line"), [
    ("bad.yaml", "scenarios:\n  - actor: [aivd\n", 3),
    ("bad.json", '[{"actor": "aivd",\n "action": }]', 2),
])
def test_malformed_file_has_line(name, text, line):
    with pytest.raises(WivgraphError, match=rf"{name}:{line}: malformed"):
        load_scenarios_text(text, name)


def test_schema_error_names_field():
    with pytest.raises(WivgraphError, match="ministerial_permission"):
        load_scenarios_text("actor: aivd\naction: provide\nministerial_permission: perhaps\n", "x.yaml")


def test_nothing_half_done(index):
    raws = load_scenarios_text("- {actor: aivd, action: provide}\n- {actor: nobody, action: provide}\n",
                               "two.yaml")
    with pytest.raises(WivgraphError, match="scenario 2"):
        check_scenarios(index, raws)


def test_batch_defers_full_collections_and_restores_the_thresholds(index, monkeypatch):
    import gc

    before = gc.get_threshold()
    seen = []
    evaluate = type(index).evaluate
    monkeypatch.setattr(type(index), "evaluate",
                        lambda self, sc: seen.append(gc.get_threshold()) or evaluate(self, sc))
    raws = load_scenarios_text("- {actor: aivd, action: provide}\n- {actor: mivd, action: provide}\n",
                               "two.yaml")
    assert len(check_scenarios(index, raws)) == 2
    assert seen and all(t[:2] == before[:2] and t[2] >= 1_000_000 for t in seen)
    assert gc.get_threshold() == before
    bad = load_scenarios_text("- {actor: nobody, action: provide}\n", "bad.yaml")
    with pytest.raises(WivgraphError):
        check_scenarios(index, bad)
    assert gc.get_threshold() == before


def test_overlapping_batches_restore_the_thresholds_once_the_last_ends():
    import gc

    from wivgraph.check import _full_collections_deferred

    before = gc.get_threshold()
    first, second = _full_collections_deferred(), _full_collections_deferred()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first batch ends while the second still runs
    assert gc.get_threshold()[2] >= 1_000_000
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_run(index, path):
    verdicts = check_scenarios(index, load_scenarios(path), "nl")
    assert verdicts and all(v.verdict in (PERMITTED, CONDITIONAL, FORBIDDEN, NO_RULE) for v in verdicts)


def test_cli_check(tmp_path):
    good = EXAMPLES[0]
    result = CliRunner().invoke(cli, ["check", str(good), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["verdict"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("actor: aivd\naction: nonsense\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 2 and "unknown action" in result.output


# --- CTIVD cases -------------------------------------------------------------------------------

DISAGREE = yaml.safe_load((FIXTURES / "ctivd-disagreements.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def comparisons(corpus):
    return {c.case.rsplit("/", 1)[-1]: c for c in compare_cases(corpus)}


def _case_ids():
    ttl = (HERE.parent / "data" / "ctivd" / "cases.ttl").read_text(encoding="utf-8")
    return sorted({line.split()[0].split(":", 1)[1] for line in ttl.splitlines()
                   if line.startswith("case:") and " a wiv:Case" in line})


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=DISAGREE[c])) if c in DISAGREE else c
     for c in _case_ids()],
)
def test_ctivd_case_agrees(comparisons, case):
    comparison = comparisons[case]
    assert comparison.agrees, (comparison.verdict.verdict, comparison.commissie)


def test_checker_does_not_read_findings(corpus):
    """Dropping every finding leaves the checker's verdicts unchanged."""
    from rdflib.namespace import RDF

    from wivgraph.check import check_cases
    from wivgraph.namespaces import WIV

    g = _copy_with(corpus)
    for f in list(g.subjects(RDF.type, WIV.Finding)):
        g.remove((f, None, None))
    with_f = [(v.scenario_id, v.verdict) for v in check_cases(corpus)]
    without = [(v.scenario_id, v.verdict) for v in check_cases(g)]
    assert with_f == without


def test_no_case_decided_by_its_own_passage(comparisons, corpus):
    """No norm or condition deciding a case (in the comparison) is sourced in or under the case's
    own passage."""
    from wivgraph.namespaces import WIV

    own = []
    for case_id, comparison in comparisons.items():
        case_src = str(corpus.value(URIRef(comparison.case), WIV.source))
        for ref in comparison.verdict.deciding:
            used = [ref.source] + [c.source for c in ref.conditions]
            own += [f"{case_id}: {ref.iri} ({src})" for src in used
                    if src is not None and (str(src) == case_src or str(src).startswith(case_src + "/"))]
    assert own == []


def test_practice_passages_only_state_assessment_norms(corpus):
    """A norm whose source is a Praktijk passage is marked wiv:AssessmentNorm."""
    from rdflib.namespace import RDF

    from wivgraph.check.index import is_practice_passage
    from wivgraph.namespaces import WIV

    unmarked = sorted(
        str(n) for n in set(corpus.subjects(RDF.type, WIV.Norm)) | {
            s for cls in (WIV.Permission, WIV.Prohibition, WIV.Obligation)
            for s in corpus.subjects(RDF.type, cls)}
        if is_practice_passage(corpus.value(n, WIV.source))
        and (n, RDF.type, WIV.AssessmentNorm) not in corpus
    )
    assert unmarked == []


def test_assessment_norms_left_out_only_in_the_comparison(corpus, comparisons):
    """Users' scenarios still get the Commissie's standards; the case comparison does not."""
    from wivgraph.check import check_cases

    case = "ctivd-22b-case-sensitive-information-in-joint-operation"
    full = {v.scenario_id: v for v in check_cases(corpus)}[case]
    assert any(n.iri.endswith("wiv-2002-art-15") for n in full.applicable)
    compared = comparisons[case].verdict
    assert not any(n.iri.endswith("wiv-2002-art-15") for n in compared.applicable)


def test_ungraded_verdicts_have_no_expectation():
    """Onvoldoende / onwenselijk grade neither legality nor care: no checker verdict is expected
    (no grade per case is written down in code)."""
    from wivgraph.check.cases import expected_outcomes
    from wivgraph.namespaces import VERDICT

    for verdict in ("onvoldoende", "onwenselijk"):
        assert expected_outcomes("any-case", [str(VERDICT[verdict])]) == set()
    assert expected_outcomes("any-case", [str(VERDICT["onrechtmatig"])]) == {FORBIDDEN}


def test_case_agreement_count(comparisons):
    agree = sum(c.agrees for c in comparisons.values())
    assert (agree, len(comparisons) - agree) == (len(comparisons) - len(DISAGREE), len(DISAGREE))


# --- recipients named in the scenario; 2005 art 3; Wiv 2017 gap ---------------------------------

def test_named_domestic_recipient_is_a_third_party(index):
    """AIVD -> IND with MIVD data and no MIVD consent: IND is no party to the 2005 convenant."""
    v = check_one(index, {"actor": "AIVD", "action": "provide", "data_category": "exchanged-service-data",
                          "originating_party": "MIVD", "recipient": "IND", "recipient_kind": "domestic-party",
                          "consents": [{"party": "MIVD", "status": False}], "date": "2015-01-01"})
    assert v.verdict == FORBIDDEN, v.trace
    assert [n.source_label for n in v.deciding] == ["convenant-aivd-mivd-2005 art 3 lid 2"]
    # the recipient's kind is relative to each norm's instrument: a third party to the 2005
    # convenant (the IND is a party to the IND convenant, whose art 1 lid 1 is read too)
    scope = [f for f in v.facts_used if f.name == "recipient-scope"
             and any(n.endswith("convenant-aivd-mivd-2005-art-3-lid-2") for n in f.norms)]
    assert scope and "third parties" in scope[0].value


def test_named_recipient_party_to_the_instrument_is_another_party(index):
    """CIIC data to the MIVD (a CIIC party) with the supplying party's consent: art 7 lid 2 met;
    refused, the act is contrary to an agreement art 11 declares not enforceable in law."""
    v = check_one(index, {"actor": "AIVD", "action": "pass-onward", "data_category": "ciic-data",
                          "originating_party": "Politie", "recipient": "MIVD", "consents": ["Politie"],
                          "date": "2021-03-01"})
    assert v.verdict in (PERMITTED, CONDITIONAL), v.trace
    lid2 = [n for n in v.applicable if n.source_label == "convenant-ciic-2020 art 7 lid 2"]
    assert lid2 and lid2[0].status == "satisfied"
    assert [f.value for f in v.facts_used if f.name == "recipient-scope"] == ["other parties"]
    without = check_one(index, {"actor": "AIVD", "action": "pass-onward", "data_category": "ciic-data",
                                "originating_party": "Politie", "recipient": "MIVD",
                                "consents": [{"party": "Politie", "status": False}], "date": "2021-03-01"})
    assert without.verdict == AGREEMENT_BREACH


@pytest.mark.xfail(strict=True, reason=DATA_SOURCE_SCOPE)
def test_recipient_that_is_the_data_source_is_no_third_party(index):
    v = check_one(index, {"actor": "AIVD", "action": "provide", "data_category": "exchanged-service-data",
                          "originating_party": "MIVD", "recipient": "MIVD",
                          "consents": [{"party": "MIVD", "status": False}], "date": "2015-01-01"})
    assert not any(n.source_label == "convenant-aivd-mivd-2005 art 3 lid 2" for n in v.applicable)


def test_2005_art_3_provision_to_third_parties_needs_consent(index):
    """Art 3.2 "niet aan derden verstrekt" binds provision too; art 3.1 only covers joint action."""
    base = {"actor": "AIVD", "action": "provide", "data_category": "exchanged-service-data",
            "originating_party": "MIVD", "recipient_kind": "third-parties", "date": "2010-01-01"}
    v = check_one(index, {**base, "consents": [{"party": "MIVD", "status": False}]})
    assert v.verdict == FORBIDDEN, v.trace
    assert any(n.source_label == "convenant-aivd-mivd-2005 art 3 lid 2" for n in v.deciding)
    alone = check_one(index, {"actor": "AIVD", "action": "provide", "data_category": "data",
                              "recipient_kind": "external", "conditions": {"joint-action": "no"},
                              "date": "2010-01-01"})
    assert not any(n.source_label == "convenant-aivd-mivd-2005 art 3 lid 1" for n in alone.applicable)


def test_2021_no_wiv_2017_norms(index):
    """The corpus holds no Wiv 2017 norms: MIVD -> foreign service in 2021 has no applicable rule
    (docs/checker.md, "Known limits"), while the 2019/2020 convenants do apply in 2021."""
    v = check_one(index, {"actor": "MIVD", "action": "provide", "data_category": "general-data",
                          "recipient_kind": "foreign-service", "purpose": "own-task", "date": "2021-01-01"})
    assert v.verdict == NO_RULE
    assert any(line.startswith("ctivd-rapport-22b sectie 3.2 (")
               and line.endswith(": does not apply (in force until 2018-05-01)") for line in v.trace)
    ciic = check_one(index, {"actor": "AIVD", "action": "pass-onward", "data_category": "ciic-data",
                             "originating_party": "Politie", "recipient": "MIVD", "date": "2021-01-01"})
    assert ciic.verdict != NO_RULE
    assert all("2019" in n.iri or "2020" in n.iri for n in ciic.applicable)


# --- messages for bad scenario files; language of the trace -------------------------------------

def test_schema_error_is_one_line_with_allowed_values():
    with pytest.raises(WivgraphError) as err:
        load_scenarios_text("actor: aivd\naction: provide\nministerial_permission: maybe\n", "x.yaml")
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith("x.yaml:3: scenario 1, field 'ministerial_permission': got 'maybe', expected ")
    assert "true or false" in msg and "not-met" in msg and "onbekend" in msg


def test_schema_error_in_second_scenario_names_index_id_line():
    text = "scenarios:\n  - actor: aivd\n    action: provide\n  - id: two\n    actor: mivd\n"
    with pytest.raises(WivgraphError) as err:
        load_scenarios_text(text, "x.yaml")
    assert str(err.value) == "x.yaml:4: scenario 2 (two): missing required field 'action'"
    text += "    action: provide\n    colour: red\n"
    with pytest.raises(WivgraphError) as err:
        load_scenarios_text(text, "x.yaml")
    assert str(err.value).startswith("x.yaml:7: scenario 2 (two): unknown field 'colour' (allowed fields: ")


def test_impossible_date_names_line():
    with pytest.raises(WivgraphError) as err:
        load_scenarios_text("- actor: aivd\n  action: provide\n  date: 2021-13-01\n", "x.yaml")
    msg = str(err.value)
    assert msg.startswith("x.yaml:3: invalid date '2021-13-01'") and "YYYY-MM-DD" in msg
    assert "malformed" not in msg


def test_cli_schema_error_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("actor: aivd\naction: provide\nministerial_permission: maybe\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert f"{bad}:3" in result.output and "ministerial_permission" in result.output


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_trace_names_norms_by_lid_and_label_not_by_identifier(index, path):
    import re

    for v in check_scenarios(index, load_scenarios(path), "nl"):
        for line in v.trace:
            assert not re.search(r"[a-z0-9]-art-[0-9]|/id/norm/|norm:", line), line
        named = [line for line in v.trace if " (" in line and ": " in line.split(" (", 1)[1]]
        assert len(named) >= len(v.applicable), v.trace


def test_trace_follows_language(index):
    scenario = {"actor": "AIVD", "action": "pass-onward", "data_category": "exchanged-service-data",
                "originating_party": "MIVD", "recipient_kind": "third-parties", "date": "2021-01-01"}
    nl, en = check_one(index, scenario, "nl"), check_one(index, scenario, "en")
    assert len(nl.trace) == len(en.trace)
    assert nl.trace[0].startswith("kandidaten uit de graaf") and en.trace[0].startswith("candidates from the graph")
    assert nl.trace[-1] == "oordeel: geen toepasselijke regel gevonden"
    assert any("niet van toepassing (van kracht tot 2018-05-01)" in line for line in nl.trace)
    english = ("candidates", "does not apply", "verdict:", "permission", "obligation", "date:")
    assert not [line for line in nl.trace if any(w in line for w in english)]


def test_framework_only_drops_a_grade_read_from_a_practice_passage():
    """The due-care grade of the mandate rule is stated only in 22B 5.1 praktijk 1 (the case's own
    passage): the framework-only comparison must not use it (it read no requirement statements
    from the store before, so the grade stayed)."""
    from wivgraph.check import checker_store
    from wivgraph.check.engine import Checker

    norm = URIRef("https://w3id.org/wivgraph/id/norm/wiv-2002-mandate-art-59")
    store = checker_store()
    plain, framework = Checker(store, "nl"), Checker(store, "nl", framework_only=True)
    assert str(plain._requirement(plain.norm_info(norm))).endswith("requirement-due-care")
    info = framework.norm_info(norm)
    assert info.requirement_from_practice
    assert not str(framework._requirement(info) or "").endswith("requirement-due-care")
    other = URIRef("https://w3id.org/wivgraph/id/norm/wiv-2002-art-59-a")  # graded in 3.2: kept
    assert str(framework._requirement(framework.norm_info(other))).endswith("requirement-due-care")


def test_a_met_obligation_is_a_route_but_does_not_lift_its_instruments_restriction(index):
    """2005 art 5.1 ("wordt vervolgens rechtstreeks door genoemde functionarissen aan de MIVD
    verstrekt") is a route of its own beside 5.2's permission, whose open relevance condition no
    longer decides; but a route from an obligation still carries the restrictions of its instrument:
    IND 2019 art 2 lid 3's duty does not lift art 2 lid 1's written ambtsbericht for personal data."""
    art_5_1 = check_one(index, {"id": "a", "actor": "functionarissen-art-60-wiv-2002", "action": "provide",
                                "data_category": "art60-information", "recipient": "MIVD",
                                "recipient_kind": "domestic-party", "conditions": {"called-work": "met"},
                                "date": "2011-03-01"})
    assert art_5_1.verdict == PERMITTED, art_5_1.trace
    assert [n.iri.rsplit("/", 1)[1] for n in art_5_1.deciding] == ["convenant-aivd-mivd-2005-art-5-lid-1-c"]
    oral = check_one(index, {"version": 2, "id": "b", "actor": "AIVD", "action": "provide",
                             "data_categories": ["aivd-data-for-ind", "personal-data"], "recipient": "IND",
                             "recipient_kind": "domestic-party", "date": "2020-01-15",
                             "conditions": {"written-form": "not-met", "measure-possible": "met",
                                            "relevance": "met"}})
    assert oral.verdict == FORBIDDEN, oral.trace
    assert [n.iri.rsplit("/", 1)[1] for n in oral.deciding] == ["convenant-aivd-ind-2019-art-2-lid-1"]


def test_a_duty_to_coordinate_first_is_no_open_point_of_the_coordination_itself(index):
    """2005 art 2.2 ("vindt ... vooraf afstemming plaats met de AIVD", before a listed special power)
    asked about coordinating itself only requires that act: the coordination is not conditional on
    the place of a special power nor on "prior coordination" (the act asked about). Before the power,
    the same norm still decides."""
    for place in ({}, {"place": "outside-defence"}):
        verdict = check_one(index, {"id": "c", "actor": "MIVD", "action": "coordinate", "recipient": "AIVD",
                                    "date": "2011-01-01", **place})
        assert verdict.verdict == PERMITTED, verdict.trace
        assert not [c for c in verdict.conditions if c.kind and c.kind.endswith("prior-coordination")]
        assert "convenant-aivd-mivd-2005-art-2-lid-1-a" in [n.iri.rsplit("/", 1)[1] for n in verdict.deciding]
    power = check_one(index, {"id": "p", "actor": "MIVD", "action": "exercise-listed-special-power",
                              "place": "outside-defence", "ministerial_permission": "yes", "date": "2012-04-01",
                              "conditions": {"prior-coordination": "not-met", "necessity": "met"}})
    assert power.verdict != PERMITTED and "convenant-aivd-mivd-2005-art-2-lid-2-a" in [
        n.iri.rsplit("/", 1)[1] for n in power.deciding]
