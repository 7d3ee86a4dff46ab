"""Every prefix declared in a .ttl or .rq file agrees with the namespace module."""

import re

import pytest

from wivgraph.namespaces import PREFIXES

# Vendored third-party test data keeps its own prefixes (ex:, temp:, foaf:, …) unchanged.
VENDORED = ("odrl_test_suite", "odrl_formal_semantics_examples")
TTL_PREFIX = re.compile(r"^\s*@prefix\s+([\w-]*):\s*<([^>]*)>", re.M | re.I)
RQ_PREFIX = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", re.M | re.I)


def declared_files(root):
    for folder in ("ontology", "data", "shapes", "queries", "tests", "src"):
        for path in sorted((root / folder).rglob("*")):
            vendored = set(VENDORED) & set(path.relative_to(root).parts)
            if path.suffix in (".ttl", ".rq") and path.is_file() and not vendored:
                yield path


def test_every_declared_prefix_matches_the_module(root):
    mismatches = []
    for path in declared_files(root):
        text = path.read_text(encoding="utf-8")
        pattern = TTL_PREFIX if path.suffix == ".ttl" else RQ_PREFIX
        for prefix, iri in pattern.findall(text):
            if prefix in ("ex", "") and "tests" in path.parts:
                continue  # test fixtures may use example.org
            expected = PREFIXES.get(prefix)
            if expected is None or str(expected) != iri:
                mismatches.append(f"{path.relative_to(root)}: {prefix}: <{iri}>")
    assert mismatches == []


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_namespaces_are_distinct(prefix):
    others = {p for p, ns in PREFIXES.items() if str(ns) == str(PREFIXES[prefix])}
    assert others == {prefix}
