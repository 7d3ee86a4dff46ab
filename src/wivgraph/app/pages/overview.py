"""Overzicht: what is in the graph, and the instruments on a timeline."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from wivgraph import browse
from wivgraph.app import state
from wivgraph.load import dataset_stats


@st.cache_data(show_spinner=False)
def _stats() -> dict:
    return dataset_stats(state.corpus().dataset)


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
            st.altair_chart(_timeline(ctx, dated), key="ov_timeline")
        table = pd.DataFrame(
            [
                {
                    ctx.t("ov.col.label"): i.label,
                    ctx.t("ov.col.kind"): i.kind,
                    ctx.t("ov.col.dated"): i.dated,
                    ctx.t("ov.col.start"): i.start,
                    ctx.t("ov.col.end"): i.end,
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
                {ctx.t("ov.col.graph"): browse.compact(name), ctx.t("ov.col.count"): n}
                for name, n in stats["graphs"].items()
            ]
        )
        st.dataframe(graphs, hide_index=True, key="ov_graphs")


def _timeline(ctx: state.Context, dated: list[browse.Instrument]) -> alt.Chart:
    today = pd.Timestamp.today().normalize()
    frame = pd.DataFrame(
        [
            {
                "label": i.short,
                "start": pd.Timestamp(i.start),
                "end": pd.Timestamp(i.end) if i.end else today,
                "kind": i.kind or "—",
            }
            for i in dated
        ]
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("kind:N", title=ctx.t("ov.col.kind")),
            tooltip=["label", "start:T", "end:T", "kind"],
        )
    )
    if ctx.on:
        rule = (
            alt.Chart(pd.DataFrame({"on": [pd.Timestamp(ctx.on)]}))
            .mark_rule(color="red")
            .encode(x="on:T")
        )
        return bars + rule
    return bars
