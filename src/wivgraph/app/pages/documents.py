"""Documenten: a convenant or report as a readable tree of articles and leden, with its facts."""

from __future__ import annotations

import streamlit as st

from wivgraph import browse
from wivgraph.app import state


@st.cache_data(show_spinner=False)
def _documents(inferred: bool, lang: str) -> list[tuple[str, str]]:
    return browse.documents(state.corpus().graph(inferred), lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _tree(doc: str, inferred: bool, lang: str) -> browse.Part:
    return browse.document_tree(state.corpus().graph(inferred), doc, lang)


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
    if wanted in labels and st.session_state.get("doc_pick") != wanted:
        st.session_state["doc_pick"] = wanted
    doc = st.selectbox(
        ctx.t("doc.pick"), options, format_func=lambda iri: labels[iri], key="doc_pick"
    )
    if doc is None:
        return
    if doc in ctx.excluded and ctx.on:
        st.warning(ctx.t("doc.not_in_force", date=ctx.on.isoformat()))
    tree = _tree(doc, ctx.inferred, ctx.lang)
    st.header(state.md(tree.title or labels[doc]))
    state.entity_link(ctx, doc, f"{ctx.t('page.entity')}: {labels[doc]}")
    if tree.text:
        st.markdown(state.md(tree.text))
    _facts(ctx, tree)
    for child in tree.children:
        with st.expander(state.md(_heading(child)), expanded=False):
            _body(ctx, child, depth=0)


def _heading(part: browse.Part) -> str:
    words = {
        "art": "Artikel",
        "lid": "Lid",
        "onderdeel": "Onderdeel",
        "hoofdstuk": "Hoofdstuk",
        "sectie": "Sectie",
        "overweging": "Overweging",
        "voetnoot": "Voetnoot",
        "ondertekening": "Ondertekening",
    }
    head = words.get(part.kind, part.kind.capitalize())
    if part.number:
        head += f" {part.number}"
    elif part.kind not in words:
        head = part.iri.rsplit("/", 1)[-1].capitalize()
    if part.title:
        head += f" — {part.title}"
    return head


def _body(ctx: state.Context, part: browse.Part, depth: int) -> None:
    if part.text:
        st.markdown(state.md(" ".join(part.text.split())))
    _facts(ctx, part)
    for child in part.children:
        with st.container(border=True):
            st.markdown(f"**{state.md(_heading(child))}**")
            _body(ctx, child, depth + 1)


def _facts(ctx: state.Context, part: browse.Part) -> None:
    if not part.facts:
        return
    st.caption(ctx.t("doc.facts"))
    for iri, text, kinds in part.facts:
        suffix = f" ({', '.join(kinds)})" if kinds else ""
        state.entity_link(ctx, iri, text + suffix)
