"""Documenten: a convenant, report or law as annotated text, the way a lawyer reads it.

The text article by article, every lid as text; under each lid what rests on it (norms,
parties, dates, deadlines, citations) in words in the chosen language, each with a link to its
entity page; identifiers only inside a details expander. Every subdivision has a permalink by
query parameters: ``/documenten?doc=<IRI>&art=7&lid=2`` opens that lid on top of the page.
"""

from __future__ import annotations

import streamlit as st

from wivgraph import browse
from wivgraph.app import state
from wivgraph.namespaces import DOC, compact

#: the document shown first: a convenant a lawyer reads (not a law from outside)
DEFAULT_DOC = str(DOC["convenant-ciic-2020"])

#: heading words of subdivision kinds (the step in the IRI), Dutch and English
HEADINGS = {
    "art": ("Artikel", "Article"),
    "lid": ("Lid", "Paragraph"),
    "onderdeel": ("Onderdeel", "Point"),
    "hoofdstuk": ("Hoofdstuk", "Chapter"),
    "sectie": ("Sectie", "Section"),
    "overweging": ("Overweging", "Recital"),
    "voetnoot": ("Voetnoot", "Footnote"),
    "ondertekening": ("Ondertekening", "Signature"),
    "aanhef": ("Aanhef", "Preamble"),
    "titel": ("Titel", "Title"),
    "bijlage": ("Bijlage", "Annex"),
    "toelichting": ("Toelichting", "Explanatory note"),
    "aanwijzing": ("Aanwijzing", "Instruction"),
    "grondslag": ("Grondslag", "Legal basis"),
    "partijen": ("Partijen", "Parties"),
    "slotformule": ("Slotformule", "Closing formula"),
    "samenvatting": ("Samenvatting", "Summary"),
    "begrippenlijst": ("Begrippenlijst", "Glossary"),
    "intern-beleid": ("Intern beleid", "Internal policy"),
    "praktijk": ("Praktijk", "Practice"),
}


@st.cache_data(show_spinner=False)
def _documents(inferred: bool, lang: str) -> list[tuple[str, str]]:
    return browse.documents(state.corpus().graph(inferred), lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _tree(doc: str, inferred: bool, lang: str) -> browse.Part:
    return browse.document_tree(state.corpus().graph(inferred), doc, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _notes(doc: str, inferred: bool, lang: str) -> dict[str, list[browse.Annotation]]:
    """The annotations of every subdivision of ``doc`` (and of the document itself)."""
    graph = state.corpus().graph(inferred)
    out: dict[str, list[browse.Annotation]] = {}

    def walk(part: browse.Part) -> None:
        notes = browse.lid_annotations(graph, part.iri, lang)
        if notes:
            out[part.iri] = notes
        for child in part.children:
            walk(child)

    walk(_tree(doc, inferred, lang))
    return out


def step(part: browse.Part, parent: str) -> tuple[str, str]:
    """(kind, value) of ``part`` below ``parent``: ``art/7`` -> ("art", "7")."""
    tail = part.iri[len(parent) :].strip("/").split("/")
    return (tail[0], tail[1]) if len(tail) >= 2 else (tail[0], "")


def permalink_params(doc: str, trail: list[tuple[str, str]]) -> dict[str, str]:
    """The query parameters of a subdivision's permalink: ``doc`` and one per step."""
    params = {"doc": doc}
    for kind, value in trail:
        params[kind] = value
    return params


def find(tree: browse.Part, params: dict[str, str]) -> tuple[browse.Part, list] | None:
    """The subdivision the query parameters name (``art=7&lid=2``), with its trail."""
    node, trail = tree, []
    while True:
        nxt = None
        for child in node.children:
            kind, value = step(child, node.iri)
            if params.get(kind) == value and value:
                nxt = child
                trail.append((kind, value))
                break
        if nxt is None:
            return (node, trail) if trail else None
        node = nxt


def heading(part: browse.Part, parent: str, lang: str) -> str:
    kind, value = step(part, parent)
    words = HEADINGS.get(kind) or HEADINGS.get(part.kind)
    head = words[1 if lang == "en" else 0] if words else kind.replace("-", " ").capitalize()
    number = part.number or (value if kind in HEADINGS and value else "")
    if number and number != kind:
        head += f" {number}"
    if part.title:
        head += f" — {part.title}"
    return head


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.documents"))
    docs = _documents(ctx.inferred, ctx.lang)
    if not docs:
        st.info(ctx.t("doc.none"))
        return
    labels = dict(docs)
    options = list(labels)
    wanted = st.query_params.get("doc")
    key = state.lang_key("doc_pick")  # re-labelled on a language switch
    if wanted in labels and st.session_state.get(key) != wanted:
        st.session_state[key] = wanted
    elif key not in st.session_state and DEFAULT_DOC in labels:
        st.session_state[key] = DEFAULT_DOC
    doc = st.selectbox(ctx.t("doc.pick"), options, format_func=lambda iri: labels[iri], key=key)
    if doc is None:
        return
    if st.query_params.get("doc") != doc:  # another document chosen: its own link, no lid
        if "doc" in st.query_params:
            st.query_params.clear()
        st.query_params["doc"] = doc
    if doc in ctx.excluded and ctx.on:
        st.warning(ctx.t("doc.not_in_force", date=browse.format_date(ctx.on, ctx.lang)))
    tree = _tree(doc, ctx.inferred, ctx.lang)
    notes = _notes(doc, ctx.inferred, ctx.lang)
    st.header(state.md(tree.title or labels[doc]))
    state.entity_link(ctx, doc, f"{ctx.t('page.entity')}: {labels[doc]}")
    st.caption(ctx.t("doc.intro"))
    found = find(tree, dict(st.query_params))
    if found is not None:
        part, trail = found
        parent = doc + "/" + "/".join(f"{k}/{v}" for k, v in trail[:-1]) if len(trail) > 1 else doc
        with st.container(border=True):
            st.subheader(ctx.t("doc.focus", where=state.md(ctx.label(part.iri))))
            st.caption(ctx.t("doc.focus_help"))
            _body(ctx, doc, part, parent, trail, notes, heading_shown=False)
    if tree.text:
        st.markdown(state.md(tree.text))
    _annotations(ctx, notes.get(tree.iri, []))
    for child in tree.children:  # headings, not expanders: the details expanders sit inside
        st.subheader(state.md(heading(child, doc, ctx.lang)), divider="gray")
        _body(ctx, doc, child, doc, [step(child, doc)], notes, heading_shown=True)


def _body(ctx, doc: str, part: browse.Part, parent: str, trail: list, notes: dict, *,
          heading_shown: bool) -> None:
    """A subdivision: its text, what rests on it, its permalink, then its children."""
    if not heading_shown:
        st.markdown(f"**{state.md(heading(part, parent, ctx.lang))}**")
    if part.text:
        st.markdown(state.md(" ".join(part.text.split())))
    _annotations(ctx, notes.get(part.iri, []))
    _permalink(ctx, doc, part, trail)
    for child in part.children:
        child_trail = trail + [step(child, part.iri)]
        with st.container(border=True):
            _body(ctx, doc, child, part.iri, child_trail, notes, heading_shown=False)


def _permalink(ctx, doc: str, part: browse.Part, trail: list) -> None:
    page = state.PAGES.get("documents")
    if page is None or not trail:
        return
    st.page_link(
        page,
        label=ctx.t("doc.permalink", where=state.md(ctx.label(part.iri))),
        icon=":material/link:",
        query_params=permalink_params(doc, trail),
    )


def _annotations(ctx, notes: list[browse.Annotation]) -> None:
    """What rests on a subdivision, in words; identifiers only in the details expander."""
    if not notes:
        return
    st.caption(ctx.t("doc.facts"))
    for note in notes:
        with st.container(border=True):
            head = f"**{state.md(note.kind)}**" if note.kind else ""
            if note.label:
                head += f" — {state.md(note.label)}"
            if head:
                st.markdown(head)
            lines = []
            for name, value in note.rows:
                lines.append(f"- *{state.md(name)}*: {state.md(value)}" if name else f"- {state.md(value)}")
            if lines:
                st.markdown("\n".join(lines))
            if note.iri.startswith("http"):
                state.entity_link(ctx, note.iri, ctx.t("doc.to_entity"))
            with st.expander(ctx.t("doc.details")):
                st.code("\n".join(f"{what}: {compact(iri)}" for what, iri in note.identifiers),
                        language=None)
