"""Property test: generated scenario files give verdicts or a clear WivgraphError, nothing else."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wivgraph.check import check_scenarios, checker_for, load_scenarios_text
from wivgraph.errors import WivgraphError

FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])

NAMES = ["aivd", "MIVD", "CIIC", "politie", "ind", "nobody", "", "provide", "pass-onward",
         "verstrekken", "ciic-data", "personal data", "foreign-service", "domestic-party",
         "named-services", "countries", "own-task", "written-form", "x" * 30, "é", "1"]
VALUES = st.one_of(st.sampled_from(NAMES), st.text(max_size=20), st.integers(), st.booleans(),
                   st.none(), st.just("2021-03-01"), st.just("2021-02-30"), st.just("yes"),
                   st.lists(st.sampled_from(NAMES), max_size=3),
                   st.dictionaries(st.sampled_from(["name", "party", "status", "met"]),
                                   st.sampled_from(NAMES + ["absent", "unknown"]), max_size=2))
FIELDS = ["id", "actor", "action", "data_category", "originating_party", "recipient",
          "recipient_kind", "consents", "ministerial_permission", "third_party_rule", "purpose",
          "recipient_standing", "decided_by", "place", "conditions", "date", "text", "bogus"]
SCENARIO = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8)
DOCUMENT = st.one_of(SCENARIO, st.lists(SCENARIO, max_size=3),
                     st.fixed_dictionaries({"scenarios": st.lists(SCENARIO, max_size=3)}),
                     st.text(max_size=50), st.integers(), st.none())


@pytest.fixture(scope="module")
def index(corpus):
    return checker_for(corpus)


@FUZZ
@given(doc=DOCUMENT, as_json=st.booleans(), noise=st.sampled_from(["", "\n", ":", "[", "- ", "{"]))
def test_generated_files(index, doc, as_json, noise):
    if as_json:
        text, name = json.dumps(doc) + noise, "gen.json"
    else:
        text, name = yaml.safe_dump(doc, allow_unicode=True) + noise, "gen.yaml"
    try:
        verdicts = check_scenarios(index, load_scenarios_text(text, name), "nl")
    except WivgraphError as exc:
        assert str(exc).startswith(name) or "invalid scenario file" in str(exc) or name in str(exc)
        return
    assert all(v.verdict for v in verdicts)
