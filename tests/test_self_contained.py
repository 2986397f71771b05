"""The repository stands alone: nothing in src/ or tests/ reaches outside it, and every
specification the code and docs cite is in docs/specs/ with the cited section."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SPECS = ROOT / "docs" / "specs"

# Written in pieces so that this file does not match itself.
_SHARED = "sha" + "red"
OUTSIDE = re.compile(
    r"\.\./" + _SHARED
    + r"|/work/" + _SHARED
    + r"|ACCORD_" + _SHARED.upper()
    + r"|\b" + _SHARED + r"/(?:models|anchor-data|benchmark-data|ukraine|seed|DESIGN\.md)"
)
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".benchmarks"}


def _files(*tops: str):
    for top in tops:
        for folder, dirs, names in os.walk(ROOT / top):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
            for name in names:
                yield Path(folder, name)


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def test_no_file_in_src_or_tests_reaches_outside_the_repository():
    hits = []
    for path in _files("src", "tests"):
        text = _text(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not hits, "paths outside the repository:\n" + "\n".join(hits)


def test_links_in_src_and_tests_resolve_inside_the_repository():
    for path in [*_files("src", "tests"), *(p for p in DATA.rglob("*") if p.is_symlink())]:
        if path.is_symlink():
            target = path.resolve()
            assert target.exists(), f"{path.relative_to(ROOT)} -> {os.readlink(path)} is broken"
            assert target.is_relative_to(ROOT), f"{path.relative_to(ROOT)} points outside: {target}"


def test_every_test_data_folder_has_its_sources():
    """Each folder holding data files has a SOURCES.md in it or in a parent below tests/data."""
    folders = {p.parent for p in DATA.rglob("*") if p.is_file() and p.suffix != ".md" and p.name != ".gitattributes"}
    for folder in folders:
        chain = [folder, *folder.parents]
        chain = chain[: chain.index(DATA)] if DATA in chain else chain
        assert any((f / "SOURCES.md").is_file() for f in chain), f"no SOURCES.md for {folder.relative_to(ROOT)}"


# --- citations of docs/specs ----------------------------------------------------------------

CITATION = re.compile(
    r"docs/specs/(?P<file>[\w.-]+\.md)"
    r"(?P<refs>(?:[ ,;/()`\-–]*(?:and|or)?[ ]*(?:§\s?\d+(?:\.\d+)*|sections?\s+\d+(?:\s*[-–]\s*\d+)?|"
    r"Appendix\s+[A-Z]|\d+(?:\.\d+)*(?=[,;) ]|$)))*)"
)
HEADING = re.compile(r"^## (?:(\d+)\.|Appendix ([A-Z])\.)", re.MULTILINE)


def _sections(spec: Path) -> set[str]:
    return {a or b for a, b in HEADING.findall(spec.read_text(encoding="utf-8"))}


def _cited(refs: str) -> set[str]:
    found = set(re.findall(r"Appendix\s+([A-Z])", refs))
    for number in re.findall(r"(?<![\w.])(\d+)(?:\.\d+)*", re.sub(r"Appendix\s+[A-Z]", "", refs)):
        found.add(number)
    for low, high in re.findall(r"(\d+)\s*[-–]\s*§?(\d+)", refs):
        found.update(str(n) for n in range(int(low), int(high) + 1))
    return found


def _citing_files():
    yield from (ROOT / "README.md", ROOT / "CONTRIBUTING.md")
    yield from _files("docs", "src", "tests", "benchmarks")


def test_every_cited_specification_and_section_exists():
    problems = []
    for path in _citing_files():
        if not path.is_file() or path.suffix not in {".md", ".py", ".yaml", ".txt", ".html", ".toml"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in CITATION.finditer(text):
            spec = SPECS / match["file"]
            where = f"{path.relative_to(ROOT)}: {match[0].strip()}"
            if not spec.is_file():
                problems.append(f"{where}: no such file")
                continue
            missing = _cited(match["refs"]) - _sections(spec)
            if missing:
                problems.append(f"{where}: no section {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_each_specification_cites_only_its_own_sections():
    """Inside a spec, §n and Appendix X name headings of that spec (so the numbering stays stable)."""
    specs = sorted(SPECS.glob("*.md"))
    assert {p.name for p in specs} >= {"exchange.md", "expected-utility.md", "spatial-model.md"}
    for spec in specs:
        text = spec.read_text(encoding="utf-8")
        sections = _sections(spec)
        cited = {m for m in re.findall(r"§(\d+)", text)} | set(re.findall(r"Appendix ([A-Z])\b", text))
        assert cited <= sections, f"{spec.name}: cites {sorted(cited - sections)}, has {sorted(sections)}"


def test_section_numbering_the_code_relies_on():
    """The code cites these sections by number; renumbering a spec would break the citations."""
    expected = {
        "exchange.md": {*map(str, range(1, 15)), "A", "B"},
        "expected-utility.md": set(map(str, range(1, 17))),
        "spatial-model.md": set(map(str, range(1, 14))),
    }
    for name, sections in expected.items():
        assert _sections(SPECS / name) == sections, name
