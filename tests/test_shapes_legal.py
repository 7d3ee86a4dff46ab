"""Legal-consistency rules on copies of real corpus triples: the copy passes the rule, the same
copy with one thing broken fails it, with the rule's message in Dutch and English."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node
from test_shapes import load_ontology, validate_subjects, with_ontology

from wivgraph.namespaces import ORG, SH, SHAPE, WIV
from wivgraph.namespaces import PREFIXES as P

DOC, NORM, ORGS, FACT, XSD = P["doc"], P["norm"], P["organisation"], P["fact"], P["xsd"]


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load_ontology()


def cbd(corpus: Graph, node: Node, into: Graph) -> Graph:
    """Copy the triples about ``node`` (and about the blank nodes they lead to)."""
    for triple in corpus.triples((node, None, None)):
        into.add(triple)
        if isinstance(triple[2], BNode):
            cbd(corpus, triple[2], into)
    return into


def copy_of(corpus: Graph, nodes: Iterable[Node]) -> Graph:
    copy = Graph()
    for node in nodes:
        cbd(corpus, node, copy)
    return copy


def rule_results(copy: Graph, ontology: Graph, shapes: Graph, shape: str, lang: str = "en"):
    """(focus, value, messages) of the results of ``shape`` on the copy."""
    report = validate_subjects(with_ontology(ontology, copy), shapes, set(copy.subjects()), lang)
    found = []
    for result in report.graph.subjects(SH.sourceShape, SHAPE[shape]):
        found.append(
            (
                report.graph.value(result, SH.focusNode),
                report.graph.value(result, SH.value),
                {str(m) for m in report.graph.objects(result, SH.resultMessage)},
            )
        )
    return found


def expected_messages(shapes: Graph, shape: str, value: Node | None) -> dict[str, str]:
    """The shape's sh:message per language, {?value} filled in as pySHACL does (the IRI)."""
    return {
        m.language: str(m).replace("{?value}", str(value))
        for m in shapes.objects(SHAPE[shape], SH.message)
    }


def check_rule(
    corpus,
    ontology,
    shapes,
    *,
    seeds,
    shape,
    focus,
    value,
    break_it: Callable[[Graph], None],
    words: dict[str, str],
):
    copy = copy_of(corpus, seeds)
    assert len(copy) > 5, "the copy holds real triples"
    assert rule_results(copy, ontology, shapes, shape) == [], "the real triples keep the rule"
    break_it(copy)
    results = rule_results(copy, ontology, shapes, shape)
    assert [(f, v) for f, v, _m in results] == [(focus, value)]
    messages = results[0][2]
    expected = expected_messages(shapes, shape, value)
    assert set(expected) == {"nl", "en"}
    assert set(expected.values()) <= messages, messages
    for lang, word in words.items():
        assert word in expected[lang], (lang, word)


def replace_object(graph: Graph, subject: Node, predicate: URIRef, new: Node) -> None:
    graph.remove((subject, predicate, None))
    graph.add((subject, predicate, new))


# --------------------------------------------------------------------------- the rules


def test_consent_condition_names_the_originator(corpus, ontology, shapes):
    """CIIC art 7 lid 2: passing on data needs consent of the party the data come from."""
    norm = NORM["convenant-ciic-2020-art-7-lid-2"]
    condition = corpus.value(norm, WIV.condition)
    origin = corpus.value(norm, WIV.dataSource)
    bearer = next(iter(corpus.objects(norm, WIV.bearer)))

    def break_it(copy):  # the consent is asked of the bearer, not of the originator
        replace_object(copy, condition, WIV.consentingParty, bearer)

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[norm, corpus.value(norm, WIV.instrument)],
        shape="Norm-condition-consent",
        focus=norm,
        value=origin,
        break_it=break_it,
        words={"nl": "toestemming", "en": "consent"},
    )


def test_exception_is_a_party(corpus, ontology, shapes):
    """CIIC art 3 a: "Partijen, uitgezonderd de NCTV": the NCTV represents a party."""
    norm = NORM["convenant-ciic-2020-art-3-a"]
    instrument = corpus.value(norm, WIV.instrument)
    nctv = ORGS["nctv"]
    representations = [
        r
        for r in corpus.subjects(WIV.representedBy, nctv)
        if (r, WIV.instrument, instrument) in corpus
    ]
    assert representations, "the corpus says whom the NCTV represents"

    parties = list(corpus.objects(instrument, WIV.party))

    def break_it(copy):  # cut the NCTV's tie to the minister it represents
        for r in representations:
            copy.remove((r, None, None))
        for party in parties:
            copy.remove((nctv, None, party))

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[norm, instrument, nctv, *representations, *parties],
        shape="Norm-except-party",
        focus=norm,
        value=nctv,
        break_it=break_it,
        words={"nl": "geen partij", "en": "not a party"},
    )


def test_bearer_is_a_party(corpus, ontology, shapes):
    """AIVD-IND art 1 lid 1: the AIVD bears the norm; the party is its director-general."""
    norm = NORM["convenant-aivd-ind-2019-art-1-lid-1"]
    instrument = corpus.value(norm, WIV.instrument)
    aivd = ORGS["aivd"]
    assert (norm, WIV.bearer, aivd) in corpus and not corpus.value(norm, WIV.legalBasis)
    parties = list(corpus.objects(instrument, WIV.party))

    def break_it(copy):  # cut every link between the AIVD and the parties
        for party in parties:
            copy.remove((party, ORG.postIn, aivd))
            copy.remove((aivd, None, party))

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[norm, instrument, aivd, *parties],
        shape="Norm-bearer-party",
        focus=norm,
        value=aivd,
        break_it=break_it,
        words={"nl": "geen partij", "en": "not a party"},
    )


def test_not_in_force_before_signed(corpus, ontology, shapes):
    """CIIC convenant: in force on 28 May 2020, the day of its signatures."""
    instrument = DOC["convenant-ciic-2020"]
    entry = FACT["convenant-ciic-2020-entry-into-force"]
    signatures = list(corpus.subjects(WIV.instrument, instrument))
    signed = [corpus.value(s, WIV.signingDate) for s in signatures]
    first = min(d.toPython() for d in signed if d is not None)
    early = Literal(first.replace(day=first.day - 1), datatype=XSD.date)

    def break_it(copy):
        replace_object(copy, entry, WIV.inForceFrom, early)

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[entry, instrument, *signatures],
        shape="InForce-inForceFrom-signed",
        focus=entry,
        value=early,
        break_it=break_it,
        words={"nl": "ondertekening", "en": "signatures"},
    )


def test_not_in_force_after_replacement(corpus, ontology, shapes):
    """Wiv 2002 (in force 29 May 2002) is replaced by Wiv 2017 (in force 1 May 2018)."""
    old, new = DOC["wiv-2002"], DOC["wiv-2017"]
    assert (new, WIV.replaces, old) in corpus
    replaced_on = corpus.value(new, WIV.inForceFrom)

    def break_it(copy):  # the old law said to enter into force on the day the new one did
        replace_object(copy, old, WIV.inForceFrom, replaced_on)

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[old, new],
        shape="InForce-inForceFrom-replacement",
        focus=old,
        value=replaced_on,
        break_it=break_it,
        words={"nl": "vervangt", "en": "replacing"},
    )


@pytest.mark.parametrize("duration", ["P0M", "-P6M"])
def test_deadline_is_positive(corpus, ontology, shapes, duration):
    """CIIC art 9 lid 2: evaluation first within six months."""
    norm = NORM["convenant-ciic-2020-art-9-lid-2"]
    deadline = corpus.value(norm, WIV.deadline)
    bad = Literal(duration, datatype=XSD.duration)

    def break_it(copy):
        replace_object(copy, deadline, WIV.dueWithin, bad)

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[norm],
        shape="Deadline-dueWithin-positive",
        focus=deadline,
        value=bad,
        break_it=break_it,
        words={"nl": "niet positief", "en": "not positive"},
    )


def test_notice_period_is_positive(corpus, ontology, shapes):
    """AIVD-IND art 4 lid 2: notice of three months."""
    holder = next(corpus.subjects(WIV.noticePeriod, None))
    bad = Literal("-P3M", datatype=XSD.duration)

    def break_it(copy):
        replace_object(copy, holder, WIV.noticePeriod, bad)

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[holder],
        shape="Instrument-noticePeriod-positive",
        focus=holder,
        value=bad,
        break_it=break_it,
        words={"nl": "opzegtermijn", "en": "notice period"},
    )


@pytest.mark.parametrize("dropped", ["replacedBy", "replaces"])
def test_replacement_both_ways(corpus, ontology, shapes, dropped):
    """AIVD-IND 2019 replaces the 2013 convenant; both directions are stated."""
    new, old = DOC["convenant-aivd-ind-2019"], DOC["convenant-aivd-ind-2013"]
    assert (new, WIV.replaces, old) in corpus and (old, WIV.replacedBy, new) in corpus
    if dropped == "replacedBy":
        shape, focus, value, gone = (
            "Instrument-replaces-inverse",
            new,
            old,
            (old, WIV.replacedBy, new),
        )
        words = {"nl": "wijst niet terug", "en": "does not point back"}
    else:
        shape, focus, value, gone = (
            "Instrument-replacedBy-inverse",
            old,
            new,
            (new, WIV.replaces, old),
        )
        words = {"nl": "niet als vervangen", "en": "does not name this instrument"}
    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[new, old],
        shape=shape,
        focus=focus,
        value=value,
        break_it=lambda copy: copy.remove(gone),
        words=words,
    )


def test_signatory_acts_for_a_party(corpus, ontology, shapes):
    """CIIC signatures: each signatory acts for a party of the convenant."""
    instrument = DOC["convenant-ciic-2020"]
    signature = next(
        s
        for s in corpus.subjects(RDF.type, WIV.Signature)
        if (s, WIV.instrument, instrument) in corpus
    )
    acts_for = corpus.value(signature, WIV.actsFor)

    def break_it(copy):
        copy.remove((instrument, WIV.party, acts_for))

    check_rule(
        corpus,
        ontology,
        shapes,
        seeds=[signature, instrument],
        shape="Signature-actsFor-party",
        focus=signature,
        value=acts_for,
        break_it=break_it,
        words={"nl": "geen partij", "en": "not a party"},
    )
