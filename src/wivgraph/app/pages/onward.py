"""Doorgeven: who may pass data of a category onward, to whom, on what condition."""

from __future__ import annotations

import streamlit as st

from wivgraph.app import state

ONWARD = ("wivgraph.onward", "ask_onward")


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.onward"))
    st.markdown(ctx.t("onw.intro"))
    answer = state.optional(*ONWARD)
    if answer is None:
        st.info(ctx.t("not_available", module=".".join(ONWARD)))
        return
    from wivgraph.app.pages import onward_view  # noqa: PLC0415

    onward_view.render(ctx, answer)
