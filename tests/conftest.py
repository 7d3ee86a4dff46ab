"""Shared fixtures: the corpus is loaded once per test session, never at import."""

from __future__ import annotations

import importlib.util

import pytest
from rdflib import Graph

from wivgraph import paths
from wivgraph.load import load_dataset, load_shapes, union_graph


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def corpus(dataset) -> Graph:
    """Union of ontology/ and data/ as one graph."""
    return union_graph(dataset)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture
def store_project(tmp_path):
    """A project folder made of tests/fixtures/store's ontology/, data/ and queries/."""
    fixture = paths.project_root() / "tests" / "fixtures" / "store"
    project = tmp_path / "project"
    for folder in ("ontology", "data", "queries"):
        (project / folder).mkdir(parents=True)
        for path in (fixture / folder).glob("*"):
            (project / folder / path.name).write_bytes(path.read_bytes())
    return project


@pytest.fixture(scope="session")
def root():
    return paths.project_root()


@pytest.fixture(scope="session")
def reference():
    """benchmarks/reference.py: pySHACL, the reference engine the product's validation is
    compared with (it is not part of the product)."""
    path = paths.project_root() / "benchmarks" / "reference.py"
    spec = importlib.util.spec_from_file_location("wivgraph_benchmarks_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
