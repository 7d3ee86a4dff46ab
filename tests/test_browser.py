"""The explorer in a real browser: `streamlit run app.py` driven by Debian's Chromium (Playwright).

Skipped when /usr/bin/chromium is missing, unless WIVGRAPH_REQUIRE_BROWSER=1 (CI), then it fails.
Playwright never downloads a browser here: it launches the system Chromium by path.
Screenshots (one per page) go to $WIVGRAPH_SCREENSHOTS, else to test-artifacts/ (gitignored).
The window is 1440 x 900, as in issue #21.
"""

from __future__ import annotations

import contextlib
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


@pytest.fixture(scope="module")
def server():
    _require_browser()
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = ARTIFACTS / "streamlit.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
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


def test_network_shows_a_legend_and_the_node_names(server, page, graph):
    page.goto(f"{server}/netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    page.get_by_text("Knopen:").first.wait_for()
    page.get_by_text("Verbindingen:").first.wait_for()
    text = _main(page).inner_text()
    for kind in ("organisatie", "cel"):
        assert kind in text
    frame = page.locator("iframe").first  # the drawing: served from 127.0.0.1, no CDN
    frame.wait_for()
    box = frame.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 400
    page.get_by_text("Alle knopen").first.click()
    aivd = browse.label(graph, WIV_ORG["aivd"])
    assert aivd
    page.get_by_text("CIIC (cel)").first.wait_for()
    _no_exception(page)
    _shot(page, "netwerk-legenda")


#: the drawing's Cytoscape instance, registered by Cytoscape.js on its container
CY = "document.getElementById('cy')._cyreg.cy"


def test_network_click_shows_a_shortened_name_in_full(server, page, graph):
    """A shortened name under a node becomes the whole name when the node is clicked (in the
    drawing and in the component's side panel): st-link-analysis has no hover text."""
    from wivgraph import network

    names = {
        n: d.get("short") or d.get("label")
        for n, d in network.cooperation_network(graph).nodes(data=True)
    }
    page.goto(f"{server}/netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    frame = page.locator("iframe").first.element_handle().content_frame()
    frame.wait_for_function(  # the component registers Cytoscape once it has drawn
        "() => { const box = document.getElementById('cy');"
        " return !!(box && box._cyreg && box._cyreg.cy && box._cyreg.cy.nodes().length); }"
    )
    page.wait_for_timeout(1000)  # the preset layout and the fit
    shortened = frame.evaluate(
        f"() => {CY}.nodes().filter(n => n.style('label').endsWith('…'))"
        ".map(n => [n.id(), n.style('label')])"
    )
    assert shortened, "no shortened name in the drawing"
    iri, short = shortened[0]
    full = names[iri]
    assert len(full) > len(short) - 1 and full.startswith(short[:-1].rstrip())
    x, y = frame.evaluate(
        f"(id) => {{ const p = {CY}.getElementById(id).renderedPosition(); return [p.x, p.y]; }}",
        iri,
    )
    box = page.locator("iframe").first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    frame.wait_for_function(f"(id) => {CY}.getElementById(id).selected()", arg=iri)
    assert frame.evaluate(f"(id) => {CY}.getElementById(id).style('label')", iri) == full
    frame.locator("#infopanelProps").get_by_text(full, exact=True).wait_for()
    _no_exception(page)
    _shot(page, "netwerk-volledige-naam")


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
    page.get_by_text("Nodes:").first.wait_for()
    page.get_by_text("cells", exact=True).first.wait_for()  # the chosen kinds re-labelled
    text = _main(page).inner_text()
    assert "Knopen:" not in text and "Soort verbinding" not in text
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
