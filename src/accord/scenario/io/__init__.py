"""Read scenarios from files in any supported format, detected from the file itself."""

from __future__ import annotations

from pathlib import Path

from accord.errors import AccordError, Problem, ScenarioError
from accord.scenario.io import bdm, decide, ktab, long_csv, native, xlsx  # noqa: F401  (format registration)
from accord.scenario.io.base import FORMATS, Format, RawScenario, register_format
from accord.scenario.io.text import decode_text
from accord.scenario.limits import MAX_FILE_BYTES
from accord.scenario.schema import Scenario

SNIFF_BYTES = 65536  # the head a format is recognised by; the whole text when the head does not tell

__all__ = [
    "FORMATS",
    "Format",
    "RawScenario",
    "detect_format",
    "load_scenario",
    "read_raw",
    "register_format",
]


def _fail(path: Path, message: str, expected: str | None = None) -> ScenarioError:
    return ScenarioError([Problem(message, file=str(path), expected=expected)])


def detect_format(path: Path, head: str, data: bytes = b"") -> Format:
    """Detect the format of a file: its content decides; its extension breaks ties.

    Parameters
    ----------
    path : Path
        The file (its extension breaks ties between formats that recognise the text).
    head : str
        The start of the text (or all of it, when the start alone does not tell).
    data : bytes
        The file's bytes, to recognise a zip archive (an .xlsx workbook); may be empty.

    Returns
    -------
    Format
        The format to read the file with.

    Raises
    ------
    ScenarioError
        If no format recognises the file.
    """
    if data.startswith(b"PK\x03\x04"):
        return FORMATS["xlsx"]
    matches = [f for f in FORMATS.values() if not f.binary and f.sniff(path, head)]
    by_ext = [f for f in matches if path.suffix.lower() in f.extensions]
    if by_ext or matches:
        return (by_ext or matches)[0]
    names = ", ".join(FORMATS)
    raise _fail(
        path, "cannot tell which format this file is in", f"one of: {names} (or say which with --format)"
    )


def read_raw(path: str | Path, format: str | None = None) -> RawScenario:
    """Read a file into a :class:`RawScenario` without validating it.

    Parameters
    ----------
    path : str or Path
        The scenario file (at most :data:`~accord.scenario.limits.MAX_FILE_BYTES` bytes).
    format : str or None
        A name in :data:`FORMATS`; None detects the format from the file.

    Returns
    -------
    RawScenario
        The native-form dict, its line map and the problems met while parsing.

    Raises
    ------
    AccordError
        If the file does not exist, is a folder or the format is unknown.
    ScenarioError
        If the file is too large, empty, not text or of no format accord reads.
    """
    path = Path(path)
    if not path.exists():
        raise AccordError(f"{path}: no such file")
    if path.is_dir():
        raise AccordError(f"{path}: is a folder, not a scenario file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail(path, f"the file is {size / 2**20:.0f} MiB, more than a scenario file may be",
                    f"at most {MAX_FILE_BYTES // 2**20} MiB")
    data = path.read_bytes()
    if not data.strip():
        raise _fail(path, "the file is empty", "a scenario")
    if format is not None and format not in FORMATS:
        raise AccordError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    fmt = FORMATS[format] if format else None
    if fmt is not None and fmt.binary:
        return fmt.read(path, "")
    if fmt is None and data.startswith(b"PK\x03\x04"):
        return FORMATS["xlsx"].read(path, "")
    text = decode_text(path, data)
    if fmt is None:
        try:
            fmt = detect_format(path, text[:SNIFF_BYTES], data)
        except ScenarioError:
            if len(text) <= SNIFF_BYTES:
                raise
            fmt = detect_format(path, text, data)  # e.g. YAML whose actors: come after a long header
    return fmt.read(path, text)


def load_scenario(path: str | Path, format: str | None = None) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The scenario file.
    format : str or None
        A name in :data:`FORMATS`; None detects the format from the file.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        Listing every problem the file has.
    AccordError
        If the file does not exist, is a folder or the format is unknown.
    """
    from accord.scenario.validate import build

    return build(read_raw(path, format))
