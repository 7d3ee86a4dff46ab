"""Names in scenario files -> IRIs in the graph (case-insensitive slug, label or abbreviation)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from wivgraph.check.index import PARTY_CLASSES, NormIndex, _local
from wivgraph.check.scenarios import MET, NOT_MET, UNKNOWN, RawScenario, status_of
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import ACTION, CELL, CONCEPT, DATACAT, DOC, ORGANISATION, ROLE, SCOPE, WIV

# Which concepts each field accepts: concept schemes, or (fallback) an IRI namespace.
FIELD_SCHEMES: dict[str, tuple[tuple[URIRef, ...], tuple[str, ...]]] = {
    "action": ((CONCEPT["scheme-actions"],), (str(ACTION),)),
    "data_category": ((CONCEPT["scheme-data-categories"],), (str(DATACAT),)),
    "recipient_kind": ((CONCEPT["scheme-recipient-scopes"],), (str(SCOPE),)),
    "third_party_rule": (
        (CONCEPT["scheme-third-party-rule-markings"], CONCEPT["third-party-rule-form"]), ()),
    "purpose": ((CONCEPT["purpose"],), ()),
    "recipient_standing": ((CONCEPT["criteria-standing"],), ()),
    "condition": ((CONCEPT["scheme-condition-kinds"], CONCEPT["scheme-actions"]), (str(ACTION),)),
    "role": ((CONCEPT["scheme-roles"],), (str(ROLE),)),
    "place": ((CONCEPT["scheme-places"],), ()),
    "work_product": ((CONCEPT["scheme-work-products"],), ()),
}
FACT_FIELDS = ("third_party_rule", "purpose", "recipient_standing")
WHAT = {
    "actor": "organisation or cell", "party": "organisation or cell", "action": "action",
    "recipient": "organisation, cell or role",
    "data_category": "data category", "recipient_kind": "recipient kind",
    "third_party_rule": "third-party rule form", "purpose": "purpose",
    "recipient_standing": "recipient standing", "condition": "condition kind or action",
    "decided_by": "office or role", "place": "place",
    "object": "object (instrument, cell or work product)",
}
# Scenario facts that settle a kind of condition: purpose "own task" means the condition
# "own task" is met; "in the interest of the foreign service" means it is not (22B 3.2).
FACT_CONDITIONS = {
    CONCEPT["purpose-own-task"]: {CONCEPT["condition-own-task"]: MET},
    CONCEPT["purpose-foreign-service-interest"]: {CONCEPT["condition-own-task"]: NOT_MET},
    # the marking on the provision (third_party_rule) says whether "the third-party rule was
    # stated" (condition-kinds.ttl): naming services states it, no marking does not; a marking
    # naming countries is left unknown here, since the statute (art 37) names no form and only a
    # CTIVD practice passage (22B 5.3) rejects it
    CONCEPT["tpr-named-services"]: {CONCEPT["condition-third-party-rule-stated"]: MET},
    CONCEPT["tpr-absent"]: {CONCEPT["condition-third-party-rule-stated"]: NOT_MET},
}


@dataclass
class Scenario:
    """A scenario with every name resolved to a graph node."""

    id: str
    index: int
    file: str
    actor: URIRef
    action: URIRef
    data_category: URIRef | None = None
    originating: URIRef | None = None
    originating_name: str | None = None
    recipient: URIRef | None = None
    recipient_name: str | None = None
    recipient_kind: URIRef | None = None
    consents: dict = field(default_factory=dict)  # party -> status
    ministerial: str = UNKNOWN
    facts: frozenset = frozenset()  # concept values (third-party rule, purpose, standing)
    conditions: dict = field(default_factory=dict)  # condition kind or action -> status
    decided_by: URIRef | None = None
    not_decided_by: frozenset = frozenset()  # offices/roles known not to have decided
    place: URIRef | None = None
    date: dt.date = field(default_factory=dt.date.today)
    date_assumed: bool = False
    date_note: str | None = None  # the assumption behind an assumed date, if not "today"
    text: str = ""
    raw: dict = field(default_factory=dict)
    legal_basis: str | None = None  # v2: the subdivision IRI the actor relies on
    object: URIRef | None = None  # v2: what the act is about when it is not data (document, cell, work product)


class Vocabulary:
    """Lookup tables per field, built once per index."""

    def __init__(self, idx: NormIndex):
        self.idx = idx
        self.tables: dict[str, dict[str, URIRef]] = {}
        self.display: dict[str, list[str]] = {}
        parties = [n for n, t in idx.types.items() if t & set(PARTY_CLASSES) and WIV.Role not in t]
        parties += [n for n in idx.types if str(n).startswith((str(ORGANISATION), str(CELL)))]
        self._add("party", sorted(set(parties), key=str))
        for name, (schemes, spaces) in FIELD_SCHEMES.items():
            members = [
                c for c in idx.ancestors
                if (idx.schemes.get(c, frozenset()) & set(schemes))
                or (spaces and str(c).startswith(spaces) and not str(c).rsplit("/", 1)[-1].startswith("scheme-"))
            ]
            by_scheme: dict = {}
            for c in sorted(set(members), key=str):
                key = next(iter(sorted(idx.schemes.get(c, {None}), key=str)), None)
                by_scheme.setdefault(key, []).append(c)
            self._add(name, sorted(set(members), key=str), groups=list(by_scheme.values()))
        self.tables["decided_by"] = {**self.tables["role"], **self.tables["party"]}
        self.display["decided_by"] = self.display["party"] + self.display["role"]
        # a recipient can be a role the text names ("de door de Hoofddirecteur van de IND
        # aangewezen medewerkers"), not only an organisation or cell
        self.tables["recipient"] = self.tables["decided_by"]
        self.display["recipient"] = self.display["decided_by"]
        instruments = sorted(idx.parties_of, key=str)  # the instruments with parties: the convenants
        cells = [n for n in idx.types if str(n).startswith(str(CELL))]
        self._add("instrument", instruments + sorted(cells, key=str))
        self.tables["object"] = {**self.tables["instrument"], **self.tables["work_product"]}
        self.display["object"] = self.display["instrument"] + self.display["work_product"]

    def _add(self, name: str, nodes: list, groups: list | None = None) -> None:
        table: dict[str, URIRef] = {}
        shown: list[str] = []
        strip: dict = {}
        alt_keys: dict[str, set] = {}
        for group in groups or [nodes]:
            locals_ = [_local(n) for n in group]
            prefix = os.path.commonprefix(locals_) if len(locals_) > 1 else ""
            prefix = prefix[: prefix.rfind("-") + 1] if "-" in prefix else ""
            for n in group:
                strip[n] = prefix
        for n in nodes:
            slug = _local(n).lower()
            keys = [slug]
            if strip.get(n) and slug.startswith(strip[n]) and len(slug) > len(strip[n]):
                keys.append(slug[len(strip[n]):])
            for lang in ("nl", "en", ""):
                lab = self.idx.labels.get((n, lang))
                if lab:
                    keys.append(lab.lower())
            for key in keys:
                if key in table and table[key] != n:
                    # Same name in two schemes (e.g. the two third-party-rule lists): equivalent.
                    other = table[key]
                    eq = self.idx.equivalent
                    eq[n] = frozenset(eq.get(n, frozenset()) | {other})
                    eq[other] = frozenset(eq.get(other, frozenset()) | {n})
                    continue
                table[key] = n
            # other names (skos:altLabel, further labels) only where no main name is taken: an
            # alternative name never makes two terms equivalent
            for alt in self.idx.alt_labels.get(n, ()):
                alt_keys.setdefault(alt.lower(), set()).add(n)
            short = keys[1] if len(keys) > 1 and strip.get(n) and keys[1] != slug else slug
            shown.append(f"{short} ({self.idx.label(n, 'en')})")
        for key, named in alt_keys.items():
            if key not in table and len(named) == 1:  # an ambiguous alternative name stays unknown
                table[key] = next(iter(named))
        self.tables[name] = table
        self.display[name] = shown

    def lookup(self, name: str, value: str, raw: RawScenario, field_name: str) -> URIRef:
        table = self.tables[name]
        key = value.strip().lower()
        if key in table:
            return table[key]
        close = difflib.get_close_matches(key, list(table), n=5, cutoff=0.5)
        closest = ", ".join(f"'{c}' ({_local(table[c])})" for c in close) or "none"
        known = sorted(self.display[name], key=str.lower)
        listing = ", ".join(known[:60]) + (f", ... ({len(known)} in all)" if len(known) > 60 else "")
        raise WivgraphError(
            f"{raw.where(field_name)}: unknown {WHAT.get(name, name)} {value!r}; "
            f"closest matches: {closest}; known: {listing}"
        )


_VOCAB: dict[int, Vocabulary] = {}


def vocabulary(idx: NormIndex) -> Vocabulary:
    voc = made_vocabulary(idx)
    if voc is None:
        voc = Vocabulary(idx)
        remember_vocabulary(voc)
    return voc


def made_vocabulary(idx: NormIndex) -> Vocabulary | None:
    """The name tables of ``idx`` if made in this process (or given back from a memo)."""
    voc = _VOCAB.get(id(idx))
    return voc if voc is not None and voc.idx is idx else None


def remember_vocabulary(voc: Vocabulary) -> None:
    """Use ``voc`` as the name tables of its index (one index at a time)."""
    _VOCAB.clear()
    _VOCAB[id(voc.idx)] = voc


def _party(voc: Vocabulary, value: Any, raw: RawScenario, field_name: str,
           table: str = "party") -> tuple[URIRef | None, str]:
    if isinstance(value, dict):
        return None, str(value.get("name"))
    node = voc.lookup(table, str(value), raw, field_name)
    return node, voc.idx.label(node)


def resolve(idx: NormIndex, raw: RawScenario) -> Scenario:
    """Resolve one raw scenario; the first unknown name raises a WivgraphError."""
    voc = vocabulary(idx)
    d = raw.data
    sc = Scenario(
        id=raw.id, index=raw.index, file=raw.file, raw=d,
        actor=voc.lookup("party", d["actor"], raw, "actor"),
        action=voc.lookup("action", d["action"], raw, "action"),
        text=d.get("text", ""),
    )
    if d.get("data_category") is not None:
        sc.data_category = voc.lookup("data_category", d["data_category"], raw, "data_category")
    if d.get("object") is not None:
        sc.object = voc.lookup("object", str(d["object"]), raw, "object")
    if d.get("originating_party") is not None:
        sc.originating, sc.originating_name = _party(voc, d["originating_party"], raw, "originating_party")
    if d.get("recipient") is not None:
        sc.recipient, sc.recipient_name = _party(voc, d["recipient"], raw, "recipient", "recipient")
    if d.get("recipient_kind") is not None:
        sc.recipient_kind = voc.lookup("recipient_kind", d["recipient_kind"], raw, "recipient_kind")
    for item in d.get("consents", []) or []:
        if isinstance(item, dict):
            party, status = item["party"], status_of(item.get("status", True))
        else:
            party, status = item, MET
        sc.consents[voc.lookup("party", party, raw, "consents")] = status
    if "ministerial_permission" in d:
        sc.ministerial = status_of(d["ministerial_permission"])
    facts = set()
    for name in FACT_FIELDS:
        if d.get(name) is not None:
            facts.add(voc.lookup(name, d[name], raw, name))
    sc.facts = frozenset(facts)
    for key, value in (d.get("conditions") or {}).items():
        sc.conditions[voc.lookup("condition", key, raw, "conditions")] = status_of(value)
    if d.get("place") is not None:
        sc.place = voc.lookup("place", d["place"], raw, "place")
    if d.get("decided_by") is not None:
        sc.decided_by = voc.lookup("decided_by", d["decided_by"], raw, "decided_by")
    if d.get("legal_basis") is not None:
        sc.legal_basis = legal_basis_iri(str(d["legal_basis"]), raw)
    if d.get("date") is not None:
        try:
            sc.date = dt.date.fromisoformat(str(d["date"]))
        except ValueError:
            raise WivgraphError(
                f"{raw.where('date')}: invalid date {d['date']!r} (expected YYYY-MM-DD)"
            ) from None
    else:
        sc.date, sc.date_assumed = dt.date.today(), True
    return sc


_BASIS = re.compile(r"^\s*([a-z0-9-]+)\s+(?:art(?:ikel)?\.?\s*)([0-9]+[a-z]?)(?:\s+lid\s+([0-9]+))?\s*$", re.I)


def legal_basis_iri(text: str, raw: RawScenario) -> str:
    """'wiv-2002 art 36' or 'wiv-2002 art 36 lid 1' -> the subdivision's IRI."""
    m = _BASIS.match(text)
    if m is None:
        raise WivgraphError(
            f"{raw.where('legal_basis')}: got {text!r}, expected '<document> art <n>' or "
            "'<document> art <n> lid <m>' (e.g. 'wiv-2002 art 36')"
        )
    doc, art, lid = m.group(1).lower(), m.group(2), m.group(3)
    return f"{DOC}{doc}/art/{art}" + (f"/lid/{lid}" if lid else "")


def resolve_all(idx: NormIndex, raws: list[RawScenario]) -> list[Scenario]:
    """Resolve every scenario before any is evaluated; all errors in one message."""
    out, errors = [], []
    for raw in raws:
        try:
            out.append(resolve(idx, raw))
        except WivgraphError as exc:
            errors.append(str(exc))
    if errors:
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise WivgraphError("\n  ".join(errors[:20]) + more if len(errors) > 1 else errors[0])
    return out


__all__ = ["MET", "NOT_MET", "UNKNOWN", "Scenario", "Vocabulary", "resolve", "resolve_all"]
