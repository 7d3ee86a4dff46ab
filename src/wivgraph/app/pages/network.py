"""Netwerk: organisations, cells and instruments and how they are connected.

Projections come from the library: the cooperation and data-flow networks of
``wivgraph.network`` and the instrument network of ``wivgraph.browse``. Filters by node kind, by
the instrument a relation comes from and by relation type (data flows: modality and data
category) take their options from those networks, never from a list kept here. The component
(st-link-analysis, Cytoscape.js) keeps its layout between reruns; clicking a node opens its
entity page. Centrality, cut vertices and bridges are computed on the network as shown.
"""

from __future__ import annotations

import html
import warnings

import networkx as nx
import streamlit as st
from rdflib import URIRef

from wivgraph import browse
from wivgraph import network as network_mod
from wivgraph.app import state
from wivgraph.app.i18n import STRINGS
from wivgraph.namespaces import WIV

PROJECTIONS = ("cooperation", "flows", "instruments")
#: node colours by kind: (Streamlit colour name for the legend, the same colour as hex)
COLOURS = {
    "ORGANISATION": ("blue", "#1c83e1"),
    "UNIT": ("violet", "#803df5"),
    "OFFICE": ("red", "#ff2b2b"),
    "CELL": ("orange", "#ffa421"),
    "ROLE": ("green", "#21c354"),
    "INSTRUMENT": ("gray", "#808495"),
    "OTHER": ("gray", "#808495"),
}
#: edge colours, in turn per kind of edge shown (legend colour name, hex)
EDGE_COLOURS = (
    ("blue", "#1c83e1"), ("green", "#21c354"), ("orange", "#ffa421"), ("red", "#ff2b2b"),
    ("violet", "#803df5"), ("gray", "#808495"),
)  # fmt: skip
NAME_LENGTH = 22  # characters of a node name shown under the node (the whole name on click)


@st.cache_data(show_spinner=False, max_entries=64)
def _elements(projection: str, inferred: bool, lang: str, on, excluded: frozenset) -> dict:
    """Cytoscape nodes and edges; each edge also carries ``parts``: the relations it stands for,
    each with its type (and label), the instruments it comes from and, for flows, the category."""
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
    from st_link_analysis import EdgeStyle, Event, st_link_analysis  # noqa: PLC0415

    edge_labels = sorted({e["data"]["label"] for e in elements["edges"]})
    # one colour per kind of relation; an edge standing for several takes its first one's
    kinds = sorted({k for name in edge_labels for k in name.split(", ")}, key=str.casefold)
    edge_colours = {name: EDGE_COLOURS[i % len(EDGE_COLOURS)] for i, name in enumerate(kinds)}
    _legend(ctx, elements, edge_colours)
    edge_colours |= {name: edge_colours[name.split(", ")[0]] for name in edge_labels}
    node_styles = node_style_rules(ctx)
    with warnings.catch_warnings():  # the component warns about a parameter we do not use
        warnings.simplefilter("ignore")
        edge_styles = [
            EdgeStyle(  # captions show when zoomed in; the colour and legend say the kind
                name,
                color=edge_colours[name][1],
                caption="label",
                directed=projection != "cooperation",
            )
            for name in edge_labels
        ]
    event = st_link_analysis(
        with_positions(elements, ctx),
        layout={"name": "preset", "fit": True, "padding": 30, "animate": False},
        node_styles=node_styles,
        edge_styles=edge_styles,
        height=620,
        key=f"net_graph_{projection}",
        events=[Event("open_node", "click tap", "node")],
    )
    if isinstance(event, dict) and event.get("action") == "open_node":
        target = (event.get("data") or {}).get("target_id")
        if target:
            st.session_state["net_selected"] = target
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


class StyleRule:
    """One Cytoscape style rule, passed as is to the component (which calls ``dump()``)."""

    def __init__(self, selector: str, style: dict) -> None:
        self.selector = selector
        self.style = style

    def dump(self) -> dict:
        return {"selector": self.selector, "style": dict(self.style)}


def node_style_rules(ctx) -> list[StyleRule]:
    """Node colours by kind (selected on the kind field of ``with_positions``), the short name
    under every node at every zoom level (the component hides captions below a zoomed font
    size of 10 px, which hid every name on a full network), and the whole name, wrapped, under
    the node that is selected: st-link-analysis has no hover text (its bundled frontend has no
    tooltip and no mouseover handler), so a click or tap is what shows the whole name."""
    kind_field = ctx.t("net.info.kind")
    rules = [
        StyleRule(
            f"node[{kind_field}='{kind_name(ctx, kind)}']",
            {"background-color": colour[1], "label": "data(label)"},
        )
        for kind, colour in COLOURS.items()
    ]
    rules.append(StyleRule("node", {"min-zoomed-font-size": 0, "font-size": 11}))
    rules.append(
        StyleRule(
            "node:selected",
            {
                "label": f"data({ctx.t('net.info.name')})",
                "text-wrap": "wrap",
                "text-max-width": "240px",
                "z-index": 10,
            },
        )
    )
    return rules


def kind_name(ctx, kind: str) -> str:
    """A node kind (``ORGANISATION``) in the reader's language, singular."""
    key = f"net.kind1.{kind.lower()}"
    return ctx.t(key) if key in STRINGS else kind.lower()


def short_name(name: str, length: int = NAME_LENGTH) -> str:
    """A node name shortened for the drawing (the whole name is in the list and on click)."""
    name = " ".join(name.split())
    return name if len(name) <= length else name[: length - 1].rstrip() + "…"


def with_positions(elements: dict, ctx) -> dict:
    """The elements with fixed positions (a seeded spring layout) so the drawing keeps still;
    per node its shortened name (``label``, the caption) and, in the reader's language, its
    whole name and its kind (the field the colours select on)."""
    simple = shown_network(elements)
    positions = nx.spring_layout(simple, seed=21, k=1.6 / max(1, len(simple)) ** 0.5)
    scale = 90 * max(4, len(simple)) ** 0.5
    nodes = []
    for node in elements["nodes"]:
        # ``label`` is the caption and the title of the component's side panel (set as text);
        # every other field is listed in that panel as HTML (innerHTML), hence escaped here
        name = node["data"]["name"]
        data = {
            "id": node["data"]["id"],
            "label": short_name(name),
            ctx.t("net.info.name"): html.escape(name, quote=False),
            ctx.t("net.info.kind"): html.escape(kind_name(ctx, node["data"]["label"])),
        }
        x, y = positions.get(data["id"], (0.0, 0.0))
        nodes.append({"data": data, "position": {"x": round(x * scale, 1), "y": round(y * scale, 1)}})
    return {"nodes": nodes, "edges": elements["edges"]}


def _legend(ctx, elements: dict, edge_colours: dict) -> None:
    """Which colour is which kind of node, and which kind of edge."""
    kinds = sorted({n["data"]["label"] for n in elements["nodes"]})
    node_part = " · ".join(
        f":{COLOURS.get(k, COLOURS['OTHER'])[0]}[●] {state.md(kind_name(ctx, k))}" for k in kinds
    )
    edge_part = " · ".join(
        f":{colour[0]}[━] {state.md(name)}" for name, colour in edge_colours.items()
    )
    st.markdown(f"**{ctx.t('net.legend.nodes')}:** {node_part}")
    if edge_part:
        st.markdown(f"**{ctx.t('net.legend.edges')}:** {edge_part}")


def _selected(ctx, iri: str) -> None:
    """The clicked node's facts in the reader's language, with a link to its entity page."""
    graph = ctx.graph
    desc = browse.describe(graph, iri, ctx.lang, statements=ctx.corpus.statement_index(ctx.inferred))
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
