"""Where the project's folders are: the repository root, or WIVGRAPH_HOME when set."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ontology/, data/, shapes/ and queries/."""
    env = os.environ.get("WIVGRAPH_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def ontology_dir() -> Path:
    return project_root() / "ontology"


def data_dir() -> Path:
    return project_root() / "data"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


def sources_dir() -> Path:
    return data_dir() / "sources"
