"""SPARQL: a read-only editor with the prefixes filled in and the catalogue as examples.

Every query passes the gate (UPDATE, LOAD, SERVICE and FROM are refused), runs with a row limit
and a time limit, and input is at most ``state.MAX_QUERY_BYTES``. Gate, parse and evaluation run
in a child process that is killed when the time limit passes (``wivgraph.sandbox``), the same
bounded path as ``wivgraph query run``.
"""

from __future__ import annotations

import streamlit as st

from wivgraph.app import results, state
from wivgraph.errors import QueryRefused, WivgraphError
from wivgraph.namespaces import sparql_prologue
from wivgraph.query import catalogue

STARTER = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o .\n}\nLIMIT 20\n"


def _examples() -> dict[str, str]:
    try:
        return {name: q.text for name, q in catalogue().items()}
    except WivgraphError:
        return {}


def _load_example() -> None:
    name = st.session_state.get("sp_example")
    examples = _examples()
    st.session_state["sp_text"] = examples.get(name, sparql_prologue() + STARTER)


def _example_title(name: str, lang: str) -> str:
    """A catalogue question by its sentence in ``lang`` (blanks as …), not by its file name."""
    from wivgraph.app.pages.questions import BLANK, _catalogue  # noqa: PLC0415

    question = _catalogue().get(name)
    if question is None:
        return name
    return BLANK.sub("…", question.sentence(lang))


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.sparql"))
    if ctx.on:  # the sidebar date does not apply here; say so rather than ignore it silently
        st.info(ctx.t("date.why.sparql", date=ctx.fdate(ctx.on)))
    limit_kb = state.MAX_QUERY_BYTES // 1024
    st.caption(
        ctx.t("sp.limits", t=f"{state.QUERY_TIME_LIMIT:g}", r=state.MAX_ROW_LIMIT, k=limit_kb)
    )
    if "sp_pending" in st.session_state:
        st.session_state["sp_text"] = st.session_state.pop("sp_pending")
    if "sp_text" not in st.session_state:
        st.session_state["sp_text"] = sparql_prologue() + STARTER
    examples = _examples()
    st.selectbox(
        ctx.t("sp.example"),
        [""] + list(examples),
        format_func=lambda n: _example_title(n, ctx.lang) if n else ctx.t("sp.example_none"),
        key="sp_example",
        on_change=_load_example,
    )
    text = st.text_area(ctx.t("sp.editor"), key="sp_text", height=320)
    upload = state.file_uploader(ctx, ctx.t("sp.upload"), ["rq", "sparql", "txt"], "sp_upload")
    rows = st.number_input(
        ctx.t("sp.rows"),
        min_value=1,
        max_value=state.MAX_ROW_LIMIT,
        value=state.QUERY_ROW_LIMIT,
        step=100,
        key="sp_rows",
    )
    run = st.button(ctx.t("sp.run"), type="primary", key="sp_run")
    if upload is not None:
        raw = upload.getvalue()
        if len(raw) > state.MAX_QUERY_BYTES:
            st.error(ctx.t("sp.too_big", n=len(raw) // 1024, k=limit_kb))
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            st.error(ctx.t("sp.not_utf8", name=state.md(upload.name)))
            return
    if not run and upload is None:
        return
    if len(text.encode("utf-8")) > state.MAX_QUERY_BYTES:
        st.error(ctx.t("sp.too_big", n=len(text.encode("utf-8")) // 1024, k=limit_kb))
        return
    try:
        with st.spinner("SPARQL…"):
            # gate, parse and evaluation in a child process killed at the time limit
            result = ctx.corpus.query_sandbox(ctx.inferred).query(
                text, row_limit=int(rows), time_limit=state.QUERY_TIME_LIMIT
            )
    except QueryRefused as exc:
        st.error(ctx.t("sp.refused", msg=state.md(exc)))
        return
    except WivgraphError as exc:
        st.error(ctx.t("sp.error", msg=state.md(exc)))
        return
    results.show(ctx, result, key="sp", row_limit=int(rows))
