"""Validity in time: replacement bounds an undated instrument, notice and its absence are read."""

import datetime as dt
import json

from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD

from wivgraph import paths
from wivgraph.namespaces import DOC, FACT, WIV
from wivgraph.query import catalogue, run_question
from wivgraph.temporal import in_force_on, instrument_validity

QUESTIONS = catalogue(paths.queries_dir())
EXPECTED = paths.project_root() / "tests" / "queries"


def _fixture() -> Graph:
    """old (no dates) replaced by new (in force 2019-03-08, notice via a clause); undated (a text
    without a termination clause, recorded); bare (nothing encoded)."""
    g = Graph()
    old, new, undated, bare = DOC["old"], DOC["new"], DOC["undated"], DOC["bare"]
    for doc in (old, new, undated, bare):
        g.add((doc, RDF.type, WIV.Convenant))
    entry = FACT["new-entry"]
    g.add((entry, RDF.type, WIV.EntryIntoForce))
    g.add((entry, WIV.instrument, new))
    g.add((entry, WIV.inForceFrom, Literal("2019-03-08", datatype=XSD.date)))
    g.add((new, WIV.replaces, old))
    clause = DOC["new/art/4/lid/2"]
    g.add((new, WIV.terminationClause, clause))
    g.add((clause, WIV.noticePeriod, Literal("P3M", datatype=XSD.duration)))
    absence = FACT["undated-no-termination-clause"]  # as the clause records write it (#20)
    g.add((absence, RDF.type, WIV.Absence))
    g.add((absence, RDF.subject, undated))
    g.add((absence, RDF.predicate, WIV.terminationClause))
    g.add((undated, WIV.inForceFrom, Literal("2005-07-10", datatype=XSD.date)))
    return g


def test_replaced_instrument_applies_until_replacement_with_unknown_start():
    g = _fixture()
    on = in_force_on(g, dt.date(2019, 3, 1))
    assert set(on) == {DOC["old"], DOC["undated"]}
    assert on[DOC["old"]].end == dt.date(2019, 3, 8)
    assert on[DOC["old"]].undecided == ["begin onbekend"]  # its end is known
    assert set(in_force_on(g, dt.date(2019, 3, 8))) == {DOC["new"], DOC["undated"]}


def test_notice_and_no_termination_clause_are_told_apart():
    v = instrument_validity(_fixture())
    assert v[DOC["new"]].undecided == ["opzegbaar (opzegtermijn P3M); opzegging niet vastgelegd"]
    assert v[DOC["undated"]].undecided == []  # the text has no termination clause: nothing open
    assert DOC["bare"] not in v  # no date at all: not claimed to be in force


def test_question_reads_termination_with_and_without_clause_facts():
    g = _fixture()
    result = run_question(g, QUESTIONS["time-in-force-on-date"], {"date": "2019-03-01"})
    rows = {r["instrument"].rsplit("/", 1)[-1]: r for r in result.plain_rows()}
    assert {k: (str(r["status"]), str(r["termination"])) for k, r in rows.items()} == {
        "old": ("begin onbekend", "opzegging niet vastgelegd"),
        "undated": ("in werking", "geen opzeggingsbepaling in de tekst"),
        "bare": ("begin en einde onbekend", "opzegging niet vastgelegd"),
    }
    later = run_question(g, QUESTIONS["time-in-force-on-date"], {"date": "2019-04-01"})
    terms = {r["instrument"].rsplit("/", 1)[-1]: str(r["termination"]) for r in later.plain_rows()}
    assert terms["new"] == "opzegbaar, opzegtermijn P3M"


def test_in_force_on_2019_03_01_lists_the_2013_aivd_ind_convenant(dataset):
    """Issue #22: the 2013 convenant was replaced on 2019-03-08, so it applied on 2019-03-01."""
    result = run_question(dataset, QUESTIONS["time-in-force-on-date"], {"date": "2019-03-01"})
    actual = sorted(json.dumps({k: str(v) for k, v in r.items()}, sort_keys=True)
                    for r in result.plain_rows())
    expected = json.loads((EXPECTED / "time-in-force-on-date-2019-03-01.json").read_text("utf-8"))
    assert actual == sorted(json.dumps(r, sort_keys=True) for r in expected)


def test_corpus_validity_of_the_2013_convenant(corpus):
    v = instrument_validity(corpus)[DOC["convenant-aivd-ind-2013"]]
    assert (v.start, v.end) == (None, dt.date(2019, 3, 8))
    assert "begin onbekend" in v.undecided
