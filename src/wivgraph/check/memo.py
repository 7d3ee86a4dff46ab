"""The checker's state remembered between processes (issue 19: `check` and `ask onward`).

A :class:`~wivgraph.check.engine.Checker` first reads a vocabulary graph from the store (one
CONSTRUCT) and indexes it (:func:`~wivgraph.check.index.build_index`): about 0.4 s of a
`wivgraph check` that otherwise takes well under a second. Both depend on the data and on the
code only, so the command line keeps them in the build cache folder, together with the norms
the checker has turned into ODRL rules so far and its candidate lists per act and data category
(``Checker._norms``, ``Checker._candidates``: also read from the data alone, ~0.1 s for the
first question of a process)::

    .wivgraph-cache/checker-<key>.pickle

``key`` hashes the data's content key (:func:`wivgraph.cache.content_key`: every ontology/ and
data/ file and the engines of the build), the source of every module of ``wivgraph.check`` and
``wivgraph.odrl`` and of the modules the state is read with (:data:`READ_WITH`), whether the
store's answers include ``graph:inferred``, rdflib's and Python's versions and
:data:`MEMO_FORMAT`. Other data or other code give another file name, and the file records its
key as well: a memo is never used for other data or other code.

The file is written to a temporary name and renamed (:mod:`wivgraph.atomic`). A file that cannot
be read (cut short, damaged, of another format) is ignored and written anew; a folder that
cannot be written only means that nothing is remembered. The file is read with an unpickler that
makes only the classes the state consists of (:data:`ALLOWED`, and classes of
:data:`OWN_MODULES`), never a function, so a file planted in the cache folder cannot run code
through it. A remote store (``--endpoint``) is never remembered: its data have no content key.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import io
import pickle
import sys
from functools import lru_cache
from pathlib import Path

from wivgraph import atomic
from wivgraph.check.engine import Checker, NormInfo, remember_checker
from wivgraph.check.index import NormIndex
from wivgraph.check.resolve import Vocabulary, made_vocabulary, remember_vocabulary
from wivgraph.errors import WivgraphError

MEMO_FORMAT = "4"  # 2: also the norms and candidate lists loaded so far; 3: the graph apart;
# 4: and the name tables of the scenario fields (check.resolve.Vocabulary) once made
PREFIX = "checker-"
SUFFIX = ".pickle"
#: memo files kept in the folder (the newest; older ones, of earlier data or code, go)
KEEP = 4
#: modules outside wivgraph.check and wivgraph.odrl that the remembered state is read with: the
#: namespaces of the vocabulary query, the store's query and term conversion, instrument validity
READ_WITH = ("namespaces.py", "store.py", "fast.py", "query.py", "temporal.py")

#: (module, name) of every class outside wivgraph that a memo may make
ALLOWED = frozenset({
    ("datetime", "date"), ("datetime", "datetime"),
    ("rdflib.term", "URIRef"), ("rdflib.term", "BNode"), ("rdflib.term", "Literal"),
    ("rdflib.graph", "Graph"), ("rdflib.plugins.stores.memory", "Memory"),
    ("rdflib.events", "Dispatcher"),
})
#: wivgraph's modules whose classes (only classes) a memo may make
OWN_MODULES = ("wivgraph.check.", "wivgraph.odrl.", "wivgraph.temporal")


@lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 of the source of every module under wivgraph/check and wivgraph/odrl and of
    :data:`READ_WITH` (relative path and bytes)."""
    package = Path(__file__).resolve().parents[1]
    files = sorted([*package.joinpath("check").rglob("*.py"), *package.joinpath("odrl").rglob("*.py"),
                    *(package / name for name in READ_WITH)])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def memo_key(data_key: str, inferred: bool = False) -> str:
    """The memo's key for data of ``data_key`` read with or without ``graph:inferred``."""
    import rdflib  # noqa: PLC0415

    parts = (MEMO_FORMAT, data_key, code_hash(), f"inferred={bool(inferred)}",
             f"rdflib {rdflib.__version__}", f"python {sys.version}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def memo_file(folder: Path, data_key: str, inferred: bool = False) -> Path:
    return Path(folder) / f"{PREFIX}{memo_key(data_key, inferred)}{SUFFIX}"


class _StateUnpickler(pickle.Unpickler):
    """Makes the classes of a checker's state and nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        if module.startswith(OWN_MODULES) and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name}: not part of a checker's state")


def _graph_from(blob: bytes):
    """The vocabulary graph pickled apart in a memo (read when the checker first needs it), or
    None when it cannot be read (the checker then reads it from the store)."""
    from rdflib import Graph  # noqa: PLC0415

    try:
        graph = _StateUnpickler(io.BytesIO(blob)).load()
    except Exception:  # noqa: BLE001 - whatever a damaged memo raises: it is not used
        return None
    return graph if isinstance(graph, Graph) else None


def read_state(path: Path, key: str) -> tuple | None:
    """The state remembered in ``path`` for ``key`` -- (a function that reads the vocabulary
    graph, index, norms, candidate lists, name tables or None) -- or None (missing, unreadable,
    other key)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    try:
        payload = _StateUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - whatever a damaged file raises: it is not used
        return None
    if not isinstance(payload, dict) or payload.get("key") != key:
        return None
    base, idx = payload.get("base"), payload.get("idx")
    if not isinstance(base, bytes) or not isinstance(idx, NormIndex) or idx.graph is not None:
        return None
    norms, candidates = payload.get("norms", {}), payload.get("candidates", {})
    if not (isinstance(norms, dict) and all(isinstance(v, NormInfo) for v in norms.values())
            and isinstance(candidates, dict) and all(isinstance(v, list) for v in candidates.values())):
        return None
    names = payload.get("names")
    if not isinstance(names, Vocabulary) or names.idx is not idx:
        names = None  # (made anew when a scenario is resolved)
    return functools.partial(_graph_from, base), idx, norms, candidates, names


def write_state(path: Path, key: str, state: tuple) -> bool:
    """Remember ``state`` -- (vocabulary graph, index[, norms, candidate lists[, name tables]])
    -- in ``path`` (whole or not at all); False when it cannot be written."""
    path = Path(path)
    base, idx, *loaded = state
    norms, candidates = loaded[:2] if loaded else ({}, {})
    names = loaded[2] if len(loaded) > 2 else None
    try:
        # the graph apart: a run that needs the index only does not read it (~0.03 s)
        blob = pickle.dumps(base, protocol=pickle.HIGHEST_PROTOCOL)
        index = dataclasses.replace(idx, graph=None)  # (its graph is the one above)
        if names is not None:  # the same index object in the file, not a second copy
            names = copy.copy(names)
            names.idx = index
        data = pickle.dumps({"key": key, "base": blob, "idx": index, "norms": norms, "candidates": candidates,
                             "names": names}, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # pragma: no cover - a new field
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.clean_orphans(path.parent, PREFIX)  # what a killed writer left behind
        atomic.write_atomic(path, data)
    except (OSError, WivgraphError):
        return False  # a read-only project: nothing is remembered
    atomic.keep_newest(path.parent, f"{PREFIX}*{SUFFIX}", KEEP, path)
    return True


def remembered_checker(store, data_key: str, folder: Path | None, lang: str = "nl",
                       framework_only: bool = False, *, confirm=None) -> Checker:
    """A :class:`Checker` for ``store``, whose data have the content key ``data_key``: made from
    the state remembered in ``folder`` when there is one for this key, else built and
    remembered there (``folder`` None: built, not remembered). It is also the checker that
    :func:`~wivgraph.check.engine.checker_for` gives for ``store`` from then on.

    ``confirm``: called before writing; when it returns False (e.g. the data changed since
    ``data_key`` was computed) nothing is remembered. Call :func:`remember_progress` after the
    work to keep the norms the checker loaded meanwhile."""
    if folder is None:
        checker = Checker(store, lang, framework_only)
    else:
        inferred = bool(getattr(store, "inferred", False))
        key = memo_key(data_key, inferred)
        path = memo_file(folder, data_key, inferred)
        state = read_state(path, key)
        if state is not None:
            base, idx, norms, candidates, names = state
            checker = Checker(store, lang, framework_only, state=(base, idx))
            checker._norms.update(norms)
            checker._candidates.update(candidates)
            if names is not None and checker.idx is idx:
                remember_vocabulary(names)
        else:
            checker = Checker(store, lang, framework_only)
            if confirm is None or confirm():
                write_state(path, key, checker.state())
        # where it is remembered, and how many norms and candidate lists the file holds, and
        # whether it holds the name tables
        checker._memo = (path, key, confirm, len(checker._norms), len(checker._candidates),
                         state is not None and state[4] is not None)
    return remember_checker(store, checker)


def remember_progress(checker: Checker) -> bool:
    """Write the memo of a checker from :func:`remembered_checker` again if it has loaded norms
    or candidate lists or made the name tables since (the next process starts with them); True
    when it wrote."""
    entry = getattr(checker, "_memo", None)
    if entry is None:
        return False
    path, key, confirm, norms, candidates, had_names = entry
    names = made_vocabulary(checker.idx)
    if (len(checker._norms) == norms and len(checker._candidates) == candidates
            and (had_names or names is None)):
        return False
    if confirm is not None and not confirm():
        return False
    state = (checker.base, checker.idx, dict(checker._norms), dict(checker._candidates), names)
    written = write_state(path, key, state)
    if written:
        checker._memo = (path, key, confirm, len(state[2]), len(state[3]), names is not None)
    return written


__all__ = ["code_hash", "memo_file", "memo_key", "read_state", "remember_progress", "remembered_checker",
           "write_state"]
