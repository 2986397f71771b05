r"""Bytes of a text scenario file to text: the encodings analysts' tools write.

UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with a byte-order mark (what
Excel's "Unicode text" and Windows Notepad write), and Windows-1252 as the fallback for legacy
files. Line endings become ``\n``. A file with NUL bytes and no byte-order mark is binary, or
UTF-16 without its mark, which cannot be told apart reliably: the error says to save as UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from accord.errors import Problem, ScenarioError

#: the bytes of the head that are checked for NUL bytes
SNIFF_BYTES = 65536
#: byte-order marks and their codecs, longest first (the UTF-32 LE mark starts with UTF-16's)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _fail(path: Path, message: str, expected: str) -> ScenarioError:
    return ScenarioError([Problem(message, file=str(path), expected=expected)])


def _utf16_like(head: bytes) -> bool:
    """Tell whether ``head`` looks like UTF-16 text without its byte-order mark.

    In such text (nearly) every other byte is 0 and the bytes between are not (the high bytes of
    Latin text); binary data has zeros on both sides or on neither.
    """
    even, odd = head[0::2], head[1::2]
    share = [part.count(0) / max(len(part), 1) for part in (even, odd)]
    return min(share) < 0.1 and max(share) > 0.7


def decode_text(path: Path, data: bytes) -> str:
    r"""Decode a text file's bytes, with ``\n`` line endings.

    Parameters
    ----------
    path : Path
        The file, for the error message.
    data : bytes
        Its bytes: UTF-8 (a byte-order mark is dropped), UTF-16 or UTF-32 with a byte-order
        mark, or Windows-1252.

    Returns
    -------
    str
        The text, without a byte-order mark.

    Raises
    ------
    ScenarioError
        If the bytes are not text in an encoding accord reads (NUL bytes without a byte-order
        mark: binary, or UTF-16 without its mark).
    """
    codec = next((name for bom, name in BOMS if data.startswith(bom)), None)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise _fail(path, f"cannot decode the file as {codec.upper()} ({exc.reason})",
                        "text in UTF-8 (or UTF-16 with its byte-order mark)") from None
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    data = data.removeprefix(codecs.BOM_UTF8)  # it still marks the start of a cp1252 file
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        message = ("this looks like UTF-16 text without a byte-order mark" if _utf16_like(head)
                   else "this is a binary file, not a scenario")
        raise _fail(path, message, "a text file (YAML, JSON, CSV) saved as UTF-8, or an .xlsx workbook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _fail(path, f"cannot decode the file as text ({exc.reason})", "UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
