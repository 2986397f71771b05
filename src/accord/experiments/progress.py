"""Progress bars that only appear when the work takes more than a second (Rich, on stderr).

A reporter is ``advance(n)``: n more steps are done. A reporter may also show what is running
now: :func:`describe` calls its ``describe(text)`` when it has one (the bar here does; a plain
function that only counts is fine too).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

Advance = Callable[[int], None]
#: seconds of work before a bar appears (runs quicker than that show none)
DELAY = 1.0


class _Delayed:
    def __init__(self, total: int, description: str, delay: float, console: Console | None):
        self.total, self.description, self.delay = total, description, delay
        self.console = console or Console(stderr=True)
        self.start = time.monotonic()
        self.done = 0
        self.bar: Progress | None = None
        self.task = None
        self.now = ""

    def __call__(self, n: int = 1) -> None:
        self.done += n
        self._show()

    def describe(self, text: str) -> None:
        """What runs now (e.g. the models whose draws are being computed), shown after the title."""
        if text != self.now:
            self.now = text
            self._show()

    def _label(self) -> str:
        return f"{self.description}: {self.now}" if self.now else self.description

    def _show(self) -> None:
        if self.bar is None and time.monotonic() - self.start > self.delay and self.done < self.total:
            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=self.console, transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self._label(), total=self.total, completed=self.done)
        elif self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done, description=self._label())

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress_bar(
    total: int, description: str, delay: float | None = None, console: Console | None = None
) -> Iterator[Advance]:
    """Yield ``advance(n)``; a bar (what runs, done of total, time left) shows on stderr once
    ``delay`` seconds (default :data:`DELAY`) have passed.
    """
    bar = _Delayed(total, description, DELAY if delay is None else delay, console)
    try:
        yield bar
    finally:
        bar.close()


def no_progress(n: int = 1) -> None:
    """An ``advance`` that does nothing."""


def describe(advance: Advance, text: str) -> None:
    """Tell ``advance`` what runs now, if it can show it (it has a ``describe(text)`` method)."""
    show = getattr(advance, "describe", None)
    if show is not None:
        show(text)
