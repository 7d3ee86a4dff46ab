"""ask onward: category lookup, the explanation with citations, errors, and the CLI command."""

import pytest
from click.testing import CliRunner

from wivgraph.cli import cli
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import DATACAT
from wivgraph.onward import (
    TEXT,
    BearerReason,
    ask_onward,
    explain_onward,
    reason_text,
    resolve_category,
)


@pytest.mark.parametrize("text", ["CIIC-gegevens", "ciic-gegevens", "CIIC data", "ciic-data",
                                  "datacat:ciic-data", str(DATACAT["ciic-data"])])
def test_category_by_label_id_or_iri(corpus, text):
    assert resolve_category(corpus, text) == DATACAT["ciic-data"]


def test_unknown_category_lists_closest_first(corpus):
    with pytest.raises(WivgraphError) as info:
        resolve_category(corpus, "CIIC-gegevns")
    message = str(info.value)
    assert "closest first" in message
    assert message.split("closest first: ")[1].startswith("CIIC-gegevens (ciic-data)")


def test_ciic_answer_comes_from_article_7(dataset):
    answer = ask_onward(dataset, "CIIC-gegevens")
    sources = {str(step.source).rsplit("convenant-ciic-2020/", 1)[-1] for step in answer.steps}
    assert sources == {"art/7/lid/1", "art/7/lid/2"}
    lid2 = next(s for s in answer.steps if str(s.source).endswith("art/7/lid/2"))
    (condition,) = lid2.conditions.values()
    assert {str(p).rsplit("/", 1)[-1] for p in condition.consenting} == {"originating-party"}


def test_ciic_answer_says_the_originator_keeps_its_own_data(dataset):
    """CIIC art 5 lid 2: supplying data to the CIIC leaves each party's power to use the data it
    supplied for its own task; art 7 binds the AIVD, not the originator."""
    answer = ask_onward(dataset, "CIIC-gegevens")
    (kept,) = answer.retained
    assert str(kept.source).endswith("convenant-ciic-2020/art/5/lid/2")
    assert {str(a).rsplit("/", 1)[-1] for a in kept.actors} == {"aivd", "mivd", "politie", "ncsc", "om"}
    text = explain_onward(dataset, "CIIC-gegevens")
    assert "Wat de partij van herkomst met haar eigen gegevens behoudt:" in text
    assert "convenant-ciic-2020, art. 5 lid 2" in text
    assert "laat de bevoegdheid van een partij tot gebruikmaking van de door die partij aangeleverde gegevens" in text
    english = explain_onward(dataset, "CIIC data", "en")
    assert "What the originating party keeps over its own data:" in english


def test_inferred_bearers_are_explained_with_their_source(dataset):
    """#18: "Wie" says why a bearer the lid does not name bears the norm: the AIVD as the CIIC's
    legal host (art 3), "wie de gegevens onder zich heeft" because art 7 is written passively."""
    answer = ask_onward(dataset, "CIIC-gegevens")
    lid1 = next(s for s in answer.steps if str(s.source).endswith("art/7/lid/1"))
    reasons = {str(b).rsplit("/", 1)[-1]: r for b, r in lid1.bearer_reasons.items()}
    assert set(reasons) == {"aivd", "data-holder"}
    (host,) = reasons["aivd"]
    assert str(host.source).endswith("convenant-ciic-2020/art/3")
    assert host.quote == "dat deze cel juridisch wordt ondergebracht bij de AIVD"
    (holder,) = reasons["data-holder"]
    assert str(holder.source).endswith("convenant-ciic-2020/art/7/lid/1")
    (kept,) = answer.retained  # art 5 lid 2 names its bearers ("een partij"): nothing to explain
    assert not kept.bearer_reasons
    text = explain_onward(dataset, "CIIC-gegevens")
    assert ("     - Algemene Inlichtingen- en Veiligheidsdienst: als juridisch onderbrenger van de CIIC "
            "(convenant-ciic-2020, art. 3: \u201cdat deze cel juridisch wordt ondergebracht bij de AIVD\u201d)") in text
    assert ("     - wie de gegevens onder zich heeft: de bepaling noemt geen handelende partij en bindt wie de "
            "gegevens onder zich heeft (convenant-ciic-2020, art. 7 lid 1: \u201cVerstrekking van de gegevens") in text
    english = explain_onward(dataset, "CIIC data", "en")
    assert "as the CIIC's legal host (convenant-ciic-2020, art. 3:" in english
    assert "the provision names no acting party and binds whoever holds the data" in english
    # a statement without a label of its own is cited as what the bearer is derived from
    bare = BearerReason("", lid1.source, "x")
    assert reason_text(bare, TEXT["nl"]) == "afgeleid uit convenant-ciic-2020, art. 7 lid 1: \u201cx\u201d"


def test_explanation_cites_lid_and_quote(dataset):
    text = explain_onward(dataset, "CIIC-gegevens")
    assert text.startswith("Wie mag CIIC-gegevens doorgeven")
    assert "convenant-ciic-2020, art. 7 lid 2" in text
    assert "uitdrukkelijk toestemming is verleend door de partij waarvan de desbetreffende gegevens afkomstig zijn" in text
    english = explain_onward(dataset, "CIIC data", "en")
    assert english.startswith("Who may pass CIIC data onward")
    assert "consent of originating party" in english


def test_exchanged_data_need_consent_of_providing_service(dataset):
    text = explain_onward(dataset, "tussen AIVD en MIVD uitgewisselde gegevens", "en")
    assert "convenant-aivd-mivd-2005, art. 3 lid 2" in text
    assert "consent of providing service" in text
    assert "foreign investigative service" in text  # the Wiv 2002 prohibition applies to all data


def test_cli_ask_onward():
    runner = CliRunner()
    ok = runner.invoke(cli, ["ask", "onward", "CIIC-gegevens"])
    assert ok.exit_code == 0, ok.output
    assert "art. 7 lid 2" in ok.output
    bad = runner.invoke(cli, ["ask", "onward", "geen-categorie"])
    assert bad.exit_code == 2
    assert "known categories" in bad.output
