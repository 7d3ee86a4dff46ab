"""Bevindingen: CTIVD findings, conclusions and recommendations by legal provision.

With "geldig op" set, only what the Commissie had published by that date is shown: a finding
dates from its report (``eli:date_document`` of the document of its source section). The cases
themselves carry no date in the data, so there is nothing else to filter on.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from rdflib import URIRef

from wivgraph import browse
from wivgraph.app import state
from wivgraph.namespaces import ELI, WIV
from wivgraph.temporal import as_date


@st.cache_data(show_spinner=False)
def _findings(inferred: bool, lang: str) -> dict[str, list[browse.FindingRow]]:
    return browse.findings_by_provision(state.corpus().graph(inferred), lang)


@st.cache_data(show_spinner=False)
def _report_dates(inferred: bool) -> dict[str, date | None]:
    """Finding IRI -> the date of the report it comes from (None when the data gives none)."""
    graph = state.corpus().graph(inferred)
    dates: dict[str, date | None] = {}
    for rows in _findings(inferred, "nl").values():
        for row in rows:
            document = graph.value(URIRef(row.source), WIV.document) if row.source else None
            dates[row.iri] = as_date(graph.value(document, ELI.date_document)) if document else None
    return dates


def published_by(rows: list[browse.FindingRow], dates: dict, on: date | None) -> list:
    """The rows whose report was published on or before ``on`` (undated rows stay)."""
    if on is None:
        return rows
    return [r for r in rows if dates.get(r.iri) is None or dates[r.iri] <= on]


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.findings"))
    groups = _findings(ctx.inferred, ctx.lang)
    if not groups:
        st.info(ctx.t("fi.none"))
        return
    if ctx.on:
        dates = _report_dates(ctx.inferred)
        before = sum(len(rows) for rows in groups.values())
        groups = {p: published_by(rows, dates, ctx.on) for p, rows in groups.items()}
        groups = {p: rows for p, rows in groups.items() if rows}
        after = sum(len(rows) for rows in groups.values())
        st.caption(ctx.t("fi.date", date=ctx.fdate(ctx.on), n=before - after))
        if not groups:
            st.info(ctx.t("fi.none_on", date=ctx.fdate(ctx.on)))
            return
    for provision, rows in groups.items():
        title = provision or ctx.t("fi.no_provision")
        with st.expander(f"{state.md(title)} ({len(rows)})", expanded=False):
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
