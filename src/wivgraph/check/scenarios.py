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
from typing import Any

import jsonschema
import yaml

from wivgraph.errors import WivgraphError

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
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key, val in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[key.value] = (key.start_mark.line + 1, _node_lines(val))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [(item.start_mark.line + 1, _node_lines(item)) for item in node.value]
    return None


def parse_text(text: str, name: str) -> Any:
    """Parse YAML or JSON text; malformed input gives ``name:line: message``."""
    if name.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise WivgraphError(f"{name}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise WivgraphError(f"{name}{line}: malformed YAML: {problem}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as 2021-02-30 or huge numbers.
        raise WivgraphError(f"{name}: malformed YAML: {exc}") from None


def _lines_tree(text: str) -> Any:
    try:
        return _node_lines(yaml.compose(text))
    except Exception:  # noqa: BLE001 - line numbers are a courtesy; JSON is mostly YAML
        return None


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The most specific error under a oneOf (the branch that got furthest)."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.relative_schema_path)))
    return error


def _schema_message(error: jsonschema.ValidationError) -> str:
    path = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    return f"{path}: {error.message}"


def scenarios_from_data(data: Any, name: str, text: str | None = None) -> list[RawScenario]:
    """Validate parsed data against the schema and split it into scenarios."""
    data = _plain(data)
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    tree = _lines_tree(text) if text is not None else None
    if errors:
        shown = []
        for err in errors[:10]:
            err = _deepest(err)
            line = _line_for(tree, list(err.absolute_path))
            loc = f"{name}:{line}" if line else name
            shown.append(f"{loc}: {_schema_message(err)}")
        raise WivgraphError(
            "invalid scenario file (expected a scenario, a list of scenarios or {scenarios: [...]}"
            ", see schemas/scenario.schema.json):\n  " + "\n  ".join(shown)
        )
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
        out.append(RawScenario(data=item, file=name, index=i, line=line, lines=lines))
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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WivgraphError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WivgraphError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    return load_scenarios_text(text, str(path))


def load_scenarios_text(text: str, name: str = "<scenarios>") -> list[RawScenario]:
    """Like :func:`load_scenarios` for text in hand (``name`` ending in .json means JSON)."""
    data = parse_text(text, name)
    if data is None:
        raise WivgraphError(f"{name}:1: empty scenario file (expected at least one scenario)")
    return scenarios_from_data(data, name, text)
