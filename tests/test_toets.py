"""Convenantentoets: the Aanwijzingen voor convenanten in the graph, outcomes of the three
convenants (tests/fixtures/toets/expected-outcomes.json, reasons read from their texts), two drafts
through ingest + toets, and the CLI on bad input."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF

from wivgraph import paths
from wivgraph.cli import cli
from wivgraph.ingest import aanwijzingen
from wivgraph.namespaces import DOC, WIV
from wivgraph.toets import OUTCOMES, load_toets_shapes, toets

ROOT = paths.project_root()
FIXTURES = Path(__file__).parent / "fixtures" / "toets"
DRAFTS = ROOT / "docs" / "examples" / "drafts"
EXPECTED = json.loads((FIXTURES / "expected-outcomes.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shapes():
    return load_toets_shapes()


@pytest.fixture(scope="module")
def outcomes(corpus, shapes):
    return {slug: {f"{o.aanwijzing}.{o.lid}" if o.lid else o.aanwijzing: o
                   for o in toets(corpus, slug, shapes)} for slug in EXPECTED}


def test_source_is_the_verbatim_copy_and_the_text_is_generated_from_it(tmp_path):
    md = (paths.sources_dir() / aanwijzingen.MARKDOWN).read_bytes()
    assert hashlib.sha256(md).hexdigest() == aanwijzingen.MARKDOWN_SHA256
    assert len(md.decode("utf-8")) == 83551  # total_chars of the laws-markdown file at COMMIT
    text = aanwijzingen.plain_text(md.decode("utf-8"))
    assert (paths.sources_dir() / aanwijzingen.TEXT).read_text(encoding="utf-8") == text


def test_structure_counts_and_texts(corpus):
    doc = DOC[aanwijzingen.SLUG]
    parts = set(corpus.subjects(WIV.document, doc))
    kinds = {k: sum(1 for p in parts if (p, RDF.type, k) in corpus)
             for k in (WIV.Lid, WIV.Onderdeel, WIV.Explanation)}
    aanw = [p for p in parts if re.search(r"/aanwijzing/\d+$", str(p))]
    assert (len(aanw), kinds[WIV.Lid], kinds[WIV.Onderdeel], kinds[WIV.Explanation]) == (25, 45, 23, 25)
    lid = DOC[aanwijzingen.SLUG + "/aanwijzing/20/lid/2"]
    assert str(corpus.value(lid, WIV.text)) == (
        "Een convenant dat voor onbepaalde tijd is gesloten, bevat in elk geval een opzeggingsregeling.")


def test_generated_turtle_is_current(tmp_path):
    for folder in ("data/sources", "data/laws"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data/sources" / aanwijzingen.MARKDOWN).write_bytes(
        (paths.sources_dir() / aanwijzingen.MARKDOWN).read_bytes())
    _text, ttl = aanwijzingen.write(tmp_path)
    assert ttl.read_bytes() == (ROOT / "data/laws" / ttl.name).read_bytes()


def test_every_lid_has_one_requirement(corpus):
    reqs = list(corpus.subjects(RDF.type, WIV.Requirement))
    sources = {corpus.value(r, WIV.source) for r in reqs}
    doc = DOC[aanwijzingen.SLUG]
    leden = {p for p in corpus.subjects(WIV.document, doc) if (p, RDF.type, WIV.Lid) in corpus}
    lidless = {p for p in corpus.subjects(WIV.document, doc) if (p, RDF.type, WIV.Article) in corpus
               and "/aanwijzing/" in str(p) and not any((c, RDF.type, WIV.Lid) in corpus
                                                        for c in corpus.subjects(None, p))}
    assert len(reqs) == len(sources) == len(leden) + len(lidless) == 56


@pytest.mark.parametrize("slug,key", [(s, k) for s, pins in EXPECTED.items() for k in pins])
def test_pinned_outcomes(outcomes, slug, key):
    outcome = outcomes[slug][key]
    assert outcome.outcome == EXPECTED[slug][key][0], (outcome.reason, EXPECTED[slug][key][1])
    assert outcome.quote and outcome.warning is None
    if outcome.outcome == "voldoet-niet":
        assert "aanwijzing" in outcome.reason and outcome.provision  # quotes the aanwijzing, names where


def test_every_requirement_has_an_outcome(outcomes):
    for per in outcomes.values():
        assert len(per) == 56 and {o.outcome for o in per.values()} <= set(OUTCOMES)


def _project(tmp_path: Path) -> Path:
    """A project folder sharing ontology/, shapes/ and data/ with this one, with its own
    data/documents/ so that an ingested draft changes nothing here."""
    root = tmp_path / "proj"
    (root / "data" / "documents").mkdir(parents=True)
    for name in ("ontology", "shapes", "queries"):
        os.symlink(ROOT / name, root / name)
    for folder in (ROOT / "data").iterdir():
        if folder.name != "documents":
            os.symlink(folder, root / "data" / folder.name)
    for path in (ROOT / "data" / "documents").glob("*.ttl"):
        os.symlink(path, root / "data" / "documents" / path.name)
    return root


def _draft(root: Path, name: str) -> list[dict]:
    runner = CliRunner()
    slug = f"convenant-proef-{name}"
    done = runner.invoke(cli, ["--root", str(root), "ingest", str(DRAFTS / f"{slug}.txt"), "--id", slug])
    assert done.exit_code == 0, done.output
    result = runner.invoke(cli, ["--root", str(root), "toets", slug, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_drafts_through_ingest_and_toets(tmp_path):
    root = _project(tmp_path)
    clean = _draft(root, "schoon")
    assert [o for o in clean if o["outcome"] in ("voldoet-niet", "onbekend")
            and o["aanwijzing"] not in ("16",)] == []
    assert all(o["warning"] is None for o in clean)  # dated 3 March 2025
    defects = _draft(root, "gebreken")
    failed = sorted((o["aanwijzing"], o["lid"]) for o in defects if o["outcome"] == "voldoet-niet")
    assert failed == [("18", "2"), ("20", "1"), ("25", "1"), ("5", "3"), ("7", "4")]
    assert all("BWBR0051610" in o["warning"] for o in defects)  # dated 3 November 2025
    assert set(defects[0]) >= {"aanwijzing", "lid", "outcome", "provision", "quote"}


def test_cli_text_and_english(tmp_path):
    result = CliRunner().invoke(cli, ["toets", "convenant-ciic-2020", "--lang", "en"])
    assert result.exit_code == 0 and "Instructions for convenants" in result.output
    ttl = CliRunner().invoke(cli, ["toets", "convenant-ciic-2020", "--format", "ttl"])
    assert ttl.exit_code == 0 and "voldoet" in ttl.output


@pytest.mark.parametrize("args,expected", [
    (["toets", "convenant-bestaat-niet"], "convenant-bestaat-niet: no convenant with this id"),
    (["toets", "convenant-ciic-2020", "--format", "pdf"], "Invalid value for '--format'"),
])
def test_cli_bad_input(args, expected):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
