"""The product asks oxigraph; rdflib's engine is the reference it must agree with.

The command line's ``check`` and ``ask onward`` and the explorer's Scenario and Doorgeven pages
ask a :class:`wivgraph.fast.ReadableStore` (questions on oxigraph, label look-ups by pattern in
the same store). Here every written scenario and every data category is answered on it and on
the rdflib union of the same files, and the answers must be the same text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from wivgraph import fast, onward
from wivgraph.check import check_scenarios, format_json
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.namespaces import INFERRED_GRAPH

SCENARIOS = Path(__file__).parent / "scenarios"


def _written_scenarios() -> list:
    raws = []
    for path in sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "law").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            raws += scenarios_from_data(item["scenario"], f"{path.name}:{item['scenario']['id']}")
    return raws


def _differing(raws, reference, product) -> list:
    """(file, reference verdict, product verdict) of each scenario whose verdict text differs."""
    return [
        (raw.file, ref.verdict, mine.verdict)
        for raw, ref, mine in zip(raws, reference, product, strict=True)
        if format_json([ref]) != format_json([mine])
    ][:10]


@pytest.fixture(scope="module")
def product_store():
    return fast.ReadableStore(fast.load_store(), inferred=False)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_written_scenario_gets_the_same_verdict_on_both_engines(corpus, product_store, lang):
    raws = _written_scenarios()
    assert len(raws) >= 200  # every file under tests/scenarios/ was read
    reference = check_scenarios(corpus, raws, lang)
    product = check_scenarios(product_store, raws, lang)
    assert not _differing(raws, reference, product)


def test_with_the_closure_every_written_scenario_gets_the_same_verdict_on_both_engines():
    """The explorer's "inferred" switch: the build cache's store with graph:inferred, read with
    it, against rdflib's union of the same cached dataset."""
    from wivgraph import cache
    from wivgraph.classification import public_view
    from wivgraph.load import union_graph

    raws = _written_scenarios()
    reference = check_scenarios(union_graph(public_view(cache.cached_dataset(inferred=True))), raws, "nl")
    product = check_scenarios(fast.ReadableStore(cache.load_store(), inferred=True), raws, "nl")
    assert not _differing(raws, reference, product)


def test_every_data_category_gets_the_same_onward_answer_on_both_engines(corpus, product_store):
    categories = onward.data_categories(corpus)
    assert len(categories) >= 20
    differing = [
        str(category)
        for category in categories
        if onward.explain_onward(corpus, str(category), "nl")
        != onward.explain_onward(product_store, str(category), "nl")
    ]
    assert not differing


def test_readable_store_reads_the_inferred_triples_only_when_asked():
    """The explorer's "inferred" switch: the pattern look-ups read graph:inferred exactly when
    the store's questions do."""
    from wivgraph import cache

    store = cache.load_store()  # the build's layout: the asserted union copied, graph:inferred
    triple = next(  # a triple only the closure holds, with an IRI subject (ASK can name it)
        triple
        for triple in (
            tuple(fast.rdflib_term(t) for t in (q.subject, q.predicate, q.object))
            for q in store.quads_for_pattern(None, None, None, fast.to_ox(INFERRED_GRAPH))
        )
        if isinstance(triple[0], URIRef)
    )
    asserted = fast.ReadableStore(store, inferred=False)
    with_inferred = fast.ReadableStore(store, inferred=True)
    ask = "ASK {{ {} {} {} }}".format(*(term.n3() for term in triple))
    assert triple not in asserted and not asserted.query(ask).boolean
    assert triple in with_inferred and with_inferred.query(ask).boolean
