"""Scenario: a form for the checker; verdict, conditions and citations."""

from __future__ import annotations

import streamlit as st

from wivgraph.app import state

CHECKER = ("wivgraph.check", "check_scenarios")


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.scenario"))
    st.markdown(ctx.t("sc.intro"))
    checker = state.optional(*CHECKER)
    if checker is None:
        st.info(ctx.t("not_available", module=".".join(CHECKER)))
        return
    from wivgraph.app.pages import scenario_view  # noqa: PLC0415

    scenario_view.render(ctx, checker)
