"""Ask stage: "who may pass data of this category onward, and on what condition?"

The reasoning lives in the catalogue question ``queries/onward-who-may-pass.rq`` (skos:broader
over categories, actions under action:provide, conditions with their consenting party). This
module resolves the category the user typed, runs that question and turns its rows into a
readable explanation, each step with its citation (lid and verbatim quote).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import CONCEPT, DOC, WIV
from wivgraph.query import catalogue, run_question

QUESTION = "onward-who-may-pass"
RETAINED_QUESTION = "onward-originator-keeps"
DATA_SCHEME = CONCEPT["scheme-data-categories"]
LANGS = ("nl", "en")

TEXT = {
    "nl": {
        "title": "Wie mag {cat} doorgeven, en onder welke voorwaarde?",
        "none": "Geen enkele norm regelt het doorgeven van {cat}.",
        "count": "{n} norm(en) regelen het doorgeven van {cat}:",
        "who": "Wie",
        "action": "Handeling",
        "to": "Aan",
        "conditions": "Voorwaarden",
        "no_condition": "geen voorwaarde in deze bepaling",
        "consent_of": "toestemming van",
        "source": "Bron",
        "quote": "Citaat",
        "effect": "Rechtskracht",
        "any": "(niet bepaald)",
        "Obligation": "verplichting",
        "Permission": "bevoegdheid",
        "Prohibition": "verbod",
        "note": "Een bevoegdheid met voorwaarden geldt alleen als aan elke voorwaarde is voldaan; "
        "een verbod geldt zonder uitzondering.",
        "retained": "Wat de partij van herkomst met haar eigen gegevens behoudt:",
    },
    "en": {
        "title": "Who may pass {cat} onward, and on what condition?",
        "none": "No norm governs passing on {cat}.",
        "count": "{n} norm(s) govern passing on {cat}:",
        "who": "Who",
        "action": "Action",
        "to": "To",
        "conditions": "Conditions",
        "no_condition": "no condition in this provision",
        "consent_of": "consent of",
        "source": "Source",
        "quote": "Quote",
        "effect": "Legal effect",
        "any": "(not specified)",
        "Obligation": "obligation",
        "Permission": "permission",
        "Prohibition": "prohibition",
        "note": "A permission with conditions applies only when every condition is met; "
        "a prohibition applies without exception.",
        "retained": "What the originating party keeps over its own data:",
    },
}


@dataclass
class Condition:
    kind: URIRef
    quote: str
    consenting: set[URIRef] = field(default_factory=set)


@dataclass
class NormStep:
    """One norm of the answer, gathered from the question's rows."""

    norm: URIRef
    modality: str
    source: URIRef
    quote: str
    actors: set[URIRef] = field(default_factory=set)
    actions: set[URIRef] = field(default_factory=set)
    scopes: set[URIRef] = field(default_factory=set)
    conditions: dict[URIRef, Condition] = field(default_factory=dict)


@dataclass
class OnwardAnswer:
    category: URIRef
    category_label: str
    steps: list[NormStep]
    graph: Graph
    retained: list[NormStep] = field(default_factory=list)  # what the originator keeps


def data_categories(graph: Graph) -> list[URIRef]:
    """Every concept of the data-category scheme."""
    return sorted(s for s in graph.subjects(SKOS.inScheme, DATA_SCHEME) if isinstance(s, URIRef))


def label(graph: Graph, node: URIRef, lang: str = "nl") -> str:
    """The node's label in ``lang`` (prefLabel, then rdfs:label), else in Dutch, else its slug."""
    for wanted in (lang, "nl"):
        for predicate in (SKOS.prefLabel, RDFS.label):
            for value in graph.objects(node, predicate):
                if isinstance(value, Literal) and value.language == wanted:
                    return str(value)
    return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def resolve_category(graph: Graph, text: str) -> URIRef:
    """A data category by IRI, prefixed or bare id, or label (nl/en), case-insensitively."""
    wanted = text.strip()
    if not wanted:
        raise WivgraphError("data category: empty; give an IRI, an id or a label")
    names: dict[str, set[URIRef]] = {}
    for concept in data_categories(graph):
        slug = concept.rsplit("/", 1)[-1]
        keys = {str(concept), f"<{concept}>", slug, "datacat:" + slug}
        for predicate in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
            keys.update(str(v) for v in graph.objects(concept, predicate))
        for key in keys:
            names.setdefault(key.casefold(), set()).add(concept)
    hits = names.get(wanted.casefold(), set())
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        raise WivgraphError(
            f"data category: {text!r} is ambiguous ({', '.join(sorted(hits))}); give the IRI"
        )
    known = sorted(
        {f"{label(graph, c, 'nl')} ({c.rsplit('/', 1)[-1]})" for c in data_categories(graph)}
    )
    close = difflib.get_close_matches(text, known, n=len(known), cutoff=0.0)
    raise WivgraphError(
        f"data category: unknown {text!r}; known categories, closest first: {'; '.join(close)}"
    )


def ask_onward(dataset, category: str, *, root=None) -> OnwardAnswer:
    """Run the catalogue questions for ``category`` and gather their rows per norm.

    ``steps`` are the norms on passing the data on (onward-who-may-pass); ``retained`` the norms
    that leave the originating party its own powers over them (onward-originator-keeps).
    """
    from wivgraph.load import union_graph  # noqa: PLC0415

    graph = union_graph(dataset) if hasattr(dataset, "graphs") else dataset
    concept = resolve_category(graph, category)
    questions = catalogue((root or paths.project_root()) / "queries")
    for name in (QUESTION, RETAINED_QUESTION):
        if name not in questions:
            raise WivgraphError(f"queries/{name}.rq: catalogue question missing")
    values = {"category": f"<{concept}>"}
    steps = _gather(run_question(graph, questions[QUESTION], values).rows)
    retained = _gather(run_question(graph, questions[RETAINED_QUESTION], values).rows)
    return OnwardAnswer(concept, label(graph, concept), steps, graph, retained)


def _gather(rows) -> list[NormStep]:
    """One step per norm from a question's rows (one row per bearer, action, scope, condition)."""
    steps: dict[URIRef, NormStep] = {}
    for row in rows:
        norm = row["norm"]
        step = steps.get(norm)
        if step is None:
            step = steps[norm] = NormStep(
                norm=norm,
                modality=str(row["modality"]).rsplit("#", 1)[-1],
                source=row["source"],
                quote=str(row["quote"]),
            )
        step.actors.add(row["actor"])
        step.actions.add(row["action"])
        if row.get("recipientScope") is not None:
            step.scopes.add(row["recipientScope"])
        kind = row.get("conditionKind")
        if kind is not None:
            cond = step.conditions.setdefault(kind, Condition(kind, str(row["conditionQuote"])))
            if row.get("consentingParty") is not None:
                cond.consenting.add(row["consentingParty"])
    return sorted(steps.values(), key=_order)


def _order(step: NormStep) -> tuple:
    return (str(step.source), str(step.norm))


def cite(source: URIRef) -> str:
    """``convenant-ciic-2020, art. 7 lid 2`` from a subdivision IRI."""
    path = str(source).removeprefix(str(DOC))
    slug, _, rest = path.partition("/")
    parts = rest.split("/") if rest else []
    words = {"art": "art.", "lid": "lid", "onderdeel": "onderdeel", "sectie": "§"}
    out = []
    for i in range(0, len(parts) - 1, 2):
        out.append(f"{words.get(parts[i], parts[i])} {parts[i + 1]}")
    if len(parts) % 2:
        out.append(parts[-1])
    return f"{slug}, {' '.join(out)}" if out else slug


def explain_onward(dataset, category: str, lang: str = "nl", *, root=None) -> str:
    """The readable explanation for ``wivgraph ask onward``."""
    if lang not in LANGS:
        raise WivgraphError(f"--lang: {lang!r}; expected one of {', '.join(LANGS)}")
    answer = ask_onward(dataset, category, root=root)
    graph = answer.graph
    t = TEXT[lang]
    cat = label(graph, answer.category, lang)
    lines = [t["title"].format(cat=cat), ""]
    if not answer.steps and not answer.retained:
        lines.append(t["none"].format(cat=cat))
        return "\n".join(lines) + "\n"
    if answer.steps:
        lines.append(t["count"].format(n=len(answer.steps), cat=cat))
    else:
        lines.append(t["none"].format(cat=cat))
    for number, step in enumerate(answer.steps, start=1):
        lines += _step_lines(graph, number, step, t, lang)
    if answer.retained:
        lines += ["", t["retained"]]
        for number, step in enumerate(answer.retained, start=len(answer.steps) + 1):
            lines += _step_lines(graph, number, step, t, lang, recipients=False)
    lines += ["", t["note"]]
    return "\n".join(lines) + "\n"


def _step_lines(
    graph: Graph, number: int, step: NormStep, t: dict, lang: str, *, recipients: bool = True
) -> list[str]:
    """One numbered norm of the explanation, with its conditions, source and quote."""

    def names(nodes) -> str:
        return "; ".join(sorted(label(graph, n, lang) for n in nodes))

    lines = ["", f"{number}. {cite(step.source)} — {t[step.modality]}: {label(graph, step.norm, lang)}"]
    lines.append(f"   {t['who']}: {names(step.actors)}")
    lines.append(f"   {t['action']}: {names(step.actions)}")
    if recipients or step.scopes:
        lines.append(f"   {t['to']}: {names(step.scopes) or t['any']}")
    effects = list(graph.objects(step.norm, WIV.legalEffect))
    if effects:
        lines.append(f"   {t['effect']}: {names(effects)}")
    if step.conditions:
        lines.append(f"   {t['conditions']}:")
        for cond in sorted(step.conditions.values(), key=lambda c: str(c.kind)):
            who = f" ({t['consent_of']} {names(cond.consenting)})" if cond.consenting else ""
            lines.append(f"   - {label(graph, cond.kind, lang)}{who}: \u201c{cond.quote}\u201d")
    else:
        lines.append(f"   {t['conditions']}: {t['no_condition']}")
    lines.append(f"   {t['source']}: {step.source}")
    lines.append(f"   {t['quote']}: \u201c{step.quote}\u201d")
    return lines
