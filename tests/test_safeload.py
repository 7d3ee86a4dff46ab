"""Hostile scenario files: bounded before anything is built (wivgraph.safeload).

A fixed corpus (billion laughs, a self-referring alias, 100k nested brackets, huge numbers, a
BOM, Python tags, oversize files) through ``wivgraph check`` as a subprocess: exit 2, one line
naming the file and line, little memory and time; plus Hypothesis over generated hostile YAML.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wivgraph import safeload
from wivgraph.check import load_scenarios_text
from wivgraph.errors import WivgraphError


def _laughs(levels: int = 9, fan: int = 9) -> str:
    """The classic: each anchor is a list of ``fan`` aliases of the one before."""
    lines = ["a0: &a0 [" + ",".join(['"lol"'] * fan) + "]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * fan) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "laughs.yaml": _laughs(),
    "self-alias.yaml": "scenarios: &x [*x]\n",
    "self-alias-map.yaml": "&m {actor: aivd, more: *m}\n",
    "deep-flow.yaml": "[" * 100_000,
    "deep-block.yaml": "".join(" " * i + "- \n" for i in range(0, 400, 1)),
    "deep.json": "[" * 100_000,
    "deep-objects.json": '{"a": ' * 100_000,
    "big-int.yaml": "actor: aivd\naction: provide\nid: " + "9" * 5000 + "\n",
    "big-int.json": '{"actor": "aivd",\n "id": ' + "9" * 5000 + "}",
    "python-tag.yaml": "!!python/object/apply:os.system [echo pwned]\n",
    "undefined-alias.yaml": "actor: *nobody\naction: provide\n",
    "bad-date.yaml": "actor: aivd\naction: provide\ndate: 2021-02-30\n",
    "not-utf8.yaml": b"actor: aivd\naction: \xff\xfe provide\n",
    "oversize.yaml": "# padding\n" * 200_000,
}
#: the line each message must name
LINES = {
    "laughs.yaml": None,  # where the expansion passes the limit
    "self-alias.yaml": 1,
    "self-alias-map.yaml": 1,
    "deep-flow.yaml": 1,
    "deep.json": 1,
    "deep-objects.json": 1,
    "big-int.yaml": 3,
    "big-int.json": 2,
    "python-tag.yaml": 1,
    "undefined-alias.yaml": 1,
    "bad-date.yaml": 3,
    "not-utf8.yaml": 2,
    "oversize.yaml": 1,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_exit_2_one_line(tmp_path, name):
    content = HOSTILE[name]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.monotonic()
    code = (
        "import resource, sys\n"
        # a billion laughs would need gigabytes: cap the address space at 1 GiB
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from wivgraph.cli import main\n"
        "sys.argv = ['wivgraph', 'check', sys.argv[1]]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    match = re.match(rf"error: {re.escape(str(path))}:(\d+): ", lines[0])
    assert match, lines[0]
    if LINES.get(name) is not None:
        assert int(match.group(1)) == LINES[name], lines[0]
    assert len(lines[0]) < 400
    assert elapsed < 30


def test_laughs_refused_in_process_quickly():
    text = _laughs()
    assert len(text) < 500  # the report: a 342-byte file
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(WivgraphError, match=r"laughs\.yaml:\d+: more than 100,000 values"):
        load_scenarios_text(text, "laughs.yaml")
    assert time.monotonic() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # kB


def test_small_aliases_still_work():
    text = (
        "defaults: &base {actor: aivd, action: provide}\n"
        "scenarios:\n  - *base\n  - *base\n"
    )
    with pytest.raises(WivgraphError, match="alias.yaml:1: top level"):
        load_scenarios_text(text, "alias.yaml")  # the schema, not the loader, refuses it
    data = safeload.parse(text, "alias.yaml")
    assert data["scenarios"] == [{"actor": "aivd", "action": "provide"}] * 2


@pytest.mark.parametrize("name", ["bom.yaml", "bom.json"])
def test_bom_is_accepted(tmp_path, name):
    body = '{"actor": "aivd", "action": "provide"}\n'
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    from wivgraph.check import load_scenarios

    raws = load_scenarios(path)
    assert raws[0].data == {"actor": "aivd", "action": "provide"}


def test_depth_limit_is_exact():
    ok = "[" * safeload.MAX_DEPTH + "]" * safeload.MAX_DEPTH
    assert safeload.parse(ok, "ok.yaml") is not None
    assert safeload.parse(ok, "ok.json") is not None
    too_deep = "[" + ok + "]"
    for name in ("deep.yaml", "deep.json"):
        with pytest.raises(WivgraphError, match=rf"{name}:1: nested more than"):
            safeload.parse(too_deep, name)


# --- generated hostile files ------------------------------------------------------------------

TOKENS = ["&a ", "&b ", "*a", "*b", "[", "]", "{", "}", ", ", ": ", "- ", "\n", "  ", "x",
          "actor", "aivd", "'", '"', "!!str ", "? ", "#", "\ufeff", "2021-13-01", "9" * 50]
HOSTILE_FUZZ = settings(max_examples=1000, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])


@HOSTILE_FUZZ
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=60), as_json=st.booleans())
def test_generated_hostile_text(tokens, as_json):
    name = "gen.json" if as_json else "gen.yaml"
    text = "".join(tokens)
    try:
        load_scenarios_text(text, name)
    except WivgraphError as exc:
        message = str(exc)
        assert message.startswith(name)
        if "\n" in message:  # only schema errors list several scenarios, each line named
            assert all(line.startswith(name) or line.startswith("...")
                       for line in message.splitlines())


@HOSTILE_FUZZ
@given(levels=st.integers(1, 12), fan=st.integers(1, 12), nested=st.booleans())
def test_generated_alias_bombs(levels, fan, nested):
    text = _laughs(levels, fan)
    if nested:
        text = "outer:\n" + "".join("  " + line + "\n" for line in _laughs(levels, fan).splitlines())
    expanded = sum(fan ** (i + 1) for i in range(levels)) + 2 * levels
    started = time.monotonic()
    try:
        safeload.parse(text, "bomb.yaml")
    except WivgraphError as exc:
        assert str(exc).startswith("bomb.yaml:")
        assert "values once aliases are expanded" in str(exc)
        assert expanded > safeload.MAX_NODES // 2
    else:
        assert expanded <= safeload.MAX_NODES * 2
    assert time.monotonic() - started < 2
