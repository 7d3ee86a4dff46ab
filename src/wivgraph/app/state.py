"""Shared explorer state: the cached graph, the sidebar settings and small rendering helpers.

The graph is loaded once per server process (``st.cache_resource``) with the same library
functions the CLI uses; the OWL RL closure is read from the build cache on first use of the "inferred" toggle.
Both caches are rebuilt only when the server restarts (or via the menu's "Clear cache"); the
inferred triples come from the build cache (``wivgraph.cache``), keyed on the data's content.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from rdflib import Dataset, Graph

from wivgraph import browse
from wivgraph.app.i18n import LANGS, t
from wivgraph.cache import cached_dataset
from wivgraph.classification import public_view
from wivgraph.load import load_dataset, union_graph
from wivgraph.namespaces import INFERRED_GRAPH
from wivgraph.store import OxigraphStore

QUERY_TIME_LIMIT = 10.0  # seconds, SPARQL page and catalogue questions
QUERY_ROW_LIMIT = 1000  # rows shown by default; the SPARQL page allows up to MAX_ROW_LIMIT
MAX_ROW_LIMIT = 10_000
MAX_QUERY_BYTES = 64 * 1024  # pasted or uploaded SPARQL


@dataclass
class Corpus:
    """The asserted dataset, its union as a plain graph, and (lazily) the inferred triples."""

    dataset: Dataset
    asserted: Graph
    statements: dict
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _inferred_dataset: Dataset | None = None
    _inferred: Graph | None = None
    _with_inferred: Graph | None = None
    _statements_inferred: dict | None = None
    _stores: dict = field(default_factory=dict)

    def ensure_inferred(self) -> None:
        with self._lock:
            if self._inferred is not None:
                return
            # The OWL RL closure comes from the build cache (wivgraph build; rebuilt when
            # ontology/ or data/ change), so owlrl runs at most once per version of the data.
            dataset = public_view(cached_dataset(inferred=True))
            inferred = dataset.graph(INFERRED_GRAPH)
            self._inferred_dataset = dataset
            self._with_inferred = union_graph(dataset)
            self._statements_inferred = browse.statement_index(self._with_inferred)
            self._inferred = inferred

    def graph(self, inferred: bool = False) -> Graph:
        """The graph the browse pages read (plain union, with inferred triples if asked)."""
        if inferred:
            self.ensure_inferred()
            return self._with_inferred
        return self.asserted

    def query_graph(self, inferred: bool = False) -> Graph:
        """The graph queries run on (a Dataset, so GRAPH ?g works; with graph:inferred if asked)."""
        if inferred:
            self.ensure_inferred()
            return self._inferred_dataset
        return self.dataset

    def inferred_triples(self) -> Graph | None:
        return self._inferred

    def question_store(self, inferred: bool = False) -> OxigraphStore:
        """The catalogue questions' engine: pyoxigraph over the same (public) dataset.

        Catalogue questions are fixed texts whose answers are identical on rdflib and pyoxigraph
        (tests/test_store.py); pyoxigraph answers them in milliseconds instead of up to seconds.
        User-written SPARQL stays on rdflib, where the time limit can be enforced.
        """
        dataset = self.query_graph(inferred)
        with self._lock:
            key = "inferred" if inferred else "asserted"
            if key not in self._stores:
                self._stores[key] = OxigraphStore(dataset)
            return self._stores[key]

    def statement_index(self, inferred: bool = False) -> dict:
        return self._statements_inferred if inferred else self.statements


@st.cache_resource(show_spinner="Graaf laden… / loading the graph…")
def corpus() -> Corpus:
    dataset = public_view(load_dataset())
    asserted = union_graph(dataset, exclude=[INFERRED_GRAPH])
    return Corpus(dataset, asserted, browse.statement_index(asserted))


@dataclass
class Context:
    """What every page needs: language, date filter, inference toggle and the graph."""

    lang: str
    on: date | None
    inferred: bool
    corpus: Corpus
    excluded: set[str]

    @property
    def graph(self) -> Graph:
        return self.corpus.graph(self.inferred)

    @property
    def query_graph(self) -> Graph:
        return self.corpus.query_graph(self.inferred)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def label(self, node) -> str:
        return browse.label(self.graph, node, self.lang)


@st.cache_data(show_spinner=False)
def _excluded(on: date | None, inferred: bool, lang: str) -> frozenset[str]:
    return frozenset(browse.not_in_force(corpus().graph(inferred), on, lang))


def lang() -> str:
    value = st.session_state.get("lang", "nl")
    return value if value in LANGS else "nl"


def sidebar() -> None:
    """Language, "geldig op" date and the inferred-facts toggle (rendered on every page)."""
    with st.sidebar:
        st.segmented_control(
            t("side.lang", lang()),
            options=list(LANGS),
            format_func=str.upper,
            default="nl",
            key="lang",
        )
        current = lang()
        st.checkbox(t("side.date_on", current), key="date_on", help=t("side.date_help", current))
        st.date_input(
            t("side.date", current),
            value=date.today(),
            min_value=date(1950, 1, 1),
            max_value=date(2100, 12, 31),
            format="DD-MM-YYYY",
            key="valid_on",
            disabled=not st.session_state.get("date_on", False),
        )
        st.toggle(
            t("side.inferred", current), key="inferred", help=t("side.inferred_help", current)
        )


def context() -> Context:
    """The current settings and the graph; shows the load error and stops if loading fails."""
    from wivgraph.errors import WivgraphError  # noqa: PLC0415

    current = lang()
    try:
        data = corpus()
    except WivgraphError as exc:
        st.error(t("app.load_error", current, error=exc))
        st.stop()
    on = st.session_state.get("valid_on") if st.session_state.get("date_on") else None
    inferred = bool(st.session_state.get("inferred", False))
    if inferred:
        with st.spinner("OWL RL…"):
            data.ensure_inferred()
    excluded = set(_excluded(on, inferred, current)) if on else set()
    ctx = Context(current, on, inferred, data, excluded)
    if on and excluded:
        st.sidebar.caption(t("side.excluded", current, n=len(excluded), date=on.isoformat()))
    return ctx


# --- rendering helpers -------------------------------------------------------------------------

PAGES: dict[str, st.Page] = {}


def entity_link(ctx: Context, iri: str, text: str | None = None, key: str | None = None) -> None:
    """A link to the entity page of ``iri`` (same tab, keeps the session)."""
    page = PAGES.get("entity")
    text = text or ctx.label(iri)
    if page is None:
        st.markdown(f"{text} — `{iri}`")
        return
    st.page_link(page, label=text, query_params={"iri": iri})


def source_line(ctx: Context, source: str | None, quote: str | None, inferred: bool = False) -> str:
    """Markdown for a fact's provenance: source label and quote (and the inferred mark)."""
    parts = []
    if inferred:
        parts.append(f":orange-badge[{ctx.t('inferred')}]")
    if source:
        parts.append(f"{ctx.t('source')}: *{_md(ctx.label(source))}*")
    if quote:
        parts.append(f"“{_md(' '.join(quote.split()))}”")
    return " · ".join(parts)


def _md(text: str) -> str:
    """Escape the Markdown characters Streamlit would interpret."""
    for ch in ("\\", "*", "_", "`", "[", "]", "$", "<", ">", "#", "|"):
        text = text.replace(ch, "\\" + ch)
    return text


md = _md


def optional(module: str, attribute: str):
    """``module.attribute`` if that library part exists yet, else None (pages then say so)."""
    import importlib  # noqa: PLC0415

    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(loaded, attribute, None)
