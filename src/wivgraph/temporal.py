"""When instruments are in force, read from the graph (shared by the checker and the network).

Sources of validity, in order: entry into force (``wiv:inForceFrom`` on the instrument or on its
``wiv:EntryIntoForce`` node, ``eli:first_date_entry_in_force``), an explicit end
(``eli:date_no_longer_in_force``), replacement (``wiv:replaces`` / ``eli:repeals``: the old one
ends when the new one starts), the document's own date as a lower bound when no entry into
force is known, and the legal regime (an instrument lives no longer than the law
it falls under, ``wiv:legalRegime``). No date is written in code.
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
    return dict(val)
