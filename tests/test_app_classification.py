"""Classified material: the explorer never shows content of a non-public resource.

A copy of the project gets a data file that (wrongly) gives the CTIVD report's secret annex a
text. The shape catches it, and the explorer still shows the annex only as existing, with its
status, on every page that could show text.
"""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_app import _script, texts

from wivgraph import paths
from wivgraph.classification import classified_nodes, withhold_content
from wivgraph.load import load_dataset, load_shapes
from wivgraph.validate import validate_dataset

SECRET = "https://w3id.org/wivgraph/id/doc/ctivd-rapport-22b/bijlage/2"
REPORT = "https://w3id.org/wivgraph/id/doc/ctivd-rapport-22b"
LEAK = "Geheimzinnigewoordvolgorde uit de geheime bijlage"
LEAK_TTL = f"""@prefix wiv: <https://w3id.org/wivgraph/def#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
<{SECRET}> wiv:text "{LEAK}"@nl .
<{SECRET}/art/1> eli:is_part_of <{SECRET}> ; wiv:text "{LEAK} (deel)"@nl .
"""


@pytest.fixture(scope="module")
def leaky_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("leaky")
    source = paths.project_root()
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(source / folder, root / folder)
    (root / "data" / "leak.ttl").write_text(LEAK_TTL, encoding="utf-8")
    return root


@pytest.fixture
def leaky_app(leaky_project, monkeypatch):
    monkeypatch.setenv("WIVGRAPH_HOME", str(leaky_project))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def rendered(at: AppTest) -> str:
    """What the explorer shows as text, plus code blocks and tables."""
    parts = [texts(at)]
    parts += [str(element.value) for kind in ("code", "text") for element in getattr(at, kind)]
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(parts)


def test_the_shape_catches_the_leak(leaky_project):
    report = validate_dataset(root=leaky_project, shapes=load_shapes(leaky_project))
    hits = [i for i in report.violations if i.source_shape.endswith("Classified-content")]
    assert {i.focus for i in hits} == {SECRET}
    assert all(LEAK not in i.message and LEAK not in i.value for i in hits)


def test_withholding_removes_the_content(leaky_project):
    dataset = load_dataset(leaky_project)
    assert SECRET in {str(n) for n in classified_nodes(dataset)}
    assert withhold_content(dataset) == 2
    assert LEAK not in dataset.serialize(format="nquads")


@pytest.mark.parametrize(
    "page, state, params",
    [
        ("entity", {}, {"iri": SECRET}),
        ("entity", {}, {"iri": REPORT}),
        ("documents", {"doc_pick__nl": REPORT}, {}),
    ],
)
def test_pages_never_render_classified_text(leaky_app, page, state, params):
    at = AppTest.from_function(_script, args=(page,), default_timeout=300)
    for key, value in state.items():
        at.session_state[key] = value
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Geheimzinnigewoordvolgorde" not in rendered(at)


def test_search_does_not_find_classified_text(leaky_app):
    at = AppTest.from_function(_script, args=("search",), default_timeout=300)
    at.session_state["search_q"] = "woordvolgorde uit de geheime"
    at.run()
    assert not at.exception
    shown = rendered(at)
    assert "Niets gevonden" in shown
    assert "Geheimzinnigewoordvolgorde" not in shown


def test_sparql_page_cannot_read_classified_text(leaky_app):
    at = AppTest.from_function(_script, args=("sparql",), default_timeout=300).run()
    at.text_area(key="sp_text").set_value(
        "PREFIX wiv: <https://w3id.org/wivgraph/def#>\n"
        "SELECT ?s ?text WHERE { ?s wiv:text ?text FILTER (CONTAINS(STR(?text), 'Geheimzinnig')) }"
    )
    at.button(key="sp_run").click().run()
    assert not at.exception
    assert "Geheimzinnigewoordvolgorde" not in rendered(at)


def test_entity_page_shows_the_annex_exists_with_its_status(leaky_app):
    at = AppTest.from_function(_script, args=("entity",), default_timeout=300)
    at.query_params["iri"] = SECRET
    at.run()
    shown = rendered(at)
    assert "geheime bijlage" in shown
    assert "geheim" in shown.lower()
