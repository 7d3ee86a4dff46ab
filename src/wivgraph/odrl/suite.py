"""The public ODRL-Test-Suite (SolidLabResearch): loading its test cases and comparing reports.

Layout (tests/odrl_test_suite/data/): test_cases/*.ttl each name ex:policy, ex:request, ex:sotw
and ex:expectedReport (the expected report is in the test case file); the policy, request and
state of the world are in policies/, requests/ and sotw/, found by the node they describe. Files
are kept in separate graphs: the suite reuses some constraint IRIs across policy files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.load import parse_turtle
from wivgraph.namespaces import REPORT
from wivgraph.odrl.evaluate import RdfWorld, evaluate
from wivgraph.odrl.parse import parse_policies, parse_requests
from wivgraph.odrl.report import PolicyReport, PremiseReport, RuleReport, parse_reports

EX = Namespace("http://example.org/")


@dataclass
class SuiteCase:
    """One test case: its inputs as graphs and its expected report."""

    name: str
    title: str
    policy: Node
    request: Node
    sotw: Node
    policy_graph: Graph
    request_graph: Graph
    sotw_graph: Graph
    expected_graph: Graph
    expected: PolicyReport


def suite_dir() -> Path:
    """The vendored suite's data folder."""
    return paths.project_root() / "tests" / "odrl_test_suite" / "data"


def _index(folder: Path) -> dict[Node, Graph]:
    """Each subject of the files in ``folder`` → the graph of the file describing it."""
    index: dict[Node, Graph] = {}
    for path in sorted(folder.glob("*.ttl")):
        graph = parse_turtle(path)
        for subject in set(graph.subjects(RDF.type, None)):
            index.setdefault(subject, graph)
    return index


def load_cases(data: Path | None = None) -> list[SuiteCase]:
    """All test cases of the suite, in file order."""
    data = data or suite_dir()
    policies, requests, sotws = (_index(data / d) for d in ("policies", "requests", "sotw"))
    cases = []
    for path in sorted((data / "test_cases").glob("*.ttl")):
        graph = parse_turtle(path)
        case = next(iter(graph.subjects(RDF.type, EX.TestCase)), None)
        if case is None:
            raise WivgraphError(f"{path}: no ex:TestCase")
        ids = {key: graph.value(case, EX[key]) for key in ("policy", "request", "sotw", "expectedReport")}
        for key, folder in (("policy", policies), ("request", requests), ("sotw", sotws)):
            if ids[key] not in folder:
                raise WivgraphError(f"{path}: ex:{key} {ids[key]} is in none of the suite's files")
        expected = [r for r in parse_reports(graph) if r.iri == ids["expectedReport"]]
        if not expected:
            raise WivgraphError(f"{path}: expected report {ids['expectedReport']} not found")
        cases.append(SuiteCase(
            name=path.stem, title=str(graph.value(case, DCTERMS.title) or ""),
            policy=ids["policy"], request=ids["request"], sotw=ids["sotw"],
            policy_graph=policies[ids["policy"]], request_graph=requests[ids["request"]],
            sotw_graph=sotws[ids["sotw"]], expected_graph=graph, expected=expected[0],
        ))
    return cases


def run_case(case: SuiteCase) -> PolicyReport:
    """Evaluate a case's request against its policy in its (closed) state of the world."""
    policy = next(p for p in parse_policies(case.policy_graph, strict=False) if p.iri == case.policy)
    request = next(r for r in parse_requests(case.request_graph) if r.iri == case.request)
    return evaluate(policy, request, RdfWorld(case.sotw_graph))


def _flatten(premises: list[PremiseReport]):
    for premise in premises:
        yield premise
        yield from _flatten(premise.operands)


def _rule_constraints(report: RuleReport) -> dict[str, str]:
    out = {}
    for premise in _flatten(report.premises):
        constraint = premise.constraint
        iri = getattr(constraint, "iri", constraint)
        if iri is not None:
            out[str(iri)] = str(premise.satisfaction)
    return out


def compare(actual: PolicyReport, case: SuiteCase) -> list[str]:
    """Where ``actual`` disagrees with the case's expected report (empty: it agrees).

    Compared: (a) activation state per rule (matched by report:rule), and attempt / deontic /
    performance states where the expected report states them; (b) satisfaction state per
    constraint report (matched by report:constraint) and per premise kind (party, action,
    target). Premise nodes are matched by kind over the whole expected report, because some
    expected reports link other nodes than the ones they describe.
    """
    problems: list[str] = []
    got = {str(r.rule_iri): r for r in actual.rule_reports}
    for expected in case.expected.rule_reports:
        mine = got.get(str(expected.rule))
        if mine is None:
            problems.append(f"rule {expected.rule}: no report")
            continue
        for label, want, have in (("activation", expected.activation, mine.activation),
                                  ("attempt", expected.attempt, mine.attempt),
                                  ("deontic", expected.deontic, mine.deontic),
                                  ("performance", expected.performance, mine.performance)):
            if want is not None and want != have:
                problems.append(f"rule {expected.rule}: {label} {_short(have)}, expected {_short(want)}")
    graph = case.expected_graph
    expected_constraints = {
        str(graph.value(node, REPORT.constraint)): str(graph.value(node, REPORT.satisfactionState))
        for node in graph.subjects(RDF.type, REPORT.ConstraintReport)
        if graph.value(node, REPORT.constraint) is not None}
    actual_constraints: dict[str, str] = {}
    for report in actual.rule_reports:
        actual_constraints.update(_rule_constraints(report))
    for iri, want in sorted(expected_constraints.items()):
        have = actual_constraints.get(iri)
        if have != want:
            problems.append(f"constraint {iri}: {_short(have)}, expected {_short(want)}")
    for kind, cls in (("party", REPORT.PartyReport), ("action", REPORT.ActionReport),
                      ("target", REPORT.TargetReport)):
        want = sorted(str(graph.value(n, REPORT.satisfactionState)) for n in graph.subjects(RDF.type, cls))
        have = sorted(str(p.satisfaction) for r in actual.rule_reports for p in r.premises if p.kind == kind)
        if want != have:
            problems.append(f"{kind} premises: {[_short(h) for h in have]}, expected {[_short(w) for w in want]}")
    return problems


def _short(value) -> str:
    text = str(value)
    return text.rsplit("#", 1)[-1] if value is not None else "none"


def run_suite(data: Path | None = None) -> dict[str, list[str]]:
    """Every case's disagreements by case name (an empty list: agrees)."""
    results: dict[str, list[str]] = defaultdict(list)
    for case in load_cases(data):
        results[case.name] = compare(run_case(case), case)
    return dict(results)


def evaluate_files(files: list[Path], *, strict: bool = True, closed: bool = True) -> Graph:
    """The CLI's work: every request against every policy found in ``files`` (Turtle), in the
    state of the world those files state together; the reports as one CRM graph.

    Policies and requests are read per file (constraint IRIs may repeat across files); the
    state of the world is the union of all files.
    """
    from wivgraph.odrl.report import to_graph

    graphs = [parse_turtle(Path(f)) for f in files]
    world_graph = Graph()
    policies, requests, seen = [], [], set()
    for graph in graphs:
        world_graph += graph
        for policy in parse_policies(graph, strict=strict):
            if policy.iri not in seen:
                seen.add(policy.iri)
                policies.append(policy)
        for request in parse_requests(graph):
            if request.iri not in seen:
                seen.add(request.iri)
                requests.append(request)
    names = ", ".join(str(f) for f in files)
    if not policies:
        raise WivgraphError(f"{names}: no ODRL policy found (expected an odrl:Set, odrl:Offer, "
                            "odrl:Agreement or odrl:Policy)")
    if not requests:
        raise WivgraphError(f"{names}: no request found (expected an odrl:Request with an "
                            "odrl:permission, or a sotw:EvaluationRequest)")
    world = RdfWorld(world_graph, closed=closed)
    reports = [evaluate(p, r, world) for p in policies for r in requests]
    return to_graph(reports)
