"""Explorer shell: loads the graph once and shows what is in it."""

from __future__ import annotations

import streamlit as st

from wivgraph.errors import WivgraphError
from wivgraph.load import dataset_stats, load_dataset


@st.cache_resource(show_spinner="Graaf laden…")
def cached_dataset():
    return load_dataset()


def main() -> None:
    st.set_page_config(page_title="wivgraph", layout="wide")
    st.title("wivgraph")
    st.caption("Kennisgraaf van het samenwerkingskader van de inlichtingen- en veiligheidsdiensten")
    try:
        dataset = cached_dataset()
    except WivgraphError as exc:
        st.error(f"De graaf kan niet worden geladen: {exc}")
        return
    stats = dataset_stats(dataset)
    st.metric("Triples", stats["triples"])
    st.dataframe(
        [{"graaf": name, "triples": count} for name, count in stats["graphs"].items()],
        hide_index=True,
    )
