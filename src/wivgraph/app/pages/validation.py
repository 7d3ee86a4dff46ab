"""Validatie: the SHACL report, grouped by severity and thing, in the chosen language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wivgraph.app import state
from wivgraph.app.i18n import STRINGS
from wivgraph.errors import WivgraphError
from wivgraph.validate import Report, compact, validate_dataset


@st.cache_resource(show_spinner="SHACL…")
def _report(lang: str) -> Report:
    """The explorer's data against shapes/: on its own store (the same report as `wivgraph
    validate`, remembered in the build cache folder as there), or, when classified content was
    withheld, on the public view it shows."""
    corpus = state.corpus()
    if corpus.store is None:
        return validate_dataset(corpus.dataset, lang=lang)
    from wivgraph import fast  # noqa: PLC0415
    from wivgraph.validate import remembered_report  # noqa: PLC0415

    def compute() -> Report:
        return fast.validate_fast(corpus.store, fast.load_shapes(), lang=lang)

    if corpus.endpoint:  # another server's data: nothing of the local files' report applies
        return compute()
    return remembered_report(None, lang, compute)


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.validation"))
    if ctx.on:  # the sidebar date does not apply here; say so rather than ignore it silently
        st.info(ctx.t("date.why.validation", date=ctx.fdate(ctx.on)))
    try:
        report = _report(ctx.lang)
    except WivgraphError as exc:
        st.error(state.md(exc))
        return
    except Exception as exc:  # a library failure must still read as a message, not a traceback
        st.error(ctx.t("sp.error", msg=state.md(f"{type(exc).__name__}: {exc}")))
        return
    v, w = len(report.violations), len(report.warnings)
    if not report.conforms:
        st.error(ctx.t("val.bad", v=v, w=w))
    elif w:
        st.warning(ctx.t("val.warn", w=w))
    else:
        st.success(ctx.t("val.ok"))
    for severity in ("Violation", "Warning", "Info"):
        issues = [i for i in report.issues if i.severity == severity]
        if not issues:
            continue
        key = f"val.sev.{severity}"
        heading = ctx.t(key) if key in STRINGS else severity
        st.subheader(f"{heading} ({len(issues)})")
        by_focus: dict[str, list] = {}
        for issue in issues:
            by_focus.setdefault(issue.focus, []).append(issue)
        for focus, group in by_focus.items():
            with st.expander(f"{state.md(group[0].focus_label)} ({len(group)})"):
                state.entity_link(ctx, focus)
                frame = pd.DataFrame(
                    [
                        {
                            ctx.t("val.col.message"): i.message,
                            ctx.t("val.col.path"): _name(ctx, i.path),
                            ctx.t("val.col.value"): _name(ctx, i.value),
                            ctx.t("val.col.source"): ctx.label(i.source_lid)
                            if i.source_lid
                            else "",
                            ctx.t("val.col.shape"): _shape_name(i.source_shape, ctx.lang),
                        }
                        for i in group
                    ]
                )
                st.dataframe(frame, hide_index=True, key=f"val_{severity}_{focus}")


def _name(ctx, text: str) -> str:
    """A path, value or shape by its name in the reader's language ("—" when empty)."""
    if not text:
        return "—"
    from wivgraph.query import expand_iri  # noqa: PLC0415

    iri = expand_iri(text) if ":" in text else None
    if iri is None:
        return text
    graph = ctx.graph
    from rdflib.namespace import SH  # noqa: PLC0415

    for name in graph.objects(iri, SH.name):
        if getattr(name, "language", None) == ctx.lang:
            return str(name)
    shown = ctx.label(iri)
    return compact(iri) if shown == str(iri) else shown


@st.cache_resource(show_spinner=False)
def _shape_names() -> dict[str, dict[str, str]]:
    """sh:name of every shape in shapes/, by language."""
    from rdflib.namespace import SH  # noqa: PLC0415

    from wivgraph.load import load_shapes  # noqa: PLC0415

    names: dict[str, dict[str, str]] = {}
    for shape, name in load_shapes().subject_objects(SH.name):
        names.setdefault(str(shape), {})[getattr(name, "language", None) or "nl"] = str(name)
    return names


def _shape_name(iri: str, lang: str) -> str:
    """A shape by its sh:name in ``lang`` (else Dutch), else its short identifier."""
    names = _shape_names().get(iri, {})
    return names.get(lang) or names.get("nl") or compact(iri)
