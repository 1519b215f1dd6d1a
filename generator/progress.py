"""Watching a build: which stage runs, and how far it is.

``pipeline.build`` reports to an ``Observer``: ``stage(name, total)`` when a stage starts
(the previous one ends there), ``advance()`` per unit of work where a stage has units
(templates rendered, files parsed). ``NULL`` ignores everything; ``Bar`` draws a progress
line on a terminal; the benchmarks record time and memory per stage with the same calls.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Observer(Protocol):
    def stage(self, name: str, total: int = 0) -> None: ...

    def advance(self, done: int = 1) -> None: ...

    def close(self) -> None: ...


class Null:
    def stage(self, name: str, total: int = 0) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


NULL = Null()


class Bar:
    """``cmgen: render [#####.....] 120/240 templates`` on one stderr line, redrawn in place.

    Nothing is drawn during the first ``delay`` seconds, so a quick render stays silent;
    redraws are at most every ``interval`` seconds; ``close`` erases the line.
    """

    WIDTH = 24

    def __init__(self, stream: TextIO, label: str = "", delay: float = 1.0, interval: float = 0.1) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.delay = delay
        self.interval = interval
        self.name = ""
        self.total = 0
        self.done = 0
        self.drawn_at = 0.0
        self.shown = False

    def stage(self, name: str, total: int = 0) -> None:
        self.name, self.total, self.done = name, total, 0
        self._draw(force=True)

    def advance(self, done: int = 1) -> None:
        self.done += done
        self._draw()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def line(self) -> str:
        head = f"cmgen: {self.label}{self.name}"
        if not self.total:
            return head
        filled = self.WIDTH * min(self.done, self.total) // self.total
        return f"{head} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total}"

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if now - self.started < self.delay or (not force and now - self.drawn_at < self.interval):
            return
        self.drawn_at = now
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()
        self.shown = True


def for_terminal(stream: TextIO | None = None, label: str = "") -> Observer:
    """A ``Bar`` when ``stream`` (default stderr) is a terminal, else ``NULL``."""
    stream = stream if stream is not None else sys.stderr
    return Bar(stream, label) if stream.isatty() else NULL
