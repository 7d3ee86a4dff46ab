"""Zoeken: by label, altLabel, article number or text."""

from __future__ import annotations

import streamlit as st

from wivgraph import browse
from wivgraph.app import state

MAX_SEARCH_CHARS = 200


@st.cache_data(show_spinner=False, max_entries=256)
def _search(text: str, inferred: bool, lang: str) -> list[browse.Hit]:
    return browse.search(state.corpus().graph(inferred), text, lang)


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.search"))
    text = st.text_input(ctx.t("search.input"), key="search_q", max_chars=MAX_SEARCH_CHARS)
    if not text.strip():
        return
    hits = [
        h
        for h in _search(text, ctx.inferred, ctx.lang)
        if h.iri not in ctx.excluded and (h.document or "") not in ctx.excluded
    ]
    if not hits:
        st.info(ctx.t("search.none", q=state.md(text)))
        return
    st.caption(ctx.t("search.count", n=len(hits)))
    for hit in hits:
        with st.container(border=True):
            state.entity_link(ctx, hit.iri, hit.label)
            where = ctx.t(f"search.field.{hit.field}")
            doc = f" · {state.md(ctx.label(hit.document))}" if hit.document else ""
            st.caption(f"{where}{doc}")
            if hit.field in ("text", "altLabel"):
                st.markdown(f"> {state.md(hit.snippet)}")
