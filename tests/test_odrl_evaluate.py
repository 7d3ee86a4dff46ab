"""The ODRL evaluator: parsing, three-valued evaluation, reports, and ``wivgraph odrl evaluate``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from wivgraph.cli import cli
from wivgraph.namespaces import ODRL, REPORT, WIV
from wivgraph.odrl import (
    OdrlInputError,
    RdfWorld,
    evaluate,
    open_world,
    parse_policies,
    parse_reports,
    parse_requests,
    to_graph,
)
from wivgraph.odrl.evaluate import SATISFIED, UNDETERMINED, UNSATISFIED, k_and, k_or, k_xone
from wivgraph.odrl.suite import load_cases, run_case, suite_dir

ACTIVE, INACTIVE = REPORT.Active, REPORT.Inactive
PREFIXES = """@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix ex: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix report: <https://w3id.org/force/compliance-report#> .
@prefix temp: <http://example.com/request/> .
"""
REQUEST = PREFIXES + """
ex:req a odrl:Request ; odrl:permission ex:ask .
ex:ask a odrl:Permission ; odrl:assignee ex:alice ; odrl:action odrl:read ; odrl:target ex:x .
"""
NOW = PREFIXES + 'temp:currentTime dct:issued "2024-02-12T11:20:10Z"^^xsd:dateTime .\n'


def graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def run(policy_ttl: str, world_ttl: str = "", *, closed: bool = True, request_ttl: str = REQUEST,
        **options):
    policy = parse_policies(graph(policy_ttl))[0]
    request = parse_requests(Graph().parse(data=request_ttl, format="turtle"))[0]
    world_graph = Graph().parse(data=NOW + world_ttl, format="turtle")
    world = RdfWorld(world_graph) if closed else open_world(world_graph)
    return evaluate(policy, request, world, **options)


def only_rule(report):
    assert len(report.rule_reports) == 1
    return report.rule_reports[0]


# --- Kleene logic ------------------------------------------------------------------------------

S, U, D = SATISFIED, UNSATISFIED, UNDETERMINED


@pytest.mark.parametrize(("states", "expected"), [
    ([S, S], S), ([S, U], U), ([S, D], D), ([U, D], U), ([D, D], D), ([], S)])
def test_kleene_and(states, expected):
    assert k_and(states) == expected


@pytest.mark.parametrize(("states", "expected"), [
    ([U, U], U), ([S, U], S), ([U, D], D), ([S, D], S), ([D, D], D), ([], U)])
def test_kleene_or(states, expected):
    assert k_or(states) == expected


@pytest.mark.parametrize(("states", "expected"), [
    ([S, U], S), ([S, S], U), ([U, U], U), ([S, D], D), ([U, D], D), ([S, S, D], U)])
def test_exactly_one(states, expected):
    assert k_xone(states) == expected


# --- three-valued rules ------------------------------------------------------------------------

PURPOSE_POLICY = """
ex:p a odrl:Set ; odrl:permission ex:perm .
ex:perm a odrl:Permission ; odrl:assignee ex:alice ; odrl:action odrl:read ; odrl:target ex:x ;
    odrl:constraint ex:c .
ex:c odrl:leftOperand odrl:purpose ; odrl:operator odrl:eq ; odrl:rightOperand ex:research .
"""


def test_unstated_operand_is_undetermined_in_an_open_world():
    rule = only_rule(run(PURPOSE_POLICY, closed=False))
    constraint = next(p for p in rule.premises if p.kind == "constraint")
    assert constraint.satisfaction == WIV.Undetermined
    assert rule.activation == WIV.Undetermined


def test_unstated_operand_is_absent_in_a_closed_world():
    rule = only_rule(run(PURPOSE_POLICY))
    assert rule.activation == INACTIVE


def test_stated_operand_decides_in_an_open_world():
    rule = only_rule(run(PURPOSE_POLICY, "ex:ask odrl:purpose ex:research .", closed=False))
    assert rule.activation == ACTIVE


def test_unsatisfied_premise_beats_undetermined():
    request = REQUEST.replace("odrl:action odrl:read", "odrl:action odrl:sell")
    rule = only_rule(run(PURPOSE_POLICY, closed=False, request_ttl=request))
    assert {p.kind: p.satisfaction for p in rule.premises}["action"] == UNSATISFIED
    assert rule.activation == INACTIVE


XONE_POLICY = """
ex:p a odrl:Set ; odrl:permission ex:perm .
ex:perm a odrl:Permission ; odrl:action odrl:read ; odrl:constraint ex:x1 .
ex:x1 odrl:xone ex:a , ex:b .
ex:a odrl:leftOperand odrl:dateTime ; odrl:operator odrl:gt ;
    odrl:rightOperand "2024-01-01T00:00:00Z"^^xsd:dateTime .
ex:b odrl:leftOperand odrl:purpose ; odrl:operator odrl:eq ; odrl:rightOperand ex:research .
"""


def test_xone_with_an_unknown_operand_that_decides_is_undetermined():
    rule = only_rule(run(XONE_POLICY, closed=False))
    assert rule.activation == WIV.Undetermined
    rule = only_rule(run(XONE_POLICY, closed=True))
    assert rule.activation == ACTIVE  # closed: purpose absent, exactly one operand holds


DUTY_POLICY = """
ex:p a odrl:Set ; odrl:permission ex:perm .
ex:perm a odrl:Permission ; odrl:assignee ex:alice ; odrl:action odrl:read ; odrl:target ex:x ;
    odrl:duty ex:pay .
ex:pay a odrl:Duty ; odrl:action odrl:compensate .
"""
VIOLATED = """
ex:old a report:PolicyReport ; report:ruleReport ex:dr .
ex:dr a report:DutyReport ; report:rule ex:pay ; report:deonticState report:Violated .
"""


def test_unknown_condition_leaves_the_permission_undetermined():
    rule = only_rule(run(DUTY_POLICY, closed=False))
    condition = rule.conditions[0]
    assert condition.performance == REPORT.Unknown
    assert condition.deontic is None
    assert rule.activation == WIV.Undetermined


def test_unknown_condition_with_an_unsatisfied_premise_is_inactive():
    request = REQUEST.replace("ex:alice", "ex:bob")
    rule = only_rule(run(DUTY_POLICY, closed=False, request_ttl=request))
    assert rule.activation == INACTIVE


def test_violated_condition_makes_the_permission_inactive():
    rule = only_rule(run(DUTY_POLICY, VIOLATED, closed=False))
    assert rule.conditions[0].deontic == REPORT.Violated
    assert rule.activation == INACTIVE


def test_unset_condition_under_both_readings():
    assert only_rule(run(DUTY_POLICY)).activation == ACTIVE  # the test suite: not violated
    strict = only_rule(run(DUTY_POLICY, conditions_must_be_fulfilled=True))
    assert strict.activation == INACTIVE  # the Formal Semantics draft: fulfilled


def test_closed_world_never_yields_undetermined_on_the_suite():
    for case in load_cases():
        report = to_graph(run_case(case))
        assert (None, None, WIV.Undetermined) not in report, case.name


# --- parsing -----------------------------------------------------------------------------------

def test_policy_level_properties_are_inherited():
    policy = parse_policies(graph("""
ex:p a odrl:Agreement ; odrl:assignee ex:alice ; odrl:target ex:x ; odrl:action odrl:read ;
    odrl:permission ex:perm ; odrl:prohibition ex:pro .
ex:perm a odrl:Permission .
ex:pro a odrl:Prohibition ; odrl:action odrl:distribute .
"""))[0]
    perm, pro = sorted(policy.rules, key=lambda r: r.kind)
    assert perm.assignees == (graph("").namespace_manager.expand_curie("ex:alice"),)
    assert perm.actions == (ODRL.read,) and pro.actions == (ODRL.distribute,)
    assert pro.targets == perm.targets


def test_right_operand_list_and_set_operator():
    policy_ttl = """
ex:p a odrl:Set ; odrl:permission ex:perm .
ex:perm a odrl:Permission ; odrl:action odrl:read ; odrl:constraint ex:c .
ex:c odrl:leftOperand odrl:purpose ; odrl:operator odrl:isAnyOf ;
    odrl:rightOperand ( ex:research ex:teaching ) .
"""
    constraint = parse_policies(graph(policy_ttl))[0].rules[0].constraints[0]
    assert len(constraint.right_operand) == 2
    rule = only_rule(run(policy_ttl, "ex:ask odrl:purpose ex:teaching ."))
    assert rule.activation == ACTIVE


def test_action_refinement_narrows_the_action():
    policy_ttl = """
ex:p a odrl:Set ; odrl:permission ex:perm .
ex:perm a odrl:Permission ; odrl:action [ rdf:value odrl:print ; odrl:refinement ex:r ] .
ex:r odrl:leftOperand odrl:resolution ; odrl:operator odrl:lteq ; odrl:rightOperand 1200 .
""".replace("rdf:value", f"<{RDF.value}>")
    request = REQUEST.replace("odrl:action odrl:read", "odrl:action odrl:print")
    assert only_rule(run(policy_ttl, "ex:ask odrl:resolution 1000 .", request_ttl=request)).activation == ACTIVE
    assert only_rule(run(policy_ttl, "ex:ask odrl:resolution 1300 .", request_ttl=request)).activation == INACTIVE


@pytest.mark.parametrize(("constraint", "message"), [
    ("ex:c odrl:leftOperand odrl:dateTime ; odrl:rightOperand 1 .", "constraint <http://example.org/c>: odrl:operator missing"),
    ("ex:c odrl:leftOperand odrl:dateTime ; odrl:operator odrl:about ; odrl:rightOperand 1 .", "odrl:operator odrl:about is not an ODRL operator"),
    ("ex:c odrl:operator odrl:eq ; odrl:rightOperand 1 .", "odrl:leftOperand missing"),
    ("ex:c odrl:leftOperand odrl:dateTime ; odrl:operator odrl:eq .", "odrl:rightOperand missing"),
])
def test_malformed_constraint_names_node_and_field(constraint, message):
    text = "ex:p a odrl:Set ; odrl:permission ex:perm .\n" \
           "ex:perm a odrl:Permission ; odrl:action odrl:read ; odrl:constraint ex:c .\n" + constraint
    with pytest.raises(OdrlInputError, match=message.replace("(", r"\(")):
        parse_policies(graph(text))


def test_rule_without_action_is_refused_unless_lenient():
    text = "ex:p a odrl:Set ; odrl:permission ex:perm .\nex:perm a odrl:Permission .\n"
    with pytest.raises(OdrlInputError, match="permission <http://example.org/perm>: odrl:action missing"):
        parse_policies(graph(text))
    assert parse_policies(graph(text), strict=False)[0].rules[0].actions == ()


# --- reports -----------------------------------------------------------------------------------

def test_report_round_trip_and_reproducible_iris():
    first, second = run(PURPOSE_POLICY, closed=False), run(PURPOSE_POLICY, closed=False)
    text = to_graph(first).serialize(format="turtle")
    assert text == to_graph(second).serialize(format="turtle")
    assert "urn:uuid:" in text and "wiv:Undetermined" in text
    back = parse_reports(Graph().parse(data=text, format="turtle"))[0]
    rule = back.rule_reports[0]
    assert rule.kind == "permission" and rule.activation == WIV.Undetermined
    assert {p.kind for p in rule.premises} == {"party", "action", "target", "constraint"}


def test_prohibition_report_states():
    policy = PURPOSE_POLICY.replace("odrl:permission", "odrl:prohibition").replace(
        "odrl:Permission", "odrl:Prohibition")
    rule = only_rule(run(policy, "ex:ask odrl:purpose ex:research ."))
    assert (rule.kind, rule.activation, rule.attempt, rule.deontic) == (
        "prohibition", ACTIVE, REPORT.Attempted, REPORT.NonSet)
    assert (rule.iri, RDF.type, REPORT.ProhibitionReport) in to_graph(run(policy))


# --- command line ------------------------------------------------------------------------------

DATA = suite_dir()
FILES = [DATA / "policies" / "policy-19.ttl", DATA / "requests" / "request-1.ttl",
         DATA / "sotw" / "dutyViolated.ttl"]


def test_cli_evaluate_writes_turtle_reports():
    result = CliRunner().invoke(cli, ["odrl", "evaluate", *map(str, FILES)])
    assert result.exit_code == 0, result.output
    reports = parse_reports(Graph().parse(data=result.stdout, format="turtle"))
    assert len(reports) == 1
    assert reports[0].rule_reports[0].activation == INACTIVE


def test_cli_evaluate_output_file(tmp_path):
    target = tmp_path / "report.ttl"
    result = CliRunner().invoke(cli, ["odrl", "evaluate", *map(str, FILES), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert (None, RDF.type, REPORT.PolicyReport) in Graph().parse(target)
    assert [p.name for p in tmp_path.iterdir()] == ["report.ttl"]  # no temporary file left


def test_cli_malformed_turtle_exit_2_with_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "ex:a ex:b .\n")
    result = CliRunner().invoke(cli, ["odrl", "evaluate", str(FILES[0]), str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl:7" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_cli_malformed_policy_exit_2_naming_node_and_field(tmp_path):
    bad = tmp_path / "policy.ttl"
    bad.write_text(PREFIXES + "ex:p a odrl:Set ; odrl:permission ex:perm .\n"
                   "ex:perm a odrl:Permission ; odrl:action odrl:read ; odrl:constraint ex:c .\n"
                   "ex:c odrl:leftOperand odrl:dateTime ; odrl:rightOperand 1 .\n")
    result = CliRunner().invoke(cli, ["odrl", "evaluate", str(bad), str(FILES[1])])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: policy <http://example.org/p>: permission")
    assert "odrl:operator missing" in result.stderr


def test_cli_without_request_is_bad_input():
    result = CliRunner().invoke(cli, ["odrl", "evaluate", str(FILES[0])])
    assert result.exit_code == 2
    assert "no request found" in result.stderr


def test_cli_lenient_accepts_rules_without_action(tmp_path: Path):
    files = [DATA / "policies" / "policy-1.ttl", DATA / "requests" / "request-1.ttl"]
    assert CliRunner().invoke(cli, ["odrl", "evaluate", *map(str, files)]).exit_code == 2
    result = CliRunner().invoke(cli, ["odrl", "evaluate", "--lenient", *map(str, files)])
    assert result.exit_code == 0
    assert "report:Active" in result.stdout


def test_open_world_membership_of_a_collection_is_undetermined():
    policy = DUTY_POLICY.replace("odrl:assignee ex:alice", "odrl:assignee ex:staff")
    world = "ex:staff a odrl:PartyCollection .\nex:pay2 odrl:partOf ex:nothing .\n"
    rule = only_rule(run(policy, world, closed=False))
    assert {p.kind: p.satisfaction for p in rule.premises}["party"] == WIV.Undetermined
    member = only_rule(run(policy, world + "ex:alice odrl:partOf ex:staff .", closed=False))
    assert {p.kind: p.satisfaction for p in member.premises}["party"] == SATISFIED
