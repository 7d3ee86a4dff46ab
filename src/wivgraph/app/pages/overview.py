"""Overzicht: what is in the graph, and the instruments on a timeline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from wivgraph import browse
from wivgraph.app import state


@st.cache_data(show_spinner=False)
def _stats() -> dict:
    return state.corpus().stats()


@st.cache_data(show_spinner=False)
def _instruments(inferred: bool, lang: str) -> list[browse.Instrument]:
    return browse.instruments(state.corpus().graph(inferred), lang)


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.overview"))
    st.caption(ctx.t("app.caption"))
    stats = _stats()
    instruments = [i for i in _instruments(ctx.inferred, ctx.lang) if i.iri not in ctx.excluded]
    left, middle, right = st.columns(3)
    left.metric(ctx.t("ov.triples"), f"{stats['triples']:,}".replace(",", "."))
    middle.metric(ctx.t("ov.graphs"), len(stats["graphs"]))
    right.metric(ctx.t("ov.instruments"), len(instruments))

    st.subheader(ctx.t("ov.timeline"))
    dated = [i for i in instruments if i.start]
    if not instruments:
        st.info(ctx.t("ov.no_instruments"))
    else:
        if dated:
            st.vega_lite_chart(_timeline(ctx, dated), key="ov_timeline")
        table = pd.DataFrame(
            [
                {
                    ctx.t("ov.col.label"): i.label,
                    ctx.t("ov.col.kind"): i.kind,
                    ctx.t("ov.col.dated"): ctx.fdate(i.dated),
                    ctx.t("ov.col.start"): ctx.fdate(i.start),
                    ctx.t("ov.col.end"): ctx.fdate(i.end),
                }
                for i in instruments
            ]
        )
        st.dataframe(table, hide_index=True, key="ov_instruments")
        with st.expander(ctx.t("page.entity")):
            for i in instruments:
                state.entity_link(ctx, i.iri, i.label)

    st.subheader(ctx.t("ov.classes"))
    graph = ctx.graph
    classes = pd.DataFrame(
        [
            {ctx.t("ov.col.class"): browse.label(graph, cls, ctx.lang), ctx.t("ov.col.count"): n}
            for cls, n in stats["classes"].items()
        ]
    )
    st.dataframe(classes, hide_index=True, key="ov_classes")
    with st.expander(ctx.t("ov.graphs")):
        graphs = pd.DataFrame(
            [
                {ctx.t("ov.col.graph"): graph_name(name), ctx.t("ov.col.count"): n}
                for name, n in stats["graphs"].items()
            ]
        )
        st.dataframe(graphs, hide_index=True, key="ov_graphs")


def graph_name(iri: str) -> str:
    """A named graph as the data file it comes from (``data/actors/cells``)."""
    from wivgraph.namespaces import PREFIXES  # noqa: PLC0415

    base = str(PREFIXES["graph"])
    return iri[len(base) :] if iri.startswith(base) else browse.compact(iri)


def _timeline(ctx: state.Context, dated: list[browse.Instrument]) -> dict:
    """A Vega-Lite spec: one bar per instrument from entry into force to its end (or today),
    and a red rule at the "geldig op" date. A plain spec, so the first load needs no Altair."""
    today = date.today().isoformat()
    date_format = "%Y-%m-%d" if ctx.lang == "en" else "%d-%m-%Y"
    values = [
        {
            "label": i.short,
            "start": i.start.isoformat(),
            "end": i.end.isoformat() if i.end else today,
            "kind": i.kind or "—",
        }
        for i in dated
    ]
    bars = {
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadius": 3},
        "encoding": {
            "x": {"field": "start", "type": "temporal", "title": None},
            "x2": {"field": "end"},
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 320},
            },
            "color": {"field": "kind", "type": "nominal", "title": ctx.t("ov.col.kind")},
            "tooltip": [  # titles and dates in the reader's language
                {"field": "label", "type": "nominal", "title": ctx.t("ov.col.label")},
                {"field": "start", "type": "temporal", "title": ctx.t("ov.col.start"),
                 "format": date_format},
                {"field": "end", "type": "temporal", "title": ctx.t("ov.col.end"),
                 "format": date_format},
                {"field": "kind", "type": "nominal", "title": ctx.t("ov.col.kind")},
            ],
        },
    }
    if not ctx.on:
        return bars
    rule = {
        "data": {"values": [{"on": ctx.on.isoformat()}]},
        "mark": {"type": "rule", "color": "red"},
        "encoding": {"x": {"field": "on", "type": "temporal"}},
    }
    return {"layer": [bars, rule]}
