"""The progress line: drawn on a terminal after a delay, never elsewhere."""

from __future__ import annotations

import io

from generator import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_gets_nothing() -> None:
    assert progress.for_terminal(io.StringIO()) is progress.NULL
    assert isinstance(progress.for_terminal(_Terminal()), progress.Bar)


def test_quick_builds_stay_silent() -> None:
    stream = _Terminal()
    bar = progress.Bar(stream, delay=60)
    bar.stage("render", 10)
    bar.advance()
    bar.close()
    assert stream.getvalue() == ""


def test_the_line_shows_the_stage_and_count_then_is_erased() -> None:
    stream = _Terminal()
    bar = progress.Bar(stream, label="dev: ", delay=0, interval=0)
    bar.stage("render", 4)
    bar.advance(3)
    assert bar.line() == "cmgen: dev: render [" + "#" * 18 + "." * 6 + "] 3/4"
    assert stream.getvalue().endswith("\r\x1b[Kcmgen: dev: render [" + "#" * 18 + "." * 6 + "] 3/4")
    bar.stage("lint")
    assert bar.line() == "cmgen: dev: lint"
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")
