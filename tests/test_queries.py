"""The question catalogue: every .rq has a header, runs, and returns its expected rows."""

import json
from collections import Counter

import pytest

from wivgraph import paths
from wivgraph.query import REQUIRED_HEADER, catalogue, catalogue_markdown, run_question

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
