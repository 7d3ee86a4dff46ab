"""Bevindingen: CTIVD findings, conclusions and recommendations by legal provision."""

from __future__ import annotations

import streamlit as st

from wivgraph import browse
from wivgraph.app import state


@st.cache_data(show_spinner=False)
def _findings(inferred: bool, lang: str) -> dict[str, list[browse.FindingRow]]:
    return browse.findings_by_provision(state.corpus().graph(inferred), lang)


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.findings"))
    groups = _findings(ctx.inferred, ctx.lang)
    if not groups:
        st.info(ctx.t("fi.none"))
        return
    for provision, rows in groups.items():
        title = provision or ctx.t("fi.no_provision")
        with st.expander(f"{title} ({len(rows)})", expanded=False):
            if rows[0].provision:
                state.entity_link(ctx, rows[0].provision, f"{ctx.t('page.entity')}: {title}")
            for row in rows:
                with st.container(border=True):
                    state.entity_link(ctx, row.iri, f"{row.kind}: {row.label}")
                    if row.verdict:
                        st.markdown(f"**{ctx.t('fi.verdict')}:** {state.md(row.verdict)}")
                    line = state.source_line(ctx, row.source, row.quote)
                    if line:
                        st.caption(line)
