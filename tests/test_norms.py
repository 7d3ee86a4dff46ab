"""Norms: every norm is complete, cites its lid verbatim and uses the code lists correctly."""

import re

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from wivgraph.namespaces import CONCEPT, DOC, NORM, ODRL, WIV
from wivgraph.text import normalise

MODALITIES = {WIV.Obligation, WIV.Permission, WIV.Prohibition}
SCHEMES = {
    "action": CONCEPT["scheme-actions"],
    "data": CONCEPT["scheme-data-categories"],
    "scope": CONCEPT["scheme-recipient-scopes"],
    "condition": CONCEPT["scheme-condition-kinds"],
    "effect": CONCEPT["scheme-legal-effects"],
}
CONVENANTS = ("convenant-ciic-2020", "convenant-aivd-ind-2019", "convenant-aivd-mivd-2005")


@pytest.fixture(scope="session")
def norms(corpus):
    found = sorted(n for n in corpus.subjects(RDF.type, None) if str(n).startswith(str(NORM)))
    assert len(found) > 100
    return found


def in_scheme(graph, node, scheme):
    return (node, SKOS.inScheme, SCHEMES[scheme]) in graph


def own_text(graph, node):
    texts = [str(t) for t in graph.objects(node, WIV.text)]
    for child in graph.subjects(URIRef("http://data.europa.eu/eli/ontology#is_part_of"), node):
        texts.append(own_text(graph, child))
    return normalise(" ".join(texts))


def test_every_norm_has_bearer_modality_action_source_quote(corpus, norms):
    problems = []
    for norm in norms:
        types = set(corpus.objects(norm, RDF.type)) & MODALITIES
        if len(types) != 1:
            problems.append(f"{norm}: modality {types}")
        for prop in (WIV.bearer, ODRL.action, WIV.source, WIV.quote, WIV.instrument, WIV.legalEffect):
            if corpus.value(norm, prop) is None:
                problems.append(f"{norm}: no {prop}")
        langs = {lit.language for lit in corpus.objects(norm, RDFS.label)}
        if not {"nl", "en"} <= langs:
            problems.append(f"{norm}: labels {langs}")
    assert problems == []


def test_norm_quotes_and_condition_quotes_occur_in_their_source(corpus, norms):
    problems = []
    nodes = list(norms)
    for norm in norms:
        for prop in (WIV.condition, WIV.deadline, WIV.frequency):
            nodes.extend(corpus.objects(norm, prop))
    for node in nodes:
        source, quote = corpus.value(node, WIV.source), corpus.value(node, WIV.quote)
        if source is None or quote is None:
            problems.append(f"{node}: source/quote missing")
        elif normalise(str(quote)) not in own_text(corpus, source):
            problems.append(f"{node}: quote not in {source}: {quote[:60]}")
    assert problems == []


def test_code_lists_are_used_correctly(corpus, norms):
    problems = []
    for norm in norms:
        for action in corpus.objects(norm, ODRL.action):
            if not in_scheme(corpus, action, "action"):
                problems.append(f"{norm}: action {action}")
        for target in corpus.objects(norm, ODRL.target):
            if not (in_scheme(corpus, target, "data") or str(target).startswith(str(DOC))
                    or "/cell/" in str(target)):
                problems.append(f"{norm}: target {target}")
        for scope in corpus.objects(norm, WIV.recipientScope):
            if not in_scheme(corpus, scope, "scope"):
                problems.append(f"{norm}: scope {scope}")
        if not in_scheme(corpus, corpus.value(norm, WIV.legalEffect), "effect"):
            problems.append(f"{norm}: legal effect")
        for cond in corpus.objects(norm, WIV.condition):
            kind = corpus.value(cond, WIV.conditionKind)
            if not in_scheme(corpus, kind, "condition"):
                problems.append(f"{norm}: condition kind {kind}")
            consent = (kind, SKOS.broader, CONCEPT["condition-consent"]) in corpus or kind == CONCEPT["condition-consent"]
            if consent and corpus.value(cond, WIV.consentingParty) is None:
                problems.append(f"{norm}: consent without consenting party")
    assert problems == []


def test_convenant_norm_iris_name_their_lid(corpus, norms):
    pattern = re.compile(r"^(?P<doc>[a-z0-9-]+?)-art-(?P<art>\d+)(?:-lid-(?P<lid>\d+))?(?:-[a-h])?$")
    checked = 0
    for norm in norms:
        local = str(norm).removeprefix(str(NORM))
        if not local.startswith(CONVENANTS):
            continue
        match = pattern.match(local)
        assert match, local
        source = str(corpus.value(norm, WIV.source))
        expected = f"{DOC}{match['doc']}/art/{match['art']}"
        if match["lid"]:
            expected += f"/lid/{match['lid']}"
        assert source.startswith(expected), f"{local}: source {source}"
        checked += 1
    assert checked > 100


def test_exceptions_are_applied(corpus):
    nctv = URIRef("https://w3id.org/wivgraph/id/org/nctv")
    om = URIRef("https://w3id.org/wivgraph/id/org/om")
    for local, excepted in (("convenant-ciic-2020-art-5-lid-1", {nctv}),
                            ("convenant-ciic-2020-art-4-lid-1", {nctv, om})):
        norm = NORM[local]
        assert set(corpus.objects(norm, WIV["except"])) == excepted
        assert not excepted & set(corpus.objects(norm, WIV.bearer))


def test_ciic_convenant_is_not_enforceable(corpus):
    ciic = DOC["convenant-ciic-2020"]
    assert corpus.value(ciic, WIV.legallyEnforceable) == Literal(False)
    for norm in corpus.subjects(WIV.instrument, ciic):
        if str(norm).startswith(str(NORM)):
            assert corpus.value(norm, WIV.legalEffect) == CONCEPT["legal-effect-agreement-not-enforceable"]


def test_scheme_concepts_are_labelled_and_defined(corpus):
    problems = []
    for scheme in list(SCHEMES.values()) + [CONCEPT["scheme-roles"], CONCEPT["scheme-cooperation-criteria"],
                                            CONCEPT["scheme-places"], CONCEPT["scheme-third-party-rule-markings"]]:
        members = list(corpus.subjects(SKOS.inScheme, scheme))
        assert members, scheme
        for concept in members:
            for prop in (SKOS.prefLabel, SKOS.definition):
                langs = {v.language for v in corpus.objects(concept, prop)}
                if not {"nl", "en"} <= langs:
                    problems.append(f"{concept}: {prop} {langs}")
    assert problems == []


def test_five_cooperation_criteria(corpus):
    assert len(set(corpus.subjects(SKOS.inScheme, CONCEPT["scheme-cooperation-criteria"]))) == 5


def test_norm_ontology_terms_are_documented(root):
    from rdflib import Graph

    graph = Graph().parse(root / "ontology" / "norms.ttl")
    terms = {s for s in graph.subjects(RDF.type, None) if str(s).startswith(str(WIV))}
    assert len(terms) > 30
    for term in terms:
        for prop in (RDFS.label, SKOS.definition):
            assert {"nl", "en"} <= {v.language for v in graph.objects(term, prop)}, (term, prop)
        assert graph.value(term, RDFS.isDefinedBy) == URIRef("https://w3id.org/wivgraph/def")


def test_wiv_terms_used_by_norm_data_are_declared(corpus, root):
    from rdflib import Graph

    declared = {s for s in corpus.subjects(RDF.type, None) if str(s).startswith(str(WIV))}
    for path in sorted((root / "data" / "norms").glob("*.ttl")):
        graph = Graph().parse(path)
        used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(WIV))}
        assert used <= declared, f"{path.name}: undeclared {sorted(used - declared)}"
