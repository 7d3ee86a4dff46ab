"""The issue's examples (#17) on the ODRL evaluator: no assumed facts, rules only for their own
act, grades by requirement kind."""

from __future__ import annotations

from wivgraph.check import AGREEMENT_BREACH, CONDITIONAL, check_scenarios
from wivgraph.check.scenarios import scenarios_from_data


def check_one(graph, scenario: dict, lang: str = "nl"):
    return check_scenarios(graph, scenarios_from_data(scenario, "<test>"), lang)[0]


def test_breach_of_a_non_enforceable_agreement_is_not_called_unlawful(corpus):
    """CIIC art 7 lid 2 without the originating party's consent: art 11 makes the convenant not
    enforceable, so the verdict names that grade, not 'niet toegestaan'."""
    v = check_one(corpus, {"actor": "AIVD", "action": "pass-onward", "data_category": "CIIC-gegevens",
                           "originating_party": "Politie", "recipient": "NCSC",
                           "consents": [{"party": "Politie", "status": "absent"}], "date": "2021-03-01"})
    assert v.verdict == AGREEMENT_BREACH
    assert v.label == "in strijd met een niet-afdwingbare afspraak"
    assert any(n.source_label == "convenant-ciic-2020 art 7 lid 2" for n in v.deciding)


def test_request_to_a_foreign_service_is_not_decided_by_the_art_60_request_rule(corpus):
    """2005 art 5 lid 1 governs calling on art 60 officers; a request to a foreign service is
    another act, so that norm neither decides nor is listed as applicable."""
    v = check_one(corpus, {"actor": "MIVD", "action": "request", "recipient_kind": "foreign-service",
                           "date": "2014-01-01"}, "en")
    assert not [n for n in v.applicable if "art-5-lid-1" in n.iri]
    # its action is the specific one (calling on art 60 officers), so it is no candidate at all
    assert not any(line.startswith("convenant-aivd-mivd-2005 art 5 lid 1 (") and "does not apply" not in line
                   for line in v.trace)


def test_unstated_fact_is_named_not_assumed(corpus):
    """Consent not stated: the verdict is conditional, the consent is an open point citing its
    lid, and it is listed as a deciding unknown fact; nothing is 'assumed'."""
    v = check_one(corpus, {"actor": "AIVD", "action": "pass-onward", "data_category": "CIIC-gegevens",
                           "originating_party": "Politie", "recipient": "NCSC", "date": "2021-03-01"})
    assert v.verdict == CONDITIONAL
    assert any(c.source_label == "convenant-ciic-2020 art 7 lid 2" and c.status == "unknown" for c in v.conditions)
    assert any(f.name == "consent" and f.deciding for f in v.unknown)
    assert not v.assumptions
    assert all("aangenomen" not in line for line in v.trace)


def test_facts_used_are_the_stated_ones(corpus):
    v = check_one(corpus, {"actor": "AIVD", "action": "pass-onward", "data_category": "CIIC-gegevens",
                           "originating_party": "Politie", "recipient": "NCSC",
                           "consents": ["Politie"], "date": "2021-03-01"})
    used = {f.name: f.value for f in v.facts_used}
    assert used["data-category"] == "CIIC-gegevens" and used["originating-party"] == "Politie"


def test_report_format_is_the_compliance_reports_behind_the_verdict(tmp_path):
    """`check --format report`: TriG, one graph per scenario, a CRM rule report for every
    deciding norm, with the state the verdict read."""
    from click.testing import CliRunner
    from rdflib import Dataset, URIRef

    from wivgraph.cli import cli
    from wivgraph.namespaces import REPORT

    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "actor: AIVD\naction: pass-onward\ndata_category: CIIC-gegevens\noriginating_party: Politie\n"
        "recipient: NCSC\nconsents: [{party: Politie, status: absent}]\ndate: 2021-03-01\n",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(scenario), "--format", "report"])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(data=result.output, format="trig")
    graph = ds.graph(URIRef("urn:wivgraph:scenario:1"))
    norm = URIRef("https://w3id.org/wivgraph/id/norm/convenant-ciic-2020-art-7-lid-2")
    rule_reports = list(graph.subjects(REPORT.rule, norm))
    assert len(rule_reports) == 1
    assert graph.value(rule_reports[0], REPORT.activationState) == REPORT.Inactive
    conditions = list(graph.objects(rule_reports[0], REPORT.conditionReport))
    assert [graph.value(c, REPORT.deonticState) for c in conditions] == [REPORT.Violated]
