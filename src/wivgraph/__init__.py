"""wivgraph: knowledge graph of the Dutch intelligence cooperation framework."""

__version__ = "0.1.0"
