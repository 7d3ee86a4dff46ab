"""Wiv 2002 statute norms: sourced in the statute text, not assessments, deciding the verdicts of
tests/scenarios/wiv-2002-statute.yaml, and ending with the Wiv 2002."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import URIRef
from rdflib.namespace import RDF

from wivgraph.check import FORBIDDEN, NO_RULE, check_scenarios, checker_for
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.namespaces import DOC, NORM, WIV

STATUTE_SCENARIOS = Path(__file__).parent / "scenarios" / "wiv-2002-statute.yaml"
PREFIX = str(NORM["wiv-2002-statute-"])


@pytest.fixture(scope="module")
def index(corpus):
    return checker_for(corpus)


def _statute_norms(corpus) -> list[URIRef]:
    return sorted({n for n, _ in corpus.subject_objects(WIV.instrument) if str(n).startswith(PREFIX)}, key=str)


def test_statute_norms_are_sourced_in_the_statute_and_no_assessments(corpus):
    norms = _statute_norms(corpus)
    assert len(norms) == 17  # with art 36 lid 1 a-c, the closed list of lid 3, art 58 lid 2 a and art 19 lid 1 (#18)
    for n in norms:
        assert (n, RDF.type, WIV.AssessmentNorm) not in corpus, n
        source = corpus.value(n, WIV.source)
        assert corpus.value(source, WIV.document) == DOC["wiv-2002"], (n, source)
        assert corpus.value(source, WIV.text) is not None, (n, source)
        assert corpus.value(n, WIV.instrument) == DOC["wiv-2002"]


@pytest.mark.parametrize("item", yaml.safe_load(STATUTE_SCENARIOS.read_text(encoding="utf-8")),
                         ids=lambda i: i["scenario"]["id"])
def test_statute_scenario_decided_by_statute(index, item):
    v = check_scenarios(index, scenarios_from_data(item["scenario"], "<test>"), "en")[0]
    assert v.verdict == item["expect"], v.trace
    if v.verdict == NO_RULE:
        assert any(line.startswith("wiv-2002 art ") and "does not apply (in force until" in line
                   for line in v.trace), v.trace
        return
    statute = [n for n in v.deciding if n.iri.startswith(PREFIX)]
    assert statute, [n.iri for n in v.deciding]
    if v.verdict == FORBIDDEN:  # a statutory condition failed, not only a report's norm
        assert any(n.status == "failed" for n in statute), [(n.iri, n.status) for n in statute]
