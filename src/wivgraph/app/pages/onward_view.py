"""The Doorgeven page body over ``wivgraph.onward`` (kept apart so the page works without it)."""

from __future__ import annotations

import streamlit as st

from wivgraph import onward as onward_mod
from wivgraph.app import state
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import DATACAT

DEFAULT_CATEGORY = str(DATACAT["ciic-data"])
MODALITY = {
    "Obligation": ("verplichting", "obligation"),
    "Permission": ("bevoegdheid", "permission"),
    "Prohibition": ("verbod", "prohibition"),
}


def render(ctx: state.Context, ask_onward) -> None:
    graph = ctx.graph
    categories = [str(c) for c in onward_mod.data_categories(graph)]
    if not categories:
        st.info(ctx.t("onw.none"))
        return
    wanted = st.query_params.get("category")
    key = state.lang_key("onw_category")  # re-labelled on a language switch
    if wanted in categories and key not in st.session_state:
        st.session_state[key] = wanted
    if key not in st.session_state:
        st.session_state[key] = DEFAULT_CATEGORY if DEFAULT_CATEGORY in categories else categories[0]
    category = st.selectbox(ctx.t("onw.pick"), categories, format_func=ctx.label, key=key)
    try:
        answer = _answer(category, ctx.inferred, ctx.lang)
    except WivgraphError as exc:
        st.error(ctx.t("sp.error", msg=state.md(exc)))
        return
    cat = state.md(ctx.label(category))
    st.subheader(onward_mod.TEXT[ctx.lang]["title"].format(cat=cat))
    steps = [s for s in answer.steps if _document(s.source) not in ctx.excluded]
    hidden = len(answer.steps) - len(steps)
    if not steps:
        st.info(onward_mod.TEXT[ctx.lang]["none"].format(cat=cat))
    words = onward_mod.TEXT[ctx.lang]
    for number, step in enumerate(steps, start=1):
        _show_step(ctx, number, step, words)
    retained = [s for s in answer.retained if _document(s.source) not in ctx.excluded]
    hidden += len(answer.retained) - len(retained)
    if retained:
        st.markdown(f"**{words['retained']}**")
        for number, step in enumerate(retained, start=len(steps) + 1):
            _show_step(ctx, number, step, words, recipients=False)
    if hidden:
        st.info(ctx.t("ent.hidden", n=hidden))
    if steps:
        st.caption(words["note"])


def _show_step(ctx: state.Context, number: int, step, words: dict, *, recipients=True) -> None:
    """One norm of the answer: modality, bearer, action, recipients, conditions, source, quote."""
    with st.container(border=True):
        nl_en = MODALITY.get(step.modality, (step.modality, step.modality))
        modality = nl_en[0 if ctx.lang == "nl" else 1]
        st.markdown(f"**{number}. {state.md(ctx.label(step.source))}** — {modality}")
        state.entity_link(ctx, str(step.norm), ctx.label(step.norm))
        rows = [(words["who"], step.actors), (words["action"], step.actions)]
        if recipients or step.scopes:
            rows.append((words["to"], step.scopes))
        for title, nodes in rows:
            shown = "; ".join(sorted(ctx.label(n) for n in nodes)) or words["any"]
            st.markdown(f"**{title}:** {state.md(shown)}")
            if nodes is step.actors:
                _show_bearer_reasons(ctx, step, words)
        if step.conditions:
            st.markdown(f"**{words['conditions']}:**")
            for cond in sorted(step.conditions.values(), key=lambda c: str(c.kind)):
                if cond.text:  # worded by the evaluator (names who must consent)
                    quote = state.md(" ".join(cond.quote.split()))
                    st.markdown(f"- {state.md(cond.text)}: “{quote}”")
                    continue
                who = ""
                if cond.consenting:
                    parties = "; ".join(sorted(ctx.label(n) for n in cond.consenting))
                    who = f" ({words['consent_of']} {state.md(parties)})"
                quote = state.md(" ".join(cond.quote.split()))
                st.markdown(f"- {state.md(ctx.label(cond.kind))}{who}: “{quote}”")
        else:
            st.markdown(f"**{words['conditions']}:** {words['no_condition']}")
        st.caption(state.source_line(ctx, str(step.source), step.quote))
        state.entity_link(ctx, str(step.source))


def _show_bearer_reasons(ctx: state.Context, step, words: dict) -> None:
    """Why a bearer the lid does not name bears the norm, with the lid and its words."""
    for bearer in sorted(step.bearer_reasons, key=ctx.label):
        for reason in step.bearer_reasons[bearer]:
            text = onward_mod.reason_text(reason, words)
            st.markdown(f"- {state.md(ctx.label(bearer))}: {state.md(text)}")


@st.cache_resource(show_spinner=False, max_entries=128)
def _answer(category: str, inferred: bool, lang: str):
    return onward_mod.ask_onward(state.corpus().answer_store(inferred), category, lang=lang)


def _document(source) -> str:
    text = str(source)
    prefix = "https://w3id.org/wivgraph/id/doc/"
    if not text.startswith(prefix):
        return text
    return prefix + text[len(prefix) :].split("/", 1)[0]
