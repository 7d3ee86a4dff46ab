"""Safe reading of YAML and JSON files written by users (scenario files for ``wivgraph check``).

A few hundred bytes of YAML can expand into gigabytes ("billion laughs": aliases of aliases),
refer to themselves (``&x [*x]``) or nest deeper than Python's recursion limit (``[[[[…``).
Before anything is built, the text is checked:

- size: at most :data:`MAX_BYTES` bytes;
- depth: at most :data:`MAX_DEPTH` nested sequences/mappings (JSON arrays/objects);
- aliases: the document with every alias expanded has at most :data:`MAX_NODES` nodes, and an
  alias may not refer to a node that contains it.

YAML is checked on PyYAML's event stream (the parser keeps its own stack, it does not recurse),
JSON with a scan of its brackets outside strings; only then is the text composed and built.
Every failure is a :class:`~wivgraph.errors.WivgraphError` with one line ``name:line: message``.
A UTF-8 byte order mark at the start is accepted (and dropped) in both formats.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wivgraph.errors import WivgraphError

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_NODES = 100_000
BOM = "\ufeff"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def read_text(path: str | Path) -> str:
    """A user's text file as str (UTF-8, a leading BOM dropped), at most :data:`MAX_BYTES`."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise WivgraphError(f"{path}: file not found") from None
    except OSError as exc:
        raise WivgraphError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise WivgraphError(f"{path}:1: file too large (more than {MAX_BYTES:,} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise WivgraphError(f"{path}:{line}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return text.removeprefix(BOM)


def parse(text: str, name: str) -> Any:
    """YAML (or JSON when ``name`` ends in .json) from ``text``, checked before it is built."""
    text = text.removeprefix(BOM)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise WivgraphError(f"{name}:1: file too large ({size:,} bytes; at most {MAX_BYTES:,})")
    if name.lower().endswith(".json"):
        return _parse_json(text, name)
    return _parse_yaml(text, name)


# --- JSON ------------------------------------------------------------------------------------

_JSON_SKIP = re.compile(r'"(?:[^"\\]|\\.)*"?|[^\[\]{}"]+', re.DOTALL)


def _check_json(text: str, name: str) -> None:
    depth = 0
    position = 0
    length = len(text)
    while position < length:
        match = _JSON_SKIP.match(text, position)
        if match:
            position = match.end()
            continue
        char = text[position]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, position) + 1
                raise WivgraphError(
                    f"{name}:{line}: nested more than {MAX_DEPTH} levels deep (refused)"
                )
        else:
            depth -= 1
        position += 1


def _parse_json(text: str, name: str) -> Any:
    _check_json(text, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise WivgraphError(f"{name}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4300 digits
        long_number = re.search(r"\d{4000,}", text)
        line = text.count("\n", 0, long_number.start()) + 1 if long_number else 1
        raise WivgraphError(f"{name}:{line}: malformed JSON: {_first_line(exc)}") from None


# --- YAML ------------------------------------------------------------------------------------


def _check_yaml(text: str, name: str) -> None:
    """Walk the event stream: depth, alias expansion and self-reference, before composing."""
    import yaml  # noqa: PLC0415  (~0.015 s: only when a YAML text is read)

    sizes: dict[str, int] = {}  # anchor -> nodes of its expanded subtree
    frames: list[list] = []  # [anchor, nodes so far] of each open collection
    total = 0

    def add(count: int, event) -> None:
        nonlocal total
        if frames:
            frames[-1][1] += count
            grown = frames[-1][1]
        else:
            total += count
            grown = total
        if grown > MAX_NODES or total > MAX_NODES:
            raise WivgraphError(
                f"{name}:{_line(event)}: more than {MAX_NODES:,} values once aliases are "
                "expanded (refused)"
            )

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in sizes:
                    if any(frame[0] == event.anchor for frame in frames):
                        raise WivgraphError(
                            f"{name}:{_line(event)}: alias *{event.anchor} refers to a node "
                            "that contains it (refused)"
                        )
                    continue  # an undefined alias: the composer reports it below
                add(sizes[event.anchor], event)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                add(1, event)
            elif isinstance(event, yaml.CollectionStartEvent):
                frames.append([event.anchor, 1])
                if len(frames) > MAX_DEPTH:
                    raise WivgraphError(
                        f"{name}:{_line(event)}: nested more than {MAX_DEPTH} levels deep (refused)"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, count = frames.pop()
                if anchor:
                    sizes[anchor] = count
                add(count, event)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, name) from None


def _parse_yaml(text: str, name: str) -> Any:
    import yaml  # noqa: PLC0415

    _check_yaml(text, name)
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, name) from None
        if node is None:
            return None
        try:
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, name) from None
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            # PyYAML's constructors raise these for values such as 2021-13-01 or 2021-02-30
            raise _bad_scalar(node, name, exc) from None
    finally:
        loader.dispose()


def _bad_scalar(root, name: str, exc: BaseException) -> WivgraphError:
    """The first scalar that cannot be built, as ``name:line: ...``."""
    import yaml  # noqa: PLC0415

    builder = yaml.SafeLoader("")
    todo, seen = [root], set()
    while todo:
        node = todo.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            todo += list(node.value)
        elif isinstance(node, yaml.ScalarNode):
            try:
                builder.construct_object(node, deep=True)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError) as problem:
                line = node.start_mark.line + 1
                value = node.value if len(node.value) <= 40 else node.value[:40] + "…"
                if node.tag == _TIMESTAMP:
                    return WivgraphError(
                        f"{name}:{line}: invalid date {value!r} ({_first_line(problem)}; "
                        "expected a real date YYYY-MM-DD)"
                    )
                return WivgraphError(f"{name}:{line}: bad value {value!r}: {_first_line(problem)}")
    return WivgraphError(f"{name}: malformed YAML: {_first_line(exc)}")


def _yaml_error(exc: yaml.YAMLError, name: str) -> WivgraphError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or _first_line(exc)
    return WivgraphError(f"{name}{line}: malformed YAML: {problem}")


def _line(event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"
