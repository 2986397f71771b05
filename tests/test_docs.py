"""Every ``accord ...`` command in README.md and docs/*.md runs from a fresh clone (exit 0).

Commands come from fenced code blocks (``sh``, ``console`` or unmarked): lines that start with
``accord`` or ``$ accord``, joined across trailing backslashes, comments dropped. The line
before a block's fence may mark it:

* ``<!-- doc-test: illustrative (REASON) -->``: not run (a server, a cluster address, ...);
* ``<!-- doc-test: slow -->``: run only with ``ACCORD_DOCTEST_SLOW=1`` (``make doctest``).

Each document runs in a fresh folder holding a copy of ``examples/``, with its own run history
(``ACCORD_DB``) and an 80-column terminal; its commands run in order, so runs saved early can
be shown later.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from accord.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MARK = re.compile(r"<!--\s*doc-test:\s*(illustrative|slow)\b\s*(?:\((.*)\))?\s*-->")
FENCE = re.compile(r"^\s*```(\w*)\s*$")


@dataclass(frozen=True)
class Command:
    document: str
    line: int
    text: str
    mark: str  # "", "illustrative" or "slow"
    reason: str


def commands(path: Path) -> list[Command]:
    """The ``accord`` commands of a Markdown file, with the mark of their block."""
    found: list[Command] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    in_block, runnable, mark, reason, pending = False, False, "", "", ""
    start = 0
    for n, line in enumerate(lines, 1):
        fence = FENCE.match(line)
        if fence:
            in_block = not in_block
            if in_block:  # an opening fence: its language and the mark on the line before it
                runnable = fence.group(1) in ("", "sh", "bash", "console", "shell")
                hit = MARK.search(lines[n - 2]) if n >= 2 else None
                mark, reason = (hit.group(1), hit.group(2) or "") if hit else ("", "")
            continue
        if not (in_block and runnable):
            continue
        text = line.strip().removeprefix("$ ")
        if pending:
            pending += " " + text
        elif text.startswith("accord ") or text == "accord":
            pending, start = text, n
        else:
            continue
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        found.append(Command(path.relative_to(ROOT).as_posix(), start, pending, mark, reason))
        pending = ""
    return found


def argv(command: str) -> list[str]:
    """The arguments after ``accord``, as a shell would split them (comments dropped)."""
    words = shlex.split(command, comments=True)
    assert words[0] == "accord", command
    return words[1:]


def test_servers_are_never_run():
    """``accord serve`` runs until it is stopped: a block that shows it must be illustrative."""
    unmarked = [f"{c.file}:{c.line}" for p in DOCUMENTS for c in commands(p)
                if argv(c.text)[:1] == ["serve"] and c.mark != "illustrative"]
    assert not unmarked, f"mark these blocks <!-- doc-test: illustrative (a server) -->: {unmarked}"


def test_every_document_has_its_commands_found():
    everything = [c for d in DOCUMENTS for c in commands(d)]
    assert len(everything) > 60
    assert any(c.text.startswith("accord report") for c in everything)
    marked = [c for c in everything if c.mark == "illustrative"]
    assert marked and all(c.reason for c in marked), "an illustrative command needs a reason"
    assert not [c for c in everything if "[" in c.text and "--" in c.text.split("[", 1)[1][:3]], \
        "an optional part written [--like this] is not a command"


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if commands(d)], ids=lambda d: d.name)
def test_document_commands_run(document: Path, tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACCORD_DB", f"sqlite:///{tmp_path / 'history.sqlite'}")
    monkeypatch.setenv("COLUMNS", "80")
    slow = os.environ.get("ACCORD_DOCTEST_SLOW") == "1"
    failures, timings = [], []
    for c in commands(document):
        if c.mark == "illustrative" or (c.mark == "slow" and not slow):
            continue
        began = time.perf_counter()
        code = main(argv(c.text))
        out, err = capsys.readouterr()
        timings.append((time.perf_counter() - began, c.text))
        if code != 0:
            failures.append(f"{c.document}:{c.line}: {c.text}\n  exit {code}: {err.strip()[-400:]}")
    print("\n".join(f"{t:6.1f} s  {text}" for t, text in sorted(timings, reverse=True)[:5]))
    assert not failures, "\n".join(failures)
