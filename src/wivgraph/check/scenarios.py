"""Scenario files: YAML or JSON, one or many scenarios, checked against schemas/scenario.schema.json.

:func:`load_scenarios` only reads and validates the shape; names are resolved against the graph
in :func:`resolve_scenarios` (all scenarios first, then evaluation: nothing half-done).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wivgraph import safeload
from wivgraph.errors import WivgraphError

if TYPE_CHECKING:
    import jsonschema

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "schemas" / "scenario.schema.json"

MET, NOT_MET, UNKNOWN = "met", "not-met", "unknown"
_STATUS_WORDS = {
    True: MET, False: NOT_MET, None: UNKNOWN,
    "met": MET, "yes": MET, "ja": MET, "true": MET, "obtained": MET, "verkregen": MET,
    "not-met": NOT_MET, "no": NOT_MET, "nee": NOT_MET, "false": NOT_MET, "absent": NOT_MET,
    "ontbreekt": NOT_MET,
    "unknown": UNKNOWN, "onbekend": UNKNOWN,
}


@dataclass
class RawScenario:
    """A scenario as read from a file, before names are resolved."""

    data: dict[str, Any]
    file: str
    index: int  # 1-based position in the file
    line: int | None = None
    lines: dict[str, int] = field(default_factory=dict)  # field -> line
    file_version: int | None = None  # the file's "version" (format v2), if it states one

    @property
    def id(self) -> str:
        return str(self.data.get("id") or f"#{self.index}")

    def where(self, field_name: str | None = None) -> str:
        """``file:line: scenario 2 (id)`` prefix for messages."""
        line = self.lines.get(field_name or "", self.line)
        loc = f"{self.file}:{line}" if line else self.file
        sid = f"scenario {self.index}" + (f" ({self.data['id']})" if self.data.get("id") else "")
        return f"{loc}: {sid}" + (f", field '{field_name}'" if field_name else "")


def status_of(value: Any) -> str:
    """Normalise met/not met/unknown (booleans, yes/no, Dutch words)."""
    key = value.lower() if isinstance(value, str) else value
    return _STATUS_WORDS.get(key, UNKNOWN)


@lru_cache(maxsize=1)
def schema() -> dict:
    try:
        return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # pragma: no cover - broken installation
        raise WivgraphError(f"{SCHEMA_PATH}: cannot read the scenario schema ({exc})") from None


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings; keys become strings where YAML made numbers of them."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {(k if isinstance(k, str) else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _node_lines(node: Any) -> Any:
    """A tree parallel to the YAML data with the 1-based line of each node."""
    import yaml  # noqa: PLC0415  (only where a scenario file is read: not for `ask onward`)

    if isinstance(node, yaml.MappingNode):
        out = {}
        for key, val in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[key.value] = (key.start_mark.line + 1, _node_lines(val))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [(item.start_mark.line + 1, _node_lines(item)) for item in node.value]
    return None


def _lines_tree(text: str) -> Any:
    import yaml  # noqa: PLC0415

    try:
        return _node_lines(yaml.compose(text))
    except Exception:  # noqa: BLE001 - line numbers are a courtesy; JSON is mostly YAML
        return None


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The most specific error under a oneOf (the branch that got furthest)."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.relative_schema_path)))
    return error


def _resolve(node: Any) -> Any:
    """Follow a local ``$ref`` (``#/$defs/x``) of the scenario schema."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = schema()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def describe(node: Any) -> str:
    """What a schema fragment accepts, in words."""
    node = _resolve(node)
    if not isinstance(node, dict):
        return "a valid value"
    if "enum" in node:
        return "one of " + ", ".join(str(v) for v in node["enum"])
    if "oneOf" in node:
        return " or ".join(describe(alt) for alt in node["oneOf"])
    kind = node.get("type")
    if kind == "boolean":
        return "true or false"
    if kind == "null":
        return "null (unknown)"
    if kind == "string":
        if "pattern" in node:
            return "a date YYYY-MM-DD" if "[0-9]{4}" in node["pattern"] else f"text matching {node['pattern']}"
        return "a name (text)"
    if kind == "array":
        return f"a list of {describe(node.get('items', {}))}"
    if kind == "object":
        req = node.get("required") or []
        return "a mapping" + (f" with {', '.join(req)}" if req else "")
    return "a valid value"


def _expectation(error: jsonschema.ValidationError, top: jsonschema.ValidationError) -> str:
    """The alternatives at the failing field (the enclosing oneOf), else the failing rule."""
    if error.validator == "required":
        missing = [f for f in error.validator_value if f not in (error.instance or {})]
        return f"missing required field '{missing[0] if missing else error.validator_value[0]}'"
    if error.validator == "additionalProperties":
        allowed = sorted(_resolve(error.schema).get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        return f"unknown field '{extra[0]}' (allowed fields: {', '.join(allowed)})"
    chain, err = [], top
    while err is not None:
        chain.append(err)
        err = max(err.context, key=lambda e: (len(e.absolute_path), -len(e.relative_schema_path))) \
            if err.context else None
    for e in chain:
        if e.validator == "oneOf" and list(e.absolute_path) == list(error.absolute_path):
            return f"got {e.instance!r}, expected {describe(e.schema)}"
    return f"got {error.instance!r}, expected {describe(error.schema)}"


def _schema_message(error: jsonschema.ValidationError, top: jsonschema.ValidationError,
                    data: Any) -> str:
    """``scenario 2 (id), field 'x': got ..., expected ...`` for one schema error."""
    path = list(error.absolute_path)
    if isinstance(data, dict) and "scenarios" in data:
        base = 2 if len(path) >= 2 and path[0] == "scenarios" else None
    elif isinstance(data, list):
        base = 1 if path else None
    else:
        base = 0
    if base is None:
        return f"top level: {_expectation(error, top)}"
    index = (path[base - 1] + 1) if base else 1
    item = data["scenarios"][index - 1] if base == 2 else (data[index - 1] if base == 1 else data)
    sid = f" ({item['id']})" if isinstance(item, dict) and isinstance(item.get("id"), str) else ""
    rest = "/".join(str(p) for p in path[base:])
    where = f"scenario {index}{sid}" + (f", field '{rest}'" if rest else "")
    return f"{where}: {_expectation(error, top)}"


#: the kind of entry in the command line's memo of passed checks (wivgraph.gate.VerdictMemo)
VALID_KIND = "scenario-schema"


def _validity_key(data: Any) -> str | None:
    """What a remembered schema check of ``data`` must match: the schema file, jsonschema's
    version, this module's source and the data themselves (as JSON, key order kept); None for
    data JSON cannot write exactly (they are checked every time)."""
    import hashlib  # noqa: PLC0415
    from importlib import metadata  # noqa: PLC0415

    try:
        dumped = json.dumps(data, ensure_ascii=False, allow_nan=False)
        version = metadata.version("jsonschema")
        sources = SCHEMA_PATH.read_bytes() + b"\0" + Path(__file__).read_bytes()
    except (TypeError, ValueError, OSError, metadata.PackageNotFoundError):
        return None
    return f"{hashlib.sha256(sources).hexdigest()}\0jsonschema {version}\0{dumped}"


def _schema_errors(data: Any) -> list:
    """The schema's errors for ``data``, sorted by place. Data that passed before in the same
    state (:func:`_validity_key`) are not checked again when the command line keeps a memo of
    passed checks (wivgraph.gate.remember_in): importing jsonschema alone takes 0.06-0.1 s of a
    `wivgraph check`. Only passes are remembered."""
    from wivgraph import gate  # noqa: PLC0415

    memo = gate.memo()
    key = _validity_key(data) if memo is not None else None
    if key is not None and memo.get(VALID_KIND, key) == "valid":
        return []
    import jsonschema  # noqa: PLC0415  (0.07 s to import: only when a scenario file is read)

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors and key is not None:
        memo.put(VALID_KIND, key, "valid")
    return errors


def scenarios_from_data(data: Any, name: str, text: str | None = None) -> list[RawScenario]:
    """Validate parsed data against the schema and split it into scenarios."""
    data = _plain(data)
    errors = _schema_errors(data)
    tree = _lines_tree(text) if text is not None else None
    if errors:
        shown = []
        for top in errors[:10]:
            err = _deepest(top)
            path = list(err.absolute_path)
            if err.validator == "additionalProperties" and isinstance(err.instance, dict):
                allowed = _resolve(err.schema).get("properties", {})
                path += sorted(k for k in err.instance if k not in allowed)[:1]
            line = _line_for(tree, path)
            loc = f"{name}:{line}" if line else name
            shown.append(f"{loc}: {_schema_message(err, top, data)}")
        more = f"\n... and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise WivgraphError("\n".join(shown) + more)
    file_version = data.get("version") if isinstance(data, dict) and "scenarios" in data else None
    if isinstance(data, dict) and "scenarios" in data:
        items, base = data["scenarios"], ["scenarios"]
    elif isinstance(data, list):
        items, base = data, []
    else:
        items, base = [data], None
    out = []
    for i, item in enumerate(items, start=1):
        path = (base + [i - 1]) if base is not None else []
        line = _line_for(tree, path)
        sub = _subtree(tree, path)
        lines = {k: v[0] for k, v in sub.items()} if isinstance(sub, dict) else {}
        out.append(RawScenario(data=item, file=name, index=i, line=line, lines=lines, file_version=file_version))
    return out


def _subtree(tree: Any, path: list) -> Any:
    node = tree
    for step in path:
        try:
            node = node[step][1]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _line_for(tree: Any, path: list) -> int | None:
    if tree is None:
        return None
    if not path:
        return 1
    node, line = tree, None
    for step in path:
        try:
            line, node = node[step]
        except (KeyError, IndexError, TypeError):
            return line
    return line


def load_scenarios(path: str | Path) -> list[RawScenario]:
    """Read a YAML (.yaml/.yml) or JSON (.json) scenario file; bad input is a WivgraphError."""
    path = Path(path)
    text = safeload.read_text(path)  # bounded size, UTF-8, a leading BOM dropped
    return load_scenarios_text(text, str(path))


def load_scenarios_text(text: str, name: str = "<scenarios>") -> list[RawScenario]:
    """Like :func:`load_scenarios` for text in hand (``name`` ending in .json means JSON)."""
    data = safeload.parse(text, name)  # size, depth and alias limits before building
    if data is None:
        raise WivgraphError(f"{name}:1: empty scenario file (expected at least one scenario)")
    return scenarios_from_data(data, name, text)
