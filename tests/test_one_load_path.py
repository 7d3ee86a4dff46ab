"""One load path (issue 19): what servers get is loaded by oxigraph, as for every command.

``serve`` and ``deploy virtuoso`` used to build their N-Quads from rdflib's Dataset; now
:func:`wivgraph.fast.served_store` loads the files with oxigraph. These tests hold the new path
to the old one (rdflib, kept as the reference): the same named graphs with the same triples,
and the same deduplicated union as the default graph.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wivgraph import deploy, fast
from wivgraph.classification import public_view
from wivgraph.export import serialize
from wivgraph.load import load_dataset, union_graph


@pytest.fixture(scope="module")
def asserted():
    return load_dataset()


@pytest.fixture(scope="module")
def reference(asserted) -> str:
    """The N-Quads servers got before: rdflib's Dataset, its public view, its named graphs and
    their union (a set) as the default graph."""
    public = public_view(asserted)
    return serialize(public, "nq").rstrip("\n") + "\n" + union_graph(public).serialize(format="nt")


def _canonical(text: str) -> ox.Dataset:
    dataset = ox.Dataset(ox.parse(text.encode("utf-8"), ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # blank nodes named by content
    return dataset


def _same_dataset(new: str, old: str) -> None:
    new_dataset, old_dataset = _canonical(new), _canonical(old)
    assert len(new_dataset) == len(old_dataset)
    assert set(map(str, new_dataset)) == set(map(str, old_dataset))
    assert list(new_dataset.quads_for_graph_name(ox.DefaultGraph()))  # the union, copied


def test_served_nquads_equal_the_rdflib_reference(tmp_path, reference):
    path = tmp_path / "served.nq"
    fast.write_nquads(fast.served_store(), path)
    _same_dataset(path.read_text(encoding="utf-8"), reference)


def test_served_nquads_of_a_given_dataset_equal_the_reference(tmp_path, asserted, reference):
    path = tmp_path / "served.nq"
    fast.write_nquads(fast.served_store(dataset=asserted), path)
    _same_dataset(path.read_text(encoding="utf-8"), reference)


def test_virtuoso_load_file_names_every_named_graph(tmp_path, asserted, reference):
    path = tmp_path / "load.nq"
    graphs = deploy.write_load_file(path, None)
    assert graphs == sorted(str(g.identifier) for g in asserted.graphs() if len(g))
    _same_dataset(path.read_text(encoding="utf-8"), reference)
