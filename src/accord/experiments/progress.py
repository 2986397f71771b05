"""Progress bars that only appear when the work takes more than a second (Rich, on stderr)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

Advance = Callable[[int], None]


class _Delayed:
    def __init__(self, total: int, description: str, delay: float, console: Console | None):
        self.total, self.description, self.delay = total, description, delay
        self.console = console or Console(stderr=True)
        self.start = time.monotonic()
        self.done = 0
        self.bar: Progress | None = None
        self.task = None

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.bar is None and time.monotonic() - self.start > self.delay and self.done < self.total:
            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=self.console, transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=self.total, completed=self.done)
        elif self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress_bar(
    total: int, description: str, delay: float = 1.0, console: Console | None = None
) -> Iterator[Advance]:
    """Yield ``advance(n)``; a bar shows on stderr once ``delay`` seconds have passed."""
    bar = _Delayed(total, description, delay, console)
    try:
        yield bar
    finally:
        bar.close()


def no_progress(n: int = 1) -> None:
    """An ``advance`` that does nothing."""
