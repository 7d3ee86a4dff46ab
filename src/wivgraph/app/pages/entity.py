"""Entiteit: every fact about one thing, grouped, each with its source lid and quote."""

from __future__ import annotations

import streamlit as st

from wivgraph import browse
from wivgraph.app import state
from wivgraph.errors import WivgraphError
from wivgraph.query import resolve_resource

MAX_PER_GROUP = 60


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.entity"))
    wanted = st.query_params.get("iri", "")
    typed = st.text_input(ctx.t("ent.input"), value=wanted, key="ent_iri", max_chars=2000)
    if typed.strip() and typed.strip() != wanted:
        wanted = typed.strip()
    if not wanted:
        st.info(ctx.t("ent.pick"))
        return
    graph = ctx.graph
    try:
        iri = resolve_resource(graph, wanted, "iri")
    except WivgraphError as exc:
        st.error(ctx.t("ent.unknown", iri=state.md(exc)))
        return
    if st.query_params.get("iri") != str(iri):
        st.query_params["iri"] = str(iri)
    desc = browse.describe(
        graph,
        iri,
        ctx.lang,
        inferred=ctx.corpus.inferred_triples() if ctx.inferred else None,
        statements=ctx.corpus.statement_index(ctx.inferred),
    )
    st.header(state.md(desc.label))
    with st.expander(ctx.t("ent.iri")):
        st.code(desc.iri, language=None)
    if str(iri) in ctx.excluded and ctx.on:
        st.warning(ctx.t("doc.not_in_force", date=ctx.fdate(ctx.on)))
    if desc.kinds:
        st.markdown(f"**{ctx.t('ent.kinds')}:** " + ", ".join(state.md(k) for _, k in desc.kinds))
    if desc.labels:
        names = ", ".join(
            f"{state.md(v)} ({lang})" if lang else state.md(v) for v, lang in desc.labels
        )
        st.markdown(f"**{ctx.t('ent.labels')}:** {names}")
    if desc.link:
        st.link_button(ctx.t("ent.wetten"), desc.link, key="ent_wetten")
    if desc.source or desc.quote:
        st.markdown(
            f"**{ctx.t('ent.own_source')}:** " + state.source_line(ctx, desc.source, desc.quote)
        )
        if desc.source:
            state.entity_link(ctx, desc.source)
    if desc.text:
        st.subheader(ctx.t("ent.text"))
        st.markdown(f"> {state.md(' '.join(desc.text.split()))}")

    hidden = 0
    for title, groups in ((ctx.t("ent.out"), desc.outgoing), (ctx.t("ent.in"), desc.incoming)):
        st.subheader(title)
        if not groups:
            st.caption(ctx.t("ent.no_facts"))
            continue
        for predicate, facts in groups.items():
            shown = [f for f in facts if (f.document or "") not in ctx.excluded]
            hidden += len(facts) - len(shown)
            if not shown:
                continue
            st.markdown(f"**{state.md(predicate)}**")
            for fact in shown[:MAX_PER_GROUP]:
                _fact(ctx, fact)
            if len(shown) > MAX_PER_GROUP:
                st.caption(f"… +{len(shown) - MAX_PER_GROUP}")
    if hidden:
        st.info(ctx.t("ent.hidden", n=hidden))


def _fact(ctx: state.Context, fact: browse.Fact) -> None:
    with st.container(border=True):
        if fact.is_resource:
            state.entity_link(ctx, fact.value, fact.value_label)
        else:
            st.markdown(state.md(fact.value_label))
        line = state.source_line(ctx, fact.source, fact.quote, fact.inferred)
        if line:
            st.caption(line)
        if fact.external_source:
            st.caption(f"{ctx.t('external')}: {state.md(fact.external_source)}")
