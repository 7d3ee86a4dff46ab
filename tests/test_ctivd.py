"""CTIVD report 22B as data: findings, conclusions, recommendations and cases."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from wivgraph.load import parse_turtle
from wivgraph.namespaces import DOC, ELI, VERDICT, WIV
from wivgraph.text import quote_occurs

CTIVD_FILES = ("findings.ttl", "recommendations.ttl", "cases.ttl")
REPORT = DOC["ctivd-rapport-22b"]
WIV_2002 = DOC["wiv-2002"]


@pytest.fixture(scope="module")
def ctivd(root) -> Graph:
    graph = Graph()
    for name in CTIVD_FILES:
        parse_turtle(root / "data" / "ctivd" / name, into=graph)
    return graph


@pytest.fixture(scope="module")
def report(root) -> Graph:
    return parse_turtle(root / "data" / "documents" / "ctivd-rapport-22b.ttl")


def _texts_below(report: Graph, node: URIRef) -> list[str]:
    """wiv:text of ``node`` and of every subdivision below it."""
    texts = [str(t) for t in report.objects(node, WIV.text)]
    for child in report.subjects(ELI.is_part_of, node):
        texts += _texts_below(report, child)
    return texts


def _sourced(ctivd: Graph) -> list[tuple[URIRef, URIRef, str]]:
    return sorted(
        (s, ctivd.value(s, WIV.source), str(q)) for s, q in ctivd.subject_objects(WIV.quote)
    )


def test_every_node_has_one_source_and_one_quote(ctivd):
    for cls in (WIV.Finding, WIV.Conclusion, WIV.Recommendation, WIV.Case):
        for node in ctivd.subjects(RDF.type, cls):
            assert len(list(ctivd.objects(node, WIV.source))) == 1, node
            assert len(list(ctivd.objects(node, WIV.quote))) == 1, node


def test_sources_are_subdivisions_of_the_report(ctivd, report):
    missing = [
        f"{s}: {src}"
        for s, src, _ in _sourced(ctivd)
        if (src, WIV.document, REPORT) not in report and (src, WIV.text, None) not in report
    ]
    assert missing == []


def test_quotes_occur_in_their_source(ctivd, report):
    wrong = [
        f"{s}: {quote[:60]!r} not in {src}"
        for s, src, quote in _sourced(ctivd)
        if not any(quote_occurs(quote, text) for text in _texts_below(report, src))
    ]
    assert wrong == []


def test_verdicts_come_from_the_verdict_scheme(ctivd, corpus):
    for finding, verdict in ctivd.subject_objects(WIV.verdict):
        assert str(verdict).startswith(str(VERDICT)), finding
        assert (verdict, SKOS.inScheme, VERDICT["scheme"]) in corpus, verdict


def test_cases_hold_no_verdict_and_are_judged_by_a_finding(ctivd):
    cases = set(ctivd.subjects(RDF.type, WIV.Case))
    assert cases
    for case in cases:
        assert ctivd.value(case, WIV.verdict) is None, case
        judges = set(ctivd.subjects(WIV.aboutCase, case))
        assert judges and all((f, RDF.type, WIV.Finding) in ctivd for f in judges), case


def test_case_fields_describe_the_situation(ctivd):
    for case in ctivd.subjects(RDF.type, WIV.Case):
        assert ctivd.value(case, WIV.actor) is not None, case
        assert ctivd.value(case, WIV.performedAction) is not None, case
        assert any(d.language == "nl" for d in ctivd.objects(case, WIV.description)), case


def test_conclusions_summarise_detailed_findings(ctivd):
    for conclusion, finding in ctivd.subject_objects(WIV.summarises):
        assert (conclusion, RDF.type, WIV.Conclusion) in ctivd
        assert (finding, RDF.type, WIV.Finding) in ctivd, finding


def test_recommendations_have_addressee_and_respond_to_findings(ctivd):
    recommendations = set(ctivd.subjects(RDF.type, WIV.Recommendation))
    assert recommendations
    for rec in recommendations:
        assert ctivd.value(rec, WIV.addressee) is not None, rec
        for finding in ctivd.objects(rec, WIV.respondsTo):
            assert (finding, RDF.type, WIV.Finding) in ctivd, finding


def test_parties_exist(ctivd, corpus):
    parties = set()
    for prop in (WIV.concernsParty, WIV.addressee, WIV.actor, WIV.permissionGivenBy,
                 WIV.notCoordinatedWith):
        parties |= {o for o in ctivd.objects(None, prop) if isinstance(o, URIRef)}
    missing = sorted(str(p) for p in parties if (p, RDF.type, None) not in corpus)
    assert missing == []


def test_provisions_exist_in_the_wiv_2002(ctivd, corpus):
    assert (WIV_2002, RDF.type, None) in corpus
    provisions = set(ctivd.objects(None, WIV.concernsProvision))
    missing = sorted(str(p) for p in provisions if (p, RDF.type, None) not in corpus)
    assert missing == []


def test_case_concepts_are_declared(ctivd, corpus):
    used = set()
    for prop in (WIV.performedAction, WIV.classifiedAs, WIV.dataCategory, WIV.recipientKind,
                 WIV.purpose, WIV.recipientStanding, WIV.ministerialPermission,
                 WIV.thirdPartyRule, WIV.originatorConsent):
        used |= set(ctivd.objects(None, prop))
    missing = sorted(str(c) for c in used if (c, RDF.type, SKOS.Concept) not in corpus)
    assert missing == []


def test_own_terms_are_declared(ctivd, corpus):
    used = {p for p in ctivd.predicates() if str(p).startswith(str(WIV))}
    used |= {o for o in ctivd.objects(None, RDF.type) if str(o).startswith(str(WIV))}
    undeclared = sorted(str(t) for t in used if (t, RDF.type, None) not in corpus)
    assert undeclared == []


def test_oversight_terms_have_labels_and_definitions(root):
    graph = parse_turtle(root / "ontology" / "oversight.ttl")
    parse_turtle(root / "ontology" / "schemes" / "verdicts.ttl", into=graph)
    for term in set(graph.subjects(RDF.type, None)):
        if not isinstance(term, URIRef):
            continue
        for prop in (SKOS.definition,):
            langs = {o.language for o in graph.objects(term, prop)}
            assert {"nl", "en"} <= langs, f"{term}: {prop} lacks nl/en"
        labels = set(graph.objects(term, SKOS.prefLabel)) | set(
            graph.objects(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        )
        assert {"nl", "en"} <= {lab.language for lab in labels}, term
