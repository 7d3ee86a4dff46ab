"""The Scenario page body over ``wivgraph.check`` (kept apart so the page works without it)."""

from __future__ import annotations

from datetime import date

import streamlit as st
from rdflib import URIRef
from rdflib.namespace import SKOS

from wivgraph import browse
from wivgraph.app import state
from wivgraph.check import AGREEMENT_BREACH, CARELESS, CONDITIONAL, FORBIDDEN, NO_RULE, PERMITTED, T
from wivgraph.check.scenarios import scenarios_from_data
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import ACTION, CONCEPT, DATACAT, ORGANISATION, SCOPE

SCHEMES = {
    "action": CONCEPT["scheme-actions"],
    "data_category": CONCEPT["scheme-data-categories"],
    "recipient_kind": CONCEPT["scheme-recipient-scopes"],
    "conditions": CONCEPT["scheme-condition-kinds"],
}
DEFAULTS = {
    "actor": str(ORGANISATION["aivd"]),
    "action": str(ACTION["pass-onward"]),
    "data_category": str(DATACAT["ciic-data"]),
    "recipient_kind": str(SCOPE["other-parties"]),
}
ALERT = {PERMITTED: st.success, CONDITIONAL: st.warning, FORBIDDEN: st.error, CARELESS: st.warning,
         AGREEMENT_BREACH: st.warning, NO_RULE: st.info}


@st.cache_data(show_spinner=False)
def _options(inferred: bool, lang: str) -> dict[str, list[str]]:
    graph = state.corpus().graph(inferred)
    out = {}
    for field_name, scheme in SCHEMES.items():
        concepts = [c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)]
        out[field_name] = sorted(
            (str(c) for c in concepts), key=lambda c: browse.label(graph, c, lang).casefold()
        )
    parties = {
        str(s)
        for s in set(graph.subjects())
        if isinstance(s, URIRef) and browse.node_kind(graph, s) in ("organisation", "cell")
    }
    out["party"] = sorted(parties, key=lambda c: browse.label(graph, c, lang).casefold())
    return out


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def render(ctx: state.Context, check_scenarios) -> None:
    options = _options(ctx.inferred, ctx.lang)
    none = [""]

    def pick(label: str, field_name: str, choices: list[str], optional: bool = False) -> str:
        values = (none if optional else []) + choices
        default = DEFAULTS.get(field_name)
        key = state.lang_key(f"sc_{field_name}")  # re-labelled on a language switch
        if key not in st.session_state:
            st.session_state[key] = default if default in values else values[0]
        return st.selectbox(
            label,
            values,
            format_func=lambda v: ctx.label(v) if v else "—",
            key=key,
        )

    with st.form("sc_form"):
        left, right = st.columns(2)
        with left:
            actor = pick(ctx.t("sc.actor"), "actor", options["party"])
            action = pick(ctx.t("sc.action"), "action", options["action"])
            category = pick(ctx.t("sc.category"), "data_category", options["data_category"], True)
            origin = pick(ctx.t("sc.origin"), "originating_party", options["party"], True)
        with right:
            recipient = pick(ctx.t("sc.recipient"), "recipient", options["party"], True)
            scope = pick(
                ctx.t("sc.recipient_kind"), "recipient_kind", options["recipient_kind"], True
            )
            consents = st.multiselect(
                ctx.t("sc.consents"),
                options["party"],
                format_func=ctx.label,
                placeholder=ctx.t("choose"),
                key=state.lang_key("sc_consents"),
            )
            met = st.multiselect(
                ctx.t("sc.met"),
                options["conditions"],
                format_func=ctx.label,
                placeholder=ctx.t("choose"),
                key=state.lang_key("sc_met"),
            )
            when = st.date_input(
                ctx.t("sc.date"),
                value=ctx.on or date.today(),
                format=state.date_format(ctx.lang),
                key="sc_date",
            )
        submitted = st.form_submit_button(ctx.t("sc.run"), type="primary", key="sc_run")
    if not submitted and "sc_last" not in st.session_state:
        return
    data = {
        "id": "explorer",
        "actor": _slug(actor),
        "action": _slug(action),
        "date": when.isoformat(),
    }
    for name, value in (
        ("data_category", category),
        ("originating_party", origin),
        ("recipient", recipient),
        ("recipient_kind", scope),
    ):
        if value:
            data[name] = _slug(value)
    if consents:
        data["consents"] = [_slug(c) for c in consents]
    if met:
        data["conditions"] = {_slug(c): "met" for c in met}
    st.session_state["sc_last"] = True
    try:
        raws = scenarios_from_data(data, "explorer")
        verdict = check_scenarios(ctx.corpus.answer_store(ctx.inferred), raws, lang=ctx.lang)[0]
    except WivgraphError as exc:
        st.error(ctx.t("sp.error", msg=state.md(exc)))
        return
    ALERT.get(verdict.verdict, st.info)(f"{ctx.t('sc.verdict')}: {verdict.label}")
    for heading, wanted in (("sc.unmet", "not-met"), ("sc.open", "unknown")):
        group = [c for c in verdict.conditions if c.status == wanted]
        if not group:
            continue
        st.subheader(ctx.t(heading))
        for cond in group:
            where = f" ({state.md(cond.source_label)})" if cond.source_label else ""
            st.markdown(f"- {state.md(cond.text)}{where}")
            if cond.quote:
                st.caption(f"“{state.md(' '.join(cond.quote.split()))}”")
    if verdict.deciding:
        st.subheader(ctx.t("sc.citations"))
        for norm in verdict.deciding:
            with st.container(border=True):
                kind = T[norm.modality][ctx.lang]
                status = T["careless_state" if norm.status == "careless" else norm.status][ctx.lang]
                state.entity_link(ctx, norm.iri, f"{norm.source_label} ({kind}, {status})")
                if norm.quote:
                    st.caption(f"“{state.md(' '.join(norm.quote.split()))}”")
                if norm.source:
                    state.entity_link(ctx, norm.source)
    if verdict.facts_used or verdict.unknown:
        used, unknown = st.columns(2)
        with used:
            st.markdown(f"**{ctx.t('sc.used')}**")
            for fact in verdict.facts_used:
                st.markdown(f"- {state.md(fact.label)}: {state.md(fact.value)}")
        with unknown:
            st.markdown(f"**{ctx.t('sc.unknown')}**")
            for fact in verdict.unknown:
                flag = f" — **{ctx.t('sc.deciding')}**" if fact.deciding else ""
                st.markdown(f"- {state.md(fact.label)}{flag}")
    if verdict.assumptions:
        with st.expander(ctx.t("sc.assumptions")):
            for line in verdict.assumptions:
                st.markdown(f"- {state.md(line)}")
    if verdict.trace:
        with st.expander(ctx.t("sc.trace")):
            st.code("\n".join(verdict.trace), language=None)
