"""accord's native formats: YAML and JSON holding the schema of :mod:`accord.scenario.schema`.

YAML is parsed with the safe loader only (no object construction); duplicate keys, which
PyYAML would silently collapse, are reported, so no data is lost unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from accord.errors import Problem
from accord.scenario.io.base import Format, Loc, RawScenario, register_format


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], dupes: list[tuple[Loc, int]]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                dupes.append(((*loc, key), key_node.start_mark.line + 1))
            seen.add(key)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            _walk(item, (*loc, n), lines, dupes)


def _syntax_problem(path: Path, exc: Exception, kind: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = getattr(exc, "lineno", None) or (mark.line + 1 if mark is not None else None)
    reason = getattr(exc, "problem", None) or getattr(exc, "msg", None) or str(exc)
    return Problem(f"not valid {kind}: {reason}", file=str(path), line=line)


def _raw(path: Path, text: str, data: Any, kind: str) -> RawScenario:
    raw = RawScenario(data={}, file=str(path))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None  # JSON that YAML cannot compose (e.g. tabs): no line numbers, still valid
    dupes: list[tuple[Loc, int]] = []
    if root is not None:
        _walk(root, (), raw.lines, dupes)
    for loc, line in dupes:
        raw.problems.append(
            Problem(
                "key appears twice; the later value would silently replace the earlier",
                file=str(path),
                line=line,
                field=".".join(map(str, loc)),
            )
        )
    if not isinstance(data, dict):
        raw.problems.append(
            Problem(
                f"the file holds a {type(data).__name__}, not a scenario",
                file=str(path),
                line=1,
                expected=f"a {kind} mapping with id, title, actors, issues, positions",
            )
        )
        return raw
    raw.data = data
    return raw


def read_yaml(path: Path, text: str) -> RawScenario:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return RawScenario(data={}, file=str(path), problems=[_syntax_problem(path, exc, "YAML")])
    return _raw(path, text, data, "YAML")


def read_json(path: Path, text: str) -> RawScenario:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawScenario(data={}, file=str(path), problems=[_syntax_problem(path, exc, "JSON")])
    return _raw(path, text, data, "JSON")


def _looks_native(text: str) -> bool:
    return any(f"{key}:" in text or f'"{key}"' in text for key in ("actors", "positions"))


register_format(
    Format(
        name="yaml",
        description="accord's native YAML scenario",
        extensions=(".yaml", ".yml"),
        sniff=lambda path, head: _looks_native(head) and not head.lstrip().startswith(("{", "[")),
        read=read_yaml,
    )
)
register_format(
    Format(
        name="json",
        description="accord's native JSON scenario",
        extensions=(".json",),
        sniff=lambda path, head: head.lstrip().startswith("{") and _looks_native(head),
        read=read_json,
    )
)
