"""The explorer in a real browser: `streamlit run app.py` driven by Debian's Chromium (Playwright).

Skipped when /usr/bin/chromium is missing, unless WIVGRAPH_REQUIRE_BROWSER=1 (CI), then it fails.
Playwright never downloads a browser here: it launches the system Chromium by path.
Screenshots (one per page) go to $WIVGRAPH_SCREENSHOTS, else to test-artifacts/ (gitignored).
The window is 1440 x 900, as in issue #21.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import URIRef

from wivgraph import browse
from wivgraph.app.i18n import t
from wivgraph.load import load_dataset, union_graph
from wivgraph.namespaces import DATACAT, DOC, WIV
from wivgraph.namespaces import ORGANISATION as WIV_ORG

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("WIVGRAPH_SCREENSHOTS") or ROOT / "test-artifacts")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
START_TIMEOUT = 120  # seconds for the server to answer its health check
PAGE_TIMEOUT = 180_000  # milliseconds for a page's content (first load builds the graph)
CIIC = str(DOC["convenant-ciic-2020"])


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("WIVGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and WIVGRAPH_REQUIRE_BROWSER=1")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _serve(script: Path, name: str, env: dict | None = None):
    """``streamlit run script`` on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    log = ARTIFACTS / f"{name}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(script),
                "--server.headless", "true",
                "--server.address", "127.0.0.1",
                "--server.port", str(port),
                "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start; see {log}:\n{log.read_text()[-2000:]}")
                time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def server():
    _require_browser()
    with _serve(ROOT / "app.py", "streamlit") as base:
        yield base


OUTSIDE: list[str] = []  # requests for any host but 127.0.0.1 during this module
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob") or (parts.hostname or "") in LOCAL_HOSTS


def _record_outside(url: str, outside: list[str]) -> None:
    if not _is_local(url) and url not in outside:
        outside.append(url)


def _local_only(route, outside: list[str]) -> None:
    if _is_local(route.request.url):
        route.continue_()
    else:
        _record_outside(route.request.url, outside)
        route.abort()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        # every request that is not for 127.0.0.1 is aborted and recorded (issue #23: the page
        # icon made Streamlit fetch an SVG from a font CDN on every load)
        context.route("**/*", lambda route: _local_only(route, OUTSIDE))
        context.on("request", lambda request: _record_outside(request.url, OUTSIDE))
        tab = context.new_page()
        tab.set_default_timeout(PAGE_TIMEOUT)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


@pytest.fixture(scope="module")
def graph():
    return union_graph(load_dataset())


def _main(tab):
    return tab.locator("section.stMain, [data-testid='stMain']").first


def _shot(tab, name: str) -> None:
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def _no_exception(tab) -> None:
    assert tab.locator("[data-testid='stException']").count() == 0


def test_overview_page(server, page, graph):
    page.goto(f"{server}/")  # the default page lives at the root
    page.get_by_role("heading", name="Overzicht", exact=True).wait_for()
    page.get_by_text("Tijdlijn van de instrumenten").wait_for()
    page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    _no_exception(page)
    assert "Triples" in _main(page).inner_text()
    _shot(page, "overzicht")


def test_overview_also_at_its_own_path(server, page):
    page.goto(f"{server}/overzicht")  # the menu's name for the default page, e.g. in bookmarks
    page.get_by_role("heading", name="Overzicht", exact=True).wait_for()
    page.get_by_text("Tijdlijn van de instrumenten").wait_for()
    page.get_by_text("Triples").first.wait_for()  # the metrics render after the timeline
    _no_exception(page)
    assert "Page not found" not in page.content()
    assert "Triples" in _main(page).inner_text()


def test_entity_page_lists_ciic_parties(server, page, graph):
    page.goto(f"{server}/entiteit?iri={quote(CIIC, safe='')}")
    page.get_by_role("heading", name="Entiteit", exact=True).wait_for()
    parties = [browse.label(graph, p) for p in graph.objects(DOC["convenant-ciic-2020"], WIV.party)]
    assert parties
    page.get_by_text(parties[0], exact=True).first.wait_for()
    text = _main(page).inner_text()
    for party in parties:
        assert party in text
    _no_exception(page)
    _shot(page, "entiteit")


def test_question_page_answers(server, page):
    page.goto(f"{server}/vragen")
    page.get_by_role("heading", name="Vragen", exact=True).wait_for()
    page.get_by_text("Antwoord").first.wait_for()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    _no_exception(page)
    assert "rij(en)" in _main(page).inner_text()
    _shot(page, "vragen")


def test_scenario_page_checks(server, page):
    page.goto(f"{server}/scenario")
    page.get_by_role("heading", name="Scenario", exact=True).wait_for()
    page.get_by_role("button", name="Toetsen").click()
    page.get_by_text("Oordeel:").first.wait_for()
    _no_exception(page)
    assert "Oordeel:" in _main(page).inner_text()
    _shot(page, "scenario")


def test_sparql_page_refuses_update(server, page):
    page.goto(f"{server}/sparql")
    page.get_by_role("heading", name="SPARQL", exact=True).wait_for()
    editor = page.locator("textarea").first
    editor.fill('INSERT DATA { <urn:a> <urn:b> "c" }')
    editor.press("Control+Enter")
    page.get_by_role("button", name="Uitvoeren").click()
    page.get_by_text("Geweigerd").first.wait_for()
    _no_exception(page)
    _shot(page, "sparql")


def test_onward_page_answers_for_ciic_data(server, page, graph):
    from wivgraph.onward import ask_onward

    answer = ask_onward(graph, "ciic-data")
    page.goto(f"{server}/doorgeven")
    page.get_by_role("heading", name="Doorgeven", exact=True).wait_for()
    first = browse.label(graph, answer.steps[0].source)
    page.get_by_text(first).first.wait_for()
    _no_exception(page)
    _shot(page, "doorgeven")


def test_network_page_filters_and_bridges(server, page):
    page.goto(f"{server}/netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    page.get_by_text("knopen").first.wait_for()
    for label in ("Uit instrument", "Soort verbinding"):
        page.get_by_text(label, exact=True).first.wait_for()
    page.get_by_text("Verbindingen die als enige twee delen verbinden").first.wait_for()
    _no_exception(page)
    _shot(page, "netwerk")


#: the network drawing: a Vega-Lite chart drawn as SVG, in the page itself (no iframe)
CHART = "[data-testid='stVegaLiteChart']"
CHART_TEXTS = f"""() => Array.from(document.querySelectorAll("{CHART} svg text"))
    .map(e => e.textContent)"""
#: a node's circle is the symbol whose aria-label (Vega's ``description``) is its whole name
NODE_INDEX = f"""(name) => Array.from(document.querySelectorAll("{CHART} g.nodes_marks path"))
    .findIndex(e => e.getAttribute('aria-label') === name)"""
TOOLTIP_HOLDS = """(name) => { const tip = document.getElementById('vg-tooltip-element');
    return !!tip && tip.classList.contains('visible') && tip.innerText.includes(name); }"""


def _chart_texts(tab) -> list[str]:
    return tab.evaluate(CHART_TEXTS)


def _chart_text(tab, text: str) -> None:
    """Wait until the drawing holds ``text`` (a name, a legend title or a legend label)."""
    tab.wait_for_function(f"(text) => ({CHART_TEXTS})().includes(text)", arg=text)


def _node(tab, name: str):
    index = tab.evaluate(NODE_INDEX, name)
    assert index >= 0, f"no node named {name!r} in the drawing"
    return tab.locator(f"{CHART} g.nodes_marks path").nth(index)


def _hover_shows(tab, target, name: str) -> str:
    """Point at ``target`` and wait for Vega's tooltip with ``name``; its text."""
    tab.mouse.move(0, 0)  # away first, so the tooltip shows anew
    # a line's box is mostly empty: Playwright's check that its middle is the line fails
    target.hover(force=True)
    tab.wait_for_function(TOOLTIP_HOLDS, arg=name, timeout=20_000)
    return tab.locator("#vg-tooltip-element").inner_text()


def _cooperation_names(graph) -> dict[str, str]:
    """The cooperation network's nodes with their whole names, as the page names them."""
    from wivgraph import network

    return {
        n: d.get("short") or d.get("label") or n
        for n, d in network.cooperation_network(graph).nodes(data=True)
    }


def test_network_shows_a_legend_and_the_node_names(server, page, graph):
    """The drawing (SVG) holds every node's short name and the legends of node kinds and edge
    kinds in Dutch; every name is in the list too."""
    from wivgraph import network
    from wivgraph.app.pages.network import short_name

    page.goto(f"{server}/netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    _chart_text(page, t("net.legend.nodes"))
    drawn = set(_chart_texts(page))
    legend = {t("net.legend.edges"), t("net.kind1.organisation"), t("net.kind1.cell")}
    assert legend <= drawn, drawn
    relations = {
        t(f"net.rel.{r['type']}")
        for *_, d in network.cooperation_network(graph).edges(data=True)
        for r in d["relations"]
    }
    assert relations <= drawn, relations - drawn
    names = {short_name(name) for name in _cooperation_names(graph).values()}
    assert names <= drawn, names - drawn
    box = page.locator(CHART).first.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 400
    page.get_by_text("Alle knopen").first.click()
    aivd = browse.label(graph, WIV_ORG["aivd"])
    assert aivd
    page.get_by_text("CIIC (cel)").first.wait_for()
    _no_exception(page)
    _shot(page, "netwerk-legenda")


def test_network_hover_shows_a_shortened_name_in_full(server, page, graph):
    """Pointing at a node whose name is shortened, or at the short name itself, shows the whole
    name and the kind in Vega's tooltip; a click selects the node and shows its facts."""
    from wivgraph.app.pages.network import short_name

    names = _cooperation_names(graph)
    iri, full = min((n, f) for n, f in names.items() if short_name(f) != f)
    short = short_name(full)
    assert short.endswith("…") and full.startswith(short[:-1].rstrip())
    page.goto(f"{server}/netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    _chart_text(page, short)
    tip = _hover_shows(page, _node(page, full), full)
    assert t("net.info.name") in tip and t("net.info.kind") in tip, tip
    _shot(page, "netwerk-volledige-naam")
    caption = page.locator(f"{CHART} g.names_marks text").nth(_chart_texts(page).index(short))
    assert _hover_shows(page, caption, full)  # the short name itself has the tooltip too
    _node(page, full).click()
    label = browse.label(graph, URIRef(iri))
    page.get_by_text(t("net.open", label=label), exact=True).first.wait_for()
    page.get_by_text(t("net.to_entity")).first.wait_for()
    _no_exception(page)
    _shot(page, "netwerk-klik")


#: a page with the network drawing only, over two made-up nodes whose names hold markup
CHART_APP = '''
import json, os
from types import SimpleNamespace

import streamlit as st

from wivgraph.app.i18n import t
from wivgraph.app.pages import network

st.set_page_config(layout="wide")  # as the explorer
names = json.loads(os.environ["WIVGRAPH_CHART_NAMES"])
ctx = SimpleNamespace(lang="nl", t=lambda key, **values: t(key, "nl", **values))
elements = {
    "nodes": [
        {"data": {"id": f"urn:x:{i}", "label": "CELL", "name": name}}
        for i, name in enumerate(names)
    ],
    "edges": [{"data": {"id": "e0", "source": "urn:x:0", "target": "urn:x:1", "label": names[1]}}],
}
chart = network.network_chart(network.with_positions(elements, ctx), "flows", ctx)
st.altair_chart(chart, on_select="rerun", selection_mode=network.SELECTION, key="chart")
'''
MARKUP = "<b>vet</b> <script>window.hacked = 1</script> & <i>schuin</i>"


@pytest.fixture(scope="module")
def chart_server(tmp_path_factory):
    _require_browser()
    script = tmp_path_factory.mktemp("chart") / "chart_app.py"
    script.write_text(CHART_APP)
    names = [MARKUP, "<img src=x onerror='window.hacked = 2'> plat"]
    with _serve(script, "streamlit-chart", {"WIVGRAPH_CHART_NAMES": json.dumps(names)}) as base:
        yield base


def test_network_tooltip_shows_markup_as_text(chart_server, page):
    """A name holding HTML is shown in the tooltip and beside the node as the characters it is
    made of: Vega escapes tooltip values, and nothing from the data runs or is rendered."""
    from wivgraph.app.pages.network import short_name

    page.goto(chart_server)
    _chart_text(page, short_name(MARKUP))
    tip = _hover_shows(page, _node(page, MARKUP), MARKUP)
    assert MARKUP in tip, tip
    tooltip = page.locator("#vg-tooltip-element")
    assert tooltip.locator("b, i, script, img").count() == 0, tooltip.inner_html()
    edge = page.locator(f"{CHART} g.edges_marks line").first
    assert "<img src=x" in _hover_shows(page, edge, "<img src=x")  # the relation, as text
    assert tooltip.locator("b, i, script, img").count() == 0, tooltip.inner_html()
    assert page.evaluate("() => window.hacked") is None
    _no_exception(page)
    _shot(page, "netwerk-tooltip-opmaak")


def test_documents_permalink_opens_art_7_lid_2(server, page, graph):
    lid = DOC["convenant-ciic-2020"] + "/art/7/lid/2"
    page.goto(f"{server}/documenten?doc={quote(CIIC, safe='')}&art=7&lid=2")
    page.get_by_role("heading", name=f"Gevraagd: {browse.label(graph, lid)}").wait_for()
    text = _main(page).inner_text()
    assert "bevoegdheid" in text and "uitdrukkelijk toestemming" in text
    assert "norm:convenant" not in text  # identifiers only inside the closed details
    _no_exception(page)
    _shot(page, "documenten")


#: texts of Streamlit itself that would show in English on a Dutch page: select boxes, the
#: toolbar, the file uploader (its button, size limit and drop hint)
STREAMLIT_ENGLISH = (
    "Choose an option", "Deploy", "Press Enter to apply", "No results", "per file", "Upload",
    "Drag and drop", "Browse files",
)  # fmt: skip
#: the Dutch that the explorer puts in place of Streamlit's texts, never on an English page
STREAMLIT_DUTCH = ("Kies…", "per bestand", "Bestand kiezen", "Sleep het bestand")
#: everything a reader sees: the text, and the text that style rules add (CSS ``content``)
SEEN_TEXT = """() => [document.body.innerText].concat(
    Array.from(document.querySelectorAll('*')).flatMap(e => ['::before', '::after'].map(
        where => getComputedStyle(e, where).content))
    .filter(c => c && c !== 'none' && c !== 'normal')).join('\\n')"""


def _seen(tab) -> str:
    return tab.evaluate(SEEN_TEXT)


def _to_english(tab, key: str) -> None:
    sidebar = tab.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("EN", exact=True).click()
    tab.get_by_role("heading", name=t(f"page.{key}", "en"), exact=True).wait_for()
    # some headings read the same in both languages (SPARQL, Scenario): wait for the sidebar
    sidebar.get_by_text(t("side.date_on", "en"), exact=True).wait_for()
    # and for the end of that run: until then the Dutch page's elements (e.g. the file
    # uploader's Dutch style rule) are still on the page, to be removed when the run ends
    _settled(tab)


def _settled(tab) -> None:
    """Wait for the end of Streamlit's run and for every element to be drawn: until then an
    element may show as a placeholder (a skeleton, while its code loads), e.g. the file
    uploader's Dutch style rule after the uploader itself, which a reader never sees settled."""
    tab.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
    tab.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stSkeleton'], [data-testid='stSkeletonElement']\")"
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("path", "key"),
    [("overzicht", "overview"), ("zoeken", "search"), ("documenten", "documents"),
     ("vragen", "questions"), ("scenario", "scenario"), ("netwerk", "network"),
     ("sparql", "sparql"), ("validatie", "validation"), ("bevindingen", "findings"),
     ("convenantentoets", "toets"), ("doorgeven", "onward")],
)  # fmt: skip
def test_every_page_widgets_in_one_language_and_a_screenshot(server, page, path, key, lang):
    """Streamlit's own widget texts in Dutch on a Dutch page (no "Choose an option", no
    "1MB per file", no Deploy button), none of those Dutch texts on an English page; and a
    screenshot of each page."""
    page.goto(f"{server}/{path}")
    page.get_by_role("heading", name=t(f"page.{key}", "nl"), exact=True).wait_for()
    if lang == "en":
        _to_english(page, key)
    _settled(page)
    page.wait_for_timeout(1500)
    _no_exception(page)
    seen = _seen(page)
    words = STREAMLIT_ENGLISH if lang == "nl" else STREAMLIT_DUTCH
    found = [word for word in words if word in seen]
    assert not found, (path, lang, found)
    _shot(page, f"page-{path}" if lang == "nl" else f"page-{path}-en")


UPLOADER_SEEN = """() => { const box = document.querySelector("[data-testid='stFileUploader']");
    return box ? [box.innerText].concat(Array.from(box.querySelectorAll('*')).map(
        e => getComputedStyle(e, '::after').content)).join('\\n') : ''; }"""


def _uploader_seen(tab, waiting_for: str) -> str:
    """The uploader's text with its CSS-added text, once it holds ``waiting_for``."""
    with contextlib.suppress(Exception):  # the assertion after it says what is missing
        tab.wait_for_function(f"(word) => ({UPLOADER_SEEN})().includes(word)", arg=waiting_for,
                              timeout=20_000)  # fmt: skip
    return tab.evaluate(UPLOADER_SEEN)


def test_file_uploader_speaks_the_readers_language(server, page):
    """The SPARQL page's uploader: button, size limit, file types and the hint shown while a
    file is dragged over it in Dutch; Streamlit's own English texts in English."""
    page.goto(f"{server}/sparql")
    page.get_by_role("heading", name="SPARQL", exact=True).wait_for()
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    zone.wait_for()
    seen = _uploader_seen(page, "Bestand kiezen")
    assert "Bestand kiezen" in seen and "max. 1 MB per bestand • RQ, SPARQL, TXT" in seen, seen
    assert "per file" not in seen and "Upload" not in seen, seen
    files = page.evaluate_handle(
        "() => { const dt = new DataTransfer();"
        " dt.items.add(new File(['ASK {}'], 'q.rq', {type: 'text/plain'})); return dt; }"
    )
    zone.dispatch_event("dragenter", {"dataTransfer": files})
    page.wait_for_timeout(500)
    seen = _uploader_seen(page, "Sleep het bestand hierheen")
    assert "Sleep het bestand hierheen" in seen and "Drag and drop" not in seen, seen
    _shot(page, "sparql-upload-slepen")
    zone.dispatch_event("dragleave", {"dataTransfer": files})
    _to_english(page, "sparql")
    seen = _uploader_seen(page, "1MB per file")
    assert "1MB per file" in seen and "Upload" in seen, seen
    assert not [word for word in STREAMLIT_DUTCH if word in seen], seen


def test_calendar_in_a_dutch_browser_is_dutch(server, page):
    """Streamlit takes the calendar's month and day names from the browser's language
    (navigator.language; st.date_input has no locale): in a Dutch browser they are Dutch."""
    context = page.context.browser.new_context(
        viewport={"width": 1440, "height": 900}, locale="nl-NL"
    )
    context.route("**/*", lambda route: _local_only(route, OUTSIDE))
    tab = context.new_page()
    tab.set_default_timeout(PAGE_TIMEOUT)
    try:
        tab.goto(f"{server}/scenario")
        tab.get_by_role("heading", name="Scenario", exact=True).wait_for()
        field = _main(tab).locator("[data-testid='stDateInput']").first
        field.locator("[data-testid='stDateInputFieldsScroller']").click()
        calendar = tab.locator("[data-testid='stDateInputCalendar']").first
        calendar.wait_for()
        text = calendar.inner_text()
        for month in ("januari", "februari", "maart", "mei", "juni", "juli", "oktober"):
            assert month in text, text
        for month in ("January", "February", "March", "May", "June", "July", "October"):
            assert month not in text, text
        _shot(tab, "scenario-kalender")
    finally:
        context.close()


def test_english_switch_relabels_the_network(server, page, graph):
    page.goto(f"{server}/netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    page.locator("[data-testid='stSidebar']").get_by_text("EN", exact=True).click()
    page.get_by_role("heading", name="Network", exact=True).wait_for()
    page.get_by_text("cells", exact=True).first.wait_for()  # the chosen kinds re-labelled
    _chart_text(page, t("net.legend.nodes", "en"))  # the drawing's legends in English
    drawn = _chart_texts(page)
    assert {t("net.legend.edges", "en"), t("net.kind1.cell", "en")} <= set(drawn), drawn
    assert not {t("net.legend.nodes"), t("net.legend.edges"), t("net.kind1.cell")} & set(drawn)
    text = _main(page).inner_text()
    assert "Soort verbinding" not in text
    assert "cellen" not in text and "organisaties" not in text
    _shot(page, "network-en")
    page.goto(f"{server}/scenario")  # a new session: Dutch again, then English
    page.get_by_role("heading", name="Scenario", exact=True).wait_for()
    page.locator("[data-testid='stSidebar']").get_by_text("EN", exact=True).click()
    page.get_by_text("Who acts").first.wait_for()
    page.wait_for_timeout(1500)
    _shot(page, "scenario-en")
    aivd = browse.label(graph, WIV_ORG["aivd"], "en")
    assert aivd in _main(page).inner_html()  # the chosen party in English (an input's value)
    assert "Kies…" not in _main(page).inner_text()
    _shot(page, "scenario-en")
    page.goto(f"{server}/doorgeven")  # a select box's chosen value, re-labelled too
    page.get_by_role("heading", name="Doorgeven", exact=True).wait_for()
    page.locator("[data-testid='stSidebar']").get_by_text("EN", exact=True).click()
    page.get_by_role("heading", name="Onward transfer", exact=True).wait_for()
    page.wait_for_timeout(1500)
    category = browse.label(graph, DATACAT["ciic-data"], "en")
    assert category != browse.label(graph, DATACAT["ciic-data"], "nl")
    assert category in _main(page).locator("[data-testid='stSelectbox']").first.inner_html()
    _shot(page, "onward-en")


def test_no_request_left_127_0_0_1(server, page):
    """Runs last: nothing the pages above loaded (fonts, icons, images) came from elsewhere."""
    page.goto(f"{server}/")
    page.get_by_role("heading", name="Overzicht", exact=True).wait_for()
    page.wait_for_timeout(1500)
    icon = page.evaluate(
        "() => (document.querySelector(\"link[rel='shortcut icon'], link[rel='icon']\") || {}).href"
    )
    assert icon and _is_local(icon), icon
    assert OUTSIDE == [], f"requests left 127.0.0.1: {OUTSIDE[:5]}"
