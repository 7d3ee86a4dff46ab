"""Scenarios written from the texts (#18): one file per instrument under tests/scenarios/law/.

Each item names the lid that decides it (`lid`), the deciding norm's local name (`norm`) and the
verdict a careful reading of the text gives (`expect`); a `# reasoning:` comment above it quotes
the words that decide. The expectations were written from the texts, not from the checker: where
the checker disagrees, the case is listed in tests/scenarios/law/disagreements.md and the test
fails until the engine or the data is fixed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from wivgraph.check import NO_RULE, PERMITTED, VERDICTS, check_scenarios, checker_for
from wivgraph.check.scenarios import scenarios_from_data

HERE = Path(__file__).parent
LAW = HERE / "scenarios" / "law"
NORMS = HERE.parent / "data" / "norms"
FILES = sorted(LAW.glob("*.yaml"))
INSTRUMENTS = ("convenant-ciic-2020", "convenant-aivd-mivd-2005", "convenant-aivd-ind-2019", "wiv-2002-statute")
WIV = Namespace("https://w3id.org/wivgraph/def#")
NORM = "https://w3id.org/wivgraph/id/norm/"
FIELDS = {"lid", "norm", "expect", "scenario", "issue_case"}


def _load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _all_items() -> list[tuple[Path, dict]]:
    return [(path, item) for path in FILES for item in _load(path)]


ITEMS = _all_items()
OPEN = {line.strip() for line in (HERE / "scenarios" / "law" / "open-disagreements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")}
OPEN_REASON = ("the checker disagrees with the text's reading; cause in tests/scenarios/law/disagreements.md "
               "(open work of #18, strict: passes once fixed and must then leave open-disagreements.txt)")


def _params():
    for path, item in ITEMS:
        sid = item["scenario"]["id"]
        marks = [pytest.mark.xfail(strict=True, reason=OPEN_REASON)] if sid in OPEN else []
        yield pytest.param(path, item, id=sid, marks=marks)


@pytest.fixture(scope="module")
def checker(corpus):
    return checker_for(corpus)


@pytest.mark.parametrize(("path", "item"), list(_params()))
def test_law_scenario(checker, path, item):
    raws = scenarios_from_data(item["scenario"], f"{path.name}:{item['scenario']['id']}")
    verdict = check_scenarios(checker, raws, "en")[0]
    deciding = [n.iri for n in verdict.deciding]
    assert verdict.verdict == item["expect"], (item["lid"], verdict.verdict, deciding, verdict.trace)
    if item["expect"] != NO_RULE:
        assert NORM + item["norm"] in deciding, (item["lid"], deciding)


def test_items_are_well_formed():
    ids = [item["scenario"]["id"] for _, item in ITEMS]
    assert len(ids) == len(set(ids)), "scenario ids are unique"
    for path, item in ITEMS:
        assert set(item) <= FIELDS and {"lid", "norm", "expect", "scenario"} <= set(item), (path.name, item)
        assert item["expect"] in VERDICTS, (path.name, item["scenario"]["id"])
        assert (NORMS / f"{path.stem}.ttl").exists(), path.name


def test_every_item_has_its_reasoning():
    """Each `- lid:` line is preceded (directly) by a `# reasoning:` comment block."""
    for path in FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if line.startswith("- lid:"):
                block = []
                k = n - 1
                while k >= 0 and lines[k].startswith("#"):
                    block.append(lines[k])
                    k -= 1
                assert any(b.startswith("# reasoning:") for b in block), f"{path.name}:{n + 1}"


def test_count_and_issue_cases():
    assert len(ITEMS) >= 100
    assert {item.get("issue_case") for _, item in ITEMS} >= set(range(1, 10))


def _unreachable() -> set[str]:
    """Norms listed in README.md as not reachable by a scenario (table rows starting with a code span)."""
    text = (LAW / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z0-9-]+)`", text, flags=re.MULTILINE))


def _lids() -> dict[str, set[str]]:
    """Normative lid (source subdivision) -> local names of its norms, for the four instruments."""
    lids: dict[str, set[str]] = {}
    for inst in INSTRUMENTS:
        g = Graph().parse(NORMS / f"{inst}.ttl")
        for cls in (WIV.Permission, WIV.Prohibition, WIV.Obligation):
            for norm in g.subjects(RDF.type, cls):
                if not str(norm).startswith(NORM):
                    continue
                lids.setdefault(str(g.value(norm, WIV.source)), set()).add(str(norm)[len(NORM):])
    return lids


def test_every_lid_is_covered_or_explained():
    """Every normative lid decides a permitted and a not-permitted (or conditional) scenario, or all
    its norms are listed in README.md with the reason a scenario cannot reach them."""
    unreachable = _unreachable()
    by_norm: dict[str, set[str]] = {}
    for _, item in ITEMS:
        by_norm.setdefault(item["norm"], set()).add(item["expect"])
    missing = []
    for lid, norms in sorted(_lids().items()):
        if norms <= unreachable:
            continue
        expects = set().union(*(by_norm.get(n, set()) for n in norms))
        if PERMITTED not in expects or not expects - {PERMITTED, NO_RULE}:
            missing.append((lid.rsplit("/doc/", 1)[-1], sorted(expects)))
    assert missing == []


def test_unreachable_list_names_real_norms():
    known = set().union(*_lids().values())
    assert _unreachable() <= known, sorted(_unreachable() - known)


def test_norm_field_names_a_norm(corpus):
    for path, item in ITEMS:
        assert (URIRef(NORM + item["norm"]), RDF.type, None) in corpus, (path.name, item["norm"])
