"""The explorer, page by page, through Streamlit's AppTest (rendered content, not internals).

Expected values come from the library over the real corpus (the same functions the CLI uses),
never typed in: the app must show what the graph holds.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS
from streamlit.testing.v1 import AppTest

from wivgraph import browse
from wivgraph.load import dataset_stats, load_dataset, union_graph
from wivgraph.namespaces import DOC, WIV
from wivgraph.query import catalogue, run_question

TIMEOUT = 300  # seconds; OWL RL (and validation, ~2 s) take a while on first use
CIIC = str(DOC["convenant-ciic-2020"])


def _script(start: str) -> None:
    from wivgraph.app.main import main

    main(start)


def app(page: str, **state) -> AppTest:
    at = AppTest.from_function(_script, args=(page,), default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    return at


def texts(at: AppTest) -> str:
    """Everything a reader sees as text: markdown, captions, headings, links, alerts."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "error",
        "warning",
        "success",
        "expander",
    ):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "label", None) or element.value))
    parts += [str(link.proto.label) for link in at.get("page_link")]
    return "\n".join(parts)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(scope="module")
def graph():
    return union_graph(load_dataset())


def test_every_page_renders_in_dutch():
    from wivgraph.app.i18n import t
    from wivgraph.app.main import PAGES

    for key, *_ in PAGES:
        at = app(key).run()
        no_exception(at)
        assert at.title[0].value == t(f"page.{key}", "nl")


def test_css_string_cannot_end_the_string_or_the_rule():
    import re

    from wivgraph.app.state import css_string, uploader_css

    text = 'max. 1 MB "per" \\ </style> {x}; \n• bestand'
    value = css_string(text)
    inner = value[1:-1]
    assert value[0] == value[-1] == '"'
    assert not set(inner) & set('"\'<>{}/\n•')
    assert re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner) == text
    rules = uploader_css("toets-upload", ["txt"], "nl")
    assert ".st-key-toets-upload " in rules and "</" not in rules


def test_overview_counts_and_instruments(graph):
    at = app("overview").run()
    no_exception(at)
    stats = dataset_stats(load_dataset())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Triples"] == f"{stats['triples']:,}".replace(",", ".")
    shown = at.dataframe[0].value
    assert browse.label(graph, URIRef(CIIC)) in set(shown.iloc[:, 0])


def test_date_filter_leaves_out_later_instruments(graph):
    on = date(2010, 1, 1)
    later = [i for i in browse.instruments(graph) if i.start and i.start > on]
    assert later, "the corpus has instruments after 2010"
    at = app("overview", date_on=True, valid_on=on).run()
    no_exception(at)
    shown = set(at.dataframe[0].value.iloc[:, 0])
    assert not {i.label for i in later} & shown
    assert any(i.label in shown for i in browse.instruments(graph) if i.start and i.start <= on)


def test_search_by_abbreviation_and_article_number(graph):
    at = app("search", search_q="CIIC").run()
    no_exception(at)
    cell = next(s for s, _ in graph.subject_objects(SKOS.altLabel) if str(_) == "CIIC")
    assert browse.label(graph, cell) in texts(at)
    at = app("search", search_q="artikel 7 lid 2").run()
    no_exception(at)
    assert browse.label(graph, URIRef(CIIC + "/art/7/lid/2")) in texts(at)


def test_entity_shows_parties_with_sources_in_both_languages(graph):
    parties = list(graph.objects(URIRef(CIIC), WIV.party))
    assert parties
    at = app("entity")
    at.query_params["iri"] = CIIC
    at.run()
    no_exception(at)
    shown = texts(at)
    for party in parties:
        assert browse.label(graph, party, "nl") in shown
    quotes = [
        str(graph.value(s, WIV.quote))
        for s in graph.subjects(
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"), URIRef(CIIC)
        )
        if graph.value(s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"))
        == WIV.party
    ]
    assert quotes
    for quote in quotes:
        assert " ".join(quote.split()) in shown.replace("\\", "")
    english = [p for p in parties if any(x.language == "en" for x in graph.objects(p, RDFS.label))]
    assert english
    at = app("entity", lang="en")
    at.query_params["iri"] = CIIC
    at.run()
    no_exception(at)
    shown = texts(at)
    for party in english:
        assert browse.label(graph, party, "en") in shown
    assert at.title[0].value == "Entity"


def test_entity_unknown_iri_is_a_message_not_a_traceback():
    at = app("entity")
    at.query_params["iri"] = "https://w3id.org/wivgraph/id/doc/does-not-exist"
    at.run()
    no_exception(at)
    assert at.error and "does-not-exist" in at.error[0].value


def test_entity_inferred_facts_are_marked():
    at = app("entity", inferred=True)
    at.query_params["iri"] = CIIC
    at.run()
    no_exception(at)
    assert "afgeleid" in "\n".join(c.value for c in at.caption)


def test_documents_tree_shows_articles(graph):
    at = app("documents", doc_pick__nl=CIIC).run()
    no_exception(at)
    articles = [
        str(graph.value(p, URIRef("http://data.europa.eu/eli/ontology#number")))
        for p in graph.subjects(
            URIRef("http://data.europa.eu/eli/ontology#is_part_of"), URIRef(CIIC)
        )
        if "/art/" in str(p)
    ]
    assert articles
    labels = [e.value for e in at.subheader]
    for number in articles:
        assert any(label.startswith(f"Artikel {number}") for label in labels)


def test_documents_start_on_a_convenant_not_a_law():
    at = app("documents").run()
    no_exception(at)
    assert at.selectbox(key="doc_pick__nl").value == CIIC


@pytest.mark.parametrize(("lang", "modality", "who"), [("nl", "bevoegdheid", "wie"), ("en", "permission", "who")])
def test_documents_permalink_opens_a_lid_with_its_norm_in_words(graph, lang, modality, who):
    """art 7 lid 2 CIIC as a link: its text, and the norm resting on it in words (the consent
    of the party the data came from, as the lid says), identifiers only in the details."""
    at = app("documents", lang=lang)
    at.query_params["doc"] = CIIC
    at.query_params["art"] = "7"
    at.query_params["lid"] = "2"
    at.run()
    no_exception(at)
    lid = URIRef(f"{CIIC}/art/7/lid/2")
    assert at.subheader[0].value.endswith(browse.label(graph, lid, lang))
    shown = texts(at)
    body = " ".join(str(graph.value(lid, WIV.text)).split())
    assert body in shown
    assert "uitdrukkelijk toestemming is verleend door de partij" in shown
    assert f"**{modality}**" in shown and f"*{who}*:" in shown
    assert "norm:convenant-ciic" not in shown and "fact:" not in shown
    codes = "\n".join(c.value for c in at.code)
    assert "norm:convenant-ciic-2020-art-7-lid-2" in codes
    links = [link.proto for link in at.get("page_link")]
    assert any(
        "art=7" in p.query_string and "lid=2" in p.query_string for p in links
    ), [p.query_string for p in links][:5]


def test_network_lists_cells_and_organisations():
    at = app("network").run()
    no_exception(at)
    assert any("knopen" in c.value for c in at.caption)


def test_question_rows_match_the_library():
    questions = catalogue()
    assert questions
    name = next(
        n for n, q in questions.items() if not q.parameters or all(p.default for p in q.parameters)
    )
    question = questions[name]
    expected = run_question(load_dataset(), question)
    at = app("questions", q_pick__nl=name).run()
    no_exception(at)
    if expected.boolean is None:
        assert len(at.dataframe[0].value) == len(expected.rows)
    assert question.sentence("nl").split("[")[0].strip().rstrip("?") in at.subheader[0].value


def test_questions_page_binds_parameters_in_the_store_without_an_rdflib_copy(monkeypatch):
    """A parameter binds through the store's own look-up (issue 19: binding in O(1)); the page
    used to copy the whole store into an rdflib Dataset first, only to bind it there."""
    from wivgraph.app.pages import questions as questions_page
    from wivgraph.app.state import Corpus

    def no_copy(self, inferred=False):
        raise AssertionError("the Vragen page copied the store into an rdflib Dataset")

    monkeypatch.setattr(Corpus, "query_graph", no_copy)
    questions_page._answer.clear()
    name = "actors-cell-bodies"  # an IRI parameter (cell), the CIIC by default
    expected = run_question(load_dataset(), catalogue()[name])
    assert expected.rows
    at = app("questions", q_pick__nl=name).run()
    no_exception(at)
    assert len(at.dataframe[0].value) == len(expected.rows)


def test_sparql_runs_select_and_refuses_update():
    at = app("sparql").run()
    no_exception(at)
    at.text_area(key="sp_text").set_value(
        "PREFIX wiv: <https://w3id.org/wivgraph/def#>\n"
        "SELECT ?doc ?party WHERE { ?doc wiv:party ?party }"
    )
    at.button(key="sp_run").click().run()
    no_exception(at)
    graph = union_graph(load_dataset())
    assert len(at.dataframe[0].value) == len(set(graph.subject_objects(WIV.party)))
    at.text_area(key="sp_text").set_value('INSERT DATA { <urn:a> <urn:b> "c" }')
    at.button(key="sp_run").click().run()
    no_exception(at)
    assert at.error and at.error[0].value.startswith("Geweigerd")


def test_sparql_syntax_error_names_line_and_column():
    at = app("sparql").run()
    at.text_area(key="sp_text").set_value("SELECT ?s WHERE {\n  ?s ?p \n")
    at.button(key="sp_run").click().run()
    no_exception(at)
    assert at.error and "line" in at.error[0].value and "column" in at.error[0].value


def test_sparql_refuses_too_large_input():
    from wivgraph.app.state import MAX_QUERY_BYTES

    at = app("sparql").run()
    at.text_area(key="sp_text").set_value("# " + "x" * MAX_QUERY_BYTES + "\nASK {}")
    at.button(key="sp_run").click().run()
    no_exception(at)
    assert at.error and "te groot" in at.error[0].value


def test_validation_page_shows_the_library_report():
    from wivgraph.errors import WivgraphError
    from wivgraph.validate import validate_dataset

    at = app("validation").run()
    no_exception(at)
    alerts = [a.value for a in (*at.success, *at.warning, *at.error)]
    try:
        report = validate_dataset(load_dataset(), lang="nl")
    except WivgraphError as exc:  # e.g. shapes/ missing or malformed: shown as a message
        assert str(exc) in alerts
        return
    assert any("graaf voldoet" in a for a in alerts)
    from wivgraph.app.i18n import t

    severities = {i.severity for i in report.issues}
    headings = {h.value.split(" (")[0] for h in at.subheader}
    assert headings == {t(f"val.sev.{s}", "nl") for s in severities}
    assert not headings & severities  # Dutch headings, not pySHACL's English names
    assert len(at.expander) == len({(i.severity, i.focus) for i in report.issues})


def test_findings_grouped_by_provision(graph):
    groups = browse.findings_by_provision(graph)
    at = app("findings").run()
    no_exception(at)
    assert len(at.expander) == len(groups)
    verdicts = {row.verdict for rows in groups.values() for row in rows if row.verdict}
    shown = texts(at)
    for verdict in verdicts:
        assert verdict in shown


def test_english_ui_and_labels(graph):
    at = app("overview", lang="en").run()
    no_exception(at)
    assert at.title[0].value == "Overview"
    labels = set(at.dataframe[0].value.iloc[:, 0])
    assert browse.label(graph, URIRef(CIIC), "en") in labels


def test_onward_page_shows_every_norm_of_the_library_answer(graph):
    from wivgraph.onward import ask_onward

    answer = ask_onward(graph, "ciic-data")
    assert answer.steps
    at = app("onward").run()
    no_exception(at)
    shown = texts(at).replace("\\", "").replace("\u2060", "")  # data is shown escaped (state.md)
    assert answer.retained  # CIIC art 5 lid 2: what the originating party keeps
    for step in answer.steps + answer.retained:
        assert browse.label(graph, step.source) in shown
        assert " ".join(step.quote.split()) in shown
        for reasons in step.bearer_reasons.values():  # "Wie" explained (the AIVD as legal host)
            assert all(r.text in shown and r.quote in shown for r in reasons)
    assert "als juridisch onderbrenger van de CIIC" in shown


def test_scenario_form_gives_the_checker_verdict(graph):
    from wivgraph.check import check_scenarios
    from wivgraph.check.scenarios import scenarios_from_data

    at = app("scenario").run()
    no_exception(at)
    at.button(key="sc_run").click().run()
    no_exception(at)
    data = {
        "id": "explorer",
        "actor": "aivd",
        "action": "pass-onward",
        "data_category": "ciic-data",
        "recipient_kind": "other-parties",
        "date": date.today().isoformat(),
    }
    expected = check_scenarios(graph, scenarios_from_data(data, "test"))[0]
    alerts = [a.value for a in (*at.success, *at.warning, *at.error, *at.info)]
    assert f"Oordeel: {expected.label}" in alerts
    shown = texts(at).replace("\\", "").replace("\u2060", "")  # data is shown escaped (state.md)
    for cond in expected.conditions:
        assert cond.text in shown
    for fact in expected.facts_used:
        assert fact.label in shown


def test_network_paths_show_consent_of_the_originating_party():
    at = app("network", net_projection="flows").run()
    no_exception(at)
    shown = texts(at)
    assert "Politie → Algemene Inlichtingen- en Veiligheidsdienst → Immigratie- en Naturalisatiedienst" in shown
    assert "vergt toestemming" in shown
    assert "partij van herkomst" in shown


def test_server_config_limits_uploads_and_stays_local():
    import tomllib
    from pathlib import Path

    from wivgraph.app.state import MAX_QUERY_BYTES

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = config["server"]["maxUploadSize"]
    assert MAX_QUERY_BYTES <= upload_mb * 1024 * 1024 <= 1024 * 1024  # docs/explorer.md: 1 MB
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False
    tasks = (root / "tasks.py").read_text(encoding="utf-8")
    run = tasks[tasks.index("def run()") :].split("\ndef ", 1)[0]
    assert '"--server.address",\n        "127.0.0.1"' in run


def test_default_page_is_also_served_at_its_own_path():
    """/overzicht must route to a page (the default page itself lives at "/"); the real URL is
    opened in tests/test_browser.py, here the routing table Streamlit received is checked."""
    from wivgraph.app.main import PAGES

    path = next(path for key, path, *_ in PAGES if key == "overview")
    at = app("overview").run()
    no_exception(at)
    routes = {info.get("url_pathname"): h for h, info in at._registered_pages.items()}
    assert "" in routes and path in routes
    at._page_hash = routes[path]
    at.run()
    no_exception(at)
    assert at.title[0].value == "Overzicht"


def _count_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "knopen" in c.value)


def _from_instrument(graph, relation: dict, instrument: str) -> bool:
    document = graph.value(URIRef(relation["source"]), WIV.document) if relation["source"] else None
    return relation["via"] == instrument or str(document) == instrument


def test_network_filters_by_instrument_and_relation_type(graph):
    from wivgraph import network

    coop = network.cooperation_network(graph)
    edges = [
        (a, b)
        for a, b, data in coop.edges(data=True)
        if any(_from_instrument(graph, r, CIIC) for r in data["relations"])
    ]
    assert edges and len(edges) < coop.number_of_edges()
    nodes = {n for edge in edges for n in edge}
    at = app("network", net_instruments_cooperation__nl=[CIIC]).run()
    no_exception(at)
    assert _count_caption(at).startswith(f"{len(nodes)} knopen, {len(edges)} verbindingen")

    kind = "legal-host"
    edges = [
        (a, b)
        for a, b, data in coop.edges(data=True)
        if any(r["type"] == kind for r in data["relations"])
    ]
    assert edges
    at = app("network", net_types_cooperation__nl=[kind]).run()
    no_exception(at)
    nodes = {n for edge in edges for n in edge}
    assert _count_caption(at).startswith(f"{len(nodes)} knopen, {len(edges)} verbindingen")


def test_network_flows_filter_by_modality_and_category(graph):
    from wivgraph import network

    flows = network.data_flow_network(graph)
    obligations = [(a, b) for a, b, d in flows.edges(data=True) if d["modality"] == "Obligation"]
    assert obligations and len(obligations) < flows.number_of_edges()
    at = app("network", net_projection="flows", net_types_flows__nl=["Obligation"]).run()
    no_exception(at)
    nodes = {n for edge in obligations for n in edge}
    assert _count_caption(at).startswith(f"{len(nodes)} knopen, {len(obligations)} verbindingen")
    category = next(d["category"] for _, _, d in flows.edges(data=True) if d["category"])
    chosen = [(a, b) for a, b, d in flows.edges(data=True) if d["category"] == category]
    at = app("network", net_projection="flows", net_categories_flows__nl=[category]).run()
    no_exception(at)
    nodes = {n for edge in chosen for n in edge}
    assert _count_caption(at).startswith(f"{len(nodes)} knopen, {len(chosen)} verbindingen")


def test_network_shows_bridges_beside_cut_vertices(graph):
    from wivgraph import network

    coop = network.cooperation_network(graph)
    bridges = network.bridges(coop)
    cuts = network.cut_vertices(coop)
    assert bridges and cuts
    at = app("network").run()
    no_exception(at)
    labels = [e.label for e in at.expander]
    assert any(label.endswith(f"({len(bridges)})") and "twee delen" in label for label in labels)
    assert any(label.endswith(f"({len(cuts)})") and "anderen verbinden" in label for label in labels)
    shown = texts(at)
    for a, b in bridges:
        assert f"{coop.nodes[a]['short']} — {coop.nodes[b]['short']}" in shown.replace("\\", "")


def test_network_instrument_projection_filters_by_instrument(graph):
    elements = browse.network(graph)
    touching = [
        e for e in elements["edges"] if CIIC in (e["data"]["source"], e["data"]["target"])
    ]
    assert touching and len(touching) < len(elements["edges"])
    at = app("network", net_projection="instruments", net_instruments_instruments__nl=[CIIC]).run()
    no_exception(at)
    nodes = {e["data"][end] for e in touching for end in ("source", "target")}
    assert _count_caption(at).startswith(f"{len(nodes)} knopen, {len(touching)} verbindingen")


def _ctx(lang: str = "nl"):
    from types import SimpleNamespace

    from wivgraph.app.i18n import t

    return SimpleNamespace(lang=lang, t=lambda key, **values: t(key, lang, **values))


def _shown(projection: str, lang: str = "nl") -> tuple:
    """The network page's elements for ``projection`` with every node kind chosen."""
    from wivgraph.app.pages import network as page

    ctx = _ctx(lang)
    elements = page._elements(projection, False, lang, None, frozenset())
    kinds = sorted({n["data"]["label"] for n in elements["nodes"]})
    return ctx, page.filter_elements(elements, projection, ctx, kinds)


def _layers(spec: dict) -> dict[str, dict]:
    return {layer["name"]: layer for layer in spec["layer"]}


def _tooltip(layer: dict) -> dict[str, str]:
    return {field["field"]: field["title"] for field in layer["encoding"]["tooltip"]}


@pytest.mark.parametrize("projection", ["cooperation", "flows", "instruments"])
def test_network_chart_names_positions_and_legends(projection):
    """The drawing's spec: every node at the position ``with_positions`` gives it, its whole
    name and kind in the tooltip, its short name beside it; the node kinds and edge kinds shown
    are the domains of the colour scales whose legends are titled in the reader's language;
    a click selects a node by id; arrows point from source to target (none when undirected)."""
    import math

    from wivgraph.app.i18n import t
    from wivgraph.app.pages import network as page

    ctx, shown = _shown(projection)
    positioned = page.with_positions(shown, ctx)
    spec = page.network_chart(positioned, projection, ctx).to_dict()
    layers = _layers(spec)
    nodes = layers["nodes"]["data"]["values"]
    assert {n["id"]: (n["x"], n["y"]) for n in nodes} == {
        n["data"]["id"]: (n["position"]["x"], n["position"]["y"]) for n in positioned["nodes"]
    }
    assert {n["id"]: n["name"] for n in nodes} == {
        n["data"]["id"]: n["data"]["name"] for n in shown["nodes"]
    }
    titles = {"name": t("net.info.name"), "kind_name": t("net.info.kind")}
    assert _tooltip(layers["nodes"]) == titles and _tooltip(layers["names"]) == titles
    assert layers["names"]["encoding"]["text"]["field"] == "label"
    assert all(n["label"] == page.short_name(n["name"]) for n in nodes)
    assert any(n["label"] != n["name"] for n in nodes)  # some are shortened: the hover matters

    fill = layers["nodes"]["encoding"]["fill"]
    kinds = sorted({n["data"]["label"] for n in shown["nodes"]})
    assert fill["legend"]["title"] == t("net.legend.nodes")
    assert fill["scale"]["domain"] == [page.kind_name(ctx, k) for k in kinds]
    assert {n["kind_name"] for n in nodes} <= set(fill["scale"]["domain"])

    stroke = layers["edges"]["encoding"]["stroke"]
    edges = layers["edges"]["data"]["values"]
    shown_kinds = {k for e in shown["edges"] for k in e["data"]["label"].split(", ")}
    assert len(edges) == len(shown["edges"])
    assert stroke["legend"]["title"] == t("net.legend.edges")
    assert set(stroke["scale"]["domain"]) == shown_kinds
    assert {e["colour"] for e in edges} <= shown_kinds
    assert {e["relation"] for e in edges} == {e["data"]["label"] for e in shown["edges"]}

    (select,) = spec["params"]
    assert select["name"] == page.SELECTION and select["views"] == ["nodes"]
    assert select["select"]["fields"] == ["id"] and select["select"]["on"] == "click"

    if projection == "cooperation":
        assert "arrows" not in layers
    else:
        where = {n["id"]: n for n in nodes}
        arrows = layers["arrows"]["data"]["values"]
        assert arrows
        for arrow in arrows:
            edge = next(e for e in shown["edges"] if e["data"]["id"] == arrow["id"])
            a, b = where[edge["data"]["source"]], where[edge["data"]["target"]]
            length = math.hypot(b["x"] - a["x"], b["y"] - a["y"])
            turn = math.radians(arrow["angle"])  # clockwise from up, y running down
            assert math.isclose(math.sin(turn), (b["x"] - a["x"]) / length, abs_tol=0.01)
            assert math.isclose(-math.cos(turn), (b["y"] - a["y"]) / length, abs_tol=0.01)
            assert math.hypot(b["x"] - arrow["x"], b["y"] - arrow["y"]) < length / 2
    if projection == "flows":  # the norm kind at the middle of the data flows
        captions = layers["captions"]["data"]["values"]
        assert {k for c in captions for k in c["text"].split(", ")} == shown_kinds


def test_network_positions_do_not_depend_on_the_order_of_the_elements():
    """The layout is seeded and reads nodes and edges in sorted order: the same network given
    in another order (as another server process may build it) lands on the same positions."""
    from wivgraph.app.pages import network as page

    ctx, shown = _shown("cooperation")
    turned = {"nodes": shown["nodes"][::-1], "edges": shown["edges"][::-1]}

    def where(elements):
        return {n["data"]["id"]: n["position"] for n in page.with_positions(elements, ctx)["nodes"]}

    assert where(turned) == where(shown)


def test_network_chart_cooperation_legend_is_the_relation_types(graph):
    """The cooperation network's edge legend lists the relation types the library finds, in
    the reader's language (Dutch and English)."""
    from wivgraph import network
    from wivgraph.app.i18n import t
    from wivgraph.app.pages import network as page

    types = {
        r["type"] for *_, d in network.cooperation_network(graph).edges(data=True)
        for r in d["relations"]
    }  # fmt: skip
    for lang in ("nl", "en"):
        ctx, shown = _shown("cooperation", lang)
        spec = page.network_chart(page.with_positions(shown, ctx), "cooperation", ctx).to_dict()
        stroke = _layers(spec)["edges"]["encoding"]["stroke"]
        assert set(stroke["scale"]["domain"]) == {t(f"net.rel.{k}", lang) for k in types}
        assert stroke["legend"]["title"] == t("net.legend.edges", lang)
        fill = _layers(spec)["nodes"]["encoding"]["fill"]
        assert fill["legend"]["title"] == t("net.legend.nodes", lang)
        assert t("net.kind1.cell", lang) in fill["scale"]["domain"]


def test_network_chart_keeps_markup_in_names_as_data():
    """A name with markup reaches Vega as the same string, as data (tooltip field and text
    mark), never formatted as HTML; the embed options leave Vega's escaping tooltip alone."""
    from wivgraph.app.pages import network as page

    ctx = _ctx()
    name = "<b>Vet</b> & <script>window.hacked = 1</script> cel"
    elements = {
        "nodes": [
            {"data": {"id": "urn:x:a", "label": "CELL", "name": name}},
            {"data": {"id": "urn:x:b", "label": "ORGANISATION", "name": "<i>B</i>"}},
        ],
        "edges": [
            {"data": {"id": "e0", "source": "urn:x:a", "target": "urn:x:b", "label": "<u>x</u>"}}
        ],
    }
    spec = page.network_chart(page.with_positions(elements, ctx), "flows", ctx).to_dict()
    layers = _layers(spec)
    nodes = {n["id"]: n for n in layers["nodes"]["data"]["values"]}
    assert nodes["urn:x:a"]["name"] == name
    assert nodes["urn:x:a"]["label"] == page.short_name(name)
    assert layers["edges"]["data"]["values"][0]["relation"] == "<u>x</u>"
    assert spec["usermeta"] == {"embedOptions": {"renderer": "svg"}}  # no tooltip handler


def test_network_page_draws_every_node_in_its_chart(graph):
    """The page's chart (as Streamlit sends it) holds every node of the cooperation network
    with its whole name, and selects on click."""
    import json

    from wivgraph import network

    coop = network.cooperation_network(graph)
    at = app("network").run()
    no_exception(at)
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    nodes = _layers(spec)["nodes"]["data"]["values"]
    assert {n["id"]: n["name"] for n in nodes} == {
        n: d.get("short") or d.get("label") or n for n, d in coop.nodes(data=True)
    }
    assert list(chart.proto.selection_mode) == ["node"]


def _report_date(graph, row):
    from rdflib.namespace import Namespace

    from wivgraph.temporal import as_date

    eli = Namespace("http://data.europa.eu/eli/ontology#")
    return as_date(graph.value(graph.value(URIRef(row.source), WIV.document), eli.date_document))


def test_findings_follow_the_date_filter(graph):
    from datetime import timedelta

    groups = browse.findings_by_provision(graph)
    rows = [row for rows in groups.values() for row in rows]
    dates = {_report_date(graph, row) for row in rows}
    assert None not in dates, "every finding's report has a date"
    first = min(dates)
    at = app("findings", date_on=True, valid_on=first - timedelta(days=1)).run()
    no_exception(at)
    assert len(at.expander) == 0
    assert any("Niet" not in i.value and "nog geen" in i.value for i in at.info)
    assert any(f"{len(rows)} weggelaten" in c.value for c in at.caption)
    at = app("findings", date_on=True, valid_on=first).run()
    no_exception(at)
    shown = {p for p, rs in groups.items() if any(_report_date(graph, r) <= first for r in rs)}
    assert len(at.expander) == len(shown)
    assert any("0 weggelaten" in c.value for c in at.caption)


def test_pages_without_a_date_filter_say_so():
    for page in ("validation", "sparql"):
        at = app(page, date_on=True, valid_on=date(2010, 1, 1)).run()
        no_exception(at)
        assert any(i.value.startswith("Niet gefilterd op datum") for i in at.info), page
        assert any("01-01-2010" in i.value for i in at.info), page  # dd-mm-jjjj in Dutch
        at = app(page).run()
        assert not any("gefilterd op datum" in i.value for i in at.info), page
    at = app("sparql", lang="en", date_on=True, valid_on=date(2010, 1, 1)).run()
    assert any(i.value.startswith("Not filtered by date") for i in at.info)
    assert any("2010-01-01" in i.value for i in at.info)


def test_result_columns_have_readable_headers_in_the_chosen_language():
    from wivgraph.app.i18n import column_label

    name = "actors-cell-bodies"
    question = catalogue()[name]
    expected = run_question(load_dataset(), question)
    assert "bodyLabel" in expected.variables
    at = app("questions", q_pick__nl=name).run()
    no_exception(at)
    columns = list(at.dataframe[0].value.columns)
    # "orgaan" and "orgaan (naam)" not both: the IRI column is left out for its label (which
    # is headed "orgaan"); the long quote goes last so "bron" stays in view at 1440 px
    kept = [v for v in expected.variables if f"{v}Label" not in expected.variables]
    assert len(columns) == len(kept) == len(expected.variables) - 1
    assert columns.count("orgaan") == 1 and "orgaan (naam)" not in columns
    assert "bron" in columns and columns[-1] == "citaat"
    assert not set(columns) & {"bodyLabel", "source", "quote"}
    assert set(columns) <= {column_label(v, "nl") for v in expected.variables} | {"orgaan"}
    at = app("questions", q_pick__nl=name, lang="en").run()
    no_exception(at)
    columns = list(at.dataframe[0].value.columns)
    assert "body" in columns and "body (name)" not in columns and "source" in columns


def test_column_headers_stay_unique():
    from wivgraph.app.results import column_headers

    headers = column_headers(["party", "partij", "source"], "nl")
    assert len(set(headers)) == 3 and headers[0] == "partij" and headers[1] == "partij (partij)"


def test_validation_headings_in_english(graph):
    at = app("validation", lang="en").run()
    no_exception(at)
    headings = {h.value.split(" (")[0] for h in at.subheader}
    assert headings and headings <= {"Violations", "Warnings", "Info"}


def test_question_description_and_parameter_labels_in_the_chosen_language():
    name, question = next(
        (n, q)
        for n, q in catalogue().items()
        if q.parameters and q.describe("nl") != q.describe("en")
        and q.parameters[0].label("nl") != q.parameters[0].label("en")
    )
    for lang in ("nl", "en"):
        at = app("questions", q_pick__nl=name, lang=lang).run()
        no_exception(at)
        assert question.describe(lang) in [c.value for c in at.caption], lang
        labels = [w.label for kind in ("selectbox", "text_input", "date_input") for w in at.get(kind)]
        assert question.parameters[0].label(lang) in labels, lang



def test_corpus_from_the_store_matches_the_loader():
    """The explorer's corpus (build cache or fast parse) holds what load_dataset() gives."""
    from wivgraph.app.state import load_corpus
    from wivgraph.load import dataset_stats
    from wivgraph.namespaces import INFERRED_GRAPH

    corpus = load_corpus()
    dataset = load_dataset()
    assert corpus.stats() == dataset_stats(dataset)
    assert len(corpus.asserted) == len(union_graph(dataset, exclude=[INFERRED_GRAPH]))
    assert corpus._dataset is None  # the rdflib Dataset is only made when a page needs it
    assert sum(len(g) for g in corpus.dataset.graphs()) == corpus.stats()["triples"]


def test_catalogue_answers_on_the_store_match_a_copied_store():
    from wivgraph.app.state import QUERY_ROW_LIMIT, load_corpus
    from wivgraph.fast import dataset_store
    from wivgraph.query import bind_parameters

    corpus = load_corpus()
    copied = dataset_store(corpus.dataset)
    own = corpus.question_store()
    assert type(own).__name__ == "FastStore" and own.store is corpus.store  # no copy of the data
    for name, question in catalogue().items():
        bindings = bind_parameters(question, {}, corpus.dataset)
        mine = own.query(question.text, bindings, row_limit=QUERY_ROW_LIMIT, time_limit=30)
        theirs = copied.query(question.text, bindings, row_limit=QUERY_ROW_LIMIT, time_limit=30)
        assert mine.boolean == theirs.boolean, name
        assert sorted(map(repr, mine.plain_rows())) == sorted(map(repr, theirs.plain_rows())), name


def test_scenario_and_onward_pages_ask_the_corpus_store_without_a_copy():
    """The Scenario and Doorgeven pages' checker and ask_onward run on oxigraph over the
    corpus's own store (tests/test_engines_agree.py: the same answers as rdflib's engine)."""
    from wivgraph.app.state import load_corpus
    from wivgraph.fast import ReadableStore

    corpus = load_corpus()
    answers = corpus.answer_store()
    assert isinstance(answers, ReadableStore) and answers.store is corpus.store
    assert not answers.inferred
    assert corpus.answer_store() is answers  # one per mode: the checker on it is built once
    with_inferred = corpus.answer_store(True)
    assert with_inferred.inferred and with_inferred is not answers


COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _endpoint_corpus():
    """A corpus as an endpoint gives it (no closure yet) over the project's data, and its
    asserted union."""
    from rdflib import Graph

    from wivgraph import browse, fast
    from wivgraph.app.state import Corpus

    store = fast.load_store()
    asserted = fast.copy_into(Graph(), fast.union_quads(store, inferred=False))
    corpus = Corpus(asserted, browse.statement_index(asserted), store, endpoint="http://127.0.0.1:9/q")
    return corpus, asserted


def test_asserted_questions_stay_asserted_after_the_closure_is_added():
    """An endpoint's corpus gets its OWL RL closure added to its store when "inferred" is first
    switched on; a question store made before must not start counting the inferred triples."""
    corpus, asserted = _endpoint_corpus()

    def triples(inferred: bool) -> int:
        answer = corpus.question_store(inferred).query(COUNT_TRIPLES, row_limit=1, time_limit=30)
        return int(answer.rows[0]["n"])

    def read(inferred: bool) -> int:  # the Scenario and Doorgeven pages' pattern look-ups
        return sum(1 for _ in corpus.answer_store(inferred).triples((None, None, None)))

    before = triples(False)
    assert before == len(asserted) == read(False)
    corpus.ensure_inferred()
    assert triples(False) == before == read(False)
    assert triples(True) > before
    assert read(True) == triples(True)


def test_sparql_sandbox_started_before_the_closure_sees_it_when_inferred_is_asked():
    """An endpoint's SPARQL page opened before "inferred" was switched on: its child process
    holds a copy made without graph:inferred, which must not answer the inferred questions."""
    corpus, asserted = _endpoint_corpus()

    def sandbox_triples(inferred: bool) -> int:
        answer = corpus.query_sandbox(inferred).query(COUNT_TRIPLES, row_limit=1, time_limit=30)
        return int(answer.rows[0]["n"])

    before = sandbox_triples(False)
    assert before == len(asserted)
    corpus.ensure_inferred()
    with_closure = corpus.question_store(True).query(COUNT_TRIPLES, row_limit=1, time_limit=30)
    assert sandbox_triples(True) == int(with_closure.rows[0]["n"]) > before
    assert sandbox_triples(False) == before


def _chart_rows(chart) -> list[dict]:
    """The rows Streamlit sent with a Vega-Lite chart (a single chart's data travels as Arrow)."""
    import json

    import pyarrow as pa

    proto = chart.proto
    tables = [proto.data.data] if proto.HasField("data") else []
    tables += [d.data.data for d in proto.datasets]
    rows = [row for t in tables for row in pa.ipc.open_stream(t).read_all().to_pylist()]
    spec = json.loads(proto.spec)  # layered charts keep their data inline
    for part in [spec, *spec.get("layer", [])]:
        rows += part.get("data", {}).get("values", [])
    return rows


def test_overview_timeline_has_a_bar_per_dated_instrument():
    from wivgraph.app import state

    # the graph the app renders from: short_label breaks ties between equally long altLabels
    # ("Wiv 2002", "WIV 2002") by triple order, which differs between loaders
    graph = state.corpus().asserted
    dated = {i.short for i in browse.instruments(graph) if i.start}
    assert dated
    at = app("overview").run()
    no_exception(at)
    rows = _chart_rows(at.get("vega_lite_chart")[0])
    assert {r["label"] for r in rows if "label" in r} == dated
    at = app("overview", date_on=True, valid_on=date(2010, 1, 1)).run()
    no_exception(at)
    rows = _chart_rows(at.get("vega_lite_chart")[0])
    assert {"on": "2010-01-01"} in rows
    gone = browse.not_in_force(graph, date(2010, 1, 1))
    then = {i.short for i in browse.instruments(graph) if i.start and i.iri not in gone}
    assert then and then < dated
    assert {r["label"] for r in rows if "label" in r} == then


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page", [key for key, *_ in __import__("wivgraph.app.main").app.main.PAGES])
def test_every_page_renders_in_both_languages(page, lang):
    """Each page opens on the full corpus without an exception, titled in the chosen language,
    and shows something beyond its title (text, or the widgets to ask with)."""
    from wivgraph.app.i18n import t

    at = app(page, lang=lang).run()
    no_exception(at)
    title = t(f"page.{page}", lang)
    assert [element.value for element in at.title][:1] == [title]
    widgets = [w.label for kind in ("text_input", "selectbox", "text_area", "button")
               for w in getattr(at.main, kind)]
    assert len(texts(at)) > len(title) + 40 or widgets, texts(at)


# --- the SPARQL page never shows a traceback, whatever is pasted ------------------------------

APP_SPARQL_TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", ".", "*",
    "FILTER", "(", ")", "OPTIONAL", "UNION", "LIMIT", "10", "PREFIX", "wiv:", "wiv:party",
    "<https://w3id.org/wivgraph/def#party>", "INSERT", "DATA", "DELETE", "LOAD", "SERVICE",
    "<http://example.org/sparql>", "FROM", "GRAPH", "\n", '"x"@nl', "a", "ORDER BY", "COUNT",
]


def _sparql_text():
    from hypothesis import strategies as st

    tokens = st.lists(st.sampled_from(APP_SPARQL_TOKENS), max_size=30).map(" ".join)
    return tokens | st.text(max_size=120)


def test_sparql_page_fuzzed_input_gives_result_or_message(monkeypatch):
    """Any pasted text: a result table, an answer or a readable message; never an exception,
    and no socket is opened (LOAD, SERVICE and remote FROM are refused before running)."""
    import socket

    from hypothesis import HealthCheck, example, given, settings

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("sockets are blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=_sparql_text())
    @example(text="LOAD <http://example.org/data.ttl>")
    @example(text="SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    @example(text="SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    def run(text):
        from wivgraph.errors import WivgraphError
        from wivgraph.gate import check_query

        try:
            check_query(text)
            refused = False
        except WivgraphError:
            refused = True
        at = app("sparql").run()
        at.text_area(key="sp_text").set_value(text)
        at.button(key="sp_run").click().run()
        no_exception(at)
        if refused:  # what the gate refuses is shown as an error box, nothing is run
            assert at.error and not at.dataframe, text

    run()


# --- one language throughout: no English in the Dutch explorer, no Dutch in the English one ----

#: words of the English interface that must not show in Dutch (whole words, case-sensitive)
ENGLISH_WORDS = (
    "Search", "Show", "Filter by", "Valid on", "nodes", "edges", "Nodes", "Edges", "Entity",
    "Documents", "Network", "Questions", "Overview", "Answer", "Download", "row", "rows",
    "Source", "Sources", "source", "quote", "permission", "obligation", "prohibition", "Warning",
    "Violation", "None", "label", "degree", "betweenness", "node", "unit", "organisation",
    "office", "cell", "Requested", "Paragraph", "Article", "Recital", "Footnote", "Signature",
    "Details", "Everything about", "Link to", "inferred", "Kind", "kind", "Facts", "References",
    "Row limit", "Run", "Check", "Verdict", "Conditions", "Notes", "Reasoning", "open points",
    "Deploy", "class", "count", "graph", "instrument kind", "date", "until", "in force from",
    "who", "act", "what", "to whom", "condition", "deadline", "legal effect", "party",
)  # fmt: skip
#: words of the Dutch interface that must not show in English
DUTCH_WORDS = (
    "Zoeken", "Toon", "Geldig op", "Filter op datum", "knopen", "verbindingen", "Knopen",
    "Verbindingen", "Entiteit", "Documenten", "Netwerk", "Vragen", "Overzicht", "Antwoord",
    "downloaden", "bron", "citaat", "bevoegdheid", "verplichting", "verbod", "Waarschuwing",
    "Overtreding", "Gevraagd", "Lid", "Artikel", "Overweging", "Voetnoot", "Ondertekening",
    "Alles over", "Link naar", "afgeleid", "Soort", "Feiten", "Verwijzingen", "Rijlimiet",
    "Uitvoeren", "Toetsen", "Oordeel", "Voorwaarden", "Opmerkingen", "Redenering",
    "Open punten", "Bevindingen", "soort", "aantal", "graaf", "klasse", "datum", "tot",
    "in werking", "wie", "handeling", "wat", "aan wie", "voorwaarde", "termijn", "rechtskracht",
    "partij", "naam", "organisatie", "onderdeel", "ambt", "cel",
)  # fmt: skip


def _titles(spec) -> list[str]:
    """Every ``title`` string in a Vega-Lite spec (legends, axes, tooltips), data left out."""
    if isinstance(spec, list):
        return [title for item in spec for title in _titles(item)]
    if not isinstance(spec, dict):
        return []
    found = [spec["title"]] if isinstance(spec.get("title"), str) else []
    return found + [
        title for key, value in spec.items() if key not in ("data", "datasets")
        for title in _titles(value)
    ]  # fmt: skip


def _interface_texts(at: AppTest) -> list[str]:
    """Texts made by the interface only: titles, headings' kind words, widget labels and helps,
    options of the interface's own widgets, table headers, expander labels, buttons, and the
    field names and kinds of annotations (``*wie*:``, ``**bevoegdheid**``)."""
    import re

    out = [e.value for e in at.title]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "toggle", "button",
                 "text_input", "text_area", "date_input", "number_input", "segmented_control"):
        for widget in getattr(at, kind):
            out += [str(widget.label or ""), str(getattr(widget, "help", "") or "")]
            if kind in ("radio", "segmented_control") or (widget.key or "").startswith("net_kinds_"):
                out += [str(o) for o in widget.options]
    for frame in at.dataframe:
        out += [str(c) for c in frame.value.columns]
    out += [e.label for e in at.expander if e.label]
    for chart in at.get("vega_lite_chart"):  # legend, axis and tooltip titles of charts
        out += _titles(json.loads(chart.proto.spec))
    for element in (*at.markdown, *at.caption, *at.subheader, *at.info, *at.warning):
        value = str(element.value)
        out += re.findall(r"(?<![\\])\*([^*\\]+)\*:", value)  # annotation field names
        out += re.findall(r"^\*\*([^*\\]+)\*\*(?: —|$)", value)  # annotation kinds
        out += re.findall(r"^(?:Gevraagd|Requested|Artikel|Article|Lid|Paragraph)\b", value)
    for link in at.get("page_link"):  # "(bevoegdheid, open)", "(organisatie)" after a name
        out += re.findall(r"\(([^()]*)\)$", str(link.proto.label))
    return [text for text in out if text]


def _scan(at: AppTest, words) -> list[str]:
    import re

    found = []
    for text in _interface_texts(at):
        for word in words:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append(f"{word!r} in {text!r}")
    return found


@pytest.mark.parametrize(("lang", "words"), [("nl", ENGLISH_WORDS), ("en", DUTCH_WORDS)])
def test_every_page_speaks_one_language(lang, words):
    """Every page in Dutch has no English interface word, and in English no Dutch one; the
    Documenten page at a lid (annotations), Netwerk's three projections and the Scenario
    verdict (where "(permission, open)" once showed in Dutch) included."""
    from wivgraph.app.main import PAGES

    found = []
    for key, *_ in PAGES:
        at = app(key, lang=lang).run()
        no_exception(at)
        found += [f"{key}: {hit}" for hit in _scan(at, words)]
    at = app("documents", lang=lang)
    at.query_params.update({"doc": CIIC, "art": "7", "lid": "2"})
    at.run()
    found += [f"documents at a lid: {hit}" for hit in _scan(at, words)]
    for projection in ("flows", "instruments"):
        at = app("network", lang=lang, net_projection=projection).run()
        no_exception(at)
        found += [f"network {projection}: {hit}" for hit in _scan(at, words)]
    at = app("scenario", lang=lang).run()
    at.button(key="sc_run").click().run()
    no_exception(at)
    found += [f"scenario verdict: {hit}" for hit in _scan(at, words)]
    assert not found, "\n".join(dict.fromkeys(found))
    other = app("scenario", lang="en" if lang == "nl" else "nl").run()
    other.button(key="sc_run").click().run()
    assert _scan(other, words), "the scan sees the interface texts of the other language"
