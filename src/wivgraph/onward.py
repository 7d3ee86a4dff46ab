"""Ask stage: "who may pass data of this category onward, and on what condition?"

The answer comes from the checker's evaluator (docs/checker.md), not from a query of its own:
the norms on providing or passing on the category (or a broader one) are selected by SPARQL and
each is evaluated as an ODRL rule for its own addressee, the category and nothing else stated.
What the evaluator then cannot settle -- the recipient, consent, relevance, the date -- is
exactly the list of conditions shown, each quoted from its own lid. What the originating party
keeps is a plain fact listing (catalogue question ``onward-originator-keeps``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import CONCEPT, DOC, WIV
from wivgraph.query import Question, catalogue, read_question, run_question

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
        "derived_from": "afgeleid uit",
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
        "derived_from": "derived from",
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
    text: str = ""  # as the evaluator words it, when it comes from the evaluator


@dataclass(frozen=True)
class BearerReason:
    """Why a norm binds a bearer its lid does not name: a sourced statement (wiv:Statement)."""

    text: str  # the statement's label in the chosen language ("" when it has none)
    source: URIRef
    quote: str


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
    bearer_reasons: dict[URIRef, list[BearerReason]] = field(default_factory=dict)


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


def ask_onward(dataset, category: str, *, root=None, lang: str = "nl") -> OnwardAnswer:
    """The norms on passing data of ``category`` onward, as the evaluator reads them.

    ``steps`` are the norms on providing or passing on the data, each with the conditions the
    evaluator leaves open when only addressee, action and category are known; ``retained`` the
    norms that leave the originating party its own powers over them (onward-originator-keeps).
    """
    from wivgraph.load import union_graph  # noqa: PLC0415

    graph = union_graph(dataset) if hasattr(dataset, "graphs") else dataset
    concept = resolve_category(graph, category)
    retained_question = _catalogue_question((root or paths.project_root()) / "queries", RETAINED_QUESTION)
    steps = evaluated_steps(graph, concept, lang)
    values = {"category": f"<{concept}>"}
    retained = _gather(run_question(graph, retained_question, values).rows)
    for step in steps + retained:
        step.bearer_reasons = bearer_reasons(graph, step.norm, step.actors, lang)
    return OnwardAnswer(concept, label(graph, concept), steps, graph, retained)


def _catalogue_question(folder: Path, name: str) -> Question:
    """Question ``name`` of the catalogue in ``folder``, read alone (not the ~60 others)."""
    if not folder.is_dir():
        catalogue(folder)  # its error for a missing folder
    path = folder / f"{name}.rq"
    if not path.is_file():
        raise WivgraphError(f"queries/{name}.rq: catalogue question missing")
    return read_question(path)


def bearer_reasons(graph: Graph, norm: URIRef, bearers, lang: str = "nl") -> dict:
    """For each of ``bearers`` that a sourced statement says the norm binds (a bearer the lid
    itself does not name, e.g. the AIVD as the CIIC's legal host), the statements' reasons."""
    out: dict[URIRef, list[BearerReason]] = {}
    for statement in graph.subjects(RDF.subject, norm):
        if (statement, RDF.predicate, WIV.bearer) not in graph or (statement, RDF.type, WIV.Statement) not in graph:
            continue
        bearer = graph.value(statement, RDF.object)
        source, quote = graph.value(statement, WIV.source), graph.value(statement, WIV.quote)
        if bearer not in bearers or source is None or quote is None:
            continue
        words = {v.language: str(v) for v in graph.objects(statement, RDFS.label) if isinstance(v, Literal)}
        text = words.get(lang) or words.get("nl", "")
        out.setdefault(bearer, []).append(BearerReason(text, source, str(quote)))
    for reasons in out.values():
        reasons.sort(key=lambda r: (str(r.source), r.quote))
    return out


MODALITY_NAMES = {"permission": "Permission", "prohibition": "Prohibition", "obligation": "Obligation"}


def evaluated_steps(graph, category: URIRef, lang: str = "nl") -> list[NormStep]:
    """One step per norm on providing (or a narrower act: passing on, making known) data of
    ``category``; its conditions are the premises the evaluator leaves open."""
    from wivgraph.check.engine import checker_for  # noqa: PLC0415
    from wivgraph.check.resolve import Scenario  # noqa: PLC0415
    from wivgraph.namespaces import ACTION  # noqa: PLC0415

    checker = checker_for(graph, lang)
    idx = checker.idx
    provide = ACTION["provide"]
    acts = sorted((a for a in idx.ancestors if provide in idx.up(a) and str(a).startswith(str(ACTION))), key=str)
    norms = sorted({n for a in acts for n in checker.candidates(a, category)}, key=str)
    steps = []
    for n in norms:
        info = checker.norm_info(n)
        own_acts = [a for a in info.rule.actions if provide in idx.up(a)]
        if not own_acts:
            continue
        actor = info.rule.assignees[0] if info.rule.assignees else None
        if actor is None:
            continue
        sc = Scenario(id="onward", index=0, file="<onward>", actor=actor, action=own_acts[0],
                      data_category=category, date=None)
        ref, _ = checker.evaluate_norm(n, sc)
        if ref is None:
            continue
        step = NormStep(norm=n, modality=MODALITY_NAMES[info.modality], source=info.source,
                        quote=info.quote or "", actors=set(info.rule.assignees), actions=set(own_acts))
        for c in info.rule.constraints:
            if str(c.iri).endswith(("/constraint/recipient-scope", "/constraint/counterparty", "/constraint/recipient")):
                parts = [c] if not c.is_logical else list(c.operands)
                for part in parts:
                    for sub in ([part] if not part.is_logical else list(part.operands)):
                        step.scopes.update(v for v in sub.right_operand if isinstance(v, URIRef))
        for cond in ref.conditions:
            if cond.role == "scope" and any(w in cond.text for w in ("datum", "date")):
                continue  # validity is shown with the instrument, not as a condition
            if cond.role == "scope" and cond.kind is None and step.scopes:
                continue  # the recipient is shown under "Aan"
            key = cond.kind or URIRef(f"{n}/condition/{len(step.conditions)}")
            entry = step.conditions.setdefault(key, Condition(key, cond.quote or info.quote or "", text=cond.text))
            entry.consenting.update(cond.parties)
        steps.append(step)
    return sorted(steps, key=_order)


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


def reason_text(reason: BearerReason, t: dict) -> str:
    """'als juridisch onderbrenger van de CIIC (convenant-ciic-2020, art. 3: “…”)'."""
    cited = f"{cite(reason.source)}: \u201c{reason.quote}\u201d"
    return f"{reason.text} ({cited})" if reason.text else f"{t['derived_from']} {cited}"


def explain_onward(dataset, category: str, lang: str = "nl", *, root=None) -> str:
    """The readable explanation for ``wivgraph ask onward``."""
    if lang not in LANGS:
        raise WivgraphError(f"--lang: {lang!r}; expected one of {', '.join(LANGS)}")
    answer = ask_onward(dataset, category, root=root, lang=lang)
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
    for bearer in sorted(step.bearer_reasons, key=lambda b: label(graph, b, lang)):
        for reason in step.bearer_reasons[bearer]:
            lines.append(f"     - {label(graph, bearer, lang)}: {reason_text(reason, t)}")
    lines.append(f"   {t['action']}: {names(step.actions)}")
    if recipients or step.scopes:
        lines.append(f"   {t['to']}: {names(step.scopes) or t['any']}")
    effects = list(graph.objects(step.norm, WIV.legalEffect))
    if effects:
        lines.append(f"   {t['effect']}: {names(effects)}")
    if step.conditions:
        lines.append(f"   {t['conditions']}:")
        for cond in sorted(step.conditions.values(), key=lambda c: str(c.kind)):
            if cond.text:  # worded by the evaluator (it names who must consent)
                lines.append(f"   - {cond.text}: \u201c{cond.quote}\u201d")
                continue
            who = f" ({t['consent_of']} {names(cond.consenting)})" if cond.consenting else ""
            lines.append(f"   - {label(graph, cond.kind, lang)}{who}: \u201c{cond.quote}\u201d")
    else:
        lines.append(f"   {t['conditions']}: {t['no_condition']}")
    lines.append(f"   {t['source']}: {step.source}")
    lines.append(f"   {t['quote']}: \u201c{step.quote}\u201d")
    return lines
