"""Netwerk: organisations, cells and instruments and how they are connected.

Projections come from the library: the cooperation and data-flow networks of
``wivgraph.network`` and the instrument network of ``wivgraph.browse``. Filters by node kind, by
the instrument a relation comes from and by relation type (data flows: modality and data
category) take their options from those networks, never from a list kept here. The drawing is
a Vega-Lite chart (Altair, bundled with Streamlit) at fixed positions: pointing at a node shows
its whole name, clicking it shows its facts below. Centrality, cut vertices and bridges are
computed on the network as shown.
"""

from __future__ import annotations

import math

import altair as alt
import networkx as nx
import streamlit as st
from rdflib import URIRef

from wivgraph import browse
from wivgraph import network as network_mod
from wivgraph.app import state
from wivgraph.app.i18n import STRINGS
from wivgraph.namespaces import WIV

PROJECTIONS = ("cooperation", "flows", "instruments")
#: node colours by kind (hex, for the chart's fill scale and its legend)
COLOURS = {
    "ORGANISATION": "#1c83e1",
    "UNIT": "#803df5",
    "OFFICE": "#ff2b2b",
    "CELL": "#ffa421",
    "ROLE": "#21c354",
    "INSTRUMENT": "#808495",
    "OTHER": "#808495",
}
#: edge colours, in turn per kind of edge shown
# twelve clearly different hues, so that the edge kinds of one network (nine in the cooperation
# network) do not share a colour
EDGE_COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#393b79", "#637939")
NAME_LENGTH = 22  # characters of a node name shown beside the node (the whole name on hover)
WIDTH, HEIGHT = 860, 620  # the drawing's size in pixels (legends to its right)
PADDING = (30, 170, 25, 25)  # pixels kept free left, right (the names), top and bottom
NODE_SIZE = 220  # a node's area in square pixels (a radius of about 8)
ARROW_GAP = 14  # pixels from a target node's centre to the point of the arrow
SELECTION = "node"  # the chart's point selection: the clicked node's id


@st.cache_data(show_spinner=False, max_entries=64)
def _elements(projection: str, inferred: bool, lang: str, on, excluded: frozenset) -> dict:
    """Nodes and edges (``{"data": ...}`` elements); each edge also carries ``parts``: the
    relations it stands for, each with its type (and label), the instruments it comes from and,
    for flows, the category."""
    graph = state.corpus().graph(inferred)
    if projection == "instruments":
        elements = browse.network(graph, lang, exclude_iris=set(excluded))
        for edge in elements["edges"]:
            data = edge["data"]
            docs = [
                iri
                for iri in (data["source"], data["target"])
                if browse.node_kind(graph, URIRef(iri)) == "instrument"
            ]
            data["parts"] = [
                {"type": data["label"], "type_label": data["label"], "instruments": docs}
            ]
        return elements
    questions = state.corpus().question_store(inferred)  # asked on oxigraph, as on the command line
    if projection == "flows":
        net = network_mod.data_flow_network(questions, on=on, lang=lang)
    else:
        net = network_mod.cooperation_network(questions, on=on, lang=lang)
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
            modality = data.get("modality", "")
            parts = [
                {
                    "type": modality,
                    "type_label": browse.label(graph, WIV[modality], lang) if modality else "",
                    "category": data.get("category", ""),
                    "category_label": data.get("category_label", ""),
                    "instruments": [data["instrument"]] if data.get("instrument") else [],
                }
            ]
        else:
            parts = [
                {
                    "type": relation["type"],
                    "type_label": relation["type"],
                    "instruments": relation_instruments(graph, relation),
                }
                for relation in data.get("relations", [])
            ]
        edges.append({"data": {"id": f"e{number}", "source": a, "target": b, "parts": parts}})
    return {"nodes": nodes, "edges": edges}


def relation_instruments(graph, relation: dict) -> list[str]:
    """The instruments a cooperation relation comes from: the instrument it runs through
    (``via``, when that is an instrument) and the document of its source lid."""
    found = []
    via = relation.get("via")
    if via and browse.node_kind(graph, URIRef(via)) == "instrument":
        found.append(via)
    if relation.get("source"):
        document = graph.value(URIRef(relation["source"]), WIV.document)
        if document is not None and str(document) not in found:
            found.append(str(document))
    return found


def _type_label(ctx, relation_type: str) -> str:
    key = f"net.rel.{relation_type}"
    return ctx.t(key) if key in STRINGS else relation_type


def _edge_label(projection: str, parts: list[dict], ctx) -> str:
    if projection == "flows":  # the norm kind: permission, obligation (the category in the list)
        return ", ".join(sorted({p["type_label"] or p["category_label"] for p in parts}))
    if projection == "cooperation":
        return ", ".join(sorted({_type_label(ctx, p["type"]) for p in parts}))
    return ", ".join(sorted({p["type_label"] for p in parts}))


def _options(elements: dict, name: str, label_name: str | None = None) -> dict[str, str]:
    """Distinct values of a relation field over all edges (value -> label), from the data."""
    found: dict[str, str] = {}
    for edge in elements["edges"]:
        for part in edge["data"]["parts"]:
            values = part.get(name)
            for value in values if isinstance(values, list) else [values]:
                if value:
                    found.setdefault(value, part.get(label_name) or value if label_name else value)
    return found


def filter_elements(
    elements: dict,
    projection: str,
    ctx,
    kinds: list[str],
    instruments: list[str] | None = None,
    types: list[str] | None = None,
    categories: list[str] | None = None,
) -> dict:
    """Nodes of the chosen kinds and the relations that match every chosen filter (an empty
    filter keeps everything); with an instrument, type or category filter, nodes left without
    an edge are left out too."""
    keep = {n["data"]["id"] for n in elements["nodes"] if n["data"]["label"] in kinds}
    edges = []
    for edge in elements["edges"]:
        data = edge["data"]
        if data["source"] not in keep or data["target"] not in keep:
            continue
        parts = [
            p
            for p in data["parts"]
            if (not instruments or set(p["instruments"]) & set(instruments))
            and (not types or p["type"] in types)
            and (not categories or p.get("category") in categories)
        ]
        if not parts:
            continue
        edges.append(
            {
                "data": {
                    "id": data["id"],
                    "source": data["source"],
                    "target": data["target"],
                    "label": _edge_label(projection, parts, ctx),
                }
            }
        )
    if instruments or types or categories:
        keep &= {e["data"][end] for e in edges for end in ("source", "target")}
    return {"nodes": [n for n in elements["nodes"] if n["data"]["id"] in keep], "edges": edges}


def shown_network(elements: dict) -> nx.Graph:
    """The shown nodes and edges as an undirected networkx graph (labels kept), for analyses."""
    simple = nx.Graph()
    for node in elements["nodes"]:
        simple.add_node(node["data"]["id"], label=node["data"]["name"])
    for edge in elements["edges"]:
        simple.add_edge(edge["data"]["source"], edge["data"]["target"])
    return simple


def _filters(ctx, projection: str, elements: dict) -> dict:
    """The filter widgets; their options come from ``elements``."""
    kinds = sorted({n["data"]["label"] for n in elements["nodes"]})
    columns = st.columns(4 if projection == "flows" else 3)
    chosen: dict = {}
    kinds_key = state.lang_key(f"net_kinds_{projection}")
    if kinds_key not in st.session_state:
        st.session_state[kinds_key] = kinds
    chosen["kinds"] = columns[0].multiselect(
        ctx.t("net.kinds"),
        kinds,
        placeholder=ctx.t("choose"),
        format_func=lambda k: (
            ctx.t(f"net.kind.{k.lower()}") if f"net.kind.{k.lower()}" in _KINDS else k.lower()
        ),
        key=kinds_key,
    )
    names = {n["data"]["id"]: n["data"]["name"] for n in elements["nodes"]}
    graph = ctx.graph
    instruments = {
        i: names.get(i) or browse.label(graph, URIRef(i), ctx.lang)
        for i in _options(elements, "instruments")
    }
    chosen["instruments"] = columns[1].multiselect(
        ctx.t("net.instruments"),
        sorted(instruments, key=lambda i: instruments[i].casefold()),
        format_func=instruments.get,
        placeholder=ctx.t("net.all"),
        help=ctx.t("net.instruments_help"),
        key=state.lang_key(f"net_instruments_{projection}"),
    )
    types = _options(elements, "type", "type_label")
    if projection == "cooperation":
        types = {k: _type_label(ctx, k) for k in types}
    chosen["types"] = columns[2].multiselect(
        ctx.t("net.modality") if projection == "flows" else ctx.t("net.types"),
        sorted(types, key=lambda k: types[k].casefold()),
        format_func=types.get,
        placeholder=ctx.t("net.all"),
        key=state.lang_key(f"net_types_{projection}"),
    )
    chosen["categories"] = []
    if projection == "flows":
        categories = _options(elements, "category", "category_label")
        chosen["categories"] = columns[3].multiselect(
            ctx.t("net.categories"),
            sorted(categories, key=lambda k: categories[k].casefold()),
            format_func=categories.get,
            placeholder=ctx.t("net.all"),
            key=state.lang_key("net_categories_flows"),
        )
    return chosen


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
    chosen = _filters(ctx, projection, elements)
    elements = filter_elements(
        elements,
        projection,
        ctx,
        chosen["kinds"],
        chosen["instruments"],
        chosen["types"],
        chosen["categories"],
    )
    if not elements["nodes"]:
        st.info(ctx.t("net.empty"))
        return
    st.caption(
        ctx.t("net.count", n=len(elements["nodes"]), e=len(elements["edges"]))
        + " · "
        + ctx.t("net.hint")
    )
    chart = network_chart(with_positions(elements, ctx), projection, ctx)
    event = st.altair_chart(
        chart,
        on_select="rerun",
        selection_mode=SELECTION,
        key=f"net_graph_{projection}",
    )
    clicked = [point.get("id") for point in (event.selection.get(SELECTION) or [])]
    if clicked and clicked[0]:
        st.session_state["net_selected"] = clicked[0]
    selected = st.session_state.get("net_selected")
    if selected in {n["data"]["id"] for n in elements["nodes"]}:
        _selected(ctx, selected)
    with st.expander(ctx.t("net.list")):
        for node in sorted(elements["nodes"], key=lambda n: n["data"]["name"].casefold()):
            data = node["data"]
            state.entity_link(ctx, data["id"], f"{data['name']} ({kind_name(ctx, data['label'])})")
    if projection == "cooperation":
        _analyses(ctx, elements)
    if projection == "flows":
        _paths_section(ctx)


def kind_name(ctx, kind: str) -> str:
    """A node kind (``ORGANISATION``) in the reader's language, singular."""
    key = f"net.kind1.{kind.lower()}"
    return ctx.t(key) if key in STRINGS else kind.lower()


def short_name(name: str, length: int = NAME_LENGTH) -> str:
    """A node name shortened for the drawing (the whole name is in its tooltip and the list)."""
    name = " ".join(name.split())
    return name if len(name) <= length else name[: length - 1].rstrip() + "…"


def with_positions(elements: dict, ctx) -> dict:
    """The elements with fixed positions (a seeded spring layout over the nodes and edges in
    sorted order) so the drawing keeps still, in every session and after a restart;
    per node its shortened name (``label``), its whole name (``name``), its kind (``kind``) and
    that kind in the reader's language (``kind_name``). Names stay plain text: the chart passes
    them to Vega as data, whose tooltips and text marks never read them as HTML."""
    shown = shown_network(elements)
    simple = nx.Graph()  # in sorted order: the layout depends on the data, not on set order
    simple.add_nodes_from(sorted(shown.nodes))
    simple.add_edges_from(sorted(tuple(sorted(edge)) for edge in shown.edges))
    positions = nx.spring_layout(simple, seed=21, k=1.6 / max(1, len(simple)) ** 0.5)
    scale = 90 * max(4, len(simple)) ** 0.5
    nodes = []
    for node in elements["nodes"]:
        name = node["data"]["name"]
        data = {
            "id": node["data"]["id"],
            "label": short_name(name),
            "name": name,
            "kind": node["data"]["label"],
            "kind_name": kind_name(ctx, node["data"]["label"]),
        }
        x, y = positions.get(data["id"], (0.0, 0.0))
        nodes.append(
            {"data": data, "position": {"x": round(x * scale, 1), "y": round(y * scale, 1)}}
        )
    return {"nodes": nodes, "edges": elements["edges"]}


def edge_kinds(elements: dict) -> list[str]:
    """The kinds of edge shown (an edge standing for several relations counts each)."""
    return sorted(
        {k for e in elements["edges"] for k in e["data"]["label"].split(", ") if k},
        key=str.casefold,
    )


def _frame(positioned: dict) -> tuple[float, list[float], list[float]]:
    """Pixels per layout unit (the same across and down, so angles and distances hold) and the
    x and y domains that fit every node with room for the names to its right."""
    xs = [n["position"]["x"] for n in positioned["nodes"]] or [0.0]
    ys = [n["position"]["y"] for n in positioned["nodes"]] or [0.0]
    left, right, top, bottom = PADDING
    room_x, room_y = WIDTH - left - right, HEIGHT - top - bottom
    spans = [(max(xs) - min(xs)) / room_x, (max(ys) - min(ys)) / room_y]
    unit = 1 / max(spans) if max(spans) > 0 else 1.0
    x0 = min(xs) - (left + (room_x - (max(xs) - min(xs)) * unit) / 2) / unit
    y0 = min(ys) - (top + (room_y - (max(ys) - min(ys)) * unit) / 2) / unit
    return unit, [x0, x0 + WIDTH / unit], [y0, y0 + HEIGHT / unit]


def chart_data(positioned: dict, projection: str) -> dict[str, list[dict]]:
    """The rows the chart draws: ``nodes``; ``edges`` (from, to, the edge's label and the kind
    that colours it); ``arrows`` (a triangle just before the target, turned along the edge; none
    for the undirected cooperation network); ``captions`` (data flows: the norm kind at the
    middle of the edges between two nodes)."""
    unit, _, _ = _frame(positioned)
    where = {n["data"]["id"]: n for n in positioned["nodes"]}
    nodes = [
        dict(n["data"], x=n["position"]["x"], y=n["position"]["y"]) for n in positioned["nodes"]
    ]
    edges, arrows, captions = [], [], {}
    arrow = "—" if projection == "cooperation" else "→"
    for edge in positioned["edges"]:
        data = edge["data"]
        a, b = where[data["source"]], where[data["target"]]
        (x, y), (x2, y2) = (
            (a["position"]["x"], a["position"]["y"]),
            (b["position"]["x"], b["position"]["y"]),
        )
        row = {
            "id": data["id"],
            "x": x,
            "y": y,
            "x2": x2,
            "y2": y2,
            "from": a["data"]["name"],
            "to": b["data"]["name"],
            "relation": data["label"],
            "colour": data["label"].split(", ")[0],
            # what a screen reader says about the line (Vega's ``aria-label``)
            "description": f"{a['data']['name']} {arrow} {b['data']['name']}: {data['label']}",
        }
        edges.append(row)
        length = math.hypot(x2 - x, y2 - y)
        if projection != "cooperation" and length * unit > 2 * ARROW_GAP:
            back = ARROW_GAP / unit / length  # the arrow's point just outside the target node
            arrows.append(
                row
                | {
                    "x": x2 - (x2 - x) * back,
                    "y": y2 - (y2 - y) * back,
                    # Vega turns a shape clockwise from pointing up; y runs down here
                    "angle": round(math.degrees(math.atan2(x2 - x, -(y2 - y))) % 360, 1),
                }
            )
        if projection == "flows":
            pair = tuple(sorted((data["source"], data["target"])))
            middle = captions.setdefault(
                pair, {"x": (x + x2) / 2, "y": (y + y2) / 2, "kinds": set()}
            )
            middle["kinds"].update(k for k in data["label"].split(", ") if k)
    return {
        "nodes": nodes,
        "edges": edges,
        "arrows": arrows,
        "captions": [
            {"x": c["x"], "y": c["y"], "text": ", ".join(sorted(c["kinds"], key=str.casefold))}
            for c in captions.values()
            if c["kinds"]
        ],
    }


def network_chart(positioned: dict, projection: str, ctx) -> alt.LayerChart:
    """The drawing as a layered Vega-Lite chart: edges (lines coloured by kind, with a legend;
    arrows for directed networks; on data flows the norm kind at the middle), nodes at their
    fixed positions coloured by kind (legend), the short name beside every node, and on hover
    a tooltip with the whole name and the kind. A click on a node selects it (point selection
    ``SELECTION`` on the node's id). No zoom or pan: the view stays as laid out."""
    rows = chart_data(positioned, projection)
    _, x_domain, y_domain = _frame(positioned)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=x_domain, nice=False, zero=False))
    y = alt.Y(
        "y:Q", axis=None, scale=alt.Scale(domain=y_domain, nice=False, zero=False, reverse=True)
    )
    kinds = edge_kinds(positioned)
    edge_scale = alt.Scale(
        domain=kinds, range=[EDGE_COLOURS[i % len(EDGE_COLOURS)] for i in range(len(kinds))]
    )
    node_kinds = sorted({n["data"]["kind"] for n in positioned["nodes"]})
    node_scale = alt.Scale(
        domain=[kind_name(ctx, k) for k in node_kinds],
        range=[COLOURS.get(k, COLOURS["OTHER"]) for k in node_kinds],
    )
    edge_tooltip = [
        alt.Tooltip("from:N", title=ctx.t("net.from")),
        alt.Tooltip("to:N", title=ctx.t("net.to")),
        alt.Tooltip("relation:N", title=ctx.t("net.info.relation")),
    ]
    node_tooltip = [
        alt.Tooltip("name:N", title=ctx.t("net.info.name")),
        alt.Tooltip("kind_name:N", title=ctx.t("net.info.kind")),
    ]
    legend = {"labelLimit": 320, "orient": "right"}
    select = alt.selection_point(name=SELECTION, fields=["id"], on="click", clear="dblclick")
    layers = [
        alt.Chart(alt.Data(values=rows["edges"]), name="edges")
        .mark_rule(strokeWidth=2, opacity=0.75)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            stroke=alt.Stroke(
                "colour:N",
                scale=edge_scale,
                legend=alt.Legend(title=ctx.t("net.legend.edges"), **legend),
            ),
            tooltip=edge_tooltip,
            description="description:N",
        )
    ]
    if rows["arrows"]:
        layers.append(
            alt.Chart(alt.Data(values=rows["arrows"]), name="arrows")
            .mark_point(shape="triangle-up", filled=True, size=90, opacity=0.9)
            .encode(
                x=x,
                y=y,
                angle=alt.Angle("angle:Q", scale=None),
                color=alt.Color("colour:N", scale=edge_scale, legend=None),
                tooltip=edge_tooltip,
                description="description:N",
            )
        )
    if rows["captions"]:
        layers.append(
            alt.Chart(alt.Data(values=rows["captions"]), name="captions")
            .mark_text(fontSize=10, color="#555867", dy=-7)
            .encode(x=x, y=y, text="text:N", description="text:N")
        )
    layers += [
        alt.Chart(alt.Data(values=rows["nodes"]), name="nodes")
        .mark_point(shape="circle", filled=True, size=NODE_SIZE, opacity=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            fill=alt.Fill(
                "kind_name:N",
                scale=node_scale,
                legend=alt.Legend(title=ctx.t("net.legend.nodes"), **legend),
            ),
            stroke=alt.when(select, empty=False)
            .then(alt.value("#262730"))
            .otherwise(alt.value("#ffffff")),
            strokeWidth=alt.when(select, empty=False).then(alt.value(3)).otherwise(alt.value(1.5)),
            tooltip=node_tooltip,
            description="name:N",
        )
        .add_params(select),
        alt.Chart(alt.Data(values=rows["nodes"]), name="names")
        .mark_text(align="left", baseline="middle", dx=11, fontSize=11)
        .encode(x=x, y=y, text="label:N", tooltip=node_tooltip, description="name:N"),
    ]
    return (
        alt.layer(*layers)
        .properties(width=WIDTH, height=HEIGHT, usermeta={"embedOptions": {"renderer": "svg"}})
        .configure_view(stroke=None)
    )


def _selected(ctx, iri: str) -> None:
    """The clicked node's facts in the reader's language, with a link to its entity page."""
    graph = ctx.graph
    desc = browse.describe(
        graph, iri, ctx.lang, statements=ctx.corpus.statement_index(ctx.inferred)
    )
    with st.container(border=True):
        st.markdown(f"**{ctx.t('net.open', label=state.md(desc.label))}**")
        if desc.kinds:
            st.caption(", ".join(state.md(k) for _, k in desc.kinds))
        lines = []
        for predicate, facts in list(desc.outgoing.items())[:12]:
            values = ", ".join(sorted({f.value_label for f in facts})[:6])
            lines.append(f"- *{state.md(predicate)}*: {state.md(values)}")
        if lines:
            st.markdown("\n".join(lines))
        state.entity_link(ctx, iri, ctx.t("net.to_entity"))


def _analyses(ctx, elements: dict) -> None:
    """Centrality, cut vertices and bridges of the cooperation network as shown."""
    shown = shown_network(elements)
    names = {n["data"]["id"]: n["data"]["name"] for n in elements["nodes"]}
    with st.expander(ctx.t("net.centrality")):
        rows = [
            {
                ctx.t("net.col.party"): row["label"],
                ctx.t("net.col.degree"): row["degree"],
                ctx.t("net.col.degree_centrality"): row["degree_centrality"],
                ctx.t("net.col.betweenness"): row["betweenness"],
            }
            for row in network_mod.centrality(shown)
        ]
        st.dataframe(rows, hide_index=True, key="net_centrality")
    cuts = network_mod.cut_vertices(shown)
    with st.expander(f"{ctx.t('net.cut')} ({len(cuts)})"):
        for cut in cuts:
            st.markdown(f"**{state.md(cut['label'])}**: {state.md(', '.join(cut['isolates']))}")
    bridges = network_mod.bridges(shown)
    with st.expander(f"{ctx.t('net.bridges')} ({len(bridges)})"):
        st.caption(ctx.t("net.bridges_help"))
        for a, b in bridges:
            st.markdown(f"- {state.md(names.get(a, a))} — {state.md(names.get(b, b))}")


@st.cache_data(show_spinner=False, max_entries=64)
def _paths(inferred: bool, lang: str, on, source: str, target: str) -> list[dict]:
    flows = network_mod.data_flow_network(state.corpus().question_store(inferred), on=on, lang=lang)
    return network_mod.paths_json(flows, network_mod.flow_paths(flows, source, target))


def _paths_section(ctx) -> None:
    """Through which parties can data of A reach B, and on which conditions at each hop?"""
    st.subheader(ctx.t("net.paths"))
    flows = network_mod.data_flow_network(
        state.corpus().question_store(ctx.inferred), on=ctx.on, lang=ctx.lang
    )
    parties = sorted(flows.nodes, key=lambda n: flows.nodes[n]["label"].casefold())
    if len(parties) < 2:
        st.info(ctx.t("net.empty"))
        return
    name = {n: flows.nodes[n]["short"] for n in parties}
    left, right = st.columns(2)
    default_from = next((i for i, n in enumerate(parties) if n.endswith("/org/politie")), 0)
    default_to = next((i for i, n in enumerate(parties) if n.endswith("/org/ind")), 1)
    keys = state.lang_key("net_path_from"), state.lang_key("net_path_to")
    for key, index in zip(keys, (default_from, default_to), strict=True):
        if st.session_state.get(key) not in parties:
            st.session_state[key] = parties[index]
    source = left.selectbox(ctx.t("net.from"), parties, format_func=name.get, key=keys[0])
    target = right.selectbox(ctx.t("net.to"), parties, format_func=name.get, key=keys[1])
    paths = _paths(ctx.inferred, ctx.lang, ctx.on, source, target)
    if not paths:
        st.info(ctx.t("net.nopath"))
        return
    for number, path in enumerate(paths, start=1):
        st.markdown(
            f"**{ctx.t('net.path', n=number)}**: {' → '.join(state.md(x) for x in path['labels'])}"
        )
        for hop in path["hops"]:
            marker = ctx.t("net.consent") if hop["needs_consent"] else ctx.t("net.noconsent")
            st.markdown(
                f"- {state.md(name.get(hop['from'], hop['from']))} → "
                f"{state.md(name.get(hop['to'], hop['to']))} ({marker})"
            )
            for norm in network_mod.distinct_steps(hop["norms"]) + network_mod.distinct_steps(
                hop["onward"]
            ):
                conditions = ", ".join(
                    c["kind_label"]
                    + (f" ({', '.join(c['consenting'])})" if c["consenting"] else "")
                    for c in norm["conditions"]
                )
                state.entity_link(ctx, norm["source"])
                st.caption(
                    f"“{state.md(norm['quote'])}”"
                    + (f" — {state.md(conditions)}" if conditions else "")
                )


_KINDS = {
    "net.kind.organisation",
    "net.kind.unit",
    "net.kind.office",
    "net.kind.cell",
    "net.kind.role",
    "net.kind.instrument",
}
