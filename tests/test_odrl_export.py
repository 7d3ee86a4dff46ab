"""`wivgraph export --format odrl`: the norms as ODRL 2.2 policies in the wivgraph profile
(docs/odrl-profile.md): one odrl:Set per instrument, every norm a rule of exactly one of them
under its own IRI, readable by wivgraph.odrl.parse, valid against the ODRL shapes, classified
content withheld as in every other export."""

from __future__ import annotations

import shutil
import uuid
from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import BNode

from wivgraph import paths
from wivgraph.classification import public_view
from wivgraph.cli import cli
from wivgraph.export import FORMATS, serialize
from wivgraph.load import load_dataset, union_graph
from wivgraph.namespaces import NORM, ODRL, POLICY, ROLE, SHAPE, WIV
from wivgraph.odrl.norms import (
    CONDITION,
    PROFILE,
    SCOPE_CONSTRAINT,
    modality_of,
    norms_in,
    policy_iri,
)
from wivgraph.odrl.parse import parse_policies
from wivgraph.odrl.shacl import validate_policies

RULE_PROPERTY = {"permission": ODRL.permission, "prohibition": ODRL.prohibition,
                 "obligation": ODRL.obligation}
RULE_CLASS = {"permission": ODRL.Permission, "prohibition": ODRL.Prohibition,
              "obligation": ODRL.Duty}


@pytest.fixture(scope="module")
def public(dataset) -> Graph:
    """What the export reads: the union of the public view."""
    return union_graph(public_view(dataset))


@pytest.fixture(scope="module")
def export(dataset) -> Graph:
    return Graph().parse(data=serialize(dataset, "odrl"), format="turtle")


@pytest.fixture(scope="module")
def norms(public) -> list[URIRef]:
    found = norms_in(public)
    assert len(found) > 100
    return found


def test_odrl_is_an_export_format():
    assert FORMATS["odrl"] == ("turtle", ".ttl")


def test_cli_writes_the_policies_atomically_or_to_stdout(tmp_path, export):
    out = tmp_path / "policies.ttl"
    out.write_text("old content that the export replaces whole\n")
    result = CliRunner().invoke(cli, ["export", "--format", "odrl", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["policies.ttl"]  # no temporary file left
    assert len(Graph().parse(out, format="turtle")) == len(export)
    printed = CliRunner().invoke(cli, ["export", "--format", "odrl"])
    assert printed.exit_code == 0
    assert len(Graph().parse(data=printed.stdout, format="turtle")) == len(export)


def test_one_set_per_instrument_with_norms(export, public, norms):
    instruments = {public.value(n, WIV.instrument) for n in norms}
    assert None not in instruments
    expected = {policy_iri(i): i for i in instruments}
    sets = set(export.subjects(RDF.type, ODRL.Set))
    assert sets == set(expected)
    assert len(sets) >= 4
    kinds = {t for p in sets for t in export.objects(p, RDF.type)}
    assert kinds == {ODRL.Set}
    for policy, instrument in expected.items():
        assert list(export.objects(policy, ODRL.uid)) == [policy]
        assert list(export.objects(policy, ODRL.profile)) == [PROFILE]
        assert list(export.objects(policy, DCTERMS.source)) == [instrument]
    assert POLICY["convenant-ciic-2020"] in sets


def test_every_norm_is_a_rule_of_exactly_one_policy_under_its_own_iri(export, public, norms):
    for norm in norms:
        modality = modality_of(public, norm)
        holders = [(policy, prop) for prop in RULE_PROPERTY.values()
                   for policy in export.subjects(prop, norm)]
        assert holders == [(policy_iri(public.value(norm, WIV.instrument)),
                            RULE_PROPERTY[modality])], norm
        assert set(export.objects(norm, RDF.type)) == {RULE_CLASS[modality]}, norm
        assert export.value(norm, WIV.source) == public.value(norm, WIV.source), norm
    rules = {o for prop in RULE_PROPERTY.values() for o in export.objects(None, prop)}
    assert rules == set(norms)


def test_round_trip_through_the_odrl_parser(export, norms):
    policies = parse_policies(export)  # strict: every rule has an action
    assert {p.iri for p in policies} == set(export.subjects(RDF.type, ODRL.Set))
    rules = [r for p in policies for r in p.rules]
    assert sorted(r.iri for r in rules) == sorted(norms)
    assert Counter(r.kind for r in rules) == Counter(
        next(k for k, prop in RULE_PROPERTY.items() if (None, prop, r.iri) in export)
        for r in rules)
    assert all(r.actions for r in rules)
    assert sum(len(r.duties) for r in rules) == len(set(export.objects(None, ODRL.duty)))


def test_every_constraint_and_duty_of_a_rule_says_its_role(export, norms):
    roles = Counter()
    for norm in norms:
        for node in (*export.objects(norm, ODRL.constraint), *export.objects(norm, ODRL.duty)):
            kinds = {SCOPE_CONSTRAINT, CONDITION} & set(export.objects(node, RDF.type))
            assert len(kinds) == 1, node
            roles[kinds.pop()] += 1
    assert roles[SCOPE_CONSTRAINT] > 100 and roles[CONDITION] > 50
    assert not list(export.subjects(RDF.type, WIV.Condition))  # a constraint is no odrl:Duty


def test_ciic_art_7_lid_2_as_exported(export):
    """The worked example of docs/odrl-profile.md."""
    rule = NORM["convenant-ciic-2020-art-7-lid-2"]
    assert (POLICY["convenant-ciic-2020"], ODRL.permission, rule) in export
    duty = URIRef(f"{rule}/duty/c1")
    assert list(export.objects(rule, ODRL.duty)) == [duty]
    assert export.value(duty, ODRL.action) == ODRL.obtainConsent
    assert export.value(duty, ODRL.consentingParty) == ROLE["originating-party"]
    assert (duty, RDF.type, CONDITION) in export
    data_source = URIRef(f"{rule}/constraint/data-source")
    assert export.value(data_source, ODRL.leftOperand) == WIV.dataSource
    assert export.value(data_source, ODRL.rightOperand) == ROLE["originating-party"]
    assert export.value(rule, WIV.legalEffect) is not None
    assert export.value(rule, WIV.requirementKind) is not None
    recipient = URIRef(f"{rule}/constraint/recipient-scope")
    assert (recipient, RDF.type, ODRL.LogicalConstraint) in export
    assert (recipient, RDF.type, ODRL.Constraint) not in export
    assert isinstance(export.value(recipient, ODRL["or"]), BNode)


def test_export_conforms_to_the_odrl_shapes(export):
    """No violation; the only warnings are the permissions and prohibitions that name no
    target (ODRL asks for one; docs/odrl-profile.md, known limits)."""
    report = validate_policies(export, lang="en")
    assert report.conforms, [(i.focus, i.source_shape, i.message) for i in report.violations]
    targetless = {
        str(rule)
        for prop in (ODRL.permission, ODRL.prohibition)
        for rule in export.objects(None, prop)
        if (rule, ODRL.target, None) not in export
    }
    assert targetless
    assert {i.focus for i in report.warnings} == targetless
    assert {i.source_shape for i in report.warnings} <= {
        str(SHAPE["OdrlPermission-target"]), str(SHAPE["OdrlProhibition-target"])}
    assert len(report.issues) == len(targetless)


def test_odrl_validate_command(tmp_path):
    out = tmp_path / "policies.ttl"
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "--format", "odrl", "--output", str(out)]).exit_code == 0
    good = runner.invoke(cli, ["odrl", "validate", str(out), "--lang", "en"])
    assert good.exit_code == 0, good.output
    assert good.stdout.startswith("The graph conforms")
    bad_file = paths.project_root() / "tests" / "fixtures" / "odrl-shapes" / "rule-action-bad.ttl"
    bad = runner.invoke(cli, ["odrl", "validate", str(bad_file), "--lang", "en"])
    assert bad.exit_code == 1
    assert "shape:OdrlRule-action" in bad.stdout
    missing = runner.invoke(cli, ["odrl", "validate", str(tmp_path / "nothing.ttl")])
    assert missing.exit_code == 2 and "file not found" in missing.stderr


# --------------------------------------------------------------------------- classification

CANARY = f"CANARY-{uuid.uuid4().hex}"
ANNEX = "https://w3id.org/wivgraph/id/doc/convenant-aivd-ind-2019/bijlage/1"
LEAK_NORM = NORM["zz-classified-leak"]
LEAK = f"""\
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wiv: <https://w3id.org/wivgraph/def#> .

<{ANNEX}/lid/1> eli:is_part_of <{ANNEX}> .
<{LEAK_NORM}> a wiv:Permission ;
    eli:is_part_of <{ANNEX}> ;
    rdfs:label "norm in a non-public annex"@en ;
    rdfs:comment "{CANARY} comment" ;
    wiv:instrument <https://w3id.org/wivgraph/id/doc/convenant-aivd-ind-2019> ;
    wiv:bearer <https://w3id.org/wivgraph/id/org/aivd> ;
    odrl:action <https://w3id.org/wivgraph/id/concept/action/provide> ;
    wiv:source <{ANNEX}/lid/1> ;
    wiv:quote "{CANARY} quote" .
"""


@pytest.fixture(scope="module")
def leaky_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("odrl-canary") / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(paths.project_root() / folder, root / folder)
    (root / "data" / "zz-classified-leak.ttl").write_text(LEAK, encoding="utf-8")
    return root


def test_classified_content_stays_out_of_the_odrl_export(leaky_project):
    from wivgraph.odrl.norms import policy_graph  # noqa: PLC0415

    unfiltered = policy_graph(union_graph(load_dataset(leaky_project)))
    assert Literal(f"{CANARY} quote") in set(unfiltered.objects(LEAK_NORM, WIV.quote))
    result = CliRunner().invoke(cli, ["--root", str(leaky_project), "export", "--format", "odrl"])
    assert result.exit_code == 0, result.output
    assert CANARY not in result.stdout
    exported = Graph().parse(data=result.stdout, format="turtle")
    assert (POLICY["convenant-aivd-ind-2019"], ODRL.permission, LEAK_NORM) in exported


def test_inferred_triples_change_no_policy(dataset):
    """The export reads the graphs the dataset holds, like every format: the loaded dataset has
    no graph:inferred, a served or cached one may. The mapping follows rdfs:subClassOf and
    skos:broader itself, so the OWL-RL closure adds nothing to the policies."""
    from rdflib.compare import isomorphic  # noqa: PLC0415

    from wivgraph.infer import closure  # noqa: PLC0415
    from wivgraph.odrl.norms import policy_graph  # noqa: PLC0415

    asserted = union_graph(public_view(dataset))
    with_inferred = asserted + closure(asserted)
    assert len(with_inferred) > len(asserted)
    assert isomorphic(policy_graph(with_inferred), policy_graph(asserted))


def test_the_worked_example_of_the_docs_is_the_export(export):
    """docs/odrl-profile.md shows CIIC art 7 lid 2 as exported: every triple of its Turtle block
    is in the export (the odrl:or list compared by its members), and it shows all of the rule's
    own triples."""
    import re  # noqa: PLC0415

    from rdflib.collection import Collection  # noqa: PLC0415

    text = (paths.project_root() / "docs" / "odrl-profile.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```turtle\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    shown = Graph().parse(data=blocks[0], format="turtle")
    assert len(shown) > 40
    for triple in shown:
        if any(isinstance(t, BNode) for t in triple):
            continue  # the list's blank nodes differ between parses
        assert triple in export, triple
    rule = NORM["convenant-ciic-2020-art-7-lid-2"]
    assert set(export.predicate_objects(rule)) == set(shown.predicate_objects(rule))
    recipient = URIRef(f"{rule}/constraint/recipient-scope")
    assert list(Collection(shown, shown.value(recipient, ODRL["or"]))) == list(
        Collection(export, export.value(recipient, ODRL["or"])))
