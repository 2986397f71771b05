"""Bounds on what one scenario file may hold.

A broken or hostile file must fail with a clear error, not exhaust the memory or time of the
machine reading it (a 2 KB workbook can declare a million rows; a 3 MB zip can unpack to
gigabytes). Every reader checks these bounds before it does the work they bound, and names the
bound it hit. They sit far above any real negotiation (the largest sample scenario of the peer
tools has 160 actors); docs/security.md lists them with the threat model.
"""

from __future__ import annotations

#: bytes of a scenario file on disk, in any format
MAX_FILE_BYTES = 64 * 1024 * 1024
#: actors, issues and positions (or table rows) one file may define
MAX_ACTORS = 2_000
MAX_ISSUES = 1_000
MAX_ROWS = 200_000
#: the largest magnitude of an issue scale's end, and its smallest width: numbers beyond these
#: overflow or lose all precision in the models' arithmetic (a scale of +-1e308 has an infinite
#: width)
MAX_SCALE_MAGNITUDE = 1e9
MIN_SCALE_SPAN = 1e-9
#: characters of one cell of a delimited table (Python's csv default); a longer cell is almost
#: always a quote that is never closed
MAX_CELL_CHARS = 131_072
#: an .xlsx workbook is a zip archive: its parts' total size once unpacked, its compression
#: ratio (checked above XLSX_RATIO_FLOOR bytes unpacked) and how many parts it may have
XLSX_MAX_UNPACKED = 50 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR = 1024 * 1024
XLSX_MAX_PARTS = 1_000
#: the used range of a worksheet: columns, and cells once each row is filled up to its last
#: cell (what a reader allocates); rows are bounded by MAX_ROWS
XLSX_MAX_COLUMNS = 1_000
XLSX_MAX_CELLS = 2_000_000
