"""The object of an act (#18): work products, norm targets on them, and the checker keeping a norm
on one object away from acts on another.

Expected verdicts are written from the convenants' text (quoted in each docstring), not from the
checker's output.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from wivgraph.check import CONDITIONAL, FORBIDDEN, NO_RULE, PERMITTED, check_scenarios, checker_for
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.namespaces import CONCEPT, DOC, GRAPH, NORM, ODRL, WIV
from wivgraph.text import normalise

SCHEME = CONCEPT["scheme-work-products"]
OBJECTS_GRAPH = GRAPH["data/norms/objects"]
ELI_PART_OF = URIRef("http://data.europa.eu/eli/ontology#is_part_of")
# actions whose object is never data: a norm on them without odrl:target would govern every such act
NON_DATA_ACTIONS = {URIRef(f"https://w3id.org/wivgraph/id/concept/action/{a}") for a in ("draft", "approve", "set-rules")}


@pytest.fixture(scope="module")
def objects(dataset):
    graph = dataset.graph(OBJECTS_GRAPH)
    assert len(graph) > 0, "data/norms/objects.ttl is loaded as its own named graph"
    return graph


@pytest.fixture(scope="module")
def checker(corpus):
    return checker_for(corpus)


def work_products(corpus) -> list:
    return sorted(corpus.subjects(SKOS.inScheme, SCHEME), key=str)


def own_text(graph, node) -> str:
    texts = [str(t) for t in graph.objects(node, WIV.text)]
    texts += [own_text(graph, child) for child in graph.subjects(ELI_PART_OF, node)]
    return normalise(" ".join(texts))


def test_work_products_are_in_the_scheme_with_labels_and_definitions(corpus):
    found = work_products(corpus)
    assert len(found) >= 15
    problems = []
    for c in found:
        for prop in (SKOS.prefLabel, SKOS.definition):
            langs = {lit.language for lit in corpus.objects(c, prop)}
            if not {"nl", "en"} <= langs:
                problems.append(f"{c}: {prop} in {langs}")
        top = (c, SKOS.topConceptOf, SCHEME) in corpus
        broader = [b for b in corpus.objects(c, SKOS.broader) if (b, SKOS.inScheme, SCHEME) in corpus]
        if not (top or broader):
            problems.append(f"{c}: neither top concept nor narrower than a work product")
        if (c, RDF.type, SKOS.Concept) not in corpus:
            problems.append(f"{c}: not a skos:Concept")
    work_iris = {s for s in corpus.subjects(RDF.type, SKOS.Concept) if str(s).startswith(str(CONCEPT["work-"]))}
    assert work_iris <= set(found), "every concept:work-* is in the scheme"
    assert problems == []


def test_work_product_names_name_one_object(corpus):
    """Labels are how a scenario names its object; a name shared with another work product, an
    instrument or a cell would make the checker treat the two as one."""
    owners: dict[str, set] = {}
    things = list(work_products(corpus)) + [n for n in set(corpus.subjects(WIV.party, None))]
    things += [n for n in set(corpus.subjects(RDF.type, None)) if "/id/cell/" in str(n)]
    for node in set(things):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for lab in corpus.objects(node, prop):
                owners.setdefault(str(lab).strip().lower(), set()).add(node)
    shared = {name: sorted(map(str, nodes)) for name, nodes in owners.items()
              if len(nodes) > 1 and any((n, SKOS.inScheme, SCHEME) in corpus for n in nodes)}
    assert shared == {}


def test_every_target_is_reified_with_a_quote_from_its_lid(corpus, objects):
    targets = list(objects.subject_objects(ODRL.target))
    assert len(targets) >= 20
    problems = []
    for norm, target in targets:
        stmts = [s for s in objects.subjects(RDF.subject, norm)
                 if (s, RDF.predicate, ODRL.target) in objects and (s, RDF.object, target) in objects]
        if len(stmts) != 1:
            problems.append(f"{norm} -> {target}: {len(stmts)} statements")
            continue
        st = stmts[0]
        if (st, RDF.type, WIV.Statement) not in objects:
            problems.append(f"{st}: not a wiv:Statement")
        source, quote = objects.value(st, WIV.source), objects.value(st, WIV.quote)
        if source is None or quote is None:
            problems.append(f"{st}: source/quote missing")
            continue
        if normalise(str(quote)) not in own_text(corpus, source):
            problems.append(f"{st}: quote not in {source}: {quote[:60]}")
        instrument = corpus.value(norm, WIV.instrument)
        if instrument is None or not str(source).startswith(str(instrument) + "/"):
            problems.append(f"{st}: source {source} is not in the norm's instrument {instrument}")
        if not ((target, SKOS.inScheme, SCHEME) in corpus or str(target).startswith(str(DOC))
                or "/id/cell/" in str(target)):
            problems.append(f"{norm}: target {target} is no work product, instrument or cell")
    statements = set(objects.subjects(RDF.predicate, ODRL.target))
    assert len(statements) == len(targets), "no statement without its asserted target"
    assert problems == []


def test_convenant_norms_on_non_data_acts_have_an_object(corpus):
    """Drafting, approving and rule-setting in the convenants are always about a plan, arrangement
    or rule, never about data: each such norm names it."""
    missing = []
    for norm in set(corpus.subjects(ODRL.action, None)):
        if not str(norm).startswith(str(NORM) + "convenant-"):
            continue
        if set(corpus.objects(norm, ODRL.action)) & NON_DATA_ACTIONS and corpus.value(norm, ODRL.target) is None:
            missing.append(str(norm))
    assert sorted(missing) == []


def check(checker, scenario: dict):
    return check_scenarios(checker, scenarios_from_data(scenario, "<test>"), "nl")[0]


def deciding(verdict) -> set[str]:
    return {n.iri.removeprefix(str(NORM)) for n in verdict.deciding}


def draft(obj: str | None, date: str) -> dict:
    sc = {"version": 2, "actor": "MIVD", "action": "draft", "date": date}
    if obj:
        sc["object"] = obj
    return sc


def test_code_of_conduct_deadline_does_not_bind_the_communication_plan(checker):
    """2005 art 8.2: the code of conduct is due "voor 1 november 2005"; art 12 ("De AIVD en de MIVD
    stellen een gezamenlijk intern communicatieplan op") sets no date. A communication plan drawn
    up in April 2006 is as agreed; a code of conduct drawn up then is late."""
    plan = check(checker, draft("gezamenlijk intern communicatieplan", "2006-04-01"))
    assert plan.verdict == PERMITTED
    assert deciding(plan) == {"convenant-aivd-mivd-2005-art-12"}
    code = check(checker, draft("gedragsregels voor buitenlandse diensten", "2006-04-01"))
    assert code.verdict == FORBIDDEN
    assert deciding(code) == {"convenant-aivd-mivd-2005-art-8-lid-2"}


def test_without_an_object_the_drafting_norms_only_may_apply(checker):
    """Whether drafting in April 2006 is late depends on what is drafted (art 1.1, 1.2, 6.3, 8.2:
    "voor 1 november 2005"; art 12: no date): unknown stays unknown, and the object is an open point."""
    v = check(checker, draft(None, "2006-04-01"))
    assert v.verdict == CONDITIONAL
    assert any("onderwerp van de handeling" in c.text for c in v.conditions)


def test_steering_group_sets_up_a_working_group_not_the_cell(checker):
    """CIIC art 9 lid 4: "De stuurgroep kan besluiten tot het instellen van een werkgroep"; setting
    up the working group is permitted, and art 3 (the parties' setting up of the CIIC) and the 2005
    convenant's establishing norms have nothing to say about it."""
    v = check(checker, {"version": 2, "actor": "ciic-stuurgroep", "action": "establish", "object": "werkgroep CIIC",
                        "date": "2021-01-01"})
    assert v.verdict == PERMITTED
    assert deciding(v) == {"convenant-ciic-2020-art-9-lid-4"}


def test_approving_another_plan_is_not_governed_by_art_10(checker):
    """2005 art 10.2: "Deze uitvoeringsplannen worden vooraf goedgekeurd door het Hoofd van de AIVD
    en de Directeur van de MIVD" is about implementation plans. The Director's approval of such a
    plan is as agreed; the convenant says nothing about the Director approving the annual plan (art
    11.1: established in the Raad voor de Nationale Veiligheid, "na voorbereiding in het CVIN")."""
    plan = check(checker, {"version": 2, "actor": "directeur-mivd", "action": "approve",
                           "object": "uitvoeringsplan AIVD-MIVD", "date": "2009-03-15"})
    assert plan.verdict == PERMITTED
    assert deciding(plan) == {"convenant-aivd-mivd-2005-art-10-lid-2"}
    annual = check(checker, {"version": 2, "actor": "directeur-mivd", "action": "approve",
                             "object": "jaarplan AIVD en IVD MIVD", "date": "2009-03-15"})
    assert annual.verdict == NO_RULE
    assert deciding(annual) == set()


def test_every_work_product_is_named_by_its_labels_and_slug(checker, corpus):
    """A scenario names its object by the nl or en prefLabel or the slug; each resolves to it."""
    from wivgraph.check.resolve import resolve  # noqa: PLC0415

    wrong = []
    for c in work_products(corpus):
        names = [str(lab) for lab in corpus.objects(c, SKOS.prefLabel)] + [str(c).rsplit("/", 1)[-1]]
        for name in names:
            raw = scenarios_from_data({"version": 2, "actor": "AIVD", "action": "draft", "object": name}, "<test>")[0]
            found = resolve(checker.idx, raw).object
            if found != c:
                wrong.append((name, str(found)))
    assert wrong == []
