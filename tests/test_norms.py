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
    "work": CONCEPT["scheme-work-products"],
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
        problems += quote_problems(corpus, node)
    assert problems == []


def quote_problems(corpus, node) -> list[str]:
    """Why ``node``'s wiv:source/wiv:quote pair fails the quote rule (empty when it holds)."""
    source, quote = corpus.value(node, WIV.source), corpus.value(node, WIV.quote)
    if source is None or quote is None:
        return [f"{node}: source/quote missing"]
    if normalise(str(quote)) not in own_text(corpus, source):
        return [f"{node}: quote not in {source}: {quote[:60]}"]
    return []


def test_code_lists_are_used_correctly(corpus, norms):
    problems = []
    for norm in norms:
        for action in corpus.objects(norm, ODRL.action):
            if not in_scheme(corpus, action, "action"):
                problems.append(f"{norm}: action {action}")
        for target in corpus.objects(norm, ODRL.target):
            if not (in_scheme(corpus, target, "data") or in_scheme(corpus, target, "work")
                    or str(target).startswith(str(DOC))
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


# --------------------------------------------------------------------------- audit of issue 5

def _nodes(corpus, local, prop):
    return list(corpus.objects(NORM[local], prop))


def _by_quote(corpus, local, prop, quote):
    """The condition/constraint node of a norm whose quote is ``quote`` (normalised)."""
    hits = [n for n in _nodes(corpus, local, prop)
            if normalise(str(corpus.value(n, WIV.quote))) == normalise(quote)]
    assert len(hits) == 1, (local, prop, quote, hits)
    return hits[0]


def test_constraint_quotes_occur_in_their_source(corpus, norms):
    """Applicability constraints (odrl:constraint) are sourced and quoted like conditions."""
    problems = []
    nodes = [c for norm in norms for c in corpus.objects(norm, ODRL.constraint)]
    assert len(nodes) >= 10
    for node in nodes:
        found = quote_problems(corpus, node)
        if not found and not in_scheme(corpus, corpus.value(node, WIV.conditionKind), "condition"):
            found = [f"{node}: kind"]
        problems += found
    assert problems == []


@pytest.mark.parametrize("local,kind,quote", [
    ("convenant-ciic-2020-art-4-lid-5", "condition-occasion",
     "in de gevallen waarin de werkzaamheden in de CIIC en de vervulling van de taak van het OM "
     "daartoe aanleiding geven"),
    ("convenant-ciic-2020-art-10-b", "condition-subject-matter",
     "voor zover de communicatie specifiek de uitvoering van de Nederlandse Cybersecurity Agenda "
     "betreft"),
    ("convenant-aivd-ind-2019-art-2-lid-3-b", "condition-deadline-not-feasible",
     "Als het voornemen bestaat om een ambtsbericht uit te brengen, maar dit ambtsbericht niet "
     "binnen tien werkdagen kan worden uitgebracht"),
    ("convenant-aivd-ind-2019-art-2-lid-1", "condition-measure-possible",
     "als de IND op basis van het uitgebrachte ambtsbericht een maatregel kan treffen"),
])
def test_occasion_and_scope_are_constraints(corpus, local, kind, quote):
    node = _by_quote(corpus, local, ODRL.constraint, quote)
    assert corpus.value(node, WIV.conditionKind) == CONCEPT[kind]
    assert quote not in {str(corpus.value(c, WIV.quote)) for c in _nodes(corpus, local, WIV.condition)}


def test_ind_art_2_lid_1_is_a_form_requirement_not_a_duty_to_provide(corpus):
    local = "convenant-aivd-ind-2019-art-2-lid-1"
    trigger = _by_quote(corpus, local, ODRL.constraint, "Verstrekking van persoonsgegevens door de AIVD aan de IND")
    assert corpus.value(trigger, WIV.conditionKind) == CONCEPT["condition-upon-provision"]
    assert corpus.value(trigger, WIV.acceptedValue) == CONCEPT["data/personal-data"]
    # the only requirement is the form; the ambtsbericht is the form, not an object to provide
    kinds = {corpus.value(c, WIV.conditionKind) for c in _nodes(corpus, local, WIV.condition)}
    assert kinds == {CONCEPT["condition-written-form"]}
    assert set(_nodes(corpus, local, ODRL.target)) == {CONCEPT["data/personal-data"]}


def test_ciic_art_3_establishes_the_cell(corpus):
    norm = NORM["convenant-ciic-2020-art-3-d"]
    assert (norm, RDF.type, WIV.Obligation) in corpus
    assert corpus.value(norm, ODRL.action) == CONCEPT["action/establish"]
    assert corpus.value(norm, ODRL.target) == URIRef("https://w3id.org/wivgraph/id/cell/ciic")
    assert corpus.value(norm, WIV.quote) == Literal(
        "Partijen komen overeen dat een Cyber Intel/Info Cel wordt ingesteld")
    assert corpus.value(norm, WIV.source) == URIRef(f"{DOC}convenant-ciic-2020/art/3")
    # all six parties: the NCTV is excepted from bringing information together, not from this
    assert len(set(corpus.objects(norm, WIV.bearer))) == 6


@pytest.mark.parametrize("local,source,quote", [
    ("convenant-aivd-mivd-2005-art-2-lid-1-b", "art/2/lid/1",
     "Deze afstemming omvat in ieder geval de volgende beleidsterreinen: de toepassing van "
     "bijzondere bevoegdheden, de uitvoering van de notificatieverplichtingen ex artikel 34 WIV "
     "2002, de verwerking van inzageverzoeken en de uitvoering van veiligheidsonderzoeken."),
    ("convenant-aivd-mivd-2005-art-6-lid-1-a", "art/6/lid/1",
     "Bij de samenwerking tussen de AIVD en de MIVD op het gebied van industrieveiligheid wordt "
     "gehandeld conform de taakverdeling voortvloeiende uit de WIV 2002 en de Wvo."),
])
def test_2005_sentences_found_unencoded_are_norms(corpus, local, source, quote):
    norm = NORM[local]
    assert normalise(str(corpus.value(norm, WIV.quote))) == normalise(quote)
    assert corpus.value(norm, WIV.source) == URIRef(f"{DOC}convenant-aivd-mivd-2005/{source}")


def test_2005_art_1_3_keeps_both_alternatives(corpus):
    local = "convenant-aivd-mivd-2005-art-1-lid-3"
    (cond,) = _nodes(corpus, local, WIV.condition)
    assert corpus.value(cond, WIV.conditionKind) == CONCEPT["condition-joint-operation-or-other-reason"]
    quote = normalise(str(corpus.value(cond, WIV.quote)))
    for alternative in ("Indien door de AIVD en MIVD gezamenlijk een operatie wordt uitgevoerd",
                        "als daar anderszins redenen voor zijn"):
        assert alternative in quote
        assert any(alternative in str(c) for c in corpus.objects(cond, RDFS.comment))


def test_art_37_a_named_services_rests_on_the_passage_that_says_so(corpus):
    (cond,) = _nodes(corpus, "wiv-2002-art-37-a", WIV.condition)
    assert corpus.value(cond, WIV.acceptedValue) == CONCEPT["tpr-named-services"]
    quote = normalise(str(corpus.value(cond, WIV.quote)))
    assert "aan welke buitenlandse dienst(en)" in quote and "artikel 37" in quote
    assert corpus.value(cond, WIV.source) == URIRef(f"{DOC}ctivd-rapport-22b/sectie/5.3/praktijk/2")
