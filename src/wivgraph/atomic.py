"""All-or-nothing file writes, and the clean-up of what a killed writer left behind.

:func:`atomic_file` writes to ``.<name>.<pid>.<random>.tmp`` in the target's folder, flushes and
fsyncs it, gives it the target's permission bits (those of the file it replaces, else what the
process umask gives a new file: 0644 under the usual 022, never mkstemp's 0600), renames it over
the target and fsyncs the folder, so after a crash the folder holds either the old or the new
file, whole. An exception (also KeyboardInterrupt) removes the temporary file; a process killed
with SIGKILL cannot, so :func:`clean_orphans` removes temporary files whose writer is gone.

A write that the system refuses (read-only folder, no permission, disk full) is a
:class:`~wivgraph.errors.WivgraphError` naming the path: one line and exit code 2 in the CLI.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from wivgraph.errors import WivgraphError

#: temporary files of a writer that no longer runs are removed by :func:`clean_orphans`
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")
#: temporary names of older versions (``tempfile.mkstemp``: no pid); removed after this age
LEGACY_AGE = 3600.0  # seconds


def umask() -> int:
    """The process umask, read without changing it where the system tells it (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(current)
    return current


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~umask()


def _cannot_write(path: Path, exc: OSError) -> WivgraphError:
    reason = exc.strerror or type(exc).__name__
    return WivgraphError(f"{path}: cannot write ({reason})")


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextlib.contextmanager
def atomic_file(path: str | Path, mode: str = "w") -> Iterator:
    """An open temporary file (``"w"`` text UTF-8 or ``"wb"``) that replaces ``path`` on success."""
    path = Path(path)
    if mode not in ("w", "wb"):
        raise ValueError(f"mode {mode!r}: expected 'w' or 'wb'")
    if not path.parent.is_dir():
        raise WivgraphError(f"{path.parent}: folder does not exist")
    if path.is_dir():
        raise WivgraphError(f"{path}: is a folder, expected a file name")
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(handle, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), _mode_for(path))
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise _cannot_write(path, exc) from None
        raise
    fsync_folder(path.parent)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path``: all or nothing, mode kept, synced."""
    with atomic_file(path, "wb" if isinstance(data, bytes) else "w") as out:
        out.write(data)


def keep_newest(folder: Path, pattern: str, keep: int, current: Path) -> None:
    """Remove the files of ``folder`` matching ``pattern`` but ``current`` and the newest
    ``keep - 1`` others (memo files of earlier data or code); what cannot be removed stays."""
    try:
        others = [(path.stat().st_mtime, path) for path in folder.glob(pattern) if path != current]
    except OSError:
        return
    for _mtime, path in sorted(others, reverse=True)[max(keep - 1, 0):]:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_orphans(folder: str | Path, prefix: str = "") -> list[Path]:
    """Remove temporary files in ``folder`` (for targets named ``prefix…``) whose writer is gone.

    Our own names carry the writer's pid: removed when that process no longer runs. Names from
    older versions (``.<target>.<random>``, no pid) are removed once older than
    :data:`LEGACY_AGE`. Returns what was removed.
    """
    folder = Path(folder)
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if not name.startswith("." + prefix) or not entry.is_file():
            continue
        match = TEMP_NAME.match(name)
        if match:
            orphan = not _alive(int(match["pid"]))
        else:
            try:
                orphan = now - entry.stat().st_mtime > LEGACY_AGE
            except OSError:
                continue
        if orphan:
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed
