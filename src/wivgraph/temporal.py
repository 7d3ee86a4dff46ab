"""When instruments are in force, read from the graph (shared by the checker and the network).

Sources of validity, in order: entry into force (``wiv:inForceFrom`` on the instrument or on its
``wiv:EntryIntoForce`` node, ``eli:first_date_entry_in_force``), an explicit end
(``eli:date_no_longer_in_force``), replacement (``wiv:replaces`` / ``eli:repeals``: the old one
ends when the new one starts), the document's own date as a lower bound when no entry into
force is known, and the legal regime (an instrument lives no longer than the law
it falls under, ``wiv:legalRegime``). No date is written in code.

What could not be decided is said, not dropped (:attr:`Validity.undecided`): an instrument replaced
on D applied until D even when its start is unknown ("begin onbekend"); termination by notice is
read from the termination clause (``wiv:terminationClause`` with ``wiv:noticePeriod``, or
``wiv:noticePeriod`` on the instrument), "no termination clause in the text" from a
``wiv:Absence`` of ``wiv:terminationClause`` (see ontology/clauses.ttl); a notice actually given is
never recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from wivgraph.namespaces import ELI, WIV


@dataclass
class Validity:
    start: dt.date | None = None
    end: dt.date | None = None  # exclusive
    start_basis: str = ""
    end_basis: str = ""
    notice: str | None = None  # the notice period (xsd:duration), when the text has one
    no_termination_clause: bool = False  # recorded as a fact: the text has no termination clause

    @property
    def undecided(self) -> list[str]:
        """What the graph cannot decide about this instrument's validity (Dutch, for users)."""
        reasons = []
        if self.start is None:
            reasons.append("begin onbekend")
        elif "lower bound" in self.start_basis:
            reasons.append("datum van inwerkingtreding onbekend; datum document als ondergrens")
        if self.end is None:
            if self.notice is not None:
                reasons.append(f"opzegbaar (opzegtermijn {self.notice}); opzegging niet vastgelegd")
            elif not self.no_termination_clause:
                reasons.append("opzegging niet vastgelegd")
        return reasons

    def covers(self, day: dt.date) -> bool:
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day >= self.end)


def as_date(value) -> dt.date | None:
    """A Python date from an xsd:date/xsd:dateTime literal (or its first ten characters)."""
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, dt.datetime):
            return python.date()
        if isinstance(python, dt.date):
            return python
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return None


def instrument_validity(g: Graph) -> dict:
    """Validity per instrument IRI, for every instrument the graph dates in any of the ways above."""
    val: dict = defaultdict(Validity)
    for prop in (WIV.inForceFrom, ELI.first_date_entry_in_force):
        for s, o in g.subject_objects(prop):
            d = as_date(o)
            if d is None:
                continue
            docs = (
                [s]
                if (s, RDF.type, WIV.EntryIntoForce) not in g
                else list(g.objects(s, WIV.instrument))
            )
            for doc in docs:
                v = val[doc]
                if v.start is None or d < v.start:
                    v.start, v.start_basis = d, str(s)
    # Nothing is in force before it exists: without an entry-into-force date, the document's own
    # date (signature, adoption) is the lower bound.
    for s, o in g.subject_objects(ELI.date_document):
        d = as_date(o)
        if d is not None and (s not in val or val[s].start is None):
            val[s].start, val[s].start_basis = d, f"{s} (document date, lower bound)"
    for s, o in g.subject_objects(ELI.date_no_longer_in_force):
        d = as_date(o)
        if d is not None:
            val[s].end, val[s].end_basis = d, str(s)
    for prop in (WIV.replaces, ELI.repeals):
        for new, old in g.subject_objects(prop):
            start = val[new].start if new in val else None
            if start is not None and (val[old].end is None or start < val[old].end):
                val[old].end, val[old].end_basis = start, str(new)
    for inst, regime in list(g.subject_objects(WIV.legalRegime)):
        if (
            regime in val
            and val[regime].end is not None
            and (val[inst].end is None or val[regime].end < val[inst].end)
        ):
            val[inst].end, val[inst].end_basis = val[regime].end, str(regime)
    for inst in list(val):
        _read_termination(g, inst, val[inst])
    return dict(val)


def _read_termination(g: Graph, inst, v: Validity) -> None:
    notices = [str(n) for n in g.objects(inst, WIV.noticePeriod)]
    for clause in g.objects(inst, WIV.terminationClause):
        notices += [str(n) for n in g.objects(clause, WIV.noticePeriod)]
    v.notice = min(notices) if notices else None
    v.no_termination_clause = any(
        (absence, RDF.type, WIV.Absence) in g
        and (absence, RDF.predicate, WIV.terminationClause) in g
        for absence in g.subjects(RDF.subject, inst)
    )


def in_force_on(g: Graph, day: dt.date) -> dict:
    """Instruments whose recorded validity covers ``day``, each with its :class:`Validity`.

    An instrument with an unknown start but a known end after ``day`` is included (it applied
    until the end); its ``undecided`` says "begin onbekend". Instruments the graph does not date
    at all are not returned.
    """
    return {iri: v for iri, v in instrument_validity(g).items() if v.covers(day)}
