"""Netwerk: organisations, cells and instruments and how they are connected.

Projections come from the library: the cooperation and data-flow networks of
``wivgraph.network`` and the instrument network of ``wivgraph.browse``. The component
(st-link-analysis, Cytoscape.js) keeps its layout between reruns; clicking a node opens its
entity page.
"""

from __future__ import annotations

import warnings

import streamlit as st

from wivgraph import browse
from wivgraph import network as network_mod
from wivgraph.app import state

PROJECTIONS = ("cooperation", "flows", "instruments")
COLOURS = {
    "ORGANISATION": "#1f6feb",
    "UNIT": "#0ea5e9",
    "OFFICE": "#7c3aed",
    "CELL": "#d97706",
    "ROLE": "#16a34a",
    "INSTRUMENT": "#6b7280",
    "OTHER": "#9ca3af",
}


@st.cache_data(show_spinner=False, max_entries=64)
def _elements(projection: str, inferred: bool, lang: str, on, excluded: frozenset) -> dict:
    graph = state.corpus().graph(inferred)
    if projection == "instruments":
        return browse.network(graph, lang, exclude_iris=set(excluded))
    if projection == "flows":
        net = network_mod.data_flow_network(graph, on=on, lang=lang)
    else:
        net = network_mod.cooperation_network(graph, on=on, lang=lang)
    nodes = [
        {
            "data": {
                "id": node,
                "label": str(data.get("kind", "other")).upper(),
                "name": data.get("short") or data.get("label") or node,
            }
        }
        for node, data in net.nodes(data=True)
    ]
    edges = []
    for number, (a, b, data) in enumerate(net.edges(data=True)):
        if projection == "flows":
            text = data.get("category_label") or data.get("modality", "")
        else:
            text = ", ".join(sorted({r["type"] for r in data.get("relations", [])}))
        edges.append({"data": {"id": f"e{number}", "source": a, "target": b, "label": text}})
    return {"nodes": nodes, "edges": edges}


@st.cache_data(show_spinner=False, max_entries=64)
def _centrality(inferred: bool, lang: str, on) -> list[dict]:
    graph = state.corpus().graph(inferred)
    return network_mod.centrality(network_mod.cooperation_network(graph, on=on, lang=lang))


def render() -> None:
    ctx = state.context()
    st.title(ctx.t("page.network"))
    projection = st.radio(
        ctx.t("net.projection"),
        PROJECTIONS,
        format_func=lambda p: ctx.t(f"net.proj.{p}"),
        horizontal=True,
        key="net_projection",
    )
    elements = _elements(projection, ctx.inferred, ctx.lang, ctx.on, frozenset(ctx.excluded))
    kinds = sorted({n["data"]["label"] for n in elements["nodes"]})
    shown_kinds = st.multiselect(
        ctx.t("net.kinds"),
        kinds,
        default=kinds,
        format_func=lambda k: (
            ctx.t(f"net.kind.{k.lower()}") if f"net.kind.{k.lower()}" in _KINDS else k.lower()
        ),
        key=f"net_kinds_{projection}",
    )
    keep = {n["data"]["id"] for n in elements["nodes"] if n["data"]["label"] in shown_kinds}
    elements = {
        "nodes": [n for n in elements["nodes"] if n["data"]["id"] in keep],
        "edges": [
            e
            for e in elements["edges"]
            if e["data"]["source"] in keep and e["data"]["target"] in keep
        ],
    }
    if not elements["nodes"]:
        st.info(ctx.t("net.empty"))
        return
    st.caption(
        ctx.t("net.count", n=len(elements["nodes"]), e=len(elements["edges"]))
        + " · "
        + ctx.t("net.hint")
    )
    from st_link_analysis import EdgeStyle, Event, NodeStyle, st_link_analysis  # noqa: PLC0415

    node_styles = [NodeStyle(kind, colour, "name") for kind, colour in COLOURS.items()]
    edge_labels = sorted({e["data"]["label"] for e in elements["edges"]})
    with warnings.catch_warnings():  # the component warns about a parameter we do not use
        warnings.simplefilter("ignore")
        edge_styles = [
            EdgeStyle(name, caption="label", directed=projection != "cooperation")
            for name in edge_labels
        ]
    event = st_link_analysis(
        elements,
        layout="cose",
        node_styles=node_styles,
        edge_styles=edge_styles,
        height=620,
        key=f"net_graph_{projection}",
        events=[Event("open_node", "click tap", "node")],
    )
    if isinstance(event, dict) and event.get("action") == "open_node":
        stamp = event.get("timestamp")
        target = (event.get("data") or {}).get("target_id")
        if target and stamp != st.session_state.get("net_last_event"):
            st.session_state["net_last_event"] = stamp
            st.switch_page(state.PAGES["entity"], query_params={"iri": target})
    with st.expander(ctx.t("net.list")):
        for node in sorted(elements["nodes"], key=lambda n: n["data"]["name"].casefold()):
            data = node["data"]
            state.entity_link(ctx, data["id"], f"{data['name']} ({data['label'].lower()})")
    if projection == "cooperation":
        with st.expander(ctx.t("net.centrality")):
            rows = _centrality(ctx.inferred, ctx.lang, ctx.on)
            st.dataframe(rows, hide_index=True, key="net_centrality")
        with st.expander(ctx.t("net.cut")):
            for cut in _cuts(ctx.inferred, ctx.lang, ctx.on):
                st.markdown(f"**{cut['label']}**: {', '.join(cut['isolates'])}")
    if projection == "flows":
        _paths_section(ctx)


@st.cache_data(show_spinner=False, max_entries=64)
def _cuts(inferred: bool, lang: str, on) -> list[dict]:
    graph = state.corpus().graph(inferred)
    return network_mod.cut_vertices(network_mod.cooperation_network(graph, on=on, lang=lang))


@st.cache_data(show_spinner=False, max_entries=64)
def _paths(inferred: bool, lang: str, on, source: str, target: str) -> list[dict]:
    graph = state.corpus().graph(inferred)
    flows = network_mod.data_flow_network(graph, on=on, lang=lang)
    return network_mod.paths_json(flows, network_mod.flow_paths(flows, source, target))


def _paths_section(ctx) -> None:
    """Through which parties can data of A reach B, and on which conditions at each hop?"""
    st.subheader(ctx.t("net.paths"))
    graph = state.corpus().graph(ctx.inferred)
    flows = network_mod.data_flow_network(graph, on=ctx.on, lang=ctx.lang)
    parties = sorted(flows.nodes, key=lambda n: flows.nodes[n]["label"].casefold())
    if len(parties) < 2:
        st.info(ctx.t("net.empty"))
        return
    name = {n: flows.nodes[n]["short"] for n in parties}
    left, right = st.columns(2)
    default_from = next((i for i, n in enumerate(parties) if n.endswith("/org/politie")), 0)
    default_to = next((i for i, n in enumerate(parties) if n.endswith("/org/ind")), 1)
    source = left.selectbox(
        ctx.t("net.from"), parties, index=default_from, format_func=name.get, key="net_path_from"
    )
    target = right.selectbox(
        ctx.t("net.to"), parties, index=default_to, format_func=name.get, key="net_path_to"
    )
    paths = _paths(ctx.inferred, ctx.lang, ctx.on, source, target)
    if not paths:
        st.info(ctx.t("net.nopath"))
        return
    for number, path in enumerate(paths, start=1):
        st.markdown(f"**{ctx.t('net.path', n=number)}**: {' → '.join(path['labels'])}")
        for hop in path["hops"]:
            marker = ctx.t("net.consent") if hop["needs_consent"] else ctx.t("net.noconsent")
            st.markdown(
                f"- {name.get(hop['from'], hop['from'])} → "
                f"{name.get(hop['to'], hop['to'])} ({marker})"
            )
            for norm in hop["norms"] + hop["onward"]:
                conditions = ", ".join(
                    c["kind_label"]
                    + (f" ({', '.join(c['consenting'])})" if c["consenting"] else "")
                    for c in norm["conditions"]
                )
                state.entity_link(ctx, norm["source"])
                st.caption(f"“{norm['quote']}”" + (f" — {conditions}" if conditions else ""))


_KINDS = {
    "net.kind.organisation",
    "net.kind.unit",
    "net.kind.office",
    "net.kind.cell",
    "net.kind.role",
    "net.kind.instrument",
}
