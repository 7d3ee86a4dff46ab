"""Validate ODRL policies with SHACL: the ODRL 2.2 core shapes and the wivgraph profile shapes.

The core shapes (``odrl/shapes/odrl-core.ttl``, shipped with the package) check what the ODRL
Information Model 2.2 requires of any policy; the profile shapes (``shapes/odrl-profile.ttl`` of
the project) check the use of the wivgraph profile's terms. Left operands and actions that are not
ODRL's own must be declared by a profile, so the policies are validated together with the
project's ontology (which holds the profile, ``ontology/odrl-profile.ttl``). See
docs/odrl-profile.md.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from wivgraph import paths
from wivgraph.load import parse_turtle, turtle_files
from wivgraph.namespaces import bind_prefixes
from wivgraph.validate import Report, validate_graph

CORE_SHAPES = Path(__file__).parent / "shapes" / "odrl-core.ttl"
PROFILE_SHAPES = ("odrl-profile.ttl", "prefixes.ttl")  # in the project's shapes/


def core_shapes() -> Graph:
    """The ODRL 2.2 core shapes."""
    return parse_turtle(CORE_SHAPES, bind_prefixes(Graph()))


def odrl_shapes(root: Path | None = None) -> Graph:
    """The core shapes and the wivgraph profile shapes (with the prefixes they use)."""
    root = root or paths.project_root()
    graph = core_shapes()
    for name in PROFILE_SHAPES:
        parse_turtle(root / "shapes" / name, graph)
    return graph


def vocabulary(root: Path | None = None) -> Graph:
    """The project's ontology: the profile's declarations and the terms they build on."""
    from wivgraph import fast  # noqa: PLC0415

    root = root or paths.project_root()
    files = turtle_files(root / "ontology")
    store = fast.load_store(root, files=files, withhold=False)
    return bind_prefixes(fast.rdflib_graph(store, inferred=False))


def validate_policies(
    policies: Graph,
    *,
    root: Path | None = None,
    lang: str = "nl",
    shapes: Graph | None = None,
    declarations: Graph | None = None,
) -> Report:
    """Validate ``policies`` (with ``declarations``, default the project's ontology) against
    ``shapes`` (default :func:`odrl_shapes`); conforms unless there is a Violation."""
    data = bind_prefixes(Graph())
    for graph in (policies, declarations if declarations is not None else vocabulary(root)):
        for triple in graph:
            data.add(triple)
    return validate_graph(data, shapes if shapes is not None else odrl_shapes(root), lang=lang)


__all__ = ["CORE_SHAPES", "core_shapes", "odrl_shapes", "validate_policies", "vocabulary"]
