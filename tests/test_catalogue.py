"""Catalogue-wide checks on queries/*.rq: size, complete headers, provenance columns, portability.

The per-question expected results are checked in test_queries.py; this file checks what every
question must have in common, so that legal staff can run, read and adapt any of them.
"""

from __future__ import annotations

import re

import pytest
from rdflib.plugins.sparql.parser import parseQuery

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import PREFIXES
from wivgraph.query import PARAM_TYPES, catalogue, parse_header, prepare, read_question

QUESTIONS = catalogue(paths.queries_dir())
NAMES = sorted(QUESTIONS)

MINIMUM_QUESTIONS = 40
HEADER_KEYS = (
    "title@nl",
    "title@en",
    "description",
    "description@nl",
    "sentence@nl",
    "sentence@en",
    "example",
)
BLANK = re.compile(r"\[[^\[\]]+\]")
PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", re.M | re.I)
# A projected aggregate that makes a question a count (its rows are numbers, not facts).
AGGREGATE = re.compile(r"\(\s*(COUNT|SUM)\s*\(", re.I)

# A label column: ?label, ?labelNl/?labelEn, or ?somethingLabel.
LABEL = re.compile(r"label(Nl|En)?|\w+Label")

# Kinds of question that return no facts of the corpus and so need no ?source/?quote columns.
EXEMPT_KINDS = ("ask", "count")

# Questions of other areas that do not (yet) project ?source and ?quote; declared, never hidden.
# Remove an entry when its question is fixed (the strict xfail then fails as a reminder).
PROVENANCE_EXCEPTIONS: dict[str, str] = {}

# Questions of other areas that declare a prefix they do not use.
UNUSED_PREFIX_EXCEPTIONS: dict[str, str] = {}


def kind(name: str) -> str:
    """'ask', 'count' or 'select' (facts) for a question, from its parsed form and projection."""
    question = QUESTIONS[name]
    parsed = parseQuery(question.text)
    if parsed[1].name == "AskQuery":
        return "ask"
    if parsed[1].name != "SelectQuery":
        return "other"
    if AGGREGATE.search(_outer_projection(question.text)):
        return "count"
    return "select"


def _outer_projection(text: str) -> str:
    """The text between the first SELECT and the first '{' after it (the outer projection)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    start = re.search(r"\bSELECT\b", body, re.I)
    if not start:
        return ""
    end = body.find("{", start.end())
    return body[start.end() : end if end != -1 else len(body)]


def projected(name: str) -> set[str]:
    """Names of the variables a SELECT question projects."""
    query = prepare(QUESTIONS[name].text)
    return {str(v) for v in query.algebra.get("PV", [])}


def test_catalogue_is_large_enough():
    assert len(QUESTIONS) >= MINIMUM_QUESTIONS, f"only {len(QUESTIONS)} questions in queries/"


@pytest.mark.parametrize("name", NAMES)
def test_header_has_every_key(name):
    header = QUESTIONS[name].header
    missing = [key for key in HEADER_KEYS if not header.get(key)]
    assert missing == [], f"{name}: header lacks {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_header_comes_first(name):
    first = QUESTIONS[name].text.lstrip("\ufeff").splitlines()[0]
    assert first.startswith("# title@nl:"), f"{name}: the header must open the file"


@pytest.mark.parametrize("name", NAMES)
def test_sentences_have_a_blank_per_parameter(name):
    question = QUESTIONS[name]
    for lang in ("nl", "en"):
        blanks = BLANK.findall(question.header.get(f"sentence@{lang}", ""))
        assert len(blanks) == len(question.parameters), (
            f"{name}: sentence@{lang} has {len(blanks)} [..] blank(s) for "
            f"{len(question.parameters)} parameter(s)"
        )


@pytest.mark.parametrize("name", NAMES)
def test_parameters_have_type_default_and_description(name):
    question = QUESTIONS[name]
    for param in question.parameters:
        assert param.type in PARAM_TYPES, f"{name}: parameter {param.name} has type {param.type}"
        assert param.default, f"{name}: parameter {param.name} has no default"
        assert param.description, f"{name}: parameter {param.name} has no description"
        assert dict(param.labels).get("nl"), f"{name}: parameter {param.name} has no param@nl"
        assert re.search(rf"\?{param.name}\b", question.text), f"{name}: {param.name} unused"
        assert f"--param {param.name}=" in question.example, (
            f"{name}: the example does not show parameter {param.name}"
        )


@pytest.mark.parametrize("name", NAMES)
def test_example_runs_this_question(name):
    assert QUESTIONS[name].example.startswith(f"wivgraph query run {name}"), name


def _with_exceptions(exceptions: dict[str, str]):
    for name in NAMES:
        marks = []
        if name in exceptions:
            marks.append(pytest.mark.xfail(strict=True, reason=exceptions[name]))
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(_with_exceptions(UNUSED_PREFIX_EXCEPTIONS)))
def test_declared_prefixes_are_the_modules_and_used(name):
    text = QUESTIONS[name].text
    body = PREFIX_LINE.sub("", text)
    for prefix, iri in PREFIX_LINE.findall(text):
        assert prefix in PREFIXES and str(PREFIXES[prefix]) == iri, f"{name}: {prefix}: <{iri}>"
        assert re.search(rf"(?<![\w-]){re.escape(prefix)}:", body), (
            f"{name}: prefix {prefix} is declared but not used"
        )


@pytest.mark.parametrize("name", list(_with_exceptions(PROVENANCE_EXCEPTIONS)))
def test_fact_questions_project_source_and_quote(name):
    """Every question that returns facts of the corpus shows where each comes from, and a
    human label (?label, ?…Label, ?labelNl) of what it is about next to the bare IRIs."""
    if kind(name) in EXEMPT_KINDS:
        return
    variables = projected(name)
    labels = sorted(v for v in variables if LABEL.fullmatch(v))
    assert labels, f"{name}: projects {sorted(variables)}, without a ?label or ?…Label column"
    if {"source", "quote"} <= variables:
        return
    # Several facts per row (a path of two norms): pairs ?firstSource/?firstQuote, ...
    pairs = {v[: -len("Source")] for v in variables if v.endswith("Source")} & {
        v[: -len("Quote")] for v in variables if v.endswith("Quote")
    }
    assert pairs, f"{name}: projects {sorted(variables)}, without ?source and ?quote"


def test_exempt_kinds_are_recognised():
    kinds = {kind(name) for name in NAMES}
    assert {"ask", "count", "select"} <= kinds, kinds


@pytest.mark.parametrize("name", NAMES)
def test_parses_with_rdflib(name):
    prepare(QUESTIONS[name].text)


@pytest.mark.parametrize("name", NAMES)
def test_parses_with_pyoxigraph(name):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    result = pyoxigraph.Store().query(QUESTIONS[name].text)
    if kind(name) == "ask":
        assert bool(result) is False  # nothing matches in an empty store
    else:
        assert list(result) == []


@pytest.mark.parametrize("name", NAMES)
def test_dutch_description_differs_from_english(name):
    """The Dutch description is a translation, not a copy of the English one."""
    question = QUESTIONS[name]
    assert question.describe("nl") != question.describe("en"), name
    for param in question.parameters:
        assert param.label("nl") != param.label("en"), (name, param.name)


def test_language_aware_accessors_fall_back_to_english(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(
        "# title@nl: Vraag\n# title@en: Question\n# description: English text.\n"
        "# description@nl: Nederlandse tekst.\n"
        "# param: party (iri, default <urn:x>) — the party\n"
        "# param: day (date, default 2020-01-01) — the date\n"
        "# param@nl: party — de partij\n"
        "# example: wivgraph query run q --param party=<urn:x>\n"
        "SELECT ?party ?day WHERE { }\n",
        encoding="utf-8",
    )
    question = read_question(path)
    assert question.describe("nl") == "Nederlandse tekst."
    assert question.describe("en") == question.description == "English text."
    assert question.describe("de") == "English text."
    assert question.parameter_label("party", "nl") == "de partij"
    assert question.parameter_label("party", "en") == "the party"
    assert question.parameter_label("day", "nl") == "the date"  # no param@nl: English
    with pytest.raises(KeyError):
        question.parameter_label("nope")


def test_param_label_for_an_unknown_parameter_names_file_and_line(tmp_path):
    path = tmp_path / "q.rq"
    text = "# title@nl: V\n# param: party (iri, default <urn:x>) — the party\n# param@nl: partij — de partij\n"
    with pytest.raises(WivgraphError, match=r"q\.rq:3: param@nl names 'partij'.*party"):
        parse_header(path, text)
    with pytest.raises(WivgraphError, match=r"q\.rq:2: bad param@nl line"):
        parse_header(path, "# title@nl: V\n# param@nl: party de partij\n")
