"""Labels from the data are text, never Markdown or HTML, and the explorer asks no other host.

Issue #23: a label ``![p](http://…/pixel.png)`` became an ``<img>`` that the browser fetched
(entity header, network path list, search results), and the page icon made Streamlit fetch an
SVG from a font CDN on every load. Here the explorer runs on a copy of the project with one more
file whose labels hold Markdown images, links, autolinks, raw HTML and Streamlit directives; a
real Chromium (Playwright) opens every page, and every request that is not for 127.0.0.1 is
aborted and fails the test. No element made from the data (``img``/``a`` pointing at the hostile
host) may appear.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
EVIL_HOST = "pixel.invalid"
PAYLOAD = (
    f"![p](http://{EVIL_HOST}/p.png) <img src=\"http://{EVIL_HOST}/i.png\"> "
    f"[klik](http://{EVIL_HOST}/l) http://{EVIL_HOST}/auto www.{EVIL_HOST} "
    "<b>vet</b> :red[rood] :material/home: $x^2$ **sterk**"
)
_LIT = PAYLOAD.replace('"', '\\"')  # the payload as the inside of a Turtle string
HOSTILE_TTL = f"""@prefix wiv: <https://w3id.org/wivgraph/def#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix organisation: <https://w3id.org/wivgraph/id/org/> .
@prefix doc: <https://w3id.org/wivgraph/id/doc/> .

organisation:evil a org:FormalOrganization ;
    skos:prefLabel "EVILORG {_LIT}"@nl ,
                   "EVILORG {_LIT}"@en ;
    skos:altLabel "EVILALT ![a](http://{EVIL_HOST}/alt.png)"@nl .

doc:convenant-evil-2021 a eli:LegalResource , wiv:Convenant ;
    eli:date_document "2021-01-01"^^xsd:date ;
    wiv:inForceFrom "2021-01-01"^^xsd:date ;
    eli:title "EVILDOC {_LIT}"@nl ;
    wiv:party organisation:evil , organisation:aivd .
"""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # belt and braces: even a request that escaped interception could not resolve a name
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
PAGE_TIMEOUT = 180_000


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
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data" / "actors" / "hostile.ttl").write_text(HOSTILE_TTL, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(project):
    _require_browser()
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", WIVGRAPH_HOME=str(project))
    env.pop("WIVGRAPH_ENDPOINT", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "streamlit-hostile.log"
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
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
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
def browser_page(server):
    """A page whose every non-local request is aborted and recorded in ``page.outside``."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def guard(route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        scheme = urllib.parse.urlsplit(route.request.url).scheme
        if scheme in ("data", "blob") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def watch(request) -> None:  # requests that routing does not see (e.g. a favicon)
        parts = urllib.parse.urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and (parts.hostname or "") not in LOCAL_HOSTS:
            outside.append(request.url)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", guard)
        context.on("request", watch)
        tab = context.new_page()
        tab.set_default_timeout(PAGE_TIMEOUT)
        tab.outside = outside
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def _main(tab):
    return tab.locator("section.stMain, [data-testid='stMain']").first


def _settle(tab) -> None:
    """Wait until Streamlit has finished the run (no running indicator), then a moment more."""
    tab.wait_for_timeout(800)
    tab.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=PAGE_TIMEOUT)
    tab.wait_for_timeout(800)


def _expand_all(tab) -> None:
    for summary in tab.locator("[data-testid='stExpander'] summary").all():
        with contextlib.suppress(Exception):  # an expander that re-rendered meanwhile
            summary.click(timeout=2000)
    tab.wait_for_timeout(800)


def _no_data_elements(tab, where: str) -> None:
    made = tab.evaluate(
        """(host) => Array.from(document.querySelectorAll('img, a, iframe, source, video, audio'))
             .filter(e => ['src', 'href', 'srcset'].some(
                 name => (e.getAttribute(name) || '').includes(host)))
             .map(e => e.outerHTML.slice(0, 300))""",
        EVIL_HOST,
    )
    assert made == [], f"{where}: elements made from data: {made[:3]}"
    assert tab.locator("[data-testid='stException']").count() == 0, where
    bold = tab.evaluate(
        "() => Array.from(document.querySelectorAll('b, strong')).map(e => e.textContent)"
        ".filter(t => t.includes('vet') || t.includes('sterk'))"
    )
    assert bold == [], f"{where}: HTML/Markdown from data was rendered: {bold}"


def _no_outside_requests(tab, where: str) -> None:
    assert tab.outside == [], f"{where}: requests left 127.0.0.1: {tab.outside[:5]}"


EVIL_ORG = "https://w3id.org/wivgraph/id/org/evil"
EVIL_DOC = "https://w3id.org/wivgraph/id/doc/convenant-evil-2021"
PAGES = [
    ("overzicht", "", "Overzicht"),
    ("zoeken", "", "Zoeken"),
    ("entiteit", f"?iri={quote(EVIL_ORG, safe='')}", "Entiteit"),
    ("entiteit", f"?iri={quote(EVIL_DOC, safe='')}", "Entiteit"),
    ("documenten", f"?doc={quote(EVIL_DOC, safe='')}", "Documenten"),
    ("netwerk", "", "Netwerk"),
    ("vragen", "", "Vragen"),
    ("doorgeven", "", "Doorgeven"),
    ("scenario", "", "Scenario"),
    ("sparql", "", "SPARQL"),
    ("bevindingen", "", "Bevindingen"),
]


@pytest.mark.parametrize(("path", "query", "heading"), PAGES)
def test_page_shows_data_as_text_and_asks_no_other_host(server, browser_page, path, query, heading):
    tab = browser_page
    tab.goto(f"{server}/{path}{query}")
    tab.get_by_role("heading", name=heading, exact=True).first.wait_for()
    _settle(tab)
    if path == "zoeken":
        box = tab.get_by_role("textbox").first
        box.fill("EVIL")
        box.press("Enter")
        tab.get_by_text("EVILORG", exact=False).first.wait_for()
        _settle(tab)
    _expand_all(tab)
    text = _main(tab).inner_text().replace("\u2060", "")  # the invisible autolink breaks
    if path in ("entiteit", "zoeken"):
        # the label is shown as the characters it is made of
        assert f"![p](http://{EVIL_HOST}/p.png)" in text, text[:2000]
        assert f'<img src="http://{EVIL_HOST}/i.png">' in text
    _no_data_elements(tab, f"/{path}{query}")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"hostile-{path}.png"))
    _no_outside_requests(tab, f"/{path}{query}")


def test_network_path_list_shows_label_as_text(server, browser_page):
    """The node list of the network page (an expander of entity links) holds the label."""
    tab = browser_page
    tab.goto(f"{server}/netwerk")
    tab.get_by_role("heading", name="Netwerk", exact=True).first.wait_for()
    _settle(tab)
    tab.get_by_text("instrumenten en partijen", exact=True).first.click()  # parties of instruments
    _settle(tab)
    _expand_all(tab)
    assert "EVILORG" in _main(tab).inner_text()
    _no_data_elements(tab, "/netwerk")
    _no_outside_requests(tab, "/netwerk")


def test_favicon_is_local(server, browser_page):
    tab = browser_page
    tab.goto(f"{server}/")
    tab.get_by_role("heading", name="Overzicht", exact=True).first.wait_for()
    _settle(tab)
    icon = tab.evaluate(
        "() => (document.querySelector(\"link[rel='shortcut icon'], link[rel='icon']\") || {}).href"
    )
    assert icon, "no favicon link"
    parts = urllib.parse.urlsplit(icon)
    assert parts.scheme == "data" or parts.hostname in LOCAL_HOSTS, icon
    _no_outside_requests(tab, "/ (favicon)")
