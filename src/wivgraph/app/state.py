"""Shared explorer state: the cached graph, the sidebar settings and small rendering helpers.

The graph is loaded once per server process (``st.cache_resource``) from the build cache
(``wivgraph.cache``: one N-Quads file with the asserted named graphs and ``graph:inferred``, keyed on
the content of ontology/ and data/) into one pyoxigraph store. From that store the app keeps a
plain rdflib union for the browse pages; catalogue questions run on the store itself (no copy),
and the rdflib Dataset that user-written SPARQL and validation need is made only when such a page
is opened. Without a fresh cache the store is parsed from the Turtle files instead (no OWL RL
closure until the "inferred" toggle builds the cache). Should the data ever hold classified
content, everything comes from the public view (``classification.public_view``) instead.
Restart the server (or "Clear cache" in the menu) after changing data/.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
import streamlit as st
from rdflib import Dataset, Graph

from wivgraph import browse
from wivgraph.app.i18n import LANGS, t
from wivgraph.namespaces import INFERRED_GRAPH, bind_prefixes

QUERY_TIME_LIMIT = 10.0  # seconds, SPARQL page and catalogue questions
QUERY_ROW_LIMIT = 1000  # rows shown by default; the SPARQL page allows up to MAX_ROW_LIMIT
MAX_ROW_LIMIT = 10_000
MAX_QUERY_BYTES = 64 * 1024  # pasted or uploaded SPARQL


def _graph_from(store: ox.Store, graph) -> Graph:
    """One graph of ``store`` as a plain rdflib Graph (prefixes bound)."""
    from wivgraph.fast import copy_into  # noqa: PLC0415

    return copy_into(bind_prefixes(Graph()), store.quads_for_pattern(None, None, None, graph))


@dataclass
class Corpus:
    """The asserted union as a plain graph, the store it comes from, and (lazily) the rest.

    ``store`` is None only when classified content had to be withheld: then ``dataset`` is the
    public view and every other copy is made from it (the way the explorer always worked).
    """

    asserted: Graph
    statements: dict
    store: ox.Store | None = None
    _dataset: Dataset | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _inferred_dataset: Dataset | None = None
    _inferred: Graph | None = None
    _with_inferred: Graph | None = None
    _statements_inferred: dict | None = None
    _stores: dict = field(default_factory=dict)
    endpoint: str | None = None  # where the data came from, when not from the local files

    @property
    def dataset(self) -> Dataset:
        """The asserted named graphs as an rdflib Dataset (made on first use)."""
        with self._lock:
            if self._dataset is None:
                from wivgraph import fast  # noqa: PLC0415

                self._dataset = fast.rdflib_dataset(self.store, inferred=False)
            return self._dataset

    def _has_inferred(self) -> bool:
        return self.store is not None and self.store.contains_named_graph(
            ox.NamedNode(str(INFERRED_GRAPH))
        )

    def ensure_inferred(self) -> None:
        with self._lock:
            if self._inferred is not None:
                return
            if self.endpoint and self.store is not None and not self._has_inferred():
                from wivgraph.cache import infer_into  # noqa: PLC0415

                infer_into(self.store)  # the closure of the endpoint's data, not of local files
                # made for the old layout: the union read for it, the sandbox's copy without
                # graph:inferred (a dropped sandbox stops its child when the last user lets go)
                for key in ("questions", "questions-inferred", "answers", "answers-inferred",
                            "sandbox", "sandbox-inferred"):
                    self._stores.pop(key, None)
            if self._has_inferred():
                inferred = _graph_from(self.store, ox.NamedNode(str(INFERRED_GRAPH)))
                union = bind_prefixes(Graph())
                for part in (self.asserted, inferred):
                    for triple in part:
                        union.add(triple)
                self._with_inferred = union
            else:
                # No cache yet (or classified content): the OWL RL closure comes from the build
                # cache (wivgraph build; rebuilt when ontology/ or data/ change), as a copy.
                from wivgraph.cache import cached_dataset  # noqa: PLC0415
                from wivgraph.classification import public_view  # noqa: PLC0415
                from wivgraph.load import union_graph  # noqa: PLC0415

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

    def query_graph(self, inferred: bool = False) -> Dataset:
        """The graph queries run on (a Dataset, so GRAPH ?g works; with graph:inferred if asked)."""
        if not inferred:
            return self.dataset
        self.ensure_inferred()
        with self._lock:
            if self._inferred_dataset is None:
                from wivgraph import fast  # noqa: PLC0415

                self._inferred_dataset = fast.rdflib_dataset(self.store, inferred=True)
            return self._inferred_dataset

    def inferred_triples(self) -> Graph | None:
        return self._inferred

    def question_store(self, inferred: bool = False):
        """The catalogue questions' engine: pyoxigraph over the same (public) dataset.

        Catalogue questions are fixed texts whose answers are identical on rdflib and pyoxigraph
        (tests/test_store.py); pyoxigraph answers them in milliseconds instead of up to seconds.
        User-written SPARQL runs in the sandbox instead (:meth:`query_sandbox`).
        """
        from wivgraph import fast  # noqa: PLC0415

        return self._store_per_mode(
            "questions", inferred, lambda store: fast.FastStore(store, inferred=inferred),
            fast.dataset_store,
        )

    def answer_store(self, inferred: bool = False):
        """What the Scenario and Doorgeven pages ask: the checker's and ``ask_onward``'s
        questions on oxigraph, their label look-ups by pattern in the same store
        (:class:`wivgraph.fast.ReadableStore`), as ``check`` and ``ask onward`` on the command
        line do (tests/test_engines_agree.py: the same answers as rdflib's engine)."""
        from wivgraph import fast  # noqa: PLC0415

        return self._store_per_mode(
            "answers", inferred, lambda store: fast.ReadableStore(store, inferred=inferred),
            lambda dataset: fast.ReadableStore(
                fast.store_from_dataset(dataset), inferred=True, graph=dataset
            ),
        )

    def _store_per_mode(self, kind: str, inferred: bool, over_store, over_dataset):
        """One store of ``kind`` per mode (so what is built on it, e.g. a checker, is built
        once): ``over_store`` of the corpus's own store, or, when classified content is
        withheld or no closure is cached, ``over_dataset`` of the dataset copied from it."""
        if inferred:
            self.ensure_inferred()
        with self._lock:
            key = f"{kind}-inferred" if inferred else kind
            if key not in self._stores:
                if self.store is not None and (not inferred or self._has_inferred()):
                    self._stores[key] = over_store(self.store)
                else:
                    self._stores[key] = over_dataset(self.query_graph(inferred))
            return self._stores[key]

    def query_sandbox(self, inferred: bool = False):
        """The SPARQL page's engine: a copy of the store in a child process that is killed at
        the time limit (:mod:`wivgraph.sandbox`), so a runaway query costs nothing after it.

        A :class:`wivgraph.sandbox.SandboxStore` whose queries see the default graph as the
        union (plus ``graph:inferred`` if asked) and ``GRAPH ?g`` the named graphs, as
        :meth:`query_graph` does.
        """
        from wivgraph import fast  # noqa: PLC0415
        from wivgraph.sandbox import SandboxStore, sandbox_for  # noqa: PLC0415

        if inferred:
            self.ensure_inferred()
        with self._lock:
            key = "sandbox-inferred" if inferred else "sandbox"
            if key not in self._stores:
                if self.store is not None and (not inferred or self._has_inferred()):
                    if "sandbox" not in self._stores:
                        self._stores["sandbox"] = SandboxStore(None, sandbox_for(self.store))
                    sandbox = self._stores["sandbox"].sandbox
                else:  # classified content withheld, or no cached closure: from the dataset
                    sandbox = sandbox_for(fast.store_from_dataset(self.query_graph(inferred)))
                self._stores[key] = SandboxStore(None, sandbox, inferred=inferred)
            return self._stores[key]

    def statement_index(self, inferred: bool = False) -> dict:
        return self._statements_inferred if inferred else self.statements

    def stats(self) -> dict:
        """What ``load.dataset_stats`` gives for the asserted dataset, read from the store."""
        if self.store is None:
            from wivgraph.load import dataset_stats  # noqa: PLC0415

            return dataset_stats(self.dataset)
        from wivgraph import fast  # noqa: PLC0415

        inferred = str(INFERRED_GRAPH)
        per_graph = {
            row["g"].value: int(row["n"].value)
            for row in self.store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
            if row["g"].value != inferred
        }
        per_class = {
            row["c"].value: int(row["n"].value)
            for row in self.store.query(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
                **fast.query_options(self.store, inferred=False),
            )
        }
        return {
            "triples": sum(per_graph.values()),
            "quads": sum(per_graph.values()),
            "distinct_triples": len(self.asserted),
            "graphs": dict(sorted(per_graph.items())),
            "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


def load_corpus(endpoint: str | None = None) -> Corpus:
    """The corpus from ``endpoint`` if given, else the build cache when it is fresh, else Turtle.

    An endpoint's named graphs are copied once (``RemoteStore.fetch_dataset``), so every page
    runs unchanged on that data.
    """
    from wivgraph import cache, fast  # noqa: PLC0415
    from wivgraph.classification import has_classified_content, public_view  # noqa: PLC0415

    if endpoint:
        from wivgraph.store import RemoteStore  # noqa: PLC0415

        store = fast.store_from_dataset(RemoteStore(endpoint).fetch_dataset())
    elif cache.is_fresh():
        from wivgraph.errors import WivgraphError  # noqa: PLC0415

        try:
            store = cache.load_store(build_missing=False)
        except WivgraphError:  # a damaged cache (hash or quad count) is never served
            store = fast.load_store()
    else:
        store = fast.load_store()
    asserted = fast.copy_into(bind_prefixes(Graph()), fast.union_quads(store, inferred=False))
    if has_classified_content(asserted):  # never in the shipped data (a shape refuses it)
        from wivgraph.load import union_graph  # noqa: PLC0415

        dataset = public_view(fast.rdflib_dataset(store, inferred=False))
        asserted = union_graph(dataset, exclude=[INFERRED_GRAPH])
        return Corpus(asserted, browse.statement_index(asserted), None, dataset, endpoint=endpoint)
    return Corpus(asserted, browse.statement_index(asserted), store, endpoint=endpoint)


@st.cache_resource(show_spinner="Graaf laden… / loading the graph…")
def corpus() -> Corpus:
    from wivgraph.store import endpoint_from_env  # noqa: PLC0415

    return load_corpus(endpoint_from_env())


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

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def label(self, node) -> str:
        return browse.label(self.graph, node, self.lang)

    def fdate(self, value: date | None) -> str:
        """A date as the reader's language writes it (dd-mm-jjjj in Dutch)."""
        return browse.format_date(value, self.lang)


#: one date format per language, for every date widget (browse.format_date for text)
DATE_FORMATS = {"nl": "DD-MM-YYYY", "en": "YYYY-MM-DD"}


def date_format(lang: str) -> str:
    return DATE_FORMATS.get(lang, DATE_FORMATS["nl"])


@st.cache_data(show_spinner=False)
def _excluded(on: date | None, inferred: bool, lang: str) -> frozenset[str]:
    return frozenset(browse.not_in_force(corpus().graph(inferred), on, lang))


def lang_key(key: str) -> str:
    """A widget key per language, carrying the chosen values over from the other language.

    A multiselect shows its chosen values in the words of the language it was made in; with
    one key per language it is made anew (so re-labelled) on a language switch, keeping the
    choice.
    """
    current = lang()
    own = f"{key}__{current}"
    if own not in st.session_state:
        for other in LANGS:
            if other != current and f"{key}__{other}" in st.session_state:
                st.session_state[own] = st.session_state[f"{key}__{other}"]
                break
    return own


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
            format=date_format(current),
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
        st.error(t("app.load_error", current, error=md(exc)))
        st.stop()
    on = st.session_state.get("valid_on") if st.session_state.get("date_on") else None
    inferred = bool(st.session_state.get("inferred", False))
    if inferred:
        with st.spinner("OWL RL…"):
            data.ensure_inferred()
    excluded = set(_excluded(on, inferred, current)) if on else set()
    ctx = Context(current, on, inferred, data, excluded)
    if data.endpoint:
        st.sidebar.caption(t("side.endpoint", current, url=_code(data.endpoint)))
    if on and excluded:
        st.sidebar.caption(t("side.excluded", current, n=len(excluded), date=browse.format_date(on, current)))
    return ctx


# --- rendering helpers -------------------------------------------------------------------------

PAGES: dict[str, st.Page] = {}


def entity_link(ctx: Context, iri: str, text: str | None = None, key: str | None = None) -> None:
    """A link to the entity page of ``iri`` (same tab, keeps the session); the label is data,
    so it is escaped (a page link's label is Markdown)."""
    page = PAGES.get("entity")
    text = md(text or ctx.label(iri))
    if page is None:
        st.markdown(f"{text} — {md(iri)}")
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


#: characters that start Markdown or HTML wherever they stand: emphasis, code, links and
#: images (``[``), raw HTML and autolinks (``<``), headings, tables, LaTeX, strikethrough
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~])")
#: what is special only in context: a Streamlit shortcode (``:material/home:``, ``:smile:``),
#: an HTML entity (``&lt;``), a list marker at the start (``1.``, ``-``, ``+``)
_CONTEXT_SPECIAL = re.compile(r":(?=[\w/+-]+:)|&(?=#?\w+;)|^\d+[.)]|^[-+]")
#: GFM finds bare URLs and e-mail addresses in the text *after* escapes are resolved, so a
#: backslash does not stop them; an invisible word joiner after ``://``'s colon, after ``@``
#: and between ``www`` and ``.`` does
WORD_JOINER = "\u2060"
_AUTOLINK_BREAKS = re.compile(r":(?=//)|@|(?i:www)(?=\.)")


def md(text: object) -> str:
    """The one escaping function for data shown by the explorer in a place that renders
    Markdown (``st.markdown``, captions, headers, expander and page-link labels, messages).

    Line breaks become spaces; the characters that make Markdown, HTML or Streamlit directives
    get a backslash (``*`` ``_`` `` ` `` ``[`` ``]`` ``<`` ``>`` ``#`` ``|`` ``$`` ``~``, a
    shortcode's colon, an entity's ``&``, a leading list marker), and bare URLs and e-mail
    addresses an invisible word joiner. A label such as ``![p](http://host/pixel.png)`` or
    ``<img src=...>`` is so shown as the text it is: no image, link or HTML element is made
    from data, and the browser fetches nothing. Widgets that show plain text (select boxes,
    tables, ``st.code``) need no escaping.
    """
    text = " ".join(str(text).split())
    text = _AUTOLINK_BREAKS.sub(lambda m: m.group() + WORD_JOINER, text)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _CONTEXT_SPECIAL.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1]
                                if m.group()[0].isdigit() else "\\" + m.group(), text)


_md = md


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:``): every character but ASCII letters,
    digits, space and ``.,:;()-`` as a hex escape, so nothing can end the string or the rule."""
    safe = " .,:;()-"
    return '"' + "".join(
        c if (c.isascii() and c.isalnum()) or c in safe else f"\\{ord(c):x} " for c in text
    ) + '"'


def uploader_css(key: str, types: list[str], lang: str) -> str:
    """Style rules that show Streamlit's own texts of the file uploader with ``key`` (button,
    size limit with file types, drop hint) in ``lang``: Streamlit has no setting for them, so
    its texts are hidden and ours shown as CSS ``content`` (from i18n, never from data)."""
    scope = ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())
    limit = t("upload.limit", lang, mb=st.get_option("server.maxUploadSize"))
    if types:
        limit += " • " + ", ".join(kind.upper() for kind in types)
    zone = f"{scope} [data-testid='stFileUploaderDropzone']"
    notes = f"{zone} [data-testid='stFileUploaderDropzoneInstructions']"
    drop = f"{zone} > div:not([data-testid])"  # shown while a file is dragged over
    return "\n".join(
        (
            f"{notes} span {{display: none}}",
            f"{notes} > div::after {{content: {css_string(limit)}}}",
            f"{zone} button [data-testid='stMarkdownContainer'] {{display: none}}",
            f"{zone} button > div::after "
            f"{{content: {css_string(t('upload.button', lang))}; margin-left: 0.4rem}}",
            f"{drop} > * {{display: none}}",
            f"{drop}::after {{content: {css_string(t('upload.drop', lang))}}}",
        )
    )


def file_uploader(ctx: Context, label: str, types: list[str], key: str):
    """``st.file_uploader`` with its built-in texts in the reader's language (in English,
    Streamlit's own)."""
    if ctx.lang != "en":
        st.html(f"<style>{uploader_css(key, types, ctx.lang)}</style>")
    return st.file_uploader(label, type=types, key=key)


def optional(module: str, attribute: str):
    """``module.attribute`` if that library part exists yet, else None (pages then say so)."""
    import importlib  # noqa: PLC0415

    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(loaded, attribute, None)


def _code(text: str) -> str:
    """Configuration (not data) such as the endpoint URL, shown exactly as a code span: no
    Markdown, no autolink inside it."""
    return "`" + " ".join(str(text).replace("`", "").split()) + "`"
