"""Every text the explorer shows, in Dutch and English (one table; Dutch is the default)."""

from __future__ import annotations

import re

LANGS = ("nl", "en")

STRINGS: dict[str, tuple[str, str]] = {
    # shell
    "app.title": ("wivgraph", "wivgraph"),
    "app.caption": (
        "Kennisgraaf van het samenwerkingskader van de inlichtingen- en veiligheidsdiensten",
        "Knowledge graph of the cooperation framework of the intelligence and security services",
    ),
    "app.load_error": (
        "De graaf kan niet worden geladen: {error}",
        "The graph cannot be loaded: {error}",
    ),
    "side.lang": ("Taal / language", "Taal / language"),
    "side.date": ("Geldig op", "Valid on"),
    "side.date_help": (
        "Toon alleen wat op deze datum gold (instrumenten met bekende data).",
        "Show only what was in force on this date (instruments with known dates).",
    ),
    "side.date_on": ("Filter op datum", "Filter by date"),
    "side.inferred": ("Afgeleide feiten tonen (OWL RL)", "Show inferred facts (OWL RL)"),
    "side.inferred_help": (
        "Voegt feiten toe die de redeneerder afleidt; ze zijn gemarkeerd als afgeleid.",
        "Adds facts the reasoner derives; they are marked as inferred.",
    ),
    "side.endpoint": (
        "Gegevens van het SPARQL-endpoint {url} (WIVGRAPH_ENDPOINT), eenmalig gekopieerd.",
        "Data from the SPARQL endpoint {url} (WIVGRAPH_ENDPOINT), copied once.",
    ),
    "side.excluded": (
        "{n} instrument(en) golden niet op {date} en zijn weggelaten.",
        "{n} instrument(s) were not in force on {date} and are left out.",
    ),
    "inferred": ("afgeleid", "inferred"),
    "not_available": (
        "Nog niet beschikbaar: de module `{module}` bestaat nog niet.",
        "Not yet available: the module `{module}` does not exist yet.",
    ),
    "empty": ("Nog niets in de graaf.", "Nothing in the graph yet."),
    "download.csv": ("CSV downloaden", "Download CSV"),
    "download.json": ("JSON downloaden", "Download JSON"),
    "rows": ("{n} rij(en)", "{n} row(s)"),
    "truncated": (
        "Afgekapt: meer dan {n} rijen; alleen de eerste {n} worden getoond.",
        "Truncated: more than {n} rows; only the first {n} are shown.",
    ),
    "source": ("bron", "source"),
    "quote": ("citaat", "quote"),
    "open": ("openen", "open"),
    "external": ("externe bron", "external source"),
    "choose": ("Kies…", "Choose…"),
    # Streamlit's own file uploader texts (shown through state.file_uploader's style rule)
    "upload.button": ("Bestand kiezen", "Upload"),
    "upload.limit": ("max. {mb} MB per bestand", "{mb}MB per file"),
    "upload.drop": ("Sleep het bestand hierheen", "Drag and drop a file here"),
    # pages
    "page.overview": ("Overzicht", "Overview"),
    "page.search": ("Zoeken", "Search"),
    "page.entity": ("Entiteit", "Entity"),
    "page.documents": ("Documenten", "Documents"),
    "page.network": ("Netwerk", "Network"),
    "page.questions": ("Vragen", "Questions"),
    "page.onward": ("Doorgeven", "Onward transfer"),
    "page.scenario": ("Scenario", "Scenario"),
    "page.sparql": ("SPARQL", "SPARQL"),
    "page.validation": ("Validatie", "Validation"),
    "page.findings": ("Bevindingen", "Findings"),
    "page.toets": ("Convenantentoets", "Convenant test"),
    # overview
    "ov.triples": ("Triples", "Triples"),
    "ov.graphs": ("Benoemde grafen", "Named graphs"),
    "ov.instruments": ("Instrumenten", "Instruments"),
    "ov.timeline": ("Tijdlijn van de instrumenten", "Timeline of the instruments"),
    "ov.classes": ("Soorten dingen", "Kinds of things"),
    "ov.col.graph": ("graaf", "graph"),
    "ov.col.class": ("klasse", "class"),
    "ov.col.count": ("aantal", "count"),
    "ov.col.label": ("instrument", "instrument"),
    "ov.col.kind": ("soort", "kind"),
    "ov.col.dated": ("datum", "date"),
    "ov.col.start": ("in werking", "in force from"),
    "ov.col.end": ("tot", "until"),
    "ov.no_instruments": ("Nog geen instrumenten in de graaf.", "No instruments in the graph yet."),
    # search
    "search.input": (
        "Zoek op naam, afkorting, artikelnummer of tekst",
        "Search by name, abbreviation, article number or text",
    ),
    "search.none": ("Niets gevonden voor ‘{q}’.", "Nothing found for ‘{q}’."),
    "search.count": ("{n} treffer(s)", "{n} hit(s)"),
    "search.field.label": ("naam", "name"),
    "search.field.altLabel": ("andere naam", "other name"),
    "search.field.number": ("artikelnummer", "article number"),
    "search.field.text": ("tekst", "text"),
    # entity
    "ent.input": ("IRI of naam", "IRI or name"),
    "ent.pick": (
        "Kies iets om te bekijken (via Zoeken of een IRI hieronder).",
        "Pick something to view (via Search or an IRI below).",
    ),
    "ent.unknown": ("Onbekend in de graaf: {iri}", "Unknown in the graph: {iri}"),
    "ent.kinds": ("Soort", "Kind"),
    "ent.labels": ("Namen", "Names"),
    "ent.text": ("Tekst", "Text"),
    "ent.out": ("Feiten", "Facts"),
    "ent.in": ("Verwijzingen naar dit ding", "References to this thing"),
    "ent.wetten": ("Op wetten.overheid.nl", "On wetten.overheid.nl"),
    "ent.hidden": (
        "{n} feit(en) uit instrumenten die op de gekozen datum niet golden zijn verborgen.",
        "{n} fact(s) from instruments not in force on the chosen date are hidden.",
    ),
    "ent.own_source": ("Bron van dit ding", "Source of this thing"),
    "ent.no_facts": ("Geen feiten.", "No facts."),
    "ent.iri": ("Kenmerk (IRI)", "Identifier (IRI)"),
    # documents
    "doc.pick": ("Document", "Document"),
    "doc.none": (
        "Nog geen documenten met artikelen in de graaf.",
        "No documents with articles in the graph yet.",
    ),
    "doc.facts": ("Feiten en normen uit dit onderdeel", "Facts and norms from this part"),
    "doc.intro": (
        "De tekst artikel voor artikel; onder elk lid wat erop berust (normen, partijen, data, "
        "termijnen, verwijzingen), in woorden. Elk lid heeft een eigen link om door te sturen.",
        "The text article by article; under each paragraph what rests on it (norms, parties, "
        "dates, deadlines, citations), in words. Every paragraph has its own link to send on.",
    ),
    "doc.focus": ("Gevraagd: {where}", "Requested: {where}"),
    "doc.focus_help": (
        "Geopend via een link; de hele tekst staat hieronder.",
        "Opened through a link; the whole text follows below.",
    ),
    "doc.permalink": ("Link naar {where}", "Link to {where}"),
    "doc.to_entity": ("Alles over dit feit", "Everything about this fact"),
    "doc.details": ("Kenmerken (IRI’s)", "Identifiers (IRIs)"),
    "doc.not_in_force": (
        "Dit instrument gold niet op {date}.",
        "This instrument was not in force on {date}.",
    ),
    # network
    "net.kinds": ("Toon", "Show"),
    "net.kind.organisation": ("organisaties", "organisations"),
    "net.kind.cell": ("cellen", "cells"),
    "net.kind.instrument": ("instrumenten", "instruments"),
    "net.kind.unit": ("onderdelen", "units"),
    "net.kind.office": ("ambten", "offices"),
    "net.kind.role": ("rollen", "roles"),
    "net.projection": ("Netwerk", "Network"),
    "net.kind1.organisation": ("organisatie", "organisation"),
    "net.kind1.cell": ("cel", "cell"),
    "net.kind1.instrument": ("instrument", "instrument"),
    "net.kind1.unit": ("onderdeel", "unit"),
    "net.kind1.office": ("ambt", "office"),
    "net.kind1.role": ("rol", "role"),
    "net.kind1.other": ("overig", "other"),
    "net.legend.nodes": ("Knopen", "Nodes"),
    "net.legend.edges": ("Verbindingen", "Edges"),
    "net.info.name": ("naam", "name"),
    "net.info.kind": ("soort", "kind"),
    "net.info.relation": ("verbinding", "relation"),
    "net.to_entity": ("Alles over deze partij", "Everything about this party"),
    "net.col.party": ("partij", "party"),
    "net.col.degree": ("aantal verbindingen", "degree"),
    "net.col.degree_centrality": ("graadcentraliteit", "degree centrality"),
    "net.col.betweenness": ("tussenligging", "betweenness"),
    "net.proj.cooperation": ("samenwerking", "cooperation"),
    "net.proj.flows": ("gegevensstromen", "data flows"),
    "net.proj.instruments": ("instrumenten en partijen", "instruments and parties"),
    "net.list": ("Alle knopen", "All nodes"),
    "net.paths": ("Langs welke partijen kunnen gegevens gaan, en onder welke voorwaarden?",
                  "Through which parties can data travel, and on which conditions?"),
    "net.from": ("Van", "From"),
    "net.to": ("Naar", "To"),
    "net.path": ("Pad {n}", "Path {n}"),
    "net.nopath": ("Geen pad langs de gedocumenteerde gegevensstromen.",
                   "No path along the documented data flows."),
    "net.consent": ("vergt toestemming", "needs consent"),
    "net.noconsent": ("zonder toestemmingsvoorwaarde", "no consent condition"),
    "net.cut": ("Partijen die als enige anderen verbinden", "Parties that alone connect others"),
    "net.centrality": ("Centraliteit", "Centrality"),
    "net.bridges": ("Verbindingen die als enige twee delen verbinden", "Bridges"),
    "net.bridges_help": (
        "Zonder deze verbinding valt het getoonde netwerk uiteen (bruggen).",
        "Without this edge the network as shown falls apart (bridges).",
    ),
    "net.instruments": ("Uit instrument", "From instrument"),
    "net.instruments_help": (
        "Alleen verbindingen die uit dit instrument komen (via het instrument of een lid ervan).",
        "Only relations that come from this instrument (through it, or from its lid).",
    ),
    "net.all": ("alle", "all"),
    "net.types": ("Soort verbinding", "Kind of relation"),
    "net.modality": ("Bevoegdheid of verplichting", "Permission or obligation"),
    "net.categories": ("Gegevenscategorie", "Data category"),
    # relation types of wivgraph.network.COOPERATION_PATTERNS (unknown ones show their key)
    "net.rel.shared-instrument": ("partij bij hetzelfde instrument", "party to the same instrument"),
    "net.rel.cell-member": ("lid van de cel", "member of the cell"),
    "net.rel.designates-staff": ("wijst medewerkers aan voor", "designates staff to"),
    "net.rel.supplies-data": ("verstrekt gegevens aan", "supplies data to"),
    "net.rel.practical-route": ("praktijkroute (geen wettelijke norm)", "practical route (no legal norm)"),
    "net.rel.legal-host": ("juridisch onderdeel van", "legal host"),
    "net.rel.physical-host": ("fysiek gehuisvest bij", "physical host"),
    "net.rel.representation": ("vertegenwoordiging", "representation"),
    "net.rel.unit-of": ("onderdeel van", "unit of"),
    "net.rel.under-minister": ("valt onder minister", "under minister"),
    "net.empty": ("Geen verbindingen voor deze keuze.", "No connections for this selection."),
    "net.hint": (
        "Wijs een knoop of naam aan voor de volledige naam, klik op een knoop voor zijn feiten; "
        "alle namen staan ook in de lijst hieronder.",
        "Point at a node or name for the full name, click a node for its facts; all names are in "
        "the list below too.",
    ),
    "net.open": ("Geselecteerd: {label}", "Selected: {label}"),
    "net.count": ("{n} knopen, {e} verbindingen", "{n} nodes, {e} edges"),
    # questions
    "q.none": (
        "Nog geen vragen in de catalogus (queries/*.rq).",
        "No questions in the catalogue yet (queries/*.rq).",
    ),
    "q.pick": ("Vraag", "Question"),
    "q.run": ("Beantwoorden", "Answer"),
    "q.sparql": ("SPARQL van deze vraag", "SPARQL of this question"),
    "q.to_editor": ("Openen in de SPARQL-editor", "Open in the SPARQL editor"),
    "q.answer": ("Antwoord", "Answer"),
    "q.ask_true": ("Ja", "Yes"),
    "q.ask_false": ("Nee", "No"),
    "q.time": ("{ms:.0f} ms", "{ms:.0f} ms"),
    # onward
    "onw.intro": (
        "Wie mag gegevens van een categorie doorgeven, aan wie, en onder welke voorwaarde?",
        "Who may pass on data of a category, to whom, and on what condition?",
    ),
    "onw.pick": ("Gegevenscategorie", "Data category"),
    "onw.none": (
        "Nog geen gegevenscategorieën in de graaf.",
        "No data categories in the graph yet.",
    ),
    "onw.empty": ("Geen regels gevonden voor deze categorie.", "No rules found for this category."),
    # scenario
    "sc.intro": (
        "Beschrijf een situatie; de toetser zegt of zij past binnen de normen, onder welke voorwaarden, met bronnen.",
        "Describe a situation; the checker says whether it fits the norms, on which conditions, with sources.",
    ),
    "sc.run": ("Toetsen", "Check"),
    "sc.actor": ("Wie handelt", "Who acts"),
    "sc.action": ("Handeling", "Action"),
    "sc.category": ("Gegevenscategorie", "Data category"),
    "sc.origin": ("Afkomstig van", "Originating party"),
    "sc.recipient": ("Ontvanger", "Recipient"),
    "sc.recipient_kind": ("Soort ontvanger", "Kind of recipient"),
    "sc.consents": ("Verkregen toestemming van", "Consent obtained from"),
    "sc.met": ("Vervulde voorwaarden", "Conditions met"),
    "sc.date": ("Datum", "Date"),
    "sc.assumptions": ("Opmerkingen", "Notes"),
    "sc.open": ("Open punten (onbekend, beslissend)", "Open points (unknown, deciding)"),
    "sc.unmet": ("Niet vervulde vereisten", "Requirements not met"),
    "sc.used": ("Gebruikte feiten", "Facts used"),
    "sc.unknown": ("Onbekende feiten", "Unknown facts"),
    "sc.deciding": ("beslissend", "deciding"),
    "sc.trace": ("Redenering", "Reasoning"),
    "sc.verdict": ("Oordeel", "Verdict"),
    "sc.conditions": ("Voorwaarden", "Conditions"),
    "sc.citations": ("Bronnen", "Sources"),
    # sparql
    "sp.editor": ("SPARQL-query (alleen lezen)", "SPARQL query (read only)"),
    "sp.example": ("Voorbeeld uit de catalogus", "Example from the catalogue"),
    "sp.example_none": ("(leeg, met prefixen)", "(empty, with prefixes)"),
    "sp.upload": ("Of upload een .rq-bestand", "Or upload a .rq file"),
    "sp.run": ("Uitvoeren", "Run"),
    "sp.rows": ("Rijlimiet (LIMIT)", "Row limit (LIMIT)"),
    "sp.not_utf8": ("{name}: geen UTF-8-tekst", "{name}: not UTF-8 text"),
    "sp.limits": (
        "Alleen SELECT, ASK, CONSTRUCT en DESCRIBE. Geweigerd: UPDATE, LOAD, SERVICE, FROM. "
        "Tijdslimiet {t} s, rijlimiet {r}, invoer hoogstens {k} kB.",
        "Only SELECT, ASK, CONSTRUCT and DESCRIBE. Refused: UPDATE, LOAD, SERVICE, FROM. "
        "Time limit {t} s, row limit {r}, input at most {k} kB.",
    ),
    "sp.too_big": (
        "De query is te groot: {n} kB, hoogstens {k} kB toegestaan.",
        "The query is too large: {n} kB, at most {k} kB allowed.",
    ),
    "sp.refused": ("Geweigerd: {msg}", "Refused: {msg}"),
    "sp.error": ("Fout: {msg}", "Error: {msg}"),
    # validation
    "val.run": ("Valideren", "Validate"),
    "val.ok": ("De graaf voldoet aan alle vormen (shapes).", "The graph conforms to all shapes."),
    "val.bad": (
        "De graaf voldoet niet: {v} overtreding(en), {w} waarschuwing(en).",
        "The graph does not conform: {v} violation(s), {w} warning(s).",
    ),
    "val.warn": (
        "De graaf voldoet, met {w} waarschuwing(en).",
        "The graph conforms, with {w} warning(s).",
    ),
    "val.col.severity": ("ernst", "severity"),
    "val.sev.Violation": ("Overtredingen", "Violations"),
    "val.sev.Warning": ("Waarschuwingen", "Warnings"),
    "val.sev.Info": ("Meldingen", "Info"),
    "val.col.focus": ("ding", "focus"),
    "val.col.path": ("pad", "path"),
    "val.col.message": ("melding", "message"),
    "val.col.value": ("waarde", "value"),
    "val.col.source": ("bron", "source"),
    "val.col.shape": ("vorm", "shape"),
    # findings
    "fi.none": (
        "Nog geen bevindingen of aanbevelingen in de graaf.",
        "No findings or recommendations in the graph yet.",
    ),
    "fi.no_provision": ("(zonder wettelijke bepaling)", "(without a legal provision)"),
    "fi.verdict": ("oordeel", "verdict"),
    "fi.date": (
        "Gefilterd op datum: alleen wat de CTIVD op {date} had gepubliceerd (datum van het "
        "rapport); {n} weggelaten. De casussen zelf hebben geen datum in de graaf.",
        "Filtered by date: only what the CTIVD had published by {date} (date of the report); "
        "{n} left out. The cases themselves have no date in the graph.",
    ),
    "fi.none_on": (
        "Op {date} had de CTIVD nog geen van deze rapporten gepubliceerd.",
        "By {date} the CTIVD had published none of these reports yet.",
    ),
    # pages the "geldig op" date does not apply to
    "date.not_filtered": ("Niet gefilterd op datum", "Not filtered by date"),
    "date.why.validation": (
        "Niet gefilterd op datum: de validatie toetst de hele graaf aan de vormen (shapes), "
        "ook wat op {date} niet gold; een fout in een oud instrument blijft een fout in de data.",
        "Not filtered by date: validation checks the whole graph against the shapes, including "
        "what was not in force on {date}; an error in an old instrument is still an error in "
        "the data.",
    ),
    "date.why.sparql": (
        "Niet gefilterd op datum: een eigen query ziet de hele graaf, ook wat op {date} niet "
        "gold. Filter zelf, bijvoorbeeld op wiv:inForceFrom of eli:date_document.",
        "Not filtered by date: your own query sees the whole graph, including what was not in "
        "force on {date}. Filter yourself, e.g. on wiv:inForceFrom or eli:date_document.",
    ),
    # convenantentoets (wivgraph.app.pages.toets, docs/toets.md)
    "to.intro": (
        "Elk convenant getoetst aan de Aanwijzingen voor convenanten (2003): per lid van een "
        "aanwijzing voldoet, voldoet niet, te overwegen, niet toetsbaar, niet van toepassing of onbekend.",
        "Each convenant tested against the Instructions for convenants (2003): per paragraph of an "
        "instruction complies, does not comply, to consider, not testable, not applicable or unknown.",
    ),
    "to.convenant": ("Convenant", "Convenant"),
    "to.none": ("Er zijn geen convenanten met tekst in de graaf.", "There are no convenants with text in the graph."),
    "to.col.aanwijzing": ("Aanwijzing", "Instruction"),
    "to.col.lid": ("Lid", "Paragraph"),
    "to.col.outcome": ("Uitkomst", "Outcome"),
    "to.col.provision": ("Bepaling", "Provision"),
    "to.col.reason": ("Reden", "Reason"),
    "to.col.quote": ("Tekst van de aanwijzing", "Text of the instruction"),
    "to.links": ("Naar de teksten", "To the texts"),
    "to.counts": ("{counts}", "{counts}"),
    "to.draft": ("Concept toetsen", "Test a draft"),
    "to.draft_help": (
        "Kies een concepttekst om te toetsen (platte tekst, zoals data/sources/). Er wordt niets "
        "opgeslagen tenzij u op Opslaan klikt.",
        "Upload a draft text (plain text, like data/sources/). Nothing is stored unless you click Save.",
    ),
    "to.upload": ("Concepttekst (.txt)", "Draft text (.txt)"),
    "to.slug": ("Id van het concept", "Id of the draft"),
    "to.save": ("Opslaan in data/", "Save to data/"),
    "to.saved": ("Opgeslagen: {files}", "Saved: {files}"),
    "to.exists": ("{slug} bestaat al in data/; kies een ander id.", "{slug} already exists in data/; choose another id."),
    "to.error": ("De concepttekst kan niet worden gelezen: {error}", "The draft text cannot be read: {error}"),
}


def t(key: str, lang: str = "nl", **values) -> str:
    """The text for ``key`` in ``lang`` (Dutch when ``lang`` is unknown), formatted."""
    nl, en = STRINGS[key]
    text = en if lang == "en" else nl
    return text.format(**values) if values else text


# --- column headers of query results ---------------------------------------------------------
# A SPARQL variable name becomes a header by splitting camelCase into words; Dutch headers
# translate word by word with this vocabulary (English keeps the words). Whole names that do not
# translate word by word are in COLUMN_PHRASES. A trailing "Label" means the name of the thing.

COLUMN_WORDS_NL: dict[str, str] = {
    "action": "handeling", "actor": "actor", "addressee": "geadresseerde", "anchor": "anker",
    "annex": "bijlage", "any": "enig", "article": "artikel", "articles": "artikelen",
    "aspect": "aspect", "body": "orgaan", "capacity": "hoedanigheid", "case": "casus",
    "category": "categorie", "cited": "aangehaald", "citing": "verwijzend",
    "condition": "voorwaarde", "consenting": "toestemmende", "convenant": "convenant",
    "convenants": "convenanten", "count": "aantal", "counterparty": "wederpartij",
    "criterion": "criterium", "date": "datum", "definition": "definitie", "document": "document",
    "entry": "inwerkingtreding", "event": "gebeurtenis", "excludes": "sluit uit",
    "external": "externe", "fact": "feit", "finding": "bevinding", "findings": "bevindingen",
    "first": "eerste", "from": "van", "graph": "graaf", "hit": "treffer", "host": "gastheer",
    "housing": "huisvesting", "identifier": "kenmerk", "instrument": "instrument",
    "kind": "soort", "label": "naam", "law": "wet", "leden": "leden", "lid": "lid", "link": "link",
    "minister": "minister", "ministerial": "ministeriële", "modality": "modaliteit",
    "name": "naam", "new": "nieuw", "norm": "norm", "norms": "normen", "number": "nummer",
    "object": "object", "organisation": "organisatie", "page": "pagina", "part": "onderdeel",
    "party": "partij", "period": "periode", "permission": "toestemming", "place": "plaats",
    "position": "positie", "predicate": "predicaat", "provision": "bepaling",
    "publication": "publicatie", "quote": "citaat", "recipient": "ontvanger",
    "recommendation": "aanbeveling", "referenced": "aangehaald", "regime": "regime",
    "relation": "relatie", "replaced": "vervangen", "replacing": "vervangend",
    "representative": "vertegenwoordiger", "represented": "vertegenwoordigd", "by": "door",
    "scope": "kring", "second": "tweede", "service": "dienst", "signatory": "ondertekenaar",
    "since": "sinds", "source": "bron", "status": "status", "subject": "onderwerp",
    "summary": "samenvatting", "task": "taak", "term": "term", "text": "tekst",
    "title": "titel", "to": "naar", "value": "waarde", "verdict": "oordeel",
    "verified": "gecontroleerd", "at": "op", "via": "via", "who": "wie",
}  # fmt: skip

COLUMN_PHRASES: dict[str, tuple[str, str]] = {
    "inForceFrom": ("in werking vanaf", "in force from"),
    "workingDays": ("werkdagen", "working days"),
    "noticePeriod": ("opzegtermijn", "notice period"),
    "conditionKind": ("soort voorwaarde", "condition kind"),
    "recipientKind": ("soort ontvanger", "recipient kind"),
    "recipientScope": ("kring van ontvangers", "recipient scope"),
    "documentTitle": ("titel van het document", "document title"),
    "newRegimeFrom": ("nieuw regime vanaf", "new regime from"),
    "atLeast": ("ten minste", "at least"),
    "dueWithin": ("binnen", "due within"),
    "dueBefore": ("uiterlijk vóór", "due before"),
    "labelNl": ("naam (nl)", "label (nl)"),
    "signatoryName": ("naam van de ondertekenaar", "signatory name"),
    "labelEn": ("naam (en)", "label (en)"),
    "asSubject": ("als onderwerp", "as subject"),
    "asObject": ("als object", "as object"),
    "subjectHit": ("treffer in onderwerp", "subject hit"),
    "objectHit": ("treffer in object", "object hit"),
    "ministerialPermission": ("toestemming van de minister", "ministerial permission"),
}

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def column_label(variable: str, lang: str = "nl") -> str:
    """A readable column header for a SPARQL variable (``bodyLabel`` -> "orgaan (naam)")."""
    words = [w.lower() for w in _CAMEL.findall(variable)] or [variable]
    suffix = ""
    if len(words) > 1 and words[-1] == "label":
        suffix = " (naam)" if lang != "en" else " (name)"
        words = words[:-1]
        variable = variable[: -len("Label")] if variable.endswith("Label") else variable
    if variable in COLUMN_PHRASES:
        nl, en = COLUMN_PHRASES[variable]
        return (en if lang == "en" else nl) + suffix
    if lang != "en":
        words = [COLUMN_WORDS_NL.get(w, w) for w in words]
    return " ".join(words) + suffix
