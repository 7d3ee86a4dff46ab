"""Explorer shell: sidebar settings and multipage navigation (pages in wivgraph.app.pages)."""

from __future__ import annotations

import importlib

import streamlit as st

from wivgraph.app import state
from wivgraph.app.i18n import t

# (key, url path, module in wivgraph.app.pages, icon) in menu order. Page modules are imported
# when their page first runs, so the first load does not pay for networkx, pySHACL and the rest.
PAGES = (
    ("overview", "overzicht", "overview", ":material/dashboard:"),
    ("search", "zoeken", "search", ":material/search:"),
    ("entity", "entiteit", "entity", ":material/info:"),
    ("documents", "documenten", "documents", ":material/description:"),
    ("network", "netwerk", "network", ":material/hub:"),
    ("questions", "vragen", "questions", ":material/help:"),
    ("onward", "doorgeven", "onward", ":material/forward:"),
    ("scenario", "scenario", "scenario", ":material/rule:"),
    ("sparql", "sparql", "sparql", ":material/code:"),
    ("validation", "validatie", "validation", ":material/verified:"),
    ("findings", "bevindingen", "findings", ":material/gavel:"),
    ("toets", "convenantentoets", "toets", ":material/fact_check:"),
)


def _render(module: str):
    """The page function: imports ``wivgraph.app.pages.<module>`` on first use, runs render()."""

    def render() -> None:
        importlib.import_module(f"wivgraph.app.pages.{module}").render()

    render.__name__ = module
    return render


def main(start: str = "overview") -> None:
    """Run the explorer; ``start`` is the page shown when the URL names none."""
    st.set_page_config(page_title="wivgraph", page_icon="🕸️", layout="wide")
    lang = state.lang()
    pages = []
    for key, path, module, icon in PAGES:
        title = t(f"page.{key}", lang)
        default = key == start
        # Streamlit serves the default page at "/" only; a hidden twin keeps "/<path>" working
        # too (links and bookmarks to /overzicht). Both need unique internal url paths.
        page = st.Page(
            _render(module),
            title=title,
            icon=icon,
            url_path=f"{path}-start" if default else path,
            default=default,
        )
        state.PAGES[key] = page
        pages.append(page)
        if default:
            pages.append(
                st.Page(_render(module), title=title, icon=icon, url_path=path, visibility="hidden")
            )
    current = st.navigation(pages)
    state.sidebar()
    current.run()
