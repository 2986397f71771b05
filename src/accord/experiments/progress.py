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
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

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
        self.task: TaskID | None = None
        self.now = ""

    def __call__(self, n: int = 1) -> None:
        self.done += n
        self._show()

    def describe(self, text: str) -> None:
        """Show what runs now (e.g. the models whose draws are being computed) after the title.

        Parameters
        ----------
        text : str
            What runs now.
        """
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
        """Stop the bar, if it was shown."""
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress_bar(
    total: int, description: str, delay: float | None = None, console: Console | None = None
) -> Iterator[Advance]:
    """Yield an ``advance(n)`` reporter whose bar appears on stderr only after a delay.

    The bar (what runs, done of total, time left) shows once ``delay`` seconds have passed
    and the work is not yet done; it disappears when the block ends.

    Parameters
    ----------
    total : int
        Number of steps in all.
    description : str
        Title of the bar.
    delay : float or None, optional
        Seconds before the bar appears; default :data:`DELAY`.
    console : Console or None, optional
        Rich console to draw on; default one on stderr.

    Yields
    ------
    Advance
        ``advance(n)``: n more steps are done; it also has ``describe(text)``.
    """
    bar = _Delayed(total, description, DELAY if delay is None else delay, console)
    try:
        yield bar
    finally:
        bar.close()


def no_progress(n: int = 1) -> None:
    """Do nothing: an ``advance`` for runs that report no progress.

    Parameters
    ----------
    n : int, optional
        Steps done (ignored).
    """


def describe(advance: Advance, text: str) -> None:
    """Tell ``advance`` what runs now, if it can show it (it has a ``describe(text)`` method).

    Parameters
    ----------
    advance : Advance
        The progress reporter.
    text : str
        What runs now.
    """
    show = getattr(advance, "describe", None)
    if show is not None:
        show(text)
