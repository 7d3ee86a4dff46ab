"""Shared fixtures: the corpus is loaded once per test session, never at import."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def root():
    return paths.project_root()
