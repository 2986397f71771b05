"""A real PostgreSQL server for the store's tests, started and stopped by the test suite itself.

The server's programs come from an installed package: the ``pgserver`` wheel (the test extras
install it from PyPI; it bundles PostgreSQL's binaries) or, where that wheel does not exist for
this Python, the system's PostgreSQL (Debian's ``postgresql`` package). Where neither is there,
:func:`find_binaries` says why, and the tests skip with that reason.

PostgreSQL refuses to run as root; when the tests run as root (CI does), the server runs as the
unprivileged ``nobody`` user in a private temporary folder that user owns.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def find_binaries() -> tuple[Path | None, str]:
    """The folder holding ``initdb`` and ``postgres``, or None and why none was found."""
    import importlib.util

    spec = importlib.util.find_spec("pgserver")  # found, not imported: only its binaries are used
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (folder / "initdb").exists():
            return folder, ""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name))
    for folder in reversed(candidates):
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder, ""
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(found).parent, ""
    return None, ("no PostgreSQL server to start: neither the pgserver wheel (pip install pgserver; "
                  "none is built for this Python) nor a system PostgreSQL (apt-get install postgresql)")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(x) for x in name.split(".") if x.isdigit())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def running_server(binaries: Path) -> Iterator[Server]:
    """Initialise a cluster in a temporary folder, start it on a free loopback port, stop it after."""
    folder = Path(tempfile.mkdtemp(prefix="accord-pg-"))
    user: dict[str, object] = {}
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # PostgreSQL will not run as root
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    data, port = folder / "data", _free_port()
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C", "LC_ALL": "C"}
    if user and not _runs_as(binaries, user, env):
        binaries = _copy_for(binaries, folder / "pg", user)
    subprocess.run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--no-locale"], check=True, capture_output=True, env=env, cwd=folder, **user)  # type: ignore[arg-type]
    process = subprocess.Popen(
        [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1", "-k", str(folder),
         "-c", "fsync=off", "-c", "full_page_writes=off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=folder, **user,  # type: ignore[arg-type]
    )
    server = Server(process, port, folder)
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()  # smart shutdown; then fast
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(20)
        shutil.rmtree(folder, ignore_errors=True)


def _copy_for(binaries: Path, target: Path, user: dict[str, object]) -> Path:
    """A copy of the installation (bin, lib, share: tens of MB) where ``user`` can run it, for
    binaries installed where that user cannot reach (a private home folder). The wheel's
    programs find their libraries relative to themselves (``$ORIGIN/../../../pgserver.libs``), so
    the package folder and its ``.libs`` sibling are copied side by side."""
    install, package = binaries.parent, binaries.parent.parent
    shutil.copytree(install, target / package.name / install.name, symlinks=True)
    libs = package.parent / f"{package.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, target / libs.name, symlinks=True)
    for path in [target, *target.rglob("*")]:
        os.chown(path, user["user"], user["group"], follow_symlinks=False)  # type: ignore[arg-type]
    return target / package.name / install.name / binaries.name


def _runs_as(binaries: Path, user: dict[str, object], env: dict[str, str]) -> bool:
    try:
        done = subprocess.run([str(binaries / "postgres"), "--version"], capture_output=True, env=env,
                              cwd="/", timeout=30, **user)  # type: ignore[arg-type]
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _wait_ready(server: Server, timeout: float = 60.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited at start (code {server.process.returncode})")
        try:
            with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres",
                                 connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
