"""accord's native formats: YAML and JSON holding the schema of :mod:`accord.scenario.schema`.

YAML is parsed with the safe loader only (no object construction), once: libyaml's C parser
(when PyYAML has it) composes the node tree, whose marks give every key its line, and the safe
constructor builds the values from that same tree (the pure-Python loader read the built-in
69 KB scenario in ~185 ms, parsing it twice). Duplicate keys, which PyYAML would silently
collapse, are reported, so no data is lost unnoticed. Values the parser cannot build (a date
such as 2025-13-45, an integer of thousands of digits), nesting deeper than the parser allows,
aliases that contain themselves and alias chains that expand to more than :data:`MAX_NODES`
values are reported as problems, never raised; the tree is checked before any value is built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from accord.errors import Problem
from accord.scenario.io.base import Format, Loc, RawScenario, register_format

MAX_NODES = 1_000_000  # values a file may expand to through aliases (a "billion laughs" guard)

# libyaml's parser, if PyYAML was built with it; the same safe constructor either way. The stubs
# declare CSafeLoader apart from SafeLoader (same constructor, C parser), hence the ignores; and a
# base class held in a variable is not a type to mypy.
try:
    _SafeBase: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _SafeBase = yaml.SafeLoader


class _Loader(_SafeBase):  # type: ignore[valid-type, misc]
    """The safe loader, with values it cannot build reported as YAML errors at their line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Build a node's value; a value that cannot be built is a ``ConstructorError`` at its line."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # e.g. a date 2025-13-45, a 5000-digit integer
            text = str(node.value)
            text = text if len(text) <= 40 else text[:37] + "..."
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {text!r} ({exc})", node.start_mark
            ) from None


class _Unwalkable(Exception):
    """The node tree cannot be a scenario: it contains itself, or expands past MAX_NODES."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _walk(
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    dupes: list[tuple[Loc, int]],
    open_nodes: set[int] | None = None,
    count: list[int] | None = None,
) -> None:
    open_nodes = set() if open_nodes is None else open_nodes
    count = [0] if count is None else count
    count[0] += 1
    line = node.start_mark.line + 1
    if count[0] > MAX_NODES:
        raise _Unwalkable(f"the file expands to more than {MAX_NODES:,} values (through aliases)", line)
    if id(node) in open_nodes:
        raise _Unwalkable("an alias refers to the list or mapping that contains it", line)
    lines.setdefault(loc, line)
    if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        return
    open_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if isinstance(key, str) and key in seen:
                dupes.append(((*loc, key), key_node.start_mark.line + 1))
            seen.add(key if isinstance(key, str) else id(key_node))
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines, dupes, open_nodes, count)
    else:
        for n, item in enumerate(node.value):
            _walk(item, (*loc, n), lines, dupes, open_nodes, count)
    open_nodes.discard(id(node))


def _syntax_problem(path: Path, exc: Exception, kind: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = getattr(exc, "lineno", None) or (mark.line + 1 if mark is not None else None)
    reason = getattr(exc, "problem", None) or getattr(exc, "msg", None) or str(exc)
    if isinstance(exc, RecursionError) or "maximum nesting depth" in str(reason):  # libyaml: 1000
        reason = "lists or mappings are nested too deeply"
    return Problem(f"not valid {kind}: {reason}", file=str(path), line=line)


def _compose(text: str) -> yaml.Node | None:
    """Compose the document's node tree, with line marks (one parse)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(root: yaml.Node) -> Any:
    """Build the values of a composed tree with the safe constructor."""
    loader = _Loader("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _lines(raw: RawScenario, path: Path, root: yaml.Node, kind: str) -> bool:
    """Fill ``raw.lines`` and report duplicate keys.

    Return False (with a problem) when the tree cannot be a scenario: it contains itself,
    expands past MAX_NODES or nests too deeply.
    """
    dupes: list[tuple[Loc, int]] = []
    try:
        _walk(root, (), raw.lines, dupes)
    except _Unwalkable as exc:
        message = f"not a usable {kind} scenario: {exc}"
        raw.problems.append(Problem(message, file=str(path), line=exc.line))
        return False
    except RecursionError as exc:
        raw.problems.append(_syntax_problem(path, exc, kind))
        return False
    for loc, line in dupes:
        raw.problems.append(
            Problem(
                "key appears twice; the later value would silently replace the earlier",
                file=str(path),
                line=line,
                field=".".join(map(str, loc)),
            )
        )
    return True


def _finish(raw: RawScenario, path: Path, data: Any, kind: str) -> RawScenario:
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
    """Read a native YAML scenario, with the line of every key.

    Parameters
    ----------
    path : Path
        The file, for problems.
    text : str
        The file's text.

    Returns
    -------
    RawScenario
        The native form, or no data and a problem when the text is not YAML, holds no mapping,
        or cannot be a scenario (it contains itself or expands past :data:`MAX_NODES` values);
        duplicate keys are problems too.
    """
    raw = RawScenario(data={}, file=str(path))
    try:
        root = _compose(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raw.problems.append(_syntax_problem(path, exc, "YAML"))
        return raw
    if root is None:
        return _finish(raw, path, None, "YAML")
    if not _lines(raw, path, root, "YAML"):
        return raw
    try:
        data = _construct(root)
    except (yaml.YAMLError, RecursionError) as exc:
        return RawScenario(data={}, file=str(path), problems=[_syntax_problem(path, exc, "YAML")])
    return _finish(raw, path, data, "YAML")


def read_json(path: Path, text: str) -> RawScenario:
    """Read a native JSON scenario, with line numbers where YAML can compose the text.

    Parameters
    ----------
    path : Path
        The file, for problems.
    text : str
        The file's text.

    Returns
    -------
    RawScenario
        The native form, or no data and a problem when the text is not JSON or holds no
        mapping; duplicate keys are problems too.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also a 5000-digit integer
        return RawScenario(data={}, file=str(path), problems=[_syntax_problem(path, exc, "JSON")])
    raw = RawScenario(data={}, file=str(path))
    try:
        root = _compose(text)  # for line numbers only
    except (yaml.YAMLError, RecursionError):
        root = None  # JSON that YAML cannot compose (e.g. tabs): no line numbers, still valid
    if root is not None and not _lines(raw, path, root, "JSON"):
        return raw
    return _finish(raw, path, data, "JSON")


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
