"""Every IRI base and prefix of wivgraph, defined once.

Ontology, data, shapes and queries use exactly these prefixes; a test checks that every
``@prefix`` / ``PREFIX`` declaration in the repository agrees with :data:`PREFIXES`.
"""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/wivgraph/"
ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"

# Our own vocabulary and shapes.
WIV = Namespace(BASE + "def#")
SHAPE = Namespace(BASE + "shape/")

# Things, one namespace per kind. Subdivisions of a document extend the document IRI:
#   doc:convenant-ciic-2020  ->  <.../id/doc/convenant-ciic-2020/art/7/lid/2>
DOC = Namespace(ID_BASE + "doc/")
ORGANISATION = Namespace(ID_BASE + "org/")
PERSON = Namespace(ID_BASE + "person/")
CELL = Namespace(ID_BASE + "cell/")
NORM = Namespace(ID_BASE + "norm/")
ROLE = Namespace(ID_BASE + "role/")
CASE = Namespace(ID_BASE + "case/")
FACT = Namespace(ID_BASE + "fact/")
CONCEPT = Namespace(ID_BASE + "concept/")
ACTION = Namespace(ID_BASE + "concept/action/")
DATACAT = Namespace(ID_BASE + "concept/data/")
SCOPE = Namespace(ID_BASE + "concept/scope/")
TERM = Namespace(ID_BASE + "concept/term/")
VERDICT = Namespace(ID_BASE + "concept/verdict/")
# ODRL policies: one odrl:Set per instrument (the norms are its rules).
POLICY = Namespace(ID_BASE + "policy/")

# Named graphs of the dataset.
GRAPH = Namespace(GRAPH_BASE)
INFERRED_GRAPH = GRAPH["inferred"]

# Standard vocabularies.
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
DPV = Namespace("https://w3id.org/dpv#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
# FORCE Compliance Report Model (ODRL evaluation reports).
REPORT = Namespace("https://w3id.org/force/compliance-report#")

PREFIXES: dict[str, Namespace] = {
    "wiv": WIV,
    "shape": SHAPE,
    "doc": DOC,
    "organisation": ORGANISATION,
    "person": PERSON,
    "cell": CELL,
    "norm": NORM,
    "role": ROLE,
    "case": CASE,
    "fact": FACT,
    "concept": CONCEPT,
    "action": ACTION,
    "datacat": DATACAT,
    "scope": SCOPE,
    "term": TERM,
    "verdict": VERDICT,
    "policy": POLICY,
    "graph": GRAPH,
    "eli": ELI,
    "odrl": ODRL,
    "dpv": DPV,
    "org": ORG,
    "oa": OA,
    "time": TIME,
    "sh": SH,
    "foaf": FOAF,
    "schema": SCHEMA,
    "vann": VANN,
    "report": REPORT,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
}


class Terms:
    """Attribute access to a namespace's terms that builds each URIRef once (rdflib's Namespace
    builds a new one on every ``ODRL.eq``), for inner loops such as the ODRL evaluator's."""

    def __init__(self, namespace: Namespace):
        self._namespace = namespace

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str):
        return getattr(self, name)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every wivgraph prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """PREFIX lines for every wivgraph prefix, for editors and ad-hoc queries."""
    return "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"


def subdivision_iri(doc_slug: str, *path: tuple[str, str] | str) -> str:
    """IRI of a subdivision: ``subdivision_iri("convenant-ciic-2020", ("art", "7"), ("lid", "2"))``."""
    parts = []
    for step in path:
        if isinstance(step, tuple):
            parts.extend(step)
        else:
            parts.append(step)
    return str(DOC[doc_slug]) + "".join("/" + p for p in parts)


def compact(iri) -> str:
    """``prefix:local`` for an IRI in one of our namespaces (longest match, no ``/`` or ``#`` in
    the local part), else the IRI itself."""
    text = str(iri)
    best = None
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if text.startswith(ns) and (best is None or len(ns) > len(str(PREFIXES[best]))):
            best = prefix
    if best is not None:
        local = text[len(str(PREFIXES[best])) :]
        if "/" not in local and "#" not in local:
            return f"{best}:{local}"
    return text
