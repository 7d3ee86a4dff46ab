"""The question catalogue: every .rq has a header, runs, and returns its expected rows."""

import json
from collections import Counter

import pytest

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import WIV
from wivgraph.query import (
    AGENT_CLASSES,
    REQUIRED_HEADER,
    bind_parameters,
    catalogue,
    catalogue_markdown,
    expand_iri,
    find_question,
    resource_names,
    run_question,
    same_kind,
)

QUESTIONS = catalogue(paths.queries_dir())
EXPECTED_DIR = paths.project_root() / "tests" / "queries"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_header_is_complete(name):
    question = QUESTIONS[name]
    missing = [key for key in REQUIRED_HEADER if not question.header.get(key)]
    assert missing == [], f"{question.path}: header lacks {missing}"
    for param in question.parameters:
        assert f"?{param.name}" in question.text, f"{name}: parameter {param.name} unused"
        assert param.default is not None, f"{name}: parameter {param.name} has no default"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_expected_results(name, dataset):
    expected_file = EXPECTED_DIR / f"{name}.json"
    assert expected_file.exists(), f"{name}: no expected results in {expected_file}"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    result = run_question(dataset, QUESTIONS[name])
    if result.boolean is not None:
        assert result.boolean == expected
        return
    actual = Counter(frozenset(row.items()) for row in result.plain_rows())
    wanted = Counter(frozenset((k, str(v)) for k, v in row.items()) for row in expected)
    assert actual == wanted


def test_questions_doc_is_current(root):
    generated = catalogue_markdown(QUESTIONS)
    current = (root / "docs" / "questions.md").read_text(encoding="utf-8")
    assert current == generated, "run: wivgraph query docs --output docs/questions.md"


# --------------------------------------------------------------------------- bad parameters


def _error(corpus, name: str, values: dict[str, str]) -> str:
    with pytest.raises(WivgraphError) as caught:
        bind_parameters(QUESTIONS[name], values, corpus)
    return str(caught.value)


def _suggested(message: str) -> str:
    return message.split("closest known: ", 1)[1]


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("organisation:aivdd", "organisation:aivd"),
        ("<https://w3id.org/wivgraph/id/org/ncscc>", "organisation:ncsc"),
        ("https://w3id.org/wivgraph/id/org/nctvv", "organisation:nctv"),
    ],
)
def test_unknown_iri_of_a_party_suggests_by_local_name(corpus, value, meant):
    message = _error(corpus, "norms-obligations-of", {"party": value})
    assert "does not occur in the graph" in message and value in message
    assert _suggested(message).startswith(f"{meant} ("), message


def test_unknown_iri_suggestions_are_of_the_parameters_kind(corpus):
    """A data category parameter suggests data categories, never the CIIC cell or a scope."""
    message = _error(corpus, "onward-conditions", {"category": "datacat:ciic-dat"})
    suggested = _suggested(message)
    assert suggested.startswith("datacat:ciic-data")
    assert "cell:" not in suggested and "scope:" not in suggested


def test_unknown_name_suggests_only_resources_of_the_parameters_kind(corpus):
    """'Ministerie' for a party suggests organisations and offices, not wiv:underMinister."""
    message = _error(corpus, "norms-obligations-of", {"party": "Ministerie"})
    kind = same_kind(corpus, expand_iri(QUESTIONS["norms-obligations-of"].parameters[0].default))
    allowed = {name for name, _iri in resource_names(corpus, kind)}
    everything = {name for name, _iri in resource_names(corpus)}
    suggested = [n for n in everything if n in _suggested(message)]
    assert "underMinister" not in message
    assert suggested and all(n in allowed or any(n in a for a in allowed) for n in suggested)
    assert WIV.underMinister not in kind and WIV.Role in AGENT_CLASSES


def test_party_kind_takes_organisations_offices_cells_and_roles(corpus):
    kind = same_kind(corpus, expand_iri("organisation:ncsc"))
    for member in ("organisation:aivd", "organisation:minister-bzk", "cell:ciic", "role:originating-party"):
        assert expand_iri(member) in kind, member
    assert expand_iri("doc:convenant-ciic-2020") not in kind
    assert expand_iri("datacat:ciic-data") not in kind


def test_unknown_question_suggests_only_similar_names():
    with pytest.raises(WivgraphError) as caught:
        find_question("no-such-query")
    assert "did you mean" not in str(caught.value)
    with pytest.raises(WivgraphError, match=r"did you mean: norms-obligations-of"):
        find_question("norms-obligation-of")
    with pytest.raises(WivgraphError, match=r"did you mean: instruments-parties"):
        find_question("parties")
