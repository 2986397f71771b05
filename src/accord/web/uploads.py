"""Where uploaded files wait while they are read: one folder per server, cleaned after a crash.

Readers take a path (they name a scenario after its file), so an upload is written to disk for
the moment it is read and removed right after. A server killed in that moment (``kill -9``, out of
memory) cannot remove it; so each server keeps its uploads in a folder of its own, holding an
exclusive lock on a file in it for as long as it lives (the system drops the lock when the process
dies, however it dies). A starting server removes every server folder whose lock it can take:
their owners are gone. Folders of live servers are locked, so several servers share ``root``
safely.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no flock; leftovers are not cleaned there
    fcntl = None  # type: ignore[assignment]

LOCK = ".lock"
PREFIX = "server-"


def default_root() -> Path:
    """``$TMPDIR/accord-uploads-UID``: per user, so two users' servers never meet."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"accord-uploads-{uid}"


def _try_lock(handle: IO[bytes]) -> bool:
    if fcntl is None:
        return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_abandoned(root: Path) -> list[Path]:
    """Remove the upload folders under ``root`` whose server is gone; return them."""
    removed: list[Path] = []
    if fcntl is None or not root.is_dir():
        return removed
    for folder in root.glob(f"{PREFIX}*"):
        lock = folder / LOCK
        try:
            with open(lock, "ab") as handle:
                if not _try_lock(handle):
                    continue  # a live server holds it
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            continue
    return removed


class UploadSpace:
    """The upload folder of the running server, under ``root`` (default: :func:`default_root`).

    It is locked while the server lives; abandoned folders of dead servers are removed when it is
    made.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self._lock: IO[bytes] | None = None
        self.removed: list[Path] = []
        self.open()

    def open(self) -> None:
        """Make this server's folder (again, after :meth:`close`), cleaning abandoned ones first."""
        if self._lock is not None:
            return
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.removed = remove_abandoned(self.root)
        # locked before it gets a name that other servers clean, so none takes it for abandoned
        making = Path(tempfile.mkdtemp(prefix=".new-", dir=self.root))
        self._lock = open(making / LOCK, "ab")  # noqa: SIM115 (held for the server's life)
        _try_lock(self._lock)
        self.folder = self.root / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        making.rename(self.folder)

    @contextlib.contextmanager
    def file(self, name: str, data: bytes) -> Iterator[Path]:
        """Write ``data`` as ``name`` in a fresh private subfolder, removed afterwards."""
        sub = self.folder / secrets.token_hex(8)
        sub.mkdir(mode=0o700)
        try:
            path = sub / name
            path.write_bytes(data)
            yield path
        finally:
            shutil.rmtree(sub, ignore_errors=True)

    def close(self) -> None:
        """Remove this server's folder (at shutdown)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        shutil.rmtree(self.folder, ignore_errors=True)
