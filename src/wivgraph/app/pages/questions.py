"""Vragen: the question catalogue as sentences with blanks, parameter widgets and answers."""

from __future__ import annotations

import re
import time
from datetime import date

import streamlit as st
from rdflib import URIRef
from rdflib.namespace import RDF

from wivgraph import browse
from wivgraph.app import results, state
from wivgraph.errors import WivgraphError
from wivgraph.query import Question, bind_parameters, catalogue, expand_iri

BLANK = re.compile(r"\[([^\]]+)\]")
MAX_OPTIONS = 400


@st.cache_resource(show_spinner=False)
def _catalogue() -> dict[str, Question]:
    return catalogue()


@st.cache_data(show_spinner=False, max_entries=256)
def _candidates(default: str, inferred: bool, lang: str) -> list[tuple[str, str]]:
    """(IRI, label) of things of the same kind as a parameter's default value."""
    graph = state.corpus().graph(inferred)
    iri = expand_iri(default)
    if iri is None:
        return []
    found = {iri}
    for kind in graph.objects(iri, RDF.type):
        found.update(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
    pairs = sorted(
        ((str(n), browse.label(graph, n, lang)) for n in found), key=lambda p: p[1].casefold()
    )
    return pairs[:MAX_OPTIONS]


@st.cache_data(show_spinner="SPARQL…", max_entries=256)
def _answer(name: str, values: tuple, inferred: bool):
    """A catalogue answer, cached per question, parameter values and inference setting."""
    store = state.corpus().question_store(inferred)
    question = _catalogue()[name]
    return store.query(
        question.text,
        bind_parameters(question, dict(values), store=store),  # bound by the store's look-up
        row_limit=state.QUERY_ROW_LIMIT,
        time_limit=state.QUERY_TIME_LIMIT,
    )


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.questions"))
    try:
        questions = _catalogue()
    except WivgraphError as exc:
        st.error(state.md(exc))
        return
    if not questions:
        st.info(ctx.t("q.none"))
        return
    names = list(questions)
    wanted = st.query_params.get("q")
    pick = state.lang_key("q_pick")  # re-labelled on a language switch
    if wanted in questions and pick not in st.session_state:
        st.session_state[pick] = wanted
    name = st.selectbox(
        ctx.t("q.pick"),
        names,
        format_func=lambda n: BLANK.sub(r"…", questions[n].sentence(ctx.lang)),
        key=pick,
    )
    question = questions[name]
    values = _parameters(ctx, question)
    st.subheader(_sentence(question, ctx.lang, values, ctx))
    description = question_description(question, ctx.lang)
    if description:
        st.caption(description)
    started = time.perf_counter()
    try:
        result = _answer(name, tuple(sorted(values.items())), ctx.inferred)
    except WivgraphError as exc:
        st.error(ctx.t("sp.error", msg=state.md(exc)))
        result = None
    elapsed = (time.perf_counter() - started) * 1000
    if result is not None:
        st.markdown(f"**{ctx.t('q.answer')}** · {ctx.t('q.time', ms=elapsed)}")
        results.show(ctx, result, key=f"q_{name}", row_limit=state.QUERY_ROW_LIMIT)
    with st.expander(ctx.t("q.sparql")):
        st.code(question.text, language="sparql")
        if st.button(ctx.t("q.to_editor"), key="q_to_editor"):
            st.session_state["sp_pending"] = question.text
            st.switch_page(state.PAGES["sparql"])


def question_description(question: Question, lang: str) -> str:
    """The question's description in ``lang`` (``Question.describe``, from the header's
    ``description@nl``), else the one it has."""
    describe = getattr(question, "describe", None)
    if callable(describe):
        return describe(lang) or ""
    described = question.description
    if callable(described):
        return described(lang) or ""
    return question.header.get(f"description@{lang}") or described or ""


def parameter_label(param, lang: str) -> str:
    """A parameter's widget label in ``lang`` (``label(lang)`` if the catalogue has it)."""
    label = getattr(param, "label", None)
    if callable(label):
        return label(lang) or param.name
    if isinstance(label, dict):
        return label.get(lang) or label.get("nl") or param.description or param.name
    return param.description or param.name


def _parameters(ctx: state.Context, question: Question) -> dict[str, str]:
    values: dict[str, str] = {}
    if not question.parameters:
        return values
    columns = st.columns(min(3, len(question.parameters)))
    for number, param in enumerate(question.parameters):
        key = f"q_{question.name}_{param.name}"
        label = parameter_label(param, ctx.lang)
        with columns[number % len(columns)]:
            if param.type == "iri" and param.default:
                options = _candidates(param.default, ctx.inferred, ctx.lang)
                if options:
                    labels = dict(options)
                    default = str(expand_iri(param.default))
                    key = state.lang_key(key)
                    if key not in st.session_state or st.session_state[key] not in labels:
                        st.session_state[key] = default if default in labels else options[0][0]
                    values[param.name] = st.selectbox(
                        label, list(labels), format_func=labels.get, key=key
                    )
                    continue
            if param.type == "date":
                initial = ctx.on or (
                    date.fromisoformat(param.default) if param.default else date.today()
                )
                values[param.name] = st.date_input(
                    label, value=initial, format=state.date_format(ctx.lang), key=key
                ).isoformat()
            elif param.type == "integer":
                values[param.name] = str(
                    st.number_input(label, value=int(param.default or 0), step=1, key=key)
                )
            elif param.type == "boolean":
                values[param.name] = str(
                    st.checkbox(label, value=(param.default or "").lower() == "true", key=key)
                ).lower()
            else:
                text = st.text_input(label, value=param.default or "", key=key, max_chars=500)
                if text.strip():
                    values[param.name] = text
    return values


def _sentence(question: Question, lang: str, values: dict[str, str], ctx: state.Context) -> str:
    """The question sentence with each [blank] filled by the chosen value (in bold)."""
    sentence = question.sentence(lang)
    params = list(question.parameters)
    filled = iter(params)

    def fill(match: re.Match) -> str:
        param = next(filled, None)
        if param is None or param.name not in values:
            return f"**{match.group(1)}**"
        value = values[param.name]
        iri = expand_iri(value)
        shown = ctx.label(iri) if iri is not None else value
        return f"**{state.md(shown)}**"

    return BLANK.sub(fill, sentence)
