"""Rendering of query results: table with labels, links to entities, downloads."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from rdflib import Literal, URIRef

from wivgraph import browse
from wivgraph.app import state
from wivgraph.app.i18n import column_label
from wivgraph.query import QueryResult, format_result

MAX_LINKS = 40


def show(ctx: state.Context, result: QueryResult, key: str, row_limit: int) -> None:
    """The answer of a query: yes/no for ASK, else a table, downloads and entity links."""
    if result.boolean is not None:
        st.success(ctx.t("q.ask_true") if result.boolean else ctx.t("q.ask_false"))
        return
    if result.truncated:
        st.warning(ctx.t("truncated", n=row_limit))
    st.caption(ctx.t("rows", n=len(result.rows)))
    graph = ctx.graph
    inferred = ctx.corpus.inferred_triples() if ctx.inferred else None
    shown = shown_columns(result.variables)
    names = set(result.variables)
    headers = column_headers(
        [v[: -len("Label")] if v.endswith("Label") and v[: -len("Label")] in names else v
         for v in shown],
        ctx.lang,
    )
    frame = pd.DataFrame(
        [[_cell(graph, row.get(var), ctx.lang) for var in shown] for row in result.rows],
        columns=headers,
    )
    widths = {
        h: "large" if var in LONG_TEXT or var in SOURCES else "medium"
        for var, h in zip(shown, headers, strict=True)
    }
    st.dataframe(
        frame,
        hide_index=True,
        key=f"{key}_table",
        column_config={h: st.column_config.TextColumn(h, width=w) for h, w in widths.items()},
    )
    left, right = st.columns(2)
    left.download_button(
        ctx.t("download.csv"),
        format_result(result, "csv"),
        file_name="wivgraph.csv",
        mime="text/csv",
        key=f"{key}_csv",
    )
    right.download_button(
        ctx.t("download.json"),
        json.dumps(result.to_json(), ensure_ascii=False, indent=2),
        file_name="wivgraph.json",
        mime="application/sparql-results+json",
        key=f"{key}_json",
    )
    iris = []
    for row in result.rows:
        for value in row.values():
            if isinstance(value, URIRef) and str(value) not in iris:
                iris.append(str(value))
    if iris:
        with st.expander(ctx.t("page.entity") + f" ({len(iris)})"):
            for iri in iris[:MAX_LINKS]:
                state.entity_link(ctx, iri, ctx.label(iri))
            if len(iris) > MAX_LINKS:
                st.caption(f"… +{len(iris) - MAX_LINKS}")
    if inferred is not None and len(inferred):
        st.caption(ctx.t("inferred") + ": OWL RL")


#: variables holding long text (quotes, descriptions): shown last, so the short columns and the
#: source ("bron") fit on a 1440 px screen
LONG_TEXT = {"quote", "text", "description", "comment", "snippet", "summary", "definition"}


#: variables naming the source lid: wide enough to read "artikel 9, lid 1, onderdeel a — ..."
SOURCES = {"source", "sourceLid", "provision", "lid"}


def shown_columns(variables: list[str]) -> list[str]:
    """The variables shown in the table: ``x`` is left out when ``xLabel`` is there too (the
    label names the same thing; the downloads keep both), long text goes last."""
    names = set(variables)
    kept = [v for v in variables if f"{v}Label" not in names]
    return [v for v in kept if v not in LONG_TEXT] + [v for v in kept if v in LONG_TEXT]


def column_headers(variables: list[str], lang: str) -> list[str]:
    """Readable, unique headers for the result table (downloads keep the variable names)."""
    headers: list[str] = []
    for var in variables:
        header = column_label(var, lang)
        headers.append(header if header not in headers else f"{header} ({var})")
    return headers


def _cell(graph, value, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, URIRef):
        return browse.label(graph, value, lang)
    if isinstance(value, Literal):
        return " ".join(str(value).split())
    return str(value)
