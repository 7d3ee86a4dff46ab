"""Convenantentoets: a convenant × aanwijzing table with outcomes and links to both texts, and a
draft uploaded by the user tested the same way. Nothing is written to data/ unless the user saves
the draft; then the text and its structure are written atomically (wivgraph.atomic)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import streamlit as st
from rdflib import Graph, URIRef

from wivgraph import paths
from wivgraph import toets as toets_mod
from wivgraph.app import state
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import DOC, WIV


@st.cache_resource(show_spinner=False)
def _shapes() -> Graph:
    return toets_mod.load_toets_shapes()


@st.cache_data(show_spinner=False)
def _outcomes(slug: str, inferred: bool, lang: str) -> list[toets_mod.Outcome]:
    return toets_mod.toets(state.corpus().graph(inferred), slug, _shapes(), lang)


def _table(ctx, outcomes: list[toets_mod.Outcome], key: str) -> None:
    if outcomes and outcomes[0].warning:
        st.warning(state.md(outcomes[0].warning))
    counts = Counter(o.outcome for o in outcomes)
    st.caption(state.md(", ".join(f"{k}: {counts[k]}" for k in toets_mod.OUTCOMES if counts[k])))
    rows = [{
        ctx.t("to.col.aanwijzing"): o.aanwijzing,
        ctx.t("to.col.lid"): o.lid or "",
        ctx.t("to.col.outcome"): o.outcome,
        ctx.t("to.col.provision"): (o.provision or "").split("/id/doc/", 1)[-1],
        ctx.t("to.col.reason"): o.reason,
        ctx.t("to.col.quote"): o.quote,
    } for o in outcomes]
    st.dataframe(rows, hide_index=True, width="stretch", key=f"{key}-table")  # plain text cells


def _links(ctx, outcomes: list[toets_mod.Outcome], graph: Graph) -> None:
    with st.expander(ctx.t("to.links")):
        for n, o in enumerate(o for o in outcomes if o.outcome in ("voldoet", "voldoet-niet")):
            st.markdown(f"**{state.md(o.aanwijzing + ('.' + o.lid if o.lid else ''))}** — {state.md(o.outcome)}")
            source = graph.value(URIRef(o.requirement), WIV.source)
            if source is not None:
                state.entity_link(ctx, str(source), key=f"to-a-{n}")
            if o.provision:
                state.entity_link(ctx, o.provision, key=f"to-p-{n}")


def _draft(ctx) -> None:
    st.subheader(ctx.t("to.draft"))
    st.caption(ctx.t("to.draft_help"))
    upload = state.file_uploader(ctx, ctx.t("to.upload"), ["txt"], "toets-upload")
    slug = st.text_input(ctx.t("to.slug"), value="convenant-concept", key="toets-slug").strip()
    if upload is None:
        return
    from wivgraph.ingest.common import check_slug  # noqa: PLC0415
    from wivgraph.ingest.convenant import ingest_convenant  # noqa: PLC0415

    try:
        check_slug(slug)
        with tempfile.TemporaryDirectory() as folder:  # outside data/: nothing is stored
            source = Path(folder) / f"{slug}.txt"
            source.write_bytes(upload.getvalue())
            draft = ingest_convenant(source, slug)
        graph = Graph()
        for triple in ctx.graph:
            graph.add(triple)
        graph += draft
        outcomes = toets_mod.toets(graph, slug, _shapes(), ctx.lang)
    except (WivgraphError, UnicodeDecodeError) as exc:
        st.error(ctx.t("to.error", error=state.md(exc)))
        return
    _table(ctx, outcomes, "draft")
    if st.button(ctx.t("to.save"), key="toets-save"):
        _save(ctx, slug, upload.getvalue(), draft)


def _save(ctx, slug: str, text: bytes, draft: Graph) -> None:
    from wivgraph.atomic import write_atomic  # noqa: PLC0415
    from wivgraph.ingest.writer import to_turtle  # noqa: PLC0415

    source = paths.sources_dir() / f"{slug}.txt"
    target = paths.data_dir() / "documents" / f"{slug}.ttl"
    if source.exists() or target.exists():
        st.error(ctx.t("to.exists", slug=state.md(slug)))
        return
    write_atomic(source, text)
    write_atomic(target, to_turtle(draft))
    st.success(ctx.t("to.saved", files=state.md(f"{source.name}, {target.name}")))


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.toets"))
    st.caption(ctx.t("to.intro"))
    slugs = [s for s in toets_mod.convenants(ctx.graph) if (None, WIV.document, DOC[s]) in ctx.graph]
    if not slugs:
        st.info(ctx.t("to.none"))
    else:
        slug = st.selectbox(ctx.t("to.convenant"), slugs, key="toets-convenant",
                            format_func=lambda s: ctx.label(DOC[s]))
        try:
            outcomes = _outcomes(slug, ctx.inferred, ctx.lang)
        except WivgraphError as exc:
            st.error(state.md(exc))
        else:
            _table(ctx, outcomes, "corpus")
            _links(ctx, outcomes, ctx.graph)
    _draft(ctx)
