"""The build step: load and infer once, keep the result, start everything else from it.

``wivgraph build`` (or the first :func:`load_store` / :func:`cached_dataset` call) parses
ontology/ and data/ into pyoxigraph, computes the OWL 2 RL closure with owlrl (the same call as
:func:`wivgraph.infer.closure`: ``axiomatic_triples=False, datatype_axioms=False``) and writes
the asserted named graphs plus ``graph:inferred`` as one N-Quads file:

    .wivgraph-cache/dataset-<key>.nq       (and dataset-<key>.json: counts and timings)

``key`` is a SHA-256 over every ontology/ and data/ Turtle file (relative path and bytes), the
rdflib, owlrl and pyoxigraph versions and :data:`CACHE_FORMAT`. Any change to a file gives a
new key, so the cache is rebuilt exactly when the data changed; stale files of other keys are
removed after a successful build. Files are written to a temporary name and renamed (atomic,
:mod:`wivgraph.atomic`), so a reader never sees half a cache; temporary files of a build that was
killed are removed by the next build.

The JSON file records the N-Quads file's size, SHA-256 and quad count. A cache that does not
match them (cut short, edited, or its JSON missing) is not fresh: :func:`build` writes it anew
and :func:`load_store` rebuilds it (or, with ``build_missing=False``, refuses it with one line),
so a damaged cache is never served.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

from wivgraph import atomic, paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import INFERRED_GRAPH

CACHE_FORMAT = "3"  # 2: the JSON records size, SHA-256 and quad count; 3: and "withheld"
CACHE_FOLDER = ".wivgraph-cache"
PREFIX = "dataset-"


class CacheNotWritable(WivgraphError):
    """The cache folder or file cannot be written (e.g. a read-only project); a reader may load
    the files without the cache instead."""


def _version(package: str) -> str:
    """The installed version of ``package``: its ``__version__`` when it is imported already
    (the same string; reading the installed metadata costs ~10 ms in a short command)."""
    import sys  # noqa: PLC0415

    known = getattr(sys.modules.get(package), "__version__", None)
    if isinstance(known, str):
        return known
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def content_key(root: Path | None = None, semantics: str = "owlrl") -> str:
    """The cache key: hash of ontology/ and data/ and of the engines that produce the cache."""
    from wivgraph.fast import project_files  # noqa: PLC0415

    root = (root or paths.project_root()).resolve()
    digest = hashlib.sha256()
    engines = f"{CACHE_FORMAT} {semantics} rdflib {_version('rdflib')} owlrl {_version('owlrl')} "
    digest.update((engines + f"pyoxigraph {_version('pyoxigraph')}\n").encode())
    for path in project_files(root):
        # the path as found below root (a linked sub-folder may point outside the project)
        digest.update(path.absolute().relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cache_dir(root: Path | None = None) -> Path:
    return (root or paths.project_root()) / CACHE_FOLDER


def cache_file(root: Path | None = None, key: str | None = None) -> Path:
    root = root or paths.project_root()
    return cache_dir(root) / f"{PREFIX}{key or content_key(root)}.nq"


def is_fresh(root: Path | None = None, key: str | None = None) -> bool:
    """Whether the cache for the current content of ontology/ and data/ exists and its size is
    the one recorded (the full check, hash and quad count, is made when it is loaded).
    ``key``: the content key when the caller computed it already (:func:`content_key`)."""
    path = cache_file(root, key)
    meta = _meta(path)
    try:
        return meta is not None and path.stat().st_size == meta.get("bytes")
    except OSError:
        return False


def _meta(path: Path) -> dict | None:
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify(path: Path) -> str | None:
    """Why the cache file ``path`` does not match its record (size, SHA-256), or None if it does."""
    meta = _meta(path)
    if meta is None or not {"bytes", "sha256", "quads"} <= set(meta):
        return "its record (.json) is missing or incomplete"
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if size != meta["bytes"]:
        return f"{size:,} bytes instead of the {meta['bytes']:,} written"
    if _sha256(path) != meta["sha256"]:
        return "its content differs from what was written (SHA-256)"
    return None


def infer_into(store: ox.Store, semantics: str = "owlrl") -> int:
    """Add the owlrl closure of the store's asserted triples as ``graph:inferred``.

    One rdflib copy of the asserted union is expanded in place (owlrl needs rdflib); the
    entailed triples go into the oxigraph store, and those already asserted in some named graph
    (the store's default graph is their union: :func:`wivgraph.fast.copy_union` makes it first)
    are dropped there (natively), as :func:`wivgraph.infer.closure` does. owlrl also derives
    generalised triples with a literal subject (e.g. ``"x" owl:sameAs "x"``); RDF 1.1 stores
    cannot hold them, so they are left out (they answer no question of the catalogue).
    """
    import owlrl  # noqa: PLC0415
    from rdflib import Literal  # noqa: PLC0415

    from wivgraph.fast import copy_union, rdflib_graph, to_ox  # noqa: PLC0415
    from wivgraph.infer import SEMANTICS  # noqa: PLC0415

    if semantics not in SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; expected one of {sorted(SEMANTICS)}")
    target = ox.NamedNode(str(INFERRED_GRAPH))
    if target in set(store.named_graphs()):
        store.remove_graph(target)
    # beside graph:inferred the asserted union is kept in the default graph (each triple once):
    # oxigraph's union default graph would take graph:inferred in, asked for or not
    copy_union(store)
    graph = rdflib_graph(store, inferred=False)
    owlrl.DeductiveClosure(
        SEMANTICS[semantics], axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    batch = []
    for s, p, o in graph:
        if isinstance(s, Literal):
            continue  # owlrl's generalised triples (literal subjects) are not RDF 1.1
        batch.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), target))
        if len(batch) >= 50_000:
            store.extend(batch)
            batch = []
    store.extend(batch)
    del graph
    store.update(
        f"""DELETE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}
        WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }}
                 FILTER EXISTS {{ ?s ?p ?o }} }}"""
    )
    return _count(store, INFERRED_GRAPH)


def build(root: Path | None = None, *, force: bool = False, semantics: str = "owlrl") -> Path:
    """Make sure the cache for the current content exists; return its N-Quads file."""
    from wivgraph.classification import withhold_in_store  # noqa: PLC0415
    from wivgraph.fast import load_store, project_files  # noqa: PLC0415
    from wivgraph.load import parse_turtle  # noqa: PLC0415

    root = root or paths.project_root()
    key = content_key(root, semantics)
    target = cache_file(root, key)
    folder = cache_dir(root)
    atomic.clean_orphans(folder, PREFIX)  # what a killed build left behind
    if target.is_file() and not force and verify(target) is None:
        return target
    started = time.perf_counter()
    for path in project_files(root):
        # the loader's own checks, which oxigraph's parser does not make (an ill-typed literal
        # such as "abc"^^xsd:integer, anything rdflib only warns about): the same bad input is
        # refused with or without the cache (path:line)
        parse_turtle(path)
    store = load_store(root, withhold=False)
    withheld = withhold_in_store(store)  # as load_store does; the count tells validate (below)
    loaded = time.perf_counter()
    infer_into(store, semantics)
    inferred = time.perf_counter()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheNotWritable(f"{folder}: cannot create the cache folder ({exc.strerror or exc})") from None
    try:
        target.with_suffix(".json").unlink(missing_ok=True)  # no record: not fresh until both are written
        with atomic.atomic_file(target, "wb") as out:
            store.dump(out, format=ox.RdfFormat.N_QUADS)
    except OSError as exc:
        raise CacheNotWritable(f"{target}: cannot write the cache ({exc.strerror or exc})") from None
    except WivgraphError as exc:
        raise CacheNotWritable(str(exc)) from None
    counts = {
        "key": key,
        "semantics": semantics,
        "quads": len(store),
        "bytes": target.stat().st_size,
        "sha256": _sha256(target),
        "inferred": _count(store, INFERRED_GRAPH),
        # content triples of classified resources left out (wivgraph.classification): when
        # not 0, the cache is not the data the shapes must see, and validate reads the files
        "withheld": withheld,
        "seconds": {
            "load": round(loaded - started, 3),
            "infer": round(inferred - loaded, 3),
            "write": round(time.perf_counter() - inferred, 3),
        },
    }
    try:
        atomic.write_atomic(target.with_suffix(".json"), json.dumps(counts, indent=2) + "\n")
    except WivgraphError as exc:
        raise CacheNotWritable(str(exc)) from None
    for stale in folder.glob(f"{PREFIX}*"):
        if stale.is_file() and not stale.name.startswith(f"{PREFIX}{key}."):
            stale.unlink(missing_ok=True)
    # the on-disk store made from an earlier file of this key (build --force) is stale too
    shutil.rmtree(target.with_suffix(STORE_SUFFIX), ignore_errors=True)
    _clean_store_orphans(target.with_suffix(STORE_SUFFIX))
    return target


def _count(store: ox.Store, graph) -> int:
    result = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    return int(next(iter(result))["n"].value)


def info(root: Path | None = None) -> dict | None:
    """The counts and timings of the current cache, or None when there is none."""
    meta = cache_file(root).with_suffix(".json")
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_store(root: Path | None = None, *, build_missing: bool = True) -> ox.Store:
    """The cached dataset (asserted named graphs + ``graph:inferred``) in an in-memory store."""
    root = root or paths.project_root()
    path = cache_file(root)
    if not path.is_file():
        if not build_missing:
            raise WivgraphError(f"{path}: no build cache for the current data; run 'wivgraph build'")
        path = build(root)
    problem = verify(path)
    store = None if problem else _read(path)
    if store is not None and len(store) != _meta(path)["quads"]:
        problem = f"{len(store):,} quads instead of the {_meta(path)['quads']:,} written"
    if problem is None:
        return store
    if not build_missing:
        raise WivgraphError(f"{path}: damaged build cache ({problem}); run 'wivgraph build'")
    path = build(root, force=True)
    store = _read(path)
    if len(store) != _meta(path)["quads"]:  # pragma: no cover - the file changed under us
        raise WivgraphError(f"{path}: the build cache changed while it was read; run 'wivgraph build'")
    return store


#: the on-disk (RocksDB) copy of a cache file: ``dataset-<key>.oxigraph/`` beside it
STORE_SUFFIX = ".oxigraph"


def open_store(root: Path | None = None, *, build_missing: bool = True, key: str | None = None) -> ox.Store:
    """The build cache as a read-only on-disk oxigraph store: opened, not loaded (~20 ms on the
    corpus, against ~0.3 s for reading the N-Quads into memory), for short-lived processes (the
    command line). The store folder is made once per cache key from the verified N-Quads file
    (:func:`load_store`) and appears under its name only when complete (written under a
    temporary name, then renamed); a folder whose quad count differs from the record is made anew.
    Queries cannot change it (read-only). ``key``: the content key when the caller computed
    it already (the store of that key is opened; one hash of the files less)."""
    import os  # noqa: PLC0415

    root = root or paths.project_root()
    path = cache_file(root, key)
    folder = path.with_suffix(STORE_SUFFIX)
    if folder.is_dir():
        meta = _meta(path)
        try:
            store = ox.Store.read_only(str(folder))
        except OSError:
            store = None
        if store is not None and meta is not None and len(store) == meta.get("quads"):
            return store
        del store
        shutil.rmtree(folder, ignore_errors=True)
    memory = load_store(root, build_missing=build_missing)  # verified; built when missing
    path = cache_file(root)  # (the same key: nothing changed since, or load_store rebuilt it)
    folder = path.with_suffix(STORE_SUFFIX)
    _clean_store_orphans(folder)
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        disk = ox.Store(str(temporary))
        disk.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        os.rename(temporary, folder)
    except OSError:
        # another process made it first (the folder exists now), or it cannot be written (a
        # read-only project): the store in memory answers the same
        shutil.rmtree(temporary, ignore_errors=True)
        if not folder.is_dir():
            return memory
    return ox.Store.read_only(str(folder))


def _clean_store_orphans(folder: Path) -> None:
    """Remove the store folders of other cache keys and temporary ones whose writer is gone."""
    import re  # noqa: PLC0415

    from wivgraph.atomic import _alive  # noqa: PLC0415

    temporary = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
    try:
        entries = list(folder.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.is_dir() or entry == folder:
            continue
        match = temporary.match(entry.name)
        if match and match["name"].startswith(PREFIX) and not _alive(int(match["pid"])):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(PREFIX) and entry.name.endswith(STORE_SUFFIX):
            shutil.rmtree(entry, ignore_errors=True)  # a store of an older key


def _read(path: Path) -> ox.Store:
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as exc:
        raise WivgraphError(f"{path}: unreadable build cache ({exc}); run 'wivgraph build --force'") from None
    return store


def cached_dataset(root: Path | None = None, *, inferred: bool = True):
    """The cached dataset as an rdflib Dataset (named graphs kept), for rdflib-based code."""
    from wivgraph.fast import rdflib_dataset  # noqa: PLC0415

    return rdflib_dataset(load_store(root), inferred=inferred)


#: name-index files kept in the cache folder (those of recent data or code)
NAMES_KEPT = 4


def remembered_names(store: ox.Store, root: Path | None = None, key: str | None = None) -> dict[str, tuple[str, ...]]:
    """:func:`wivgraph.store.name_index` of the build cache's store, kept beside it as
    ``names-<hash>.json`` (hash of the content key and of the code that makes the index), so a
    short command binds a label without reading every label triple (~70 ms on the corpus). A
    file that cannot be read or is not an index is made anew; a folder that cannot be written
    keeps nothing."""
    from wivgraph import fast  # noqa: PLC0415
    from wivgraph import store as store_module

    root = root or paths.project_root()
    digest = hashlib.sha256(f"{key or content_key(root)}\n".encode())
    for module in (store_module.__file__, fast.__file__):
        digest.update(Path(module).read_bytes() + b"\0")
    target = cache_dir(root) / f"names-{digest.hexdigest()[:32]}.json"
    try:
        kept = json.loads(target.read_text(encoding="utf-8"))
        if isinstance(kept, dict) and all(
            isinstance(iris, list) and all(isinstance(i, str) for i in iris) for iris in kept.values()
        ):
            return {name: tuple(iris) for name, iris in kept.items()}
    except (OSError, ValueError):
        pass  # none yet, or unreadable: made anew
    names = store_module.name_index(store)
    try:
        atomic.keep_newest(target.parent, "names-*.json", NAMES_KEPT, target)
        atomic.write_atomic(target, json.dumps(names, ensure_ascii=False))
    except (OSError, WivgraphError):
        pass
    return names
